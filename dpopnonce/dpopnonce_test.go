package dpopnonce_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpopnonce"
)

var (
	secret  = bytes.Repeat([]byte{0x5a}, 32)
	secret2 = bytes.Repeat([]byte{0xa5}, 32)
	// t0 starts a window of every length that divides 3600 s.
	t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
)

func mustNew(t testing.TB, secret []byte, opts ...dpopnonce.Option) *dpopnonce.Source {
	t.Helper()
	s, err := dpopnonce.New(secret, opts...)
	require.NoError(t, err)
	return s
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		secret []byte
		opts   []dpopnonce.Option
		want   error
	}{
		{"nil secret", nil, nil, dpopnonce.ErrSecretTooShort},
		{"31-byte secret", secret[:31], nil, dpopnonce.ErrSecretTooShort},
		{"short previous secret", secret, []dpopnonce.Option{dpopnonce.WithPreviousSecrets(secret2[:16])}, dpopnonce.ErrSecretTooShort},
		{"too many previous secrets", secret, []dpopnonce.Option{dpopnonce.WithPreviousSecrets(secret2, secret2, secret2, secret2, secret2)}, dpopnonce.ErrTooManySecrets},
		{"window below the minimum", secret, []dpopnonce.Option{dpopnonce.WithWindow(9 * time.Second)}, dpopnonce.ErrWindowInvalid},
		{"window above the maximum", secret, []dpopnonce.Option{dpopnonce.WithWindow(time.Hour + time.Second)}, dpopnonce.ErrWindowInvalid},
		{"window not whole seconds", secret, []dpopnonce.Option{dpopnonce.WithWindow(10*time.Second + time.Millisecond)}, dpopnonce.ErrWindowInvalid},
		{"zero window", secret, []dpopnonce.Option{dpopnonce.WithWindow(0)}, dpopnonce.ErrWindowInvalid},
		{"negative window", secret, []dpopnonce.Option{dpopnonce.WithWindow(-time.Minute)}, dpopnonce.ErrWindowInvalid},
		{"negative skew", secret, []dpopnonce.Option{dpopnonce.WithClockSkew(-time.Second)}, dpopnonce.ErrClockSkewInvalid},
		{"skew over half the window", secret, []dpopnonce.Option{dpopnonce.WithWindow(time.Minute), dpopnonce.WithClockSkew(31 * time.Second)}, dpopnonce.ErrClockSkewInvalid},
		{"label too long", secret, []dpopnonce.Option{dpopnonce.WithLabel(strings.Repeat("l", dpopnonce.MaxLabelSize+1))}, dpopnonce.ErrLabelTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := dpopnonce.New(tt.secret, tt.opts...)
			assert.Nil(t, s)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "%v is not %v", err, tt.want)
		})
	}
}

func TestNewAccepts(t *testing.T) {
	tests := []struct {
		name string
		opts []dpopnonce.Option
	}{
		{"defaults", nil},
		{"shortest window, default skew capped at half of it", []dpopnonce.Option{dpopnonce.WithWindow(dpopnonce.MinWindow)}},
		{"longest window", []dpopnonce.Option{dpopnonce.WithWindow(dpopnonce.MaxWindow)}},
		{"skew half the window", []dpopnonce.Option{dpopnonce.WithWindow(time.Minute), dpopnonce.WithClockSkew(30 * time.Second)}},
		{"no skew", []dpopnonce.Option{dpopnonce.WithClockSkew(0)}},
		{"longest label", []dpopnonce.Option{dpopnonce.WithLabel(strings.Repeat("l", dpopnonce.MaxLabelSize))}},
		{"most previous secrets", []dpopnonce.Option{dpopnonce.WithPreviousSecrets(secret2, secret2), dpopnonce.WithPreviousSecrets(secret2, secret2)}},
		{"nil option", []dpopnonce.Option{nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, secret, tt.opts...)
			n := s.Nonce(t0)
			assert.Len(t, n, dpopnonce.Length)
			assert.True(t, s.Valid(n, t0))
		})
	}
}

