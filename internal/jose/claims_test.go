package jose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

const maxNumericDate = 253402300799 // 9999-12-31T23:59:59Z

func TestDecodeClaimsValid(t *testing.T) {
	c, err := jose.DecodeClaims([]byte(mustJSON(t, sample)))
	require.NoError(t, err)
	assert.Equal(t, jose.StringClaim{Value: "client-1", Present: true}, c.Issuer)
	assert.Equal(t, jose.StringClaim{Value: "client-1", Present: true}, c.Subject)
	assert.Equal(t, jose.StringClaim{Value: sample["jti"].(string), Present: true}, c.JWTID)
	assert.Equal(t, jose.Audience{Values: []string{"https://as.example.com"}, Present: true}, c.Audience)
	assert.Equal(t, jose.NumericDate{Unix: 1900000000, Present: true}, c.Expiry)
	assert.Equal(t, jose.NumericDate{Unix: 1700000000, Present: true}, c.NotBefore)
	assert.Equal(t, jose.NumericDate{Unix: 1700000000, Present: true}, c.IssuedAt)
	assert.Equal(t, time.Date(2030, 3, 17, 17, 46, 40, 0, time.UTC), c.Expiry.Time())
	assert.Len(t, c.Members, len(sample))
	m, ok := c.Lookup("iss")
	require.True(t, ok)
	assert.Equal(t, strictjson.String, m.Kind)
	assert.Equal(t, `"client-1"`, string(m.Raw))
	_, ok = c.Lookup("ISS")
	assert.False(t, ok)
	assert.True(t, c.Audience.Contains("https://as.example.com"))
	assert.False(t, c.Audience.Contains("https://as.example.com/"))

	empty, err := jose.DecodeClaims([]byte(`{}`))
	require.NoError(t, err)
	assert.False(t, empty.Issuer.Present)
	assert.False(t, empty.Audience.Present)
	assert.False(t, empty.Expiry.Present)
	assert.Zero(t, empty.Expiry.Unix)
}

