package server_test

import (
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/profile"
)

// The clients of a flow test, generated once.
var (
	clientKey = sync.OnceValue(func() fixtures.Key { return fixtures.RSA(2048, "client-key", "PS256") })
	otherKey  = sync.OnceValue(func() fixtures.Key { return fixtures.RSA(2048, "other-key", "PS256") })
	dpopKeyA  = sync.OnceValue(func() fixtures.Key { return fixtures.EC(elliptic.P256(), "", "ES256") })
	dpopKeyB  = sync.OnceValue(func() fixtures.Key { return fixtures.EC(elliptic.P256(), "", "ES256") })
	// serverKeys sign for every test server: key generation is slow.
	serverKeys = sync.OnceValue(func() *server.SigningKeys {
		k, err := server.GenerateSigningKeys()
		if err != nil {
			panic(err)
		}
		return k
	})
)

const basicSecret = "a-client-secret-of-32-characters"

// tclient is a client of a flow test: its registration and keys.
type tclient struct {
	id  string
	key fixtures.Key
	// dpop, when set, binds the client's tokens with DPoP (RFC 9449).
	dpop *fixtures.Key
	// basic: the client authenticates with client_secret_basic.
	basic bool
	// jarmAlg is the client's authorization_signed_response_alg.
	jarmAlg string
	scope   string
	rt      string
	signed  bool // require_signed_request_object
}

// pe is a server under one profile with the clients of the flow tests, a
// server of request objects by reference, and the DPoP nonce the server
// gave last.
type pe struct {
	*env
	clients map[string]*tclient

	objects *httptest.Server
	objMu   sync.Mutex
	objs    map[string]string

	nonceMu sync.Mutex
	nonce   string
	retries int // use_dpop_nonce answers seen
}

// responseTypeOf is the response type a profile's clients register: the
// hybrid flow where FAPI 1.0 ID2 read-write and Advanced require it without
// JARM (FAPI-RW-5.2.2-2, FAPI1-ADV-5.2.2-2).
func responseTypeOf(p profile.Profile) string {
	if p == profile.FAPI1ReadWrite || p == profile.FAPI1Advanced {
		return "code id_token"
	}
	return "code"
}

// isFAPI2 says whether p is a FAPI 2.0 profile: PAR required, DPoP offered.
func isFAPI2(p profile.Profile) bool {
	return p == profile.FAPI2Security || p == profile.FAPI2MessageSigning
}

// signsRequests says whether p requires signed request objects.
func signsRequests(p profile.Profile) bool {
	return p == profile.FAPI1ReadWrite || p == profile.FAPI1Advanced || p == profile.FAPI2MessageSigning
}

// newPE starts a server under p with the clients client, other (another
// key), jarm (JARM with ES256, response type code), basic (outside FAPI:
// scope openid, client_secret_basic), signed (require_signed_request_object)
// and, under FAPI 2.0, dpop (DPoP-bound tokens). extra registrations are
// added as given.
func newPE(t *testing.T, p profile.Profile, extra ...map[string]any) *pe {
	t.Helper()
	f := &pe{clients: map[string]*tclient{}, objs: map[string]string{}}
	f.objects = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.objMu.Lock()
		obj, ok := f.objs[r.URL.Path]
		f.objMu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		_, _ = io.WriteString(w, obj)
	}))
	t.Cleanup(f.objects.Close)

	add := func(c *tclient) { f.clients[c.id] = c }
	rt := responseTypeOf(p)
	ms := ""
	if p == profile.FAPI2MessageSigning {
		ms = "PS256" // ms-authres: every response signed (FAPI2-MS-5.4.1-1)
	}
	add(&tclient{id: "client", key: clientKey(), jarmAlg: ms, scope: "openid accounts", rt: rt})
	add(&tclient{id: "other", key: otherKey(), jarmAlg: ms, scope: "openid accounts", rt: rt})
	add(&tclient{id: "jarm", key: clientKey(), jarmAlg: "ES256", scope: "openid accounts", rt: "code"})
	add(&tclient{id: "signed", key: clientKey(), jarmAlg: ms, scope: "openid accounts", rt: rt, signed: true})
	if p != profile.FAPI2MessageSigning {
		// Message Signing requires every request to be a signed request
		// object (require_signed_request_object), which a client without
		// keys cannot send: the server refuses to register it.
		add(&tclient{id: "basic", basic: true, scope: "openid", rt: "code"})
	}
	if isFAPI2(p) {
		k := dpopKeyA()
		add(&tclient{id: "dpop", key: clientKey(), dpop: &k, jarmAlg: ms, scope: "openid accounts", rt: rt})
	}

	var regs []server.Registration
	for _, id := range []string{"client", "other", "jarm", "signed", "basic", "dpop"} {
		c, ok := f.clients[id]
		if !ok {
			continue
		}
		regs = append(regs, registration(t, f.registrationDoc(c)))
	}
	for _, doc := range extra {
		regs = append(regs, registration(t, doc))
	}
	roots := x509.NewCertPool()
	roots.AddCert(f.objects.Certificate())
	fetch := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	f.env = newEnvWith(t, p, func(cfg *server.Config) {
		cfg.Clients = regs
		cfg.SigningKeys = serverKeys()
		cfg.RequestObjectClient = fetch
	})
	return f
}

