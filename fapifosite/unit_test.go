package fapifosite_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapifosite"
	"github.com/fapicheck/fapicheck/fapitest"
)

func TestRFC6749Error(t *testing.T) {
	tests := []struct {
		name   string
		v      fapi.Violation
		is     *fosite.RFC6749Error // nil: no fosite error of that name
		field  string
		status int
	}{
		{"invalid_client", fapi.Violation{Code: fapi.CodeClientAssertionAudMismatch, Error: "invalid_client", Ref: "FAPI2-SP-5.3.2.1-8", Message: "aud is wrong"}, fosite.ErrInvalidClient, "invalid_client", 401},
		{"invalid_request", fapi.Violation{Code: fapi.CodePKCEChallengeMissing, Error: "invalid_request", Ref: "RFC7636-4.4.1", Message: "no PKCE"}, fosite.ErrInvalidRequest, "invalid_request", 400},
		{"invalid_grant", fapi.Violation{Code: fapi.CodeCodeReused, Error: "invalid_grant", Message: "reused"}, fosite.ErrInvalidGrant, "invalid_grant", 400},
		{"unauthorized_client", fapi.Violation{Code: fapi.CodeGrantTypeUnregistered, Error: "unauthorized_client"}, fosite.ErrUnauthorizedClient, "unauthorized_client", 400},
		{"invalid_request_object", fapi.Violation{Code: fapi.CodeRequestObjectExpired, Error: "invalid_request_object"}, fosite.ErrInvalidRequestObject, "invalid_request_object", 400},
		{"invalid_request_uri", fapi.Violation{Code: fapi.CodePARExpired, Error: "invalid_request_uri"}, fosite.ErrInvalidRequestURI, "invalid_request_uri", 400},
		{"invalid_scope", fapi.Violation{Code: fapi.CodeScopeMalformed, Error: "invalid_scope"}, fosite.ErrInvalidScope, "invalid_scope", 400},
		{"server_error", fapi.Violation{Code: fapi.CodeStoreUnavailable, Error: "server_error"}, fosite.ErrServerError, "server_error", 500},
		{"temporarily_unavailable", fapi.Violation{Code: fapi.CodeStoreUnavailable, Error: "temporarily_unavailable"}, fosite.ErrTemporarilyUnavailable, "temporarily_unavailable", 503},
		{"invalid_dpop_proof", fapi.Violation{Code: fapi.CodeDPoPHTUMismatch, Error: "invalid_dpop_proof"}, nil, "invalid_dpop_proof", 400},
		{"use_dpop_nonce", fapi.Violation{Code: fapi.CodeDPoPNonceMissing, Error: "use_dpop_nonce"}, nil, "use_dpop_nonce", 400},
		{"PAR method", fapi.Violation{Code: fapi.CodePARMethodNotAllowed, Error: "invalid_request"}, nil, "invalid_request", 405},
		{"no error", fapi.Violation{Code: fapi.CodePKCEChallengeMissing}, fosite.ErrServerError, "server_error", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := fapi.Report{Violations: []fapi.Violation{tt.v, {Code: fapi.CodeStateMissing, Error: "invalid_request"}}}
			e := fapifosite.RFC6749Error(rep)
			require.NotNil(t, e)
			assert.Equal(t, tt.field, e.ErrorField)
			assert.Equal(t, tt.status, e.StatusCode())
			if tt.is != nil {
				assert.ErrorIs(t, e, tt.is)
			}
			assert.ErrorIs(t, e, tt.v.Code, "the report's violations")
			assert.ErrorIs(t, e, fapi.CodeStateMissing, "every violation")
			desc := e.GetDescription()
			assert.True(t, strings.HasPrefix(desc, tt.v.Description()), desc)
			assert.Contains(t, desc, "("+string(tt.v.Code))
			if tt.v.Ref != "" {
				assert.Contains(t, desc, ", "+string(tt.v.Ref)+")")
			}
			assert.NotContains(t, desc, "Make sure", "fosite's default hint is replaced")
		})
	}
	assert.Nil(t, fapifosite.RFC6749Error(fapi.Report{}))

	// A message with characters error_description does not allow is
	// escaped (RFC 6749 Appendix A.8).
	e := fapifosite.RFC6749Error(fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeStateMalformed, Error: "invalid_request", Message: "state \"\x00é\\\" is bad"}}})
	for _, c := range []byte(e.GetDescription()) {
		assert.True(t, c >= 0x20 && c <= 0x7e && c != '"' && c != '\\', "byte %q", c)
	}
}

