package jose_test

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

// jwxThumbprint is the RFC 7638 SHA-256 thumbprint as computed by jwx, an
// independent implementation.
func jwxThumbprint(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	k, err := jwk.Import(pub)
	require.NoError(t, err)
	tp, err := k.Thumbprint(crypto.SHA256)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(tp)
}

func TestParseKeySetValid(t *testing.T) {
	withCert := ecB.WithCert(pkix.Name{CommonName: "client.example.org"})
	rsaCert := rsaB.WithCert(pkix.Name{CommonName: "client.example.org"})
	keys := []fixtures.Key{rsaA, rsaRS, ecA, ec384, ec521, edA, withCert, rsaCert}
	wantType := []string{"RSA", "RSA", "EC", "EC", "EC", "OKP", "EC", "RSA"}
	set, err := jose.ParseKeySet(fixtures.JWKS(keys...))
	require.NoError(t, err)
	require.Equal(t, len(keys), set.Len())
	for i, k := range set.Keys() {
		want := keys[i]
		t.Run(want.ID, func(t *testing.T) {
			assert.Equal(t, want.ID, k.ID)
			assert.Equal(t, want.Alg, k.Algorithm)
			assert.Equal(t, "sig", k.Use)
			assert.Equal(t, wantType[i], k.Type)
			assert.Empty(t, k.Ops)
			assert.True(t, jose.SamePublicKey(want.Public(), k.Public))
			assert.Len(t, k.Thumbprint, 43)
			assert.Equal(t, jwxThumbprint(t, want.Public()), k.Thumbprint)
			tp, err := jose.Thumbprint(k.Public)
			require.NoError(t, err)
			assert.Equal(t, k.Thumbprint, tp)
			if want.Cert != nil {
				require.Len(t, k.Certificates, 1)
				assert.Equal(t, want.Cert.Raw, k.Certificates[0].Raw)
			} else {
				assert.Empty(t, k.Certificates)
			}
		})
	}
}

// rfc7638Key is the RSA key of RFC 7638 §3.1.
const rfc7638Key = `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`

func TestThumbprintRFC7638Example(t *testing.T) {
	const want = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
	set, err := jose.ParseKeySet([]byte(`{"keys":[` + rfc7638Key + `]}`))
	require.NoError(t, err)
	k := set.Keys()[0]
	assert.Equal(t, want, k.Thumbprint)
	assert.Equal(t, "2011-04-29", k.ID)
	assert.Equal(t, jose.RS256, k.Algorithm)
	tp, err := jose.Thumbprint(k.Public)
	require.NoError(t, err)
	assert.Equal(t, want, tp)
	assert.Equal(t, want, jwxThumbprint(t, k.Public))

	// Member order, whitespace and escapes do not change the thumbprint.
	reordered := `{ "e" : "AQAB" , "kid":"x", "n":"` + strings.Replace(extractN(t, rfc7638Key), "0vx7", `\u0030vx7`, 1) + `", "kty":"RSA" }`
	set, err = jose.ParseKeySet([]byte(`{"keys":[` + reordered + `]}`))
	require.NoError(t, err)
	assert.Equal(t, want, set.Keys()[0].Thumbprint)
}

func extractN(t *testing.T, jwkJSON string) string {
	t.Helper()
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(jwkJSON), &m))
	return m["n"]
}

func TestThumbprintMatchesJWXForRandomKeys(t *testing.T) {
	var pubs []crypto.PublicKey
	for range 3 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		pubs = append(pubs, &k.PublicKey)
		pubs = append(pubs, &rsa.PublicKey{N: k.N, E: 3})
		pubs = append(pubs, &rsa.PublicKey{N: k.N, E: 1<<31 - 1})
	}
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		for range 5 {
			k, err := ecdsa.GenerateKey(c, rand.Reader)
			require.NoError(t, err)
			pubs = append(pubs, &k.PublicKey)
		}
	}
	// Coordinates with leading zero octets must keep their full length
	// (RFC 7518 §6.2.1.2): find P-256 keys whose x or y starts with 0.
	var foundX, foundY bool
	for i := 0; i < 20000 && !(foundX && foundY); i++ {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		b := mustECBytes(t, &k.PublicKey)
		if b[1] == 0 && !foundX {
			foundX = true
			pubs = append(pubs, &k.PublicKey)
		}
		if b[33] == 0 && !foundY {
			foundY = true
			pubs = append(pubs, &k.PublicKey)
		}
	}
	require.True(t, foundX && foundY)
	for range 5 {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		require.NoError(t, err)
		pubs = append(pubs, pub)
	}
	for i, pub := range pubs {
		t.Run(fmt.Sprintf("%d %T", i, pub), func(t *testing.T) {
			want := jwxThumbprint(t, pub)
			got, err := jose.Thumbprint(pub)
			require.NoError(t, err)
			assert.Equal(t, want, got)

			// The same key through a JWK Set and through NewKeySet.
			jk, err := jwk.Import(pub)
			require.NoError(t, err)
			b, err := json.Marshal(jk)
			require.NoError(t, err)
			set, err := jose.ParseKeySet([]byte(`{"keys":[` + string(b) + `]}`))
			require.NoError(t, err)
			assert.Equal(t, want, set.Keys()[0].Thumbprint)
			set, err = jose.NewKeySet(pub)
			require.NoError(t, err)
			assert.Equal(t, want, set.Keys()[0].Thumbprint)
		})
	}
}

func TestThumbprintRefusals(t *testing.T) {
	ecPub := ecA.Public().(*ecdsa.PublicKey)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	for name, pub := range map[string]crypto.PublicKey{
		"nil":                   nil,
		"typed nil RSA":         (*rsa.PublicKey)(nil),
		"typed nil EC":          (*ecdsa.PublicKey)(nil),
		"RSA without modulus":   &rsa.PublicKey{E: 65537},
		"RSA zero modulus":      &rsa.PublicKey{N: new(big.Int), E: 65537},
		"RSA negative modulus":  &rsa.PublicKey{N: big.NewInt(-12345), E: 65537},
		"RSA zero exponent":     &rsa.PublicKey{N: big.NewInt(12345)},
		"EC without curve":      &ecdsa.PublicKey{X: ecPub.X, Y: ecPub.Y},
		"EC without X and Y":    &ecdsa.PublicKey{Curve: elliptic.P256()},
		"EC without Y":          &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X},
		"EC off the curve":      &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X, Y: new(big.Int).Add(ecPub.Y, big.NewInt(1))},
		"EC P-224":              &p224.PublicKey,
		"Ed25519 short":         ed25519.PublicKey(make([]byte, 31)),
		"Ed25519 private":       edA.Private,
		"RSA private":           rsaA.Private,
		"EC private":            ecA.Private,
		"X25519":                x25519.PublicKey(),
		"bytes":                 []byte("key"),
		"RSA public key value":  *rsaA.Public().(*rsa.PublicKey),
		"EC public key value":   *ecPub,
		"pointer to an Ed25519": &[]ed25519.PublicKey{edA.Public().(ed25519.PublicKey)}[0],
	} {
		t.Run(name, func(t *testing.T) {
			var tp string
			var err error
			require.NotPanics(t, func() { tp, err = jose.Thumbprint(pub) })
			assert.Empty(t, tp)
			assertKind(t, err, jose.ErrInvalidKeySet)
		})
	}
}

