package fapi

import (
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/fapicheck/fapicheck/dpop"
	"sync/atomic"
	"time"

	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// JARM response modes (docs/DESIGN.md, "Policy decisions": all four count as JARM).
var jarmModes = []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}

func isJARMMode(m string) bool { return has(jarmModes, m) }

// hasToken reports whether a space-separated value holds any token.
func hasToken(s string) bool {
	found := false
	scope.Tokens(s, func(string) bool { found = true; return false })
	return found
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sameResponseType compares response types as sets of space-separated
// values: "id_token code" is "code id_token" (OAuth 2.0 Multiple Response
// Type Encoding Practices §3).
func sameResponseType(a, b string) bool {
	if a == b {
		return a != ""
	}
	na, nb := 0, 0
	ok := true
	scope.Tokens(a, func(x string) bool {
		na++
		ok = responseTypeHas(b, x)
		return ok
	})
	if !ok || na == 0 {
		return false
	}
	scope.Tokens(b, func(x string) bool {
		nb++
		ok = responseTypeHas(a, x)
		return ok
	})
	return ok && na == nb
}

func responseTypeIn(rt string, list []string) bool {
	for _, v := range list {
		if sameResponseType(rt, v) {
			return true
		}
	}
	return false
}

func responseTypeHas(rt, part string) bool {
	found := false
	scope.Tokens(rt, func(f string) bool {
		found = f == part
		return !found
	})
	return found
}

// serviceView is what every check derives from the service configuration.
type serviceView struct {
	svc  *Service
	skew time.Duration
	// replay is the DPoP proof replay cache (WithReplayCache), or nil.
	replay dpop.ReplayCache
}

// view derives the service view, reporting configuration problems that
// make every check meaningless (they fail closed).
func view(b *builder, svc *Service) (serviceView, bool) {
	v := serviceView{svc: svc, skew: DefaultClockSkew}
	ok := true
	if err := scope.ValidateDefinitions(svc.Scopes); err != nil {
		b.add(CodeServiceScopesInvalid, "scopes", "", "the service's scope definitions are invalid: %v", err)
		ok = false
	}
	// Compare the seconds before converting: a huge value would overflow
	// time.Duration into a negative skew.
	if svc.ClockSkew < 0 || svc.ClockSkew > Seconds(MaxClockSkew/time.Second) {
		// RFC 7519 §4.1.4: "some small leeway, usually no more than a few
		// minutes"; the library's bound is FAPI 2.0's 60 s.
		b.add(CodeServiceClockSkewInvalid, "clock_skew", "RFC7519-4.1.4", "clock_skew %d s is outside 0–%d s", int64(svc.ClockSkew), int64(MaxClockSkew/time.Second))
		ok = false
	} else if svc.ClockSkew != 0 {
		v.skew = svc.ClockSkew.Duration()
	}
	return v, ok
}

// newBuilder starts the report of a check at endpoint ("" for
// configuration checks).
func newBuilder(endpoint string) builder {
	b := builder{endpoint: endpoint}
	b.r.Profile = profile.None
	return b
}

// serviceOrEmpty lets a nil service be checked (and refused) like an empty
// one.
func serviceOrEmpty(svc *Service) *Service {
	if svc == nil {
		return &Service{}
	}
	return svc
}

// withTLSCertificate returns r (a new empty request when r is nil), or a
// copy of r without its client certificate when that certificate has no
// DER encoding: it cannot have come from a TLS handshake and has no
// thumbprint to bind tokens to, so it counts as none. The caller's request
// is never modified.
func withTLSCertificate[T any](r *T, cert func(*T) **x509.Certificate) *T {
	if r == nil {
		return new(T)
	}
	if c := *cert(r); c != nil && len(c.Raw) == 0 {
		rc := *r
		*cert(&rc) = nil
		return &rc
	}
	return r
}

// beginRequest does what every request check does first: it refuses a
// missing client, an unusable service configuration, a missing current
// time and a client without an identifier (nothing could be bound to it:
// iss, sub and client_id would all compare equal to "").
func beginRequest(b *builder, ck *Checker, pc *PreparedClient, now time.Time) (serviceView, bool) {
	if pc == nil {
		b.add(CodeClientMissing, "client_id", "", "no client configuration was given for the request")
		return serviceView{}, false
	}
	if !ck.ok {
		// The configuration was refused when the checker was built; every
		// request is refused with the same violations.
		b.r.Violations = append(b.r.Violations, ck.problems...)
		return ck.view, false
	}
	if now.IsZero() {
		b.add(CodeClockNowMissing, "now", "", "no current time was given (zero time.Time); exp, nbf and iat cannot be checked")
		return ck.view, false
	}
	if pc.cfg.ClientID == "" {
		b.add(CodeRegistrationClientIDMissing, "client_id", "", "the client configuration has no client_id; the request cannot be checked")
		return ck.view, false
	}
	return ck.view, true
}

func (v serviceView) settings(c *Client) profile.Settings {
	s := profile.Settings{
		ServiceProfiles: v.svc.SupportedServiceProfiles,
		Version:         v.svc.FAPIVersion,
		ServiceModes:    v.svc.FAPIModes,
		Scopes:          v.svc.Scopes,
	}
	if c != nil {
		s.ClientModes = c.FAPIModes
	}
	return s
}

// decide records the profile decision in the report and returns the
// requirements to apply: those of every profile the decision selected
// together (profile.Union), or the plain OAuth 2.0 / OpenID Connect rules
// of profile none, which are "no FAPI rule", never "no rule". ok is false
// only when the request must be refused because the profile cannot be
// decided (a violation then says so).
func decide(b *builder, d profile.Decision, err error) (*profile.Requirements, bool) {
	b.r.Profile, b.r.Profiles, b.r.ChosenBy = d.Profile, d.Profiles, d.ChosenBy
	if b.r.Profile == "" {
		b.r.Profile = profile.None
	}
	if err != nil {
		var se *profile.SettingError
		switch {
		case errors.As(err, &se):
			b.add(CodeProfileSettingInvalid, se.Setting, "", "%s %q is not a value this library knows; the request cannot be validated and is refused", se.Setting, se.Value)
		case errors.Is(err, profile.ErrNotImplemented):
			b.add(CodeProfileNotImplemented, "fapi_version", "", "profile %s (chosen by %s) is not implemented by this version of the library; the request is refused", d.Profile, d.ChosenBy)
		default:
			b.add(CodeProfileSettingInvalid, "", "", "the profile cannot be decided: %v", err)
		}
		return &plainRequirements, false
	}
	return requirementsFor(d), true
}

// plainRequirements are those of profile none.
var plainRequirements = profile.Plain()

// requirementsCache holds the requirements of each set of profiles (and
// Message Signing parts), computed on first use and shared by every check,
// which only read them (they are passed by pointer: the struct is large).
var requirementsCache [1 << 8][4]atomic.Pointer[profile.Requirements]

// requirementsFor returns the requirements of d from the cache.
func requirementsFor(d profile.Decision) *profile.Requirements {
	set := d.Profiles
	if set == 0 {
		set = profile.SetOf(d.Profile)
	}
	if set == 0 {
		return &plainRequirements
	}
	// The Message Signing parts are part of the key; they change nothing
	// for the other profiles (profile.Decision.Requirements).
	parts := 0
	if d.SignedRequest {
		parts |= 1
	}
	if d.SignedResponse {
		parts |= 2
	}
	slot := &requirementsCache[int(set)%len(requirementsCache)][parts]
	if r := slot.Load(); r != nil && r.Profiles == set {
		return r
	}
	d.Profiles = set
	r, ok := d.Requirements()
	if !ok {
		return &plainRequirements
	}
	slot.Store(&r)
	return &r
}

// client helpers

func authMethod(c *Client) string {
	if c.TokenEndpointAuthMethod == "" {
		return profile.AuthClientSecretBasic // RFC 7591 §2 default
	}
	return c.TokenEndpointAuthMethod
}

func isPublic(c *Client) bool {
	if c.ClientType != "" {
		return c.ClientType == "public"
	}
	return authMethod(c) == profile.AuthNone
}

func responseTypes(c *Client) []string {
	if len(c.ResponseTypes) == 0 {
		return []string{profile.ResponseTypeCode} // OIDC Registration §2 default
	}
	return c.ResponseTypes
}

// usesJARM: the client registered a JARM signing algorithm, or only JARM
// response modes.
func usesJARM(c *Client) bool {
	if c.AuthorizationSignedResponseAlg != "" {
		return true
	}
	if len(c.ResponseModes) == 0 {
		return false
	}
	for _, m := range c.ResponseModes {
		if !isJARMMode(m) {
			return false
		}
	}
	return true
}

func quoteList(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", list)
}
