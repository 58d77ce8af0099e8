package requestobject_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	R "github.com/fapicheck/fapicheck/requestobject"
)

func TestParseClaimsValid(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want *R.ClaimsRequest
	}{
		{"empty object", `{}`, &R.ClaimsRequest{}},
		{"whitespace around", " \t\r\n{}\n ", &R.ClaimsRequest{}},
		{"null claim requests", `{"id_token":{"auth_time":null},"userinfo":{"email":null}}`, &R.ClaimsRequest{
			IDToken:  map[string]R.ClaimRequest{"auth_time": {}},
			UserInfo: map[string]R.ClaimRequest{"email": {}},
		}},
		{"essential true and false", `{"id_token":{"acr":{"essential":true},"email":{"essential":false}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {Essential: true}, "email": {}},
		}},
		{"value", `{"id_token":{"sub":{"value":"248289761001"}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"sub": {Values: []string{`"248289761001"`}}},
		}},
		{"value of any non-null JSON type", `{"userinfo":{"n":{"value":1.5},"o":{"value":{"a":[1]}},"b":{"value":false}}}`, &R.ClaimsRequest{
			UserInfo: map[string]R.ClaimRequest{"n": {Values: []string{"1.5"}}, "o": {Values: []string{`{"a":[1]}`}}, "b": {Values: []string{"false"}}},
		}},
		{"values, one element each", `{"id_token":{"acr":{"essential":true,"values":[ "urn:mace:incommon:iap:silver" , "urn:x" ]}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {Essential: true, Values: []string{`"urn:mace:incommon:iap:silver"`, `"urn:x"`}}},
		}},
		{"sections without claims", `{"id_token":{},"userinfo":{}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{}, UserInfo: map[string]R.ClaimRequest{},
		}},
		{"empty claim name is a name", `{"id_token":{"":{"essential":true}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"": {Essential: true}},
		}},
		{"values empty", `{"id_token":{"acr":{"values":[]}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {}},
		}},
		{"values of mixed types", `{"id_token":{"x":{"values":[1,"a",null,[2],{"b":true}]}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"x": {Values: []string{"1", `"a"`, "null", "[2]", `{"b":true}`}}},
		}},
		{"unknown members of a claim request are ignored", `{"id_token":{"acr":{"essential":true,"purpose":"x"}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {Essential: true}},
		}},
		{"other top-level members are ignored", `{"id_token":{},"verified_claims":[1,2],"x":"y"}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{},
		}},
		{"escaped names", `{"id_t\u006fken":{"\u0061cr":{"essential":true}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {Essential: true}},
		}},
		{"names differing in case are different", `{"id_token":{"acr":null,"ACR":{"essential":true}}}`, &R.ClaimsRequest{
			IDToken: map[string]R.ClaimRequest{"acr": {}, "ACR": {Essential: true}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := R.ParseClaims([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseClaimsMalformed(t *testing.T) {
	deep := `{"id_token":{"x":{"value":` + strings.Repeat("[", 6) + strings.Repeat("]", 6) + `}}}`
	var many strings.Builder
	many.WriteString(`{"id_token":{`)
	for i := range 257 {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`"c` + strings.Repeat("x", i) + `":null`)
	}
	many.WriteString(`}}`)
	cases := []struct{ name, in string }{
		{"empty", ``},
		{"only whitespace", `   `},
		{"not JSON", `id_token=acr`},
		{"single quotes", `{'id_token':{}}`},
		{"trailing comma", `{"id_token":{},}`},
		{"trailing data", `{"id_token":{}} {}`},
		{"byte order mark", "\xef\xbb\xbf{}"},
		{"invalid UTF-8", "{\"id_token\":{\"\xff\":null}}"},
		{"lone surrogate escape", `{"id_token":{"\ud800":null}}`},
		{"an array", `[{"id_token":{}}]`},
		{"a string", `"{}"`},
		{"null", `null`},
		{"id_token a string", `{"id_token":"acr"}`},
		{"id_token an array", `{"id_token":["acr"]}`},
		{"id_token null", `{"id_token":null}`},
		{"userinfo a number", `{"userinfo":1}`},
		{"member a string", `{"id_token":{"acr":"essential"}}`},
		{"member a boolean", `{"id_token":{"acr":true}}`},
		{"member an array", `{"userinfo":{"email":[]}}`},
		{"essential a string", `{"id_token":{"acr":{"essential":"true"}}}`},
		{"essential a number", `{"id_token":{"acr":{"essential":1}}}`},
		{"essential null", `{"id_token":{"acr":{"essential":null}}}`},
		{"values a string", `{"id_token":{"acr":{"values":"urn:x"}}}`},
		{"values an object", `{"id_token":{"acr":{"values":{}}}}`},
		{"values null", `{"id_token":{"acr":{"values":null}}}`},
		{"value null", `{"id_token":{"acr":{"value":null}}}`},
		{"duplicate top-level member", `{"id_token":{},"id_token":{"acr":{"essential":true}}}`},
		{"duplicate claim", `{"id_token":{"acr":null,"acr":{"essential":true}}}`},
		{"duplicate claim after unescaping", `{"id_token":{"acr":null,"\u0061cr":{"essential":true}}}`},
		{"duplicate essential", `{"id_token":{"acr":{"essential":false,"essential":true}}}`},
		{"duplicate deep inside an ignored member", `{"x":{"a":1,"a":2},"id_token":{}}`},
		{"too deep", deep},
		{"too many members", many.String()},
		{"over MaxClaimsSize", `{"id_token":{}}` + strings.Repeat(" ", R.MaxClaimsSize)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := R.ParseClaims([]byte(tc.in))
			require.Error(t, err)
			assert.Nil(t, got)
			assert.True(t, errors.Is(err, R.ErrClaimsMalformed), "%v", err)
			assert.True(t, strings.HasPrefix(err.Error(), R.ErrClaimsMalformed.Error()+": "), "%v", err)
		})
	}
}

func TestParseClaimsSizeBoundary(t *testing.T) {
	body := `{"id_token":{"acr":{"essential":true}}}`
	exact := body + strings.Repeat(" ", R.MaxClaimsSize-len(body))
	require.Len(t, exact, R.MaxClaimsSize)
	c, err := R.ParseClaims([]byte(exact))
	require.NoError(t, err)
	assert.True(t, c.EssentialIDTokenClaim("acr"))

	_, err = R.ParseClaims([]byte(exact + " "))
	assert.ErrorIs(t, err, R.ErrClaimsMalformed)
}

func TestParseClaimsDepthBoundary(t *testing.T) {
	// The limit is 8 levels in all: the claims object, id_token and the
	// claim request make 3, so a value may nest 5 levels deep.
	ok := `{"id_token":{"x":{"value":` + strings.Repeat("[", 5) + strings.Repeat("]", 5) + `}}}`
	_, err := R.ParseClaims([]byte(ok))
	require.NoError(t, err)
	tooDeep := `{"id_token":{"x":{"value":` + strings.Repeat("[", 6) + strings.Repeat("]", 6) + `}}}`
	_, err = R.ParseClaims([]byte(tooDeep))
	assert.ErrorIs(t, err, R.ErrClaimsMalformed)
}

func TestParseClaimsErrorNamesThePlace(t *testing.T) {
	_, err := R.ParseClaims([]byte(`{"userinfo":{"email":{"essential":"yes"}}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "userinfo.email.essential must be a boolean, not string")
}

func TestEssentialIDTokenClaim(t *testing.T) {
	var none *R.ClaimsRequest
	assert.False(t, none.EssentialIDTokenClaim("acr"), "nil request")

	c, err := R.ParseClaims([]byte(`{"id_token":{"acr":{"essential":true},"amr":{"essential":false},"auth_time":null},` +
		`"userinfo":{"email":{"essential":true}}}`))
	require.NoError(t, err)
	assert.True(t, c.EssentialIDTokenClaim("acr"))
	assert.False(t, c.EssentialIDTokenClaim("amr"), "essential false")
	assert.False(t, c.EssentialIDTokenClaim("auth_time"), "null")
	assert.False(t, c.EssentialIDTokenClaim("email"), "essential only in userinfo")
	assert.False(t, c.EssentialIDTokenClaim("ACR"), "names are case-sensitive")
	assert.False(t, c.EssentialIDTokenClaim("nonexistent"))
	assert.False(t, (&R.ClaimsRequest{}).EssentialIDTokenClaim("acr"), "no id_token member")
}

func TestEssentialIDTokenClaimValues(t *testing.T) {
	tests := []struct {
		name      string
		claims    string
		essential bool
		values    []string
		err       bool
	}{
		{"values", `{"id_token":{"acr":{"essential":true,"values":["a","b"]}}}`, true, []string{`"a"`, `"b"`}, false},
		{"value", `{"id_token":{"acr":{"essential":true,"value":"a"}}}`, true, []string{`"a"`}, false},
		{"essential without values", `{"id_token":{"acr":{"essential":true}}}`, true, nil, false},
		{"values but not essential", `{"id_token":{"acr":{"values":["a"]}}}`, false, nil, false},
		{"only in userinfo", `{"userinfo":{"acr":{"essential":true,"values":["a"]}}}`, false, nil, false},
		{"non-string value kept as JSON", `{"id_token":{"acr":{"essential":true,"values":[1]}}}`, true, []string{`1`}, false},
		{"malformed", `{"id_token":{"acr":{"essential":true,"value":"a","values":["b"]}}}`, false, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			essential, values, err := R.EssentialIDTokenClaimValues([]byte(tt.claims), "acr")
			assert.Equal(t, tt.err, err != nil, "%v", err)
			assert.Equal(t, tt.essential, essential)
			assert.Equal(t, tt.values, values)
			e2, err2 := R.EssentialIDTokenClaim([]byte(tt.claims), "acr")
			assert.Equal(t, e2, essential, "agrees with EssentialIDTokenClaim")
			assert.Equal(t, err2 != nil, err != nil)
		})
	}
}
