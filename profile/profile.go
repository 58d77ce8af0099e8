// Package profile names the FAPI security profiles and decides which one
// applies to a request, from the service's settings and the attributes of
// the requested scopes. It also declares, in one table, what each profile
// requires (see Requirements), so that the check points in package fapi
// state no profile rules of their own.
package profile

import (
	"fmt"
)

// Profile is a FAPI security profile. Its string form is stable and appears
// in reports.
type Profile string

// The profiles. None means plain OAuth 2.0 / OpenID Connect: no FAPI rule
// applies.
const (
	None Profile = "none"
	// FAPI1ReadOnly is FAPI 1.0 Part 1, Implementer's Draft 2 (FAPI-R).
	FAPI1ReadOnly Profile = "fapi1-read-only"
	// FAPI1ReadWrite is FAPI 1.0 Part 2, Implementer's Draft 2 (FAPI-RW).
	FAPI1ReadWrite Profile = "fapi1-read-write"
	// FAPI1Baseline is FAPI 1.0 Final, Part 1 Baseline.
	FAPI1Baseline Profile = "fapi1-baseline"
	// FAPI1Advanced is FAPI 1.0 Final, Part 2 Advanced.
	FAPI1Advanced Profile = "fapi1-advanced"
	// FAPI2Security is the FAPI 2.0 Security Profile.
	FAPI2Security Profile = "fapi2-security"
	// FAPI2MessageSigning is FAPI 2.0 Message Signing.
	FAPI2MessageSigning Profile = "fapi2-message-signing"
)

// All lists every profile, from the least to the most strict.
func All() []Profile {
	out := allProfiles
	return out[:]
}

// allProfiles are the profiles in rank order.
var allProfiles = [...]Profile{None, FAPI1ReadOnly, FAPI1Baseline, FAPI1ReadWrite, FAPI1Advanced, FAPI2Security, FAPI2MessageSigning}

// String returns the stable name.
func (p Profile) String() string { return string(p) }

// Valid reports whether p is one of the named profiles.
func (p Profile) Valid() bool { return p.rank() >= 0 }

// IsFAPI reports whether p is a FAPI profile (anything but None).
func (p Profile) IsFAPI() bool { return p.Valid() && p != None }

// Implemented reports whether this version of the library can validate
// requests under p. A profile that is named but not implemented must fail
// closed: Resolve returns ErrNotImplemented for it.
func (p Profile) Implemented() bool { return p.Valid() }

// rank orders the profiles by strictness (docs/DESIGN.md, "Mixed requests": FAPI 2
// over FAPI 1, read-write over read-only). Unknown profiles rank -1.
func (p Profile) rank() int {
	switch p {
	case None:
		return 0
	case FAPI1ReadOnly:
		return 1
	case FAPI1Baseline:
		return 2
	case FAPI1ReadWrite:
		return 3
	case FAPI1Advanced:
		return 4
	case FAPI2Security:
		return 5
	case FAPI2MessageSigning:
		return 6
	}
	return -1
}

// StricterThan reports whether p is stricter than q.
func (p Profile) StricterThan(q Profile) bool { return p.rank() > q.rank() }

// Parse returns the profile named s.
func Parse(s string) (Profile, error) {
	p := Profile(s)
	if !p.Valid() {
		return "", fmt.Errorf("profile: unknown profile %q", s)
	}
	return p, nil
}
