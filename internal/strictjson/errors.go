package strictjson

import (
	"errors"
	"strconv"
)

// ErrInvalid is matched (with errors.Is) by every error reporting input that
// is not strictly valid JSON, or that a decoding helper cannot decode as
// requested.
var ErrInvalid = errors.New("strictjson: invalid JSON")

// ErrTooComplex is matched (with errors.Is) by errors reporting input that
// exceeds a [Limits] bound: nesting too deep or too many members in one
// object. Such errors do not match [ErrInvalid]; callers must treat every
// non-nil error as a rejection.
var ErrTooComplex = errors.New("strictjson: JSON exceeds limits")

// SyntaxError describes why input was rejected and where.
type SyntaxError struct {
	// Offset is the byte offset in the input at which the problem was
	// detected.
	Offset int
	// Reason is a short, fixed description of the problem. It never contains
	// input bytes.
	Reason string

	tooComplex bool
}

// Error returns "strictjson: <reason> at offset <offset>".
func (e *SyntaxError) Error() string {
	return "strictjson: " + e.Reason + " at offset " + strconv.Itoa(e.Offset)
}

// Is reports whether target is the sentinel this error belongs to: exactly
// one of [ErrTooComplex] (limit violations) and [ErrInvalid] (everything
// else).
func (e *SyntaxError) Is(target error) bool {
	if e.tooComplex {
		return target == ErrTooComplex
	}
	return target == ErrInvalid
}

// Rejection reasons. They are fixed strings so that error messages never echo
// attacker-controlled input.
const (
	reasonEOF                    = "unexpected end of input"
	reasonBOM                    = "byte order mark not allowed"
	reasonInvalidUTF8            = "invalid UTF-8"
	reasonTopLevelNotObject      = "top-level value is not an object"
	reasonTrailingData           = "unexpected data after top-level value"
	reasonExpectedValue          = "unexpected character, expected a value"
	reasonExpectedName           = "unexpected character, expected a string member name"
	reasonExpectedColon          = "unexpected character, expected ':' after member name"
	reasonExpectedCommaOrBrace   = "unexpected character, expected ',' or '}' after object member"
	reasonExpectedCommaOrBracket = "unexpected character, expected ',' or ']' after array element"
	reasonTrailingCommaObject    = "trailing comma in object"
	reasonTrailingCommaArray     = "trailing comma in array"
	reasonInvalidLiteral         = "invalid literal"
	reasonDuplicateName          = "duplicate object member name"
	reasonTooDeep                = "nesting too deep"
	reasonTooManyMembers         = "too many object members"

	reasonControlChar     = "unescaped control character in string"
	reasonUnterminated    = "unterminated string"
	reasonInvalidEscape   = "invalid escape sequence in string"
	reasonInvalidUnicode  = "invalid \\u escape in string"
	reasonLoneHigh        = "unpaired high surrogate escape in string"
	reasonLoneLow         = "unpaired low surrogate escape in string"
	reasonInvalidNumber   = "invalid number"
	reasonLeadingZero     = "invalid number: leading zero"
	reasonMissingFraction = "invalid number: expected digit after decimal point"
	reasonMissingExponent = "invalid number: expected digit in exponent"

	reasonNotString    = "value is not a JSON string"
	reasonNotInteger   = "value is not a JSON integer"
	reasonIntRange     = "integer out of int64 range"
	reasonNotBool      = "value is not a JSON boolean"
	reasonNotStringArr = "value is not a JSON array of strings"
)
