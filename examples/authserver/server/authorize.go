package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
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
	// The reader takes the query (GET) or the query and the form body
	// (POST), refuses a repeated parameter before anything is looked up,
	// and refuses HEAD, which the GET route also matches and which must
	// not issue a code.
	req, err := s.reader.Authorization(r)
	if err != nil {
		s.log.Info("authorization refused", "reason", "unreadable request", "err", err)
		s.authz.WriteError(w, r, nil, err)
		return
	}
	clientID := req.Params.Get("client_id")
	pc, ok := s.clients[clientID]
	if !ok {
		summary := "The request has no client_id."
		if clientID != "" {
			summary = fmt.Sprintf("client_id %q is not registered with this server.", truncate(clientID, 128))
		}
		s.log.Info("authorization refused", "reason", "unknown client", "client_id", truncate(clientID, 128))
		s.authz.WriteError(w, r, nil, &fapihttp.Error{Code: fapi.OAuthInvalidRequest, Description: summary})
		return
	}

	now := s.now()
	report := fapi.CheckAuthorizationRequest(&s.svc, pc, req, now)
	if !report.OK() {
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile,
			"chosen_by", report.ChosenBy, "violations", report.Codes())
		// The first violation, to the redirect URI only if the library
		// trusts it.
		s.authz.WriteError(w, r, &report, nil)
		return
	}

	// From here on: only the parameters the library validated.
	p := report.Parameters()
	client := pc.Config()
	if code, desc := s.checkPolicy(client, p); code != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile, "policy", code, "reason", desc)
		s.authz.WriteError(w, r, &report, &fapihttp.Error{Code: code, Description: desc})
		return
	}
	acr, errCode, errDesc := resolveACR(p, s.svc.AcrValuesSupported)
	if errCode != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", report.Profile, "policy", errCode, "reason", errDesc)
		s.authz.WriteError(w, r, &report, &fapihttp.Error{Code: errCode, Description: errDesc})
		return
	}

	code, err := randomToken()
	if err != nil {
		s.log.Error("authorization code", "err", err)
		s.authz.WriteError(w, r, &report, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the authorization code could not be generated"})
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
		s.authz.WriteError(w, r, &report, &fapihttp.Error{Code: fapi.OAuthTemporarilyUnavailable, Description: "the server is busy; try again later"})
		return
	}

	rt := p["response_type"]
	vals := url.Values{"code": {code}} // the writer adds state and iss
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
			s.authz.WriteError(w, r, &report, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the ID token could not be signed"})
			return
		}
		vals.Set("id_token", idt)
	}
	s.log.Info("authorization approved", "client_id", client.ClientID, "profile", report.Profile,
		"chosen_by", report.ChosenBy, "scope", rec.Scope, "response_type", rt)
	// To the redirect URI the library matched, in the requested response
	// mode (fragment for the hybrid flow), with state and iss.
	s.authz.WriteResponse(w, r, &report, vals)
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

func responseTypeHas(rt, part string) bool {
	for _, f := range strings.Fields(rt) {
		if f == part {
			return true
		}
	}
	return false
}

// truncate shortens s to at most n bytes for messages and logs, without
// leaving a broken UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:n], "?") + "..."
}
