package idptest_test

import (
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// An IdP's test builds its configuration inline and prints what fapi finds
// wrong with a request: here a read-only (fapi=r) request with a plain-http
// redirect URI, no state and no PKCE.
func Example() {
	svc := &fapi.Service{
		Issuer:                   "https://idp.example.com",
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-id2",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
		},
		TokenEndpointAuthMethodsSupported: []string{"private_key_jwt"},
		ResponseTypesSupported:            []string{"code"},
	}
	client := fapi.PrepareClient(fapi.Client{
		ClientID:                "client-1",
		ClientType:              "confidential",
		RedirectURIs:            []string{"https://client.example.org/cb"},
		TokenEndpointAuthMethod: "private_key_jwt",
		ResponseTypes:           []string{"code"},
	})

	report := fapi.CheckAuthorizationRequest(svc, client, &fapi.AuthorizationRequest{
		Params: fapi.Params{
			"client_id":     {"client-1"},
			"response_type": {"code"},
			"scope":         {"accounts"},
			"redirect_uri":  {"http://client.example.org/cb"},
		},
	}, time.Date(2019, 4, 11, 9, 0, 0, 0, time.UTC))

	fmt.Println(report.Profile, "chosen by", report.ChosenBy)
	for _, v := range report.Violations {
		fmt.Println(v.Code, v.Ref, v.Error)
	}
	_, redirect := report.ErrorRedirectURI()
	fmt.Println("may redirect the error:", redirect)
	// Output:
	// fapi1-read-only chosen by scope accounts (fapi=r)
	// redirect_uri.not_https FAPI-R-5.2.2-20 invalid_request
	// redirect_uri.not_registered FAPI-R-5.2.2-10 invalid_request
	// state.missing FAPI-R-5.2.3-9 invalid_request
	// pkce.challenge_missing FAPI-R-5.2.2-7 invalid_request
	// may redirect the error: false
}
