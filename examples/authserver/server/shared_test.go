package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
)

// instance is one of several servers with one issuer, reached at its own
// address.
type instance struct {
	srv  *server.Server
	addr string // https://host:port of this instance
	hc   *http.Client
}

// sharedPair starts two instances of one FAPI 2.0 server that share a
// store, a state, the signing keys and the DPoP nonce secret, as two
// processes started with the same -redis and -secrets do.
func sharedPair(t *testing.T, store onetime.Store, state server.State) (*pe, [2]instance) {
	t.Helper()
	f := newPE(t, profile.FAPI2Security)
	c := f.clients["dpop"]
	secret := []byte("a DPoP nonce secret of 32 bytes or more, shared")
	var out [2]instance
	for i := range out {
		ts := httptest.NewUnstartedServer(nil)
		srv, err := server.New(server.Config{
			Profile:         profile.FAPI2Security,
			Issuer:          f.issuer, // both answer for one issuer
			Clients:         []server.Registration{registration(t, f.registrationDoc(c))},
			SigningKeys:     serverKeys(),
			DPoPNonceSecret: secret,
			Store:           store,
			State:           state,
			Now:             f.clock.Now,
			Logger:          slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		})
		require.NoError(t, err)
		ts.Config.Handler = srv.Handler()
		ts.TLS = srv.TLSConfig()
		ts.StartTLS()
		t.Cleanup(ts.Close)
		roots := x509.NewCertPool()
		roots.AddCert(srv.TLSCertificate())
		cert := certA()
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12,
			GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
				return &tls.Certificate{Certificate: [][]byte{cert.Cert.Raw}, PrivateKey: cert.Private}, nil
			}}}
		t.Cleanup(tr.CloseIdleConnections)
		out[i] = instance{srv: srv, addr: "https://" + ts.Listener.Addr().String(),
			hc: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}
	return f, out
}

// at is the URL of an endpoint of the issuer at instance in.
func at(f *pe, in instance, endpoint string) string {
	return in.addr + strings.TrimPrefix(endpoint, f.issuer)
}

// post sends a form to an endpoint of the issuer at instance in, with the
// DPoP proof given (its htu names the issuer's endpoint, as the client
// addresses it).
func post(t *testing.T, f *pe, in instance, endpoint string, form url.Values, proof string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, at(f, in, endpoint), strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := in.hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, resp.Header, body
}

// pushedCode runs a DPoP-bound pushed authorization at instance in (PAR,
// then the authorization endpoint) and returns the code.
func pushedCode(t *testing.T, f *pe, in instance, c *tclient, nonce string) string {
	t.Helper()
	form := stringParams(f.authorizationParams(c, flowOpts{}))
	form.Set("client_assertion_type", assertType)
	form.Set("client_assertion", fixtures.Sign(c.key, "PS256", f.assertion(c.id, f.issuer), nil))
	status, _, body := post(t, f, in, in.srv.PAREndpoint(), form, dpopProof(f, c, http.MethodPost, in.srv.PAREndpoint(), nonce, ""))
	require.Equal(t, http.StatusCreated, status, "%v", body)
	resp, err := in.hc.Get(at(f, in, in.srv.AuthorizationEndpoint()) + "?" + url.Values{"client_id": {c.id}, "request_uri": {body["request_uri"].(string)}}.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	return f.readResponse(t, c, resp, "query").Get("code")
}

func dpopProof(f *pe, c *tclient, method, u, nonce, accessToken string) string {
	claims := map[string]any{"jti": fixtures.B64([]byte(time.Now().String())), "htm": method, "htu": u, "iat": f.clock.Now().Unix(), "nonce": nonce}
	if accessToken != "" {
		claims["ath"] = s256(accessToken)
	}
	return fixtures.DPoPProof(*c.dpop, claims)
}

func redeemAt(t *testing.T, f *pe, in instance, c *tclient, code, proof string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"code_verifier": {pkceVerifier}, "client_assertion_type": {assertType},
		"client_assertion": {fixtures.Sign(c.key, "PS256", f.assertion(c.id, f.issuer), nil)}}
	status, _, body := post(t, f, in, in.srv.TokenEndpoint(), form, proof)
	return status, body
}

