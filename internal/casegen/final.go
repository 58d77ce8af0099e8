package casegen

import (
	"time"

	"github.com/fapicheck/fapicheck/internal/testfixture"
	"github.com/fapicheck/fapicheck/mtls"
)

// Building blocks of the FAPI 1.0 Final (Baseline, Advanced) and FAPI 2.0
// (Security Profile, Message Signing) cases. The same client key, TLS
// certificate and client_id serve every profile: what changes between them
// is the service the client is registered at and the scopes it asks for.

const (
	parEndpoint = issuer + "/par"
	pushedURI   = "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c"
	jwtBearer   = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	authCode    = "SplxlOBeZQQYbYS6WxSbIA"
	// athValue is the hash of an access token, as a DPoP proof sent to a
	// resource carries it in ath; the token and PAR endpoints refuse it.
	athValue = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
)

func rfc3339(d time.Duration) string { return Now.Add(d).Format(time.RFC3339) }

// --- FAPI 1.0 Final --------------------------------------------------

// finalService is a FAPI 1.0 Final service: accounts selects Baseline,
// payments Advanced; it offers PAR (optional under Advanced) and JARM.
func finalService() obj {
	return obj{
		"issuer":                                issuer,
		"authorization_endpoint":                issuer + "/authorize",
		"token_endpoint":                        tokenEndpoint,
		"pushed_authorization_request_endpoint": parEndpoint,
		"supported_service_profiles":            []string{"fapi"},
		"fapi_version":                          "1.0-final",
		"scopes": []obj{
			{"name": "openid"},
			{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
			{"name": "payments", "attributes": []obj{{"key": "fapi", "value": "rw"}}},
		},
		"token_endpoint_auth_methods_supported":            []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"},
		"response_types_supported":                         []string{"code id_token", "code"},
		"response_modes_supported":                         []string{"fragment", "form_post", "jwt"},
		"code_challenge_methods_supported":                 []string{"S256"},
		"tls_client_certificate_bound_access_tokens":       true,
		"request_parameter_supported":                      true,
		"id_token_signing_alg_values_supported":            []string{"PS256", "ES256"},
		"request_object_signing_alg_values_supported":      []string{"PS256", "ES256"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"PS256", "ES256"},
		"authorization_signing_alg_values_supported":       []string{"PS256"},
	}
}

// baselineService is a FAPI 1.0 Final service that defines only Baseline
// scopes and also serves public clients (FAPI1-BASE-5.2.2-2).
func baselineService() obj {
	return with(finalService(),
		"scopes", []obj{
			{"name": "openid"},
			{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
		},
		"token_endpoint_auth_methods_supported", []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none"},
	)
}

// baselineClient is a confidential Baseline client (private_key_jwt).
func (f *fixture) baselineClient() obj {
	return with(f.rwClient(), "scope", "openid accounts", "response_types", []string{"code"},
		"tls_client_certificate_bound_access_tokens", nil, "request_object_signing_alg", nil)
}

func baselineParams() obj { return with(roParams(), "client_id", rwClientID) }

// baselineToken is the confidential Baseline client's token request.
func (f *fixture) baselineToken() obj {
	tr := roTokenRequest()
	tr["params"] = with(tr["params"].(obj), "client_id", nil,
		"client_assertion_type", jwtBearer,
		"client_assertion", testfixture.Sign(f.rw, "PS256", f.assertionClaims(), nil))
	tr["authorization"] = with(tr["authorization"].(obj), "client_id", rwClientID)
	return tr
}

// advClaims are the claims of a valid Advanced request object: nbf ten
// seconds ago and exp five minutes ahead (FAPI1-ADV-5.2.2-13, -17), aud the
// issuer (-15); the ID2 essential acr request is gone in Final.
func advClaims() obj {
	return with(rwClaims(), "nbf", unix(-10*time.Second), "claims", nil)
}

// advPKCEClaims add the PKCE challenge a pushed request must carry
// (FAPI1-ADV-5.2.2-18).
func advPKCEClaims() obj {
	return with(advClaims(), "code_challenge", testfixture.S256(verifier), "code_challenge_method", "S256")
}

// advPushedParams are the parameters a valid Advanced PAR stores: those of
// its request object (advPKCEClaims without the JWT claims).
func advPushedParams() obj {
	return without(advPKCEClaims(), "iss", "aud", "exp", "nbf", "iat", "jti")
}

// advCase is a complete, valid Advanced case with the request object by
// value; the scope sent outside it (OIDC Core §6.1) is ignored.
func (f *fixture) advCase() obj {
	return obj{
		"service":               finalService(),
		"client":                f.rwClient(),
		"authorization_request": rwAuth(rwOutside(), f.sign(advClaims())),
		"token_request":         f.rwToken(f.assertionClaims()),
		"expect":                obj{"ignored": []string{"scope"}},
	}
}

// advAuthCase is advCase with only an authorization request whose request
// object has the given claims.
func (f *fixture) advAuthCase(claims obj) obj {
	return obj{"service": finalService(), "client": f.rwClient(), "authorization_request": rwAuth(rwOutside(), f.sign(claims))}
}

// advPAR is a valid Advanced pushed authorization request: client_id, the
// signed request object and the client authentication.
func (f *fixture) advPAR(assertion obj) obj {
	return obj{
		"params": obj{
			"client_id":             rwClientID,
			"request":               f.sign(advPKCEClaims()),
			"client_assertion_type": jwtBearer,
			"client_assertion":      testfixture.Sign(f.rw, "PS256", assertion, nil),
		},
		"client_certificate": f.tlsCert.CertPEM(),
	}
}

// pushedAuth is an authorization request whose request_uri the PAR
// endpoint issued, with the record it stored.
func pushedAuth(clientID string, params obj) obj {
	return obj{
		"params": obj{"client_id": clientID, "request_uri": pushedURI},
		"pushed": obj{"client_id": clientID, "expires_at": rfc3339(time.Minute), "params": params},
	}
}

// advPushedCase is a valid Advanced authorization request through PAR and
// the token request for its code (PKCE verified).
func (f *fixture) advPushedCase() obj {
	tr := f.rwToken(f.assertionClaims())
	tr["params"] = with(tr["params"].(obj), "code_verifier", verifier)
	tr["authorization"] = with(rwRecord(), "code_challenge", testfixture.S256(verifier), "code_challenge_method", "S256")
	return obj{
		"service":               finalService(),
		"client":                f.rwClient(),
		"authorization_request": pushedAuth(rwClientID, advPushedParams()),
		"token_request":         tr,
	}
}

// --- FAPI 2.0 --------------------------------------------------------

// f2Service is a FAPI 2.0 Security Profile service: PAR required,
// response_type code only, the iss response parameter, PKCE S256,
// certificate-bound and DPoP-bound tokens, 60 s codes.
func f2Service() obj {
	return obj{
		"issuer":                                issuer,
		"authorization_endpoint":                issuer + "/authorize",
		"token_endpoint":                        tokenEndpoint,
		"pushed_authorization_request_endpoint": parEndpoint,
		"require_pushed_authorization_requests": true,
		"supported_service_profiles":            []string{"fapi"},
		"scopes": []obj{
			{"name": "openid"},
			{"name": "sp", "attributes": []obj{{"key": "fapi2", "value": "sp"}}},
		},
		"token_endpoint_auth_methods_supported":          []string{"private_key_jwt", "tls_client_auth"},
		"response_types_supported":                       []string{"code"},
		"response_modes_supported":                       []string{"query", "jwt"},
		"code_challenge_methods_supported":               []string{"S256"},
		"tls_client_certificate_bound_access_tokens":     true,
		"dpop_signing_alg_values_supported":              []string{"ES256", "PS256"},
		"authorization_response_iss_parameter_supported": true,
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"authorization_code_lifetime":                    60,
		"request_uri_lifetime":                           90,
		"id_token_signing_alg_values_supported":          []string{"PS256", "ES256"},
	}
}

// msService is f2Service with the Message Signing scopes: msreq asks for
// signed requests (request objects at PAR), msres for signed responses
// (JARM).
func msService() obj {
	return with(f2Service(),
		"scopes", []obj{
			{"name": "openid"},
			{"name": "sp", "attributes": []obj{{"key": "fapi2", "value": "sp"}}},
			{"name": "msreq", "attributes": []obj{{"key": "fapi2", "value": "ms-authreq"}}},
			{"name": "msres", "attributes": []obj{{"key": "fapi2", "value": "ms-authres"}}},
		},
		"require_signed_request_object", true,
		"authorization_signing_alg_values_supported", []string{"PS256"},
	)
}

// f2Client is a FAPI 2.0 client with certificate-bound tokens.
func (f *fixture) f2Client() obj {
	return with(f.rwClient(), "response_types", []string{"code"}, "scope", "openid sp")
}

// f2DPoPClient is a FAPI 2.0 client with DPoP-bound tokens.
func (f *fixture) f2DPoPClient() obj {
	return with(f.f2Client(), "tls_client_certificate_bound_access_tokens", nil, "dpop_bound_access_tokens", true)
}

// msClient is a FAPI 2.0 Message Signing client (signed requests and JARM,
// response mode jwt registered, FAPI2-MS-5.3.3).
func (f *fixture) msClient() obj {
	return with(f.f2Client(), "scope", "openid msreq msres", "authorization_signed_response_alg", "PS256",
		"response_modes", []string{"jwt"})
}

// f2AssertionClaims: under FAPI 2.0 the assertion's aud is the issuer, as
// a string (FAPI2-SP-5.3.2.1-8).
func (f *fixture) f2AssertionClaims() obj { return with(f.assertionClaims(), "aud", issuer) }

func (f *fixture) withAssertion(params, assertion obj) obj {
	return with(params, "client_assertion_type", jwtBearer, "client_assertion", testfixture.Sign(f.rw, "PS256", assertion, nil))
}

// f2Params are the authorization parameters of a valid FAPI 2.0 request
// (no nonce or state is required; state is sent anyway).
func f2Params() obj {
	return obj{
		"client_id":             rwClientID,
		"response_type":         "code",
		"redirect_uri":          redirectURI,
		"scope":                 "openid sp",
		"state":                 "af0ifjsldkj",
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// f2PAR is a valid FAPI 2.0 pushed authorization request with the given
// client assertion claims.
func (f *fixture) f2PAR(assertion obj) obj {
	return obj{"params": f.withAssertion(f2Params(), assertion), "client_certificate": f.tlsCert.CertPEM()}
}

// f2Record is the grant record of a code issued ten seconds ago for
// f2Params, bound to the client's TLS certificate.
func (f *fixture) f2Record() obj {
	return obj{
		"client_id":              rwClientID,
		"redirect_uri":           redirectURI,
		"scope":                  "openid sp",
		"code_challenge":         testfixture.S256(verifier),
		"code_challenge_method":  "S256",
		"issued_at":              rfc3339(-10 * time.Second),
		"certificate_thumbprint": mtls.Thumbprint(f.tlsCert.Cert),
	}
}

func (f *fixture) f2TokenParams() obj {
	return obj{
		"grant_type":            "authorization_code",
		"code":                  authCode,
		"redirect_uri":          redirectURI,
		"code_verifier":         verifier,
		"client_assertion_type": jwtBearer,
		"client_assertion":      testfixture.Sign(f.rw, "PS256", f.f2AssertionClaims(), nil),
	}
}

// f2Token is a valid token request of the certificate-bound client.
func (f *fixture) f2Token() obj {
	return obj{"params": f.f2TokenParams(), "client_certificate": f.tlsCert.CertPEM(), "authorization": f.f2Record()}
}

// f2Case is the complete, valid FAPI 2.0 flow with certificate-bound
// tokens: PAR, the authorization request with its pushed record, and the
// token request.
func (f *fixture) f2Case() obj {
	return obj{
		"service":                      f2Service(),
		"client":                       f.f2Client(),
		"pushed_authorization_request": f.f2PAR(f.f2AssertionClaims()),
		"authorization_request":        pushedAuth(rwClientID, f2Params()),
		"token_request":                f.f2Token(),
	}
}

// dpopClaims are the claims of a valid DPoP proof for a POST to url.
func dpopClaims(url string) obj {
	return obj{"jti": "dpop-jti-1", "htm": "POST", "htu": url, "iat": Now.Unix()}
}

// dpopProof signs a DPoP proof with key, its public key in the jwk header.
func dpopProof(key testfixture.Key, claims obj) string {
	return testfixture.Sign(key, "ES256", claims, obj{"typ": "dpop+jwt", "jwk": key.Public()})
}

// f2DPoPToken is a valid token request of the DPoP client: no client
// certificate, a DPoP proof for the token endpoint, and a grant bound to the
// proof's key (dpop_jkt, RFC 9449 §10).
func (f *fixture) f2DPoPToken(proof string) obj {
	tr := obj{
		"params":        f.f2TokenParams(),
		"authorization": with(f.f2Record(), "certificate_thumbprint", nil, "dpop_jkt", testfixture.Thumbprint(f.dpop)),
	}
	if proof != "" {
		tr["dpop"] = proof
	}
	return tr
}

// f2DPoPCase is the complete, valid FAPI 2.0 flow with DPoP: PAR with a
// proof (which binds the code to its key), the authorization request whose
// pushed record holds dpop_jkt, and the token request with a proof.
func (f *fixture) f2DPoPCase() obj {
	par := f.f2PAR(f.f2AssertionClaims())
	delete(par, "client_certificate")
	par["dpop"] = dpopProof(f.dpop, dpopClaims(parEndpoint))
	auth := pushedAuth(rwClientID, f2Params())
	auth["pushed"].(obj)["dpop_jkt"] = testfixture.Thumbprint(f.dpop)
	return obj{
		"service":                      f2Service(),
		"client":                       f.f2DPoPClient(),
		"pushed_authorization_request": par,
		"authorization_request":        auth,
		"token_request":                f.f2DPoPToken(dpopProof(f.dpop, dpopClaims(tokenEndpoint))),
	}
}

// dpopTokenCase is the DPoP client's token request with the given proof.
func (f *fixture) dpopTokenCase(proof string) obj {
	return obj{"service": f2Service(), "client": f.f2DPoPClient(), "token_request": f.f2DPoPToken(proof)}
}

// msClaims are the claims of a valid Message Signing request object: the
// Advanced time rules (FAPI2-MS-5.3.1-2..4) and response_mode jwt for the
// signed response (FAPI2-MS-5.4.1-1).
func msClaims() obj {
	return obj{
		"iss":                   rwClientID,
		"aud":                   issuer,
		"exp":                   unix(5 * time.Minute),
		"nbf":                   Now.Unix(),
		"iat":                   Now.Unix(),
		"jti":                   "ms-jti-1",
		"client_id":             rwClientID,
		"response_type":         "code",
		"response_mode":         "jwt",
		"redirect_uri":          redirectURI,
		"scope":                 "openid msreq msres",
		"state":                 "af0ifjsldkj",
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// msObject signs a Message Signing request object, explicitly typed
// (FAPI2-MS-5.3.1-5, RFC 9101 §10.8).
func (f *fixture) msObject(claims obj) string {
	return testfixture.Sign(f.rw, "PS256", claims, obj{"typ": "oauth-authz-req+jwt"})
}

// msPARCase is a Message Signing pushed authorization request carrying a
// request object with the given claims.
func (f *fixture) msPARCase(claims obj) obj {
	return obj{
		"service": msService(),
		"client":  f.msClient(),
		"pushed_authorization_request": obj{
			"params":             f.withAssertion(obj{"client_id": rwClientID, "request": f.msObject(claims)}, f.f2AssertionClaims()),
			"client_certificate": f.tlsCert.CertPEM(),
		},
	}
}

// msPushedParams are what a valid Message Signing PAR stores.
func msPushedParams() obj {
	return without(msClaims(), "iss", "aud", "exp", "nbf", "iat", "jti")
}
