package clientassertion_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	CA "github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
)

// The fuzz targets verify against fixed public keys (testdata/fuzz_keys.json)
// and a fixed secret, so that the committed seed assertions stay valid.
// go test -run TestWriteFuzzSeeds -write-fuzz-seeds regenerates both.
var writeFuzzSeeds = flag.Bool("write-fuzz-seeds", false, "regenerate testdata/fuzz_keys.json and the seed corpora")

const fuzzKeysFile = "testdata/fuzz_keys.json"

// fuzzSecret is the client secret of the fuzz targets: long enough for
// HS512.
var fuzzSecret = []byte("fuzz-client-secret-0123456789abcdef-0123456789abcdef-0123456789a")

var fuzzKeys = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(fuzzKeysFile) })

func fuzzSet(t testing.TB) (*jwks.Set, map[string]crypto.PublicKey) {
	data, err := fuzzKeys()
	require.NoError(t, err)
	set, err := jwks.Parse(data)
	require.NoError(t, err)
	var doc struct {
		Keys []struct{ Kty, Kid, N, E, Crv, X, Y string }
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	oracle := map[string]crypto.PublicKey{}
	for _, k := range doc.Keys {
		switch k.Kty {
		case "RSA":
			oracle[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(dec(k.N)), E: int(new(big.Int).SetBytes(dec(k.E)).Int64())}
		case "EC":
			pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), slices.Concat([]byte{4}, dec(k.X), dec(k.Y)))
			require.NoError(t, err)
			oracle[k.Kid] = pub
		}
	}
	require.Len(t, oracle, 2)
	return set, oracle
}

// oracleSignature checks the signature of a compact JWS with the standard
// library only: RSASSA-PSS, ECDSA P-256 or HMAC.
func oracleSignature(tok, alg string, pub crypto.PublicKey, secret []byte) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	input := []byte(parts[0] + "." + parts[1])
	digest := sha256.Sum256(input)
	mac := func(h func() hash.Hash) bool {
		m := hmac.New(h, secret)
		m.Write(input)
		return len(secret) > 0 && hmac.Equal(m.Sum(nil), sig)
	}
	switch alg {
	case "PS256":
		k, ok := pub.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		return ok && len(sig) == 64 && ecdsa.Verify(k, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case "HS256":
		return mac(sha256.New)
	case "HS384":
		return mac(sha512.New384)
	case "HS512":
		return mac(sha512.New)
	}
	return false
}

var knownReasons = map[CA.Reason]bool{
	CA.ReasonMissing: true, CA.ReasonTypeInvalid: true, CA.ReasonTooLarge: true, CA.ReasonMalformed: true,
	CA.ReasonAlgNotAllowed: true, CA.ReasonSignatureInvalid: true, CA.ReasonKeyTooSmall: true,
	CA.ReasonExpMissing: true, CA.ReasonExpired: true, CA.ReasonNotYetValid: true, CA.ReasonAudMismatch: true,
	CA.ReasonIssMismatch: true, CA.ReasonSubMismatch: true, CA.ReasonJTIMissing: true,
}

