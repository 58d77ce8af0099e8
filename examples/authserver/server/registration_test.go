package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/profile"
)

// regDoc is a valid FAPI 2.0 registration; mutate a copy for a test.
func regDoc() map[string]any {
	return map[string]any{
		"client_id":                       "reg-client",
		"redirect_uris":                   []string{redirectURI},
		"token_endpoint_auth_method":      "private_key_jwt",
		"token_endpoint_auth_signing_alg": "PS256",
		"id_token_signed_response_alg":    "PS256",
		"jwks":                            fixtures.JWKS(clientKey()),
		"response_types":                  []string{"code"},
		"grant_types":                     []string{"authorization_code"},
		"scope":                           "openid accounts",
		"dpop_bound_access_tokens":        true,
	}
}

func with(doc map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestParseRegistration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		doc     map[string]any
		raw     string // instead of doc
		wantErr string
		check   func(t *testing.T, r server.Registration)
	}{
		{name: "valid", doc: regDoc()},
		{
			name: "standard members the server acts on",
			doc: with(regDoc(),
				"require_signed_request_object", true,
				"request_uris", []string{"https://client.example.org/ro/1#hash"},
				"default_acr_values", []string{server.ACR},
				"client_name", "Example client", "client_name#ja-Jpan-JP", "クライアント",
				"client_secret_expires_at", 0, "client_id_issued_at", 1700000000,
				"require_auth_time", true, "default_max_age", 3600,
			),
			check: func(t *testing.T, r server.Registration) {
				assert.True(t, r.RequireSignedRequestObject)
				assert.Equal(t, []string{"https://client.example.org/ro/1#hash"}, r.RequestURIs)
				assert.Equal(t, []string{server.ACR}, r.DefaultACRValues)
				assert.Equal(t, "Example client", r.ClientName)
				assert.True(t, r.ClientSecretExpiresAt.IsZero(), "0 means never")
			},
		},
		{
			name: "JARM with its algorithm",
			doc:  with(regDoc(), "authorization_signed_response_alg", "PS256", "response_modes", []string{"jwt", "query.jwt"}),
			check: func(t *testing.T, r server.Registration) {
				assert.Equal(t, "PS256", r.Client.AuthorizationSignedResponseAlg)
				assert.Equal(t, []string{"jwt", "query.jwt"}, r.Client.ResponseModes)
			},
		},
		{
			name: "informational members",
			doc: with(regDoc(), "client_uri", "https://client.example.org", "logo_uri", "https://client.example.org/logo.png",
				"tos_uri", "https://client.example.org/tos", "policy_uri", "https://client.example.org/policy",
				"contacts", []string{"ops@client.example.org"}, "software_id", "4NRB1-0XZABZI9E6-5SM3R", "software_version", "2.1",
				"post_logout_redirect_uris", []string{"https://client.example.org/bye"}, "initiate_login_uri", "https://client.example.org/login",
				"registration_access_token", "reg-23410913-abewfq.123483", "registration_client_uri", "https://as.example.com/register/reg-client"),
		},
		{
			name: "the library's settings",
			doc:  with(regDoc(), "client_type", "confidential", "fapi_modes", []string{"fapi2_security"}),
			check: func(t *testing.T, r server.Registration) {
				assert.Equal(t, "confidential", r.Client.ClientType)
				assert.Equal(t, []string{"fapi2_security"}, r.Client.FAPIModes)
			},
		},
		{
			name: "neutral values of members the server does not act on",
			doc:  with(regDoc(), "backchannel_user_code_parameter", false, "authorization_details_types", []string{}, "subject_type", ""),
		},
		{
			name: "secret expiry",
			doc:  with(regDoc(), "client_secret_expires_at", 1893456000),
			check: func(t *testing.T, r server.Registration) {
				assert.Equal(t, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), r.ClientSecretExpiresAt)
			},
		},
		{name: "unknown member", doc: with(regDoc(), "redirect_uri", "https://client.example.org/cb"), wantErr: `unknown client metadata member "redirect_uri"`},
		{name: "misspelt member", doc: with(regDoc(), "token_endpoint_auth_methods", "private_key_jwt"), wantErr: `unknown client metadata member "token_endpoint_auth_methods"`},
		{name: "a member in another letter case", doc: with(regDoc(), "Scope", "openid"), wantErr: `unknown client metadata member "Scope"`},
		{name: "a standard member of the wrong type", doc: with(regDoc(), "scope", 1), wantErr: "scope"},
		{name: "duplicate member", raw: `{"client_id":"a","client_id":"b"}`, wantErr: "duplicate"},
		{name: "no client_id", doc: with(regDoc(), "client_id", nil), wantErr: "client_id"},
		{name: "jwks and jwks_uri", doc: with(regDoc(), "jwks_uri", "https://client.example.org/jwks"), wantErr: "jwks_uri"},
		{name: "jwks_uri", doc: with(regDoc(), "jwks", nil, "jwks_uri", "https://client.example.org/jwks"), wantErr: "jwks_uri: this server does not fetch jwks_uri"},
		{name: "encrypted ID tokens", doc: with(regDoc(), "id_token_encrypted_response_alg", "RSA-OAEP"), wantErr: "id_token_encrypted_response_alg: this server does not encrypt ID tokens"},
		{name: "pairwise subjects", doc: with(regDoc(), "subject_type", "pairwise"), wantErr: "subject_type: only public subjects"},
		{name: "a software statement", doc: with(regDoc(), "software_statement", "eyJ.eyJ.sig"), wantErr: "software_statement"},
		{name: "backchannel logout", doc: with(regDoc(), "backchannel_logout_uri", "https://client.example.org/logout"), wantErr: "backchannel_logout_uri: this server keeps no sessions"},
		{name: "signed userinfo", doc: with(regDoc(), "userinfo_signed_response_alg", "PS256"), wantErr: "userinfo_signed_response_alg"},
		{name: "CIBA", doc: with(regDoc(), "backchannel_token_delivery_mode", "poll"), wantErr: "CIBA"},
		{name: "rich authorization requests", doc: with(regDoc(), "authorization_details_types", []string{"payment_initiation"}), wantErr: "RFC 9396"},
		{name: "every refusal named at once", doc: with(regDoc(), "subject_type", "pairwise", "userinfo_encrypted_response_alg", "RSA-OAEP"), wantErr: "subject_type: only public subjects are offered (subject_types_supported is public); userinfo_encrypted_response_alg"},
		{name: "request_uris over http", doc: with(regDoc(), "request_uris", []string{"http://client.example.org/ro"}), wantErr: "not an absolute https URL"},
		{name: "fapi_modes not an array", doc: with(regDoc(), "fapi_modes", "fapi2_security"), wantErr: "fapi_modes must be an array of strings"},
		{name: "unknown fapi_modes value", doc: with(regDoc(), "fapi_modes", []string{"fapi3"}), wantErr: "fapi_modes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.raw == "" {
				var err error
				raw, err = json.Marshal(tt.doc)
				require.NoError(t, err)
			}
			r, err := server.ParseRegistration(raw)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "reg-client", r.Client.ClientID)
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestParseRegistrations(t *testing.T) {
	t.Parallel()
	one, err := json.Marshal(regDoc())
	require.NoError(t, err)
	list, err := server.ParseRegistrations(one)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	two := []byte("[" + string(one) + "," + strings.Replace(string(one), "reg-client", "reg-client-2", 1) + "]")
	list, err = server.ParseRegistrations(two)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "reg-client-2", list[1].Client.ClientID)
	_, err = server.ParseRegistrations([]byte("[]"))
	assert.ErrorContains(t, err, "no client")
	bad := []byte("[" + string(one) + `,{"client_id":"x","redirect_uri":"y"}]`)
	_, err = server.ParseRegistrations(bad)
	assert.ErrorContains(t, err, `client 1: registration of "x": unknown client metadata member "redirect_uri"`)
}

