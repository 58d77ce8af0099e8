package fapi_test

import (
	"context"
	"crypto/elliptic"
	"encoding/json"
	"github.com/fapicheck/fapicheck/clause"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

const parURL = "https://as.example.com/par"

var (
	dpopKey = fixtures.EC(elliptic.P256(), "", "ES256")
)

func finalService() *fapi.Service {
	return &fapi.Service{
		Issuer:                   issuer,
		TokenEndpoint:            tokenURL,
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-final",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
		},
		TokenEndpointAuthMethodsSupported:      []string{"private_key_jwt", "tls_client_auth"},
		ResponseTypesSupported:                 []string{"code id_token", "code"},
		ResponseModesSupported:                 []string{"fragment", "jwt"},
		CodeChallengeMethodsSupported:          []string{"S256"},
		TLSClientCertificateBoundAccessTokens:  true,
		RequestParameterSupported:              true,
		PushedAuthorizationRequestEndpoint:     parURL,
		IDTokenSigningAlgValuesSupported:       []string{"PS256"},
		RequestObjectSigningAlgValuesSupported: []string{"PS256", "ES256"},
	}
}

func fapi2Service() *fapi.Service {
	return &fapi.Service{
		Issuer:                   issuer,
		TokenEndpoint:            tokenURL,
		SupportedServiceProfiles: []string{"fapi"},
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "sp", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}},
		},
		TokenEndpointAuthMethodsSupported:          []string{"private_key_jwt", "tls_client_auth"},
		ResponseTypesSupported:                     []string{"code"},
		ResponseModesSupported:                     []string{"query", "jwt"},
		CodeChallengeMethodsSupported:              []string{"S256"},
		TLSClientCertificateBoundAccessTokens:      true,
		DPoPSigningAlgValuesSupported:              []string{"ES256", "PS256"},
		PushedAuthorizationRequestEndpoint:         parURL,
		RequirePushedAuthorizationRequests:         true,
		AuthorizationResponseIssParameterSupported: true,
		GrantTypesSupported:                        []string{"authorization_code", "refresh_token"},
		AuthorizationCodeLifetime:                  60,
		RequestURILifetime:                         90,
	}
}

func confidentialClient(responseTypes ...string) fapi.Client {
	c := rwClient()
	c.ResponseTypes = responseTypes
	return c
}