// registrationDoc is the client's RFC 7591 registration.
func (f *pe) registrationDoc(c *tclient) map[string]any {
	doc := map[string]any{
		"client_id":      c.id,
		"client_name":    "flow test client " + c.id,
		"redirect_uris":  []string{redirectURI},
		"response_types": []string{c.rt},
		"scope":          c.scope,
		"grant_types":    []string{"authorization_code", "refresh_token", "client_credentials"},
		"request_uris":   []string{f.objects.URL + "/" + c.id},
		// An ID token for every client that asks for openid.
		"id_token_signed_response_alg": "PS256",
	}
	if c.basic {
		doc["token_endpoint_auth_method"] = "client_secret_basic"
		doc["client_secret"] = basicSecret
		doc["grant_types"] = []string{"authorization_code"}
		delete(doc, "request_uris")
		return doc
	}
	doc["token_endpoint_auth_method"] = "private_key_jwt"
	doc["token_endpoint_auth_signing_alg"] = "PS256"
	doc["request_object_signing_alg"] = "PS256"
	doc["jwks"] = fixtures.JWKS(c.key)
	doc["client_type"] = "confidential"
	if c.jarmAlg != "" {
		doc["authorization_signed_response_alg"] = c.jarmAlg
	}
	if c.signed {
		doc["require_signed_request_object"] = true
	}
	if c.dpop != nil {
		doc["dpop_bound_access_tokens"] = true
	} else {
		doc["tls_client_certificate_bound_access_tokens"] = true
	}
	return doc
}

// registration parses a registration document as the server's -client-config
// file does.
func registration(t *testing.T, doc map[string]any) server.Registration {
	t.Helper()
	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	r, err := server.ParseRegistration(raw)
	require.NoError(t, err)
	return r
}

// flowOpts vary one authorization.
type flowOpts struct {
	// mode is the response_mode ("" for the default).
	mode string
	// par pushes the request (always under FAPI 2.0).
	par bool
	// byRef sends the request object by reference (a registered
	// request_uri the server fetches).
	byRef bool
	// plain sends the parameters unsigned even where the profile signs.
	plain bool
	// scope replaces the client's scope.
	scope string
	// readAs reads the response in this mode instead of the one asked for
	// (an error the server cannot sign comes in the default mode).
	readAs string
}

// authz is the outcome of an authorization: the response parameters (the
// verified claims of a JARM response) and what the token request needs.
type authz struct {
	params   url.Values
	verifier string
	nonce    string
}

const pkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// authorizationParams are the parameters of a valid authorization request
// of c under the env's profile.
func (f *pe) authorizationParams(c *tclient, o flowOpts) map[string]any {
	sc := c.scope
	if o.scope != "" {
		sc = o.scope
	}
	nonce := fmt.Sprintf("n-%d", time.Now().UnixNano())
	params := map[string]any{
		"client_id":             c.id,
		"response_type":         c.rt,
		"redirect_uri":          redirectURI,
		"scope":                 sc,
		"state":                 fmt.Sprintf("st-%d", time.Now().UnixNano()),
		"nonce":                 nonce,
		"code_challenge":        s256(pkceVerifier),
		"code_challenge_method": "S256",
	}
	if f.profile == profile.FAPI1ReadWrite {
		params["claims"] = map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{server.ACR}}}}
	}
	if o.mode != "" {
		params["response_mode"] = o.mode
	}
	return params
}

