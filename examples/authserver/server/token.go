package server

import (
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// tokenResponse is a successful token response (RFC 6749 §5.1, OIDC Core
// §3.1.3.3, RFC 9449 §5).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

// handleToken is the token endpoint: the authorization_code (RFC 6749
// §4.1.3), refresh_token (§6) and client_credentials (§4.4) grants.
//
// The client is looked up by its Basic user name, client_id or the
// unverified iss of its client assertion: the lookup only chooses whose
// registration the library checks the request against. The server passes
// the record of the code or refresh token presented (nil when it knows
// none: the library answers invalid_grant), and the library decides
// everything else — client authentication, the grant, PKCE, the sender
// constraint, DPoP nonces — and records the one-time uses (the code, the
// client assertion's jti, the DPoP proof) in the store. A code presented
// twice revokes every token of its grant (RFC 6749 §4.1.2;
// TokenResult.RevokeGrant).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	ctx, now := r.Context(), s.now()
	b, err := s.readBackChannel(r, false)
	if err != nil {
		s.log.Info("token refused", "client_id", truncate(b.clientID, 128), "reason", err)
		s.backChannelError(w, r, err, "")
		return
	}
	if len(b.dpop) > 0 && !featuresOf(s.profile).dpop {
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthInvalidDPoPProof, Description: s.noDPoPHere()}, "")
		return
	}
	if d := s.checkClientCredentials(r, b, now); d != "" {
		s.log.Info("token refused", "client_id", b.clientID, "reason", d)
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthInvalidClient, Description: d}, "")
		return
	}

	tr := &fapi.TokenRequest{
		Params:            fapi.Params(b.form),
		BasicAuth:         b.basic,
		ClientCertificate: b.cert,
		DPoP:              b.dpop,
		Method:            b.method,
		URL:               b.url,
	}
	g, err := s.findGrant(ctx, b.form, tr, now)
	if err != nil {
		s.log.Error("token: state", "err", err)
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the server cannot read its records; try again later"}, "")
		return
	}
	tok := s.checker.Token(ctx, b.client.pc, tr, now)
	if tok.RevokeGrant && g.grant != "" {
		// A reused code (or rotated refresh token): the tokens of its grant
		// may be in the wrong hands (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
		if err := revoke(ctx, s.state, g.grant, now); err != nil {
			s.log.Error("revoke grant", "err", err)
		} else {
			s.log.Warn("authorization code or refresh token presented again; the tokens of its grant are revoked", "client_id", b.clientID)
		}
	}
	if !tok.OK() {
		s.log.Info("token refused", "client_id", b.clientID, "profile", tok.Profile, "violations", tok.Codes())
		s.backChannelError(w, r, violationError(pickViolation(tok.Violations)), tok.DPoPNonceHeader)
		return
	}
	if code, desc := s.tokenPolicy(b.client, &tok, g, b.form, now); code != "" {
		s.log.Info("token refused", "client_id", b.clientID, "profile", tok.Profile, "policy", code, "reason", desc)
		s.backChannelError(w, r, &fapihttp.Error{Code: code, Description: desc}, tok.DPoPNonceHeader)
		return
	}
	resp, err := s.issueTokens(ctx, b.client, &tok, g, b.form, now)
	if err != nil {
		s.log.Error("issue tokens", "client_id", b.clientID, "err", err)
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the tokens could not be issued; try again later"}, tok.DPoPNonceHeader)
		return
	}
	s.log.Info("token issued", "client_id", b.clientID, "grant_type", b.form.Get("grant_type"), "profile", tok.Profile,
		"scope", resp.Scope, "token_type", resp.TokenType)
	fapihttp.WriteTokenResponse(w, resp, s.nonceFor(tok.DPoPNonceHeader))
}