// par pushes params (plus client authentication) and returns the report.
func par(t *testing.T, svc *fapi.Service, pc *fapi.PreparedClient, params fapi.Params, dpopProof ...string) fapi.PushedAuthorizationResult {
	t.Helper()
	if pc.Config().TokenEndpointAuthMethod == "private_key_jwt" {
		params["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
		params["client_assertion"] = []string{assertion(map[string]any{"aud": issuer})}
	}
	return fapi.CheckPushedAuthorizationRequest(svc, pc, &fapi.PushedAuthorizationRequest{
		Params: params, ClientCertificate: tlsKey.Cert, DPoP: dpopProof,
	}, now)
}

func pushed(rep fapi.PushedAuthorizationResult, clientID string) *fapi.AuthorizationRequest {
	return &fapi.AuthorizationRequest{
		Params: fapi.Params{"client_id": {clientID}, "request_uri": {"urn:ietf:params:oauth:request_uri:abc"}},
		Pushed: &fapi.PushedRecord{ClientID: clientID, ExpiresAt: now.Add(time.Minute), Params: rep.Parameters(), DPoPJKT: rep.Parameters()["dpop_jkt"]},
	}
}

func dpopProof(htm, htu string, iat time.Time) string {
	return fixtures.Sign(dpopKey, "ES256", map[string]any{"jti": "j-" + iat.String(), "htm": htm, "htu": htu, "iat": iat.Unix()},
		map[string]any{"typ": "dpop+jwt", "jwk": dpopKey.Public()})
}

func advancedClaims() map[string]any {
	c := rwClaims()
	c["scope"] = "openid payments"
	c["nbf"] = now.Add(-10 * time.Second).Unix()
	delete(c, "claims")
	return c
}

func TestBaseline(t *testing.T) {
	svc := finalService()
	svc.Scopes = svc.Scopes[:2] // read-only scopes only: a Baseline service
	svc.TokenEndpointAuthMethodsSupported = append(svc.TokenEndpointAuthMethodsSupported, "none")
	assert.Empty(t, fapi.CheckService(svc).Violations)
	pc := fapi.PrepareClient(publicClient())
	assert.Empty(t, fapi.CheckClient(svc, pc).Violations)
	r := fapi.CheckAuthorizationRequest(svc, pc, roRequest(), now)
	assert.Equal(t, profile.FAPI1Baseline, r.Profile)
	assert.Empty(t, r.Violations)

	// FAPI1-BASE-5.2.2.2-1: nonce when openid is requested, even for code.
	req := roRequest()
	delete(req.Params, "nonce")
	r = fapi.CheckAuthorizationRequest(svc, pc, req, now)
	assert.Equal(t, []fapi.Code{fapi.CodeNonceMissing}, codes(r.Report))
	assert.Equal(t, clause.Clause("FAPI1-BASE-5.2.2.2-1"), r.Violations[0].Ref)
}

func TestAdvanced(t *testing.T) {
	svc := finalService()
	assert.Empty(t, fapi.CheckService(svc).Violations)
	pc := fapi.PrepareClient(confidentialClient("code id_token"))
	assert.Empty(t, fapi.CheckClient(svc, pc).Violations)

	req := rwRequest(advancedClaims())
	req.Params["foo"] = []string{"bar"}
	r := fapi.CheckAuthorizationRequest(svc, pc, req, now)
	assert.Equal(t, profile.FAPI1Advanced, r.Profile)
	assert.Empty(t, r.Violations)
	assert.Equal(t, []string{"foo", "scope"}, r.Ignored, "outside values other than client_id and response_type are ignored and listed")

	tests := []struct {
		name   string
		change func(map[string]any)
		want   []fapi.Code
	}{
		{"nbf missing", func(c map[string]any) { delete(c, "nbf") }, []fapi.Code{fapi.CodeRequestObjectNbfMissing}},
		// With exp − nbf ≤ 60 min, an nbf over 60 min old means exp passed.
		{"nbf too old", func(c map[string]any) {
			c["nbf"] = now.Add(-61 * time.Minute).Unix()
			c["exp"] = now.Add(-time.Minute).Unix()
		}, []fapi.Code{fapi.CodeRequestObjectExpired, fapi.CodeRequestObjectNbfTooOld}},
		{"lifetime too long", func(c map[string]any) { c["exp"] = now.Add(70 * time.Minute).Unix() }, []fapi.Code{fapi.CodeRequestObjectLifetimeTooLong}},
		{"lifetime exactly 60 min", func(c map[string]any) { c["exp"] = now.Add(-10*time.Second + time.Hour).Unix() }, nil},
		{"sub is the client", func(c map[string]any) { c["sub"] = "rw" }, []fapi.Code{fapi.CodeRequestObjectSubIsClient}},
		{"code without JARM", func(c map[string]any) { c["response_type"] = "code" }, []fapi.Code{fapi.CodeRequestObjectParamMismatch, fapi.CodeResponseTypeNotAllowed, fapi.CodeResponseTypeUnregistered}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := advancedClaims()
			tt.change(c)
			r := fapi.CheckAuthorizationRequest(svc, pc, rwRequest(c), now)
			if tt.want == nil {
				assert.Empty(t, r.Violations)
			} else {
				assert.Equal(t, tt.want, codes(r.Report))
			}
		})
	}

	// nbf_optional waives a missing nbf, and says so.
	svc.NbfOptional = true
	c := advancedClaims()
	delete(c, "nbf")
	r = fapi.CheckAuthorizationRequest(svc, pc, rwRequest(c), now)
	assert.Empty(t, r.Violations)
	require.Len(t, r.Waived, 1)
	assert.Equal(t, fapi.CodeRequestObjectNbfMissing, r.Waived[0].Code)
	// ... but not an unbounded exp.
	c["exp"] = now.Add(2 * time.Hour).Unix()
	r = fapi.CheckAuthorizationRequest(svc, pc, rwRequest(c), now)
	assert.Equal(t, []fapi.Code{fapi.CodeRequestObjectLifetimeTooLong}, codes(r.Report))
}

