package server

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// The server signs ID tokens, and the sample client signs request objects,
// with the standard library only: the two algorithms FAPI allows are a few
// lines each, and a server built on this example needs no JOSE library for
// what it signs (the library verifies what it receives).

// signJWS returns the compact serialization (RFC 7515 §7.1) of payload,
// signed with alg under key: PS256 (RSASSA-PSS with SHA-256 and a 32-byte
// salt, RFC 7518 §3.5) with an RSA key, or ES256 (ECDSA P-256 with
// SHA-256, the signature as R || S of 32 bytes each, RFC 7518 §3.4) with a
// P-256 key. The members of header join alg in the protected header.
func signJWS(alg string, key crypto.Signer, header map[string]any, payload []byte) (string, error) {
	h := make(map[string]any, len(header)+1)
	for k, v := range header {
		h[k] = v
	}
	h["alg"] = alg
	hdr, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("JWS header: %w", err)
	}
	input := b64.EncodeToString(hdr) + "." + b64.EncodeToString(payload)
	digest := sha256.Sum256([]byte(input))

	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if alg != "PS256" {
			return "", fmt.Errorf("an RSA key signs PS256 here, not %q", alg)
		}
		sig, err = rsa.SignPSS(rand.Reader, k, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		if err != nil {
			return "", fmt.Errorf("PS256: %w", err)
		}
	case *ecdsa.PrivateKey:
		if alg != "ES256" || k.Curve != elliptic.P256() {
			return "", fmt.Errorf("an EC key signs ES256 with P-256 here, not %q", alg)
		}
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		if err != nil {
			return "", fmt.Errorf("ES256: %w", err)
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	default:
		return "", fmt.Errorf("unsupported signing key %T", key)
	}
	return input + "." + b64.EncodeToString(sig), nil
}

// publicJWKS renders one public signing key, RSA or P-256, as a JWK Set
// (RFC 7517 §5; members as RFC 7518 §6.2.1, §6.3.1 name them).
func publicJWKS(pub crypto.PublicKey, kid, alg string) ([]byte, error) {
	j, err := publicJWK(pub, kid, alg)
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Keys []privateJWK `json:"keys"`
	}{[]privateJWK{j}})
}

// publicJWK is the public JWK of an RSA or P-256 key.
func publicJWK(pub crypto.PublicKey, kid, alg string) (privateJWK, error) {
	j := privateJWK{Kid: kid, Alg: alg, Use: "sig"}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		j.Kty = "RSA"
		j.N = b64.EncodeToString(k.N.Bytes())
		j.E = b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())
	case *ecdsa.PublicKey:
		x, y, err := ecPoint(k)
		if err != nil {
			return privateJWK{}, err
		}
		j.Kty, j.Crv = "EC", "P-256"
		j.X, j.Y = b64.EncodeToString(x), b64.EncodeToString(y)
	case nil:
		return privateJWK{}, errors.New("no public key")
	default:
		return privateJWK{}, fmt.Errorf("unsupported public key %T", pub)
	}
	return j, nil
}

// serverJWKS is the JWK Set the server publishes at its jwks_uri (RFC
// 8414 §2): its RSA key for PS256 and its P-256 key for ES256, each under
// its RFC 7638 thumbprint as kid; and the kid of each algorithm.
func serverJWKS(k *SigningKeys) (map[string]string, []byte, error) {
	kids := map[string]string{}
	var keys []privateJWK
	for _, key := range []struct {
		pub crypto.PublicKey
		alg string
	}{{&k.RSA.PublicKey, "PS256"}, {&k.EC.PublicKey, "ES256"}} {
		kid, err := keyThumbprint(key.pub)
		if err != nil {
			return nil, nil, err
		}
		j, err := publicJWK(key.pub, kid, key.alg)
		if err != nil {
			return nil, nil, err
		}
		kids[key.alg] = kid
		keys = append(keys, j)
	}
	set, err := json.Marshal(struct {
		Keys []privateJWK `json:"keys"`
	}{keys})
	return kids, set, err
}

// signJWT signs claims with the server's key for alg (PS256 or ES256),
// naming the key by kid and the token's type by typ (RFC 8725 §3.11).
func (s *Server) signJWT(alg, typ string, claims any) (string, error) {
	var key crypto.Signer
	switch alg {
	case "PS256":
		key = s.keys.RSA
	case "ES256":
		key = s.keys.EC
	default:
		return "", fmt.Errorf("this server does not sign with %q", alg)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	header := map[string]any{"kid": s.kids[alg]}
	if typ != "" {
		header["typ"] = typ
	}
	return signJWS(alg, key, header, payload)
}
