package casefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
)

const minimal = `{"now":"2026-01-15T09:00:00Z","service":{"issuer":"https://as.example.com"}}`

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

	_, _, err = casefile.Parse([]byte(`{"service":{"Issuer":"https://as.example.com"}}`))
	var ce *casefile.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "service.Issuer", ce.Field)
	assert.Contains(t, err.Error(), `did you mean "issuer"`)
}
