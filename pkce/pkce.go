package pkce

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// Code challenge methods defined by RFC 7636 §4.2 and §4.3. Method names
// are case-sensitive.
const (
	// MethodS256 is code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
	MethodS256 = "S256"
	// MethodPlain is code_challenge = code_verifier. It is also the method
	// in effect when code_challenge_method is absent (RFC 7636 §4.3).
	MethodPlain = "plain"
)

const (
	// minVerifierLen and maxVerifierLen bound a code_verifier (RFC 7636 §4.1).
	minVerifierLen = 43
	maxVerifierLen = 128
	// s256ChallengeLen is the length of an unpadded base64url SHA-256 digest.
	s256ChallengeLen = 43
)

// Sentinel errors. Every error this package returns matches exactly one of
// them with [errors.Is].
var (
	// ErrVerifierMalformed means a code_verifier violates RFC 7636 §4.1.
	ErrVerifierMalformed = errors.New("pkce: malformed code_verifier")
	// ErrChallengeMalformed means a code_challenge cannot be a valid
	// challenge for its method (RFC 7636 §4.2, §4.3).
	ErrChallengeMalformed = errors.New("pkce: malformed code_challenge")
	// ErrMethodUnsupported means a code_challenge_method is neither "S256"
	// nor "plain" (RFC 7636 §4.3, §4.4.1).
	ErrMethodUnsupported = errors.New("pkce: unsupported code_challenge_method")
	// ErrMismatch means the code_verifier does not match the stored
	// code_challenge (RFC 7636 §4.6).
	ErrMismatch = errors.New("pkce: code_verifier does not match code_challenge")
)

// isUnreserved reports whether c is an RFC 3986 unreserved character, the
// alphabet of a code_verifier (RFC 7636 §4.1).
func isUnreserved(c byte) bool { return notUnreserved[c] == 0 }

// notUnreserved is the complement of the RFC 7636 §4.1 character set as a
// table (1 for a character outside it): one load per character, and no
// branch, on the verification path.
var notUnreserved = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if !(('A' <= b && b <= 'Z') || ('a' <= b && b <= 'z') || ('0' <= b && b <= '9') ||
			b == '-' || b == '.' || b == '_' || b == '~') {
			t[c] = 1
		}
	}
	return t
}()

// base64URLValue returns the 6-bit value of a base64url character
// (RFC 4648 §5) and whether c is one.
func base64URLValue(c byte) (byte, bool) {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A', true
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26, true
	case '0' <= c && c <= '9':
		return c - '0' + 52, true
	case c == '-':
		return 62, true
	case c == '_':
		return 63, true
	}
	return 0, false
}

// checkUnreserved reports, without echoing the value, why s is not 43..128
// unreserved characters.
func checkUnreserved(s string, sentinel error) error {
	if n := len(s); n < minVerifierLen || n > maxVerifierLen {
		return fmt.Errorf("%w: length %d, want %d to %d characters", sentinel, n, minVerifierLen, maxVerifierLen)
	}
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			return fmt.Errorf("%w: character at offset %d is not an unreserved character", sentinel, i)
		}
	}
	return nil
}

// ValidateVerifier checks code_verifier syntax, RFC 7636 §4.1: 43 to 128
// characters from [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". It
// returns nil or an error matching [ErrVerifierMalformed].
func ValidateVerifier(verifier string) error {
	return checkUnreserved(verifier, ErrVerifierMalformed)
}

// ValidateChallenge checks code_challenge syntax for the given
// code_challenge_method, RFC 7636 §4.2 and §4.3:
//
//   - An empty method means "plain": RFC 7636 §4.3 makes "plain" the
//     default when code_challenge_method is absent.
//   - "plain": the challenge is the verifier itself, so it must have
//     verifier syntax (43 to 128 unreserved characters).
//   - "S256": the challenge must be exactly 43 characters of the base64url
//     alphabet [A-Za-z0-9_-] without padding, and canonical: 43 characters
//     carry 258 bits for a 256-bit digest, so the two low-order bits of the
//     last character must be zero (it must be one of "AEIMQUYcgkosw048").
//     A non-canonical challenge can never equal
//     BASE64URL-ENCODE(SHA256(verifier)), so it is malformed.
//   - Any other method, including differently-cased names such as "s256",
//     yields an error matching [ErrMethodUnsupported].
//
// Malformed challenges yield an error matching [ErrChallengeMalformed].
func ValidateChallenge(challenge, method string) error {
	switch method {
	case MethodPlain, "":
		return checkUnreserved(challenge, ErrChallengeMalformed)
	case MethodS256:
		return validateS256Challenge(challenge)
	default:
		return unsupported(method)
	}
}