// FuzzAssertion checks that Verify and VerifySecret never panic, never
// answer "maybe", and return an Assertion only when the signature really
// verifies (checked again with the standard library) with an algorithm the
// rules allow; an Assertion without errors really names the client, the
// server and an unexpired, unreplayable token.
func FuzzAssertion(f *testing.F) {
	set, oracle := fuzzSet(f)
	check := func(t *testing.T, tok string, a *CA.Assertion, errs []*CA.Error, rules CA.Rules, pub crypto.PublicKey, secret []byte) {
		if a == nil && len(errs) == 0 {
			t.Fatal("no Assertion and no error")
		}
		for _, e := range errs {
			if e == nil || !knownReasons[e.Reason] || e.Message == "" {
				t.Fatalf("bad error %#v", e)
			}
			if a != nil && (e.Reason == CA.ReasonAlgNotAllowed || e.Reason == CA.ReasonSignatureInvalid ||
				e.Reason == CA.ReasonKeyTooSmall || e.Reason == CA.ReasonMalformed || e.Reason == CA.ReasonTooLarge) {
				t.Fatalf("Assertion returned with %s", e.Reason)
			}
		}
		if a == nil {
			return
		}
		if !slices.Contains(rules.Algorithms, a.Algorithm) {
			t.Fatalf("algorithm %s not allowed", a.Algorithm)
		}
		if !oracleSignature(tok, a.Algorithm, pub, secret) {
			t.Fatalf("Assertion returned for %q, whose %s signature does not verify", tok, a.Algorithm)
		}
		if len(errs) > 0 {
			return
		}
		payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Iss, Sub, Jti *string
			Exp           *int64
			Aud           json.RawMessage
		}
		if err := json.Unmarshal(payload, &c); err != nil {
			t.Fatalf("accepted claims %q: %v", payload, err)
		}
		var auds []string
		if json.Unmarshal(c.Aud, &auds) != nil {
			auds = []string{""}
			_ = json.Unmarshal(c.Aud, &auds[0])
		}
		switch {
		case c.Iss == nil || *c.Iss != clientID || c.Sub == nil || *c.Sub != clientID:
			t.Fatalf("accepted iss/sub in %s", payload)
		case !slices.ContainsFunc(auds, func(s string) bool { return slices.Contains(rules.Audiences, s) }):
			t.Fatalf("accepted aud in %s", payload)
		case c.Exp == nil || *c.Exp <= now.Unix() || !a.Expiry.Equal(time.Unix(*c.Exp, 0)):
			t.Fatalf("accepted exp in %s (Expiry %v)", payload, a.Expiry)
		case c.Jti == nil || *c.Jti == "" || a.JWTID != *c.Jti:
			t.Fatalf("accepted jti in %s", payload)
		}
		// The client lookup before verification finds the client that
		// the accepted assertion authenticates.
		if iss, ok := CA.UnverifiedIssuer(tok, rules.MaxSize); !ok || iss != clientID {
			t.Fatalf("UnverifiedIssuer of an accepted assertion: %q, %v", iss, ok)
		}
	}
	keyRules := privateKeyRules()
	secRules := secretRules()
	f.Fuzz(func(t *testing.T, tok string) {
		if iss, ok := CA.UnverifiedIssuer(tok, 0); ok == (iss == "") {
			t.Fatalf("UnverifiedIssuer: %q, %v", iss, ok)
		}
		a, errs := CA.Verify(tok, set, keyRules, now)
		var pub crypto.PublicKey
		if a != nil {
			var ok bool
			if pub, ok = oracle[a.KeyID]; !ok {
				t.Fatalf("Assertion names unregistered key %q", a.KeyID)
			}
			if jose := a.Algorithm; jose == "HS256" || jose == "HS384" || jose == "HS512" {
				t.Fatalf("Verify accepted %s", jose)
			}
		}
		check(t, tok, a, errs, keyRules, pub, nil)

		a, errs = CA.VerifySecret(tok, fuzzSecret, secRules, now)
		if a != nil && a.KeyID != "" {
			t.Fatalf("VerifySecret names key %q", a.KeyID)
		}
		check(t, tok, a, errs, secRules, nil, fuzzSecret)
	})
}

// FuzzAssertionClaims signs a fuzzed claim set with the client secret and
// checks the claim rules against an independent implementation: the
// errors are exactly, in order, those the oracle predicts.
func FuzzAssertionClaims(f *testing.F) {
	rules := secretRules()
	f.Fuzz(func(t *testing.T, payload string, nanos uint32) {
		at := now.Add(time.Duration(nanos % 1e9))
		tok, err := signHMACRaw(payload)
		if err != nil {
			t.Skip()
		}
		a, errs := CA.VerifySecret(tok, fuzzSecret, rules, at)
		if a == nil {
			if len(errs) != 1 || errs[0].Reason != CA.ReasonMalformed {
				t.Fatalf("no Assertion, errors %v", errs)
			}
			return
		}
		want := oracleClaimReasons(t, []byte(payload), rules, at)
		if got := reasons(errs); !slices.Equal(got, want) {
			t.Fatalf("payload %q at %v:\n got %v\nwant %v\n(%v)", payload, at, got, want, errs)
		}
	})
}

