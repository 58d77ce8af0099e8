package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/scope"
)

// handleAuthorize is the authorization endpoint (RFC 6749 §3.1, OIDC Core
// §3.1.2 and §3.3.2): a request by value (the request parameter), by
// reference (a request_uri the client registered, fetched by the server,
// RFC 9101 §5.2) or pushed (a request_uri the PAR endpoint issued, RFC
// 9126 §4).
//
// The library judges the request. On violations, the error goes to the
// client's redirect URI only when the library says that URI is trusted;
// otherwise the user sees an error page. On success the server acts only
// on the result's Parameters() — the values of the verified request
// object where only they count, the pushed ones for a pushed request,
// never the unsigned query — approves the request at once for the fixed
// user Subject, consumes a pushed request_uri (CompleteAuthorization) and
// answers in the response mode asked for: query, fragment, form_post, or
// a JARM mode (JARM §2.3), with the RFC 9207 iss.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	req, err := s.reader.Authorization(r)
	if err != nil {
		// A repeated parameter, another method (HEAD included: an
		// authorization has effects), an unreadable form: an error page.
		s.log.Info("authorization refused", "reason", "unreadable request", "err", err)
		s.writerFor(nil).WriteError(w, r, nil, err)
		return
	}
	ctx, now := r.Context(), s.now()
	form := url.Values(req.Params)
	clientID := form.Get("client_id")
	c, ok := s.clients[clientID]
	if !ok {
		desc := "the request has no client_id"
		if clientID != "" {
			desc = fmt.Sprintf("client_id %q is not registered with this server", truncate(clientID, 128))
		}
		s.log.Info("authorization refused", "reason", "unknown client", "client_id", truncate(clientID, 128))
		s.writerFor(nil).WriteError(w, r, nil, &fapihttp.Error{Code: fapi.OAuthInvalidRequest, Description: desc})
		return
	}
	aw := s.writerFor(c)

	signed := form.Has("request")
	if uri := form.Get("request_uri"); uri != "" {
		if strings.HasPrefix(uri, requestURIPrefix) {
			var rec pushedRequest
			err := getJSON(ctx, s.state, stateKey(kindPushed, uri), &rec, now)
			switch {
			case errors.Is(err, ErrNotFound):
				// Nothing ties the browser's request to a redirect URI the
				// library could trust: an error page (RFC 6749 §4.1.2.1).
				s.log.Info("authorization refused", "client_id", clientID, "reason", "unknown or expired request_uri")
				aw.WriteError(w, r, nil, &fapihttp.Error{Code: fapi.OAuthInvalidRequestURI,
					Description: "the request_uri is unknown, or has expired (RFC 9126 section 2.2)"})
				return
			case err != nil:
				s.log.Error("authorization: state", "err", err)
				aw.WriteError(w, r, nil, &fapihttp.Error{Code: fapi.OAuthTemporarilyUnavailable, Description: "the request could not be handled now; try again later"})
				return
			}
			req.Pushed, signed = &rec.Record, rec.Signed
		} else {
			obj, desc := s.fetchRequestObject(ctx, c, uri)
			if desc != "" {
				s.log.Info("authorization refused", "client_id", clientID, "reason", desc)
				aw.WriteError(w, r, nil, &fapihttp.Error{Code: fapi.OAuthInvalidRequestURI, Description: desc})
				return
			}
			req.RequestObject, signed = obj, true
		}
	}

	res := s.checker.Authorization(c.pc, req, now)
	if !res.OK() {
		s.log.Info("authorization refused", "client_id", clientID, "profile", res.Profile,
			"chosen_by", res.ChosenBy, "violations", res.Codes())
		aw.WriteError(w, r, &res, nil)
		return
	}

	// From here on: only the parameters the library validated.
	p := res.Parameters()
	if code, desc := s.authorizationPolicy(c, &res.Report, p, signed); code != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", res.Profile, "policy", code, "reason", desc)
		aw.WriteError(w, r, &res, &fapihttp.Error{Code: code, Description: desc})
		return
	}
	acr, errCode, errDesc := resolveACR(p, s.svc.AcrValuesSupported, c.reg.DefaultACRValues)
	if errCode != "" {
		s.log.Info("authorization refused", "client_id", clientID, "profile", res.Profile, "policy", errCode, "reason", errDesc)
		aw.WriteError(w, r, &res, &fapihttp.Error{Code: errCode, Description: errDesc})
		return
	}
	// Login and consent would be here. The authorization is complete: a
	// pushed request_uri is consumed now, not before (RFC 9126 §7.3;
	// FAPI2-SP-5.3.2.2 lets the client visit it again until then).
	if done := s.checker.CompleteAuthorization(ctx, res, now); !done.OK() {
		s.log.Info("authorization refused", "client_id", clientID, "profile", res.Profile, "violations", done.Codes())
		aw.WriteError(w, r, &res, done.Err())
		return
	}

	code, err := randomToken()
	if err != nil {
		s.log.Error("authorization code", "err", err)
		aw.WriteError(w, r, &res, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the authorization code could not be generated"})
		return
	}
	grant, err := randomToken()
	if err != nil {
		s.log.Error("grant", "err", err)
		aw.WriteError(w, r, &res, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the authorization code could not be generated"})
		return
	}
	rec := authCode{
		Record: fapi.AuthorizationRecord{
			ClientID:            c.reg.Client.ClientID,
			RedirectURI:         p["redirect_uri"],
			CodeChallenge:       p["code_challenge"],
			CodeChallengeMethod: p["code_challenge_method"],
			Scope:               p["scope"],
			IssuedAt:            now,
			DPoPJKT:             p["dpop_jkt"],
		},
		Nonce:    p["nonce"],
		ACR:      acr,
		Subject:  Subject,
		AuthTime: now,
		Grant:    grant,
	}
	if err := putJSON(ctx, s.state, stateKey(kindCode, code), rec, now.Add(codeRecordHold), now); err != nil {
		s.log.Error("store authorization code", "err", err)
		aw.WriteError(w, r, &res, &fapihttp.Error{Code: fapi.OAuthTemporarilyUnavailable, Description: "the server is busy; try again later"})
		return
	}

	rt := p["response_type"]
	vals := url.Values{"code": {code}}
	if responseTypeHas(rt, "id_token") {
		// The ID token as detached signature (OIDC Core §3.3.2.11,
		// FAPI-RW-5.2.2-3 and -4, FAPI1-ADV-5.2.2.1-1): c_hash always,
		// s_hash with a state.
		t := s.newIDToken(rec.Record.ClientID, &rec, now)
		t.CHash = leftHalfHash(code)
		if st := p["state"]; st != "" {
			t.SHash = leftHalfHash(st)
		}
		idt, err := s.signIDToken(c.reg.Client.IDTokenSignedResponseAlg, t)
		if err != nil {
			s.log.Error("authorization ID token", "err", err)
			aw.WriteError(w, r, &res, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the ID token could not be signed"})
			return
		}
		vals.Set("id_token", idt)
	}
	s.log.Info("authorization approved", "client_id", rec.Record.ClientID, "profile", res.Profile,
		"chosen_by", res.ChosenBy, "scope", rec.Record.Scope, "response_type", rt, "response_mode", p["response_mode"],
		"pushed", req.Pushed != nil, "dpop_bound", rec.Record.DPoPJKT != "")
	// The response goes to the trusted redirect URI in the mode asked for,
	// with state and the RFC 9207 iss (or signed, in a JARM mode).
	aw.WriteResponse(w, r, &res, vals)
}

// authorizationPolicy applies what this server adds to the library's
// checks of an authorization request (at the PAR endpoint and again at
// the authorization endpoint): a client registered for FAPI gets FAPI
// (see tokenPolicy), the response types and modes the server can deliver
// (a JARM mode needs an authorization_signed_response_alg it signs with),
// the scopes it defines and the client registered, openid with an ID
// token, and a signed request object for a client that registered
// require_signed_request_object (RFC 9101 §10.5). It returns an OAuth
// error and description, or "".
func (s *Server) authorizationPolicy(c *client, rep *fapi.Report, p map[string]string, signed bool) (string, string) {
	reg := &c.reg.Client
	if c.fapi && !rep.FAPI() {
		return fapi.OAuthInvalidScope, fmt.Sprintf("client %s is registered for FAPI: the request must ask for the %s scope, which selects %s", truncate(reg.ClientID, 64), FAPIScope, s.profile)
	}
	rt := p["response_type"]
	if !responseTypeIn(rt, s.svc.ResponseTypesSupported) {
		return fapi.OAuthUnsupportedResponseType, fmt.Sprintf("response_type %q is not supported (supported: %s)", rt, strings.Join(s.svc.ResponseTypesSupported, ", "))
	}
	if m, ok := p["response_mode"]; ok {
		if !slices.Contains(s.svc.ResponseModesSupported, m) {
			return fapi.OAuthInvalidRequest, fmt.Sprintf("response_mode %q is not supported (supported: %s)", m, strings.Join(s.svc.ResponseModesSupported, ", "))
		}
		if isJARMMode(m) && !slices.Contains(signingAlgs, reg.AuthorizationSignedResponseAlg) {
			return fapi.OAuthInvalidRequest, fmt.Sprintf("response_mode %s: the client registered no authorization_signed_response_alg this server signs with (%s; absent means RS256, JARM section 3)", m, strings.Join(signingAlgs, ", "))
		}
	}
	requested, err := scope.Parse(p["scope"])
	if err != nil {
		return fapi.OAuthInvalidScope, "the scope parameter is malformed"
	}
	var allowed []string
	if reg.Scope != "" {
		allowed, _ = scope.Parse(reg.Scope) // checked at registration
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
	if c.reg.RequireSignedRequestObject && !signed {
		return fapi.OAuthInvalidRequest, "the client registered require_signed_request_object: the request must be a signed request object (RFC 9101 section 10.5)"
	}
	return "", ""
}

// fetchRequestObject fetches the request object of a request by reference
// (RFC 9101 §5.2, OIDC Core §6.2): only from a request_uri the client
// pre-registered in request_uris (OIDC Registration §2), so that the
// server never fetches a URL an attacker chose; the answer is bounded in
// size and time. It returns the object, or why it could not be had.
func (s *Server) fetchRequestObject(ctx context.Context, c *client, uri string) (string, string) {
	if !slices.Contains(c.reg.RequestURIs, uri) {
		return "", "the request_uri is not one the client registered (request_uris); only registered ones are fetched"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return "", "the request_uri cannot be fetched"
	}
	req.Header.Set("Accept", "application/oauth-authz-req+jwt, application/jwt")
	resp, err := s.fetchObj.Do(req)
	if err != nil {
		s.log.Info("request_uri fetch failed", "client_id", c.reg.Client.ClientID, "err", err)
		return "", "the request_uri could not be fetched"
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Sprintf("fetching the request_uri answered HTTP %d", resp.StatusCode)
	}
	limit := int64(s.svc.MaxRequestObjectSize)
	if limit <= 0 {
		limit = 64 << 10
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil:
		return "", "the request object could not be read"
	case int64(len(body)) > limit:
		return "", fmt.Sprintf("the request object is larger than %d bytes", limit)
	}
	return strings.TrimSpace(string(body)), ""
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
func resolveACR(p map[string]string, supported, defaults []string) (acr, errCode, errDesc string) {
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
		// default_acr_values (OIDC Registration §2): checked at
		// registration to name ACR.
		if len(defaults) > 0 {
			return ACR, "", ""
		}
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