func TestThumbprintSHA256(t *testing.T) {
	// SHA-256("abc") from FIPS 180-2, base64url-encoded.
	assert.Equal(t, "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", jose.ThumbprintSHA256([]byte("abc")))
	assert.Equal(t, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", jose.ThumbprintSHA256(nil))
}

func b64Int(i *big.Int) string { return b64(i.Bytes()) }

func TestParseKeySetRefusals(t *testing.T) {
	rsaJWK := jwkMaps(t, rsaA)[0]
	ecJWK := jwkMaps(t, ecA)[0]
	edJWK := jwkMaps(t, edA)[0]
	with := func(base map[string]any, kv ...any) map[string]any {
		m := make(map[string]any, len(base)+len(kv)/2)
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
				continue
			}
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	one := func(m map[string]any) string { return string(setJSON(t, m)) }
	rsaText := mustJSON(t, rsaJWK)
	ecText := mustJSON(t, ecJWK)

	ecPub := ecA.Public().(*ecdsa.PublicKey)
	xb := ecPub.X.FillBytes(make([]byte, 32))
	yb := ecPub.Y.FillBytes(make([]byte, 32))
	offY := new(big.Int).Add(ecPub.Y, big.NewInt(1)).FillBytes(make([]byte, 32))
	n := rsaA.Public().(*rsa.PublicKey).N
	otherCert := ecB.WithCert(pkix.Name{CommonName: "other"}).Cert
	rsaCert := rsaB.WithCert(pkix.Name{CommonName: "rsa"}).Cert
	std := base64.StdEncoding.EncodeToString

	tests := []struct {
		name string
		json string
	}{
		// Not a JWK Set.
		{"empty", ``},
		{"whitespace", `   `},
		{"null", `null`},
		{"array", `[` + rsaText + `]`},
		{"string", `"keys"`},
		{"a single JWK", rsaText},
		{"not JSON", `keys: []`},
		{"trailing data", `{"keys":[]} {}`},
		{"trailing comma", `{"keys":[` + rsaText + `,]}`},
		{"BOM", "\xef\xbb\xbf" + `{"keys":[]}`},
		{"invalid UTF-8", "{\"keys\":[],\"x\":\"\xff\"}"},
		{"invalid UTF-8 in kid", strings.Replace(rsaText, `"kid":"rsa-a"`, "\"kid\":\"rsa-\xc3\"", 1)},
		{"keys missing", `{}`},
		{"Keys in another case", `{"Keys":[` + rsaText + `]}`},
		{"keys object", `{"keys":` + rsaText + `}`},
		{"keys string", `{"keys":"` + b64s(rsaText) + `"}`},
		{"keys null", `{"keys":null}`},
		{"keys number", `{"keys":1}`},
		{"element number", `{"keys":[1]}`},
		{"element string", `{"keys":["` + b64s(rsaText) + `"]}`},
		{"element array", `{"keys":[[` + rsaText + `]]}`},
		{"element null", `{"keys":[null]}`},
		{"element bool", `{"keys":[true]}`},
		{"second element number", `{"keys":[` + rsaText + `,2]}`},
		{"element empty object", `{"keys":[{}]}`},

		// Duplicate members.
		{"duplicate keys member", `{"keys":[],"keys":[` + rsaText + `]}`},
		{"duplicate keys member via escape", `{"keys":[` + rsaText + `],"\u006beys":[]}`},
		{"duplicate kty", `{"keys":[` + strings.Replace(rsaText, `{`, `{"kty":"EC",`, 1) + `]}`},
		{"duplicate n", `{"keys":[` + strings.Replace(rsaText, `{`, `{"n":"AQAB",`, 1) + `]}`},
		{"duplicate x via escape", `{"keys":[` + strings.Replace(ecText, `{`, `{"\u0078":"AQAB",`, 1) + `]}`},
		{"duplicate kid", `{"keys":[` + strings.Replace(rsaText, `{`, `{"kid":"other",`, 1) + `]}`},
		{"duplicate in a nested member", `{"keys":[` + strings.Replace(rsaText, `{`, `{"ext":{"a":1,"a":2},`, 1) + `]}`},
		{"duplicate at top level beside keys", `{"keys":[],"x":1,"x":2}`},

		// Private and symmetric material.
		{"RSA d", one(with(rsaJWK, "d", "AQAB"))},
		{"RSA p", one(with(rsaJWK, "p", "AQAB"))},
		{"RSA q", one(with(rsaJWK, "q", "AQAB"))},
		{"RSA dp", one(with(rsaJWK, "dp", "AQAB"))},
		{"RSA dq", one(with(rsaJWK, "dq", "AQAB"))},
		{"RSA qi", one(with(rsaJWK, "qi", "AQAB"))},
		{"RSA oth", one(with(rsaJWK, "oth", []map[string]string{{"r": "AQAB", "d": "AQAB", "t": "AQAB"}}))},
		{"RSA d null", one(with(rsaJWK, "d", json.RawMessage(`null`)))},
		{"RSA d empty", one(with(rsaJWK, "d", ""))},
		{"EC d", one(with(ecJWK, "d", b64(xb)))},
		{"OKP d", one(with(edJWK, "d", b64(make([]byte, 32))))},
		{"kty oct", `{"keys":[{"kty":"oct","k":"` + b64s("secret") + `"}]}`},
		{"kty oct without k", `{"keys":[{"kty":"oct","kid":"s"}]}`},
		{"k on an RSA key", one(with(rsaJWK, "k", "c2VjcmV0"))},
		{"private key in the second element", `{"keys":[` + rsaText + `,` + mustJSON(t, with(ecJWK, "d", b64(xb))) + `]}`},

		// Key types.
		{"kty missing", one(with(rsaJWK, "kty", nil))},
		{"kty empty", one(with(rsaJWK, "kty", ""))},
		{"kty lower case", one(with(rsaJWK, "kty", "rsa"))},
		{"kty with space", one(with(rsaJWK, "kty", "RSA "))},
		{"kty unknown", one(with(rsaJWK, "kty", "DSA"))},
		{"kty number", one(with(rsaJWK, "kty", 1))},
		{"kty array", one(with(rsaJWK, "kty", []string{"RSA"}))},
		{"kty EC with RSA members", one(with(rsaJWK, "kty", "EC"))},
		{"kty RSA with EC members", one(with(ecJWK, "kty", "RSA"))},

		// RSA.
		{"n missing", one(with(rsaJWK, "n", nil))},
		{"e missing", one(with(rsaJWK, "e", nil))},
		{"n empty", one(with(rsaJWK, "n", ""))},
		{"e empty", one(with(rsaJWK, "e", ""))},
		{"n number", one(with(rsaJWK, "n", 12345))},
		{"e number", one(with(rsaJWK, "e", 65537))},
		{"n leading zero octet", one(with(rsaJWK, "n", b64(append([]byte{0}, n.Bytes()...))))},
		{"e leading zero octet", one(with(rsaJWK, "e", "AAEAAQ"))},
		{"e zero", one(with(rsaJWK, "e", "AA"))},
		{"e five octets", one(with(rsaJWK, "e", b64([]byte{1, 0, 0, 0, 1})))},
		{"e above 2^31-1", one(with(rsaJWK, "e", b64([]byte{0x80, 0, 0, 1})))},
		{"e all ones", one(with(rsaJWK, "e", b64([]byte{0xff, 0xff, 0xff, 0xff})))},
		{"n with padding", one(with(rsaJWK, "n", base64.URLEncoding.EncodeToString(append(n.Bytes(), 1))))},
		{"n standard base64", one(with(rsaJWK, "n", base64.RawStdEncoding.EncodeToString(n.Bytes())+"+/"))},
		{"n non-canonical", one(with(rsaJWK, "n", nonCanonical("\x01\x02\x03\x04")))},
		{"n with newline", one(with(rsaJWK, "n", b64Int(n)[:20]+"\n"+b64Int(n)[20:]))},

		// EC.
		{"EC point not on the curve", one(with(ecJWK, "y", b64(offY)))},
		{"EC x and y swapped", one(with(ecJWK, "x", b64(yb), "y", b64(xb)))},
		{"EC point at zero", one(with(ecJWK, "x", b64(make([]byte, 32)), "y", b64(make([]byte, 32))))},
		{"EC x = p", one(with(ecJWK, "x", b64(elliptic.P256().Params().P.Bytes())))},
		{"EC x short", one(with(ecJWK, "x", b64(xb[1:])))},
		{"EC y short", one(with(ecJWK, "y", b64(yb[1:])))},
		{"EC x long with leading zero", one(with(ecJWK, "x", b64(append([]byte{0}, xb...))))},
		{"EC y long", one(with(ecJWK, "y", b64(append(append([]byte{}, yb...), 0))))},
		{"EC P-384 coordinates on P-256", one(with(ecJWK, "crv", "P-384"))},
		{"EC P-256 coordinates declared P-521", one(with(ecJWK, "crv", "P-521"))},
		{"EC crv P-224", one(with(ecJWK, "crv", "P-224"))},
		{"EC crv secp256k1", one(with(ecJWK, "crv", "secp256k1"))},
		{"EC crv lower case", one(with(ecJWK, "crv", "p-256"))},
		{"EC crv missing", one(with(ecJWK, "crv", nil))},
		{"EC x missing", one(with(ecJWK, "x", nil))},
		{"EC y missing", one(with(ecJWK, "y", nil))},
		{"EC x number", one(with(ecJWK, "x", 1))},
		{"EC x padded", one(with(ecJWK, "x", base64.URLEncoding.EncodeToString(xb)))},
		{"EC compressed point", one(with(ecJWK, "x", b64(append([]byte{2}, xb...)), "y", nil))},

		// OKP.
		{"OKP X25519", one(with(edJWK, "crv", "X25519"))},
		{"OKP X448", one(with(edJWK, "crv", "X448", "x", b64(make([]byte, 56))))},
		{"OKP Ed448", one(with(edJWK, "crv", "Ed448", "x", b64(make([]byte, 57))))},
		{"OKP crv missing", one(with(edJWK, "crv", nil))},
		{"OKP x missing", one(with(edJWK, "x", nil))},
		{"OKP x short", one(with(edJWK, "x", b64(make([]byte, 31))))},
		{"OKP x long", one(with(edJWK, "x", b64(make([]byte, 33))))},
		{"OKP crv Ed25519 lower case", one(with(edJWK, "crv", "ed25519"))},

		// Member types.
		{"kid number", one(with(rsaJWK, "kid", 1))},
		{"kid null", one(with(rsaJWK, "kid", json.RawMessage(`null`)))},
		{"alg number", one(with(rsaJWK, "alg", 256))},
		{"use number", one(with(rsaJWK, "use", 1))},
		{"use array", one(with(rsaJWK, "use", []string{"sig"}))},
		{"key_ops string", one(with(rsaJWK, "key_ops", "verify"))},
		{"key_ops with a number", one(with(rsaJWK, "key_ops", []any{"verify", 1}))},

		// x5c.
		{"x5c of another key", one(with(ecJWK, "x5c", []string{std(otherCert.Raw)}))},
		{"x5c of another key type", one(with(ecJWK, "x5c", []string{std(rsaCert.Raw)}))},
		{"x5c matching only a later certificate", one(with(ecJWK, "x5c", []string{std(otherCert.Raw), std(ecA.WithCert(pkix.Name{CommonName: "a"}).Cert.Raw)}))},
		{"x5c not base64", one(with(ecJWK, "x5c", []string{"!!!not base64!!!"}))},
		{"x5c base64url", one(with(ecJWK, "x5c", []string{base64.RawURLEncoding.EncodeToString(otherCert.Raw)}))},
		{"x5c invalid DER", one(with(ecJWK, "x5c", []string{std([]byte("hello, not a certificate"))}))},
		{"x5c truncated DER", one(with(ecJWK, "x5c", []string{std(otherCert.Raw[:len(otherCert.Raw)/2])}))},
		{"x5c PEM", one(with(ecJWK, "x5c", []string{ecB.WithCert(pkix.Name{CommonName: "p"}).CertPEM()}))},
		{"x5c empty array", one(with(ecJWK, "x5c", []string{}))},
		{"x5c string", one(with(ecJWK, "x5c", std(otherCert.Raw)))},
		{"x5c with a number", one(with(ecJWK, "x5c", []any{1}))},
		{"x5c null", one(with(ecJWK, "x5c", json.RawMessage(`null`)))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var set *jose.KeySet
			var err error
			require.NotPanics(t, func() { set, err = jose.ParseKeySet([]byte(tc.json)) })
			assert.Nil(t, set)
			assertKind(t, err, jose.ErrInvalidKeySet)
		})
	}
}

