package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/profile"
)

// TestClientCredentialsScopeDefined: a client that registered no scope may
// ask the client_credentials grant for any scope the library lets through
// (RFC 7591 §2), but only for scopes this server defines (tokenPolicy): an
// undefined one is invalid_scope (RFC 6749 §4.4.2, §5.2), never written into
// an access token for a resource server to read.
func TestClientCredentialsScopeDefined(t *testing.T) {
	t.Parallel()
	doc := map[string]any{
		"client_id":                       "noscope",
		"redirect_uris":                   []string{redirectURI},
		"grant_types":                     []string{"client_credentials"},
		"response_types":                  []string{"code id_token"},
		"id_token_signed_response_alg":    "PS256",
		"token_endpoint_auth_method":      "private_key_jwt",
		"token_endpoint_auth_signing_alg": "PS256",
		"jwks":                            fixtures.JWKS(clientKey()),
		"client_type":                     "confidential",
		"tls_client_certificate_bound_access_tokens": true,
	}
	f := newPE(t, profile.FAPI1Advanced, doc)
	c := &tclient{id: "noscope", key: clientKey()}
	ask := func(sc string) (int, map[string]any) {
		status, _, body := f.backChannel(t, c, f.srv.TokenEndpoint(), url.Values{"grant_type": {"client_credentials"}, "scope": {sc}},
			f.assertionAudience(f.srv.TokenEndpoint()))
		return status, body
	}
	status, body := ask("accounts")
	assert.Equal(t, http.StatusOK, status, "%v", body)
	status, body = ask("accounts payments:all")
	assert.Equal(t, http.StatusBadRequest, status, "%v", body)
	assert.Equal(t, "invalid_scope", body["error"], "%v", body)
	assert.Empty(t, body["access_token"])
}
