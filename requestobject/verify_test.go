package requestobject_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
	R "github.com/fapicheck/fapicheck/requestobject"
)

// raw is a JSON value written into a claim set as is.
type raw = json.RawMessage

func sign(k fixtures.Key, claims map[string]any) string {
	return fixtures.Sign(k, "", claims, nil)
}

// b64 is unpadded base64url, as in a compact JWS.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// withSegment replaces part i (0 header, 1 payload, 2 signature) of a
// compact JWS.
func withSegment(tok string, i int, seg string) string {
	parts := strings.Split(tok, ".")
	parts[i] = seg
	return strings.Join(parts, ".")
}

// nonCanonical returns the base64url encoding of s with non-zero trailing
// bits, which a strict decoder refuses. len(s)%3 must not be 0.
func nonCanonical(s string) string {
	enc := b64(s)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, enc[len(enc)-1])
	return enc[:len(enc)-1] + string(alphabet[last|1])
}

type verifyCase struct {
	name  string
	token func(k *keyring) string
	keys  func(k *keyring) *jwks.Set // k.set when nil
	rules func(r *R.Rules)           // changes to fapiRules
	now   time.Time                  // the package's now when zero
	want  []R.Reason                 // exactly, in order; empty means valid
	// object says whether an Object must be returned. It must be for
	// every valid case.
	object bool
	claims []string // the Claim of each error, when given
}

func signed(kv ...any) func(k *keyring) string {
	return func(k *keyring) string { return sign(k.rsa, claimsWith(kv...)) }
}

func signedEC(kv ...any) func(k *keyring) string {
	return func(k *keyring) string { return sign(k.ec, claimsWith(kv...)) }
}

func signedRaw(payload string) func(k *keyring) string {
	return func(k *keyring) string { return fixtures.SignRawPayload(k.rsa, "PS256", payload) }
}

func literal(tok string) func(*keyring) string { return func(*keyring) string { return tok } }

var (
	rs = []R.Reason{}
	mf = []R.Reason{R.ReasonMalformed}
)

