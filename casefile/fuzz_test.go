package casefile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fapicheck/fapicheck/casefile"
)

// FuzzParse: a case file never makes Parse or Run panic, whatever its
// content. Seeds: the corpus in testdata/cases plus testdata/fuzz.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*.json"))
	for i, name := range files {
		if i%8 != 0 { // a sample keeps the seed set fast
			continue
		}
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _, err := casefile.Parse(data)
		if err != nil {
			if c != nil {
				t.Fatal("a case returned with an error")
			}
			return
		}
		rep := c.Run()
		if rep.Profile == "" {
			t.Fatal("a report without a profile")
		}
	})
}
