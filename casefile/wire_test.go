package casefile_test

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// TestRequestWireShapes: the request members of a case file are read by
// casefile's own wire shapes (the fapi types carry no JSON) into the fapi
// request types, with the members of docs/DESIGN.md §10.2.
func TestRequestWireShapes(t *testing.T) {
	cert := fixtures.EC(elliptic.P256(), "tls", "ES256").WithCert(pkix.Name{CommonName: "client"})
	certJSON, err := json.Marshal(cert.CertPEM())
	require.NoError(t, err)
	c, warns, err := casefile.Parse([]byte(`{
		"now": "2026-01-15T09:00:00Z",
		"service": {"issuer": "https://as.example.com"},
		"pushed_authorization_request": {
			"params": {"client_id": "c", "scope": ["a", "b"]},
			"basic_auth": {"client_id": "c", "client_secret": "s"},
			"client_certificate": ` + string(certJSON) + `,
			"dpop": "proof", "method": "PUT", "url": "https://as.example.com/par"
		},
		"authorization_request": {
			"params": {"request_uri": "urn:x"}, "request_object": "eyJ",
			"pushed": {"client_id": "c", "expires_at": "2026-01-15T09:01:00Z", "params": {"scope": "a"}, "dpop_jkt": "jkt"}
		},
		"token_request": {
			"params": {"code": "x"}, "dpop": ["p1", "p2"],
			"authorization": {"client_id": "c", "redirect_uri": "https://c/cb", "code_challenge": "cc",
				"code_challenge_method": "S256", "scope": "a", "issued_at": "2026-01-15T09:00:00Z",
				"dpop_jkt": "j", "certificate_thumbprint": "t"}
		},
		"resource_request": {
			"method": "GET", "url": "https://rs.example.com/a", "authorization": "DPoP at", "dpop": "rp",
			"client_certificate": ` + string(certJSON) + `, "required_scope": "a",
			"token": {"token_type": "DPoP", "scope": "a b", "cnf": {"x5t#S256": "x5t", "jkt": "k"}}
		}
	}`))
	require.NoError(t, err)
	assert.Empty(t, warns)

	par := c.PushedAuthorizationRequest
	require.NotNil(t, par)
	assert.Equal(t, fapi.Params{"client_id": {"c"}, "scope": {"a", "b"}}, par.Params)
	assert.Equal(t, &fapi.BasicAuth{ClientID: "c", ClientSecret: "s"}, par.BasicAuth)
	require.NotNil(t, par.ClientCertificate)
	assert.Equal(t, cert.Cert.Raw, par.ClientCertificate.Raw)
	assert.Equal(t, []string{"proof"}, par.DPoP, "a single DPoP header value may be a string")
	assert.Equal(t, "PUT", par.Method)
	assert.Equal(t, "https://as.example.com/par", par.URL)

	az := c.AuthorizationRequest
	require.NotNil(t, az)
	assert.Equal(t, "eyJ", az.RequestObject)
	require.NotNil(t, az.Pushed)
	assert.Equal(t, "c", az.Pushed.ClientID)
	assert.Equal(t, "2026-01-15T09:01:00Z", az.Pushed.ExpiresAt.Format("2006-01-02T15:04:05Z07:00"))
	assert.Equal(t, map[string]string{"scope": "a"}, az.Pushed.Params)
	assert.Equal(t, "jkt", az.Pushed.DPoPJKT)

	tr := c.TokenRequest
	require.NotNil(t, tr)
	assert.Equal(t, []string{"p1", "p2"}, tr.DPoP)
	assert.Nil(t, tr.ClientCertificate)
	assert.Nil(t, tr.BasicAuth)
	require.NotNil(t, tr.Authorization)
	assert.Equal(t, fapi.AuthorizationRecord{ClientID: "c", RedirectURI: "https://c/cb", CodeChallenge: "cc",
		CodeChallengeMethod: "S256", Scope: "a", IssuedAt: tr.Authorization.IssuedAt, DPoPJKT: "j",
		CertificateThumbprint: "t"}, *tr.Authorization)
	assert.False(t, tr.Authorization.IssuedAt.IsZero())

	rr := c.ResourceRequest
	require.NotNil(t, rr)
	assert.Equal(t, "GET", rr.Method)
	assert.Equal(t, "https://rs.example.com/a", rr.URL)
	assert.Equal(t, []string{"DPoP at"}, rr.Authorization, "a single Authorization value may be a string")
	assert.Equal(t, []string{"rp"}, rr.DPoP)
	require.NotNil(t, rr.ClientCertificate)
	assert.Equal(t, cert.Cert.Raw, rr.ClientCertificate.Raw)
	assert.Equal(t, "a", rr.RequiredScope)
	assert.Equal(t, &fapi.AccessTokenRecord{TokenType: "DPoP", Scope: "a b", CertificateThumbprint: "x5t", DPoPJKT: "k"}, rr.Token)
}

