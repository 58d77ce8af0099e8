package server_test

import (
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/profile"
)

const (
	roClientID  = "ro-client"
	rw2ClientID = "rw-client-2"
	redirectURI = server.SampleRedirectURI
	assertType  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// clock is a settable clock shared by the server and the test's JWTs.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// roKey is the read-only client's key, generated once for all tests.
var roKey = sync.OnceValue(func() fixtures.Key { return fixtures.RSA(2048, "ro-key", "PS256") })

// testWriter sends the server's log to the test log (shown with -v or on
// failure).
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// env is one server under httptest with TLS that requests client
// certificates, and HTTP clients that present one certificate, another
// one, or none, and never follow redirects.
type env struct {
	profile profile.Profile
	srv     *server.Server
	ts      *httptest.Server
	issuer  string
	clock   *clock

	rwKey fixtures.Key // the sample client's key
	rwID  string
	roKey fixtures.Key // the second client's key

	certA, certB        fixtures.Key
	withCert, otherCert *http.Client
	noCert              *http.Client

	jwks *jose.KeySet
}

// newEnv is a FAPI 1.0 ID2 read-and-write server with the sample client
// (rwID) and a second read-and-write client (rw2ClientID).
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, profile.FAPI1ReadWrite, nil)
}

// newROEnv is a FAPI 1.0 ID2 read-only server with the sample client and
// the read-only client roClientID.
func newROEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, profile.FAPI1ReadOnly, nil)
}

// newEnvWith is a server under profile p with a hook to add clients or
// trust anchors.
func newEnvWith(t *testing.T, p profile.Profile, configure func(*server.Config)) *env {
	t.Helper()
	e := &env{profile: p, clock: &clock{}}

	sample := sampleFor(t, p)
	e.rwID = sample.Client.ClientID
	e.rwKey = fixtures.Key{Private: sample.Key, ID: sample.KeyID, Alg: "PS256"}

	e.roKey = roKey()
	second := fapi.Client{
		ClientID:                    roClientID,
		ClientType:                  "confidential",
		RedirectURIs:                []string{redirectURI},
		TokenEndpointAuthMethod:     "private_key_jwt",
		JWKS:                        fixtures.JWKS(e.roKey),
		ResponseTypes:               []string{"code"},
		Scope:                       "openid accounts",
		TokenEndpointAuthSigningAlg: "PS256",
		IDTokenSignedResponseAlg:    "PS256",
	}
	if p == profile.FAPI1ReadWrite {
		second.ClientID = rw2ClientID
		second.ResponseTypes = []string{"code id_token"}
		second.TLSClientCertificateBoundAccessTokens = true
		second.RequestObjectSigningAlg = "PS256"
	}

	e.ts = httptest.NewUnstartedServer(nil)
	e.issuer = "https://" + e.ts.Listener.Addr().String()
	cfg := server.Config{
		Profile:     p,
		SigningKeys: serverKeys(),
		Issuer:      e.issuer,
		Clients:     []server.Registration{{Client: sample.Client}},
		Now:         e.clock.Now,
		Logger:      slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}
	if p == profile.FAPI1ReadOnly || p == profile.FAPI1ReadWrite {
		cfg.Clients = append(cfg.Clients, server.Registration{Client: second})
	}
	if configure != nil {
		configure(&cfg)
	}
	var err error
	e.srv, err = server.New(cfg)
	require.NoError(t, err)
	e.ts.Config.Handler = e.srv.Handler()
	e.ts.TLS = e.srv.TLSConfig()
	e.ts.StartTLS()
	t.Cleanup(e.ts.Close)

	e.certA = certA()
	e.certB = certB()
	e.withCert = e.httpClient(t, &e.certA)
	e.otherCert = e.httpClient(t, &e.certB)
	e.noCert = e.httpClient(t, nil)

	// The ID token keys come from the published JWKS, as a client gets them.
	resp, err := e.noCert.Get(e.issuer + server.PathJWKS)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	e.jwks, err = jose.ParseKeySet(body)
	require.NoError(t, err)
	return e
}

// samples are the sample clients of each profile, made once: RSA key
// generation is the slow part of a test.
var samples sync.Map // profile.Profile → *server.SampleClient

func sampleFor(t *testing.T, p profile.Profile) *server.SampleClient {
	t.Helper()
	if sc, ok := samples.Load(p); ok {
		return sc.(*server.SampleClient)
	}
	sc, err := server.NewSampleClient(p, server.SampleClientID)
	require.NoError(t, err)
	got, _ := samples.LoadOrStore(p, sc)
	return got.(*server.SampleClient)
}

// Keys and certificates generated once for all tests.
var (
	certA = sync.OnceValue(func() fixtures.Key {
		return fixtures.EC(elliptic.P256(), "tls-a", "ES256").WithCert(pkix.Name{CommonName: "client A"})
	})
	certB = sync.OnceValue(func() fixtures.Key {
		return fixtures.EC(elliptic.P256(), "tls-b", "ES256").WithCert(pkix.Name{CommonName: "client B"})
	})
)

