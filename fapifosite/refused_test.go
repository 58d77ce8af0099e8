package fapifosite_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// refusedBy asserts that a is the library's refusal with code, answered
// as fosite writes an RFC 6749 §5.2 error.
func refusedBy(t *testing.T, a answer, status int, oauthErr string, code fapi.Code) {
	t.Helper()
	assert.Equal(t, status, a.status, "%v", a.body)
	assert.Equal(t, oauthErr, a.str("error"), "%v", a.body)
	assert.Contains(t, a.str("error_description"), "("+string(code), "%v", a.body)
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
	assert.Empty(t, a.header.Get("WWW-Authenticate"), "no Basic challenge for a private_key_jwt client")
}

// TestPARRefusedBeforeFosite: pushed requests the library refuses never
// reach fosite (no PAR session is stored).
func TestPARRefusedBeforeFosite(t *testing.T) {
	s := newTestServer(t)
	rs256 := fapitest.Must(s.clientKey.WithAlg("RS256"))
	tests := []struct {
		name     string
		change   func(url.Values)
		dpop     func() string
		status   int
		oauthErr string
		code     fapi.Code
	}{
		{
			name:   "no PKCE",
			change: func(f url.Values) { f.Del("code_challenge"); f.Del("code_challenge_method") },
			status: http.StatusBadRequest, oauthErr: "invalid_request", code: fapi.CodePKCEChallengeMissing,
		},
		{
			name: "plain PKCE",
			change: func(f url.Values) {
				f.Set("code_challenge", fapitest.Verifier)
				f.Set("code_challenge_method", "plain")
			},
			status: http.StatusBadRequest, oauthErr: "invalid_request", code: fapi.CodePKCEMethodNotS256,
		},
		{
			// fosite alone insists on the token URL; FAPI 2.0 on the
			// issuer (FAPI2-SP-5.3.2.1-8).
			name:   "assertion aud the token endpoint under FAPI 2.0",
			change: func(f url.Values) { f.Set("client_assertion", s.assertion(issuer+"/token")) },
			status: http.StatusUnauthorized, oauthErr: "invalid_client", code: fapi.CodeClientAssertionAudMismatch,
		},
		{
			name:   "assertion aud the PAR endpoint under FAPI 2.0",
			change: func(f url.Values) { f.Set("client_assertion", s.assertion(issuer+"/par")) },
			status: http.StatusUnauthorized, oauthErr: "invalid_client", code: fapi.CodeClientAssertionAudMismatch,
		},
		{
			name: "assertion signed RS256",
			change: func(f url.Values) {
				f.Set("client_assertion", fapitest.Must(fapitest.ClientAssertion(rs256, fapitest.ClientAssertionClaims(clientID, issuer, time.Now()))))
			},
			status: http.StatusUnauthorized, oauthErr: "invalid_client", code: fapi.CodeClientAssertionAlgNotAllowed,
		},
		{
			name:   "no client assertion",
			change: func(f url.Values) { f.Del("client_assertion"); f.Del("client_assertion_type") },
			status: http.StatusUnauthorized, oauthErr: "invalid_client", code: fapi.CodeClientAssertionMissing,
		},
		{
			name:   "request_uri in the body",
			change: func(f url.Values) { f.Set("request_uri", "urn:ietf:params:oauth:request_uri:x") },
			status: http.StatusBadRequest, oauthErr: "invalid_request", code: fapi.CodePARRequestURINotAllowed,
		},
		{
			name:   "DPoP proof for another URL",
			dpop:   func() string { return s.proof(s.dpopKey, "/token") },
			status: http.StatusBadRequest, oauthErr: "invalid_dpop_proof", code: fapi.CodeDPoPHTUMismatch,
		},
		{
			name:   "parameter twice",
			change: func(f url.Values) { f.Add("scope", "openid") },
			status: http.StatusBadRequest, oauthErr: "invalid_request", code: fapi.CodeParameterDuplicated,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := s.parForm()
			if tt.change != nil {
				tt.change(form)
			}
			proof := s.proof(s.dpopKey, "/par")
			if tt.dpop != nil {
				proof = tt.dpop()
			}
			before := len(s.store.PARSessions)
			refusedBy(t, s.post("/par", form, proof), tt.status, tt.oauthErr, tt.code)
			assert.Len(t, s.store.PARSessions, before, "fosite saw the request")
		})
	}
}

