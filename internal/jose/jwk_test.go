package jose_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// jwkText is the JSON of the public JWK of k, with members changed by
// the name/value pairs of kv (a nil value removes the member).
func jwkText(t testing.TB, k fixtures.Key, kv ...any) string {
	t.Helper()
	m := jwkMaps(t, k)[0]
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
			continue
		}
		m[kv[i].(string)] = kv[i+1]
	}
	return mustJSON(t, m)
}

func TestParsePublicJWKValid(t *testing.T) {
	withCert := ecB.WithCert(pkix.Name{CommonName: "client.example.org"})
	tests := []struct {
		key  fixtures.Key
		kty  string
		text string
	}{
		{rsaA, "RSA", jwkText(t, rsaA)},
		{ecA, "EC", jwkText(t, ecA)},
		{ec384, "EC", jwkText(t, ec384)},
		{ec521, "EC", jwkText(t, ec521)},
		{edA, "OKP", jwkText(t, edA)},
		{withCert, "EC", jwkText(t, withCert)},
		// A DPoP "jwk" usually carries only the required members.
		{ecA, "EC", jwkText(t, ecA, "kid", nil, "alg", nil, "use", nil)},
	}
	for _, tt := range tests {
		t.Run(tt.kty+" "+tt.key.ID, func(t *testing.T) {
			k, err := jose.ParsePublicJWK([]byte(tt.text))
			require.NoError(t, err)
			assert.Equal(t, tt.kty, k.Type)
			assert.True(t, jose.SamePublicKey(tt.key.Public(), k.Public))
			assert.Equal(t, jwxThumbprint(t, tt.key.Public()), k.Thumbprint)
			tp, err := jose.Thumbprint(k.Public)
			require.NoError(t, err)
			assert.Equal(t, tp, k.Thumbprint)

			// Exactly what ParseKeySet makes of the same key.
			set, err := jose.ParseKeySet([]byte(`{"keys":[` + tt.text + `]}`))
			require.NoError(t, err)
			assert.Equal(t, set.Keys()[0], k)
		})
	}

	// RFC 7638 §3.1: the thumbprint of the RFC's example key.
	k, err := jose.ParsePublicJWK([]byte(rfc7638Key))
	require.NoError(t, err)
	assert.Equal(t, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", k.Thumbprint)
	assert.Equal(t, "2011-04-29", k.ID)
	assert.Equal(t, jose.RS256, k.Algorithm)
}

func TestParsePublicJWKPrivate(t *testing.T) {
	pad := b64(make([]byte, 32))
	tests := []struct {
		name   string
		text   string
		member string
	}{
		{"RSA d", jwkText(t, rsaA, "d", "AQAB"), "d"},
		{"RSA p", jwkText(t, rsaA, "p", "AQAB"), "p"},
		{"RSA q", jwkText(t, rsaA, "q", "AQAB"), "q"},
		{"RSA dp", jwkText(t, rsaA, "dp", "AQAB"), "dp"},
		{"RSA dq", jwkText(t, rsaA, "dq", "AQAB"), "dq"},
		{"RSA qi", jwkText(t, rsaA, "qi", "AQAB"), "qi"},
		{"RSA oth", jwkText(t, rsaA, "oth", []map[string]string{{"r": "AQAB", "d": "AQAB", "t": "AQAB"}}), "oth"},
		{"RSA d null", jwkText(t, rsaA, "d", json.RawMessage(`null`)), "d"},
		{"RSA d empty", jwkText(t, rsaA, "d", ""), "d"},
		{"EC d", jwkText(t, ecA, "d", pad), "d"},
		{"OKP d", jwkText(t, edA, "d", pad), "d"},
		{"kty oct", `{"kty":"oct","k":"` + b64s("secret") + `"}`, "k"},
		{"k on an EC key", jwkText(t, ecA, "k", "c2VjcmV0"), "k"},
		{"d on a malformed key", `{"kty":"EC","d":"` + pad + `"}`, "d"},
		{"d on a key without kty", `{"d":"` + pad + `"}`, "d"},
		{"d as a number", jwkText(t, ecA, "d", 1), "d"},
		{"d spelled with an escape", strings.Replace(jwkText(t, ecA), `{`, `{"\u0064":"`+pad+`",`, 1), "d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := jose.ParsePublicJWK([]byte(tt.text))
			assert.Zero(t, k)
			assertKind(t, err, jose.ErrInvalidKeySet)
			assert.ErrorIs(t, err, jose.ErrPrivateKey)
			assertField(t, err, tt.member)
			assert.Contains(t, err.Error(), tt.member)
		})
	}
}