func (e *env) httpClient(t *testing.T, cert *fixtures.Key) *http.Client {
	roots := x509.NewCertPool()
	roots.AddCert(e.srv.TLSCertificate())
	tr := &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:    roots,
		MinVersion: tls.VersionTLS12,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if cert == nil {
				return &tls.Certificate{}, nil
			}
			return &tls.Certificate{Certificate: [][]byte{cert.Cert.Raw}, PrivateKey: cert.Private}, nil
		},
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// requestObject returns the claims of a valid read-write request object,
// with every parameter inside; mutate the map for a broken one.
func (e *env) requestObject(state, nonce string) map[string]any {
	now := e.clock.Now()
	return map[string]any{
		"iss":           e.rwID,
		"aud":           e.issuer,
		"exp":           now.Add(5 * time.Minute).Unix(),
		"iat":           now.Unix(),
		"jti":           "ro-" + nonce,
		"client_id":     e.rwID,
		"response_type": "code id_token",
		"redirect_uri":  redirectURI,
		"scope":         "openid accounts",
		"state":         state,
		"nonce":         nonce,
		"claims": map[string]any{
			"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{server.ACR}}},
		},
	}
}

// rwParams are the outside parameters of a read-write request.
func (e *env) rwParams(object string) url.Values {
	return url.Values{
		"client_id":     {e.rwID},
		"response_type": {"code id_token"},
		"scope":         {"openid accounts"},
		"request":       {object},
	}
}

func (e *env) authorize(t *testing.T, c *http.Client, params url.Values) *http.Response {
	t.Helper()
	resp, err := c.Get(e.issuer + server.PathAuthorize + "?" + params.Encode())
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// redirect returns the parameters of an authorization response in the
// fragment or the query of the Location header.
func redirect(t *testing.T, resp *http.Response, inFragment bool) url.Values {
	t.Helper()
	require.Contains(t, []int{http.StatusFound, http.StatusSeeOther}, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, redirectURI, loc.Scheme+"://"+loc.Host+loc.Path)
	raw := loc.RawQuery
	if inFragment {
		raw = loc.EscapedFragment()
		assert.Empty(t, loc.RawQuery, "no query when the response is in the fragment")
	} else {
		assert.Empty(t, loc.Fragment)
	}
	vals, err := url.ParseQuery(raw)
	require.NoError(t, err)
	return vals
}

// assertion is a private_key_jwt client assertion; mutate the claims for a
// broken one.
func (e *env) assertion(clientID string, aud any) map[string]any {
	now := e.clock.Now()
	return map[string]any{
		"iss": clientID,
		"sub": clientID,
		"aud": aud,
		"iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(),
		"jti": fmt.Sprintf("jti-%d", now.UnixNano()),
	}
}

func tokenForm(code, assertion string) url.Values {
	return url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {code},
		"redirect_uri":          {redirectURI},
		"client_assertion_type": {assertType},
		"client_assertion":      {assertion},
	}
}

type tokenResult struct {
	status int
	header http.Header
	body   map[string]any
}

func (e *env) token(t *testing.T, c *http.Client, form url.Values) tokenResult {
	t.Helper()
	resp, err := c.PostForm(e.issuer+server.PathToken, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "no-cache", resp.Header.Get("Pragma"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body), "body: %s", raw)
	return tokenResult{resp.StatusCode, resp.Header, body}
}

// verifyIDToken checks the signature against the published JWKS and
// returns the claims.
func (e *env) verifyIDToken(t *testing.T, tok string) map[string]any {
	t.Helper()
	jws, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	assert.Equal(t, "PS256", jws.Header.Alg)
	assert.Equal(t, e.srv.SigningKeyID("PS256"), jws.Header.Kid)
	_, err = jws.Verify([]string{"PS256"}, e.jwks)
	require.NoError(t, err, "ID token signature")
	var claims map[string]any
	require.NoError(t, json.Unmarshal(jws.Payload, &claims))
	assert.Equal(t, e.issuer, claims["iss"])
	assert.Equal(t, server.Subject, claims["sub"])
	now := float64(e.clock.Now().Unix())
	assert.InDelta(t, now, claims["iat"], 5)
	assert.InDelta(t, now+300, claims["exp"], 5)
	return claims
}

