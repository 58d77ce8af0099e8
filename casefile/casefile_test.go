package casefile_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
)

const minimal = `{"now":"2026-01-15T09:00:00Z","service":{"issuer":"https://as.example.com","response_types_supported":["code"]}}`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		field string
		msg   string
	}{
		{"not JSON", `{"service":`, "", "invalid JSON"},
		{"syntax error position", "{\n  \"service\": {,}\n}", "", "line 2, column"},
		{"not an object", `[1,2]`, "", "expected"},
		{"null", `null`, "", "a case file is a JSON object"},
		{"service missing", `{"now":"2026-01-15T09:00:00Z"}`, "service", "required"},
		{"service null", `{"service":null}`, "service", "required"},
		{"wrong type", `{"service":{"issuer":5}}`, "service.issuer", "expected a string"},
		{"nested wrong type", `{"service":{"scopes":[{"name":"a","attributes":"x"}]}}`, "service.scopes.attributes", "expected an array"},
		{"bad time", `{"now":"yesterday","service":{}}`, "now", ""},
		{"bad params", `{"service":{},"authorization_request":{"params":{"a":1}}}`, "authorization_request", "must be a string"},
		{"bad certificate", `{"service":{},"token_request":{"client_certificate":"junk"}}`, "token_request", "PEM"},
		{"invalid UTF-8", "{\"service\":{\"issuer\":\"\xff\"}}", "", "UTF-8"},
		{"nonce secret not base64url", `{"service":{"dpop_nonce_secret":"a+b/c="}}`, "service.dpop_nonce_secret", "base64url"},
		{"nonce secret padded", `{"service":{"dpop_nonce_secret":"` + nonceSecret + `="}}`, "service.dpop_nonce_secret", "base64url"},
		{"nonce secret too short", `{"service":{"dpop_nonce_secret":"c2hvcnQ"}}`, "service.dpop_nonce_secret", "too short"},
		{"nonce secret not a string", `{"service":{"dpop_nonce_secret":32}}`, "service.dpop_nonce_secret", "expected a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *casefile.Case
			var err error
			assert.NotPanics(t, func() { c, _, err = casefile.Parse([]byte(tt.input)) })
			require.Error(t, err)
			assert.Nil(t, c)
			var ce *casefile.Error
			require.True(t, errors.As(err, &ce), "%T", err)
			assert.Equal(t, tt.field, ce.Field)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestUnknownMembersWarn(t *testing.T) {
	c, warns, err := casefile.Parse([]byte(`{
		"now":"2026-01-15T09:00:00Z",
		"servce": {},
		"service":{"issuer":"https://as.example.com","scopez":[],"scopes":[{"name":"a","atributes":[]}]},
		"client":{"client_id":"c","jwks":{"keys":[],"anything":1}},
		"authorization_request":{"params":{"whatever":"x"},"extra":true},
		"token_request":{"params":{},"authorisation":{}}
	}`))
	require.NoError(t, err)
	require.NotNil(t, c)
	var paths []string
	for _, w := range warns {
		paths = append(paths, w.Path)
		assert.Contains(t, w.String(), "unknown member")
	}
	assert.ElementsMatch(t, []string{"servce", "service.scopez", "service.scopes[0].atributes", "authorization_request.extra", "token_request.authorisation"}, paths)
}

func TestNowAbsentWarns(t *testing.T) {
	_, warns, err := casefile.Parse([]byte(`{"service":{},"authorization_request":{"params":{}}}`))
	require.NoError(t, err)
	require.Len(t, warns, 1)
	assert.Equal(t, "now", warns[0].Path)

	_, warns, err = casefile.Parse([]byte(`{"service":{}}`))
	require.NoError(t, err)
	assert.Empty(t, warns, "a configuration-only case needs no time")
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good, []byte(minimal), 0o600))
	c, _, err := casefile.Load(good)
	require.NoError(t, err)
	assert.Equal(t, "https://as.example.com", c.Service.Issuer)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"service":{"issuer":[]}}`), 0o600))
	_, _, err = casefile.Load(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad)
	assert.Contains(t, err.Error(), "field service.issuer")

	_, _, err = casefile.Load(filepath.Join(dir, "absent.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "absent.json")

	huge := filepath.Join(dir, "huge.json")
	require.NoError(t, os.WriteFile(huge, make([]byte, casefile.MaxSize+10), 0o600))
	_, _, err = casefile.Load(huge)
	require.Error(t, err)
}

func TestRunWithoutRequests(t *testing.T) {
	c, _, err := casefile.Parse([]byte(minimal))
	require.NoError(t, err)
	rep := c.Run()
	assert.Equal(t, "none", string(rep.Profile))
	assert.Empty(t, rep.Violations)
}

func TestStrictMembers(t *testing.T) {
	_, _, err := casefile.Parse([]byte(`{"service":{"issuer":"a","issuer":"b"}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "duplicate")
	assert.Contains(t, err.Error(), "line 1")

	_, _, err = casefile.Parse([]byte(`{"service":{},"authorization_request":{"params":{"redirect_uri":"https://a","redirect_uri":"https://b"}}}`))
	require.Error(t, err, "a repeated parameter must be written as an array, not as two members")

}

