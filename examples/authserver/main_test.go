package main

import (
	"bytes"
	"encoding/json"
	"net"
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

func TestServiceFile(t *testing.T) {
	dir := t.TempDir()
	svc := filepath.Join(dir, "service.json")
	require.NoError(t, os.WriteFile(svc, []byte(`{"profile": "fapi1-advanced", "addr": "127.0.0.1:9555", "secrets": "secrets.json", "dpop-nonces-optional": true}`), 0o600))

	var out, errOut bytes.Buffer
	code := run([]string{"-print-sample-request", "-service", svc}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "profile fapi1-advanced")
	assert.Contains(t, out.String(), "Issuer:        https://127.0.0.1:9555")
	assert.FileExists(t, filepath.Join(dir, "secrets.json"), "relative to the service file, created when missing")

	// A flag on the command line wins over the file.
	out.Reset()
	code = run([]string{"-print-sample-request", "-service", svc, "-profile", "fapi2-message-signing"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "profile fapi2-message-signing")

	for name, body := range map[string]string{
		"unknown member":   `{"profil": "fapi1-advanced"}`,
		"wrong type":       `{"profile": 2}`,
		"the file itself":  `{"service": "other.json"}`,
		"bad boolean flag": `{"dpop-nonces-optional": "maybe"}`,
	} {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.json")
			require.NoError(t, os.WriteFile(bad, []byte(body), 0o600))
			var out, errOut bytes.Buffer
			assert.Equal(t, 2, run([]string{"-print-sample-request", "-service", bad}, &out, &errOut))
			assert.Contains(t, errOut.String(), "-service "+bad)
		})
	}
}

func TestSecretsFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "secrets.json")
	keys, secret, err := loadSecrets(name)
	require.NoError(t, err)
	info, err := os.Stat(name)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "secret material is private")
	keys2, secret2, err := loadSecrets(name)
	require.NoError(t, err)
	assert.Equal(t, secret, secret2, "read back, not made again")
	assert.True(t, keys.RSA.Equal(keys2.RSA))
	assert.True(t, keys.EC.Equal(keys2.EC))

	short := filepath.Join(t.TempDir(), "short.json")
	set, err := server.MarshalSigningKeys(keys)
	require.NoError(t, err)
	data, err := json.Marshal(secretsFile{SigningKeys: set, DPoPNonceSecret: b64([]byte("short"))})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(short, data, 0o600))
	_, _, err = loadSecrets(short)
	assert.ErrorContains(t, err, "dpop_nonce_secret")
}

func TestRedisFlag(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run([]string{"-print-sample-request", "-redis", "redis://" + addr + "/0"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "does not answer", "a Redis that does not answer stops the server at start")
	errOut.Reset()
	assert.Equal(t, 2, run([]string{"-print-sample-request", "-redis", "http://" + addr}, &out, &errOut))
	assert.Contains(t, errOut.String(), "-redis")
	assert.NotEqual(t, redisPrefix("https://a.example"), redisPrefix("https://b.example"), "one prefix per issuer")
}

// TestBannerHidesClientSecrets: the client configuration printed at start
// (standard output, which often goes to logs) never carries a client's
// client_secret (RFC 7591 §3.2.1: a credential of the client's), only the
// metadata around it.
func TestBannerHidesClientSecrets(t *testing.T) {
	const secret = "a-client-secret-of-32-characters"
	dir := t.TempDir()
	cfg := filepath.Join(dir, "clients.json")
	doc, err := json.Marshal(map[string]any{
		"client_id": "basic-client", "client_secret": secret, "token_endpoint_auth_method": "client_secret_basic",
		"redirect_uris": []string{"https://client.example.org/cb"}, "response_types": []string{"code"},
		"grant_types": []string{"authorization_code"}, "scope": "openid", "id_token_signed_response_alg": "PS256",
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, doc, 0o600))
	var out, errOut bytes.Buffer
	code := run([]string{"-print-sample-request", "-issuer", "https://as.example.com", "-client-config", cfg}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), `"client_id": "basic-client"`)
	assert.NotContains(t, out.String()+errOut.String(), secret)
}
