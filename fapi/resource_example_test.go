package fapi_test

import (
	"context"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/scope"
)

// A resource server checks each API call: the access token comes in the
// Authorization header, the server looks up what it knows of the token
// (its own JWT validation or introspection), and the check enforces the
// token's sender constraint. A DPoP-bound FAPI 2.0 token is accepted with
// the DPoP scheme and a proof of its key for this request, and refused as
// a plain bearer token.
func ExampleChecker_Resource() {
	ck, _ := fapi.NewChecker(fapi.Service{
		Issuer:                   "https://as.example.com",
		SupportedServiceProfiles: []string{"fapi"},
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}},
		},
		DPoPSigningAlgValuesSupported: []string{"ES256", "PS256"},
	})
	now := time.Now()

	// The client's DPoP key, and the token the authorization server bound
	// to it.
	key := fapitest.Must(fapitest.NewKey("ES256"))
	jkt := fapitest.Must(key.Thumbprint())
	const accessToken = "2YotnFZFEjr1zCsicMWpAA"
	claims := fapitest.DPoPClaims("GET", "https://api.example.com/accounts", now)
	claims["ath"] = fapitest.AccessTokenHash(accessToken)
	proof := fapitest.Must(fapitest.DPoPProof(key, claims))

	// What the resource server knows of its valid tokens (from their JWT
	// claims or from introspection).
	records := map[string]*fapi.AccessTokenRecord{
		accessToken: {TokenType: "DPoP", Scope: "openid accounts", DPoPJKT: jkt},
	}

	// In a handler: r.Header.Values("Authorization"), r.Header.Values("DPoP").
	authorization := []string{"DPoP " + accessToken}
	token, _ := fapi.AccessToken(authorization)
	record := records[token] // nil for an unknown token: refused

	res := ck.Resource(context.Background(), &fapi.ResourceRequest{
		Method:        "GET",
		URL:           "https://api.example.com/accounts",
		Authorization: authorization,
		DPoP:          []string{proof},
		Token:         record,
	}, now)
	fmt.Println(res.OK(), res.Profile)

	// The same token as a bearer token: a downgrade (RFC 9449 §7.2).
	res = ck.Resource(context.Background(), &fapi.ResourceRequest{
		Method:        "GET",
		URL:           "https://api.example.com/accounts",
		Authorization: []string{"Bearer " + accessToken},
		Token:         record,
	}, now)
	fmt.Println(res.Codes(), res.Status)
	fmt.Println("WWW-Authenticate:", res.Challenge)
	// Output:
	// true fapi2-security
	// [resource.dpop_scheme_required] 401
	// WWW-Authenticate: DPoP error="invalid_token", algs="ES256 PS256"
}
