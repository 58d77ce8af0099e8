package server

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// b64 is unpadded base64url (RFC 7515 §2).
var b64 = base64.RawURLEncoding

// randomToken returns 256 random bits, base64url-encoded: the form of every
// authorization code and access token this server issues.
func randomToken() (string, error) {
	var buf [32]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", err
	}
	return b64.EncodeToString(buf[:]), nil
}

// SigningKeys are the keys the server signs with: ID tokens (OIDC Core
// §2), JARM responses (JARM §4.1) and nothing else. RSA signs PS256 and EC
// (P-256) ES256, the two algorithms every FAPI profile allows
// (FAPI1-ADV-8.6-1, FAPI2-SP-5.4.1-1); each is published in the JWKS under
// its RFC 7638 thumbprint as kid. Instances of one server share them
// (main's -secrets file), so that what one signs the clients verify with
// the keys the other publishes.
type SigningKeys struct {
	RSA *rsa.PrivateKey
	EC  *ecdsa.PrivateKey
}

// GenerateSigningKeys makes an RSA-2048 and a P-256 key.
func GenerateSigningKeys() (*SigningKeys, error) {
	r, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("RSA signing key: %w", err)
	}
	e, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("EC signing key: %w", err)
	}
	return &SigningKeys{RSA: r, EC: e}, nil
}

// MarshalSigningKeys writes the keys as a JWK Set of private keys (RFC
// 7517 §5), the form ParseSigningKeys reads. It is secret key material.
func MarshalSigningKeys(k *SigningKeys) ([]byte, error) {
	if k == nil || k.RSA == nil || k.EC == nil {
		return nil, errors.New("signing keys: an RSA and an EC key are needed")
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	for _, key := range []struct {
		signer crypto.Signer
		alg    string
	}{{k.RSA, "PS256"}, {k.EC, "ES256"}} {
		kid, err := keyThumbprint(key.signer.Public())
		if err != nil {
			return nil, err
		}
		j, err := MarshalPrivateJWK(key.signer, kid, key.alg)
		if err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, j)
	}
	return json.MarshalIndent(set, "", "  ")
}

// ParseSigningKeys reads a JWK Set of private keys as MarshalSigningKeys
// writes it: exactly one RSA key of at least 2048 bits and one P-256 key.
func ParseSigningKeys(data []byte) (*SigningKeys, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	k := &SigningKeys{}
	for i, raw := range set.Keys {
		key, _, _, err := ParsePrivateJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("signing keys: key %d: %w", i, err)
		}
		switch key := key.(type) {
		case *rsa.PrivateKey:
			if k.RSA != nil {
				return nil, errors.New("signing keys: more than one RSA key")
			}
			if key.N.BitLen() < 2048 {
				return nil, fmt.Errorf("signing keys: the RSA key has %d bits, fewer than 2048 (FAPI1-ADV-5.2.2-5)", key.N.BitLen())
			}
			k.RSA = key
		case *ecdsa.PrivateKey:
			if k.EC != nil {
				return nil, errors.New("signing keys: more than one EC key")
			}
			k.EC = key
		}
	}
	if k.RSA == nil || k.EC == nil {
		return nil, errors.New("signing keys: an RSA and a P-256 key are needed")
	}
	return k, nil
}

// keyThumbprint is the RFC 7638 thumbprint of an RSA or P-256 public key.
func keyThumbprint(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return rsaThumbprint(k), nil
	case *ecdsa.PublicKey:
		x, y, err := ecPoint(k)
		if err != nil {
			return "", err
		}
		canon := `{"crv":"P-256","kty":"EC","x":"` + b64.EncodeToString(x) + `","y":"` + b64.EncodeToString(y) + `"}`
		sum := sha256.Sum256([]byte(canon))
		return b64.EncodeToString(sum[:]), nil
	}
	return "", fmt.Errorf("unsupported public key %T", pub)
}

// rsaThumbprint is the RFC 7638 thumbprint of an RSA public key: SHA-256
// over the required members in lexicographic order, without whitespace.
func rsaThumbprint(pub *rsa.PublicKey) string {
	// The member values are base64url strings, which need no JSON escaping.
	canon := `{"e":"` + b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()) +
		`","kty":"RSA","n":"` + b64.EncodeToString(pub.N.Bytes()) + `"}`
	sum := sha256.Sum256([]byte(canon))
	return b64.EncodeToString(sum[:])
}

// ecPoint returns the fixed-length X and Y coordinates of a P-256 key.
func ecPoint(pub *ecdsa.PublicKey) (x, y []byte, err error) {
	if pub.Curve != elliptic.P256() {
		return nil, nil, errors.New("only P-256 keys are supported")
	}
	raw, err := pub.Bytes() // 0x04 || X || Y
	if err != nil || len(raw) != 65 {
		return nil, nil, fmt.Errorf("EC public key: %v", err)
	}
	return raw[1:33], raw[33:], nil
}

