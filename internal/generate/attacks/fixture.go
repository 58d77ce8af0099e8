package attacks

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// The valid baselines the attacks are mutations of, as in the case corpus
// (internal/generate/casegen): a FAPI 1.0 read-write (Implementer's Draft
// 2) service and private_key_jwt client for request objects and client
// assertions, and a FAPI 2.0 Security Profile service with a DPoP-bound client for DPoP
// proofs. Each attack changes the token alone (and, where the attack is a
// weak registered key, the client's jwks and signing algorithms).

type obj = fixtures.Obj

// fixture holds the keys of one generation.
type fixture struct {
	fixtures.Client              // the client: its registered PS256 key and TLS certificate
	rwES            fixtures.Key // the client's registered ES256 key (ECDSA attacks)
	dpop            fixtures.Key // the FAPI 2.0 client's DPoP key, which the grant is bound to
	other           fixtures.Key // another client's registered key
	attacker        fixtures.Key // an attacker's RSA key, with a certificate (x5c)
	atkEC           fixtures.Key // an attacker's P-256 key, with a certificate (DPoP)

	// Weak and disallowed keys.
	rsa2047, rsa1024, rsa768, rsaE1 fixtures.RawRSAKey
	p224                            fixtures.Key
	k1                              fixtures.Secp256k1Key
}

func newFixture() *fixture {
	return &fixture{
		Client:   fixtures.NewRWClient(),
		rwES:     fixtures.EC(elliptic.P256(), "rw-es-1", "ES256"),
		dpop:     fixtures.EC(elliptic.P256(), "", "ES256"),
		other:    fixtures.RSA(2048, "other-client-1", "PS256"),
		attacker: fixtures.RSA(2048, "attacker-1", "PS256").WithCert(pkix.Name{CommonName: "attacker.example"}),
		atkEC:    fixtures.EC(elliptic.P256(), "", "ES256").WithCert(pkix.Name{CommonName: "attacker.example"}),
		rsa2047:  fixtures.RawRSA(2047, 65537, "weak-rsa-1"),
		rsa1024:  fixtures.RawRSA(1024, 65537, "weak-rsa-1"),
		rsa768:   fixtures.RawRSA(768, 65537, "weak-rsa-1"),
		rsaE1:    fixtures.RawRSA(2048, 1, "weak-rsa-1"),
		p224:     fixtures.EC(elliptic.P224(), "weak-ec-1", ""),
		k1:       fixtures.Secp256k1("weak-ec-1"),
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
	tr := f.F2DPoPToken(proof, fixtures.Thumbprint(f.dpop))
	tr["dpop"] = proof
	return tr
}
