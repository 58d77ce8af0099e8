package jose_test

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

var writeFuzzSeeds = flag.Bool("write-fuzz-seeds", false,
	"regenerate testdata/fuzzkeys.json and the committed fuzz seed corpora")

// TestWriteFuzzSeeds writes the committed seed corpora of the fuzz targets
// from freshly generated keys. It runs only when asked:
//
//	go test -run '^TestWriteFuzzSeeds$' ./internal/jose/ -args -write-fuzz-seeds
//
// Seeds that the fuzzer found (crashers kept as regression seeds) live in
// the same folders under other names and are left alone.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeFuzzSeeds {
		t.Skip("run with -args -write-fuzz-seeds to regenerate the seed corpora")
	}
	fRSA := fixtures.RSA(2048, "f-rsa", jose.PS256)
	fRS := fixtures.RSA(2048, "f-rs", jose.RS256)
	fEC := fixtures.EC(elliptic.P256(), "f-ec", jose.ES256)
	fEC384 := fixtures.EC(elliptic.P384(), "f-ec384", jose.ES384)
	fEd := fixtures.Ed25519("f-ed")
	fNoKid := fixtures.EC(elliptic.P256(), "", jose.ES256)
	keys := fixtures.JWKS(fRSA, fRS, fEC, fEC384, fEd, fNoKid)
	require.NoError(t, os.MkdirAll(filepath.Dir(fuzzKeysFile), 0o755))
	require.NoError(t, os.WriteFile(fuzzKeysFile, append(keys, '\n'), 0o644))

	ro := requestObjectClaims()
	es := fixtures.Sign(fEC, "", ro, nil)
	_, esPayload, esSig := segments(t, es)
	hdr := func(h string) string { return b64s(h) + "." + esPayload + "." + esSig }

	writeCorpus(t, "FuzzParse", map[string]string{
		"ps256":              fixtures.Sign(fRSA, "", ro, map[string]any{"typ": "oauth-authz-req+jwt"}),
		"rs256":              fixtures.Sign(fRS, "", sample, nil),
		"es256":              es,
		"es384":              fixtures.Sign(fEC384, "", sample, nil),
		"eddsa":              fixtures.Sign(fEd, "", sample, nil),
		"ed25519-alg":        signCompact(t, fEd.Private, jose.Ed25519, `{"alg":"Ed25519","kid":"f-ed"}`, mustJSON(t, sample)),
		"dpop":               fixtures.Sign(withID(fEC, ""), "", map[string]any{"htm": "POST", "htu": "https://as.example.com/token", "jti": "j", "iat": 1700000000}, map[string]any{"typ": "dpop+jwt", "jwk": fEC.Public()}),
		"no-kid":             fixtures.Sign(fNoKid, "", sample, nil),
		"kid-absent":         fixtures.Sign(withID(fNoKid, "nobody"), "", sample, nil),
		"kid-of-other-key":   fixtures.Sign(withID(fNoKid, "f-ec"), "", sample, nil),
		"hs256":              fixtures.SignHMAC(hmacSecret, jose.HS256, sample),
		"tampered":           fixtures.Tamper(es),
		"none":               fixtures.Unsigned("none", sample),
		"none-mixed-case":    fixtures.Unsigned("nOnE", sample),
		"jwe":                b64s(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + ".ZW5j.aXY.Y3Q.dGFn",
		"json-flattened":     `{"payload":"` + esPayload + `","protected":"` + b64s(`{"alg":"ES256"}`) + `","signature":"` + esSig + `"}`,
		"crit-b64":           hdr(`{"alg":"ES256","crit":["b64"],"b64":false}`),
		"duplicate-alg":      hdr(`{"alg":"ES256","\u0061lg":"none"}`),
		"padded":             es + "==",
		"newline":            es[:20] + "\n" + es[20:],
		"non-canonical-bits": nonCanonical(`{"alg":"ES256","kid":"f-ec"}`) + "." + esPayload + "." + esSig,
	}, func(s string) string { return "string(" + strconv.Quote(s) + ")" })

	segs := map[string][3]string{}
	for name, tok := range map[string]string{
		"ps256":  fixtures.Sign(fRSA, "", ro, map[string]any{"typ": "oauth-authz-req+jwt"}),
		"es256":  es,
		"eddsa":  fixtures.Sign(fEd, "", sample, nil),
		"no-kid": fixtures.Sign(fNoKid, "", sample, nil),
		"dpop": fixtures.Sign(withID(fEC, ""), "", map[string]any{"htm": "POST", "htu": "https://as.example.com/token", "jti": "j", "iat": 1700000000},
			map[string]any{"typ": "dpop+jwt", "jwk": fEC.Public()}),
		"hs256":    fixtures.SignHMAC(hmacSecret, jose.HS256, sample),
		"tampered": fixtures.Tamper(es),
	} {
		segs[name] = decodedSegments(t, tok)
	}
	esSigRaw := segs["es256"][2]
	for name, h := range map[string]string{
		"none":         `{"alg":"none"}`,
		"none-case":    `{"alg":"NoNe","kid":"f-ec"}`,
		"crit":         `{"alg":"ES256","crit":["b64"],"b64":false}`,
		"dup-alg":      `{"alg":"ES256","\u0061lg":"none"}`,
		"alg-number":   `{"alg":256}`,
		"alg-missing":  `{"kid":"f-ec"}`,
		"jwe-header":   `{"alg":"RSA-OAEP","enc":"A256GCM","zip":"DEF"}`,
		"header-array": `["ES256"]`,
		"ecdsa-zero":   `{"alg":"ES256","kid":"f-ec"}`,
		"kid-absent":   `{"alg":"ES256","kid":"nobody"}`,
	} {
		sig := esSigRaw
		if name == "ecdsa-zero" {
			sig = string(make([]byte, 64))
		}
		segs[name] = [3]string{h, segs["es256"][1], sig}
	}
	lines := map[string]string{}
	for name, v := range segs {
		lines[name] = "[]byte(" + strconv.Quote(v[0]) + ")\n[]byte(" + strconv.Quote(v[1]) + ")\n[]byte(" + strconv.Quote(v[2]) + ")"
	}
	writeCorpus(t, "FuzzParseSegments", lines, func(s string) string { return s })

	rsaJWK := mustJSON(t, jwkMaps(t, fRSA)[0])
	ecJWK := jwkMaps(t, fEC)[0]
	ecJWK["d"] = b64(make([]byte, 32))
	withCert := fEC.WithCert(pkix.Name{CommonName: "client.example.org"})
	otherCert := fEC384.WithCert(pkix.Name{CommonName: "other"})
	certJWK := jwkMaps(t, withCert)[0]
	certJWK["x5c"] = []string{base64.StdEncoding.EncodeToString(otherCert.Cert.Raw)}
	writeCorpus(t, "FuzzParseKeySet", map[string]string{
		"all-types":       string(keys),
		"rsa-1024":        string(fixtures.JWKS(fixtures.RSA(1024, "small", jose.PS256))),
		"rfc7638":         `{"keys":[` + rfc7638Key + `]}`,
		"x5c":             string(fixtures.JWKS(withCert, fEd.WithCert(pkix.Name{CommonName: "ed"}))),
		"x5c-mismatch":    string(setJSON(t, certJWK)),
		"private-ec":      string(setJSON(t, ecJWK)),
		"oct":             `{"keys":[{"kty":"oct","k":"` + b64(hmacSecret) + `"}]}`,
		"use-enc-ops":     strings.Replace(strings.Replace(rsaJWK, `"use":"sig"`, `"use":"enc","key_ops":["encrypt"]`, 1), `{`, `{"keys":[{`, 1) + `]}`,
		"duplicate-kty":   `{"keys":[` + strings.Replace(rsaJWK, `{`, `{"kty":"EC",`, 1) + `]}`,
		"x25519":          `{"keys":[{"kty":"OKP","crv":"X25519","x":"` + b64(make([]byte, 32)) + `"}]}`,
		"empty":           `{"keys":[]}`,
		"not-objects":     `{"keys":[1,"a",null,[]]}`,
		"nested-strings":  `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"a,]}[\"{","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`,
		"e-leading-zero":  strings.Replace(rsaJWK, `"e":"AQAB"`, `"e":"AAEAAQ"`, 1),
		"ec-short-x":      `{"keys":[{"kty":"EC","crv":"P-256","x":"` + b64(make([]byte, 31)) + `","y":"` + b64(make([]byte, 32)) + `"}]}`,
		"top-level-array": `[` + rsaJWK + `]`,
	}, func(s string) string { return "[]byte(" + strconv.Quote(s) + ")" })

	writeCorpus(t, "FuzzDecodeClaims", map[string]string{
		"sample":              mustJSON(t, sample),
		"request-object":      mustJSON(t, ro),
		"claims-parameter":    `{"iss":"c","claims":{"userinfo":{"email":null,"given_name":{"essential":true}},"id_token":{"acr":{"values":["urn:a","urn:b"]}}}}`,
		"authorization-dtls":  `{"aud":["https://as.example.com","x"],"authorization_details":[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"123.50"}}]}`,
		"float-dates":         `{"exp":1.5,"nbf":1e3,"iat":1.0}`,
		"fractional-dates":    `{"exp":1700000000.5,"nbf":1700000000.000000000001,"iat":1.7e9}`,
		"date-precision":      `{"exp":1e-64,"nbf":0e-99999999999,"iat":17000000001234567891e-10}`,
		"date-too-fine":       `{"exp":1e-65}`,
		"date-max-fraction":   `{"exp":253402300799.000000001}`,
		"negative-date":       `{"exp":-1}`,
		"huge-date":           `{"exp":1e300,"iat":253402300800}`,
		"max-date":            `{"exp":253402300799,"nbf":0,"iat":-0}`,
		"string-types":        `{"iss":1,"sub":true,"jti":["a"]}`,
		"aud-empty":           `{"aud":[]}`,
		"aud-number":          `{"aud":["a",1]}`,
		"aud-object":          `{"aud":{"a":"b"}}`,
		"duplicate-escaped":   `{"iss":"a","\u0069ss":"b"}`,
		"duplicate-nested":    `{"claims":{"id_token":{"acr":1,"acr":2}}}`,
		"null-claim":          `{"nonce":null}`,
		"deep":                `{"a":` + strings.Repeat(`[`, 15) + strings.Repeat(`]`, 15) + `}`,
		"invalid-utf8":        "{\"iss\":\"\xff\"}",
		"escapes-and-unicode": `{"iss":"\u00e9\ud83d\ude00","sub":"é😀","aud":"\/"}`,
	}, func(s string) string { return "[]byte(" + strconv.Quote(s) + ")" })
}

// decodedSegments returns the decoded header, payload and signature of a
// compact JWS.
func decodedSegments(t *testing.T, tok string) [3]string {
	t.Helper()
	var out [3]string
	for i, p := range strings.Split(tok, ".") {
		b, err := base64.RawURLEncoding.DecodeString(p)
		require.NoError(t, err)
		out[i] = string(b)
	}
	return out
}

func withID(k fixtures.Key, id string) fixtures.Key {
	k.ID = id
	return k
}

// writeCorpus writes seeds in the "go test fuzz v1" format, one file each,
// named seed-<name>.
func writeCorpus(t *testing.T, target string, seeds map[string]string, literal func(string) string) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n%s\n", literal(s))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "seed-"+name), []byte(body), 0o644))
	}
}
