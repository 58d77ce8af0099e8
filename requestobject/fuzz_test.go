package requestobject_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	R "github.com/fapicheck/fapicheck/requestobject"
)

// The fuzz targets verify against fixed public keys (testdata/fuzz_keys.json)
// so that the committed seed tokens, signed once with the matching private
// keys, stay valid. go test -run TestWriteFuzzSeeds -write-fuzz-seeds
// regenerates keys and seeds together.
var writeFuzzSeeds = flag.Bool("write-fuzz-seeds", false, "regenerate testdata/fuzz_keys.json and the seed corpora")

const fuzzKeysFile = "testdata/fuzz_keys.json"

var fuzzKeys = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(fuzzKeysFile) })

// fuzzSet returns the library's view of the fuzz keys and, for the oracle,
// the same keys decoded independently of the library.
func fuzzSet(t testing.TB) (*jwks.Set, map[string]crypto.PublicKey) {
	data, err := fuzzKeys()
	require.NoError(t, err)
	set, err := jwks.Parse(data)
	require.NoError(t, err)
	return set, oracleKeys(t, data)
}

// oracleKeys decodes a JWK Set of RSA and P-256 keys with encoding/json and
// the standard library only.
func oracleKeys(t testing.TB, data []byte) map[string]crypto.PublicKey {
	var doc struct {
		Keys []struct{ Kty, Kid, N, E, Crv, X, Y string }
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	out := map[string]crypto.PublicKey{}
	for _, k := range doc.Keys {
		switch k.Kty {
		case "RSA":
			out[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(dec(k.N)), E: int(new(big.Int).SetBytes(dec(k.E)).Int64())}
		case "EC":
			require.Equal(t, "P-256", k.Crv)
			pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), slices.Concat([]byte{4}, dec(k.X), dec(k.Y)))
			require.NoError(t, err)
			out[k.Kid] = pub
		}
	}
	require.Len(t, out, 2)
	return out
}

// oracleVerifies reports whether the compact JWS tok carries a valid alg
// signature by pub, checked with crypto/rsa and crypto/ecdsa directly.
func oracleVerifies(tok, alg string, pub crypto.PublicKey) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch alg {
	case "PS256":
		k, ok := pub.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(sig) != 64 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(k, digest[:], r, s)
	}
	return false
}

var knownReasons = map[R.Reason]bool{
	R.ReasonTooLarge: true, R.ReasonMalformed: true, R.ReasonUnsigned: true, R.ReasonAlgNotAllowed: true,
	R.ReasonSignatureInvalid: true, R.ReasonKeyTooSmall: true, R.ReasonExpMissing: true, R.ReasonExpired: true,
	R.ReasonNbfMissing: true, R.ReasonNotYetValid: true, R.ReasonNbfTooOld: true, R.ReasonLifetimeTooLong: true,
	R.ReasonAudMissing: true, R.ReasonAudMismatch: true, R.ReasonIssMismatch: true, R.ReasonClientIDMismatch: true,
	R.ReasonParamMissing: true, R.ReasonParamMismatch: true,
}

// fatalReasons never come with an Object.
var fatalReasons = map[R.Reason]bool{
	R.ReasonTooLarge: true, R.ReasonUnsigned: true, R.ReasonAlgNotAllowed: true,
	R.ReasonSignatureInvalid: true, R.ReasonKeyTooSmall: true,
}

