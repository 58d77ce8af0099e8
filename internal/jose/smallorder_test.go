package jose_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	tok, err := jose.Sign("EdDSA", priv, nil, []byte(`{}`))
	require.NoError(t, err)
	parsed, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	_, err = parsed.Verify([]string{"EdDSA"}, set)
	assert.ErrorIs(t, err, jose.ErrNoKey)
}
