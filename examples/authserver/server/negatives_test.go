package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/profile"
)

// TestReplayedCode: a code redeemed twice is refused the second time, and
// the tokens of the first redemption are revoked (RFC 6749 §4.1.2,
// FAPI2-SP-5.3.2.2-9), under every profile.
func TestReplayedCode(t *testing.T) {
	t.Parallel()
	for _, p := range server.Profiles() {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newPE(t, p)
			c := f.clients["client"]
			o := flowOpts{}
			if p == profile.FAPI2MessageSigning {
				o.mode = "jwt"
			}
			a := f.authorize(t, c, o)
			tok := f.token(t, c, a)
			at := f.checkTokens(t, c, tok)

			status, _, body := f.redeem(t, c, a)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_grant", body["error"], "%v", body)
			assert.NotContains(t, body, "access_token")

			status, _, _ = f.resource(t, f.withCert, c, "Bearer", at)
			assert.Equal(t, http.StatusUnauthorized, status, "the access token of the reused code is revoked")
			status, _, body = f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
				"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
			}, f.assertionAudience(f.srv.TokenEndpoint()))
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_grant", body["error"], "the refresh token of the reused code is revoked: %v", body)
		})
	}
}

// TestCodeOfAnotherClient: a code redeemed by another (authenticated)
// client is invalid_grant (RFC 6749 §4.1.3, §5.2), not unauthorized_client
// — also for a client outside FAPI, whose registration the code's FAPI
// profile refuses (its client rules are checked again at the token
// endpoint and fail with unauthorized_client, but the grant is the fault).
func TestCodeOfAnotherClient(t *testing.T) {
	t.Parallel()
	plain := map[string]any{
		"client_id": "plain", "redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "private_key_jwt",
		"jwks": fixtures.JWKS(otherKey()), "scope": "openid", "response_types": []string{"code"},
		"id_token_signed_response_alg": "PS256", "token_endpoint_auth_signing_alg": "PS256", "request_object_signing_alg": "PS256",
	}
	for _, p := range server.Profiles() {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newPE(t, p, plain)
			o := flowOpts{}
			if p == profile.FAPI2MessageSigning {
				o.mode = "jwt"
			}
			a := f.authorize(t, f.clients["client"], o)
			for _, other := range []*tclient{f.clients["other"], {id: "plain", key: otherKey(), scope: "openid", rt: "code"}} {
				status, _, body := f.redeem(t, other, a)
				assert.Equal(t, http.StatusBadRequest, status, other.id)
				assert.Equal(t, "invalid_grant", body["error"], "%s: %v", other.id, body)
				assert.Contains(t, body["error_description"], "issued to client")
			}
			// The code is still the client's: refused requests use nothing up.
			f.token(t, f.clients["client"], a)
		})
	}
}

// TestReplayedDPoPProof: a DPoP proof is used once, at the token endpoint
// and at the resource (RFC 9449 §11.1), through the server's store.
func TestReplayedDPoPProof(t *testing.T) {
	t.Parallel()
	f := newPE(t, profile.FAPI2Security)
	c := f.clients["dpop"]
	first := f.token(t, c, f.authorize(t, c, flowOpts{}))
	at := f.checkTokens(t, c, first)

	a := f.authorize(t, c, flowOpts{})
	proof := f.proof(*c.dpop, http.MethodPost, f.srv.TokenEndpoint(), "")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {a.params.Get("code")}, "redirect_uri": {redirectURI}, "code_verifier": {a.verifier}}
	status, _, body := f.backChannelWith(t, f.withCert, c, f.srv.TokenEndpoint(), form, f.issuer, proof)
	require.Equal(t, http.StatusOK, status, "%v", body)
	b := f.authorize(t, c, flowOpts{})
	form.Set("code", b.params.Get("code"))
	status, _, body = f.backChannelWith(t, f.withCert, c, f.srv.TokenEndpoint(), form, f.issuer, proof)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_dpop_proof", body["error"], "%v", body)
	assert.Contains(t, body["error_description"], "used before")

	// At the resource.
	u := f.srv.AccountsEndpoint()
	rproof := f.proof(*c.dpop, http.MethodGet, u, at)
	get := func() (int, http.Header) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "DPoP "+at)
		req.Header.Set("DPoP", rproof)
		resp, err := f.withCert.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	status, _ = get()
	require.Equal(t, http.StatusOK, status)
	status, h := get()
	assert.Equal(t, http.StatusUnauthorized, status, "a replayed proof at the resource")
	assert.Contains(t, h.Get("WWW-Authenticate"), `DPoP error="invalid_dpop_proof"`)
}

