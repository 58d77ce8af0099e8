package conformance

import (
	"strings"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

// Modules has one entry per module of the suite's list of negative cases
// (and its positive and resource sub-cases), grouped by profile in the
// order of SuiteProfiles.
var Modules = concat(roModules(), rwModules(), advModules(), f2Modules(), msModules(), dpopResourceModules())

func concat(lists ...[]Module) []Module {
	var out []Module
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// maker builds the entries of one profile: prefix is the suite's testName
// prefix of the profile's plan.
type maker struct{ profile, prefix string }

func (mk maker) id(suffix string) string {
	if suffix == "" {
		return strings.TrimSuffix(mk.prefix, "-")
	}
	return mk.prefix + suffix
}

func acc(o ...Outcome) []Outcome { return o }

// covered declares a negative, conditional or mixed module whose decision
// the library makes.
func (mk maker) covered(suffix string, kind Kind, accepted []Outcome, target Target, e Expectation, reason string, build func(f *Fixture) obj) Module {
	return Module{ID: mk.id(suffix), Profile: mk.profile, Kind: kind, Accepted: accepted,
		Status: Covered, Reason: reason, Target: target, Expect: e, Build: build}
}

// positive declares a success module the library can judge.
func (mk maker) positive(suffix string, accepted []Outcome, e Expectation, reason string, build func(f *Fixture) obj) Module {
	return Module{ID: mk.id(suffix), Profile: mk.profile, Kind: Positive, Accepted: accepted,
		Status: PositiveCase, Reason: reason, Target: TargetSuccess, Expect: e, Build: build}
}

// caller declares a module whose decision is the caller's.
func (mk maker) caller(suffix string, kind Kind, accepted []Outcome, reason string) Module {
	return Module{ID: mk.id(suffix), Profile: mk.profile, Kind: kind, Accepted: accepted, Status: Caller, Reason: reason}
}

// outOfScope declares a module no library of this kind can decide.
func (mk maker) outOfScope(suffix string, kind Kind, accepted []Outcome, reason string) Module {
	return Module{ID: mk.id(suffix), Profile: mk.profile, Kind: kind, Accepted: accepted, Status: OutOfScope, Reason: reason}
}

// Reasons shared by the modules every plan repeats.
const (
	reasonUserRejects = "The user refuses after the library accepted the request, so the answer is the caller's. " +
		"It sends access_denied to the URI that AuthorizationResult.ErrorRedirectURI returns, with the state from Report.Parameters."
	reasonCodeReuse = "With a one-time-use store (fapi.WithStore), the first redemption recorded the code and its client assertion's jti. " +
		"The case is the second redemption, with a fresh client assertion; the store already holds the code: code.reused, " +
		"and TokenResult.RevokeGrant asks the caller to revoke the tokens the code issued (RFC 6749 section 4.1.2). " +
		"Whether the resource then refuses the revoked access token is the caller's token validation."
	reasonCodeHold        = "The store holds a redeemed code for ten minutes, or the service's code lifetime if longer, so 30 seconds later it is still there."
	reasonRequestURIReuse = "With a store, Checker.CompleteAuthorization consumed the request_uri when the first authorization completed. " +
		"The case is a second authorization with the same request_uri: the visit passes while the caller still holds the pushed record, " +
		"and completing it finds the request_uri in the store: par.request_uri_reused (invalid_request_uri), redirected since client_id and redirect_uri are trusted. " +
		"(A caller that deletes the record on completion answers request_object.unresolved with the error page instead, which the suite accepts too.) " +
		"Target: the redirect error invalid_request_uri."
	reasonRequestURIBeforeLogin = "With a store, the authorization check consumes nothing: only Checker.CompleteAuthorization records the request_uri, when the authorization completes " +
		"(RFC 9126 section 7.3; FAPI 2.0 lets a client visit it again before that). A first visit that did not complete leaves no trace, " +
		"so the case is the second visit, with a store that does not hold the request_uri yet: it passes and completes. Target: success."
	reasonRefreshOtherClient = "The refresh token's record comes from the caller's token store (RefreshRecord); the library checks the refresh_token grant against it. " +
		"The last negative step: client 1, with its own client assertion and certificate, presents the refresh token issued to client 2 (the record names client 2 and binds the token to client 2's certificate)."
	reasonRefreshHappy = "The happy part: client 1 refreshes with the token issued to it (the record names client 1 and its scope and binds the token to its certificate), " +
		"with a client assertion and its certificate, asking for the granted scope. Target: success."
	reasonRefreshOtherToken = "Client 1 calls the resource with client 2's access token, which is bound to client 2's certificate (cnf x5t#S256), over its own TLS connection. " +
		"Target: the resource's 401 (invalid_token)."
	reasonRefreshNoCert = "Client 1 refreshes with its client assertion but without a TLS client certificate: the token is bound to its certificate (RFC 8705 section 4). " +
		"Target: a token error; dropping the TLS handshake, the suite's other accepted answer, is transport."
	reasonIntent = "The intent is the consent the resource owner gave, and its record (which client created it, for what) lives in the caller's consent store, which the library never sees. " +
		"The caller refuses an intent created for another client with access_denied, via AuthorizationResult.ErrorRedirectURI."
	reasonACR = "The library checks the claims request (claims.malformed; essential acr under ID2 read-and-write). " +
		"Whether authentication reached the requested acr is decided at login, by the caller: it answers access_denied via AuthorizationResult.ErrorRedirectURI, or returns the acr."
	reasonPaymentConsent = "Open Banking Brazil rule at the Brazil payment consent endpoint, a resource API of that ecosystem profile, which the library does not implement " +
		"(its resource check point checks the access token and its binding, not an API's request bodies). Verifying the consent request's JWS signature is the API's."
	reasonTokenTypeCase = "The resource check point (CheckResourceRequest) reads the Authorization scheme without regard to letter case (RFC 9110 section 11.1)."
	reasonConnectID     = "ConnectID (Australia) ecosystem rule (a tighter exp or nbf window, or the purpose parameter), which the library does not implement. " +
		"Under the FAPI 2.0 Message Signing rules the library applies, the suite's request is acceptable."
)

// codeReused is a token-request case whose store already holds the code
// and the first redemption's client assertion jti.
func (f *Fixture) codeReused(c obj) obj {
	c["store"] = usedStore(usedKey("code", fixtures.AuthCode), usedKey("client_assertion", clientID, "assertion-jti-1"))
	return c
}

// requestURIUsed is an authorization-request case whose store already
// holds the pushed request_uri, consumed when an earlier authorization
// completed.
func requestURIUsed(c obj) obj {
	c["store"] = usedStore(usedKey("request_uri", clientID, fixtures.PushedURI))
	return c
}

// requestURIFresh is an authorization-request case with a store that does
// not hold its request_uri yet.
func requestURIFresh(c obj) obj {
	c["store"] = usedStore()
	return c
}

// refreshCase is a refresh-token case on a service and for a client
// registration that both allow the refresh_token grant.
func refreshCase(service, client, tr obj) obj {
	return obj{"service": withRefreshGrant(service, "grant_types_supported"), "client": withRefreshGrant(client, "grant_types"), "token_request": tr}
}

// ownRefresh is client 1's refresh request with the token issued to it for
// scope, bound to its certificate.
func (f *Fixture) ownRefresh(aud any, scope string) obj {
	return f.refreshRequest(refreshToken1, scope, aud, refreshRecord(clientID, scope, mtls.Thumbprint(f.TLS.Cert)))
}

// otherClientRefresh is client 1's refresh request with the token issued
// to client 2 for scope, bound to client 2's certificate.
func (f *Fixture) otherClientRefresh(aud any, scope string) obj {
	return f.refreshRequest(refreshToken2, scope, aud, refreshRecord(client2ID, scope, mtls.Thumbprint(f.tls2.Cert)))
}
