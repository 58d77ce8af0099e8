package requestobject_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	R "github.com/fapicheck/fapicheck/requestobject"
)

// objectOf verifies a request object with the given literal claim set.
func objectOf(t *testing.T, payload string) *R.Object {
	t.Helper()
	k := keys(t)
	rules := fapiRules()
	rules.RequireExp, rules.RequireNbf, rules.RequireAud = false, false, false
	obj, errs := R.Verify(fixtures.SignRawPayload(k.rsa, "PS256", payload), k.set, rules, now)
	require.Empty(t, errs)
	require.NotNil(t, obj)
	return obj
}

const outsidePayload = `{"aud":"https://as.example.com","exp":1700000300,` +
	`"client_id":"s6BhdRkqt3","response_type":"code id_token","redirect_uri":"https://client.example.org/cb",` +
	`"scope":"openid accounts","state":"xyz","nonce":"n-1","max_age":300,"x_bool":true,"x_string_number":"300",` +
	`"claims":{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}}}`

// sameOutside is the outside form of every parameter of outsidePayload.
func sameOutside() url.Values {
	return url.Values{
		"client_id":       {"s6BhdRkqt3"},
		"response_type":   {"code id_token"},
		"redirect_uri":    {"https://client.example.org/cb"},
		"scope":           {"openid accounts"},
		"state":           {"xyz"},
		"nonce":           {"n-1"},
		"max_age":         {"300"},
		"x_bool":          {"true"},
		"x_string_number": {"300"},
		"claims":          {`{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}}`},
	}
}

type outsideErr struct {
	Reason R.Reason
	Claim  string
}

