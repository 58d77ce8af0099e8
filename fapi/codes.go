package fapi

import "strings"

// Code is a stable, machine-readable violation code, "family.reason". Codes
// are part of the public API: they are never renamed. A Code is also an
// error, so errors.Is(report.Err(), fapi.CodeRequestObjectExpired) reports
// whether a report holds that violation.
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// Family returns the part before the dot, e.g. "request_object".
func (c Code) Family() Family {
	if i := strings.IndexByte(string(c), '.'); i >= 0 {
		return Family(c[:i])
	}
	return Family(c)
}

// Family is a group of codes ("pkce", "request_object", ...). A Family is an
// error: errors.Is(report.Err(), fapi.ErrPKCE) reports whether any violation
// of that family is present.
type Family string

// Error returns the family name.
func (f Family) Error() string { return string(f) }

// Family sentinels, for errors.Is.
var (
	ErrService         error = Family("service")
	ErrClient          error = Family("client")
	ErrProfile         error = Family("profile")
	ErrRedirectURI     error = Family("redirect_uri")
	ErrClientID        error = Family("client_id")
	ErrParameter       error = Family("parameter")
	ErrState           error = Family("state")
	ErrNonce           error = Family("nonce")
	ErrScope           error = Family("scope")
	ErrPKCE            error = Family("pkce")
	ErrResponseType    error = Family("response_type")
	ErrResponseMode    error = Family("response_mode")
	ErrRequestObject   error = Family("request_object")
	ErrClaims          error = Family("claims")
	ErrClientAuth      error = Family("client_auth")
	ErrClientAssertion error = Family("client_assertion")
	ErrMTLS            error = Family("mtls")
	ErrGrantType       error = Family("grant_type")
	ErrCode            error = Family("code")
	ErrClock           error = Family("clock")
	ErrPAR             error = Family("par")
	ErrDPoP            error = Family("dpop")
	ErrResource        error = Family("resource")
)

// OAuth error codes used in violations (RFC 6749 §4.1.2.1 and §5.2, OIDC
// Core §6.6, RFC 7591 §3.2.2, RFC 9126 §2.3, RFC 9449 §5 and §7.1; at a
// protected resource those of RFC 6750 §3.1). use_dpop_nonce (RFC 9449 §8)
// asks the client to retry with the nonce of the DPoP-Nonce response
// header.
const (
	OAuthInvalidRequest          = "invalid_request"
	OAuthInvalidRequestObject    = "invalid_request_object"
	OAuthInvalidRequestURI       = "invalid_request_uri"
	OAuthInvalidClient           = "invalid_client"
	OAuthInvalidGrant            = "invalid_grant"
	OAuthInvalidScope            = "invalid_scope"
	OAuthUnauthorizedClient      = "unauthorized_client"
	OAuthUnsupportedResponseType = "unsupported_response_type"
	OAuthUnsupportedGrantType    = "unsupported_grant_type"
	OAuthAccessDenied            = "access_denied"
	OAuthServerError             = "server_error"
	OAuthInvalidRedirectURI      = "invalid_redirect_uri"
	OAuthInvalidClientMetadata   = "invalid_client_metadata"
	OAuthInvalidDPoPProof        = "invalid_dpop_proof"
	// OAuthTemporarilyUnavailable is the authorization endpoint's answer
	// when the server cannot handle the request now (RFC 6749 §4.1.2.1).
	OAuthTemporarilyUnavailable = "temporarily_unavailable"
	OAuthInvalidToken           = "invalid_token"
	OAuthInsufficientScope      = "insufficient_scope"
	OAuthUseDPoPNonce           = "use_dpop_nonce"
)