func TestDecodeClaimsTypes(t *testing.T) {
	type want struct {
		ok     bool
		unix   int64
		syntax bool // not JSON at all: the error names the payload
	}
	stringClaims := []string{"iss", "sub", "jti"}
	dateClaims := []string{"exp", "nbf", "iat"}
	stringValues := []struct {
		raw string
		ok  bool
		v   string
	}{
		{`"a"`, true, "a"},
		{`""`, true, ""},
		{`"\u00e9\ud83d\ude00"`, true, "é😀"},
		{`"https://client.example.org"`, true, "https://client.example.org"},
		{`1`, false, ""},
		{`1.5`, false, ""},
		{`-1`, false, ""},
		{`1e3`, false, ""},
		{`null`, false, ""},
		{`true`, false, ""},
		{`false`, false, ""},
		{`["a"]`, false, ""},
		{`[]`, false, ""},
		{`{"a":"b"}`, false, ""},
		{`{}`, false, ""},
	}
	for _, name := range stringClaims {
		for _, v := range stringValues {
			t.Run(name+"="+v.raw, func(t *testing.T) {
				c, err := jose.DecodeClaims([]byte(`{"` + name + `":` + v.raw + `}`))
				if !v.ok {
					assert.Nil(t, c)
					assertKind(t, err, jose.ErrMalformed)
					assertField(t, err, name)
					return
				}
				require.NoError(t, err)
				got := map[string]jose.StringClaim{"iss": c.Issuer, "sub": c.Subject, "jti": c.JWTID}[name]
				assert.Equal(t, jose.StringClaim{Value: v.v, Present: true}, got)
			})
		}
	}

	dateValues := []struct {
		raw string
		w   want
	}{
		{`0`, want{true, 0, false}},
		{`-0`, want{true, 0, false}},
		{`1`, want{true, 1, false}},
		{`1700000000`, want{true, 1700000000, false}},
		{`253402300799`, want{true, maxNumericDate, false}},
		{`253402300800`, want{false, 0, false}},
		{`9223372036854775807`, want{false, 0, false}},
		{`9223372036854775808`, want{false, 0, false}},
		{`99999999999999999999999999`, want{false, 0, false}},
		{`-1`, want{false, 0, false}},
		{`-9223372036854775808`, want{false, 0, false}},
		// RFC 7519 §2: non-integer values are NumericDates too.
		{`1.5`, want{true, 1, false}},
		{`1.0`, want{true, 1, false}},
		{`1700000000.0`, want{true, 1700000000, false}},
		{`1700000000.999`, want{true, 1700000000, false}},
		{`1e3`, want{true, 1000, false}},
		{`1E3`, want{true, 1000, false}},
		{`1e+3`, want{true, 1000, false}},
		{`17e8`, want{true, 1700000000, false}},
		{`1.7e9`, want{true, 1700000000, false}},
		{`1e300`, want{false, 0, false}},
		{`1e99999999999999999999`, want{false, 0, false}},
		{`-1e300`, want{false, 0, false}},
		{`-0.5`, want{false, 0, false}},
		{`1e-3`, want{true, 0, false}},
		// RFC 8259 §9: precision is bounded at 1e-64 s; zero is zero
		// whatever its exponent.
		{`1e-64`, want{true, 0, false}},
		{`1.5e-63`, want{true, 0, false}},
		{`1e-65`, want{false, 0, false}},
		{`1e-99999999999`, want{false, 0, false}},
		{`0e-99999999999`, want{true, 0, false}},
		{`0.000e99999999999`, want{true, 0, false}},
		{`-0.0`, want{true, 0, false}},
		{`-0e5`, want{true, 0, false}},
		{`1700000000.000000000001`, want{true, 1700000000, false}},
		{`1E+9`, want{true, 1000000000, false}},
		{`2.53402300799e11`, want{true, maxNumericDate, false}},
		{`25340230079.9e1`, want{true, maxNumericDate, false}},
		{`2.534023008e11`, want{false, 0, false}},
		{`1e11`, want{true, 100000000000, false}},
		{`1e12`, want{false, 0, false}},
		{`0.1e13`, want{false, 0, false}},
		{`1700000000e-0`, want{true, 1700000000, false}},
		{`1700000000.5e+0`, want{true, 1700000000, false}},
		{`"1700000000.5"`, want{false, 0, false}},
		{`"1.7e9"`, want{false, 0, false}},
		{`-1700000000.5`, want{false, 0, false}},
		{`-1e-3`, want{false, 0, false}},
		{`1.` + strings.Repeat("0", 61) + `1`, want{true, 1, false}},
		{`1.` + strings.Repeat("0", 62) + `1`, want{false, 0, false}},
		{`0.0`, want{true, 0, false}},
		{`253402300799.0`, want{true, maxNumericDate, false}},
		{`253402300799.000000000001`, want{false, 0, false}},
		{`1` + strings.Repeat("0", 70), want{false, 0, false}},
		{`01700000000`, want{false, 0, true}},
		{`"1700000000"`, want{false, 0, false}},
		{`""`, want{false, 0, false}},
		{`null`, want{false, 0, false}},
		{`true`, want{false, 0, false}},
		{`false`, want{false, 0, false}},
		{`[1700000000]`, want{false, 0, false}},
		{`[]`, want{false, 0, false}},
		{`{}`, want{false, 0, false}},
		{`{"$date":1700000000}`, want{false, 0, false}},
	}
	for _, name := range dateClaims {
		for _, v := range dateValues {
			t.Run(name+"="+v.raw, func(t *testing.T) {
				c, err := jose.DecodeClaims([]byte(`{"` + name + `":` + v.raw + `}`))
				if !v.w.ok {
					assert.Nil(t, c)
					assertKind(t, err, jose.ErrMalformed)
					if v.w.syntax {
						assertField(t, err, "payload")
					} else {
						assertField(t, err, name)
					}
					return
				}
				require.NoError(t, err)
				got := map[string]jose.NumericDate{"exp": c.Expiry, "nbf": c.NotBefore, "iat": c.IssuedAt}[name]
				assert.Equal(t, v.w.unix, got.Unix)
				assert.True(t, got.Present)
				if got.Nanos == 0 && got.Sub == "" {
					assert.Equal(t, v.w.unix, got.Time().Unix())
				}
			})
		}
	}
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var je *jose.Error
	if assert.ErrorAs(t, err, &je) {
		assert.Equal(t, field, je.Field)
	}
}

