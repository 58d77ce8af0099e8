package clientassertion_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	CA "github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
)

type raw = json.RawMessage

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func sign(k fixtures.Key, claims map[string]any) string {
	return fixtures.Sign(k, "", claims, nil)
}

func signed(kv ...any) func(*keyring) string {
	return func(k *keyring) string { return sign(k.rsa, claimsWith(kv...)) }
}

func literal(tok string) func(*keyring) string { return func(*keyring) string { return tok } }

var (
	none = []CA.Reason{}
	mf   = []CA.Reason{CA.ReasonMalformed}
)

// claimCases are claim rules that apply alike to both methods. token signs
// the claims with whatever the method uses.
type claimCase struct {
	name      string
	claims    map[string]any
	rules     func(*CA.Rules)
	now       time.Time
	want      []CA.Reason
	assertion bool
	claim     []string
}

func claimCases() []claimCase {
	return []claimCase{
		{name: "valid", claims: baseClaims(), want: none, assertion: true},
		{name: "valid with only the required claims", claims: claimsWith("iat", nil), want: none, assertion: true},

		// client_assertion_type is reported with whatever else is wrong.
		{name: "type wrong", claims: baseClaims(), rules: func(r *CA.Rules) { r.Type = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" },
			want: []CA.Reason{CA.ReasonTypeInvalid}, assertion: true, claim: []string{"client_assertion_type"}},
		{name: "type empty", claims: baseClaims(), rules: func(r *CA.Rules) { r.Type = "" }, want: []CA.Reason{CA.ReasonTypeInvalid}, assertion: true},
		{name: "type differs in case", claims: baseClaims(), rules: func(r *CA.Rules) { r.Type = strings.ToUpper(CA.TypeJWTBearer) }, want: []CA.Reason{CA.ReasonTypeInvalid}, assertion: true},
		{name: "type wrong and expired", claims: claimsWith("exp", at(-1)), rules: func(r *CA.Rules) { r.Type = "" },
			want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonExpired}, assertion: true},

		// exp.
		{name: "exp missing", claims: claimsWith("exp", nil), want: []CA.Reason{CA.ReasonExpMissing}, assertion: true, claim: []string{"exp"}},
		{name: "exp == now", claims: claimsWith("exp", at(0)), want: []CA.Reason{CA.ReasonExpired}, assertion: true, claim: []string{"exp"}},
		{name: "exp == now, skew not applied", claims: claimsWith("exp", at(0)), rules: func(r *CA.Rules) { r.ClockSkew = time.Minute }, want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		{name: "exp == now, now has a fraction", claims: claimsWith("exp", at(0)), now: now.Add(time.Nanosecond), want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		{name: "exp = now+1", claims: claimsWith("exp", at(1)), want: none, assertion: true},
		{name: "exp = now+1, now has a fraction", claims: claimsWith("exp", at(1)), now: now.Add(999 * time.Millisecond), want: none, assertion: true},
		{name: "exp 5 minutes past", claims: claimsWith("exp", at(-300)), want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		// exp at most MaxLifetime ahead (RFC 7523 §3 item 4), exactly.
		{name: "exp an hour ahead", claims: claimsWith("exp", at(3600)), want: none, assertion: true},
		{name: "exp an hour and a second ahead", claims: claimsWith("exp", at(3601)), want: []CA.Reason{CA.ReasonExpTooFar}, assertion: true, claim: []string{"exp"}},
		{name: "exp an hour and a fraction ahead", claims: claimsWith("exp", raw("1700003600.000000001")), want: []CA.Reason{CA.ReasonExpTooFar}, assertion: true},
		{name: "exp in the year 9999", claims: claimsWith("exp", raw("253402300799")), want: []CA.Reason{CA.ReasonExpTooFar}, assertion: true},
		{name: "exp beyond a shorter MaxLifetime", claims: claimsWith("exp", at(61)), rules: func(r *CA.Rules) { r.MaxLifetime = time.Minute }, want: []CA.Reason{CA.ReasonExpTooFar}, assertion: true},
		{name: "exp within a longer MaxLifetime", claims: claimsWith("exp", at(7200)), rules: func(r *CA.Rules) { r.MaxLifetime = 2 * time.Hour }, want: none, assertion: true},
		{name: "negative MaxLifetime is the default", claims: claimsWith("exp", at(3601)), rules: func(r *CA.Rules) { r.MaxLifetime = -time.Second }, want: []CA.Reason{CA.ReasonExpTooFar}, assertion: true},
		{name: "exp as string", claims: claimsWith("exp", "1700000060"), want: mf, claim: []string{"exp"}},
		{name: "exp fractional (RFC 7519 §2)", claims: claimsWith("exp", raw("1700000060.5")), want: none, assertion: true},
		{name: "exp fractional, now at it", claims: claimsWith("exp", raw("1700000000.5")), now: now.Add(500 * time.Millisecond), want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		{name: "exp fractional, now a nanosecond before", claims: claimsWith("exp", raw("1700000000.5")), now: now.Add(499999999 * time.Nanosecond), want: none, assertion: true},
		{name: "iat a tenth of a nanosecond past the skew", claims: claimsWith("iat", raw("1700000010.0000000001")), want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true},
		{name: "exp with exponent at now", claims: claimsWith("exp", raw("1.7e9")), want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		{name: "exp below the nanosecond after now", claims: claimsWith("exp", raw("1700000000.000000000001")), want: none, assertion: true},
		{name: "exp below the nanosecond, now the next nanosecond", claims: claimsWith("exp", raw("1700000000.000000000001")), now: now.Add(time.Nanosecond), want: []CA.Reason{CA.ReasonExpired}, assertion: true},
		{name: "nbf below the nanosecond past the skew", claims: claimsWith("nbf", raw("1700000010.000000000001")), want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true},
		{name: "nbf below the nanosecond, now the next nanosecond", claims: claimsWith("nbf", raw("1700000010.000000000001")), now: now.Add(time.Nanosecond), want: none, assertion: true},
		{name: "nbf fractional at now+skew", claims: claimsWith("nbf", raw("1700000010.25")), now: now.Add(250 * time.Millisecond), want: none, assertion: true},
		{name: "iat with exponent at now+skew", claims: claimsWith("iat", raw("170000001e1")), want: none, assertion: true},
		{name: "iat fractional, no skew, a nanosecond ahead", claims: claimsWith("iat", raw("1700000000.000000001")), rules: func(r *CA.Rules) { r.ClockSkew = 0 }, want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true},
		{name: "exp fractional string", claims: claimsWith("exp", "1700000060.5"), want: mf, claim: []string{"exp"}},
		{name: "exp boolean", claims: claimsWith("exp", true), want: mf, claim: []string{"exp"}},
		{name: "exp negative fraction", claims: claimsWith("exp", raw("-0.5")), want: mf, claim: []string{"exp"}},
		{name: "exp 1e400", claims: claimsWith("exp", raw("1e400")), want: mf, claim: []string{"exp"}},
		{name: "exp finer than 1e-64 s", claims: claimsWith("exp", raw("1e-65")), want: mf, claim: []string{"exp"}},
		{name: "nbf boolean", claims: claimsWith("nbf", false), want: mf, claim: []string{"nbf"}},
		{name: "nbf negative fraction", claims: claimsWith("nbf", raw("-1.5")), want: mf, claim: []string{"nbf"}},
		{name: "iat huge exponent", claims: claimsWith("iat", raw("1e99999999999999999999")), want: mf, claim: []string{"iat"}},
		{name: "iat string", claims: claimsWith("iat", "1700000000.5"), want: mf, claim: []string{"iat"}},
		{name: "exp negative", claims: claimsWith("exp", -1), want: mf},
		{name: "exp 1e300", claims: claimsWith("exp", raw("1e300")), want: mf},
		{name: "exp null", claims: claimsWith("exp", raw("null")), want: mf},

		// nbf and iat: the clock skew, and no more.
		{name: "nbf = now+skew", claims: claimsWith("nbf", at(10)), want: none, assertion: true},
		{name: "nbf = now+skew+1", claims: claimsWith("nbf", at(11)), want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true, claim: []string{"nbf"}},
		{name: "iat = now+skew", claims: claimsWith("iat", at(10)), want: none, assertion: true},
		{name: "iat = now+skew+1", claims: claimsWith("iat", at(11)), want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true, claim: []string{"iat"}},
		{name: "iat 8 s ahead (FAPI 2 must accept)", claims: claimsWith("iat", at(8)), want: none, assertion: true},
		{name: "iat 61 s ahead under a 60 s skew", claims: claimsWith("iat", at(61)), rules: func(r *CA.Rules) { r.ClockSkew = time.Minute }, want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true},
		{name: "nbf = now+1, no skew", claims: claimsWith("nbf", at(1)), rules: func(r *CA.Rules) { r.ClockSkew = 0 }, want: []CA.Reason{CA.ReasonNotYetValid}, assertion: true},
		{name: "nbf past", claims: claimsWith("nbf", at(-3600)), want: none, assertion: true},

		// aud.
		{name: "aud issuer", claims: claimsWith("aud", issuer), want: none, assertion: true},
		{name: "aud token endpoint", claims: claimsWith("aud", tokenEndpoint), want: none, assertion: true},
		{name: "aud array containing the issuer", claims: claimsWith("aud", []string{"https://other.example.com", issuer}), want: none, assertion: true},
		{name: "aud array containing the token endpoint", claims: claimsWith("aud", []string{tokenEndpoint, "x"}), want: none, assertion: true},
		{name: "aud array of none", claims: claimsWith("aud", []string{"https://other.example.com", issuer + "/"}), want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true, claim: []string{"aud"}},
		{name: "aud another endpoint", claims: claimsWith("aud", "https://as.example.com/par"), want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true},
		{name: "aud missing", claims: claimsWith("aud", nil), want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true, claim: []string{"aud"}},
		{name: "aud empty string", claims: claimsWith("aud", ""), want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true},
		{name: "aud empty string, empty string accepted", claims: claimsWith("aud", ""), rules: func(r *CA.Rules) { r.Audiences = []string{""} }, want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true},
		{name: "no accepted audience", claims: baseClaims(), rules: func(r *CA.Rules) { r.Audiences = nil }, want: []CA.Reason{CA.ReasonAudMismatch}, assertion: true},
		{name: "aud empty array", claims: claimsWith("aud", []string{}), want: mf},
		{name: "aud number", claims: claimsWith("aud", 1), want: mf},

		// iss, sub, jti.
		{name: "iss missing", claims: claimsWith("iss", nil), want: []CA.Reason{CA.ReasonIssMismatch}, assertion: true, claim: []string{"iss"}},
		{name: "iss other", claims: claimsWith("iss", "other-client"), want: []CA.Reason{CA.ReasonIssMismatch}, assertion: true},
		{name: "iss empty", claims: claimsWith("iss", ""), want: []CA.Reason{CA.ReasonIssMismatch}, assertion: true},
		{name: "iss number", claims: claimsWith("iss", 1), want: mf},
		{name: "sub missing", claims: claimsWith("sub", nil), want: []CA.Reason{CA.ReasonSubMismatch}, assertion: true, claim: []string{"sub"}},
		{name: "sub other", claims: claimsWith("sub", "other-client"), want: []CA.Reason{CA.ReasonSubMismatch}, assertion: true},
		{name: "jti missing", claims: claimsWith("jti", nil), want: []CA.Reason{CA.ReasonJTIMissing}, assertion: true, claim: []string{"jti"}},
		{name: "jti empty", claims: claimsWith("jti", ""), want: []CA.Reason{CA.ReasonJTIMissing}, assertion: true},
		{name: "jti number", claims: claimsWith("jti", 7), want: mf},

		// Every rule at once, in the documented order.
		{name: "everything wrong",
			claims: claimsWith("iss", "a", "sub", "b", "aud", "c", "exp", at(0), "nbf", at(11), "iat", at(11), "jti", ""),
			rules:  func(r *CA.Rules) { r.Type = "x" },
			want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonIssMismatch, CA.ReasonSubMismatch, CA.ReasonAudMismatch,
				CA.ReasonExpired, CA.ReasonNotYetValid, CA.ReasonNotYetValid, CA.ReasonJTIMissing},
			assertion: true, claim: []string{"client_assertion_type", "iss", "sub", "aud", "exp", "nbf", "iat", "jti"}},
		{name: "everything missing", claims: map[string]any{},
			want:      []CA.Reason{CA.ReasonIssMismatch, CA.ReasonSubMismatch, CA.ReasonAudMismatch, CA.ReasonExpMissing, CA.ReasonJTIMissing},
			assertion: true},
	}
}

func runClaimCase(t *testing.T, tc claimCase, base CA.Rules, verify func(claims map[string]any, r CA.Rules, at time.Time) (*CA.Assertion, []*CA.Error)) {
	rules := base
	if tc.rules != nil {
		tc.rules(&rules)
	}
	at := now
	if !tc.now.IsZero() {
		at = tc.now
	}
	a, errs := verify(tc.claims, rules, at)
	assert.Equal(t, tc.want, reasons(errs), "%v", errs)
	assert.Equal(t, tc.assertion, a != nil, "assertion returned")
	checkErrorShape(t, errs)
	if tc.claim != nil {
		got := make([]string, len(errs))
		for i, e := range errs {
			got[i] = e.Claim
		}
		assert.Equal(t, tc.claim, got)
	}
}

func TestVerifyClaims(t *testing.T) {
	k := keys(t)
	for _, tc := range claimCases() {
		t.Run(tc.name, func(t *testing.T) {
			runClaimCase(t, tc, privateKeyRules(), func(c map[string]any, r CA.Rules, at time.Time) (*CA.Assertion, []*CA.Error) {
				return CA.Verify(sign(k.ec, c), k.set, r, at)
			})
		})
	}
}

func TestVerifySecretClaims(t *testing.T) {
	for _, tc := range claimCases() {
		t.Run(tc.name, func(t *testing.T) {
			runClaimCase(t, tc, secretRules(), func(c map[string]any, r CA.Rules, at time.Time) (*CA.Assertion, []*CA.Error) {
				return CA.VerifySecret(fixtures.SignHMAC(secret32, "HS256", c), secret32, r, at)
			})
		})
	}
}

func TestVerify(t *testing.T) {
	k := keys(t)
	hs256 := fixtures.SignHMAC(secret32, "HS256", baseClaims())
	validHeader := b64(`{"alg":"PS256","kid":"rsa-1"}`)
	validPayload := b64(`{"exp":1700000060}`)
	sig := b64(strings.Repeat("s", 256))
	cases := []struct {
		name      string
		token     func(*keyring) string
		keys      func(*keyring) *jwks.Set
		rules     func(*CA.Rules)
		want      []CA.Reason
		assertion bool
	}{
		{name: "valid PS256", token: signed(), want: none, assertion: true},
		{name: "valid ES256", token: func(k *keyring) string { return sign(k.ec, baseClaims()) }, want: none, assertion: true},
		{name: "valid without kid", token: func(k *keyring) string {
			r := k.rsa
			r.ID = ""
			return sign(r, baseClaims())
		}, want: none, assertion: true},
		{name: "valid with registered PS256", token: signed(), rules: func(r *CA.Rules) { r.ClientAlgorithm = "PS256" }, want: none, assertion: true},

		{name: "missing", token: literal(""), want: []CA.Reason{CA.ReasonMissing}},
		{name: "registered PS256, ES256 assertion", token: func(k *keyring) string { return sign(k.ec, baseClaims()) },
			rules: func(r *CA.Rules) { r.ClientAlgorithm = "PS256" }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "registered RS256 outside the allow-list", token: signed(), keys: func(*keyring) *jwks.Set { return nil },
			rules: func(r *CA.Rules) { r.ClientAlgorithm = "RS256" }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "registered alg mismatch reported with a wrong type", token: func(k *keyring) string { return sign(k.ec, baseClaims()) },
			rules: func(r *CA.Rules) { r.ClientAlgorithm = "PS256"; r.Type = "" }, want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonAlgNotAllowed}},
		{name: "RS256", token: func(k *keyring) string { return fixtures.Sign(k.rsa, "RS256", baseClaims(), nil) }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "alg none", token: literal(fixtures.Unsigned("none", baseClaims())), want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "alg NONE, allowed and registered", token: literal(fixtures.Unsigned("NONE", baseClaims())),
			rules: func(r *CA.Rules) { r.Algorithms = []string{"NONE"}; r.ClientAlgorithm = "NONE" }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HMAC assertion to Verify", token: literal(hs256), want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HMAC assertion to Verify, HS256 allowed", token: literal(hs256),
			rules: func(r *CA.Rules) { r.Algorithms = append(r.Algorithms, "HS256") }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HMAC assertion to Verify, HS256 registered", token: literal(hs256),
			rules: func(r *CA.Rules) { r.Algorithms = []string{"HS256"}; r.ClientAlgorithm = "HS256" }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HMAC with the public key's bytes as secret", token: func(k *keyring) string {
			return fixtures.SignHMAC([]byte(fixtures.JWKS(k.rsa)), "HS256", baseClaims())
		}, rules: func(r *CA.Rules) { r.Algorithms = append(r.Algorithms, "HS256") }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},

		{name: "tampered", token: func(k *keyring) string { return fixtures.Tamper(sign(k.rsa, baseClaims())) }, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "tampered payload", token: func(k *keyring) string {
			parts := strings.Split(sign(k.rsa, baseClaims()), ".")
			parts[1] = b64(`{"iss":"s6BhdRkqt3","sub":"s6BhdRkqt3","aud":"https://as.example.com","exp":1900000000,"jti":"x"}`)
			return strings.Join(parts, ".")
		}, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "another key with the same kid", token: func(k *keyring) string { return sign(k.foreign, baseClaims()) }, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "kid not registered", token: func(k *keyring) string {
			r := k.rsa
			r.ID = "rsa-9"
			return sign(r, baseClaims())
		}, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "no keys", token: signed(), keys: func(*keyring) *jwks.Set { return nil }, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "tampered with a wrong type", token: func(k *keyring) string { return fixtures.Tamper(sign(k.rsa, baseClaims())) },
			rules: func(r *CA.Rules) { r.Type = "" }, want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonSignatureInvalid}},

		{name: "RSA-1024 key", token: func(k *keyring) string { return sign(k.small, baseClaims()) },
			keys: func(k *keyring) *jwks.Set { return k.smallSet }, want: []CA.Reason{CA.ReasonKeyTooSmall}},
		{name: "RSA-1024 key with no minimum", token: func(k *keyring) string { return sign(k.small, baseClaims()) },
			keys: func(k *keyring) *jwks.Set { return k.smallSet }, rules: func(r *CA.Rules) { r.KeyMinimums = keysize.Minimums{} }, want: none, assertion: true},
		{name: "P-256 under a 384-bit EC minimum", token: func(k *keyring) string { return sign(k.ec, baseClaims()) },
			rules: func(r *CA.Rules) { r.KeyMinimums = keysize.Minimums{EC: 384} }, want: []CA.Reason{CA.ReasonKeyTooSmall}},

		{name: "too large", token: signed("pad", strings.Repeat("a", CA.DefaultMaxSize)), want: []CA.Reason{CA.ReasonTooLarge}},
		{name: "too large under a small limit", token: signed(), rules: func(r *CA.Rules) { r.MaxSize = 100 }, want: []CA.Reason{CA.ReasonTooLarge}},
		{name: "larger limit", token: signed("pad", strings.Repeat("a", CA.DefaultMaxSize)), rules: func(r *CA.Rules) { r.MaxSize = 2 * CA.DefaultMaxSize }, want: none, assertion: true},

		{name: "garbage", token: literal("not a jwt"), want: mf},
		{name: "JWE", token: literal(validHeader + ".a.b.c.d"), want: mf},
		{name: "JSON serialization", token: literal(`{"payload":"` + validPayload + `","signature":"` + sig + `"}`), want: mf},
		{name: "bad base64", token: literal(validHeader + "." + validPayload + "*." + sig), want: mf},
		{name: "header without alg", token: literal(b64(`{"kid":"rsa-1"}`) + "." + validPayload + "." + sig), want: mf},
		{name: "duplicate claims", token: func(k *keyring) string {
			return fixtures.SignRawPayload(k.rsa, "PS256", `{"iss":"s6BhdRkqt3","sub":"s6BhdRkqt3","sub":"other","aud":"https://as.example.com","exp":1700000060,"jti":"j"}`)
		}, want: mf},
		{name: "payload not an object", token: func(k *keyring) string { return fixtures.SignRawPayload(k.rsa, "PS256", `["iss"]`) }, want: mf},
		{name: "malformed with a wrong type", token: literal("x.y"), rules: func(r *CA.Rules) { r.Type = "" }, want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonMalformed}},
	}
	seen := map[CA.Reason]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set := k.set
			if tc.keys != nil {
				set = tc.keys(k)
			}
			rules := privateKeyRules()
			if tc.rules != nil {
				tc.rules(&rules)
			}
			a, errs := CA.Verify(tc.token(k), set, rules, now)
			assert.Equal(t, tc.want, reasons(errs), "%v", errs)
			assert.Equal(t, tc.assertion, a != nil)
			if a == nil {
				assert.NotEmpty(t, errs)
			}
			checkErrorShape(t, errs)
			for _, e := range errs {
				seen[e.Reason] = true
			}
		})
	}
	for _, tc := range claimCases() {
		for _, r := range tc.want {
			seen[r] = true
		}
	}
	for _, r := range []CA.Reason{CA.ReasonMissing, CA.ReasonTypeInvalid, CA.ReasonTooLarge, CA.ReasonMalformed,
		CA.ReasonAlgNotAllowed, CA.ReasonSignatureInvalid, CA.ReasonKeyTooSmall, CA.ReasonExpMissing, CA.ReasonExpired,
		CA.ReasonExpTooFar, CA.ReasonNotYetValid, CA.ReasonAudMismatch, CA.ReasonIssMismatch, CA.ReasonSubMismatch, CA.ReasonJTIMissing} {
		assert.True(t, seen[r], "no case triggers %s", r)
	}
}

