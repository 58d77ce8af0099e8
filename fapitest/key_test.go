package fapitest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/requestobject"
)

var now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// Every algorithm's signature verifies with the library's JOSE package
// (which uses another implementation), and a changed payload does not.
func TestSignJWTVerifiesEveryAlgorithm(t *testing.T) {
	for _, alg := range fapitest.Algorithms {
		t.Run(alg, func(t *testing.T) {
			k, err := fapitest.NewKey(alg)
			require.NoError(t, err)
			assert.Equal(t, alg, k.Alg)
			tok, err := fapitest.SignJWT(k, map[string]any{"typ": "JWT"}, fapitest.Claims{"a": 1})
			require.NoError(t, err)
			parsed, err := jose.Parse(tok, 0)
			require.NoError(t, err)
			assert.Equal(t, alg, parsed.Header.Alg)
			assert.Equal(t, k.ID, parsed.Header.Kid)

			forged, err := jose.Parse(tok[:len(tok)-4]+"AAAA", 0)
			require.NoError(t, err)
			if k.Public() == nil {
				assert.Empty(t, k.ID, "an HMAC key has no thumbprint kid")
				assert.NoError(t, parsed.VerifySecret([]string{alg}, k.Secret()))
				assert.Error(t, forged.VerifySecret([]string{alg}, k.Secret()))
				_, err := k.PublicJWKS()
				assert.Error(t, err, "an HMAC key has no public JWK")
				return
			}
			set, err := k.PublicJWKS()
			require.NoError(t, err)
			keys, err := jose.ParseKeySet(set)
			require.NoError(t, err)
			_, err = parsed.Verify([]string{alg}, keys)
			assert.NoError(t, err)
			_, err = forged.Verify([]string{alg}, keys)
			assert.Error(t, err)

			tp, err := k.Thumbprint()
			require.NoError(t, err)
			want, err := jose.Thumbprint(k.Public())
			require.NoError(t, err)
			assert.Equal(t, want, tp, "RFC 7638 thumbprint")
			assert.Equal(t, tp, k.ID)
		})
	}
}

func TestKeyConstruction(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name    string
		make    func() (*fapitest.Key, error)
		wantErr string
	}{
		{"unknown algorithm", func() (*fapitest.Key, error) { return fapitest.NewKey("ES256K") }, `unknown algorithm "ES256K"`},
		{"none is not a key", func() (*fapitest.Key, error) { return fapitest.NewKey("none") }, `unknown algorithm "none"`},
		{"RSA key for ES256", func() (*fapitest.Key, error) { return fapitest.NewKeyFromSigner("ES256", rsaKey) }, `an RSA key cannot sign "ES256"`},
		{"P-384 key for ES256", func() (*fapitest.Key, error) { return fapitest.NewKeyFromSigner("ES256", p384) }, `on P-384 cannot sign "ES256"`},
		{"nil signer", func() (*fapitest.Key, error) { return fapitest.NewKeyFromSigner("PS256", nil) }, "nil signer"},
		{"secret for PS256", func() (*fapitest.Key, error) { return fapitest.NewSecretKey("PS256", []byte("s")) }, "not an HMAC algorithm"},
		{"RS256 from a PS256 key", func() (*fapitest.Key, error) { return fapitest.Must(fapitest.NewKey("PS256")).WithAlg("RS256") }, ""},
		{"ES256 from a PS256 key", func() (*fapitest.Key, error) { return fapitest.Must(fapitest.NewKey("PS256")).WithAlg("ES256") }, `cannot sign "ES256"`},
		{"P-384 key for ES384", func() (*fapitest.Key, error) { return fapitest.NewKeyFromSigner("ES384", p384) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := tt.make()
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Nil(t, k)
				return
			}
			require.NoError(t, err)
			_, err = fapitest.SignJWT(k, nil, fapitest.Claims{})
			assert.NoError(t, err)
		})
	}
}

func TestSignJWTHeader(t *testing.T) {
	k := fapitest.Must(fapitest.NewKey("ES256"))
	tests := []struct {
		name    string
		header  map[string]any
		wantKid string
		wantErr string
	}{
		{"kid of the key", nil, k.ID, ""},
		{"kid replaced", map[string]any{"kid": "other"}, "other", ""},
		{"kid removed", map[string]any{"kid": nil}, "", ""},
		{"alg refused", map[string]any{"alg": "none"}, "", `"alg" is the key's Alg`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := fapitest.SignJWT(k, tt.header, fapitest.Claims{})
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			parsed, err := jose.Parse(tok, 0)
			require.NoError(t, err)
			assert.Equal(t, tt.wantKid, parsed.Header.Kid)
		})
	}
}