// leftHalf is the c_hash / s_hash / at_hash of v for PS256.
func leftHalf(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// rwCode runs a valid read-write authorization and returns the code.
func (e *env) rwCode(t *testing.T) string {
	t.Helper()
	state, nonce := fmt.Sprintf("st-%d", time.Now().UnixNano()), fmt.Sprintf("n-%d", time.Now().UnixNano())
	obj := fixtures.Sign(e.rwKey, "PS256", e.requestObject(state, nonce), nil)
	vals := redirect(t, e.authorize(t, e.withCert, e.rwParams(obj)), true)
	require.Empty(t, vals.Get("error"), "authorization error: %s", vals.Get("error_description"))
	require.NotEmpty(t, vals.Get("code"))
	return vals.Get("code")
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// roCode runs a valid read-only authorization (PKCE S256) and returns the
// code.
func (e *env) roCode(t *testing.T) string {
	t.Helper()
	return e.roCodeFor(t, roClientID)
}

func (e *env) roCodeFor(t *testing.T, clientID string) string {
	t.Helper()
	vals := redirect(t, e.authorize(t, e.withCert, url.Values{
		"client_id":             {clientID},
		"response_type":         {"code"},
		"scope":                 {"openid accounts"},
		"redirect_uri":          {redirectURI},
		"state":                 {"ro-state"},
		"nonce":                 {"ro-nonce"},
		"code_challenge":        {s256(verifier)},
		"code_challenge_method": {"S256"},
	}), false)
	require.Empty(t, vals.Get("error"), "authorization error: %s", vals.Get("error_description"))
	require.NotEmpty(t, vals.Get("code"))
	return vals.Get("code")
}

func (e *env) rwAssertion() string {
	return fixtures.Sign(e.rwKey, "PS256", e.assertion(e.rwID, e.issuer+server.PathToken), nil)
}

func (e *env) roAssertion() string {
	return fixtures.Sign(e.roKey, "PS256", e.assertion(roClientID, e.issuer), nil)
}

func (e *env) userinfo(t *testing.T, c *http.Client, accessToken string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.issuer+server.PathUserinfo, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestReadWriteFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const state, nonce = "af0ifjsldkj", "n-0S6_WzA2Mj"
	obj := fixtures.Sign(e.rwKey, "PS256", e.requestObject(state, nonce), nil)

	resp := e.authorize(t, e.withCert, e.rwParams(obj))
	vals := redirect(t, resp, true)
	require.Empty(t, vals.Get("error"), vals.Get("error_description"))
	code, idt := vals.Get("code"), vals.Get("id_token")
	require.NotEmpty(t, code)
	require.NotEmpty(t, idt)
	assert.Equal(t, state, vals.Get("state"))
	raw, err := base64.RawURLEncoding.DecodeString(code)
	require.NoError(t, err)
	assert.Len(t, raw, 32, "the code carries 256 random bits")

	// The front-channel ID token is a detached signature over code and
	// state (FAPI-RW-5.2.2-3, -4).
	claims := e.verifyIDToken(t, idt)
	assert.Equal(t, e.rwID, claims["aud"])
	assert.Equal(t, nonce, claims["nonce"])
	assert.Equal(t, leftHalf(code), claims["c_hash"])
	assert.Equal(t, leftHalf(state), claims["s_hash"])
	assert.Equal(t, server.ACR, claims["acr"])
	assert.Contains(t, claims, "auth_time")

	tr := e.token(t, e.withCert, tokenForm(code, e.rwAssertion()))
	require.Equal(t, http.StatusOK, tr.status, "%v", tr.body)
	at, _ := tr.body["access_token"].(string)
	require.NotEmpty(t, at)
	assert.Equal(t, "Bearer", tr.body["token_type"])
	assert.EqualValues(t, 300, tr.body["expires_in"])
	assert.Equal(t, "openid accounts", tr.body["scope"])
	idt2, _ := tr.body["id_token"].(string)
	require.NotEmpty(t, idt2)
	claims2 := e.verifyIDToken(t, idt2)
	assert.Equal(t, e.rwID, claims2["aud"])
	assert.Equal(t, nonce, claims2["nonce"])
	assert.Equal(t, server.ACR, claims2["acr"])
	assert.Equal(t, leftHalf(at), claims2["at_hash"])

	// The access token is bound to the certificate of the token request.
	info, ok, err := e.srv.LookupAccessToken(t.Context(), at)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, mtls.Thumbprint(e.certA.Cert), info.CertificateThumbprint)
	assert.Equal(t, e.rwID, info.ClientID)
	assert.Equal(t, http.StatusOK, e.userinfo(t, e.withCert, at))
	assert.Equal(t, http.StatusUnauthorized, e.userinfo(t, e.otherCert, at), "another certificate")
	assert.Equal(t, http.StatusUnauthorized, e.userinfo(t, e.noCert, at), "no certificate")
}

func TestReadOnlyFlow(t *testing.T) {
	t.Parallel()
	e := newROEnv(t)
	code := e.roCode(t)

	form := tokenForm(code, e.roAssertion())
	form.Set("code_verifier", verifier)
	tr := e.token(t, e.withCert, form)
	require.Equal(t, http.StatusOK, tr.status, "%v", tr.body)
	assert.Equal(t, "openid accounts", tr.body["scope"])
	idt, _ := tr.body["id_token"].(string)
	require.NotEmpty(t, idt)
	claims := e.verifyIDToken(t, idt)
	assert.Equal(t, roClientID, claims["aud"])
	assert.Equal(t, "ro-nonce", claims["nonce"])
	assert.NotContains(t, claims, "acr", "acr was not requested")
}

func TestSampleRequest(t *testing.T) {
	t.Parallel()
	// The URL the command prints works as is.
	e := newEnv(t)
	c, ok := e.srv.Client(e.rwID)
	require.True(t, ok)
	sample := &server.SampleClient{Profile: e.profile, Client: c, Key: e.rwKey.Private, KeyID: e.rwKey.ID, Alg: "PS256"}
	req, err := sample.AuthorizationRequest(e.issuer, e.srv.AuthorizationEndpoint(), e.srv.PAREndpoint(), e.clock.Now(), 10*time.Minute)
	require.NoError(t, err)
	resp, err := e.withCert.Get(req.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	vals := redirect(t, resp, true)
	require.Empty(t, vals.Get("error"), vals.Get("error_description"))
	assert.Equal(t, req.State, vals.Get("state"))

	form := tokenForm(vals.Get("code"), e.rwAssertion())
	form.Set("code_verifier", req.CodeVerifier)
	tr := e.token(t, e.withCert, form)
	assert.Equal(t, http.StatusOK, tr.status, "%v", tr.body)
}

func TestAuthorizationErrors(t *testing.T) {
	t.Parallel()
	e, ro := newEnv(t), newROEnv(t)
	signed := func(mutate func(map[string]any)) string {
		c := e.requestObject("st-1", "n-1")
		mutate(c)
		return fixtures.Sign(e.rwKey, "PS256", c, nil)
	}
	roParams := func(extra url.Values) url.Values {
		p := url.Values{
			"client_id":             {roClientID},
			"response_type":         {"code"},
			"scope":                 {"openid accounts"},
			"redirect_uri":          {redirectURI},
			"state":                 {"ro-state"},
			"code_challenge":        {s256(verifier)},
			"code_challenge_method": {"S256"},
		}
		for k, v := range extra {
			if v == nil {
				p.Del(k)
			} else {
				p[k] = v
			}
		}
		return p
	}

	tests := []struct {
		name   string
		params url.Values
		// page: an HTML error page and no redirect; otherwise a redirect
		// with error and state in the fragment or the query.
		page       bool
		wantInPage string
		inFragment bool
		wantError  string
		wantState  string
		// ro: the request is the read-only client's, at a read-only server.
		ro bool
	}{
		{
			name:       "unknown client",
			params:     url.Values{"client_id": {"<script>alert(1)</script>"}, "response_type": {"code"}, "redirect_uri": {redirectURI}},
			page:       true,
			wantInPage: "is not registered",
		},
		{
			name:       "unregistered redirect_uri",
			params:     e.rwParams(signed(func(c map[string]any) { c["redirect_uri"] = "https://attacker.example/cb?<script>x</script>" })),
			page:       true,
			wantInPage: "redirect_uri.not_registered",
		},
		{
			name: "request object signed with RS256",
			params: e.rwParams(fixtures.Sign(e.rwKey, "RS256", e.requestObject("st-1", "n-1"),
				nil)),
			page:       true,
			wantInPage: "request_object.alg_not_allowed",
		},
		{
			name:       "request object signature does not verify",
			params:     e.rwParams(fixtures.Tamper(signed(func(map[string]any) {}))),
			page:       true,
			wantInPage: "request_object.signature_invalid",
		},
		{
			name: "read-write without a request object",
			params: url.Values{"client_id": {e.rwID}, "response_type": {"code id_token"}, "scope": {"openid accounts"},
				"redirect_uri": {redirectURI}, "state": {"s"}, "nonce": {"n"}},
			page:       true,
			wantInPage: "request_object.missing",
		},
		{
			name: "expired request object",
			params: e.rwParams(signed(func(c map[string]any) {
				c["exp"] = e.clock.Now().Add(-time.Minute).Unix()
				c["iat"] = e.clock.Now().Add(-10 * time.Minute).Unix()
			})),
			inFragment: true,
			wantError:  "invalid_request_object",
			wantState:  "st-1",
		},
		{
			name:       "request object without essential acr",
			params:     e.rwParams(signed(func(c map[string]any) { delete(c, "claims") })),
			inFragment: true,
			wantError:  "invalid_request",
			wantState:  "st-1",
		},
		{
			name: "outside parameter differs from the request object",
			params: func() url.Values {
				p := e.rwParams(signed(func(map[string]any) {}))
				p.Set("scope", "openid payments accounts")
				return p
			}(),
			inFragment: true,
			wantError:  "invalid_request",
			wantState:  "st-1",
		},
		{
			name: "essential acr the server cannot satisfy",
			params: e.rwParams(signed(func(c map[string]any) {
				c["claims"] = map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{"urn:example:loa:4"}}}}
			})),
			inFragment: true,
			wantError:  "access_denied",
			wantState:  "st-1",
		},
		{
			name:      "read-only without PKCE",
			ro:        true,
			params:    roParams(url.Values{"code_challenge": nil, "code_challenge_method": nil}),
			wantError: "invalid_request",
			wantState: "ro-state",
		},
		{
			name:      "read-only with plain PKCE",
			ro:        true,
			params:    roParams(url.Values{"code_challenge": {verifier}, "code_challenge_method": {"plain"}}),
			wantError: "invalid_request",
			wantState: "ro-state",
		},
		{
			name:      "scope the server does not define",
			ro:        true,
			params:    roParams(url.Values{"scope": {"openid accounts admin"}}),
			wantError: "invalid_scope",
			wantState: "ro-state",
		},
		{
			name:      "JARM response mode the server cannot deliver",
			ro:        true,
			params:    roParams(url.Values{"response_mode": {"jwt"}}),
			wantError: "invalid_request",
			wantState: "ro-state",
		},
		{
			name:       "duplicated redirect_uri",
			ro:         true,
			params:     roParams(url.Values{"redirect_uri": {redirectURI, "https://attacker.example/cb"}}),
			page:       true,
			wantInPage: "is sent more than once",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e
			if tt.ro {
				e = ro
			}
			resp := e.authorize(t, e.withCert, tt.params)
			if tt.page {
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("Location"), "must not redirect")
				assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				assert.Contains(t, string(body), tt.wantInPage)
				assert.NotContains(t, string(body), "<script>", "request values are HTML-escaped")
				return
			}
			vals := redirect(t, resp, tt.inFragment)
			assert.Equal(t, tt.wantError, vals.Get("error"), vals.Get("error_description"))
			assertErrorDescription(t, vals.Get("error_description"))
			assert.Equal(t, tt.wantState, vals.Get("state"))
			assert.Empty(t, vals.Get("code"))
		})
	}
}

