package fapihttp

import (
	"errors"
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
)

// The reasons a reader refuses a request. A *RequestError wraps one of
// them, so errors.Is(err, fapihttp.ErrDuplicateParameter) tells them apart.
var (
	// ErrMethod: the endpoint does not take the request's HTTP method
	// (RFC 6749 §3.2 and RFC 9126 §2: POST at the token and PAR
	// endpoints; RFC 6749 §3.1: GET, or POST as OIDC Core §3.1.2.1
	// allows, at the authorization endpoint). Answered with HTTP 405.
	ErrMethod = errors.New("method not allowed")
	// ErrContentType: a POST body that is not
	// application/x-www-form-urlencoded in UTF-8 (RFC 6749 §3.2, §4.1.3,
	// Appendix B; RFC 9126 §2.1).
	ErrContentType = errors.New("content type is not application/x-www-form-urlencoded")
	// ErrBodyTooLarge: a form body (or the query of an authorization
	// request) larger than the Reader's limit (WithMaxFormSize).
	ErrBodyTooLarge = errors.New("request too large")
	// ErrMalformedForm: a form or query that is not valid
	// application/x-www-form-urlencoded (an invalid percent escape, a
	// ";" separator), or a body that could not be read.
	ErrMalformedForm = errors.New("malformed form")
	// ErrDuplicateParameter: a parameter sent more than once (RFC 6749
	// §3.1, §3.2: "Request and response parameters MUST NOT be included
	// more than once"), also once in the query and once in the body of
	// an authorization POST. The same fault as fapi's
	// parameter.duplicated: errors.Is(err, fapi.CodeParameterDuplicated)
	// holds too.
	ErrDuplicateParameter = errors.New("parameter repeated")
	// ErrBasicAuth: an Authorization header with the Basic scheme whose
	// credentials cannot be read (RFC 7617 §2, RFC 6749 §2.3.1), or more
	// than one Authorization header field. Answered as invalid_client
	// with HTTP 401 and a Basic challenge (RFC 6749 §5.2).
	ErrBasicAuth = errors.New("malformed HTTP Basic credentials")
	// ErrClientCertificate: the client certificate header of a trusted
	// proxy (WithClientCertificateHeader) is repeated, too large, not
	// URL-encoded or not one PEM certificate.
	ErrClientCertificate = errors.New("unreadable client certificate header")
	// ErrURL: the external URL of the request cannot be told: a missing
	// or malformed host, a host not among WithHosts, a path that is not
	// absolute, or forwarding headers of a trusted proxy that are
	// malformed or contradict each other (RFC 7239 §4).
	ErrURL = errors.New("request URL cannot be determined")
)

// RequestError is why a reader could not build a check's input from an
// HTTP request. It wraps one of the Err… reasons above (errors.Is) and, for
// a repeated parameter, matches fapi.CodeParameterDuplicated and its family
// fapi.ErrParameter too. The
// writers answer it as the OAuth error of its reason (invalid_request;
// invalid_client for ErrBasicAuth).
type RequestError struct {
	// Err is the reason: ErrMethod, ErrContentType, ErrBodyTooLarge,
	// ErrMalformedForm, ErrDuplicateParameter, ErrBasicAuth,
	// ErrClientCertificate or ErrURL.
	Err error
	// Name is the parameter or header field at fault, "" when none.
	Name string
	// Detail says what was wrong, in one sentence that may quote the
	// request (escaped by the writers on its way into
	// error_description).
	Detail string
	// allow is the Allow header of a 405 answer (ErrMethod).
	allow string
}

// Error returns the detail.
func (e *RequestError) Error() string { return "fapihttp: " + e.Detail }

// Unwrap returns the reason, and for a repeated parameter also
// fapi.CodeParameterDuplicated, the library's code for the same fault.
func (e *RequestError) Unwrap() []error {
	if e.Err == ErrDuplicateParameter {
		return []error{e.Err, fapi.CodeParameterDuplicated}
	}
	return []error{e.Err}
}

// Is matches, for a repeated parameter, the family of
// fapi.CodeParameterDuplicated (fapi.ErrParameter), as a report's error
// does.
func (e *RequestError) Is(target error) bool {
	f, ok := target.(fapi.Family)
	return ok && e.Err == ErrDuplicateParameter && f == fapi.CodeParameterDuplicated.Family()
}

