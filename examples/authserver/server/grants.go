package server

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// grantRecords are the server's records of the grant a token request
// presents: the code or the refresh token, nil when it knows none (or the
// grant type has no record), and the grant they belong to.
type grantRecords struct {
	code    *authCode
	refresh *refreshToken
	grant   string
}

// findGrant looks up the record of the code or refresh token presented
// and puts the library's part into tr. A code or token the server does not
// know leaves the record nil: the library then refuses the request
// (code.record_missing, refresh_token.record_missing: invalid_grant),
// after judging the client's authentication, so that an unauthenticated
// caller learns nothing about it. Only an error of the State is an error.
func (s *Server) findGrant(ctx context.Context, form url.Values, tr *fapi.TokenRequest, now time.Time) (grantRecords, error) {
	var g grantRecords
	switch form.Get("grant_type") {
	case fapi.GrantTypeAuthorizationCode:
		code := form.Get("code")
		if code == "" {
			return g, nil
		}
		var ac authCode
		err := getJSON(ctx, s.state, stateKey(kindCode, code), &ac, now)
		switch {
		case errors.Is(err, ErrNotFound):
			return g, nil
		case err != nil:
			return g, err
		}
		g.code, g.grant = &ac, ac.Grant
		tr.Authorization = &ac.Record
	case fapi.GrantTypeRefreshToken:
		token := form.Get("refresh_token")
		if token == "" {
			return g, nil
		}
		var rt refreshToken
		err := getJSON(ctx, s.state, stateKey(kindRefresh, token), &rt, now)
		switch {
		case errors.Is(err, ErrNotFound):
			return g, nil
		case err != nil:
			return g, err
		}
		gone, err := revoked(ctx, s.state, rt.Grant, now)
		if err != nil {
			return g, err
		}
		if gone {
			return g, nil // a revoked grant's refresh token is unknown
		}
		g.refresh, g.grant = &rt, rt.Grant
		tr.Refresh = &rt.Record
	}
	return g, nil
}

// tokenPolicy applies what the server adds to the library's judgement of
// an accepted token request, and returns an OAuth error and description,
// or "":
//
//   - a client registered for FAPI is held to FAPI: a request that no FAPI
//     profile applied to (Report.FAPI false: no FAPI scope asked for) is
//     refused, so that leaving the FAPI scope out cannot lower the rules;
//   - codes live CodeLifetime under every profile (RFC 6749 §4.1.2; the
//     library enforces the 60 s of FAPI2-SP-5.3.2.1-11 itself);
//   - a client_credentials scope must be one the server defines.
func (s *Server) tokenPolicy(c *client, tok *fapi.TokenResult, g grantRecords, form url.Values, now time.Time) (string, string) {
	if c.fapi && !tok.FAPI() {
		return fapi.OAuthInvalidScope, fmt.Sprintf("client %s is registered for FAPI: the request must be for the %s scope, which selects %s", truncate(c.reg.Client.ClientID, 64), FAPIScope, s.profile)
	}
	if g.code != nil && !now.Before(g.code.Record.IssuedAt.Add(CodeLifetime)) {
		return fapi.OAuthInvalidGrant, "the authorization code has expired"
	}
	if form.Get("grant_type") == fapi.GrantTypeClientCredentials {
		// The library keeps a registered scope's client within it; a
		// client that registered none may ask for any scope (RFC 7591 §2),
		// but only for one this server defines (RFC 6749 §4.4.2, §5.2),
		// as at the authorization endpoint (authorizationPolicy).
		requested, err := scope.Parse(form.Get("scope"))
		if err != nil {
			return fapi.OAuthInvalidScope, "the scope parameter is malformed"
		}
		for _, sc := range requested {
			if !s.scopeDefined(sc) {
				return fapi.OAuthInvalidScope, fmt.Sprintf("scope %q is not defined by this server", truncate(sc, 64))
			}
		}
	}
	return "", ""
}

