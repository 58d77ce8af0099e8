package fapihttp

import (
	"bytes"
	"crypto/rand"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
)

// JARMSigner signs an authorization response for a JARM response mode
// (JWT Secured Authorization Response Mode, §2.1, §4.1): it returns the
// response JWT, signed (and, if the client registered it, encrypted) with
// the authorization server's key, whose claims are iss (the server's
// issuer), aud (clientID), exp (a short lifetime; JARM §2.1 recommends
// about ten minutes at most) and the response parameters params. The keys
// and the client's registered algorithms are the caller's.
type JARMSigner interface {
	SignAuthorizationResponse(clientID string, params map[string]string) (string, error)
}

// AuthorizationWriter writes the answers of an authorization endpoint:
// errors (WriteError) and, once the server issued a code, the response
// (WriteResponse), to the client's redirect URI only when the check
// trusts it, in the response mode the request asked for. Its zero value
// writes neither iss nor JARM responses and a plain error page.
type AuthorizationWriter struct {
	// Issuer is the server's issuer identifier, sent as the iss parameter
	// of every response that goes to the redirect URI (RFC 9207 §2, a
	// countermeasure to mix-up attacks; advertise it with
	// authorization_response_iss_parameter_supported). "" sends none. A
	// JARM response carries it as the JWT's iss claim instead (RFC 9207
	// §2.3: the iss parameter is not needed outside a JARM JWT).
	Issuer string
	// JARM signs the responses of the JARM modes (jwt, query.jwt,
	// fragment.jwt, form_post.jwt). Without it the server offers no JARM:
	// an error for a request that asked for a JARM mode goes in the
	// response type's default mode unsigned (the server cannot answer in
	// a mode it does not support), and WriteResponse refuses to deliver a
	// code in place of a signed response.
	JARM JARMSigner
	// ErrorPage, when set, writes the page shown instead of a redirect
	// (RFC 6749 §4.1.2.1: never to an untrusted redirect URI): e holds the
	// error, its escaped description and the HTTP status to answer with;
	// cause is the error WriteError was given (or the result's report
	// error), for a page that lists violations. Cache-Control: no-store is
	// already set. When nil, a minimal HTML page with the error and its
	// description is written.
	ErrorPage func(w http.ResponseWriter, r *http.Request, e *Error, cause error)
}

// WriteError answers an authorization request with an error (RFC 6749
// §4.1.2.1, §4.2.2.1; OIDC Core §3.1.2.6).
//
// err is the error to answer with: nil for res's first violation, the
// error of another report (CompleteAuthorization's), a reader's
// *RequestError, or the server's own *Error (access_denied after the
// user refused, a policy of its own); anything else is server_error
// without a description. res is the check's result, nil when there is
// none (the Reader refused the request, the client is unknown).
//
// The error goes to the redirect URI only when res trusts it
// (AuthorizationResult.ErrorRedirectURI): with error, error_description,
// the validated state and iss, in the requested response mode — query
// (only for response types that return nothing in the front channel:
// OAuth 2.0 Multiple Response Type Encoding Practices §5), fragment,
// form_post (OAuth 2.0 Form Post Response Mode §2), or a JARM mode with
// the JARM signer — else the response type's default (fragment when it
// returns a token or ID token, query otherwise). Otherwise, and always for
// a reader's error, the user gets an error page (ErrorPage): HTTP 400,
// 405 for a method the endpoint does not take, 500 for server_error, 503
// for temporarily_unavailable.
func (aw *AuthorizationWriter) WriteError(w http.ResponseWriter, r *http.Request, res *fapi.AuthorizationResult, err error) {
	if err == nil && res != nil {
		err = res.Err()
	}
	resp := responseOf(err)
	if resp.status == http.StatusUnauthorized {
		resp.status = http.StatusBadRequest // invalid_client: no HTTP authentication here
	}
	var rq *RequestError
	if errors.As(err, &rq) || res == nil {
		aw.page(w, r, resp, err)
		return
	}
	uri, ok := res.ErrorRedirectURI()
	if !ok {
		aw.page(w, r, resp, err)
		return
	}
	params := map[string]string{"error": resp.code}
	if resp.description != "" {
		params["error_description"] = resp.description
	}
	if st, ok := res.Parameter("state"); ok && st != "" {
		params["state"] = st
	}
	mode := aw.mode(res)
	if !aw.deliver(w, r, res, uri, mode, params) {
		aw.page(w, r, response{code: fapi.OAuthServerError, status: http.StatusInternalServerError}, err)
	}
}

