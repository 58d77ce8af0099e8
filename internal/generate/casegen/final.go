package casegen

import (
	"encoding/base64"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// Building blocks of the FAPI 1.0 Final (Baseline, Advanced) and FAPI 2.0
// (Security Profile, Message Signing) cases. The same client key, TLS
// certificate and client_id serve every profile: what changes between them
// is the service the client is registered at and the scopes it asks for.

// athValue is the hash of an access token, as a DPoP proof sent to a
// resource carries it in ath; the token and PAR endpoints refuse it.
const athValue = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"

// --- FAPI 1.0 Final --------------------------------------------------

// baselineService is a FAPI 1.0 Final service that defines only Baseline
// scopes and also serves public clients (FAPI1-BASE-5.2.2-2).
func baselineService() obj {
	return fixtures.With(fixtures.FinalService(),
		"scopes", []obj{
			{"name": "openid"},
			{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
		},
		"token_endpoint_auth_methods_supported", []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none"},
	)
}

// baselineClient is a confidential Baseline client (private_key_jwt).
func (f *fixture) baselineClient() obj {
	return fixtures.With(f.RWClient(), "scope", "openid accounts", "response_types", []string{"code"},
		"tls_client_certificate_bound_access_tokens", nil, "request_object_signing_alg", nil)
}

func baselineParams() obj { return fixtures.With(roParams(), "client_id", fixtures.RWClientID) }

// baselineToken is the confidential Baseline client's token request.
func (f *fixture) baselineToken() obj {
	tr := roTokenRequest()
	tr["params"] = f.WithAssertion(fixtures.Without(tr["params"].(obj), "client_id"), f.AssertionClaims(fixtures.TokenEndpoint))
	tr["authorization"] = fixtures.With(tr["authorization"].(obj), "client_id", fixtures.RWClientID)
	return tr
}

// advPushedParams are the parameters a valid Advanced PAR stores: those of
// its request object (AdvPKCEClaims without the JWT claims).
func (f *fixture) advPushedParams() obj {
	return fixtures.Without(f.AdvPKCEClaims(), "iss", "aud", "exp", "nbf", "iat", "jti")
}

// advCase is a complete, valid Advanced case with the request object by
// value; the scope sent outside it (OIDC Core §6.1) is ignored.
func (f *fixture) advCase() obj {
	return obj{
		"service":               fixtures.FinalService(),
		"client":                f.RWClient(),
		"authorization_request": fixtures.AuthByValue(f.RWOutside(), f.Sign(f.AdvClaims())),
		"token_request":         f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint)),
		"expect":                obj{"ignored": []string{"scope"}},
	}
}

// advAuthCase is advCase with only an authorization request whose request
// object has the given claims.
func (f *fixture) advAuthCase(claims obj) obj {
	return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "authorization_request": fixtures.AuthByValue(f.RWOutside(), f.Sign(claims))}
}

// advPAR is a valid Advanced pushed authorization request: client_id, the
// signed request object (with PKCE) and the client authentication.
func (f *fixture) advPAR(assertion obj) obj { return f.SignedPAR(f.AdvPKCEClaims(), assertion) }

// advPushedCase is a valid Advanced authorization request through PAR and
// the token request for its code (PKCE verified).
func (f *fixture) advPushedCase() obj {
	return obj{
		"service":               fixtures.FinalService(),
		"client":                f.RWClient(),
		"authorization_request": fixtures.PushedAuth(fixtures.RWClientID, f.advPushedParams()),
		"token_request":         f.AdvPushedToken(),
	}
}

// --- FAPI 2.0 --------------------------------------------------------

// msService is F2Service with the Message Signing scopes: msreq asks for
// signed requests (request objects at PAR), msres for signed responses
// (JARM).
func msService() obj {
	return fixtures.With(fixtures.F2Service(),
		"scopes", fixtures.F2Scopes(fixtures.MSScope("msreq", "ms-authreq"), fixtures.MSScope("msres", "ms-authres")),
		"require_signed_request_object", true,
		"authorization_signing_alg_values_supported", []string{"PS256"},
	)
}

// msClient is a FAPI 2.0 Message Signing client (signed requests and JARM,
// response mode jwt registered, FAPI2-MS-5.3.3).
func (f *fixture) msClient() obj {
	return fixtures.With(f.F2Client(), "scope", "openid msreq msres", "authorization_signed_response_alg", "PS256",
		"response_modes", []string{"jwt"})
}

// f2AssertionClaims: under FAPI 2.0 the assertion's aud is the issuer, as
// a string (FAPI2-SP-5.3.2.1-8).
func (f *fixture) f2AssertionClaims() obj { return f.AssertionClaims(fixtures.Issuer) }

// f2PAR is a valid FAPI 2.0 pushed authorization request with the given
// client assertion claims.
func (f *fixture) f2PAR(assertion obj) obj { return f.F2PAR(f.F2Params(), assertion) }

// f2Token is a valid token request of the certificate-bound client.
func (f *fixture) f2Token() obj { return f.F2Token(f.f2AssertionClaims()) }