// testSharedInstances: what one instance issued the other serves, and what
// one used the other refuses — a code redeemed at each, a DPoP proof
// replayed to the other — because they share their store and state.
func testSharedInstances(t *testing.T, store onetime.Store, state server.State) {
	f, in := sharedPair(t, store, state)
	c := f.clients["dpop"]
	a, b := in[0], in[1]

	// One nonce source: a nonce from A is good at B.
	status, h, body := post(t, f, a, a.srv.PAREndpoint(), url.Values{}, dpopProof(f, c, http.MethodPost, a.srv.PAREndpoint(), "", ""))
	require.NotEqual(t, http.StatusCreated, status, "%v", body)
	nonce := h.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	// A code issued by A is redeemed at B once, then refused at A.
	code := pushedCode(t, f, a, c, nonce)
	require.NotEmpty(t, code)
	status, tok := redeemAt(t, f, b, c, code, dpopProof(f, c, http.MethodPost, b.srv.TokenEndpoint(), nonce, ""))
	require.Equal(t, http.StatusOK, status, "the code issued by A, at B: %v", tok)
	status, again := redeemAt(t, f, a, c, code, dpopProof(f, c, http.MethodPost, a.srv.TokenEndpoint(), nonce, ""))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", again["error"], "the same code at A: %v", again)

	// The reuse revoked the grant at both.
	access := tok["access_token"].(string)
	for _, x := range in {
		_, ok, err := x.srv.LookupAccessToken(context.Background(), access)
		require.NoError(t, err)
		assert.False(t, ok, "revoked everywhere")
	}

	// A DPoP proof accepted at A is refused at B.
	code = pushedCode(t, f, b, c, nonce)
	proof := dpopProof(f, c, http.MethodPost, a.srv.TokenEndpoint(), nonce, "")
	status, tok = redeemAt(t, f, a, c, code, proof)
	require.Equal(t, http.StatusOK, status, "%v", tok)
	code2 := pushedCode(t, f, a, c, nonce)
	status, body = redeemAt(t, f, b, c, code2, proof)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_dpop_proof", body["error"], "the proof replayed to B: %v", body)

	// A token issued by A works at B's resource, with the sender constraint.
	access = tok["access_token"].(string)
	req, err := http.NewRequest(http.MethodGet, at(f, b, b.srv.AccountsEndpoint()), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "DPoP "+access)
	req.Header.Set("DPoP", dpopProof(f, c, http.MethodGet, b.srv.AccountsEndpoint(), nonce, access))
	resp, err := b.hc.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", raw)
}

// TestSharedInstances runs two instances on one in-memory store and state
// (what two processes on one Redis share).
func TestSharedInstances(t *testing.T) {
	t.Parallel()
	testSharedInstances(t, onetime.NewMemory(1<<10), server.NewMemoryState(0))
}

// TestSeparateInstances: instances that do not share state do not know
// each other's codes: a code from A is unknown at B.
func TestSeparateInstances(t *testing.T) {
	t.Parallel()
	f, in := sharedPair(t, nil, nil)
	c := f.clients["dpop"]
	_, h, _ := post(t, f, in[0], in[0].srv.PAREndpoint(), url.Values{}, dpopProof(f, c, http.MethodPost, in[0].srv.PAREndpoint(), "", ""))
	nonce := h.Get("DPoP-Nonce")
	code := pushedCode(t, f, in[0], c, nonce)
	status, body := redeemAt(t, f, in[1], c, code, dpopProof(f, c, http.MethodPost, in[1].srv.TokenEndpoint(), nonce, ""))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"], "%v", body)
}
