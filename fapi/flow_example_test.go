package fapi_test

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// A FAPI 2.0 Security Profile server, one flow through its three
// endpoints: the pushed authorization request (PAR, required:
// FAPI2-SP-5.3.2.2-2) with a DPoP proof and the server's nonce, the
// authorization request that names the pushed request_uri, its completion
// (the request_uri is used once, RFC 9126 §7.3), and the token request that
// redeems the code, once. The client's requests are signed by package
// fapitest, as a client would send them.
func ExampleChecker_fapi2() {
	const issuer = "https://as.example.com"
	svc := fapi.Service{
		Issuer:                             issuer,
		AuthorizationEndpoint:              issuer + "/authorize",
		PushedAuthorizationRequestEndpoint: issuer + "/par",
		TokenEndpoint:                      issuer + "/token",
		SupportedServiceProfiles:           []string{profile.ServiceProfileFAPI},
		Scopes: []scope.Definition{
			{Name: "openid"},
			// fapi2=sp: a request for this scope is held to the FAPI 2.0
			// Security Profile.
			{Name: "accounts", Attributes: []scope.Attribute{{Key: profile.AttrFAPI2, Value: profile.AttrSecurity}}},
		},
		RequirePushedAuthorizationRequests:         true,
		ResponseTypesSupported:                     []string{"code"},
		CodeChallengeMethodsSupported:              []string{"S256"},
		TokenEndpointAuthMethodsSupported:          []string{profile.AuthPrivateKeyJWT},
		TokenEndpointAuthSigningAlgValuesSupported: []string{"PS256", "ES256"},
		IDTokenSigningAlgValuesSupported:           []string{"PS256", "ES256"},
		DPoPSigningAlgValuesSupported:              []string{"ES256", "PS256"},
		RequireDPoPNonce:                           true,
		AuthorizationResponseIssParameterSupported: true,
		GrantTypesSupported:                        []string{fapi.GrantTypeAuthorizationCode},
		RequestURILifetime:                         60,
		AuthorizationCodeLifetime:                  60,
	}
	secret := make([]byte, 32) // shared by every instance of the server
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	nonces := fapitest.Must(dpopnonce.New(secret))
	store := onetime.NewMemory(1 << 16) // or redisstore.New(client), shared by every instance
	ck, rep := fapi.NewChecker(svc, fapi.WithStore(store), fapi.WithDPoPNonces(nonces))
	fmt.Println("configuration:", rep.OK())

	// The client, as its registration says: private_key_jwt with its JWK
	// Set, one redirect URI, DPoP-bound tokens.
	now := time.Now()
	flow := &fapitest.Flow{Profile: profile.FAPI2Security, Service: &svc, Now: now, Scope: "openid accounts",
		Client: fapitest.Client{
			ID: "client-1", RedirectURI: "https://client.example.org/cb",
			Key:     fapitest.Must(fapitest.NewKey("PS256")),
			DPoPKey: fapitest.Must(fapitest.NewKey("ES256")),
		}}
	client := fapi.PrepareClient(fapitest.Must(flow.Registration()))
	fmt.Println("client:", ck.CheckClient(client).OK())

	// PAR: the first proof has no nonce; the answer is use_dpop_nonce with
	// the nonce in the DPoP-Nonce header, and the client retries.
	par := ck.PushedAuthorization(context.Background(), client, fapitest.Must(flow.PushedAuthorization()), now)
	v, _ := par.First()
	fmt.Println("PAR:", v.Error)
	flow.DPoPNonce = par.DPoPNonceHeader
	par = ck.PushedAuthorization(context.Background(), client, fapitest.Must(flow.PushedAuthorization()), now)
	fmt.Println("PAR retried:", par.OK())
	// The server issues a request_uri and stores with it what the check
	// validated, and the DPoP key the proof was signed with (RFC 9449 §10).
	pushed := &fapi.PushedRecord{ClientID: "client-1", ExpiresAt: now.Add(time.Minute),
		Params: par.Parameters(), DPoPJKT: par.Parameters()["dpop_jkt"]}

	// Authorization: the browser brings client_id and the request_uri.
	az := ck.Authorization(client, &fapi.AuthorizationRequest{
		Params: fapi.Params{"client_id": {"client-1"}, "request_uri": {"urn:ietf:params:oauth:request_uri:abc"}},
		Pushed: pushed,
	}, now)
	fmt.Println("authorization:", az.OK())
	// After login and consent, before the code is issued:
	fmt.Println("completed:", ck.CompleteAuthorization(context.Background(), az, now).OK())
	fmt.Println("completed again:", ck.CompleteAuthorization(context.Background(), az, now).Codes())

	// Token: the code's record is what the server stored with the code.
	record := &fapi.AuthorizationRecord{ClientID: "client-1", IssuedAt: now, DPoPJKT: pushed.DPoPJKT,
		RedirectURI: pushed.Params["redirect_uri"], Scope: pushed.Params["scope"],
		CodeChallenge: pushed.Params["code_challenge"], CodeChallengeMethod: pushed.Params["code_challenge_method"]}
	tr := fapitest.Must(flow.Token())
	tr.Authorization = record
	tok := ck.Token(context.Background(), client, tr, now)
	fmt.Println("token:", tok.OK(), "bound to the DPoP key:", tok.DPoPThumbprint == pushed.DPoPJKT)
	tr = fapitest.Must(flow.Token()) // a fresh assertion and proof, the same code
	tr.Authorization = record
	tok = ck.Token(context.Background(), client, tr, now)
	fmt.Println("code again:", tok.Codes(), "revoke the grant:", tok.RevokeGrant)
	// Output:
	// configuration: true
	// client: true
	// PAR: use_dpop_nonce
	// PAR retried: true
	// authorization: true
	// completed: true
	// completed again: [par.request_uri_reused]
	// token: true bound to the DPoP key: true
	// code again: [code.reused] revoke the grant: true
}

