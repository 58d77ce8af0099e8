package server

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
)

// authorizationError answers an authorization request with an error: at
// the client's redirect URI when the library trusts it, otherwise with an
// error page. desc goes through fapi.EscapeDescription on its way into
// error_description, so this server's own texts, which quote request
// values, keep to its grammar too (RFC 6749 §4.1.2.1); a violation's
// Description is already escaped and comes through unchanged. The error
// page HTML-escapes everything it shows. A redirected error carries iss
// (RFC 9207 §2) and, in a JARM mode, is signed like a success (JARM
// §4.1).
func (s *Server) authorizationError(w http.ResponseWriter, c *client, report *fapi.AuthorizationResult, errCode, desc string, violations []fapi.Violation) {
	uri, ok := report.ErrorRedirectURI()
	if !ok || uri == "" {
		summary := "The authorization request was refused: " + errCode + "."
		if len(violations) == 0 {
			summary = "The authorization request was refused: " + errCode + ": " + desc
		}
		s.writeErrorPage(w, http.StatusBadRequest, summary, violations)
		return
	}
	vals := url.Values{"error": {errCode}}
	if desc != "" {
		vals.Set("error_description", fapi.EscapeDescription(desc))
	}
	if st, ok := report.Parameter("state"); ok && st != "" {
		vals.Set("state", st)
	}
	s.deliver(w, c, uri, s.errorResponseMode(c, report), vals, s.now())
}

// responseMode is how a successful response is delivered: the requested
// mode (the library refuses query with front-channel tokens, and the
// server's policy modes it does not offer), else fragment for response
// types that return tokens and query otherwise (OAuth 2.0 Multiple
// Response Type Encoding Practices §5). "jwt" is query.jwt or
// fragment.jwt by the same rule (JARM §2.3.4).
func responseMode(p map[string]string) string {
	switch m := p["response_mode"]; m {
	case "query", "fragment", "form_post", "query.jwt", "fragment.jwt", "form_post.jwt":
		return m
	case "jwt":
		return defaultMode(p["response_type"]) + ".jwt"
	}
	return defaultMode(p["response_type"])
}

// errorResponseMode is responseMode for an error, where the requested mode
// may itself be the problem: an unknown mode, query with a response type
// that returns tokens, or a JARM mode the server cannot sign for this
// client falls back to the default.
func (s *Server) errorResponseMode(c *client, report *fapi.AuthorizationResult) string {
	rt, _ := report.Parameter("response_type")
	m, _ := report.Parameter("response_mode")
	if isJARMMode(m) {
		if !slices.Contains(signingAlgs, c.reg.Client.AuthorizationSignedResponseAlg) {
			return defaultMode(rt)
		}
		if m == "jwt" {
			return defaultMode(rt) + ".jwt"
		}
		m = strings.TrimSuffix(m, ".jwt")
		if m == "query" && defaultMode(rt) != "query" {
			return defaultMode(rt) + ".jwt"
		}
		return m + ".jwt"
	}
	switch {
	case m == "fragment" || m == "form_post":
		return m
	case m == "query" && defaultMode(rt) == "query":
		return m
	}
	return defaultMode(rt)
}

func defaultMode(rt string) string {
	if responseTypeHas(rt, "id_token") || responseTypeHas(rt, "token") {
		return "fragment"
	}
	return "query"
}

func responseTypeHas(rt, part string) bool {
	for _, f := range strings.Fields(rt) {
		if f == part {
			return true
		}
	}
	return false
}

// deliver sends an authorization response (success or error) to the
// redirect URI with the response mode. The redirect URI is one the library
// matched exactly against the registration; its own query is kept.
//
// Every response names the issuer (RFC 9207 §2, advertised as
// authorization_response_iss_parameter_supported): as the iss parameter,
// or, in a JARM mode, as the iss claim of the signed response, which
// carries the parameters with aud (the client) and exp (JARM §4.1) and
// travels as the one parameter response (JARM §2.3.1–2.3.3); RFC 9207
// §2.4 puts no separate iss beside it.
func (s *Server) deliver(w http.ResponseWriter, c *client, redirectURI, mode string, vals url.Values, now time.Time) {
	noStore(w)
	if base, jarm := strings.CutSuffix(mode, ".jwt"); jarm {
		resp, err := s.signJARM(c, vals, now)
		if err != nil {
			s.log.Error("JARM response", "client_id", c.reg.Client.ClientID, "err", err)
			s.writeErrorPage(w, http.StatusInternalServerError, "The authorization response could not be signed.", nil)
			return
		}
		vals, mode = url.Values{"response": {resp}}, base
	} else {
		vals.Set("iss", s.issuer)
	}
	switch mode {
	case "form_post":
		names := make([]string, 0, len(vals))
		for k := range vals {
			names = append(names, k)
		}
		sort.Strings(names)
		fields := make([]formField, 0, len(names))
		for _, k := range names {
			fields = append(fields, formField{k, vals.Get(k)})
		}
		s.writeFormPost(w, redirectURI, fields)
		return
	case "fragment":
		w.Header().Set("Location", redirectURI+"#"+vals.Encode())
	default:
		sep := "?"
		if strings.Contains(redirectURI, "?") {
			sep = "&"
			if strings.HasSuffix(redirectURI, "?") || strings.HasSuffix(redirectURI, "&") {
				sep = ""
			}
		}
		w.Header().Set("Location", redirectURI+sep+vals.Encode())
	}
	// 303 makes the user agent follow with GET even after a POST to the
	// authorization endpoint.
	w.WriteHeader(http.StatusSeeOther)
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
