package jose_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/internal/jose"
)

// The fuzz targets start from the committed corpora in testdata/fuzz/<Name>
// (real tokens and key sets made by internal/fixtures, written once by
// TestWriteFuzzSeeds) and from the seeds added below.

// fuzzKeysFile holds the public keys that signed the committed FuzzParse
// seeds, so that the fuzzer also reaches successful verification.
var fuzzKeysFile = filepath.Join("testdata", "fuzzkeys.json")

var allAlgs = []string{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, jose.Ed25519,
	jose.HS256, jose.HS384, jose.HS512, "none", "None", "",
}

// exactlyOne reports whether err wraps exactly one of kinds and no other
// sentinel.
func exactlyOne(err error, kinds ...error) bool {
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
			found := false
			for _, k := range kinds {
				found = found || k == s
			}
			if !found {
				return false
			}
		}
	}
	return n == 1
}

// fuzzKeys loads the committed public keys and an empty set.
func fuzzKeys(f *testing.F) (keys, empty *jose.KeySet) {
	data, err := os.ReadFile(fuzzKeysFile)
	if err != nil {
		f.Fatal(err)
	}
	if keys, err = jose.ParseKeySet(data); err != nil {
		f.Fatal(err)
	}
	if empty, err = jose.ParseKeySet([]byte(`{"keys":[]}`)); err != nil {
		f.Fatal(err)
	}
	return keys, empty
}

func FuzzParse(f *testing.F) {
	keys, empty := fuzzKeys(f)
	for _, s := range []string{
		"", ".", "..", "...", "....", "a.b.c", "e30.e30.AA", "e30.e30.",
		b64s(`{"alg":"ES256"}`) + ".e30.AAAA",
		b64s(`{"alg":"none"}`) + ".e30.",
		b64s(`{"alg":"HS256"}`) + ".e30." + b64(make([]byte, 32)),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		checkToken(t, token, keys, empty)
	})
}

// FuzzParseSegments fuzzes the decoded header, payload and signature, so
// that the mutations reach the header's JSON rather than its base64url.
func FuzzParseSegments(f *testing.F) {
	keys, empty := fuzzKeys(f)
	for _, h := range []string{
		`{"alg":"ES256","kid":"f-ec"}`, `{"alg":"none"}`, `{"alg":"nOnE"}`, `{"alg":"PS256","crit":["b64"],"b64":false}`,
		`{"alg":"ES256","alg":"ES256"}`, `{"alg":"ES256","\u0061lg":"none"}`, `{"alg":1}`, `{"kid":"f-ec"}`,
		`{"alg":"HS256","kid":"f-rsa"}`, `{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"}}`,
		`{"alg":"ES256","enc":"A256GCM","zip":"DEF"}`, `[]`, ``,
	} {
		f.Add([]byte(h), []byte(`{"iss":"a"}`), make([]byte, 64))
	}
	f.Fuzz(func(t *testing.T, header, payload, sig []byte) {
		token := b64(header) + "." + b64(payload) + "." + b64(sig)
		checkToken(t, token, keys, empty)
	})
}