// WriteResponse delivers a successful authorization response (RFC 6749
// §4.1.2; OIDC Core §3.3.2.5): params are the caller's (code, id_token,
// ...), to which it adds the validated state when the request had one and
// iss (Issuer), sent to the result's redirect URI in the requested
// response mode, as WriteError chooses it. res must be an accepted
// result with a trusted redirect URI: for a refused one its own error is
// written instead (as WriteError writes it), for a nil one server_error.
// When a JARM mode was asked for and the writer has no JARM signer (or it
// failed), nothing is delivered and server_error is written: a code never
// goes out unsigned where a signed response was asked for.
func (aw *AuthorizationWriter) WriteResponse(w http.ResponseWriter, r *http.Request, res *fapi.AuthorizationResult, params url.Values) {
	if res == nil || !res.OK() {
		aw.WriteError(w, r, res, nil) // the result's own error; server_error without one
		return
	}
	uri, ok := res.ErrorRedirectURI()
	if !ok {
		aw.page(w, r, response{code: fapi.OAuthServerError, status: http.StatusInternalServerError}, nil)
		return
	}
	p := make(map[string]string, len(params)+2)
	for k, v := range params {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	if st, ok := res.Parameter("state"); ok && st != "" {
		if _, set := p["state"]; !set {
			p["state"] = st
		}
	}
	if isJARMMode(requestedMode(res)) && aw.JARM == nil || !aw.deliver(w, r, res, uri, aw.mode(res), p) {
		aw.WriteError(w, r, res, &Error{Code: fapi.OAuthServerError, Description: "the authorization response cannot be delivered in the response mode requested"})
	}
}

// The response modes (OAuth 2.0 Multiple Response Type Encoding Practices
// §2.1, Form Post Response Mode §2, JARM §2.3).
const (
	modeQuery       = "query"
	modeFragment    = "fragment"
	modeFormPost    = "form_post"
	modeJWT         = "jwt"
	modeQueryJWT    = "query.jwt"
	modeFragmentJWT = "fragment.jwt"
	modeFormPostJWT = "form_post.jwt"
)

func isJARMMode(m string) bool {
	return m == modeJWT || m == modeQueryJWT || m == modeFragmentJWT || m == modeFormPostJWT
}

func requestedMode(res *fapi.AuthorizationResult) string {
	m, _ := res.Parameter("response_mode")
	return m
}

// mode is the response mode an answer goes in: the requested one where it
// can be used, else the response type's default. A response type that
// returns a token or ID token in the front channel is never answered in
// the query (Multiple Response Type Encoding Practices §5; JARM §2.3.1 for
// query.jwt, whose JWT the writer cannot know to be encrypted); jwt is
// query.jwt or fragment.jwt by the same rule (JARM §2.3.4). Without a
// JARM signer the JARM modes fall back to the plain default.
func (aw *AuthorizationWriter) mode(res *fapi.AuthorizationResult) string {
	rt, _ := res.Parameter("response_type")
	front := false
	for _, t := range strings.Fields(rt) {
		if t == "token" || t == "id_token" {
			front = true
		}
	}
	m := requestedMode(res)
	if isJARMMode(m) && aw.JARM == nil {
		m = ""
	}
	switch m {
	case modeQuery, modeQueryJWT:
		if front {
			return map[string]string{modeQuery: modeFragment, modeQueryJWT: modeFragmentJWT}[m]
		}
		return m
	case modeFragment, modeFormPost, modeFragmentJWT, modeFormPostJWT:
		return m
	case modeJWT:
		if front {
			return modeFragmentJWT
		}
		return modeQueryJWT
	}
	if front {
		return modeFragment
	}
	return modeQuery
}

// deliver sends params to the redirect URI in mode, adding iss to a plain
// response; it reports false, having written nothing, when it cannot (a
// redirect URI with a fragment, no client_id for a JARM response, a
// signer's error).
func (aw *AuthorizationWriter) deliver(w http.ResponseWriter, r *http.Request, res *fapi.AuthorizationResult, uri, mode string, params map[string]string) bool {
	if uri == "" || strings.Contains(uri, "#") {
		return false // RFC 6749 §3.1.2: a redirect URI has no fragment
	}
	if isJARMMode(mode) {
		clientID, _ := res.Parameter("client_id")
		if clientID == "" || aw.JARM == nil {
			return false
		}
		jwt, err := aw.JARM.SignAuthorizationResponse(clientID, params)
		if err != nil || jwt == "" {
			return false
		}
		params = map[string]string{"response": jwt}
		mode = strings.TrimSuffix(mode, ".jwt")
	} else if aw.Issuer != "" {
		params["iss"] = aw.Issuer
	}
	h := w.Header()
	noStore(h)
	if mode == modeFormPost {
		writeFormPost(w, uri, params)
		return true
	}
	vals := make(url.Values, len(params))
	for k, v := range params {
		vals.Set(k, v)
	}
	if mode == modeFragment {
		h.Set("Location", uri+"#"+vals.Encode())
	} else {
		// RFC 6749 §3.1.2: the redirect URI's own query is kept.
		sep := "?"
		if strings.Contains(uri, "?") {
			sep = "&"
			if strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&") {
				sep = ""
			}
		}
		h.Set("Location", uri+sep+vals.Encode())
	}
	// 303: the user agent follows with GET, also after a POST to the
	// authorization endpoint (RFC 9700 §4.12).
	w.WriteHeader(http.StatusSeeOther)
	return true
}