// FuzzVerify checks that Verify never panics, never answers "maybe" (no
// Object and no error), and only returns an Object for a token whose
// signature really verifies with the registered key named by the Object —
// checked again with crypto/rsa and crypto/ecdsa, outside the JOSE layer.
func FuzzVerify(f *testing.F) {
	set, oracle := fuzzSet(f)
	base := fapiRules()
	pinned := base
	pinned.ClientAlgorithm = "PS256"
	f.Fuzz(func(t *testing.T, token string) {
		for _, rules := range []R.Rules{base, pinned} {
			obj, errs := R.Verify(token, set, rules, now)
			if obj == nil && len(errs) == 0 {
				t.Fatal("no Object and no error")
			}
			for _, e := range errs {
				if e == nil || !knownReasons[e.Reason] || e.Message == "" {
					t.Fatalf("bad error %#v", e)
				}
				if obj != nil && fatalReasons[e.Reason] {
					t.Fatalf("Object returned with %s", e.Reason)
				}
			}
			if obj == nil {
				continue
			}
			pub, ok := oracle[obj.KeyID]
			if !ok {
				t.Fatalf("Object names key %q, which is not registered", obj.KeyID)
			}
			if !oracleVerifies(token, obj.Algorithm, pub) {
				t.Fatalf("Object returned for %q, but its %s signature does not verify with %s", token, obj.Algorithm, obj.KeyID)
			}
			if !slices.Contains(rules.Algorithms, obj.Algorithm) {
				t.Fatalf("algorithm %s is not allowed", obj.Algorithm)
			}
			if rules.ClientAlgorithm != "" && obj.Algorithm != rules.ClientAlgorithm {
				t.Fatalf("algorithm %s is not the registered %s", obj.Algorithm, rules.ClientAlgorithm)
			}
			// The header the oracle sees names the same algorithm.
			hdr, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
			if err != nil {
				t.Fatal(err)
			}
			var h struct{ Alg string }
			if err := json.Unmarshal(hdr, &h); err != nil || h.Alg != obj.Algorithm {
				t.Fatalf("header %q, Object algorithm %s", hdr, obj.Algorithm)
			}
			// Every parameter compares equal to itself sent outside.
			same := url.Values{}
			for _, p := range obj.Params {
				if p.Name == "request" || p.Name == "request_uri" {
					t.Fatalf("nested %s kept as a parameter", p.Name)
				}
				same.Set(p.Name, p.Value)
			}
			if errs := obj.CompareOutside(same); len(errs) != 0 {
				t.Fatalf("parameters differ from themselves: %v", errs)
			}
			// UnverifiedScope sees what Verify accepted.
			if p, ok := obj.Param("scope"); ok && p.IsString {
				if got, ok := R.UnverifiedScope(token, 0); !ok || !slices.Equal(got, strings.Fields(p.Value)) {
					t.Fatalf("UnverifiedScope = %q, scope %q", got, p.Value)
				}
			}
		}
		_, _ = R.UnverifiedScope(token, 0)
	})
}

