package attacks

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/testfixture"
)

// The valid baselines the attacks are mutations of, as in the case corpus
// (internal/casegen): a FAPI 1.0 read-write (Implementer's Draft 2) service
// and private_key_jwt client for request objects and client assertions, and
// a FAPI 2.0 Security Profile service with a DPoP-bound client for DPoP
// proofs. Each attack changes the token alone (and, where the attack is a
// weak registered key, the client's jwks and signing algorithms).

type obj = fixtures.Obj

// fixture holds the keys of one generation.
type fixture struct {
	fixtures.Client                 // the client: its registered PS256 key and TLS certificate
	rwES            testfixture.Key // the client's registered ES256 key (ECDSA attacks)
	dpop            testfixture.Key // the FAPI 2.0 client's DPoP key, which the grant is bound to
	other           testfixture.Key // another client's registered key
	attacker        testfixture.Key // an attacker's RSA key, with a certificate (x5c)
	atkEC           testfixture.Key // an attacker's P-256 key, with a certificate (DPoP)

	// Weak and disallowed keys.
	rsa2047, rsa1024, rsa768, rsaE1 testfixture.RawRSAKey
	p224                            testfixture.Key
	k1                              testfixture.Secp256k1Key
}

func newFixture() *fixture {
	return &fixture{
		Client:   fixtures.NewRWClient(),
		rwES:     testfixture.EC(elliptic.P256(), "rw-es-1", "ES256"),
		dpop:     testfixture.EC(elliptic.P256(), "", "ES256"),
		other:    testfixture.RSA(2048, "other-client-1", "PS256"),
		attacker: testfixture.RSA(2048, "attacker-1", "PS256").WithCert(pkix.Name{CommonName: "attacker.example"}),
		atkEC:    testfixture.EC(elliptic.P256(), "", "ES256").WithCert(pkix.Name{CommonName: "attacker.example"}),
		rsa2047:  testfixture.RawRSA(2047, 65537, "weak-rsa-1"),
		rsa1024:  testfixture.RawRSA(1024, 65537, "weak-rsa-1"),
		rsa768:   testfixture.RawRSA(768, 65537, "weak-rsa-1"),
		rsaE1:    testfixture.RawRSA(2048, 1, "weak-rsa-1"),
		p224:     testfixture.EC(elliptic.P224(), "weak-ec-1", ""),
		k1:       testfixture.Secp256k1("weak-ec-1"),
	}
}

// openClient is the client without request_object_signing_alg and
// token_endpoint_auth_signing_alg: any algorithm the profile allows (OIDC
// Registration §2), so that an algorithm attack meets the profile's
// allow-list and not only the client's registered algorithm.
func (f *fixture) openClient() obj {
	return fixtures.Without(f.RWClient(), "request_object_signing_alg", "token_endpoint_auth_signing_alg")
}

// keyClient is the client with the given JWK Set and signing algorithm for
// request objects and client assertions.
func (f *fixture) keyClient(jwks json.RawMessage, alg string) obj {
	return fixtures.With(f.RWClient(), "jwks", jwks, "request_object_signing_alg", alg, "token_endpoint_auth_signing_alg", alg)
}

// dpopClaims are the claims of a valid DPoP proof for a POST to the token
// endpoint.
func dpopClaims() obj { return fixtures.DPoPClaims(fixtures.TokenEndpoint) }

// f2DPoPToken is the DPoP client's token request with the given proof: no
// client certificate, a valid client assertion (aud the issuer, as a
// string, FAPI2-SP-5.3.2.1-8), and a grant issued ten seconds ago, bound to
// the client's DPoP key (dpop_jkt, RFC 9449 §10). The proof is sent as it
// is, even when empty.
func (f *fixture) f2DPoPToken(proof string) obj {
	tr := f.F2DPoPToken(proof, testfixture.Thumbprint(f.dpop))
	tr["dpop"] = proof
	return tr
}