func TestAdvancedWithPAR(t *testing.T) {
	svc := finalService()
	pc := fapi.PrepareClient(confidentialClient("code id_token"))
	c := advancedClaims()
	c["code_challenge"] = fixtures.S256(verifier)
	c["code_challenge_method"] = "S256"
	rep := par(t, svc, pc, fapi.Params{"client_id": {"rw"}, "request": {fixtures.Sign(clientKey, "PS256", c, nil)}})
	require.Empty(t, rep.Violations)
	assert.Equal(t, profile.FAPI1Advanced, rep.Profile)
	a := rep.ClientAssertion
	require.NotNil(t, a, "the PAR endpoint authenticates the client too")
	assert.Equal(t, "j1", a.JWTID)
	r := fapi.CheckAuthorizationRequest(svc, pc, pushed(rep, "rw"), now)
	assert.Empty(t, r.Violations)
	uri, ok := r.ErrorRedirectURI()
	assert.True(t, ok)
	assert.Equal(t, cb, uri)

	// FAPI1-ADV-5.2.2-18: PKCE with S256 on PAR.
	delete(c, "code_challenge")
	delete(c, "code_challenge_method")
	rep = par(t, svc, pc, fapi.Params{"client_id": {"rw"}, "request": {fixtures.Sign(clientKey, "PS256", c, nil)}})
	assert.Equal(t, []fapi.Code{fapi.CodePKCEChallengeMissing}, codes(rep.Report))

	// PAR-2.1: no request_uri in the body; PAR-2.3: POST only.
	rep = fapi.CheckPushedAuthorizationRequest(svc, pc, &fapi.PushedAuthorizationRequest{
		Params: fapi.Params{"client_id": {"rw"}, "request_uri": {"urn:x"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion(nil)}},
		Method: "PUT", ClientCertificate: tlsKey.Cert,
	}, now)
	assert.Contains(t, codes(rep.Report), fapi.CodePARMethodNotAllowed)
	assert.Contains(t, codes(rep.Report), fapi.CodePARRequestURINotAllowed)
}

func fapi2Params(scopeValue string) fapi.Params {
	return fapi.Params{
		"client_id":             {"rw"},
		"response_type":         {"code"},
		"redirect_uri":          {cb},
		"scope":                 {scopeValue},
		"code_challenge":        {fixtures.S256(verifier)},
		"code_challenge_method": {"S256"},
		"state":                 {"s1"},
	}
}

func fapi2Client() fapi.Client {
	c := confidentialClient("code")
	c.JWKS = json.RawMessage(fixtures.JWKS(clientKey))
	c.Scope = "openid sp"
	return c
}

func fapi2Token(pc *fapi.PreparedClient, rec *fapi.AuthorizationRecord, dpopHeader ...string) *fapi.TokenRequest {
	return &fapi.TokenRequest{
		Params: fapi.Params{
			"grant_type": {"authorization_code"}, "code": {"c"}, "redirect_uri": {cb}, "code_verifier": {verifier},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion(map[string]any{"aud": issuer})},
		},
		ClientCertificate: tlsKey.Cert,
		Authorization:     rec,
		DPoP:              dpopHeader,
	}
}