// A FAPI 1.0 Advanced server: the authorization request is a signed
// request object by value (FAPI1-ADV-5.2.2-1), here sent as RFC 9101 §5
// and standard clients send it by default, with only client_id and request
// outside the object; the response is code with a JARM response mode (or
// the hybrid code id_token, FAPI1-ADV-5.2.2-2); access tokens are bound to
// the client's TLS certificate (FAPI1-ADV-5.2.2-5, RFC 8705 §3).
func ExampleChecker_fapi1Advanced() {
	const issuer = "https://as.example.com"
	svc := fapi.Service{
		Issuer:                   issuer,
		AuthorizationEndpoint:    issuer + "/authorize",
		TokenEndpoint:            issuer + "/token",
		SupportedServiceProfiles: []string{profile.ServiceProfileFAPI},
		FAPIVersion:              profile.VersionFinal,
		Scopes: []scope.Definition{
			{Name: "openid"},
			// fapi=rw under FAPI 1.0 Final: the Advanced profile.
			{Name: "payments", Attributes: []scope.Attribute{{Key: profile.AttrFAPI, Value: profile.AttrReadWrite}}},
		},
		ResponseTypesSupported:                     []string{"code id_token", "code"},
		ResponseModesSupported:                     []string{"fragment", "query.jwt", "fragment.jwt", "form_post.jwt", "jwt"},
		AcrValuesSupported:                         []string{"urn:openbanking:psd2:sca"},
		CodeChallengeMethodsSupported:              []string{"S256"},
		TokenEndpointAuthMethodsSupported:          []string{profile.AuthPrivateKeyJWT},
		TokenEndpointAuthSigningAlgValuesSupported: []string{"PS256", "ES256"},
		RequestObjectSigningAlgValuesSupported:     []string{"PS256", "ES256"},
		IDTokenSigningAlgValuesSupported:           []string{"PS256", "ES256"},
		AuthorizationSigningAlgValuesSupported:     []string{"PS256", "ES256"},
		RequestParameterSupported:                  true,
		TLSClientCertificateBoundAccessTokens:      true,
		AuthorizationResponseIssParameterSupported: true,
		GrantTypesSupported:                        []string{fapi.GrantTypeAuthorizationCode},
	}
	ck, rep := fapi.NewChecker(svc, fapi.WithStore(onetime.NewMemory(1<<16)))
	fmt.Println("configuration:", rep.OK())

	now := time.Now()
	key := fapitest.Must(fapitest.NewKey("PS256"))
	flow := &fapitest.Flow{Profile: profile.FAPI1Advanced, Service: &svc, Now: now, Scope: "openid payments",
		Client: fapitest.Client{
			ID: "client-1", RedirectURI: "https://client.example.org/cb", Key: key,
			Certificate: fapitest.Must(fapitest.NewClientCertificate(key, pkix.Name{CommonName: "client-1"})),
		}}
	registration := fapitest.Must(flow.Registration())
	client := fapi.PrepareClient(registration)
	fmt.Println("client:", ck.CheckClient(client).OK())

	// By value, only client_id and request outside the object.
	ar := fapitest.Must(flow.Authorization())
	ar.Params = fapi.Params{"client_id": ar.Params["client_id"], "request": ar.Params["request"]}
	az := ck.Authorization(client, ar, now)
	fmt.Println("authorization:", az.OK())
	// The object's values are the request's (FAPI1-ADV-5.2.2-10).
	mode, _ := az.Parameter("response_type")
	fmt.Println("response_type:", mode)

	// Token: the code's record (set by the flow here) and the certificate of
	// the TLS connection.
	tr := fapitest.Must(flow.Token())
	tok := ck.Token(context.Background(), client, tr, now)
	fmt.Println("token:", tok.OK(), "bound to the certificate:", tok.CertificateThumbprint != "")
	tr = fapitest.Must(flow.Token())
	tr.ClientCertificate = nil // the same request without the client's certificate
	tok = ck.Token(context.Background(), client, tr, now)
	fmt.Println("without the certificate:", tok.Codes())
	// Output:
	// configuration: true
	// client: true
	// authorization: true
	// response_type: code id_token
	// token: true bound to the certificate: true
	// without the certificate: [mtls.certificate_missing]
}
