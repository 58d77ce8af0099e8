package profile

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/scope"
)

// Values of the service's fapi_version setting.
const (
	// VersionID2 selects the FAPI 1.0 Implementer's Draft 2 profiles for the
	// fapi=r and fapi=rw scope attributes.
	VersionID2 = "1.0-id2"
	// VersionFinal selects the FAPI 1.0 Final profiles; it is the default.
	VersionFinal = "1.0-final"
)

// ServiceProfileFAPI is the value of supported_service_profiles that turns
// FAPI on for a service (the gate).
const ServiceProfileFAPI = "fapi"

// Static modes (the fapi_modes setting of a service or a client).
const (
	ModeFAPI1Baseline              = "fapi1_baseline"
	ModeFAPI1Advanced              = "fapi1_advanced"
	ModeFAPI2Security              = "fapi2_security"
	ModeFAPI2MessageSigningAuthReq = "fapi2_message_signing_auth_req"
	ModeFAPI2MessageSigningAuthRes = "fapi2_message_signing_auth_res"
)

// Scope attribute keys and values that select a profile.
const (
	AttrFAPI          = "fapi"  // values "r", "rw"
	AttrFAPI2         = "fapi2" // values "sp", "ms-authreq", "ms-authres"
	AttrReadOnly      = "r"
	AttrReadWrite     = "rw"
	AttrSecurity      = "sp"
	AttrSigningReq    = "ms-authreq"
	AttrSigningResult = "ms-authres"
)

// Errors returned by Resolve. Both mean the request cannot be validated and
// must be refused (fail closed).
var (
	// ErrInvalidSetting: a service or client setting has a value this
	// library does not know (an unknown fapi_version or fapi_modes entry).
	ErrInvalidSetting = errors.New("profile: invalid setting")
	// ErrNotImplemented: the profile that applies is not implemented by
	// this version of the library.
	ErrNotImplemented = errors.New("profile: not implemented")
)

// SettingError describes an invalid setting; it matches ErrInvalidSetting.
type SettingError struct {
	Setting string // e.g. "fapi_version", "fapi_modes"
	Value   string
}

// Error names the setting and the value.
func (e *SettingError) Error() string {
	return fmt.Sprintf("profile: unknown %s value %q", e.Setting, e.Value)
}

// Is reports whether target is ErrInvalidSetting.
func (e *SettingError) Is(target error) bool { return target == ErrInvalidSetting }

// Settings are the inputs of the profile decision.
type Settings struct {
	// ServiceProfiles is the service's supported_service_profiles.
	ServiceProfiles []string
	// Version is the service's fapi_version; "" means VersionFinal.
	Version string
	// ServiceModes and ClientModes are the fapi_modes of the service and of
	// the client. The client's apply only when the service has none.
	ServiceModes []string
	ClientModes  []string
	// Scopes are the service's scope definitions (looked up by name; the
	// caller validates them, see scope.ValidateDefinitions).
	Scopes []scope.Definition
}

// Decision is the profile that applies and what chose it.
type Decision struct {
	// Profile is the strictest profile that applies (None when no FAPI
	// profile does).
	Profile Profile
	// Profiles are all the profiles the scopes and settings selected. A
	// request is held to the rules of every one of them (see
	// Requirements): when the scopes of one request select profiles whose
	// rules do not contain each other's (FAPI 1.0 Advanced and FAPI 2.0, or
	// Baseline and Advanced), the strictest alone would let the other's
	// rules go.
	Profiles Set
	// ChosenBy says what selected the profile, e.g.
	// "scope payments (fapi=rw)" or "service fapi_modes fapi1_advanced".
	ChosenBy string
	// SignedRequest and SignedResponse say which FAPI 2.0 Message Signing
	// parts apply (ms-authreq, ms-authres).
	SignedRequest  bool
	SignedResponse bool
}

