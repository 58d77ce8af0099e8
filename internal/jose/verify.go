package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/lestrrat-go/jwx/v3/jws/jwsbb"
)

// MaxCandidates is the largest number of keys Verify tries for one token;
// a client with more keys of the same kind must name the key with kid.
const MaxCandidates = 4

// Verify checks the signature of t. The header's alg must be in allowed
// (checked first, before any key is looked at: RFC 8725 §3.1); the key comes
// only from keys: when the header names a kid, only keys with that kid are
// candidates, or, when no key has it, the keys registered without a kid
// (RFC 7515 §4.1.4); a candidate must also suit the algorithm
// (key type and curve), and its "use", "key_ops" and "alg" must permit it.
// Verify returns the key that verified the signature.
//
// Errors wrap ErrAlgNotAllowed, ErrNoKey or ErrSignatureInvalid.
func (t *JWS) Verify(allowed []string, keys *KeySet) (*Key, error) {
	alg := t.Header.Alg
	info, err := t.checkAlg(allowed)
	if err != nil {
		return nil, err
	}
	if info.family == familyHMAC {
		return nil, errorf(ErrAlgNotAllowed, "alg", "%q needs a shared secret, not a public key", alg)
	}
	// A kid in the header selects the registered keys with that kid; keys
	// registered without a kid (for example from crypto.PublicKey values)
	// are tried only when no key carries the kid. A key registered under
	// another kid is never tried.
	kidMatch := false
	if t.Header.Kid != "" {
		for i := range keys.Keys() {
			if keys.keys[i].ID == t.Header.Kid {
				kidMatch = true
				break
			}
		}
	}
	candidates := 0
	for i := range keys.Keys() {
		k := &keys.keys[i]
		if t.Header.Kid != "" && k.ID != t.Header.Kid && (kidMatch || k.ID != "") {
			continue
		}
		if !k.usableFor(alg, info) {
			continue
		}
		candidates++
		if candidates > MaxCandidates {
			// Bound the work a token without a precise kid can cause.
			return nil, errorf(ErrNoKey, "kid", "more than %d registered keys could verify %s; the token must name its key with kid", MaxCandidates, alg)
		}
		if verifyWith(info, k, t.signingInput, t.signature) == nil {
			return k, nil
		}
	}
	if candidates == 0 {
		if t.Header.Kid != "" {
			return nil, errorf(ErrNoKey, "kid", "no registered key with kid %q can verify %s", t.Header.Kid, alg)
		}
		return nil, errorf(ErrNoKey, "", "no registered key can verify %s", alg)
	}
	return nil, errorf(ErrSignatureInvalid, "", "the %s signature does not verify with the registered key", alg)
}

// VerifySecret checks an HMAC signature (HS256/384/512) with a shared secret,
// as used by client_secret_jwt (OIDC Core §9). alg must be in allowed. The
// MAC comparison is constant-time.
func (t *JWS) VerifySecret(allowed []string, secret []byte) error {
	info, err := t.checkAlg(allowed)
	if err != nil {
		return err
	}
	if info.family != familyHMAC {
		return errorf(ErrAlgNotAllowed, "alg", "%q is not an HMAC algorithm", t.Header.Alg)
	}
	if len(secret) == 0 {
		return errorf(ErrNoKey, "", "no client secret is registered")
	}
	var h func() hash.Hash
	switch info.hash.Size() {
	case sha256.Size:
		h = sha256.New
	case sha512.Size384:
		h = sha512.New384
	default:
		h = sha512.New
	}
	if err := jwsbb.VerifyHMAC(secret, []byte(t.signingInput), t.signature, h); err != nil {
		return &Error{Kind: ErrSignatureInvalid, Detail: "the " + t.Header.Alg + " MAC does not verify with the client secret", Err: err}
	}
	return nil
}

// VerifyWithKey checks the signature against one public key that the caller
// took from elsewhere (the "jwk" header of a DPoP proof, RFC 9449 §4.3).
func (t *JWS) VerifyWithKey(allowed []string, pub any) error {
	info, err := t.checkAlg(allowed)
	if err != nil {
		return err
	}
	k := Key{Public: pub}
	if !keyFits(info, pub) {
		return errorf(ErrNoKey, "", "the key does not suit %s", t.Header.Alg)
	}
	if err := verifyWith(info, &k, t.signingInput, t.signature); err != nil {
		return errorf(ErrSignatureInvalid, "", "the %s signature does not verify", t.Header.Alg)
	}
	return nil
}

func (t *JWS) checkAlg(allowed []string) (algInfo, error) {
	alg := t.Header.Alg
	if IsNone(alg) {
		return algInfo{}, errorf(ErrUnsigned, "alg", "%q", alg)
	}
	if !contains(allowed, alg) {
		return algInfo{}, errorf(ErrAlgNotAllowed, "alg", "%q is not one of %v", alg, allowed)
	}
	info, ok := lookupAlg(alg)
	if !ok {
		return algInfo{}, errorf(ErrAlgNotAllowed, "alg", "%q is not supported", alg)
	}
	return info, nil
}

// verifyWith runs the signature primitive. The jwx building blocks are used
// for the cryptography itself: RSASSA-PSS with the salt length equal to the
// hash size (RFC 7518 §3.5), ECDSA over the fixed-length R‖S form with range
// checks on r and s (RFC 7518 §3.4), Ed25519 (RFC 8037 §3.1).
func verifyWith(info algInfo, k *Key, signingInput string, sig []byte) error {
	input := []byte(signingInput)
	switch info.family {
	case familyRSAPKCS1, familyRSAPSS:
		pub := k.Public.(*rsa.PublicKey)
		if len(sig) != pub.Size() {
			return ErrSignatureInvalid
		}
		return jwsbb.VerifyRSA(pub, input, sig, info.hash, info.family == familyRSAPSS)
	case familyECDSA:
		pub := k.Public.(*ecdsa.PublicKey)
		return jwsbb.VerifyECDSA(pub, input, sig, info.hash)
	case familyEdDSA:
		return jwsbb.VerifyEdDSA(k.Public.(ed25519.PublicKey), input, sig)
	}
	return ErrAlgNotAllowed
}
