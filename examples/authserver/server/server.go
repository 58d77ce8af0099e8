// Package server is a small FAPI 1.0 (Implementer's Draft 2) authorization
// server on net/http, built on package fapi: an authorization endpoint, a
// token endpoint, discovery, a JWKS and a userinfo endpoint, with every
// request judged by the library before the server acts on it.
//
// It is a demonstration: clients, codes and tokens live in memory, every
// authorization is approved at once for one fixed user, and the TLS
// certificate is self-signed. What it does not cut short is the part a
// security reviewer cares about: the server acts only on the parameters the
// library validated (Report.Parameters), sends errors to a redirect URI
// only when the library says it is trusted (AuthorizationResult.ErrorRedirectURI), and
// keeps the state the library leaves to its caller — single-use codes,
// client assertion jti replay, certificate-bound tokens.
package server

import (
	"crypto/rsa"
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

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
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
	PathJWKS      = "/jwks"
	PathAuthorize = "/authorize"
	PathToken     = "/token"
	PathUserinfo  = "/userinfo"
)

// maxFormBytes limits request bodies (authorization POST, token request).
const maxFormBytes = 64 << 10

// Config configures a Server.
type Config struct {
	// Issuer is the server's issuer identifier: an https URL without query
	// or fragment (a trailing slash is removed). Endpoints are published
	// under it.
	Issuer string
	// Clients are registered at start. Each must pass fapi.CheckClient
	// without violations and this server's own limits (see New).
	Clients []fapi.Client
	// ClientCAs are the certificate authorities trusted to issue client
	// certificates for tls_client_auth. When nil, tls_client_auth clients
	// are refused: without a trust anchor anyone could present a
	// certificate with the registered subject. Certificates used for
	// self_signed_tls_client_auth and for token binding are not
	// chain-verified; the library matches them against the registration.
	ClientCAs *x509.CertPool
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives one record per request decision; nil discards.
	Logger *slog.Logger
}

// Server is an in-memory FAPI authorization server. Create it with New;
// it is safe for concurrent use.
type Server struct {
	issuer    string
	svc       fapi.Service
	endpoints endpoints
	clients   map[string]*fapi.PreparedClient
	clientIDs []string
	clientCAs *x509.CertPool

	signingKey *rsa.PrivateKey
	keyID      string
	jwks       []byte

	tlsCert tls.Certificate
	tlsLeaf *x509.Certificate

	codes  *codeStore
	tokens *tokenStore
	jtis   *jtiStore

	// reader builds the library's inputs from requests; authz writes the
	// authorization endpoint's answers (package fapihttp).
	reader *fapihttp.Reader
	authz  fapihttp.AuthorizationWriter

	now     func() time.Time
	log     *slog.Logger
	handler http.Handler
}

type endpoints struct {
	discovery, jwks, authorize, token, userinfo string
}

