package fapifosite_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ory/fosite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapifosite"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/mtls"
)

// TestDPoPNonces: with server nonces required (RFC 9449 §8), a proof
// without the nonce is answered use_dpop_nonce with the DPoP-Nonce header,
// at the PAR and the token endpoints, and the retry with it succeeds.
func TestDPoPNonces(t *testing.T) {
	src, err := dpopnonce.New([]byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	s := newTestServer(t, func(st *setup) { st.nonces, st.require = src, true })

	form := s.parForm()
	first := s.post("/par", form, s.proof(s.dpopKey, "/par"))
	refusedBy(t, first, http.StatusBadRequest, "use_dpop_nonce", fapi.CodeDPoPNonceMissing)
	nonce := first.header.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	// A proof refused for its nonce burns nothing: the same assertion
	// works on the retry.
	par := s.post("/par", form, s.proof(s.dpopKey, "/par", "nonce", nonce))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	assert.Equal(t, nonce, par.header.Get("DPoP-Nonce"), "a fresh nonce on success too (RFC 9449 §8.2)")
	q := s.redirected(s.authorize(par.str("request_uri")))

	stale := s.post("/token", s.tokenForm(q.Get("code")), s.proof(s.dpopKey, "/token", "nonce", "not-the-nonce"))
	refusedBy(t, stale, http.StatusBadRequest, "use_dpop_nonce", fapi.CodeDPoPNonceInvalid)
	assert.Equal(t, nonce, stale.header.Get("DPoP-Nonce"))

	tok := s.post("/token", s.tokenForm(q.Get("code")), s.proof(s.dpopKey, "/token", "nonce", nonce))
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	assert.Equal(t, "DPoP", tok.str("token_type"))
	assert.Equal(t, nonce, tok.header.Get("DPoP-Nonce"))
}

// registered is a fosite client with its complete registration.
type registered struct {
	*fosite.DefaultOpenIDConnectClient
	reg fapi.Client
}

func (c registered) FAPIRegistration() fapi.Client { return c.reg }

// TestFAPI2FlowMTLS: the flow with certificate-bound tokens (RFC 8705 §3)
// over a TLS connection with a client certificate, no DPoP; the client's
// registration (tls_client_certificate_bound_access_tokens) comes through
// FAPIClient.
func TestFAPI2FlowMTLS(t *testing.T) {
	s := newTestServer(t, func(st *setup) {
		st.tls = true
		st.client = func(c *fosite.DefaultOpenIDConnectClient) fosite.Client {
			reg, err := fapifosite.ClientFromFosite(c)
			require.NoError(t, err)
			reg.TLSClientCertificateBoundAccessTokens = true
			return registered{c, reg}
		}
	})
	par := s.post("/par", s.parForm(), "")
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	q := s.redirected(s.authorize(par.str("request_uri")))

	tok := s.post("/token", s.tokenForm(q.Get("code")), "")
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	assert.Equal(t, "bearer", tok.str("token_type"))
	rec, err := s.provider.AccessTokenRecord(t.Context(), tok.str("access_token"))
	require.NoError(t, err)
	require.NotNil(t, rec)
	assert.Equal(t, mtls.Thumbprint(s.cert), rec.CertificateThumbprint)
	assert.Empty(t, rec.DPoPJKT)

	// Without the certificate, the refresh is refused: the tokens are
	// bound to it (FAPI2-SP-5.3.2.1-4).
	plain := s.srv.Client()
	s.http.Transport = plain.Transport
	refusedBy(t, s.post("/token", url.Values{
		"grant_type":            {"refresh_token"},
		"refresh_token":         {tok.str("refresh_token")},
		"client_assertion_type": {fapitest.JWTBearer},
		"client_assertion":      {s.assertion(issuer)},
	}, ""), http.StatusBadRequest, "invalid_grant", fapi.CodeMTLSCertificateMissing)
}

// TestAuthorizationErrors: the authorization endpoint redirects an error
// to the client only where the library trusts the redirect URI, with state
// and iss (RFC 6749 §4.1.2.1, RFC 9207 §2); otherwise it answers with an
// error page and no Location.
func TestAuthorizationErrors(t *testing.T) {
	s := newTestServer(t)
	get := func(q url.Values) answer {
		req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/authorize?"+q.Encode(), nil)
		require.NoError(t, err)
		return s.do(req)
	}
	plain := url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "scope": {s.scope},
		"state": {fapitest.State}, "code_challenge": {challenge(fapitest.Verifier)}, "code_challenge_method": {"S256"},
	}

	// FAPI 2.0 takes pushed requests only (FAPI2-SP-5.3.2.2-2): an
	// error the library never redirects (the redirect URI is the
	// unauthenticated request's).
	a := get(plain)
	refusedBy(t, a, http.StatusBadRequest, "invalid_request", fapi.CodePARRequired)
	assert.Empty(t, a.header.Get("Location"))

	// A redirect URI the client did not register is never redirected to.
	evil := url.Values{}
	for k, v := range plain {
		evil[k] = v
	}
	evil.Set("redirect_uri", "https://attacker.example/cb")
	page := get(evil)
	assert.Equal(t, http.StatusBadRequest, page.status, "%v", page.body)
	assert.Empty(t, page.header.Get("Location"))
	assert.NotEmpty(t, page.str("error"))

	// An unknown client: an error page.
	unknown := get(url.Values{"client_id": {"nobody"}, "request_uri": {"urn:ietf:params:oauth:request_uri:x"}})
	assert.Equal(t, http.StatusUnauthorized, unknown.status, "%v", unknown.body)
	assert.Empty(t, unknown.header.Get("Location"))
	assert.Equal(t, "invalid_client", unknown.str("error"))

	// A request_uri that was never pushed: refused.
	forged := get(url.Values{"client_id": {clientID}, "request_uri": {"urn:ietf:params:oauth:request_uri:forged"}})
	assert.NotEqual(t, http.StatusSeeOther, forged.status)
	assert.Empty(t, forged.header.Get("Location"))

	// A pushed request_uri is used for one authorization (RFC 9126 §7.3).
	par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	s.redirected(s.authorize(par.str("request_uri")))
	second := s.authorize(par.str("request_uri"))
	if second.status == http.StatusSeeOther {
		loc, err := url.Parse(second.header.Get("Location"))
		require.NoError(t, err)
		assert.Empty(t, loc.Query().Get("code"), "a second code for one request_uri")
		assert.NotEmpty(t, loc.Query().Get("error"))
	}
}

// TestCertificateBindsWithoutRegistration: under FAPI 2.0 a token request
// without a DPoP proof is accepted only with a TLS client certificate,
// because the access token must be sender-constrained
// (FAPI2-SP-5.3.2.1-4); the token is then bound to that certificate (cnf
// x5t#S256, RFC 8705 §3) also for a client whose registration does not
// say tls_client_certificate_bound_access_tokens, which fosite's clients
// have no field for. Otherwise it would be a bearer token.
func TestCertificateBindsWithoutRegistration(t *testing.T) {
	s := newTestServer(t, func(st *setup) { st.tls = true })
	par := s.post("/par", s.parForm(), "")
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	q := s.redirected(s.authorize(par.str("request_uri")))

	tok := s.post("/token", s.tokenForm(q.Get("code")), "")
	require.Equal(t, http.StatusOK, tok.status, "%v", tok.body)
	rec, err := s.provider.AccessTokenRecord(t.Context(), tok.str("access_token"))
	require.NoError(t, err)
	require.NotNil(t, rec)
	assert.Equal(t, mtls.Thumbprint(s.cert), rec.CertificateThumbprint, "an unbound access token under FAPI 2.0")
}
