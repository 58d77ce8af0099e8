package fapihttp

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
)

// maxBasicAuthSize bounds the Authorization header field value BasicAuth
// decodes: a client_id and a client_secret of the library's 4 KiB bound
// each, form-encoded and in base64.
const maxBasicAuthSize = 32 << 10

// BasicAuth returns the HTTP Basic credentials of a client_secret_basic
// client (RFC 6749 §2.3.1, RFC 7617 §2), or nil when the request has no
// Authorization header with the Basic scheme (another scheme is not client
// authentication at the token and PAR endpoints, and is ignored here).
//
// The scheme is matched in any letter case (RFC 9110 §11.1), the
// credentials must be base64 of user-id ":" password. The user name, the
// client_id, is form-decoded as RFC 6749 §2.3.1 encodes it, so that the
// caller can look the client up by it; the password is passed as sent,
// because the check compares the client_secret both as sent and
// form-decoded (many clients do not encode it). More than one
// Authorization header field, a credential that is not base64 or has no
// ":", a user name that is not form-encoded, or a header over 32 KiB is
// ErrBasicAuth, answered as invalid_client with a Basic challenge.
func BasicAuth(r *http.Request) (*fapi.BasicAuth, error) {
	if r == nil {
		return nil, nil
	}
	values := r.Header.Values("Authorization")
	basic := -1
	for i, v := range values {
		if isBasic(v) {
			basic = i
		}
	}
	if basic < 0 {
		return nil, nil
	}
	if len(values) > 1 {
		return nil, basicError("the request has more than one Authorization header field")
	}
	return parseBasic(values[basic])
}

// isBasic reports whether an Authorization field value uses the Basic
// scheme: the scheme token, compared without regard to case, then a space
// or nothing.
func isBasic(v string) bool {
	v = strings.TrimLeft(v, " \t")
	scheme, _, _ := strings.Cut(v, " ")
	return strings.EqualFold(scheme, "Basic")
}

func basicError(detail string) *RequestError {
	return &RequestError{Err: ErrBasicAuth, Name: "Authorization", Detail: detail + " (RFC 6749 section 2.3.1, RFC 7617 section 2)"}
}

// parseBasic decodes one Basic credentials value: "Basic" 1*SP token68,
// the token68 base64 (with padding, RFC 7617 §2) of user-id ":" password.
func parseBasic(v string) (*fapi.BasicAuth, error) {
	if len(v) > maxBasicAuthSize {
		return nil, basicError("the Authorization header is too long")
	}
	v = strings.Trim(v, " \t")
	_, cred, _ := strings.Cut(v, " ")
	cred = strings.TrimLeft(cred, " ")
	if cred == "" || strings.ContainsAny(cred, " \t") {
		return nil, basicError("the Basic credentials are missing or not one token")
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(cred)
	if err != nil || strings.ContainsAny(cred, "\r\n") {
		return nil, basicError("the Basic credentials are not base64")
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, basicError("the Basic credentials have no ':' between user name and password")
	}
	id, err := url.QueryUnescape(user)
	if err != nil {
		return nil, basicError("the Basic user name is not form-encoded")
	}
	return &fapi.BasicAuth{ClientID: id, ClientSecret: pass}, nil
}