// oauth is the OAuth error, the HTTP status and the Allow header a reader
// error is answered with: invalid_request (RFC 6749 §5.2: a malformed,
// repeated or unreadable request), with 405 for a method the endpoint does
// not take, and invalid_client with 401 for unreadable Basic credentials
// (RFC 6749 §5.2: the client tried to authenticate with the Authorization
// header).
func (e *RequestError) oauth() (code string, status int, allow string) {
	switch e.Err {
	case ErrMethod:
		return fapi.OAuthInvalidRequest, http.StatusMethodNotAllowed, e.allow
	case ErrBasicAuth:
		return fapi.OAuthInvalidClient, http.StatusUnauthorized, ""
	}
	return fapi.OAuthInvalidRequest, http.StatusBadRequest, ""
}

// Error is an OAuth 2.0 error response of the server's own, for what the
// library does not decide: an unknown client or code, a policy of the
// server, a failed store (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1). The
// writers take it as they take a report's error.
type Error struct {
	// Code is the OAuth error code, such as "invalid_grant"; an empty Code
	// is answered as server_error.
	Code string
	// Description is the human-readable error_description, "" for none.
	// It is escaped to its grammar on the way out (fapi.EscapeDescription;
	// RFC 6749 §5.2, Appendix A.8), so it may quote request values.
	Description string
	// Status is the HTTP status; 0 means the endpoint's default for Code
	// (at the token and PAR endpoints 401 for invalid_client, 500 for
	// server_error, 503 for temporarily_unavailable, 400 otherwise).
	Status int
}

// Error returns the code and the description.
func (e *Error) Error() string {
	if e.Description == "" {
		return "oauth error " + e.Code
	}
	return "oauth error " + e.Code + ": " + e.Description
}

// response is what an error response says: the OAuth error, its
// description (escaped), the HTTP status and, for 405, the Allow header.
type response struct {
	code, description string
	status            int
	allow             string
}

// defaultStatus is the HTTP status of an OAuth error at the token and PAR
// endpoints (RFC 6749 §5.2: 400 unless noted; 401 for invalid_client,
// which the writer answers with a Basic challenge only when the client
// used HTTP Basic), and for the server's own failures (RFC 6749
// §4.1.2.1's server_error and temporarily_unavailable, as HTTP 500 and
// 503).
func defaultStatus(code string) int {
	switch code {
	case fapi.OAuthInvalidClient:
		return http.StatusUnauthorized
	case fapi.OAuthServerError:
		return http.StatusInternalServerError
	case fapi.OAuthTemporarilyUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// responseOf turns the error a writer is given into its response: the
// first violation of a report's error (fapi.ReportError, from
// Report.Err()), a reader's *RequestError, the server's own *Error, and
// anything else — or nil — as server_error without a description, so that
// no internal text reaches the client.
func responseOf(err error) response {
	var (
		re *fapi.ReportError
		rq *RequestError
		oe *Error
	)
	switch {
	case errors.As(err, &re) && len(re.Violations) > 0:
		v := re.Violations[0]
		r := response{code: v.Error, description: v.Description(), status: defaultStatus(v.Error)}
		if v.Code == fapi.CodePARMethodNotAllowed {
			// RFC 9126 §2.1: the PAR endpoint takes POST only.
			r.status, r.allow = http.StatusMethodNotAllowed, http.MethodPost
		}
		if r.code == "" {
			r.code, r.status = fapi.OAuthServerError, http.StatusInternalServerError
		}
		return r
	case errors.As(err, &rq):
		code, status, allow := rq.oauth()
		return response{code: code, description: fapi.EscapeDescription(rq.Detail), status: status, allow: allow}
	case errors.As(err, &oe):
		if oe.Code == "" {
			return response{code: fapi.OAuthServerError, status: http.StatusInternalServerError}
		}
		r := response{code: oe.Code, status: oe.Status}
		if oe.Description != "" {
			r.description = fapi.EscapeDescription(oe.Description)
		}
		if r.status < 400 || r.status > 599 {
			r.status = defaultStatus(oe.Code)
		}
		return r
	}
	return response{code: fapi.OAuthServerError, status: http.StatusInternalServerError}
}