// TestAssertionReplayRefused: a client assertion's jti is used once, across
// the PAR and token endpoints, through the Checker's store (RFC 7523 §3
// item 7).
func TestAssertionReplayRefused(t *testing.T) {
	s := newTestServer(t)
	form := s.parForm()
	first := s.post("/par", form, s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, first.status, "%v", first.body)
	before := len(s.store.PARSessions)
	refusedBy(t, s.post("/par", form, s.proof(s.dpopKey, "/par")), http.StatusUnauthorized, "invalid_client", fapi.CodeClientAssertionReplayed)
	assert.Len(t, s.store.PARSessions, before)

	q := s.redirected(s.authorize(first.str("request_uri")))
	tok := s.tokenForm(q.Get("code"))
	tok.Set("client_assertion", form.Get("client_assertion"))
	refusedBy(t, s.post("/token", tok, s.proof(s.dpopKey, "/token")), http.StatusUnauthorized, "invalid_client", fapi.CodeClientAssertionReplayed)
}

// TestTokenRefusedBeforeFosite: token requests the library refuses never
// reach fosite, so the code they carried still redeems.
func TestTokenRefusedBeforeFosite(t *testing.T) {
	s := newTestServer(t)
	other := fapitest.Must(fapitest.NewKey("ES256"))
	tests := []struct {
		name     string
		change   func(url.Values)
		dpop     func() string
		status   int
		oauthErr string
		code     fapi.Code
	}{
		{
			name:   "wrong PKCE verifier",
			change: func(f url.Values) { f.Set("code_verifier", strings.Repeat("a", 43)) },
			status: http.StatusBadRequest, oauthErr: "invalid_grant", code: fapi.CodePKCEVerifierMismatch,
		},
		{
			name:   "no PKCE verifier",
			change: func(f url.Values) { f.Del("code_verifier") },
			status: http.StatusBadRequest, oauthErr: "invalid_grant", code: fapi.CodePKCEVerifierMissing,
		},
		{
			name:   "assertion aud the token endpoint under FAPI 2.0",
			change: func(f url.Values) { f.Set("client_assertion", s.assertion(issuer+"/token")) },
			status: http.StatusUnauthorized, oauthErr: "invalid_client", code: fapi.CodeClientAssertionAudMismatch,
		},
		{
			name:   "redirect_uri not the authorization's",
			change: func(f url.Values) { f.Set("redirect_uri", redirectURI+"/other") },
			status: http.StatusBadRequest, oauthErr: "invalid_grant", code: fapi.CodeRedirectURIMismatch,
		},
		{
			// The code is bound to the key of the pushed request's
			// proof (RFC 9449 §10).
			name:   "DPoP key not the pushed request's",
			dpop:   func() string { return s.proof(other, "/token") },
			status: http.StatusBadRequest, oauthErr: "invalid_dpop_proof", code: fapi.CodeDPoPJKTMismatch,
		},
		{
			name:   "no DPoP proof for a DPoP-bound code",
			dpop:   func() string { return "" },
			status: http.StatusBadRequest, oauthErr: "invalid_dpop_proof", code: fapi.CodeDPoPMissing,
		},
		{
			name:   "unknown code",
			change: func(f url.Values) { f.Set("code", "not-a-code") },
			status: http.StatusBadRequest, oauthErr: "invalid_grant", code: fapi.CodeCodeRecordMissing,
		},
		{
			name:   "password grant",
			change: func(f url.Values) { f.Set("grant_type", "password") },
			status: http.StatusBadRequest, oauthErr: "unsupported_grant_type", code: fapi.CodeGrantTypeUnsupported,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := s.code()
			form := s.tokenForm(code)
			if tt.change != nil {
				tt.change(form)
			}
			proof := s.proof(s.dpopKey, "/token")
			if tt.dpop != nil {
				proof = tt.dpop()
			}
			before := len(s.store.AccessTokens)
			refusedBy(t, s.post("/token", form, proof), tt.status, tt.oauthErr, tt.code)
			assert.Len(t, s.store.AccessTokens, before, "fosite issued a token")
			ok := s.post("/token", s.tokenForm(code), s.proof(s.dpopKey, "/token"))
			assert.Equal(t, http.StatusOK, ok.status, "the code was burnt: %v", ok.body)
		})
	}
}

