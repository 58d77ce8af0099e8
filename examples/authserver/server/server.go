// Package server is a FAPI authorization server on net/http, built on
// package fapi, that runs one of the library's six profiles (FAPI 1.0
// Implementer's Draft 2 read-only and read-write, FAPI 1.0 Final Baseline
// and Advanced, FAPI 2.0 Security Profile and Message Signing): discovery,
// a JWKS, a pushed authorization request endpoint, an authorization
// endpoint (requests by value, by reference and pushed; JARM responses;
// RFC 9207 iss), a token endpoint (authorization_code, refresh_token and
// client_credentials), userinfo and a protected resource that enforces
// the tokens' sender constraint (mTLS or DPoP, with server nonces).
//
// Every request is judged by the library (a fapi.Checker) before the
// server acts on it. It is a demonstration: every authorization is
// approved at once for one fixed user and the TLS certificate is
// self-signed. What it does not cut short is the part a security reviewer
// cares about: the server acts only on the parameters the library
// validated (Parameters), sends errors to a redirect URI only when the
// library says it is trusted (ErrorRedirectURI), records one-time uses
// (codes, request_uris, client assertion and DPoP proof jtis) in a
// onetime.Store, keeps what it issued in a State, and binds every token
// the profile requires to be bound. Instances that share a Store, a State,
// the signing keys and the DPoP nonce secret serve the same clients.
package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// Subject is the one user this demonstration server authenticates: every
// authorization request that passes the checks is approved for it.
const Subject = "user-1234"

// ACR is the authentication context class the server claims for every
// authorization (acr_values_supported).
const ACR = "urn:openbanking:psd2:sca"

// Endpoint paths, relative to the issuer's path.
const (
	PathDiscovery = "/.well-known/openid-configuration"
	// PathAuthorizationServerMetadata is RFC 8414 §3's well-known path; it
	// goes before the issuer's path (RFC 8414 §3.1).
	PathAuthorizationServerMetadata = "/.well-known/oauth-authorization-server"
	PathJWKS                        = "/jwks"
	PathPAR                         = "/par"
	PathAuthorize                   = "/authorize"
	PathToken                       = "/token"
	PathUserinfo                    = "/userinfo"
	// PathAccounts is the protected resource (the bank's API): it takes an
	// access token for the FAPI scope and enforces its sender constraint.
	PathAccounts = "/accounts"
)

// maxFormBytes limits request bodies (authorization POST, PAR, token).
const maxFormBytes = 64 << 10

// memoryStoreLimit is how many one-time uses the in-memory store holds.
const memoryStoreLimit = 1 << 20

// Config configures a Server.
type Config struct {
	// Profile is the FAPI profile the server runs (ParseProfile); empty
	// means DefaultProfile.
	Profile profile.Profile
	// Issuer is the server's issuer identifier: an https URL without query
	// or fragment (a trailing slash is removed). Endpoints are published
	// under it, and it is the URL clients address: DPoP proofs name the
	// endpoints under it (RFC 9449 §4.3 item 9), so instances behind one
	// name share it.
	Issuer string
	// Clients are registered at start. Each must pass the library's
	// CheckClient under the profile and be a client this server can serve
	// (see New); otherwise New fails with the reason.
	Clients []Registration
	// ClientCAs are the certificate authorities trusted to issue client
	// certificates for tls_client_auth. When nil, tls_client_auth clients
	// are refused: without a trust anchor anyone could present a
	// certificate with the registered subject. Certificates used for
	// self_signed_tls_client_auth and for token binding are not
	// chain-verified; the library matches them against the registration.
	ClientCAs *x509.CertPool
	// SigningKeys sign ID tokens and JARM responses; nil means keys
	// generated at start.
	SigningKeys *SigningKeys
	// DPoPNonceSecret is the secret of the server's DPoP nonces
	// (dpopnonce, RFC 9449 §8): at least 32 random bytes, the same at every
	// instance. Nil means a secret generated at start.
	DPoPNonceSecret []byte
	// DPoPNoncesOptional lets DPoP proofs without the server's nonce
	// through (the library's RequireDPoPNonce off); by default a proof must
	// carry the nonce of the server's last DPoP-Nonce header.
	DPoPNoncesOptional bool
	// Store records one-time uses: codes, request_uris, client assertion
	// and DPoP proof jtis (the library's WithStore). Nil means an in-memory
	// onetime.Memory; instances that share traffic share one.
	Store onetime.Store
	// State keeps pushed requests, codes, tokens and revoked grants. Nil
	// means a MemoryState; instances that share traffic share one.
	State State
	// RequestObjectClient fetches request objects by reference (a
	// request_uri the client registered in request_uris); nil means an
	// http.Client with a 5 s timeout that follows no redirect.
	RequestObjectClient *http.Client
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives one record per request decision; nil discards.
	Logger *slog.Logger
}

