package fapifosite

import (
	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// registeredFAPI reports whether a client's registration selects a FAPI
// profile at the service: its fapi_modes, the service's, or its registered
// scope (every profile the service offers when it registered none, or a
// scope that is not well-formed), as the library decides a registration's
// profiles (docs/DESIGN.md §3.5).
func (p *Provider) registeredFAPI(pc *fapi.PreparedClient) bool {
	c := pc.Config()
	s := profile.Settings{
		ServiceProfiles: p.svc.SupportedServiceProfiles,
		Version:         p.svc.FAPIVersion,
		ServiceModes:    p.svc.FAPIModes,
		ClientModes:     c.FAPIModes,
		Scopes:          p.svc.Scopes,
	}
	var d profile.Decision
	var err error
	if c.Scope != "" && scope.Validate(c.Scope) == nil {
		d, err = profile.ScopesProfile(s, c.Scope)
	} else {
		d, err = profile.OfferedProfile(s)
	}
	return err != nil || d.Profile.IsFAPI()
}

// plainRefusal is the refusal of an accepted request of a client
// registered for FAPI that no FAPI profile applied to (rep.FAPI false: no
// FAPI scope was asked for, so only the plain OAuth rules were checked),
// or nil. Such a client is always held to FAPI, so that leaving the FAPI
// scope out cannot lower the rules (docs/DESIGN.md §4.3: Report.FAPI is
// for servers that must refuse these): invalid_scope (RFC 6749 §4.1.2.1,
// §5.2).
func (p *Provider) plainRefusal(pc *fapi.PreparedClient, rep fapi.Report, nonce string, basic bool) *Error {
	if rep.FAPI() || !p.registeredFAPI(pc) {
		return nil
	}
	e := fosite.ErrInvalidScope.WithDescription("The client is registered for FAPI: the request must ask for a scope that selects a FAPI profile.").WithHint("")
	return &Error{RFC6749: e, Report: rep, DPoPNonce: nonce, basic: basic}
}
