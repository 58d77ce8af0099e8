package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// Limits on a JWK Set, so that a hostile client registration cannot make
// every later verification expensive.
const (
	// MaxRSABits is the largest RSA modulus accepted. Larger keys are not
	// needed by any profile and make every verification expensive.
	MaxRSABits = 8192
	// MaxKeySetSize is the largest JWK Set accepted, in bytes.
	MaxKeySetSize = 256 << 10
	// MaxKeys is the largest number of keys in one set.
	MaxKeys = 64
)

var keySetLimits = strictjson.Limits{MaxDepth: 8, MaxMembers: 64}

// Key is one public key of a JWK Set, with the JWK members that restrict its
// use (RFC 7517 §4).
type Key struct {
	ID        string           // "kid"
	Algorithm string           // "alg"
	Use       string           // "use"
	Ops       []string         // "key_ops"
	Type      string           // "kty": "RSA", "EC" or "OKP"
	Public    crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	// Certificates is the decoded "x5c" chain; its first certificate holds
	// the same public key (checked when the set is parsed).
	Certificates []*x509.Certificate
	// Thumbprint is the RFC 7638 SHA-256 JWK thumbprint, base64url-encoded.
	Thumbprint string
}

// KeySet is an immutable, parsed set of public keys, safe for concurrent use.
type KeySet struct {
	keys []Key
}

// Keys returns the keys in set order. The slice must not be modified.
func (s *KeySet) Keys() []Key {
	if s == nil {
		return nil
	}
	return s.keys
}

// Len returns the number of keys.
func (s *KeySet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.keys)
}

// ParseKeySet parses a JWK Set (RFC 7517 §5) of public keys. It refuses, with
// an error wrapping ErrInvalidKeySet: duplicate JSON members, a missing or
// non-array "keys", more than MaxKeys keys, private or symmetric key material
// (a client's private keys or secrets never belong in its registration),
// unsupported key types or curves on a signing key, and an "x5c" whose first
// certificate does not hold the JWK's public key (RFC 7517 §4.7). Keys whose
// "use" is "enc" are kept, but never used to verify a signature.
func ParseKeySet(data []byte) (*KeySet, error) {
	if len(data) > MaxKeySetSize {
		return nil, errorf(ErrInvalidKeySet, "", "%d bytes exceeds the limit of %d", len(data), MaxKeySetSize)
	}
	members, err := strictjson.ParseObject(data, keySetLimits)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidKeySet, Detail: err.Error(), Err: err}
	}
	keysMember, ok := strictjson.Lookup(members, "keys")
	if !ok || keysMember.Kind != strictjson.Array {
		return nil, errorf(ErrInvalidKeySet, "keys", "a JWK Set needs a \"keys\" array")
	}
	var raws [][]byte
	notObject := false
	keysMember.Elements(func(el strictjson.Member) bool {
		raws = append(raws, el.Raw)
		notObject = el.Kind != strictjson.Object
		return !notObject
	})
	if notObject {
		return nil, errorf(ErrInvalidKeySet, "keys", "every element must be a JSON object")
	}
	if len(raws) > MaxKeys {
		return nil, errorf(ErrInvalidKeySet, "keys", "%d keys exceeds the limit of %d", len(raws), MaxKeys)
	}
	set := &KeySet{keys: make([]Key, 0, len(raws))}
	for i, raw := range raws {
		k, err := parseKey(raw)
		if err != nil {
			var je *Error
			if e, ok := err.(*Error); ok {
				je = e
			} else {
				je = &Error{Kind: ErrInvalidKeySet, Detail: err.Error(), Err: err}
			}
			je.Field = fmt.Sprintf("keys[%d]", i)
			return nil, je
		}
		set.keys = append(set.keys, k)
	}
	return set, nil
}

var privateMembers = [...]string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// parseKey parses one public JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2).
// The key material is decoded here with the standard library rather than
// by jwx, whose parser enforces a process-wide minimum RSA size: the profile
// minimums are applied by the callers, per profile, so that a small key is
// reported as too small rather than as unparsable.
func parseKey(raw []byte) (Key, error) {
	members, err := strictjson.ParseObject(raw, keySetLimits)
	if err != nil {
		return Key{}, err
	}
	if err := refusePrivate(members); err != nil {
		return Key{}, err
	}
	var k Key
	var mat keyMaterial
	if err := readKeyMembers(members, &k, &mat); err != nil {
		return Key{}, err
	}
	if err := k.setPublic(&mat); err != nil {
		return Key{}, err
	}
	if m, ok := strictjson.Lookup(members, "x5c"); ok {
		certs, err := parseX5C(m.Raw)
		if err != nil {
			return Key{}, err
		}
		if !samePublicKey(certs[0].PublicKey, k.Public) {
			return Key{}, errorf(ErrInvalidKeySet, "x5c", "the first certificate does not hold the JWK's public key")
		}
		k.Certificates = certs
	}
	return k, nil
}

