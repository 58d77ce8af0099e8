package fapi

import (
	"time"

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// refreshHold is how long a rotated refresh token without an expiry is
// remembered.
const refreshHold = 365 * 24 * time.Hour

// grantScopes are the scope values that choose a token request's profile.
// The code grant has its authorization record's; the refresh grant the
// refresh token's granted scope and the requested one together, so that
// asking for less can never drop the rules of what was granted; the client
// credentials grant the requested scope (RFC 6749 §4.4.2). An empty list
// leaves the decision to the client's registered scope (decideScopes).
func grantScopes(gt string, r *TokenRequest) []scopeValue {
	switch gt {
	case GrantTypeRefreshToken:
		granted := ""
		if r.Refresh != nil {
			granted = r.Refresh.Scope
		}
		return []scopeValue{
			{field: "refresh.scope", where: " in the refresh token's record", value: granted},
			{field: "scope", value: r.Params.Get("scope")},
		}
	case GrantTypeClientCredentials:
		return []scopeValue{{field: "scope", value: r.Params.Get("scope")}}
	}
	recScope := ""
	if r.Authorization != nil {
		recScope = r.Authorization.Scope
	}
	return []scopeValue{{field: "authorization.scope", where: " in the authorization record", value: recScope}}
}

// grantBinding is what the grant is already bound to, for checkBinding:
// the code's authorization record, the refresh token's binding, or nothing
// for client credentials (the certificate or DPoP key of the request is
// what the new token will be bound to).
func grantBinding(gt string, r *TokenRequest) *AuthorizationRecord {
	switch gt {
	case GrantTypeRefreshToken:
		if r.Refresh == nil {
			return nil
		}
		return &AuthorizationRecord{DPoPJKT: r.Refresh.DPoPJKT, CertificateThumbprint: r.Refresh.CertificateThumbprint}
	case GrantTypeClientCredentials:
		return nil
	}
	return r.Authorization
}

// checkGrantType checks grant_type: present, one the library checks and
// the service offers (RFC 8414 §2: grant_types_supported, whose absence
// means authorization_code and implicit), and one the client registered
// (RFC 7591 §2: an absent grant_types means authorization_code only;
// unauthorized_client, RFC 6749 §5.2). It reports whether the grant type is
// one the library checks.
func checkGrantType(b *builder, svc *Service, c *Client, params Params) bool {
	gt := params.Get("grant_type")
	switch gt {
	case GrantTypeAuthorizationCode, GrantTypeRefreshToken, GrantTypeClientCredentials:
	default:
		if !params.Has("grant_type") {
			b.add(CodeGrantTypeMissing, "grant_type", "", "the token request has no grant_type")
		} else {
			b.add(CodeGrantTypeUnsupported, "grant_type", "RFC6749-5.2",
				"grant_type %q is not supported here; the grants checked are authorization_code, refresh_token and client_credentials", truncate(gt, 64))
		}
		return false
	}
	offered := svc.GrantTypesSupported
	if len(offered) == 0 {
		offered = []string{GrantTypeAuthorizationCode, "implicit"} // RFC 8414 §2
	}
	if !has(offered, gt) {
		b.add(CodeGrantTypeUnsupported, "grant_type", "RFC8414-2",
			"grant_type %s is not in the service's grant_types_supported %s", gt, quoteList(svc.GrantTypesSupported))
	}
	registered := c.GrantTypes
	if len(registered) == 0 {
		registered = []string{GrantTypeAuthorizationCode} // RFC 7591 §2
	}
	if !has(registered, gt) {
		b.add(CodeGrantTypeUnregistered, "grant_type", "RFC7591-2",
			"the client registered the grant types %s, not %s", quoteList(registered), gt)
	}
	return true
}

// checkRefreshGrant checks a refresh_token grant (RFC 6749 §6) against the
// refresh token's record: the token is the client's, unexpired, not a
// rotated token presented again (RFC 9700 §4.14.2), and the requested
// scope is within the granted one. The binding (RFC 8705 §4, RFC 9449 §5)
// is checked by checkBinding with the record's thumbprints.
func checkRefreshGrant(b *builder, svc *Service, c *Client, rules *profile.Requirements, r *TokenRequest, params Params, now time.Time) {
	if params.Get("refresh_token") == "" {
		b.add(CodeRefreshTokenMissing, "refresh_token", "", "the refresh_token grant request has no refresh_token")
	}
	rec := r.Refresh
	if rec == nil {
		b.add(CodeRefreshRecordMissing, "refresh", "", "the refresh token is not known: there is no record of it (the server passed none to the check), so it cannot be used")
		return
	}
	switch {
	case rec.ClientID == "":
		b.add(CodeRefreshRecordIncomplete, "refresh.client_id", "", "the refresh token's record has no client_id, so the token cannot be bound to the client")
	case rec.ClientID != c.ClientID:
		b.add(CodeRefreshTokenClientMismatch, "refresh_token", "", "the refresh token was issued to client %q, not %q", rec.ClientID, c.ClientID)
	}
	unbound := rec.DPoPJKT == "" && rec.CertificateThumbprint == ""
	switch {
	case unbound && rules.RefreshBinding.Applies():
		b.add(CodeRefreshRecordIncomplete, "refresh.certificate_thumbprint", rules.RefreshBinding,
			"%s issues only holder-of-key refresh tokens, but the refresh token's record names no certificate or DPoP key it is bound to", rules.Label())
	case unbound && isPublic(c) && !svc.RefreshTokenRotation:
		// RFC 9700 §4.14.2: a public client's refresh token is either
		// sender-constrained or rotated; RFC 9449 §5 binds it to the DPoP
		// key.
		b.add(CodeRefreshTokenUnconstrained, "refresh", "",
			"the public client's refresh token is neither bound to a key nor rotated (the service does not rotate refresh tokens)")
	}
	if !rec.ExpiresAt.IsZero() && !now.Before(rec.ExpiresAt) {
		b.add(CodeRefreshTokenExpired, "refresh_token", "", "the refresh token expired at %s (now %s)",
			rec.ExpiresAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if tok := params.Get("refresh_token"); tok != "" && svc.RefreshTokenRotation && svc.RefreshTokenReuseInterval <= 0 {
		// Rotation without a retry interval: the token works once, and
		// the store makes that atomic across concurrent requests, which
		// the record's rotated_at alone cannot (RFC 9700 §4.14.2).
		until := rec.ExpiresAt
		if until.IsZero() || !until.After(now) {
			until = now.Add(refreshHold)
		}
		b.uses = append(b.uses, pendingUse{
			use:  onetime.Use{Key: onetime.Key(onetime.KindRefreshToken, tok), Until: until},
			code: CodeRefreshTokenReused, field: "refresh_token", what: "the rotated refresh token", revoke: true,
		})
	}
	if !rec.RotatedAt.IsZero() {
		// A rotated token works again only within the retry interval, and
		// only once its rotation is in the past: a rotation time ahead of
		// now is a broken record, never a longer interval.
		grace := svc.RefreshTokenReuseInterval.Duration()
		if !svc.RefreshTokenRotation || grace <= 0 || now.Before(rec.RotatedAt) || now.Sub(rec.RotatedAt) > grace {
			b.add(CodeRefreshTokenReused, "refresh_token", "",
				"the refresh token was rotated at %s and presented again: revoke the tokens of its grant", rec.RotatedAt.UTC().Format(time.RFC3339))
			// Only a token of this client revokes its grant: another
			// client's stale token must not revoke a victim's grant.
			b.revokeGrant = rec.ClientID == c.ClientID
		}
	}
	// A malformed requested scope is reported by the profile decision; a
	// malformed granted one grants nothing.
	if asked, err := scope.Parse(params.Get("scope")); err == nil {
		granted, _ := scope.Parse(rec.Scope)
		for _, s := range asked {
			if !scope.Contains(granted, s) {
				b.add(CodeRefreshScopeExceeded, "scope", "", "scope %q was not granted with the refresh token (granted: %q)", truncate(s, 64), truncate(rec.Scope, 128))
				break
			}
		}
	}
}

// checkClientCredentialsGrant checks a client_credentials grant (RFC 6749
// §4.4): only a confidential client may use it, and the requested scope
// lies within the client's registered scope (RFC 7591 §2) when it has one.
func checkClientCredentialsGrant(b *builder, c *Client, params Params) {
	if isPublic(c) {
		b.add(CodeClientCredentialsPublicClient, "grant_type", "", "client %q is a public client; the client_credentials grant is for confidential clients only", c.ClientID)
	}
	asked, err := scope.Parse(params.Get("scope"))
	if err != nil || c.Scope == "" {
		return // a malformed scope is reported by the profile decision
	}
	registered, _ := scope.Parse(c.Scope)
	for _, s := range asked {
		if !scope.Contains(registered, s) {
			b.add(CodeScopeNotRegistered, "scope", "", "scope %q is not among the client's registered scope %q", truncate(s, 64), truncate(c.Scope, 128))
			return
		}
	}
}
