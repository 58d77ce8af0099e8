package fapifosite

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// Storage is what the provider needs of fosite's storage: the clients
// (fosite.ClientManager's GetClient) and the revocation of a grant's tokens
// by request ID (oauth2.TokenRevocationStorage), for a reused code or
// rotated refresh token (RFC 6749 §4.1.2, RFC 9700 §4.14.2). fosite's
// storage.MemoryStore has both.
type Storage interface {
	GetClient(ctx context.Context, id string) (fosite.Client, error)
	RevokeAccessToken(ctx context.Context, requestID string) error
	RevokeRefreshToken(ctx context.Context, requestID string) error
}

// Config is what New needs.
type Config struct {
	// Provider is the fosite provider the requests go to once the library
	// accepted them, composed over Fosite and Storage
	// (compose.ComposeAllEnabled, or compose.Compose with the factories of
	// the flows the server offers).
	Provider fosite.OAuth2Provider
	// Fosite is Provider's configuration. New sets its
	// ClientAuthenticationStrategy, so that fosite never verifies a client
	// itself (see New).
	Fosite *fosite.Config
	// Storage is Provider's storage.
	Storage Storage
	// Checker is the library's checker of the server's configuration. Give
	// it a store (fapi.WithStore): it refuses replayed client assertions
	// and DPoP proofs and reused codes, and CompleteAuthorization consumes
	// a pushed request_uri only with one. Several instances share one
	// store.
	Checker *fapi.Checker

	// Records keeps the records of request_uris, codes and tokens; nil
	// means NewMemoryRecords(DefaultRecordLimit), for one instance.
	Records Records
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Client prepares the registration of a client fosite's storage
	// returned; nil means PrepareFositeClient.
	Client func(ctx context.Context, c fosite.Client) (*fapi.PreparedClient, error)
	// Reader reads the requests: their form, HTTP Basic credentials, TLS
	// client certificate, DPoP header values and the URL a DPoP proof must
	// name (RFC 9449 §4.3). nil means fapihttp.NewReader with
	// fapihttp.WithBaseURL of the issuer's origin: the URL is the issuer's
	// scheme and host with the request's path, whatever Host the request
	// came with. Behind a TLS-terminating proxy, or for endpoints at
	// another origin (mtls_endpoint_aliases), give a Reader that says what
	// to trust (fapihttp.WithTrustedProxy, WithClientCertificateHeader,
	// WithHosts).
	Reader *fapihttp.Reader
	// OtherClientAuthentication authenticates clients at the fosite
	// endpoints the library does not check (token introspection, RFC 7662;
	// revocation, RFC 7009); nil refuses every client there
	// (invalid_client). fosite's own DefaultClientAuthenticationStrategy is
	// a choice, with its rules (a client assertion's aud must be the token
	// URL).
	OtherClientAuthentication fosite.ClientAuthenticationStrategy
}

// DefaultRecordLimit is the number of live records the default
// MemoryRecords holds.
const DefaultRecordLimit = 1 << 20

// Provider is a fosite.OAuth2Provider with the library in front of its
// pushed authorization, authorization and token endpoints (see New). Its
// other methods (introspection, revocation) are the inner provider's. It is
// safe for concurrent use.
type Provider struct {
	inner   fosite.OAuth2Provider
	fcfg    *fosite.Config
	storage Storage
	checker *fapi.Checker
	svc     fapi.Service
	records Records
	now     func() time.Time
	client  func(ctx context.Context, c fosite.Client) (*fapi.PreparedClient, error)
	reader  *fapihttp.Reader
	other   fosite.ClientAuthenticationStrategy
}

var _ fosite.OAuth2Provider = (*Provider)(nil)

