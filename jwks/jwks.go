// Package jwks holds a client's public keys, parsed once from a JWK Set
// (RFC 7517 §5) or built from crypto.PublicKey values, for reuse across
// requests and goroutines. The request object, client assertion and mTLS
// checks verify signatures and certificates only against a Set: a key
// offered inside a JWS header is never used.
package jwks

import (
	"crypto"

	"github.com/fapicheck/fapicheck/internal/jose"
)

// Set is an immutable set of public keys, safe for concurrent use.
type Set = jose.KeySet

// Key is one public key of a Set with the JWK members that restrict its use
// (kid, alg, use, key_ops), its "x5c" certificates and its RFC 7638
// thumbprint.
type Key = jose.Key

// ErrInvalid is wrapped by every error of Parse and FromPublicKeys.
var ErrInvalid = jose.ErrInvalidKeySet

// Limits on a JWK Set.
const (
	MaxSize = jose.MaxKeySetSize // bytes
	MaxKeys = jose.MaxKeys
)

// Parse parses a JWK Set of public keys. It refuses duplicate JSON members,
// more than MaxKeys keys or MaxSize bytes, private or symmetric key material
// (a client's private keys or secrets never belong in its registration),
// unsupported key types or curves, and an "x5c" whose first certificate does
// not hold the key (RFC 7517 §4.7). Keys with "use":"enc" are kept but never
// used to verify signatures. Key sizes are not judged here: the checks that
// use the keys apply each profile's minimums (package keysize).
func Parse(data []byte) (*Set, error) { return jose.ParseKeySet(data) }

// FromPublicKeys builds a Set from *rsa.PublicKey, *ecdsa.PublicKey (P-256,
// P-384, P-521) or ed25519.PublicKey values, for servers that hold client keys
// in that form. The keys carry no kid, alg or use restriction.
func FromPublicKeys(keys ...crypto.PublicKey) (*Set, error) { return jose.NewKeySet(keys...) }
