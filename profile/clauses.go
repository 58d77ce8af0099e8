package profile

import (
	"strings"

	"github.com/fapicheck/fapicheck/clause"
)

// clausePrefixes maps the prefix of a profile's own clauses to the
// profiles whose clauses they are: FAPI 1.0 Part 1's are Part 2's too, the
// Security Profile's are Message Signing's. Adding a profile adds its
// prefix here.
var clausePrefixes = []struct {
	prefix   string
	profiles Set
}{
	{"FAPI-RW-", SetOf(FAPI1ReadWrite)},
	{"FAPI-R-", SetOf(FAPI1ReadOnly, FAPI1ReadWrite)},
	{"FAPI1-ADV-", SetOf(FAPI1Advanced)},
	{"FAPI1-BASE-", SetOf(FAPI1Baseline, FAPI1Advanced)},
	{"FAPI2-MS-", SetOf(FAPI2MessageSigning)},
	{"FAPI2-SP-", SetOf(FAPI2Security, FAPI2MessageSigning)},
}

// ClauseProfiles returns the profiles whose own document c is a clause of
// (FAPI1-BASE-… belongs to Baseline and Advanced), and false for a clause
// of a document no profile owns (an RFC, OpenID Connect, JAR, PAR, DPoP,
// JARM), which any profile may cite.
func ClauseProfiles(c clause.Clause) (Set, bool) {
	for _, p := range clausePrefixes {
		if strings.HasPrefix(string(c), p.prefix) {
			return p.profiles, true
		}
	}
	return 0, false
}

// ClauseFits reports whether c may be cited for a violation judged under
// the profiles of set: a clause of one of them, or of no profile. Under no
// profile (an empty set) only clauses of no profile fit.
func ClauseFits(c clause.Clause, set Set) bool {
	own, ok := ClauseProfiles(c)
	return !ok || own&set != 0
}

// ServiceFamilyClause is the clause that makes the rules of p's family
// apply to an authorization server (FAPI 1.0 ID2 and Final Part 1 §5.2.2,
// FAPI 2.0 Security Profile §5.3.2); for no profile, the FAPI 1.0 one of
// the service's fapi_version.
func ServiceFamilyClause(p Profile, version string) clause.Clause {
	if r, ok := p.Requirements(); ok && r.Service.Family.Applies() {
		return r.Service.Family
	}
	if version == VersionID2 {
		return readOnly().Service.Family
	}
	return baseline().Service.Family
}

// clientRulesIncluded lists, for a profile, the profiles whose client
// rules its own contain: the read-only (Baseline, Security Profile) rules
// are inside the read-and-write (Advanced, Message Signing) ones of the
// same family, which only narrow the authentication methods, drop public
// clients and add algorithm and binding rules.
var clientRulesIncluded = map[Profile][]Profile{
	FAPI1ReadWrite:      {FAPI1ReadOnly},
	FAPI1Advanced:       {FAPI1Baseline},
	FAPI2MessageSigning: {FAPI2Security},
}

// ClientRulesContain reports whether a client registration that meets the
// client rules of profile reg is known to meet those of profile p: the
// same profile, or one whose client rules reg's contain. Any other pair is
// checked again.
func ClientRulesContain(reg, p Profile) bool {
	if reg == p {
		return true
	}
	for _, q := range clientRulesIncluded[reg] {
		if q == p {
			return true
		}
	}
	return false
}