func verifyCases() []verifyCase {
	validHeader := b64(`{"alg":"PS256","kid":"rsa-1"}`)
	validPayload := b64(`{"exp":1700000300}`)
	sig := b64(strings.Repeat("s", 256))
	return []verifyCase{
		// Valid objects.
		{name: "valid PS256", token: signed(), want: rs, object: true},
		{name: "valid ES256", token: signedEC(), want: rs, object: true},
		{name: "valid without kid: every registered key is a candidate",
			token: func(k *keyring) string { return sign(k.rsaNoKid, baseClaims()) }, want: rs, object: true},
		{name: "valid with registered PS256", token: signed(), rules: func(r *R.Rules) { r.ClientAlgorithm = "PS256" }, want: rs, object: true},
		{name: "valid with registered ES256", token: signedEC(), rules: func(r *R.Rules) { r.ClientAlgorithm = "ES256" }, want: rs, object: true},
		{name: "valid with only the required claims", token: signed("iss", nil, "client_id", nil, "iat", nil, "jti", nil, "claims", nil), want: rs, object: true},

		// Algorithm.
		{name: "ES256 object when PS256 registered", token: signedEC(),
			rules: func(r *R.Rules) { r.ClientAlgorithm = "PS256" }, want: []R.Reason{R.ReasonAlgNotAllowed}, claims: []string{"alg"}},
		{name: "PS256 object when ES256 registered", token: signed(),
			rules: func(r *R.Rules) { r.ClientAlgorithm = "ES256" }, want: []R.Reason{R.ReasonAlgNotAllowed}},
		{name: "registered alg outside the allow-list, no key touched", token: signed(),
			keys:  func(*keyring) *jwks.Set { return nil }, // a key lookup would say signature_invalid
			rules: func(r *R.Rules) { r.ClientAlgorithm = "RS256" }, want: []R.Reason{R.ReasonAlgNotAllowed}, claims: []string{"alg"}},
		{name: "registered RS256 outside the allow-list, RS256 object",
			token: func(k *keyring) string { return fixtures.Sign(k.rsa, "RS256", baseClaims(), nil) },
			rules: func(r *R.Rules) { r.ClientAlgorithm = "RS256" }, want: []R.Reason{R.ReasonAlgNotAllowed}},
		{name: "RS256", token: func(k *keyring) string { return fixtures.Sign(k.rsa, "RS256", baseClaims(), nil) },
			want: []R.Reason{R.ReasonAlgNotAllowed}, claims: []string{"alg"}},
		{name: "PS384 not in the allow-list", token: func(k *keyring) string { return fixtures.Sign(k.rsa, "PS384", baseClaims(), nil) },
			want: []R.Reason{R.ReasonAlgNotAllowed}},
		{name: "empty allow-list allows nothing", token: signed(), rules: func(r *R.Rules) { r.Algorithms = nil },
			want: []R.Reason{R.ReasonAlgNotAllowed}},
		{name: "HS256 even when allowed: needs a shared secret",
			token: literal(fixtures.SignHMAC([]byte(strings.Repeat("k", 32)), "HS256", baseClaims())),
			rules: func(r *R.Rules) { r.Algorithms = append(r.Algorithms, "HS256") }, want: []R.Reason{R.ReasonAlgNotAllowed}},
		{name: "unknown alg", token: literal(fixtures.Raw(`{"alg":"XS256"}`, `{}`, []byte("sig"))),
			rules: func(r *R.Rules) { r.Algorithms = append(r.Algorithms, "XS256") }, want: []R.Reason{R.ReasonAlgNotAllowed}},

		// Unsigned, in every spelling, even when "none" is in the lists.
		{name: "alg none", token: literal(fixtures.Unsigned("none", baseClaims())), want: []R.Reason{R.ReasonUnsigned}, claims: []string{"alg"}},
		{name: "alg None", token: literal(fixtures.Unsigned("None", baseClaims())), want: []R.Reason{R.ReasonUnsigned}},
		{name: "alg NONE", token: literal(fixtures.Unsigned("NONE", baseClaims())), want: []R.Reason{R.ReasonUnsigned}},
		{name: "alg nOnE allowed and registered", token: literal(fixtures.Unsigned("nOnE", baseClaims())),
			rules: func(r *R.Rules) { r.Algorithms = []string{"nOnE", "none"}; r.ClientAlgorithm = "nOnE" }, want: []R.Reason{R.ReasonUnsigned}},
		{name: "alg none with a signature", token: literal(fixtures.Raw(`{"alg":"none"}`, `{}`, []byte("sig"))), want: []R.Reason{R.ReasonUnsigned}},

		// Signature.
		{name: "tampered signature", token: func(k *keyring) string { return fixtures.Tamper(sign(k.rsa, baseClaims())) },
			want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "tampered ES256 signature", token: func(k *keyring) string { return fixtures.Tamper(sign(k.ec, baseClaims())) },
			want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "tampered payload", token: func(k *keyring) string {
			return withSegment(sign(k.rsa, baseClaims()), 1, b64(`{"exp":1700000300,"aud":"https://as.example.com"}`))
		}, want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "another key with the same kid", token: func(k *keyring) string { return sign(k.foreign, baseClaims()) },
			want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "another key without kid", token: func(k *keyring) string {
			f := k.foreign
			f.ID = ""
			return sign(f, baseClaims())
		}, want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "kid absent from the set", token: func(k *keyring) string {
			f := k.rsa
			f.ID = "rsa-2"
			return sign(f, baseClaims())
		}, want: []R.Reason{R.ReasonSignatureInvalid}, claims: []string{"kid"}},
		{name: "ES256 object with the RSA key's kid", token: func(k *keyring) string {
			return fixtures.Sign(k.ec, "ES256", baseClaims(), map[string]any{"kid": "rsa-1"})
		}, want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "no keys registered", token: signed(), keys: func(*keyring) *jwks.Set { return nil },
			want: []R.Reason{R.ReasonSignatureInvalid}},
		{name: "key in the header is never used", token: func(k *keyring) string {
			f := k.foreign
			f.ID = ""
			return fixtures.Sign(f, "PS256", baseClaims(), map[string]any{"jwk": f.Public()})
		}, want: []R.Reason{R.ReasonSignatureInvalid}},

		// Key size: checked on the key that verified, and fatal.
		{name: "RSA-1024 key", token: func(k *keyring) string { return sign(k.small, baseClaims()) },
			keys: func(k *keyring) *jwks.Set { return k.smallSet }, want: []R.Reason{R.ReasonKeyTooSmall}, claims: []string{"kid"}},
		{name: "RSA-1024 key without kid", token: func(k *keyring) string {
			s := k.small
			s.ID = ""
			return sign(s, baseClaims())
		}, keys: func(k *keyring) *jwks.Set { return k.smallSet }, want: []R.Reason{R.ReasonKeyTooSmall}},
		{name: "RSA-1024 key under RSA minimum 1024", token: func(k *keyring) string { return sign(k.small, baseClaims()) },
			keys:  func(k *keyring) *jwks.Set { return k.smallSet },
			rules: func(r *R.Rules) { r.KeyMinimums = keysize.Minimums{RSA: 1024} }, want: rs, object: true},
		{name: "RSA-2048 key in a set that also holds a small key", token: signed(),
			keys: func(k *keyring) *jwks.Set { return k.smallSet }, want: rs, object: true},
		{name: "P-256 under FAPI 2 minimums", token: signedEC(),
			rules: func(r *R.Rules) { r.KeyMinimums = keysize.FAPI2Minimums() }, want: rs, object: true},
		{name: "P-256 under a 384-bit EC minimum", token: signedEC(),
			rules: func(r *R.Rules) { r.KeyMinimums = keysize.Minimums{EC: 384} }, want: []R.Reason{R.ReasonKeyTooSmall}},

		// Structure.
		{name: "empty", token: literal(""), want: mf},
		{name: "JWE", token: literal(validHeader + "." + b64("key") + "." + b64("iv") + "." + b64("ct") + "." + b64("tag")), want: mf},
		{name: "JSON serialization", token: literal(`{"payload":"` + validPayload + `","protected":"` + validHeader + `","signature":"` + sig + `"}`), want: mf},
		{name: "JSON serialization after whitespace", token: literal(` {"payload":"` + validPayload + `"}`), want: mf},
		{name: "two parts", token: literal(validHeader + "." + validPayload), want: mf},
		{name: "four parts", token: literal(validHeader + "." + validPayload + "." + sig + "." + sig), want: mf},
		{name: "empty signature", token: literal(validHeader + "." + validPayload + "."), want: mf},
		{name: "standard base64 character", token: func(k *keyring) string {
			return withSegment(sign(k.rsa, baseClaims()), 2, "+"+strings.Repeat("A", 341))
		}, want: mf},
		{name: "base64 padding", token: func(k *keyring) string {
			t := sign(k.rsa, claimsWith("pad", "x")) // payload length not a multiple of 3
			parts := strings.Split(t, ".")
			return withSegment(t, 1, parts[1]+"==")
		}, want: mf},
		{name: "line break in a segment", token: func(k *keyring) string {
			t := sign(k.rsa, baseClaims())
			return t[:10] + "\n" + t[10:]
		}, want: mf},
		{name: "non-canonical base64url", token: literal(validHeader + "." + nonCanonical(`{"exp":17000003001}`) + "." + sig), want: mf},
		{name: "header not JSON", token: literal(b64(`{alg:PS256}`) + "." + validPayload + "." + sig), want: mf},
		{name: "header without alg", token: literal(b64(`{"kid":"rsa-1"}`) + "." + validPayload + "." + sig), want: mf},
		{name: "header alg not a string", token: literal(b64(`{"alg":["PS256"]}`) + "." + validPayload + "." + sig), want: mf},
		{name: "header duplicate alg", token: literal(b64(`{"alg":"none","alg":"PS256"}`) + "." + validPayload + "." + sig), want: mf},
		{name: "header crit", token: literal(b64(`{"alg":"PS256","crit":["exp"],"exp":1}`) + "." + validPayload + "." + sig), want: mf},
		{name: "header b64 false", token: literal(b64(`{"alg":"PS256","b64":false,"crit":["b64"]}`) + "." + validPayload + "." + sig), want: mf},

		// Claim set: refused after the signature verified; no Object.
		{name: "payload not JSON", token: signedRaw(`exp=1700000300`), want: mf, claims: []string{"payload"}},
		{name: "payload an array", token: signedRaw(`[{"exp":1700000300}]`), want: mf},
		{name: "payload a string", token: signedRaw(`"x"`), want: mf},
		{name: "payload with trailing data", token: signedRaw(`{"exp":1700000300}{}`), want: mf},
		{name: "payload invalid UTF-8", token: signedRaw("{\"exp\":1700000300,\"state\":\"\xff\"}"), want: mf},
		{name: "duplicate claims", token: signedRaw(`{"aud":"https://as.example.com","exp":1700000300,"exp":1800000000}`), want: mf},
		{name: "duplicate claims after unescaping", token: signedRaw(`{"exp":1700000300,"state":"a","st\u0061te":"b"}`), want: mf},
		{name: "duplicate members in claims", token: signedRaw(`{"exp":1700000300,"claims":{"id_token":{},"id_token":{}}}`), want: mf},
		{name: "null claim", token: signed("nonce", raw("null")), want: mf, claims: []string{"nonce"}},
		{name: "null exp", token: signed("exp", raw("null")), want: mf, claims: []string{"exp"}},
		{name: "exp as string", token: signed("exp", "1700000300"), want: mf, claims: []string{"exp"}},
		{name: "exp fractional (RFC 7519 §2)", token: signed("exp", raw("1700000300.5")), want: rs, object: true},
		{name: "exp with zero fraction", token: signed("exp", raw("1700000300.0")), want: rs, object: true},
		{name: "exp with exponent", token: signed("exp", raw("1.7000003e9")), want: rs, object: true},
		{name: "exp fractional, now at it", token: signed("exp", raw("1700000000.5")), now: now.Add(500 * time.Millisecond), want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp fractional, now a nanosecond before", token: signed("exp", raw("1700000000.5")), now: now.Add(499999999 * time.Nanosecond), want: rs, object: true},
		{name: "exp below the nanosecond, now at the nanosecond", token: signed("exp", raw("1700000000.0000000001")), want: rs, object: true},
		{name: "nbf a tenth of a nanosecond past the skew", token: signed("nbf", raw("1700000010.0000000001")), want: []R.Reason{R.ReasonNotYetValid}, object: true},
		{name: "nbf fractional within the skew", token: signed("nbf", raw("1700000009.999999999")), want: rs, object: true},
		{name: "lifetime exactly 3600 s, fractions", token: signed("nbf", raw("1699999940.25"), "exp", raw("1700003540.25")), want: rs, object: true},
		{name: "lifetime 3600 s and a tenth of a nanosecond", token: signed("nbf", raw("1699999940.25"), "exp", raw("1700003540.2500000001")), want: []R.Reason{R.ReasonLifetimeTooLong}, object: true},
		{name: "lifetime 3600 s, nbf below the nanosecond", token: signed("nbf", raw("1699999940.0000000001"), "exp", raw("1700003540")), want: rs, object: true},
		{name: "nbf 3600 s and a tenth of a nanosecond old", token: signed("nbf", raw("1699996399.9999999999")), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: []R.Reason{R.ReasonNbfTooOld}, object: true},
		{name: "nbf exactly 3600 s old, fraction", token: signed("nbf", raw("1699996400.0")), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: rs, object: true},
		{name: "exp fraction too fine to read", token: signed("exp", raw("1700000300."+strings.Repeat("1", 60))), want: mf},
		{name: "nbf below the nanosecond after now, no skew", token: signed("nbf", raw("1700000000.000000000001")),
			rules: func(r *R.Rules) { r.ClockSkew = 0 }, want: []R.Reason{R.ReasonNotYetValid}, object: true},
		{name: "nbf below the nanosecond, now the next nanosecond, no skew", token: signed("nbf", raw("1700000000.000000000001")),
			rules: func(r *R.Rules) { r.ClockSkew = 0 }, now: now.Add(time.Nanosecond), want: rs, object: true},
		{name: "iat below the nanosecond after now, no skew", token: signed("iat", raw("1700000000.000000000001")),
			rules: func(r *R.Rules) { r.ClockSkew = 0 }, want: []R.Reason{R.ReasonNotYetValid}, object: true},
		{name: "iat with exponent at now+skew", token: signed("iat", raw("1.70000001e9")), want: rs, object: true},
		{name: "exp with exponent at now", token: signed("exp", raw("17e8")), want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp with exponent, now a nanosecond before", token: signed("exp", raw("17e8")), now: now.Add(-time.Nanosecond),
			want: rs, object: true},
		{name: "no nbf: exp − now exactly 3600 s, fractions", token: signed("nbf", nil, "exp", raw("1700003600.25")),
			rules: func(r *R.Rules) { r.RequireNbf = false }, now: now.Add(250 * time.Millisecond), want: rs, object: true},
		{name: "no nbf: exp − now 3600 s and a picosecond", token: signed("nbf", nil, "exp", raw("1700003600.250000000001")),
			rules: func(r *R.Rules) { r.RequireNbf = false }, now: now.Add(250 * time.Millisecond), want: []R.Reason{R.ReasonLifetimeTooLong}, object: true},
		{name: "nbf fractional, now − nbf exactly 3600 s", token: signed("nbf", raw("1699996400.75")),
			rules: func(r *R.Rules) { r.MaxLifetime = 0 }, now: now.Add(750 * time.Millisecond), want: rs, object: true},
		{name: "nbf fractional, now − nbf 3600 s and a nanosecond", token: signed("nbf", raw("1699996400.75")),
			rules: func(r *R.Rules) { r.MaxLifetime = 0 }, now: now.Add(750*time.Millisecond + 1), want: []R.Reason{R.ReasonNbfTooOld}, object: true},
		{name: "lifetime exactly 3600 s, both below the nanosecond", token: signed("nbf", raw("1699999940.000000000007"), "exp", raw("1700003540.000000000007")),
			want: rs, object: true},
		{name: "lifetime 3600 s and a picosecond, both below the nanosecond", token: signed("nbf", raw("1699999940.000000000007"), "exp", raw("1700003540.000000000008")),
			want: []R.Reason{R.ReasonLifetimeTooLong}, object: true},
		{name: "exp finer than 1e-64 s", token: signed("exp", raw("1e-65")), want: mf},
		{name: "exp 1e400", token: signed("exp", raw("1e400")), want: mf},
		{name: "exp negative fraction", token: signed("exp", raw("-0.5")), want: mf},
		{name: "exp fractional string", token: signed("exp", "1700000300.5"), want: mf, claims: []string{"exp"}},
		{name: "exp past year 9999 by a nanosecond", token: signed("exp", raw("253402300799.000000001")), want: mf},
		{name: "nbf boolean", token: signed("nbf", false), want: mf, claims: []string{"nbf"}},
		{name: "nbf negative", token: signed("nbf", raw("-1.5")), want: mf, claims: []string{"nbf"}},
		{name: "nbf 1e400", token: signed("nbf", raw("1e400")), want: mf, claims: []string{"nbf"}},
		{name: "iat boolean", token: signed("iat", true), want: mf, claims: []string{"iat"}},
		{name: "iat negative", token: signed("iat", raw("-1e-9")), want: mf, claims: []string{"iat"}},
		{name: "iat huge exponent", token: signed("iat", raw("1e99999999999999999999")), want: mf, claims: []string{"iat"}},
		{name: "exp negative", token: signed("exp", -1), want: mf},
		{name: "exp 1e300", token: signed("exp", raw("1e300")), want: mf},
		{name: "exp beyond int64", token: signed("exp", raw("99999999999999999999")), want: mf},
		{name: "exp after year 9999", token: signed("exp", int64(253402300800)), want: mf},
		{name: "exp boolean", token: signed("exp", true), want: mf},
		{name: "nbf as string", token: signed("nbf", "1699999940"), want: mf, claims: []string{"nbf"}},
		{name: "iat fractional", token: signed("iat", raw("1699999940.1")), want: rs, object: true},
		{name: "aud number", token: signed("aud", 1), want: mf, claims: []string{"aud"}},
		{name: "aud object", token: signed("aud", map[string]any{"iss": issuer}), want: mf},
		{name: "aud empty array", token: signed("aud", []string{}), want: mf},
		{name: "aud array with a number", token: signed("aud", []any{issuer, 1}), want: mf},
		{name: "iss number", token: signed("iss", 5), want: mf, claims: []string{"iss"}},
		{name: "sub array", token: signed("sub", []string{clientID}), want: mf},
		{name: "jti number", token: signed("jti", 1), want: mf},

		// Parameters of the wrong shape: reported, but the Object (whose
		// signature verified) is returned.
		{name: "nested request", token: signed("request", "eyJhbGciOiJub25lIn0.e30."), want: mf, object: true, claims: []string{"request"}},
		{name: "nested request_uri", token: signed("request_uri", "urn:ietf:params:oauth:request_uri:x"), want: mf, object: true, claims: []string{"request_uri"}},
		{name: "state a number", token: signed("state", 5), want: mf, object: true, claims: []string{"state"}},
		{name: "scope an array", token: signed("scope", []string{"openid", "accounts"}), want: mf, object: true, claims: []string{"scope"}},
		{name: "nonce an object", token: signed("nonce", map[string]any{}), want: mf, object: true, claims: []string{"nonce"}},
		{name: "redirect_uri a boolean", token: signed("redirect_uri", true), want: mf, object: true, claims: []string{"redirect_uri"}},
		{name: "response_type an array", token: signed("response_type", []string{"code", "id_token"}), want: mf, object: true},
		{name: "client_id a number", token: signed("client_id", 1), want: mf, object: true, claims: []string{"client_id"}},
		{name: "code_challenge a number", token: signed("code_challenge", 1), want: mf, object: true},
		{name: "claims a string", token: signed("claims", `{"id_token":{}}`), want: mf, object: true, claims: []string{"claims"}},
		{name: "claims an array", token: signed("claims", []any{}), want: mf, object: true, claims: []string{"claims"}},
		{name: "max_age a string", token: signed("max_age", "300"), want: mf, object: true, claims: []string{"max_age"}},
		{name: "max_age an array", token: signed("max_age", []int{300}), want: mf, object: true},
		{name: "unknown claims of any type are kept", token: signed("x_custom", []any{1, "a"}, "authorization_details", []any{map[string]any{"type": "t"}}), want: rs, object: true},

		// Size.
		{name: "too large (default limit)", token: signed("pad", strings.Repeat("a", R.DefaultMaxSize)), want: []R.Reason{R.ReasonTooLarge}},
		{name: "just under the default limit", token: signed("pad", strings.Repeat("a", R.DefaultMaxSize*3/4-2000)), want: rs, object: true},
		{name: "larger limit lets a larger object through", token: signed("pad", strings.Repeat("a", R.DefaultMaxSize)),
			rules: func(r *R.Rules) { r.MaxSize = 2 * R.DefaultMaxSize }, want: rs, object: true},
		{name: "too large is checked before anything else", token: literal(strings.Repeat("{", R.DefaultMaxSize+1)), want: []R.Reason{R.ReasonTooLarge}},

		// exp.
		{name: "exp missing, not required", token: signed("exp", nil), rules: func(r *R.Rules) { r.RequireExp = false; r.MaxLifetime = 0 }, want: rs, object: true},
		{name: "exp missing, required", token: signed("exp", nil), want: []R.Reason{R.ReasonExpMissing}, object: true, claims: []string{"exp"}},
		{name: "exp missing: no lifetime to check", token: signed("exp", nil), rules: func(r *R.Rules) { r.RequireExp = false }, want: rs, object: true},
		{name: "exp == now", token: signed("exp", at(0)), want: []R.Reason{R.ReasonExpired}, object: true, claims: []string{"exp"}},
		{name: "exp == now, skew not applied", token: signed("exp", at(0)), rules: func(r *R.Rules) { r.ClockSkew = time.Minute }, want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp = now+1", token: signed("exp", at(1)), want: rs, object: true},
		{name: "exp = now+1, now has a fraction", token: signed("exp", at(1)), now: now.Add(999 * time.Millisecond), want: rs, object: true},
		{name: "exp == now, now has a fraction", token: signed("exp", at(0)), now: now.Add(time.Nanosecond), want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp past", token: signed("exp", at(-1)), want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp 0", token: signed("exp", 0, "nbf", 0, "iat", 0), rules: func(r *R.Rules) { r.MaxNbfAge = 0 }, want: []R.Reason{R.ReasonExpired}, object: true},
		{name: "exp in year 9999", token: signed("exp", int64(253402300799)), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: rs, object: true},

		// nbf and iat.
		{name: "nbf = now+skew", token: signed("nbf", at(10)), want: rs, object: true},
		{name: "nbf = now+skew+1", token: signed("nbf", at(11)), want: []R.Reason{R.ReasonNotYetValid}, object: true, claims: []string{"nbf"}},
		{name: "nbf = now, no skew", token: signed("nbf", at(0)), rules: func(r *R.Rules) { r.ClockSkew = 0 }, want: rs, object: true},
		{name: "nbf = now+1, no skew", token: signed("nbf", at(1)), rules: func(r *R.Rules) { r.ClockSkew = 0 }, want: []R.Reason{R.ReasonNotYetValid}, object: true},
		{name: "nbf = now+skew, now has a fraction", token: signed("nbf", at(11)), now: now.Add(500 * time.Millisecond), want: []R.Reason{R.ReasonNotYetValid}, object: true},
		{name: "iat = now+skew", token: signed("iat", at(10)), want: rs, object: true},
		{name: "iat = now+skew+1", token: signed("iat", at(11)), want: []R.Reason{R.ReasonNotYetValid}, object: true, claims: []string{"iat"}},
		{name: "iat far past is fine", token: signed("iat", 0), want: rs, object: true},
		{name: "nbf and iat both future", token: signed("nbf", at(60), "iat", at(60)), want: []R.Reason{R.ReasonNotYetValid, R.ReasonNotYetValid}, object: true, claims: []string{"nbf", "iat"}},
		{name: "nbf missing, required", token: signed("nbf", nil), want: []R.Reason{R.ReasonNbfMissing}, object: true, claims: []string{"nbf"}},
		{name: "nbf missing, not required", token: signed("nbf", nil), rules: func(r *R.Rules) { r.RequireNbf = false }, want: rs, object: true},

		// nbf age and lifetime: exact, no skew.
		{name: "nbf exactly 3600 s old", token: signed("nbf", at(-3600)), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: rs, object: true},
		{name: "nbf 3601 s old", token: signed("nbf", at(-3601)), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: []R.Reason{R.ReasonNbfTooOld}, object: true, claims: []string{"nbf"}},
		{name: "nbf 3600 s and a fraction old", token: signed("nbf", at(-3600)), now: now.Add(time.Millisecond),
			rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: []R.Reason{R.ReasonNbfTooOld}, object: true},
		{name: "nbf 3601 s old, skew not added", token: signed("nbf", at(-3601)), rules: func(r *R.Rules) { r.MaxLifetime = 0; r.ClockSkew = time.Minute }, want: []R.Reason{R.ReasonNbfTooOld}, object: true},
		{name: "nbf age not bounded", token: signed("nbf", 0), rules: func(r *R.Rules) { r.MaxLifetime = 0; r.MaxNbfAge = 0 }, want: rs, object: true},
		{name: "lifetime exactly 3600 s", token: signed("nbf", at(-60), "exp", at(3540)), want: rs, object: true},
		{name: "lifetime 3601 s", token: signed("nbf", at(-60), "exp", at(3541)), want: []R.Reason{R.ReasonLifetimeTooLong}, object: true, claims: []string{"exp"}},
		{name: "lifetime 3601 s, skew not added", token: signed("nbf", at(-60), "exp", at(3541)), rules: func(r *R.Rules) { r.ClockSkew = time.Minute }, want: []R.Reason{R.ReasonLifetimeTooLong}, object: true},
		{name: "lifetime 70 min (conformance suite)", token: signed("nbf", at(0), "exp", at(70*60)), want: []R.Reason{R.ReasonLifetimeTooLong}, object: true},
		{name: "lifetime not bounded", token: signed("nbf", at(0), "exp", int64(253402300799)), rules: func(r *R.Rules) { r.MaxLifetime = 0 }, want: rs, object: true},

		// aud.
		{name: "aud string", token: signed("aud", issuer), want: rs, object: true},
		{name: "aud array containing the issuer", token: signed("aud", []string{"https://other.example.com", issuer}), want: rs, object: true},
		{name: "aud array of the issuer alone", token: signed("aud", []string{issuer}), want: rs, object: true},
		{name: "aud array not containing the issuer", token: signed("aud", []string{"https://other.example.com", issuer + "/"}), want: []R.Reason{R.ReasonAudMismatch}, object: true, claims: []string{"aud"}},
		{name: "aud another string", token: signed("aud", "https://as.example.com/par"), want: []R.Reason{R.ReasonAudMismatch}, object: true},
		{name: "aud differs in case", token: signed("aud", "https://AS.example.com"), want: []R.Reason{R.ReasonAudMismatch}, object: true},
		{name: "aud empty string", token: signed("aud", ""), want: []R.Reason{R.ReasonAudMismatch}, object: true},
		{name: "aud empty string, no issuer configured", token: signed("aud", ""), rules: func(r *R.Rules) { r.Issuer = "" }, want: []R.Reason{R.ReasonAudMismatch}, object: true},
		{name: "aud missing, required", token: signed("aud", nil), want: []R.Reason{R.ReasonAudMissing}, object: true, claims: []string{"aud"}},
		{name: "aud missing, not required", token: signed("aud", nil), rules: func(r *R.Rules) { r.RequireAud = false }, want: rs, object: true},
		{name: "aud present but wrong, not required", token: signed("aud", "https://other.example.com"), rules: func(r *R.Rules) { r.RequireAud = false }, want: []R.Reason{R.ReasonAudMismatch}, object: true},

		// iss and client_id.
		{name: "iss absent", token: signed("iss", nil), want: rs, object: true},
		{name: "iss different", token: signed("iss", "other-client"), want: []R.Reason{R.ReasonIssMismatch}, object: true, claims: []string{"iss"}},
		{name: "iss empty", token: signed("iss", ""), want: []R.Reason{R.ReasonIssMismatch}, object: true},
		{name: "iss the issuer", token: signed("iss", issuer), want: []R.Reason{R.ReasonIssMismatch}, object: true},
		{name: "client_id absent", token: signed("client_id", nil), want: rs, object: true},
		{name: "client_id different", token: signed("client_id", "other-client"), want: []R.Reason{R.ReasonClientIDMismatch}, object: true, claims: []string{"client_id"}},
		{name: "client_id differs in case", token: signed("client_id", strings.ToUpper(clientID)), want: []R.Reason{R.ReasonClientIDMismatch}, object: true},

		// Several problems at once, in the documented order.
		{name: "every claim rule broken",
			token: signed("state", 5, "exp", at(0), "nbf", at(11), "iat", at(11), "aud", "https://other.example.com", "iss", "other", "client_id", "other"),
			want: []R.Reason{R.ReasonMalformed, R.ReasonExpired, R.ReasonNotYetValid, R.ReasonNotYetValid,
				R.ReasonAudMismatch, R.ReasonIssMismatch, R.ReasonClientIDMismatch},
			object: true, claims: []string{"state", "exp", "nbf", "iat", "aud", "iss", "client_id"}},
		{name: "expired, too old and too long", token: signed("exp", at(0), "nbf", at(-4000)),
			want: []R.Reason{R.ReasonExpired, R.ReasonNbfTooOld, R.ReasonLifetimeTooLong}, object: true, claims: []string{"exp", "nbf", "exp"}},
		{name: "everything missing", token: signed("exp", nil, "nbf", nil, "aud", nil),
			want: []R.Reason{R.ReasonExpMissing, R.ReasonNbfMissing, R.ReasonAudMissing}, object: true},
		{name: "nested request and request_uri, in document order",
			token: signedRaw(`{"request_uri":"urn:x","aud":"https://as.example.com","request":"a.b.c","exp":1700000300,"nbf":1700000000}`),
			want:  []R.Reason{R.ReasonMalformed, R.ReasonMalformed}, object: true, claims: []string{"request_uri", "request"}},
	}
}

func TestVerify(t *testing.T) {
	k := keys(t)
	seen := map[R.Reason]bool{}
	for _, tc := range verifyCases() {
		t.Run(tc.name, func(t *testing.T) {
			tok := tc.token(k)
			set := k.set
			if tc.keys != nil {
				set = tc.keys(k)
			}
			rules := fapiRules()
			if tc.rules != nil {
				tc.rules(&rules)
			}
			at := now
			if !tc.now.IsZero() {
				at = tc.now
			}
			obj, errs := R.Verify(tok, set, rules, at)
			assert.Equal(t, tc.want, reasons(errs), "errors: %v", errs)
			assert.Equal(t, tc.object, obj != nil, "object returned")
			if obj == nil {
				assert.NotEmpty(t, errs, "no object and no error")
			}
			checkErrorShape(t, errs)
			if tc.claims != nil {
				got := make([]string, len(errs))
				for i, e := range errs {
					got[i] = e.Claim
				}
				assert.Equal(t, tc.claims, got, "claims at fault")
			}
			// Deterministic: the same input gives the same answer.
			obj2, errs2 := R.Verify(tok, set, rules, at)
			assert.Equal(t, obj, obj2)
			assert.Equal(t, errs, errs2)
			for _, e := range errs {
				seen[e.Reason] = true
			}
		})
	}
	for _, r := range []R.Reason{R.ReasonTooLarge, R.ReasonMalformed, R.ReasonUnsigned, R.ReasonAlgNotAllowed,
		R.ReasonSignatureInvalid, R.ReasonKeyTooSmall, R.ReasonExpMissing, R.ReasonExpired, R.ReasonNbfMissing,
		R.ReasonNotYetValid, R.ReasonNbfTooOld, R.ReasonLifetimeTooLong, R.ReasonAudMissing, R.ReasonAudMismatch,
		R.ReasonIssMismatch, R.ReasonClientIDMismatch} {
		assert.True(t, seen[r], "no case triggers %s", r)
	}
}

func TestVerifyMaxSizeBoundary(t *testing.T) {
	k := keys(t)
	tok := sign(k.rsa, baseClaims())
	rules := fapiRules()

	rules.MaxSize = len(tok)
	obj, errs := R.Verify(tok, k.set, rules, now)
	require.Empty(t, errs)
	require.NotNil(t, obj)

	rules.MaxSize = len(tok) - 1
	obj, errs = R.Verify(tok, k.set, rules, now)
	assert.Nil(t, obj)
	require.Equal(t, []R.Reason{R.ReasonTooLarge}, reasons(errs))
	assert.Contains(t, errs[0].Message, "exceeds the limit")
	assert.NotNil(t, errors.Unwrap(errs[0]), "the JOSE cause is kept")

	// A negative limit means the default, not "no limit".
	rules.MaxSize = -1
	big := sign(k.rsa, claimsWith("pad", strings.Repeat("a", R.DefaultMaxSize)))
	_, errs = R.Verify(big, k.set, rules, now)
	assert.Equal(t, []R.Reason{R.ReasonTooLarge}, reasons(errs))
}

func TestVerifyObject(t *testing.T) {
	k := keys(t)
	payload := `{"iss":"s6BhdRkqt3","aud":["https://as.example.com"],"response_type":"code id_token",` +
		`"client_id":"s6BhdRkqt3","sub":"user","state":"caf\u00e9 \"q\"","max_age":300,"exp":1700000300,` +
		`"nbf":1699999940,"iat":1699999950,"jti":"j-1","claims":{ "id_token" : {"acr":{"essential":true}}},` +
		`"prompt":"login","x_flag":true,"x_list":[1,"a"]}`
	tok := fixtures.SignRawPayload(k.rsa, "PS256", payload)
	obj, errs := R.Verify(tok, k.set, fapiRules(), now)
	require.Empty(t, errs)
	require.NotNil(t, obj)

	assert.Equal(t, "PS256", obj.Algorithm)
	assert.Equal(t, "rsa-1", obj.KeyID)
	assert.Equal(t, time.Unix(1700000300, 0).UTC(), obj.Expiry)
	assert.Equal(t, time.Unix(1699999940, 0).UTC(), obj.NotBefore)
	assert.Equal(t, time.Unix(1699999950, 0).UTC(), obj.IssuedAt)

	// The JWT claims are not parameters; the rest are, in document order.
	names := make([]string, len(obj.Params))
	for i, p := range obj.Params {
		names[i] = p.Name
	}
	assert.Equal(t, []string{"response_type", "client_id", "state", "max_age", "claims", "prompt", "x_flag", "x_list"}, names)
	for _, jwtClaim := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"} {
		_, ok := obj.Param(jwtClaim)
		assert.False(t, ok, "%s is a JWT claim, not a parameter", jwtClaim)
	}

	state, ok := obj.Param("state")
	require.True(t, ok)
	assert.Equal(t, R.Param{Name: "state", Value: `café "q"`, IsString: true, JSON: []byte(`"caf\u00e9 \"q\""`)}, state)

	maxAge, ok := obj.Param("max_age")
	require.True(t, ok)
	assert.Equal(t, R.Param{Name: "max_age", Value: "300", JSON: []byte("300")}, maxAge)

	claims, ok := obj.Param("claims")
	require.True(t, ok)
	assert.False(t, claims.IsString)
	assert.Equal(t, `{ "id_token" : {"acr":{"essential":true}}}`, claims.Value, "the JSON text as signed")
	assert.Equal(t, claims.Value, string(claims.JSON))
	parsed, err := R.ParseClaims([]byte(claims.Value))
	require.NoError(t, err)
	assert.True(t, parsed.EssentialIDTokenClaim("acr"))

	flag, _ := obj.Param("x_flag")
	assert.Equal(t, "true", flag.Value)
	list, _ := obj.Param("x_list")
	assert.Equal(t, `[1,"a"]`, list.Value)

	_, ok = obj.Param("nonce")
	assert.False(t, ok)

	// A nil Object has no parameters.
	var none *R.Object
	p, ok := none.Param("state")
	assert.False(t, ok)
	assert.Equal(t, R.Param{}, p)
}

func TestVerifyObjectTimesAbsent(t *testing.T) {
	k := keys(t)
	rules := fapiRules()
	rules.RequireExp, rules.RequireNbf = false, false
	obj, errs := R.Verify(sign(k.ec, claimsWith("exp", nil, "nbf", nil, "iat", nil)), k.set, rules, now)
	require.Empty(t, errs)
	require.NotNil(t, obj)
	assert.True(t, obj.Expiry.IsZero())
	assert.True(t, obj.NotBefore.IsZero())
	assert.True(t, obj.IssuedAt.IsZero())
	assert.Equal(t, "ES256", obj.Algorithm)
	assert.Equal(t, "ec-1", obj.KeyID)
}

func TestVerifyKeyTooSmallNoObject(t *testing.T) {
	k := keys(t)
	obj, errs := R.Verify(sign(k.small, baseClaims()), k.smallSet, fapiRules(), now)
	assert.Nil(t, obj, "an object verified with a too-small key must not be returned")
	require.Len(t, errs, 1)
	assert.Equal(t, R.ReasonKeyTooSmall, errs[0].Reason)
	assert.ErrorIs(t, errs[0], keysize.ErrTooSmall)
	var tooSmall *keysize.TooSmallError
	require.ErrorAs(t, errs[0], &tooSmall)
	assert.Equal(t, 1024, tooSmall.Bits)
}

func TestVerifyAlgMessages(t *testing.T) {
	k := keys(t)
	rules := fapiRules()
	rules.ClientAlgorithm = "PS256"
	_, errs := R.Verify(sign(k.ec, baseClaims()), k.set, rules, now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "registered request_object_signing_alg PS256")
	assert.ErrorIs(t, errs[0], R.ReasonAlgNotAllowed)
	assert.NotErrorIs(t, errs[0], R.ReasonSignatureInvalid)

	rules.ClientAlgorithm = "RS256"
	_, errs = R.Verify(sign(k.rsa, baseClaims()), k.set, rules, now)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, `"RS256" is not allowed`)
}