func TestFAPI2SecurityProfile(t *testing.T) {
	svc := fapi2Service()
	assert.Empty(t, fapi.CheckService(svc).Violations)
	pc := fapi.PrepareClient(fapi2Client())
	assert.Empty(t, fapi.CheckClient(svc, pc).Violations)

	rep := par(t, svc, pc, fapi2Params("openid sp"))
	require.Empty(t, rep.Violations)
	assert.Equal(t, profile.FAPI2Security, rep.Profile)
	r := fapi.CheckAuthorizationRequest(svc, pc, pushed(rep, "rw"), now)
	assert.Empty(t, r.Violations)

	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now.Add(-30 * time.Second),
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256", CertificateThumbprint: mtls.Thumbprint(tlsKey.Cert)}
	assert.Empty(t, fapi.CheckTokenRequest(svc, pc, fapi2Token(pc, rec), now).Violations)

	// FAPI2-SP-5.3.2.2-2: not through PAR.
	r = fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi2Params("openid sp")}, now)
	assert.Equal(t, []fapi.Code{fapi.CodePARRequired}, codes(r.Report))
	_, trusted := r.ErrorRedirectURI()
	assert.False(t, trusted)

	// FAPI2-SP-5.3.2.1-8: the issuer as a string only.
	for _, aud := range []any{[]string{issuer}, tokenURL, parURL} {
		p := fapi2Params("openid sp")
		p["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
		p["client_assertion"] = []string{assertion(map[string]any{"aud": aud})}
		rep := fapi.CheckPushedAuthorizationRequest(svc, pc, &fapi.PushedAuthorizationRequest{Params: p, ClientCertificate: tlsKey.Cert}, now)
		assert.Equal(t, []fapi.Code{fapi.CodeClientAssertionAudMismatch}, codes(rep.Report), "aud %v", aud)
	}

	// FAPI2-SP-5.3.2.1-11: codes live 60 s.
	old := *rec
	old.IssuedAt = now.Add(-61 * time.Second)
	assert.Equal(t, []fapi.Code{fapi.CodeCodeExpired}, codes(fapi.CheckTokenRequest(svc, pc, fapi2Token(pc, &old), now).Report))

	// FAPI2-SP-5.3.2.2-1: code only.
	p := fapi2Params("openid sp")
	p["response_type"] = []string{"code id_token"}
	assert.Contains(t, codes(par(t, svc, pc, p).Report), fapi.CodeResponseTypeNotAllowed)

	// FAPI2-SP-5.3.2.2-8: http only on loopback, for native clients.
	p = fapi2Params("openid sp")
	p["redirect_uri"] = []string{"http://127.0.0.1:8080/cb"}
	assert.Contains(t, codes(par(t, svc, pc, p).Report), fapi.CodeRedirectURINotHTTPS, "a web client")
	nc := pc.Config()
	nc.ApplicationType = "native"
	pc = fapi.PrepareClient(nc)
	got := codes(par(t, svc, pc, p).Report)
	assert.NotContains(t, got, fapi.CodeRedirectURINotHTTPS)
	assert.Contains(t, got, fapi.CodeRedirectURINotRegistered)
	svc.AllowUnregisteredRedirectURIs = true
	assert.Empty(t, par(t, svc, pc, p).Violations, "an authenticated PAR client may use an unregistered URI when the service allows it")
}

func TestFAPI2DPoP(t *testing.T) {
	svc := fapi2Service()
	c := fapi2Client()
	c.TLSClientCertificateBoundAccessTokens = false
	c.DPoPBoundAccessTokens = true
	pc := fapi.PrepareClient(c)
	assert.Empty(t, fapi.CheckClient(svc, pc).Violations)

	rep := par(t, svc, pc, fapi2Params("openid sp"), dpopProof("POST", parURL, now))
	require.Empty(t, rep.Violations)
	jkt := rep.Parameters()["dpop_jkt"]
	require.NotEmpty(t, jkt)

	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now,
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256", DPoPJKT: jkt}
	tr := fapi2Token(pc, rec, dpopProof("POST", tokenURL, now))
	tr.ClientCertificate = nil
	assert.Empty(t, fapi.CheckTokenRequest(svc, pc, tr, now).Violations)

	tr = fapi2Token(pc, rec)
	tr.ClientCertificate = nil
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPMissing}, codes(fapi.CheckTokenRequest(svc, pc, tr, now).Report))

	other := fixtures.EC(elliptic.P256(), "", "ES256")
	proof := fixtures.Sign(other, "ES256", map[string]any{"jti": "x", "htm": "POST", "htu": tokenURL, "iat": now.Unix()},
		map[string]any{"typ": "dpop+jwt", "jwk": other.Public()})
	tr = fapi2Token(pc, rec, proof)
	tr.ClientCertificate = nil
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPJKTMismatch}, codes(fapi.CheckTokenRequest(svc, pc, tr, now).Report))

	tr = fapi2Token(pc, rec, dpopProof("POST", "https://as.example.com/other", now))
	tr.ClientCertificate = nil
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPHTUMismatch}, codes(fapi.CheckTokenRequest(svc, pc, tr, now).Report))
}

