package server

import (
	"crypto/subtle"
	"net/http"

	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/scope"
)

// handleUserinfo is the UserInfo endpoint (OIDC Core §5.3) and the one
// protected resource of this server. A certificate-bound access token is
// accepted only over a TLS connection with the same client certificate
// (RFC 8705 §3, FAPI-RW-5.2.2-5).
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	tok, ok := bearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="userinfo"`)
		s.writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_request", ErrorDescription: "a bearer access token is required in the Authorization header"})
		return
	}
	t, ok := s.tokens.lookup(tok, s.now())
	if !ok {
		s.invalidToken(w, "the access token is unknown, expired or revoked")
		return
	}
	if t.CertificateThumbprint != "" {
		var presented string
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			presented = mtls.Thumbprint(r.TLS.PeerCertificates[0])
		}
		if subtle.ConstantTimeCompare([]byte(presented), []byte(t.CertificateThumbprint)) != 1 {
			s.log.Info("userinfo refused", "client_id", t.ClientID, "reason", "certificate binding")
			s.invalidToken(w, "the access token is bound to a different TLS client certificate")
			return
		}
	}
	if scopes, _ := scope.Parse(t.Scope); !scope.Contains(scopes, "openid") {
		w.Header().Set("WWW-Authenticate", `Bearer realm="userinfo", error="insufficient_scope", scope="openid"`)
		s.writeJSON(w, http.StatusForbidden, oauthError{Error: "insufficient_scope", ErrorDescription: "the access token was not issued for the openid scope"})
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"sub": t.Subject})
}

func (s *Server) invalidToken(w http.ResponseWriter, desc string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="userinfo", error="invalid_token"`)
	s.writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_token", ErrorDescription: desc})
}
