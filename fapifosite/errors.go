package fapifosite

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
)

// Error is a request the library refused before fosite saw it. It unwraps
// to the fosite error the provider's Write… methods answer with (so
// fosite.ErrorToRFC6749Error, and errors.Is with fosite.ErrInvalidClient and
// the other fosite errors, see it) and to the report's *fapi.ReportError (so
// errors.Is(err, fapi.CodePKCEMissing) and the family sentinels such as
// fapi.ErrPKCE match every violation).
type Error struct {
	// RFC6749 is the error answered: that of the report's first violation
	// (see RFC6749Error).
	RFC6749 *fosite.RFC6749Error
	// Report is the library's report: the profile and every violation.
	Report fapi.Report
	// DPoPNonce is the nonce the DPoP-Nonce response header carries (RFC
	// 9449 §8.1), "" when the Checker has no nonce source. With the
	// use_dpop_nonce error the client retries with it.
	DPoPNonce string
	// RevokeErr is the error of revoking the grant's tokens after a reused
	// code or rotated refresh token (fapi.TokenResult.RevokeGrant; RFC 6749
	// §4.1.2, RFC 9700 §4.14.2), nil when none was needed or it succeeded.
	RevokeErr error

	// basic: the request authenticated with HTTP Basic, so an invalid_client
	// answer carries a Basic challenge (RFC 6749 §5.2).
	basic bool
	// authorization endpoint only: where the error may be redirected (nil:
	// an error page, RFC 6749 §4.1.2.1), with the response mode and state.
	redirect     *url.URL
	responseMode string
	state        string
}

// Error returns the first violation, for logs.
func (e *Error) Error() string {
	if v, ok := e.Report.First(); ok {
		return "fapifosite: request refused: " + v.String()
	}
	return "fapifosite: request refused"
}

// Unwrap returns the fosite error, the report's error and the revocation
// error (when there is one), for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	errs := []error{e.RFC6749}
	if err := e.Report.Err(); err != nil {
		errs = append(errs, err)
	}
	if e.RevokeErr != nil {
		errs = append(errs, e.RevokeErr)
	}
	return errs
}

// fositeErrors are fosite's errors for the OAuth error codes both know, so
// that errors.Is(err, fosite.ErrInvalidClient) matches a refusal.
var fositeErrors = map[string]*fosite.RFC6749Error{
	fapi.OAuthInvalidRequest:          fosite.ErrInvalidRequest,
	fapi.OAuthInvalidRequestObject:    fosite.ErrInvalidRequestObject,
	fapi.OAuthInvalidRequestURI:       fosite.ErrInvalidRequestURI,
	fapi.OAuthInvalidClient:           fosite.ErrInvalidClient,
	fapi.OAuthInvalidGrant:            fosite.ErrInvalidGrant,
	fapi.OAuthInvalidScope:            fosite.ErrInvalidScope,
	fapi.OAuthUnauthorizedClient:      fosite.ErrUnauthorizedClient,
	fapi.OAuthUnsupportedResponseType: fosite.ErrUnsupportedResponseType,
	fapi.OAuthUnsupportedGrantType:    fosite.ErrUnsupportedGrantType,
	fapi.OAuthAccessDenied:            fosite.ErrAccessDenied,
	fapi.OAuthServerError:             fosite.ErrServerError,
	fapi.OAuthTemporarilyUnavailable:  fosite.ErrTemporarilyUnavailable,
}

// RFC6749Error returns the fosite error that answers rep: the OAuth error of
// its first violation (Report.First) — one of fosite's errors where fosite
// has it (invalid_request, invalid_client, invalid_grant, unauthorized_client,
// invalid_request_object, invalid_request_uri, ...), else one with the same
// error code (invalid_dpop_proof and use_dpop_nonce of RFC 9449 §5 and §8,
// invalid_redirect_uri) — with the violation's Description as the
// description and its code and clause as the hint, so that error_description
// reads "<message> (<code>, <clause>)" (RFC 6749 §5.2, Appendix A.8: the
// description is escaped by Violation.Description). The status is
// fosite's for that error, 401 for invalid_client (RFC 6749 §5.2), 405 for
// par.method_not_allowed (RFC 9126 §2.1), 500 for server_error, 503 for
// temporarily_unavailable and 400 otherwise. The error wraps rep.Err(). It
// returns nil when rep has no violation.
func RFC6749Error(rep fapi.Report) *fosite.RFC6749Error {
	v, ok := rep.First()
	if !ok {
		return nil
	}
	base, known := fositeErrors[v.Error]
	if !known {
		base = &fosite.RFC6749Error{ErrorField: v.Error, CodeField: http.StatusBadRequest}
		if v.Error == "" {
			// Every violation the library reports has an error; fail
			// closed with server_error should one not.
			base = fosite.ErrServerError
		}
	}
	e := base.WithDescription(v.Description()).WithHint(hint(v)).WithDebug(rep.Err().Error()).WithWrap(rep.Err())
	if v.Code == fapi.CodePARMethodNotAllowed {
		e.CodeField = http.StatusMethodNotAllowed
	}
	return e
}

// hint names the violation's code and clause: within the error_description
// grammar (RFC 6749 Appendix A.8), as codes and clause IDs are.
func hint(v fapi.Violation) string {
	if !v.Ref.Applies() {
		return fmt.Sprintf("(%s)", v.Code)
	}
	return fmt.Sprintf("(%s, %s)", v.Code, v.Ref)
}

// refusal is the *Error of a report with violations.
func refusal(rep fapi.Report, nonce string, basic bool) *Error {
	return &Error{RFC6749: RFC6749Error(rep), Report: rep, DPoPNonce: nonce, basic: basic}
}

// failure is an error of the adapter itself (a record store that cannot
// answer, a requester from elsewhere): server_error, never an accept.
func failure(hint string, err error) *fosite.RFC6749Error {
	e := fosite.ErrServerError.WithHint(hint)
	if err != nil {
		e = e.WithWrap(err).WithDebug(err.Error())
	}
	return e
}

// asError returns the *Error in err's chain, or nil.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
