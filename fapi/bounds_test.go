package fapi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// plainSecretSetup is a service with FAPI off and a client_secret_basic
// client of it.
func plainSecretSetup() (*fapi.Service, *fapi.PreparedClient) {
	svc := service()
	svc.SupportedServiceProfiles = nil
	svc.TokenEndpointAuthMethodsSupported = []string{"client_secret_basic", "client_secret_post"}
	return svc, fapi.PrepareClient(fapi.Client{ClientID: "c1", ClientSecret: "s3cret-s3cret", RedirectURIs: []string{cb},
		TokenEndpointAuthMethod: "client_secret_basic", Scope: "openid"})
}

func plainTokenRequest(basic *fapi.BasicAuth) *fapi.TokenRequest {
	return &fapi.TokenRequest{
		Params:        fapi.Params{"grant_type": {"authorization_code"}, "code": {"abc"}, "redirect_uri": {cb}},
		BasicAuth:     basic,
		Authorization: &fapi.AuthorizationRecord{ClientID: "c1", RedirectURI: cb, Scope: "openid"},
	}
}

// TestClientSecretAuthentication: under plain OAuth 2.0 a client's secret
// is verified as it registered to send it (RFC 6749 §2.3.1).
func TestClientSecretAuthentication(t *testing.T) {
	svc, pc := plainSecretSetup()
	tests := []struct {
		name  string
		basic *fapi.BasicAuth
		body  map[string]string
		want  []fapi.Code
	}{
		{name: "basic", basic: &fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"}},
		{name: "basic, form-encoded", basic: &fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret%2Ds3cret"}},
		{name: "wrong secret", basic: &fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret"}, want: []fapi.Code{fapi.CodeAuthnSecretMismatch}},
		{name: "huge secret", basic: &fapi.BasicAuth{ClientID: "c1", ClientSecret: strings.Repeat("%41", 1<<16)}, want: []fapi.Code{fapi.CodeAuthnSecretMismatch}},
		{name: "other client", basic: &fapi.BasicAuth{ClientID: "c2", ClientSecret: "s3cret-s3cret"}, want: []fapi.Code{fapi.CodeAuthnClientIDMismatch}},
		{name: "no header", want: []fapi.Code{fapi.CodeAuthnCredentialsMissing}},
		{name: "secret in the body instead", body: map[string]string{"client_id": "c1", "client_secret": "s3cret-s3cret"},
			want: []fapi.Code{fapi.CodeAuthnMethodMismatch, fapi.CodeAuthnCredentialsMissing}},
		{name: "both ways", basic: &fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"}, body: map[string]string{"client_secret": "s3cret-s3cret"},
			want: []fapi.Code{fapi.CodeAuthnMethodMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := plainTokenRequest(tt.basic)
			for k, v := range tt.body {
				r.Params[k] = []string{v}
			}
			rep := fapi.CheckTokenRequest(svc, pc, r, now)
			if tt.want == nil {
				assert.True(t, rep.OK(), "%v", rep.Violations)
			} else {
				assert.Equal(t, tt.want, codes(rep.Report), "%v", rep.Violations)
			}
			assert.False(t, rep.FAPI())
		})
	}

	post := pc.Config()
	post.TokenEndpointAuthMethod = "client_secret_post"
	ppc := fapi.PrepareClient(post)
	r := plainTokenRequest(nil)
	r.Params["client_id"] = []string{"c1"}
	r.Params["client_secret"] = []string{"s3cret-s3cret"}
	assert.Empty(t, fapi.CheckTokenRequest(svc, ppc, r, now).Violations)
	r.Params["client_secret"] = []string{"s3cret-s3cret!"}
	assert.Equal(t, []fapi.Code{fapi.CodeAuthnSecretMismatch}, codes(fapi.CheckTokenRequest(svc, ppc, r, now).Report))
	assert.Equal(t, []fapi.Code{fapi.CodeAuthnMethodMismatch}, codes(fapi.CheckTokenRequest(svc, ppc, func() *fapi.TokenRequest {
		r := plainTokenRequest(&fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"})
		r.Params["client_id"] = []string{"c1"}
		r.Params["client_secret"] = []string{"s3cret-s3cret"}
		return r
	}(), now).Report))
}

// TestInputBounds: values the library would parse are bounded first.
func TestInputBounds(t *testing.T) {
	svc, pc := plainSecretSetup()
	long := "https://client.example.org/" + strings.Repeat("a", 5000)
	rep := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"c1"}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {long}}}, now)
	assert.Equal(t, []fapi.Code{fapi.CodeRedirectURINotRegistered}, codes(rep.Report))
	assert.Less(t, len(rep.Violations[0].Message), 400, "the message quotes a prefix")

	uri := "https://client.example.org/" + strings.Repeat("r", 500)
	ref := &fapi.AuthorizationRequest{
		Params:        fapi.Params{"client_id": {"rw"}, "request_uri": {uri}, "response_type": {"code id_token"}, "scope": {"openid payments"}},
		RequestObject: fixtures.Sign(clientKey, "PS256", rwClaims(), nil),
	}
	assert.True(t, fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), ref, now).Has(fapi.CodeRequestObjectURINotHTTPS),
		"OIDC Core §6.2: at most 512 characters")

	_, err := fapi.ParseCertificatePEM(strings.Repeat("x", fapi.MaxCertificatePEMSize+1))
	require.Error(t, err)
	assert.True(t, errors.Is(err, fapi.ErrCertificatePEM))
}

// TestNativeLoopbackAnyPort: RFC 8252 §7.3 — a native client's loopback IP
// redirect URI matches with any port; nothing else may differ, and web
// clients get no such leeway.
func TestNativeLoopbackAnyPort(t *testing.T) {
	svc := fapi2Service()
	reg := []string{"http://127.0.0.1/cb", "http://[::1]:8080/cb?x=1"}
	tests := []struct {
		uri string
		ok  bool
	}{
		{"http://127.0.0.1/cb", true},
		{"http://127.0.0.1:51004/cb", true},
		{"http://127.0.0.1:65535/cb", true},
		{"http://[::1]/cb?x=1", true},
		{"http://[::1]:1/cb?x=1", true},
		{"http://127.0.0.1:65536/cb", false},
		{"http://127.0.0.1:/cb", false},
		{"http://127.0.0.1:+80/cb", false},
		{"http://127.0.0.1:80@evil.example/cb", false},
		{"http://127.0.0.1.evil.example/cb", false},
		{"http://127.0.0.2/cb", false},
		{"http://localhost/cb", false},
		{"HTTP://127.0.0.1:1234/cb", false},
		{"https://127.0.0.1:1234/cb", false},
		{"http://127.0.0.1:1234/cb/", false},
		{"http://127.0.0.1:1234/cb#x", false},
		{"http://[::1]:x/cb?x=1", false},
		{"http://[::1]:8080/cb", false},
		{"http://[0:0:0:0:0:0:0:1]:8080/cb?x=1", false},
		{"http://127.000.000.001/cb", false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			for _, native := range []bool{true, false} {
				c := fapi2Client()
				c.RedirectURIs = reg
				if native {
					c.ApplicationType = "native"
				}
				p := fapi2Params("openid sp")
				p["redirect_uri"] = []string{tt.uri}
				rep := par(t, svc, fapi.PrepareClient(c), p)
				exact := tt.uri == reg[0] || tt.uri == reg[1]
				assert.Equal(t, !(exact || native && tt.ok), rep.Has(fapi.CodeRedirectURINotRegistered), "native=%v: %v", native, rep.Violations)
			}
		})
	}
}