// nqchar is RFC 9449 §8.1's NQCHAR: %x21 / %x23-5B / %x5D-7E.
func nqchar(c byte) bool {
	return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
}

// TestNonceFormat: every nonce is Length characters of NQCHAR (in fact of
// the base64url alphabet), the same for every instance with the secret,
// and it changes with the window.
func TestNonceFormat(t *testing.T) {
	s := mustNew(t, secret, dpopnonce.WithWindow(time.Minute))
	other := mustNew(t, append([]byte(nil), secret...), dpopnonce.WithWindow(time.Minute))
	seen := map[string]bool{}
	for i := range 500 {
		now := t0.Add(time.Duration(i) * time.Minute)
		n := s.Nonce(now)
		require.Len(t, n, dpopnonce.Length)
		for j := 0; j < len(n); j++ {
			require.True(t, nqchar(n[j]), "%q has %q", n, n[j])
		}
		_, err := base64.RawURLEncoding.Strict().DecodeString(n)
		require.NoError(t, err)
		assert.Equal(t, n, other.Nonce(now), "instances sharing the secret agree")
		assert.Equal(t, n, s.Nonce(now.Add(59*time.Second+999*time.Millisecond)), "one nonce per window")
		assert.False(t, seen[n], "window %d repeats a nonce", i)
		seen[n] = true
	}
}

// TestKnownAnswer pins the format: HMAC-SHA-256 over the domain and the
// label, each with a 4-byte big-endian length, the window length in
// seconds as 8 bytes big-endian, then the window index as 8 bytes
// big-endian. A change of format fails here (and invalidates every nonce
// in circulation).
func TestKnownAnswer(t *testing.T) {
	input := func(label string, window time.Duration, idx int64) []byte {
		var b []byte
		for _, f := range []string{"fapicheck dpop-nonce v1", label} {
			b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
			b = append(b, f...)
		}
		b = binary.BigEndian.AppendUint64(b, uint64(window/time.Second))
		return binary.BigEndian.AppendUint64(b, uint64(idx))
	}
	mac := func(label string, window time.Duration, idx int64) string {
		m := hmac.New(sha256.New, secret)
		m.Write(input(label, window, idx))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		name   string
		label  string
		window time.Duration
		now    time.Time
		idx    int64
	}{
		{"default window", "", dpopnonce.DefaultWindow, t0, t0.Unix() / 300},
		{"labelled", "rs:https://rs.example.com", time.Minute, t0.Add(30 * time.Second), t0.Unix() / 60},
		{"the epoch", "", time.Minute, time.Unix(0, 0), 0},
		{"before the epoch", "", time.Minute, time.Unix(-1, 0), -1},
		{"a minute before the epoch", "", time.Minute, time.Unix(-60, 0), -1},
		{"a minute and a nanosecond before the epoch", "", time.Minute, time.Unix(-60, -1), -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, secret, dpopnonce.WithLabel(tt.label), dpopnonce.WithWindow(tt.window))
			assert.Equal(t, mac(tt.label, tt.window, tt.idx), s.Nonce(tt.now))
		})
	}
}

// TestValidWindows: a nonce is valid from its window's start to the end of
// the next window, exactly; the next window's nonce is valid within the
// clock skew before that window starts.
func TestValidWindows(t *testing.T) {
	const w = time.Minute
	s := mustNew(t, secret, dpopnonce.WithWindow(w), dpopnonce.WithClockSkew(10*time.Second))
	noSkew := mustNew(t, secret, dpopnonce.WithWindow(w), dpopnonce.WithClockSkew(0))
	n := s.Nonce(t0) // the nonce of the window [t0, t0+w)
	tests := []struct {
		name string
		src  *dpopnonce.Source
		now  time.Time
		want bool
	}{
		{"at the window's start", s, t0, true},
		{"at the window's last instant", s, t0.Add(w - time.Nanosecond), true},
		{"at the next window's start (previous window)", s, t0.Add(w), true},
		{"at the next window's last instant", s, t0.Add(2*w - time.Nanosecond), true},
		{"two windows later", s, t0.Add(2 * w), false},
		{"an hour later", s, t0.Add(time.Hour), false},
		{"exactly the skew before the window", s, t0.Add(-10 * time.Second), true},
		{"a nanosecond beyond the skew before the window", s, t0.Add(-10*time.Second - time.Nanosecond), false},
		{"a window before", s, t0.Add(-w), false},
		{"without skew, a nanosecond before the window", noSkew, t0.Add(-time.Nanosecond), false},
		{"without skew, at the window's start", noSkew, t0, true},
		{"without skew, at the next window's last instant", noSkew, t0.Add(2*w - time.Nanosecond), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.src.Valid(n, tt.now))
		})
	}
}

