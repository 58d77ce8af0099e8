package testfixture_test

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/internal/testfixture"
)

func TestSignedTokensVerify(t *testing.T) {
	keys := []testfixture.Key{
		testfixture.RSA(2048, "r", "PS256"),
		testfixture.EC(elliptic.P256(), "e", "ES256"),
		testfixture.Ed25519("o"),
	}
	for _, k := range keys {
		t.Run(k.Alg, func(t *testing.T) {
			set, err := jose.ParseKeySet(testfixture.JWKS(k))
			require.NoError(t, err)
			tok, err := jose.Parse(testfixture.Sign(k, "", map[string]any{"a": 1}, nil), 0)
			require.NoError(t, err)
			_, err = tok.Verify([]string{k.Alg}, set)
			assert.NoError(t, err)

			bad, err := jose.Parse(testfixture.Tamper(testfixture.Sign(k, "", map[string]any{"a": 1}, nil)), 0)
			require.NoError(t, err)
			_, err = bad.Verify([]string{k.Alg}, set)
			assert.Error(t, err)
		})
	}
}

func TestSmallRSAKeysAndCertificates(t *testing.T) {
	small := testfixture.RSA(1024, "s", "PS256")
	set, err := jose.ParseKeySet(testfixture.JWKS(small))
	require.NoError(t, err, "small keys parse; their size is judged by the profile")
	assert.Equal(t, 1, set.Len())

	k := testfixture.EC(elliptic.P256(), "c", "ES256").WithCert(pkix.Name{CommonName: "x"})
	assert.Contains(t, k.CertPEM(), "BEGIN CERTIFICATE")
	set, err = jose.ParseKeySet(testfixture.JWKS(k))
	require.NoError(t, err)
	require.Len(t, set.Keys()[0].Certificates, 1)
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", testfixture.S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
}
