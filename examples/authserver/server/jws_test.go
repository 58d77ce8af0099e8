package server

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignJWS verifies what signJWS produces with the standard library,
// independently of the library's own JOSE code.
func TestSignJWS(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)

	tests := []struct {
		name string
		alg  string
		key  crypto.Signer
		ok   bool
	}{
		{"PS256 with RSA", "PS256", rsaKey, true},
		{"ES256 with P-256", "ES256", ecKey, true},
		{"RS256 refused", "RS256", rsaKey, false},
		{"ES256 with RSA refused", "ES256", rsaKey, false},
		{"PS256 with EC refused", "PS256", ecKey, false},
		{"ES256 with P-384 refused", "ES256", p384, false},
		{"Ed25519 refused", "EdDSA", edKey, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := signJWS(tt.alg, tt.key, map[string]any{"kid": "k1", "alg": "none"}, []byte(`{"a":1}`))
			if !tt.ok {
				assert.Error(t, err)
				assert.Empty(t, tok)
				return
			}
			require.NoError(t, err)
			parts := strings.Split(tok, ".")
			require.Len(t, parts, 3)
			hdr, err := b64.DecodeString(parts[0])
			require.NoError(t, err)
			var h map[string]any
			require.NoError(t, json.Unmarshal(hdr, &h))
			assert.Equal(t, map[string]any{"alg": tt.alg, "kid": "k1"}, h, "alg is the one signed with, whatever header says")
			payload, err := b64.DecodeString(parts[1])
			require.NoError(t, err)
			assert.Equal(t, `{"a":1}`, string(payload))
			sig, err := b64.DecodeString(parts[2])
			require.NoError(t, err)
			digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
			switch k := tt.key.(type) {
			case *rsa.PrivateKey:
				assert.NoError(t, rsa.VerifyPSS(&k.PublicKey, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}))
			case *ecdsa.PrivateKey:
				require.Len(t, sig, 64)
				r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
				assert.True(t, ecdsa.Verify(&k.PublicKey, digest[:], r, s))
			}
		})
	}
}

func TestPublicJWKS(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	set, err := publicJWKS(&rsaKey.PublicKey, "r1", "PS256")
	require.NoError(t, err)
	var got struct{ Keys []map[string]string }
	require.NoError(t, json.Unmarshal(set, &got))
	require.Len(t, got.Keys, 1)
	assert.Equal(t, "RSA", got.Keys[0]["kty"])
	assert.Equal(t, b64.EncodeToString(rsaKey.N.Bytes()), got.Keys[0]["n"])
	assert.Equal(t, "AQAB", got.Keys[0]["e"])
	assert.Equal(t, "r1", got.Keys[0]["kid"])
	assert.NotContains(t, got.Keys[0], "d", "no private member")

	set, err = publicJWKS(&ecKey.PublicKey, "e1", "ES256")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(set, &got))
	assert.Equal(t, "P-256", got.Keys[0]["crv"])
	assert.Len(t, got.Keys[0]["x"], 43)
	assert.NotContains(t, got.Keys[0], "d")

	_, err = publicJWKS(nil, "", "")
	assert.Error(t, err)
	_, err = publicJWKS(ed25519.PublicKey(make([]byte, 32)), "", "")
	assert.Error(t, err)
}
