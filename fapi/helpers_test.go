package fapi_test

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/scope"
)

var now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

const (
	issuer   = "https://as.example.com"
	tokenURL = "https://as.example.com/token"
	cb       = "https://client.example.org/cb"
	verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// keys are generated once per test binary.
var (
	clientKey = fixtures.RSA(2048, "k1", "PS256")
	otherKey  = fixtures.RSA(2048, "k1", "PS256")
	tlsKey    = fixtures.EC(elliptic.P256(), "tls", "ES256").WithCert(pkix.Name{CommonName: "client.example.org"})
)

func service() *fapi.Service {
	return &fapi.Service{
		Issuer:                   issuer,
		TokenEndpoint:            tokenURL,
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-id2",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
		},
		TokenEndpointAuthMethodsSupported:     []string{"private_key_jwt", "tls_client_auth", "none"},
		ResponseTypesSupported:                []string{"code id_token", "code"},
		AcrValuesSupported:                    []string{"urn:example:sca"},
		TLSClientCertificateBoundAccessTokens: true,
	}
}

func rwClient() fapi.Client {
	return fapi.Client{
		ClientID:                              "rw",
		ClientType:                            "confidential",
		RedirectURIs:                          []string{cb},
		TokenEndpointAuthMethod:               "private_key_jwt",
		JWKS:                                  json.RawMessage(fixtures.JWKS(clientKey)),
		ResponseTypes:                         []string{"code id_token"},
		TLSClientCertificateBoundAccessTokens: true,
		RequestObjectSigningAlg:               "PS256",
		TokenEndpointAuthSigningAlg:           "PS256",
		IDTokenSignedResponseAlg:              "PS256",
	}
}

func publicClient() fapi.Client {
	return fapi.Client{
		ClientID:                "pub",
		RedirectURIs:            []string{cb},
		TokenEndpointAuthMethod: "none",
		ResponseTypes:           []string{"code", "code id_token"},
		Scope:                   "openid accounts",
	}
}

func rwClaims() map[string]any {
	return map[string]any{
		"iss": "rw", "aud": issuer, "exp": now.Add(5 * time.Minute).Unix(),
		"client_id": "rw", "response_type": "code id_token", "redirect_uri": cb,
		"scope": "openid payments", "state": "s1", "nonce": "n1",
		"claims": map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true}}},
	}
}

func rwRequest(claims map[string]any) *fapi.AuthorizationRequest {
	return &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id":     {"rw"},
		"response_type": {"code id_token"},
		"scope":         {"openid payments"},
		"request":       {fixtures.Sign(clientKey, "PS256", claims, nil)},
	}}
}

func roRequest() *fapi.AuthorizationRequest {
	return &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id":             {"pub"},
		"response_type":         {"code"},
		"scope":                 {"openid accounts"},
		"redirect_uri":          {cb},
		"state":                 {"s1"},
		"nonce":                 {"n1"},
		"code_challenge":        {fixtures.S256(verifier)},
		"code_challenge_method": {"S256"},
	}}
}

func assertion(claims map[string]any) string {
	base := map[string]any{"iss": "rw", "sub": "rw", "aud": tokenURL, "exp": now.Add(time.Minute).Unix(), "jti": "j1"}
	for k, v := range claims {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	return fixtures.Sign(clientKey, "PS256", base, nil)
}

func rwTokenRequest() *fapi.TokenRequest {
	return &fapi.TokenRequest{
		Params: fapi.Params{
			"grant_type":            {"authorization_code"},
			"code":                  {"c1"},
			"redirect_uri":          {cb},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {assertion(nil)},
		},
		ClientCertificate: tlsKey.Cert,
		Authorization:     &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid payments"},
	}
}

func codes(r interface{ Codes() []fapi.Code }) []fapi.Code {
	if out := r.Codes(); out != nil {
		return out
	}
	return []fapi.Code{}
}