// signHMACRaw signs a literal payload with HS256 and fuzzSecret, with the
// standard library (fixtures.SignHMAC marshals a map).
func signHMACRaw(payload string) (string, error) {
	input := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	m := hmac.New(sha256.New, fuzzSecret)
	m.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func oracleClaimReasons(t *testing.T, payload []byte, rules CA.Rules, at time.Time) []CA.Reason {
	var c map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(payload))
	require.NoError(t, d.Decode(&c), "accepted %q", payload)
	str := func(name string) (string, bool) {
		v, ok := c[name]
		if !ok {
			return "", false
		}
		var s string
		require.NoError(t, json.Unmarshal(v, &s), "%s accepted as %s", name, v)
		return s, true
	}
	// The oracle reads a NumericDate as an exact rational number (RFC 7519
	// §2 admits fractions), and times likewise.
	date := func(name string) (*big.Rat, bool) {
		v, ok := c[name]
		if !ok {
			return nil, false
		}
		r, ok := new(big.Rat).SetString(string(v))
		require.True(t, ok, "%s accepted as %s", name, v)
		return r, true
	}
	ratOf := func(t time.Time) *big.Rat {
		return new(big.Rat).Add(new(big.Rat).SetInt64(t.Unix()), big.NewRat(int64(t.Nanosecond()), 1e9))
	}
	out := []CA.Reason{}
	if iss, ok := str("iss"); !ok || iss != rules.ClientID {
		out = append(out, CA.ReasonIssMismatch)
	}
	if sub, ok := str("sub"); !ok || sub != rules.ClientID {
		out = append(out, CA.ReasonSubMismatch)
	}
	var auds []string
	if v, ok := c["aud"]; ok {
		if json.Unmarshal(v, &auds) != nil {
			var one string
			require.NoError(t, json.Unmarshal(v, &one))
			auds = []string{one}
		}
	}
	if !slices.ContainsFunc(auds, func(s string) bool { return s != "" && slices.Contains(rules.Audiences, s) }) {
		out = append(out, CA.ReasonAudMismatch)
	}
	if exp, ok := date("exp"); !ok {
		out = append(out, CA.ReasonExpMissing)
	} else if exp.Cmp(ratOf(at)) <= 0 {
		out = append(out, CA.ReasonExpired)
	} else if exp.Cmp(ratOf(at.Add(CA.DefaultMaxLifetime))) > 0 {
		out = append(out, CA.ReasonExpTooFar)
	}
	skewed := ratOf(at.Add(rules.ClockSkew))
	if nbf, ok := date("nbf"); ok && nbf.Cmp(skewed) > 0 {
		out = append(out, CA.ReasonNotYetValid)
	}
	if iat, ok := date("iat"); ok && iat.Cmp(skewed) > 0 {
		out = append(out, CA.ReasonNotYetValid)
	}
	if jti, ok := str("jti"); !ok || jti == "" {
		out = append(out, CA.ReasonJTIMissing)
	}
	return out
}