func validateS256Challenge(challenge string) error {
	if len(challenge) != s256ChallengeLen {
		return fmt.Errorf("%w: length %d, want %d characters for S256", ErrChallengeMalformed, len(challenge), s256ChallengeLen)
	}
	for i := 0; i < len(challenge); i++ {
		if _, ok := base64URLValue(challenge[i]); !ok {
			return fmt.Errorf("%w: character at offset %d is not in the base64url alphabet", ErrChallengeMalformed, i)
		}
	}
	if v, _ := base64URLValue(challenge[s256ChallengeLen-1]); v&0x03 != 0 {
		return fmt.Errorf("%w: non-canonical base64url encoding of a SHA-256 digest", ErrChallengeMalformed)
	}
	return nil
}

// unsupported returns an ErrMethodUnsupported error. The method is quoted
// and truncated because it is attacker-controlled.
func unsupported(method string) error {
	const maxShown = 32
	if len(method) > maxShown {
		return fmt.Errorf("%w: %q (truncated)", ErrMethodUnsupported, method[:maxShown])
	}
	return fmt.Errorf("%w: %q", ErrMethodUnsupported, method)
}

// s256 writes BASE64URL-ENCODE(SHA256(ASCII(verifier))) into dst without
// allocating.
func s256(dst *[s256ChallengeLen]byte, verifier string) {
	var buf [maxVerifierLen]byte
	var sum [sha256.Size]byte
	if len(verifier) <= len(buf) {
		n := copy(buf[:], verifier)
		sum = sha256.Sum256(buf[:n])
	} else {
		sum = sha256.Sum256([]byte(verifier))
	}
	base64.RawURLEncoding.Encode(dst[:], sum[:])
}

// S256Challenge returns the S256 code_challenge for verifier, RFC 7636
// §4.2: BASE64URL-ENCODE(SHA256(ASCII(verifier))) without padding. It does
// not validate verifier; use [ValidateVerifier] for that.
func S256Challenge(verifier string) string {
	var dst [s256ChallengeLen]byte
	s256(&dst, verifier)
	return string(dst[:])
}

// Verify checks a token request's code_verifier against the code_challenge
// and code_challenge_method stored with the authorization code, RFC 7636
// §4.6. In order, it:
//
//  1. validates the verifier syntax (RFC 7636 §4.1), returning an error
//     matching [ErrVerifierMalformed];
//  2. checks the method, where "" means "plain" (RFC 7636 §4.3), returning
//     an error matching [ErrMethodUnsupported] for anything else than
//     "S256" and "plain";
//  3. compares in constant time: for S256 the challenge computed from the
//     verifier against the stored challenge, for plain the verifier
//     against the stored challenge, returning [ErrMismatch] if they differ.
//
// Only the lengths of the compared values, which are public, influence the
// running time of the comparison. Verify does not allocate on the S256
// success path.
func Verify(verifier, challenge, method string) error {
	switch method {
	case MethodS256:
		return verifyS256(verifier, challenge)
	case MethodPlain, "":
		if err := ValidateVerifier(verifier); err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) != 1 {
			return ErrMismatch
		}
		return nil
	default:
		if err := ValidateVerifier(verifier); err != nil {
			return err
		}
		return unsupported(method)
	}
}

// verifyS256 is Verify for S256 on the hot path of a token endpoint. It
// copies the verifier to the stack and checks its alphabet in the same
// pass, hashes the copy, and compares the encoded digest with the
// challenge a word at a time. Nothing it does depends on the secret
// values but their length, which is public (RFC 7636 §4.1 fixes it to
// 43..128).
func verifyS256(verifier, challenge string) error {
	n := len(verifier)
	if n < minVerifierLen || n > maxVerifierLen {
		return ValidateVerifier(verifier)
	}
	var buf [maxVerifierLen]byte
	var bad byte
	for i := 0; i < n; i++ {
		c := verifier[i]
		buf[i] = c
		bad |= notUnreserved[c]
	}
	if bad != 0 {
		return ValidateVerifier(verifier) // finds the offset for the message
	}
	sum := sha256.Sum256(buf[:n])
	var computed [challengeWords * 8]byte
	base64.RawURLEncoding.Encode(computed[:s256ChallengeLen], sum[:])
	if !equalS256(&computed, challenge) {
		return ErrMismatch
	}
	return nil
}

// challengeWords is the number of 64-bit words that hold an S256
// challenge (43 bytes, padded with zeros to 48).
const challengeWords = (s256ChallengeLen + 7) / 8

// equalS256 reports whether challenge equals computed[:43] (the rest of
// computed is zero). If the lengths match, it examines every byte
// regardless of where they differ.
func equalS256(computed *[challengeWords * 8]byte, challenge string) bool {
	if len(challenge) != s256ChallengeLen {
		return false
	}
	var got [challengeWords * 8]byte
	copy(got[:], challenge)
	var diff uint64
	for i := 0; i < len(got); i += 8 {
		diff |= binary.LittleEndian.Uint64(computed[i:]) ^ binary.LittleEndian.Uint64(got[i:])
	}
	return subtle.ConstantTimeEq(int32(uint32(diff)|uint32(diff>>32)), 0) == 1
}
