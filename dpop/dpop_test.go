package dpop_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

func TestVerifyValid(t *testing.T) {
	k := keys()
	tests := []struct {
		name string
		key  fixtures.Key
		alg  string
	}{
		{"ES256", k.ec, "ES256"},
		{"PS256", k.rsa, "PS256"},
		{"EdDSA", k.ed, "EdDSA"},
		{"Ed25519 (fully-specified name)", k.ed, "Ed25519"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules()
			r.Algorithms = append(append([]string{}, allowedAlgorithms...), "Ed25519")
			c := claims()
			p, errs := dpop.Verify([]string{proof(tt.key, tt.alg, c)}, r, now)
			require.Empty(t, errs)
			require.NotNil(t, p)
			assert.Equal(t, tt.alg, p.Algorithm)
			assert.Equal(t, c["jti"], p.JTI)
			assert.Equal(t, "POST", p.HTM)
			assert.Equal(t, tokenURL, p.HTU)
			assert.Empty(t, p.Nonce)
			assert.Equal(t, now, p.IssuedAt)
			assert.True(t, jose.SamePublicKey(tt.key.Public(), p.PublicKey))
			assert.Equal(t, thumbprint(t, tt.key.Public()), p.JKT)
			assert.Equal(t, p.JKT+":"+p.JTI, p.ReplayKey())
			assert.Equal(t, now.Add(5*time.Minute+10*time.Second), p.ReplayUntil)
			assert.False(t, p.ReplayChecked, "no replay cache was given")
			assert.NoError(t, dpop.MatchJKT(p, thumbprint(t, tt.key.Public())))
		})
	}

	t.Run("PAR endpoint, nonce, exp and nbf", func(t *testing.T) {
		r := rules()
		r.URL = parURL
		c := claims("htu", parURL, "nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v", "exp", at(60), "nbf", at(-1), "extra", []int{1})
		p, errs := dpop.Verify([]string{proof(k.ec, "", c)}, r, now)
		require.Empty(t, errs)
		assert.Equal(t, "eyJ7S_zG.eyJH0-Z.HX4w-7v", p.Nonce)
		assert.Equal(t, parURL, p.HTU)
	})
	t.Run("resource request with ath", func(t *testing.T) {
		r := rules()
		r.Method, r.URL, r.AccessToken = "GET", "https://rs.example.com/accounts", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
		sum := sha256.Sum256([]byte(r.AccessToken))
		c := claims("htm", "GET", "htu", "https://rs.example.com/accounts?page=2", "ath", b64(sum[:]))
		p, errs := dpop.Verify([]string{proof(k.rsa, "", c)}, r, now)
		require.Empty(t, errs)
		require.NotNil(t, p)
	})
	t.Run("kid and other header members are ignored", func(t *testing.T) {
		p, errs := dpop.Verify([]string{proof(k.ec, "", claims(), "kid", "whatever", "cty", "x")}, rules(), now)
		require.Empty(t, errs)
		require.NotNil(t, p)
	})
	t.Run("jwk with kid, alg, use and key_ops of its own", func(t *testing.T) {
		jwk := with(jwkOf(t, k.ed), "kid", "k1", "alg", "EdDSA", "use", "sig", "key_ops", []string{"verify"})
		p, errs := dpop.Verify([]string{proof(k.ed, "", claims(), "jwk", jwk)}, rules(), now)
		require.Empty(t, errs)
		assert.Equal(t, thumbprint(t, k.ed.Public()), p.JKT, "the thumbprint uses the required members only")
	})
}

