package pkce_test

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"testing"

	"github.com/fapicheck/fapicheck/pkce"
)

// BenchmarkFloorPKCE is what no S256 verification can skip: hash the
// verifier, encode the digest, compare it with the challenge in constant
// time.
func BenchmarkFloorPKCE(b *testing.B) {
	b.ReportAllocs()
	challenge := []byte(rfcChallenge)
	var enc [43]byte
	for b.Loop() {
		sum := sha256.Sum256([]byte(rfcVerifier))
		base64.RawURLEncoding.Encode(enc[:], sum[:])
		if subtle.ConstantTimeCompare(enc[:], challenge) != 1 {
			b.Fatal("mismatch")
		}
	}
}

// BenchmarkPKCEVerify is the library's verification of the same verifier,
// which also checks the verifier's and the challenge's syntax.
func BenchmarkPKCEVerify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := pkce.Verify(rfcVerifier, rfcChallenge, pkce.MethodS256); err != nil {
			b.Fatal(err)
		}
	}
}
