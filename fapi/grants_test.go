package fapi_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// plainGrantSetup is a plain OAuth 2.0 service and confidential client
// that use the refresh and client credentials grants.
func plainGrantSetup() (*fapi.Service, *fapi.PreparedClient) {
	svc, pc := plainSecretSetup()
	svc.GrantTypesSupported = []string{"authorization_code", "refresh_token", "client_credentials"}
	c := pc.Config()
	c.GrantTypes = []string{"authorization_code", "refresh_token", "client_credentials"}
	c.Scope = "openid profile"
	return svc, fapi.PrepareClient(c)
}

func refreshRequest(rec *fapi.RefreshRecord, extra ...string) *fapi.TokenRequest {
	r := plainTokenRequest(&fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"})
	r.Params = fapi.Params{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}}
	for i := 0; i+1 < len(extra); i += 2 {
		r.Params[extra[i]] = []string{extra[i+1]}
	}
	r.Authorization = nil
	r.Refresh = rec
	return r
}

func TestRefreshGrant(t *testing.T) {
	svc, pc := plainGrantSetup()
	rec := func() *fapi.RefreshRecord {
		return &fapi.RefreshRecord{ClientID: "c1", Scope: "openid profile", ExpiresAt: now.Add(time.Hour)}
	}
	tests := []struct {
		name   string
		svc    func(*fapi.Service)
		rec    func(*fapi.RefreshRecord) *fapi.RefreshRecord
		extra  []string
		want   []fapi.Code
		revoke bool
	}{
		{name: "valid"},
		{name: "narrower scope", extra: []string{"scope", "openid"}},
		{name: "wider scope", extra: []string{"scope", "openid profile email"}, want: []fapi.Code{fapi.CodeRefreshScopeExceeded}},
		{name: "no record", rec: func(*fapi.RefreshRecord) *fapi.RefreshRecord { return nil }, want: []fapi.Code{fapi.CodeRefreshRecordMissing}},
		{name: "other client", rec: func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.ClientID = "c2"; return r }, want: []fapi.Code{fapi.CodeRefreshTokenClientMismatch}},
		{name: "expires now", rec: func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.ExpiresAt = now; return r }, want: []fapi.Code{fapi.CodeRefreshTokenExpired}},
		{name: "no expiry", rec: func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.ExpiresAt = time.Time{}; return r }},
		{name: "rotated without rotation setting", rec: func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.RotatedAt = now.Add(-time.Second); return r },
			want: []fapi.Code{fapi.CodeRefreshTokenReused}, revoke: true},
		{name: "rotated, retried in time",
			svc: func(s *fapi.Service) { s.RefreshTokenRotation, s.RefreshTokenReuseInterval = true, 30 },
			rec: func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.RotatedAt = now.Add(-30 * time.Second); return r }},
		{name: "rotated, retried too late",
			svc:  func(s *fapi.Service) { s.RefreshTokenRotation, s.RefreshTokenReuseInterval = true, 30 },
			rec:  func(r *fapi.RefreshRecord) *fapi.RefreshRecord { r.RotatedAt = now.Add(-31 * time.Second); return r },
			want: []fapi.Code{fapi.CodeRefreshTokenReused}, revoke: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := *svc
			if tt.svc != nil {
				tt.svc(&s)
			}
			r := rec()
			if tt.rec != nil {
				r = tt.rec(r)
			}
			res := fapi.CheckTokenRequest(&s, pc, refreshRequest(r, tt.extra...), now)
			assert.Equal(t, profile.None, res.Profile)
			if tt.want == nil {
				assert.Empty(t, res.Violations)
			} else {
				assert.Equal(t, tt.want, codes(res), "%v", res.Violations)
			}
			assert.Equal(t, tt.revoke, res.RevokeGrant)
		})
	}

	// A client that registered no grant_types has only the code grant (RFC
	// 7591 §2).
	c := pc.Config()
	c.GrantTypes = nil
	res := fapi.CheckTokenRequest(svc, fapi.PrepareClient(c), refreshRequest(rec()), now)
	assert.Equal(t, []fapi.Code{fapi.CodeGrantTypeUnregistered}, codes(res))
	assert.Equal(t, fapi.OAuthUnauthorizedClient, res.Violations[0].Error)
}

func TestClientCredentialsGrant(t *testing.T) {
	svc, pc := plainGrantSetup()
	cc := func(scope string) *fapi.TokenRequest {
		r := refreshRequest(nil)
		r.Params = fapi.Params{"grant_type": {"client_credentials"}}
		if scope != "" {
			r.Params["scope"] = []string{scope}
		}
		return r
	}
	res := fapi.CheckTokenRequest(svc, pc, cc("profile"), now)
	require.Empty(t, res.Violations)
	assert.Empty(t, fapi.CheckTokenRequest(svc, pc, cc(""), now).Violations)
	res = fapi.CheckTokenRequest(svc, pc, cc("profile admin"), now)
	assert.Equal(t, []fapi.Code{fapi.CodeScopeNotRegistered}, codes(res))
	assert.Equal(t, fapi.OAuthInvalidScope, res.Violations[0].Error)

	s := *svc
	s.GrantTypesSupported = []string{"authorization_code"}
	res = fapi.CheckTokenRequest(&s, pc, cc("profile"), now)
	assert.Equal(t, []fapi.Code{fapi.CodeGrantTypeUnsupported}, codes(res))
}

// TestGrantReviewFindings holds the inputs an attacker's review found.
func TestGrantReviewFindings(t *testing.T) {
	svc, pc := plainGrantSetup()

	// A listed grant_types_supported without authorization_code does not
	// offer the code grant (RFC 8414 §2).
	s := *svc
	s.GrantTypesSupported = []string{"client_credentials"}
	code := plainTokenRequest(&fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"})
	assert.Equal(t, []fapi.Code{fapi.CodeGrantTypeUnsupported}, codes(fapi.CheckTokenRequest(&s, pc, code, now)))

	// A reuse interval too large for time.Duration saturates instead of
	// wrapping into a short one.
	s = *svc
	s.RefreshTokenRotation, s.RefreshTokenReuseInterval = true, 18446744074
	rotated := &fapi.RefreshRecord{ClientID: "c1", Scope: "openid", RotatedAt: now.Add(-time.Second)}
	assert.Empty(t, fapi.CheckTokenRequest(&s, pc, refreshRequest(rotated), now).Violations)

	// A request that does not authenticate the client never revokes its
	// grant, even with the client's rotated token.
	r := refreshRequest(rotated)
	r.BasicAuth.ClientSecret = "wrong-wrong-wrong"
	res := fapi.CheckTokenRequest(svc, pc, r, now)
	assert.Contains(t, codes(res), fapi.CodeRefreshTokenReused)
	assert.False(t, res.RevokeGrant)
	// Nor does another client's token.
	other := *rotated
	other.ClientID = "c2"
	res = fapi.CheckTokenRequest(svc, pc, refreshRequest(&other), now)
	assert.False(t, res.RevokeGrant)
}