func TestCompareOutside(t *testing.T) {
	obj := objectOf(t, outsidePayload)
	with := func(kv ...string) url.Values {
		v := sameOutside()
		for i := 0; i+1 < len(kv); i += 2 {
			v[kv[i]] = []string{kv[i+1]}
		}
		return v
	}
	mismatch := func(name string) []outsideErr { return []outsideErr{{R.ReasonParamMismatch, name}} }
	cases := []struct {
		name    string
		outside url.Values
		want    []outsideErr
	}{
		{"nothing outside", url.Values{}, nil},
		{"nil outside", nil, nil},
		{"every parameter, same values", sameOutside(), nil},
		{"a subset", url.Values{"client_id": {"s6BhdRkqt3"}, "response_type": {"code id_token"}}, nil},
		{"missing inside", with("prompt", "login"), []outsideErr{{R.ReasonParamMissing, "prompt"}}},
		{"missing inside, empty value", with("prompt", ""), []outsideErr{{R.ReasonParamMissing, "prompt"}}},
		{"JWT claim outside is missing inside", with("exp", "1700000300"), []outsideErr{{R.ReasonParamMissing, "exp"}}},
		{"string mismatch", with("state", "xyz2"), mismatch("state")},
		{"string differs in case", with("response_type", "CODE id_token"), mismatch("response_type")},
		{"scope compares as a set", with("scope", "accounts openid"), nil},
		{"state does not compare as a set", with("state", "b a"), mismatch("state")},
		{"string differs by whitespace", with("state", "xyz "), mismatch("state")},
		{"empty string", with("nonce", ""), mismatch("nonce")},
		{"request ignored", with("request", "eyJ.x.y"), nil},
		{"request_uri ignored", with("request_uri", "urn:x"), nil},
		{"empty values ignored", url.Values{"prompt": {}}, nil},
		{"first of several values is compared", url.Values{"state": {"xyz", "other"}}, nil},
		{"first of several values differs", url.Values{"state": {"other", "xyz"}}, mismatch("state")},
		{"names visited in sorted order",
			url.Values{"state": {"bad"}, "a_extra": {"1"}, "nonce": {"bad"}, "client_id": {"bad"}, "z_extra": {"1"}, "claims": {"{}"}},
			[]outsideErr{{R.ReasonParamMissing, "a_extra"}, {R.ReasonParamMismatch, "claims"},
				{R.ReasonParamMismatch, "client_id"}, {R.ReasonParamMismatch, "nonce"},
				{R.ReasonParamMismatch, "state"}, {R.ReasonParamMissing, "z_extra"}}},

		// claims: compared as JSON.
		{"claims with other whitespace and order", with("claims", ` { "userinfo" : {"n":{"value":1.0}}, "id_token":{"auth_time":null,"acr":{"values":["urn:a","urn:b"],"essential":true}} } `), nil},
		{"claims with escaped text", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:\u0061","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}}`), nil},
		{"claims with another value", with("claims", `{"id_token":{"acr":{"essential":false,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}}`), mismatch("claims")},
		{"claims with values reordered", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:b","urn:a"]},"auth_time":null},"userinfo":{"n":{"value":1}}}`), mismatch("claims")},
		{"claims with a member less", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]}},"userinfo":{"n":{"value":1}}}`), mismatch("claims")},
		{"claims with a member more", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null,"x":null},"userinfo":{"n":{"value":1}}}`), mismatch("claims")},
		{"claims with a number where a string was", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":"1"}}}`), mismatch("claims")},
		{"claims with a duplicate member", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}},"userinfo":{}}`), mismatch("claims")},
		{"claims not JSON", with("claims", `{id_token:{}}`), mismatch("claims")},
		{"claims with trailing data", with("claims", `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}} x`), mismatch("claims")},

		// Numbers and booleans: compared by value, never as a string.
		{"max_age 300", with("max_age", "300"), nil},
		{"max_age 300.0", with("max_age", "300.0"), nil},
		{"max_age 3e2", with("max_age", "3e2"), nil},
		{"max_age 301", with("max_age", "301"), mismatch("max_age")},
		{"max_age \"300\" (a JSON string)", with("max_age", `"300"`), mismatch("max_age")},
		{"max_age 0300", with("max_age", "0300"), mismatch("max_age")},
		{"max_age +300", with("max_age", "+300"), mismatch("max_age")},
		{"max_age empty", with("max_age", ""), mismatch("max_age")},
		{"max_age 300.0000000000000001", with("max_age", "300.0000000000000001"), mismatch("max_age")},
		{"bool true", with("x_bool", "true"), nil},
		{"bool false", with("x_bool", "false"), mismatch("x_bool")},
		{"bool True", with("x_bool", "True"), mismatch("x_bool")},
		{"bool 1", with("x_bool", "1"), mismatch("x_bool")},
		{"bool \"true\"", with("x_bool", `"true"`), mismatch("x_bool")},
		{"string \"300\" inside equals 300 outside", with("x_string_number", "300"), nil},
		{"string \"300\" inside differs from 300.0 outside", with("x_string_number", "300.0"), mismatch("x_string_number")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := obj.CompareOutside(tc.outside)
			var got []outsideErr
			for _, e := range errs {
				got = append(got, outsideErr{e.Reason, e.Claim})
			}
			assert.Equal(t, tc.want, got, "%v", errs)
			checkErrorShape(t, errs)
			assert.Equal(t, errs, obj.CompareOutside(tc.outside), "deterministic")
		})
	}
}

func TestCompareOutsideNilObject(t *testing.T) {
	var obj *R.Object
	assert.Nil(t, obj.CompareOutside(url.Values{"state": {"x"}}))
}

func TestCompareOutsideMessages(t *testing.T) {
	obj := objectOf(t, outsidePayload)
	errs := obj.CompareOutside(url.Values{"state": {"evil"}, "prompt": {"none"}})
	require.Len(t, errs, 2)
	assert.Contains(t, errs[0].Message, "prompt")
	assert.Contains(t, errs[1].Message, `"evil"`)
	assert.Contains(t, errs[1].Message, `"xyz"`)
	assert.ErrorIs(t, errs[1], R.ReasonParamMismatch)
}

func TestParamEqual(t *testing.T) {
	num := func(j string) R.Param { return R.Param{Name: "n", Value: j, JSON: []byte(j)} }
	str := func(v, j string) R.Param { return R.Param{Name: "s", Value: v, IsString: true, JSON: []byte(j)} }
	cases := []struct {
		name    string
		p       R.Param
		outside string
		want    bool
	}{
		{"string equal", str("a b", `"a b"`), "a b", true},
		{"string not JSON-decoded outside", str("a", `"a"`), `"a"`, false},
		{"string with escapes", str("é", `"\u00e9"`), "é", true},
		{"integer", num("300"), "300", true},
		{"integer, other spelling", num("300"), "3.00e2", true},
		{"integer, capital E and plus", num("300"), "3E+2", true},
		{"zero and minus zero", num("0"), "-0", true},
		{"zero and 0.0e5", num("0"), "0.0e5", true},
		{"negative", num("-5"), "-5.0", true},
		{"sign matters", num("-5"), "5", false},
		{"fraction", num("0.5"), "5e-1", true},
		{"fraction differs", num("0.5"), "0.50000000000000001", false},
		{"beyond int64, equal", num("12345678901234567890"), "1.2345678901234567890e19", true},
		{"beyond int64, differs in the last digit", num("12345678901234567890"), "12345678901234567891", false},
		{"beyond float64 precision", num("9007199254740993"), "9007199254740992", false},
		{"huge exponent", num("1e400"), "10e399", true},
		{"huge exponent differs", num("1e400"), "1e401", false},
		{"exponent beyond int64", num("1e99999999999999999999"), "10e99999999999999999998", true},
		{"exponent of 64 digits", num("1e" + strings.Repeat("9", 64)), "10e" + strings.Repeat("9", 63) + "8", true},
		// Exponents of more than 64 digits are compared as text; 10000
		// digits keep the value within MaxClaimsSize, so it is decoded.
		{"exponent of 10000 digits, same text elsewhere in the value", num("[1e" + strings.Repeat("7", 10000) + "]"), "[ 1e" + strings.Repeat("7", 10000) + " ]", true},
		{"exponent of 10000 digits, other spelling", num("[1e" + strings.Repeat("7", 10000) + "]"), "[10e" + strings.Repeat("7", 9999) + "6]", false},
		{"exponent of 100000 digits, same text: too large to decode", num("[1e" + strings.Repeat("7", 100000) + "]"), "[ 1e" + strings.Repeat("7", 100000) + " ]", false},
		{"exponent of 100000 digits, same bytes", num("[1e" + strings.Repeat("7", 100000) + "]"), "[1e" + strings.Repeat("7", 100000) + "]", true},
		{"number vs JSON string", num("1"), `"1"`, false},
		{"number vs null", num("1"), "null", false},
		{"number vs invalid JSON", num("1"), "1.", false},
		{"number vs NaN", num("1"), "NaN", false},
		{"array", num(`[1,"a",true]`), ` [ 1.0 , "a", true ] `, true},
		{"array order", num(`[1,2]`), `[2,1]`, false},
		{"array of number vs string", num(`[1]`), `["1"]`, false},
		{"object nesting", num(`{"a":{"b":[1,{"c":2}]}}`), `{"a":{"b":[1e0,{"c":20e-1}]}}`, true},
		{"object vs array", num(`{}`), `[]`, false},
		{"invalid UTF-8 outside", num(`"x"`), "\"\xff\"", false},
		{"duplicate member outside", num(`{"a":1}`), `{"a":1,"a":1}`, false},
		{"bool", num("false"), "false", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.Equal(tc.outside))
		})
	}
}

func TestSetValuedParametersCompareAsSets(t *testing.T) {
	tests := []struct {
		name, inside, outside string
		equal                 bool
	}{
		{"response_type", "id_token code", "code id_token", true},
		{"scope", "openid payments", "payments openid", true},
		{"scope", "openid payments", "openid accounts", false},
		{"scope", "openid payments", "openid payments accounts", false},
		{"prompt", "login consent", "consent login", true},
		{"state", "a b", "b a", false},
		{"nonce", "n1", "n1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.outside, func(t *testing.T) {
			p := R.Param{Name: tt.name, Value: tt.inside, IsString: true}
			assert.Equal(t, tt.equal, p.Equal(tt.outside))
		})
	}
}