// requestObject signs params as c's request object (RFC 9101 §4: iss, aud
// the issuer, exp, nbf, iat and jti).
func (f *pe) requestObject(c *tclient, params map[string]any) string {
	now := f.clock.Now()
	claims := map[string]any{
		"iss": c.id, "aud": f.issuer, "iat": now.Unix(), "nbf": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(), "jti": fmt.Sprintf("ro-%d", time.Now().UnixNano()),
	}
	for k, v := range params {
		claims[k] = v
	}
	return fixtures.Sign(c.key, "PS256", claims, map[string]any{"typ": "oauth-authz-req+jwt"})
}

// stringParams is params as a form: the claims parameter as its JSON text.
func stringParams(params map[string]any) url.Values {
	v := url.Values{}
	for k, x := range params {
		if s, ok := x.(string); ok {
			v.Set(k, s)
			continue
		}
		raw, _ := json.Marshal(x)
		v.Set(k, string(raw))
	}
	return v
}

// authorize runs c's authorization and returns the response, which must
// not be an error.
func (f *pe) authorize(t *testing.T, c *tclient, o flowOpts) authz {
	t.Helper()
	a, resp := f.authorizeRaw(t, c, o)
	require.NotNil(t, resp, "the authorization was answered with an error page")
	require.Empty(t, a.params.Get("error"), "%s: %s", a.params.Get("error"), a.params.Get("error_description"))
	require.NotEmpty(t, a.params.Get("code"))
	return a
}