// FuzzParseClaims checks ParseClaims against encoding/json: whatever it
// accepts is one valid UTF-8 JSON object, and the requests it returns are
// those of the text.
func FuzzParseClaims(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := R.ParseClaims(data)
		// EssentialIDTokenClaimValues agrees with the full parse.
		essential, values, verr := R.EssentialIDTokenClaimValues(data, "acr")
		if (verr != nil) != (err != nil) {
			t.Fatalf("EssentialIDTokenClaimValues error %v, ParseClaims error %v", verr, err)
		}
		if err == nil {
			want := c.IDToken["acr"]
			if essential != want.Essential || (essential && !slices.Equal(values, want.Values)) || (!essential && values != nil) {
				t.Fatalf("EssentialIDTokenClaimValues = %v %q, ParseClaims acr = %+v", essential, values, want)
			}
		}
		if err != nil {
			if c != nil || !errors.Is(err, R.ErrClaimsMalformed) {
				t.Fatalf("ParseClaims = %v, %v", c, err)
			}
			return
		}
		if c == nil || len(data) > R.MaxClaimsSize || !utf8.Valid(data) || !json.Valid(data) {
			t.Fatalf("accepted %q", data)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("accepted %q, not an object: %v", data, err)
		}
		check := func(member string, got map[string]R.ClaimRequest) {
			rawReqs, ok := doc[member]
			if !ok {
				if got != nil {
					t.Fatalf("%s absent, parsed as %v", member, got)
				}
				return
			}
			var reqs map[string]json.RawMessage
			if err := json.Unmarshal(rawReqs, &reqs); err != nil || reqs == nil {
				t.Fatalf("%s accepted but not an object: %s", member, rawReqs)
			}
			if len(reqs) != len(got) {
				t.Fatalf("%s: %d claims, parsed %d", member, len(reqs), len(got))
			}
			for name, rawReq := range reqs {
				r, ok := got[name]
				if !ok {
					t.Fatalf("%s.%s not parsed", member, name)
				}
				var fields map[string]json.RawMessage
				if err := json.Unmarshal(rawReq, &fields); err != nil {
					t.Fatalf("%s.%s accepted: %s", member, name, rawReq)
				}
				wantValues := 0
				if v, ok := fields["value"]; ok {
					if string(v) == "null" {
						t.Fatalf("null value accepted")
					}
					wantValues++
				}
				if v, ok := fields["values"]; ok {
					var elems []json.RawMessage
					if err := json.Unmarshal(v, &elems); err != nil || elems == nil {
						t.Fatalf("values accepted: %s", v)
					}
					wantValues += len(elems)
				}
				if len(r.Values) != wantValues {
					t.Fatalf("%s.%s: %d values, want %d", member, name, len(r.Values), wantValues)
				}
				// Each value is the element's text, as encoding/json splits it.
				var want []string
				if v, ok := fields["value"]; ok {
					want = append(want, string(v))
				}
				if v, ok := fields["values"]; ok {
					var elems []json.RawMessage
					_ = json.Unmarshal(v, &elems)
					for _, e := range elems {
						want = append(want, string(e))
					}
				}
				if !slices.Equal(r.Values, want) {
					t.Fatalf("%s.%s: values %q, want %q", member, name, r.Values, want)
				}
				for _, v := range r.Values {
					if !json.Valid([]byte(v)) {
						t.Fatalf("value %q is not JSON", v)
					}
				}
				wantEssential := false
				if e, ok := fields["essential"]; ok {
					if err := json.Unmarshal(e, &wantEssential); err != nil {
						t.Fatalf("essential accepted: %s", e)
					}
				}
				if r.Essential != wantEssential {
					t.Fatalf("%s.%s essential = %v", member, name, r.Essential)
				}
				if member == "id_token" && c.EssentialIDTokenClaim(name) != wantEssential {
					t.Fatalf("EssentialIDTokenClaim(%q)", name)
				}
			}
		}
		check("id_token", c.IDToken)
		check("userinfo", c.UserInfo)
	})
}

var compareKey = sync.OnceValue(func() fixtures.Key { return fixtures.EC(elliptic.P256(), "ec", "ES256") })

// FuzzCompareOutside signs a fuzzed claim set, verifies it and compares it
// with a fuzzed query: errors come in name order, only for outside names,
// and say "missing" or "mismatch" exactly when an independent comparison
// does (strings as text, other values as JSON with exact numbers).
// setValued are the parameters whose value is a space-delimited set, so
// that inside and outside are equal when they hold the same words in any
// order (scope: RFC 6749 §3.3; response_type: OAuth 2.0 Multiple Response
// Type Encoding Practices §2; prompt: OIDC Core §3.1.2.1).
var setValued = map[string]bool{"scope": true, "response_type": true, "prompt": true}

