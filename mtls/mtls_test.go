package mtls_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/mtls"
)

// exampleCertThumbprint is the x5t#S256 of exampleCertPEM, computed with
// OpenSSL independently of this package (openssl x509 -outform DER |
// openssl dgst -sha256 -binary, then base64url without padding).
const exampleCertThumbprint = "3A9ZyNxHbP1LteSxgXM6wWbofUT4U2ZFLV4t_j6Bz94"

func TestThumbprint(t *testing.T) {
	t.Parallel()
	assert.Equal(t, exampleCertThumbprint, mtls.Thumbprint(exampleCert()))

	generated, _ := newCert(t, certOptions{})
	sum := sha256.Sum256(generated.Raw)
	want := strings.TrimRight(base64.URLEncoding.EncodeToString(sum[:]), "=")
	got := mtls.Thumbprint(generated)
	assert.Equal(t, want, got)
	assert.Len(t, got, 43)
	assert.NotContains(t, got, "=")
	assert.NotEqual(t, exampleCertThumbprint, got)

	assert.Equal(t, "", mtls.Thumbprint(nil))
	assert.Equal(t, "", mtls.Thumbprint(&x509.Certificate{}))
}

func TestMatchTLSClientAuthSAN(t *testing.T) {
	t.Parallel()
	cert, _ := newCert(t, certOptions{
		dns:    []string{"client.example.com", "*.wild.example.com"},
		uris:   []string{"https://client.example.com/app", "spiffe://example.org/ns/prod/sa/client"},
		ips:    []string{"192.0.2.10", "2001:db8::1"},
		emails: []string{"Alice.Smith@Example.COM"},
	})
	bare, _ := newCert(t, certOptions{})

	tests := []struct {
		name string
		cert *x509.Certificate
		id   mtls.Identity
		want outcome
	}{
		{"DNS exact", cert, mtls.Identity{SANDNS: "client.example.com"}, match},
		{"DNS case-insensitive", cert, mtls.Identity{SANDNS: "Client.EXAMPLE.com"}, match},
		{"DNS wildcard literal", cert, mtls.Identity{SANDNS: "*.wild.example.com"}, match},
		{"DNS wildcard not expanded", cert, mtls.Identity{SANDNS: "foo.wild.example.com"}, mismatch},
		{"DNS registered wildcard does not cover", cert, mtls.Identity{SANDNS: "*.example.com"}, mismatch},
		{"DNS other", cert, mtls.Identity{SANDNS: "other.example.com"}, mismatch},
		{"DNS suffix", cert, mtls.Identity{SANDNS: "example.com"}, mismatch},
		{"DNS trailing dot", cert, mtls.Identity{SANDNS: "client.example.com."}, mismatch},
		{"DNS Kelvin sign is not k", mustCert(t, certOptions{dns: []string{"key.example.com"}}), mtls.Identity{SANDNS: "\u212aey.example.com"}, mismatch},
		{"DNS certificate has none", bare, mtls.Identity{SANDNS: "client.example.com"}, mismatch},
		{"DNS not matched by CN", mustCert(t, certOptions{rawSubject: rawName(t, rdn(atv(oidCN, "client.example.com")))}), mtls.Identity{SANDNS: "client.example.com"}, mismatch},

		{"URI exact", cert, mtls.Identity{SANURI: "https://client.example.com/app"}, match},
		{"URI second", cert, mtls.Identity{SANURI: "spiffe://example.org/ns/prod/sa/client"}, match},
		{"URI case differs", cert, mtls.Identity{SANURI: "https://CLIENT.example.com/app"}, mismatch},
		{"URI trailing slash", cert, mtls.Identity{SANURI: "https://client.example.com/app/"}, mismatch},
		{"URI prefix", cert, mtls.Identity{SANURI: "https://client.example.com"}, mismatch},
		{"URI certificate has none", bare, mtls.Identity{SANURI: "https://client.example.com/app"}, mismatch},

		{"IPv4", cert, mtls.Identity{SANIP: "192.0.2.10"}, match},
		{"IPv4-mapped IPv6 registered", cert, mtls.Identity{SANIP: "::ffff:192.0.2.10"}, match},
		{"IPv6", cert, mtls.Identity{SANIP: "2001:db8::1"}, match},
		{"IPv6 long form", cert, mtls.Identity{SANIP: "2001:0db8:0000:0000:0000:0000:0000:0001"}, match},
		{"IPv6 upper case", cert, mtls.Identity{SANIP: "2001:DB8::1"}, match},
		{"IPv4 other", cert, mtls.Identity{SANIP: "192.0.2.11"}, mismatch},
		{"IPv6 other", cert, mtls.Identity{SANIP: "2001:db8::2"}, mismatch},
		{"IPv4-compatible is not IPv4", cert, mtls.Identity{SANIP: "::192.0.2.10"}, mismatch},
		{"IPv4 certificate has none", bare, mtls.Identity{SANIP: "192.0.2.10"}, mismatch},
		{"IPv4 in a certificate as mapped IPv6", mustCert(t, certOptions{ips: []string{"::ffff:198.51.100.7"}}), mtls.Identity{SANIP: "198.51.100.7"}, match},
		{"IP invalid", cert, mtls.Identity{SANIP: "192.0.2"}, badIdentity},
		{"IP leading zeros", cert, mtls.Identity{SANIP: "192.000.2.10"}, badIdentity},
		{"IP with zone", cert, mtls.Identity{SANIP: "fe80::1%eth0"}, badIdentity},
		{"IP CIDR", cert, mtls.Identity{SANIP: "192.0.2.0/24"}, badIdentity},
		{"IP with spaces", cert, mtls.Identity{SANIP: " 192.0.2.10"}, badIdentity},
		{"IP host name", cert, mtls.Identity{SANIP: "client.example.com"}, badIdentity},

		{"email exact", cert, mtls.Identity{SANEmail: "Alice.Smith@Example.COM"}, match},
		{"email domain case-insensitive", cert, mtls.Identity{SANEmail: "Alice.Smith@example.com"}, match},
		{"email local part case-sensitive", cert, mtls.Identity{SANEmail: "alice.smith@example.com"}, mismatch},
		{"email other", cert, mtls.Identity{SANEmail: "bob@example.com"}, mismatch},
		{"email certificate has none", bare, mtls.Identity{SANEmail: "Alice.Smith@Example.COM"}, mismatch},
		{"email not matched by subject", mustCert(t, certOptions{rawSubject: rawName(t, rdn(atv(oidEmail, "a@example.com")))}), mtls.Identity{SANEmail: "a@example.com"}, mismatch},
		{"email without @", cert, mtls.Identity{SANEmail: "example.com"}, badIdentity},
		{"email empty local part", cert, mtls.Identity{SANEmail: "@example.com"}, badIdentity},
		{"email empty domain", cert, mtls.Identity{SANEmail: "alice@"}, badIdentity},

		{"no identity", cert, mtls.Identity{}, badIdentity},
		{"two identities", cert, mtls.Identity{SANDNS: "client.example.com", SANIP: "192.0.2.10"}, badIdentity},
		{"DN and SAN", cert, mtls.Identity{SubjectDN: "CN=test client", SANDNS: "client.example.com"}, badIdentity},
		{"all identities", cert, mtls.Identity{SubjectDN: "CN=test client", SANDNS: "client.example.com",
			SANURI: "https://client.example.com/app", SANIP: "192.0.2.10", SANEmail: "Alice.Smith@Example.COM"}, badIdentity},

		{"nil certificate", nil, mtls.Identity{SANDNS: "client.example.com"}, noCert},
		{"nil certificate, invalid identity", nil, mtls.Identity{}, noCert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkOutcome(t, tt.want, mtls.MatchTLSClientAuth(tt.cert, tt.id))
		})
	}
}