// f2Case is the complete, valid FAPI 2.0 flow with certificate-bound
// tokens: PAR, the authorization request with its pushed record, and the
// token request.
func (f *fixture) f2Case() obj {
	return obj{
		"service":                      fixtures.F2Service(),
		"client":                       f.F2Client(),
		"pushed_authorization_request": f.f2PAR(f.f2AssertionClaims()),
		"authorization_request":        fixtures.PushedAuth(fixtures.RWClientID, f.F2Params()),
		"token_request":                f.f2Token(),
	}
}

// f2DPoPToken is a valid token request of the DPoP client: no client
// certificate, a DPoP proof for the token endpoint, and a grant bound to the
// proof's key (dpop_jkt, RFC 9449 §10).
func (f *fixture) f2DPoPToken(proof string) obj {
	return f.F2DPoPToken(proof, fixtures.Thumbprint(f.dpop))
}

// f2DPoPCase is the complete, valid FAPI 2.0 flow with DPoP: PAR with a
// proof (which binds the code to its key), the authorization request whose
// pushed record holds dpop_jkt, and the token request with a proof.
func (f *fixture) f2DPoPCase() obj {
	par := f.f2PAR(f.f2AssertionClaims())
	delete(par, "client_certificate")
	par["dpop"] = fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.PAREndpoint))
	auth := fixtures.PushedAuth(fixtures.RWClientID, f.F2Params())
	auth["pushed"].(obj)["dpop_jkt"] = fixtures.Thumbprint(f.dpop)
	return obj{
		"service":                      fixtures.F2Service(),
		"client":                       f.F2DPoPClient(),
		"pushed_authorization_request": par,
		"authorization_request":        auth,
		"token_request":                f.f2DPoPToken(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint))),
	}
}

// dpopTokenCase is the DPoP client's token request with the given proof.
func (f *fixture) dpopTokenCase(proof string) obj {
	return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(), "token_request": f.f2DPoPToken(proof)}
}

// msClaims are the claims of a valid Message Signing request object: the
// Advanced time rules (FAPI2-MS-5.3.1-2..4) and response_mode jwt for the
// signed response (FAPI2-MS-5.4.1-1).
func msClaims() obj {
	return obj{
		"iss":                   fixtures.RWClientID,
		"aud":                   fixtures.Issuer,
		"exp":                   fixtures.Unix(5 * time.Minute),
		"nbf":                   fixtures.Now.Unix(),
		"iat":                   fixtures.Now.Unix(),
		"jti":                   "ms-jti-1",
		"client_id":             fixtures.RWClientID,
		"response_type":         "code",
		"response_mode":         "jwt",
		"redirect_uri":          fixtures.RedirectURI,
		"scope":                 "openid msreq msres",
		"state":                 fixtures.State,
		"code_challenge":        fixtures.S256(fixtures.Verifier),
		"code_challenge_method": "S256",
	}
}

// msPARCase is a Message Signing pushed authorization request carrying a
// request object with the given claims.
func (f *fixture) msPARCase(claims obj) obj {
	return obj{"service": msService(), "client": f.msClient(), "pushed_authorization_request": f.MSPAR(f.MSObject(claims))}
}

// msPushedParams are what a valid Message Signing PAR stores.
func msPushedParams() obj {
	return fixtures.Without(msClaims(), "iss", "aud", "exp", "nbf", "iat", "jti")
}

// --- DPoP server nonces (RFC 9449 §8) --------------------------------

// nonceSecret is the DPoP nonce secret of the nonce cases: 32 bytes, in
// the case file as the service's dpop_nonce_secret (unpadded base64url).
var nonceSecret = []byte("fapicheck corpus dpop nonce key!")

// nonceAt is the service's nonce (dpopnonce with its defaults, as
// casefile builds the source) at fixtures.Now + d.
func nonceAt(secret []byte, d time.Duration) string {
	src, err := dpopnonce.New(secret)
	if err != nil {
		panic(err) // a fixed secret of the right size
	}
	return src.Nonce(fixtures.Now.Add(d))
}

// nonceService is the FAPI 2.0 service with a DPoP nonce secret, requiring
// nonces when required is set.
func nonceService(required bool) obj {
	svc := fixtures.With(fixtures.F2Service(), "dpop_nonce_secret", base64.RawURLEncoding.EncodeToString(nonceSecret))
	if required {
		svc["require_dpop_nonce"] = true
	}
	return svc
}

// withNonce is claims with the nonce claim set, or without it for "".
func withNonce(claims obj, nonce string) obj {
	if nonce == "" {
		return fixtures.Without(claims, "nonce")
	}
	return fixtures.With(claims, "nonce", nonce)
}

// f2NonceCase is the complete FAPI 2.0 DPoP flow at svc, its PAR and token
// proofs carrying parNonce and tokenNonce ("" for none).
func (f *fixture) f2NonceCase(svc obj, parNonce, tokenNonce string) obj {
	c := f.f2DPoPCase()
	c["service"] = svc
	c["pushed_authorization_request"].(obj)["dpop"] = fixtures.DPoPProof(f.dpop, withNonce(fixtures.DPoPClaims(fixtures.PAREndpoint), parNonce))
	c["token_request"] = f.f2DPoPToken(fixtures.DPoPProof(f.dpop, withNonce(fixtures.DPoPClaims(fixtures.TokenEndpoint), tokenNonce)))
	return c
}
