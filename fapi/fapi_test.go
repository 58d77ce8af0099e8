package fapi_test

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"github.com/fapicheck/fapicheck/clause"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

func TestValidBaselines(t *testing.T) {
	svc := service()
	rw := fapi.PrepareClient(rwClient())
	pub := fapi.PrepareClient(publicClient())
	tests := []struct {
		name    string
		report  fapi.Report
		profile profile.Profile
	}{
		{"service", fapi.CheckService(svc), profile.FAPI1ReadWrite},
		{"rw client", fapi.CheckClient(svc, rw), profile.FAPI1ReadWrite},
		{"public client", fapi.CheckClient(svc, pub), profile.FAPI1ReadOnly},
		{"rw authorization", fapi.CheckAuthorizationRequest(svc, rw, rwRequest(rwClaims()), now).Report, profile.FAPI1ReadWrite},
		{"ro authorization", fapi.CheckAuthorizationRequest(svc, pub, roRequest(), now).Report, profile.FAPI1ReadOnly},
		{"rw token", fapi.CheckTokenRequest(svc, rw, rwTokenRequest(), now).Report, profile.FAPI1ReadWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Empty(t, tt.report.Violations)
			assert.True(t, tt.report.OK())
			assert.NoError(t, tt.report.Err())
			assert.Equal(t, tt.profile, tt.report.Profile)
			assert.NotEmpty(t, tt.report.ChosenBy)
		})
	}
}

func TestNilInputsNeverPanic(t *testing.T) {
	assert.NotPanics(t, func() {
		fapi.CheckService(nil)
		fapi.CheckClient(nil, nil)
		fapi.CheckClient(service(), nil)
		fapi.CheckAuthorizationRequest(nil, nil, nil, now)
		fapi.CheckTokenRequest(nil, nil, nil, now)
		pc := fapi.PrepareClient(fapi.Client{})
		fapi.CheckClient(nil, pc)
		fapi.CheckAuthorizationRequest(service(), pc, nil, now)
		fapi.CheckAuthorizationRequest(service(), pc, &fapi.AuthorizationRequest{}, now)
		fapi.CheckTokenRequest(service(), pc, nil, now)
		fapi.CheckTokenRequest(service(), pc, &fapi.TokenRequest{}, now)
	})
	r := fapi.CheckAuthorizationRequest(service(), nil, roRequest(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeClientMissing}, codes(r.Report))
}

func TestErrorsIsAs(t *testing.T) {
	claims := rwClaims()
	delete(claims, "exp")
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), rwRequest(claims), now)
	err := r.Err()
	require.Error(t, err)
	assert.ErrorIs(t, err, fapi.CodeRequestObjectExpMissing)
	assert.ErrorIs(t, err, fapi.ErrRequestObject)
	assert.NotErrorIs(t, err, fapi.ErrPKCE)
	assert.NotErrorIs(t, err, fapi.CodeRequestObjectExpired)
	var re *fapi.ReportError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, profile.FAPI1ReadWrite, re.Profile)
	require.Len(t, re.Violations, 1)
	v := re.Violations[0]
	assert.Equal(t, "exp", v.Field)
	assert.Equal(t, clause.Clause("FAPI-RW-5.2.2-13"), v.Ref)
	assert.Equal(t, "invalid_request_object", v.Error)
	assert.Contains(t, err.Error(), "request_object.exp_missing")
	assert.True(t, r.Has(fapi.CodeRequestObjectExpMissing))
	first, ok := r.First()
	assert.True(t, ok)
	assert.Equal(t, v, first)
}

func TestReportJSON(t *testing.T) {
	out, err := json.Marshal(fapi.CheckService(service()))
	require.NoError(t, err)
	assert.JSONEq(t, `{"profile":"fapi1-read-write","profiles":["fapi1-read-write","fapi1-read-only"],"chosen_by":"scope payments (fapi=rw); also fapi1-read-only by scope accounts (fapi=r)","violations":[],"waived":[],"ignored":[]}`, string(out))
}