// TestDPoPNonce: without the server's nonce a proof is answered with
// use_dpop_nonce and the nonce, at the PAR and token endpoints (400) and at
// the resource (401 with the DPoP challenge); with -dpop-nonces-optional
// (Config.DPoPNoncesOptional) a proof without one passes.
func TestDPoPNonce(t *testing.T) {
	t.Parallel()
	f := newPE(t, profile.FAPI2Security)
	c := f.clients["dpop"]
	tok := f.token(t, c, f.authorize(t, c, flowOpts{}))
	at := tok["access_token"].(string)

	noNonce := fixtures.DPoPProof(*c.dpop, map[string]any{"jti": "no-nonce-1", "htm": "POST", "htu": f.srv.PAREndpoint(), "iat": f.clock.Now().Unix()})
	form := stringParams(f.authorizationParams(c, flowOpts{}))
	status, h, body := f.backChannelWith(t, f.withCert, c, f.srv.PAREndpoint(), form, f.issuer, noNonce)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "use_dpop_nonce", body["error"], "%v", body)
	assert.NotEmpty(t, h.Get("DPoP-Nonce"))

	stale := fixtures.DPoPProof(*c.dpop, map[string]any{"jti": "stale-1", "htm": "GET", "htu": f.srv.AccountsEndpoint(),
		"iat": f.clock.Now().Unix(), "nonce": "not-the-servers-nonce", "ath": s256(at)})
	req, err := http.NewRequest(http.MethodGet, f.srv.AccountsEndpoint(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "DPoP "+at)
	req.Header.Set("DPoP", stale)
	resp, err := f.withCert.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `error="use_dpop_nonce"`)
	assert.NotEmpty(t, resp.Header.Get("DPoP-Nonce"))

	optional := newEnvWith(t, profile.FAPI2Security, func(cfg *server.Config) {
		cfg.Clients = []server.Registration{registration(t, f.registrationDoc(c))}
		cfg.DPoPNoncesOptional = true
		cfg.SigningKeys = serverKeys()
	})
	g := &pe{env: optional, clients: f.clients}
	g.objects = f.objects
	status, _, body = g.backChannelWith(t, g.withCert, c, g.srv.PAREndpoint(), form,
		g.issuer, fixtures.DPoPProof(*c.dpop, map[string]any{"jti": "no-nonce-2", "htm": "POST", "htu": g.srv.PAREndpoint(), "iat": g.clock.Now().Unix()}))
	assert.Equal(t, http.StatusCreated, status, "nonces optional: %v", body)
}

// TestDPoPOutsideFAPI2: FAPI 1.0 binds tokens with mTLS and the server
// offers no DPoP there: a proof is refused, not silently ignored.
func TestDPoPOutsideFAPI2(t *testing.T) {
	t.Parallel()
	f := newPE(t, profile.FAPI1Advanced)
	c := f.clients["client"]
	a := f.authorize(t, c, flowOpts{})
	form := url.Values{"grant_type": {"authorization_code"}, "code": {a.params.Get("code")}, "redirect_uri": {redirectURI}}
	proof := fixtures.DPoPProof(dpopKeyA(), map[string]any{"jti": "x", "htm": "POST", "htu": f.srv.TokenEndpoint(), "iat": f.clock.Now().Unix()})
	status, h, body := f.backChannelWith(t, f.withCert, c, f.srv.TokenEndpoint(), form, f.srv.TokenEndpoint(), proof)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_dpop_proof", body["error"], "%v", body)
	assert.Contains(t, body["error_description"], "DPoP is not offered under fapi1-advanced")
	assert.Empty(t, h.Get("DPoP-Nonce"), "no nonces where there is no DPoP")
	status, h, _ = f.redeem(t, c, a)
	assert.Equal(t, http.StatusOK, status, "the code was not used up by the refused request")
	assert.Empty(t, h.Get("DPoP-Nonce"))
}

