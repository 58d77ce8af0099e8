package dpop_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

var writeFuzzSeeds = flag.Bool("write-fuzz-seeds", false, "regenerate the seed corpus of FuzzVerify")

var knownReasons = map[dpop.Reason]bool{
	dpop.ReasonMissing: true, dpop.ReasonMalformed: true, dpop.ReasonTypInvalid: true,
	dpop.ReasonAlgNotAllowed: true, dpop.ReasonJWKPrivate: true, dpop.ReasonSignatureInvalid: true,
	dpop.ReasonHTMMismatch: true, dpop.ReasonHTUMismatch: true, dpop.ReasonIATTooOld: true,
	dpop.ReasonIATInFuture: true, dpop.ReasonJTIMissing: true, dpop.ReasonReplayed: true,
	dpop.ReasonJKTMismatch: true, dpop.ReasonATHPresent: true, dpop.ReasonATHMismatch: true,
	dpop.ReasonTooLarge: true, dpop.ReasonNonceMissing: true, dpop.ReasonNonceInvalid: true,
}

// fuzzNonce is the one nonce the checker of FuzzVerifyClaims accepts.
const fuzzNonce = "n-0S6_WzA2Mj"

// oneNonce accepts fuzzNonce only.
type oneNonce struct{}

func (oneNonce) Valid(nonce string, _ time.Time) bool { return nonce == fuzzNonce }

// beforeProof are the reasons after which no Proof may be returned: the
// signature was not verified with the jwk, or nothing was parsed.
var beforeProof = []dpop.Reason{
	dpop.ReasonMissing, dpop.ReasonTooLarge, dpop.ReasonAlgNotAllowed,
	dpop.ReasonJWKPrivate, dpop.ReasonSignatureInvalid,
}

// FuzzVerify feeds Verify the DPoP header values of a request (one value a
// line). Properties: it never panics and never answers "maybe" (no Proof
// and no error); a returned Proof's signature verifies — checked again with
// the standard library, with Proof.PublicKey over the signing input — under
// an allowed asymmetric algorithm, with the key of the "jwk" header, which
// is public and whose thumbprint is Proof.JKT; and a proof accepted without
// error satisfies every rule, checked with encoding/json and net/url, and
// is refused as a replay the second time.
func FuzzVerify(f *testing.F) {
	r := rules()
	f.Fuzz(func(t *testing.T, input string) {
		values := strings.Split(input, "\n")
		p, errs := dpop.Verify(values, r, now)
		if p == nil && len(errs) == 0 {
			t.Fatal("no Proof and no error")
		}
		for _, e := range errs {
			if e == nil || !knownReasons[e.Reason] || e.Message == "" {
				t.Fatalf("bad error %#v", e)
			}
			if p != nil && slices.Contains(beforeProof, e.Reason) {
				t.Fatalf("Proof returned with %s: %v", e.Reason, e)
			}
		}
		if p == nil {
			return
		}
		if len(values) != 1 {
			t.Fatalf("Proof returned for %d header values", len(values))
		}
		tok := values[0]
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("Proof returned for %q", tok)
		}
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil {
			t.Fatalf("Proof returned with an undecodable signature: %q", tok)
		}
		if !slices.Contains(r.Algorithms, p.Algorithm) {
			t.Fatalf("algorithm %q is not allowed", p.Algorithm)
		}
		if !oracleVerify(parts[0]+"."+parts[1], sig, p.Algorithm, p.PublicKey) {
			t.Fatalf("Proof returned for %q, whose %s signature does not verify with %T", tok, p.Algorithm, p.PublicKey)
		}
		if tp := thumbprint(t, p.PublicKey); tp != p.JKT {
			t.Fatalf("JKT %q, want %q", p.JKT, tp)
		}
		hdrJSON, err := base64.RawURLEncoding.DecodeString(parts[0])
		if err != nil {
			t.Fatal(err)
		}
		var hdr struct {
			Alg *string
			Typ *string
			JWK map[string]json.RawMessage
		}
		if err := json.Unmarshal(hdrJSON, &hdr); err != nil {
			t.Fatalf("Proof returned for header %q: %v", hdrJSON, err)
		}
		if hdr.Alg == nil || *hdr.Alg != p.Algorithm {
			t.Fatalf("Algorithm %q, header %q", p.Algorithm, hdrJSON)
		}
		for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
			if _, ok := hdr.JWK[m]; ok {
				t.Fatalf("Proof returned with private member %q in the jwk: %q", m, hdrJSON)
			}
		}
		if hdr.JWK == nil {
			t.Fatalf("Proof returned without a jwk: %q", hdrJSON)
		}
		if len(errs) > 0 {
			return
		}

		// Accepted: every rule holds.
		if hdr.Typ == nil || *hdr.Typ != dpop.Type {
			t.Fatalf("accepted typ in %q", hdrJSON)
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			JTI, HTM, HTU *string
			IAT, EXP, NBF *json.Number
			ATH           json.RawMessage
			Nonce         *string
		}
		d := json.NewDecoder(strings.NewReader(string(payload)))
		d.UseNumber()
		if err := d.Decode(&c); err != nil {
			t.Fatalf("accepted claims %q: %v", payload, err)
		}
		switch {
		case c.JTI == nil || *c.JTI == "" || *c.JTI != p.JTI:
			t.Fatalf("accepted jti in %q", payload)
		case c.HTM == nil || *c.HTM != "POST" || p.HTM != "POST":
			t.Fatalf("accepted htm in %q", payload)
		case c.HTU == nil || *c.HTU != p.HTU || !sameTokenURL(*c.HTU):
			t.Fatalf("accepted htu in %q", payload)
		case c.ATH != nil:
			t.Fatalf("accepted ath in %q", payload)
		case c.Nonce != nil && *c.Nonce != fuzzNonce:
			t.Fatalf("accepted nonce in %q", payload)
		}
		if c.IAT == nil {
			t.Fatalf("accepted without iat: %q", payload)
		}
		if problem := checkDates(c.IAT, c.EXP, c.NBF); problem != "" {
			t.Fatalf("accepted %s in %q", problem, payload)
		}
		// IssuedAt is iat to the nanosecond, rounded up below it.
		iat, _ := exactDate(string(*c.IAT))
		if d := new(big.Rat).Sub(ratOfTime(p.IssuedAt), iat); d.Sign() < 0 || d.Cmp(big.NewRat(1, 1e9)) >= 0 {
			t.Fatalf("IssuedAt %s for iat %s", p.IssuedAt, *c.IAT)
		}

		cached := r
		cached.Replay = newCache()
		if p, errs := dpop.Verify(values, cached, now); len(errs) != 0 || !p.ReplayChecked {
			t.Fatalf("not accepted with a replay cache: %v", errs)
		}
		if _, errs := dpop.Verify(values, cached, now); len(errs) != 1 || errs[0].Reason != dpop.ReasonReplayed {
			t.Fatalf("replay not detected: %v", errs)
		}
	})
}