func TestParsePublicJWKInvalid(t *testing.T) {
	ecPub := ecA.Public().(*ecdsa.PublicKey)
	offY := new(big.Int).Add(ecPub.Y, big.NewInt(1)).FillBytes(make([]byte, 32))
	// A small-order Ed25519 point (the identity): signatures "verify" for
	// any message.
	identity := make([]byte, ed25519.PublicKeySize)
	identity[0] = 1
	bigN := new(big.Int).Lsh(big.NewInt(1), jose.MaxRSABits)
	bigN.Add(bigN, big.NewInt(1))
	otherCert := ecB.WithCert(pkix.Name{CommonName: "other"}).Cert

	tests := []struct {
		name string
		text string
	}{
		{"empty", ``},
		{"null", `null`},
		{"array", `[` + jwkText(t, ecA) + `]`},
		{"string", `"` + b64s(jwkText(t, ecA)) + `"`},
		{"a JWK Set", `{"keys":[` + jwkText(t, ecA) + `]}`},
		{"empty object", `{}`},
		{"not JSON", `kty=EC`},
		{"trailing data", jwkText(t, ecA) + ` {}`},
		{"invalid UTF-8", strings.Replace(jwkText(t, ecA), `{`, "{\"kid\":\"\xff\",", 1)},
		{"duplicate kty", strings.Replace(jwkText(t, ecA), `{`, `{"kty":"RSA",`, 1)},
		{"duplicate x via escape", strings.Replace(jwkText(t, ecA), `{`, `{"\u0078":"AQAB",`, 1)},
		{"kty missing", jwkText(t, ecA, "kty", nil)},
		{"kty oct without k", `{"kty":"oct"}`},
		{"kty unknown", jwkText(t, ecA, "kty", "DSA")},
		{"kty number", jwkText(t, ecA, "kty", 1)},
		{"X25519", `{"kty":"OKP","crv":"X25519","x":"` + b64(make([]byte, 32)) + `"}`},
		{"Ed448", `{"kty":"OKP","crv":"Ed448","x":"` + b64(make([]byte, 57)) + `"}`},
		{"secp256k1", jwkText(t, ecA, "crv", "secp256k1")},
		{"EC point not on the curve", jwkText(t, ecA, "y", b64(offY))},
		{"EC short x", jwkText(t, ecA, "x", b64(make([]byte, 31)))},
		{"Ed25519 small order", jwkText(t, edA, "x", b64(identity))},
		{"Ed25519 short", jwkText(t, edA, "x", b64(make([]byte, 31)))},
		{"RSA above the size limit", jwkText(t, rsaA, "n", b64(bigN.Bytes()))},
		{"RSA e leading zero", jwkText(t, rsaA, "e", "AAEAAQ")},
		{"x with padding", jwkText(t, ecA, "x", b64(ecPub.X.FillBytes(make([]byte, 32)))+"=")},
		{"x5c of another key", jwkText(t, ecA, "x5c", []string{base64.StdEncoding.EncodeToString(otherCert.Raw)})},
		{"too large", `{"kty":"EC","pad":"` + strings.Repeat("a", jose.MaxKeySetSize) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := jose.ParsePublicJWK([]byte(tt.text))
			assert.Zero(t, k)
			assertKind(t, err, jose.ErrInvalidKeySet)
			assert.NotErrorIs(t, err, jose.ErrPrivateKey)
			// The same key is refused inside a JWK Set.
			if len(tt.text) < jose.MaxKeySetSize {
				set, err := jose.ParseKeySet([]byte(`{"keys":[` + tt.text + `]}`))
				assert.True(t, err != nil || set.Len() != 1, "ParseKeySet accepted it")
			}
		})
	}
}

// TestParsePublicJWKNoAliasing: the parsed key does not share memory with
// the input, so a caller may reuse its buffer.
func TestParsePublicJWKNoAliasing(t *testing.T) {
	buf := []byte(jwkText(t, edA))
	k, err := jose.ParsePublicJWK(buf)
	require.NoError(t, err)
	for i := range buf {
		buf[i] = 'A'
	}
	assert.True(t, jose.SamePublicKey(edA.Public(), k.Public))
	_, isRSA := k.Public.(*rsa.PublicKey)
	assert.False(t, isRSA)
}

// FuzzParsePublicJWK: ParsePublicJWK never panics and agrees with
// ParseKeySet on a one-key set: the same key, or an error in both; and an
// error matching ErrPrivateKey names a private member that is there.
func FuzzParsePublicJWK(f *testing.F) {
	for _, s := range []string{
		jwkText(f, rsaA), jwkText(f, ecA), jwkText(f, ec521), jwkText(f, edA), rfc7638Key,
		jwkText(f, ecA, "d", b64(make([]byte, 32))),
		`{"kty":"oct","k":"c2VjcmV0"}`,
		`{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`,
		`{"kty":"EC","crv":"P-256","x":"","y":""}`,
		`{"kty":"RSA","n":"AQAB","e":"AQAB","oth":[]}`,
		`{}`, `[]`, `{"kty":"RSA","kty":"EC"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := jose.ParsePublicJWK(data)
		if err != nil {
			if !errors.Is(err, jose.ErrInvalidKeySet) {
				t.Fatalf("error %v does not wrap ErrInvalidKeySet", err)
			}
			var je *jose.Error
			if !errors.As(err, &je) {
				t.Fatalf("error %T is not a *jose.Error", err)
			}
			if errors.Is(err, jose.ErrPrivateKey) {
				var m map[string]json.RawMessage
				if json.Unmarshal(data, &m) == nil {
					if _, ok := m[je.Field]; !ok {
						t.Fatalf("private member %q is not in %q", je.Field, data)
					}
				}
			}
		}
		if len(data) >= jose.MaxKeySetSize-16 {
			return
		}
		set, serr := jose.ParseKeySet([]byte(`{"keys":[` + string(data) + `]}`))
		switch {
		case err == nil && serr == nil:
			if set.Len() != 1 || !jose.SamePublicKey(set.Keys()[0].Public, k.Public) || set.Keys()[0].Thumbprint != k.Thumbprint {
				t.Fatalf("ParsePublicJWK and ParseKeySet disagree on %q", data)
			}
		case err == nil && !errors.Is(serr, strictjson.ErrTooComplex):
			// Inside a set the key sits two levels deeper, so only the
			// nesting limit may tell them apart.
			t.Fatalf("ParsePublicJWK accepted %q, which ParseKeySet refuses: %v", data, serr)
		case serr == nil && set.Len() == 1:
			t.Fatalf("ParseKeySet accepted %q, which ParsePublicJWK refuses: %v", data, err)
		}
	})
}
