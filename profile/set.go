package profile

import (
	"encoding/json"
	"iter"
	"strings"
)

// Set is a set of FAPI profiles (None is never a member). A request whose
// scopes or settings select several profiles is held to all of them: see
// Decision.Requirements. The zero value is the empty set.
type Set uint16

// bit is p's member bit, or 0 for None and unknown profiles.
func (p Profile) bit() Set {
	if r := p.rank(); r > 0 {
		return 1 << r
	}
	return 0
}

// SetOf returns the set of the FAPI profiles among ps.
func SetOf(ps ...Profile) Set {
	var s Set
	for _, p := range ps {
		s |= p.bit()
	}
	return s
}

// Has reports whether p is in s.
func (s Set) Has(p Profile) bool { b := p.bit(); return b != 0 && s&b != 0 }

// Len is the number of profiles in s.
func (s Set) Len() int {
	n := 0
	for x := s; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// Strictest returns the strictest profile of s (None for the empty set).
func (s Set) Strictest() Profile {
	all := All()
	for i := len(all) - 1; i > 0; i-- {
		if s.Has(all[i]) {
			return all[i]
		}
	}
	return None
}

// Members yields the members of s from the strictest to the least strict,
// without allocating.
func (s Set) Members() iter.Seq[Profile] {
	return func(yield func(Profile) bool) {
		for i := len(allProfiles) - 1; i > 0; i-- {
			if s.Has(allProfiles[i]) && !yield(allProfiles[i]) {
				return
			}
		}
	}
}

// Profiles lists the members of s from the strictest to the least strict.
func (s Set) Profiles() []Profile {
	if s == 0 {
		return nil
	}
	all := All()
	out := make([]Profile, 0, s.Len())
	for i := len(all) - 1; i > 0; i-- {
		if s.Has(all[i]) {
			out = append(out, all[i])
		}
	}
	return out
}

// String joins the members, strictest first, with "+"; "none" for the
// empty set.
func (s Set) String() string {
	if s == 0 {
		return string(None)
	}
	var b strings.Builder
	for i, p := range s.Profiles() {
		if i > 0 {
			b.WriteByte('+')
		}
		b.WriteString(string(p))
	}
	return b.String()
}

// MarshalJSON writes the members as an array of profile names, strictest
// first ([] for the empty set).
func (s Set) MarshalJSON() ([]byte, error) {
	ps := s.Profiles()
	if ps == nil {
		ps = []Profile{}
	}
	return json.Marshal(ps)
}

// UnmarshalJSON reads an array of profile names; "none" adds nothing, an
// unknown name is an error.
func (s *Set) UnmarshalJSON(data []byte) error {
	var names []string
	if err := json.Unmarshal(data, &names); err != nil {
		return err
	}
	var out Set
	for _, n := range names {
		p, err := Parse(n)
		if err != nil {
			return err
		}
		out |= p.bit()
	}
	*s = out
	return nil
}