func TestDecodeClaimsAudience(t *testing.T) {
	tests := []struct {
		raw     string
		ok      bool
		values  []string
		isArray bool
	}{
		{`"https://as.example.com"`, true, []string{"https://as.example.com"}, false},
		{`""`, true, []string{""}, false},
		{`["https://as.example.com"]`, true, []string{"https://as.example.com"}, true},
		{`["a","b"]`, true, []string{"a", "b"}, true},
		{`[ "a" , "b" ]`, true, []string{"a", "b"}, true},
		{`["a","a"]`, true, []string{"a", "a"}, true},
		{`[]`, false, nil, false},
		{`[ ]`, false, nil, false},
		{`["a",1]`, false, nil, false},
		{`[1]`, false, nil, false},
		{`["a",null]`, false, nil, false},
		{`["a",["b"]]`, false, nil, false},
		{`["a",{"b":1}]`, false, nil, false},
		{`["a",true]`, false, nil, false},
		{`{"aud":"a"}`, false, nil, false},
		{`{}`, false, nil, false},
		{`1`, false, nil, false},
		{`null`, false, nil, false},
		{`true`, false, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			c, err := jose.DecodeClaims([]byte(`{"aud":` + tc.raw + `}`))
			if !tc.ok {
				assert.Nil(t, c)
				assertKind(t, err, jose.ErrMalformed)
				assertField(t, err, "aud")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, jose.Audience{Values: tc.values, IsArray: tc.isArray, Present: true}, c.Audience)
		})
	}
}

