package server

import (
	"crypto/x509"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
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
	noStore(w)
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		s.tokenError(w, fapi.OAuthInvalidRequest, "the token request must be an application/x-www-form-urlencoded POST body")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		desc := "the request body could not be read"
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			desc = "the request body is larger than 64 KiB"
		}
		s.tokenError(w, fapi.OAuthInvalidRequest, desc)
		return
	}
	// Only the body counts (RFC 6749 §4.1.3); query parameters are ignored.
	form := r.PostForm
	if r.Header.Get("Authorization") != "" {
		s.tokenError(w, fapi.OAuthInvalidClient, "HTTP authentication is not supported; use private_key_jwt, tls_client_auth or self_signed_tls_client_auth")
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
		s.tokenError(w, fapi.OAuthInvalidClient, "the client is not registered, or could not be identified")
		return
	}
	client := pc.Config()
	now := s.now()

	var cert *x509.Certificate
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		cert = r.TLS.PeerCertificates[0]
		// tls_client_auth trusts the certificate's subject, so the chain
		// must be verified (RFC 8705 §2.1); the TLS layer only requested it.
		if client.TokenEndpointAuthMethod == profile.AuthTLSClient {
			if err := s.verifyClientChain(r.TLS.PeerCertificates, now); err != nil {
				s.log.Info("token refused", "client_id", clientID, "reason", "client certificate not trusted", "err", err)
				s.tokenError(w, fapi.OAuthInvalidClient, "the TLS client certificate does not chain to a trusted certificate authority")
				return
			}
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
	report := fapi.CheckTokenRequest(&s.svc, pc, &fapi.TokenRequest{
		Params:            fapi.Params(form),
		ClientCertificate: cert,
		Authorization:     rec,
	}, now)

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
				s.refuseToken(w, clientID, &report.Report, v)
				return
			}
		}
		desc := map[takeResult]string{
			codeUnknown: "the authorization code is unknown",
			codeExpired: "the authorization code has expired",
			codeReused:  "the authorization code has already been used",
		}[result]
		s.log.Info("token refused", "client_id", clientID, "reason", desc)
		s.tokenError(w, fapi.OAuthInvalidGrant, desc)
		return
	}
	if !report.OK() {
		s.refuseToken(w, clientID, &report.Report, report.Violations[0])
		return
	}
	// PKCE downgrade (RFC 9700 §2.1.1, §4.8.2): a code_verifier for a code
	// issued without a code_challenge means the challenge was stripped from
	// the authorization request. The library accepts this case; the server
	// refuses it.
	if ac.CodeChallenge == "" && form.Has("code_verifier") {
		s.log.Info("token refused", "client_id", clientID, "reason", "code_verifier without code_challenge")
		s.tokenError(w, fapi.OAuthInvalidGrant, "a code_verifier was sent, but the authorization request had no code_challenge")
		return
	}

	// Replay: the library verified the assertion; remembering its jti until
	// it expires is the caller's part (OIDC Core §9, RFC 7523 §3).
	if m := client.TokenEndpointAuthMethod; m == profile.AuthPrivateKeyJWT || m == profile.AuthClientSecretJWT {
		fresh, err := s.useAssertion(clientID, &report, now)
		switch {
		case err != nil:
			s.log.Error("client assertion replay check", "client_id", clientID, "err", err)
			s.writeJSON(w, http.StatusServiceUnavailable, oauthError{fapi.OAuthServerError, "the server is busy; try again later"})
			return
		case !fresh:
			s.log.Info("token refused", "client_id", clientID, "reason", "client assertion replayed")
			s.tokenError(w, fapi.OAuthInvalidClient, "the client assertion has already been used (jti replay)")
			return
		}
	}

	access, err := randomToken()
	if err != nil {
		s.log.Error("access token", "err", err)
		s.writeJSON(w, http.StatusInternalServerError, oauthError{fapi.OAuthServerError, "the access token could not be generated"})
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
		s.writeJSON(w, http.StatusServiceUnavailable, oauthError{fapi.OAuthServerError, "the server is busy; try again later"})
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
			s.writeJSON(w, http.StatusInternalServerError, oauthError{fapi.OAuthServerError, "the ID token could not be signed"})
			return
		}
	}
	s.log.Info("token issued", "client_id", clientID, "profile", report.Profile, "scope", ac.Scope,
		"certificate_bound", tk.CertificateThumbprint != "")
	s.writeJSON(w, http.StatusOK, resp)
}

// refuseToken answers with the violation the library put first: its
// Error and, as error_description, its Description (the Message escaped
// to the grammar of RFC 6749 §5.2).
func (s *Server) refuseToken(w http.ResponseWriter, clientID string, report *fapi.Report, v fapi.Violation) {
	s.log.Info("token refused", "client_id", clientID, "profile", report.Profile, "violations", report.Codes())
	s.tokenError(w, v.Error, v.Description())
}

// tokenError writes an error response (RFC 6749 §5.2): 401 with a
// WWW-Authenticate challenge for invalid_client, 400 otherwise. desc goes
// through fapi.EscapeDescription, which leaves a violation's Description
// unchanged; an empty desc omits error_description.
func (s *Server) tokenError(w http.ResponseWriter, code, desc string) {
	status := http.StatusBadRequest
	if code == fapi.OAuthInvalidClient {
		status = http.StatusUnauthorized
		// No HTTP authentication scheme covers assertion or mTLS client
		// authentication; the challenge names the realm, as is common.
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
	}
	if code == fapi.OAuthServerError {
		status = http.StatusInternalServerError
	}
	s.writeJSON(w, status, oauthError{Error: code, ErrorDescription: fapi.EscapeDescription(desc)})
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

// bearerToken extracts the token of an "Authorization: Bearer" header
// (RFC 6750 §2.1).
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
