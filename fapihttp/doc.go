// Package fapihttp connects package fapi to net/http: readers that build
// each check point's input from an *http.Request, and writers that turn a
// result into the HTTP answer the specifications prescribe. It uses the
// standard library only and no framework.
//
// # Reading
//
// A Reader (NewReader) builds the input of the authorization, PAR, token
// and resource check points: the form (a POST body of
// application/x-www-form-urlencoded, bounded in size; the query of an
// authorization request), with every repeated parameter refused (RFC 6749
// §3.1, §3.2); the HTTP Basic credentials (RFC 6749 §2.3.1); the TLS
// client certificate, nil when there is none; every value of the DPoP and
// Authorization header fields, which the checks refuse when there is more
// than one (RFC 9449 §4.3, RFC 6750 §2.1); and the method and external URL
// a DPoP proof is bound to (RFC 9449 §4.3). What the reader cannot read is
// a *RequestError, which the writers answer as invalid_request.
//
// By default the Reader trusts nothing but the request: the scheme comes
// from r.TLS and the host from the Host header. Behind a reverse proxy the
// caller says what it trusts: a fixed external URL (WithBaseURL), the hosts
// it answers for (WithHosts), the proxies whose Forwarded (RFC 7239) or
// X-Forwarded-* headers it reads (WithTrustedProxy) and the header in
// which such a proxy passes the client certificate
// (WithClientCertificateHeader). Forwarding headers from anyone else are
// ignored.
//
// # Writing
//
// WriteTokenError answers a refused token or PAR request as RFC 6749 §5.2
// prescribes: JSON, Cache-Control: no-store, HTTP 400, or 401 for
// invalid_client with a Basic challenge only when the client used HTTP
// Basic; the DPoP-Nonce header of RFC 9449 §8. WriteResourceError answers a
// refused resource request with the result's status and WWW-Authenticate
// challenge (RFC 6750 §3, RFC 9449 §7.1). An AuthorizationWriter sends an
// authorization error to the redirect URI only when the check trusts it,
// in the requested response mode and with the RFC 9207 iss parameter, and
// shows an error page otherwise. WriteTokenResponse and
// WritePushedAuthorizationResponse write the successful answers' headers
// around the caller's body.
//
// A handler reads, checks and writes:
//
//	req, err := reader.Token(r)
//	if err != nil {
//		fapihttp.WriteTokenError(w, r, err, "")
//		return
//	}
//	req.Authorization = record // what the server stored with the code
//	res := checker.Token(r.Context(), client, req, time.Now())
//	if !res.OK() {
//		fapihttp.WriteTokenError(w, r, res.Err(), res.DPoPNonceHeader)
//		return
//	}
package fapihttp