// TestValidSeparationByWindowLength: sources sharing a secret and a label
// but not the window length never accept each other's nonces, also at the
// time the other's window index comes round (a nonce issued under 300 s
// windows would otherwise work under 301 s windows some 65 days later).
func TestValidSeparationByWindowLength(t *testing.T) {
	tests := []struct {
		name           string
		issued, verify time.Duration
	}{
		{"5 min issued, 301 s verifies", 5 * time.Minute, 301 * time.Second},
		{"5 min issued, 10 min verifies", 5 * time.Minute, 10 * time.Minute},
		{"10 min issued, 5 min verifies", 10 * time.Minute, 5 * time.Minute},
		{"10 s issued, an hour verifies", 10 * time.Second, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issuer := mustNew(t, secret, dpopnonce.WithLabel("as"), dpopnonce.WithWindow(tt.issued))
			verifier := mustNew(t, secret, dpopnonce.WithLabel("as"), dpopnonce.WithWindow(tt.verify))
			index := t0.Unix() / int64(tt.issued/time.Second)
			// The instant at which the verifier's window has the issuer's index.
			same := time.Unix(index*int64(tt.verify/time.Second), 0)
			assert.False(t, verifier.Valid(issuer.Nonce(t0), same))
			assert.True(t, verifier.Valid(verifier.Nonce(same), same))
		})
	}
}

// TestValidSeparation: another secret, another label, another window
// length or another domain of time gives nonces the source refuses.
func TestValidSeparation(t *testing.T) {
	as := mustNew(t, secret, dpopnonce.WithLabel("as"))
	tests := []struct {
		name   string
		issuer *dpopnonce.Source
	}{
		{"another secret", mustNew(t, secret2, dpopnonce.WithLabel("as"))},
		{"another label (resource server)", mustNew(t, secret, dpopnonce.WithLabel("rs"))},
		{"the empty label", mustNew(t, secret)},
		{"a label extending it", mustNew(t, secret, dpopnonce.WithLabel("as\x00"))},
		{"another window length", mustNew(t, secret, dpopnonce.WithLabel("as"), dpopnonce.WithWindow(time.Minute))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.issuer.Nonce(t0)
			assert.NotEqual(t, as.Nonce(t0), n)
			assert.False(t, as.Valid(n, t0))
		})
	}
}

// TestRotation: previous secrets are accepted, never used to issue; the
// two-step rotation of the documentation keeps every instance accepting
// every other's nonces.
func TestRotation(t *testing.T) {
	old := mustNew(t, secret)
	staged := mustNew(t, secret, dpopnonce.WithPreviousSecrets(secret2))  // step 1
	rotated := mustNew(t, secret2, dpopnonce.WithPreviousSecrets(secret)) // step 2
	done := mustNew(t, secret2)                                           // previous secret dropped

	assert.Equal(t, old.Nonce(t0), staged.Nonce(t0), "step 1 still issues under the old secret")
	tests := []struct {
		name     string
		issuer   *dpopnonce.Source
		verifier *dpopnonce.Source
		want     bool
	}{
		{"old nonce at a staged instance", old, staged, true},
		{"staged nonce at an old instance", staged, old, true},
		{"rotated nonce at a staged instance", rotated, staged, true},
		{"staged nonce at a rotated instance", staged, rotated, true},
		{"rotated nonce at an old instance (skipped step 1)", rotated, old, false},
		{"old nonce after the old secret is dropped", old, done, false},
		{"rotated nonce after the old secret is dropped", rotated, done, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.verifier.Valid(tt.issuer.Nonce(t0), t0.Add(time.Minute)))
		})
	}
	// The caller's secrets are copied.
	mine := append([]byte(nil), secret...)
	s := mustNew(t, mine)
	want := s.Nonce(t0)
	mine[0] ^= 1
	assert.Equal(t, want, s.Nonce(t0))
}