// authorizeRaw runs c's authorization: the pushed request (where the profile
// requires it, or o.par), then the request to the authorization endpoint,
// and reads the response in its mode. An error page gives a nil response.
func (f *pe) authorizeRaw(t *testing.T, c *tclient, o flowOpts) (authz, *http.Response) {
	t.Helper()
	params := f.authorizationParams(c, o)
	a := authz{verifier: pkceVerifier, nonce: params["nonce"].(string)}
	// A client outside FAPI (basic) is held to no FAPI rule and signs
	// nothing.
	signed := !o.plain && !c.basic && (signsRequests(f.profile) || o.byRef || c.signed)
	var query url.Values
	if o.par || isFAPI2(f.profile) {
		form := stringParams(params)
		if signed {
			form = url.Values{"client_id": {c.id}, "request": {f.requestObject(c, params)}}
		}
		status, _, body := f.backChannel(t, c, f.srv.PAREndpoint(), form, f.issuer)
		require.Equal(t, http.StatusCreated, status, "PAR: %v", body)
		uri, _ := body["request_uri"].(string)
		require.True(t, strings.HasPrefix(uri, "urn:ietf:params:oauth:request_uri:"), "%v", body)
		assert.EqualValues(t, 90, body["expires_in"])
		query = url.Values{"client_id": {c.id}, "request_uri": {uri}}
	} else {
		query = url.Values{"client_id": {c.id}, "response_type": {c.rt}, "scope": {params["scope"].(string)}}
		switch {
		case o.byRef:
			f.objMu.Lock()
			f.objs["/"+c.id] = f.requestObject(c, params)
			f.objMu.Unlock()
			query.Set("request_uri", f.objects.URL+"/"+c.id)
		case signed:
			query.Set("request", f.requestObject(c, params))
		default:
			query = stringParams(params)
		}
	}
	resp, err := f.noCert.Get(f.issuer + server.PathAuthorize + "?" + query.Encode())
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode == http.StatusBadRequest && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		body, _ := io.ReadAll(resp.Body)
		a.params = url.Values{"page": {string(body)}}
		return a, nil
	}
	mode := o.mode
	if o.readAs != "" {
		mode = o.readAs
	}
	if mode == "" || mode == "jwt" {
		d := "query"
		if strings.Contains(c.rt, "id_token") {
			d = "fragment"
		}
		if mode == "jwt" {
			mode = d + ".jwt"
		} else {
			mode = d
		}
	}
	a.params = f.readResponse(t, c, resp, mode)
	return a, resp
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// readResponse reads an authorization response in its mode, verifying a
// JARM response (JARM §4.4: signature with the server's published key,
// iss, aud, exp) and checking the RFC 9207 iss of every other one.
func (f *pe) readResponse(t *testing.T, c *tclient, resp *http.Response, mode string) url.Values {
	t.Helper()
	base, jarm := strings.CutSuffix(mode, ".jwt")
	var vals url.Values
	switch base {
	case "form_post":
		require.Equal(t, http.StatusOK, resp.StatusCode)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		vals = url.Values{}
		for _, m := range hiddenInput.FindAllStringSubmatch(string(body), -1) {
			vals.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		assert.Contains(t, string(body), `<form method="post" action="`+redirectURI+`">`)
	case "query", "fragment":
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		loc, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		assert.Equal(t, redirectURI, loc.Scheme+"://"+loc.Host+loc.Path)
		raw := loc.RawQuery
		if base == "fragment" {
			raw = loc.EscapedFragment()
			assert.Empty(t, loc.RawQuery)
		} else {
			assert.Empty(t, loc.Fragment)
		}
		vals, err = url.ParseQuery(raw)
		require.NoError(t, err)
	default:
		t.Fatalf("unknown response mode %q", mode)
	}
	if !jarm {
		// RFC 9207 §2: the issuer in every response.
		assert.Equal(t, f.issuer, vals.Get("iss"), "RFC 9207 iss")
		return vals
	}
	assert.Len(t, vals, 1, "a JARM response is the response parameter alone: %v", vals)
	jws, err := jose.Parse(vals.Get("response"), 0)
	require.NoError(t, err)
	assert.Equal(t, c.jarmAlg, jws.Header.Alg)
	assert.Equal(t, f.srv.SigningKeyID(c.jarmAlg), jws.Header.Kid)
	_, err = jws.Verify([]string{c.jarmAlg}, f.jwks)
	require.NoError(t, err, "JARM signature")
	var claims map[string]any
	require.NoError(t, json.Unmarshal(jws.Payload, &claims))
	assert.Equal(t, f.issuer, claims["iss"])
	assert.Equal(t, c.id, claims["aud"])
	exp, _ := claims["exp"].(float64)
	assert.Greater(t, exp, float64(f.clock.Now().Unix()), "exp in the future")
	assert.LessOrEqual(t, exp, float64(f.clock.Now().Add(10*time.Minute).Unix()), "JARM section 4.1: a short lifetime")
	out := url.Values{}
	for k, v := range claims {
		if s, ok := v.(string); ok {
			out.Set(k, s)
		}
	}
	return out
}

// assertionAudience is the aud of c's client assertions: the issuer under
// FAPI 2.0 (FAPI2-SP-5.3.2.1-8), the endpoint otherwise.
func (f *pe) assertionAudience(endpoint string) string {
	if isFAPI2(f.profile) {
		return f.issuer
	}
	return endpoint
}

// backChannel POSTs form to a PAR or token endpoint as c: with its client
// authentication (a fresh private_key_jwt assertion for aud, or HTTP Basic)
// and, for a DPoP client, a DPoP proof with the server's last nonce,
// retried once with the nonce of a use_dpop_nonce answer (RFC 9449 §8).
func (f *pe) backChannel(t *testing.T, c *tclient, endpoint string, form url.Values, aud string) (int, http.Header, map[string]any) {
	t.Helper()
	return f.backChannelWith(t, f.withCert, c, endpoint, form, aud, "")
}

// backChannelWith is backChannel with an HTTP client and, when proof is not
// "", that DPoP proof as is (no nonce retry).
func (f *pe) backChannelWith(t *testing.T, hc *http.Client, c *tclient, endpoint string, form url.Values, aud, proof string) (int, http.Header, map[string]any) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		body := url.Values{}
		for k, v := range form {
			body[k] = v
		}
		req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(""))
		require.NoError(t, err)
		if c.basic {
			req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(basicSecret))
		} else {
			body.Set("client_assertion_type", assertType)
			body.Set("client_assertion", fixtures.Sign(c.key, "PS256", f.assertion(c.id, aud), nil))
		}
		req.Body = io.NopCloser(strings.NewReader(body.Encode()))
		req.ContentLength = int64(len(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		switch {
		case proof != "":
			req.Header.Set("DPoP", proof)
		case c.dpop != nil:
			req.Header.Set("DPoP", f.proof(*c.dpop, http.MethodPost, endpoint, ""))
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.Unmarshal(raw, &out), "body: %s", raw)
		assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
		if n := resp.Header.Get("DPoP-Nonce"); n != "" {
			f.setNonce(n)
		}
		if out["error"] == "use_dpop_nonce" && proof == "" && attempt == 0 {
			require.NotEmpty(t, resp.Header.Get("DPoP-Nonce"), "use_dpop_nonce comes with the nonce (RFC 9449 section 8)")
			f.nonceMu.Lock()
			f.retries++
			f.nonceMu.Unlock()
			continue
		}
		return resp.StatusCode, resp.Header, out
	}
}

