package attacks

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"time"

	"github.com/fapicheck/fapicheck/internal/testfixture"
)

// The valid baselines the attacks are mutations of, as in the case corpus
// (internal/casegen): a FAPI 1.0 read-write (Implementer's Draft 2) service
// and private_key_jwt client for request objects and client assertions, and
// a FAPI 2.0 Security Profile service with a DPoP-bound client for DPoP
// proofs. Each attack changes the token alone (and, where the attack is a
// weak registered key, the client's jwks and signing algorithms).

// Now is the time every case is checked at.
var Now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

const (
	issuer        = "https://as.example.com"
	tokenEndpoint = "https://as.example.com/token"
	parEndpoint   = issuer + "/par"
	redirectURI   = "https://client.example.org/cb"
	rwClientID    = "rw-client"
	verifier      = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	acrValue      = "urn:openbanking:psd2:sca"
	jwtBearer     = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	authCode      = "SplxlOBeZQQYbYS6WxSbIA"
)

type obj = map[string]any

// fixture holds the keys of one generation.
type fixture struct {
	rw       testfixture.Key // the client's registered PS256 key
	rwES     testfixture.Key // the client's registered ES256 key (ECDSA attacks)
	tlsCert  testfixture.Key // the client's TLS certificate key
	dpop     testfixture.Key // the FAPI 2.0 client's DPoP key, which the grant is bound to
	other    testfixture.Key // another client's registered key
	attacker testfixture.Key // an attacker's RSA key, with a certificate (x5c)
	atkEC    testfixture.Key // an attacker's P-256 key, with a certificate (DPoP)

	// Weak and disallowed keys.
	rsa2047, rsa1024, rsa768, rsaE1 testfixture.RawRSAKey
	p224                            testfixture.Key
	k1                              testfixture.Secp256k1Key
}

