package fapitest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512" // registers SHA-384 and SHA-512 for crypto.Hash.New
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Key is a JWS signing key: a private key (or, for the HS algorithms, a
// shared secret) with the kid and alg it signs under.
//
// A Key is not safe for concurrent modification of its fields; signing
// with it from several goroutines is safe.
type Key struct {
	// ID is the key's kid (RFC 7515 §4.1.4): SignJWT puts it in the
	// header and PublicJWKS publishes it; "" leaves it out.
	ID string
	// Alg is the JWS algorithm (RFC 7518 §3.1) the key signs under.
	Alg string
	// Certificate, when set, is published as the key's x5c in PublicJWKS
	// (RFC 7517 §4.7): an mTLS client's certificate for this key, say.
	Certificate *x509.Certificate

	signer crypto.Signer
	secret []byte
}

// Algorithms lists the JWS algorithms a Key can sign under (RFC 7518 §3.1,
// RFC 8037 §3.1). Which of them a FAPI profile admits is the profile's
// (FAPI1-ADV-8.6-1, FAPI2-SP-5.4.1-1; docs/DESIGN.md §6.8): a test may sign
// with one the profile refuses, to see it refused.
var Algorithms = []string{"PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"}

// RSAKeyBits is the size of the RSA keys NewKey generates: 2048 bits, the
// FAPI minimum (FAPI1-BASE-5.2.2-5, FAPI2-SP-5.4.1-2).
const RSAKeyBits = 2048

// NewKey generates a key for alg: an RSA key of RSAKeyBits for PS* and
// RS*, an ECDSA key on P-256, P-384 or P-521 for ES256, ES384 and ES512,
// an Ed25519 key for EdDSA (or "Ed25519", RFC 9864), and a random secret
// as long as the hash for HS*. An asymmetric key's ID is its RFC 7638
// thumbprint; an HMAC key has none.
func NewKey(alg string) (*Key, error) {
	var s crypto.Signer
	var err error
	switch {
	case isRSA(alg):
		s, err = rsa.GenerateKey(rand.Reader, RSAKeyBits)
	case alg == "ES256":
		s, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case alg == "ES384":
		s, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case alg == "ES512":
		s, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case isEdDSA(alg):
		_, s, err = ed25519.GenerateKey(rand.Reader)
	case isHMAC(alg):
		secret := make([]byte, hashOf(alg).Size())
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("fapitest: %s secret: %w", alg, err)
		}
		return NewSecretKey(alg, secret)
	default:
		return nil, fmt.Errorf("fapitest: unknown algorithm %q", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("fapitest: %s key: %w", alg, err)
	}
	k, err := NewKeyFromSigner(alg, s)
	if err != nil {
		return nil, err
	}
	if k.ID, err = k.Thumbprint(); err != nil {
		return nil, err
	}
	return k, nil
}

// NewKeyFromSigner wraps a private key the caller already holds (one
// loaded from a file or held in a hardware module) for alg. The key must
// suit the algorithm (RFC 7518 §3.1): RSA for PS* and RS*, ECDSA on the
// algorithm's curve for ES*, Ed25519 for EdDSA. Its size is not judged: a
// test may need a key a profile refuses. The returned Key has no ID.
func NewKeyFromSigner(alg string, s crypto.Signer) (*Key, error) {
	if s == nil {
		return nil, errors.New("fapitest: nil signer")
	}
	switch pub := s.Public().(type) {
	case *rsa.PublicKey:
		if !isRSA(alg) {
			return nil, fmt.Errorf("fapitest: an RSA key cannot sign %q", alg)
		}
	case *ecdsa.PublicKey:
		if want := curveOf(alg); want == nil || pub.Curve != want {
			return nil, fmt.Errorf("fapitest: an ECDSA key on %s cannot sign %q", pub.Curve.Params().Name, alg)
		}
	case ed25519.PublicKey:
		if !isEdDSA(alg) {
			return nil, fmt.Errorf("fapitest: an Ed25519 key cannot sign %q", alg)
		}
	default:
		return nil, fmt.Errorf("fapitest: unsupported key type %T", pub)
	}
	return &Key{Alg: alg, signer: s}, nil
}

// NewSecretKey makes an HMAC key for HS256, HS384 or HS512 with the given
// secret: a client_secret_jwt client's client_secret (OIDC Core §9), or
// the bytes of a public key for the algorithm-confusion attack (RFC 8725
// §2.1). The secret is used as given, however short.
func NewSecretKey(alg string, secret []byte) (*Key, error) {
	if !isHMAC(alg) {
		return nil, fmt.Errorf("fapitest: %q is not an HMAC algorithm", alg)
	}
	return &Key{Alg: alg, secret: append([]byte(nil), secret...)}, nil
}

// Must returns v, and panics when err is not nil: for tests and examples
// whose keys and tokens cannot fail to be made.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Signer returns the private key, or nil for an HMAC key.
func (k *Key) Signer() crypto.Signer { return k.signer }

// Public returns the public key, or nil for an HMAC key.
func (k *Key) Public() crypto.PublicKey {
	if k.signer == nil {
		return nil
	}
	return k.signer.Public()
}

// Secret returns a copy of an HMAC key's secret, or nil.
func (k *Key) Secret() []byte { return append([]byte(nil), k.secret...) }

// WithID returns a copy of k with the given kid: the same key published or
// sent under another identifier.
func (k *Key) WithID(kid string) *Key {
	c := *k
	c.ID = kid
	return &c
}

// WithAlg returns a copy of k that signs under alg, which must suit the
// key as in NewKeyFromSigner: an RSA key signing RS256 instead of PS256.
func (k *Key) WithAlg(alg string) (*Key, error) {
	var c *Key
	var err error
	if k.signer != nil {
		c, err = NewKeyFromSigner(alg, k.signer)
	} else {
		c, err = NewSecretKey(alg, k.secret)
	}
	if err != nil {
		return nil, err
	}
	c.ID, c.Certificate = k.ID, k.Certificate
	return c, nil
}

// Sign returns the JWS signature (RFC 7515 §5.1) of a signing input under
// the key's algorithm: RSASSA-PKCS1-v1_5 (RS*), RSASSA-PSS with a salt as
// long as the hash (PS*, RFC 7518 §3.5), ECDSA as the fixed-width R‖S of
// RFC 7518 §3.4 (ES*), Ed25519 (RFC 8037 §3.1) or HMAC (HS*, RFC 7518
// §3.2).
func (k *Key) Sign(input []byte) ([]byte, error) {
	alg := k.Alg
	if isHMAC(alg) {
		m := hmac.New(hashOf(alg).New, k.secret)
		m.Write(input)
		return m.Sum(nil), nil
	}
	if k.signer == nil {
		return nil, fmt.Errorf("fapitest: no private key to sign %q", alg)
	}
	if isEdDSA(alg) {
		sig, err := k.signer.Sign(rand.Reader, input, crypto.Hash(0))
		if err != nil {
			return nil, fmt.Errorf("fapitest: sign %s: %w", alg, err)
		}
		return sig, nil
	}
	h := hashOf(alg)
	if h == 0 {
		return nil, fmt.Errorf("fapitest: unknown algorithm %q", alg)
	}
	d := h.New()
	d.Write(input)
	digest := d.Sum(nil)
	switch {
	case strings.HasPrefix(alg, "PS"):
		sig, err := k.signer.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h})
		if err != nil {
			return nil, fmt.Errorf("fapitest: sign %s: %w", alg, err)
		}
		return sig, nil
	case strings.HasPrefix(alg, "RS"):
		sig, err := k.signer.Sign(rand.Reader, digest, h)
		if err != nil {
			return nil, fmt.Errorf("fapitest: sign %s: %w", alg, err)
		}
		return sig, nil
	case strings.HasPrefix(alg, "ES"):
		der, err := k.signer.Sign(rand.Reader, digest, h)
		if err != nil {
			return nil, fmt.Errorf("fapitest: sign %s: %w", alg, err)
		}
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
			return nil, fmt.Errorf("fapitest: sign %s: the signer's signature is not ASN.1", alg)
		}
		size := (curveOf(alg).Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		rs.R.FillBytes(out[:size])
		rs.S.FillBytes(out[size:])
		return out, nil
	}
	return nil, fmt.Errorf("fapitest: unknown algorithm %q", alg)
}

