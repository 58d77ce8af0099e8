package jwks_test

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/jwks"
)

var (
	rsaKey = fixtures.RSA(2048, "rsa", "PS256")
	ecKey  = fixtures.EC(elliptic.P256(), "ec", "ES256").WithCert(pkix.Name{CommonName: "client.example.org"})
	ec384  = fixtures.EC(elliptic.P384(), "ec384", "ES384")
	ec521  = fixtures.EC(elliptic.P521(), "ec521", "ES512")
	edKey  = fixtures.Ed25519("ed")
)

func TestParse(t *testing.T) {
	keys := []fixtures.Key{rsaKey, ecKey, ec384, ec521, edKey}
	set, err := jwks.Parse(fixtures.JWKS(keys...))
	require.NoError(t, err)
	require.Equal(t, len(keys), set.Len())
	for i, k := range set.Keys() {
		var key jwks.Key = k
		assert.Equal(t, keys[i].ID, key.ID)
		assert.Equal(t, keys[i].Alg, key.Algorithm)
		assert.Equal(t, "sig", key.Use)
		assert.True(t, jose.SamePublicKey(keys[i].Public(), key.Public))
		tp, err := jose.Thumbprint(keys[i].Public())
		require.NoError(t, err)
		assert.Equal(t, tp, key.Thumbprint)
	}
	require.Len(t, set.Keys()[1].Certificates, 1)
	assert.Equal(t, ecKey.Cert.Raw, set.Keys()[1].Certificates[0].Raw)

	small, err := jwks.Parse(fixtures.JWKS(fixtures.RSA(1024, "small", "PS256")))
	require.NoError(t, err, "key sizes are judged by the callers, not by Parse")
	assert.Equal(t, 1024, small.Keys()[0].Public.(*rsa.PublicKey).N.BitLen())
}

func TestParseRefusals(t *testing.T) {
	var m map[string]any
	require.NoError(t, json.Unmarshal(fixtures.JWKS(rsaKey), &struct {
		Keys []*map[string]any `json:"keys"`
	}{Keys: []*map[string]any{&m}}))
	one := func(mod func(map[string]any)) string {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		mod(c)
		b, err := json.Marshal(map[string]any{"keys": []any{c}})
		require.NoError(t, err)
		return string(b)
	}
	rsaText := one(func(map[string]any) {})
	keysOf := func(n int) string {
		return `{"keys":[` + strings.Repeat(rsaText[len(`{"keys":[`):len(rsaText)-2]+",", n-1) + rsaText[len(`{"keys":[`):]
	}
	pad := func(size int) string {
		prefix, suffix := `{"keys":[],"pad":"`, `"}`
		return prefix + strings.Repeat("x", size-len(prefix)-len(suffix)) + suffix
	}
	require.Len(t, pad(jwks.MaxSize), jwks.MaxSize)
	_, err := jwks.Parse([]byte(pad(jwks.MaxSize)))
	require.NoError(t, err)
	set, err := jwks.Parse([]byte(keysOf(jwks.MaxKeys)))
	require.NoError(t, err)
	require.Equal(t, jwks.MaxKeys, set.Len())

	for name, data := range map[string]string{
		"empty":            ``,
		"not JSON":         `keys`,
		"keys missing":     `{}`,
		"keys not array":   `{"keys":{}}`,
		"element not obj":  `{"keys":["x"]}`,
		"duplicate keys":   `{"keys":[],"keys":[]}`,
		"duplicate member": strings.Replace(rsaText, `"kty":"RSA"`, `"kty":"RSA","kty":"RSA"`, 1),
		"private d":        one(func(c map[string]any) { c["d"] = "AQAB" }),
		"private p":        one(func(c map[string]any) { c["p"] = "AQAB" }),
		"kty oct":          `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`,
		"unknown kty":      one(func(c map[string]any) { c["kty"] = "XYZ" }),
		"OKP X25519":       `{"keys":[{"kty":"OKP","crv":"X25519","x":"` + strings.Repeat("A", 43) + `"}]}`,
		"too many keys":    keysOf(jwks.MaxKeys + 1),
		"too large":        pad(jwks.MaxSize + 1),
	} {
		t.Run(name, func(t *testing.T) {
			var set *jwks.Set
			var err error
			require.NotPanics(t, func() { set, err = jwks.Parse([]byte(data)) })
			assert.Nil(t, set)
			require.Error(t, err)
			assert.ErrorIs(t, err, jwks.ErrInvalid)
			assert.ErrorIs(t, err, jose.ErrInvalidKeySet)
		})
	}
}