var formPostPage = template.Must(template.New("form_post").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Submitting the authorization response</title></head>
<body>
<form method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><button type="submit">Continue</button></noscript>
</form>
<script nonce="{{.Nonce}}">document.forms[0].submit();</script>
</body>
</html>
`))

// writeFormPost writes the auto-submitting form of the form_post response
// mode (OAuth 2.0 Form Post Response Mode §2), every value HTML-escaped,
// with a per-response script nonce in its Content-Security-Policy.
func writeFormPost(w http.ResponseWriter, action string, params map[string]string) {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	type field struct{ Name, Value string }
	fields := make([]field, 0, len(names))
	for _, k := range names {
		fields = append(fields, field{k, params[k]})
	}
	nonce := rand.Text()
	var buf bytes.Buffer
	if err := formPostPage.Execute(&buf, struct {
		Action string
		Fields []field
		Nonce  string
	}{action, fields, nonce}); err != nil {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorization request refused</title></head>
<body>
<h1>Authorization request refused</h1>
<p>{{.Code}}{{if .Description}}: {{.Description}}{{end}}</p>
</body>
</html>
`))

// page writes the error page shown instead of a redirect.
func (aw *AuthorizationWriter) page(w http.ResponseWriter, r *http.Request, resp response, cause error) {
	h := w.Header()
	noStore(h)
	if resp.allow != "" {
		h.Set("Allow", resp.allow)
	}
	e := &Error{Code: resp.code, Description: resp.description, Status: resp.status}
	if aw.ErrorPage != nil {
		aw.ErrorPage(w, r, e, cause)
		return
	}
	var buf bytes.Buffer
	if err := errorPage.Execute(&buf, e); err != nil {
		http.Error(w, "bad request", resp.status)
		return
	}
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(resp.status)
	_, _ = w.Write(buf.Bytes())
}