// checkToken holds the properties of Parse and Verify on any input: no
// panic; errors wrap exactly one sentinel of the step; a parsed token is
// never alg none, never verifies without a key, and verifies only with a
// key that its kid, use and type permit.
func checkToken(t *testing.T, token string, keys, empty *jose.KeySet) {
	j, err := jose.Parse(token, 0)
	if err != nil {
		if j != nil {
			t.Fatalf("Parse returned a JWS and an error %v", err)
		}
		if !exactlyOne(err, jose.ErrTooLarge, jose.ErrMalformed, jose.ErrUnsigned) {
			t.Fatalf("Parse error %v does not wrap exactly one Parse sentinel", err)
		}
		return
	}
	if len(token) > jose.DefaultMaxSize {
		t.Fatalf("accepted %d bytes", len(token))
	}
	if jose.IsNone(j.Header.Alg) {
		t.Fatalf("accepted alg %q", j.Header.Alg)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[2] == "" {
		t.Fatalf("accepted %d parts", len(parts))
	}
	// Strict base64url is a bijection: the payload re-encodes to the
	// exact segment, so no two texts carry the same signed payload.
	if got := base64.RawURLEncoding.EncodeToString(j.Payload); got != parts[1] {
		t.Fatalf("payload segment %q is not canonical (%q)", parts[1], got)
	}

	// Without a key nothing verifies, whatever is allowed.
	for _, set := range []*jose.KeySet{nil, empty} {
		if k, err := j.Verify(allAlgs, set); err == nil || k != nil {
			t.Fatalf("Verify with no keys succeeded (alg %q)", j.Header.Alg)
		} else if !exactlyOne(err, jose.ErrAlgNotAllowed, jose.ErrNoKey, jose.ErrUnsigned) {
			t.Fatalf("Verify error %v", err)
		}
	}
	if err := j.VerifyWithKey(allAlgs, nil); err == nil {
		t.Fatal("VerifyWithKey(nil) succeeded")
	}
	if err := j.VerifySecret(allAlgs, nil); err == nil {
		t.Fatal("VerifySecret(nil) succeeded")
	}
	if _, err := j.Verify(nil, keys); !errors.Is(err, jose.ErrAlgNotAllowed) {
		t.Fatalf("Verify with nothing allowed: %v", err)
	}

	// With real keys: a success must come from a key that may be used.
	k, err := j.Verify(allAlgs, keys)
	if err != nil {
		if k != nil {
			t.Fatal("Verify returned a key and an error")
		}
		if !exactlyOne(err, jose.ErrAlgNotAllowed, jose.ErrNoKey, jose.ErrSignatureInvalid) {
			t.Fatalf("Verify error %v", err)
		}
	} else {
		if jose.IsSymmetric(j.Header.Alg) || !jose.IsAsymmetric(j.Header.Alg) {
			t.Fatalf("verified alg %q", j.Header.Alg)
		}
		if k.Use != "" && k.Use != "sig" {
			t.Fatalf("verified with a key of use %q", k.Use)
		}
		if kid := j.Header.Kid; kid != "" && k.ID != kid {
			// Only a key registered without a kid may stand in, and
			// only when no key carries the kid.
			if k.ID != "" {
				t.Fatalf("kid %q verified with key %q", kid, k.ID)
			}
			for _, other := range keys.Keys() {
				if other.ID == kid {
					t.Fatalf("kid %q verified with a kid-less key although key %q exists", kid, other.ID)
				}
			}
		}
		if err := j.VerifyWithKey([]string{j.Header.Alg}, k.Public); err != nil {
			t.Fatalf("verified by the set but not by its key: %v", err)
		}
	}
	_, _ = jose.DecodeClaims(j.Payload)
}

func FuzzParseKeySet(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `{"keys":[]}`, `{"keys":[{}]}`, `{"keys":[{"kty":"oct","k":"AA"}]}`,
		rfc7638Key, `{"keys":[` + rfc7638Key + `]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := jose.ParseKeySet(data)
		if err != nil {
			if set != nil {
				t.Fatal("ParseKeySet returned a set and an error")
			}
			if !exactlyOne(err, jose.ErrInvalidKeySet) {
				t.Fatalf("error %v does not wrap exactly ErrInvalidKeySet", err)
			}
			return
		}
		if len(data) > jose.MaxKeySetSize {
			t.Fatalf("accepted %d bytes", len(data))
		}
		if !json.Valid(data) {
			t.Fatal("accepted invalid JSON")
		}
		if set.Len() > jose.MaxKeys || set.Len() != len(set.Keys()) {
			t.Fatalf("%d keys", set.Len())
		}
		for i, k := range set.Keys() {
			if k.Public == nil {
				t.Fatalf("key %d has no public key", i)
			}
			if len(k.Thumbprint) != 43 {
				t.Fatalf("key %d thumbprint %q", i, k.Thumbprint)
			}
			tp, err := jose.Thumbprint(k.Public)
			if err != nil || tp != k.Thumbprint {
				t.Fatalf("key %d: thumbprint %q from the JWK, %q (%v) from the key", i, k.Thumbprint, tp, err)
			}
			if !jose.SamePublicKey(k.Public, k.Public) {
				t.Fatalf("key %d is not a complete public key", i)
			}
			switch k.Type {
			case "RSA", "EC", "OKP":
			default:
				t.Fatalf("key %d type %q", i, k.Type)
			}
			if len(k.Certificates) > 0 && !jose.SamePublicKey(k.Certificates[0].PublicKey, k.Public) {
				t.Fatalf("key %d: x5c does not hold the key", i)
			}
			if one, err := jose.NewKeySet(k.Public); err != nil || one.Keys()[0].Thumbprint != k.Thumbprint {
				t.Fatalf("key %d: NewKeySet disagrees: %v", i, err)
			}
		}
	})
}

// oracleNumericDate reads the JSON number text exactly (math/big) and says
// whether DecodeClaims must take it as a NumericDate: at most 64
// characters, between 0 and 253402300799, no non-zero digit below 1e-64.
// An exponent beyond ±1000 is not expanded: with at most 64 digits, the
// value is then zero, or out of range, or finer than 1e-64.
func oracleNumericDate(text string) (*big.Rat, bool) {
	if len(text) > 64 {
		return nil, false
	}
	mant := text
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mant = text[:i]
		if e, err := strconv.Atoi(strings.TrimPrefix(text[i+1:], "+")); err != nil || e > 1000 || e < -1000 {
			if strings.Trim(mant, "-0.") == "" {
				return new(big.Rat), true
			}
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok || r.Sign() < 0 || r.Cmp(new(big.Rat).SetInt64(maxNumericDate)) > 0 {
		return r, false
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(64), nil)
	return r, new(big.Rat).Mul(r, new(big.Rat).SetInt(scale)).IsInt()
}

// ratOfNumericDate is the exact value of d: Unix + Nanos/1e9 + 0.Sub/1e9.
func ratOfNumericDate(d jose.NumericDate) *big.Rat {
	r := new(big.Rat).Add(new(big.Rat).SetInt64(d.Unix), big.NewRat(int64(d.Nanos), 1e9))
	if d.Sub != "" {
		num, ok := new(big.Int).SetString(d.Sub, 10)
		if !ok {
			return nil
		}
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(9+len(d.Sub))), nil)
		r.Add(r, new(big.Rat).SetFrac(num, den))
	}
	return r
}

func FuzzDecodeClaims(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `{"exp":1}`, `{"exp":1.5}`, `{"aud":[]}`, `{"aud":["a",1]}`,
		`{"iss":"a","iss":"b"}`, `{"a":{"b":null}}`, `{"exp":-0}`,
		`{"exp":1700000000.5}`, `{"nbf":1700000000.000000000001}`, `{"iat":1.7e9}`,
		`{"exp":1e-65}`, `{"exp":0e-99999999999}`, `{"exp":253402300799.000000001}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		c, err := jose.DecodeClaims(payload)
		if err != nil {
			if c != nil {
				t.Fatal("DecodeClaims returned claims and an error")
			}
			if !exactlyOne(err, jose.ErrMalformed) {
				t.Fatalf("error %v does not wrap exactly ErrMalformed", err)
			}
			// A date refused for its value is one that the exact oracle
			// refuses too.
			var je *jose.Error
			var std map[string]any
			dec := json.NewDecoder(bytes.NewReader(payload))
			dec.UseNumber()
			if errors.As(err, &je) && (je.Field == "exp" || je.Field == "nbf" || je.Field == "iat") && dec.Decode(&std) == nil {
				if n, ok := std[je.Field].(json.Number); ok {
					if _, accept := oracleNumericDate(string(n)); accept {
						t.Fatalf("%s %s refused (%v), but it is a NumericDate", je.Field, n, err)
					}
				}
			}
			return
		}
		for name, d := range map[string]jose.NumericDate{"exp": c.Expiry, "nbf": c.NotBefore, "iat": c.IssuedAt} {
			if d.Present && (d.Unix < 0 || d.Unix > maxNumericDate) {
				t.Fatalf("%s = %d out of range", name, d.Unix)
			}
			if !d.Present && d.Unix != 0 {
				t.Fatalf("%s absent with value %d", name, d.Unix)
			}
			if _, ok := c.Lookup(name); ok != d.Present {
				t.Fatalf("%s present %v, member %v", name, d.Present, ok)
			}
		}
		if c.Audience.Present && len(c.Audience.Values) == 0 {
			t.Fatal("empty audience accepted")
		}
		if !c.Audience.Present && (c.Audience.Values != nil || c.Audience.IsArray) {
			t.Fatal("absent audience has values")
		}
		seen := map[string]bool{}
		for _, m := range c.Members {
			if seen[m.Name] {
				t.Fatalf("duplicate member %q", m.Name)
			}
			seen[m.Name] = true
			if string(m.Raw) == "null" {
				t.Fatalf("null member %q", m.Name)
			}
		}

		// What the strict decoder accepts, encoding/json reads the same
		// way: no parser differential on the registered claims. Numbers
		// are kept as text: the grammar admits magnitudes (1e1000) that
		// no float64 holds, which only matters for the typed dates.
		var std map[string]any
		dec := json.NewDecoder(bytes.NewReader(payload))
		dec.UseNumber()
		if err := dec.Decode(&std); err != nil {
			t.Fatalf("accepted, but encoding/json refuses: %v", err)
		}
		if dec.More() {
			t.Fatal("accepted, but encoding/json sees more than one value")
		}
		if len(std) != len(c.Members) {
			t.Fatalf("%d members, encoding/json sees %d", len(c.Members), len(std))
		}
		for name, sc := range map[string]jose.StringClaim{"iss": c.Issuer, "sub": c.Subject, "jti": c.JWTID} {
			if v, ok := std[name]; ok != sc.Present || (ok && v != sc.Value) {
				t.Fatalf("%s: %q/%v, encoding/json %v", name, sc.Value, sc.Present, v)
			}
		}
		for name, d := range map[string]jose.NumericDate{"exp": c.Expiry, "nbf": c.NotBefore, "iat": c.IssuedAt} {
			if v, ok := std[name]; ok {
				// The exact value, compared with an exact rational reading
				// of the same text (RFC 7519 §2 admits fractions).
				n, isNumber := v.(json.Number)
				if !isNumber {
					t.Fatalf("%s: %#v accepted, encoding/json reads %v", name, d, v)
				}
				want, accept := oracleNumericDate(string(n))
				if !accept || ratOfNumericDate(d).Cmp(want) != 0 {
					t.Fatalf("%s: %#v, exact reading of %s is %v (a NumericDate: %v)", name, d, n, want, accept)
				}
			}
		}
		if c.Audience.Present {
			switch v := std["aud"].(type) {
			case string:
				if c.Audience.IsArray || len(c.Audience.Values) != 1 || c.Audience.Values[0] != v {
					t.Fatalf("aud %v vs %q", c.Audience, v)
				}
			case []any:
				if !c.Audience.IsArray || len(v) != len(c.Audience.Values) {
					t.Fatalf("aud %v vs %v", c.Audience, v)
				}
				for i := range v {
					if v[i] != c.Audience.Values[i] {
						t.Fatalf("aud %v vs %v", c.Audience, v)
					}
				}
			default:
				t.Fatalf("aud %v vs %T", c.Audience, v)
			}
		}
	})
}