// sameWords reports whether a and b hold the same whitespace-separated
// words, each as many times, in any order.
func sameWords(a, b string) bool {
	count := map[string]int{}
	for _, w := range strings.Fields(a) {
		count[w]++
	}
	for _, w := range strings.Fields(b) {
		count[w]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func FuzzCompareOutside(f *testing.F) {
	k := compareKey()
	set, err := jwks.Parse(fixtures.JWKS(k))
	require.NoError(f, err)
	rules := R.Rules{Algorithms: []string{"ES256"}, ClientID: clientID, Issuer: issuer}
	f.Fuzz(func(t *testing.T, payload, query string) {
		obj, _ := R.Verify(fixtures.SignRawPayload(k, "ES256", payload), set, rules, now)
		outside, _ := url.ParseQuery(query)
		errs := obj.CompareOutside(outside)
		if obj == nil {
			if errs != nil {
				t.Fatal("errors from a nil Object")
			}
			return
		}
		var names []string
		for name, vals := range outside {
			if len(vals) > 0 && name != "request" && name != "request_uri" {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		i := 0
		for _, name := range names {
			p, ok := obj.Param(name)
			var want R.Reason
			tooLarge := false
			switch {
			case !ok:
				want = R.ReasonParamMissing
			case p.IsString:
				if p.Value != outside[name][0] && !(setValued[name] && sameWords(p.Value, outside[name][0])) {
					want = R.ReasonParamMismatch
				}
			default:
				out := outside[name][0]
				eq := p.Equal(out)
				// Beyond MaxClaimsSize on either side a JSON value is not
				// decoded: it equals only the same bytes, and a mismatch
				// says it was too large to compare.
				tooLarge = p.Value != out && (len(out) > R.MaxClaimsSize || len(p.JSON) > R.MaxClaimsSize)
				switch {
				case tooLarge && eq:
					t.Fatalf("%s: %d bytes inside equal %d other bytes outside, beyond the bound", name, len(p.JSON), len(out))
				case !tooLarge && eq && jsonSame(p.JSON, []byte(out)) == differ:
					t.Fatalf("%s: %s inside equals %q outside", name, p.JSON, out)
				}
				if !eq {
					want = R.ReasonParamMismatch
				}
			}
			if want == "" {
				continue
			}
			if i >= len(errs) || errs[i].Reason != want || errs[i].Claim != name {
				t.Fatalf("want %s for %s at %d, got %v", want, name, i, errs)
			}
			// The name comes first, then the verdict; a quoted value can
			// hold any text, so only the prefix tells.
			if strings.HasPrefix(errs[i].Message, name+" is too large to compare: ") != tooLarge {
				t.Fatalf("%s: too large %v, message %q", name, tooLarge, errs[i].Message)
			}
			i++
		}
		if i != len(errs) {
			t.Fatalf("unexpected errors %v", errs[i:])
		}
		// Reflexive: each parameter equals itself.
		for _, p := range obj.Params {
			if !p.Equal(p.Value) {
				t.Fatalf("%s = %q differs from itself", p.Name, p.Value)
			}
		}
	})
}

type sameness int

const (
	same sameness = iota
	differ
	unknown
)

// jsonSame compares two JSON texts by meaning with encoding/json and
// math/big; unknown when one is not JSON or holds a number too large to
// compare cheaply.
func jsonSame(a, b []byte) sameness {
	va, errA := decodeUseNumber(a)
	vb, errB := decodeUseNumber(b)
	if errA != nil || errB != nil {
		return unknown
	}
	return sameValue(va, vb)
}

func decodeUseNumber(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func sameValue(a, b any) sameness {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return differ
		}
		rx, okX := exactNumber(string(x))
		ry, okY := exactNumber(string(y))
		if !okX || !okY {
			return unknown
		}
		if rx.Cmp(ry) == 0 {
			return same
		}
		return differ
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return differ
		}
		result := same
		for k, v := range x {
			w, ok := y[k]
			if !ok {
				return differ
			}
			switch sameValue(v, w) {
			case differ:
				return differ
			case unknown:
				result = unknown
			}
		}
		return result
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return differ
		}
		result := same
		for i := range x {
			switch sameValue(x[i], y[i]) {
			case differ:
				return differ
			case unknown:
				result = unknown
			}
		}
		return result
	default: // string, bool, nil
		if a == b {
			return same
		}
		return differ
	}
}

// exactNumber parses a JSON number as an exact rational, refusing exponents
// beyond ±10000 (which would make big.Rat slow).
func exactNumber(s string) (*big.Rat, bool) {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > 10000 || e < -10000 {
			return nil, false
		}
	}
	return new(big.Rat).SetString(s)
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

	other := fixtures.RSA(2048, "fuzz-rsa", "PS256") // same kid, not registered
	noKid := rsaKey
	noKid.ID = ""
	valid := sign(rsaKey, baseClaims())
	tokens := map[string]string{
		"valid-ps256":          valid,
		"valid-es256":          sign(ecKey, baseClaims()),
		"valid-no-kid":         sign(noKid, baseClaims()),
		"expired":              sign(rsaKey, claimsWith("exp", at(0))),
		"every-claim-broken":   sign(rsaKey, claimsWith("state", 5, "exp", at(0), "nbf", at(11), "iat", at(11), "aud", "x", "iss", "y", "client_id", "z")),
		"nested-request":       sign(ecKey, claimsWith("request", "a.b.c", "request_uri", "urn:x")),
		"duplicate-claims":     fixtures.SignRawPayload(rsaKey, "PS256", `{"exp":1700000300,"exp":1800000000}`),
		"null-claim":           sign(ecKey, claimsWith("nonce", raw("null"))),
		"rs256":                fixtures.Sign(rsaKey, "RS256", baseClaims(), nil),
		"es256-with-rsa-kid":   fixtures.Sign(ecKey, "ES256", baseClaims(), map[string]any{"kid": "fuzz-rsa"}),
		"other-key-same-kid":   sign(other, baseClaims()),
		"tampered":             fixtures.Tamper(valid),
		"alg-none":             fixtures.Unsigned("none", baseClaims()),
		"alg-NoNe":             fixtures.Unsigned("NoNe", baseClaims()),
		"hs256":                fixtures.SignHMAC([]byte(strings.Repeat("s", 32)), "HS256", baseClaims()),
		"jwe":                  "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
		"json-serialization":   `{"payload":"e30","signatures":[{"protected":"eyJhbGciOiJQUzI1NiJ9","signature":"AA"}]}`,
		"two-parts":            valid[:strings.LastIndexByte(valid, '.')],
		"padded":               valid + "==",
		"empty":                "",
		"claims-param-numbers": sign(ecKey, claimsWith("claims", map[string]any{"userinfo": map[string]any{"n": map[string]any{"value": 1e21}}}, "max_age", raw("3e2"))),
	}
	writeSeeds(t, "FuzzVerify", tokens, func(tok string) []any { return []any{tok} })

	claims := map[string]string{
		"acr-essential":     `{"id_token":{"acr":{"essential":true,"values":["urn:mace:incommon:iap:silver"]}}}`,
		"null-requests":     `{"id_token":{"auth_time":null},"userinfo":{"email":null}}`,
		"value":             `{"userinfo":{"sub":{"value":"248289761001"},"n":{"value":1.5e3}}}`,
		"empty":             `{}`,
		"not-an-object":     `[]`,
		"id-token-string":   `{"id_token":"acr"}`,
		"essential-string":  `{"id_token":{"acr":{"essential":"true"}}}`,
		"values-string":     `{"id_token":{"acr":{"values":"urn:x"}}}`,
		"value-null":        `{"id_token":{"acr":{"value":null}}}`,
		"duplicate":         `{"id_token":{"acr":null,"\u0061cr":{"essential":true}}}`,
		"deep":              `{"id_token":{"x":{"value":[[[[[[]]]]]]}}}`,
		"extra-members":     `{"id_token":{},"verified_claims":{"a":[1,2,{"b":null}]}}`,
		"invalid-utf8":      "{\"id_token\":{\"\xff\":null}}",
		"lone-surrogate":    `{"id_token":{"\ud800":null}}`,
		"value-and-values":  `{"id_token":{"acr":{"value":"a","values":["b","c"]}}}`,
		"trailing-garbage":  `{"id_token":{}}x`,
		"whitespace-around": " {\"userinfo\":{}}\n",
	}
	writeSeeds(t, "FuzzParseClaims", claims, func(s string) []any { return []any{[]byte(s)} })

	type pair struct{ payload, query string }
	pairs := map[string]pair{
		"same":                {outsidePayload, url.Values(sameOutside()).Encode()},
		"claims-reordered":    {outsidePayload, "claims=" + url.QueryEscape(`{"userinfo":{"n":{"value":1.0}},"id_token":{"auth_time":null,"acr":{"values":["urn:a","urn:b"],"essential":true}}}`)},
		"claims-string-value": {outsidePayload, "claims=" + url.QueryEscape(`{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":"1"}}}`)},
		"max-age-string":      {outsidePayload, "max_age=%22300%22"},
		"max-age-exponent":    {outsidePayload, "max_age=3e2&x_bool=true"},
		"big-numbers":         {`{"n":12345678901234567890,"m":1e400}`, "n=12345678901234567891&m=10e399"},
		"missing-and-sorted":  {outsidePayload, "z=1&a=2&state=bad&request=x&request_uri=y"},
		"repeated":            {outsidePayload, "state=xyz&state=other"},
		"not-an-object":       {`[1]`, "a=1"},
		"nested":              {`{"a":{"b":[1,{"c":-0.0}]},"s":"x"}`, "a=%7B%22b%22%3A%5B1e0%2C%7B%22c%22%3A0%7D%5D%7D&s=x"},
		"bad-query":           {outsidePayload, "%zz=1&state=xyz"},
		"claims-too-large":    {outsidePayload, "claims=" + url.QueryEscape(sameOutside().Get("claims")+strings.Repeat(" ", R.MaxClaimsSize))},
	}
	writeSeeds(t, "FuzzCompareOutside", pairs, func(p pair) []any { return []any{p.payload, p.query} })

	type timed struct {
		payload string
		nanos   uint32
	}
	marshal := func(c map[string]any) string {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	claimSets := map[string]timed{
		"valid":                   {marshal(baseClaims()), 0},
		"exp-now":                 {marshal(claimsWith("exp", at(0))), 0},
		"exp-now-plus-1-fraction": {marshal(claimsWith("exp", at(1))), 999_999_999},
		"nbf-age-boundary":        {marshal(claimsWith("nbf", at(-3600), "exp", at(0))), 1},
		"nbf-skew-boundary":       {marshal(claimsWith("nbf", at(10), "iat", at(11))), 500_000_000},
		"lifetime-boundary":       {marshal(claimsWith("nbf", at(-60), "exp", at(3541))), 0},
		"every-rule":              {marshal(claimsWith("state", 5, "exp", at(0), "nbf", at(11), "iat", at(11), "aud", []string{"x"}, "iss", "y", "client_id", "z")), 0},
		"missing":                 {`{"request":"a","request_uri":"b","claims":[],"max_age":"1"}`, 0},
		"duplicate":               {`{"exp":1700000300,"exp":1800000000}`, 0},
		"null":                    {`{"exp":null}`, 0},
		"not-an-object":           {`["exp"]`, 0},
		"year-9999":               {`{"exp":253402300799,"nbf":0,"aud":["https://as.example.com"]}`, 7},
		"exp-fraction-boundary":   {marshal(claimsWith("exp", raw("1700000000.5"))), 500_000_000},
		"nbf-sub-nanosecond":      {marshal(claimsWith("nbf", raw("1700000010.000000000001"), "iat", raw("1.70000001e9"))), 0},
		"lifetime-fraction":       {marshal(claimsWith("nbf", raw("1699999940.25"), "exp", raw("1700003540.2500000001"))), 0},
	}
	writeSeeds(t, "FuzzVerifyClaims", claimSets, func(c timed) []any { return []any{c.payload, c.nanos} })
}

// writeSeeds writes one "go test fuzz v1" file per seed.
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
			case []byte:
				fmt.Fprintf(&b, "[]byte(%s)\n", strconv.Quote(string(v)))
			case uint32:
				fmt.Fprintf(&b, "uint32(%d)\n", v)
			default:
				t.Fatalf("unsupported seed type %T", a)
			}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644))
	}
}