func TestVerifySecret(t *testing.T) {
	k := keys(t)
	cases := []struct {
		name      string
		token     string
		secret    []byte
		rules     func(*CA.Rules)
		want      []CA.Reason
		assertion bool
	}{
		{name: "HS256, 32-byte secret", token: fixtures.SignHMAC(secret32, "HS256", baseClaims()), secret: secret32, want: none, assertion: true},
		{name: "HS384, 48-byte secret", token: fixtures.SignHMAC(secret48, "HS384", baseClaims()), secret: secret48, want: none, assertion: true},
		{name: "HS512, 64-byte secret", token: fixtures.SignHMAC(secret64, "HS512", baseClaims()), secret: secret64, want: none, assertion: true},
		{name: "HS256, longer secret", token: fixtures.SignHMAC(secret64, "HS256", baseClaims()), secret: secret64, want: none, assertion: true},
		{name: "HS256, 31-byte secret", token: fixtures.SignHMAC(secret32[:31], "HS256", baseClaims()), secret: secret32[:31], want: []CA.Reason{CA.ReasonKeyTooSmall}},
		{name: "HS384, 47-byte secret", token: fixtures.SignHMAC(secret48[:47], "HS384", baseClaims()), secret: secret48[:47], want: []CA.Reason{CA.ReasonKeyTooSmall}},
		{name: "HS512, 63-byte secret", token: fixtures.SignHMAC(secret64[:63], "HS512", baseClaims()), secret: secret64[:63], want: []CA.Reason{CA.ReasonKeyTooSmall}},
		{name: "HS512, 48-byte secret", token: fixtures.SignHMAC(secret48, "HS512", baseClaims()), secret: secret48, want: []CA.Reason{CA.ReasonKeyTooSmall}},
		{name: "short secret with a wrong type", token: fixtures.SignHMAC(secret32[:16], "HS256", baseClaims()), secret: secret32[:16],
			rules: func(r *CA.Rules) { r.Type = "" }, want: []CA.Reason{CA.ReasonTypeInvalid, CA.ReasonKeyTooSmall}},
		{name: "wrong secret", token: fixtures.SignHMAC([]byte(strings.Repeat("z", 32)), "HS256", baseClaims()), secret: secret32, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "secret one byte longer", token: fixtures.SignHMAC(append([]byte("x"), secret32...), "HS256", baseClaims()), secret: secret32, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "no secret registered", token: fixtures.SignHMAC(secret32, "HS256", baseClaims()), secret: nil, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "tampered", token: fixtures.Tamper(fixtures.SignHMAC(secret32, "HS256", baseClaims())), secret: secret32, want: []CA.Reason{CA.ReasonSignatureInvalid}},
		{name: "asymmetric assertion to VerifySecret", token: sign(k.rsa, baseClaims()), secret: secret32, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "asymmetric assertion to VerifySecret, PS256 allowed", token: sign(k.rsa, baseClaims()), secret: secret32,
			rules: func(r *CA.Rules) { r.Algorithms = append(r.Algorithms, "PS256") }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HS512 not allowed, secret long enough", token: fixtures.SignHMAC(secret64, "HS512", baseClaims()), secret: secret64,
			rules: func(r *CA.Rules) { r.Algorithms = []string{"HS256"} }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "HS512 not allowed, secret too short for HS512: the allow-list comes first",
			token: fixtures.SignHMAC(secret48, "HS512", baseClaims()), secret: secret48,
			rules: func(r *CA.Rules) { r.Algorithms = []string{"HS256"} }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "registered HS256, HS384 assertion", token: fixtures.SignHMAC(secret48, "HS384", baseClaims()), secret: secret48,
			rules: func(r *CA.Rules) { r.ClientAlgorithm = "HS256" }, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "registered HS256", token: fixtures.SignHMAC(secret32, "HS256", baseClaims()), secret: secret32,
			rules: func(r *CA.Rules) { r.ClientAlgorithm = "HS256" }, want: none, assertion: true},
		{name: "alg none", token: fixtures.Unsigned("none", baseClaims()), secret: secret32, want: []CA.Reason{CA.ReasonAlgNotAllowed}},
		{name: "missing", token: "", secret: secret32, want: []CA.Reason{CA.ReasonMissing}},
		{name: "too large", token: fixtures.SignHMAC(secret32, "HS256", claimsWith("pad", strings.Repeat("a", CA.DefaultMaxSize))), secret: secret32, want: []CA.Reason{CA.ReasonTooLarge}},
		{name: "malformed", token: "a.b", secret: secret32, want: mf},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rules := secretRules()
			if tc.rules != nil {
				tc.rules(&rules)
			}
			a, errs := CA.VerifySecret(tc.token, tc.secret, rules, now)
			assert.Equal(t, tc.want, reasons(errs), "%v", errs)
			assert.Equal(t, tc.assertion, a != nil)
			if a == nil {
				assert.NotEmpty(t, errs)
			}
			checkErrorShape(t, errs)
		})
	}
}

