package scope

import "strconv"

// Attribute is a key/value pair attached to a scope [Definition], for
// example {Key: "fapi", Value: "rw"}. Keys and values are opaque to this
// package and compared exactly.
type Attribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Definition is a scope the authorization server defines, with its
// attributes. Name must be an RFC 6749 §3.3 scope-token for the
// definition to be accepted by [NewSet].
type Definition struct {
	Name       string      `json:"name"`
	Attributes []Attribute `json:"attributes,omitempty"`
}

// Has reports whether d has an attribute with exactly the given key and
// value (case-sensitive).
func (d Definition) Has(key, value string) bool {
	for _, a := range d.Attributes {
		if a.Key == key && a.Value == value {
			return true
		}
	}
	return false
}

// Values returns the values of every attribute of d whose key is exactly
// key, in the order they appear. It returns nil if there is none.
func (d Definition) Values(key string) []string {
	var out []string
	for _, a := range d.Attributes {
		if a.Key == key {
			out = append(out, a.Value)
		}
	}
	return out
}

// clone returns a copy of d that shares no memory with it.
func (d Definition) clone() Definition {
	if d.Attributes != nil {
		d.Attributes = append([]Attribute(nil), d.Attributes...)
	}
	return d
}

// Set is an immutable lookup table of scope definitions by name. It is
// built once by [NewSet] and is safe for concurrent use. The zero value
// and a nil *Set are empty sets.
type Set struct {
	defs   []Definition
	byName map[string]int
}

// NewSet builds a [Set] from defs. It copies defs, so later changes to the
// slice or to the definitions' attributes do not affect the Set.
//
// It returns a [*DefinitionError], which matches [ErrInvalidDefinition],
// if a name is empty, is not an RFC 6749 §3.3 scope-token (so it could
// never be requested), or is defined more than once.
func NewSet(defs []Definition) (*Set, error) {
	s := &Set{
		defs:   make([]Definition, 0, len(defs)),
		byName: make(map[string]int, len(defs)),
	}
	for i, d := range defs {
		switch {
		case d.Name == "":
			return nil, &DefinitionError{Index: i, Name: d.Name, Reason: "empty name"}
		case !validToken(d.Name):
			return nil, &DefinitionError{Index: i, Name: d.Name, Reason: "name is not an RFC 6749 scope-token"}
		}
		if j, dup := s.byName[d.Name]; dup {
			return nil, &DefinitionError{Index: i, Name: d.Name, Reason: "name already defined at index " + strconv.Itoa(j)}
		}
		s.byName[d.Name] = len(s.defs)
		s.defs = append(s.defs, d.clone())
	}
	return s, nil
}

// Lookup returns the definition named name and true, or the zero
// Definition and false if there is none. The name is matched exactly
// (RFC 6749 §3.3 scope tokens are case-sensitive). The returned
// Definition is a copy; modifying it does not affect s. Lookup on a nil
// *Set returns (Definition{}, false).
func (s *Set) Lookup(name string) (Definition, bool) {
	if s == nil {
		return Definition{}, false
	}
	i, ok := s.byName[name]
	if !ok {
		return Definition{}, false
	}
	return s.defs[i].clone(), true
}

// Definitions returns a copy of the definitions in s, in the order they
// were passed to [NewSet]. It returns nil for a nil or empty *Set.
func (s *Set) Definitions() []Definition {
	if s == nil || len(s.defs) == 0 {
		return nil
	}
	out := make([]Definition, len(s.defs))
	for i, d := range s.defs {
		out[i] = d.clone()
	}
	return out
}

// ValidateDefinitions checks definitions as NewSet does — names non-empty,
// RFC 6749 scope-tokens, and unique — without building a Set.
func ValidateDefinitions(defs []Definition) error {
	for i, d := range defs {
		switch {
		case d.Name == "":
			return &DefinitionError{Index: i, Name: d.Name, Reason: "empty name"}
		case !validToken(d.Name):
			return &DefinitionError{Index: i, Name: d.Name, Reason: "name is not an RFC 6749 scope-token"}
		}
		for j := 0; j < i; j++ {
			if defs[j].Name == d.Name {
				return &DefinitionError{Index: i, Name: d.Name, Reason: "name already defined at index " + strconv.Itoa(j)}
			}
		}
	}
	return nil
}

// Find returns the definition named name from defs, without copying it: the
// caller must not modify its attributes. It is the allocation-free lookup
// for callers that already validated defs.
func Find(defs []Definition, name string) (Definition, bool) {
	for _, d := range defs {
		if d.Name == name {
			return d, true
		}
	}
	return Definition{}, false
}
