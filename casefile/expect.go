package casefile

import (
	"slices"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
)

// Mismatch is one way a report differs from a case's expectation: the
// expect member at fault and the values the report has and the case
// declares (a profile is a one-element list).
type Mismatch struct {
	Member string // "profile", "profiles", "violations", "waived" or "ignored"
	Got    []string
	Want   []string
}

// String formats the mismatch as "violations [a b], expected [c]"; an
// empty list reads "none".
func (m Mismatch) String() string {
	if m.Member == "expect" {
		return "no expect member"
	}
	return m.Member + " " + list(m.Got) + ", expected " + list(m.Want)
}

func list(s []string) string {
	switch {
	case len(s) == 0:
		return "none"
	case len(s) == 1 && s[0] == "":
		return `""` // an expect member without a profile
	case len(s) == 1:
		return s[0]
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Mismatches compares rep, the report of the case's Run, with the
// expectation, as fapicheck and the corpus tests judge a case (docs/DESIGN.md
// §10.2, expect): the profile and the exact, ordered list of violation codes
// always; the profiles held to, the waived codes and the ignored parameters
// when the expectation lists them. An absent violations member expects none,
// so a refused request never meets an expectation that does not name its
// codes. It returns nil when the report is as expected; a nil expectation
// (no expect member) never matches and gives one mismatch of member
// "expect".
func (e *Expectation) Mismatches(rep fapi.Report) []Mismatch {
	if e == nil {
		return []Mismatch{{Member: "expect"}}
	}
	var out []Mismatch
	check := func(member string, got, want []string) {
		if !slices.Equal(got, want) { // nil and empty are equal
			out = append(out, Mismatch{Member: member, Got: got, Want: want})
		}
	}
	check("profile", []string{string(rep.Profile)}, []string{e.Profile})
	if e.Profiles != nil {
		var ps []string
		for _, p := range rep.Profiles.Profiles() {
			ps = append(ps, string(p))
		}
		check("profiles", ps, e.Profiles)
	}
	check("violations", codes(rep.Violations), e.Violations)
	if e.Waived != nil {
		check("waived", codes(rep.Waived), e.Waived)
	}
	if e.Ignored != nil {
		check("ignored", rep.Ignored, e.Ignored)
	}
	return out
}

// codes lists the codes of vs, in order.
func codes(vs []fapi.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v.Code)
	}
	return out
}
