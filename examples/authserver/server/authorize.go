package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// handleAuthorize is the authorization endpoint (RFC 6749 §3.1, OIDC Core
// §3.1.2 and §3.3.2, FAPI 1.0 ID2).
//
// The library judges the request. On violations, the error goes to the
// client's redirect URI only when the library says that URI is trusted;
// otherwise the user sees an error page. On success the server acts only on
// report.Parameters() — under the read-and-write profile those are the
// values of the verified request object, never the unsigned query — and
// approves the request at once for the fixed user Subject.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		// The GET route also matches HEAD, which must not issue a code.
		w.Header().Set("Allow", "GET, POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.log.Info("authorization refused", "reason", "unreadable request", "err", err)
		s.writeErrorPage(w, http.StatusBadRequest, "The authorization request could not be read.", nil)
		return
	}
	clientID := r.Form.Get("client_id")
	pc, ok := s.clients[clientID]
	if !ok {
		summary := "The request has no client_id."
		if clientID != "" {
			summary = fmt.Sprintf("client_id %q is not registered with this server.", truncate(clientID, 128))
		}
		s.log.Info("authorization refused", "reason", "unknown client", "client_id", truncate(clientID, 128))
		s.writeErrorPage(w, http.StatusBadRequest, summary, nil)
		return
	}

	now := s.now()
	report := fapi.CheckAuthorizationRequest(&s.svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params(r.Form)}, now)
	if !report.OK() {
		first := report.Violations[0]
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile,
			"chosen_by", report.ChosenBy, "violations", report.Codes())
		s.authorizationError(w, &report, first.Error, first.Description(), report.Violations)
		return
	}

	// From here on: only the parameters the library validated.
	p := report.Parameters()
	client := pc.Config()
	if code, desc := s.checkPolicy(client, p); code != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile, "policy", code, "reason", desc)
		s.authorizationError(w, &report, code, desc, nil)
		return
	}
	acr, errCode, errDesc := resolveACR(p, s.svc.AcrValuesSupported)
	if errCode != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile, "policy", errCode, "reason", errDesc)
		s.authorizationError(w, &report, errCode, errDesc, nil)
		return
	}

	code, err := randomToken()
	if err != nil {
		s.log.Error("authorization code", "err", err)
		s.authorizationError(w, &report, fapi.OAuthServerError, "the authorization code could not be generated", nil)
		return
	}
	rec := authCode{
		ClientID:            client.ClientID,
		RedirectURI:         p["redirect_uri"],
		Scope:               p["scope"],
		Nonce:               p["nonce"],
		CodeChallenge:       p["code_challenge"],
		CodeChallengeMethod: p["code_challenge_method"],
		ACR:                 acr,
		Subject:             Subject,
		IssuedAt:            now,
		AuthTime:            now,
	}
	if err := s.codes.put(code, rec, now); err != nil {
		s.log.Error("store authorization code", "err", err)
		s.authorizationError(w, &report, "temporarily_unavailable", "the server is busy; try again later", nil)
		return
	}

	rt := p["response_type"]
	vals := url.Values{"code": {code}}
	if st := p["state"]; st != "" {
		vals.Set("state", st)
	}
	if responseTypeHas(rt, "id_token") {
		// The ID token as detached signature (OIDC Core §3.3.2.11,
		// FAPI-RW-5.2.2-3 and -4): c_hash always, s_hash with a state.
		t := s.newIDToken(client.ClientID, &rec, now)
		t.CHash = leftHalfHash(code)
		if st := p["state"]; st != "" {
			t.SHash = leftHalfHash(st)
		}
		idt, err := s.sign(t)
		if err != nil {
			s.log.Error("authorization ID token", "err", err)
			s.authorizationError(w, &report, fapi.OAuthServerError, "the ID token could not be signed", nil)
			return
		}
		vals.Set("id_token", idt)
	}
	s.log.Info("authorization approved", "client_id", client.ClientID, "profile", report.Profile,
		"chosen_by", report.ChosenBy, "scope", rec.Scope, "response_type", rt)
	s.deliver(w, p["redirect_uri"], responseMode(p), vals)
}