// client is a registered client as the server serves it.
type client struct {
	reg Registration
	pc  *fapi.PreparedClient
	// fapi: the registration selects a FAPI profile (its scope, its
	// fapi_modes, or no scope at all). Such a client's requests must be
	// held to FAPI rules: one that no FAPI profile applied to is refused.
	fapi bool
}

// Server is a FAPI authorization server. Create it with New; it is safe
// for concurrent use.
type Server struct {
	profile   profile.Profile
	issuer    string
	origin    string // scheme and host of the issuer, for the URLs clients address
	svc       fapi.Service
	checker   *fapi.Checker
	endpoints endpoints
	clients   map[string]*client
	clientIDs []string
	clientCAs *x509.CertPool

	keys *SigningKeys
	kids map[string]string // alg → kid
	jwks []byte

	tlsCert tls.Certificate
	tlsLeaf *x509.Certificate

	store    onetime.Store
	state    State
	nonces   *dpopnonce.Source
	fetchObj *http.Client

	// reader builds the check points' inputs from requests (fapihttp),
	// with the issuer's origin as every request's external URL.
	reader *fapihttp.Reader

	now     func() time.Time
	log     *slog.Logger
	handler http.Handler
}

type endpoints struct {
	discovery, jwks, authorize, token, userinfo, par, accounts string
}

// New checks the configuration, makes what is missing (signing keys, a
// DPoP nonce secret, a self-signed ECDSA P-256 TLS certificate, in-memory
// state) and registers the clients. It fails when the library's
// configuration check (NewChecker) reports any violation, when a client
// breaks the library's CheckClient under the profile, and when a client
// needs what this server does not offer under it (Server.canServe, and
// ParseRegistration for the metadata it refuses outright): the error names
// the client and every reason.
func New(cfg Config) (*Server, error) {
	s := &Server{
		profile:   cfg.Profile,
		clients:   map[string]*client{},
		clientCAs: cfg.ClientCAs,
		store:     cfg.Store,
		state:     cfg.State,
		fetchObj:  cfg.RequestObjectClient,
		now:       cfg.Now,
		log:       cfg.Logger,
	}
	if s.profile == "" {
		s.profile = DefaultProfile
	}
	if _, err := ParseProfile(string(s.profile)); err != nil {
		return nil, err
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.store == nil {
		s.store = onetime.NewMemory(memoryStoreLimit)
	}
	if s.state == nil {
		s.state = NewMemoryState(0)
	}
	if s.fetchObj == nil {
		s.fetchObj = &http.Client{
			Timeout:       5 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}

	iss, err := checkIssuer(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	s.issuer = iss
	u, _ := url.Parse(iss) // checked by checkIssuer
	s.origin = u.Scheme + "://" + u.Host
	// The issuer's origin is the URL every request is taken to have: a DPoP
	// proof must name it, whatever Host header arrives (RFC 9449 §4.3 item
	// 9; fapihttp.WithBaseURL), and instances behind one name agree on it.
	if s.reader, err = fapihttp.NewReader(fapihttp.WithBaseURL(s.origin), fapihttp.WithMaxFormSize(maxFormBytes)); err != nil {
		return nil, fmt.Errorf("request reader: %w", err)
	}
	s.endpoints = endpoints{
		discovery: iss + PathDiscovery,
		jwks:      iss + PathJWKS,
		authorize: iss + PathAuthorize,
		token:     iss + PathToken,
		userinfo:  iss + PathUserinfo,
		accounts:  iss + PathAccounts,
	}
	if featuresOf(s.profile).par {
		s.endpoints.par = iss + PathPAR
	}
	s.svc = newService(s.profile, iss, s.endpoints, !cfg.DPoPNoncesOptional)

	secret := cfg.DPoPNonceSecret
	if secret == nil {
		secret = make([]byte, dpopnonce.MinSecretSize)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("DPoP nonce secret: %w", err)
		}
	}
	nonces, err := dpopnonce.New(secret, dpopnonce.WithLabel("authserver"))
	if err != nil {
		return nil, fmt.Errorf("DPoP nonce secret: %w", err)
	}
	s.nonces = nonces
	opts := []fapi.Option{fapi.WithStore(s.store)}
	if featuresOf(s.profile).dpop {
		// Nonces where DPoP is offered; elsewhere a proof is refused before
		// the library sees it, and no DPoP-Nonce header is sent.
		opts = append(opts, fapi.WithDPoPNonces(nonces))
	}
	var report fapi.Report
	s.checker, report = fapi.NewChecker(s.svc, opts...)
	if !report.OK() {
		return nil, fmt.Errorf("service configuration under %s: %w", s.profile, report.Err())
	}

	if len(cfg.Clients) == 0 {
		return nil, errors.New("no client to register")
	}
	for i := range cfg.Clients {
		if err := s.register(cfg.Clients[i]); err != nil {
			return nil, err
		}
	}

	s.keys = cfg.SigningKeys
	if s.keys == nil {
		if s.keys, err = GenerateSigningKeys(); err != nil {
			return nil, err
		}
	}
	if s.keys.RSA == nil || s.keys.EC == nil {
		return nil, errors.New("signing keys: an RSA and an EC key are needed")
	}
	if s.kids, s.jwks, err = serverJWKS(s.keys); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	if s.tlsCert, s.tlsLeaf, err = newTLSCertificate(s.now(), u.Hostname()); err != nil {
		return nil, err
	}
	s.handler = s.routes(u.EscapedPath())
	return s, nil
}

// checkIssuer returns the issuer without a trailing slash, or why it is
// not an https URL without query and fragment (OIDC Discovery §3).
func checkIssuer(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("issuer %q: %v", s, err)
	case u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("issuer %q must be an https URL with a host", s)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "", fmt.Errorf("issuer %q must not have a query or fragment", s)
	case u.User != nil:
		return "", fmt.Errorf("issuer %q must not have user information", s)
	}
	if h := u.Hostname(); h == "" || net.ParseIP(h) != nil && net.ParseIP(h).IsUnspecified() {
		return "", fmt.Errorf("issuer %q must name a reachable host, not %q", s, h)
	}
	// The path becomes a route prefix: keep it to unreserved characters.
	for _, c := range u.Path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~/", c)) {
			return "", fmt.Errorf("issuer %q: the path may only hold letters, digits and -._~/", s)
		}
	}
	return strings.TrimSuffix(s, "/"), nil
}

