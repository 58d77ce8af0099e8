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
	// Scopes are the service's scope definitions.
	Scopes *scope.Set
}

// Decision is the profile that applies and what chose it.
type Decision struct {
	Profile Profile
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
// together), in the order DESIGN.md gives:
//
//  1. unless the service lists "fapi" in its supported service profiles,
//     the profile is None;
//  2. the service's fapi_modes, or else the client's, apply;
//  3. each requested scope's attributes (fapi=r|rw, fapi2=sp|ms-authreq|
//     ms-authres) select a profile; fapi=r/rw mean the Implementer's Draft 2
//     profiles when Version is VersionID2 and the Final ones otherwise;
//     unknown attributes and undefined scopes select nothing;
//  4. the strictest candidate wins; on a tie the first one found is kept.
//
// An unknown version or mode returns a *SettingError; a profile that this
// library does not implement returns the decision together with an error
// wrapping ErrNotImplemented. Callers must refuse the request in both cases.
func Resolve(s Settings, requested []string) (Decision, error) {
	if !hasString(s.ServiceProfiles, ServiceProfileFAPI) {
		return Decision{Profile: None, ChosenBy: "service does not list fapi in supported_service_profiles"}, nil
	}
	var d Decision
	d.Profile = None
	d.ChosenBy = "no requested scope has a FAPI attribute"

	consider := func(p Profile, by string) {
		if p.StricterThan(d.Profile) {
			d.Profile, d.ChosenBy = p, by
		}
	}
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
			d.SignedRequest = true
		case ModeFAPI2MessageSigningAuthRes:
			d.SignedResponse = true
		}
		consider(p, owner+" fapi_modes "+m)
	}

	final := true
	switch s.Version {
	case "", VersionFinal:
	case VersionID2:
		final = false
	default:
		return Decision{}, &SettingError{Setting: "fapi_version", Value: s.Version}
	}
	for _, name := range requested {
		def, ok := s.Scopes.Lookup(name)
		if !ok {
			continue
		}
		for _, a := range def.Attributes {
			var p Profile
			switch {
			case a.Key == AttrFAPI && a.Value == AttrReadOnly:
				p = pick(final, FAPI1Baseline, FAPI1ReadOnly)
			case a.Key == AttrFAPI && a.Value == AttrReadWrite:
				p = pick(final, FAPI1Advanced, FAPI1ReadWrite)
			case a.Key == AttrFAPI2 && a.Value == AttrSecurity:
				p = FAPI2Security
			case a.Key == AttrFAPI2 && a.Value == AttrSigningReq:
				p = FAPI2MessageSigning
				d.SignedRequest = true
			case a.Key == AttrFAPI2 && a.Value == AttrSigningResult:
				p = FAPI2MessageSigning
				d.SignedResponse = true
			default:
				continue
			}
			consider(p, "scope "+name+" ("+a.Key+"="+a.Value+")")
		}
	}
	if !d.Profile.Implemented() {
		return d, fmt.Errorf("%w: %s (chosen by %s)", ErrNotImplemented, d.Profile, d.ChosenBy)
	}
	return d, nil
}

// Offered is the strictest profile that any scope the service defines, or
// its static modes, can select: the profile a service configuration or a
// client that may ask for any scope is checked against.
func Offered(s Settings) (Decision, error) {
	var names []string
	for _, def := range s.Scopes.Definitions() {
		names = append(names, def.Name)
	}
	return Resolve(s, names)
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