// refusePrivate refuses a JWK with private or symmetric key members (RFC
// 7518 §6.2.2, §6.3.2, §6.4) in a public key set.
func refusePrivate(members []strictjson.Member) error {
	for _, name := range privateMembers {
		if _, ok := strictjson.Lookup(members, name); ok {
			if name == "k" {
				return errorf(ErrInvalidKeySet, "", "symmetric key (kty oct) in a public key set")
			}
			return errorf(ErrInvalidKeySet, "", "private key member %q in a public key set", name)
		}
	}
	return nil
}

// keyMaterial holds the key material members of a JWK (RFC 7518 §6.2.1,
// §6.3.1; RFC 8037 §2) as sent.
type keyMaterial struct {
	n, e, crv, x, y string
}

// readKeyMembers reads the JWK parameters of RFC 7517 §4 into k and the key
// material members into mat, each with its JSON type checked.
func readKeyMembers(members []strictjson.Member, k *Key, mat *keyMaterial) error {
	for _, m := range members {
		var err error
		switch m.Name {
		case "kid":
			k.ID, err = m.StringValue()
		case "alg":
			k.Algorithm, err = m.StringValue()
		case "use":
			k.Use, err = m.StringValue()
		case "kty":
			k.Type, err = m.StringValue()
		case "key_ops":
			k.Ops, err = strictjson.DecodeStrings(m.Raw)
		case "n":
			mat.n, err = m.StringValue()
		case "e":
			mat.e, err = m.StringValue()
		case "crv":
			mat.crv, err = m.StringValue()
		case "x":
			mat.x, err = m.StringValue()
		case "y":
			mat.y, err = m.StringValue()
		}
		if err != nil {
			return errorf(ErrInvalidKeySet, m.Name, "wrong JSON type")
		}
	}
	return nil
}

// setPublic decodes the key material of k's kty (RFC 7518 §6.2, §6.3; RFC
// 8037 §2) into k.Public and computes its RFC 7638 thumbprint from the
// required members in lexicographic order.
func (k *Key) setPublic(mat *keyMaterial) error {
	var err error
	switch k.Type {
	case "RSA":
		k.Public, err = rsaKey(mat.n, mat.e)
		k.Thumbprint = thumbprint(`{"e":"` + mat.e + `","kty":"RSA","n":"` + mat.n + `"}`)
	case "EC":
		k.Public, err = ecKey(mat.crv, mat.x, mat.y)
		k.Thumbprint = thumbprint(`{"crv":"` + mat.crv + `","kty":"EC","x":"` + mat.x + `","y":"` + mat.y + `"}`)
	case "OKP":
		k.Public, err = okpKey(mat.crv, mat.x)
		k.Thumbprint = thumbprint(`{"crv":"` + mat.crv + `","kty":"OKP","x":"` + mat.x + `"}`)
	case "":
		return errorf(ErrInvalidKeySet, "kty", "missing")
	default:
		return errorf(ErrInvalidKeySet, "kty", "unsupported key type %q", k.Type)
	}
	return err
}

// member decodes a base64url key member strictly (RFC 7518 §6: no padding,
// canonical).
func member(name, v string) ([]byte, error) {
	if v == "" {
		return nil, errorf(ErrInvalidKeySet, name, "missing")
	}
	b, err := decodeSegment(v)
	if err != nil {
		return nil, errorf(ErrInvalidKeySet, name, "%v", err)
	}
	return b, nil
}

