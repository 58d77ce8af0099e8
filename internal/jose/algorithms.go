package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"strings"
)

// JWS algorithm names (RFC 7518 §3.1, RFC 8037 §3.1).
const (
	RS256 = "RS256"
	RS384 = "RS384"
	RS512 = "RS512"
	PS256 = "PS256"
	PS384 = "PS384"
	PS512 = "PS512"
	ES256 = "ES256"
	ES384 = "ES384"
	ES512 = "ES512"
	EdDSA = "EdDSA"
	// Ed25519 is the fully-specified name for EdDSA over Ed25519
	// (RFC 9864); FAPI 2.0 allows it where EdDSA is allowed.
	Ed25519 = "Ed25519"
	HS256   = "HS256"
	HS384   = "HS384"
	HS512   = "HS512"
)

type family uint8

const (
	familyRSAPKCS1 family = iota + 1
	familyRSAPSS
	familyECDSA
	familyEdDSA
	familyHMAC
)

type algInfo struct {
	family family
	hash   crypto.Hash
	curve  string // ECDSA curve name required by the algorithm (RFC 7518 §3.4)
}

func lookupAlg(alg string) (algInfo, bool) {
	switch alg {
	case RS256:
		return algInfo{familyRSAPKCS1, crypto.SHA256, ""}, true
	case RS384:
		return algInfo{familyRSAPKCS1, crypto.SHA384, ""}, true
	case RS512:
		return algInfo{familyRSAPKCS1, crypto.SHA512, ""}, true
	case PS256:
		return algInfo{familyRSAPSS, crypto.SHA256, ""}, true
	case PS384:
		return algInfo{familyRSAPSS, crypto.SHA384, ""}, true
	case PS512:
		return algInfo{familyRSAPSS, crypto.SHA512, ""}, true
	case ES256:
		return algInfo{familyECDSA, crypto.SHA256, "P-256"}, true
	case ES384:
		return algInfo{familyECDSA, crypto.SHA384, "P-384"}, true
	case ES512:
		return algInfo{familyECDSA, crypto.SHA512, "P-521"}, true
	case EdDSA, Ed25519:
		return algInfo{familyEdDSA, 0, ""}, true
	case HS256:
		return algInfo{familyHMAC, crypto.SHA256, ""}, true
	case HS384:
		return algInfo{familyHMAC, crypto.SHA384, ""}, true
	case HS512:
		return algInfo{familyHMAC, crypto.SHA512, ""}, true
	}
	return algInfo{}, false
}

// IsSymmetric reports whether alg is an HMAC algorithm (HS256/384/512).
func IsSymmetric(alg string) bool {
	info, ok := lookupAlg(alg)
	return ok && info.family == familyHMAC
}

// IsAsymmetric reports whether alg is a known public-key signature algorithm.
func IsAsymmetric(alg string) bool {
	info, ok := lookupAlg(alg)
	return ok && info.family != familyHMAC
}

// IsNone reports whether alg names the unsecured JWS algorithm "none" in any
// letter case (RFC 7518 §3.6; RFC 8725 §3.2 — "NONE" and "nOnE" have been used
// to slip past case-sensitive deny lists).
func IsNone(alg string) bool { return strings.EqualFold(alg, "none") }

// keyFits reports whether pub is the kind of key alg needs: RSA for RS*/PS*,
// an EC key on the algorithm's curve for ES*, an Ed25519 key for EdDSA. This
// is the guard against algorithm confusion: a key is only ever used with the
// algorithm family it was made for.
func keyFits(info algInfo, pub crypto.PublicKey) bool {
	switch info.family {
	case familyRSAPKCS1, familyRSAPSS:
		k, ok := pub.(*rsa.PublicKey)
		if ok && k != nil && k.N != nil && k.N.BitLen() > MaxRSABits {
			return false
		}
		return ok && k != nil && k.N != nil && k.N.Sign() > 0
	case familyECDSA:
		k, ok := pub.(*ecdsa.PublicKey)
		return ok && k != nil && k.Curve != nil && k.X != nil && k.Y != nil && curveName(k.Curve) == info.curve
	case familyEdDSA:
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(k) == ed25519.PublicKeySize && !smallOrderEd25519(k)
	}
	return false
}

func curveName(c elliptic.Curve) string {
	switch c {
	case elliptic.P256():
		return "P-256"
	case elliptic.P384():
		return "P-384"
	case elliptic.P521():
		return "P-521"
	}
	return ""
}
