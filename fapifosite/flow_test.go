package fapifosite_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// TestFAPI2FlowDPoP runs a FAPI 2.0 Security Profile flow through a real
// fosite provider: PAR with private_key_jwt (aud the issuer) and a DPoP
// proof, the authorization, the token request with the same DPoP key, a
// refresh, and the rotated refresh token presented again.
func TestFAPI2FlowDPoP(t *testing.T) {
	s := newTestServer(t)

	par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	require.NotEmpty(t, par.str("request_uri"))
	assert.Equal(t, float64(90), par.body["expires_in"])

	q := s.redirected(s.authorize(par.str("request_uri")))
	assert.Equal(t, fapitest.State, q.Get("state"))
	assert.Equal(t, issuer, q.Get("iss"), "RFC 9207 iss")
	code := q.Get("code")
	require.NotEmpty(t, code)

	tok := s.post("/token", s.tokenForm(code), s.proof(s.dpopKey, "/token"))
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	assert.Equal(t, "DPoP", tok.str("token_type"))
	require.NotEmpty(t, tok.str("access_token"))
	require.NotEmpty(t, tok.str("refresh_token"))
	require.NotEmpty(t, tok.str("id_token"))
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(tok.str("id_token"), ".")[0])
	require.NoError(t, err)
	assert.Contains(t, string(header), `"alg":"ES256"`, "an ID token algorithm FAPI permits (FAPI2-SP-5.4.1-1)")

	jkt := fapitest.Must(s.dpopKey.Thumbprint())
	rec, err := s.provider.AccessTokenRecord(t.Context(), tok.str("access_token"))
	require.NoError(t, err)
	require.NotNil(t, rec)
	assert.Equal(t, "DPoP", rec.TokenType)
	assert.Equal(t, jkt, rec.DPoPJKT)
	assert.Equal(t, "openid sp offline_access", rec.Scope)

	refresh := func(token string) answer {
		return s.post("/token", url.Values{
			"grant_type":            {"refresh_token"},
			"refresh_token":         {token},
			"client_assertion_type": {fapitest.JWTBearer},
			"client_assertion":      {s.assertion(issuer)},
		}, s.proof(s.dpopKey, "/token"))
	}
	again := refresh(tok.str("refresh_token"))
	require.Equal(t, http.StatusOK, again.status, "%v", again.body)
	assert.Equal(t, "DPoP", again.str("token_type"))
	assert.NotEqual(t, tok.str("refresh_token"), again.str("refresh_token"))

	reused := refresh(tok.str("refresh_token"))
	assert.Equal(t, http.StatusBadRequest, reused.status)
	assert.Equal(t, "invalid_grant", reused.str("error"))
	assert.Contains(t, reused.str("error_description"), "(refresh_token.reused, ")
	// The grant is revoked (RFC 9700 §4.14.2): the new refresh token is
	// dead too.
	dead := refresh(again.str("refresh_token"))
	assert.NotEqual(t, http.StatusOK, dead.status, "%v", dead.body)
}

// TestFAPI2MessageSigningFlow: under FAPI 2.0 Message Signing the pushed
// request is a signed request object (FAPI2-MS-5.3.1); the library
// verifies it and fosite receives its validated parameters only, never the
// object, which fosite would otherwise verify with rules of its own.
func TestFAPI2MessageSigningFlow(t *testing.T) {
	s := newTestServer(t, func(st *setup) {
		st.profile = profile.FAPI2MessageSigning
		st.client = func(c *fosite.DefaultOpenIDConnectClient) fosite.Client {
			c.RequestObjectSigningAlgorithm = "PS256"
			return c
		}
	})
	params := map[string]string{}
	for k, v := range s.parForm() {
		if !strings.HasPrefix(k, "client_assertion") {
			params[k] = v[0]
		}
	}
	claims, err := fapitest.RequestObjectClaims(issuer, clientID, params, time.Now())
	require.NoError(t, err)
	object := fapitest.Must(fapitest.RequestObject(s.clientKey, claims))
	form := url.Values{
		"client_id":             {clientID},
		"request":               {object},
		"client_assertion_type": {fapitest.JWTBearer},
		"client_assertion":      {s.assertion(issuer)},
	}
	par := s.post("/par", form, s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	stored, ok := s.store.PARSessions[par.str("request_uri")]
	require.True(t, ok)
	assert.Empty(t, stored.GetRequestForm().Get("request"), "fosite never sees the request object")
	assert.Empty(t, stored.GetRequestForm().Get("client_assertion"), "nor the client assertion")
	assert.Equal(t, challenge(fapitest.Verifier), stored.GetRequestForm().Get("code_challenge"))

	q := s.redirected(s.authorize(par.str("request_uri")))
	tok := s.post("/token", s.tokenForm(q.Get("code")), s.proof(s.dpopKey, "/token"))
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	assert.Equal(t, "DPoP", tok.str("token_type"))

	// An unsigned object is refused before fosite sees it.
	none := fapitest.Must(fapitest.Unsigned(claims))
	form.Set("request", none)
	form.Set("client_assertion", s.assertion(issuer))
	before := len(s.store.PARSessions)
	refused := s.post("/par", form, s.proof(s.dpopKey, "/par"))
	assert.Equal(t, http.StatusBadRequest, refused.status, "%v", refused.body)
	assert.Equal(t, "invalid_request_object", refused.str("error"))
	assert.Len(t, s.store.PARSessions, before)
}