// readSeed returns the string arguments of a committed seed file.
func readSeed(t *testing.T, target, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, name))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Equal(t, "go test fuzz v1", lines[0])
	var out []string
	for _, l := range lines[1:] {
		l = strings.TrimPrefix(strings.TrimPrefix(l, "string("), "[]byte(")
		s, err := strconv.Unquote(strings.TrimSuffix(l, ")"))
		require.NoError(t, err)
		out = append(out, s)
	}
	return out
}

// TestFuzzVerifySeeds keeps the seed tokens meaningful: the valid ones must
// still verify with the committed keys, so that the fuzzer mutates tokens
// that reach the claim checks.
func TestFuzzVerifySeeds(t *testing.T) {
	set, oracle := fuzzSet(t)
	for name, kid := range map[string]string{"valid-ps256": "fuzz-rsa", "valid-es256": "fuzz-ec", "valid-no-kid": "fuzz-rsa"} {
		tok := readSeed(t, "FuzzVerify", name)[0]
		obj, errs := R.Verify(tok, set, fapiRules(), now)
		require.Empty(t, errs, name)
		require.Equal(t, kid, obj.KeyID, name)
		require.True(t, oracleVerifies(tok, obj.Algorithm, oracle[kid]), name)
	}
	for name, want := range map[string]R.Reason{
		"expired": R.ReasonExpired, "rs256": R.ReasonAlgNotAllowed, "tampered": R.ReasonSignatureInvalid,
		"other-key-same-kid": R.ReasonSignatureInvalid, "es256-with-rsa-kid": R.ReasonSignatureInvalid,
		"alg-NoNe": R.ReasonUnsigned, "duplicate-claims": R.ReasonMalformed, "jwe": R.ReasonMalformed,
	} {
		_, errs := R.Verify(readSeed(t, "FuzzVerify", name)[0], set, fapiRules(), now)
		require.Equal(t, []R.Reason{want}, reasons(errs), name)
	}
}

