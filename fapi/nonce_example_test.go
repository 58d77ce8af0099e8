package fapi_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// A FAPI 2.0 server that requires DPoP nonces (RFC 9449 §8): the client's
// first token request has no nonce and is answered use_dpop_nonce with the
// nonce for the DPoP-Nonce header; its retry with that nonce passes.
func ExampleWithDPoPNonces() {
	secret := make([]byte, 32) // shared by every instance of the server
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	nonces, err := dpopnonce.New(secret, dpopnonce.WithLabel("as"))
	if err != nil {
		panic(err)
	}
	svc := fapitest.Must(fapitest.NewService(profile.FAPI2Security, "https://as.example.com"))
	svc.RequireDPoPNonce = true
	ck, rep := fapi.NewChecker(*svc, fapi.WithDPoPNonces(nonces))
	fmt.Println("configuration OK:", rep.OK())

	now := time.Now()
	flow := &fapitest.Flow{Profile: profile.FAPI2Security, Service: svc, Now: now, Client: fapitest.Client{
		ID: "client-1", RedirectURI: "https://client.example.org/cb",
		Key:     fapitest.Must(fapitest.NewKey("PS256")),
		DPoPKey: fapitest.Must(fapitest.NewKey("ES256")),
	}}
	pc := fapitest.Must(flow.PreparedClient())

	res := ck.Token(context.Background(), pc, fapitest.Must(flow.Token()), now)
	v, _ := res.First()
	fmt.Println(v.Code, v.Error, res.DPoPNonceHeader != "")

	flow.DPoPNonce = res.DPoPNonceHeader // the client retries with the nonce
	res = ck.Token(context.Background(), pc, fapitest.Must(flow.Token()), now)
	fmt.Println("retry OK:", res.OK())
	// Output:
	// configuration OK: true
	// dpop.nonce_missing use_dpop_nonce true
	// retry OK: true
}
