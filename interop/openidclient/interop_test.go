// Package openidclient_test checks the library against requests built by
// openid-client, a certified OpenID Connect relying party library for
// Node.js that nobody here wrote: what it sends by default must be judged
// as the specifications say, not as is easiest to check.
//
// The tests run node on the scripts beside this file: jar.mjs builds a
// request object by value for the library's check points
// (TestJARByDefault); rp.mjs is a relying party that TestServerFlows runs
// against the example server (examples/authserver) started as a process.
// ./test.sh installs the pinned openid-client first (npm ci) and sets
// FAPICHECK_INTEROP=1, which makes a missing node or package a failure;
// without it the tests are skipped when either is missing.
package openidclient_test

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/scope"
)

const (
	issuer   = "https://as.example.com"
	authzURL = "https://as.example.com/authorize"
	clientID = "openid-client-rp"
	redirect = "https://rp.example.org/cb"
)

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// privateJWK is the RSA private key as a JWK (RFC 7518 §6.3), for WebCrypto.
func privateJWK(k *rsa.PrivateKey, kid string) map[string]string {
	k.Precompute()
	n := func(i *big.Int) string { return b64(i.Bytes()) }
	return map[string]string{
		"kty": "RSA", "kid": kid, "alg": "PS256",
		"n": n(k.N), "e": n(big.NewInt(int64(k.E))), "d": n(k.D),
		"p": n(k.Primes[0]), "q": n(k.Primes[1]),
		"dp": n(k.Precomputed.Dp), "dq": n(k.Precomputed.Dq), "qi": n(k.Precomputed.Qinv),
	}
}

// buildJAR asks openid-client for the authorization URL of params, signed
// with key, and returns its query.
func buildJAR(t *testing.T, key fixtures.Key, params map[string]string) fapi.Params {
	t.Helper()
	node := requireOpenIDClient(t)
	in, err := json.Marshal(map[string]any{
		"issuer": issuer, "authorization_endpoint": authzURL, "client_id": clientID,
		"private_jwk": privateJWK(key.Private.(*rsa.PrivateKey), key.ID), "params": params,
	})
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, "jar.mjs")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	require.NoError(t, cmd.Run(), "openid-client: %s", stderr.String())
	u, err := url.Parse(string(bytes.TrimSpace(stdout.Bytes())))
	require.NoError(t, err)
	require.Equal(t, authzURL, u.Scheme+"://"+u.Host+u.Path)
	return fapi.Params(u.Query())
}

func service(version string) *fapi.Service {
	return &fapi.Service{
		Issuer: issuer, AuthorizationEndpoint: authzURL, TokenEndpoint: issuer + "/token",
		SupportedServiceProfiles: []string{"fapi"}, FAPIVersion: version,
		Scopes:                                []scope.Definition{{Name: "openid"}, {Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}}},
		TokenEndpointAuthMethodsSupported:     []string{"private_key_jwt"},
		ResponseTypesSupported:                []string{"code id_token", "code"},
		ResponseModesSupported:                []string{"jwt"},
		CodeChallengeMethodsSupported:         []string{"S256"},
		AcrValuesSupported:                    []string{"urn:example:loa:3"},
		TLSClientCertificateBoundAccessTokens: true,
		RequestParameterSupported:             true,
	}
}

func client(key fixtures.Key) *fapi.PreparedClient {
	return fapi.PrepareClient(fapi.Client{
		ClientID: clientID, ClientType: "confidential", RedirectURIs: []string{redirect},
		TokenEndpointAuthMethod: "private_key_jwt", JWKS: fixtures.JWKS(key),
		ResponseTypes: []string{"code id_token"}, TLSClientCertificateBoundAccessTokens: true,
		RequestObjectSigningAlg: "PS256", TokenEndpointAuthSigningAlg: "PS256", IDTokenSignedResponseAlg: "PS256",
	})
}

// TestJARByDefault: openid-client's buildAuthorizationUrlWithJAR sends only
// client_id and request outside the object. Under FAPI 1.0 Advanced only
// the object's values count (RFC 9101 §6.3), so the request is accepted
// as it is; under FAPI 1.0 ID2 read-write OIDC Core §6.1 still wants
// response_type and scope outside, and the request is refused for that
// alone.
func TestJARByDefault(t *testing.T) {
	key := fixtures.RSA(2048, "rp-1", "PS256")
	params := buildJAR(t, key, map[string]string{
		"redirect_uri": redirect, "response_type": "code id_token", "scope": "openid payments",
		"state": "af0ifjsldkj", "nonce": "n-0S6_WzA2Mj",
		"claims": `{"id_token":{"acr":{"essential":true,"values":["urn:example:loa:3"]}}}`,
	})
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	assert.ElementsMatch(t, []string{"client_id", "request"}, names, "what openid-client sends outside the object")

	// openid-client signs with the current time, so the check runs at it.
	now := time.Now()
	rep := fapi.CheckAuthorizationRequest(service("1.0-final"), client(key), &fapi.AuthorizationRequest{Params: params}, now)
	assert.True(t, rep.OK(), "FAPI 1.0 Advanced: %v", rep.Violations)
	assert.Equal(t, "fapi1-advanced", string(rep.Profile))
	assert.Equal(t, redirect, rep.Parameters()["redirect_uri"])
	assert.Equal(t, "openid payments", rep.Parameters()["scope"])

	rw := fapi.CheckAuthorizationRequest(service("1.0-id2"), client(key), &fapi.AuthorizationRequest{Params: params}, now)
	assert.Equal(t, "fapi1-read-write", string(rw.Profile))
	assert.Equal(t, []fapi.Code{fapi.CodeParameterMissing, fapi.CodeParameterMissing}, rw.Codes(), "%v", rw.Violations)
}
