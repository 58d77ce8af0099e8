package scope_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/scope"
)

// referenceValid is an independent, deliberately naive statement of the
// RFC 6749 §3.3 grammar, used to cross-check Parse.
func referenceValid(param string) bool {
	if len(param) > scope.MaxParamLength {
		return false
	}
	for tok := range strings.SplitSeq(param, " ") {
		if tok == "" {
			return false
		}
		for _, c := range []byte(tok) {
			if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
				return false
			}
		}
	}
	return true
}

// FuzzParse checks that Parse never panics, agrees with a naive reference
// grammar, and that everything it accepts re-validates.
func FuzzParse(f *testing.F) {
	f.Add("openid accounts payments")
	f.Add("")
	f.Add(" ")
	f.Add("a  b")
	f.Add("a\tb")
	f.Add(`a"b`)
	f.Add("é")
	f.Fuzz(func(t *testing.T, param string) {
		got, err := scope.Parse(param)
		if param == "" {
			if got != nil || err != nil {
				t.Fatalf("Parse(%q) = %q, %v; want nil, nil", param, got, err)
			}
			return
		}
		if want := referenceValid(param); want != (err == nil) {
			t.Fatalf("Parse(%q) error = %v; reference says valid = %v", param, err, want)
		}
		if err != nil {
			if got != nil {
				t.Fatalf("Parse(%q) returned tokens %q with error %v", param, got, err)
			}
			var synErr *scope.SyntaxError
			if !errors.Is(err, scope.ErrMalformed) || !errors.As(err, &synErr) {
				t.Fatalf("Parse(%q) error %v is not a *SyntaxError matching ErrMalformed", param, err)
			}
			if synErr.Offset < 0 || synErr.Offset > len(param) || synErr.Reason == "" {
				t.Fatalf("Parse(%q) error has bad offset or reason: %+v", param, synErr)
			}
			return
		}
		if len(got) == 0 {
			t.Fatalf("Parse(%q) accepted a non-empty parameter but returned no tokens", param)
		}
		for i, tok := range got {
			again, err := scope.Parse(tok)
			if err != nil || len(again) != 1 || again[0] != tok {
				t.Fatalf("token %q from Parse(%q) does not re-validate: %q, %v", tok, param, again, err)
			}
			if slices.Contains(got[:i], tok) {
				t.Fatalf("Parse(%q) returned duplicate token %q", param, tok)
			}
			if !strings.Contains(param, tok) {
				t.Fatalf("Parse(%q) returned token %q not in the input", param, tok)
			}
		}
		joined := strings.Join(got, " ")
		again, err := scope.Parse(joined)
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("re-parsing %q from Parse(%q) = %q, %v", joined, param, again, err)
		}
	})
}

// FuzzNewSet checks that NewSet never panics, accepts exactly the
// definitions with distinct valid names, and that the resulting Set finds
// what it was built from.
func FuzzNewSet(f *testing.F) {
	f.Add("openid", "payments")
	f.Add("", "openid")
	f.Add("openid", "openid")
	f.Add("read write", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		defs := []scope.Definition{
			{Name: a, Attributes: []scope.Attribute{{Key: "k", Value: a}}},
			{Name: b},
		}
		s, err := scope.NewSet(defs)
		validA := a != "" && referenceValid(a) && !strings.Contains(a, " ")
		validB := b != "" && referenceValid(b) && !strings.Contains(b, " ")
		want := validA && validB && a != b
		if want != (err == nil) {
			t.Fatalf("NewSet(%q, %q) error = %v; want valid = %v", a, b, err, want)
		}
		if err != nil {
			var defErr *scope.DefinitionError
			if s != nil || !errors.Is(err, scope.ErrInvalidDefinition) || !errors.As(err, &defErr) {
				t.Fatalf("NewSet(%q, %q) = %v, %v; want nil and a *DefinitionError", a, b, s, err)
			}
			return
		}
		for _, d := range defs {
			got, ok := s.Lookup(d.Name)
			if !ok || got.Name != d.Name || !slices.Equal(got.Attributes, d.Attributes) {
				t.Fatalf("Lookup(%q) = %+v, %v", d.Name, got, ok)
			}
			if parsed, err := scope.Parse(d.Name); err != nil || len(parsed) != 1 || parsed[0] != d.Name {
				t.Fatalf("defined name %q does not parse as one scope-token: %q, %v", d.Name, parsed, err)
			}
		}
		if len(s.Definitions()) != 2 {
			t.Fatalf("Definitions() = %+v", s.Definitions())
		}
	})
}