func TestErrorUnwraps(t *testing.T) {
	s := newTestServer(t)
	form := s.parForm()
	form.Del("code_challenge")
	req := httptest.NewRequest(http.MethodPost, issuer+"/par", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err := s.provider.NewPushedAuthorizeRequest(t.Context(), req)
	require.Error(t, err)
	var fe *fapifosite.Error
	require.ErrorAs(t, err, &fe)
	assert.False(t, fe.Report.OK())
	assert.ErrorIs(t, err, fosite.ErrInvalidRequest)
	assert.ErrorIs(t, err, fapi.CodePKCEChallengeMissing)
	assert.ErrorIs(t, err, fapi.ErrPKCE)
	assert.Contains(t, err.Error(), "pkce.challenge_missing")
	assert.Equal(t, "invalid_request", fosite.ErrorToRFC6749Error(err).ErrorField)
}

func TestClientFromFosite(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	base := fosite.DefaultClient{
		ID: "c", RedirectURIs: []string{"https://c.example/cb"}, Scopes: []string{"openid", "sp"},
	}
	tests := []struct {
		name    string
		client  fosite.Client
		want    fapi.Client
		jwks    bool
		wantErr string
	}{
		{
			name:   "plain confidential client: fosite's defaults",
			client: &base,
			want: fapi.Client{ClientID: "c", ClientType: "confidential", RedirectURIs: []string{"https://c.example/cb"},
				GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"}, Scope: "openid sp"},
		},
		{
			name:   "public client: method none",
			client: &fosite.DefaultClient{ID: "p", Public: true},
			want: fapi.Client{ClientID: "p", ClientType: "public", TokenEndpointAuthMethod: "none",
				GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"}},
		},
		{
			name: "OpenID Connect client: method, algorithms, the public half of a private key",
			client: &fosite.DefaultOpenIDConnectClient{
				DefaultClient:           &base,
				JSONWebKeys:             &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: ec, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}},
				TokenEndpointAuthMethod: "private_key_jwt", TokenEndpointAuthSigningAlgorithm: "ES256",
				RequestObjectSigningAlgorithm: "PS256", JSONWebKeysURI: "",
			},
			want: fapi.Client{ClientID: "c", ClientType: "confidential", RedirectURIs: []string{"https://c.example/cb"},
				GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"}, Scope: "openid sp",
				TokenEndpointAuthMethod: "private_key_jwt", TokenEndpointAuthSigningAlg: "ES256", RequestObjectSigningAlg: "PS256"},
			jwks: true,
		},
		{
			name:   "OpenID Connect client without an algorithm: fosite answers RS256",
			client: &fosite.DefaultOpenIDConnectClient{DefaultClient: &base, TokenEndpointAuthMethod: "private_key_jwt", JSONWebKeysURI: "https://c.example/jwks"},
			want: fapi.Client{ClientID: "c", ClientType: "confidential", RedirectURIs: []string{"https://c.example/cb"},
				GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"}, Scope: "openid sp",
				TokenEndpointAuthMethod: "private_key_jwt", TokenEndpointAuthSigningAlg: "RS256", JWKSURI: "https://c.example/jwks"},
		},
		{
			name:   "response modes",
			client: &fosite.DefaultResponseModeClient{DefaultClient: &base, ResponseModes: []fosite.ResponseModeType{"jwt", "query.jwt"}},
			want: fapi.Client{ClientID: "c", ClientType: "confidential", RedirectURIs: []string{"https://c.example/cb"},
				GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"}, Scope: "openid sp", ResponseModes: []string{"jwt", "query.jwt"}},
		},
		{
			name: "a symmetric key is refused",
			client: &fosite.DefaultOpenIDConnectClient{DefaultClient: &base,
				JSONWebKeys: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "s"}}}},
			wantErr: "symmetric",
		},
		{name: "nil", client: nil, wantErr: "no client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fapifosite.ClientFromFosite(tt.client)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			jwks := got.JWKS
			got.JWKS = nil
			assert.Equal(t, tt.want, got)
			if !tt.jwks {
				assert.Empty(t, jwks)
				return
			}
			var set struct {
				Keys []map[string]any `json:"keys"`
			}
			require.NoError(t, json.Unmarshal(jwks, &set))
			require.Len(t, set.Keys, 1)
			assert.Equal(t, "k1", set.Keys[0]["kid"])
			assert.Equal(t, "ES256", set.Keys[0]["alg"])
			assert.NotContains(t, set.Keys[0], "d", "no private member")
			got.JWKS = jwks
			keys, err := fapi.PrepareClient(got).Keys()
			require.NoError(t, err)
			require.NotNil(t, keys)
		})
	}
}

func TestPrepareFositeClientJWKSURI(t *testing.T) {
	key := fapitest.Must(fapitest.NewKey("ES256"))
	jwks := fapitest.Must(key.PublicJWKS())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	}))
	defer srv.Close()
	noRetry := retryablehttp.NewClient()
	noRetry.RetryMax, noRetry.Logger = 0, nil
	cfg := &fosite.Config{JWKSFetcherStrategy: fosite.NewDefaultJWKSFetcherStrategy(fosite.JWKSFetcherWithHTTPClient(noRetry))}
	c := &fosite.DefaultOpenIDConnectClient{DefaultClient: &fosite.DefaultClient{ID: "c"}, JSONWebKeysURI: srv.URL, TokenEndpointAuthMethod: "private_key_jwt"}
	pc, err := fapifosite.PrepareFositeClient(t.Context(), cfg, c)
	require.NoError(t, err)
	keys, err := pc.Keys()
	require.NoError(t, err)
	require.NotNil(t, keys)

	c.JSONWebKeysURI = srv.URL + "/missing"
	_, err = fapifosite.PrepareFositeClient(t.Context(), cfg, c)
	assert.Error(t, err)
}