// assertErrorDescription checks that desc may be sent as error_description
// (RFC 6749 §4.1.2.1, §5.2 and Appendix A.8: one or more of %x20-21 /
// %x23-5B / %x5D-7E) and is within fapi.MaxDescriptionLen.
func assertErrorDescription(t *testing.T, desc string) {
	t.Helper()
	assert.NotEmpty(t, desc, "error_description")
	assert.LessOrEqual(t, len(desc), fapi.MaxDescriptionLen, "error_description %q", desc)
	for i := 0; i < len(desc); i++ {
		if c := desc[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			t.Errorf("error_description %q has the byte 0x%02x at %d, outside its grammar", desc, c, i)
			return
		}
	}
}

// TestErrorDescriptionsEscaped sends values with quotes, backslashes,
// control characters and non-ASCII that the library's violations and the
// server's own texts quote: every error_description stays within its
// grammar and bound, with those bytes escaped as %XX.
func TestErrorDescriptionsEscaped(t *testing.T) {
	t.Parallel()
	e := newROEnv(t)
	const hostile = "x\"\\\t\x00\u00e9"
	roParams := func(name, value string) url.Values {
		p := url.Values{
			"client_id":             {roClientID},
			"response_type":         {"code"},
			"scope":                 {"openid accounts"},
			"redirect_uri":          {redirectURI},
			"state":                 {"ro-state"},
			"code_challenge":        {s256(verifier)},
			"code_challenge_method": {"S256"},
		}
		p.Set(name, value)
		return p
	}
	authorization := []struct {
		name      string
		params    url.Values
		wantError string
		// wantIn is part of the description: the quoted value escaped.
		wantIn    string
		truncated bool
	}{
		{
			name:      "library violation quoting code_challenge_method",
			params:    roParams("code_challenge_method", "S256"+hostile),
			wantError: fapi.OAuthInvalidRequest,
			wantIn:    "%22S256x%5C%22",
		},
		{
			name:      "library violation quoting code_challenge",
			params:    roParams("code_challenge", hostile),
			wantError: fapi.OAuthInvalidRequest,
			wantIn:    "%22x%5C%22",
		},
		{
			name:      "server policy text quoting response_mode",
			params:    roParams("response_mode", "jwt"+hostile),
			wantError: fapi.OAuthInvalidRequest,
			wantIn:    "response_mode %22jwtx%5C%22%5C%5C%5Ct%5Cx00%C3%A9%22 is not supported",
		},
		{
			name:      "server policy text over the bound",
			params:    roParams("response_mode", strings.Repeat(`"`, 300)),
			wantError: fapi.OAuthInvalidRequest,
			wantIn:    "response_mode %22%5C%22%5C%22",
			truncated: true,
		},
	}
	for _, tt := range authorization {
		t.Run(tt.name, func(t *testing.T) {
			vals := redirect(t, e.authorize(t, e.withCert, tt.params), false)
			assert.Equal(t, tt.wantError, vals.Get("error"))
			desc := vals.Get("error_description")
			assertErrorDescription(t, desc)
			assert.Contains(t, desc, tt.wantIn)
			if tt.truncated {
				assert.True(t, strings.HasSuffix(desc, "..."), "cut and marked: %q", desc)
			}
			assert.Equal(t, "ro-state", vals.Get("state"))
		})
	}

	tokenCases := []struct {
		name      string
		form      func() url.Values
		wantError string
		wantIn    string
	}{
		{
			name: "library violation quoting grant_type",
			form: func() url.Values {
				f := tokenForm(e.roCode(t), e.roAssertion())
				f.Set("grant_type", "client_credentials"+hostile)
				return f
			},
			wantError: fapi.OAuthUnsupportedGrantType,
			wantIn:    "%22client_credentialsx%5C%22",
		},
		{
			name: "library violation quoting redirect_uri",
			form: func() url.Values {
				f := tokenForm(e.roCode(t), e.roAssertion())
				f.Set("code_verifier", verifier)
				f.Set("redirect_uri", redirectURI+hostile)
				return f
			},
			wantError: fapi.OAuthInvalidGrant,
			wantIn:    "%22" + redirectURI + "x%5C%22",
		},
	}
	for _, tt := range tokenCases {
		t.Run(tt.name, func(t *testing.T) {
			tr := e.token(t, e.withCert, tt.form())
			assert.Equal(t, tt.wantError, tr.body["error"], "%v", tr.body)
			require.IsType(t, "", tr.body["error_description"])
			desc := tr.body["error_description"].(string)
			assertErrorDescription(t, desc)
			assert.Contains(t, desc, tt.wantIn)
		})
	}
}

