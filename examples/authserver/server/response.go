package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// writerFor is the writer of the authorization endpoint's answers for a
// client (nil when the request names none the server knows): fapihttp's,
// which sends an error to the redirect URI only when the library trusts it
// (AuthorizationResult.ErrorRedirectURI, RFC 6749 §4.1.2.1) and shows this
// server's error page otherwise, delivers in the response mode asked for
// with the RFC 9207 iss (advertised as
// authorization_response_iss_parameter_supported), and signs the JARM
// modes with the server's key for a client that registered an
// authorization_signed_response_alg the server signs with. For any other
// client a JARM mode falls back to the response type's default, unsigned —
// only for errors: the authorization policy refuses such a request, so no
// code goes out unsigned.
func (s *Server) writerFor(c *client) *fapihttp.AuthorizationWriter {
	aw := &fapihttp.AuthorizationWriter{Issuer: s.issuer, ErrorPage: s.errorPage}
	if c != nil && slices.Contains(signingAlgs, c.reg.Client.AuthorizationSignedResponseAlg) {
		aw.JARM = jarmSigner{s: s, c: c}
	}
	return aw
}

// errorPage is the page shown instead of a redirect: the error and, for a
// refused check, every violation with its clause. Everything shown is
// HTML-escaped: messages quote request values.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, e *fapihttp.Error, cause error) {
	var violations []fapi.Violation
	var re *fapi.ReportError
	if errors.As(cause, &re) {
		violations = re.Violations
	}
	summary := "The authorization request was refused: " + e.Code + "."
	if len(violations) == 0 && e.Description != "" {
		summary = "The authorization request was refused: " + e.Code + ": " + e.Description
	}
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	s.writeErrorPage(w, status, summary, violations)
}

// jarmSigner signs a client's JARM responses (fapihttp.JARMSigner).
type jarmSigner struct {
	s *Server
	c *client
}

// SignAuthorizationResponse signs an authorization response (JARM §4.1):
// the response parameters, iss (the issuer), aud (the client_id) and exp
// (JARMLifetime), with the algorithm the client registered
// (authorization_signed_response_alg, JARM §3; PS256 or ES256, checked at
// registration).
func (j jarmSigner) SignAuthorizationResponse(clientID string, params map[string]string) (string, error) {
	if clientID != j.c.reg.Client.ClientID {
		return "", errors.New("JARM: the response is for another client")
	}
	vals := url.Values{}
	for k, v := range params {
		vals.Set(k, v)
	}
	return j.s.signJARM(j.c, vals, j.s.now())
}

// signJARM signs an authorization response (JARM §4.1): the response
// parameters, iss (the issuer), aud (the client_id) and exp, with the
// algorithm the client registered (authorization_signed_response_alg,
// JARM §3; checked at registration and at the request to be PS256 or
// ES256).
func (s *Server) signJARM(c *client, vals url.Values, now time.Time) (string, error) {
	claims := make(map[string]any, len(vals)+3)
	for k := range vals {
		claims[k] = vals.Get(k)
	}
	claims["iss"] = s.issuer
	claims["aud"] = c.reg.Client.ClientID
	claims["exp"] = now.Add(JARMLifetime).Unix()
	return s.signJWT(c.reg.Client.AuthorizationSignedResponseAlg, "", claims)
}

func responseTypeHas(rt, part string) bool {
	for _, f := range strings.Fields(rt) {
		if f == part {
			return true
		}
	}
	return false
}
