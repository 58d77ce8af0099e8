package fapihttp

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/fapi"
)

// BasicChallenge is the WWW-Authenticate challenge a token or PAR error
// answer carries when the client authenticated with HTTP Basic (RFC 6749
// §5.2, RFC 7617 §2: the realm parameter is required).
const BasicChallenge = `Basic realm="oauth", charset="UTF-8"`

// errorBody is an OAuth 2.0 error response body (RFC 6749 §5.2).
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// WriteTokenError writes the error response of a token endpoint (RFC 6749
// §5.2) or a PAR endpoint (RFC 9126 §2.3, which answers as §5.2 does):
// a JSON body {"error", "error_description"} with Cache-Control: no-store
// (RFC 6749 §5.1). err is a refused check's error (res.Err(): its first
// violation is answered), a reader's *RequestError, or the server's own
// *Error; anything else, nil included, is answered as server_error with
// HTTP 500 and no description, so that no internal text reaches the
// client.
//
// The status is 400, with these exceptions: 401 for invalid_client, 405
// for a method the endpoint does not take (with Allow: POST), 500 for
// server_error, 503 for temporarily_unavailable, or an *Error's own
// Status. A 401 carries the challenge `WWW-Authenticate: Basic` only when
// the client tried to authenticate with HTTP Basic (RFC 6749 §5.2: "If
// the client attempted to authenticate via the Authorization request
// header field, the authorization server MUST respond with an HTTP 401
// ... and include the WWW-Authenticate response header field matching
// the authentication scheme used by the client"): a client that
// authenticated with private_key_jwt, client_secret_jwt or mTLS gets no
// Basic challenge, which would make it report an HTTP authentication
// prompt instead of the invalid_client body.
//
// dpopNonce, the result's DPoPNonceHeader, goes into the DPoP-Nonce header
// (RFC 9449 §8): with use_dpop_nonce the client retries with it, with any
// other answer it is the client's next nonce. "" sends none; a value
// outside the nonce grammar is never written.
func WriteTokenError(w http.ResponseWriter, r *http.Request, err error, dpopNonce string) {
	resp := responseOf(err)
	h := w.Header()
	noStore(h)
	setNonce(h, dpopNonce)
	if resp.allow != "" {
		h.Set("Allow", resp.allow)
	}
	if resp.status == http.StatusUnauthorized && triedBasic(r) {
		h.Set("WWW-Authenticate", BasicChallenge)
	}
	writeJSON(w, resp.status, errorBody{resp.code, resp.description})
}

// triedBasic reports whether the request carries an Authorization header
// with the Basic scheme, readable or not.
func triedBasic(r *http.Request) bool {
	if r == nil {
		return false
	}
	for _, v := range r.Header.Values("Authorization") {
		if isBasic(v) {
			return true
		}
	}
	return false
}

// WriteTokenResponse writes a successful token response (RFC 6749 §5.1):
// body, the caller's (access_token, token_type "DPoP" for a DPoP-bound
// token, RFC 9449 §5, expires_in, ...), as JSON with HTTP 200,
// Cache-Control: no-store and Pragma: no-cache, and dpopNonce (the
// result's DPoPNonceHeader) in the DPoP-Nonce header (RFC 9449 §8.2). A
// body that cannot be encoded is answered as server_error.
func WriteTokenResponse(w http.ResponseWriter, body any, dpopNonce string) {
	h := w.Header()
	noStore(h)
	setNonce(h, dpopNonce)
	writeJSON(w, http.StatusOK, body)
}

// WritePushedAuthorizationResponse writes the successful answer of a PAR
// endpoint (RFC 9126 §2.2): HTTP 201 with {"request_uri", "expires_in"},
// the lifetime in whole seconds, Cache-Control: no-store, and dpopNonce
// (the result's DPoPNonceHeader) in the DPoP-Nonce header (RFC 9449 §8.2).
// The request_uri and the record stored with it are the caller's. An
// empty requestURI or a lifetime under one second is answered as
// server_error: expires_in must be a positive integer.
func WritePushedAuthorizationResponse(w http.ResponseWriter, requestURI string, lifetime time.Duration, dpopNonce string) {
	h := w.Header()
	noStore(h)
	setNonce(h, dpopNonce)
	secs := int64(lifetime / time.Second)
	if requestURI == "" || secs < 1 {
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: fapi.OAuthServerError})
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		RequestURI string `json:"request_uri"`
		ExpiresIn  int64  `json:"expires_in"`
	}{requestURI, secs})
}

// WriteResourceError writes the error answer of a refused request to a
// protected resource (RFC 6750 §3, RFC 9449 §7.1, §9): the result's Status
// and its Challenge in WWW-Authenticate, with the first violation's
// Description as the challenge's error_description when the challenge
// names an error; the nonce of DPoPNonceHeader in the DPoP-Nonce header
// (with use_dpop_nonce the client retries with it); Cache-Control:
// no-store; and a JSON body {"error", "error_description"} — except for a
// request without usable credentials, whose answer carries no error
// information (RFC 6750 §3.1) and no body. A result without violations (or
// without a status) is a caller's mistake, answered as server_error.
func WriteResourceError(w http.ResponseWriter, res fapi.ResourceResult) {
	h := w.Header()
	noStore(h)
	setNonce(h, res.DPoPNonceHeader)
	v, ok := res.First()
	if !ok || res.Status < 400 || res.Status > 599 {
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: fapi.OAuthServerError})
		return
	}
	desc := v.Description()
	challenge := res.Challenge
	named := strings.Contains(challenge, `error="`)
	if named && challenge != "" {
		// The description's grammar (RFC 6749 Appendix A.8) has no quote
		// or backslash, so it goes into a quoted-string as it is.
		challenge += `, error_description="` + desc + `"`
	}
	if challenge != "" {
		h.Set("WWW-Authenticate", challenge)
	}
	if !named && res.Status == http.StatusUnauthorized {
		w.WriteHeader(res.Status)
		return
	}
	writeJSON(w, res.Status, errorBody{v.Error, desc})
}

// WriteResourceRequestError writes the answer to a resource request the
// Reader could not read (ErrURL, ErrClientCertificate): HTTP 400 with
// `WWW-Authenticate: Bearer error="invalid_request"` and its
// error_description (RFC 6750 §3.1), Cache-Control: no-store and a JSON
// body. Any other error is answered as server_error (HTTP 500).
func WriteResourceRequestError(w http.ResponseWriter, err error) {
	resp := responseOf(err)
	h := w.Header()
	noStore(h)
	if resp.status != http.StatusInternalServerError {
		resp.status, resp.code = http.StatusBadRequest, fapi.OAuthInvalidRequest
		ch := fapi.SchemeBearer + ` error="` + resp.code + `"`
		if resp.description != "" {
			ch += `, error_description="` + resp.description + `"`
		}
		h.Set("WWW-Authenticate", ch)
	}
	writeJSON(w, resp.status, errorBody{resp.code, resp.description})
}

// noStore marks a response as never cacheable (RFC 6749 §5.1, RFC 9126
// §2.2).
func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// setNonce sets the DPoP-Nonce header to nonce when it is within the
// grammar of RFC 9449 §8.1 (so nothing else can be injected into the
// header).
func setNonce(h http.Header, nonce string) {
	if nonce != "" && dpop.ValidNonceSyntax(nonce) {
		h.Set(dpop.NonceHeaderName, nonce)
	}
}

// writeJSON writes v as a JSON response with status; a value that cannot
// be encoded becomes a server_error.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