// issueTokens issues the access token (and for the code grant a refresh
// token when the client registered that grant, and an ID token when openid
// was granted) and records them in the State.
//
// Binding (RFC 8705 §3, RFC 9449 §6): the token is DPoP-bound when the
// request carried a DPoP proof the library verified (cnf jkt), and
// certificate-bound (cnf x5t#S256) when the client registered
// tls_client_certificate_bound_access_tokens, authenticates with mTLS, or
// the profile requires sender-constrained tokens and there is no proof
// (FAPI-RW-5.2.2-5, FAPI1-ADV-5.2.2-5, FAPI2-SP-5.3.2.1-4). A token bound
// both ways is checked both ways at the resource.
func (s *Server) issueTokens(ctx context.Context, c *client, tok *fapi.TokenResult, g grantRecords, form url.Values, now time.Time) (*tokenResponse, error) {
	reg := &c.reg.Client
	jkt := tok.DPoPThumbprint
	x5t := ""
	if tok.CertificateThumbprint != "" {
		method := authMethodOf(reg)
		if reg.TLSClientCertificateBoundAccessTokens || method == profile.AuthTLSClient || method == profile.AuthSelfSignedTLSClient ||
			(jkt == "" && requiresBinding(tok.Profiles)) {
			x5t = tok.CertificateThumbprint
		}
	}

	at := AccessToken{
		ClientID:              reg.ClientID,
		TokenType:             fapi.SchemeBearer,
		Expires:               now.Add(AccessTokenLifetime),
		CertificateThumbprint: x5t,
		DPoPJKT:               jkt,
	}
	if jkt != "" {
		at.TokenType = fapi.SchemeDPoP // RFC 9449 §5
	}
	var refresh, idTok string
	switch form.Get("grant_type") {
	case fapi.GrantTypeAuthorizationCode:
		if g.code == nil {
			return nil, errors.New("an authorization_code grant passed the checks without its record")
		}
		at.Subject, at.Scope, at.Grant = g.code.Subject, g.code.Record.Scope, g.code.Grant
		if slices.Contains(reg.GrantTypes, fapi.GrantTypeRefreshToken) {
			var err error
			if refresh, err = randomToken(); err != nil {
				return nil, err
			}
			rt := refreshToken{
				Record: fapi.RefreshRecord{
					ClientID:              reg.ClientID,
					Scope:                 at.Scope,
					ExpiresAt:             now.Add(RefreshTokenLifetime),
					DPoPJKT:               jkt,
					CertificateThumbprint: x5t,
				},
				Subject: at.Subject,
				Grant:   at.Grant,
			}
			if err := putJSON(ctx, s.state, stateKey(kindRefresh, refresh), rt, rt.Record.ExpiresAt, now); err != nil {
				return nil, err
			}
		}
	case fapi.GrantTypeRefreshToken:
		// No rotation (FAPI2-SP-5.3.2.1-9 advises against it): the client
		// keeps its refresh token. The scope is what it asked for, within
		// the granted one (the library checked), or the granted one.
		if g.refresh == nil {
			return nil, errors.New("a refresh_token grant passed the checks without its record")
		}
		at.Subject, at.Scope, at.Grant = g.refresh.Subject, g.refresh.Record.Scope, g.refresh.Grant
		if sc := form.Get("scope"); sc != "" {
			at.Scope = sc
		}
	case fapi.GrantTypeClientCredentials:
		at.Scope = form.Get("scope")
		if at.Scope == "" {
			at.Scope = reg.Scope
		}
		var err error
		if at.Grant, err = randomToken(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("grant type %q passed the checks", truncate(form.Get("grant_type"), 64))
	}

	access, err := randomToken()
	if err != nil {
		return nil, err
	}
	if err := putJSON(ctx, s.state, stateKey(kindAccess, access), at, at.Expires, now); err != nil {
		return nil, err
	}
	if g.code != nil {
		if scopes, _ := scope.Parse(at.Scope); scope.Contains(scopes, "openid") {
			t := s.newIDToken(reg.ClientID, g.code, now)
			t.ATHash = leftHalfHash(access)
			if idTok, err = s.signIDToken(reg.IDTokenSignedResponseAlg, t); err != nil {
				return nil, err
			}
		}
	}
	return &tokenResponse{
		AccessToken:  access,
		TokenType:    at.TokenType,
		ExpiresIn:    int64(AccessTokenLifetime / time.Second),
		Scope:        at.Scope,
		RefreshToken: refresh,
		IDToken:      idTok,
	}, nil
}

// requiresBinding reports whether any of the profiles requires
// sender-constrained access tokens: FAPI 1.0 ID2 read-write
// (FAPI-RW-5.2.2-5), FAPI 1.0 Advanced (FAPI1-ADV-5.2.2-5) and FAPI 2.0
// (FAPI2-SP-5.3.2.1-4).
func requiresBinding(ps profile.Set) bool {
	return ps.Has(profile.FAPI1ReadWrite) || ps.Has(profile.FAPI1Advanced) ||
		ps.Has(profile.FAPI2Security) || ps.Has(profile.FAPI2MessageSigning)
}
