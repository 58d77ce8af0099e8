package attacks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// TestInputsAreGenuine shows that the attack inputs are what they claim to
// be, so that a refusal is a refusal of the attack and not of a broken
// input: the weak-key and off-curve signatures verify under their keys, the
// non-canonical segments decode (leniently) to the canonical bytes, the
// HMAC secrets are the public key, the sized tokens have the exact size.
func TestInputsAreGenuine(t *testing.T) {
	f := newFixture()
	input := []byte("header.payload")
	digest := sha256.Sum256(input)

	t.Run("rsa 2047 and 1024 bits", func(t *testing.T) {
		for _, k := range []fixtures.RawRSAKey{f.rsa2047, f.rsa1024} {
			require.NoError(t, rsa.VerifyPSS(k.Public(), crypto.SHA256, digest[:], k.SignPSS(crypto.SHA256, input),
				&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}), "%d bits", k.N.BitLen())
		}
		assert.Equal(t, 2047, f.rsa2047.N.BitLen())
	})
	t.Run("rsa 768 bits", func(t *testing.T) {
		t.Setenv("GODEBUG", "rsa1024min=0") // lets crypto/rsa check the tiny key
		k := f.rsa768
		assert.Equal(t, 768, k.N.BitLen())
		require.NoError(t, rsa.VerifyPSS(k.Public(), crypto.SHA256, digest[:], k.SignPSS(crypto.SHA256, input),
			&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}))
	})
	t.Run("rsa e = 1", func(t *testing.T) {
		// Under e = 1 the signature s verifies when s mod n is a valid
		// EMSA-PSS encoding of the digest. Show it is one by re-signing s
		// with an ordinary key and verifying that with crypto/rsa.
		k := f.rsaE1
		require.Equal(t, 1, k.E)
		s := k.SignPSS(crypto.SHA256, input)
		assert.Equal(t, new(big.Int).SetBytes(s), new(big.Int).Exp(new(big.Int).SetBytes(s), big.NewInt(1), k.N), "s^1 mod n = s")
		other := fixtures.RawRSA(2048, 65537, "")
		if new(big.Int).SetBytes(s).Cmp(other.N) >= 0 {
			t.Skip("the encoded message exceeds the other modulus; rerun")
		}
		resigned := new(big.Int).Exp(new(big.Int).SetBytes(s), other.D, other.N).FillBytes(make([]byte, 256))
		require.NoError(t, rsa.VerifyPSS(other.Public(), crypto.SHA256, digest[:], resigned,
			&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}))
	})
	t.Run("p-224", func(t *testing.T) {
		sig := fixtures.SignBytes(f.p224, "ES256", input)
		require.Len(t, sig, 56)
		pub := f.p224.Public().(*ecdsa.PublicKey)
		assert.True(t, ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:28]), new(big.Int).SetBytes(sig[28:])))
		assert.Equal(t, "P-224", fixtures.ECJWK(f.p224)["crv"])
	})
	t.Run("secp256k1", func(t *testing.T) {
		k := f.k1
		p, _ := new(big.Int).SetString("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16)
		lhs := new(big.Int).Exp(k.Y, big.NewInt(2), p)
		rhs := new(big.Int).Exp(k.X, big.NewInt(3), p)
		rhs.Add(rhs, big.NewInt(7)).Mod(rhs, p)
		require.Equal(t, lhs, rhs, "the key is on the curve")
		sig := k.Sign(input)
		assert.True(t, fixtures.VerifySecp256k1(k.X, k.Y, input, sig))
		sig[5] ^= 1
		assert.False(t, fixtures.VerifySecp256k1(k.X, k.Y, input, sig))
	})
	t.Run("hmac secrets are the public key", func(t *testing.T) {
		for _, c := range []carrierID{ro, dp} {
			want := f.Key.Public()
			if c == dp {
				want = f.dpop.Public()
			}
			block, _ := pem.Decode(f.publicKeyBytes(c, "pem"))
			require.NotNil(t, block)
			for _, der := range [][]byte{block.Bytes, f.publicKeyBytes(c, "der")} {
				got, err := x509.ParsePKIXPublicKey(der)
				require.NoError(t, err)
				assert.True(t, got.(interface{ Equal(crypto.PublicKey) bool }).Equal(want))
			}
			var jwk map[string]any
			require.NoError(t, json.Unmarshal(f.publicKeyBytes(c, "jwk"), &jwk))
			assert.NotContains(t, jwk, "d")
		}
		assert.Contains(t, string(fixtures.JWKS(f.Key)), string(f.publicKeyBytes(ro, "jwk")), "the JWK bytes are those the registration publishes")
	})
	t.Run("non-canonical segments decode to the canonical bytes", func(t *testing.T) {
		for c := range carriers {
			_, _, ss := parts(f.valid(carrierID(c)))
			want, err := base64.RawURLEncoding.Strict().DecodeString(ss)
			require.NoError(t, err)
			lenient := func(s string) []byte {
				s = strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(s), "=")
				b, err := base64.RawURLEncoding.DecodeString(s)
				require.NoError(t, err)
				return b
			}
			assert.Equal(t, want, lenient(padded(ss)))
			assert.Equal(t, want, lenient(trailingBits(ss)))
			assert.NotEqual(t, ss, trailingBits(ss))
			assert.Equal(t, want, lenient(stdAlphabet(ss)))
		}
	})
	t.Run("sized tokens", func(t *testing.T) {
		for c := range carriers {
			h, claims, s := f.base(carrierID(c))
			for _, size := range []int{4096, 4097, 65536, 65537} {
				assert.Len(t, sized(h, claims, s, size), size)
			}
		}
	})
}
