package fapi_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/profile"
)

// An object whose scope cannot be read must not lower the profile: with
// only openid outside, the read-write scope inside it would otherwise go
// unseen and no FAPI rule would apply.
func TestUnreadableObjectCannotLowerTheProfile(t *testing.T) {
	big := rwClaims()
	big["pad"] = strings.Repeat("x", 70000)
	tests := map[string]string{
		"unsigned":        fixtures.Unsigned("none", rwClaims()),
		"duplicate scope": fixtures.SignRawPayload(clientKey, "PS256", `{"scope":"openid","scope":"openid payments"}`),
		"null member":     fixtures.SignRawPayload(clientKey, "PS256", `{"scope":"openid payments","x":null}`),
		"JWE":             "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
		"too large":       fixtures.Sign(clientKey, "PS256", big, nil),
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			req := &fapi.AuthorizationRequest{Params: fapi.Params{"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"}, "request": {tok}}}
			r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
			assert.Equal(t, profile.FAPI1ReadWrite, r.Profile)
			assert.NotEmpty(t, r.Violations)
			assert.Contains(t, r.ChosenBy, "unreadable request object")
		})
	}
}

func TestMalformedScopeInsideTheObject(t *testing.T) {
	c := rwClaims()
	c["scope"] = "openid\tpayments"
	req := rwRequest(c)
	delete(req.Params, "scope")
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
	assert.Contains(t, codes(r.Report), fapi.CodeScopeMalformed)

	// At the token endpoint the record's scope is split leniently too: a
	// malformed value never drops the profile to none.
	tr := rwTokenRequest()
	tr.Authorization.Scope = "openid\tpayments"
	tres := fapi.CheckTokenRequest(service(), fapi.PrepareClient(rwClient()), tr, now)
	assert.Equal(t, profile.FAPI1ReadWrite, tres.Profile)
}

// A client registered for read-only scopes asking for a read-write scope
// meets the read-write client rules.
func TestReadOnlyClientAskingForReadWrite(t *testing.T) {
	c := rwClient()
	c.Scope = "openid accounts"
	c.IDTokenSignedResponseAlg = ""
	c.TLSClientCertificateBoundAccessTokens = false
	pc := fapi.PrepareClient(c)
	assert.Empty(t, fapi.CheckClient(service(), pc).Violations)
	r := fapi.CheckAuthorizationRequest(service(), pc, rwRequest(rwClaims()), now)
	assert.Equal(t, []fapi.Code{fapi.CodeClientMTLSBindingDisabled, fapi.CodeClientAlgNotAllowed}, codes(r.Report))
	assert.Equal(t, []fapi.Code{fapi.CodeClientMTLSBindingDisabled, fapi.CodeClientAlgNotAllowed}, codes(fapi.CheckTokenRequest(service(), pc, rwTokenRequest(), now)))
}

func TestPublicClientWithSecretMethod(t *testing.T) {
	c := publicClient()
	c.TokenEndpointAuthMethod = "client_secret_post"
	tr := &fapi.TokenRequest{
		Params:        fapi.Params{"grant_type": {"authorization_code"}, "code": {"c"}, "redirect_uri": {cb}, "code_verifier": {verifier}},
		Authorization: &fapi.AuthorizationRecord{ClientID: "pub", RedirectURI: cb, Scope: "openid accounts", CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256"},
	}
	r := fapi.CheckTokenRequest(service(), fapi.PrepareClient(c), tr, now)
	assert.Contains(t, codes(r), fapi.CodeAuthnMethodNotAllowed)
}

func TestEmptyCertificateIsNoCertificate(t *testing.T) {
	tr := rwTokenRequest()
	tr.ClientCertificate = &x509.Certificate{}
	r := fapi.CheckTokenRequest(service(), fapi.PrepareClient(rwClient()), tr, now)
	assert.Equal(t, []fapi.Code{fapi.CodeMTLSCertificateMissing}, codes(r))
	assert.Equal(t, fapi.OAuthInvalidGrant, r.Violations[0].Error)
}

func TestZeroNowFailsClosed(t *testing.T) {
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), rwRequest(rwClaims()), time.Time{})
	assert.Equal(t, []fapi.Code{fapi.CodeClockNowMissing}, codes(r))
	assert.Equal(t, []fapi.Code{fapi.CodeClockNowMissing}, codes(fapi.CheckTokenRequest(service(), fapi.PrepareClient(rwClient()), rwTokenRequest(), time.Time{})))
}