func TestParseKeySetLimits(t *testing.T) {
	rsaText := mustJSON(t, jwkMaps(t, rsaA)[0])
	keys := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = rsaText
		}
		return `{"keys":[` + strings.Join(parts, ",") + `]}`
	}
	t.Run("MaxKeys keys", func(t *testing.T) {
		set, err := jose.ParseKeySet([]byte(keys(jose.MaxKeys)))
		require.NoError(t, err)
		assert.Equal(t, jose.MaxKeys, set.Len())
	})
	t.Run("MaxKeys+1 keys", func(t *testing.T) {
		set, err := jose.ParseKeySet([]byte(keys(jose.MaxKeys + 1)))
		assert.Nil(t, set)
		assertKind(t, err, jose.ErrInvalidKeySet)
	})
	t.Run("1000 keys", func(t *testing.T) {
		_, err := jose.ParseKeySet([]byte(`{"keys":[` + strings.Repeat(`{},`, 999) + `{}]}`))
		assertKind(t, err, jose.ErrInvalidKeySet)
	})
	padTo := func(size int) []byte {
		prefix := `{"keys":[` + rsaText + `],"pad":"`
		suffix := `"}`
		return []byte(prefix + strings.Repeat("a", size-len(prefix)-len(suffix)) + suffix)
	}
	t.Run("exactly MaxKeySetSize", func(t *testing.T) {
		data := padTo(jose.MaxKeySetSize)
		require.Len(t, data, jose.MaxKeySetSize)
		set, err := jose.ParseKeySet(data)
		require.NoError(t, err)
		assert.Equal(t, 1, set.Len())
	})
	t.Run("MaxKeySetSize+1", func(t *testing.T) {
		data := padTo(jose.MaxKeySetSize + 1)
		set, err := jose.ParseKeySet(data)
		assert.Nil(t, set)
		assertKind(t, err, jose.ErrInvalidKeySet)
	})
	t.Run("oversized input is refused before parsing", func(t *testing.T) {
		_, err := jose.ParseKeySet([]byte(strings.Repeat("[", jose.MaxKeySetSize+1)))
		assertKind(t, err, jose.ErrInvalidKeySet)
		assert.Contains(t, err.Error(), "exceeds")
	})
	t.Run("deep nesting", func(t *testing.T) {
		deep := strings.Repeat(`{"a":`, 10) + `1` + strings.Repeat(`}`, 10)
		_, err := jose.ParseKeySet([]byte(`{"keys":[],"x":` + deep + `}`))
		assertKind(t, err, jose.ErrInvalidKeySet)
	})
}

