package fapifosite_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/storage"
	"github.com/ory/fosite/token/jwt"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapifosite"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

const (
	issuer      = "https://as.example.com"
	clientID    = "client-1"
	redirectURI = "https://client.example.org/cb"
)

// testServer is a fosite authorization server with the library in front,
// served by httptest: a real fosite provider with its memory store.
type testServer struct {
	t        testing.TB
	svc      *fapi.Service
	scope    string // the scope the flows request
	store    *storage.MemoryStore
	provider *fapifosite.Provider
	fcfg     *fosite.Config
	checker  *fapi.Checker
	srv      *httptest.Server
	http     *http.Client

	clientKey *fapitest.Key // signs the client's assertions (PS256)
	dpopKey   *fapitest.Key // signs its DPoP proofs (ES256)
	cert      *x509.Certificate
}

type setup struct {
	profile profile.Profile // default FAPI 2.0 Security Profile
	nonces  *dpopnonce.Source
	require bool // RequireDPoPNonce
	iss     bool // AuthorizationResponseIssParameterSupported (RFC 9207)
	tls     bool // serve TLS and present a client certificate
	client  func(*fosite.DefaultOpenIDConnectClient) fosite.Client
	records fapifosite.Records
	reader  *fapihttp.Reader
	// wrap changes the fosite provider the library is in front of.
	wrap func(fosite.OAuth2Provider) fosite.OAuth2Provider
}

func newTestServer(t testing.TB, opts ...func(*setup)) *testServer {
	t.Helper()
	var st setup
	for _, o := range opts {
		o(&st)
	}
	if st.profile == "" {
		st.profile = profile.FAPI2Security
	}
	svc, err := fapitest.NewService(st.profile, issuer)
	require.NoError(t, err)
	// fosite issues refresh tokens for offline_access (its
	// RefreshTokenScopes): a scope without FAPI attributes.
	svc.Scopes = append(svc.Scopes, scope.Definition{Name: "offline_access"})
	svc.RequireDPoPNonce = st.require
	svc.AuthorizationResponseIssParameterSupported = svc.AuthorizationResponseIssParameterSupported || st.iss
	copts := []fapi.Option{fapi.WithStore(onetime.NewMemory(1 << 16))}
	if st.nonces != nil {
		copts = append(copts, fapi.WithDPoPNonces(st.nonces))
	}
	checker, rep := fapi.NewChecker(*svc, copts...)
	require.True(t, rep.OK(), "%v", rep.Violations)

	s := &testServer{
		t:         t,
		svc:       svc,
		scope:     "openid " + fapitest.ProfileScope(st.profile) + " offline_access",
		store:     storage.NewMemoryStore(),
		clientKey: fapitest.Must(fapitest.NewKey("PS256")),
		dpopKey:   fapitest.Must(fapitest.NewKey("ES256")),
	}
	s.cert = fapitest.Must(fapitest.NewClientCertificate(s.clientKey, pkix.Name{CommonName: clientID}))
	client := &fosite.DefaultOpenIDConnectClient{
		DefaultClient: &fosite.DefaultClient{
			ID:            clientID,
			RedirectURIs:  []string{redirectURI},
			GrantTypes:    []string{"authorization_code", "refresh_token"},
			ResponseTypes: []string{"code"},
			Scopes:        strings.Fields(s.scope),
		},
		JSONWebKeys: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: s.clientKey.Public(), KeyID: s.clientKey.ID, Algorithm: "PS256", Use: "sig",
		}}},
		TokenEndpointAuthMethod:           "private_key_jwt",
		TokenEndpointAuthSigningAlgorithm: "PS256",
	}
	s.store.Clients[clientID] = client
	if st.client != nil {
		s.store.Clients[clientID] = st.client(client)
	}

	// fosite signs ID tokens ES256 with a P-256 key (and RS256 with an
	// RSA key, which no FAPI profile permits: FAPI2-SP-5.4.1-1).
	signing, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	fcfg := &fosite.Config{
		GlobalSecret:                   []byte("a global secret of 32 bytes ...."),
		AccessTokenLifespan:            time.Hour,
		AuthorizeCodeLifespan:          time.Minute,
		PushedAuthorizeContextLifespan: 90 * time.Second,
		IsPushedAuthorizeEnforced:      svc.RequirePushedAuthorizationRequests,
		EnforcePKCE:                    true,
		IDTokenIssuer:                  issuer,
		TokenURL:                       issuer + "/token",
	}
	s.fcfg, s.checker = fcfg, checker
	inner := compose.ComposeAllEnabled(fcfg, s.store, signing)
	if st.wrap != nil {
		inner = st.wrap(inner)
	}
	s.provider, err = fapifosite.New(fapifosite.Config{
		Provider: inner,
		Fosite:   fcfg,
		Storage:  s.store,
		Checker:  checker,
		Records:  st.records,
		Reader:   st.reader,
	})
	require.NoError(t, err)

	mux := http.NewServeMux()
	mux.HandleFunc("/par", s.handlePAR)
	mux.HandleFunc("/authorize", s.handleAuthorize)
	mux.HandleFunc("/token", s.handleToken)
	s.http = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if st.tls {
		s.srv = httptest.NewUnstartedServer(mux)
		s.srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
		s.srv.StartTLS()
		tr := s.srv.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.Certificates = []tls.Certificate{{
			Certificate: [][]byte{s.cert.Raw}, PrivateKey: s.clientKey.Signer(), Leaf: s.cert,
		}}
		s.http.Transport = tr
	} else {
		s.srv = httptest.NewServer(mux)
	}
	t.Cleanup(s.srv.Close)
	return s
}