func TestMemoryRecords(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	m := fapifosite.NewMemoryRecords(2)
	require.NoError(t, m.Put(ctx, now, "a", []byte("1"), now.Add(time.Minute)))
	require.NoError(t, m.Put(ctx, now, "b", []byte("2"), now.Add(2*time.Minute)))
	got, err := m.Get(ctx, now, "a")
	require.NoError(t, err)
	assert.Equal(t, []byte("1"), got)
	got[0] = 'x'
	got, _ = m.Get(ctx, now, "a")
	assert.Equal(t, []byte("1"), got, "Get returns a copy")

	assert.ErrorIs(t, m.Put(ctx, now, "c", []byte("3"), now.Add(time.Hour)), fapifosite.ErrRecordsFull, "two live records")
	require.NoError(t, m.Put(ctx, now, "a", []byte("1b"), now.Add(time.Minute)), "replacing a key is not adding one")

	_, err = m.Get(ctx, now.Add(time.Minute), "a")
	assert.ErrorIs(t, err, fapifosite.ErrNoRecord, "expired at exactly until")
	require.NoError(t, m.Put(ctx, now.Add(time.Minute), "c", []byte("3"), now.Add(time.Hour)), "the expired record made room")
	assert.Equal(t, 2, m.Len())

	_, err = m.Get(ctx, now, "nothing")
	assert.ErrorIs(t, err, fapifosite.ErrNoRecord)
	require.NoError(t, m.Put(ctx, now, "b", nil, now), "an until at now drops the key")
	_, err = m.Get(ctx, now, "b")
	assert.ErrorIs(t, err, fapifosite.ErrNoRecord)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	assert.Error(t, m.Put(cancelled, now, "d", nil, now.Add(time.Hour)))
	_, err = m.Get(cancelled, now, "c")
	assert.Error(t, err)
}

func TestNew(t *testing.T) {
	svc, err := fapitest.NewService("fapi2-security", issuer)
	require.NoError(t, err)
	ck, _ := fapi.NewChecker(*svc)
	store := storage.NewMemoryStore()
	fcfg := &fosite.Config{GlobalSecret: []byte("a global secret of 32 bytes ....")}
	provider := compose.ComposeAllEnabled(fcfg, store, fapitest.Must(fapitest.NewKey("PS256")).Signer())
	valid := fapifosite.Config{Provider: provider, Fosite: fcfg, Storage: store, Checker: ck}
	tests := []struct {
		name   string
		change func(*fapifosite.Config)
		err    string
	}{
		{"valid", func(*fapifosite.Config) {}, ""},
		{"no provider", func(c *fapifosite.Config) { c.Provider = nil }, "Provider"},
		{"no fosite config", func(c *fapifosite.Config) { c.Fosite = nil }, "Fosite"},
		{"no storage", func(c *fapifosite.Config) { c.Storage = nil }, "Storage"},
		{"no checker", func(c *fapifosite.Config) { c.Checker = nil }, "Checker"},
		{"another configuration", func(c *fapifosite.Config) { c.Fosite = &fosite.Config{} }, "does not use"},
		{"no reader, no issuer", func(c *fapifosite.Config) { c.Checker, _ = fapi.NewChecker(fapi.Service{}) }, "issuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.change(&cfg)
			p, err := fapifosite.New(cfg)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				assert.Nil(t, p)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, cfg.Fosite.ClientAuthenticationStrategy, "the library's strategy is installed")
			assert.Same(t, provider, p.Inner())
		})
	}
}

// TestOtherEndpointsClientAuthentication: at the endpoints the library does
// not check (introspection, revocation), fosite's client authentication is
// refused unless the caller chose one.
func TestOtherEndpointsClientAuthentication(t *testing.T) {
	s := newTestServer(t)
	req := httptest.NewRequest(http.MethodPost, issuer+"/revoke", strings.NewReader("token=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, "secret")
	err := s.provider.NewRevocationRequest(t.Context(), req)
	assert.ErrorIs(t, err, fosite.ErrInvalidClient)

	called := errors.New("the caller's strategy")
	s2 := newTestServer(t)
	cfg := fapifosite.Config{
		Provider: s2.provider.Inner(), Fosite: s2.fcfg, Storage: s2.store, Checker: s2.checker,
		OtherClientAuthentication: func(context.Context, *http.Request, url.Values) (fosite.Client, error) { return nil, called },
	}
	p, err := fapifosite.New(cfg)
	require.NoError(t, err)
	req = httptest.NewRequest(http.MethodPost, issuer+"/revoke", strings.NewReader("token=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	assert.ErrorIs(t, p.NewRevocationRequest(t.Context(), req), called)
}