func TestCodeTable(t *testing.T) {
	seen := map[fapi.Code]bool{}
	for _, info := range fapi.CodeInfos() {
		assert.False(t, seen[info.Code], "duplicate %s", info.Code)
		seen[info.Code] = true
		assert.Regexp(t, `^[a-z_]+\.[a-z_0-9]+$`, string(info.Code))
		assert.NotEmpty(t, info.Refs, info.Code)
		assert.NotEmpty(t, info.Summary, info.Code)
		assert.NotEmpty(t, info.Error, info.Code)
		got, ok := info.Code.Info()
		assert.True(t, ok)
		assert.Equal(t, info, got)
	}
	_, ok := fapi.Code("nope.nope").Info()
	assert.False(t, ok)
	assert.Equal(t, fapi.ErrPKCE, error(fapi.CodePKCEVerifierMismatch.Family()))
}

func TestRedirectTrust(t *testing.T) {
	svc := service()
	rw := fapi.PrepareClient(rwClient())
	expired := rwClaims()
	expired["exp"] = now.Add(-time.Hour).Unix()
	other := rwClaims()
	other["redirect_uri"] = "https://evil.example/cb"

	tests := []struct {
		name    string
		req     *fapi.AuthorizationRequest
		trusted bool
	}{
		{"valid", rwRequest(rwClaims()), true},
		{"expired but verified object: redirect the error", rwRequest(expired), true},
		{"unregistered redirect_uri: error page", rwRequest(other), false},
		{"object signed by another key: error page", &fapi.AuthorizationRequest{Params: fapi.Params{
			"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid payments"},
			"request": {fixtures.Sign(otherKey, "PS256", rwClaims(), nil)}}}, false},
		{"no request object: error page", &fapi.AuthorizationRequest{Params: fapi.Params{
			"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid payments"}, "redirect_uri": {cb}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fapi.CheckAuthorizationRequest(svc, rw, tt.req, now)
			uri, ok := r.ErrorRedirectURI()
			assert.Equal(t, tt.trusted, ok, "%v", r.Violations)
			if ok {
				assert.Equal(t, cb, uri)
			} else {
				assert.Empty(t, uri)
			}
		})
	}
}

func TestParametersComeFromTheRequestObject(t *testing.T) {
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), rwRequest(rwClaims()), now)
	require.True(t, r.OK(), "%v", r.Violations)
	p := r.Parameters()
	assert.Equal(t, cb, p["redirect_uri"]) // only inside the object
	assert.Equal(t, "n1", p["nonce"])
	st, ok := r.Parameter("state")
	assert.True(t, ok)
	assert.Equal(t, "s1", st)
	p["state"] = "changed"
	st, _ = r.Parameter("state")
	assert.Equal(t, "s1", st, "Parameters returns a copy")
	assert.Nil(t, fapi.CheckAuthorizationRequest(service(), nil, &fapi.AuthorizationRequest{}, now).Parameters(),
		"no parameters when the check stops before reading them")
}

// TestProfileNoneAppliesPlainOAuth: profile none means "no FAPI rule",
// never "no rule": the checks every OAuth 2.0 server makes still run.
func TestProfileNoneAppliesPlainOAuth(t *testing.T) {
	svc := service()
	svc.SupportedServiceProfiles = nil
	pc := fapi.PrepareClient(publicClient())
	r := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params{"client_id": {"pub"}, "scope": {"payments"}}}, now)
	assert.Equal(t, profile.None, r.Profile)
	assert.False(t, r.FAPI())
	assert.Equal(t, []fapi.Code{fapi.CodeResponseTypeMissing}, codes(r.Report))

	ok := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"pub"}, "scope": {"payments"}, "response_type": {"code"}, "state": {"s"}}}, now)
	assert.True(t, ok.OK(), "%v", ok.Violations)
	assert.False(t, ok.FAPI())
	assert.Equal(t, map[string]string{"client_id": "pub", "scope": "payments", "response_type": "code", "state": "s"}, ok.Parameters())
	uri, trusted := ok.ErrorRedirectURI()
	assert.True(t, trusted)
	assert.Equal(t, cb, uri, "one registered URI: the request may omit it (RFC 6749 §3.1.2.3)")

	evil := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"pub"}, "scope": {"payments"}, "response_type": {"code"}, "redirect_uri": {"http://evil.example/cb"}}}, now)
	assert.Equal(t, []fapi.Code{fapi.CodeRedirectURINotRegistered}, codes(evil.Report))
	_, trusted = evil.ErrorRedirectURI()
	assert.False(t, trusted)

	oidc := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"pub"}, "scope": {"openid"}, "response_type": {"code id_token"}}}, now)
	assert.Equal(t, []fapi.Code{fapi.CodeRedirectURIMissing, fapi.CodeNonceMissing}, codes(oidc.Report), "OIDC Core §3.1.2.1, §3.3.2.11")
}