func newSession() *openid.DefaultSession {
	return &openid.DefaultSession{
		Claims:  &jwt.IDTokenClaims{Subject: "alice", Issuer: issuer, RequestedAt: time.Now().UTC(), AuthTime: time.Now().UTC()},
		Headers: &jwt.Headers{},
		Subject: "alice",
	}
}

// The three handlers are what a fosite server writes, with the Provider
// where it had fosite's OAuth2Provider.

func (s *testServer) handlePAR(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := s.provider.NewPushedAuthorizeRequest(ctx, r)
	if err != nil {
		s.provider.WritePushedAuthorizeError(ctx, rw, ar, err)
		return
	}
	resp, err := s.provider.NewPushedAuthorizeResponse(ctx, ar, newSession())
	if err != nil {
		s.provider.WritePushedAuthorizeError(ctx, rw, ar, err)
		return
	}
	s.provider.WritePushedAuthorizeResponse(ctx, rw, ar, resp)
}

func (s *testServer) handleAuthorize(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := s.provider.NewAuthorizeRequest(ctx, r)
	if err != nil {
		s.provider.WriteAuthorizeError(ctx, rw, ar, err)
		return
	}
	// Login and consent: alice grants every scope asked for.
	for _, sc := range ar.GetRequestedScopes() {
		ar.GrantScope(sc)
	}
	resp, err := s.provider.NewAuthorizeResponse(ctx, ar, newSession())
	if err != nil {
		s.provider.WriteAuthorizeError(ctx, rw, ar, err)
		return
	}
	s.provider.WriteAuthorizeResponse(ctx, rw, ar, resp)
}

func (s *testServer) handleToken(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := s.provider.NewAccessRequest(ctx, r, newSession())
	if err != nil {
		s.provider.WriteAccessError(ctx, rw, ar, err)
		return
	}
	resp, err := s.provider.NewAccessResponse(ctx, ar)
	if err != nil {
		s.provider.WriteAccessError(ctx, rw, ar, err)
		return
	}
	s.provider.WriteAccessResponse(ctx, rw, ar, resp)
}

// answer is an HTTP response as the tests read it.
type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a answer) str(name string) string { s, _ := a.body[name].(string); return s }

func (s *testServer) do(req *http.Request) answer {
	s.t.Helper()
	resp, err := s.http.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(s.t, json.Unmarshal(raw, &a.body), "%s", raw)
	}
	return a
}

func (s *testServer) post(path string, form url.Values, dpop string) answer {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if dpop != "" {
		req.Header.Set("DPoP", dpop)
	}
	return s.do(req)
}

// assertion is a private_key_jwt client assertion for aud (RFC 7523 §3).
func (s *testServer) assertion(aud string) string {
	return fapitest.Must(fapitest.ClientAssertion(s.clientKey, fapitest.ClientAssertionClaims(clientID, aud, time.Now())))
}

// proof is a DPoP proof for a POST to the configured endpoint path (RFC
// 9449 §4.2), with the claims changed by with.
func (s *testServer) proof(key *fapitest.Key, path string, with ...any) string {
	return fapitest.Must(fapitest.DPoPProof(key, fapitest.DPoPClaims(http.MethodPost, issuer+path, time.Now()).With(with...)))
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// parForm is a valid FAPI 2.0 pushed authorization request with
// private_key_jwt, the issuer as the assertion's audience
// (FAPI2-SP-5.3.2.1-8) and PKCE S256.
func (s *testServer) parForm() url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirectURI},
		"scope":                 {s.scope},
		"state":                 {fapitest.State},
		"code_challenge":        {challenge(fapitest.Verifier)},
		"code_challenge_method": {"S256"},
		"client_assertion_type": {fapitest.JWTBearer},
		"client_assertion":      {s.assertion(issuer)},
	}
}

// authorize visits the authorization endpoint with a pushed request_uri.
func (s *testServer) authorize(requestURI string) answer {
	s.t.Helper()
	q := url.Values{"client_id": {clientID}, "request_uri": {requestURI}}
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/authorize?"+q.Encode(), nil)
	require.NoError(s.t, err)
	return s.do(req)
}

// redirected returns the parameters of an authorization response redirect.
func (s *testServer) redirected(a answer) url.Values {
	s.t.Helper()
	require.Equal(s.t, http.StatusSeeOther, a.status, "%v", a.body)
	loc, err := url.Parse(a.header.Get("Location"))
	require.NoError(s.t, err)
	require.Equal(s.t, redirectURI, loc.Scheme+"://"+loc.Host+loc.Path)
	return loc.Query()
}

func (s *testServer) tokenForm(code string) url.Values {
	return url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {code},
		"redirect_uri":          {redirectURI},
		"code_verifier":         {fapitest.Verifier},
		"client_assertion_type": {fapitest.JWTBearer},
		"client_assertion":      {s.assertion(issuer)},
	}
}

// code runs PAR and authorization with a DPoP proof at PAR, and returns the
// code.
func (s *testServer) code() string {
	s.t.Helper()
	par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	require.Equal(s.t, http.StatusCreated, par.status, "%v", par.body)
	q := s.redirected(s.authorize(par.str("request_uri")))
	require.NotEmpty(s.t, q.Get("code"), "%v", q)
	return q.Get("code")
}
