package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

// Keys shared by the tests of this package. They are generated once; every
// JWK Set and token is derived from them.
var (
	rsaA   = fixtures.RSA(2048, "rsa-a", jose.PS256)
	rsaB   = fixtures.RSA(2048, "rsa-b", jose.PS256)
	rsaRS  = fixtures.RSA(2048, "rsa-rs", jose.RS256)
	ecA    = fixtures.EC(elliptic.P256(), "ec-a", jose.ES256)
	ecB    = fixtures.EC(elliptic.P256(), "ec-b", jose.ES256)
	ec384  = fixtures.EC(elliptic.P384(), "ec-384", jose.ES384)
	ec521  = fixtures.EC(elliptic.P521(), "ec-521", jose.ES512)
	edA    = fixtures.Ed25519("ed-a")
	sample = map[string]any{
		"iss": "client-1",
		"sub": "client-1",
		"aud": "https://as.example.com",
		"jti": "b9c2b2b6-7b0e-4a53-9f0f-5d4f1c1e7a10",
		"exp": 1900000000,
		"nbf": 1700000000,
		"iat": 1700000000,
	}
)

// sentinels are all the error kinds of the package.
var sentinels = []error{
	jose.ErrTooLarge, jose.ErrMalformed, jose.ErrUnsigned, jose.ErrAlgNotAllowed,
	jose.ErrNoKey, jose.ErrSignatureInvalid, jose.ErrInvalidKeySet,
}

// assertKind asserts that err wraps want and no other sentinel of the
// package, and that it is a *jose.Error.
func assertKind(t testing.TB, err error, want error) {
	t.Helper()
	if !assert.Error(t, err) {
		return
	}
	assert.ErrorIs(t, err, want)
	for _, s := range sentinels {
		if s != want {
			assert.NotErrorIs(t, err, s, "error %q also matches %q", err, s)
		}
	}
	var je *jose.Error
	assert.True(t, errors.As(err, &je), "error %T is not a *jose.Error", err)
}

// b64 is base64url without padding.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func b64s(s string) string { return b64([]byte(s)) }

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// setOf parses the public JWK Set of keys.
func setOf(t testing.TB, keys ...fixtures.Key) *jose.KeySet {
	t.Helper()
	set, err := jose.ParseKeySet(fixtures.JWKS(keys...))
	require.NoError(t, err)
	return set
}

// jwkMaps returns the members of the JWKs that internal/fixtures publishes for
// keys, for tests that alter them.
func jwkMaps(t testing.TB, keys ...fixtures.Key) []map[string]any {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(fixtures.JWKS(keys...), &set))
	require.Len(t, set.Keys, len(keys))
	return set.Keys
}

// setJSON renders JWK member maps as a JWK Set.
func setJSON(t testing.TB, keys ...map[string]any) []byte {
	t.Helper()
	return []byte(mustJSON(t, map[string]any{"keys": keys}))
}

// modifiedSet is the JWK Set of k after mod has changed its members.
func modifiedSet(t testing.TB, k fixtures.Key, mod func(m map[string]any)) *jose.KeySet {
	t.Helper()
	m := jwkMaps(t, k)[0]
	mod(m)
	set, err := jose.ParseKeySet(setJSON(t, m))
	require.NoError(t, err)
	return set
}

func hashOf(alg string) crypto.Hash {
	switch alg[len(alg)-3:] {
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return crypto.SHA256
}

// rawSign signs input with the standard library alone, so that tests can
// produce signatures over headers no JOSE library would write, and
// signatures in forms that a verifier must refuse.
func rawSign(t testing.TB, key any, alg string, input []byte) []byte {
	t.Helper()
	switch alg[:2] {
	case "HS":
		h := hmac.New(hashOf(alg).New, key.([]byte))
		h.Write(input)
		return h.Sum(nil)
	case "Ed":
		return ed25519.Sign(key.(ed25519.PrivateKey), input)
	}
	hh := hashOf(alg)
	d := hh.New()
	d.Write(input)
	digest := d.Sum(nil)
	switch alg[:2] {
	case "RS":
		sig, err := rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), hh, digest)
		require.NoError(t, err)
		return sig
	case "PS":
		sig, err := rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), hh, digest,
			&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: hh})
		require.NoError(t, err)
		return sig
	case "ES":
		priv := key.(*ecdsa.PrivateKey)
		r, s, err := ecdsa.Sign(rand.Reader, priv, digest)
		require.NoError(t, err)
		size := (priv.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	}
	t.Fatalf("rawSign: unsupported alg %q", alg)
	return nil
}

// signCompact builds a compact JWS of the literal header and payload texts
// signed with key under alg.
func signCompact(t testing.TB, key any, alg, header, payload string) string {
	t.Helper()
	input := b64s(header) + "." + b64s(payload)
	return input + "." + b64(rawSign(t, key, alg, []byte(input)))
}

// withSignature replaces the signature of a compact JWS.
func withSignature(tok string, sig []byte) string {
	return tok[:strings.LastIndexByte(tok, '.')+1] + b64(sig)
}

// signatureOf returns the decoded signature of a compact JWS.
func signatureOf(t testing.TB, tok string) []byte {
	t.Helper()
	sig, err := base64.RawURLEncoding.DecodeString(tok[strings.LastIndexByte(tok, '.')+1:])
	require.NoError(t, err)
	return sig
}

// segments splits a compact JWS.
func segments(t testing.TB, tok string) (hdr, payload, sig string) {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	return parts[0], parts[1], parts[2]
}

// parse parses a token that must be well formed.
func parse(t testing.TB, tok string) *jose.JWS {
	t.Helper()
	j, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	return j
}

// nonCanonical returns s, the base64url text of data, with one unused
// trailing bit set; data is extended with JSON whitespace until its length
// leaves unused bits. The text decodes to the same bytes in a lenient
// decoder.
func nonCanonical(data string) string {
	for len(data)%3 == 0 {
		data += " "
	}
	s := b64s(data)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last|1])
}

// lenientDecode decodes base64url as a lenient decoder would, ignoring
// unused trailing bits.
func lenientDecode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
