package requestobject

// Reason is why a request object was refused. Its string form is the reason
// part of the library's violation codes ("request_object.<reason>"). A Reason
// is also an error, so errors.Is(err, ReasonExpired) works on an *Error.
type Reason string

// The reasons.
const (
	ReasonTooLarge         Reason = "too_large"
	ReasonMalformed        Reason = "malformed"
	ReasonUnsigned         Reason = "unsigned"
	ReasonAlgNotAllowed    Reason = "alg_not_allowed"
	ReasonSignatureInvalid Reason = "signature_invalid"
	ReasonKeyTooSmall      Reason = "key_too_small"
	ReasonExpMissing       Reason = "exp_missing"
	ReasonExpired          Reason = "expired"
	ReasonNbfMissing       Reason = "nbf_missing"
	ReasonNotYetValid      Reason = "not_yet_valid"
	ReasonNbfTooOld        Reason = "nbf_too_old"
	ReasonLifetimeTooLong  Reason = "lifetime_too_long"
	ReasonAudMissing       Reason = "aud_missing"
	ReasonAudMismatch      Reason = "aud_mismatch"
	ReasonIssMismatch      Reason = "iss_mismatch"
	ReasonClientIDMismatch Reason = "client_id_mismatch"
	ReasonSubIsClient      Reason = "sub_is_client"
	ReasonParamMissing     Reason = "param_missing"
	ReasonParamMismatch    Reason = "param_mismatch"
)

// Error returns the reason as an error message.
func (r Reason) Error() string { return "request object: " + string(r) }

// Error is one broken rule.
type Error struct {
	Reason Reason
	// Claim is the claim, header member or parameter at fault, or "".
	Claim string
	// Message is one sentence for a human, naming the value seen.
	Message string
	// Err is the underlying cause, if any.
	Err error
}

// Error returns the message, prefixed with "request object: ".
func (e *Error) Error() string { return "request object: " + e.Message }

// Is reports whether target is e's Reason.
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