func TestFAPI2MessageSigning(t *testing.T) {
	svc := fapi2Service()
	svc.Scopes = append(svc.Scopes,
		scope.Definition{Name: "msreq", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authreq"}}},
		scope.Definition{Name: "msres", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authres"}}})
	svc.RequireSignedRequestObject = true
	assert.Empty(t, fapi.CheckService(svc).Violations)
	c := fapi2Client()
	c.AuthorizationSignedResponseAlg = "PS256"
	c.Scope = "openid msreq msres"
	pc := fapi.PrepareClient(c)
	assert.Empty(t, fapi.CheckClient(svc, pc).Violations)
	claims := map[string]any{
		"iss": "rw", "aud": issuer, "exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Unix(),
		"client_id": "rw", "response_type": "code", "response_mode": "jwt", "redirect_uri": cb,
		"scope": "openid msreq msres", "code_challenge": fixtures.S256(verifier), "code_challenge_method": "S256",
	}
	rep := par(t, svc, pc, fapi.Params{"client_id": {"rw"}, "request": {fixtures.Sign(clientKey, "PS256", claims, map[string]any{"typ": "oauth-authz-req+jwt"})}})
	assert.Equal(t, profile.FAPI2MessageSigning, rep.Profile)
	assert.Empty(t, rep.Violations)

	// FAPI2-MS-5.3.1-1: signed request objects at PAR.
	p := fapi2Params("openid msreq")
	assert.Contains(t, codes(par(t, svc, pc, p).Report), fapi.CodeRequestObjectMissing)
	// FAPI2-MS-5.4.1-1: JARM for signed responses.
	delete(claims, "response_mode")
	rep = par(t, svc, pc, fapi.Params{"client_id": {"rw"}, "request": {fixtures.Sign(clientKey, "PS256", claims, nil)}})
	assert.Equal(t, []fapi.Code{fapi.CodeResponseModeJARMRequired}, codes(rep.Report))
}

// memoryCache is a replay cache for tests.
type memoryCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (m *memoryCache) CheckAndStore(key string, expiresAt time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.seen[key]; ok {
		return true, nil
	}
	m.seen[key] = expiresAt
	return false, nil
}

func TestDPoPReplayCache(t *testing.T) {
	svc := fapi2Service()
	ck, rep := fapi.NewChecker(*svc, fapi.WithReplayCache(&memoryCache{seen: map[string]time.Time{}}))
	require.Empty(t, rep.Violations)
	c := fapi2Client()
	c.TLSClientCertificateBoundAccessTokens = false
	c.DPoPBoundAccessTokens = true
	pc := fapi.PrepareClient(c)
	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now,
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256"}
	proof := dpopProof("POST", tokenURL, now)
	tr := fapi2Token(pc, rec, proof)
	tr.ClientCertificate = nil
	first := ck.Token(context.Background(), pc, tr, now)
	assert.Empty(t, first.Violations)
	assert.NotEmpty(t, first.DPoPThumbprint, "the key the token must be bound to")
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPReplayed}, codes(ck.Token(context.Background(), pc, tr, now).Report))
	// Without the option there is no DPoP state: the replay goes unnoticed.
	assert.Empty(t, fapi.CheckTokenRequest(svc, pc, tr, now).Violations)
}

// Second review: requests without a scope, records under plain OAuth, the
// pushed DPoP binding, unsigned requests where the service requires signed
// ones, and time edge cases.
func TestNoScopeUsesTheClientsRegistration(t *testing.T) {
	svc := fapi2Service()
	pc := fapi.PrepareClient(fapi2Client())
	p := fapi2Params("")
	delete(p, "scope")
	p["response_type"] = []string{"token"}
	rep := par(t, svc, pc, p)
	assert.Equal(t, profile.FAPI2Security, rep.Profile)
	assert.Contains(t, rep.ChosenBy, "no scope requested")
	assert.Contains(t, codes(rep.Report), fapi.CodeScopeMissing)
	assert.Contains(t, codes(rep.Report), fapi.CodeResponseTypeNotAllowed)

	rec := pushed(par(t, svc, pc, fapi2Params("openid sp")), "rw")
	delete(rec.Pushed.Params, "scope")
	r := fapi.CheckAuthorizationRequest(svc, pc, rec, now)
	assert.Equal(t, profile.FAPI2Security, r.Profile)
	assert.Contains(t, codes(r.Report), fapi.CodeScopeMissing)
}

func TestPlainOAuthStillBindsRecords(t *testing.T) {
	svc := fapi2Service()
	pc := fapi.PrepareClient(fapi2Client())
	rep := par(t, svc, pc, fapi2Params("openid sp"))
	req := pushed(rep, "rw")
	req.Pushed.Params["scope"] = "openid"
	req.Pushed.ClientID = "someone-else"
	req.Pushed.ExpiresAt = now.Add(-time.Hour)
	r := fapi.CheckAuthorizationRequest(svc, pc, req, now)
	assert.Equal(t, profile.None, r.Profile)
	assert.Equal(t, []fapi.Code{fapi.CodePARClientMismatch, fapi.CodePARExpired}, codes(r.Report))

	tr := fapi2Token(pc, &fapi.AuthorizationRecord{ClientID: "someone-else", RedirectURI: cb, Scope: "openid"})
	tres := fapi.CheckTokenRequest(svc, pc, tr, now)
	assert.Equal(t, profile.None, tres.Profile)
	assert.Equal(t, []fapi.Code{fapi.CodeCodeClientMismatch, fapi.CodePKCEVerifierUnexpected}, codes(tres.Report))
}

func TestPushedRecordCarriesTheDPoPKey(t *testing.T) {
	svc := fapi2Service()
	c := fapi2Client()
	c.DPoPBoundAccessTokens = true
	pc := fapi.PrepareClient(c)
	rep := par(t, svc, pc, fapi2Params("openid sp"), dpopProof("POST", parURL, now))
	require.Empty(t, rep.Violations)
	req := pushed(rep, "rw")
	jkt := req.Pushed.Params["dpop_jkt"]
	delete(req.Pushed.Params, "dpop_jkt")
	req.Pushed.DPoPJKT = jkt
	r := fapi.CheckAuthorizationRequest(svc, pc, req, now)
	require.Empty(t, r.Violations)
	assert.Equal(t, jkt, r.Parameters()["dpop_jkt"], "the binding reaches the code record")

	req.Pushed.Params["dpop_jkt"] = "other"
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPJKTMismatch}, codes(fapi.CheckAuthorizationRequest(svc, pc, req, now).Report))
}