// TestRegistrationRefusedUnderProfile: a registration the library accepts
// but the server cannot serve under its profile is refused at start, with
// the reason, from the document as an operator writes it.
func TestRegistrationRefusedUnderProfile(t *testing.T) {
	t.Parallel()
	fapi1 := with(regDoc(), "dpop_bound_access_tokens", nil, "tls_client_certificate_bound_access_tokens", true)
	tests := []struct {
		name    string
		p       profile.Profile
		doc     map[string]any
		wantErr string
	}{
		{"PAR required, no PAR endpoint under ID2", profile.FAPI1ReadOnly, with(fapi1, "require_pushed_authorization_requests", true),
			"require_pushed_authorization_requests: there is no PAR endpoint under fapi1-read-only"},
		{"DPoP-bound tokens under FAPI 1.0", profile.FAPI1Baseline, with(fapi1, "dpop_bound_access_tokens", true),
			"dpop_bound_access_tokens: DPoP is offered under fapi2-security and fapi2-message-signing only"},
		{"FAPI 2.0 modes without PAR or DPoP", profile.FAPI1ReadOnly, with(fapi1, "fapi_modes", []string{"fapi2_security"}),
			"fapi_modes [fapi2_security] selects fapi2-security, which this server does not run (it runs fapi1-read-only; start it with -profile fapi2-security)"},
		{"FAPI 2.0 without a sender constraint", profile.FAPI2Security, with(regDoc(), "dpop_bound_access_tokens", nil),
			"client.binding_missing"},
		{"JARM with an algorithm the server does not sign with", profile.FAPI2Security, with(regDoc(), "authorization_signed_response_alg", "EdDSA"),
			"authorization_signed_response_alg EdDSA: this server signs JARM responses with PS256 or ES256 only"},
		{"JARM modes without an algorithm (RS256)", profile.FAPI1Baseline, with(fapi1, "response_modes", []string{"jwt"}),
			"authorization_signed_response_alg RS256 (absent, JARM section 3)"},
		{"a response mode the server does not offer", profile.FAPI1Baseline, with(fapi1, "response_modes", []string{"web_message"}),
			"client.response_modes_invalid"},
		{"the hybrid flow under FAPI 2.0", profile.FAPI2Security, with(regDoc(), "response_types", []string{"code id_token"}),
			`response type "code id_token"`},
		{"default_acr_values the server cannot meet", profile.FAPI2Security, with(regDoc(), "default_acr_values", []string{"urn:example:loa:4"}),
			"default_acr_values [urn:example:loa:4]: this server authenticates at urn:openbanking:psd2:sca only"},
		{"client_secret_basic under FAPI", profile.FAPI2Security, with(regDoc(), "token_endpoint_auth_method", "client_secret_basic", "client_secret", basicSecret, "jwks", nil),
			"client.auth_method_not_allowed"},
		{"no keys where every request is signed", profile.FAPI2MessageSigning, with(regDoc(), "scope", "openid", "token_endpoint_auth_method", "client_secret_basic", "client_secret", basicSecret, "jwks", nil, "dpop_bound_access_tokens", nil),
			"the client registers no jwks to sign one with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := server.New(server.Config{
				Profile: tt.p, Issuer: "https://as.example.com", SigningKeys: serverKeys(),
				Clients: []server.Registration{registration(t, tt.doc)},
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `client "reg-client" cannot be served under `+string(tt.p))
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	// The same documents, valid for the profile, start.
	for p, doc := range map[profile.Profile]map[string]any{profile.FAPI1ReadOnly: fapi1, profile.FAPI2Security: regDoc()} {
		_, err := server.New(server.Config{Profile: p, Issuer: "https://as.example.com", SigningKeys: serverKeys(),
			Clients: []server.Registration{registration(t, doc)}})
		assert.NoError(t, err, p)
	}
}

// TestClientSecretExpires: a client secret past its
// client_secret_expires_at is refused (RFC 7591 §3.2.1).
func TestClientSecretExpires(t *testing.T) {
	t.Parallel()
	f := newPE(t, profile.FAPI1Baseline, map[string]any{
		"client_id": "expired", "client_secret": basicSecret, "token_endpoint_auth_method": "client_secret_basic",
		"redirect_uris": []string{redirectURI}, "scope": "openid", "id_token_signed_response_alg": "PS256",
		"client_secret_expires_at": time.Now().Add(-time.Hour).Unix(),
	})
	c := &tclient{id: "expired", basic: true, scope: "openid", rt: "code"}
	status, h, body := f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}, "")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "invalid_client", body["error"])
	assert.Contains(t, body["error_description"], "client_secret_expires_at")
	assert.Contains(t, h.Get("WWW-Authenticate"), "Basic")
}
