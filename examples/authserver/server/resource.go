package server

import (
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// Account is one account the protected resource lists.
type Account struct {
	ID       string `json:"account_id"`
	Name     string `json:"name"`
	Currency string `json:"currency"`
}

// handleUserinfo is the UserInfo endpoint (OIDC Core §5.3): a protected
// resource that takes a token granted for openid.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.protect(w, r, "openid")
	if !ok {
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"sub": tok.Subject})
}

// handleAccounts is the protected resource (the bank's API), which takes a
// token granted for FAPIScope.
func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.protect(w, r, FAPIScope)
	if !ok {
		return
	}
	s.writeJSON(w, http.StatusOK, struct {
		Subject  string    `json:"sub,omitempty"`
		ClientID string    `json:"client_id"`
		Accounts []Account `json:"accounts"`
	}{tok.Subject, tok.ClientID, []Account{{ID: "22289", Name: "Demo current account", Currency: "EUR"}}})
}

// protect admits a request to a protected resource, or answers it: the
// server looks the access token up (the resource server's part: its
// records stand for JWT validation or introspection, RFC 7662 §2.2, and
// know neither expired nor revoked tokens), and the library's resource
// check point enforces the rest (RFC 6750 §2, §3; RFC 8705 §3; RFC 9449
// §7, §9): one Authorization header, never a token in the query, the
// scheme the token's binding needs, the DPoP proof for this method and
// URL with ath and the token's key (with the server's nonce), the TLS
// client certificate of a certificate-bound token, a binding where the
// profile requires one (FAPI-RW-6.2.1-2, FAPI1-ADV-6.2.1-2,
// FAPI2-SP-5.3.4-5) and the scope the resource needs. A refusal carries
// the status and WWW-Authenticate challenge the library gives (RFC 6750
// §3, RFC 9449 §7.1) and the DPoP-Nonce header.
func (s *Server) protect(w http.ResponseWriter, r *http.Request, requiredScope string) (AccessToken, bool) {
	ctx, now := r.Context(), s.now()
	// The URL the client addressed: the issuer's origin and the request
	// path, whatever Host header came (RFC 9449 §4.3 item 9, §7.1;
	// fapihttp.WithBaseURL).
	req, err := s.reader.Resource(r)
	if err != nil {
		s.log.Info("resource refused", "path", r.URL.Path, "reason", err)
		fapihttp.WriteResourceRequestError(w, err)
		return AccessToken{}, false
	}
	req.RequiredScope = requiredScope
	var tok AccessToken
	if value, ok := fapi.AccessToken(req.Authorization); ok {
		t, found, err := s.lookupAccess(ctx, value, now)
		if err != nil {
			s.log.Error("resource: state", "err", err)
			noStore(w)
			s.writeJSON(w, http.StatusServiceUnavailable, oauthError{Error: fapi.OAuthServerError, ErrorDescription: "the token cannot be checked now; try again later"})
			return AccessToken{}, false
		}
		if found {
			tok = t
			req.Token = &fapi.AccessTokenRecord{
				TokenType:             t.TokenType,
				Scope:                 t.Scope,
				CertificateThumbprint: t.CertificateThumbprint,
				DPoPJKT:               t.DPoPJKT,
			}
		}
	}
	res := s.checker.Resource(ctx, req, now)
	if !res.OK() {
		s.log.Info("resource refused", "path", r.URL.Path, "client_id", tok.ClientID, "profile", res.Profile, "violations", res.Codes())
		fapihttp.WriteResourceError(w, res)
		return AccessToken{}, false
	}
	noStore(w)
	if n := s.nonceFor(res.DPoPNonceHeader); n != "" {
		w.Header().Set("DPoP-Nonce", n) // the client's next nonce (RFC 9449 §9)
	}
	return tok, true
}