func rsaKey(n64, e64 string) (*rsa.PublicKey, error) {
	n, err := member("n", n64)
	if err != nil {
		return nil, err
	}
	e, err := member("e", e64)
	if err != nil {
		return nil, err
	}
	// RFC 7518 §6.3.1: the minimum number of octets.
	if n[0] == 0 || e[0] == 0 {
		return nil, errorf(ErrInvalidKeySet, "n", "leading zero octets")
	}
	if nb := new(big.Int).SetBytes(n).BitLen(); nb > MaxRSABits {
		return nil, errorf(ErrInvalidKeySet, "n", "a %d-bit RSA modulus is larger than %d bits", nb, MaxRSABits)
	}
	if len(e) > 4 {
		return nil, errorf(ErrInvalidKeySet, "e", "public exponent too large")
	}
	// Accumulated in 64 bits: an int is 32 bits on some platforms, where a
	// four-octet exponent would wrap to a negative value.
	var ev uint64
	for _, b := range e {
		ev = ev<<8 | uint64(b)
	}
	if ev > 1<<31-1 {
		return nil, errorf(ErrInvalidKeySet, "e", "public exponent too large")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ev)}, nil
}

func ecKey(crv, x64, y64 string) (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	switch crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	default:
		return nil, errorf(ErrInvalidKeySet, "crv", "unsupported curve %q", crv)
	}
	x, err := member("x", x64)
	if err != nil {
		return nil, err
	}
	y, err := member("y", y64)
	if err != nil {
		return nil, err
	}
	size := (curve.Params().BitSize + 7) / 8
	// RFC 7518 §6.2.1.2-3: coordinates are the full size of the field.
	if len(x) != size || len(y) != size {
		return nil, errorf(ErrInvalidKeySet, "x", "coordinates must be %d octets for %s", size, crv)
	}
	point := make([]byte, 0, 1+2*size)
	point = append(point, 4)
	point = append(point, x...)
	point = append(point, y...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidKeySet, Field: "x", Detail: "not a point on " + crv, Err: err}
	}
	return pub, nil
}

func okpKey(crv, x64 string) (ed25519.PublicKey, error) {
	if crv != "Ed25519" {
		return nil, errorf(ErrInvalidKeySet, "crv", "unsupported OKP curve %q", crv)
	}
	x, err := member("x", x64)
	if err != nil {
		return nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return nil, errorf(ErrInvalidKeySet, "x", "an Ed25519 key is %d octets", ed25519.PublicKeySize)
	}
	if smallOrderEd25519(x) {
		return nil, errorf(ErrInvalidKeySet, "x", "a small-order Ed25519 point is not a usable key")
	}
	return ed25519.PublicKey(x), nil
}

// smallOrderEd25519Points are the encodings of the Ed25519 points of small
// order (and their non-canonical aliases), without the sign bit. With such
// a "public key", signatures can be forged for any message; RFC 8032
// verification does not exclude them, so they are refused as keys.
var smallOrderEd25519Points = [...][32]byte{
	{0x00}, // order 4
	{0x01}, // the identity
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05}, // order 8
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a}, // order 8
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p-1, order 2
	{0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p, non-canonical 0
	{0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p+1, non-canonical 1
}

func smallOrderEd25519(x []byte) bool {
	if len(x) != 32 {
		return false
	}
	for _, p := range smallOrderEd25519Points {
		if [31]byte(x[:31]) == [31]byte(p[:31]) && x[31]&0x7f == p[31] {
			return true
		}
	}
	return false
}

// thumbprint is the RFC 7638 SHA-256 thumbprint of the canonical JSON of
// the required members (already in lexicographic order, no whitespace).
func thumbprint(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Thumbprint returns the RFC 7638 SHA-256 JWK thumbprint (base64url) of an
// RSA, EC (P-256/384/521) or Ed25519 public key.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	enc := base64.RawURLEncoding.EncodeToString
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if p == nil || p.N == nil || p.N.Sign() <= 0 || p.E <= 0 {
			return "", errorf(ErrInvalidKeySet, "", "invalid RSA key")
		}
		e := big.NewInt(int64(p.E)).Bytes()
		return thumbprint(`{"e":"` + enc(e) + `","kty":"RSA","n":"` + enc(p.N.Bytes()) + `"}`), nil
	case *ecdsa.PublicKey:
		if p == nil || p.Curve == nil || p.X == nil || p.Y == nil {
			return "", errorf(ErrInvalidKeySet, "", "invalid EC key")
		}
		name := curveName(p.Curve)
		if name == "" {
			return "", errorf(ErrInvalidKeySet, "crv", "unsupported curve")
		}
		b, err := p.Bytes()
		if err != nil {
			return "", &Error{Kind: ErrInvalidKeySet, Detail: "invalid EC key", Err: err}
		}
		size := (len(b) - 1) / 2
		return thumbprint(`{"crv":"` + name + `","kty":"EC","x":"` + enc(b[1:1+size]) + `","y":"` + enc(b[1+size:]) + `"}`), nil
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return "", errorf(ErrInvalidKeySet, "", "invalid Ed25519 key")
		}
		return thumbprint(`{"crv":"Ed25519","kty":"OKP","x":"` + enc(p) + `"}`), nil
	}
	return "", errorf(ErrInvalidKeySet, "", "unsupported key type %T", pub)
}