func (f *pe) setNonce(n string) {
	f.nonceMu.Lock()
	defer f.nonceMu.Unlock()
	f.nonce = n
}

// proof is a DPoP proof for method and u with the server's last nonce, and
// ath for an access token.
func (f *pe) proof(k fixtures.Key, method, u, accessToken string) string {
	f.nonceMu.Lock()
	nonce := f.nonce
	f.nonceMu.Unlock()
	claims := map[string]any{
		"jti": fmt.Sprintf("dpop-%d", time.Now().UnixNano()),
		"htm": method, "htu": u, "iat": f.clock.Now().Unix(),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		claims["ath"] = s256(accessToken)
	}
	return fixtures.DPoPProof(k, claims)
}

// token redeems the code of a, and requires success.
func (f *pe) token(t *testing.T, c *tclient, a authz) map[string]any {
	t.Helper()
	status, _, body := f.redeem(t, c, a)
	require.Equal(t, http.StatusOK, status, "%v", body)
	return body
}

// redeem sends the token request for the code of a.
func (f *pe) redeem(t *testing.T, c *tclient, a authz) (int, http.Header, map[string]any) {
	t.Helper()
	return f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {a.params.Get("code")},
		"redirect_uri":  {redirectURI},
		"code_verifier": {a.verifier},
	}, f.assertionAudience(f.srv.TokenEndpoint()))
}

// resource calls the protected resource with an access token of the given
// type from hc, with a DPoP proof (retried once with a fresh nonce) for a
// DPoP token of c, and returns the status and the body.
func (f *pe) resource(t *testing.T, hc *http.Client, c *tclient, tokenType, accessToken string) (int, http.Header, map[string]any) {
	t.Helper()
	u := f.srv.AccountsEndpoint()
	if !strings.Contains(c.scope, "accounts") {
		u = f.issuer + server.PathUserinfo // a client outside FAPI has openid only
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", tokenType+" "+accessToken)
		if tokenType == "DPoP" && c.dpop != nil {
			req.Header.Set("DPoP", f.proof(*c.dpop, http.MethodGet, u, accessToken))
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.Unmarshal(raw, &out), "body: %s", raw)
		if n := resp.Header.Get("DPoP-Nonce"); n != "" {
			f.setNonce(n)
		}
		if out["error"] == "use_dpop_nonce" && attempt == 0 {
			continue
		}
		return resp.StatusCode, resp.Header, out
	}
}