func TestFormPost(t *testing.T) {
	t.Parallel()
	e := newROEnv(t)
	resp := e.authorize(t, e.withCert, url.Values{
		"client_id":             {roClientID},
		"response_type":         {"code"},
		"response_mode":         {"form_post"},
		"scope":                 {"openid accounts"},
		"redirect_uri":          {redirectURI},
		"state":                 {`"><script>alert(1)</script>`},
		"code_challenge":        {s256(verifier)},
		"code_challenge_method": {"S256"},
	})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	page := string(body)
	assert.Contains(t, page, `action="`+redirectURI+`"`)
	assert.Contains(t, page, `name="code"`)
	assert.NotContains(t, page, "<script>alert", "state is HTML-escaped")
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'nonce-")
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	e, ro := newEnv(t), newROEnv(t)
	tests := []struct {
		name       string
		client     *http.Client
		form       func() url.Values
		wantStatus int
		wantError  string
	}{
		{
			name:   "wrong code_verifier",
			client: ro.withCert,
			form: func() url.Values {
				f := tokenForm(ro.roCode(t), ro.roAssertion())
				f.Set("code_verifier", strings.Repeat("a", 43))
				return f
			},
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:   "no code_verifier",
			client: ro.withCert,
			form: func() url.Values {
				return tokenForm(ro.roCode(t), ro.roAssertion())
			},
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:   "assertion with wrong aud",
			client: e.withCert,
			form: func() url.Values {
				return tokenForm(e.rwCode(t), fixtures.Sign(e.rwKey, "PS256", e.assertion(e.rwID, "https://other.example"), nil))
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:   "assertion signed by another key",
			client: e.withCert,
			form: func() url.Values {
				return tokenForm(e.rwCode(t), fixtures.Sign(e.roKey, "PS256", e.assertion(e.rwID, e.issuer), nil))
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:   "assertion signed RS256",
			client: e.withCert,
			form: func() url.Values {
				return tokenForm(e.rwCode(t), fixtures.Sign(e.rwKey, "RS256", e.assertion(e.rwID, e.issuer), nil))
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:   "no client assertion",
			client: e.withCert,
			form: func() url.Values {
				f := tokenForm(e.rwCode(t), "")
				f.Del("client_assertion")
				f.Del("client_assertion_type")
				f.Set("client_id", e.rwID)
				return f
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:   "unknown client",
			client: e.withCert,
			form: func() url.Values {
				k := fixtures.RSA(2048, "x", "PS256")
				return tokenForm("whatever", fixtures.Sign(k, "PS256", e.assertion("nobody", e.issuer), nil))
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:       "no client certificate (certificate-bound tokens)",
			client:     e.noCert,
			form:       func() url.Values { return tokenForm(e.rwCode(t), e.rwAssertion()) },
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:   "redirect_uri differs",
			client: e.withCert,
			form: func() url.Values {
				f := tokenForm(e.rwCode(t), e.rwAssertion())
				f.Set("redirect_uri", "https://client.example.org/other")
				return f
			},
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:       "code issued to another client",
			client:     ro.withCert,
			form:       func() url.Values { return tokenForm(ro.roCode(t), ro.rwAssertion()) },
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:       "unknown code",
			client:     e.withCert,
			form:       func() url.Values { return tokenForm("bm90LWEtY29kZQ", e.rwAssertion()) },
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:   "unknown code and a bad assertion: authentication is judged first",
			client: e.withCert,
			form: func() url.Values {
				return tokenForm("bm90LWEtY29kZQ", fixtures.Sign(e.rwKey, "PS256", e.assertion(e.rwID, "https://other.example"), nil))
			},
			wantStatus: http.StatusUnauthorized,
			wantError:  "invalid_client",
		},
		{
			name:   "code_verifier for a code issued without code_challenge (PKCE downgrade)",
			client: e.withCert,
			form: func() url.Values {
				f := tokenForm(e.rwCode(t), e.rwAssertion())
				f.Set("code_verifier", verifier)
				return f
			},
			wantStatus: http.StatusBadRequest,
			wantError:  "invalid_grant",
		},
		{
			name:   "unsupported grant type",
			client: e.withCert,
			form: func() url.Values {
				f := tokenForm(e.rwCode(t), e.rwAssertion())
				f.Set("grant_type", "password")
				return f
			},
			wantStatus: http.StatusBadRequest,
			wantError:  "unsupported_grant_type",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e
			if tt.client == ro.withCert {
				e = ro
			}
			tr := e.token(t, tt.client, tt.form())
			assert.Equal(t, tt.wantStatus, tr.status, "%v", tr.body)
			assert.Equal(t, tt.wantError, tr.body["error"], "%v", tr.body)
			assert.NotContains(t, tr.body, "access_token")
			if desc, ok := tr.body["error_description"]; ok {
				require.IsType(t, "", desc)
				assertErrorDescription(t, desc.(string))
			}
			// RFC 6749 §5.2: a private_key_jwt client gets no challenge (no
			// HTTP authentication scheme covers its method).
			assert.Empty(t, tr.header.Get("WWW-Authenticate"))
		})
	}
}

func TestTokenRequestShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code := e.rwCode(t)
	form := tokenForm(code, e.rwAssertion())

	t.Run("JSON body", func(t *testing.T) {
		b, _ := json.Marshal(map[string]string{"grant_type": "authorization_code", "code": code})
		resp, err := e.withCert.Post(e.issuer+server.PathToken, "application/json", strings.NewReader(string(b)))
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("parameters in the query are ignored", func(t *testing.T) {
		resp, err := e.withCert.Post(e.issuer+server.PathToken+"?"+form.Encode(), "application/x-www-form-urlencoded", strings.NewReader(""))
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no client identified in the body")
	})
	t.Run("body over 64 KiB", func(t *testing.T) {
		f := url.Values{"pad": {strings.Repeat("x", 70<<10)}}
		tr := e.token(t, e.withCert, f)
		assert.Equal(t, http.StatusBadRequest, tr.status)
		assert.Equal(t, "invalid_request", tr.body["error"])
	})
	t.Run("GET", func(t *testing.T) {
		resp, err := e.withCert.Get(e.issuer + server.PathToken)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	})
	// The code was not consumed by the requests above, none of which
	// named it in its body.
	tr := e.token(t, e.withCert, form)
	assert.Equal(t, http.StatusOK, tr.status, "%v", tr.body)
}

func TestCodeReuseRevokesToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code := e.rwCode(t)
	first := e.token(t, e.withCert, tokenForm(code, e.rwAssertion()))
	require.Equal(t, http.StatusOK, first.status, "%v", first.body)
	at := first.body["access_token"].(string)
	require.Equal(t, http.StatusOK, e.userinfo(t, e.withCert, at))

	second := e.token(t, e.withCert, tokenForm(code, e.rwAssertion()))
	assert.Equal(t, http.StatusBadRequest, second.status)
	assert.Equal(t, "invalid_grant", second.body["error"])
	assert.Equal(t, http.StatusUnauthorized, e.userinfo(t, e.withCert, at), "RFC 6749 §4.1.2: tokens of a reused code are revoked")
}

func TestAssertionReplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	assertion := e.rwAssertion()
	first := e.token(t, e.withCert, tokenForm(e.rwCode(t), assertion))
	require.Equal(t, http.StatusOK, first.status, "%v", first.body)
	second := e.token(t, e.withCert, tokenForm(e.rwCode(t), assertion))
	assert.Equal(t, http.StatusUnauthorized, second.status)
	assert.Equal(t, "invalid_client", second.body["error"])
}

func TestCodeExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code := e.rwCode(t)
	e.clock.Advance(server.CodeLifetime + time.Second)
	tr := e.token(t, e.withCert, tokenForm(code, e.rwAssertion()))
	assert.Equal(t, http.StatusBadRequest, tr.status)
	assert.Equal(t, "invalid_grant", tr.body["error"])
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	for _, p := range server.Profiles() {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			e := newEnvWith(t, p, nil)
			d := e.discovery(t, e.srv.DiscoveryURL())
			assert.Equal(t, d, e.discovery(t, e.issuer+server.PathAuthorizationServerMetadata), "RFC 8414 section 3 serves the same document")
			want := map[string]any{
				"issuer":                                           e.issuer,
				"authorization_endpoint":                           e.issuer + "/authorize",
				"token_endpoint":                                   e.issuer + "/token",
				"jwks_uri":                                         e.issuer + "/jwks",
				"userinfo_endpoint":                                e.issuer + "/userinfo",
				"scopes_supported":                                 []any{"openid", "accounts"},
				"response_modes_supported":                         []any{"query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"},
				"grant_types_supported":                            []any{"authorization_code", "refresh_token", "client_credentials"},
				"subject_types_supported":                          []any{"public"},
				"id_token_signing_alg_values_supported":            []any{"PS256", "ES256"},
				"authorization_signing_alg_values_supported":       []any{"PS256", "ES256"},
				"token_endpoint_auth_methods_supported":            []any{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "client_secret_basic", "client_secret_post"},
				"request_parameter_supported":                      true,
				"request_uri_parameter_supported":                  true,
				"require_request_uri_registration":                 true,
				"claims_parameter_supported":                       true,
				"acr_values_supported":                             []any{server.ACR},
				"tls_client_certificate_bound_access_tokens":       true,
				"authorization_response_iss_parameter_supported":   true,
				"code_challenge_methods_supported":                 []any{"S256"},
				"require_signed_request_object":                    p == profile.FAPI2MessageSigning,
				"require_pushed_authorization_requests":            p == profile.FAPI2Security || p == profile.FAPI2MessageSigning,
				"token_endpoint_auth_signing_alg_values_supported": []any{"PS256", "ES256"},
				"request_object_signing_alg_values_supported":      []any{"PS256", "ES256"},
			}
			switch p {
			case profile.FAPI1ReadOnly, profile.FAPI1ReadWrite:
				want["response_types_supported"] = []any{"code id_token", "code"}
				assert.NotContains(t, d, "pushed_authorization_request_endpoint", "no PAR under ID2")
				assert.NotContains(t, d, "dpop_signing_alg_values_supported")
			case profile.FAPI1Baseline, profile.FAPI1Advanced:
				want["response_types_supported"] = []any{"code id_token", "code"}
				want["pushed_authorization_request_endpoint"] = e.issuer + "/par"
				assert.NotContains(t, d, "dpop_signing_alg_values_supported", "FAPI 1.0 binds tokens with mTLS")
			default:
				want["response_types_supported"] = []any{"code"}
				want["pushed_authorization_request_endpoint"] = e.issuer + "/par"
				want["dpop_signing_alg_values_supported"] = []any{"ES256", "PS256", "EdDSA"}
				want["token_endpoint_auth_signing_alg_values_supported"] = []any{"PS256", "ES256", "EdDSA"}
				want["request_object_signing_alg_values_supported"] = []any{"PS256", "ES256", "EdDSA"}
			}
			for k, v := range want {
				assert.Equal(t, v, d[k], k)
			}
			// Both signing keys are published under their thumbprints.
			require.Equal(t, 2, e.jwks.Len())
			ids := []string{e.jwks.Keys()[0].ID, e.jwks.Keys()[1].ID}
			assert.ElementsMatch(t, []string{e.srv.SigningKeyID("PS256"), e.srv.SigningKeyID("ES256")}, ids)
			// What is advertised passes the library's configuration check.
			svc := e.srv.Service()
			svc.RequireDPoPNonce = false // the package function has no nonce source
			report := fapi.CheckService(&svc)
			assert.True(t, report.OK(), "%v", report.Codes())
		})
	}
}

