// Package testfixture makes the keys, certificates and signed JWTs that the
// library's tests and its case corpus use. Everything is generated; nothing
// is written by hand. Signing goes through internal/jose, which uses jwx, so
// what the library verifies is produced by an independent implementation.
package testfixture

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/jose"
)

// Key is a private signing key with the identifiers it is published under.
type Key struct {
	Private crypto.Signer
	ID      string
	Alg     string
	// Cert is a self-signed certificate for the key (for x5c and mTLS).
	Cert *x509.Certificate
}

// Public returns the public key.
func (k Key) Public() crypto.PublicKey { return k.Private.Public() }

// RSA generates an RSA key of the given size for alg (PS256 or RS256).
func RSA(bits int, kid, alg string) Key {
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(fmt.Sprintf("testfixture: rsa key: %v", err))
	}
	return Key{Private: priv, ID: kid, Alg: alg}
}

// EC generates an EC key on curve for alg (ES256 with P-256).
func EC(curve elliptic.Curve, kid, alg string) Key {
	priv, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("testfixture: ec key: %v", err))
	}
	return Key{Private: priv, ID: kid, Alg: alg}
}

// Ed25519 generates an Ed25519 key.
func Ed25519(kid string) Key {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("testfixture: ed25519 key: %v", err))
	}
	return Key{Private: priv, ID: kid, Alg: "EdDSA"}
}

// WithCert returns k with a self-signed certificate for subject (and the
// given DNS SANs).
func (k Key) WithCert(subject pkix.Name, dnsNames ...string) Key {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               subject,
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k.Private)
	if err != nil {
		panic(fmt.Sprintf("testfixture: certificate: %v", err))
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(fmt.Sprintf("testfixture: certificate: %v", err))
	}
	k.Cert = c
	return k
}

// CertPEM returns the key's certificate in PEM.
func (k Key) CertPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Cert.Raw}))
}

// JWKS returns the public JWK Set of keys, with kid, alg, "use":"sig", and
// x5c when a key has a certificate.
func JWKS(keys ...Key) json.RawMessage {
	for _, k := range keys {
		if r, ok := k.Public().(*rsa.PublicKey); ok && r.N.BitLen() < 2048 {
			return manualJWKS(keys)
		}
	}
	var pubs []jose.PublicJWK
	for _, k := range keys {
		p := jose.PublicJWK{Public: k.Public(), ID: k.ID, Algorithm: k.Alg, Use: "sig"}
		if k.Cert != nil {
			p.Certificates = []*x509.Certificate{k.Cert}
		}
		pubs = append(pubs, p)
	}
	out, err := jose.MarshalPublicJWKS(pubs...)
	if err != nil {
		panic(fmt.Sprintf("testfixture: jwks: %v", err))
	}
	return out
}

// Sign signs claims with k under alg (k.Alg when alg is ""), with kid and
// any extra header members.
func Sign(k Key, alg string, claims map[string]any, header map[string]any) string {
	if alg == "" {
		alg = k.Alg
	}
	h := map[string]any{}
	if k.ID != "" {
		h["kid"] = k.ID
	}
	for name, v := range header {
		h[name] = v
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("testfixture: claims: %v", err))
	}
	tok, err := jose.Sign(alg, k.Private, h, payload)
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return tok
}

// SignHMAC signs claims with a shared secret (client_secret_jwt).
func SignHMAC(secret []byte, alg string, claims map[string]any) string {
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("testfixture: claims: %v", err))
	}
	tok, err := jose.Sign(alg, secret, nil, payload)
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return tok
}

// Unsigned builds an "alg":"none" JWT (the attack, not something to
// accept) with the given alg spelling.
func Unsigned(alg string, claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": alg})
	p, _ := json.Marshal(claims)
	return b64(h) + "." + b64(p) + "."
}

// Raw builds a compact JWS from a literal header and payload text and a
// signature, for malformed-input tests.
func Raw(header, payload string, sig []byte) string {
	return b64([]byte(header)) + "." + b64([]byte(payload)) + "." + b64(sig)
}

