package dpopnonce_test

import (
	"testing"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
)

// FuzzValid: Valid never panics, accepts only nonces of the exact length,
// and accepts a string exactly when it is the nonce of the current or the
// previous window (or the next, within the skew) at that time. The seeds
// under testdata/fuzz/FuzzValid hold a valid nonce, its neighbours and
// malformed inputs.
func FuzzValid(f *testing.F) {
	s, err := dpopnonce.New(secret, dpopnonce.WithWindow(time.Minute))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.Nonce(t0), t0.Unix())
	f.Add("", int64(0))
	f.Fuzz(func(t *testing.T, nonce string, unix int64) {
		now := time.Unix(unix, 0)
		ok := s.Valid(nonce, now)
		if ok && len(nonce) != dpopnonce.Length {
			t.Fatalf("accepted %d bytes", len(nonce))
		}
		want := false
		for _, at := range []time.Time{now, now.Add(-time.Minute), now.Add(dpopnonce.DefaultClockSkew)} {
			want = want || s.Nonce(at) == nonce
		}
		if ok != want {
			t.Fatalf("Valid(%q, %d) = %v, want %v", nonce, unix, ok, want)
		}
	})
}
