package pkce_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/pkce"
)

// Test vector from RFC 7636 Appendix B.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

// unreserved is every character allowed in a code_verifier (66 of them).
const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

func TestValidateVerifier(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		verifier string
		wantErr  string // substring of the error; empty means valid
	}{
		{name: "RFC 7636 appendix B", verifier: rfcVerifier},
		{name: "minimum length", verifier: strings.Repeat("a", 43)},
		{name: "maximum length", verifier: strings.Repeat("Z", 128)},
		{name: "every unreserved character", verifier: unreserved},
		{name: "every unreserved character twice", verifier: unreserved + unreserved[:62]},
		{name: "empty", verifier: "", wantErr: "length 0"},
		{name: "one short", verifier: strings.Repeat("a", 42), wantErr: "length 42"},
		{name: "one long", verifier: strings.Repeat("a", 129), wantErr: "length 129"},
		{name: "huge", verifier: strings.Repeat("a", 1<<20), wantErr: "length 1048576"},
		{name: "plus", verifier: strings.Repeat("a", 42) + "+", wantErr: "offset 42"},
		{name: "slash", verifier: "/" + strings.Repeat("a", 42), wantErr: "offset 0"},
		{name: "padding", verifier: strings.Repeat("a", 42) + "=", wantErr: "offset 42"},
		{name: "space", verifier: strings.Repeat("a", 20) + " " + strings.Repeat("a", 22), wantErr: "offset 20"},
		{name: "percent-encoded", verifier: strings.Repeat("a", 40) + "%7E", wantErr: "offset 40"},
		{name: "NUL", verifier: strings.Repeat("a", 43) + "\x00", wantErr: "offset 43"},
		{name: "non-ASCII", verifier: strings.Repeat("a", 41) + "é", wantErr: "offset 41"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := pkce.ValidateVerifier(tt.verifier)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, pkce.ErrVerifierMalformed)
			assert.NotErrorIs(t, err, pkce.ErrChallengeMalformed)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "pkce: "))
		})
	}
}

func TestValidateChallenge(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		challenge string
		method    string
		wantErr   error
	}{
		{name: "S256 RFC 7636 appendix B", challenge: rfcChallenge, method: pkce.MethodS256},
		{name: "S256 all A", challenge: strings.Repeat("A", 43), method: pkce.MethodS256},
		{name: "S256 all underscore but last", challenge: strings.Repeat("_", 42) + "w", method: pkce.MethodS256},
		{name: "S256 last char 8", challenge: strings.Repeat("-", 42) + "8", method: pkce.MethodS256},
		{name: "S256 non-canonical last char N", challenge: rfcChallenge[:42] + "N", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 non-canonical last char _", challenge: rfcChallenge[:42] + "_", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 non-canonical last char 9", challenge: rfcChallenge[:42] + "9", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 padded", challenge: rfcChallenge + "=", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 standard base64 plus", challenge: "+" + rfcChallenge[1:], method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 standard base64 slash", challenge: rfcChallenge[:10] + "/" + rfcChallenge[11:], method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 tilde", challenge: "~" + rfcChallenge[1:], method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 dot", challenge: "." + rfcChallenge[1:], method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 too short", challenge: rfcChallenge[:42], method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 too long", challenge: rfcChallenge + "A", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 empty", challenge: "", method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "S256 given a plain-style verifier", challenge: strings.Repeat("a", 64), method: pkce.MethodS256, wantErr: pkce.ErrChallengeMalformed},
		{name: "plain", challenge: rfcVerifier, method: pkce.MethodPlain},
		{name: "plain maximum length", challenge: strings.Repeat("~", 128), method: pkce.MethodPlain},
		{name: "plain too short", challenge: strings.Repeat("a", 42), method: pkce.MethodPlain, wantErr: pkce.ErrChallengeMalformed},
		{name: "plain too long", challenge: strings.Repeat("a", 129), method: pkce.MethodPlain, wantErr: pkce.ErrChallengeMalformed},
		{name: "plain bad character", challenge: strings.Repeat("a", 42) + "+", method: pkce.MethodPlain, wantErr: pkce.ErrChallengeMalformed},
		{name: "absent method is plain", challenge: rfcVerifier, method: ""},
		{name: "absent method with S256 challenge is plain", challenge: rfcChallenge, method: ""},
		{name: "absent method plain syntax", challenge: strings.Repeat("a", 42), method: "", wantErr: pkce.ErrChallengeMalformed},
		{name: "lower-case s256", challenge: rfcChallenge, method: "s256", wantErr: pkce.ErrMethodUnsupported},
		{name: "upper-case PLAIN", challenge: rfcVerifier, method: "PLAIN", wantErr: pkce.ErrMethodUnsupported},
		{name: "S512", challenge: rfcChallenge, method: "S512", wantErr: pkce.ErrMethodUnsupported},
		{name: "S256 with space", challenge: rfcChallenge, method: "S256 ", wantErr: pkce.ErrMethodUnsupported},
		{name: "unsupported method checked before challenge", challenge: "", method: "none", wantErr: pkce.ErrMethodUnsupported},
		{name: "huge method", challenge: rfcChallenge, method: strings.Repeat("x", 1<<16), wantErr: pkce.ErrMethodUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := pkce.ValidateChallenge(tt.challenge, tt.method)
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "pkce: "))
			assert.Less(t, len(err.Error()), 200, "error messages stay short")
		})
	}
}