// checkTokens checks a token response of c: the token type its binding
// gives, the resource answering with the token from the client's
// connection, and refusing it from another certificate where it is
// certificate-bound.
func (f *pe) checkTokens(t *testing.T, c *tclient, tok map[string]any) string {
	t.Helper()
	at, _ := tok["access_token"].(string)
	require.NotEmpty(t, at)
	wantType := "Bearer"
	if c.dpop != nil {
		wantType = "DPoP" // RFC 9449 §5
	}
	assert.Equal(t, wantType, tok["token_type"])
	assert.EqualValues(t, 300, tok["expires_in"])
	info, ok, err := f.srv.LookupAccessToken(t.Context(), at)
	require.NoError(t, err)
	require.True(t, ok)
	if c.dpop != nil {
		assert.Equal(t, fixtures.Thumbprint(*c.dpop), info.DPoPJKT, "cnf jkt (RFC 9449 section 6.1)")
		assert.Empty(t, info.CertificateThumbprint)
	} else if !c.basic {
		assert.NotEmpty(t, info.CertificateThumbprint, "cnf x5t#S256 (RFC 8705 section 3.1)")
	}
	status, _, body := f.resource(t, f.withCert, c, wantType, at)
	require.Equal(t, http.StatusOK, status, "%v", body)
	if c.basic {
		assert.Equal(t, server.Subject, body["sub"])
	} else {
		assert.Equal(t, c.id, body["client_id"])
	}
	if info.CertificateThumbprint != "" {
		status, h, _ := f.resource(t, f.otherCert, c, wantType, at)
		assert.Equal(t, http.StatusUnauthorized, status, "another certificate")
		assert.Contains(t, h.Get("WWW-Authenticate"), `error="invalid_token"`)
		status, _, _ = f.resource(t, f.noCert, c, wantType, at)
		assert.Equal(t, http.StatusUnauthorized, status, "no certificate")
	}
	if c.dpop != nil {
		status, h, _ := f.resource(t, f.withCert, c, "Bearer", at)
		assert.Equal(t, http.StatusUnauthorized, status, "a DPoP-bound token presented as Bearer (RFC 9449 section 7.2)")
		assert.Contains(t, h.Get("WWW-Authenticate"), "DPoP")
	}
	return at
}

