package fapitest_test

import (
	"crypto/x509/pkix"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// A FAPI 2.0 flow with DPoP-bound tokens: the valid requests pass, and
// each broken variant is refused with the code it declares. A server's
// own test sends the same requests to its endpoints instead.
func Example() {
	now := time.Now()
	svc, err := fapitest.NewService(profile.FAPI2Security, "https://as.example.com")
	if err != nil {
		panic(err)
	}
	flow := &fapitest.Flow{
		Profile: profile.FAPI2Security,
		Service: svc,
		Client: fapitest.Client{
			ID:          "client-1",
			RedirectURI: "https://client.example.org/cb",
			Key:         fapitest.Must(fapitest.NewKey("PS256")),
			DPoPKey:     fapitest.Must(fapitest.NewKey("ES256")),
		},
		Now: now,
	}
	client := fapitest.Must(flow.PreparedClient())

	par := fapi.CheckPushedAuthorizationRequest(svc, client, fapitest.Must(flow.PushedAuthorization()), now)
	auth := fapi.CheckAuthorizationRequest(svc, client, fapitest.Must(flow.Authorization()), now)
	token := fapi.CheckTokenRequest(svc, client, fapitest.Must(flow.Token()), now)
	fmt.Println(par.Profile, par.OK(), auth.OK(), token.OK())

	for _, v := range fapitest.Must(flow.Variants()) {
		var r fapi.Report
		switch v.Step {
		case fapitest.StepPushed:
			r = fapi.CheckPushedAuthorizationRequest(svc, client, v.Pushed, now).Report
		case fapitest.StepAuthorization:
			r = fapi.CheckAuthorizationRequest(svc, client, v.Authorization, now).Report
		case fapitest.StepToken:
			r = fapi.CheckTokenRequest(svc, client, v.Token, now).Report
		}
		fmt.Println(v.Step, v.Name, v.Clause, r.Has(v.Want))
	}
	// Output:
	// fapi2-security true true true
	// pushed_authorization_request pkce.challenge_missing FAPI2-SP-5.3.2.2-5 true
	// pushed_authorization_request pkce.method_not_s256 FAPI2-SP-5.3.2.2-5 true
	// token_request client_assertion.expired RFC7523-3 true
	// token_request client_assertion.aud_mismatch FAPI2-SP-5.3.2.1-8 true
	// token_request client_assertion.jti_missing OIDCC-9 true
	// token_request client_assertion.signature_invalid OIDCC-9 true
	// token_request client_assertion.alg_confusion FAPI2-SP-5.4.1-1 true
	// token_request dpop.htu_mismatch DPOP-4.3 true
	// token_request dpop.htm_mismatch DPOP-4.3 true
	// token_request dpop.iat_too_old DPOP-4.3 true
	// token_request dpop.jkt_mismatch FAPI2-SP-5.3.2.1-12 true
	// token_request code.expired FAPI2-SP-5.3.2.1-11 true
}

// A client's key, its registration's JWK Set, and a request object signed
// with it.
func ExampleNewKey() {
	key, err := fapitest.NewKey("ES256")
	if err != nil {
		panic(err)
	}
	set, err := key.PublicJWKS() // the client's registered jwks
	if err != nil {
		panic(err)
	}
	fmt.Println(len(set) > 0, key.Alg, key.ID != "")

	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	claims, err := fapitest.RequestObjectClaims("https://as.example.com", "client-1", map[string]string{
		"response_type": "code",
		"scope":         "openid accounts",
	}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims["iss"], claims["aud"], claims["exp"].(int64)-claims["nbf"].(int64))
	obj, err := fapitest.RequestObject(key, claims)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(obj) > 0)
	// Output:
	// true ES256 true
	// client-1 https://as.example.com 300
	// true
}

// A self-signed client certificate for mTLS client authentication and
// certificate-bound tokens (RFC 8705).
func ExampleNewClientCertificate() {
	key := fapitest.Must(fapitest.NewKey("ES256"))
	cert, err := fapitest.NewClientCertificate(key, pkix.Name{CommonName: "client.example.org"}, "client.example.org")
	if err != nil {
		panic(err)
	}
	fmt.Println(cert.Subject, cert.DNSNames)
	// Output:
	// CN=client.example.org [client.example.org]
}

// A DPoP proof for a token request, bound to its key's thumbprint.
func ExampleDPoPProof() {
	key := fapitest.Must(fapitest.NewKey("ES256"))
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	proof, err := fapitest.DPoPProof(key, fapitest.DPoPClaims("POST", "https://as.example.com/token", now))
	if err != nil {
		panic(err)
	}
	jkt := fapitest.Must(key.Thumbprint()) // the dpop_jkt the code is bound to
	fmt.Println(len(proof) > 0, len(jkt))
	// Output:
	// true 43
}