// fuzzKey is the fixed Ed25519 key of FuzzVerifyClaims.
var fuzzKey = ed25519.NewKeyFromSeed([]byte("fapicheck dpop fuzz key 32 bytes"))

// FuzzVerifyClaims signs a fuzzed claim set with a fixed key and checks
// the claim rules against a fuzzed request URL: whatever Verify accepts
// satisfies every rule, checked with encoding/json and net/url.
func FuzzVerifyClaims(f *testing.F) {
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/token","iat":1700000000}`, tokenURL)
	f.Add(`{"jti":"a","htm":"POST","htu":"HTTPS://AS.example.com:443/token?x#y","iat":1700000010}`, tokenURL+"?q")
	f.Add(`{"jti":"a","htm":"POST","htu":"http://[::1]:80","iat":1699999700}`, "http://[::1]/")
	f.Add(`{"jti":"","htm":"GET","htu":"/token","iat":1699999699,"ath":"x","exp":1700000000,"nbf":1700000011}`, tokenURL)
	f.Add(`{"jti":"a","htm":"POST","htu":"https://user@as.example.com/token","iat":1700000000,"nonce":"n"}`, "https://as.example.com:8443/token")
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/token","iat":1700000000,"nonce":"n-0S6_WzA2Mj"}`, tokenURL)
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/token","iat":1700000000,"nonce":"n-0S6_WzA2M\u006a"}`, tokenURL)
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/%74oken","iat":1700000000}`, "https://as.example.com/token#f")
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/token","iat":1700000010.000000000001}`, tokenURL)
	f.Add(`{"jti":"a","htm":"POST","htu":"https://as.example.com/token","iat":1.6999997e9,"exp":1700000000.000000000001,"nbf":17000000100e-1}`, tokenURL)
	jwk := `{"kty":"OKP","crv":"Ed25519","x":"` + b64(fuzzKey.Public().(ed25519.PublicKey)) + `"}`
	header := b64([]byte(`{"typ":"dpop+jwt","alg":"EdDSA","jwk":` + jwk + `}`))
	f.Fuzz(func(t *testing.T, payload, requestURL string) {
		input := header + "." + b64([]byte(payload))
		tok := input + "." + b64(ed25519.Sign(fuzzKey, []byte(input)))
		r := rules()
		r.URL = requestURL
		r.Nonce = oneNonce{}
		p, errs := dpop.Verify([]string{tok}, r, now)
		if p == nil && len(errs) == 0 {
			t.Fatal("no Proof and no error")
		}
		for _, e := range errs {
			if e == nil || !knownReasons[e.Reason] || e.Message == "" {
				t.Fatalf("bad error %#v", e)
			}
			if slices.Contains(beforeProof, e.Reason) {
				t.Fatalf("refused a well-signed proof with %s: %v", e.Reason, e)
			}
		}
		if p == nil || len(errs) > 0 {
			return
		}
		var c struct {
			JTI, HTM, HTU *string
			IAT, EXP, NBF *json.Number
			ATH           json.RawMessage
			Nonce         *string
		}
		d := json.NewDecoder(strings.NewReader(payload))
		d.UseNumber()
		if err := d.Decode(&c); err != nil {
			t.Fatalf("accepted claims %q: %v", payload, err)
		}
		switch {
		case c.JTI == nil || *c.JTI == "":
			t.Fatalf("accepted jti in %q", payload)
		case c.HTM == nil || *c.HTM != "POST":
			t.Fatalf("accepted htm in %q", payload)
		case c.HTU == nil || !sameURL(*c.HTU, requestURL):
			t.Fatalf("accepted htu in %q for %q", payload, requestURL)
		case c.ATH != nil:
			t.Fatalf("accepted ath in %q", payload)
		case c.Nonce != nil && *c.Nonce != fuzzNonce:
			t.Fatalf("accepted nonce in %q", payload)
		case c.IAT == nil:
			t.Fatalf("accepted without iat: %q", payload)
		}
		if problem := checkDates(c.IAT, c.EXP, c.NBF); problem != "" {
			t.Fatalf("accepted %s in %q", problem, payload)
		}
	})
}