// newTLSCertificate makes a self-signed ECDSA P-256 server certificate for
// localhost, 127.0.0.1, ::1 and the extra host names or IP addresses given
// (the issuer's host, so that a non-local issuer works too).
func newTLSCertificate(now time.Time, hosts ...string) (tls.Certificate, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("TLS serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "fapi example authorization server (self-signed)"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if h == "" {
			continue
		}
		if ip := net.ParseIP(h); ip != nil {
			if !containsIP(tmpl.IPAddresses, ip) {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if !containsString(tmpl.DNSNames, h) {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("TLS certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("TLS certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, nil
}

func containsIP(list []net.IP, ip net.IP) bool {
	for _, v := range list {
		if v.Equal(ip) {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// privateJWK is the JSON form of an RSA or P-256 private key (RFC 7518
// §6.2.2, §6.3.2).
type privateJWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
	// RSA
	N  string `json:"n,omitempty"`
	E  string `json:"e,omitempty"`
	D  string `json:"d,omitempty"`
	P  string `json:"p,omitempty"`
	Q  string `json:"q,omitempty"`
	DP string `json:"dp,omitempty"`
	DQ string `json:"dq,omitempty"`
	QI string `json:"qi,omitempty"`
	// EC
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// MarshalPrivateJWK renders a private key as a JWK, for test tooling that
// must sign as a client. The output is secret key material.
func MarshalPrivateJWK(key crypto.Signer, kid, alg string) ([]byte, error) {
	j := privateJWK{Kid: kid, Alg: alg, Use: "sig"}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if len(k.Primes) != 2 {
			return nil, errors.New("only two-prime RSA keys are supported")
		}
		k.Precompute()
		j.Kty = "RSA"
		j.N = b64.EncodeToString(k.N.Bytes())
		j.E = b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())
		j.D = b64.EncodeToString(k.D.Bytes())
		j.P = b64.EncodeToString(k.Primes[0].Bytes())
		j.Q = b64.EncodeToString(k.Primes[1].Bytes())
		j.DP = b64.EncodeToString(k.Precomputed.Dp.Bytes())
		j.DQ = b64.EncodeToString(k.Precomputed.Dq.Bytes())
		j.QI = b64.EncodeToString(k.Precomputed.Qinv.Bytes())
	case *ecdsa.PrivateKey:
		x, y, err := ecPoint(&k.PublicKey)
		if err != nil {
			return nil, err
		}
		d, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		j.Kty, j.Crv = "EC", "P-256"
		j.X, j.Y, j.D = b64.EncodeToString(x), b64.EncodeToString(y), b64.EncodeToString(d)
	default:
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
	return json.Marshal(j)
}

// ParsePrivateJWK reads an RSA or P-256 private JWK (as MarshalPrivateJWK
// writes it) and returns the key with its kid and alg. The key is
// validated; its public part must match the members given.
func ParsePrivateJWK(data []byte) (key crypto.Signer, kid, alg string, err error) {
	var j privateJWK
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, "", "", fmt.Errorf("private JWK: %w", err)
	}
	dec := func(name, s string) (*big.Int, error) {
		if s == "" {
			return nil, fmt.Errorf("private JWK: member %q is missing", name)
		}
		b, err := b64.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("private JWK: member %q: %w", name, err)
		}
		return new(big.Int).SetBytes(b), nil
	}
	switch j.Kty {
	case "RSA":
		vals := map[string]*big.Int{}
		for _, m := range []struct{ name, v string }{{"n", j.N}, {"e", j.E}, {"d", j.D}, {"p", j.P}, {"q", j.Q}} {
			v, err := dec(m.name, m.v)
			if err != nil {
				return nil, "", "", err
			}
			vals[m.name] = v
		}
		if !vals["e"].IsInt64() || vals["e"].Int64() > 1<<31-1 {
			return nil, "", "", errors.New("private JWK: e is too large")
		}
		k := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: vals["n"], E: int(vals["e"].Int64())},
			D:         vals["d"],
			Primes:    []*big.Int{vals["p"], vals["q"]},
		}
		if err := k.Validate(); err != nil {
			return nil, "", "", fmt.Errorf("private JWK: %w", err)
		}
		k.Precompute()
		return k, j.Kid, j.Alg, nil
	case "EC":
		if j.Crv != "P-256" {
			return nil, "", "", fmt.Errorf("private JWK: curve %q is not supported (P-256 only)", j.Crv)
		}
		d, err := b64.DecodeString(j.D)
		if err != nil {
			return nil, "", "", fmt.Errorf("private JWK: member \"d\": %w", err)
		}
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
		if err != nil {
			return nil, "", "", fmt.Errorf("private JWK: %w", err)
		}
		x, y, err := ecPoint(&k.PublicKey)
		if err != nil {
			return nil, "", "", err
		}
		if j.X != b64.EncodeToString(x) || j.Y != b64.EncodeToString(y) {
			return nil, "", "", errors.New("private JWK: x and y do not match d")
		}
		return k, j.Kid, j.Alg, nil
	}
	return nil, "", "", fmt.Errorf("private JWK: kty %q is not supported (RSA or EC)", j.Kty)
}