// TestClientAuthenticationChallenge: invalid_client is a 401, with a Basic
// challenge only for a client that authenticates with HTTP Basic, and the
// error in the body alone for a private_key_jwt client (RFC 6749 §5.2), at
// the token and PAR endpoints.
func TestClientAuthenticationChallenge(t *testing.T) {
	t.Parallel()
	f := newPE(t, profile.FAPI1Baseline)
	post := func(endpoint string, form url.Values, basic [2]string) (int, http.Header, map[string]any) {
		req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic[0] != "" {
			req.SetBasicAuth(basic[0], basic[1])
		}
		resp, err := f.withCert.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return resp.StatusCode, resp.Header, body
	}
	code := url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}, "redirect_uri": {redirectURI}}
	badAssertion := func(aud string) url.Values {
		v := url.Values{"client_assertion_type": {assertType},
			"client_assertion": {fixtures.Sign(otherKey(), "PS256", f.assertion("client", aud), nil)}}
		for k, x := range code {
			v[k] = x
		}
		return v
	}
	tests := []struct {
		name       string
		endpoint   string
		form       url.Values
		basic      [2]string
		wantStatus int
		wantBasic  bool
	}{
		{"Basic client, wrong secret", f.srv.TokenEndpoint(), code, [2]string{"basic", "wrong"}, http.StatusUnauthorized, true},
		// A Basic client that sent no credentials did not try HTTP Basic: no
		// challenge (fapihttp.WriteTokenError; RFC 6749 §5.2 asks for one only
		// for a client that used the Authorization header).
		{"Basic client, no credentials", f.srv.TokenEndpoint(), withClientID(code, "basic"), [2]string{}, http.StatusUnauthorized, false},
		{"Basic credentials of an unknown client", f.srv.TokenEndpoint(), code, [2]string{"nobody", "x"}, http.StatusUnauthorized, true},
		{"private_key_jwt client, assertion signed by another key", f.srv.TokenEndpoint(), badAssertion(f.srv.TokenEndpoint()), [2]string{}, http.StatusUnauthorized, false},
		{"private_key_jwt client, no assertion", f.srv.TokenEndpoint(), withClientID(code, "client"), [2]string{}, http.StatusUnauthorized, false},
		{"private_key_jwt client at PAR", f.srv.PAREndpoint(), badAssertion(f.issuer), [2]string{}, http.StatusUnauthorized, false},
		{"unknown client without credentials", f.srv.TokenEndpoint(), withClientID(code, "nobody"), [2]string{}, http.StatusUnauthorized, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := post(tt.endpoint, tt.form, tt.basic)
			assert.Equal(t, tt.wantStatus, status, "%v", body)
			assert.Equal(t, "invalid_client", body["error"], "%v", body)
			if tt.wantBasic {
				assert.True(t, strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic realm="), h.Get("WWW-Authenticate"))
			} else {
				assert.Empty(t, h.Get("WWW-Authenticate"), "no HTTP authentication scheme covers the client's method")
			}
		})
	}
}

func withClientID(v url.Values, id string) url.Values {
	out := url.Values{"client_id": {id}}
	for k, x := range v {
		out[k] = x
	}
	return out
}