func TestDecodeClaimsRefusals(t *testing.T) {
	nest := func(depth int) string {
		// depth objects in total, counting the claim set itself.
		return strings.Repeat(`{"a":`, depth-1) + `{}` + strings.Repeat(`}`, depth-1)
	}
	members := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = `"c` + itoa(i) + `":1`
		}
		return `{` + strings.Join(parts, ",") + `}`
	}
	tests := []struct {
		name    string
		payload string
		field   string
	}{
		{"empty", ``, "payload"},
		{"whitespace", ` `, "payload"},
		{"array", `[{"iss":"a"}]`, "payload"},
		{"string", `"iss"`, "payload"},
		{"number", `1`, "payload"},
		{"null", `null`, "payload"},
		{"trailing data", `{"iss":"a"}x`, "payload"},
		{"two objects", `{"iss":"a"}{"iss":"b"}`, "payload"},
		{"trailing comma", `{"iss":"a",}`, "payload"},
		{"BOM", "\xef\xbb\xbf{}", "payload"},
		{"invalid UTF-8 in value", "{\"iss\":\"\xff\"}", "payload"},
		{"invalid UTF-8 in name", "{\"\xc3\":1}", "payload"},
		{"lone surrogate", `{"iss":"\udc00"}`, "payload"},
		{"control character", "{\"iss\":\"a\x01\"}", "payload"},
		{"duplicate iss", `{"iss":"a","iss":"a"}`, "payload"},
		{"duplicate sub, different values", `{"sub":"alice","sub":"admin"}`, "payload"},
		{"duplicate aud", `{"aud":"a","aud":["b"]}`, "payload"},
		{"duplicate exp", `{"exp":1,"exp":2}`, "payload"},
		{"duplicate custom claim", `{"scope":"openid","scope":"openid admin"}`, "payload"},
		{"duplicate via escape", `{"iss":"a","\u0069ss":"b"}`, "payload"},
		{"duplicate nested", `{"claims":{"id_token":{"acr":{"essential":true},"acr":null}}}`, "payload"},
		{"duplicate deep in an array", `{"authorization_details":[{"type":"a"},{"type":"b","type":"c"}]}`, "payload"},
		{"duplicate after many members", members(40)[:len(members(40))-1] + `,"c3":2}`, "payload"},
		{"null iss", `{"iss":null}`, "iss"},
		{"null aud", `{"aud":null}`, "aud"},
		{"null exp", `{"exp":null}`, "exp"},
		{"null nonce", `{"nonce":null}`, "nonce"},
		{"null custom claim", `{"iss":"a","x-claim":null}`, "x-claim"},
		{"nested beyond the limit", `{"claims":` + nest(16) + `}`, "payload"},
		{"array nesting beyond the limit", `{"a":` + strings.Repeat(`[`, 16) + strings.Repeat(`]`, 16) + `}`, "payload"},
		{"very deep nesting", `{"a":` + strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000) + `}`, "payload"},
		{"too many members", members(257), "payload"},
		{"single quotes", `{'iss':'a'}`, "payload"},
		{"NaN", `{"exp":NaN}`, "payload"},
		{"Infinity", `{"exp":Infinity}`, "payload"},
		{"hex", `{"exp":0x10}`, "payload"},
		{"plus sign", `{"exp":+1}`, "payload"},
		{"comment", `{"iss":"a"/*x*/}`, "payload"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c *jose.Claims
			var err error
			require.NotPanics(t, func() { c, err = jose.DecodeClaims([]byte(tc.payload)) })
			assert.Nil(t, c)
			assertKind(t, err, jose.ErrMalformed)
			assertField(t, err, tc.field)
		})
	}
}

func TestDecodeClaimsLimitsAndNesting(t *testing.T) {
	nest := func(depth int) string {
		return strings.Repeat(`{"a":`, depth-1) + `{}` + strings.Repeat(`}`, depth-1)
	}
	// The claim set is depth 1; sixteen levels in all are accepted.
	_, err := jose.DecodeClaims([]byte(`{"claims":` + nest(15) + `}`))
	require.NoError(t, err)
	_, err = jose.DecodeClaims([]byte(`{"claims":` + nest(16) + `}`))
	assertKind(t, err, jose.ErrMalformed)

	parts := make([]string, 256)
	for i := range parts {
		parts[i] = `"c` + itoa(i) + `":1`
	}
	c, err := jose.DecodeClaims([]byte(`{` + strings.Join(parts, ",") + `}`))
	require.NoError(t, err)
	assert.Len(t, c.Members, 256)

	// null is refused as a claim value, but the OIDC "claims" request
	// parameter (OIDC Core §5.5) uses null inside it to request a claim
	// with default behaviour, so null is accepted below the top level.
	c, err = jose.DecodeClaims([]byte(`{"claims":{"userinfo":{"email":null,"given_name":{"essential":true}},"id_token":{"auth_time":null}}}`))
	require.NoError(t, err)
	m, ok := c.Lookup("claims")
	require.True(t, ok)
	assert.Equal(t, strictjson.Object, m.Kind)

	// Registered claim names are exact: other spellings are other claims.
	c, err = jose.DecodeClaims([]byte(`{"ISS":1,"Exp":"x","aud ":{}}`))
	require.NoError(t, err)
	assert.False(t, c.Issuer.Present)
	assert.False(t, c.Expiry.Present)
	assert.False(t, c.Audience.Present)

	// Escaped registered names are the registered claims.
	c, err = jose.DecodeClaims([]byte(`{"\u0069ss":"a","\u0065xp":5}`))
	require.NoError(t, err)
	assert.Equal(t, "a", c.Issuer.Value)
	assert.Equal(t, int64(5), c.Expiry.Unix)
}
