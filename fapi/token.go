package fapi

import (
	"errors"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/pkce"
	"github.com/fapicheck/fapicheck/profile"
)

// GrantTypeAuthorizationCode is the only grant CheckTokenRequest handles.
const GrantTypeAuthorizationCode = "authorization_code"

// hmacAlgs are the algorithms of client_secret_jwt (OIDC Core §9).
var hmacAlgs = []string{"HS256", "HS384", "HS512"}

// asymmetricAlgs are accepted for private_key_jwt where the profile does not
// restrict algorithms; "none" and HMAC are never among them.
var asymmetricAlgs = []string{"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "EdDSA"}

// CheckTokenRequest checks an authorization_code grant request at time now:
// the grant type, client authentication (method, client assertion, TLS
// client certificate), certificate binding, and the code's grant record —
// client, redirect_uri and the PKCE verifier (DESIGN.md, "The two seed
// profiles", row "token request").
//
// The profile is chosen from the scope in the grant record, or, when the
// record has none, from the client's registered scope, or else the
// strictest profile the service offers.
func CheckTokenRequest(svc *Service, pc *PreparedClient, r *TokenRequest, now time.Time) Report {
	var b builder
	b.r.Profile = profile.None
	if svc == nil {
		svc = &Service{}
	}
	if r == nil {
		r = &TokenRequest{}
	}
	if r.ClientCertificate != nil && len(r.ClientCertificate.Raw) == 0 {
		// A certificate without its DER encoding was not received over TLS
		// and has no thumbprint to bind tokens to.
		rc := *r
		rc.ClientCertificate = nil
		r = &rc
	}
	v, ok := beginRequest(&b, svc, pc, now)
	if !ok {
		return b.r
	}
	c := &pc.cfg
	params := r.Params

	var d profile.Decision
	var err error
	switch {
	case r.Authorization != nil && r.Authorization.Scope != "":
		// Split leniently, as at the authorization endpoint: a malformed
		// value must not hide a FAPI scope.
		d, err = profile.Resolve(v.settings(c), strings.Fields(r.Authorization.Scope))
	case c.Scope != "":
		d, err = profile.Resolve(v.settings(c), strings.Fields(c.Scope))
	default:
		d, err = profile.Offered(v.settings(c))
	}
	req, ok := decide(&b, d, err)
	if !ok {
		return b.r
	}
	checkClientForRequest(&b, v, pc, req)
	checkDuplicates(&b, params)

	switch gt := params.Get("grant_type"); {
	case !params.Has("grant_type"):
		b.add(CodeGrantTypeMissing, "grant_type", "", "the token request has no grant_type")
	case gt != GrantTypeAuthorizationCode:
		b.add(CodeGrantTypeUnsupported, "grant_type", "", "grant_type %q is not supported here; only authorization_code is", gt)
	}
	if params.Get("code") == "" {
		b.add(CodeCodeMissing, "code", "", "the token request has no code")
	}

	mtlsAuth := checkClientAuthentication(&b, svc, pc, req, r, v, now)

	// Certificate-bound access tokens (FAPI-RW-5.2.2-5, RFC 8705 §3): the
	// token request must come with the certificate the tokens will be bound
	// to. DESIGN: invalid_client when the client authenticates with mTLS,
	// invalid_grant otherwise.
	if (req.CertificateBoundTokens || c.TLSClientCertificateBoundAccessTokens) && r.ClientCertificate == nil && !mtlsAuth {
		b.addError(CodeMTLSCertificateMissing, "client_certificate", req.CertificateBoundRef, OAuthInvalidGrant,
			"access tokens must be bound to the client's TLS certificate, but the token request came without one")
	}

	checkGrant(&b, c, req, r, params)
	return b.r
}

// checkClientAuthentication checks how the client authenticated and
// reports whether it was (or should have been) by mTLS.
func checkClientAuthentication(b *builder, svc *Service, pc *PreparedClient, req profile.Requirements, r *TokenRequest, v serviceView, now time.Time) bool {
	c := &pc.cfg
	params := r.Params
	method := authMethod(c)
	public := isPublic(c)

	switch {
	case c.ClientType == "public" && method != profile.AuthNone:
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", req.ClientAuthRef,
			"a public client must use token_endpoint_auth_method none, not %q", method)
	case public && !req.PublicClients:
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", req.ClientAuthRef, "%s does not allow public clients", req.Profile)
	case !public && !has(req.ClientAuthMethods, method):
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", req.ClientAuthRef,
			"the client's authentication method %q is not allowed by %s", method, req.Profile)
	}
	if cid := params.Get("client_id"); params.Has("client_id") && cid != c.ClientID {
		b.add(CodeAuthnClientIDMismatch, "client_id", "", "client_id %q is not the authenticated client %q", cid, c.ClientID)
	}

	hasAssertion := params.Has("client_assertion") || params.Has("client_assertion_type")
	hasSecret := params.Has("client_secret")
	mismatch := func(what string) {
		b.add(CodeAuthnMethodMismatch, what, "", "the client is registered for %s but also sent %s; a client must use exactly one authentication method (RFC 6749 §2.3)", method, what)
	}

	switch method {
	case profile.AuthPrivateKeyJWT, profile.AuthClientSecretJWT:
		if hasSecret {
			mismatch("client_secret")
		}
		if !params.Has("client_assertion") {
			b.add(CodeClientAssertionMissing, "client_assertion", "", "the client authenticates with %s but sent no client_assertion", method)
			return false
		}
		rules := clientassertion.Rules{
			Type:            params.Get("client_assertion_type"),
			ClientAlgorithm: c.TokenEndpointAuthSigningAlg,
			ClientID:        c.ClientID,
			Audiences:       nonEmpty(svc.Issuer, svc.TokenEndpoint, svc.MTLSEndpointAliases["token_endpoint"]),
			ClockSkew:       v.skew,
			MaxSize:         svc.MaxRequestObjectSize,
			KeyMinimums:     req.KeyMinimums,
		}
		var errs []*clientassertion.Error
		if method == profile.AuthPrivateKeyJWT {
			rules.Algorithms = req.SigningAlgs
			if rules.Algorithms == nil {
				rules.Algorithms = asymmetricAlgs
			}
			if pc.keysErr != nil {
				b.add(CodeClientJWKSInvalid, "jwks", "", "the client's registered jwks cannot be used: %v", pc.keysErr)
			}
			_, errs = clientassertion.Verify(params.Get("client_assertion"), pc.keys, rules, now)
		} else {
			rules.Algorithms = hmacAlgs
			_, errs = clientassertion.VerifySecret(params.Get("client_assertion"), []byte(c.ClientSecret), rules, now)
		}
		for _, e := range errs {
			code := Code("client_assertion." + string(e.Reason))
			ref := ""
			switch e.Reason {
			case clientassertion.ReasonAlgNotAllowed:
				ref = req.SigningAlgRef
			case clientassertion.ReasonKeyTooSmall:
				ref = req.KeyRSARef
				if method == profile.AuthClientSecretJWT {
					ref = "FAPI-R-5.2.2-3"
				}
			}
			if _, known := codeIndex[code]; !known {
				code = CodeClientAssertionMalformed
			}
			field := e.Claim
			if field == "" {
				field = "client_assertion"
			}
			b.add(code, field, ref, "%s", e.Message)
		}
		return false

	case profile.AuthTLSClient, profile.AuthSelfSignedTLSClient:
		if hasAssertion {
			mismatch("client_assertion")
		}
		if hasSecret {
			mismatch("client_secret")
		}
		if !params.Has("client_id") {
			b.add(CodeClientIDMissing, "client_id", "RFC8705-2", "a client that authenticates with mTLS must send client_id")
		}
		cert := r.ClientCertificate
		if cert == nil {
			b.add(CodeMTLSCertificateMissing, "client_certificate", "RFC8705-2",
				"the client authenticates with %s, but the request came without a TLS client certificate", method)
			return true
		}
		var err error
		if method == profile.AuthTLSClient {
			err = mtls.MatchTLSClientAuth(cert, mtls.Identity{
				SubjectDN: c.TLSClientAuthSubjectDN, SANDNS: c.TLSClientAuthSANDNS, SANURI: c.TLSClientAuthSANURI,
				SANIP: c.TLSClientAuthSANIP, SANEmail: c.TLSClientAuthSANEmail,
			})
		} else {
			err = mtls.MatchSelfSigned(cert, pc.keys)
		}
		if err != nil {
			ref := "RFC8705-2.1.2"
			if method == profile.AuthSelfSignedTLSClient {
				ref = "RFC8705-2.2.2"
			}
			b.add(CodeMTLSCertificateMismatch, "client_certificate", ref, "the TLS client certificate does not authenticate the client: %v", err)
		}
		return true

	case profile.AuthNone:
		if hasAssertion {
			mismatch("client_assertion")
		}
		if hasSecret {
			mismatch("client_secret")
		}
		if !params.Has("client_id") {
			b.add(CodeClientIDMissing, "client_id", "RFC6749-4.1.3", "a public client must send client_id")
		}
	default:
		// client_secret_basic / client_secret_post are never FAPI methods;
		// the method violation above already refuses them. The secret is
		// not verified here.
	}
	return false
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// checkGrant checks the code's grant record: the client it was issued to,
// redirect_uri (RFC 6749 §4.1.3) and PKCE (RFC 7636 §4.5, §4.6).
func checkGrant(b *builder, c *Client, req profile.Requirements, r *TokenRequest, params Params) {
	rec := r.Authorization
	if rec == nil {
		b.add(CodeCodeRecordMissing, "authorization", "", "no record of the authorization the code was issued for was supplied, so the code cannot be checked")
		return
	}
	switch {
	case rec.ClientID == "":
		b.add(CodeCodeRecordIncomplete, "authorization.client_id", "", "the authorization record has no client_id, so the code cannot be bound to the client")
	case rec.ClientID != c.ClientID:
		b.add(CodeCodeClientMismatch, "code", "", "the code was issued to client %q, not %q", rec.ClientID, c.ClientID)
	}
	if rec.RedirectURI == "" {
		// Every FAPI authorization request carries redirect_uri
		// (FAPI-R-5.2.2-9), so the record must hold it.
		b.add(CodeCodeRecordIncomplete, "authorization.redirect_uri", "", "the authorization record has no redirect_uri, though every FAPI authorization request carries one")
	}
	if got := params.Get("redirect_uri"); rec.RedirectURI != "" && got != rec.RedirectURI {
		switch {
		case !params.Has("redirect_uri"):
			b.add(CodeRedirectURIMismatch, "redirect_uri", "", "the authorization request had redirect_uri %q, but the token request has none", rec.RedirectURI)
		default:
			b.add(CodeRedirectURIMismatch, "redirect_uri", "", "redirect_uri %q differs from %q in the authorization request", got, rec.RedirectURI)
		}
	}

	required := req.PKCE == profile.PKCEAllClients || (req.PKCE == profile.PKCEPublicClients && isPublic(c))
	if rec.CodeChallenge == "" {
		switch {
		case required:
			b.addError(CodePKCEChallengeMissing, "authorization.code_challenge", req.PKCERef, OAuthInvalidGrant,
				"%s requires PKCE, but the authorization had no code_challenge", req.Profile)
		case params.Has("code_verifier"):
			// RFC 9700 §4.8.2: a verifier for a code issued without a
			// challenge is a PKCE downgrade attempt.
			b.add(CodePKCEVerifierUnexpected, "code_verifier", "",
				"a code_verifier was sent, but the authorization had no code_challenge")
		}
		return
	}
	if rec.CodeChallengeMethod != pkce.MethodS256 {
		b.addError(CodePKCEMethodNotS256, "authorization.code_challenge_method", req.PKCERef, OAuthInvalidGrant,
			"the authorization used code_challenge_method %q; FAPI requires S256 (an absent method means plain)", rec.CodeChallengeMethod)
	}
	verifier := params.Get("code_verifier")
	if !params.Has("code_verifier") || verifier == "" {
		b.add(CodePKCEVerifierMissing, "code_verifier", "", "the authorization had a code_challenge, but the token request has no code_verifier")
		return
	}
	switch err := pkce.Verify(verifier, rec.CodeChallenge, rec.CodeChallengeMethod); {
	case err == nil:
	case errors.Is(err, pkce.ErrVerifierMalformed):
		b.add(CodePKCEVerifierMalformed, "code_verifier", "", "code_verifier is not 43–128 characters of [A-Za-z0-9-._~]")
	case errors.Is(err, pkce.ErrMismatch):
		b.add(CodePKCEVerifierMismatch, "code_verifier", "", "code_verifier does not match the code_challenge of the authorization")
	default:
		// An unsupported method is reported above as method_not_s256.
		if rec.CodeChallengeMethod == pkce.MethodS256 {
			b.add(CodePKCEVerifierMismatch, "code_verifier", "", "code_verifier cannot be verified: %v", err)
		}
	}
}