func TestMaxSizeBoundary(t *testing.T) {
	k := keys(t)
	tok := sign(k.ec, baseClaims())
	rules := privateKeyRules()
	rules.MaxSize = len(tok)
	_, errs := CA.Verify(tok, k.set, rules, now)
	assert.Empty(t, errs)
	rules.MaxSize = len(tok) - 1
	a, errs := CA.Verify(tok, k.set, rules, now)
	assert.Nil(t, a)
	assert.Equal(t, []CA.Reason{CA.ReasonTooLarge}, reasons(errs))
}

// TestAssertionExpiryFractional: a fractional exp (RFC 7519 §2) reaches the
// replay record exactly to the nanosecond, and rounded up below it, so that
// the jti is remembered at least until the assertion expires.
func TestAssertionExpiryFractional(t *testing.T) {
	k := keys(t)
	for exp, want := range map[string]time.Time{
		"1700000090.25":           time.Unix(at(90), 250_000_000).UTC(),
		"1.70000009e9":            time.Unix(at(90), 0).UTC(),
		"1700000090.000000000001": time.Unix(at(90), 1).UTC(),
	} {
		a, errs := CA.Verify(sign(k.rsa, claimsWith("exp", raw(exp))), k.set, privateKeyRules(), now)
		require.Empty(t, errs, exp)
		assert.Equal(t, want, a.Expiry, exp)
	}
}