func TestParseKeySetAccepts(t *testing.T) {
	t.Run("RSA-1024 parses (callers judge the size)", func(t *testing.T) {
		small := fixtures.RSA(1024, "small", jose.PS256)
		set, err := jose.ParseKeySet(fixtures.JWKS(small))
		require.NoError(t, err)
		require.Equal(t, 1, set.Len())
		k := set.Keys()[0]
		assert.Equal(t, 1024, k.Public.(*rsa.PublicKey).N.BitLen())
		tp, err := jose.Thumbprint(small.Public())
		require.NoError(t, err)
		assert.Equal(t, tp, k.Thumbprint)
		// And it verifies: refusing it is a policy decision of the caller.
		_, err = parse(t, fixtures.Sign(small, "", sample, nil)).Verify([]string{jose.PS256}, set)
		require.NoError(t, err)
	})
	t.Run("RSA-512 parses too", func(t *testing.T) {
		// The standard library no longer generates such keys; the modulus
		// need not be a product of primes to be parsed.
		n := new(big.Int).Rsh(rsaA.Public().(*rsa.PublicKey).N, 2048-512)
		n.SetBit(n, 511, 1).SetBit(n, 0, 1)
		set, err := jose.ParseKeySet(setJSON(t, map[string]any{"kty": "RSA", "n": b64Int(n), "e": "AQAB"}))
		require.NoError(t, err)
		assert.Equal(t, 512, set.Keys()[0].Public.(*rsa.PublicKey).N.BitLen())
	})
	t.Run("empty set", func(t *testing.T) {
		set, err := jose.ParseKeySet([]byte(` { "keys" : [ ] } `))
		require.NoError(t, err)
		assert.Equal(t, 0, set.Len())
		assert.Empty(t, set.Keys())
	})
	t.Run("encryption key kept, never used", func(t *testing.T) {
		m := jwkMaps(t, rsaA)[0]
		m["use"] = "enc"
		set, err := jose.ParseKeySet(setJSON(t, m))
		require.NoError(t, err)
		require.Equal(t, 1, set.Len())
		assert.Equal(t, "enc", set.Keys()[0].Use)
	})
	t.Run("members", func(t *testing.T) {
		m := jwkMaps(t, ecA)[0]
		m["key_ops"] = []string{"verify"}
		m["ext"] = map[string]any{"nested": []any{1, "two", nil, map[string]any{"k": "v"}}}
		m["x5t#S256"] = "ignored"
		set, err := jose.ParseKeySet(setJSON(t, m))
		require.NoError(t, err)
		k := set.Keys()[0]
		assert.Equal(t, []string{"verify"}, k.Ops)
		assert.Equal(t, "EC", k.Type)
		assert.Equal(t, "ec-a", k.ID)
	})
	t.Run("strings with brackets and commas", func(t *testing.T) {
		m := jwkMaps(t, ecA)[0]
		m["kid"] = `a,]}["{\"`
		set, err := jose.ParseKeySet(setJSON(t, m, jwkMaps(t, edA)[0]))
		require.NoError(t, err)
		require.Equal(t, 2, set.Len())
		assert.Equal(t, `a,]}["{\"`, set.Keys()[0].ID)
	})
	t.Run("x5c chain whose first certificate holds the key", func(t *testing.T) {
		leaf := ecA.WithCert(pkix.Name{CommonName: "leaf"})
		other := ecB.WithCert(pkix.Name{CommonName: "ca"})
		m := jwkMaps(t, leaf)[0]
		m["x5c"] = []string{base64.StdEncoding.EncodeToString(leaf.Cert.Raw), base64.StdEncoding.EncodeToString(other.Cert.Raw)}
		set, err := jose.ParseKeySet(setJSON(t, m))
		require.NoError(t, err)
		require.Len(t, set.Keys()[0].Certificates, 2)
	})
	t.Run("Ed25519 x5c", func(t *testing.T) {
		k := edA.WithCert(pkix.Name{CommonName: "ed"})
		set, err := jose.ParseKeySet(fixtures.JWKS(k))
		require.NoError(t, err)
		require.Len(t, set.Keys()[0].Certificates, 1)
	})
	t.Run("error names the key", func(t *testing.T) {
		bad := jwkMaps(t, rsaA)[0]
		bad["d"] = "AQAB"
		_, err := jose.ParseKeySet(setJSON(t, jwkMaps(t, ecA)[0], bad))
		var je *jose.Error
		require.True(t, errors.As(err, &je))
		assert.Equal(t, "keys[1]", je.Field)
	})
}