// TestWriteFuzzSeeds regenerates the fuzz keys and seed corpora. It only
// runs with -write-fuzz-seeds.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeFuzzSeeds {
		t.Skip("run with -write-fuzz-seeds to regenerate the seed corpora")
	}
	rsaKey := fixtures.RSA(2048, "fuzz-rsa", "PS256")
	ecKey := fixtures.EC(elliptic.P256(), "fuzz-ec", "ES256")
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	require.NoError(t, os.WriteFile(fuzzKeysFile, append(fixtures.JWKS(rsaKey, ecKey), '\n'), 0o644))
	other := fixtures.RSA(2048, "fuzz-rsa", "PS256")
	valid := sign(rsaKey, baseClaims())
	assertions := map[string]string{
		"valid-ps256":        valid,
		"valid-es256":        sign(ecKey, claimsWith("aud", []string{tokenEndpoint})),
		"valid-hs256":        fixtures.SignHMAC(fuzzSecret, "HS256", baseClaims()),
		"valid-hs384":        fixtures.SignHMAC(fuzzSecret, "HS384", claimsWith("aud", tokenEndpoint)),
		"valid-hs512":        fixtures.SignHMAC(fuzzSecret, "HS512", claimsWith("nbf", at(10))),
		"hs256-wrong-secret": fixtures.SignHMAC([]byte(strings.Repeat("w", 64)), "HS256", baseClaims()),
		"expired":            sign(ecKey, claimsWith("exp", at(0))),
		"every-claim-broken": sign(rsaKey, claimsWith("iss", "a", "sub", "b", "aud", "c", "exp", at(0), "nbf", at(11), "iat", at(11), "jti", "")),
		"no-claims":          fixtures.SignHMAC(fuzzSecret, "HS256", map[string]any{}),
		"rs256":              fixtures.Sign(rsaKey, "RS256", baseClaims(), nil),
		"other-key-same-kid": sign(other, baseClaims()),
		"tampered":           fixtures.Tamper(valid),
		"alg-none":           fixtures.Unsigned("none", baseClaims()),
		"duplicate-sub":      fixtures.SignRawPayload(ecKey, "ES256", `{"iss":"s6BhdRkqt3","sub":"s6BhdRkqt3","sub":"x","aud":"https://as.example.com","exp":1700000060,"jti":"j"}`),
		"jwe":                "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
		"empty":              "",
	}
	writeSeeds(t, "FuzzAssertion", assertions, func(s string) []any { return []any{s} })

	marshal := func(c map[string]any) string {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	type timed struct {
		payload string
		nanos   uint32
	}
	claimSets := map[string]timed{
		"valid":            {marshal(baseClaims()), 0},
		"exp-now":          {marshal(claimsWith("exp", at(0))), 0},
		"exp-now-plus-1":   {marshal(claimsWith("exp", at(1))), 999_999_999},
		"skew-boundary":    {marshal(claimsWith("nbf", at(10), "iat", at(11))), 500_000_000},
		"aud-array":        {marshal(claimsWith("aud", []string{"", "x", tokenEndpoint})), 0},
		"aud-empty":        {marshal(claimsWith("aud", "")), 0},
		"everything-wrong": {marshal(claimsWith("iss", "a", "sub", "b", "aud", "c", "exp", at(0), "nbf", at(11), "iat", at(11), "jti", "")), 0},
		"empty-object":     {`{}`, 0},
		"duplicate":        {`{"jti":"a","jti":"b"}`, 0},
		"null-claim":       {`{"exp":null}`, 0},
		"exp-float":        {`{"exp":1700000060.0}`, 0},
		"exp-fraction":     {`{"exp":1700000000.5,"iss":"c","sub":"c","jti":"j"}`, 500_000_000},
		"nbf-sub-ns":       {`{"nbf":1700000010.0000000001,"exp":1700000060}`, 0},
		"not-json":         {`exp=1`, 0},
	}
	writeSeeds(t, "FuzzAssertionClaims", claimSets, func(c timed) []any { return []any{c.payload, c.nanos} })
}

func writeSeeds[T any](t *testing.T, target string, seeds map[string]T, args func(T) []any) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, seed := range seeds {
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, a := range args(seed) {
			switch v := a.(type) {
			case string:
				fmt.Fprintf(&b, "string(%s)\n", strconv.Quote(v))
			case uint32:
				fmt.Fprintf(&b, "uint32(%d)\n", v)
			default:
				t.Fatalf("unsupported seed type %T", a)
			}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644))
	}
}

// TestFuzzAssertionSeeds keeps the seed assertions meaningful.
func TestFuzzAssertionSeeds(t *testing.T) {
	set, _ := fuzzSet(t)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzAssertion", name))
		require.NoError(t, err)
		line := strings.Split(strings.TrimSpace(string(data)), "\n")[1]
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "string("), ")"))
		require.NoError(t, err)
		return s
	}
	for _, name := range []string{"valid-ps256", "valid-es256"} {
		a, errs := CA.Verify(read(name), set, privateKeyRules(), now)
		require.Empty(t, errs, name)
		require.NotNil(t, a, name)
	}
	for _, name := range []string{"valid-hs256", "valid-hs384", "valid-hs512"} {
		a, errs := CA.VerifySecret(read(name), fuzzSecret, secretRules(), now)
		require.Empty(t, errs, name)
		require.NotNil(t, a, name)
	}
}