// Resolve decides the profile for a request that asks for the scopes
// requested (the scope parameter and the scope of the request object
// together), in the order docs/DESIGN.md gives:
//
//  1. unless the service lists "fapi" in its supported service profiles,
//     the profile is None;
//  2. the service's fapi_modes, or else the client's, apply;
//  3. each requested scope's attributes (fapi=r|rw, fapi2=sp|ms-authreq|
//     ms-authres) select a profile; fapi=r/rw mean the Implementer's Draft 2
//     profiles when Version is VersionID2 and the Final ones otherwise;
//     unknown attributes and undefined scopes select nothing;
//  4. every candidate applies: Decision.Profile is the strictest, and
//     Decision.Profiles holds them all, whose rules the request must meet
//     together (Decision.Requirements).
//
// Static modes and scope attributes are candidates together: docs/DESIGN.md
// lists them in order and then says that when several apply the strictest
// wins and the report names the scope or setting that chose it. A static
// mode therefore sets a floor, never a ceiling: a service in
// fapi1_baseline mode that defines a fapi=rw scope applies Advanced to a
// request for that scope. Reading the modes as overriding the scopes would
// let a configuration lower the profile a scope asks for, and a wrong
// accept is the costlier mistake.
//
// An unknown version or mode returns a *SettingError; a profile that this
// library does not implement returns the decision together with an error
// wrapping ErrNotImplemented. Callers must refuse the request in both cases.
func Resolve(s Settings, requested []string) (Decision, error) {
	return resolve(s, source{list: requested}, true)
}

// ResolveScopes is Resolve for scope values as they arrive — space-separated
// lists such as the scope parameter and the scope of a request object. It
// does not allocate for them. A value that is not RFC 6749 §3.3 syntax
// counts as asking for every scope the service defines (as Offered), so
// that no whitespace or control character can hide a FAPI scope; callers
// should refuse such a value as well (package fapi reports scope.malformed).
func ResolveScopes(s Settings, values ...string) (Decision, error) {
	return resolve(s, source{spaced: values}, true)
}

// ScopesProfile is ResolveScopes without the ChosenBy text, for callers that
// only compare profiles (it then allocates nothing).
func ScopesProfile(s Settings, values ...string) (Decision, error) {
	return resolve(s, source{spaced: values}, false)
}

// Offered is every profile that any scope the service defines, or its
// static modes, can select (Profile is the strictest of them): what a
// service configuration, or a client that may ask for any scope, is
// checked against, and what a request whose scopes cannot be read is held
// to.
func Offered(s Settings) (Decision, error) {
	return resolve(s, source{defs: s.Scopes}, true)
}

// OfferedProfile is Offered without the ChosenBy text.
func OfferedProfile(s Settings) (Decision, error) {
	return resolve(s, source{defs: s.Scopes}, false)
}

// source is where the requested scope names come from: a list, space-
// separated values, or every defined scope.
type source struct {
	list   []string
	spaced []string
	defs   []scope.Definition
}

// chooser is what selected the profile; the ChosenBy text is built once,
// from the winner.
type chooser struct {
	owner, mode       string // a static mode
	scope, key, value string // a scope attribute
}

func (c chooser) String() string {
	if c.mode != "" {
		return c.owner + " fapi_modes " + c.mode
	}
	return "scope " + c.scope + " (" + c.key + "=" + c.value + ")"
}

// resolver accumulates the decision.
type resolver struct {
	d     Decision
	by    [7]chooser // the first chooser of each profile, by rank
	final bool
	defs  []scope.Definition
}

func (r *resolver) consider(p Profile, c chooser) {
	b := p.bit()
	if b == 0 {
		return
	}
	if r.d.Profiles&b == 0 {
		r.d.Profiles |= b
		r.by[p.rank()] = c
	}
	if p.StricterThan(r.d.Profile) {
		r.d.Profile = p
	}
}

// reason is the ChosenBy text: what chose the strictest profile, then what
// chose each other one.
func (r *resolver) reason() string {
	s := r.by[r.d.Profile.rank()].String()
	for p := range r.d.Profiles.Members() {
		if p != r.d.Profile {
			s += "; also " + string(p) + " by " + r.by[p.rank()].String()
		}
	}
	return s
}