func (e *env) discovery(t *testing.T, u string) map[string]any {
	t.Helper()
	resp, err := e.noCert.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var d map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&d))
	return d
}

func TestNew(t *testing.T) {
	t.Parallel()
	sample, err := server.NewSampleClient(profile.FAPI1ReadWrite, "c1")
	require.NoError(t, err)
	reg := func(c fapi.Client) []server.Registration { return []server.Registration{{Client: c}} }
	with := func(mut func(*fapi.Client)) []server.Registration {
		c := sample.Client
		mut(&c)
		return reg(c)
	}
	rw := profile.FAPI1ReadWrite
	tests := []struct {
		name    string
		cfg     server.Config
		wantErr string
	}{
		{"valid", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: reg(sample.Client)}, ""},
		{"issuer with path", server.Config{Profile: rw, Issuer: "https://as.example.com/tenant/", Clients: reg(sample.Client)}, ""},
		{"http issuer", server.Config{Profile: rw, Issuer: "http://as.example.com", Clients: reg(sample.Client)}, "https"},
		{"issuer with query", server.Config{Profile: rw, Issuer: "https://as.example.com?x=1", Clients: reg(sample.Client)}, "query"},
		{"issuer path with a pattern character", server.Config{Profile: rw, Issuer: "https://as.example.com/{x}", Clients: reg(sample.Client)}, "path"},
		{"unknown profile", server.Config{Profile: "fapi3", Issuer: "https://as.example.com", Clients: reg(sample.Client)}, `profile "fapi3"`},
		{"no client", server.Config{Profile: rw, Issuer: "https://as.example.com"}, "no client"},
		{"auth method the service does not offer", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.TokenEndpointAuthMethod = "client_secret_jwt"
			c.ClientSecret = strings.Repeat("s", 64)
			c.TokenEndpointAuthSigningAlg = "HS256"
		})}, `token_endpoint_auth_method "client_secret_jwt" is not offered`},
		{"duplicate client", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: []server.Registration{{Client: sample.Client}, {Client: sample.Client}}}, "twice"},
		{"client the library rejects", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.RequestObjectSigningAlg = "RS256"
		})}, "client.alg_not_allowed"},
		{"client without certificate binding", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.TLSClientCertificateBoundAccessTokens = false
		})}, "client.mtls_binding_disabled"},
		{"ID tokens RS256 (absent)", server.Config{Profile: profile.FAPI1ReadOnly, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.ResponseTypes = []string{"code"}
			c.RequestObjectSigningAlg = ""
			c.IDTokenSignedResponseAlg = ""
		})}, "id_token_signed_response_alg RS256 (absent"},
		{"tls_client_auth without trusted CAs", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.TokenEndpointAuthMethod = "tls_client_auth"
			c.TLSClientAuthSubjectDN = "CN=client"
		})}, "tls_client_auth needs trusted client certificate authorities"},
		{"JARM with a registered algorithm", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.ResponseModes = []string{"jwt"}
			c.AuthorizationSignedResponseAlg = "PS256"
		})}, ""},
		{"JARM without a registered algorithm (RS256)", server.Config{Profile: profile.FAPI1ReadOnly, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.ResponseTypes = []string{"code"}
			c.ResponseModes = []string{"jwt"}
		})}, "authorization_signed_response_alg RS256 (absent, JARM section 3)"},
		{"PAR required without a PAR endpoint", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.RequirePushedAuthorizationRequests = true
		})}, "require_pushed_authorization_requests: there is no PAR endpoint under fapi1-read-write"},
		{"DPoP-bound tokens under FAPI 1.0", server.Config{Profile: profile.FAPI1Advanced, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.DPoPBoundAccessTokens = true
		})}, "dpop_bound_access_tokens: DPoP is offered under fapi2-security and fapi2-message-signing only"},
		{"FAPI 2.0 modes on an ID2 server", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.FAPIModes = []string{"fapi2_security"}
		})}, "fapi_modes [fapi2_security] selects fapi2-security, which this server does not run"},
		{"scope the server does not define", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.Scope = "openid payments"
		})}, `scope "payments" is not defined`},
		{"implicit grant", server.Config{Profile: rw, Issuer: "https://as.example.com", Clients: with(func(c *fapi.Client) {
			c.GrantTypes = []string{"authorization_code", "implicit"}
		})}, `grant type "implicit" is not offered`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := server.New(tt.cfg)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSuffix(tt.cfg.Issuer, "/")+"/.well-known/openid-configuration", s.DiscoveryURL())
			// The routes follow the issuer's path.
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, s.DiscoveryURL(), nil))
			assert.Equal(t, http.StatusOK, rec.Code)
		})
	}
}