func TestServiceRequiresSignedRequestObjects(t *testing.T) {
	svc := fapi2Service()
	svc.RequireSignedRequestObject = true
	pc := fapi.PrepareClient(fapi2Client())
	rep := par(t, svc, pc, fapi2Params("openid sp"))
	assert.Equal(t, []fapi.Code{fapi.CodeRequestObjectMissing}, codes(rep.Report))
	assert.Equal(t, clause.Clause("PAR-2.3"), rep.Violations[0].Ref)
	assert.Equal(t, fapi.OAuthInvalidRequest, rep.Violations[0].Error)
}

func TestHybridWithQueryJWT(t *testing.T) {
	c := advancedClaims()
	c["response_mode"] = "query.jwt"
	req := rwRequest(c)
	r := fapi.CheckAuthorizationRequest(finalService(), fapi.PrepareClient(confidentialClient("code id_token")), req, now)
	assert.Contains(t, codes(r.Report), fapi.CodeResponseModeNotAllowed)
}

func TestCodeIssuedInTheFuture(t *testing.T) {
	svc := fapi2Service()
	pc := fapi.PrepareClient(fapi2Client())
	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now.Add(24 * time.Hour),
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256"}
	assert.Equal(t, []fapi.Code{fapi.CodeCodeRecordIncomplete}, codes(fapi.CheckTokenRequest(svc, pc, fapi2Token(pc, rec), now).Report))
}

func TestServiceLifetimesDoNotOverflow(t *testing.T) {
	svc := fapi2Service()
	svc.AuthorizationCodeLifetime = 9223372037
	svc.RequestURILifetime = 9223372037
	assert.Equal(t, []fapi.Code{fapi.CodeServiceCodeLifetimeTooLong, fapi.CodeServiceRequestURILifetimeTooLong}, codes(fapi.CheckService(svc)))
}

func TestPushedRecordLifetimeBounded(t *testing.T) {
	svc := fapi2Service()
	pc := fapi.PrepareClient(fapi2Client())
	req := pushed(par(t, svc, pc, fapi2Params("openid sp")), "rw")
	req.Pushed.ExpiresAt = now.Add(time.Hour)
	assert.Equal(t, []fapi.Code{fapi.CodePARExpired}, codes(fapi.CheckAuthorizationRequest(svc, pc, req, now).Report))
}