// TestProfileFlows drives every profile's flows end to end, as a client
// sees them: discovery, the pushed request where there is one, the
// authorization (by value, by reference and pushed; every response mode,
// JARM included), the token request, the protected resource, the refresh
// and client credentials grants, and DPoP with the server's nonces.
func TestProfileFlows(t *testing.T) {
	t.Parallel()
	for _, p := range server.Profiles() {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newPE(t, p)
			d := f.discovery(t, f.srv.DiscoveryURL())
			assert.Equal(t, f.issuer, d["issuer"])

			t.Run("code flow, token, resource, refresh, client credentials", func(t *testing.T) {
				c := f.clients["client"]
				o := flowOpts{}
				if p == profile.FAPI2MessageSigning {
					o.mode = "jwt"
				}
				a := f.authorize(t, c, o)
				if strings.Contains(c.rt, "id_token") {
					claims := f.verifyIDTokenFor(t, c, a.params.Get("id_token"))
					assert.Equal(t, leftHalf(a.params.Get("code")), claims["c_hash"])
				}
				tok := f.token(t, c, a)
				f.checkTokens(t, c, tok)
				claims := f.verifyIDTokenFor(t, c, tok["id_token"].(string))
				assert.Equal(t, a.nonce, claims["nonce"])
				assert.Equal(t, leftHalf(tok["access_token"].(string)), claims["at_hash"])

				refresh, _ := tok["refresh_token"].(string)
				require.NotEmpty(t, refresh, "the client registered the refresh_token grant")
				status, _, body := f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
					"grant_type": {"refresh_token"}, "refresh_token": {refresh},
				}, f.assertionAudience(f.srv.TokenEndpoint()))
				require.Equal(t, http.StatusOK, status, "refresh: %v", body)
				assert.Equal(t, "openid accounts", body["scope"])
				assert.NotContains(t, body, "refresh_token", "no rotation")
				f.checkTokens(t, c, body)

				status, _, body = f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
					"grant_type": {"client_credentials"}, "scope": {"accounts"},
				}, f.assertionAudience(f.srv.TokenEndpoint()))
				require.Equal(t, http.StatusOK, status, "client credentials: %v", body)
				assert.Equal(t, "accounts", body["scope"])
				assert.NotContains(t, body, "refresh_token")
				assert.NotContains(t, body, "id_token")
				f.checkTokens(t, c, body)
			})

			modes := []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}
			for _, m := range modes {
				t.Run("JARM "+m, func(t *testing.T) {
					c := f.clients["jarm"]
					a := f.authorize(t, c, flowOpts{mode: m})
					assert.NotEmpty(t, a.params.Get("state"))
					f.checkTokens(t, c, f.token(t, c, a))
				})
			}
			if p != profile.FAPI2MessageSigning {
				// Message Signing signs every response (FAPI2-MS-5.4.1-1).
				for _, m := range []string{"form_post", "fragment"} {
					t.Run("response mode "+m, func(t *testing.T) {
						c := f.clients["client"]
						a := f.authorize(t, c, flowOpts{mode: m})
						f.checkTokens(t, c, f.token(t, c, a))
					})
				}
			}
			if !isFAPI2(p) {
				t.Run("request object by reference", func(t *testing.T) {
					c := f.clients["client"]
					a := f.authorize(t, c, flowOpts{byRef: true})
					f.checkTokens(t, c, f.token(t, c, a))
				})
			}
			if p == profile.FAPI1Baseline || p == profile.FAPI1Advanced {
				t.Run("pushed", func(t *testing.T) {
					c := f.clients["client"]
					a := f.authorize(t, c, flowOpts{par: true})
					f.checkTokens(t, c, f.token(t, c, a))
				})
			}
			if isFAPI2(p) {
				t.Run("DPoP with server nonces", func(t *testing.T) {
					c := f.clients["dpop"]
					f.setNonce("") // start without one: the server hands it out
					f.nonceMu.Lock()
					f.retries = 0
					f.nonceMu.Unlock()
					o := flowOpts{}
					if p == profile.FAPI2MessageSigning {
						o.mode = "jwt"
					}
					a := f.authorize(t, c, o)
					tok := f.token(t, c, a)
					f.checkTokens(t, c, tok)
					f.nonceMu.Lock()
					assert.Positive(t, f.retries, "the first proof without a nonce was answered with use_dpop_nonce")
					f.nonceMu.Unlock()

					status, _, body := f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
						"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
					}, f.issuer)
					require.Equal(t, http.StatusOK, status, "refresh: %v", body)
					f.checkTokens(t, c, body)
					status, _, body = f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{
						"grant_type": {"client_credentials"}, "scope": {"accounts"},
					}, f.issuer)
					require.Equal(t, http.StatusOK, status, "client credentials: %v", body)
					f.checkTokens(t, c, body)

					// The refresh token is bound to the DPoP key (RFC 9449 §5):
					// another key cannot use it.
					other := *c
					k := dpopKeyB()
					other.dpop = &k
					status, _, body = f.backChannel(t, &other, f.srv.TokenEndpoint(), url.Values{
						"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
					}, f.issuer)
					assert.Equal(t, http.StatusBadRequest, status)
					assert.Equal(t, "invalid_dpop_proof", body["error"], "%v", body)
				})
			}
			t.Run("outside FAPI: client_secret_basic", func(t *testing.T) {
				c := f.clients["basic"]
				if c == nil {
					t.Skip("no client outside FAPI under " + string(p))
				}
				a := f.authorize(t, c, flowOpts{})
				tok := f.token(t, c, a)
				f.checkTokens(t, c, tok)
			})
		})
	}
}

// verifyIDTokenFor verifies an ID token of c against the published JWKS.
func (f *pe) verifyIDTokenFor(t *testing.T, c *tclient, tok string) map[string]any {
	t.Helper()
	jws, err := jose.Parse(tok, 0)
	require.NoError(t, err)
	assert.Equal(t, f.srv.SigningKeyID("PS256"), jws.Header.Kid)
	_, err = jws.Verify([]string{"PS256"}, f.jwks)
	require.NoError(t, err, "ID token signature")
	var claims map[string]any
	require.NoError(t, json.Unmarshal(jws.Payload, &claims))
	assert.Equal(t, f.issuer, claims["iss"])
	assert.Equal(t, c.id, claims["aud"])
	assert.Equal(t, server.Subject, claims["sub"])
	return claims
}