// TestMatchTLSClientAuthHandBuilt covers SAN values that a parsed
// certificate never holds; they are skipped without panicking. URI SANs
// are read from the encoded extension only, so cert.URIs alone never
// matches.
func TestMatchTLSClientAuthHandBuilt(t *testing.T) {
	t.Parallel()
	cert := &x509.Certificate{
		IPAddresses:    []net.IP{nil, {192, 0, 2}, net.ParseIP("192.0.2.10")},
		URIs:           []*url.URL{nil, {Scheme: "https", Host: "a.example"}},
		EmailAddresses: []string{"", "@", "no-at-sign", "a@"},
		DNSNames:       []string{""},
	}
	checkOutcome(t, match, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANIP: "192.0.2.10"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANIP: "192.0.2.11"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://a.example"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://b.example"}))
	cert.Extensions = []pkix.Extension{{Id: oidSubjectAltName, Value: sanValue(t, uriName("https://a.example"))}}
	checkOutcome(t, match, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://a.example"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://b.example"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANEmail: "a@b"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANDNS: "a"}))
	checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(&x509.Certificate{}, mtls.Identity{SANDNS: "a"}))
}

func mustCert(t *testing.T, o certOptions) *x509.Certificate {
	t.Helper()
	c, _ := newCert(t, o)
	return c
}

func TestMismatchErrorSAN(t *testing.T) {
	t.Parallel()
	cert, _ := newCert(t, certOptions{
		dns: []string{"a.example.com", "b.example.com"},
		ips: []string{"192.0.2.1", "::ffff:192.0.2.2", "2001:db8::1"},
	})

	err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANDNS: "c.example.com"})
	var me *mtls.MismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "tls_client_auth_san_dns", me.Field)
	assert.Equal(t, "c.example.com", me.Expected)
	assert.Equal(t, []string{"a.example.com", "b.example.com"}, me.Got)
	assert.Equal(t, `mtls: certificate does not match the registered tls_client_auth_san_dns "c.example.com"; the certificate has "a.example.com", "b.example.com"`, err.Error())

	// Got is a copy: changing it does not change the certificate.
	me.Got[0] = "changed"
	assert.Equal(t, "a.example.com", cert.DNSNames[0])

	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SANIP: "192.0.2.3"})
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "tls_client_auth_san_ip", me.Field)
	assert.Equal(t, []string{"192.0.2.1", "192.0.2.2", "2001:db8::1"}, me.Got)

	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://a.example.com"})
	require.ErrorAs(t, err, &me)
	assert.Empty(t, me.Got)
	assert.Equal(t, `mtls: certificate does not match the registered tls_client_auth_san_uri "https://a.example.com"; the certificate has none`, err.Error())

	// Certificate values are quoted, and only a few are listed.
	many := make([]string, 20)
	for i := range many {
		many[i] = fmt.Sprintf("h%d.example.com", i)
	}
	cert, _ = newCert(t, certOptions{dns: many})
	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SANDNS: "x.example.com"})
	require.ErrorAs(t, err, &me)
	assert.Len(t, me.Got, 20)
	assert.Contains(t, err.Error(), `"h7.example.com" and 12 more`)
	assert.NotContains(t, err.Error(), "h8.example.com")

	cert, _ = newCert(t, certOptions{rawSubject: rawName(t, rdn(atv(oidCN, "evil\nINFO forged log line")))})
	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: "CN=good"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
}