// TestVerifyReasons triggers every Reason of Verify, one rule at a time.
func TestVerifyReasons(t *testing.T) {
	k := keys()
	ecJWK := jwkOf(t, k.ec)
	ecJWKText, err := json.Marshal(ecJWK)
	require.NoError(t, err)
	identity := make([]byte, ed25519.PublicKeySize)
	identity[0] = 1
	payload := func(c map[string]any) string {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return string(b)
	}
	hs256WithJWK := fixtures.SignHMACWithHeader(ecJWKText, "HS256", claims(), map[string]any{"typ": dpop.Type, "jwk": ecJWK})
	valid := valid()

	type tc struct {
		name    string
		headers []string
		rules   func(r *dpop.Rules)
		want    []dpop.Reason
		proof   bool   // a Proof is returned
		claim   string // the Claim of the first error, when set
	}
	one := func(s string) []string { return []string{s} }
	tests := []tc{
		// §4.3 item 1.
		{name: "no header", headers: nil, want: []dpop.Reason{dpop.ReasonMissing}},
		{name: "empty list", headers: []string{}, want: []dpop.Reason{dpop.ReasonMissing}},
		{name: "one empty value", headers: one(""), want: []dpop.Reason{dpop.ReasonMissing}},
		{name: "two headers", headers: []string{valid, proof(k.ec, "", claims())}, want: []dpop.Reason{dpop.ReasonMalformed}, claim: "DPoP"},
		{name: "the same proof twice", headers: []string{valid, valid}, want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "a valid proof and an empty one", headers: []string{valid, ""}, want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "two proofs combined in one field", headers: one(valid + ", " + valid), want: []dpop.Reason{dpop.ReasonMalformed}},

		// Size.
		{name: "too large", headers: one(valid), rules: func(r *dpop.Rules) { r.MaxSize = len(valid) - 1 }, want: []dpop.Reason{dpop.ReasonTooLarge}},
		{name: "over the default size", headers: one(strings.Repeat("a", dpop.DefaultMaxSize+1)), want: []dpop.Reason{dpop.ReasonTooLarge}},

		// §4.3 item 2.
		{name: "not a JWS", headers: one("not-a-jwt"), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "JWE", headers: one("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "leading space", headers: one(" " + valid), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "JSON serialization", headers: one(`{"payload":"e30","signatures":[]}`), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "duplicate header member", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","typ":"dpop+jwt","jwk":`+string(ecJWKText)+`}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "crit header", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","crit":["exp"],"jwk":`+string(ecJWKText)+`}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "jwk is a string", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","jwk":"`+b64(ecJWKText)+`"}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}},

		// §4.3 item 4.
		{name: "typ missing", headers: one(proof(k.ec, "", claims(), "typ", nil)), want: []dpop.Reason{dpop.ReasonTypInvalid}, proof: true, claim: "typ"},
		{name: "typ JWT", headers: one(proof(k.ec, "", claims(), "typ", "JWT")), want: []dpop.Reason{dpop.ReasonTypInvalid}, proof: true},
		{name: "typ in upper case", headers: one(proof(k.ec, "", claims(), "typ", "DPoP+JWT")), want: []dpop.Reason{dpop.ReasonTypInvalid}, proof: true},
		{name: "typ with application/", headers: one(proof(k.ec, "", claims(), "typ", "application/dpop+jwt")), want: []dpop.Reason{dpop.ReasonTypInvalid}, proof: true},
		{name: "typ of an access token", headers: one(proof(k.ec, "", claims(), "typ", "at+jwt")), want: []dpop.Reason{dpop.ReasonTypInvalid}, proof: true},
		{name: "typ a number", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":1,"alg":"ES256","jwk":`+string(ecJWKText)+`}`, payload(claims()))), want: []dpop.Reason{dpop.ReasonMalformed}},

		// §4.3 item 5.
		{name: "alg none", headers: one(b64([]byte(`{"typ":"dpop+jwt","alg":"none","jwk":`+string(ecJWKText)+`}`)) + "." + b64([]byte(payload(claims()))) + "."),
			want: []dpop.Reason{dpop.ReasonAlgNotAllowed}, claim: "alg"},
		{name: "alg nOnE", headers: one(b64([]byte(`{"typ":"dpop+jwt","alg":"nOnE","jwk":`+string(ecJWKText)+`}`)) + "." + b64([]byte(payload(claims()))) + ".c2ln"),
			want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "HS256 keyed with the jwk's bytes", headers: one(hs256WithJWK), want: []dpop.Reason{dpop.ReasonAlgNotAllowed}, claim: "alg"},
		{name: "HS256 even when allowed", headers: one(hs256WithJWK), rules: func(r *dpop.Rules) { r.Algorithms = append(r.Algorithms, "HS256") },
			want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "RS256 not allowed", headers: one(proof(k.rsa, "RS256", claims())), want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "ES384 not allowed", headers: one(proof(k.ec384, "ES384", claims())), want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "Ed25519 not allowed when only EdDSA is", headers: one(proof(k.ed, "Ed25519", claims())), want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "unknown algorithm in the allow-list", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256K","jwk":`+string(ecJWKText)+`}`, payload(claims()))),
			rules: func(r *dpop.Rules) { r.Algorithms = append(r.Algorithms, "ES256K") }, want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "empty allow-list", headers: one(valid), rules: func(r *dpop.Rules) { r.Algorithms = nil }, want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},
		{name: "alg in another case", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"es256","jwk":`+string(ecJWKText)+`}`, payload(claims()))), want: []dpop.Reason{dpop.ReasonAlgNotAllowed}},

		// The jwk header (§4.2, §4.3 item 7).
		{name: "no jwk", headers: one(proof(k.ec, "", claims(), "jwk", nil)), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "jwk"},
		{name: "jwk with d", headers: one(proof(k.ec, "", claims(), "jwk", with(jwkOf(t, k.ec), "d", b64(make([]byte, 32))))),
			want: []dpop.Reason{dpop.ReasonJWKPrivate}, claim: "jwk"},
		{name: "RSA jwk with p", headers: one(proof(k.rsa, "", claims(), "jwk", with(jwkOf(t, k.rsa), "p", "AQAB"))),
			want: []dpop.Reason{dpop.ReasonJWKPrivate}},
		{name: "symmetric jwk", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"oct","k":"`+b64(ecJWKText)+`"}}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonJWKPrivate}},
		{name: "X25519 jwk", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"OKP","crv":"X25519","x":"`+b64(make([]byte, 32))+`"}}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}, claim: "jwk"},
		{name: "small-order Ed25519 jwk", headers: one(signRaw(t, k.ed.Private, "EdDSA",
			`{"typ":"dpop+jwt","alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"`+b64(identity)+`"}}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "jwk with duplicate x", headers: one(signRaw(t, k.ec.Private, "ES256",
			`{"typ":"dpop+jwt","alg":"ES256","jwk":`+strings.Replace(string(ecJWKText), `{`, `{"x":"AQAB",`, 1)+`}`, payload(claims()))),
			want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "alg not allowed and a private jwk", headers: one(proof(k.rsa, "RS256", claims(), "jwk", with(jwkOf(t, k.rsa), "d", "AQAB"))),
			want: []dpop.Reason{dpop.ReasonAlgNotAllowed, dpop.ReasonJWKPrivate}},

		// §4.3 item 6.
		{name: "tampered signature", headers: one(fixtures.Tamper(valid)), want: []dpop.Reason{dpop.ReasonSignatureInvalid}, claim: "jwk"},
		{name: "jwk of another key", headers: one(proof(k.ec, "", claims(), "jwk", k.otherEC.Public())), want: []dpop.Reason{dpop.ReasonSignatureInvalid}},
		{name: "RSA jwk with ES256", headers: one(proof(k.ec, "", claims(), "jwk", k.rsa.Public())), want: []dpop.Reason{dpop.ReasonSignatureInvalid}},
		{name: "P-384 jwk with ES256", headers: one(proof(k.ec, "", claims(), "jwk", k.ec384.Public())), want: []dpop.Reason{dpop.ReasonSignatureInvalid}},
		{name: "EC jwk with EdDSA", headers: one(proof(k.ed, "", claims(), "jwk", k.ec.Public())), want: []dpop.Reason{dpop.ReasonSignatureInvalid}},
		{name: "Ed25519 jwk with PS256", headers: one(proof(k.rsa, "", claims(), "jwk", k.ed.Public())), want: []dpop.Reason{dpop.ReasonSignatureInvalid}},
		{name: "typ wrong and signature invalid", headers: one(fixtures.Tamper(proof(k.ec, "", claims(), "typ", "JWT"))),
			want: []dpop.Reason{dpop.ReasonTypInvalid, dpop.ReasonSignatureInvalid}},

		// Claims that do not decode.
		{name: "payload not JSON", headers: one(signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"), `jti=1`)), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "duplicate jti", headers: one(signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"),
			`{"jti":"a","htm":"POST","htu":"`+tokenURL+`","iat":1700000000,"jti":"b"}`)), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "duplicate htu via an escape", headers: one(signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"),
			`{"jti":"a","htm":"POST","htu":"`+tokenURL+`","iat":1700000000,"\u0068tu":"https://evil.example/"}`)), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "null nonce", headers: one(proof(k.ec, "", claims("nonce", json.RawMessage(`null`)))), want: []dpop.Reason{dpop.ReasonMalformed}},
		{name: "htm a number", headers: one(proof(k.ec, "", claims("htm", 1))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "htm"},
		{name: "htu an array", headers: one(proof(k.ec, "", claims("htu", []string{tokenURL}))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "htu"},
		{name: "ath a number", headers: one(proof(k.ec, "", claims("ath", 1))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "ath"},
		{name: "nonce an object", headers: one(proof(k.ec, "", claims("nonce", map[string]any{}))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "nonce"},
		{name: "jti a number", headers: one(proof(k.ec, "", claims("jti", 7))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "jti"},
		{name: "iat a string", headers: one(proof(k.ec, "", claims("iat", "1700000000"))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "iat fractional (RFC 7519 §2)", headers: one(proof(k.ec, "", claims("iat", float64(now.Unix())+0.5))), want: []dpop.Reason{}, proof: true},
		{name: "iat a fractional string", headers: one(proof(k.ec, "", claims("iat", "1700000000.5"))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "iat a boolean", headers: one(proof(k.ec, "", claims("iat", true))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "iat negative", headers: one(proof(k.ec, "", claims("iat", num("-0.5")))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "iat 1e400", headers: one(proof(k.ec, "", claims("iat", num("1e400")))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "iat finer than 1e-64 s", headers: one(proof(k.ec, "", claims("iat", num("1e-65")))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "iat"},
		{name: "exp past year 9999 by a nanosecond", headers: one(proof(k.ec, "", claims("exp", num("253402300799.000000001")))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "exp"},
		{name: "nbf a boolean", headers: one(proof(k.ec, "", claims("nbf", false))), want: []dpop.Reason{dpop.ReasonMalformed}, claim: "nbf"},
		{name: "claims an array", headers: one(signRaw(t, k.ec.Private, "ES256", rawHeader(t, k.ec, "ES256"), `["jti"]`)), want: []dpop.Reason{dpop.ReasonMalformed}},

		// §4.2, §4.3 item 3.
		{name: "iat missing", headers: one(proof(k.ec, "", claims("iat", nil))), want: []dpop.Reason{dpop.ReasonMalformed}, proof: true, claim: "iat"},
		{name: "jti missing", headers: one(proof(k.ec, "", claims("jti", nil))), want: []dpop.Reason{dpop.ReasonJTIMissing}, proof: true, claim: "jti"},
		{name: "jti empty", headers: one(proof(k.ec, "", claims("jti", ""))), want: []dpop.Reason{dpop.ReasonJTIMissing}, proof: true},

		// §4.3 item 8.
		{name: "htm missing", headers: one(proof(k.ec, "", claims("htm", nil))), want: []dpop.Reason{dpop.ReasonHTMMismatch}, proof: true, claim: "htm"},
		{name: "htm GET", headers: one(proof(k.ec, "", claims("htm", "GET"))), want: []dpop.Reason{dpop.ReasonHTMMismatch}, proof: true},
		{name: "htm in lower case", headers: one(proof(k.ec, "", claims("htm", "post"))), want: []dpop.Reason{dpop.ReasonHTMMismatch}, proof: true},
		{name: "htm with a space", headers: one(proof(k.ec, "", claims("htm", "POST "))), want: []dpop.Reason{dpop.ReasonHTMMismatch}, proof: true},
		{name: "request method unknown", headers: one(valid), rules: func(r *dpop.Rules) { r.Method = "" }, want: []dpop.Reason{dpop.ReasonHTMMismatch}, proof: true},

		// §4.3 item 9 (more in TestVerifyHTU).
		{name: "htu missing", headers: one(proof(k.ec, "", claims("htu", nil))), want: []dpop.Reason{dpop.ReasonHTUMismatch}, proof: true, claim: "htu"},
		{name: "htu of another endpoint", headers: one(proof(k.ec, "", claims("htu", parURL))), want: []dpop.Reason{dpop.ReasonHTUMismatch}, proof: true},
		{name: "htu relative", headers: one(proof(k.ec, "", claims("htu", "/token"))), want: []dpop.Reason{dpop.ReasonHTUMismatch}, proof: true},
		{name: "request URL unknown", headers: one(valid), rules: func(r *dpop.Rules) { r.URL = "" }, want: []dpop.Reason{dpop.ReasonHTUMismatch}, proof: true},
		{name: "request URL relative", headers: one(proof(k.ec, "", claims("htu", "/token"))), rules: func(r *dpop.Rules) { r.URL = "/token" },
			want: []dpop.Reason{dpop.ReasonHTUMismatch}, proof: true},

		// §4.3 item 11 (boundaries in TestVerifyIATWindow).
		{name: "iat too old", headers: one(proof(k.ec, "", claims("iat", at(-301)))), want: []dpop.Reason{dpop.ReasonIATTooOld}, proof: true, claim: "iat"},
		{name: "iat in the future", headers: one(proof(k.ec, "", claims("iat", at(11)))), want: []dpop.Reason{dpop.ReasonIATInFuture}, proof: true, claim: "iat"},
		{name: "iat far in the future", headers: one(proof(k.ec, "", claims("iat", int64(253402300799)))), want: []dpop.Reason{dpop.ReasonIATInFuture}, proof: true},
		{name: "iat zero", headers: one(proof(k.ec, "", claims("iat", 0))), want: []dpop.Reason{dpop.ReasonIATTooOld}, proof: true},
		{name: "exp passed", headers: one(proof(k.ec, "", claims("exp", at(0)))), want: []dpop.Reason{dpop.ReasonIATTooOld}, proof: true, claim: "exp"},
		{name: "nbf in the future", headers: one(proof(k.ec, "", claims("nbf", at(11)))), want: []dpop.Reason{dpop.ReasonIATInFuture}, proof: true, claim: "nbf"},

		// §4.3 item 12.
		{name: "ath at the token endpoint", headers: one(proof(k.ec, "", claims("ath", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"))),
			want: []dpop.Reason{dpop.ReasonATHPresent}, proof: true, claim: "ath"},
		{name: "ath empty at the token endpoint", headers: one(proof(k.ec, "", claims("ath", ""))), want: []dpop.Reason{dpop.ReasonATHPresent}, proof: true},
		{name: "ath missing at a resource", headers: one(valid), rules: func(r *dpop.Rules) { r.AccessToken = "token" },
			want: []dpop.Reason{dpop.ReasonATHMismatch}, proof: true, claim: "ath"},
		{name: "ath of another token", headers: one(proof(k.ec, "", claims("ath", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"))),
			rules: func(r *dpop.Rules) { r.AccessToken = "token" }, want: []dpop.Reason{dpop.ReasonATHMismatch}, proof: true},

		// Every claim rule at once: all are reported, in order.
		{name: "every claim broken", headers: one(proof(k.ec, "", claims("jti", nil, "htm", "GET", "htu", parURL, "iat", at(-3600), "ath", "x"), "typ", "JWT")),
			want:  []dpop.Reason{dpop.ReasonTypInvalid, dpop.ReasonJTIMissing, dpop.ReasonHTMMismatch, dpop.ReasonHTUMismatch, dpop.ReasonIATTooOld, dpop.ReasonATHPresent},
			proof: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules()
			if tt.rules != nil {
				tt.rules(&r)
			}
			p, errs := dpop.Verify(tt.headers, r, now)
			assert.Equal(t, tt.want, reasons(errs), "%v", errs)
			if tt.proof {
				assert.NotNil(t, p)
			} else {
				assert.Nil(t, p)
			}
			for _, e := range errs {
				assert.NotEmpty(t, e.Message)
				assert.ErrorIs(t, e, e.Reason)
				assert.True(t, strings.HasPrefix(e.Error(), "dpop: "))
			}
			if tt.claim != "" && len(errs) > 0 {
				assert.Equal(t, tt.claim, errs[0].Claim)
			}
		})
	}
}

func TestVerifyMessages(t *testing.T) {
	k := keys()
	_, errs := dpop.Verify([]string{proof(k.ec, "", claims("htm", nil))}, rules(), now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "missing")

	_, errs = dpop.Verify([]string{proof(k.ec, "", claims(), "jwk", with(jwkOf(t, k.ec), "d", b64(make([]byte, 32))))}, rules(), now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, `"d"`)
	assert.ErrorIs(t, errs[0], jose.ErrPrivateKey)

	_, errs = dpop.Verify([]string{proof(k.ec, "", claims(), "jwk", k.rsa.Public())}, rules(), now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "RSA")
	assert.Contains(t, errs[0].Message, "ES256")

	_, errs = dpop.Verify([]string{"a", "b", "c"}, rules(), now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "3 DPoP header fields")
}

// num is a JSON number written as given, for NumericDates with fractions
// and exponents (RFC 7519 §2).
func num(s string) json.RawMessage { return json.RawMessage(s) }

// TestVerifyIATWindow checks the edges of the iat window exactly: the
// future is bounded by ClockSkew, the past by MaxAge, with no skew added.
func TestVerifyIATWindow(t *testing.T) {
	k := keys()
	half := now.Add(500 * time.Millisecond)
	tests := []struct {
		name  string
		c     map[string]any
		at    time.Time
		rules func(r *dpop.Rules)
		want  []dpop.Reason
	}{
		{"iat now", claims(), now, nil, nil},
		{"iat now+skew", claims("iat", at(10)), now, nil, nil},
		{"iat now+skew+1s", claims("iat", at(11)), now, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"iat now-MaxAge", claims("iat", at(-300)), now, nil, nil},
		{"iat now-MaxAge-1s", claims("iat", at(-301)), now, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"iat now-MaxAge, now half a second later", claims("iat", at(-300)), half, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"iat now+skew, now half a second later", claims("iat", at(10)), half, nil, nil},
		{"iat now+skew+1s, now half a second later", claims("iat", at(11)), half, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"no skew", claims("iat", at(1)), now, func(r *dpop.Rules) { r.ClockSkew = 0 }, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"negative skew counts as 0", claims("iat", at(0)), now, func(r *dpop.Rules) { r.ClockSkew = -time.Hour }, nil},
		{"negative skew counts as 0, 1s ahead", claims("iat", at(1)), now, func(r *dpop.Rules) { r.ClockSkew = -time.Hour }, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"skew 60s", claims("iat", at(60)), now, func(r *dpop.Rules) { r.ClockSkew = time.Minute }, nil},
		{"skew 60s, 61s ahead", claims("iat", at(61)), now, func(r *dpop.Rules) { r.ClockSkew = time.Minute }, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"default MaxAge", claims("iat", at(-300)), now, func(r *dpop.Rules) { r.MaxAge = 0 }, nil},
		{"default MaxAge, 1s more", claims("iat", at(-301)), now, func(r *dpop.Rules) { r.MaxAge = 0 }, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"MaxAge 60s", claims("iat", at(-61)), now, func(r *dpop.Rules) { r.MaxAge = time.Minute }, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"exp now+1s", claims("exp", at(1)), now, nil, nil},
		{"exp now", claims("exp", at(0)), now, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"exp now+1s, now half a second later", claims("exp", at(1)), half, nil, nil},
		{"nbf now+skew", claims("nbf", at(10)), now, nil, nil},
		{"nbf now+skew+1s", claims("nbf", at(11)), now, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"iat and nbf in the future", claims("iat", at(20), "nbf", at(20)), now, nil, []dpop.Reason{dpop.ReasonIATInFuture, dpop.ReasonIATInFuture}},

		// NumericDates with fractions (RFC 7519 §2), compared exactly.
		{"iat fractional at now+skew", claims("iat", num("1700000010.5")), half, nil, nil},
		{"iat fractional a nanosecond past now+skew", claims("iat", num("1700000010.500000001")), half, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"iat below the nanosecond past now+skew", claims("iat", num("1700000010.000000000001")), now, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
		{"iat below the nanosecond, now the next nanosecond", claims("iat", num("1700000010.000000000001")), now.Add(1), nil, nil},
		{"iat with exponent at now+skew", claims("iat", num("1.70000001e9")), now, nil, nil},
		{"iat fractional, now - iat exactly MaxAge", claims("iat", num("1699999700.5")), half, nil, nil},
		{"iat fractional, now - iat MaxAge and a nanosecond", claims("iat", num("1699999700.499999999")), half, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"iat now - MaxAge less a picosecond", claims("iat", num("1699999700.000000000001")), now, nil, nil},
		{"iat now - MaxAge and a picosecond", claims("iat", num("1699999699.999999999999")), now, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"exp fractional at now", claims("exp", num("1700000000.5")), half, nil, []dpop.Reason{dpop.ReasonIATTooOld}},
		{"exp fractional, now a nanosecond before", claims("exp", num("1700000000.5")), half.Add(-1), nil, nil},
		{"exp below the nanosecond after now", claims("exp", num("1700000000.000000000001")), now, nil, nil},
		{"nbf below the nanosecond past now+skew", claims("nbf", num("1700000010.000000000001")), now, nil, []dpop.Reason{dpop.ReasonIATInFuture}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules()
			if tt.rules != nil {
				tt.rules(&r)
			}
			p, errs := dpop.Verify([]string{proof(k.ec, "", tt.c)}, r, tt.at)
			require.NotNil(t, p)
			want := tt.want
			if want == nil {
				want = []dpop.Reason{}
			}
			assert.Equal(t, want, reasons(errs), "%v", errs)
		})
	}
}

// TestVerifyHTU checks the comparison of htu with the request URL (§4.3
// item 9).
func TestVerifyHTU(t *testing.T) {
	k := keys()
	tests := []struct {
		url, htu string
		ok       bool
	}{
		{tokenURL, tokenURL, true},
		{tokenURL, tokenURL + "?a=b", true},
		{tokenURL, tokenURL + "#fragment", true},
		{tokenURL, tokenURL + "?a=b#fragment", true},
		{tokenURL, tokenURL + "?", true},
		{tokenURL, tokenURL + "#?x", true},
		{tokenURL + "?x=1", tokenURL, true},
		{tokenURL + "#f", tokenURL + "?y=2", true},
		{tokenURL, "https://AS.example.com:443/token", true},
		{tokenURL, "HTTPS://as.EXAMPLE.com/token", true},
		{tokenURL, "https://as.example.com:/token", true},
		{"https://AS.EXAMPLE.COM:443/token", tokenURL, true},
		{"http://localhost/token", "http://localhost:80/token", true},
		{"http://localhost:8080/token", "http://LOCALHOST:8080/token?x", true},
		{"https://as.example.com", "https://as.example.com/", true},
		{"https://as.example.com/", "https://as.example.com", true},
		{"https://[::1]/token", "https://[::1]:443/token", true},
		{"https://[2001:DB8::1]/token", "https://[2001:db8::1]/token", true},

		{tokenURL, "https://as.example.com/token/", false},
		{tokenURL, "https://as.example.com/Token", false},
		{tokenURL, "https://as.example.com/TOKEN", false},
		{tokenURL, "https://as.example.com/par", false},
		{tokenURL, "https://as.example.com/", false},
		{tokenURL, "https://as.example.com", false},
		{tokenURL, "https://as.example.com//token", false},
		{tokenURL, "https://as.example.com/%74oken", false},
		{tokenURL, "https://as.example.com/x/../token", false},
		{tokenURL, "https://as.example.com/./token", false},
		{tokenURL, "http://as.example.com/token", false},
		{tokenURL, "http://as.example.com:443/token", false},
		{tokenURL, "https://as.example.com:80/token", false},
		{tokenURL, "https://as.example.com:8443/token", false},
		{tokenURL, "https://as.example.com:0443/token", false},
		{tokenURL, "https://as.example.com:443:443/token", false},
		{tokenURL, "https://as.example.com./token", false},
		{tokenURL, "https://rs.example.com/token", false},
		{tokenURL, "https://example.com/token", false},
		{tokenURL, "https://as.exampl\u212ae.com/token", false},
		{tokenURL, "https://user@as.example.com/token", false},
		{tokenURL, "https://as.example.com@evil.example/token", false},
		{tokenURL, "https://evil.example/token?https://as.example.com/token", false},
		{tokenURL, "https://evil.example/token#https://as.example.com/token", false},
		{tokenURL, "https://as.example.com%2F@evil.example/token", false},
		{tokenURL, "/token", false},
		{tokenURL, "token", false},
		{tokenURL, "as.example.com/token", false},
		{tokenURL, "//as.example.com/token", false},
		{tokenURL, "https:/token", false},
		{tokenURL, "https:token", false},
		{tokenURL, "https:///token", false},
		{tokenURL, "https://:443/token", false},
		{tokenURL, "https://", false},
		{tokenURL, "", false},
		{tokenURL, " https://as.example.com/token", false},
		{tokenURL, "https://as.example.com/token ", false},
		{tokenURL, "https://as.example.com/token\n", false},
		// Query and fragment are ignored, but they must still be URI
		// characters (RFC 3986 §2): a proof is not accepted for an htu
		// that is not a URI at all.
		{tokenURL, "https://as.example.com/token?\x7f", false},
		{tokenURL, "https://as.example.com/token?a=\x00", false},
		{tokenURL, "https://as.example.com/token?a b", false},
		{tokenURL, "https://as.example.com/token#\n", false},
		{tokenURL, "https://as.example.com/token?%zz", false},
		{tokenURL, "https://as.example.com/token?\u00e9", false},
		{tokenURL, "https://as.example.com/tok\u00e9n", false},
		{tokenURL, "https://as.example.com/token?a=<b>", false},
		{tokenURL + "?\x7f", tokenURL, false},
		{tokenURL, "urn:ietf:params:oauth:token", false},
		{tokenURL, "wss://as.example.com/token", false},
		{"http://as.example.com/token", tokenURL, false},
		{"https://[::1]/token", "https://[::2]/token", false},
		{"", tokenURL, false},
		{"/token", "/token", false},
		{"as.example.com/token", "as.example.com/token", false},
		{"https://user@as.example.com/token", "https://user@as.example.com/token", false},
	}
	for _, tt := range tests {
		t.Run(tt.url+" vs "+tt.htu, func(t *testing.T) {
			r := rules()
			r.URL = tt.url
			p, errs := dpop.Verify([]string{proof(k.ec, "", claims("htu", tt.htu))}, r, now)
			require.NotNil(t, p)
			if tt.ok {
				assert.Empty(t, errs)
				return
			}
			assert.Equal(t, []dpop.Reason{dpop.ReasonHTUMismatch}, reasons(errs), "%v", errs)
		})
	}
}

func TestVerifySize(t *testing.T) {
	v := valid()
	r := rules()
	r.MaxSize = len(v)
	_, errs := dpop.Verify([]string{v}, r, now)
	assert.Empty(t, errs)
	r.MaxSize = len(v) - 1
	_, errs = dpop.Verify([]string{v}, r, now)
	assert.Equal(t, []dpop.Reason{dpop.ReasonTooLarge}, reasons(errs))
}

func TestVerifyReplay(t *testing.T) {
	k := keys()
	t.Run("second use refused", func(t *testing.T) {
		cache := newCache()
		r := rules()
		r.Replay = cache
		c := claims("iat", at(-5))
		v := proof(k.ec, "", c)
		p, errs := dpop.Verify([]string{v}, r, now)
		require.Empty(t, errs)
		assert.True(t, p.ReplayChecked)
		require.Len(t, cache.calls, 1)
		assert.Equal(t, thumbprint(t, k.ec.Public())+":"+c["jti"].(string), cache.calls[0].key)
		assert.Equal(t, now.Add(-5*time.Second+5*time.Minute+10*time.Second), cache.calls[0].expiresAt)
		assert.Equal(t, cache.calls[0].expiresAt, p.ReplayUntil)

		p, errs = dpop.Verify([]string{v}, r, now.Add(time.Second))
		assert.Equal(t, []dpop.Reason{dpop.ReasonReplayed}, reasons(errs))
		require.NotNil(t, p)
		assert.False(t, p.ReplayChecked)
		assert.ErrorIs(t, errs[0], dpop.ReasonReplayed)
		assert.Equal(t, "jti", errs[0].Claim)

		// A new proof with the same jti by the same key is a replay too.
		_, errs = dpop.Verify([]string{proof(k.ec, "", claims("jti", c["jti"]))}, r, now)
		assert.Equal(t, []dpop.Reason{dpop.ReasonReplayed}, reasons(errs))

		// The same jti with another key is not.
		p, errs = dpop.Verify([]string{proof(k.ed, "", claims("jti", c["jti"]))}, r, now)
		assert.Empty(t, errs)
		assert.True(t, p.ReplayChecked)
	})
	t.Run("cache error refused", func(t *testing.T) {
		cache := newCache()
		cache.err = errors.New("cache unavailable")
		r := rules()
		r.Replay = cache
		p, errs := dpop.Verify([]string{valid()}, r, now)
		assert.Equal(t, []dpop.Reason{dpop.ReasonReplayed}, reasons(errs))
		require.NotNil(t, p)
		assert.False(t, p.ReplayChecked)
		assert.ErrorIs(t, errs[0], cache.err)
		assert.ErrorIs(t, errs[0], dpop.ReasonReplayed)
		// The cause is the error's (Unwrap), not the message's, which
		// servers send to the client.
		assert.NotContains(t, errs[0].Message, "cache unavailable")
	})
	t.Run("a refused proof is not recorded", func(t *testing.T) {
		cache := newCache()
		r := rules()
		r.Replay = cache
		for _, v := range []string{
			proof(k.ec, "", claims("iat", int64(253402300799))),
			proof(k.ec, "", claims("htm", "GET")),
			proof(k.ec, "", claims(), "typ", "JWT"),
			fixtures.Tamper(valid()),
		} {
			_, errs := dpop.Verify([]string{v}, r, now)
			assert.NotEmpty(t, errs)
		}
		assert.Zero(t, cache.callCount())
	})
	t.Run("no cache", func(t *testing.T) {
		p, errs := dpop.Verify([]string{valid()}, rules(), now)
		assert.Empty(t, errs)
		assert.False(t, p.ReplayChecked)
		assert.NotEmpty(t, p.ReplayKey())
		assert.Equal(t, now.Add(5*time.Minute+10*time.Second), p.ReplayUntil)
	})
	t.Run("ReplayKey of nil", func(t *testing.T) {
		var p *dpop.Proof
		assert.Empty(t, p.ReplayKey())
	})
}

func TestMatchJKT(t *testing.T) {
	k := keys()
	p, errs := dpop.Verify([]string{valid()}, rules(), now)
	require.Empty(t, errs)
	jkt := thumbprint(t, k.ec.Public())
	other := thumbprint(t, k.otherEC.Public())
	flipped := []byte(jkt)
	flipped[len(flipped)-1] ^= 1

	assert.NoError(t, dpop.MatchJKT(p, jkt))
	for name, tc := range map[string]struct {
		p   *dpop.Proof
		jkt string
	}{
		"another key":         {p, other},
		"one character off":   {p, string(flipped)},
		"prefix":              {p, jkt[:20]},
		"with padding":        {p, jkt + "="},
		"empty jkt":           {p, ""},
		"nil proof":           {nil, jkt},
		"proof without a JKT": {&dpop.Proof{}, ""},
		"empty proof":         {&dpop.Proof{}, jkt},
	} {
		t.Run(name, func(t *testing.T) {
			err := dpop.MatchJKT(tc.p, tc.jkt)
			require.Error(t, err)
			assert.ErrorIs(t, err, dpop.ReasonJKTMismatch)
			var de *dpop.Error
			require.ErrorAs(t, err, &de)
			assert.Equal(t, dpop.ReasonJKTMismatch, de.Reason)
			assert.Equal(t, "dpop_jkt", de.Claim)
		})
	}
}

func TestThumbprint(t *testing.T) {
	k := keys()
	for _, key := range []fixtures.Key{k.ec, k.rsa, k.ed, k.ec384} {
		tp, err := dpop.Thumbprint(key.Public())
		require.NoError(t, err)
		assert.Equal(t, thumbprint(t, key.Public()), tp)
	}

	// RFC 7638 §3.1.
	n := new(big.Int).SetBytes(mustB64(t, "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"))
	tp, err := dpop.Thumbprint(&rsa.PublicKey{N: n, E: 65537})
	require.NoError(t, err)
	assert.Equal(t, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", tp)

	for name, pub := range map[string]any{
		"nil":                 nil,
		"EC private key":      k.ec.Private,
		"typed nil RSA":       (*rsa.PublicKey)(nil),
		"typed nil EC":        (*ecdsa.PublicKey)(nil),
		"short Ed25519":       ed25519.PublicKey(make([]byte, 31)),
		"a string":            "key",
		"RSA without modulus": &rsa.PublicKey{E: 65537},
	} {
		t.Run(name, func(t *testing.T) {
			tp, err := dpop.Thumbprint(pub)
			assert.Error(t, err)
			assert.Empty(t, tp)
		})
	}
}

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestErrorType(t *testing.T) {
	cause := errors.New("cause")
	e := &dpop.Error{Reason: dpop.ReasonReplayed, Claim: "jti", Message: "seen before", Err: cause}
	assert.Equal(t, "dpop: seen before", e.Error())
	assert.Equal(t, "dpop: replayed", dpop.ReasonReplayed.Error())
	assert.ErrorIs(t, e, dpop.ReasonReplayed)
	assert.NotErrorIs(t, e, dpop.ReasonMalformed)
	assert.ErrorIs(t, e, cause)
	assert.Same(t, cause, errors.Unwrap(e))
	var err error = e
	var de *dpop.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "jti", de.Claim)
}

// TestVerifyOddRules: rules that make no sense refuse, never panic.
func TestVerifyOddRules(t *testing.T) {
	v := valid()
	for name, r := range map[string]dpop.Rules{
		"zero rules":       {},
		"negative MaxSize": {Method: "POST", URL: tokenURL, Algorithms: allowedAlgorithms, MaxSize: -1},
		"negative MaxAge":  {Method: "POST", URL: tokenURL, Algorithms: allowedAlgorithms, MaxAge: -time.Hour},
		"huge windows":     {Method: "POST", URL: tokenURL, Algorithms: allowedAlgorithms, MaxAge: 1<<63 - 1, ClockSkew: 1<<63 - 1},
		"none allowed":     {Method: "POST", URL: tokenURL, Algorithms: []string{"none", "HS256", ""}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				p, errs := dpop.Verify([]string{v}, r, now)
				if len(errs) == 0 {
					require.NotNil(t, p)
				}
			})
		})
	}
	// With huge windows a proof verifies, and its replay record does not
	// overflow into the past.
	p, errs := dpop.Verify([]string{v}, dpop.Rules{Method: "POST", URL: tokenURL, Algorithms: allowedAlgorithms, MaxAge: 1<<63 - 1, ClockSkew: 1<<63 - 1}, now)
	require.Empty(t, errs)
	assert.True(t, p.ReplayUntil.After(now))
	// A zero time does not panic either.
	_, errs = dpop.Verify([]string{v}, rules(), time.Time{})
	assert.Equal(t, []dpop.Reason{dpop.ReasonIATInFuture}, reasons(errs))
}

// TestVerifyConcurrent verifies proofs from 16 goroutines sharing one
// replay cache: each fresh proof is accepted once, and of 16 concurrent
// uses of one proof exactly one is accepted.
func TestVerifyConcurrent(t *testing.T) {
	k := keys()
	cache := newCache()
	r := rules()
	r.Replay = cache
	shared := valid()
	signers := []fixtures.Key{k.ec, k.rsa, k.ed}
	const workers = 16
	own := make([][]string, workers)
	for i := range own {
		for j := 0; j < 4; j++ {
			own[i] = append(own[i], proof(signers[(i+j)%len(signers)], "", claims()))
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	sharedAccepted := 0
	start := make(chan struct{})
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			p, errs := dpop.Verify([]string{shared}, r, now)
			if len(errs) == 0 {
				mu.Lock()
				sharedAccepted++
				mu.Unlock()
				assert.True(t, p.ReplayChecked)
			} else {
				assert.Equal(t, []dpop.Reason{dpop.ReasonReplayed}, reasons(errs))
			}
			for _, v := range own[i] {
				p, errs := dpop.Verify([]string{v}, r, now)
				assert.Empty(t, errs)
				if assert.NotNil(t, p) {
					assert.True(t, p.ReplayChecked)
				}
				_, errs = dpop.Verify([]string{v}, r, now)
				assert.Equal(t, []dpop.Reason{dpop.ReasonReplayed}, reasons(errs))
			}
		}(i)
	}
	close(start)
	wg.Wait()
	assert.Equal(t, 1, sharedAccepted)
	assert.Equal(t, workers+workers*4*2, cache.callCount())
}