// exactDate reads a JSON number as an exact rational: NumericDates may
// have fractions and exponents (RFC 7519 §2). An exponent beyond ±10000
// (too slow for big.Rat) is read only when the number is zero.
func exactDate(s string) (*big.Rat, bool) {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+")); err != nil || e > 10000 || e < -10000 {
			if strings.Trim(s[:i], "-0.") == "" {
				return new(big.Rat), true
			}
			return nil, false
		}
	}
	return new(big.Rat).SetString(s)
}

// ratOfTime is t in seconds since the epoch, exactly.
func ratOfTime(t time.Time) *big.Rat {
	return new(big.Rat).Add(new(big.Rat).SetInt64(t.Unix()), big.NewRat(int64(t.Nanosecond()), 1e9))
}

// checkDates checks, with exact arithmetic, the dates of a proof accepted
// under rules() at now (MaxAge 300 s, ClockSkew 10 s): now − 300 s ≤ iat ≤
// now + 10 s, exp > now, nbf ≤ now + 10 s. It names the first date that
// fails, or returns "".
func checkDates(iat, exp, nbf *json.Number) string {
	oldest, now0, latest := ratOfTime(now.Add(-300*time.Second)), ratOfTime(now), ratOfTime(now.Add(10*time.Second))
	if v, ok := exactDate(string(*iat)); !ok || v.Cmp(latest) > 0 || v.Cmp(oldest) < 0 {
		return "iat"
	}
	if exp != nil {
		if v, ok := exactDate(string(*exp)); !ok || v.Cmp(now0) <= 0 {
			return "exp"
		}
	}
	if nbf != nil {
		if v, ok := exactDate(string(*nbf)); !ok || v.Cmp(latest) > 0 {
			return "nbf"
		}
	}
	return ""
}

// sameURL is an independent, more lenient comparison of htu with the
// request URL than Verify's (it decodes the path): anything Verify accepts
// must pass it.
func sameURL(htu, request string) bool {
	a, err1 := url.Parse(htu)
	b, err2 := url.Parse(request)
	if err1 != nil || err2 != nil || a.Scheme == "" || a.Host == "" || a.User != nil || b.User != nil {
		return false
	}
	port := func(u *url.URL) string {
		p := u.Port()
		if strings.EqualFold(u.Scheme, "https") && p == "443" || strings.EqualFold(u.Scheme, "http") && p == "80" {
			return ""
		}
		return p
	}
	path := func(u *url.URL) string {
		if u.Path == "" {
			return "/"
		}
		return u.Path
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b) && path(a) == path(b)
}

