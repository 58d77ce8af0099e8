package fapifosite_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// TestFAPI1BaselineFlow: under FAPI 1.0 Baseline the authorization request
// comes to the authorization endpoint itself, and a client assertion's aud
// may be the issuer or the token endpoint (OIDC Core §9, RFC 7523 §3 item
// 3); an error the library finds once the client and redirect URI are
// trusted is redirected with the state (RFC 6749 §4.1.2.1).
func TestFAPI1BaselineFlow(t *testing.T) {
	s := newTestServer(t, func(st *setup) { st.profile, st.iss = profile.FAPI1Baseline, true })
	get := func(q url.Values) answer {
		req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/authorize?"+q.Encode(), nil)
		require.NoError(t, err)
		return s.do(req)
	}
	request := func() url.Values {
		return url.Values{
			"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "scope": {s.scope},
			"state": {fapitest.State}, "nonce": {fapitest.Nonce},
			"code_challenge": {challenge(fapitest.Verifier)}, "code_challenge_method": {"S256"},
		}
	}

	for _, aud := range []string{issuer + "/token", issuer} {
		t.Run("aud "+aud, func(t *testing.T) {
			q := s.redirected(get(request()))
			require.NotEmpty(t, q.Get("code"), "%v", q)
			assert.Equal(t, issuer, q.Get("iss"), "RFC 9207 §2")
			form := s.tokenForm(q.Get("code"))
			form.Set("client_assertion", s.assertion(aud))
			tok := s.post("/token", form, "")
			require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
			assert.Equal(t, "bearer", tok.str("token_type"))
			assert.NotEmpty(t, tok.str("id_token"))
		})
	}

	t.Run("aud the authorization endpoint", func(t *testing.T) {
		q := s.redirected(get(request()))
		form := s.tokenForm(q.Get("code"))
		form.Set("client_assertion", s.assertion(issuer+"/authorize"))
		refusedBy(t, s.post("/token", form, ""), http.StatusUnauthorized, "invalid_client", fapi.CodeClientAssertionAudMismatch)
	})

	t.Run("no PKCE, redirected", func(t *testing.T) {
		q := request()
		q.Del("code_challenge")
		q.Del("code_challenge_method")
		a := get(q)
		got := s.redirected(a)
		assert.Empty(t, got.Get("code"))
		assert.Equal(t, "invalid_request", got.Get("error"))
		assert.Contains(t, got.Get("error_description"), "("+string(fapi.CodePKCEChallengeMissing))
		assert.Equal(t, fapitest.State, got.Get("state"))
		assert.Equal(t, issuer, got.Get("iss"), "RFC 9207 §2: in error responses too")
	})

	t.Run("request object by reference, never fetched", func(t *testing.T) {
		q := request()
		q.Set("request_uri", "https://client.example.org/request.jwt")
		// fosite would fetch it (and accept alg none where the client
		// registered no algorithm); the library never fetches.
		a := get(q)
		refusedBy(t, a, http.StatusBadRequest, "invalid_request_uri", fapi.CodeRequestObjectUnresolved)
		assert.Empty(t, a.header.Get("Location"))
	})
}