// New puts the library in front of cfg.Provider: the pushed authorization
// (RFC 9126), authorization (RFC 6749 §4.1.1) and token (§4.1.3, §6)
// requests are checked by cfg.Checker first — client authentication, PKCE,
// request objects, DPoP proofs and certificates, the profile's every rule —
// and only a request the library accepts reaches fosite, which then issues
// and stores request_uris, codes and tokens as it does.
//
// The library's is the only client authentication: New sets
// cfg.Fosite.ClientAuthenticationStrategy to the provider's, which answers
// fosite with the client the library authenticated for that request, and
// with invalid_client at endpoints the library does not check unless
// cfg.OtherClientAuthentication is set. So fosite never verifies a client
// assertion itself, and the library's rules decide: aud the issuer under
// FAPI 2.0 (FAPI2-SP-5.3.2.1-8) or also the endpoint under FAPI 1.0, the
// profile's algorithms, a jti used once through the Checker's store (RFC
// 7523 §3 item 7).
//
// New fails when a required member is missing, when Config.Reader is nil
// and the service's issuer is not an absolute URL, or when cfg.Provider is a
// *fosite.Fosite whose configuration is not cfg.Fosite (the strategy would
// not be the one fosite calls).
func New(cfg Config) (*Provider, error) {
	switch {
	case cfg.Provider == nil:
		return nil, errors.New("fapifosite: Config.Provider is nil")
	case cfg.Fosite == nil:
		return nil, errors.New("fapifosite: Config.Fosite is nil")
	case cfg.Storage == nil:
		return nil, errors.New("fapifosite: Config.Storage is nil")
	case cfg.Checker == nil:
		return nil, errors.New("fapifosite: Config.Checker is nil")
	}
	if f, ok := cfg.Provider.(*fosite.Fosite); ok {
		if c, ok := f.Config.(*fosite.Config); !ok || c != cfg.Fosite {
			return nil, errors.New("fapifosite: Config.Provider does not use Config.Fosite as its configuration")
		}
	}
	p := &Provider{
		inner:   cfg.Provider,
		fcfg:    cfg.Fosite,
		storage: cfg.Storage,
		checker: cfg.Checker,
		svc:     cfg.Checker.Service(),
		records: cfg.Records,
		now:     cfg.Now,
		client:  cfg.Client,
		reader:  cfg.Reader,
		other:   cfg.OtherClientAuthentication,
	}
	if p.records == nil {
		p.records = NewMemoryRecords(DefaultRecordLimit)
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.client == nil {
		fcfg := cfg.Fosite
		p.client = func(ctx context.Context, c fosite.Client) (*fapi.PreparedClient, error) {
			return PrepareFositeClient(ctx, fcfg, c)
		}
	}
	if p.reader == nil {
		iss, err := url.Parse(p.svc.Issuer)
		if err != nil || iss.Scheme == "" || iss.Host == "" {
			return nil, fmt.Errorf("fapifosite: the service's issuer %q is not an absolute URL, and Config.Reader is nil", p.svc.Issuer)
		}
		if p.reader, err = fapihttp.NewReader(fapihttp.WithBaseURL(iss.Scheme + "://" + iss.Host)); err != nil {
			return nil, fmt.Errorf("fapifosite: the reader of the issuer's origin: %w", err)
		}
	}
	cfg.Fosite.ClientAuthenticationStrategy = p.authenticateClient
	return p, nil
}

// verdictKey is the context key of the library's verdict on a request.
type verdictKey struct{}

// verdict is a client the library authenticated, for the request r.
type verdict struct {
	r      *http.Request
	client fosite.Client
}

// withVerdict returns ctx carrying the client the library authenticated
// for r, which authenticateClient hands to fosite.
func withVerdict(ctx context.Context, r *http.Request, c fosite.Client) context.Context {
	return context.WithValue(ctx, verdictKey{}, &verdict{r: r, client: c})
}

// authenticateClient is the fosite.ClientAuthenticationStrategy New
// installs: the client the library authenticated for this very request, or
// at other endpoints OtherClientAuthentication, or invalid_client.
func (p *Provider) authenticateClient(ctx context.Context, r *http.Request, form url.Values) (fosite.Client, error) {
	if v, ok := ctx.Value(verdictKey{}).(*verdict); ok && v.r == r && v.client != nil {
		return v.client, nil
	}
	if p.other != nil {
		return p.other(ctx, r, form)
	}
	return nil, fosite.ErrInvalidClient.WithHint("Client authentication is checked at the pushed authorization request and token endpoints only.")
}

// lookup finds the client a request is from and prepares its registration.
func (p *Provider) lookup(ctx context.Context, id string) (fosite.Client, *fapi.PreparedClient, error) {
	fc, err := p.storage.GetClient(ctx, id)
	if err != nil {
		return nil, nil, fosite.ErrInvalidClient.WithHint("The requested OAuth 2.0 Client does not exist.").WithWrap(err).WithDebug(err.Error())
	}
	pc, err := p.client(ctx, fc)
	if err != nil {
		return nil, nil, fosite.ErrInvalidClient.WithHint("The registration of the OAuth 2.0 Client cannot be read.").WithWrap(err).WithDebug(err.Error())
	}
	return fc, pc, nil
}

// Inner returns the fosite provider the Provider is in front of.
func (p *Provider) Inner() fosite.OAuth2Provider { return p.inner }

// NewRevocationRequest is the inner provider's (RFC 7009); clients
// authenticate there through Config.OtherClientAuthentication.
func (p *Provider) NewRevocationRequest(ctx context.Context, r *http.Request) error {
	return p.inner.NewRevocationRequest(ctx, r)
}

// WriteRevocationResponse is the inner provider's.
func (p *Provider) WriteRevocationResponse(ctx context.Context, rw http.ResponseWriter, err error) {
	p.inner.WriteRevocationResponse(ctx, rw, err)
}

// IntrospectToken is the inner provider's (RFC 7662). The binding of an
// access token the provider issued is AccessTokenRecord's.
func (p *Provider) IntrospectToken(ctx context.Context, token string, tokenUse fosite.TokenUse, session fosite.Session, scope ...string) (fosite.TokenUse, fosite.AccessRequester, error) {
	return p.inner.IntrospectToken(ctx, token, tokenUse, session, scope...)
}

// NewIntrospectionRequest is the inner provider's (RFC 7662); clients
// authenticate there through Config.OtherClientAuthentication.
func (p *Provider) NewIntrospectionRequest(ctx context.Context, r *http.Request, session fosite.Session) (fosite.IntrospectionResponder, error) {
	return p.inner.NewIntrospectionRequest(ctx, r, session)
}

// WriteIntrospectionError is the inner provider's.
func (p *Provider) WriteIntrospectionError(ctx context.Context, rw http.ResponseWriter, err error) {
	p.inner.WriteIntrospectionError(ctx, rw, err)
}

// WriteIntrospectionResponse is the inner provider's.
func (p *Provider) WriteIntrospectionResponse(ctx context.Context, rw http.ResponseWriter, r fosite.IntrospectionResponder) {
	p.inner.WriteIntrospectionResponse(ctx, rw, r)
}

// setNonce sets the DPoP-Nonce response header (RFC 9449 §8.1, §8.2).
func setNonce(rw http.ResponseWriter, nonce string) {
	if nonce != "" {
		rw.Header().Set("DPoP-Nonce", nonce)
	}
}
