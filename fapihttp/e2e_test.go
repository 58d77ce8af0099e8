package fapihttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/scope"
)

// The handlers below read with a Reader, check with the library and write
// with the writers, as a server does: what reaches the client is tested.

const (
	issuer   = "https://as.example.com"
	basicID  = "basic-client"
	secret   = "a-long-enough-client-secret-of-32+bytes"
	jwtID    = "jwt-client"
	redirect = "https://client.example.org/cb"
)

// tokenServer is a token endpoint for the client_credentials grant of a
// client_secret_basic client and a private_key_jwt client.
type tokenServer struct {
	t       *testing.T
	rd      *fapihttp.Reader
	ck      *fapi.Checker
	clients map[string]*fapi.PreparedClient
	key     *fapitest.Key // the private_key_jwt client's key
}

func newTokenServer(t *testing.T) *tokenServer {
	t.Helper()
	key := fapitest.Must(fapitest.NewKey("PS256"))
	jwks := fapitest.Must(fapitest.PublicJWKS(key))
	svc := fapi.Service{
		Issuer:                            issuer,
		TokenEndpoint:                     issuer + "/token",
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "private_key_jwt"},
		ResponseTypesSupported:            []string{"code"},
		GrantTypesSupported:               []string{"client_credentials"},
		DPoPSigningAlgValuesSupported:     []string{"ES256"},
		Scopes:                            []scope.Definition{{Name: "accounts"}},
	}
	ck, rep := fapi.NewChecker(svc)
	require.True(t, rep.OK(), "%v", rep.Codes())
	s := &tokenServer{t: t, rd: newReader(t), ck: ck, key: key, clients: map[string]*fapi.PreparedClient{
		basicID: fapi.PrepareClient(fapi.Client{ClientID: basicID, ClientSecret: secret, TokenEndpointAuthMethod: "client_secret_basic",
			GrantTypes: []string{"client_credentials"}, Scope: "accounts"}),
		jwtID: fapi.PrepareClient(fapi.Client{ClientID: jwtID, TokenEndpointAuthMethod: "private_key_jwt", JWKS: jwks,
			GrantTypes: []string{"client_credentials"}, Scope: "accounts", TokenEndpointAuthSigningAlg: "PS256"}),
	}}
	return s
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := s.rd.Token(r)
	if err != nil {
		fapihttp.WriteTokenError(w, r, err, "")
		return
	}
	id := req.Params.Get("client_id")
	if req.BasicAuth != nil {
		id = req.BasicAuth.ClientID
	}
	pc, ok := s.clients[id]
	if !ok {
		fapihttp.WriteTokenError(w, r, &fapihttp.Error{Code: fapi.OAuthInvalidClient, Description: "unknown client"}, "")
		return
	}
	res := s.ck.Token(context.Background(), pc, req, time.Now())
	if !res.OK() {
		fapihttp.WriteTokenError(w, r, res.Err(), res.DPoPNonceHeader)
		return
	}
	fapihttp.WriteTokenResponse(w, map[string]any{"access_token": "at", "token_type": "Bearer"}, res.DPoPNonceHeader)
}

func (s *tokenServer) assertion(key *fapitest.Key) string {
	return fapitest.Must(fapitest.ClientAssertion(key, fapitest.ClientAssertionClaims(jwtID, issuer, time.Now())))
}