func newFixture() *fixture {
	return &fixture{
		rw:       testfixture.RSA(2048, "rw-1", "PS256"),
		rwES:     testfixture.EC(elliptic.P256(), "rw-es-1", "ES256"),
		tlsCert:  testfixture.EC(elliptic.P256(), "tls-1", "ES256").WithCert(pkix.Name{CommonName: "rw-client.example.org", Organization: []string{"Example Client"}, Country: []string{"GB"}}),
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

// --- FAPI 1.0 read-write (ID2): request objects, client assertions -----

func service() obj {
	return obj{
		"issuer":                     issuer,
		"authorization_endpoint":     issuer + "/authorize",
		"token_endpoint":             tokenEndpoint,
		"supported_service_profiles": []string{"fapi"},
		"fapi_version":               "1.0-id2",
		"scopes": []obj{
			{"name": "openid"},
			{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
			{"name": "payments", "attributes": []obj{{"key": "fapi", "value": "rw"}}},
		},
		"token_endpoint_auth_methods_supported":      []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none"},
		"response_types_supported":                   []string{"code id_token", "code"},
		"acr_values_supported":                       []string{acrValue},
		"tls_client_certificate_bound_access_tokens": true,
		"code_challenge_methods_supported":           []string{"S256"},
	}
}

func (f *fixture) rwClient() obj {
	return obj{
		"client_id":                  rwClientID,
		"client_type":                "confidential",
		"redirect_uris":              []string{redirectURI},
		"token_endpoint_auth_method": "private_key_jwt",
		"jwks":                       json.RawMessage(testfixture.JWKS(f.rw)),
		"response_types":             []string{"code id_token"},
		"tls_client_certificate_bound_access_tokens": true,
		"request_object_signing_alg":                 "PS256",
		"token_endpoint_auth_signing_alg":            "PS256",
		"id_token_signed_response_alg":               "PS256",
	}
}

// openClient is the client without request_object_signing_alg and
// token_endpoint_auth_signing_alg: any algorithm the profile allows (OIDC
// Registration §2), so that an algorithm attack meets the profile's
// allow-list and not only the client's registered algorithm.
func (f *fixture) openClient() obj {
	return without(f.rwClient(), "request_object_signing_alg", "token_endpoint_auth_signing_alg")
}

// keyClient is the client with the given JWK Set and signing algorithm for
// request objects and client assertions.
func (f *fixture) keyClient(jwks json.RawMessage, alg string) obj {
	return with(f.rwClient(), "jwks", jwks, "request_object_signing_alg", alg, "token_endpoint_auth_signing_alg", alg)
}

// rwClaims are the claims of a valid read-write request object.
func rwClaims() obj {
	return obj{
		"iss":           rwClientID,
		"aud":           issuer,
		"exp":           unix(5 * time.Minute),
		"iat":           Now.Unix(),
		"jti":           "ro-jti-1",
		"client_id":     rwClientID,
		"response_type": "code id_token",
		"redirect_uri":  redirectURI,
		"scope":         "openid payments",
		"state":         "af0ifjsldkj",
		"nonce":         "n-0S6_WzA2Mj",
		"claims":        obj{"id_token": obj{"acr": obj{"essential": true, "values": []string{acrValue}}}},
	}
}

// rwOutside are the parameters sent beside the request object (OIDC Core
// §6.1 requires client_id, response_type and scope outside too).
func rwOutside() obj {
	return obj{"client_id": rwClientID, "response_type": "code id_token", "scope": "openid payments"}
}

func assertionClaims() obj {
	return obj{
		"iss": rwClientID,
		"sub": rwClientID,
		"aud": tokenEndpoint,
		"exp": unix(time.Minute),
		"iat": Now.Unix(),
		"jti": "assertion-jti-1",
	}
}

func (f *fixture) rwTokenWith(assertion string) obj {
	return obj{
		"params": obj{
			"grant_type":            "authorization_code",
			"code":                  authCode,
			"redirect_uri":          redirectURI,
			"client_assertion_type": jwtBearer,
			"client_assertion":      assertion,
		},
		"client_certificate": f.tlsCert.CertPEM(),
		"authorization":      obj{"client_id": rwClientID, "redirect_uri": redirectURI, "scope": "openid payments"},
	}
}

// --- FAPI 2.0 Security Profile: DPoP proofs ---------------------------

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

// f2DPoPClient is a FAPI 2.0 client with DPoP-bound tokens.
func (f *fixture) f2DPoPClient() obj {
	return with(f.rwClient(), "response_types", []string{"code"}, "scope", "openid sp",
		"tls_client_certificate_bound_access_tokens", nil, "dpop_bound_access_tokens", true)
}

// dpopClaims are the claims of a valid DPoP proof for a POST to the token
// endpoint.
func dpopClaims() obj {
	return obj{"jti": "dpop-jti-1", "htm": "POST", "htu": tokenEndpoint, "iat": Now.Unix()}
}

// f2DPoPToken is the DPoP client's token request with the given proof: no
// client certificate, a valid client assertion (aud the issuer, as a
// string, FAPI2-SP-5.3.2.1-8), and a grant issued ten seconds ago, bound to
// the client's DPoP key (dpop_jkt, RFC 9449 §10).
func (f *fixture) f2DPoPToken(proof string) obj {
	assertion := testfixture.Sign(f.rw, "PS256", with(assertionClaims(), "aud", issuer), nil)
	return obj{
		"params": obj{
			"grant_type":            "authorization_code",
			"code":                  authCode,
			"redirect_uri":          redirectURI,
			"code_verifier":         verifier,
			"client_assertion_type": jwtBearer,
			"client_assertion":      assertion,
		},
		"authorization": obj{
			"client_id":             rwClientID,
			"redirect_uri":          redirectURI,
			"scope":                 "openid sp",
			"code_challenge":        testfixture.S256(verifier),
			"code_challenge_method": "S256",
			"issued_at":             Now.Add(-10 * time.Second).Format(time.RFC3339),
			"dpop_jkt":              testfixture.Thumbprint(f.dpop),
		},
		"dpop": proof,
	}
}

// --- helpers ------------------------------------------------------------

func unix(d time.Duration) int64 { return Now.Add(d).Unix() }

func with(m obj, kv ...any) obj {
	out := obj{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

func without(m obj, keys ...string) obj {
	out := with(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
