package jose_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

func TestParseAcceptsSignedTokens(t *testing.T) {
	set := setWithoutAlg(t, rsaA, rsaRS, ecA, ec384, ec521, edA)
	tests := []struct {
		name string
		key  fixtures.Key
		alg  string
	}{
		{"PS256", rsaA, jose.PS256},
		{"PS384", rsaA, jose.PS384},
		{"PS512", rsaA, jose.PS512},
		{"RS256", rsaRS, jose.RS256},
		{"RS384", rsaRS, jose.RS384},
		{"RS512", rsaRS, jose.RS512},
		{"ES256", ecA, jose.ES256},
		{"ES384", ec384, jose.ES384},
		{"ES512", ec521, jose.ES512},
		{"EdDSA", edA, jose.EdDSA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := fixtures.Sign(tc.key, tc.alg, sample, map[string]any{"typ": "oauth-authz-req+jwt"})
			j, err := jose.Parse(tok, 0)
			require.NoError(t, err)
			assert.Equal(t, tc.alg, j.Header.Alg)
			assert.Equal(t, tc.key.ID, j.Header.Kid)
			assert.Equal(t, "oauth-authz-req+jwt", j.Header.Typ)
			assert.Nil(t, j.Header.JWK)
			assert.JSONEq(t, mustJSON(t, sample), string(j.Payload))

			k, err := j.Verify([]string{tc.alg}, set)
			require.NoError(t, err)
			assert.Equal(t, tc.key.ID, k.ID)
			assert.True(t, jose.SamePublicKey(tc.key.Public(), k.Public))
		})
	}
}

// setWithoutAlg is the JWK Set of keys without their "alg" members, so that
// one key verifies every algorithm of its family.
func setWithoutAlg(t *testing.T, keys ...fixtures.Key) *jose.KeySet {
	t.Helper()
	maps := jwkMaps(t, keys...)
	for _, m := range maps {
		delete(m, "alg")
	}
	set, err := jose.ParseKeySet(setJSON(t, maps...))
	require.NoError(t, err)
	return set
}

func TestParseSizeLimit(t *testing.T) {
	tok := fixtures.Sign(ecA, "", sample, nil)

	t.Run("exactly the caller's limit", func(t *testing.T) {
		j, err := jose.Parse(tok, len(tok))
		require.NoError(t, err)
		_, err = j.Verify([]string{jose.ES256}, setOf(t, ecA))
		require.NoError(t, err)
	})
	t.Run("one byte over the caller's limit", func(t *testing.T) {
		_, err := jose.Parse(tok, len(tok)-1)
		assertKind(t, err, jose.ErrTooLarge)
	})
	t.Run("exactly DefaultMaxSize", func(t *testing.T) {
		big := tokenOfSize(t, jose.DefaultMaxSize)
		require.Len(t, big, jose.DefaultMaxSize)
		for _, limit := range []int{0, -1, jose.DefaultMaxSize} {
			j, err := jose.Parse(big, limit)
			require.NoError(t, err, "limit %d", limit)
			_, err = j.Verify([]string{jose.ES256}, setOf(t, ecA))
			require.NoError(t, err)
		}
	})
	t.Run("one byte over DefaultMaxSize", func(t *testing.T) {
		big := tokenOfSize(t, jose.DefaultMaxSize+1)
		for _, limit := range []int{0, -1, jose.DefaultMaxSize} {
			_, err := jose.Parse(big, limit)
			assertKind(t, err, jose.ErrTooLarge)
		}
		_, err := jose.Parse(big, jose.DefaultMaxSize+1)
		require.NoError(t, err)
	})
	t.Run("size is checked before anything is decoded", func(t *testing.T) {
		// Not even base64url: the size error wins over every other error.
		junk := "{" + strings.Repeat("!", jose.DefaultMaxSize)
		_, err := jose.Parse(junk, 0)
		assertKind(t, err, jose.ErrTooLarge)
		_, err = jose.Parse("a.b.c.d.e", 4)
		assertKind(t, err, jose.ErrTooLarge)
	})
}

// tokenOfSize returns an ES256 token of exactly size bytes signed by ecA.
// A base64url text never has a length of 4k+1, so both the padding claim
// and the kid vary until the total fits.
func tokenOfSize(t *testing.T, size int) string {
	t.Helper()
	key := ecA
	base := fixtures.Sign(key, "", map[string]any{"pad": ""}, nil)
	guess := (size - len(base)) * 3 / 4
	for kidExtra := 0; kidExtra < 4; kidExtra++ {
		k := key
		k.ID = key.ID + strings.Repeat("x", kidExtra)
		for pad := guess - 8; pad <= guess+8; pad++ {
			if pad < 0 {
				continue
			}
			tok := fixtures.Sign(k, "", map[string]any{"pad": strings.Repeat("a", pad)}, nil)
			if len(tok) == size {
				return tok
			}
		}
	}
	t.Fatalf("no token of %d bytes", size)
	return ""
}