// TestFuzzParseSeedsVerify checks that the committed real tokens still
// verify with the committed keys, so that the fuzzer starts from inputs
// that reach a successful verification.
func TestFuzzParseSeedsVerify(t *testing.T) {
	data, err := os.ReadFile(fuzzKeysFile)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jose.ParseKeySet(data)
	if err != nil {
		t.Fatal(err)
	}
	for name, wantKid := range map[string]string{
		"ps256": "f-rsa", "rs256": "f-rs", "es256": "f-ec", "es384": "f-ec384",
		"eddsa": "f-ed", "ed25519-alg": "f-ed", "no-kid": "", "kid-absent": "",
	} {
		t.Run(name, func(t *testing.T) {
			seed, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParse", "seed-"+name))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(seed)), "\n")
			if len(lines) != 2 || lines[0] != "go test fuzz v1" {
				t.Fatalf("bad seed file %q", seed)
			}
			tok, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
			if err != nil {
				t.Fatal(err)
			}
			j, err := jose.Parse(tok, 0)
			if err != nil {
				t.Fatal(err)
			}
			k, err := j.Verify(allAlgs, keys)
			if err != nil {
				t.Fatal(err)
			}
			if k.ID != wantKid {
				t.Fatalf("verified by %q, want %q", k.ID, wantKid)
			}
		})
	}
}