func TestPrivateJWKRoundTrip(t *testing.T) {
	t.Parallel()
	for _, k := range []fixtures.Key{
		fixtures.RSA(2048, "rsa-1", "PS256"),
		fixtures.EC(elliptic.P256(), "ec-1", "ES256"),
	} {
		t.Run(k.Alg, func(t *testing.T) {
			data, err := server.MarshalPrivateJWK(k.Private, k.ID, k.Alg)
			require.NoError(t, err)
			got, kid, alg, err := server.ParsePrivateJWK(data)
			require.NoError(t, err)
			assert.Equal(t, k.ID, kid)
			assert.Equal(t, k.Alg, alg)
			assert.True(t, jose.SamePublicKey(k.Public(), got.Public()))
		})
	}
	_, _, _, err := server.ParsePrivateJWK([]byte(`{"kty":"oct","k":"AAAA"}`))
	assert.Error(t, err)
}

// TestNoPanicOnJunk sends malformed input to every endpoint; the server
// must answer, never crash.
func TestNoPanicOnJunk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	junk := []string{"", "%", "a=%zz", "request=" + strings.Repeat("e", 1000), "client_id=" + e.rwID + "&request=a.b.c",
		"client_id=" + e.rwID + "&request=" + url.QueryEscape(fixtures.Unsigned("none", map[string]any{"client_id": e.rwID}))}
	for _, q := range junk {
		resp, err := e.withCert.Get(e.issuer + server.PathAuthorize + "?" + q)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Less(t, resp.StatusCode, 500, q)
		resp, err = e.withCert.Post(e.issuer+server.PathToken, "application/x-www-form-urlencoded", strings.NewReader(q+"&client_assertion="+q))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Less(t, resp.StatusCode, 500, q)
	}
	// HEAD matches the GET route but must not issue a code.
	obj := fixtures.Sign(e.rwKey, "PS256", e.requestObject("s", "n"), nil)
	head, err := e.withCert.Head(e.issuer + server.PathAuthorize + "?" + e.rwParams(obj).Encode())
	require.NoError(t, err)
	head.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, head.StatusCode)
	assert.Empty(t, head.Header.Get("Location"))

	req, err := http.NewRequest(http.MethodGet, e.issuer+server.PathUserinfo, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer")
	resp, err := e.withCert.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "RFC 6750 section 3.1: a malformed request is invalid_request")
}