func TestAssertionForReplayCache(t *testing.T) {
	k := keys(t)
	a, errs := CA.Verify(sign(k.rsa, claimsWith("jti", "unique-42", "exp", at(90))), k.set, privateKeyRules(), now)
	require.Empty(t, errs)
	assert.Equal(t, &CA.Assertion{Algorithm: "PS256", KeyID: "rsa-1", JWTID: "unique-42", Expiry: time.Unix(at(90), 0).UTC()}, a)

	a, errs = CA.VerifySecret(fixtures.SignHMAC(secret48, "HS384", claimsWith("jti", "j\u00e9")), secret48, secretRules(), now)
	require.Empty(t, errs)
	assert.Equal(t, &CA.Assertion{Algorithm: "HS384", JWTID: "j\u00e9", Expiry: time.Unix(at(60), 0).UTC()}, a)

	// An expired assertion has no expiry to cache it until.
	a, errs = CA.Verify(sign(k.ec, claimsWith("exp", at(-1))), k.set, privateKeyRules(), now)
	require.Equal(t, []CA.Reason{CA.ReasonExpired}, reasons(errs))
	assert.True(t, a.Expiry.IsZero())
	assert.Equal(t, "jti-0001", a.JWTID)
	assert.Equal(t, "ec-1", a.KeyID)
}