// PublicJWK returns the public key alone as a JWK (RFC 7517 §4, the
// members of RFC 7518 §6 or RFC 8037 §2): no kid, alg, use or x5c, as a
// DPoP proof's jwk header carries it (RFC 9449 §4.2).
func (k *Key) PublicJWK() (json.RawMessage, error) { return PublicKeyJWK(k.Public()) }

// PublicKeyJWK returns an RSA, ECDSA (P-256, P-384, P-521) or Ed25519
// public key as a bare JWK, as Key.PublicJWK does: for a key the test
// holds only the public half of, such as another party's key sent in a
// jwk header.
func PublicKeyJWK(pub crypto.PublicKey) (json.RawMessage, error) {
	m, err := publicMembers(pub)
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// PublicJWKS returns a JWK Set (RFC 7517 §5) of the key alone, as
// PublicJWKS(k) does.
func (k *Key) PublicJWKS() (json.RawMessage, error) { return PublicJWKS(k) }

// PublicJWKS returns the JWK Set (RFC 7517 §5) a client registers for its
// keys (its jwks, RFC 7591 §2): each key's public members with its kid,
// alg, "use":"sig" and, when it has a Certificate, x5c. HMAC keys have no
// public form and are refused.
func PublicJWKS(keys ...*Key) (json.RawMessage, error) {
	set := make([]map[string]any, 0, len(keys))
	for i, k := range keys {
		m, err := publicMembers(k.Public())
		if err != nil {
			return nil, fmt.Errorf("fapitest: key %d: %w", i, err)
		}
		if k.ID != "" {
			m["kid"] = k.ID
		}
		if k.Alg != "" {
			m["alg"] = k.Alg
		}
		m["use"] = "sig"
		if k.Certificate != nil {
			m["x5c"] = []string{base64.StdEncoding.EncodeToString(k.Certificate.Raw)}
		}
		set = append(set, m)
	}
	return json.Marshal(map[string]any{"keys": set})
}

// Thumbprint returns the key's RFC 7638 JWK thumbprint with SHA-256,
// base64url-encoded: the dpop_jkt a DPoP proof signed with the key binds
// to (RFC 9449 §10).
func (k *Key) Thumbprint() (string, error) { return Thumbprint(k.Public()) }

// Thumbprint returns the RFC 7638 SHA-256 thumbprint, base64url-encoded,
// of an RSA, ECDSA or Ed25519 public key: the SHA-256 of its required JWK
// members in lexicographic order, without white space (RFC 7638 §3).
func Thumbprint(pub crypto.PublicKey) (string, error) {
	m, err := publicMembers(pub)
	if err != nil {
		return "", err
	}
	// encoding/json sorts map keys, which is the order RFC 7638 §3.3
	// requires; the values are base64url strings with nothing to escape.
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return b64(sum[:]), nil
}

// publicMembers returns the required JWK members of a public key (RFC 7638
// §3.2).
func publicMembers(pub crypto.PublicKey) (map[string]any, error) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return map[string]any{"kty": "RSA", "n": b64(p.N.Bytes()), "e": b64(big.NewInt(int64(p.E)).Bytes())}, nil
	case *ecdsa.PublicKey:
		var crv string
		switch p.Curve {
		case elliptic.P256():
			crv = "P-256"
		case elliptic.P384():
			crv = "P-384"
		case elliptic.P521():
			crv = "P-521"
		default:
			return nil, fmt.Errorf("fapitest: curve %s has no JWK name", p.Curve.Params().Name)
		}
		raw, err := p.Bytes() // 0x04 ‖ X ‖ Y, each of the curve's fixed width
		if err != nil {
			return nil, fmt.Errorf("fapitest: ECDSA key: %w", err)
		}
		size := (len(raw) - 1) / 2
		return map[string]any{"kty": "EC", "crv": crv, "x": b64(raw[1 : 1+size]), "y": b64(raw[1+size:])}, nil
	case ed25519.PublicKey:
		return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(p)}, nil
	case nil:
		return nil, errors.New("fapitest: no public key (an HMAC key has none)")
	}
	return nil, fmt.Errorf("fapitest: unsupported public key %T", pub)
}

