package testfixture

import (
	"os"
	"strings"
	"testing"
)

// Golden compares the generated document want with the file at path,
// writing want there first when update is set. A mismatch fails the test
// naming the first line that differs (rather than printing both files) and
// the command that regenerates the file.
func Golden(t testing.TB, path, want string, update bool, regenerate string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s is missing; run %s", path, regenerate)
	}
	if string(got) == want {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			t.Fatalf("%s is out of date at line %d (run %s):\nwant: %s\ngot:  %s", path, i+1, regenerate, wl, gl)
		}
	}
}
