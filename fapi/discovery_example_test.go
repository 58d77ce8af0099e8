package fapi_test

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// ExampleServiceFromDiscovery builds a FAPI 2.0 server's configuration from
// its discovery document (as served at /.well-known/openid-configuration)
// and the library's own FAPI settings, which no discovery document carries.
func ExampleServiceFromDiscovery() {
	doc := []byte(`{
	  "issuer": "https://as.example.com",
	  "authorization_endpoint": "https://as.example.com/authorize",
	  "token_endpoint": "https://as.example.com/token",
	  "pushed_authorization_request_endpoint": "https://as.example.com/par",
	  "require_pushed_authorization_requests": true,
	  "scopes_supported": ["openid", "payments"],
	  "response_types_supported": ["code"],
	  "token_endpoint_auth_methods_supported": ["private_key_jwt"],
	  "code_challenge_methods_supported": ["S256"],
	  "dpop_signing_alg_values_supported": ["ES256"],
	  "authorization_response_iss_parameter_supported": true,
	  "claims_parameter_supported": true,
	  "x_vendor_feature": true
	}`)
	settings := fapi.FAPISettings{
		SupportedServiceProfiles: []string{"fapi"},
		Scopes: []scope.Definition{
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}},
		},
		AuthorizationCodeLifetime: 60,
		RequestURILifetime:        90,
		ExpectedIssuer:            "https://as.example.com",
	}
	svc, warnings, err := fapi.ServiceFromDiscovery(doc, settings)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	rep := fapi.CheckService(&svc)
	fmt.Println(rep.Profile, len(rep.Violations))

	// The same document without the FAPI settings is refused, never run
	// under profile none.
	_, _, err = fapi.ServiceFromDiscovery(doc, fapi.FAPISettings{})
	fmt.Println(errors.Is(err, fapi.ErrNoFAPISettings))
	// Output:
	// warning: "x_vendor_feature": unknown member (ignored; extensions are legal)
	// fapi2-security 0
	// true
}

// ExampleClientFromRegistration builds a client from its registration
// (RFC 7591 §3.2.1) and checks it against the service's profiles.
func ExampleClientFromRegistration() {
	reg := []byte(`{
	  "client_id": "s6BhdRkqt3",
	  "client_name": "Example",
	  "client_name#de": "Beispiel",
	  "client_id_issued_at": 1700000000,
	  "redirect_uris": ["https://client.example.org/cb"],
	  "token_endpoint_auth_method": "tls_client_auth",
	  "tls_client_auth_subject_dn": "CN=client.example.org",
	  "tls_client_certificate_bound_access_tokens": true
	}`)
	c, warnings, err := fapi.ClientFromRegistration(reg, fapi.ClientSettings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ClientID, c.TokenEndpointAuthMethod, len(warnings))

	_, _, err = fapi.ClientFromRegistration([]byte(`{"client_id":"a","jwks":{"keys":[]},"jwks_uri":"https://c/jwks"}`), fapi.ClientSettings{})
	fmt.Println(err)
	// Output:
	// s6BhdRkqt3 tls_client_auth 0
	// fapi: jwks_uri: jwks and jwks_uri must not both be present
}
