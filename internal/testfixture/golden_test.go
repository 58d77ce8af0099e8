package testfixture

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB whose Fatalf records the message and stops the
// calling goroutine, as the real one does.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func golden(path, want string, update bool) string {
	r := &recorder{}
	done := make(chan struct{})
	go func() { defer close(done); Golden(r, path, want, update, "regen") }()
	<-done
	return r.msg
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	assert.Contains(t, golden(path, "a\nb\n", false), "missing; run regen")
	assert.Empty(t, golden(path, "a\nb\n", true), "update writes the file")
	assert.Empty(t, golden(path, "a\nb\n", false))
	assert.Contains(t, golden(path, "a\nc\n", false), "out of date at line 2 (run regen):\nwant: c\ngot:  b")
	assert.Contains(t, golden(path, "a\nb\nextra\n", false), "line 3")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "a\nb\n", string(got), "a comparison never writes")
}