func parseX5C(raw []byte) ([]*x509.Certificate, error) {
	items, err := strictjson.DecodeStrings(raw)
	if err != nil {
		return nil, errorf(ErrInvalidKeySet, "x5c", "must be an array of strings")
	}
	if len(items) == 0 {
		return nil, errorf(ErrInvalidKeySet, "x5c", "empty")
	}
	certs := make([]*x509.Certificate, 0, len(items))
	for _, s := range items {
		// RFC 7517 §4.7: base64 (not base64url) DER.
		der, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, errorf(ErrInvalidKeySet, "x5c", "not base64-encoded DER")
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, &Error{Kind: ErrInvalidKeySet, Field: "x5c", Detail: "not a certificate", Err: err}
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// samePublicKey reports whether a and b are the same public key. Both must
// be complete RSA, EC or Ed25519 public keys: the standard library's Equal
// methods dereference the key and its big.Int fields, so a typed nil or a
// key without its numbers would panic there.
func samePublicKey(a, b crypto.PublicKey) bool {
	if !completePublicKey(a) || !completePublicKey(b) {
		return false
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	ea, ok := a.(equaler)
	return ok && ea.Equal(b)
}

// completePublicKey reports whether pub is a non-nil RSA, EC or Ed25519
// public key with all of its numbers set.
func completePublicKey(pub crypto.PublicKey) bool {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return p != nil && p.N != nil
	case *ecdsa.PublicKey:
		return p != nil && p.Curve != nil && p.X != nil && p.Y != nil
	case ed25519.PublicKey:
		return len(p) == ed25519.PublicKeySize
	}
	return false
}

// SamePublicKey reports whether a and b are the same public key (RSA, EC or
// Ed25519). It is false for nil or unknown key types.
func SamePublicKey(a, b crypto.PublicKey) bool { return samePublicKey(a, b) }

// NewKeySet builds a KeySet from public keys the caller already holds, for
// servers that keep client keys as crypto.PublicKey values rather than JWK
// Sets. The keys get no kid, alg or use restriction.
func NewKeySet(pubs ...crypto.PublicKey) (*KeySet, error) {
	if len(pubs) > MaxKeys {
		return nil, errorf(ErrInvalidKeySet, "", "%d keys exceeds the limit of %d", len(pubs), MaxKeys)
	}
	set := &KeySet{keys: make([]Key, 0, len(pubs))}
	for i, p := range pubs {
		field := fmt.Sprintf("keys[%d]", i)
		k := Key{Public: p}
		switch p.(type) {
		case *rsa.PublicKey:
			k.Type = "RSA"
		case *ecdsa.PublicKey:
			k.Type = "EC"
		case ed25519.PublicKey:
			k.Type = "OKP"
		default:
			return nil, errorf(ErrInvalidKeySet, field, "unsupported key type %T (pass a public key)", p)
		}
		tp, err := Thumbprint(p)
		if err != nil {
			var je *Error
			if errors.As(err, &je) {
				je.Field = field
			}
			return nil, err
		}
		k.Thumbprint = tp
		set.keys = append(set.keys, k)
	}
	return set, nil
}

// usableFor reports whether k may verify a signature made with alg (RFC 7517
// §4.2–4.4: "use", "key_ops" and "alg" restrict a key).
func (k *Key) usableFor(alg string, info algInfo) bool {
	if k.Use != "" && k.Use != "sig" {
		return false
	}
	// An explicit key_ops, even an empty one, lists every permitted use.
	if k.Ops != nil && !contains(k.Ops, "verify") {
		return false
	}
	if k.Algorithm != "" && k.Algorithm != alg {
		// "EdDSA" and "Ed25519" name the same algorithm for Ed25519 keys.
		if !(info.family == familyEdDSA && (k.Algorithm == EdDSA || k.Algorithm == Ed25519)) {
			return false
		}
	}
	return keyFits(info, k.Public)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ThumbprintSHA256 returns the base64url SHA-256 of data; used for the
// x5t#S256 certificate thumbprint (RFC 8705 §3.1).
func ThumbprintSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