// Tamper flips one character of the signature of a compact JWS.
func Tamper(tok string) string {
	i := strings.LastIndexByte(tok, '.')
	sig := []byte(tok[i+1:])
	if len(sig) == 0 {
		return tok
	}
	mid := len(sig) / 2
	if sig[mid] == 'A' {
		sig[mid] = 'B'
	} else {
		sig[mid] = 'A'
	}
	return tok[:i+1] + string(sig)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// S256 returns the PKCE S256 challenge of verifier.
func S256(verifier string) string {
	return jose.ThumbprintSHA256([]byte(verifier))
}

// SignRawPayload signs a literal payload text (for example one with
// duplicate members, which json.Marshal cannot produce).
func SignRawPayload(k Key, alg, payload string) string {
	h := map[string]any{}
	if k.ID != "" {
		h["kid"] = k.ID
	}
	tok, err := jose.Sign(alg, k.Private, h, []byte(payload))
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return tok
}

// manualJWKS encodes a JWK Set without jwx, whose encoder refuses RSA keys
// under 2048 bits — which the tests need, to see them refused.
func manualJWKS(keys []Key) json.RawMessage {
	var out []map[string]any
	for _, k := range keys {
		m := map[string]any{"kid": k.ID, "alg": k.Alg, "use": "sig"}
		switch p := k.Public().(type) {
		case *rsa.PublicKey:
			m["kty"] = "RSA"
			m["n"] = b64(p.N.Bytes())
			m["e"] = b64(big.NewInt(int64(p.E)).Bytes())
		default:
			var set struct{ Keys []map[string]any }
			if err := json.Unmarshal(JWKS(k), &set); err != nil || len(set.Keys) != 1 {
				panic("testfixture: jwks")
			}
			m = set.Keys[0]
		}
		out = append(out, m)
	}
	b, err := json.Marshal(map[string]any{"keys": out})
	if err != nil {
		panic(err)
	}
	return b
}

// Thumbprint returns the RFC 7638 SHA-256 JWK thumbprint (base64url) of
// k's public key: the dpop_jkt a DPoP proof signed with k binds to.
func Thumbprint(k Key) string {
	tp, err := jose.Thumbprint(k.Public())
	if err != nil {
		panic(fmt.Sprintf("testfixture: thumbprint: %v", err))
	}
	return tp
}

// PublicJWK returns k's public key as a bare JWK object (no kid, alg, use
// or x5c), as a DPoP proof's jwk header carries it.
func PublicJWK(k Key) json.RawMessage {
	var set struct{ Keys []map[string]any }
	if err := json.Unmarshal(JWKS(Key{Private: k.Private}), &set); err != nil || len(set.Keys) != 1 {
		panic("testfixture: public jwk")
	}
	m := set.Keys[0]
	for _, name := range []string{"kid", "alg", "use", "x5c"} {
		delete(m, name)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// SignHMACWithHeader signs claims with a shared secret under alg (HS256,
// HS384, HS512), with extra header members — for tokens that must be
// refused for their algorithm alone (a DPoP proof with a MAC, say).
func SignHMACWithHeader(secret []byte, alg string, claims map[string]any, header map[string]any) string {
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("testfixture: claims: %v", err))
	}
	tok, err := jose.Sign(alg, secret, header, payload)
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return tok
}

// SignRawHeader signs a literal protected header and payload text with k
// under alg (PS256 or ES256) with the standard library alone — for headers
// the JOSE library refuses to produce, such as a jwk holding an RSA key
// below 2048 bits.
func SignRawHeader(k Key, alg, header, payload string) string {
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	var err error
	switch alg {
	case "PS256":
		priv, ok := k.Private.(*rsa.PrivateKey)
		if !ok {
			panic("testfixture: PS256 needs an RSA key")
		}
		sig, err = rsa.SignPSS(rand.Reader, priv, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "ES256":
		priv, ok := k.Private.(*ecdsa.PrivateKey)
		if !ok || priv.Curve != elliptic.P256() {
			panic("testfixture: ES256 needs a P-256 key")
		}
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, priv, digest[:])
		if err == nil {
			sig = make([]byte, 64)
			r.FillBytes(sig[:32])
			s.FillBytes(sig[32:])
		}
	default:
		panic("testfixture: SignRawHeader supports PS256 and ES256, not " + alg)
	}
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return input + "." + b64(sig)
}