// FuzzVerifyClaims signs a fuzzed claim set and checks Verify's claim rules
// against an independent implementation (encoding/json for the claims, the
// time package for the arithmetic): whenever an Object comes back, the
// errors are exactly, and in the same order, those the oracle predicts. now
// carries a fuzzed fraction of a second, to probe the boundaries.
func FuzzVerifyClaims(f *testing.F) {
	k := compareKey()
	set, err := jwks.Parse(fixtures.JWKS(k))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, payload string, nanos uint32) {
		at := now.Add(time.Duration(nanos % 1e9))
		rules := fapiRules()
		obj, errs := R.Verify(fixtures.SignRawPayload(k, "ES256", payload), set, rules, at)
		if obj == nil {
			if len(errs) != 1 || errs[0].Reason != R.ReasonMalformed {
				t.Fatalf("no Object, errors %v", errs)
			}
			return
		}
		want, ok := oracleClaimReasons(t, []byte(payload), rules, at)
		if !ok {
			t.Fatalf("Object returned for a claim set the oracle cannot read: %q", payload)
		}
		if got := reasons(errs); !slices.Equal(got, want) {
			t.Fatalf("payload %q at %v:\n got %v\nwant %v\n(%v)", payload, at, got, want, errs)
		}
	})
}

// oracleClaimReasons predicts Verify's claim errors.
func oracleClaimReasons(t *testing.T, payload []byte, rules R.Rules, at time.Time) ([]R.Reason, bool) {
	d := json.NewDecoder(bytes.NewReader(payload))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	type member struct {
		name string
		raw  json.RawMessage
	}
	var members []member
	byName := map[string]json.RawMessage{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, false
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return nil, false
		}
		members = append(members, member{tok.(string), v})
		byName[tok.(string)] = v
	}
	stringParams := []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
		"code_challenge", "code_challenge_method", "response_mode", "prompt", "login_hint", "id_token_hint",
		"acr_values", "display", "ui_locales", "claims_locales"}
	kind := func(v json.RawMessage) byte { return bytes.TrimSpace(v)[0] }

	var out []R.Reason
	for _, m := range members {
		switch {
		case m.name == "request" || m.name == "request_uri":
			out = append(out, R.ReasonMalformed)
		case slices.Contains([]string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}, m.name):
		case slices.Contains(stringParams, m.name) && kind(m.raw) != '"':
			out = append(out, R.ReasonMalformed)
		case m.name == "claims" && kind(m.raw) != '{':
			out = append(out, R.ReasonMalformed)
		case m.name == "max_age" && (kind(m.raw) == '"' || kind(m.raw) == '{' || kind(m.raw) == '[' || kind(m.raw) == 't' || kind(m.raw) == 'f'):
			out = append(out, R.ReasonMalformed)
		}
	}
	// NumericDates may have fractions (RFC 7519 §2): the oracle reads them,
	// and the times, as exact rationals and does the arithmetic exactly.
	date := func(name string) (*big.Rat, bool) {
		v, ok := byName[name]
		if !ok {
			return nil, false
		}
		r, ok := exactNumber(string(v))
		if !ok {
			// An exponent beyond ±10000: only a zero is a NumericDate.
			mant, _, _ := strings.Cut(strings.ToLower(string(v)), "e")
			require.Empty(t, strings.Trim(mant, "-0."), "%s accepted as %s", name, v)
			r = new(big.Rat)
		}
		return r, true
	}
	ratOf := func(t time.Time) *big.Rat {
		return new(big.Rat).Add(new(big.Rat).SetInt64(t.Unix()), big.NewRat(int64(t.Nanosecond()), 1e9))
	}
	seconds := func(d time.Duration) *big.Rat { return big.NewRat(int64(d), 1e9) }
	sub := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
	now, skewed := ratOf(at), ratOf(at.Add(rules.ClockSkew))
	exp, hasExp := date("exp")
	nbf, hasNbf := date("nbf")
	iat, hasIat := date("iat")
	switch {
	case !hasExp:
		out = append(out, R.ReasonExpMissing)
	case exp.Cmp(now) <= 0:
		out = append(out, R.ReasonExpired)
	}
	if !hasNbf {
		out = append(out, R.ReasonNbfMissing)
		// Without nbf the lifetime is counted from now.
		if hasExp && sub(exp, now).Cmp(seconds(rules.MaxLifetime)) > 0 {
			out = append(out, R.ReasonLifetimeTooLong)
		}
	} else {
		if nbf.Cmp(skewed) > 0 {
			out = append(out, R.ReasonNotYetValid)
		}
		if sub(now, nbf).Cmp(seconds(rules.MaxNbfAge)) > 0 {
			out = append(out, R.ReasonNbfTooOld)
		}
		if hasExp && sub(exp, nbf).Cmp(seconds(rules.MaxLifetime)) > 0 {
			out = append(out, R.ReasonLifetimeTooLong)
		}
	}
	if hasIat && iat.Cmp(skewed) > 0 {
		out = append(out, R.ReasonNotYetValid)
	}
	if aud, ok := byName["aud"]; !ok {
		out = append(out, R.ReasonAudMissing)
	} else {
		var one string
		var many []string
		if json.Unmarshal(aud, &one) == nil {
			many = []string{one}
		} else {
			require.NoError(t, json.Unmarshal(aud, &many))
		}
		if !slices.Contains(many, rules.Issuer) {
			out = append(out, R.ReasonAudMismatch)
		}
	}
	var s string
	if v, ok := byName["iss"]; ok {
		require.NoError(t, json.Unmarshal(v, &s))
		if s != rules.ClientID {
			out = append(out, R.ReasonIssMismatch)
		}
	}
	if v, ok := byName["client_id"]; ok && json.Unmarshal(v, &s) == nil && s != rules.ClientID {
		out = append(out, R.ReasonClientIDMismatch)
	}
	if out == nil {
		out = []R.Reason{}
	}
	return out, true
}