func TestValidMalformed(t *testing.T) {
	s := mustNew(t, secret)
	good := s.Nonce(t0)
	// The last character of 32 bytes in base64url carries 2 bits and 4
	// zero bits: a lenient decoder maps another character to the same
	// bytes, a string comparison does not.
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, good[len(good)-1])
	lenient := good[:len(good)-1] + string(alphabet[last+1])
	flipped := []byte(good)
	flipped[10] ^= 1
	tests := []struct {
		name  string
		nonce string
	}{
		{"empty", ""},
		{"one character short", good[:len(good)-1]},
		{"one character more", good + "A"},
		{"padded", good + "="},
		{"a character changed", string(flipped)},
		{"non-canonical last character", lenient},
		{"standard base64 alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(good)},
		{"leading space", " " + good[1:]},
		{"trailing newline", good[:len(good)-1] + "\n"},
		{"NUL bytes", strings.Repeat("\x00", dpopnonce.Length)},
		{"non-ASCII of the right byte length", "é" + good[2:]},
		{"one megabyte", strings.Repeat(good, 1<<20/len(good))},
		{"another window's nonce of the right shape", s.Nonce(t0.Add(-time.Hour))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.nonce == good {
				t.Skip("the mutation left the nonce unchanged")
			}
			assert.False(t, s.Valid(tt.nonce, t0))
		})
	}
	assert.True(t, s.Valid(good, t0))
}

// TestNotFromNew: a nil or zero Source issues nothing and accepts nothing,
// without panicking.
func TestNotFromNew(t *testing.T) {
	tests := []struct {
		name string
		src  *dpopnonce.Source
	}{
		{"nil", nil},
		{"zero", &dpopnonce.Source{}},
	}
	good := mustNew(t, secret).Nonce(t0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, "", tt.src.Nonce(t0))
			assert.False(t, tt.src.Valid(good, t0))
			assert.False(t, tt.src.Valid("", t0))
		})
	}
}

// TestConcurrentUse runs Nonce and Valid from many goroutines (go test
// -race finds shared state).
func TestConcurrentUse(t *testing.T) {
	s := mustNew(t, secret, dpopnonce.WithPreviousSecrets(secret2))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				now := t0.Add(time.Duration(g*200+i) * time.Second)
				if !s.Valid(s.Nonce(now), now) {
					t.Error("a fresh nonce was refused")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkNonce(b *testing.B) {
	s := mustNew(b, secret)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Nonce(t0)
	}
}

func BenchmarkValid(b *testing.B) {
	b.Run("current window", func(b *testing.B) {
		s := mustNew(b, secret)
		n := s.Nonce(t0)
		b.ReportAllocs()
		for b.Loop() {
			if !s.Valid(n, t0) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("refused, with previous secrets", func(b *testing.B) {
		s := mustNew(b, secret, dpopnonce.WithPreviousSecrets(secret2, secret2, secret2, secret2))
		n := strings.Repeat("A", dpopnonce.Length)
		b.ReportAllocs()
		for b.Loop() {
			if s.Valid(n, t0) {
				b.Fatal("accepted")
			}
		}
	})
	b.Run("refused by length", func(b *testing.B) {
		s := mustNew(b, secret)
		n := strings.Repeat("A", 1<<16)
		b.ReportAllocs()
		for b.Loop() {
			if s.Valid(n, t0) {
				b.Fatal("accepted")
			}
		}
	})
}
