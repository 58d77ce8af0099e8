package jose

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers map failures to their own codes with errors.Is.
var (
	// ErrTooLarge: the input exceeds the size limit and was not decoded.
	ErrTooLarge = errors.New("jose: input too large")
	// ErrMalformed: not a compact JWS, bad base64url, bad JSON, duplicate
	// members, a forbidden header member, or a claim of the wrong type.
	ErrMalformed = errors.New("jose: malformed")
	// ErrUnsigned: the header says "alg":"none" (in any letter case).
	ErrUnsigned = errors.New("jose: unsigned (alg none)")
	// ErrAlgNotAllowed: the header's alg is not in the caller's allow-list.
	ErrAlgNotAllowed = errors.New("jose: algorithm not allowed")
	// ErrNoKey: none of the caller's keys can verify this algorithm/kid.
	ErrNoKey = errors.New("jose: no matching key")
	// ErrSignatureInvalid: the signature did not verify with any candidate key.
	ErrSignatureInvalid = errors.New("jose: signature invalid")
	// ErrInvalidKeySet: a JWK Set could not be used (malformed, private or
	// symmetric key material, unsupported key type, x5c not matching its key).
	ErrInvalidKeySet = errors.New("jose: invalid JWK set")
)

// Error is the typed error of this package. Kind is one of the sentinel
// errors above; Field names the header member, claim or key at fault when
// there is one.
type Error struct {
	Kind   error
	Field  string
	Detail string
	Err    error // underlying cause, if any
}

// Detail returns the field and detail of err when it is (or wraps) an
// *Error, without the kind, for messages that name the kind in their own
// words; otherwise err's message.
func Detail(err error) string {
	var je *Error
	if errors.As(err, &je) {
		s := je.Detail
		if je.Field != "" {
			s = je.Field + ": " + s
		}
		return s
	}
	return err.Error()
}

// Error formats the kind, the field and the detail.
func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Field != "" {
		msg += ": " + e.Field
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is reports whether target is the error's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func errorf(kind error, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Detail: fmt.Sprintf(format, args...)}
}