func TestUnverifiedIssuer(t *testing.T) {
	k := keys(t)
	valid := sign(k.rsa, baseClaims())
	tests := []struct {
		name    string
		tok     string
		maxSize int
		iss     string
		ok      bool
	}{
		{name: "signed assertion", tok: valid, iss: clientID, ok: true},
		{name: "any signature: nothing is verified", tok: valid[:strings.LastIndexByte(valid, '.')+1] + "AAAA", iss: clientID, ok: true},
		{name: "no iss", tok: sign(k.rsa, claimsWith("iss", nil)), ok: false},
		{name: "empty iss", tok: sign(k.rsa, claimsWith("iss", "")), ok: false},
		{name: "iss not a string", tok: sign(k.rsa, claimsWith("iss", 7)), ok: false},
		{name: "over the size limit", tok: valid, maxSize: len(valid) - 1, ok: false},
		{name: "at the size limit", tok: valid, maxSize: len(valid), iss: clientID, ok: true},
		{name: "unsigned", tok: b64(`{"alg":"none"}`) + "." + b64(`{"iss":"x"}`) + ".", ok: false},
		{name: "duplicate iss", tok: b64(`{"alg":"PS256"}`) + "." + b64(`{"iss":"a","iss":"b"}`) + ".AAAA", ok: false},
		{name: "not a JWS", tok: "garbage", ok: false},
		{name: "empty", tok: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss, ok := CA.UnverifiedIssuer(tt.tok, tt.maxSize)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.iss, iss)
		})
	}
}