func TestNewKeySet(t *testing.T) {
	pubs := []crypto.PublicKey{rsaA.Public(), ecA.Public(), ec384.Public(), ec521.Public(), edA.Public()}
	set, err := jose.NewKeySet(pubs...)
	require.NoError(t, err)
	require.Equal(t, len(pubs), set.Len())
	for i, k := range set.Keys() {
		assert.Equal(t, []string{"RSA", "EC", "EC", "EC", "OKP"}[i], k.Type)
		assert.Empty(t, k.ID)
		assert.Empty(t, k.Algorithm)
		assert.Empty(t, k.Use)
		assert.True(t, jose.SamePublicKey(pubs[i], k.Public))
		assert.Equal(t, jwxThumbprint(t, pubs[i]), k.Thumbprint)
	}
	empty, err := jose.NewKeySet()
	require.NoError(t, err)
	assert.Equal(t, 0, empty.Len())

	many := make([]crypto.PublicKey, jose.MaxKeys)
	for i := range many {
		many[i] = ecA.Public()
	}
	set, err = jose.NewKeySet(many...)
	require.NoError(t, err)
	assert.Equal(t, jose.MaxKeys, set.Len())
	_, err = jose.NewKeySet(append(many, ecA.Public())...)
	assertKind(t, err, jose.ErrInvalidKeySet)

	ecPub := ecA.Public().(*ecdsa.PublicKey)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	ecdhP256, err := ecPub.ECDH()
	require.NoError(t, err)
	for name, bad := range map[string]crypto.PublicKey{
		"nil":                    nil,
		"typed nil RSA":          (*rsa.PublicKey)(nil),
		"typed nil EC":           (*ecdsa.PublicKey)(nil),
		"nil Ed25519":            ed25519.PublicKey(nil),
		"RSA private key":        rsaA.Private,
		"EC private key":         ecA.Private,
		"Ed25519 private key":    edA.Private,
		"Ed25519 seed":           edA.Private.(ed25519.PrivateKey).Seed(),
		"X25519 private key":     x25519,
		"X25519 public key":      x25519.PublicKey(),
		"ECDH P-256 public key":  ecdhP256,
		"P-224":                  &p224.PublicKey,
		"EC without coordinates": &ecdsa.PublicKey{Curve: elliptic.P256()},
		"EC without Y":           &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X},
		"EC off the curve":       &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X, Y: new(big.Int).Add(ecPub.Y, big.NewInt(1))},
		"RSA without modulus":    &rsa.PublicKey{E: 65537},
		"RSA negative modulus":   &rsa.PublicKey{N: new(big.Int).Neg(rsaA.Public().(*rsa.PublicKey).N), E: 65537},
		"RSA zero exponent":      &rsa.PublicKey{N: rsaA.Public().(*rsa.PublicKey).N},
		"RSA public key value":   *rsaA.Public().(*rsa.PublicKey),
		"Ed25519 short":          ed25519.PublicKey(make([]byte, 16)),
		"bytes":                  []byte("-----BEGIN PUBLIC KEY-----"),
		"string":                 "key",
		"certificate":            ecA.WithCert(pkix.Name{CommonName: "c"}).Cert,
	} {
		t.Run(name, func(t *testing.T) {
			var set *jose.KeySet
			var err error
			require.NotPanics(t, func() { set, err = jose.NewKeySet(ecA.Public(), bad) })
			assert.Nil(t, set)
			assertKind(t, err, jose.ErrInvalidKeySet)
			var je *jose.Error
			require.True(t, errors.As(err, &je))
			assert.Equal(t, "keys[1]", je.Field)
		})
	}
}