func TestParseRefusals(t *testing.T) {
	good := fixtures.Sign(ecA, "", sample, nil)
	gh, gp, gs := segments(t, good)
	payload := mustJSON(t, sample)
	sig := make([]byte, 64)
	for i := range sig {
		sig[i] = byte(i + 1)
	}
	raw := func(header string) string { return fixtures.Raw(header, payload, sig) }

	tests := []struct {
		name  string
		token string
		want  error
	}{
		// Structure.
		{"empty", "", jose.ErrMalformed},
		{"one dot only", ".", jose.ErrMalformed},
		{"no dot", gh, jose.ErrMalformed},
		{"two parts", gh + "." + gp, jose.ErrMalformed},
		{"four parts", good + "." + gs, jose.ErrMalformed},
		{"JWE five parts", b64s(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + ".ZW5j.aXY.Y3Q.dGFn", jose.ErrMalformed},
		{"JWE five empty parts", "....", jose.ErrMalformed},
		{"six parts", "a.b.c.d.e.f", jose.ErrMalformed},
		{"JSON flattened serialization",
			`{"payload":"` + gp + `","protected":"` + gh + `","signature":"` + gs + `"}`, jose.ErrMalformed},
		{"JSON general serialization",
			`{"payload":"` + gp + `","signatures":[{"protected":"` + gh + `","signature":"` + gs + `"}]}`, jose.ErrMalformed},
		{"JSON serialization after whitespace", " \n{\"payload\":\"" + gp + "\"}", jose.ErrMalformed},
		{"JSON array", `["` + gh + `"]`, jose.ErrMalformed},
		{"empty header segment", "." + gp + "." + gs, jose.ErrMalformed},
		{"empty signature", gh + "." + gp + ".", jose.ErrMalformed},

		// Strict base64url.
		{"newline inside payload", gh + "." + gp[:10] + "\n" + gp[10:] + "." + gs, jose.ErrMalformed},
		{"CRLF inside header", gh[:8] + "\r\n" + gh[8:] + "." + gp + "." + gs, jose.ErrMalformed},
		{"space inside signature", gh + "." + gp + "." + gs[:5] + " " + gs[5:], jose.ErrMalformed},
		{"tab inside payload", gh + "." + gp[:4] + "\t" + gp[4:] + "." + gs, jose.ErrMalformed},
		{"leading space", " " + good, jose.ErrMalformed},
		{"leading newline", "\n" + good, jose.ErrMalformed},
		{"trailing newline", good + "\n", jose.ErrMalformed},
		{"trailing CRLF", good + "\r\n", jose.ErrMalformed},
		{"trailing space", good + " ", jose.ErrMalformed},
		{"padding on header", padded(raw(`{"alg":"ES256","kid":"ec-a"}`), 0), jose.ErrMalformed},
		{"padding on payload", padded(raw(`{"alg":"ES256","kid":"ec-a"}`), 1), jose.ErrMalformed},
		{"padding on signature", padded(fixtures.Raw(`{"alg":"ES256"}`, payload, []byte{1, 2, 3, 4}), 2), jose.ErrMalformed},
		{"plus in signature", gh + "." + gp + ".+/+/", jose.ErrMalformed},
		{"slash in payload", gh + "." + "eyJ/" + "." + gs, jose.ErrMalformed},
		{"standard base64 signature",
			gh + "." + gp + "." + strings.NewReplacer("-", "+", "_", "/").Replace(b64([]byte{0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xff})), jose.ErrMalformed},
		{"non-canonical header bits", nonCanonical(`{"alg":"ES256","kid":"ec-a"}`) + "." + gp + "." + gs, jose.ErrMalformed},
		{"non-canonical payload bits", gh + "." + nonCanonical(payload) + "." + gs, jose.ErrMalformed},
		{"non-canonical signature bits", gh + "." + gp + "." + b64([]byte{1, 2, 3, 4})[:5] + "B", jose.ErrMalformed},
		{"impossible base64 length", gh + "." + gp + "." + gs + "AAA", jose.ErrMalformed},
		{"non-ASCII in segment", gh + "." + gp + "é." + gs, jose.ErrMalformed},
		{"NUL in segment", gh + "\x00." + gp + "." + gs, jose.ErrMalformed},

		// Header JSON.
		{"header invalid UTF-8", raw("{\"alg\":\"ES256\",\"x\":\"\xff\xfe\"}"), jose.ErrMalformed},
		{"header overlong UTF-8", raw("{\"alg\":\"ES256\",\"x\":\"\xc0\xaf\"}"), jose.ErrMalformed},
		{"header lone surrogate escape", raw(`{"alg":"ES256","x":"\ud800"}`), jose.ErrMalformed},
		{"header with BOM", raw("\xef\xbb\xbf" + `{"alg":"ES256"}`), jose.ErrMalformed},
		{"header array", raw(`["alg","ES256"]`), jose.ErrMalformed},
		{"header string", raw(`"ES256"`), jose.ErrMalformed},
		{"header number", raw(`1`), jose.ErrMalformed},
		{"header null", raw(`null`), jose.ErrMalformed},
		{"header empty", raw(``), jose.ErrMalformed},
		{"header not JSON", raw(`alg=ES256`), jose.ErrMalformed},
		{"header trailing data", raw(`{"alg":"ES256"}{}`), jose.ErrMalformed},
		{"header trailing comma", raw(`{"alg":"ES256",}`), jose.ErrMalformed},
		{"header single quotes", raw(`{'alg':'ES256'}`), jose.ErrMalformed},
		{"duplicate alg", raw(`{"alg":"ES256","alg":"ES256"}`), jose.ErrMalformed},
		{"duplicate alg none then ES256", raw(`{"alg":"none","alg":"ES256"}`), jose.ErrMalformed},
		{"duplicate alg via escape", raw(`{"alg":"ES256","\u0061lg":"none"}`), jose.ErrMalformed},
		{"duplicate alg via full escape", raw(`{"\u0061\u006c\u0067":"ES256","alg":"PS256"}`), jose.ErrMalformed},
		{"duplicate kid", raw(`{"alg":"ES256","kid":"ec-a","kid":"ec-b"}`), jose.ErrMalformed},
		{"duplicate in nested member", raw(`{"alg":"ES256","x":{"a":1,"a":2}}`), jose.ErrMalformed},
		{"header nested too deep", raw(`{"alg":"ES256","x":` + strings.Repeat("[", 8) + strings.Repeat("]", 8) + `}`), jose.ErrMalformed},
		{"alg missing", raw(`{"kid":"ec-a"}`), jose.ErrMalformed},
		{"alg missing, empty object", raw(`{}`), jose.ErrMalformed},
		{"alg number", raw(`{"alg":256}`), jose.ErrMalformed},
		{"alg null", raw(`{"alg":null}`), jose.ErrMalformed},
		{"alg bool", raw(`{"alg":true}`), jose.ErrMalformed},
		{"alg array", raw(`{"alg":["ES256"]}`), jose.ErrMalformed},
		{"alg object", raw(`{"alg":{"name":"ES256"}}`), jose.ErrMalformed},
		{"kid number", raw(`{"alg":"ES256","kid":1}`), jose.ErrMalformed},
		{"kid null", raw(`{"alg":"ES256","kid":null}`), jose.ErrMalformed},
		{"kid array", raw(`{"alg":"ES256","kid":["ec-a"]}`), jose.ErrMalformed},
		{"typ number", raw(`{"alg":"ES256","typ":1}`), jose.ErrMalformed},
		{"jwk not an object", raw(`{"alg":"ES256","jwk":"eyJ9"}`), jose.ErrMalformed},

		// Forbidden members.
		{"crit b64", raw(`{"alg":"ES256","crit":["b64"],"b64":false}`), jose.ErrMalformed},
		{"crit b64 alone", raw(`{"alg":"ES256","crit":["b64"]}`), jose.ErrMalformed},
		{"crit unknown", raw(`{"alg":"ES256","crit":["exp"],"exp":1}`), jose.ErrMalformed},
		{"crit empty", raw(`{"alg":"ES256","crit":[]}`), jose.ErrMalformed},
		{"crit not array", raw(`{"alg":"ES256","crit":"b64"}`), jose.ErrMalformed},
		{"crit null", raw(`{"alg":"ES256","crit":null}`), jose.ErrMalformed},
		{"b64 false", raw(`{"alg":"ES256","b64":false}`), jose.ErrMalformed},
		{"b64 true", raw(`{"alg":"ES256","b64":true}`), jose.ErrMalformed},
		{"enc", raw(`{"alg":"ES256","enc":"A256GCM"}`), jose.ErrMalformed},
		{"zip", raw(`{"alg":"ES256","zip":"DEF"}`), jose.ErrMalformed},
		{"JWE header", raw(`{"alg":"RSA-OAEP","enc":"A128CBC-HS256"}`), jose.ErrMalformed},

		// Unsigned.
		{"none", fixtures.Unsigned("none", sample), jose.ErrUnsigned},
		{"None", fixtures.Unsigned("None", sample), jose.ErrUnsigned},
		{"NONE", fixtures.Unsigned("NONE", sample), jose.ErrUnsigned},
		{"nOnE", fixtures.Unsigned("nOnE", sample), jose.ErrUnsigned},
		{"noNe", fixtures.Unsigned("noNe", sample), jose.ErrUnsigned},
		{"none with a signature", raw(`{"alg":"none"}`), jose.ErrUnsigned},
		{"NoNe with a signature and kid", raw(`{"alg":"NoNe","kid":"ec-a"}`), jose.ErrUnsigned},
		{"none escaped", raw(`{"alg":"\u006eone"}`), jose.ErrUnsigned},
		{"NONE escaped", raw(`{"alg":"\u004E\u004F\u004E\u0045"}`), jose.ErrUnsigned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var j *jose.JWS
			var err error
			require.NotPanics(t, func() { j, err = jose.Parse(tc.token, 0) })
			assert.Nil(t, j)
			assertKind(t, err, tc.want)
		})
	}
}

