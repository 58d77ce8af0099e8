// Package casegen builds the library's case corpus (testdata/cases): every
// case is declared here, in Go, with its expected profile and violations;
// keys, certificates and signed objects are generated fresh each time the
// corpus is written. It is regenerated, with the module's other generated
// files, by
//
//	go generate ./...
//
// (or only the corpus: go run ./internal/generate cases).
// The expected outcome of each case is declared by hand, never recorded
// from the library's own output, so the corpus test can fail.
package casegen

import (
	"crypto/elliptic"
	"crypto/x509/pkix"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// roClientID is the public read-only client.
const roClientID = "ro-client"

// fixture holds the keys of one corpus generation.
type fixture struct {
	fixtures.Client              // the read-write client: its PS256 key and TLS certificate
	rwES            fixtures.Key // an ES256 client key
	other           fixtures.Key // another client's key
	small           fixtures.Key // RSA-1024
	otherCert       fixtures.Key
	dpop            fixtures.Key // the FAPI 2.0 client's DPoP key (ES256)
	dpopOther       fixtures.Key // a DPoP key the grant is not bound to
}

func newFixture() *fixture {
	return &fixture{
		Client:    fixtures.NewRWClient(),
		rwES:      fixtures.EC(elliptic.P256(), "rw-es-1", "ES256"),
		other:     fixtures.RSA(2048, "rw-1", "PS256"), // same kid, different key
		small:     fixtures.RSA(1024, "small-1", "PS256"),
		otherCert: fixtures.EC(elliptic.P256(), "tls-2", "ES256").WithCert(pkix.Name{CommonName: "someone-else.example.org"}),
		dpop:      fixtures.EC(elliptic.P256(), "", "ES256"),
		dpopOther: fixtures.EC(elliptic.P256(), "", "ES256"),
	}
}

type obj = fixtures.Obj

// roClient is the public read-only client.
func roClient() obj { return fixtures.ClientID(roClientID).ROPublicClient("code", "code id_token") }

func roParams() obj {
	return obj{
		"client_id":             roClientID,
		"response_type":         "code",
		"scope":                 "openid accounts",
		"redirect_uri":          fixtures.RedirectURI,
		"state":                 "xyz-state",
		"nonce":                 fixtures.Nonce,
		"code_challenge":        fixtures.S256(fixtures.Verifier),
		"code_challenge_method": "S256",
	}
}

// roTokenRequest is the public client's token request with the
// code_verifier, and the record of its code.
func roTokenRequest() obj {
	return obj{
		"params":        fixtures.With(fixtures.ROTokenParams(), "client_id", roClientID),
		"authorization": fixtures.ClientID(roClientID).RORecord(),
	}
}