func TestTokenEndpointAnswers(t *testing.T) {
	t.Parallel()
	s := newTokenServer(t)
	otherKey := fapitest.Must(fapitest.NewKey("PS256"))
	jwtForm := func(key *fapitest.Key) string {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {jwtID},
			"client_assertion_type": {fapitest.JWTBearer}, "client_assertion": {s.assertion(key)}}.Encode()
	}
	dpopProof := func() string {
		k := fapitest.Must(fapitest.NewKey("ES256"))
		return fapitest.Must(fapitest.DPoPProof(k, fapitest.DPoPClaims("POST", issuer+"/token", time.Now())))
	}
	tests := []struct {
		name          string
		req           func() *http.Request
		wantStatus    int
		wantError     string
		wantChallenge string
	}{
		{
			name: "client_secret_basic",
			req: func() *http.Request {
				r := post(issuer+"/token", "grant_type=client_credentials")
				r.Header.Set("Authorization", basic(basicID, secret))
				return r
			},
			wantStatus: 200,
		},
		{
			name: "client_secret_basic with a wrong secret: 401 with a Basic challenge",
			req: func() *http.Request {
				r := post(issuer+"/token", "grant_type=client_credentials")
				r.Header.Set("Authorization", basic(basicID, "wrong"))
				return r
			},
			wantStatus: 401, wantError: "invalid_client", wantChallenge: fapihttp.BasicChallenge,
		},
		{
			name:       "private_key_jwt",
			req:        func() *http.Request { return post(issuer+"/token", jwtForm(s.key)) },
			wantStatus: 200,
		},
		{
			name:       "private_key_jwt signed with another key: 401 without a Basic challenge",
			req:        func() *http.Request { return post(issuer+"/token", jwtForm(otherKey)) },
			wantStatus: 401, wantError: "invalid_client",
		},
		{
			name: "private_key_jwt with one DPoP proof",
			req: func() *http.Request {
				r := post(issuer+"/token", jwtForm(s.key))
				r.Header.Set("DPoP", dpopProof())
				return r
			},
			wantStatus: 200,
		},
		{
			name: "two DPoP headers (RFC 9449 section 4.3 item 1)",
			req: func() *http.Request {
				r := post(issuer+"/token", jwtForm(s.key))
				p := dpopProof()
				r.Header.Add("DPoP", p)
				r.Header.Add("DPoP", p)
				return r
			},
			wantStatus: 400, wantError: "invalid_dpop_proof",
		},
		{
			name: "a repeated client_id",
			req: func() *http.Request {
				return post(issuer+"/token", jwtForm(s.key)+"&client_id="+basicID)
			},
			wantStatus: 400, wantError: "invalid_request",
		},
		{
			name: "an oversized body",
			req: func() *http.Request {
				return post(issuer+"/token", "grant_type=client_credentials&pad="+string(make([]byte, fapihttp.DefaultMaxFormSize)))
			},
			wantStatus: 400, wantError: "invalid_request",
		},
		{
			name: "an unknown client sending Basic",
			req: func() *http.Request {
				r := post(issuer+"/token", "grant_type=client_credentials")
				r.Header.Set("Authorization", basic("nobody", "x"))
				return r
			},
			wantStatus: 401, wantError: "invalid_client", wantChallenge: fapihttp.BasicChallenge,
		},
		{
			name:       "an unknown client without Basic",
			req:        func() *http.Request { return post(issuer+"/token", "grant_type=client_credentials&client_id=nobody") },
			wantStatus: 401, wantError: "invalid_client",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, tt.req())
			resp := w.Result()
			b := body(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, b)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			assert.Equal(t, tt.wantChallenge, resp.Header.Get("WWW-Authenticate"))
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(b), &got))
			if tt.wantError == "" {
				assert.Equal(t, "at", got["access_token"])
				return
			}
			assert.Equal(t, tt.wantError, got["error"], b)
			assertDescription(t, got["error_description"].(string))
		})
	}
}

func TestResourceAnswers(t *testing.T) {
	t.Parallel()
	svc := &fapi.Service{Issuer: issuer, SupportedServiceProfiles: []string{"fapi"}, DPoPSigningAlgValuesSupported: []string{"ES256"},
		Scopes: []scope.Definition{{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}}}}
	rd := newReader(t, fapihttp.WithBaseURL("https://api.example.com"))
	key := fapitest.Must(fapitest.NewKey("ES256"))
	jkt := fapitest.Must(key.Thumbprint())
	const token = "2YotnFZFEjr1zCsicMWpAA"
	record := &fapi.AccessTokenRecord{TokenType: "DPoP", Scope: "accounts", DPoPJKT: jkt}
	proof := func() string {
		c := fapitest.DPoPClaims("GET", "https://api.example.com/accounts", time.Now())
		c["ath"] = fapitest.AccessTokenHash(token)
		return fapitest.Must(fapitest.DPoPProof(key, c))
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := rd.Resource(r)
		if err != nil {
			fapihttp.WriteResourceRequestError(w, err)
			return
		}
		if tok, ok := fapi.AccessToken(req.Authorization); ok && tok == token {
			req.Token = record
		}
		res := fapi.CheckResourceRequest(svc, req, time.Now())
		if !res.OK() {
			fapihttp.WriteResourceError(w, res)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	tests := []struct {
		name          string
		auth, dpop    []string
		wantStatus    int
		wantChallenge string
	}{
		{name: "DPoP token with its proof", auth: []string{"DPoP " + token}, dpop: []string{proof()}, wantStatus: 200},
		{name: "no credentials", wantStatus: 401, wantChallenge: `DPoP algs="ES256", Bearer`},
		{name: "two Authorization headers", auth: []string{"DPoP " + token, "DPoP " + token}, dpop: []string{proof()},
			wantStatus: 400, wantChallenge: `Bearer error="invalid_request", error_description=`},
		{name: "two DPoP headers", auth: []string{"DPoP " + token}, dpop: []string{proof(), proof()},
			wantStatus: 401, wantChallenge: `DPoP error="invalid_dpop_proof", algs="ES256", error_description=`},
		{name: "the DPoP token as a bearer token", auth: []string{"Bearer " + token},
			wantStatus: 401, wantChallenge: `DPoP error="invalid_token", algs="ES256", error_description=`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/accounts", nil)
			for _, v := range tt.auth {
				r.Header.Add("Authorization", v)
			}
			for _, v := range tt.dpop {
				r.Header.Add("DPoP", v)
			}
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			resp := w.Result()
			b := body(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, b)
			ch := resp.Header.Get("WWW-Authenticate")
			if tt.wantChallenge == "" {
				assert.Empty(t, ch)
				return
			}
			assert.Contains(t, ch, tt.wantChallenge)
		})
	}
}
