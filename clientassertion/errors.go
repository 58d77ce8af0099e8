package clientassertion

// Reason is why an assertion was refused; its string form is the reason part
// of the library's violation codes ("client_assertion.<reason>"). A Reason is
// an error, so errors.Is(err, ReasonExpired) works on an *Error.
type Reason string

// The reasons, with the rule each one enforces (RFC 7523 §3, OIDC Core §9;
// the clauses are those of docs/DESIGN.md and CODES.md).
const (
	// ReasonMissing: no client_assertion was sent (OIDC Core §9).
	ReasonMissing Reason = "missing"
	// ReasonTypeInvalid: client_assertion_type is not TypeJWTBearer (RFC
	// 7523 §2.2).
	ReasonTypeInvalid Reason = "type_invalid"
	// ReasonTooLarge: the assertion exceeds Rules.MaxSize and was not
	// decoded (RFC 7523 §3).
	ReasonTooLarge Reason = "too_large"
	// ReasonMalformed: not one well-formed compact JWS with a strict JSON
	// header and claim set (RFC 7523 §3, RFC 7519 §7.2).
	ReasonMalformed Reason = "malformed"
	// ReasonAlgNotAllowed: "alg" is none, not in Rules.Algorithms, not of
	// the kind the authentication method needs (asymmetric for
	// private_key_jwt, HMAC for client_secret_jwt), or not the client's
	// registered token_endpoint_auth_signing_alg (FAPI-RW-8.6-1,
	// FAPI1-ADV-8.6-1, FAPI2-SP-5.4.1-1; OIDC Registration §2).
	ReasonAlgNotAllowed Reason = "alg_not_allowed"
	// ReasonSignatureInvalid: the signature does not verify with the
	// client's registered keys or its secret (OIDC Core §9).
	ReasonSignatureInvalid Reason = "signature_invalid"
	// ReasonKeyTooSmall: the verifying key is smaller than
	// Rules.KeyMinimums or unsafe, and Error.Err is the keysize error,
	// which names the key kind (FAPI-R-5.2.2-5, -6; FAPI1-BASE-5.2.2-5, -6;
	// FAPI2-SP-5.4.1-2, -3); or the client secret is shorter than
	// MinSecretLength (OIDC Core §16.19; FAPI-R-5.2.2-3,
	// FAPI1-BASE-5.2.2-3).
	ReasonKeyTooSmall Reason = "key_too_small"
	// ReasonExpMissing: no exp (RFC 7523 §3 item 4).
	ReasonExpMissing Reason = "exp_missing"
	// ReasonExpired: exp is not after now (RFC 7523 §3 item 4).
	ReasonExpired Reason = "expired"
	// ReasonExpTooFar: exp is more than Rules.MaxLifetime after now (RFC
	// 7523 §3 item 4: an exp unreasonably far in the future; item 7: its
	// jti is held until exp).
	ReasonExpTooFar Reason = "exp_too_far"
	// ReasonNotYetValid: nbf or iat is later than now plus Rules.ClockSkew
	// (RFC 7523 §3 items 5 and 6).
	ReasonNotYetValid Reason = "not_yet_valid"
	// ReasonAudMismatch: aud is missing or names none of Rules.Audiences,
	// or is an array where Rules.RequireAudienceString (RFC 7523 §3 item
	// 3; FAPI2-SP-5.3.2.1-8).
	ReasonAudMismatch Reason = "aud_mismatch"
	// ReasonIssMismatch: iss is missing or is not the client_id (RFC 7523
	// §3 item 1).
	ReasonIssMismatch Reason = "iss_mismatch"
	// ReasonSubMismatch: sub is missing or is not the client_id (RFC 7523
	// §3 item 2).
	ReasonSubMismatch Reason = "sub_mismatch"
	// ReasonJTIMissing: no jti, or an empty one (OIDC Core §9; RFC 7523 §3
	// item 7).
	ReasonJTIMissing Reason = "jti_missing"
)

// reasons lists every Reason, in the order of the declarations above.
var reasons = [...]Reason{
	ReasonMissing, ReasonTypeInvalid, ReasonTooLarge, ReasonMalformed,
	ReasonAlgNotAllowed, ReasonSignatureInvalid, ReasonKeyTooSmall,
	ReasonExpMissing, ReasonExpired, ReasonExpTooFar, ReasonNotYetValid,
	ReasonAudMismatch, ReasonIssMismatch, ReasonSubMismatch, ReasonJTIMissing,
}

// Reasons returns every reason Verify and VerifySecret can report, each
// once, so that a caller translating them (package fapi maps each to a
// violation code) can prove its table complete. The slice is a fresh copy.
func Reasons() []Reason { return append([]Reason(nil), reasons[:]...) }

// Error returns the reason as an error message.
func (r Reason) Error() string { return "client assertion: " + string(r) }

// Error is one broken rule.
type Error struct {
	Reason  Reason
	Claim   string // the claim or header member at fault, or ""
	Message string // one sentence for a human, naming the value seen
	Err     error  // underlying cause, if any
}

// Error returns the message, prefixed with "client assertion: ".
func (e *Error) Error() string { return "client assertion: " + e.Message }

// Is reports whether target is e's Reason.
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
