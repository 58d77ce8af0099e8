package fapifosite

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// accessRequest is a token request the library checked: fosite's requester
// and the library's result.
type accessRequest struct {
	fosite.AccessRequester
	res fapi.TokenResult
	pc  *fapi.PreparedClient
	// refresh is the record of the refresh token presented (refresh_token
	// grant), to be marked rotated once fosite issued its successor.
	refresh      *refreshRecord
	refreshToken string
	// basic: the request authenticated with HTTP Basic.
	basic bool
	// accepted: fosite accepted the request too; only such a request
	// gets tokens (NewAccessResponse).
	accepted bool
}

// NewAccessRequest checks a token request (RFC 6749 §4.1.3, §6, §4.4) with
// the library — client authentication, the grant against the record the
// provider kept for the code or refresh token (client, redirect_uri, PKCE
// verifier, code age, scope, binding), and the DPoP proof or TLS client
// certificate the tokens will be bound to — and only then hands the request
// to fosite, whose client authentication answers with the client the
// library authenticated. A refusal is an *Error; for a reused code or
// rotated refresh token (fapi.TokenResult.RevokeGrant) the grant's tokens
// are revoked in fosite's storage first (RFC 6749 §4.1.2, RFC 9700
// §4.14.2).
func (p *Provider) NewAccessRequest(ctx context.Context, r *http.Request, session fosite.Session) (fosite.AccessRequester, error) {
	now := p.now()
	bare := &accessRequest{AccessRequester: fosite.NewAccessRequest(session), basic: triedBasic(r)}
	tr, err := p.reader.Token(r)
	if err != nil {
		return bare, readerRefusal(err)
	}
	id, err := clientID(tr.Params, tr.BasicAuth)
	if err != nil {
		return bare, fosite.ErrInvalidClient.WithHint("The request identifies no client.")
	}
	fc, pc, err := p.lookup(ctx, id)
	if err != nil {
		return bare, err
	}
	var requestID string
	switch tr.Params.Get("grant_type") {
	case fapi.GrantTypeAuthorizationCode:
		if code := tr.Params.Get("code"); code != "" {
			var rec codeRecord
			found, err := getRecord(ctx, p.records, now, kindCode, code, &rec)
			if err != nil {
				return bare, failure("The authorization code's record cannot be read.", err)
			}
			if found {
				tr.Authorization, requestID = &rec.Authorization, rec.RequestID
			}
		}
	case fapi.GrantTypeRefreshToken:
		if token := tr.Params.Get("refresh_token"); token != "" {
			var rec refreshRecord
			found, err := getRecord(ctx, p.records, now, kindRefresh, token, &rec)
			if err != nil {
				return bare, failure("The refresh token's record cannot be read.", err)
			}
			if found {
				tr.Refresh, requestID = &rec.Refresh, rec.RequestID
				bare.refresh, bare.refreshToken = &rec, token
			}
		}
	}
	res := p.checker.Token(ctx, pc, tr, now)
	bare.res = res
	if !res.OK() {
		e := refusal(res.Report, res.DPoPNonceHeader, bare.basic)
		if res.RevokeGrant && requestID != "" {
			e.RevokeErr = p.revoke(ctx, requestID)
		}
		return bare, e
	}
	if e := p.plainRefusal(pc, res.Report, res.DPoPNonceHeader, bare.basic); e != nil {
		return bare, e
	}
	setForm(r, url.Values(tr.Params))
	ar, err := p.inner.NewAccessRequest(withVerdict(ctx, r, fc), r, session)
	if ar == nil {
		ar = fosite.NewAccessRequest(session)
	}
	return &accessRequest{AccessRequester: ar, res: res, pc: pc, refresh: bare.refresh, refreshToken: bare.refreshToken, basic: bare.basic, accepted: err == nil}, err
}

// revoke revokes every token fosite issued for the request requestID.
func (p *Provider) revoke(ctx context.Context, requestID string) error {
	return errors.Join(p.storage.RevokeAccessToken(ctx, requestID), p.storage.RevokeRefreshToken(ctx, requestID))
}

// maxRecordLifetime is how long the record of a refresh token that never
// expires is kept.
const maxRecordLifetime = 10 * 365 * 24 * time.Hour