// New checks the configuration, generates the server's keys (an RSA-2048
// PS256 ID-token signing key and a self-signed ECDSA P-256 TLS
// certificate) and registers the clients. It fails when fapi.CheckService
// or fapi.CheckClient reports any violation, and when a client needs
// something this server does not do (ID tokens signed with anything but
// PS256, signed userinfo or JARM responses, an authentication method the
// service does not list, tls_client_auth without Config.ClientCAs).
func New(cfg Config) (*Server, error) {
	s := &Server{
		clients:   map[string]*fapi.PreparedClient{},
		clientCAs: cfg.ClientCAs,
		codes:     newCodeStore(),
		tokens:    newTokenStore(),
		jtis:      newJTIStore(),
		now:       cfg.Now,
		log:       cfg.Logger,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}

	iss, err := checkIssuer(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	s.issuer = iss
	s.endpoints = endpoints{
		discovery: iss + PathDiscovery,
		jwks:      iss + PathJWKS,
		authorize: iss + PathAuthorize,
		token:     iss + PathToken,
		userinfo:  iss + PathUserinfo,
	}
	s.svc = newService(iss, s.endpoints)
	if r := fapi.CheckService(&s.svc); !r.OK() {
		return nil, fmt.Errorf("service configuration: %w", r.Err())
	}

	if len(cfg.Clients) == 0 {
		return nil, errors.New("no client to register")
	}
	for _, c := range cfg.Clients {
		if err := s.register(c); err != nil {
			return nil, err
		}
	}

	if s.signingKey, s.keyID, err = newSigningKey(); err != nil {
		return nil, err
	}
	s.jwks, err = publicJWKS(&s.signingKey.PublicKey, s.keyID, "PS256")
	if err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	u, _ := url.Parse(iss) // checked by checkIssuer
	if s.tlsCert, s.tlsLeaf, err = newTLSCertificate(s.now(), u.Hostname()); err != nil {
		return nil, err
	}
	// Requests are for the issuer's origin, whatever their Host header
	// says (a DPoP proof or a query is checked against this URL).
	if s.reader, err = fapihttp.NewReader(fapihttp.WithBaseURL(u.Scheme+"://"+u.Host), fapihttp.WithMaxFormSize(maxFormBytes)); err != nil {
		return nil, fmt.Errorf("request reader: %w", err)
	}
	s.authz = fapihttp.AuthorizationWriter{Issuer: iss, ErrorPage: s.errorPage}
	s.handler = s.routes(u.EscapedPath())
	return s, nil
}

// newService is the service configuration the library checks requests
// against: FAPI 1.0 ID2, with the scope accounts selecting the read-only
// profile and payments the read-and-write profile.
func newService(issuer string, ep endpoints) fapi.Service {
	return fapi.Service{
		Issuer:                   issuer,
		AuthorizationEndpoint:    ep.authorize,
		TokenEndpoint:            ep.token,
		SupportedServiceProfiles: []string{profile.ServiceProfileFAPI},
		FAPIVersion:              profile.VersionID2,
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: profile.AttrFAPI, Value: profile.AttrReadOnly}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: profile.AttrFAPI, Value: profile.AttrReadWrite}}},
		},
		TokenEndpointAuthMethodsSupported: []string{
			profile.AuthPrivateKeyJWT, profile.AuthTLSClient, profile.AuthSelfSignedTLSClient,
		},
		ResponseTypesSupported:                []string{profile.ResponseTypeCodeIDToken, profile.ResponseTypeCode},
		ResponseModesSupported:                []string{"fragment", "query", "form_post"},
		AcrValuesSupported:                    []string{ACR},
		CodeChallengeMethodsSupported:         []string{"S256"},
		TLSClientCertificateBoundAccessTokens: true,
		// fapihttp.AuthorizationWriter sends iss with every authorization
		// response (RFC 9207 §2).
		AuthorizationResponseIssParameterSupported: true,
	}
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
func (s *Server) register(c fapi.Client) error {
	if c.ClientID == "" {
		return errors.New("client without client_id")
	}
	if _, dup := s.clients[c.ClientID]; dup {
		return fmt.Errorf("client %q is registered twice", c.ClientID)
	}
	pc := fapi.PrepareClient(c)
	if r := fapi.CheckClient(&s.svc, pc); !r.OK() {
		return fmt.Errorf("client %q: %w", c.ClientID, r.Err())
	}
	// What the library allows but this server cannot deliver.
	switch {
	case c.IDTokenSignedResponseAlg != "PS256":
		return fmt.Errorf("client %q: id_token_signed_response_alg must be PS256 (this server signs ID tokens only with PS256; absent means RS256)", c.ClientID)
	case c.UserinfoSignedResponseAlg != "":
		return fmt.Errorf("client %q: signed userinfo responses are not supported", c.ClientID)
	case c.AuthorizationSignedResponseAlg != "" || len(c.ResponseModes) > 0 && !allIn(c.ResponseModes, s.svc.ResponseModesSupported):
		return fmt.Errorf("client %q: JARM and response modes other than %v are not supported", c.ClientID, s.svc.ResponseModesSupported)
	case len(c.GrantTypes) > 0 && !containsString(c.GrantTypes, fapi.GrantTypeAuthorizationCode):
		return fmt.Errorf("client %q: grant_types must include authorization_code", c.ClientID)
	case !containsString(s.svc.TokenEndpointAuthMethodsSupported, c.TokenEndpointAuthMethod):
		return fmt.Errorf("client %q: token_endpoint_auth_method %q is not supported (supported: %v)", c.ClientID, c.TokenEndpointAuthMethod, s.svc.TokenEndpointAuthMethodsSupported)
	case c.TokenEndpointAuthMethod == profile.AuthTLSClient && s.clientCAs == nil:
		return fmt.Errorf("client %q: tls_client_auth needs trusted client certificate authorities (Config.ClientCAs)", c.ClientID)
	}
	for _, rt := range c.ResponseTypes {
		if !responseTypeIn(rt, s.svc.ResponseTypesSupported) {
			return fmt.Errorf("client %q: response type %q is not supported (supported: %v)", c.ClientID, rt, s.svc.ResponseTypesSupported)
		}
	}
	if c.Scope != "" {
		scopes, err := scope.Parse(c.Scope)
		if err != nil {
			return fmt.Errorf("client %q: scope: %v", c.ClientID, err)
		}
		for _, sc := range scopes {
			if !s.scopeDefined(sc) {
				return fmt.Errorf("client %q: scope %q is not defined by this server", c.ClientID, sc)
			}
		}
	}
	s.clients[c.ClientID] = pc
	s.clientIDs = append(s.clientIDs, c.ClientID)
	sort.Strings(s.clientIDs)
	return nil
}

func (s *Server) scopeDefined(name string) bool {
	for _, d := range s.svc.Scopes {
		if d.Name == name {
			return true
		}
	}
	return false
}

func allIn(list, allowed []string) bool {
	for _, v := range list {
		if !containsString(allowed, v) {
			return false
		}
	}
	return true
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

// Service returns a copy of the service configuration the library checks
// requests against.
func (s *Server) Service() fapi.Service {
	svc := s.svc
	svc.Scopes = append([]scope.Definition(nil), svc.Scopes...)
	return svc
}

// Client returns a registered client.
func (s *Server) Client(clientID string) (fapi.Client, bool) {
	pc, ok := s.clients[clientID]
	if !ok {
		return fapi.Client{}, false
	}
	return pc.Config(), true
}

// ClientIDs returns the registered client IDs in sorted order.
func (s *Server) ClientIDs() []string { return append([]string(nil), s.clientIDs...) }

// SigningKeyID returns the kid of the ID-token signing key.
func (s *Server) SigningKeyID() string { return s.keyID }

// SigningPublicKey returns the public key ID tokens verify with.
func (s *Server) SigningPublicKey() *rsa.PublicKey { return &s.signingKey.PublicKey }

// PublicJWKS returns the JWK Set published at the jwks_uri.
func (s *Server) PublicJWKS() []byte { return append([]byte(nil), s.jwks...) }

// LookupAccessToken returns what the server knows about a live access
// token.
func (s *Server) LookupAccessToken(token string) (AccessToken, bool) {
	return s.tokens.lookup(token, s.now())
}