func TestLimitsAndErrorsMatchJose(t *testing.T) {
	assert.Equal(t, jose.MaxKeySetSize, jwks.MaxSize)
	assert.Equal(t, jose.MaxKeys, jwks.MaxKeys)
	assert.True(t, errors.Is(jwks.ErrInvalid, jose.ErrInvalidKeySet))
}

func TestFromPublicKeys(t *testing.T) {
	pubs := []crypto.PublicKey{rsaKey.Public(), ecKey.Public(), ec384.Public(), ec521.Public(), edKey.Public()}
	set, err := jwks.FromPublicKeys(pubs...)
	require.NoError(t, err)
	require.Equal(t, len(pubs), set.Len())
	for i, k := range set.Keys() {
		assert.Empty(t, k.ID)
		assert.Empty(t, k.Algorithm)
		assert.Empty(t, k.Use)
		assert.True(t, jose.SamePublicKey(pubs[i], k.Public))
		assert.Len(t, k.Thumbprint, 43)
	}

	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	ecPub := ecKey.Public().(*ecdsa.PublicKey)
	for name, bad := range map[string]crypto.PublicKey{
		"nil":                    nil,
		"typed nil RSA":          (*rsa.PublicKey)(nil),
		"typed nil EC":           (*ecdsa.PublicKey)(nil),
		"RSA private key":        rsaKey.Private,
		"EC private key":         ecKey.Private,
		"Ed25519 private key":    edKey.Private,
		"X25519 public key":      x25519.PublicKey(),
		"P-224":                  &p224.PublicKey,
		"EC without coordinates": &ecdsa.PublicKey{Curve: elliptic.P256()},
		"EC off the curve":       &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X, Y: new(big.Int).Add(ecPub.Y, big.NewInt(1))},
		"RSA without modulus":    &rsa.PublicKey{E: 65537},
		"Ed25519 short":          ed25519.PublicKey(make([]byte, 8)),
		"certificate":            ecKey.Cert,
		"bytes":                  []byte("key"),
	} {
		t.Run(name, func(t *testing.T) {
			var set *jwks.Set
			var err error
			require.NotPanics(t, func() { set, err = jwks.FromPublicKeys(rsaKey.Public(), bad) })
			assert.Nil(t, set)
			assert.ErrorIs(t, err, jwks.ErrInvalid)
		})
	}

	tooMany := make([]crypto.PublicKey, jwks.MaxKeys+1)
	for i := range tooMany {
		tooMany[i] = edKey.Public()
	}
	_, err = jwks.FromPublicKeys(tooMany...)
	assert.ErrorIs(t, err, jwks.ErrInvalid)
}

// TestSetConcurrentUse verifies through one Set from 16 goroutines; run
// with -race.
func TestSetConcurrentUse(t *testing.T) {
	set, err := jwks.Parse(fixtures.JWKS(rsaKey, ecKey, edKey))
	require.NoError(t, err)
	claims := map[string]any{"iss": "c", "aud": "https://as.example.com", "exp": 1900000000}
	good := []string{
		fixtures.Sign(rsaKey, "", claims, nil),
		fixtures.Sign(ecKey, "", claims, nil),
		fixtures.Sign(edKey, "", claims, nil),
	}
	bad := fixtures.Tamper(good[1])
	allowed := []string{"PS256", "ES256", "EdDSA"}
	var wg sync.WaitGroup
	errs := make(chan error, 16*50)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				tok := good[(g+i)%len(good)]
				j, err := jose.Parse(tok, 0)
				if err != nil {
					errs <- err
					continue
				}
				if _, err := j.Verify(allowed, set); err != nil {
					errs <- err
				}
				jb, err := jose.Parse(bad, 0)
				if err != nil {
					errs <- err
					continue
				}
				if _, err := jb.Verify(allowed, set); !errors.Is(err, jose.ErrSignatureInvalid) {
					errs <- errors.New("tampered token: unexpected result")
				}
				_ = set.Len()
				_ = set.Keys()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
