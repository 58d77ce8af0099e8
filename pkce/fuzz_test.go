package pkce_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/fapicheck/fapicheck/pkce"
)

func isUnreservedReference(s string) bool {
	for _, c := range []byte(s) {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// FuzzValidateVerifier checks that ValidateVerifier never panics and that
// everything it accepts is 43..128 unreserved characters.
func FuzzValidateVerifier(f *testing.F) {
	f.Add(rfcVerifier)
	f.Add("")
	f.Add("short")
	f.Fuzz(func(t *testing.T, verifier string) {
		err := pkce.ValidateVerifier(verifier)
		want := len(verifier) >= 43 && len(verifier) <= 128 && isUnreservedReference(verifier)
		if want != (err == nil) {
			t.Fatalf("ValidateVerifier(%q) = %v; reference says valid = %v", verifier, err, want)
		}
		if err != nil && !errors.Is(err, pkce.ErrVerifierMalformed) {
			t.Fatalf("ValidateVerifier(%q) error %v does not match ErrVerifierMalformed", verifier, err)
		}
	})
}

// FuzzValidateChallenge checks that ValidateChallenge never panics, that
// every accepted S256 challenge is the strict base64url encoding of 32
// bytes, and that every accepted plain challenge is verifier syntax.
func FuzzValidateChallenge(f *testing.F) {
	f.Add(rfcChallenge, pkce.MethodS256)
	f.Add(rfcVerifier, pkce.MethodPlain)
	f.Add(rfcVerifier, "")
	f.Add(rfcChallenge, "s256")
	f.Fuzz(func(t *testing.T, challenge, method string) {
		err := pkce.ValidateChallenge(challenge, method)
		switch method {
		case pkce.MethodS256:
			// The decoder skips '\r' and '\n' even in strict mode, so
			// only a challenge that re-encodes to itself is canonical.
			raw, decodeErr := base64.RawURLEncoding.Strict().DecodeString(challenge)
			want := decodeErr == nil && len(raw) == sha256.Size &&
				base64.RawURLEncoding.EncodeToString(raw) == challenge
			if want != (err == nil) {
				t.Fatalf("ValidateChallenge(%q, S256) = %v; strict decoding gives %d bytes, %v", challenge, err, len(raw), decodeErr)
			}
			if err != nil && !errors.Is(err, pkce.ErrChallengeMalformed) {
				t.Fatalf("ValidateChallenge(%q, S256) error %v does not match ErrChallengeMalformed", challenge, err)
			}
		case pkce.MethodPlain, "":
			if (pkce.ValidateVerifier(challenge) == nil) != (err == nil) {
				t.Fatalf("ValidateChallenge(%q, %q) = %v disagrees with verifier syntax", challenge, method, err)
			}
			if err != nil && !errors.Is(err, pkce.ErrChallengeMalformed) {
				t.Fatalf("ValidateChallenge(%q, %q) error %v does not match ErrChallengeMalformed", challenge, method, err)
			}
		default:
			if !errors.Is(err, pkce.ErrMethodUnsupported) {
				t.Fatalf("ValidateChallenge(%q, %q) = %v; want ErrMethodUnsupported", challenge, method, err)
			}
		}
	})
}

// FuzzVerify checks that Verify never panics, that what it accepts is
// consistent with ValidateVerifier and ValidateChallenge, and that a
// verifier always matches its own S256 challenge.
func FuzzVerify(f *testing.F) {
	f.Add(rfcVerifier, rfcChallenge, pkce.MethodS256)
	f.Add(rfcVerifier, rfcVerifier, pkce.MethodPlain)
	f.Add(rfcVerifier, rfcVerifier, "")
	f.Add(rfcVerifier, rfcVerifier, pkce.MethodS256)
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, verifier, challenge, method string) {
		err := pkce.Verify(verifier, challenge, method)
		if err == nil {
			if pkce.ValidateVerifier(verifier) != nil {
				t.Fatalf("Verify accepted malformed verifier %q", verifier)
			}
			if cerr := pkce.ValidateChallenge(challenge, method); cerr != nil {
				t.Fatalf("Verify(%q, %q, %q) accepted a challenge ValidateChallenge rejects: %v", verifier, challenge, method, cerr)
			}
		}
		sentinels := 0
		for _, s := range []error{pkce.ErrVerifierMalformed, pkce.ErrMethodUnsupported, pkce.ErrMismatch} {
			if errors.Is(err, s) {
				sentinels++
			}
		}
		if err != nil && sentinels != 1 {
			t.Fatalf("Verify(%q, %q, %q) error %v matches %d sentinels, want 1", verifier, challenge, method, err, sentinels)
		}

		own := pkce.S256Challenge(verifier)
		sum := sha256.Sum256([]byte(verifier))
		if own != base64.RawURLEncoding.EncodeToString(sum[:]) {
			t.Fatalf("S256Challenge(%q) = %q is wrong", verifier, own)
		}
		if cerr := pkce.ValidateChallenge(own, pkce.MethodS256); cerr != nil {
			t.Fatalf("S256Challenge(%q) = %q fails ValidateChallenge: %v", verifier, own, cerr)
		}
		verr := pkce.ValidateVerifier(verifier)
		if method == pkce.MethodS256 {
			// The reference: a valid verifier whose encoded digest is the
			// challenge, byte for byte.
			if want := verr == nil && challenge == own; want != (err == nil) {
				t.Fatalf("Verify(%q, %q, S256) = %v; the reference says accepted = %v", verifier, challenge, err, want)
			}
		}
		if got := pkce.Verify(verifier, own, pkce.MethodS256); (got == nil) != (verr == nil) {
			t.Fatalf("Verify(%q, own S256 challenge) = %v, but ValidateVerifier = %v", verifier, got, verr)
		}
		if got := pkce.Verify(verifier, verifier, pkce.MethodPlain); (got == nil) != (verr == nil) {
			t.Fatalf("Verify(%q, itself, plain) = %v, but ValidateVerifier = %v", verifier, got, verr)
		}
	})
}