func (r *resolver) scope(name string) {
	def, ok := scope.Find(r.defs, name)
	if !ok {
		return
	}
	for _, a := range def.Attributes {
		var p Profile
		switch {
		case a.Key == AttrFAPI && a.Value == AttrReadOnly:
			p = pick(r.final, FAPI1Baseline, FAPI1ReadOnly)
		case a.Key == AttrFAPI && a.Value == AttrReadWrite:
			p = pick(r.final, FAPI1Advanced, FAPI1ReadWrite)
		case a.Key == AttrFAPI2 && a.Value == AttrSecurity:
			p = FAPI2Security
		case a.Key == AttrFAPI2 && a.Value == AttrSigningReq:
			p = FAPI2MessageSigning
			r.d.SignedRequest = true
		case a.Key == AttrFAPI2 && a.Value == AttrSigningResult:
			p = FAPI2MessageSigning
			r.d.SignedResponse = true
		default:
			continue
		}
		r.consider(p, chooser{scope: name, key: a.Key, value: a.Value})
	}
}

// spacedTokens splits a space-separated value as scope.Tokens does.
func (r *resolver) spaced(v string) {
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r' {
			continue
		}
		if i > start {
			r.scope(v[start:i])
		}
		start = i + 1
	}
}

func resolve(s Settings, src source, withReason bool) (Decision, error) {
	if !hasString(s.ServiceProfiles, ServiceProfileFAPI) {
		return Decision{Profile: None, ChosenBy: "service does not list fapi in supported_service_profiles"}, nil
	}
	r := resolver{defs: s.Scopes, final: true}
	r.d.Profile = None
	modes, owner := s.ServiceModes, "service"
	if len(modes) == 0 {
		modes, owner = s.ClientModes, "client"
	}
	for _, m := range modes {
		p, err := modeProfile(m)
		if err != nil {
			return Decision{}, err
		}
		switch m {
		case ModeFAPI2MessageSigningAuthReq:
			r.d.SignedRequest = true
		case ModeFAPI2MessageSigningAuthRes:
			r.d.SignedResponse = true
		}
		r.consider(p, chooser{owner: owner, mode: m})
	}
	switch s.Version {
	case "", VersionFinal:
	case VersionID2:
		r.final = false
	default:
		return Decision{}, &SettingError{Setting: "fapi_version", Value: s.Version}
	}
	for _, name := range src.list {
		r.scope(name)
	}
	defs := src.defs
	for _, v := range src.spaced {
		if scope.Validate(v) != nil {
			// A value outside RFC 6749 §3.3 could hide a FAPI scope from
			// any splitter: it asks for every scope the service defines.
			defs = s.Scopes
			continue
		}
		r.spaced(v)
	}
	for _, d := range defs {
		r.scope(d.Name)
	}
	d := r.d
	switch {
	case d.Profile == None:
		d.ChosenBy = "no requested scope has a FAPI attribute"
	case withReason:
		d.ChosenBy = r.reason()
	}
	if !d.Profile.Implemented() {
		return d, fmt.Errorf("%w: %s (chosen by %s)", ErrNotImplemented, d.Profile, d.ChosenBy)
	}
	return d, nil
}

func pick(final bool, ifFinal, ifID2 Profile) Profile {
	if final {
		return ifFinal
	}
	return ifID2
}

func modeProfile(m string) (Profile, error) {
	switch m {
	case ModeFAPI1Baseline:
		return FAPI1Baseline, nil
	case ModeFAPI1Advanced:
		return FAPI1Advanced, nil
	case ModeFAPI2Security:
		return FAPI2Security, nil
	case ModeFAPI2MessageSigningAuthReq, ModeFAPI2MessageSigningAuthRes:
		return FAPI2MessageSigning, nil
	}
	return "", &SettingError{Setting: "fapi_modes", Value: m}
}

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
