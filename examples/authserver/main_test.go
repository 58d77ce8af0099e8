package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
)

func TestPrintSampleRequest(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-print-sample-request", "-addr", "127.0.0.1:9443"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	s := out.String()
	assert.Contains(t, s, "Discovery URL: https://127.0.0.1:9443/.well-known/openid-configuration")
	assert.Contains(t, s, `"client_id": "sample-client"`)
	assert.Contains(t, s, "TEST-ONLY private JWK")
	assert.Contains(t, s, "profile fapi2-security", "FAPI 2.0 Security Profile by default")
	assert.Contains(t, s, "https://127.0.0.1:9443/par")
	assert.Contains(t, s, "https://127.0.0.1:9443/authorize?client_id=sample-client&request_uri=")
	assert.Contains(t, s, "code_verifier:")
}

func TestClientConfigAndKey(t *testing.T) {
	// A saved client and its key reproduce a usable sample request.
	sc, err := server.NewSampleClient(server.DefaultProfile, "saved-client")
	require.NoError(t, err)
	dir := t.TempDir()
	cfg, key := filepath.Join(dir, "client.json"), filepath.Join(dir, "key.jwk")
	cfgJSON, err := jsonMarshal(sc.Client)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, cfgJSON, 0o600))
	jwk, err := sc.PrivateJWK()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(key, jwk, 0o600))

	var out, errOut bytes.Buffer
	code := run([]string{"-print-sample-request", "-issuer", "https://as.example.com", "-client-config", cfg, "-client-key", key}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "client_id=saved-client&request_uri=")
	assert.NotContains(t, out.String(), "TEST-ONLY", "a key the tester supplied is not printed back")
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"client_id":"c","redirect_uri":["https://x.example/cb"]}`), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown member in client config", []string{"-print-sample-request", "-client-config", typo}, `unknown client metadata member "redirect_uri"`},
		{"unknown profile", []string{"-print-sample-request", "-profile", "fapi3"}, `profile "fapi3" is not one this server runs`},
		{"key without config", []string{"-print-sample-request", "-client-key", typo}, "-client-key needs -client-config"},
		{"http issuer", []string{"-print-sample-request", "-issuer", "http://as.example.com"}, "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.NotEqual(t, 0, run(tt.args, &out, &errOut))
			assert.True(t, strings.Contains(errOut.String(), tt.want), errOut.String())
		})
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }
