package fapi

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"time"

	"context"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/scope"
)

// Checker checks requests against one authorization server's
// configuration, validated and copied once by NewChecker: the caller can
// change its Service afterwards without changing what the Checker
// enforces. A Checker is safe for concurrent use; it keeps no state of its
// own beyond what its options plug in.
type Checker struct {
	// svc is the Checker's own copy (NewChecker), or the caller's service
	// for the duration of one Check… call.
	svc  *Service
	view serviceView
	// ok is false when the configuration is unusable (scope definitions,
	// clock skew): every request is then refused with problems.
	ok       bool
	problems []Violation
	// store records one-time uses (WithStore), or nil.
	store onetime.Store
	// storeNil: WithStore was given a nil store (store is then nilStore,
	// which refuses every use); replayNil likewise for WithReplayCache.
	storeNil, replayNil bool
}

// Option configures a Checker.
type Option func(*Checker)

// WithReplayCache lets the DPoP checks refuse a proof whose jti was seen
// before (RFC 9449 §11.1). Several server instances share one cache to
// detect a proof replayed to another instance. Without it the library
// keeps no DPoP state. A nil c (the nil interface, or a nil pointer in it)
// is refused as WithStore refuses a nil store: NewChecker reports it
// (store.unavailable) and every DPoP proof is then refused (dpop.replayed,
// the cache failing), never silently left to a caller who believes the
// cache detects replays.
func WithReplayCache(c dpop.ReplayCache) Option {
	return func(ck *Checker) {
		if isNil(c) {
			ck.view.replay, ck.replayNil = nilReplayCache{}, true
			return
		}
		ck.view.replay, ck.replayNil = c, false
	}
}

// nilReplayCache stands for the nil cache given to WithReplayCache: it
// never answers.
type nilReplayCache struct{}

func (nilReplayCache) CheckAndStore(string, time.Time) (bool, error) {
	return false, storeError("WithReplayCache was given a nil replay cache")
}

// DPoPNonceSource issues and checks DPoP server nonces (RFC 9449 §8): Nonce
// returns the nonce to send in the DPoP-Nonce response header at time now,
// Valid decides whether a proof's nonce claim is acceptable then (§4.3 item
// 10). Both must be safe for concurrent use. *dpopnonce.Source implements
// it without storage; a server that keeps nonces in a store implements it
// over that store.
type DPoPNonceSource interface {
	dpop.NonceChecker
	Nonce(now time.Time) string
}

// WithDPoPNonces gives the Checker the server's DPoP nonces (RFC 9449 §8):
// at the PAR and token endpoints (and at the resource, below) a proof's
// nonce claim must then be one
// src accepts (dpop.nonce_invalid otherwise, whether or not nonces are
// required), and, when the service's RequireDPoPNonce is set, a proof
// must carry one (dpop.nonce_missing). Both are answered with the
// use_dpop_nonce error and the nonce of the result's DPoPNonceHeader field in
// the DPoP-Nonce header. Every instance of a server must use the same
// nonces (with package dpopnonce: the same secret and label). A nil src
// (or a nil pointer in it) gives no source.
//
// The resource check point (Resource) uses src the same way (RFC 9449
// §9), answering with HTTP 401 and a `DPoP error="use_dpop_nonce"`
// challenge. RFC 9449 §9 lets a resource server's nonces differ from the
// authorization server's: a resource server that runs apart builds its
// own Checker with a source of its own (with dpopnonce, another label).
// The package Check… functions have no source.
func WithDPoPNonces(src DPoPNonceSource) Option {
	return func(ck *Checker) {
		if src == nil {
			ck.view.nonces = nil
			return
		}
		if isNil(src) {
			ck.view.nonces = nil
			return
		}
		ck.view.nonces = src
	}
}

// NewChecker validates svc and copies it: the returned report is that of
// CheckService (the metadata RFC 8414 §2 requires of every authorization
// server and the rules of each profile the service offers), and reports
// what the service needs from the options: a service that requires DPoP
// nonces without WithDPoPNonces is service.dpop_nonce_source_missing (the
// DPoP requests are then refused; CheckService, which takes no options,
// cannot tell). The Checker is returned even when the report has
// violations, so that a server can log them and decide; a configuration
// the checks cannot work with (invalid scope definitions, a clock skew out
// of range) makes every request check fail closed with the same
// violations.
func NewChecker(svc Service, opts ...Option) (*Checker, Report) {
	own := cloneService(svc)
	ck := &Checker{svc: &own}
	ck.prepare()
	for _, o := range opts {
		if o != nil {
			o(ck)
		}
	}
	b := builder{r: checkService(ck.svc)}
	if ck.svc.RequireDPoPNonce && ck.view.nonces == nil {
		addNonceSourceMissing(&b)
	}
	if ck.replayNil {
		b.add(CodeStoreUnavailable, "replay_cache", "", "WithReplayCache was given a nil replay cache, so every DPoP proof is refused; leave the option out to run without one")
	}
	if ck.storeNil {
		b.add(CodeStoreUnavailable, "store", "", "WithStore was given a nil store, so every request with a one-time use (a client assertion, a DPoP proof, a code, a rotated refresh token, a request_uri) is refused; leave the option out to run without a store")
	}
	return ck, b.r
}

// isNil reports whether v is nil: the nil interface, or a nil pointer,
// map, slice, channel or function in it, whose methods would panic or
// misbehave.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// addNonceSourceMissing reports a service that requires DPoP nonces
// without a source to issue and check them.
func addNonceSourceMissing(b *builder) {
	b.add(CodeServiceDPoPNonceSourceMissing, "require_dpop_nonce", "",
		"the service requires DPoP nonces (require_dpop_nonce), but no nonce source was given (fapi.WithDPoPNonces; the package Check functions have none), so no DPoP proof can be accepted")
}

// dpopNonce is the nonce a PAR or token response carries in the DPoP-Nonce
// header (RFC 9449 §8.1, §8.2): the source's nonce for now, or "" without
// a source or when the source returned a value outside the nonce grammar,
// which must never be written into a header.
func (ck *Checker) dpopNonce(now time.Time) string {
	if ck.view.nonces == nil {
		return ""
	}
	if n := ck.view.nonces.Nonce(now); dpop.ValidNonceSyntax(n) {
		return n
	}
	return ""
}

// transientChecker prepares svc for one call of the Check… functions,
// without copying it (it is not kept).
func transientChecker(svc *Service) Checker {
	ck := Checker{svc: serviceOrEmpty(svc)}
	ck.prepare()
	return ck
}

func (ck *Checker) prepare() {
	var b builder
	ck.view, ck.ok = view(&b, ck.svc)
	ck.problems = b.r.Violations
}

// Service returns a copy of the configuration the Checker enforces.
func (ck *Checker) Service() Service { return cloneService(*ck.svc) }

// CheckClient checks a client registration against the Checker's service
// (see the package function CheckClient).
func (ck *Checker) CheckClient(pc *PreparedClient) Report {
	return checkClient(ck.svc, pc)
}

// AuthorizationResult is the outcome of an authorization request check.
type AuthorizationResult struct {
	Report
	// RedirectURI is where an authorization error may be sent, when
	// RedirectTrusted (RFC 6749 §4.1.2.1): otherwise the server shows an
	// error page and never redirects. See ErrorRedirectURI.
	RedirectURI     string
	RedirectTrusted bool
	// OneTimeUses holds the use of the pushed request_uri, which the
	// server consumes when the authorization completes: through
	// Checker.CompleteAuthorization with a store, or by recording it
	// itself (RFC 9126 §7.3). It is held CompletionWindow beyond the
	// pushed request's expiry; a server that rebuilds the result across
	// the login's requests keeps this list, which CompleteAuthorization
	// consumes.
	OneTimeUses []onetime.Use
	params      effectiveParams
	requestURI  *onetime.Use
}

// Parameters returns the authorization request parameters the checks used
// — the request object's values where the profile says only they count
// (FAPI1-ADV-5.2.2-10, OIDC Core §6.1), or the pushed ones (PAR-4) — so
// that a server acts on exactly what was validated. It is nil when the
// check stopped before the parameters were read.
func (r AuthorizationResult) Parameters() map[string]string { return r.params.asMap() }

// Parameter returns one of the Parameters.
func (r AuthorizationResult) Parameter(name string) (string, bool) { return r.params.get(name) }

// ErrorRedirectURI returns the redirect URI an authorization error may be
// sent to, and false when the server must instead show an error page
// (RFC 6749 §4.1.2.1): only once client_id and redirect_uri are trusted —
// the client is known, the redirect URI exactly matches a registered one,
// and, when a request object was sent, it verified.
//
// The URI is the request's redirect_uri, or, where plain OAuth 2.0 lets a
// request omit it (RFC 6749 §3.1.2.3: not an OpenID Connect request, one
// registered URI), the client's registered one; the authorization response
// goes there too.
func (r AuthorizationResult) ErrorRedirectURI() (string, bool) {
	return r.RedirectURI, r.RedirectTrusted
}

// errorRedirect is the target of ErrorRedirectURI for what a check found.
func (f *found) errorRedirect() (string, bool) {
	if !f.redirectTrusted {
		return "", false
	}
	if u, ok := f.params.get("redirect_uri"); ok && u != "" {
		return u, true
	}
	if f.redirectURI != "" {
		return f.redirectURI, true
	}
	return "", false
}

// Authorization checks a request to the authorization endpoint at time now
// (see CheckAuthorizationRequest for the rules).
func (ck *Checker) Authorization(pc *PreparedClient, r *AuthorizationRequest, now time.Time) AuthorizationResult {
	b := checkAuthorization(ck, pc, r, now)
	res := AuthorizationResult{Report: b.r, params: b.params}
	res.RedirectURI, res.RedirectTrusted = b.errorRedirect()
	if b.requestURI != nil && res.OK() {
		u := b.requestURI.use
		res.requestURI = &u
		res.OneTimeUses = []onetime.Use{u}
	}
	return res
}

// PushedAuthorizationResult is the outcome of a pushed authorization
// request check.
type PushedAuthorizationResult struct {
	Report
	// ClientAssertion is the verified client assertion (private_key_jwt,
	// client_secret_jwt), nil otherwise: its jti and exp are what a replay
	// record keeps until the assertion expires (RFC 7523 §3 item 7; OIDC
	// Core §9). It is set when the assertion itself verified, even when
	// other rules refused the request: record its jti only when OK.
	ClientAssertion *clientassertion.Assertion
	// OneTimeUses are the keys this request used once (the client
	// assertion's jti, the DPoP proof) that the caller must record when
	// the Checker has no store: a key already recorded means a replay,
	// and the request must be refused. With WithStore the library
	// recorded them and this is nil.
	OneTimeUses []onetime.Use
	// DPoPNonceHeader is the nonce to send in the DPoP-Nonce response
	// header (RFC 9449 §8.1): required with the use_dpop_nonce error
	// (dpop.nonce_missing, dpop.nonce_invalid), and sent with any other
	// response to give the client a fresh nonce (§8.2). It is set whenever
	// the Checker has a nonce source (WithDPoPNonces), and "" otherwise.
	DPoPNonceHeader string
	params          effectiveParams
}

// Parameters returns the validated parameters, with dpop_jkt when a DPoP
// key binds the request: what the server stores as the PushedRecord of the
// request_uri it issues (PAR-2.2). It is nil when the check stopped before
// the parameters were read.
func (r PushedAuthorizationResult) Parameters() map[string]string { return r.params.asMap() }

// Parameter returns one of the Parameters.
func (r PushedAuthorizationResult) Parameter(name string) (string, bool) { return r.params.get(name) }

// PushedAuthorization checks a request to the PAR endpoint at time now (see
// CheckPushedAuthorizationRequest for the rules).
//
// With a store (WithStore), the client assertion's jti and the DPoP proof
// are recorded in it under ctx once every other rule passed.
func (ck *Checker) PushedAuthorization(ctx context.Context, pc *PreparedClient, r *PushedAuthorizationRequest, now time.Time) PushedAuthorizationResult {
	b := checkPushed(ck, pc, r, now)
	uses := recordUses(ctx, ck, &b, now)
	return PushedAuthorizationResult{Report: b.r, ClientAssertion: b.assertion, OneTimeUses: uses,
		DPoPNonceHeader: ck.dpopNonce(now), params: b.params}
}

// TokenResult is the outcome of a token request check.
type TokenResult struct {
	Report
	// ClientAssertion is the verified client assertion, nil otherwise (see
	// PushedAuthorizationResult.ClientAssertion).
	ClientAssertion *clientassertion.Assertion
	// DPoPThumbprint is the JWK SHA-256 thumbprint (RFC 7638) of the DPoP
	// proof's key, which the issued token must be bound to as cnf.jkt (RFC
	// 9449 §6); "" when no proof verified.
	DPoPThumbprint string
	// CertificateThumbprint is the x5t#S256 of the TLS client certificate
	// (RFC 8705 §3.1), which a certificate-bound token carries; "" without
	// a certificate.
	CertificateThumbprint string
	// RevokeGrant is set when a rotated refresh token was presented again
	// (refresh_token.reused): the token may have been stolen, so the
	// server revokes every token of its grant (RFC 9700 §4.14.2). It is
	// also set when an authorization code was redeemed before
	// (code.reused): the tokens issued for it are revoked (RFC 6749
	// §4.1.2).
	RevokeGrant bool
	// OneTimeUses are the keys this request used once — the client
	// assertion's jti, the DPoP proof, the authorization code, a refresh
	// token the service rotates without a retry interval — that the
	// caller must record when the Checker has no store (see
	// PushedAuthorizationResult.OneTimeUses).
	OneTimeUses []onetime.Use
	// DPoPNonceHeader is the nonce to send in the DPoP-Nonce response
	// header (see PushedAuthorizationResult.DPoPNonceHeader).
	DPoPNonceHeader string
}

// Token checks a request to the token endpoint at time now (see
// CheckTokenRequest for the rules).
//
// With a store (WithStore), the request's one-time uses are recorded in it
// under ctx once every other rule passed.
func (ck *Checker) Token(ctx context.Context, pc *PreparedClient, r *TokenRequest, now time.Time) TokenResult {
	b := checkToken(ck, pc, r, now)
	uses := recordUses(ctx, ck, &b, now)
	return TokenResult{Report: b.r, ClientAssertion: b.assertion, DPoPThumbprint: b.dpopJKT, CertificateThumbprint: b.certThumbprint,
		RevokeGrant: b.revokeGrant, OneTimeUses: uses, DPoPNonceHeader: ck.dpopNonce(now)}
}

// cloneService copies every slice and map of s, so that the caller's
// later changes do not reach a Checker.
func cloneService(s Service) Service {
	v := reflect.ValueOf(&s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch x := f.Interface().(type) {
		case []string:
			f.Set(reflect.ValueOf(slices.Clone(x)))
		case map[string]string:
			f.Set(reflect.ValueOf(maps.Clone(x)))
		case []scope.Definition:
			defs := slices.Clone(x)
			for j := range defs {
				defs[j].Attributes = slices.Clone(defs[j].Attributes)
			}
			f.Set(reflect.ValueOf(defs))
		}
	}
	return s
}

// MarshalJSON encodes the result as its Report's members plus the
// endpoint's own (redirect_uri, redirect_trusted, parameters,
// one_time_uses), so that nothing the caller acts on is lost on the way to
// another process.
func (r AuthorizationResult) MarshalJSON() ([]byte, error) {
	return withMembers(r.Report, struct {
		RedirectURI     string            `json:"redirect_uri,omitempty"`
		RedirectTrusted bool              `json:"redirect_trusted"`
		Parameters      map[string]string `json:"parameters,omitempty"`
		OneTimeUses     []onetime.Use     `json:"one_time_uses,omitempty"`
	}{r.RedirectURI, r.RedirectTrusted, r.Parameters(), r.OneTimeUses})
}

// MarshalJSON encodes the result as its Report's members plus
// client_assertion, parameters, one_time_uses and dpop_nonce_header.
func (r PushedAuthorizationResult) MarshalJSON() ([]byte, error) {
	return withMembers(r.Report, struct {
		ClientAssertion *clientassertion.Assertion `json:"client_assertion,omitempty"`
		Parameters      map[string]string          `json:"parameters,omitempty"`
		OneTimeUses     []onetime.Use              `json:"one_time_uses,omitempty"`
		DPoPNonceHeader string                     `json:"dpop_nonce_header,omitempty"`
	}{r.ClientAssertion, r.Parameters(), r.OneTimeUses, r.DPoPNonceHeader})
}

// MarshalJSON encodes the result as its Report's members plus
// client_assertion, dpop_thumbprint, certificate_thumbprint, revoke_grant,
// one_time_uses and dpop_nonce_header.
func (r TokenResult) MarshalJSON() ([]byte, error) {
	return withMembers(r.Report, struct {
		ClientAssertion       *clientassertion.Assertion `json:"client_assertion,omitempty"`
		DPoPThumbprint        string                     `json:"dpop_thumbprint,omitempty"`
		CertificateThumbprint string                     `json:"certificate_thumbprint,omitempty"`
		RevokeGrant           bool                       `json:"revoke_grant"`
		OneTimeUses           []onetime.Use              `json:"one_time_uses,omitempty"`
		DPoPNonceHeader       string                     `json:"dpop_nonce_header,omitempty"`
	}{r.ClientAssertion, r.DPoPThumbprint, r.CertificateThumbprint, r.RevokeGrant, r.OneTimeUses, r.DPoPNonceHeader})
}

// withMembers is the JSON object of rep with the members of extra (a
// struct) after its own.
func withMembers(rep Report, extra any) ([]byte, error) {
	base, err := rep.MarshalJSON()
	if err != nil {
		return nil, err
	}
	more, err := json.Marshal(extra)
	if err != nil {
		return nil, err
	}
	if len(more) <= 2 { // {}
		return base, nil
	}
	out := append(base[:len(base)-1:len(base)-1], ',')
	return append(out, more[1:]...), nil
}