func TestKeyTooSmallError(t *testing.T) {
	k := keys(t)
	a, errs := CA.Verify(sign(k.small, baseClaims()), k.smallSet, privateKeyRules(), now)
	assert.Nil(t, a)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], keysize.ErrTooSmall)
	assert.Equal(t, "kid", errs[0].Claim)

	_, errs = CA.VerifySecret(fixtures.SignHMAC(secret32[:31], "HS256", baseClaims()), secret32[:31], secretRules(), now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "31 bytes")
}

func TestMinSecretLength(t *testing.T) {
	assert.Equal(t, 32, CA.MinSecretLength("HS256"))
	assert.Equal(t, 48, CA.MinSecretLength("HS384"))
	assert.Equal(t, 64, CA.MinSecretLength("HS512"))
	assert.Equal(t, 32, CA.MinSecretLength("unknown"))
}

func TestErrorAndReason(t *testing.T) {
	assert.Equal(t, "client assertion: expired", CA.ReasonExpired.Error())
	e := &CA.Error{Reason: CA.ReasonJTIMissing, Message: "no jti"}
	assert.ErrorIs(t, e, CA.ReasonJTIMissing)
	assert.NotErrorIs(t, e, CA.ReasonExpired)
	assert.Nil(t, errors.Unwrap(e))

	k := keys(t)
	_, errs := CA.Verify(fixtures.Tamper(sign(k.rsa, baseClaims())), k.set, privateKeyRules(), now)
	require.Len(t, errs, 1)
	assert.NotNil(t, errors.Unwrap(errs[0]), "the JOSE cause is kept")
}