func TestReasonError(t *testing.T) {
	assert.Equal(t, "request object: expired", R.ReasonExpired.Error())
	e := &R.Error{Reason: R.ReasonExpired, Message: "m"}
	assert.ErrorIs(t, e, R.ReasonExpired)
	assert.NotErrorIs(t, e, R.ReasonExpMissing)
	assert.False(t, e.Is(errors.New("request object: expired")))
	assert.Nil(t, e.Unwrap())
}

func TestUnverifiedScope(t *testing.T) {
	k := keys(t)
	big := sign(k.rsa, claimsWith("scope", "openid payments", "pad", strings.Repeat("a", R.DefaultMaxSize)))
	cases := []struct {
		name    string
		token   string
		maxSize int
		want    []string
		ok      bool
	}{
		{"valid", sign(k.rsa, baseClaims()), 0, []string{"openid", "accounts"}, true},
		{"bad signature is not looked at", fixtures.Tamper(sign(k.rsa, claimsWith("scope", "payments"))), 0, []string{"payments"}, true},
		{"extra spaces", sign(k.rsa, claimsWith("scope", "  openid \t payments ")), 0, []string{"openid", "payments"}, true},
		{"no scope", sign(k.rsa, claimsWith("scope", nil)), 0, nil, true},
		// Unreadable: the caller must assume the strictest profile.
		{"scope an array", sign(k.rsa, claimsWith("scope", []string{"payments"})), 0, nil, false},
		{"duplicate scope", fixtures.SignRawPayload(k.rsa, "PS256", `{"scope":"openid","scope":"payments"}`), 0, nil, false},
		{"unsigned", fixtures.Unsigned("none", claimsWith("scope", "payments")), 0, nil, false},
		{"garbage", "garbage", 0, nil, false},
		{"empty", "", 0, nil, false},
		{"three garbage parts", "a.b.c", 0, nil, false},
		{"payload not JSON", fixtures.Raw(`{"alg":"PS256"}`, `scope=payments`, []byte("sig")), 0, nil, false},
		{"JWE", "a.b.c.d.e", 0, nil, false},
		{"larger than the limit", big, 0, nil, false},
		{"within a larger limit", big, 2 * R.DefaultMaxSize, []string{"openid", "payments"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := R.UnverifiedScope(tc.token, tc.maxSize)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.ok, ok)
		})
	}
}

// TestUnverifiedScopeAgreesWithVerify checks that whenever Verify returns an
// object carrying a well-formed scope, UnverifiedScope saw the same scope:
// the profile is chosen from what Verify will accept.
func TestUnverifiedScopeAgreesWithVerify(t *testing.T) {
	k := keys(t)
	for _, size := range []int{0, R.DefaultMaxSize / 2, R.DefaultMaxSize, 2 * R.DefaultMaxSize} {
		tok := sign(k.ec, claimsWith("scope", "openid payments", "pad", strings.Repeat("p", size)))
		rules := fapiRules()
		rules.MaxSize = 4 * R.DefaultMaxSize
		obj, errs := R.Verify(tok, k.set, rules, now)
		require.Empty(t, errs)
		p, ok := obj.Param("scope")
		require.True(t, ok)
		got, ok := R.UnverifiedScope(tok, rules.MaxSize)
		assert.True(t, ok)
		assert.Equal(t, strings.Fields(p.Value), got, "pad %d", size)
	}
}