// register checks a client with the library and with this server's own
// limits, and keeps it prepared for requests.
func (s *Server) register(r Registration) error {
	c := r.Client
	if c.ClientID == "" {
		return errors.New("client without client_id")
	}
	if _, dup := s.clients[c.ClientID]; dup {
		return fmt.Errorf("client %q is registered twice", c.ClientID)
	}
	pc := fapi.PrepareClient(c)
	var why []string
	if rep := s.checker.CheckClient(pc); !rep.OK() {
		for _, v := range rep.Violations {
			why = append(why, fmt.Sprintf("%s (%s): %s", v.Code, v.Ref, v.Message))
		}
	}
	why = append(why, s.canServe(&r)...)
	if len(why) > 0 {
		return fmt.Errorf("client %q cannot be served under %s: %s", c.ClientID, s.profile, strings.Join(why, "; "))
	}
	d, err := profile.OfferedProfile(profile.Settings{
		ServiceProfiles: s.svc.SupportedServiceProfiles,
		Version:         s.svc.FAPIVersion,
		ClientModes:     c.FAPIModes,
		Scopes:          registeredScopes(s.svc.Scopes, c.Scope),
	})
	if err != nil {
		return fmt.Errorf("client %q: %w", c.ClientID, err)
	}
	s.clients[c.ClientID] = &client{reg: r, pc: pc, fapi: d.Profile != profile.None}
	s.log.Info("client registered", "client_id", c.ClientID, "client_name", r.ClientName,
		"fapi", d.Profile != profile.None, "token_endpoint_auth_method", authMethodOf(&c))
	s.clientIDs = append(s.clientIDs, c.ClientID)
	sort.Strings(s.clientIDs)
	return nil
}

// registeredScopes are the definitions of the scopes a client registered,
// or all of them when it registered none (it may then ask for any, RFC
// 7591 §2).
func registeredScopes(defs []scope.Definition, registered string) []scope.Definition {
	if registered == "" {
		return defs
	}
	names, _ := scope.Parse(registered) // checked by canServe
	var out []scope.Definition
	for _, d := range defs {
		for _, n := range names {
			if d.Name == n {
				out = append(out, d)
			}
		}
	}
	return out
}

func (s *Server) scopeDefined(name string) bool {
	_, ok := scope.Find(s.svc.Scopes, name)
	return ok
}

