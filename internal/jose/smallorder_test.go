package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

// TestSmallOrderEd25519KeysRefused: with a small-order point as the public
// key, a signature can be forged for any message, so such keys are refused
// when parsed and never used to verify.
func TestSmallOrderEd25519KeysRefused(t *testing.T) {
	identity := make([]byte, 32)
	identity[0] = 1
	withSign := append([]byte(nil), identity...)
	withSign[31] |= 0x80
	for name, x := range map[string][]byte{"identity": identity, "identity with sign bit": withSign, "zero": make([]byte, 32)} {
		t.Run(name, func(t *testing.T) {
			jwk := `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + base64.RawURLEncoding.EncodeToString(x) + `"}]}`
			_, err := jose.ParseKeySet([]byte(jwk))
			assert.ErrorIs(t, err, jose.ErrInvalidKeySet)

			// The forgery: R = identity, S = 0 verifies for any message
			// under the identity key with plain RFC 8032 verification.
			forged := "eyJhbGciOiJFZERTQSJ9.e30." + base64.RawURLEncoding.EncodeToString(append(append([]byte{}, identity...), make([]byte, 32)...))
			tok, err := jose.Parse(forged, 0)
			require.NoError(t, err)
			assert.Error(t, tok.VerifyWithKey([]string{"EdDSA"}, ed25519.PublicKey(x)))
		})
	}
}

func TestEmptyKeyOpsPermitsNothing(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	x := base64.RawURLEncoding.EncodeToString(pub)
	set, err := jose.ParseKeySet([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `","key_ops":[]}]}`))
	require.NoError(t, err)
	tok := fixtures.SignRawPayload(fixtures.Key{Private: priv}, "EdDSA", `{}`)
	parsed, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	_, err = parsed.Verify([]string{"EdDSA"}, set)
	assert.ErrorIs(t, err, jose.ErrNoKey)
}

func TestRSAModulusCap(t *testing.T) {
	n := make([]byte, jose.MaxRSABits/8+1)
	n[0] = 1 // 8193 bits
	n[len(n)-1] = 1
	jwk := `{"keys":[{"kty":"RSA","e":"AQAB","n":"` + base64.RawURLEncoding.EncodeToString(n) + `"}]}`
	_, err := jose.ParseKeySet([]byte(jwk))
	assert.ErrorIs(t, err, jose.ErrInvalidKeySet)
}

func TestCandidateKeysAreBounded(t *testing.T) {
	var privs []*ecdsa.PrivateKey
	var pubs []crypto.PublicKey
	for i := 0; i <= jose.MaxCandidates; i++ {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		privs = append(privs, k)
		pubs = append(pubs, k.Public())
	}
	set, err := jose.NewKeySet(pubs...)
	require.NoError(t, err)
	// Signed by the last key, without a kid: more candidates than the
	// bound would have to be tried.
	tok := fixtures.SignRawPayload(fixtures.Key{Private: privs[len(privs)-1]}, "ES256", `{}`)
	parsed, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	_, err = parsed.Verify([]string{"ES256"}, set)
	assert.ErrorIs(t, err, jose.ErrNoKey)

	// The first key is found before the bound.
	tok = fixtures.SignRawPayload(fixtures.Key{Private: privs[0]}, "ES256", `{}`)
	parsed, err = jose.Parse(tok, 0)
	require.NoError(t, err)
	_, err = parsed.Verify([]string{"ES256"}, set)
	assert.NoError(t, err)
}