// TestAuthorizationRefusals: what the server refuses at the authorization
// endpoint beyond a single library rule, and where the answer goes.
func TestAuthorizationRefusals(t *testing.T) {
	t.Parallel()
	t.Run("FAPI 2.0 requires PAR", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI2Security)
		c := f.clients["client"]
		q := stringParams(f.authorizationParams(c, flowOpts{}))
		resp, err := f.noCert.Get(f.issuer + server.PathAuthorize + "?" + q.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, string(body), "par.required")
		assert.Empty(t, resp.Header.Get("Location"), "never redirected (the code stops the redirect)")
	})
	t.Run("a pushed request_uri is used once", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI2Security)
		c := f.clients["client"]
		params := stringParams(f.authorizationParams(c, flowOpts{}))
		status, _, body := f.backChannel(t, c, f.srv.PAREndpoint(), params, f.issuer)
		require.Equal(t, http.StatusCreated, status, "%v", body)
		q := url.Values{"client_id": {c.id}, "request_uri": {body["request_uri"].(string)}}.Encode()
		get := func() url.Values {
			resp, err := f.noCert.Get(f.issuer + server.PathAuthorize + "?" + q)
			require.NoError(t, err)
			defer resp.Body.Close()
			return f.readResponse(t, c, resp, "query")
		}
		first := get()
		require.NotEmpty(t, first.Get("code"))
		second := get()
		assert.Equal(t, "invalid_request_uri", second.Get("error"), "RFC 9126 section 7.3: %v", second)
		assert.Empty(t, second.Get("code"))
	})
	t.Run("an unknown request_uri", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI2Security)
		resp, err := f.noCert.Get(f.issuer + server.PathAuthorize + "?" + url.Values{"client_id": {"client"},
			"request_uri": {"urn:ietf:params:oauth:request_uri:made-up"}}.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, string(body), "invalid_request_uri")
	})
	t.Run("a request_uri the client did not register is not fetched", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI1Advanced)
		resp, err := f.noCert.Get(f.issuer + server.PathAuthorize + "?" + url.Values{"client_id": {"client"},
			"response_type": {"code id_token"}, "scope": {"openid accounts"},
			"request_uri": {f.objects.URL + "/elsewhere"}}.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, string(body), "not one the client registered")
	})
	t.Run("a FAPI client asking for no FAPI scope", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI1Baseline)
		a, resp := f.authorizeRaw(t, f.clients["client"], flowOpts{scope: "openid"})
		require.NotNil(t, resp)
		assert.Equal(t, "invalid_scope", a.params.Get("error"), "%v", a.params)
		assert.Contains(t, a.params.Get("error_description"), "registered for FAPI")
	})
	t.Run("require_signed_request_object", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI1Baseline)
		c := f.clients["signed"]
		a, resp := f.authorizeRaw(t, c, flowOpts{plain: true})
		require.NotNil(t, resp)
		assert.Equal(t, "invalid_request", a.params.Get("error"), "%v", a.params)
		assert.Contains(t, a.params.Get("error_description"), "require_signed_request_object")
		f.token(t, c, f.authorize(t, c, flowOpts{})) // signed: accepted
		f.token(t, c, f.authorize(t, c, flowOpts{par: true}))
		status, _, body := f.backChannel(t, c, f.srv.PAREndpoint(), stringParams(f.authorizationParams(c, flowOpts{})), f.issuer)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_request", body["error"], "pushed, unsigned: %v", body)
	})
	t.Run("errors go in the JARM mode asked for, signed", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI1Baseline)
		c := f.clients["jarm"]
		a, resp := f.authorizeRaw(t, c, flowOpts{mode: "query.jwt", scope: "openid accounts unknown"})
		require.NotNil(t, resp)
		assert.Equal(t, "invalid_scope", a.params.Get("error"), "%v", a.params)
		assert.NotEmpty(t, a.params.Get("state"))
	})
	t.Run("JARM for a client without a signing algorithm", func(t *testing.T) {
		t.Parallel()
		f := newPE(t, profile.FAPI1Baseline)
		a, resp := f.authorizeRaw(t, f.clients["client"], flowOpts{mode: "jwt", readAs: "query"})
		require.NotNil(t, resp)
		assert.Equal(t, "invalid_request", a.params.Get("error"), "%v", a.params)
	})
}
