package server_test

import (
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/profile"
)

func TestMTLSClientAuthentication(t *testing.T) {
	t.Parallel()
	ca := fixtures.Issue("Test client CA", true, nil)
	caIssued := fixtures.Issue("tls-client", false, &ca)
	impostor := fixtures.Issue("tls-client", false, nil) // same subject, self-signed

	// A self_signed_tls_client_auth client registers the key of its
	// certificate (certA of the env) in its jwks.
	selfSignedKey := fixtures.EC(elliptic.P256(), "self-signed", "ES256").WithCert(pkix.Name{CommonName: "self-signed client"})
	roBase := fapi.Client{
		ClientType:               "confidential",
		RedirectURIs:             []string{redirectURI},
		ResponseTypes:            []string{"code"},
		Scope:                    "openid accounts",
		IDTokenSignedResponseAlg: "PS256",
	}
	tlsClient := roBase
	tlsClient.ClientID = "tls-client"
	tlsClient.TokenEndpointAuthMethod = "tls_client_auth"
	tlsClient.TLSClientAuthSubjectDN = "CN=tls-client"
	selfClient := roBase
	selfClient.ClientID = "self-signed-client"
	selfClient.TokenEndpointAuthMethod = "self_signed_tls_client_auth"
	selfClient.JWKS = fixtures.JWKS(selfSignedKey)

	cas := x509.NewCertPool()
	cas.AddCert(ca.Cert)
	e := newEnvWith(t, profile.FAPI1ReadOnly, func(c *server.Config) {
		c.Clients = append(c.Clients, server.Registration{Client: tlsClient}, server.Registration{Client: selfClient})
		c.ClientCAs = cas
	})
	caClient := e.httpClient(t, &caIssued)
	impostorClient := e.httpClient(t, &impostor)
	selfSignedClient := e.httpClient(t, &selfSignedKey)

	form := func(clientID string) url.Values {
		return url.Values{
			"grant_type":    {"authorization_code"},
			"code":          {e.roCodeFor(t, clientID)},
			"redirect_uri":  {redirectURI},
			"client_id":     {clientID},
			"code_verifier": {verifier},
		}
	}
	tests := []struct {
		name       string
		clientID   string
		http       *http.Client
		wantStatus int
		wantError  string
	}{
		{"tls_client_auth with a CA-issued certificate", "tls-client", caClient, http.StatusOK, ""},
		{"tls_client_auth with a self-signed certificate of the same subject", "tls-client", impostorClient, http.StatusUnauthorized, "invalid_client"},
		{"tls_client_auth without a certificate", "tls-client", e.noCert, http.StatusUnauthorized, "invalid_client"},
		{"self_signed_tls_client_auth with the registered key", "self-signed-client", selfSignedClient, http.StatusOK, ""},
		{"self_signed_tls_client_auth with another certificate", "self-signed-client", e.withCert, http.StatusUnauthorized, "invalid_client"},
		{"self_signed_tls_client_auth without a certificate", "self-signed-client", e.noCert, http.StatusUnauthorized, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := e.token(t, tt.http, form(tt.clientID))
			assert.Equal(t, tt.wantStatus, tr.status, "%v", tr.body)
			if tt.wantError != "" {
				assert.Equal(t, tt.wantError, tr.body["error"], "%v", tr.body)
				// RFC 6749 §5.2: no HTTP authentication scheme covers mTLS
				// client authentication, so no challenge.
				assert.Empty(t, tr.header.Get("WWW-Authenticate"))
				return
			}
			at, _ := tr.body["access_token"].(string)
			info, ok, err := e.srv.LookupAccessToken(t.Context(), at)
			require.NoError(t, err)
			require.True(t, ok)
			assert.NotEmpty(t, info.CertificateThumbprint, "bound to the authenticating certificate")
		})
	}
}
