package fapi

import (
	"context"
	"crypto/x509"
	"errors"
	"time"

	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/pkce"
	"github.com/fapicheck/fapicheck/profile"
)

// The grant types CheckTokenRequest checks; any other is refused with
// grant_type.unsupported.
const (
	// GrantTypeAuthorizationCode is the authorization code grant (RFC 6749
	// §4.1.3).
	GrantTypeAuthorizationCode = "authorization_code"
	// GrantTypeRefreshToken is the refresh token grant (RFC 6749 §6).
	GrantTypeRefreshToken = "refresh_token"
	// GrantTypeClientCredentials is the client credentials grant (RFC 6749
	// §4.4).
	GrantTypeClientCredentials = "client_credentials"
)

// hmacAlgs are the algorithms of client_secret_jwt (OIDC Core §9).
var hmacAlgs = []string{"HS256", "HS384", "HS512"}

// asymmetricAlgs are accepted for private_key_jwt where the profile does not
// restrict algorithms; "none" and HMAC are never among them.
var asymmetricAlgs = []string{"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "EdDSA"}

// CheckTokenRequest checks a token request at time now. Every grant gets
// the grant-type rules (the library checks authorization_code,
// refresh_token and client_credentials; a client uses only the grants it
// registered, RFC 7591 §2), client authentication (method, client
// assertion, TLS client certificate) and sender-constraining (the TLS
// client certificate or a DPoP proof, and their binding to what the grant
// is already bound to). Then, by grant:
//
//   - authorization_code: the code's record — client, redirect_uri, age
//     and the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.6);
//   - refresh_token: the refresh token's record — client, expiry,
//     rotation and reuse, the requested scope within the granted one, the
//     same certificate or DPoP key (RFC 6749 §6, RFC 8705 §4, RFC 9449 §5,
//     RFC 9700 §4.14.2);
//   - client_credentials: a confidential client, the requested scope
//     within the client's registered one (RFC 6749 §4.4, RFC 7591 §2).
//
// The profile is chosen from the scope in the grant's record (joined, for
// refresh_token, with the requested scope), or for client_credentials from
// the requested scope; when there is none, from the client's registered
// scope, or else every profile the service offers. Under profile none (no
// FAPI scope) the checks of plain OAuth 2.0 still run.
//
// It does not check DPoP server nonces (RFC 9449 §8; see
// CheckPushedAuthorizationRequest): use a Checker with WithDPoPNonces.
func CheckTokenRequest(svc *Service, pc *PreparedClient, r *TokenRequest, now time.Time) TokenResult {
	ck := transientChecker(svc)
	return ck.Token(context.Background(), pc, r, now)
}

func checkToken(ck *Checker, pc *PreparedClient, r *TokenRequest, now time.Time) builder {
	b := newBuilder("token")
	r = withTLSCertificate(r, func(r *TokenRequest) **x509.Certificate { return &r.ClientCertificate })
	v, ok := beginRequest(&b, ck, pc, now)
	if !ok {
		return b
	}
	c := &pc.cfg
	params := r.Params

	// The grant's scope decides, after its syntax is checked as at the
	// authorization endpoint (a malformed one is held to every profile the
	// service offers); without one, the client's registration does.
	gt := params.Get("grant_type")
	d, err := v.decideScopes(&b, c, grantScopes(gt, r)...)
	rules, ok := decide(&b, d, err)
	if !ok {
		return b
	}
	// Under profile none the plain OAuth 2.0 rules still run: the grant
	// type, client authentication with the registered method, the binding
	// the grant already has, and the code's record (RFC 6749 §4.1.3,
	// RFC 7636 §4.6).
	checkClientForRequest(&b, v, pc, rules)
	checkDuplicates(&b, params)

	known := checkGrantType(&b, v.svc, c, params)

	endpoint := r.URL
	if endpoint == "" {
		endpoint = v.svc.TokenEndpoint
	}
	before := len(b.r.Violations)
	mtlsAuth := checkClientAuthentication(&b, v, pc, rules, authInput{params: params, cert: r.ClientCertificate, endpoint: endpoint, basic: r.BasicAuth}, now)
	authenticated := len(b.r.Violations) == before
	b.dpopJKT = checkBinding(&b, v, pc, rules, bindingInput{
		cert: r.ClientCertificate, mtlsAuth: mtlsAuth, dpop: r.DPoP,
		method: r.Method, url: endpoint, record: grantBinding(gt, r),
	}, now)
	if r.ClientCertificate != nil {
		b.certThumbprint = mtls.Thumbprint(r.ClientCertificate)
	}
	switch {
	case gt == GrantTypeRefreshToken:
		checkRefreshGrant(&b, v.svc, c, rules, r, params, now)
	case gt == GrantTypeClientCredentials:
		checkClientCredentialsGrant(&b, c, params)
	case gt == GrantTypeAuthorizationCode || !known:
		// An unknown grant is refused already; its request is still held
		// to the code grant's rules, so that nothing is learnt from which
		// rules ran.
		if code := params.Get("code"); code == "" {
			b.add(CodeCodeMissing, "code", "", "the token request has no code")
		} else {
			// RFC 6749 §4.1.2: a code is used once; a second use revokes
			// what the first issued.
			b.uses = append(b.uses, pendingUse{
				use:  onetime.Use{Key: onetime.Key(onetime.KindCode, code), Until: now.Add(codeHold(v.svc))},
				code: CodeCodeReused, field: "code", what: "the authorization code", revoke: true,
			})
		}
		checkGrant(&b, c, rules, r, params, now, v.skew, codeHold(v.svc))
	}
	if !authenticated {
		// A request that did not authenticate the client never revokes
		// its grant (RFC 9700 §4.14.2 speaks of the client's reuse).
		b.revokeGrant = false
	}
	return b
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
// redirect_uri (RFC 6749 §4.1.3), its age (the profile's code lifetime,
// and never more than hold, how long a redeemed code is remembered) and
// PKCE (RFC 7636 §4.5, §4.6).
func checkGrant(b *builder, c *Client, rules *profile.Requirements, r *TokenRequest, params Params, now time.Time, skew, hold time.Duration) {
	rec := r.Authorization
	if rec == nil {
		b.add(CodeCodeRecordMissing, "authorization", "", "the code is not known: there is no record of the authorization it was issued for (the server passed none to the check), so it cannot be redeemed")
		return
	}
	switch {
	case rec.ClientID == "":
		b.add(CodeCodeRecordIncomplete, "authorization.client_id", "", "the authorization record has no client_id, so the code cannot be bound to the client")
	case rec.ClientID != c.ClientID:
		b.add(CodeCodeClientMismatch, "code", "", "the code was issued to client %q, not %q", rec.ClientID, c.ClientID)
	}
	if rec.RedirectURI == "" && rules.Profile.IsFAPI() {
		// Every FAPI authorization request carries redirect_uri
		// (FAPI-R-5.2.2-9), so the record must hold it.
		b.add(CodeCodeRecordIncomplete, "authorization.redirect_uri", "", "the authorization record has no redirect_uri, though every FAPI authorization request carries one")
	}
	if rules.CodeLifetime.Value > 0 {
		switch {
		case rec.IssuedAt.IsZero():
			b.add(CodeCodeRecordIncomplete, "authorization.issued_at", rules.CodeLifetime.Clause, "the authorization record has no issued_at, so the code's age (at most %s) cannot be checked", rules.CodeLifetime.Value)
		case rec.IssuedAt.After(now.Add(skew)):
			b.add(CodeCodeRecordIncomplete, "authorization.issued_at", rules.CodeLifetime.Clause, "the code's issued_at %s is in the future (now %s)", rec.IssuedAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		case now.Sub(rec.IssuedAt) > rules.CodeLifetime.Value:
			b.add(CodeCodeExpired, "code", rules.CodeLifetime.Clause, "the code was issued at %s, more than %s before now (%s)",
				rec.IssuedAt.UTC().Format(time.RFC3339), rules.CodeLifetime.Value, now.UTC().Format(time.RFC3339))
		}
	}
	if !rec.IssuedAt.IsZero() && now.Sub(rec.IssuedAt) > hold && !b.r.has(CodeCodeExpired) {
		// RFC 6749 §4.1.2: a code is used once. A redeemed code is held
		// in the one-time-use store (or the caller's record of
		// OneTimeUses) for hold only, so an older code could be redeemed
		// again unnoticed: it is refused whatever the profile's own code
		// lifetime (none outside FAPI 2.0).
		b.add(CodeCodeExpired, "code", "RFC6749-4.1.2", "the code was issued at %s, more than %s before now (%s), longer than a redeemed code is remembered",
			rec.IssuedAt.UTC().Format(time.RFC3339), hold, now.UTC().Format(time.RFC3339))
	}
	if got := params.Get("redirect_uri"); rec.RedirectURI != "" && got != rec.RedirectURI {
		switch {
		case !params.Has("redirect_uri"):
			b.add(CodeRedirectURIMismatch, "redirect_uri", "", "the authorization request had redirect_uri %q, but the token request has none", rec.RedirectURI)
		default:
			b.add(CodeRedirectURIMismatch, "redirect_uri", "", "redirect_uri %q differs from %q in the authorization request", got, rec.RedirectURI)
		}
	}
	checkGrantPKCE(b, c, rules, rec, params)
}

// checkGrantPKCE checks the code_verifier against the challenge of the
// authorization (RFC 7636 §4.6), where the profile requires PKCE and where
// it does not (RFC 9700 §4.8.2: no verifier for a code without challenge).
func checkGrantPKCE(b *builder, c *Client, rules *profile.Requirements, rec *AuthorizationRecord, params Params) {
	required := rules.PKCE.Value == profile.PKCEAllClients || (rules.PKCE.Value == profile.PKCEPublicClients && isPublic(c))
	if rec.CodeChallenge == "" {
		if required {
			b.addError(CodePKCEChallengeMissing, "authorization.code_challenge", rules.PKCE.Clause, OAuthInvalidGrant,
				"%s requires PKCE, but the authorization had no code_challenge", rules.Label())
		}
		if params.Has("code_verifier") {
			// RFC 9700 §4.8.2: a verifier for a code issued without a
			// challenge is a PKCE downgrade attempt.
			b.add(CodePKCEVerifierUnexpected, "code_verifier", "",
				"a code_verifier was sent, but the authorization had no code_challenge")
		}
		return
	}
	method := rec.CodeChallengeMethod
	if method == "" {
		method = pkce.MethodPlain // RFC 7636 §4.3
	}
	if rules.PKCEMethods.Value != nil && !has(rules.PKCEMethods.Value, method) {
		b.addError(CodePKCEMethodNotS256, "authorization.code_challenge_method", rules.PKCE.Clause, OAuthInvalidGrant,
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
		// An unsupported method is a broken record: nothing can verify.
		b.addError(CodePKCEVerifierMismatch, "code_verifier", "", OAuthInvalidGrant, "code_verifier cannot be verified: %v", err)
	}
}