// nonceSecret is 32 bytes in unpadded base64url.
const nonceSecret = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"

// TestDPoPNonceSecret: the service member dpop_nonce_secret is read as
// unpadded base64url, is not an unknown member, and its case variants are
// not applied.
func TestDPoPNonceSecret(t *testing.T) {
	c, warns, err := casefile.Parse([]byte(`{"service":{"issuer":"https://as.example.com","require_dpop_nonce":true,"dpop_nonce_secret":"` + nonceSecret + `"}}`))
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.Equal(t, []byte("0123456789abcdef0123456789abcdef"), c.DPoPNonceSecret)
	assert.True(t, c.Service.RequireDPoPNonce)
	assert.Equal(t, "https://as.example.com", c.Service.Issuer)

	c, warns, err = casefile.Parse([]byte(`{"service":{"DPoP_Nonce_Secret":"` + nonceSecret + `"}}`))
	require.NoError(t, err)
	require.Len(t, warns, 1)
	assert.Equal(t, "service.DPoP_Nonce_Secret", warns[0].Path)
	assert.Nil(t, c.DPoPNonceSecret)

	c, _, err = casefile.Parse([]byte(`{"service":{"dpop_nonce_secret":""}}`))
	require.NoError(t, err)
	assert.Nil(t, c.DPoPNonceSecret, "empty means none")

	// Without a secret, a service that requires nonces is refused by the
	// checks (the Checker has no source).
	c, _, err = casefile.Parse([]byte(`{"now":"2026-01-15T09:00:00Z","service":{"issuer":"https://as.example.com","response_types_supported":["code"],"require_dpop_nonce":true}}`))
	require.NoError(t, err)
	rep := c.Run()
	require.Len(t, rep.Violations, 1)
	assert.Equal(t, fapi.CodeServiceDPoPNonceSourceMissing, rep.Violations[0].Code)
	c.DPoPNonceSecret = []byte("0123456789abcdef0123456789abcdef")
	assert.Empty(t, c.Run().Violations)
	c.DPoPNonceSecret = []byte("short, set by hand")
	assert.Equal(t, fapi.CodeServiceDPoPNonceSourceMissing, c.Run().Violations[0].Code, "a secret New refuses gives no source")
}

// TestCaseVariantsIgnored: a member that differs from a known one only in
// letter case is an unknown member, named in a warning and not applied
// (encoding/json alone would apply it to the field it folds to).
func TestCaseVariantsIgnored(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		path   string
		known  string
		issuer string
		scope  string
	}{
		{name: "top-level struct member", input: `{"service":{"Issuer":"https://evil.example"}}`,
			path: "service.Issuer", known: "issuer"},
		{name: "beside the exact member", input: `{"service":{"issuer":"https://as.example.com","ISSUER":"https://evil.example"}}`,
			path: "service.ISSUER", known: "issuer", issuer: "https://as.example.com"},
		{name: "in an array element", input: `{"service":{"issuer":"https://as.example.com","scopes":[{"name":"a"},{"Name":"b"}]}}`,
			path: "service.scopes[1].Name", known: "name", issuer: "https://as.example.com", scope: "a,"},
		{name: "Kelvin sign folds to k", input: "{\"service\":{\"issuer\":\"https://as.example.com\",\"scopes\":[{\"name\":\"a\",\"attributes\":[{\"\u212aey\":\"fapi\"}]}]}}",
			path: "service.scopes[0].attributes[0].\u212aey", known: "key", issuer: "https://as.example.com", scope: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warns, err := casefile.Parse([]byte(tt.input))
			require.NoError(t, err, "an unknown member is never a failure")
			require.Len(t, warns, 1)
			assert.Equal(t, tt.path, warns[0].Path)
			assert.Contains(t, warns[0].Message, `did you mean "`+tt.known+`"`)
			assert.Equal(t, tt.issuer, c.Service.Issuer)
			var names []string
			for _, s := range c.Service.Scopes {
				names = append(names, s.Name)
				for _, a := range s.Attributes {
					assert.Empty(t, a.Key, "the variant of key must not be applied")
				}
			}
			if tt.scope != "" {
				assert.Equal(t, tt.scope, strings.Join(names, ","))
			}
		})
	}
}

