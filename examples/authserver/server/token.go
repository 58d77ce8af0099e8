package server

import (
	"crypto/x509"
	"errors"
	"net/http"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// tokenResponse is a successful token response (RFC 6749 §5.1, OIDC Core
// §3.1.3.3).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
	IDToken     string `json:"id_token,omitempty"`
}

// handleToken is the token endpoint for the authorization_code grant.
//
// The client is looked up by client_id, or by the iss of its client
// assertion read without trusting it: the lookup only chooses whose keys
// the library verifies the assertion with. The code is taken out of the
// store before the checks, so that it is used at most once whatever
// happens next.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	// The reader takes the form body (application/x-www-form-urlencoded,
	// at most 64 KiB, no parameter twice; the query is not read: RFC 6749
	// §4.1.3), the TLS client certificate and the request's URL.
	req, err := s.reader.Token(r)
	if err != nil {
		s.log.Info("token refused", "reason", "unreadable request", "err", err)
		fapihttp.WriteTokenError(w, r, err, "")
		return
	}
	form := req.Params
	if len(r.Header.Values("Authorization")) > 0 {
		// A client that tried HTTP Basic gets a Basic challenge with the
		// 401 (RFC 6749 §5.2); the writer decides.
		s.tokenError(w, r, fapi.OAuthInvalidClient, "HTTP authentication is not supported; use private_key_jwt, tls_client_auth or self_signed_tls_client_auth")
		return
	}

	clientID := form.Get("client_id")
	if clientID == "" && form.Get("client_assertion") != "" {
		// RFC 7523 §3: the assertion's iss is the client_id. It only
		// picks the client whose keys verify the assertion.
		clientID, _ = clientassertion.UnverifiedIssuer(form.Get("client_assertion"), s.svc.MaxRequestObjectSize)
	}
	pc, ok := s.clients[clientID]
	if !ok {
		s.log.Info("token refused", "reason", "unknown client", "client_id", truncate(clientID, 128))
		s.tokenError(w, r, fapi.OAuthInvalidClient, "the client is not registered, or could not be identified")
		return
	}
	client := pc.Config()
	now := s.now()

	// The certificate the client presented, nil when none (RFC 8705 §2).
	cert := req.ClientCertificate
	if cert != nil && client.TokenEndpointAuthMethod == profile.AuthTLSClient {
		// tls_client_auth trusts the certificate's subject, so the chain
		// must be verified (RFC 8705 §2.1); the TLS layer only requested it.
		chain := []*x509.Certificate{cert}
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			chain = r.TLS.PeerCertificates
		}
		if err := s.verifyClientChain(chain, now); err != nil {
			s.log.Info("token refused", "client_id", clientID, "reason", "client certificate not trusted", "err", err)
			s.tokenError(w, r, fapi.OAuthInvalidClient, "the TLS client certificate does not chain to a trusted certificate authority")
			return
		}
	}

	code := form.Get("code")
	var rec *fapi.AuthorizationRecord
	var ac authCode
	result, issuedToken := codeUnknown, secretKey{}
	if code != "" {
		ac, result, issuedToken = s.codes.take(code, now)
	}
	if result == codeValid {
		rec = &fapi.AuthorizationRecord{
			ClientID:            ac.ClientID,
			RedirectURI:         ac.RedirectURI,
			CodeChallenge:       ac.CodeChallenge,
			CodeChallengeMethod: ac.CodeChallengeMethod,
			Scope:               ac.Scope,
			IssuedAt:            ac.IssuedAt,
		}
	}
	req.Authorization = rec
	report := fapi.CheckTokenRequest(&s.svc, pc, req, now)

	if result != codeValid {
		// Client authentication and the other request checks still come
		// first: an unauthenticated caller learns nothing about the code.
		// The missing grant record is this server's doing, not a violation
		// to report.
		if result == codeReused && issuedToken != (secretKey{}) {
			// RFC 6749 §4.1.2: revoke what the first redemption issued.
			s.tokens.revoke(issuedToken)
			s.log.Warn("authorization code reused; its access token is revoked", "client_id", clientID)
		}
		for _, v := range report.Violations {
			if v.Code != fapi.CodeCodeRecordMissing {
				s.refuseToken(w, r, clientID, &report.Report, v)
				return
			}
		}
		desc := map[takeResult]string{
			codeUnknown: "the authorization code is unknown",
			codeExpired: "the authorization code has expired",
			codeReused:  "the authorization code has already been used",
		}[result]
		s.log.Info("token refused", "client_id", clientID, "reason", desc)
		s.tokenError(w, r, fapi.OAuthInvalidGrant, desc)
		return
	}
	if !report.OK() {
		s.refuseToken(w, r, clientID, &report.Report, report.Violations[0])
		return
	}
	// PKCE downgrade (RFC 9700 §2.1.1, §4.8.2): a code_verifier for a code
	// issued without a code_challenge means the challenge was stripped from
	// the authorization request. The library accepts this case; the server
	// refuses it.
	if ac.CodeChallenge == "" && form.Has("code_verifier") {
		s.log.Info("token refused", "client_id", clientID, "reason", "code_verifier without code_challenge")
		s.tokenError(w, r, fapi.OAuthInvalidGrant, "a code_verifier was sent, but the authorization request had no code_challenge")
		return
	}

	// Replay: the library verified the assertion; remembering its jti until
	// it expires is the caller's part (OIDC Core §9, RFC 7523 §3).
	if m := client.TokenEndpointAuthMethod; m == profile.AuthPrivateKeyJWT || m == profile.AuthClientSecretJWT {
		fresh, err := s.useAssertion(clientID, &report, now)
		switch {
		case err != nil:
			s.log.Error("client assertion replay check", "client_id", clientID, "err", err)
			s.serverError(w, r, http.StatusServiceUnavailable, "the server is busy; try again later")
			return
		case !fresh:
			s.log.Info("token refused", "client_id", clientID, "reason", "client assertion replayed")
			s.tokenError(w, r, fapi.OAuthInvalidClient, "the client assertion has already been used (jti replay)")
			return
		}
	}

	access, err := randomToken()
	if err != nil {
		s.log.Error("access token", "err", err)
		s.serverError(w, r, http.StatusInternalServerError, "the access token could not be generated")
		return
	}
	tk := AccessToken{
		ClientID: client.ClientID,
		Subject:  ac.Subject,
		Scope:    ac.Scope,
		Expires:  now.Add(AccessTokenLifetime),
		// RFC 8705 §3: bind the token to the certificate of this request.
		CertificateThumbprint: mtls.Thumbprint(cert),
	}
	key, err := s.tokens.put(access, tk, now)
	if err != nil {
		s.log.Error("store access token", "err", err)
		s.serverError(w, r, http.StatusServiceUnavailable, "the server is busy; try again later")
		return
	}
	s.codes.redeemed(code, key)

	resp := tokenResponse{
		AccessToken: access,
		TokenType:   "Bearer",
		ExpiresIn:   int64(AccessTokenLifetime / time.Second),
		Scope:       ac.Scope,
	}
	if scopes, _ := scope.Parse(ac.Scope); scope.Contains(scopes, "openid") {
		t := s.newIDToken(client.ClientID, &ac, now)
		t.ATHash = leftHalfHash(access)
		if resp.IDToken, err = s.sign(t); err != nil {
			s.tokens.revoke(key)
			s.log.Error("token ID token", "err", err)
			s.serverError(w, r, http.StatusInternalServerError, "the ID token could not be signed")
			return
		}
	}
	s.log.Info("token issued", "client_id", clientID, "profile", report.Profile, "scope", ac.Scope,
		"certificate_bound", tk.CertificateThumbprint != "")
	fapihttp.WriteTokenResponse(w, resp, "") // no-store (RFC 6749 §5.1)
}

