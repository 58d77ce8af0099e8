package dpop_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/dpop"
)

func TestZZSeedReasons(t *testing.T) {
	files, _ := filepath.Glob("testdata/fuzz/FuzzVerify/*")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.SplitN(strings.TrimSpace(string(data)), "\n", 2)
		s, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		p, errs := dpop.Verify(strings.Split(s, "\n"), rules(), now)
		t.Logf("%-30s proof=%v %v", filepath.Base(f), p != nil, reasons(errs))
	}
}