// padded appends base64 padding to segment i of tok (up to a multiple of
// four characters, at least one '=').
func padded(tok string, i int) string {
	parts := strings.Split(tok, ".")
	p := parts[i]
	p += "="
	for len(p)%4 != 0 {
		p += "="
	}
	parts[i] = p
	return strings.Join(parts, ".")
}

func TestParseNonCanonicalHelper(t *testing.T) {
	// The non-canonical forms used above differ from the canonical text
	// only in unused bits: a lenient decoder reads the same bytes.
	for _, s := range []string{`{"alg":"ES256","kid":"ec-a"}`, `{}`, `{"a":1}`} {
		nc := nonCanonical(s)
		want := s
		for len(want)%3 == 0 {
			want += " "
		}
		assert.NotEqual(t, b64s(want), nc)
		got, err := lenientDecode(nc)
		require.NoError(t, err)
		assert.Equal(t, want, string(got))
	}
}

func TestParseAcceptsOddButValidHeaders(t *testing.T) {
	payload := mustJSON(t, sample)
	set := setOf(t, ecA)
	tests := []struct {
		name   string
		header string
		kid    string
	}{
		{"escaped alg", `{"alg":"\u0045S256"}`, ""},
		{"whitespace in header JSON", " {\n\t\"alg\" : \"ES256\" ,\r\n \"kid\":\"ec-a\" } ", "ec-a"},
		{"unknown members ignored", `{"alg":"ES256","x-custom":{"a":[1,2,{"b":null}]}}`, ""},
		{"Alg in another case is another member", `{"alg":"ES256","Alg":"none","ALG":"none"}`, ""},
		{"jku, x5u, x5t ignored", `{"alg":"ES256","jku":"https://evil.example/jwks","x5u":"https://evil.example/c","x5t":"AAAA"}`, ""},
		{"empty kid", `{"alg":"ES256","kid":""}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := signCompact(t, ecA.Private, jose.ES256, tc.header, payload)
			j, err := jose.Parse(tok, 0)
			require.NoError(t, err)
			assert.Equal(t, jose.ES256, j.Header.Alg)
			assert.Equal(t, tc.kid, j.Header.Kid)
			_, err = j.Verify([]string{jose.ES256}, set)
			require.NoError(t, err)
		})
	}
}

func TestParsePayloadIsNotJudgedByParse(t *testing.T) {
	// Parse checks the JWS; the payload's JSON is judged by DecodeClaims,
	// which refuses what Parse lets through.
	tests := []struct {
		name    string
		payload string
	}{
		{"invalid UTF-8", "{\"iss\":\"\xff\"}"},
		{"not JSON", "hello"},
		{"duplicate claim", `{"iss":"a","iss":"b"}`},
		{"array", `[1]`},
		{"empty", ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := fixtures.SignRawPayload(ecA, jose.ES256, tc.payload)
			j, err := jose.Parse(tok, 0)
			require.NoError(t, err)
			assert.Equal(t, tc.payload, string(j.Payload))
			_, err = j.Verify([]string{jose.ES256}, setOf(t, ecA))
			require.NoError(t, err)
			c, err := jose.DecodeClaims(j.Payload)
			assert.Nil(t, c)
			assertKind(t, err, jose.ErrMalformed)
		})
	}
}

func TestParseHeaderMembers(t *testing.T) {
	jwk := jwkMaps(t, ecA)[0]
	tok := fixtures.Sign(ecA, "", sample, map[string]any{"typ": "dpop+jwt", "jwk": jwk})
	j := parse(t, tok)
	assert.Equal(t, "dpop+jwt", j.Header.Typ)
	assert.NotNil(t, j.Header.JWK)
	names := make([]string, 0, len(j.Header.Members))
	for _, m := range j.Header.Members {
		names = append(names, m.Name)
	}
	assert.ElementsMatch(t, []string{"alg", "jwk", "kid", "typ"}, names)
}