// refuseToken answers with the violation the library put first: its
// Error and, as error_description, its Description (the Message escaped
// to the grammar of RFC 6749 §5.2).
func (s *Server) refuseToken(w http.ResponseWriter, r *http.Request, clientID string, report *fapi.Report, v fapi.Violation) {
	s.log.Info("token refused", "client_id", clientID, "profile", report.Profile, "violations", report.Codes())
	s.tokenError(w, r, v.Error, v.Description())
}

// tokenError writes an error response (RFC 6749 §5.2) with
// fapihttp.WriteTokenError: 401 for invalid_client — with a Basic
// challenge only when the client tried HTTP Basic, never for
// private_key_jwt or mTLS clients — and 400 otherwise. desc is escaped to
// the error_description grammar on the way out.
func (s *Server) tokenError(w http.ResponseWriter, r *http.Request, code, desc string) {
	fapihttp.WriteTokenError(w, r, &fapihttp.Error{Code: code, Description: desc}, "")
}

// serverError answers server_error with the status (500, or 503 when the
// server is busy).
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, status int, desc string) {
	fapihttp.WriteTokenError(w, r, &fapihttp.Error{Code: fapi.OAuthServerError, Description: desc, Status: status}, "")
}

// useAssertion records the jti of the client assertion the library
// verified until it expires, and reports whether it was fresh.
func (s *Server) useAssertion(clientID string, report *fapi.TokenResult, now time.Time) (bool, error) {
	a := report.ClientAssertion
	if a == nil || a.JWTID == "" || a.Expiry.IsZero() {
		// The library requires both; refuse rather than skip the check.
		return false, nil
	}
	return s.jtis.use(clientID, a.JWTID, a.Expiry, now)
}

// verifyClientChain verifies a tls_client_auth certificate chain against
// Config.ClientCAs.
func (s *Server) verifyClientChain(chain []*x509.Certificate, now time.Time) error {
	if s.clientCAs == nil {
		return errors.New("no trusted client certificate authorities are configured")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         s.clientCAs,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	return err
}