// checkPolicy applies what this server adds to the library's checks: the
// response types and modes it can deliver, and the scopes it defines and
// the client registered. It returns an OAuth error and description, or "".
func (s *Server) checkPolicy(c fapi.Client, p map[string]string) (string, string) {
	rt := p["response_type"]
	if !responseTypeIn(rt, s.svc.ResponseTypesSupported) {
		return fapi.OAuthUnsupportedResponseType, fmt.Sprintf("response_type %q is not supported (supported: %s)", rt, strings.Join(s.svc.ResponseTypesSupported, ", "))
	}
	// JARM modes would also relax the library's response type rule;
	// this server cannot sign responses, so it refuses them.
	if m, ok := p["response_mode"]; ok && !containsString(s.svc.ResponseModesSupported, m) {
		return fapi.OAuthInvalidRequest, fmt.Sprintf("response_mode %q is not supported (supported: %s)", m, strings.Join(s.svc.ResponseModesSupported, ", "))
	}
	requested, err := scope.Parse(p["scope"])
	if err != nil {
		return fapi.OAuthInvalidScope, "the scope parameter is malformed"
	}
	var allowed []string
	if c.Scope != "" {
		allowed, _ = scope.Parse(c.Scope) // checked at registration
	}
	for _, sc := range requested {
		if !s.scopeDefined(sc) {
			return fapi.OAuthInvalidScope, fmt.Sprintf("scope %q is not defined by this server", truncate(sc, 64))
		}
		if allowed != nil && !scope.Contains(allowed, sc) {
			return fapi.OAuthInvalidScope, fmt.Sprintf("scope %q is not registered for this client", sc)
		}
	}
	if responseTypeHas(rt, "id_token") && !scope.Contains(requested, "openid") {
		return fapi.OAuthInvalidRequest, fmt.Sprintf("response_type %q needs the openid scope", rt)
	}
	return "", ""
}

// claimRequest is one member of the OIDC claims parameter (OIDC Core
// §5.5.1); a null member decodes to nil.
type claimRequest struct {
	Essential bool     `json:"essential"`
	Value     *string  `json:"value"`
	Values    []string `json:"values"`
}

// resolveACR decides the acr claim of the ID token. acr is included when
// the claims parameter asks for it in id_token or acr_values is sent; the
// value is the first requested one the server supports, or ACR when none
// is named. An essential acr the server cannot satisfy fails the
// authorization (OIDC Core §5.5.1.1).
func resolveACR(p map[string]string, supported []string) (acr, errCode, errDesc string) {
	var req *claimRequest
	requested := false
	if raw, ok := p["claims"]; ok {
		var cp struct {
			IDToken map[string]*claimRequest `json:"id_token"`
		}
		// The library has validated the claims parameter (strict JSON, no
		// duplicate members); this only reads it.
		if err := json.Unmarshal([]byte(raw), &cp); err != nil {
			return "", fapi.OAuthInvalidRequest, "the claims parameter cannot be read"
		}
		req, requested = cp.IDToken["acr"]
	}
	var wanted []string
	switch {
	case req != nil && req.Value != nil:
		wanted = []string{*req.Value}
	case req != nil && len(req.Values) > 0:
		wanted = req.Values
	case p["acr_values"] != "":
		requested = true
		wanted = strings.Fields(p["acr_values"])
	}
	if !requested {
		return "", "", ""
	}
	if len(wanted) == 0 {
		return ACR, "", ""
	}
	for _, v := range wanted {
		if containsString(supported, v) {
			return v, "", ""
		}
	}
	if req != nil && req.Essential {
		return "", fapi.OAuthAccessDenied, "none of the essential acr values requested can be satisfied (supported: " + strings.Join(supported, ", ") + ")"
	}
	return "", "", ""
}

// authorizationError answers an authorization request with an error: at
// the client's redirect URI when the library trusts it, otherwise with an
// error page. desc goes through fapi.EscapeDescription on its way into
// error_description, so this server's own texts, which quote request
// values, keep to its grammar too (RFC 6749 §4.1.2.1); a violation's
// Description is already escaped and comes through unchanged. The error
// page HTML-escapes everything it shows.
func (s *Server) authorizationError(w http.ResponseWriter, report *fapi.AuthorizationResult, errCode, desc string, violations []fapi.Violation) {
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
	s.deliver(w, uri, errorResponseMode(report), vals)
}

// responseMode is how a successful response is delivered: the requested
// mode (the library refuses query with front-channel tokens), else fragment
// for response types that return tokens and query otherwise (OAuth 2.0
// Multiple Response Type Encoding Practices §5).
func responseMode(p map[string]string) string {
	if m := p["response_mode"]; m == "query" || m == "fragment" || m == "form_post" {
		return m
	}
	return defaultMode(p["response_type"])
}

// errorResponseMode is responseMode for an error, where the requested mode
// may itself be the problem: an unknown mode, or query with a response type
// that returns tokens, falls back to the default.
func errorResponseMode(report *fapi.AuthorizationResult) string {
	rt, _ := report.Parameter("response_type")
	m, _ := report.Parameter("response_mode")
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
func (s *Server) deliver(w http.ResponseWriter, redirectURI, mode string, vals url.Values) {
	noStore(w)
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

// truncate shortens s to at most n bytes for messages and logs, without
// leaving a broken UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:n], "?") + "..."
}