// TestValidateChallengeCanonicalLastCharacter checks every possible final
// character of an S256 challenge against the decoder's strict mode.
func TestValidateChallengeCanonicalLastCharacter(t *testing.T) {
	t.Parallel()

	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var canonical []byte
	for i := range len(alphabet) {
		c := rfcChallenge[:42] + alphabet[i:i+1]
		_, decodeErr := base64.RawURLEncoding.Strict().DecodeString(c)
		err := pkce.ValidateChallenge(c, pkce.MethodS256)
		assert.Equal(t, decodeErr == nil, err == nil, "last character %q", alphabet[i])
		if err == nil {
			canonical = append(canonical, alphabet[i])
		}
	}
	assert.Equal(t, "AEIMQUYcgkosw048", string(canonical))
}

func TestS256Challenge(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		verifier string
		want     string
	}{
		{name: "RFC 7636 appendix B", verifier: rfcVerifier, want: rfcChallenge},
		{name: "empty input", verifier: "", want: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"},
		{name: "maximum-length verifier", verifier: strings.Repeat("a", 128)},
		{name: "longer than a verifier", verifier: strings.Repeat("b", 129)},
		{name: "not a verifier", verifier: "not a valid verifier é\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sum := sha256.Sum256([]byte(tt.verifier))
			independent := base64.RawURLEncoding.EncodeToString(sum[:])
			if tt.want != "" {
				require.Equal(t, tt.want, independent, "test vector")
			}
			got := pkce.S256Challenge(tt.verifier)
			assert.Equal(t, independent, got)
			assert.NoError(t, pkce.ValidateChallenge(got, pkce.MethodS256))
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()

	otherVerifier := strings.Repeat("x", 43)
	otherChallenge := pkce.S256Challenge(otherVerifier)

	tests := []struct {
		name      string
		verifier  string
		challenge string
		method    string
		wantErr   error
	}{
		{name: "S256 RFC 7636 appendix B", verifier: rfcVerifier, challenge: rfcChallenge, method: pkce.MethodS256},
		{name: "S256 maximum-length verifier", verifier: strings.Repeat("~", 128), challenge: pkce.S256Challenge(strings.Repeat("~", 128)), method: pkce.MethodS256},
		{name: "S256 wrong verifier", verifier: otherVerifier, challenge: rfcChallenge, method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 wrong challenge", verifier: rfcVerifier, challenge: otherChallenge, method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 last character differs", verifier: rfcVerifier, challenge: rfcChallenge[:42] + "N", method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 first character differs", verifier: rfcVerifier, challenge: "F" + rfcChallenge[1:], method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 padded challenge", verifier: rfcVerifier, challenge: rfcChallenge + "=", method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 truncated challenge", verifier: rfcVerifier, challenge: rfcChallenge[:42], method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 empty challenge", verifier: rfcVerifier, challenge: "", method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "S256 stored challenge is the verifier", verifier: rfcVerifier, challenge: rfcVerifier, method: pkce.MethodS256, wantErr: pkce.ErrMismatch},
		{name: "plain", verifier: rfcVerifier, challenge: rfcVerifier, method: pkce.MethodPlain},
		{name: "absent method is plain", verifier: rfcVerifier, challenge: rfcVerifier, method: ""},
		{name: "plain given S256 challenge", verifier: rfcVerifier, challenge: rfcChallenge, method: pkce.MethodPlain, wantErr: pkce.ErrMismatch},
		{name: "absent method given S256 challenge", verifier: rfcVerifier, challenge: rfcChallenge, method: "", wantErr: pkce.ErrMismatch},
		{name: "plain prefix", verifier: rfcVerifier, challenge: rfcVerifier + "a", method: pkce.MethodPlain, wantErr: pkce.ErrMismatch},
		{name: "plain case differs", verifier: rfcVerifier, challenge: strings.ToUpper(rfcVerifier), method: pkce.MethodPlain, wantErr: pkce.ErrMismatch},
		{name: "plain empty challenge", verifier: rfcVerifier, challenge: "", method: pkce.MethodPlain, wantErr: pkce.ErrMismatch},
		{name: "lower-case s256", verifier: rfcVerifier, challenge: rfcChallenge, method: "s256", wantErr: pkce.ErrMethodUnsupported},
		{name: "unknown method", verifier: rfcVerifier, challenge: rfcVerifier, method: "none", wantErr: pkce.ErrMethodUnsupported},
		{name: "verifier too short", verifier: rfcVerifier[:42], challenge: pkce.S256Challenge(rfcVerifier[:42]), method: pkce.MethodS256, wantErr: pkce.ErrVerifierMalformed},
		{name: "verifier too long", verifier: strings.Repeat("a", 129), challenge: pkce.S256Challenge(strings.Repeat("a", 129)), method: pkce.MethodS256, wantErr: pkce.ErrVerifierMalformed},
		{name: "verifier bad character", verifier: rfcVerifier[:42] + "+", challenge: rfcVerifier[:42] + "+", method: pkce.MethodPlain, wantErr: pkce.ErrVerifierMalformed},
		{name: "empty verifier", verifier: "", challenge: "", method: "", wantErr: pkce.ErrVerifierMalformed},
		{name: "verifier checked before method", verifier: "short", challenge: rfcChallenge, method: "s256", wantErr: pkce.ErrVerifierMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := pkce.Verify(tt.verifier, tt.challenge, tt.method)
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			for _, sentinel := range []error{pkce.ErrVerifierMalformed, pkce.ErrChallengeMalformed, pkce.ErrMethodUnsupported, pkce.ErrMismatch} {
				if sentinel != tt.wantErr {
					assert.NotErrorIs(t, err, sentinel)
				}
			}
			if len(tt.verifier) > 0 {
				assert.NotContains(t, err.Error(), tt.verifier, "errors must not echo the verifier")
			}
			if len(tt.challenge) > 0 {
				assert.NotContains(t, err.Error(), tt.challenge, "errors must not echo the challenge")
			}
		})
	}
}

// TestVerifyS256EveryPosition changes the challenge, and then the verifier,
// at every position: the word-wise comparison and the fused alphabet check
// must notice each one.
func TestVerifyS256EveryPosition(t *testing.T) {
	t.Parallel()
	for i := range len(rfcChallenge) {
		b := []byte(rfcChallenge)
		b[i] ^= 0x01
		assert.ErrorIs(t, pkce.Verify(rfcVerifier, string(b), pkce.MethodS256), pkce.ErrMismatch, "challenge byte %d", i)
	}
	long := strings.Repeat("a", 128)
	for _, verifier := range []string{rfcVerifier, long} {
		for i := range len(verifier) {
			b := []byte(verifier)
			b[i] = '+'
			assert.ErrorIs(t, pkce.Verify(string(b), pkce.S256Challenge(string(b)), pkce.MethodS256), pkce.ErrVerifierMalformed, "verifier byte %d", i)
			b[i] = 0x80
			assert.ErrorIs(t, pkce.Verify(string(b), pkce.S256Challenge(string(b)), pkce.MethodS256), pkce.ErrVerifierMalformed, "verifier byte %d", i)
		}
	}
}

func TestSentinelMessages(t *testing.T) {
	t.Parallel()

	sentinels := []error{pkce.ErrVerifierMalformed, pkce.ErrChallengeMalformed, pkce.ErrMethodUnsupported, pkce.ErrMismatch}
	for i, err := range sentinels {
		assert.True(t, strings.HasPrefix(err.Error(), "pkce: "), err.Error())
		for j, other := range sentinels {
			assert.Equal(t, i == j, errors.Is(err, other), "%v vs %v", err, other)
		}
	}
}

func TestVerifyS256DoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if err := pkce.Verify(rfcVerifier, rfcChallenge, pkce.MethodS256); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

func TestS256ChallengeAllocatesOnlyResult(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_ = pkce.S256Challenge(rfcVerifier)
	})
	assert.LessOrEqual(t, allocs, 1.0)
}

func BenchmarkVerifyS256(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := pkce.Verify(rfcVerifier, rfcChallenge, pkce.MethodS256); err != nil {
			b.Fatal(err)
		}
	}
}