func (s *Server) scopeNames() []string {
	names := make([]string, 0, len(s.svc.Scopes))
	for _, d := range s.svc.Scopes {
		names = append(names, d.Name)
	}
	return names
}

// responseTypeIn compares response types as sets of values ("id_token code"
// is "code id_token").
func responseTypeIn(rt string, list []string) bool {
	norm := func(s string) string {
		f := strings.Fields(s)
		sort.Strings(f)
		return strings.Join(f, " ")
	}
	n := norm(rt)
	for _, v := range list {
		if n != "" && norm(v) == n {
			return true
		}
	}
	return false
}

// Handler returns the server's HTTP handler. Serve it over TLS with
// TLSConfig so that clients can present certificates.
func (s *Server) Handler() http.Handler { return s.handler }

// TLSConfig returns a TLS configuration with the server's self-signed
// certificate that asks for, but does not verify, client certificates
// (tls.RequestClientCert): the library binds tokens to them and matches
// them against registrations; tls_client_auth chains are verified by the
// token endpoint against Config.ClientCAs.
//
// TLS 1.2 is limited to the ECDHE AES-GCM suites. FAPI-RW ID2 §8.5 lists
// only the ECDHE_RSA and DHE_RSA GCM suites for TLS 1.2; with an ECDSA
// certificate their ECDHE_ECDSA counterparts are the nearest match, so a
// strict TLS 1.2 scan will flag this server (TLS 1.3 is unaffected).
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		ClientAuth:   tls.RequestClientCert,
		Certificates: []tls.Certificate{s.tlsCert},
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		},
	}
}

// TLSCertificate returns the server's self-signed TLS certificate, for a
// client to trust.
func (s *Server) TLSCertificate() *x509.Certificate { return s.tlsLeaf }

// Issuer returns the issuer identifier.
func (s *Server) Issuer() string { return s.issuer }

// DiscoveryURL returns the URL of the OpenID Provider configuration.
func (s *Server) DiscoveryURL() string { return s.endpoints.discovery }

// AuthorizationEndpoint returns the authorization endpoint URL.
func (s *Server) AuthorizationEndpoint() string { return s.endpoints.authorize }

// TokenEndpoint returns the token endpoint URL.
func (s *Server) TokenEndpoint() string { return s.endpoints.token }

// PAREndpoint returns the pushed authorization request endpoint URL, ""
// under the profiles that offer none.
func (s *Server) PAREndpoint() string { return s.endpoints.par }

// AccountsEndpoint returns the URL of the protected resource.
func (s *Server) AccountsEndpoint() string { return s.endpoints.accounts }

// Profile returns the FAPI profile the server runs.
func (s *Server) Profile() profile.Profile { return s.profile }

// Service returns a copy of the service configuration the library checks
// requests against.
func (s *Server) Service() fapi.Service { return s.checker.Service() }

// Client returns a registered client.
func (s *Server) Client(clientID string) (fapi.Client, bool) {
	c, ok := s.clients[clientID]
	if !ok {
		return fapi.Client{}, false
	}
	return c.pc.Config(), true
}

// ClientIDs returns the registered client IDs in sorted order.
func (s *Server) ClientIDs() []string { return append([]string(nil), s.clientIDs...) }

// SigningKeyID returns the kid of the key that signs with alg (PS256 or
// ES256), "" for another alg.
func (s *Server) SigningKeyID(alg string) string { return s.kids[alg] }

// PublicJWKS returns the JWK Set published at the jwks_uri.
func (s *Server) PublicJWKS() []byte { return append([]byte(nil), s.jwks...) }

// LookupAccessToken returns what the server knows about a live access
// token: unknown, expired and revoked tokens are not found.
func (s *Server) LookupAccessToken(ctx context.Context, token string) (AccessToken, bool, error) {
	return s.lookupAccess(ctx, token, s.now())
}

// lookupAccess finds a live access token; an error of the State is an
// error, never "not found".
func (s *Server) lookupAccess(ctx context.Context, token string, now time.Time) (AccessToken, bool, error) {
	var t AccessToken
	err := getJSON(ctx, s.state, stateKey(kindAccess, token), &t, now)
	switch {
	case errors.Is(err, ErrNotFound):
		return AccessToken{}, false, nil
	case err != nil:
		return AccessToken{}, false, err
	case !now.Before(t.Expires):
		return AccessToken{}, false, nil
	}
	gone, err := revoked(ctx, s.state, t.Grant, now)
	if err != nil || gone {
		return AccessToken{}, false, err
	}
	return t, true, nil
}