// NewClientCertificate returns a self-signed X.509 certificate for key,
// with the given subject and DNS names, for client authentication: what a
// self_signed_tls_client_auth client registers, or the certificate a
// tls_client_auth client presents, and the certificate-bound tokens of RFC
// 8705 §3. It is valid from 2000 to 2099, so that any test clock is
// inside.
func NewClientCertificate(key *Key, subject pkix.Name, dnsNames ...string) (*x509.Certificate, error) {
	if key.signer == nil {
		return nil, errors.New("fapitest: a certificate needs a private key")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("fapitest: certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.signer.Public(), key.signer)
	if err != nil {
		return nil, fmt.Errorf("fapitest: certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func isRSA(alg string) bool {
	switch alg {
	case "PS256", "PS384", "PS512", "RS256", "RS384", "RS512":
		return true
	}
	return false
}

func isEdDSA(alg string) bool { return alg == "EdDSA" || alg == "Ed25519" }

func isHMAC(alg string) bool { return alg == "HS256" || alg == "HS384" || alg == "HS512" }

func curveOf(alg string) elliptic.Curve {
	switch alg {
	case "ES256":
		return elliptic.P256()
	case "ES384":
		return elliptic.P384()
	case "ES512":
		return elliptic.P521()
	}
	return nil
}

// hashOf returns the hash of an RS, PS, ES or HS algorithm, or 0.
func hashOf(alg string) crypto.Hash {
	if len(alg) != 5 {
		return 0
	}
	switch alg[2:] {
	case "256":
		return crypto.SHA256
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return 0
}