// TestCnfVariantIgnored: a letter-case variant of an access token's cnf
// member (X5T#S256 for x5t#S256) is named in a warning and does not bind
// the token: the record then says nothing of a certificate.
func TestCnfVariantIgnored(t *testing.T) {
	c, warns, err := casefile.Parse([]byte(`{"now":"2026-01-15T09:00:00Z","service":{},
		"resource_request":{"authorization":"Bearer a","token":{"scope":"a","cnf":{"X5T#S256":"x","JKT":"k"}}}}`))
	require.NoError(t, err)
	require.Len(t, warns, 2)
	assert.Equal(t, "resource_request.token.cnf.JKT", warns[0].Path)
	assert.Equal(t, "resource_request.token.cnf.X5T#S256", warns[1].Path)
	require.NotNil(t, c.ResourceRequest.Token)
	assert.Empty(t, c.ResourceRequest.Token.CertificateThumbprint)
	assert.Empty(t, c.ResourceRequest.Token.DPoPJKT)
}

// TestExpectNotRead: a malformed expect is a warning, not an unreadable
// case (fapicheck counts the case as not as expected).
func TestExpectNotRead(t *testing.T) {
	c, warns, err := casefile.Parse([]byte(`{"now":"2026-01-15T09:00:00Z","service":{},"expect":{"violations":[{"code":"x"}]}}`))
	require.NoError(t, err)
	require.NotNil(t, c)
	assert.Nil(t, c.Expect)
	require.Len(t, warns, 1)
	assert.Equal(t, "expect", warns[0].Path)
	assert.Contains(t, warns[0].Message, "expect.violations")
}

// edit loads a corpus case as generic JSON, lets change edit it and parses
// the result.
func edit(t *testing.T, file string, change func(c map[string]any)) *casefile.Case {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, file))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	change(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	c, warns, err := casefile.Parse(out)
	require.NoError(t, err)
	require.Empty(t, warns)
	return c
}

func member(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

// TestRunProfileFromRequests: a case is one flow, and its requests' scopes
// decide the profile of the report and the rules the client registration is
// held to when it names no scope. The service of these cases offers a
// read-only scope (accounts) and a read-and-write one (payments).
func TestRunProfileFromRequests(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		change  func(c map[string]any)
		profile string
		codes   []string
	}{
		{name: "read-only flow, client registered without scope",
			file: "valid-ro-private-key-jwt.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
			},
			profile: "fapi1-read-only", codes: []string{}},
		{name: "read-only flow, neither the client nor the code record names a scope",
			file: "valid-ro-private-key-jwt.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
				delete(member(c, "token_request", "authorization"), "scope")
			},
			profile: "fapi1-read-only", codes: []string{}},
		{name: "public read-only flow, client registered without scope",
			file: "valid-ro-public-client.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
			},
			profile: "fapi1-read-only", codes: []string{}},
		{name: "scope only inside the request object, client registered without scope",
			file: "valid-ro-request-object.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
				delete(member(c, "authorization_request", "params"), "scope")
			},
			profile: "fapi1-read-only", codes: []string{}},
		{name: "read-and-write flow, client registered without scope",
			file: "valid-rw-private-key-jwt.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope") // already absent: the corpus case relies on it
			},
			profile: "fapi1-read-write", codes: []string{}},
		{name: "client registration alone, without scope: the strictest profile offered",
			file: "valid-ro-private-key-jwt.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
				delete(c, "authorization_request")
				delete(c, "token_request")
			},
			profile: "fapi1-read-write",
			codes:   []string{"client.response_type_not_allowed", "client.mtls_binding_disabled"}},
		{name: "a request for an undefined scope only: no FAPI profile",
			file: "valid-ro-public-client.json",
			change: func(c map[string]any) {
				delete(member(c, "client"), "scope")
				member(c, "authorization_request", "params")["scope"] = "undefined"
				delete(c, "token_request")
			},
			profile: "none", codes: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := edit(t, tt.file, tt.change)
			rep := c.Run()
			codes := []string{}
			for _, v := range rep.Violations {
				codes = append(codes, string(v.Code))
			}
			assert.Equal(t, tt.profile, string(rep.Profile), "chosen by %s", rep.ChosenBy)
			assert.Subset(t, codes, tt.codes)
			if len(tt.codes) == 0 {
				assert.Empty(t, codes, "%v", rep.Violations)
			}
		})
	}
}