// sameTokenURL is an independent, more lenient check that htu names
// tokenURL: anything Verify accepts must pass it.
func sameTokenURL(htu string) bool {
	u, err := url.Parse(htu)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, "https") && u.User == nil &&
		strings.EqualFold(u.Hostname(), "as.example.com") &&
		(u.Port() == "" || u.Port() == "443") && u.Path == "/token"
}

// TestFuzzSeeds keeps the committed seeds meaningful: the valid ones are
// still accepted.
func TestFuzzSeeds(t *testing.T) {
	for _, name := range []string{"seed-valid-es256", "seed-valid-ps256", "seed-valid-eddsa", "seed-valid-normalised-htu"} {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzVerify", name))
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		require.Len(t, lines, 2, name)
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		require.NoError(t, err)
		p, errs := dpop.Verify([]string{s}, rules(), now)
		require.Empty(t, errs, name)
		require.NotNil(t, p, name)
	}
}

// TestWriteFuzzSeeds writes the seed corpus of FuzzVerify from freshly
// generated keys. A DPoP proof carries its own key, so the seeds stay valid
// without any key file. It runs only when asked:
//
//	go test -run '^TestWriteFuzzSeeds$' ./dpop/ -args -write-fuzz-seeds
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeFuzzSeeds {
		t.Skip("run with -args -write-fuzz-seeds to regenerate the seed corpus")
	}
	k := keys()
	ecJWK, err := json.Marshal(jwkOf(t, k.ec))
	require.NoError(t, err)
	claimsJSON := func(c map[string]any) string {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	hs256 := fixtures.SignHMACWithHeader(ecJWK, "HS256", claims(), map[string]any{"typ": dpop.Type, "jwk": jwkOf(t, k.ec)})
	valid := proof(k.ec, "", claims("jti", "seed-es256"))
	seeds := map[string]string{
		"valid-es256":          valid,
		"valid-ps256":          proof(k.rsa, "", claims("jti", "seed-ps256")),
		"valid-eddsa":          proof(k.ed, "", claims("jti", "seed-eddsa", "nonce", "n-0S6_WzA2Mj")),
		"valid-normalised-htu": proof(k.ec, "", claims("jti", "seed-htu", "htu", "HTTPS://AS.example.com:443/token?q=1#f", "exp", at(60), "nbf", at(-1))),
		"two-headers":          valid + "\n" + valid,
		"empty":                "",
		"tampered":             fixtures.Tamper(valid),
		"alg-none":             b64([]byte(`{"typ":"dpop+jwt","alg":"none","jwk":`+string(ecJWK)+`}`)) + "." + b64([]byte(claimsJSON(claims()))) + ".",
		"hs256-jwk-as-secret":  hs256,
		"private-jwk":          proof(k.ec, "", claims(), "jwk", with(jwkOf(t, k.ec), "d", b64(make([]byte, 32)))),
		"jwk-of-other-key":     proof(k.ec, "", claims(), "jwk", k.otherEC.Public()),
		"rsa-jwk-es256":        proof(k.ec, "", claims(), "jwk", k.rsa.Public()),
		"no-jwk":               proof(k.ec, "", claims(), "jwk", nil),
		"typ-jwt":              proof(k.ec, "", claims(), "typ", "JWT"),
		"every-claim-broken":   proof(k.ed, "", claims("jti", nil, "htm", "GET", "htu", "/token", "iat", at(-3600), "ath", "x")),
		"iat-in-future":        proof(k.ec, "", claims("iat", at(11))),
		"iat-too-old":          proof(k.rsa, "", claims("iat", at(-301))),
		"duplicate-jti":        signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"), `{"jti":"a","htm":"POST","htu":"`+tokenURL+`","iat":1700000000,"jti":"b"}`),
		"iat-missing":          proof(k.ec, "", claims("iat", nil)),
		"jwe":                  "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
		"claims-not-json":      signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"), `jti=1`),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzVerify")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\nstring(%s)\n", strconv.Quote(s))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "seed-"+name), []byte(body), 0o644))
	}
}