// TestRequestWireErrors: a request member of the wrong shape names the
// member at fault.
func TestRequestWireErrors(t *testing.T) {
	tests := []struct {
		name, input, field, msg string
	}{
		{"params value a number", `{"service":{},"token_request":{"params":{"a":1}}}`, "token_request", `parameter "a": must be a string or an array of strings`},
		{"params an array", `{"service":{},"authorization_request":{"params":[]}}`, "authorization_request.params", "expected an object"},
		{"dpop a number", `{"service":{},"pushed_authorization_request":{"dpop":5}}`, "pushed_authorization_request", "dpop: must be a string or an array of strings"},
		{"dpop an array of numbers", `{"service":{},"token_request":{"dpop":[1]}}`, "token_request", "dpop: must be a string or an array of strings"},
		{"certificate not PEM", `{"service":{},"pushed_authorization_request":{"client_certificate":"junk"}}`, "pushed_authorization_request", "not a PEM certificate"},
		{"certificate a number", `{"service":{},"token_request":{"client_certificate":5}}`, "token_request.client_certificate", "expected a string"},
		{"record not an object", `{"service":{},"token_request":{"authorization":5}}`, "token_request.authorization", "expected an object, got JSON number"},
		{"pushed client_id a number", `{"service":{},"authorization_request":{"pushed":{"client_id":3}}}`, "authorization_request.pushed.client_id", "expected a string"},
		{"basic_auth secret an array", `{"service":{},"token_request":{"basic_auth":{"client_secret":[]}}}`, "token_request.basic_auth.client_secret", "expected a string"},
		{"request not an object", `{"service":{},"token_request":[]}`, "token_request", "expected an object, got JSON array"},
		{"authorization a number", `{"service":{},"resource_request":{"authorization":5}}`, "resource_request", "authorization: must be a string or an array of strings"},
		{"resource certificate not PEM", `{"service":{},"resource_request":{"client_certificate":"junk"}}`, "resource_request", "not a PEM certificate"},
		{"cnf not an object", `{"service":{},"resource_request":{"token":{"cnf":"k"}}}`, "resource_request.token.cnf", "expected an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := casefile.Parse([]byte(tt.input))
			require.Error(t, err)
			assert.Nil(t, c)
			var ce *casefile.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.field, ce.Field)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
	_, _, err := casefile.Parse([]byte(`{"service":{},"token_request":{"client_certificate":"junk"}}`))
	assert.ErrorIs(t, err, fapi.ErrCertificatePEM)
}

// TestStandardMetadataKnown: every standard metadata member is known under
// service and client, also those the library does not use, so that only a
// truly unknown member warns.
func TestStandardMetadataKnown(t *testing.T) {
	tests := []struct {
		name  string
		input string
		warn  []string
	}{
		{"discovery members the library does not use",
			`{"service":{"issuer":"https://as.example.com","claims_parameter_supported":true,"request_uri_parameter_supported":false,
			"userinfo_endpoint":"https://as.example.com/userinfo","jwks_uri":"https://as.example.com/jwks","scopes_supported":["openid"],
			"subject_types_supported":["public"],"check_session_iframe":"https://as.example.com/cs","end_session_endpoint":"https://as.example.com/logout",
			"backchannel_logout_supported":true,"frontchannel_logout_supported":true,"authorization_encryption_enc_values_supported":["A128GCM"],
			"revocation_endpoint":"https://as.example.com/revoke","signed_metadata":"eyJ"}}`,
			nil},
		{"registration members the library does not use",
			`{"service":{},"client":{"client_id":"c","client_name":"x","client_name#ja-Jpan-JP":"y","logo_uri#en":"https://c/l.png",
			"contacts":["a@c"],"software_id":"s","client_id_issued_at":1,"client_secret_expires_at":0,"subject_type":"pairwise",
			"post_logout_redirect_uris":["https://c/out"],"require_signed_request_object":true,"id_token_encrypted_response_enc":"A128GCM"}}`,
			nil},
		{"truly unknown members still warn",
			`{"service":{"issuer":"x","claims_parameter_supportd":true,"Claims_Parameter_Supported":true},"client":{"client_id":"c","client_name#":"x","scope#en":"a"}}`,
			[]string{"service.Claims_Parameter_Supported", "service.claims_parameter_supportd", "client.client_name#", "client.scope#en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warns, err := casefile.Parse([]byte(tt.input))
			require.NoError(t, err)
			var paths []string
			for _, w := range warns {
				paths = append(paths, w.Path)
			}
			assert.ElementsMatch(t, tt.warn, paths)
		})
	}
}