func TestUnsignedIsRefused(t *testing.T) {
	tok, err := fapitest.Unsigned(fapitest.Claims{"iss": "c"})
	require.NoError(t, err)
	_, err = jose.Parse(tok, 0)
	assert.ErrorIs(t, err, jose.ErrUnsigned)
}

func TestClientCertificate(t *testing.T) {
	k := fapitest.Must(fapitest.NewKey("ES256"))
	cert, err := fapitest.NewClientCertificate(k, pkix.Name{CommonName: "client.example.org", Organization: []string{"Example"}}, "client.example.org")
	require.NoError(t, err)
	assert.Equal(t, "client.example.org", cert.Subject.CommonName)
	assert.True(t, jose.SamePublicKey(k.Public(), cert.PublicKey))
	assert.NotEmpty(t, mtls.Thumbprint(cert))

	k.Certificate = cert
	set, err := k.PublicJWKS()
	require.NoError(t, err)
	keys, err := jose.ParseKeySet(set)
	require.NoError(t, err)
	require.Len(t, keys.Keys()[0].Certificates, 1)
	assert.Equal(t, cert.Raw, keys.Keys()[0].Certificates[0].Raw)

	_, err = fapitest.NewClientCertificate(fapitest.Must(fapitest.NewKey("HS256")), pkix.Name{})
	assert.Error(t, err)
}

func TestObjectsVerify(t *testing.T) {
	client := fapitest.Must(fapitest.NewKey("PS256"))
	keys, err := jwks.Parse(fapitest.Must(client.PublicJWKS()))
	require.NoError(t, err)

	t.Run("request object", func(t *testing.T) {
		claims, err := fapitest.RequestObjectClaims("https://as.example.com", "c1", map[string]string{
			"response_type": "code",
			"scope":         "openid",
			"claims":        `{"id_token":{"acr":{"essential":true}}}`,
		}, now)
		require.NoError(t, err)
		obj, errs := requestobject.Verify(fapitest.Must(fapitest.RequestObject(client, claims)), keys, requestobject.Rules{
			Algorithms: []string{"PS256"}, Issuer: "https://as.example.com", ClientID: "c1",
			RequireExp: true, RequireNbf: true, RequireAud: true, MaxLifetime: time.Hour, MaxNbfAge: time.Hour,
		}, now)
		require.Empty(t, errs)
		assert.Equal(t, "PS256", obj.Algorithm)
		scope, _ := obj.Param("scope")
		assert.Equal(t, "openid", scope.Value)

		_, err = fapitest.RequestObjectClaims("https://as.example.com", "c1", map[string]string{"claims": "{"}, now)
		assert.ErrorContains(t, err, "claims parameter is not a JSON object")
	})
	t.Run("client assertion", func(t *testing.T) {
		a, errs := clientassertion.Verify(fapitest.Must(fapitest.ClientAssertion(client, fapitest.ClientAssertionClaims("c1", "https://as.example.com", now))), keys, clientassertion.Rules{
			Type: clientassertion.TypeJWTBearer, Algorithms: []string{"PS256"}, ClientID: "c1", Audiences: []string{"https://as.example.com"},
		}, now)
		require.Empty(t, errs)
		assert.NotEmpty(t, a.JWTID)
	})
	t.Run("DPoP proof", func(t *testing.T) {
		dk := fapitest.Must(fapitest.NewKey("ES256"))
		claims := fapitest.DPoPClaims("POST", "https://as.example.com/token", now).With("ath", fapitest.AccessTokenHash("at"))
		p, errs := dpop.Verify([]string{fapitest.Must(fapitest.DPoPProof(dk, claims))}, dpop.Rules{
			Method: "POST", URL: "https://as.example.com/token", Algorithms: []string{"ES256"}, AccessToken: "at",
		}, now)
		require.Empty(t, errs)
		jkt, err := dk.Thumbprint()
		require.NoError(t, err)
		assert.NoError(t, dpop.MatchJKT(p, jkt))

		_, err = fapitest.DPoPProof(fapitest.Must(fapitest.NewKey("HS256")), claims)
		assert.Error(t, err)
	})
}

func TestClaimsWith(t *testing.T) {
	c := fapitest.Claims{"a": 1, "b": 2}
	assert.Equal(t, fapitest.Claims{"a": 1, "c": 3}, c.With("b", nil, "c", 3))
	assert.Equal(t, fapitest.Claims{"b": 2}, c.Without("a"))
	assert.Equal(t, fapitest.Claims{"a": 1, "b": 2}, c, "the original is unchanged")
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1,"b":2}`, string(b))
}