func TestSamePublicKey(t *testing.T) {
	ecPub := ecA.Public().(*ecdsa.PublicKey)
	rsaPub := rsaA.Public().(*rsa.PublicKey)
	copyEC := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(ecPub.X), Y: new(big.Int).Set(ecPub.Y)}
	copyRSA := &rsa.PublicKey{N: new(big.Int).Set(rsaPub.N), E: rsaPub.E}
	tests := []struct {
		name string
		a, b crypto.PublicKey
		want bool
	}{
		{"same EC", ecPub, copyEC, true},
		{"same RSA", rsaPub, copyRSA, true},
		{"same Ed25519", edA.Public(), append(ed25519.PublicKey{}, edA.Public().(ed25519.PublicKey)...), true},
		{"different EC", ecPub, ecB.Public(), false},
		{"different RSA", rsaPub, rsaB.Public(), false},
		{"RSA other exponent", rsaPub, &rsa.PublicKey{N: rsaPub.N, E: 3}, false},
		{"EC same coordinates other curve", ecPub, &ecdsa.PublicKey{Curve: elliptic.P384(), X: ecPub.X, Y: ecPub.Y}, false},
		{"RSA vs EC", rsaPub, ecPub, false},
		{"private vs public", ecA.Private, ecPub, false},
		{"public vs private", ecPub, ecA.Private, false},
		{"nil vs nil", nil, nil, false},
		{"nil vs key", nil, ecPub, false},
		{"key vs nil", ecPub, nil, false},
		{"typed nil RSA vs key", (*rsa.PublicKey)(nil), rsaPub, false},
		{"key vs typed nil RSA", rsaPub, (*rsa.PublicKey)(nil), false},
		{"typed nil EC vs key", (*ecdsa.PublicKey)(nil), ecPub, false},
		{"key vs typed nil EC", ecPub, (*ecdsa.PublicKey)(nil), false},
		{"typed nils", (*ecdsa.PublicKey)(nil), (*ecdsa.PublicKey)(nil), false},
		{"EC without coordinates", &ecdsa.PublicKey{Curve: elliptic.P256()}, ecPub, false},
		{"key vs EC without coordinates", ecPub, &ecdsa.PublicKey{Curve: elliptic.P256()}, false},
		{"RSA without modulus", &rsa.PublicKey{E: 65537}, rsaPub, false},
		{"key vs RSA without modulus", rsaPub, &rsa.PublicKey{E: 65537}, false},
		{"empty RSA keys", &rsa.PublicKey{}, &rsa.PublicKey{}, false},
		{"Ed25519 empty", ed25519.PublicKey{}, ed25519.PublicKey{}, false},
		{"bytes", []byte("a"), []byte("a"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got bool
			require.NotPanics(t, func() { got = jose.SamePublicKey(tc.a, tc.b) })
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestKeySetNilReceiver(t *testing.T) {
	var s *jose.KeySet
	assert.Equal(t, 0, s.Len())
	assert.Nil(t, s.Keys())
}

// TestThumbprintIsSHA256OfCanonicalJSON recomputes RFC 7638 by hand for
// an Ed25519 key (RFC 8037 §2 and Appendix A.3).
func TestThumbprintIsSHA256OfCanonicalJSON(t *testing.T) {
	// RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
	const x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	set, err := jose.ParseKeySet([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", set.Keys()[0].Thumbprint)
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	assert.Equal(t, b64(sum[:]), set.Keys()[0].Thumbprint)
}
