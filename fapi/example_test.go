package fapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/scope"
)

// exampleService is a FAPI 1.0 ID2 authorization server with one
// read-only and one read-and-write scope.
func exampleService() *fapi.Service {
	return &fapi.Service{
		Issuer:                   "https://as.example.com",
		TokenEndpoint:            "https://as.example.com/token",
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-id2",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
		},
		TokenEndpointAuthMethodsSupported:     []string{"private_key_jwt", "tls_client_auth"},
		ResponseTypesSupported:                []string{"code id_token"},
		AcrValuesSupported:                    []string{"urn:example:sca"},
		TLSClientCertificateBoundAccessTokens: true,
	}
}

func ExampleCheckService() {
	svc := exampleService()
	svc.TLSClientCertificateBoundAccessTokens = false

	report := fapi.CheckService(svc)
	fmt.Println(report.Profile, "chosen by", report.ChosenBy)
	for _, v := range report.Violations {
		fmt.Println(v.Code, v.Ref)
	}
	// Output:
	// fapi1-read-write chosen by scope payments (fapi=rw); also fapi1-read-only by scope accounts (fapi=r)
	// service.mtls_binding_unsupported FAPI-RW-5.2.2-6
}

func ExampleCheckClient() {
	client := fapi.PrepareClient(fapi.Client{
		ClientID:                "s6BhdRkqt3",
		RedirectURIs:            []string{"http://client.example.org/cb"},
		TokenEndpointAuthMethod: "client_secret_basic",
		Scope:                   "openid accounts",
	})

	report := fapi.CheckClient(exampleService(), client)
	fmt.Println(report.Profile)
	for _, v := range report.Violations {
		fmt.Printf("%s %s (%s)\n", v.Code, v.Field, v.Error)
	}
	// Output:
	// fapi1-read-only
	// client.auth_method_not_allowed token_endpoint_auth_method (invalid_client_metadata)
	// client.redirect_uri_not_https redirect_uris[0] (invalid_redirect_uri)
}

func ExampleCheckAuthorizationRequest() {
	// The client's key pair; a real server has only the public JWK Set the
	// client registered.
	key := fapitest.Must(fapitest.NewKey("PS256"))
	keys, _ := jwks.FromPublicKeys(key.Public())
	client := fapi.PrepareClientWithKeys(fapi.Client{
		ClientID:                              "s6BhdRkqt3",
		RedirectURIs:                          []string{"https://client.example.org/cb"},
		TokenEndpointAuthMethod:               "private_key_jwt",
		ResponseTypes:                         []string{"code id_token"},
		TLSClientCertificateBoundAccessTokens: true,
		RequestObjectSigningAlg:               "PS256",
		IDTokenSignedResponseAlg:              "PS256",
	}, keys)

	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	requestObject := fapitest.Must(fapitest.RequestObject(key, fapitest.Claims{
		"iss":           "s6BhdRkqt3",
		"aud":           "https://as.example.com",
		"exp":           now.Add(-time.Minute).Unix(), // already expired
		"client_id":     "s6BhdRkqt3",
		"response_type": "code id_token",
		"redirect_uri":  "https://client.example.org/cb",
		"scope":         "openid payments",
		"state":         "af0ifjsldkj",
		"nonce":         "n-0S6_WzA2Mj",
		"claims":        map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true}}},
	}))

	report := fapi.CheckAuthorizationRequest(exampleService(), client, &fapi.AuthorizationRequest{
		Params: fapi.Params{
			"client_id":     {"s6BhdRkqt3"},
			"response_type": {"code id_token"},
			"scope":         {"openid payments"},
			"request":       {requestObject},
		},
	}, now)

	fmt.Println(report.Profile)
	v, _ := report.First()
	fmt.Println(v.Code, v.Ref, v.Error)
	// The object verified, so its redirect_uri is trusted: the error goes
	// back to the client rather than to an error page.
	uri, ok := report.ErrorRedirectURI()
	fmt.Println(uri, ok)
	// Output:
	// fapi1-read-write
	// request_object.expired RFC7519-4.1.4 invalid_request_object
	// https://client.example.org/cb true
}

func ExampleCheckTokenRequest() {
	client := fapi.PrepareClient(fapi.Client{
		ClientID:                "pub",
		ClientType:              "public",
		RedirectURIs:            []string{"https://client.example.org/cb"},
		TokenEndpointAuthMethod: "none",
		Scope:                   "openid accounts",
	})
	report := fapi.CheckTokenRequest(exampleService(), client, &fapi.TokenRequest{
		Params: fapi.Params{
			"grant_type":    {"authorization_code"},
			"code":          {"SplxlOBeZQQYbYS6WxSbIA"},
			"client_id":     {"pub"},
			"redirect_uri":  {"https://client.example.org/cb"},
			"code_verifier": {"a-wrong-verifier-that-is-long-enough-to-be-well-formed"},
		},
		// What the server stored when it issued the code.
		Authorization: &fapi.AuthorizationRecord{
			ClientID:            "pub",
			RedirectURI:         "https://client.example.org/cb",
			Scope:               "openid accounts",
			CodeChallenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
			CodeChallengeMethod: "S256",
		},
	}, time.Now())

	out, _ := json.MarshalIndent(report.Violations, "", "  ")
	fmt.Println(string(out))
	// Output:
	// [
	//   {
	//     "code": "pkce.verifier_mismatch",
	//     "field": "code_verifier",
	//     "message": "code_verifier does not match the code_challenge of the authorization",
	//     "ref": "RFC7636-4.6",
	//     "error": "invalid_grant"
	//   }
	// ]
}

func ExampleReport_Err() {
	report := fapi.CheckService(&fapi.Service{
		Issuer:                   "https://as.example.com",
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "2.0",
	})
	err := report.Err()
	fmt.Println(errors.Is(err, fapi.ErrProfile), errors.Is(err, fapi.CodeProfileSettingInvalid))
	// Output:
	// true true
}
