package server

import (
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// handleUserinfo is the UserInfo endpoint (OIDC Core §5.3) and the one
// protected resource of this server, checked at the library's resource
// check point: the access token in exactly one Authorization header, never
// in the query (RFC 6750 §2), a certificate-bound token only over a TLS
// connection with the same client certificate (RFC 8705 §3,
// FAPI-RW-5.2.2-5, FAPI-RW-6.2.1-2), and the openid scope (OIDC Core
// §5.3). Refusals carry the status and WWW-Authenticate challenge of RFC
// 6750 §3.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	req, err := s.reader.Resource(r)
	if err != nil {
		s.log.Info("userinfo refused", "reason", "unreadable request", "err", err)
		fapihttp.WriteResourceRequestError(w, err)
		return
	}
	now := s.now()
	var subject string
	if tok, ok := fapi.AccessToken(req.Authorization); ok {
		// The server's own record of its opaque tokens; unknown, expired
		// or revoked tokens have none and are refused.
		if t, ok := s.tokens.lookup(tok, now); ok {
			req.Token = &fapi.AccessTokenRecord{TokenType: fapi.SchemeBearer, Scope: t.Scope, CertificateThumbprint: t.CertificateThumbprint}
			subject = t.Subject
		}
	}
	req.RequiredScope = "openid"
	res := fapi.CheckResourceRequest(&s.svc, req, now)
	if !res.OK() {
		s.log.Info("userinfo refused", "profile", res.Profile, "violations", res.Codes())
		fapihttp.WriteResourceError(w, res)
		return
	}
	noStore(w)
	s.writeJSON(w, http.StatusOK, map[string]string{"sub": subject})
}