func TestErrorsIsAs(t *testing.T) {
	t.Parallel()
	sentinels := []error{mtls.ErrNoCertificate, mtls.ErrIdentity, mtls.ErrMismatch}
	for i, a := range sentinels {
		assert.True(t, strings.HasPrefix(a.Error(), "mtls: "), a.Error())
		for j, b := range sentinels {
			assert.Equal(t, i == j, errors.Is(a, b), "%v vs %v", a, b)
		}
	}

	me := &mtls.MismatchError{Field: "tls_client_auth_san_dns", Expected: "a", Got: []string{"b"}}
	assert.ErrorIs(t, me, mtls.ErrMismatch)
	assert.NotErrorIs(t, me, mtls.ErrIdentity)
	assert.NotErrorIs(t, me, mtls.ErrNoCertificate)
	wrapped := fmt.Errorf("client %q: %w", "c1", me)
	assert.ErrorIs(t, wrapped, mtls.ErrMismatch)
	var got *mtls.MismatchError
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, me, got)
	assert.Equal(t, `mtls: certificate does not match the registered tls_client_auth_san_dns "a"; the certificate has "b"`, me.Error())

	var nilErr *mtls.MismatchError
	assert.Equal(t, mtls.ErrMismatch.Error(), nilErr.Error())

	idErr := mtls.MatchTLSClientAuth(mustCert(t, certOptions{}), mtls.Identity{})
	require.False(t, errors.As(idErr, &got))
	assert.ErrorIs(t, idErr, mtls.ErrIdentity)
	assert.Contains(t, idErr.Error(), "exactly one")

	idErr = mtls.MatchTLSClientAuth(mustCert(t, certOptions{}), mtls.Identity{SANDNS: "a", SANURI: "b"})
	assert.Contains(t, idErr.Error(), "tls_client_auth_san_dns, tls_client_auth_san_uri")

	idErr = mtls.MatchTLSClientAuth(mustCert(t, certOptions{}), mtls.Identity{SubjectDN: "CN=a;O=b"})
	assert.Contains(t, idErr.Error(), "tls_client_auth_subject_dn")
	assert.Contains(t, idErr.Error(), "offset 4")
}