func TestScopeInsideObjectSelectsProfile(t *testing.T) {
	// The scope parameter outside names only openid, but the request
	// object asks for payments: read-write rules apply to the request.
	req := rwRequest(rwClaims())
	req.Params["scope"] = []string{"openid"}
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
	assert.Equal(t, profile.FAPI1ReadWrite, r.Profile)
	assert.Equal(t, []fapi.Code{fapi.CodeRequestObjectParamMismatch}, codes(r.Report))
}

func TestUnverifiedObjectCannotRelaxProfile(t *testing.T) {
	// An unsigned object whose scope names only a read-only scope does not
	// lower the read-write profile the outside scope selects.
	req := rwRequest(rwClaims())
	c := rwClaims()
	c["scope"] = "openid accounts"
	req.Params["request"] = []string{fixtures.Unsigned("none", c)}
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
	assert.Equal(t, profile.FAPI1ReadWrite, r.Profile)
	assert.Equal(t, []fapi.Code{fapi.CodeRequestObjectUnsigned}, codes(r.Report))
}

func TestReadWritePublicClientNeedsPKCE(t *testing.T) {
	c := rwClient()
	c.ClientType = "public"
	c.TokenEndpointAuthMethod = "none"
	c.TokenEndpointAuthSigningAlg = ""
	pc := fapi.PrepareClient(c)
	assert.Empty(t, fapi.CheckClient(service(), pc).Violations)
	r := fapi.CheckAuthorizationRequest(service(), pc, rwRequest(rwClaims()), now)
	assert.Equal(t, []fapi.Code{fapi.CodePKCEChallengeMissing}, codes(r.Report))
	assert.Equal(t, clause.Clause("FAPI-RW-5.2.2-12"), r.Violations[0].Ref)

	withPKCE := rwClaims()
	withPKCE["code_challenge"] = fixtures.S256(verifier)
	withPKCE["code_challenge_method"] = "S256"
	r = fapi.CheckAuthorizationRequest(service(), pc, rwRequest(withPKCE), now)
	assert.Empty(t, r.Violations)

	// A confidential read-write client need not use PKCE, but if it does,
	// only S256 is accepted.
	plain := rwClaims()
	plain["code_challenge"] = verifier
	plain["code_challenge_method"] = "plain"
	r = fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), rwRequest(plain), now)
	assert.Equal(t, []fapi.Code{fapi.CodePKCEMethodNotS256}, codes(r.Report))
}

func TestResponseTypeOrderDoesNotMatter(t *testing.T) {
	c := rwClaims()
	c["response_type"] = "id_token code"
	req := rwRequest(c)
	req.Params["response_type"] = []string{"id_token code"}
	r := fapi.CheckAuthorizationRequest(service(), fapi.PrepareClient(rwClient()), req, now)
	assert.Empty(t, r.Violations)
}

func TestReadOnlyRequestObjectOverridesOutside(t *testing.T) {
	c := publicClient()
	c.JWKS = json.RawMessage(fixtures.JWKS(clientKey))
	c.RequestObjectSigningAlg = "PS256"
	pc := fapi.PrepareClient(c)
	req := roRequest()
	req.Params["redirect_uri"] = []string{"https://evil.example/cb"}
	req.Params["request"] = []string{fixtures.Sign(clientKey, "PS256", map[string]any{
		"iss": "pub", "aud": issuer, "exp": now.Add(time.Minute).Unix(), "redirect_uri": cb}, nil)}
	r := fapi.CheckAuthorizationRequest(service(), pc, req, now)
	assert.Empty(t, r.Violations)
	p, _ := r.Parameter("redirect_uri")
	assert.Equal(t, cb, p, "OIDC Core §6.3.3: the object's value wins")

	// If the object does not verify, nothing in it is used.
	req.Params["request"] = []string{fixtures.Sign(otherKey, "PS256", map[string]any{"redirect_uri": cb}, nil)}
	r = fapi.CheckAuthorizationRequest(service(), pc, req, now)
	assert.Equal(t, []fapi.Code{fapi.CodeRequestObjectSignatureInvalid, fapi.CodeRedirectURINotRegistered}, codes(r.Report))
}