// NewAccessResponse is fosite's, for a request NewAccessRequest accepted,
// and then binds what it issued: a DPoP-bound access token is of type DPoP
// (RFC 9449 §5), and the provider keeps each token's record — the access
// token's binding (cnf jkt, RFC 9449 §6.1; cnf x5t#S256, RFC 8705 §3.1, for
// a client registered with tls_client_certificate_bound_access_tokens, and
// for every client where the profile requires sender-constrained tokens
// and no DPoP proof binds them) for AccessTokenRecord, and the refresh token's client, scope, expiry and, for
// a public client, binding (RFC 9449 §5, RFC 8705 §4) for the next refresh.
// The refresh token a refresh request presented is recorded as rotated,
// since fosite issues a new one every time: presented again it is refused
// as reused and its grant revoked.
func (p *Provider) NewAccessResponse(ctx context.Context, ar fosite.AccessRequester) (fosite.AccessResponder, error) {
	w, ok := ar.(*accessRequest)
	if !ok || w.pc == nil || !w.res.OK() || !w.accepted {
		return nil, failure("The token request was not accepted by this provider.", nil)
	}
	resp, err := p.inner.NewAccessResponse(ctx, w.AccessRequester)
	if err != nil {
		return resp, err
	}
	now := p.now()
	reg := w.pc.Config()
	// Public as the library reads the registration (RFC 6749 §2.1).
	public := reg.ClientType == "public" || reg.TokenEndpointAuthMethod == "none"
	grant := fosite.GrantTypeAuthorizationCode
	if w.refresh != nil {
		grant = fosite.GrantTypeRefreshToken
	}
	scope := strings.Join(w.GetGrantedScopes(), " ")
	access := fapi.AccessTokenRecord{TokenType: fapi.SchemeBearer, Scope: scope}
	if w.res.DPoPThumbprint != "" {
		access.TokenType, access.DPoPJKT = fapi.SchemeDPoP, w.res.DPoPThumbprint
		resp.SetTokenType(fapi.SchemeDPoP)
	}
	certBound := w.res.CertificateThumbprint != "" && (reg.TLSClientCertificateBoundAccessTokens ||
		w.res.DPoPThumbprint == "" && requiresBinding(w.res.Profiles))
	if certBound {
		access.CertificateThumbprint = w.res.CertificateThumbprint
	}
	if token := resp.GetAccessToken(); token != "" {
		// As long as fosite lets the token live: the client's lifespan
		// (fosite.ClientWithCustomTokenLifespans) or the configured one,
		// and never less than the expires_in answered.
		lifespan := fosite.GetEffectiveLifespan(w.GetClient(), grant, fosite.AccessToken, p.fcfg.GetAccessTokenLifespan(ctx))
		if in, ok := resp.GetExtra("expires_in").(int64); ok && time.Duration(in)*time.Second > lifespan {
			lifespan = time.Duration(in) * time.Second
		}
		until := now.Add(lifespan)
		rec := accessRecord{Access: access, ClientID: reg.ClientID, RequestID: w.GetID()}
		if err := putRecord(ctx, p.records, now, kindAccess, token, rec, until); err != nil {
			return nil, failure("The access token cannot be recorded.", err)
		}
	}
	if token, _ := resp.GetExtra("refresh_token").(string); token != "" {
		rec := refreshRecord{Refresh: fapi.RefreshRecord{ClientID: reg.ClientID, Scope: scope}, RequestID: w.GetID()}
		if public {
			rec.Refresh.DPoPJKT = w.res.DPoPThumbprint
			if certBound {
				rec.Refresh.CertificateThumbprint = w.res.CertificateThumbprint
			}
		}
		rec.Until = now.Add(maxRecordLifetime)
		if l := fosite.GetEffectiveLifespan(w.GetClient(), grant, fosite.RefreshToken, p.fcfg.GetRefreshTokenLifespan(ctx)); l >= 0 {
			rec.Refresh.ExpiresAt = now.Add(l)
			rec.Until = rec.Refresh.ExpiresAt
		}
		if err := putRecord(ctx, p.records, now, kindRefresh, token, rec, rec.Until); err != nil {
			return nil, failure("The refresh token cannot be recorded.", err)
		}
	}
	if w.refresh != nil {
		old := *w.refresh
		old.Refresh.RotatedAt = now
		if err := putRecord(ctx, p.records, now, kindRefresh, w.refreshToken, old, old.Until); err != nil {
			return nil, failure("The rotated refresh token cannot be recorded.", err)
		}
	}
	return resp, nil
}

// WriteAccessResponse is fosite's (RFC 6749 §5.1), with the DPoP-Nonce
// header when the Checker has a nonce source (RFC 9449 §8.2).
func (p *Provider) WriteAccessResponse(ctx context.Context, rw http.ResponseWriter, ar fosite.AccessRequester, resp fosite.AccessResponder) {
	inner := ar
	if w, ok := ar.(*accessRequest); ok {
		setNonce(rw, w.res.DPoPNonceHeader)
		inner = w.AccessRequester
	}
	p.inner.WriteAccessResponse(ctx, rw, inner, resp)
}

// WriteAccessError is fosite's (RFC 6749 §5.2), with the DPoP-Nonce
// header, which a use_dpop_nonce error requires (RFC 9449 §8), and, for
// invalid_client after HTTP Basic, the Basic challenge (RFC 6749 §5.2).
func (p *Provider) WriteAccessError(ctx context.Context, rw http.ResponseWriter, ar fosite.AccessRequester, err error) {
	inner, basic := ar, false
	if w, ok := ar.(*accessRequest); ok {
		setNonce(rw, w.res.DPoPNonceHeader)
		inner, basic = w.AccessRequester, w.basic
	}
	writeHeaders(rw, err, basic)
	p.inner.WriteAccessError(ctx, rw, inner, err)
}

// requiresBinding reports whether one of ps requires sender-constrained
// access tokens (FAPI-RW-5.2.2-5, FAPI1-ADV-5.2.2-5, FAPI2-SP-5.3.2.1-4):
// there the library accepts a token request without a DPoP proof only with
// a TLS client certificate, so the tokens must be bound to it.
func requiresBinding(ps profile.Set) bool {
	for p := range ps.Members() {
		if r, ok := p.Requirements(); ok && r.Binding.Value != profile.BindingNone {
			return true
		}
	}
	return false
}

// AccessTokenRecord returns the record of an access token the provider
// issued, for the resource check point (fapi.ResourceRequest.Token): its
// type, granted scope and binding (RFC 9449 §6.1, RFC 8705 §3.1), or nil
// when the provider knows no such token, or it expired. It does not say
// the token is still valid: revocation is fosite's (IntrospectToken).
func (p *Provider) AccessTokenRecord(ctx context.Context, token string) (*fapi.AccessTokenRecord, error) {
	var rec accessRecord
	found, err := getRecord(ctx, p.records, p.now(), kindAccess, token, &rec)
	if err != nil || !found {
		return nil, err
	}
	return &rec.Access, nil
}