// ecJWK returns the public JWK of key as a JSON object, with an x5c when
// certs are given.
func ecJWK(t testing.TB, key *ecdsa.PublicKey, extra map[string]any, certs ...*x509.Certificate) map[string]any {
	t.Helper()
	ek, err := key.ECDH()
	require.NoError(t, err)
	point := ek.Bytes() // 0x04 || X || Y
	require.Len(t, point, 65)
	m := map[string]any{
		"kty": "EC",
		"crv": "P-256",
		"x":   base64.RawURLEncoding.EncodeToString(point[1:33]),
		"y":   base64.RawURLEncoding.EncodeToString(point[33:]),
	}
	for _, c := range certs {
		x5c, _ := m["x5c"].([]string)
		m["x5c"] = append(x5c, base64.StdEncoding.EncodeToString(c.Raw))
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func parseSet(t testing.TB, keys ...map[string]any) *jwks.Set {
	t.Helper()
	if keys == nil {
		keys = []map[string]any{}
	}
	data, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	set, err := jwks.Parse(data)
	require.NoError(t, err)
	return set
}

func TestMatchSelfSigned(t *testing.T) {
	t.Parallel()
	certA, keyA := newCert(t, certOptions{dns: []string{"a.example.com"}})
	certA2, _ := newCert(t, certOptions{key: keyA, dns: []string{"a2.example.com"}}) // same key, new certificate
	certB, keyB := newCert(t, certOptions{})
	edKey, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	fromPublic := func(keys ...crypto.PublicKey) *jwks.Set {
		set, err := jwks.FromPublicKeys(keys...)
		require.NoError(t, err)
		return set
	}
	emptySet := fromPublic()

	tests := []struct {
		name    string
		cert    *x509.Certificate
		keys    *jwks.Set
		want    outcome
		message string // substring of the error
	}{
		{"x5c match", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, nil, certA)), match, ""},
		{"x5c match among several keys", certA, parseSet(t,
			ecJWK(t, &keyB.PublicKey, map[string]any{"kid": "b"}, certB),
			ecJWK(t, &keyA.PublicKey, map[string]any{"kid": "a", "use": "sig"}, certA)), match, ""},
		{"x5c with a chain after it", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, nil, certA, certB)), match, ""},
		{"public key match via JWK", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, nil)), match, ""},
		{"public key match via FromPublicKeys", certA, fromPublic(edKey, &keyA.PublicKey), match, ""},
		{"public key match for a reissued certificate", certA2, parseSet(t, ecJWK(t, &keyA.PublicKey, nil, certA)), match, ""},
		{"key_ops verify", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, map[string]any{"key_ops": []string{"verify"}}, certA)), match, ""},

		{"different key", certA, parseSet(t, ecJWK(t, &keyB.PublicKey, nil, certB)), mismatch, "matches no signing key"},
		{"different key without x5c", certA, fromPublic(&keyB.PublicKey), mismatch, "matches no signing key"},
		{"other key types", certA, fromPublic(edKey, &rsaKey.PublicKey), mismatch, "matches no signing key"},
		{"encryption key", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, map[string]any{"use": "enc"}, certA)), mismatch, "matches no signing key"},
		{"key_ops without verify", certA, parseSet(t, ecJWK(t, &keyA.PublicKey, map[string]any{"key_ops": []string{"encrypt"}}, certA)), mismatch, "matches no signing key"},
		{"nil keys", certA, nil, mismatch, "no keys are registered"},
		{"empty parsed set", certA, parseSet(t), mismatch, "no keys are registered"},
		{"empty set", certA, emptySet, mismatch, "no keys are registered"},

		{"nil certificate", nil, parseSet(t, ecJWK(t, &keyA.PublicKey, nil, certA)), noCert, ""},
		{"nil certificate and keys", nil, nil, noCert, ""},
		{"certificate without DER", &x509.Certificate{PublicKey: &keyA.PublicKey}, fromPublic(&keyA.PublicKey), noCert, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := mtls.MatchSelfSigned(tt.cert, tt.keys)
			checkOutcome(t, tt.want, err)
			if tt.want != mismatch {
				return
			}
			assert.Contains(t, err.Error(), tt.message)
			var me *mtls.MismatchError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, "jwks", me.Field)
			assert.Equal(t, []string{mtls.Thumbprint(tt.cert)}, me.Got)
			assert.Contains(t, err.Error(), mtls.Thumbprint(tt.cert))
		})
	}
}

// TestMatchSelfSignedHandBuilt feeds certificates that a TLS stack would
// never produce; they must not match and must not panic.
func TestMatchSelfSignedHandBuilt(t *testing.T) {
	t.Parallel()
	key := newKey(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	edKey, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	set, err := jwks.FromPublicKeys(&key.PublicKey, &rsaKey.PublicKey, edKey)
	require.NoError(t, err)

	for _, pub := range []crypto.PublicKey{
		nil,
		&ecdsa.PublicKey{},
		(*ecdsa.PublicKey)(nil),
		&ecdsa.PublicKey{Curve: key.Curve},
		&rsa.PublicKey{},
		(*rsa.PublicKey)(nil),
		ed25519.PublicKey(nil),
		ed25519.PublicKey{1, 2, 3},
		"not a key",
	} {
		t.Run(fmt.Sprintf("%T", pub), func(t *testing.T) {
			cert := &x509.Certificate{Raw: []byte{0x30, 0x00}, PublicKey: pub}
			checkOutcome(t, mismatch, mtls.MatchSelfSigned(cert, set))
		})
	}
}
