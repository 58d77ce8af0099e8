package scope

import (
	"errors"
	"fmt"
	"strconv"
)

// MaxParamLength is the largest scope parameter, in bytes, that [Parse]
// accepts. RFC 6749 §3.3 sets no limit; this bound keeps the cost of
// parsing attacker-controlled input predictable.
const MaxParamLength = 8192

// mapThreshold is the number of tokens above which Parse detects
// duplicates with a map instead of a linear scan.
const mapThreshold = 16

// ErrMalformed is matched (via [errors.Is]) by every error [Parse] returns:
// the scope parameter does not follow the RFC 6749 §3.3 grammar or is
// longer than [MaxParamLength].
var ErrMalformed = errors.New("scope: malformed scope parameter")

// ErrInvalidDefinition is matched (via [errors.Is]) by every error
// [NewSet] returns: a definition has an empty name, a name that is not an
// RFC 6749 §3.3 scope-token, or a name that is defined more than once.
var ErrInvalidDefinition = errors.New("scope: invalid scope definition")

// SyntaxError describes why a scope parameter violates RFC 6749 §3.3. It
// matches [ErrMalformed] with [errors.Is].
type SyntaxError struct {
	// Offset is the byte offset in the parameter at which the problem was
	// detected.
	Offset int
	// Reason is a short human-readable description of the problem.
	Reason string
}

// Error reports the offset and the reason.
func (e *SyntaxError) Error() string {
	return "scope: malformed scope parameter at offset " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Is reports whether target is [ErrMalformed].
func (e *SyntaxError) Is(target error) bool {
	return target == ErrMalformed
}

// DefinitionError describes why [NewSet] rejected a scope definition. It
// matches [ErrInvalidDefinition] with [errors.Is].
type DefinitionError struct {
	// Index is the position of the offending definition in the slice
	// passed to NewSet.
	Index int
	// Name is the offending definition's name.
	Name string
	// Reason is a short human-readable description of the problem.
	Reason string
}

// Error reports the index, the name and the reason.
func (e *DefinitionError) Error() string {
	return fmt.Sprintf("scope: invalid scope definition %d (%q): %s", e.Index, e.Name, e.Reason)
}

// Is reports whether target is [ErrInvalidDefinition].
func (e *DefinitionError) Is(target error) bool {
	return target == ErrInvalidDefinition
}

// isTokenByte reports whether c may appear in an RFC 6749 §3.3
// scope-token: %x21 / %x23-5B / %x5D-7E.
func isTokenByte(c byte) bool {
	return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
}

// invalidByte describes why c, which is neither SP nor a scope-token
// byte, is not allowed.
func invalidByte(c byte) string {
	switch {
	case c == '"':
		return `character '"' is not allowed in a scope-token`
	case c == '\\':
		return `character '\' is not allowed in a scope-token`
	case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
		return fmt.Sprintf("whitespace byte 0x%02x is not allowed; scope-tokens are separated by a single space (0x20)", c)
	case c >= 0x80:
		return fmt.Sprintf("non-ASCII byte 0x%02x is not allowed in a scope-token", c)
	default:
		return fmt.Sprintf("control character 0x%02x is not allowed in a scope-token", c)
	}
}

// scan validates param against the RFC 6749 §3.3 grammar and returns the
// number of space-separated tokens. param must be non-empty.
func scan(param string) (int, error) {
	if len(param) > MaxParamLength {
		return 0, &SyntaxError{
			Offset: MaxParamLength,
			Reason: "parameter exceeds " + strconv.Itoa(MaxParamLength) + " bytes",
		}
	}
	n := 1
	for i := 0; i < len(param); i++ {
		c := param[i]
		if isTokenByte(c) {
			continue
		}
		if c != ' ' {
			return 0, &SyntaxError{Offset: i, Reason: invalidByte(c)}
		}
		switch {
		case i == 0:
			return 0, &SyntaxError{Offset: i, Reason: "leading space"}
		case i == len(param)-1:
			return 0, &SyntaxError{Offset: i, Reason: "trailing space"}
		case param[i+1] == ' ':
			return 0, &SyntaxError{Offset: i + 1, Reason: "consecutive spaces (empty scope-token)"}
		}
		n++
	}
	return n, nil
}

// Parse splits a scope request parameter into its scope tokens, enforcing
// RFC 6749 §3.3:
//
//	scope       = scope-token *( SP scope-token )
//	scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
//
// An empty param means the scope parameter is absent and yields (nil,
// nil). Parse is strict: leading, trailing or consecutive spaces, tabs and
// any other whitespace, '"', '\', control characters, non-ASCII bytes and
// parameters longer than [MaxParamLength] are rejected with a
// [*SyntaxError], which matches [ErrMalformed].
//
// Repeated tokens are allowed by the grammar; Parse collapses them and
// returns each token once, in order of first occurrence. The returned
// tokens share memory with param; Parse allocates only the result slice
// for up to 16 tokens.
func Parse(param string) ([]string, error) {
	if param == "" {
		return nil, nil
	}
	n, err := scan(param)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	var seen map[string]struct{}
	if n > mapThreshold {
		seen = make(map[string]struct{}, n)
	}
	start := 0
	for i := 0; i <= len(param); i++ {
		if i < len(param) && param[i] != ' ' {
			continue
		}
		tok := param[start:i]
		start = i + 1
		if seen != nil {
			if _, dup := seen[tok]; dup {
				continue
			}
			seen[tok] = struct{}{}
		} else if Contains(out, tok) {
			continue
		}
		out = append(out, tok)
	}
	return out, nil
}

// Contains reports whether scopes includes name. Scope tokens are
// case-sensitive (RFC 6749 §3.3), so the comparison is exact.
func Contains(scopes []string, name string) bool {
	for _, s := range scopes {
		if s == name {
			return true
		}
	}
	return false
}

// validToken reports whether s is a single RFC 6749 §3.3 scope-token.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// Validate checks the syntax of a scope request parameter exactly as Parse
// does (RFC 6749 §3.3), without allocating; "" is valid (absent scope).
func Validate(param string) error {
	if param == "" {
		return nil
	}
	_, err := scan(param)
	return err
}

// Tokens calls yield for each scope token of param, split on single spaces
// as RFC 6749 §3.3 writes them, stopping when yield returns false. It does
// not validate (see Validate) and never allocates: substrings of param are
// passed. Empty tokens between repeated spaces are skipped.
func Tokens(param string, yield func(string) bool) {
	start := 0
	for i := 0; i <= len(param); i++ {
		if i < len(param) && param[i] != ' ' && param[i] != '\t' && param[i] != '\n' && param[i] != '\r' {
			continue
		}
		if i > start && !yield(param[start:i]) {
			return
		}
		start = i + 1
	}
}