// TestCodeReuseRevokesGrant: a code redeemed twice is refused by the
// library (code.reused), which asks to revoke what the code issued (RFC
// 6749 §4.1.2): fosite's tokens for it are revoked.
func TestCodeReuseRevokesGrant(t *testing.T) {
	s := newTestServer(t)
	code := s.code()
	tok := s.post("/token", s.tokenForm(code), s.proof(s.dpopKey, "/token"))
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	_, _, err := s.provider.IntrospectToken(t.Context(), tok.str("access_token"), fosite.AccessToken, newSession())
	require.NoError(t, err)

	refusedBy(t, s.post("/token", s.tokenForm(code), s.proof(s.dpopKey, "/token")), http.StatusBadRequest, "invalid_grant", fapi.CodeCodeReused)
	_, _, err = s.provider.IntrospectToken(t.Context(), tok.str("access_token"), fosite.AccessToken, newSession())
	assert.ErrorIs(t, err, fosite.ErrNotFound, "the code's access token is revoked")
	_, _, err = s.provider.IntrospectToken(t.Context(), tok.str("refresh_token"), fosite.RefreshToken, newSession())
	assert.Error(t, err, "the code's refresh token is revoked")
}

// TestFositeAloneRefusesIssuerAudience shows the disagreement the adapter
// removes: fosite's own client authentication refuses the assertion FAPI
// 2.0 requires (aud the issuer, FAPI2-SP-5.3.2.1-8), which the Provider
// accepts, since the library is the only verifier.
func TestFositeAloneRefusesIssuerAudience(t *testing.T) {
	s := newTestServer(t)
	signing, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fcfg := &fosite.Config{GlobalSecret: []byte("a global secret of 32 bytes ...."), TokenURL: issuer + "/token"}
	plain := compose.ComposeAllEnabled(fcfg, s.store, signing)

	form := s.parForm()
	req, err := http.NewRequest(http.MethodPost, issuer+"/par", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = plain.NewPushedAuthorizeRequest(t.Context(), req)
	require.ErrorIs(t, err, fosite.ErrInvalidClient)
	assert.Contains(t, fosite.ErrorToRFC6749Error(err).GetDescription(), "token endpoint")

	a := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	assert.Equal(t, http.StatusCreated, a.status, "%v", a.body)
}

// TestPARMethodAndBody: the PAR endpoint takes a POST of a form only (RFC
// 9126 §2.1), and a query parameter never reaches fosite.
func TestPARMethodAndBody(t *testing.T) {
	s := newTestServer(t)

	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/par?"+s.parForm().Encode(), nil)
	require.NoError(t, err)
	get := s.do(req)
	assert.Equal(t, http.StatusMethodNotAllowed, get.status, "%v", get.body)
	assert.Equal(t, "invalid_request", get.str("error"))

	req, err = http.NewRequest(http.MethodPost, s.srv.URL+"/par", strings.NewReader(`{"client_id":"client-1"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	js := s.do(req)
	assert.Equal(t, http.StatusBadRequest, js.status, "%v", js.body)
	assert.Equal(t, "invalid_request", js.str("error"))

	req, err = http.NewRequest(http.MethodPost, s.srv.URL+"/par", strings.NewReader(strings.Repeat("a", 1<<20+1)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	big := s.do(req)
	assert.Equal(t, http.StatusBadRequest, big.status, "%v", big.body)

	// response_mode in the query only: the library never saw it, and
	// neither does fosite, so the code comes in the query, not the
	// fragment.
	req, err = http.NewRequest(http.MethodPost, s.srv.URL+"/par?response_mode=fragment", strings.NewReader(s.parForm().Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("DPoP", s.proof(s.dpopKey, "/par"))
	par := s.do(req)
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	a := s.authorize(par.str("request_uri"))
	require.Equal(t, http.StatusSeeOther, a.status, "%v", a.body)
	loc, err := url.Parse(a.header.Get("Location"))
	require.NoError(t, err)
	assert.Empty(t, loc.Fragment)
	assert.NotEmpty(t, loc.Query().Get("code"))
}

// TestBasicChallenge: an invalid_client answer carries a Basic challenge
// when the client tried HTTP Basic (RFC 6749 §5.2), and only then.
func TestBasicChallenge(t *testing.T) {
	s := newTestServer(t)
	send := func(path string, form url.Values, id string) answer {
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(id, "secret")
		return s.do(req)
	}
	tests := []struct {
		name string
		path string
		id   string
		form url.Values
	}{
		{"PAR, Basic for a private_key_jwt client", "/par", clientID, url.Values{"response_type": {"code"}, "scope": {s.scope}}},
		{"PAR, an unknown client", "/par", "nobody", url.Values{"response_type": {"code"}}},
		{"token, Basic for a private_key_jwt client", "/token", clientID, url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}},
		{"token, an unknown client", "/token", "nobody", url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}},
	}
	malformed := func(path string) answer {
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader("grant_type=authorization_code"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Basic not-base64")
		return s.do(req)
	}
	for _, path := range []string{"/par", "/token"} {
		t.Run("unreadable Basic credentials at "+path, func(t *testing.T) {
			a := malformed(path)
			assert.Equal(t, http.StatusUnauthorized, a.status, "%v", a.body)
			assert.Equal(t, "invalid_client", a.str("error"))
			assert.Equal(t, fapihttp.BasicChallenge, a.header.Get("WWW-Authenticate"))
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(tt.path, tt.form, tt.id)
			assert.Equal(t, http.StatusUnauthorized, a.status, "%v", a.body)
			assert.Equal(t, "invalid_client", a.str("error"))
			assert.Equal(t, fapihttp.BasicChallenge, a.header.Get("WWW-Authenticate"))
		})
	}
}

// TestReaderConfigured: the Config's Reader decides the URL a DPoP proof
// must name (RFC 9449 §4.3 item 9): a server reached at another origin
// refuses proofs for the issuer's.
func TestReaderConfigured(t *testing.T) {
	rd, err := fapihttp.NewReader(fapihttp.WithBaseURL("https://login.example.net"))
	require.NoError(t, err)
	s := newTestServer(t, func(st *setup) { st.reader = rd })
	refusedBy(t, s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par")), http.StatusBadRequest, "invalid_dpop_proof", fapi.CodeDPoPHTUMismatch)
	proof := fapitest.Must(fapitest.DPoPProof(s.dpopKey, fapitest.DPoPClaims(http.MethodPost, "https://login.example.net/par", time.Now())))
	a := s.post("/par", s.parForm(), proof)
	assert.Equal(t, http.StatusCreated, a.status, "%v", a.body)
}

// TestFAPIClientNeverPlain: a client whose registration selects a FAPI
// profile (its scope, or its fapi_modes) is held to FAPI: a request of it
// that asks for no FAPI scope — judged under the plain OAuth rules only
// (Report.FAPI false: an assertion aud of the token URL, no PKCE, no
// sender constraint) — is refused with invalid_scope before fosite sees
// it, at the PAR, authorization and token endpoints (FAPI2-SP-5.3.2.1-4,
// -8; docs/DESIGN.md §4.3 leaves this to the server).
func TestFAPIClientNeverPlain(t *testing.T) {
	s := newTestServer(t)
	form := s.parForm()
	form.Set("scope", "openid offline_access")
	form.Set("client_assertion", s.assertion(issuer+"/token"))
	before := len(s.store.PARSessions)
	a := s.post("/par", form, "")
	assert.Equal(t, http.StatusBadRequest, a.status, "%v", a.body)
	assert.Equal(t, "invalid_scope", a.str("error"), "%v", a.body)
	assert.Len(t, s.store.PARSessions, before, "fosite saw the request")

	// FAPI 1.0 Baseline at the authorization endpoint: no PKCE, scope
	// openid alone; the error goes to the trusted redirect URI.
	b := newTestServer(t, func(st *setup) { st.profile = profile.FAPI1Baseline })
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI},
		"scope": {"openid"}, "state": {fapitest.State}, "nonce": {fapitest.Nonce}}
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+"/authorize?"+q.Encode(), nil)
	require.NoError(t, err)
	got := b.redirected(b.do(req))
	assert.Empty(t, got.Get("code"))
	assert.Equal(t, "invalid_scope", got.Get("error"), "%v", got)
	assert.Equal(t, fapitest.State, got.Get("state"))
}
