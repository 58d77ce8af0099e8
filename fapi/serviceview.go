package fapi

import (
	"crypto/x509"
	"time"

	"github.com/fapicheck/fapicheck/dpop"

	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// serviceView is what every check derives from the service configuration.
type serviceView struct {
	svc  *Service
	skew time.Duration
	// replay is the DPoP proof replay cache (WithReplayCache), or nil.
	replay dpop.ReplayCache
	// nonces is the DPoP nonce source (WithDPoPNonces), or nil.
	nonces DPoPNonceSource
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
