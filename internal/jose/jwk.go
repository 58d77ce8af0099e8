package jose

import (
	"errors"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// ErrPrivateKey refines ErrInvalidKeySet: the JWK holds private or
// symmetric key material ("d", "p", "q", "dp", "dq", "qi", "oth" or "k";
// RFC 7518 §6.2.2, §6.3.2, §6.4, RFC 8037 §2). An error of ParsePublicJWK
// that carries it has Kind ErrInvalidKeySet and Err ErrPrivateKey, so it
// matches both with errors.Is, and its Field names the member found.
var ErrPrivateKey = errors.New("jose: private key material")

// ParsePublicJWK parses one public JWK (RFC 7517 §4), such as the "jwk"
// header member of a DPoP proof (RFC 9449 §4.2), with exactly the rules
// ParseKeySet applies to each key of a set: one JSON object without
// duplicate members, a supported key type and curve (RSA up to MaxRSABits,
// EC P-256/P-384/P-521, OKP Ed25519 that is not a small-order point),
// strict base64url members, and an "x5c", when present, holding the same
// key.
//
// Every error wraps ErrInvalidKeySet. Private or symmetric key material is
// refused with an error that also wraps ErrPrivateKey and whose Field names
// the first such member found, so that callers can tell a leaked private
// key apart from a merely unusable one.
func ParsePublicJWK(raw []byte) (Key, error) {
	if len(raw) > MaxKeySetSize {
		return Key{}, errorf(ErrInvalidKeySet, "", "%d bytes exceeds the limit of %d", len(raw), MaxKeySetSize)
	}
	members, err := strictjson.ParseObject(raw, keySetLimits)
	if err != nil {
		return Key{}, &Error{Kind: ErrInvalidKeySet, Detail: err.Error(), Err: err}
	}
	for _, name := range privateMembers {
		if _, ok := strictjson.Lookup(members, name); ok {
			detail := "private key member in a public JWK"
			if name == "k" {
				detail = "symmetric key (kty oct) in a public JWK"
			}
			return Key{}, &Error{Kind: ErrInvalidKeySet, Field: name, Detail: detail, Err: ErrPrivateKey}
		}
	}
	k, err := parseKey(raw)
	if err != nil {
		if _, ok := err.(*Error); ok {
			return Key{}, err
		}
		return Key{}, &Error{Kind: ErrInvalidKeySet, Detail: err.Error(), Err: err}
	}
	return k, nil
}