func TestAssertionAudienceMTLSAlias(t *testing.T) {
	svc := service()
	svc.MTLSEndpointAliases = map[string]string{"token_endpoint": "https://mtls.as.example.com/token"}
	tr := rwTokenRequest()
	tr.Params["client_assertion"] = []string{assertion(map[string]any{"aud": "https://mtls.as.example.com/token"})}
	assert.Empty(t, fapi.CheckTokenRequest(svc, fapi.PrepareClient(rwClient()), tr, now).Violations)
	assert.NotEmpty(t, fapi.CheckTokenRequest(service(), fapi.PrepareClient(rwClient()), tr, now).Violations)
}

func TestClockSkewLimits(t *testing.T) {
	for _, skew := range []fapi.Seconds{-1, 61, 18446744073, 1 << 62} {
		svc := service()
		svc.ClockSkew = skew
		assert.Equal(t, []fapi.Code{fapi.CodeServiceClockSkewInvalid}, codes(fapi.CheckService(svc)), "skew %d", skew)
	}
	svc := service()
	svc.ClockSkew = 60
	assert.Empty(t, fapi.CheckService(svc).Violations)
}

func TestReadWriteByValueNeedsOAuthParametersOutside(t *testing.T) {
	req := rwRequest(rwClaims())
	delete(req.Params, "response_type")
	delete(req.Params, "scope")
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
	assert.Equal(t, []fapi.Code{fapi.CodeParameterMissing, fapi.CodeParameterMissing}, codes(r))

	// By reference the same holds (OIDC Core §6.2).
	ref := &fapi.AuthorizationRequest{
		Params:        fapi.Params{"client_id": {"rw"}, "request_uri": {"urn:example:1"}},
		RequestObject: fixtures.Sign(clientKey, "PS256", rwClaims(), nil),
	}
	assert.Equal(t, []fapi.Code{fapi.CodeParameterMissing, fapi.CodeParameterMissing}, codes(fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), ref, now)))
	ref.Params["response_type"] = []string{"code id_token"}
	ref.Params["scope"] = []string{"openid payments"}
	assert.Empty(t, fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), ref, now).Violations)
}

// TestRequestURIForm: a request_uri passed by reference is fetched over
// https or resolved by the server from a urn it issued; any other form is
// refused (OIDC Core §6.2).
func TestRequestURIForm(t *testing.T) {
	tests := []struct {
		uri string
		ok  bool
	}{
		{"https://client.example.org/ro/1", true},
		{"HTTPS://client.example.org/ro/1#hash", true},
		{"urn:ietf:params:oauth:request_uri:abc", true},
		{"http://client.example.org/ro/1", false},
		{"file:///etc/passwd", false},
		{"//client.example.org/ro/1", false},
		{"/ro/1", false},
		{"https:///ro/1", false},
		{"https:opaque", false},
		{"urn:", false},
		{"urn:x", false},
		{"urn:example:", false},
		{"javascript:alert(1)", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			ref := &fapi.AuthorizationRequest{
				Params:        fapi.Params{"client_id": {"rw"}, "request_uri": {tt.uri}, "response_type": {"code id_token"}, "scope": {"openid payments"}},
				RequestObject: fixtures.Sign(clientKey, "PS256", rwClaims(), nil),
			}
			r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), ref, now)
			assert.Equal(t, !tt.ok, r.Has(fapi.CodeRequestObjectURINotHTTPS), "%v", r.Violations)
			assert.Equal(t, tt.ok, r.OK(), "%v", r.Violations)
		})
	}
}
