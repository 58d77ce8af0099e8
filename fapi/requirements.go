package fapi

import (
	"errors"
	"sync/atomic"

	"github.com/fapicheck/fapicheck/profile"
)

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

// plainRequirements are those of profile none.
var plainRequirements = profile.Plain()

// requirementsCache holds the requirements of each set of profiles (and
// Message Signing parts), computed on first use and shared by every check,
// which only read them (they are passed by pointer: the struct is large).
var requirementsCache [1 << 8][4]atomic.Pointer[profile.Requirements]
