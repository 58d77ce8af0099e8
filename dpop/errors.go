package dpop

// Reason is why a DPoP proof was refused. Its string form is the reason
// part of the library's violation codes ("dpop.<reason>"). A Reason is also
// an error, so errors.Is(err, ReasonReplayed) works on an *Error.
type Reason string

// The reasons, with the RFC 9449 §4.3 check each one reports.
const (
	// ReasonMissing: no DPoP header field, or an empty one.
	ReasonMissing Reason = "missing"
	// ReasonMalformed: more than one DPoP header field (item 1), not one
	// well-formed JWS (item 2), no "jwk" header or an unusable one, claims
	// that do not decode, or a required claim (iat) absent (item 3).
	ReasonMalformed Reason = "malformed"
	// ReasonTypInvalid: "typ" is not "dpop+jwt" (item 4).
	ReasonTypInvalid Reason = "typ_invalid"
	// ReasonAlgNotAllowed: "alg" is none, symmetric, unsupported or not in
	// the allow-list (item 5).
	ReasonAlgNotAllowed Reason = "alg_not_allowed"
	// ReasonJWKPrivate: the "jwk" header holds a private or symmetric key
	// (item 7).
	ReasonJWKPrivate Reason = "jwk_private"
	// ReasonSignatureInvalid: the signature does not verify with the "jwk"
	// header's key, or that key cannot be used with "alg" (item 6).
	ReasonSignatureInvalid Reason = "signature_invalid"
	// ReasonHTMMismatch: htm is missing or is not the request's method
	// (item 8).
	ReasonHTMMismatch Reason = "htm_mismatch"
	// ReasonHTUMismatch: htu is missing, not an absolute URI, or not the
	// request's URI (item 9).
	ReasonHTUMismatch Reason = "htu_mismatch"
	// ReasonIATTooOld: iat is more than Rules.MaxAge in the past, or exp
	// has passed (item 11).
	ReasonIATTooOld Reason = "iat_too_old"
	// ReasonIATInFuture: iat (or nbf) is more than Rules.ClockSkew in the
	// future (item 11; FAPI2-SP-5.3.2.1-13).
	ReasonIATInFuture Reason = "iat_in_future"
	// ReasonJTIMissing: jti is missing or empty (item 3).
	ReasonJTIMissing Reason = "jti_missing"
	// ReasonReplayed: the replay cache has seen this key and jti, or failed
	// (item 11, RFC 9449 §11.1).
	ReasonReplayed Reason = "replayed"
	// ReasonJKTMismatch: the proof's key is not the one the authorization
	// code, pushed request or access token is bound to (RFC 9449 §10,
	// §10.1, item 12).
	ReasonJKTMismatch Reason = "jkt_mismatch"
	// ReasonATHPresent: an ath claim in a proof sent to the token or PAR
	// endpoint, where no access token is presented (item 12).
	ReasonATHPresent Reason = "ath_present"
	// ReasonATHMismatch: at a resource, ath is missing or is not the hash
	// of the access token presented (item 12).
	ReasonATHMismatch Reason = "ath_mismatch"
	// ReasonTooLarge: the proof exceeds the size limit and was not decoded.
	ReasonTooLarge Reason = "too_large"
	// ReasonNonceMissing: the proof has no nonce claim, but Rules require
	// one (RFC 9449 §8 at the authorization server, §9 at a resource): the
	// server answers use_dpop_nonce with a fresh nonce.
	ReasonNonceMissing Reason = "nonce_missing"
	// ReasonNonceInvalid: the proof's nonce claim is not one the server's
	// nonce checker accepts — not issued by it, expired, or not a nonce at
	// all (§4.3 item 10, §8, §9); the server answers use_dpop_nonce with a
	// fresh nonce.
	ReasonNonceInvalid Reason = "nonce_invalid"
)

// reasons lists every Reason, in the order of the declarations above.
var reasons = [...]Reason{
	ReasonMissing, ReasonMalformed, ReasonTypInvalid, ReasonAlgNotAllowed,
	ReasonJWKPrivate, ReasonSignatureInvalid, ReasonHTMMismatch,
	ReasonHTUMismatch, ReasonIATTooOld, ReasonIATInFuture, ReasonJTIMissing,
	ReasonReplayed, ReasonJKTMismatch, ReasonATHPresent, ReasonATHMismatch,
	ReasonTooLarge, ReasonNonceMissing, ReasonNonceInvalid,
}

// Reasons returns every reason Verify and MatchJKT can report, each once,
// so that a caller translating them (package fapi maps each to a violation
// code) can prove its table complete. The slice is a fresh copy.
func Reasons() []Reason { return append([]Reason(nil), reasons[:]...) }

// Error returns the reason as an error message.
func (r Reason) Error() string { return "dpop: " + string(r) }

// Error is one broken rule.
type Error struct {
	Reason Reason
	// Claim is the claim, header member or header field at fault, or "".
	Claim string
	// Message is one sentence for a human, naming the value seen.
	Message string
	// Err is the underlying cause, if any.
	Err error
}

// Error returns the message, prefixed with "dpop: ".
func (e *Error) Error() string { return "dpop: " + e.Message }

// Is reports whether target is e's Reason.
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
