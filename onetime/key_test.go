package onetime_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/onetime"
)

func TestKeySeparatesParts(t *testing.T) {
	tests := []struct {
		name   string
		kindA  string
		partsA []string
		kindB  string
		partsB []string
	}{
		{"moved boundary", onetime.KindClientAssertion, []string{"a", "bc"}, onetime.KindClientAssertion, []string{"ab", "c"}},
		{"joined parts", onetime.KindClientAssertion, []string{"a", "bc"}, onetime.KindClientAssertion, []string{"abc"}},
		{"trailing empty part", onetime.KindCode, []string{"a"}, onetime.KindCode, []string{"a", ""}},
		{"no part and one empty part", onetime.KindCode, nil, onetime.KindCode, []string{""}},
		{"separator inside a part", onetime.KindDPoPProof, []string{"a:b", "c"}, onetime.KindDPoPProof, []string{"a", "b:c"}},
		{"length bytes inside a part", onetime.KindDPoPProof, []string{"a", "b"}, onetime.KindDPoPProof, []string{"a\x00\x00\x00\x00\x00\x00\x00\x01b"}},
		{"swapped parts", onetime.KindClientAssertion, []string{"client", "jti"}, onetime.KindClientAssertion, []string{"jti", "client"}},
		{"same parts, other kind", onetime.KindCode, []string{"x"}, onetime.KindRequestURI, []string{"x"}},
		{"same parts, refresh token and code", onetime.KindRefreshToken, []string{"x"}, onetime.KindCode, []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := onetime.Key(tt.kindA, tt.partsA...)
			b := onetime.Key(tt.kindB, tt.partsB...)
			assert.NotEqual(t, a, b)
			assert.Equal(t, a, onetime.Key(tt.kindA, tt.partsA...), "deterministic")
		})
	}
}

func TestKeyFormat(t *testing.T) {
	kinds := []string{onetime.KindClientAssertion, onetime.KindDPoPProof, onetime.KindCode, onetime.KindRequestURI, onetime.KindRefreshToken}
	seen := map[string]bool{}
	for _, kind := range kinds {
		assert.False(t, seen[kind], "kind %q twice", kind)
		seen[kind] = true
		for _, parts := range [][]string{nil, {"client-1", "jti-1"}, {strings.Repeat("x", 1<<20)}} {
			k := onetime.Key(kind, parts...)
			require.True(t, strings.HasPrefix(k, kind+":"), k)
			digest := strings.TrimPrefix(k, kind+":")
			assert.Len(t, digest, 43)
			raw, err := base64.RawURLEncoding.Strict().DecodeString(digest)
			require.NoError(t, err)
			assert.Len(t, raw, 32)
			assert.LessOrEqual(t, len(k), onetime.MaxKeyLength)
		}
	}
	// A known answer: SHA-256 over the length-prefixed part "abc".
	assert.Equal(t, "code:"+knownDigest, onetime.Key(onetime.KindCode, "abc"))
}

// knownDigest is base64url(SHA-256(00 00 00 00 00 00 00 03 'a' 'b' 'c')),
// computed independently of Key (printf '\0\0\0\0\0\0\0\003abc' | sha256sum).
const knownDigest = "w0lMoaLPjuuKEd7TFvtVuDw7u-22MTzVBBUlHl0J4S8"

// FuzzKey checks that moving the boundary between two parts always changes
// the key, and that every key has the documented shape.
func FuzzKey(f *testing.F) {
	f.Add("client", "jti", 1)
	f.Add("", "", 0)
	f.Add("a:b", "\x00", 2)
	f.Fuzz(func(t *testing.T, a, b string, cut int) {
		k := onetime.Key(onetime.KindClientAssertion, a, b)
		if len(k) != len(onetime.KindClientAssertion)+44 || !strings.HasPrefix(k, onetime.KindClientAssertion+":") {
			t.Fatalf("key %q has the wrong shape", k)
		}
		joined := a + b
		if cut < 0 || cut > len(joined) {
			return
		}
		a2, b2 := joined[:cut], joined[cut:]
		if a2 == a {
			return
		}
		if onetime.Key(onetime.KindClientAssertion, a2, b2) == k {
			t.Fatalf("(%q, %q) and (%q, %q) give the same key", a, b, a2, b2)
		}
	})
}
