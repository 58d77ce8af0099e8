package requestobject

// Reason is why a request object was refused. Its string form is the reason
// part of the library's violation codes ("request_object.<reason>"). A Reason
// is also an error, so errors.Is(err, ReasonExpired) works on an *Error.
type Reason string

// The reasons, with the rule each one enforces. The rules a profile sets
// (which claims are required, the algorithms, the lifetime) come in through
// Rules; the clauses named are those of docs/DESIGN.md and CODES.md.
const (
	// ReasonTooLarge: the object exceeds Rules.MaxSize and was not decoded
	// (FAPI-RW-7.4; RFC 9101 §4).
	ReasonTooLarge Reason = "too_large"
	// ReasonMalformed: not one well-formed compact JWS with a strict JSON
	// header and claim set, a nested request or request_uri claim, or an
	// authorization parameter of the wrong JSON type (OIDC Core §6.1; RFC
	// 9101 §4).
	ReasonMalformed Reason = "malformed"
	// ReasonUnsigned: "alg" is none in any letter case (OIDC Core §6.1;
	// FAPI-RW-8.6-3, FAPI1-ADV-8.6-3, FAPI2-SP-5.4.1-1).
	ReasonUnsigned Reason = "unsigned"
	// ReasonAlgNotAllowed: "alg" is not in Rules.Algorithms, or is not the
	// client's registered request_object_signing_alg (FAPI-RW-8.6-1,
	// FAPI1-ADV-8.6-1, FAPI2-SP-5.4.1-1; OIDC Registration §2).
	ReasonAlgNotAllowed Reason = "alg_not_allowed"
	// ReasonSignatureInvalid: the signature does not verify with any of
	// the client's registered keys (RFC 9101 §6.2).
	ReasonSignatureInvalid Reason = "signature_invalid"
	// ReasonKeyTooSmall: the key that verified the object is smaller than
	// Rules.KeyMinimums or unsafe; Error.Err is the keysize error, which
	// names the key kind (FAPI-R-5.2.2-5, -6; FAPI1-BASE-5.2.2-5, -6;
	// FAPI2-SP-5.4.1-2, -3).
	ReasonKeyTooSmall Reason = "key_too_small"
	// ReasonExpMissing: no exp where Rules.RequireExp (FAPI-RW-5.2.2-13,
	// FAPI1-ADV-5.2.2-13, FAPI2-MS-5.3.1-4).
	ReasonExpMissing Reason = "exp_missing"
	// ReasonExpired: exp is not after now (RFC 7519 §4.1.4).
	ReasonExpired Reason = "expired"
	// ReasonNbfMissing: no nbf where Rules.RequireNbf (FAPI1-ADV-5.2.2-17,
	// FAPI2-MS-5.3.1-3).
	ReasonNbfMissing Reason = "nbf_missing"
	// ReasonNotYetValid: nbf or iat is later than now plus Rules.ClockSkew
	// (RFC 7519 §4.1.5).
	ReasonNotYetValid Reason = "not_yet_valid"
	// ReasonNbfTooOld: nbf is more than Rules.MaxNbfAge before now
	// (FAPI1-ADV-5.2.2-17, FAPI2-MS-5.3.1-3).
	ReasonNbfTooOld Reason = "nbf_too_old"
	// ReasonLifetimeTooLong: exp − nbf, or exp − now without nbf, exceeds
	// Rules.MaxLifetime (FAPI1-ADV-5.2.2-13, FAPI2-MS-5.3.1-4).
	ReasonLifetimeTooLong Reason = "lifetime_too_long"
	// ReasonAudMissing: no aud where Rules.RequireAud (OIDC Core §6.1;
	// FAPI1-ADV-5.2.2-15, FAPI2-MS-5.3.1-2).
	ReasonAudMissing Reason = "aud_missing"
	// ReasonAudMismatch: aud is neither the issuer nor an array containing
	// it (OIDC Core §6.1; FAPI1-ADV-5.2.2-15, FAPI2-MS-5.3.1-2).
	ReasonAudMismatch Reason = "aud_mismatch"
	// ReasonIssMismatch: iss is present and is not the client_id (OIDC
	// Core §6.1).
	ReasonIssMismatch Reason = "iss_mismatch"
	// ReasonClientIDMismatch: client_id inside the object is not the
	// request's client_id (RFC 9101 §5).
	ReasonClientIDMismatch Reason = "client_id_mismatch"
	// ReasonSubIsClient: sub is the client_id where Rules.ForbidSubIsClient,
	// so the object could double as a client assertion (RFC 9101 §10.8).
	ReasonSubIsClient Reason = "sub_is_client"
	// ReasonParamMissing: CompareOutside found a parameter sent outside the
	// object that is not inside it (FAPI-RW-5.2.2-10, FAPI1-ADV-5.2.2-10,
	// FAPI2-SP-5.3.3.2-6; OIDC Core §6.3.3).
	ReasonParamMissing Reason = "param_missing"
	// ReasonParamMismatch: CompareOutside found a parameter whose value
	// outside the object differs from the one inside (FAPI-RW-5.2.2-10,
	// FAPI1-ADV-5.2.2-10, FAPI2-SP-5.3.3.2-6; OIDC Core §6.3.3).
	ReasonParamMismatch Reason = "param_mismatch"
)

// reasons lists every Reason, in the order of the declarations above.
var reasons = [...]Reason{
	ReasonTooLarge, ReasonMalformed, ReasonUnsigned, ReasonAlgNotAllowed,
	ReasonSignatureInvalid, ReasonKeyTooSmall, ReasonExpMissing, ReasonExpired,
	ReasonNbfMissing, ReasonNotYetValid, ReasonNbfTooOld, ReasonLifetimeTooLong,
	ReasonAudMissing, ReasonAudMismatch, ReasonIssMismatch, ReasonClientIDMismatch,
	ReasonSubIsClient, ReasonParamMissing, ReasonParamMismatch,
}

// Reasons returns every reason Verify, Token.Verify and
// Object.CompareOutside can report, each once, so that a caller translating
// them (package fapi maps each to a violation code) can prove its table
// complete. The slice is a fresh copy.
func Reasons() []Reason { return append([]Reason(nil), reasons[:]...) }

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
