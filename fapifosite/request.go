package fapifosite

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// readerRefusal is the fosite error of a request the fapihttp Reader could
// not read: invalid_request (405 for a method the endpoint does not take,
// RFC 9126 §2.1, RFC 6749 §3.1, §3.2), or invalid_client with 401 for
// unreadable HTTP Basic credentials (RFC 6749 §5.2). The description is the
// reader's, escaped (RFC 6749 Appendix A.8); a repeated parameter names
// its code, parameter.duplicated (RFC 6749 §3.1, §3.2). The error wraps
// the reader's, so errors.Is(err, fapihttp.ErrDuplicateParameter) and
// errors.Is(err, fapi.CodeParameterDuplicated) hold.
func readerRefusal(err error) *fosite.RFC6749Error {
	var re *fapihttp.RequestError
	if !errors.As(err, &re) {
		return failure("The request cannot be read.", err)
	}
	base, status := fosite.ErrInvalidRequest, http.StatusBadRequest
	switch {
	case errors.Is(err, fapihttp.ErrMethod):
		status = http.StatusMethodNotAllowed
	case errors.Is(err, fapihttp.ErrBasicAuth):
		base, status = fosite.ErrInvalidClient, http.StatusUnauthorized
	}
	e := base.WithDescription(fapi.EscapeDescription(re.Detail)).WithHint("").WithWrap(err).WithDebug(err.Error())
	if errors.Is(err, fapihttp.ErrDuplicateParameter) {
		e = e.WithHintf("(%s)", fapi.CodeParameterDuplicated)
	}
	e.CodeField = status
	return e
}

// triedBasic reports whether r carries an Authorization header with the
// Basic scheme (RFC 7617 §2, matched in any letter case, RFC 9110 §11.1),
// readable or not: an invalid_client answer then carries the Basic
// challenge (RFC 6749 §5.2).
func triedBasic(r *http.Request) bool {
	for _, v := range r.Header.Values("Authorization") {
		if scheme, _, _ := strings.Cut(strings.TrimLeft(v, " \t"), " "); strings.EqualFold(scheme, "Basic") {
			return true
		}
	}
	return false
}

// setForm makes form the parameters fosite reads of r (its Form, and its
// PostForm for a POST), so that fosite reads exactly what the library
// checked: neither a query parameter of a POST nor a multipart body reaches
// it, and fosite does not read the body again. fosite's handlers call
// r.ParseMultipartForm, which parses a multipart/form-data body — also of
// a GET to the authorization endpoint, whose body the library does not
// read — and adds its values to r.Form unless r.MultipartForm is already
// set: an empty one makes that call a no-op (RFC 9126 §4, FAPI1-ADV-5.2.2-10:
// only the validated parameters count).
func setForm(r *http.Request, form url.Values) {
	r.Form = form
	r.PostForm = url.Values{}
	if r.Method == http.MethodPost {
		r.PostForm = cloneValues(form)
	}
	r.MultipartForm = &multipart.Form{Value: map[string][]string{}, File: map[string][]*multipart.FileHeader{}}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// errNoClient: the request names no client.
var errNoClient = errors.New("fapifosite: the request identifies no client")

// clientID returns the client a token or PAR request is from, before it is
// authenticated: client_id, else the HTTP Basic user name (which the Reader
// form-decoded, RFC 6749 §2.3.1), else the client assertion's iss (RFC 7523
// §3 item 1, read unverified for the lookup only; the library then verifies
// it with that client's keys, iss = sub = client_id).
func clientID(form fapi.Params, basic *fapi.BasicAuth) (string, error) {
	if id := form.Get("client_id"); id != "" {
		return id, nil
	}
	if basic != nil && basic.ClientID != "" {
		return basic.ClientID, nil
	}
	if a := form.Get("client_assertion"); a != "" {
		if iss, ok := clientassertion.UnverifiedIssuer(a, 0); ok && iss != "" {
			return iss, nil
		}
	}
	return "", errNoClient
}