func TestInvalidJWKSIsReportedEverywhere(t *testing.T) {
	c := rwClient()
	c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}]}`)
	pc := fapi.PrepareClient(c)
	_, err := pc.Keys()
	assert.ErrorIs(t, err, jwks.ErrInvalid)
	assert.Contains(t, codes(fapi.CheckClient(service(), pc)), fapi.CodeClientJWKSInvalid)
	r := fapi.CheckAuthorizationRequest(service(), pc, rwRequest(rwClaims()), now)
	assert.Equal(t, []fapi.Code{fapi.CodeClientJWKSInvalid, fapi.CodeRequestObjectSignatureInvalid}, codes(r.Report))
	tr := fapi.CheckTokenRequest(service(), pc, rwTokenRequest(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeClientJWKSInvalid, fapi.CodeClientAssertionSignatureInvalid}, codes(tr.Report))
}

func TestPrepareClientWithKeys(t *testing.T) {
	set, err := jwks.FromPublicKeys(clientKey.Public())
	require.NoError(t, err)
	c := rwClient()
	c.JWKS = nil
	pc := fapi.PrepareClientWithKeys(c, set)
	r := fapi.CheckAuthorizationRequest(service(), pc, rwRequest(rwClaims()), now)
	assert.Empty(t, r.Violations)
}

func TestPreparedClientIsACopy(t *testing.T) {
	c := rwClient()
	pc := fapi.PrepareClient(c)
	c.RedirectURIs[0] = "https://evil.example/cb"
	c.ClientID = "other"
	assert.Equal(t, cb, pc.Config().RedirectURIs[0])
	cfg := pc.Config()
	cfg.RedirectURIs[0] = "https://evil.example/cb"
	assert.Equal(t, cb, pc.Config().RedirectURIs[0])
}

// TestPreparedClientConcurrentUse validates through one prepared client
// from many goroutines at once; run with -race.
func TestPreparedClientConcurrentUse(t *testing.T) {
	svc := service()
	pc := fapi.PrepareClient(rwClient())
	good := rwRequest(rwClaims())
	bad := rwRequest(map[string]any{"iss": "rw"})
	tok := rwTokenRequest()
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if (i+j)%2 == 0 {
					assert.Empty(t, fapi.CheckAuthorizationRequest(svc, pc, good, now).Violations)
				} else {
					assert.NotEmpty(t, fapi.CheckAuthorizationRequest(svc, pc, bad, now).Violations)
				}
				assert.Empty(t, fapi.CheckTokenRequest(svc, pc, tok, now).Violations)
			}
		}(i)
	}
	wg.Wait()
}

func TestMerge(t *testing.T) {
	a := fapi.Report{Profile: profile.None, ChosenBy: "x"}
	b := fapi.Report{Profile: profile.FAPI1ReadOnly, ChosenBy: "y", Violations: []fapi.Violation{{Code: fapi.CodeStateMissing}}}
	m := fapi.Merge(a, b)
	assert.Equal(t, profile.FAPI1ReadOnly, m.Profile)
	assert.Equal(t, "y", m.ChosenBy)
	assert.Len(t, m.Violations, 1)
	assert.Equal(t, profile.None, fapi.Merge().Profile)
}

func TestParseCertificatePEM(t *testing.T) {
	in := rwTokenRequest()
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: in.ClientCertificate.Raw}))
	c, err := fapi.ParseCertificatePEM(pemText)
	require.NoError(t, err)
	assert.Equal(t, in.ClientCertificate.Raw, c.Raw)
	_, err = fapi.ParseCertificatePEM("not pem")
	assert.ErrorIs(t, err, fapi.ErrCertificatePEM)
	_, err = fapi.ParseCertificatePEM(tlsKey.CertPEM() + tlsKey.CertPEM())
	assert.ErrorIs(t, err, fapi.ErrCertificatePEM, "two certificates are ambiguous")
}

// TestReportClientAssertion: the token check hands the caller the verified
// assertion's jti and exp for its replay record, and nothing when the
// assertion did not verify cleanly.
func TestReportClientAssertion(t *testing.T) {
	svc, pc := service(), fapi.PrepareClient(rwClient())
	tests := []struct {
		name   string
		claims map[string]any
		ok     bool
	}{
		{name: "verified", ok: true},
		{name: "expired", claims: map[string]any{"exp": now.Add(-time.Minute).Unix()}},
		{name: "wrong audience", claims: map[string]any{"aud": "https://elsewhere.example"}},
		{name: "no jti", claims: map[string]any{"jti": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rwTokenRequest()
			r.Params["client_assertion"] = []string{assertion(tt.claims)}
			rep := fapi.CheckTokenRequest(svc, pc, r, now)
			a := rep.ClientAssertion
			require.Equal(t, tt.ok, a != nil, "%v", rep.Violations)
			if tt.ok {
				assert.True(t, rep.OK(), "%v", rep.Violations)
				assert.Equal(t, "j1", a.JWTID)
				assert.Equal(t, now.Add(time.Minute).Unix(), a.Expiry.Unix())
				assert.Equal(t, "PS256", a.Algorithm)
			} else {
				assert.False(t, rep.OK())
			}
		})
	}

	// Other methods have none.
	tls := rwClient()
	tls.TokenEndpointAuthMethod = "tls_client_auth"
	tls.TLSClientAuthSubjectDN = "CN=rw"
	r := rwTokenRequest()
	delete(r.Params, "client_assertion")
	delete(r.Params, "client_assertion_type")
	assert.Nil(t, fapi.CheckTokenRequest(svc, fapi.PrepareClient(tls), r, now).ClientAssertion)
}

// TestClientRulesOfEveryRequestProfile: a registration checked under FAPI
// 2.0, the highest-ranked profile, must still meet the read-and-write
// client rules when it asks for a read-and-write scope: FAPI 2.0 allows
// EdDSA ID tokens, FAPI-RW-8.6 does not.
func TestClientRulesOfEveryRequestProfile(t *testing.T) {
	svc := service()
	svc.Scopes = append(svc.Scopes, scope.Definition{Name: "sp", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}})
	c := rwClient()
	c.Scope = "openid sp payments"
	c.IDTokenSignedResponseAlg = "EdDSA"
	c.Scope = "openid sp"
	reg := fapi.CheckClient(svc, fapi.PrepareClient(c))
	require.Equal(t, "fapi2-security", string(reg.Profile))
	require.False(t, reg.Has(fapi.CodeClientAlgNotAllowed), "FAPI 2.0 allows EdDSA: %v", reg.Violations)

	// A registration for both is checked under each profile on its own.
	c.Scope = "openid sp payments"
	both := fapi.CheckClient(svc, fapi.PrepareClient(c))
	assert.Equal(t, profile.SetOf(profile.FAPI2Security, profile.FAPI1ReadWrite), both.Profiles)
	assert.True(t, both.Has(fapi.CodeClientAlgNotAllowed), "%v", both.Violations)

	c.Scope = "openid sp"
	rep := fapi.CheckAuthorizationRequest(svc, fapi.PrepareClient(c), rwRequest(rwClaims()), now)
	assert.Equal(t, "fapi1-read-write", string(rep.Profile))
	assert.True(t, rep.Has(fapi.CodeClientAlgNotAllowed), "%v", rep.Violations)
}

// TestAuthMethodErrorByEndpoint: a client whose registered authentication
// method the request's profile forbids fails client authentication where
// it authenticates (invalid_client, RFC 6749 §5.2), and is not authorized
// for the request at the authorization endpoint (unauthorized_client).
func TestAuthMethodErrorByEndpoint(t *testing.T) {
	svc := service()
	svc.TokenEndpointAuthMethodsSupported = append(svc.TokenEndpointAuthMethodsSupported, "client_secret_basic")
	c := rwClient()
	c.Scope = "openid" // registered outside FAPI
	c.TokenEndpointAuthMethod = "client_secret_basic"
	pc := fapi.PrepareClient(c)

	find := func(rep fapi.Report) fapi.Violation {
		for _, v := range rep.Violations {
			if v.Code == fapi.CodeClientAuthMethodNotAllowed {
				return v
			}
		}
		t.Fatalf("no %s in %v", fapi.CodeClientAuthMethodNotAllowed, rep.Violations)
		return fapi.Violation{}
	}
	tr := rwTokenRequest()
	assert.Equal(t, fapi.OAuthInvalidClient, find(fapi.CheckTokenRequest(svc, pc, tr, now).Report).Error)
	assert.Equal(t, fapi.OAuthUnauthorizedClient, find(fapi.CheckAuthorizationRequest(svc, pc, rwRequest(rwClaims()), now).Report).Error)
}

// TestStateNonceVSCHAR: state and nonce stay within %x20-7E (RFC 6749
// Appendix A.5), at both ends of the range.
func TestStateNonceVSCHAR(t *testing.T) {
	svc, pc := service(), fapi.PrepareClient(publicClient())
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"space and tilde, the range's ends", " ~", true},
		{"every printable ASCII byte", func() string {
			b := make([]byte, 0, 95)
			for c := byte(0x20); c <= 0x7e; c++ {
				b = append(b, c)
			}
			return string(b)
		}(), true},
		{"unit separator 0x1f", "a\x1fb", false},
		{"DEL 0x7f", "a\x7f", false},
		{"line feed", "a\nb", false},
		{"NUL", "a\x00", false},
		{"non-ASCII letter", "caf\u00e9", false},
		{"line separator U+2028", "a\u2028", false},
	}
	for _, tt := range tests {
		for _, param := range []string{"state", "nonce"} {
			t.Run(param+"/"+tt.name, func(t *testing.T) {
				r := roRequest()
				r.Params[param] = []string{tt.value}
				rep := fapi.CheckAuthorizationRequest(svc, pc, r, now)
				code := fapi.CodeStateMalformed
				if param == "nonce" {
					code = fapi.CodeNonceMalformed
				}
				assert.Equal(t, !tt.ok, rep.Has(code), "%v", rep.Violations)
				assert.Equal(t, tt.ok, rep.OK(), "%v", rep.Violations)
			})
		}
	}
}

// TestEssentialACRValues: essential acr values none of which the service
// supports fail authentication in advance (OIDC Core §5.5.1.1); one
// supported value, or a service that lists none, leaves it to the server.
func TestEssentialACRValues(t *testing.T) {
	tests := []struct {
		name      string
		acr       map[string]any
		supported []string
		code      bool
	}{
		{"supported value", map[string]any{"essential": true, "values": []string{"urn:example:sca"}}, nil, false},
		{"one of two supported", map[string]any{"essential": true, "values": []string{"x", "urn:example:sca"}}, nil, false},
		{"single value unsupported", map[string]any{"essential": true, "value": "x"}, nil, true},
		{"all values unsupported", map[string]any{"essential": true, "values": []string{"x", "y"}}, nil, true},
		{"non-string value", map[string]any{"essential": true, "values": []any{1}}, nil, true},
		{"no values", map[string]any{"essential": true}, nil, false},
		{"supported value written with an escape", map[string]any{"essential": true, "values": []any{json.RawMessage(`"urn:example:\u0073ca"`)}}, nil, false},
		{"unsupported value written with an escape", map[string]any{"essential": true, "values": []any{json.RawMessage(`"urn:example:\u0073cb"`)}}, nil, true},
		{"service lists none", map[string]any{"essential": true, "values": []string{"x"}}, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := service()
			if tt.supported != nil {
				svc.AcrValuesSupported = tt.supported
			}
			claims := rwClaims()
			claims["claims"] = map[string]any{"id_token": map[string]any{"acr": tt.acr}}
			rep := fapi.CheckAuthorizationRequest(svc, fapi.PrepareClient(rwClient()), rwRequest(claims), now)
			assert.Equal(t, tt.code, rep.Has(fapi.CodeClaimsACRUnsupported), "%v", rep.Violations)
			if tt.code {
				v, _ := rep.First()
				assert.Equal(t, fapi.OAuthAccessDenied, v.Error)
			}
		})
	}
}
