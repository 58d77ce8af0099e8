package conformance

import "strings"

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
	reasonCodeReuse = "Needs state. AuthorizationRecord: the caller's code store deletes (or marks) a code when it is redeemed. " +
		"A second redemption finds no record, and the caller answers invalid_grant (and should revoke the tokens issued for the code). " +
		"The library judges one redemption against the record it is given."
	reasonRequestURIReuse = "Needs state. With a store (WithStore), Checker.CompleteAuthorization consumes the request_uri when authorization completes and refuses a second use (par.request_uri_reused); without one, the caller records AuthorizationResult.OneTimeUses. " +
		"Once the record is gone, the request_uri can no longer be resolved: with neither a record nor a resolved object, " +
		"the library reports request_object.unresolved (invalid_request_uri) and no redirect."
	reasonRequestURIBeforeLogin = "Needs state. PushedRecord: the library judges each visit on its own and accepts a second one while the caller's store still holds the record. " +
		"When the store consumes the request_uri (on completion, not on the first visit) is the caller's choice."
	reasonRefresh = "Needs the caller's token store: the refresh token and its record (RefreshRecord: client, scope, expiry, binding, rotation) are issued and looked up by the caller. " +
		"Given the record, the library checks the refresh_token grant (refresh_token.*, mtls.certificate_mismatch, dpop.jkt_mismatch) and, at the resource, the access token's binding (resource.*); no case file of this module is written yet."
	reasonIntent = "Needs state: the intent (consent) id and the client that created it live in the caller's consent store. " +
		"The caller refuses a foreign intent with access_denied, via AuthorizationResult.ErrorRedirectURI."
	reasonACR = "The library checks the claims request (claims.malformed; essential acr under ID2 read-and-write). " +
		"Whether authentication reached the requested acr is decided at login, by the caller: it answers access_denied via AuthorizationResult.ErrorRedirectURI, or returns the acr."
	reasonPaymentConsent = "The Brazil payment consent endpoint is the caller's resource API, not an endpoint the library checks. " +
		"Verifying the consent request's JWS is the caller's job."
	reasonTokenTypeCase = "The resource check point (CheckResourceRequest) reads the Authorization scheme without regard to letter case (RFC 9110 section 11.1)."
	reasonConnectID     = "ConnectID (Australia) ecosystem rule (a tighter exp or nbf window, or the purpose parameter), which the library does not implement. " +
		"Under the FAPI 2.0 Message Signing rules the library applies, the suite's request is acceptable."
)
