// Package casegen builds the library's case corpus (testdata/cases): every
// case is declared here, in Go, with its expected profile and violations;
// keys, certificates and signed objects are generated fresh each time the
// corpus is written. Run it with
//
//	go run ./internal/casegen/cmd/casegen -out testdata/cases
//
// The expected outcome of each case is declared by hand, never recorded
// from the library's own output, so the corpus test can fail.
package casegen

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"time"

	"github.com/fapicheck/fapicheck/internal/testfixture"
)

// Now is the time every case is checked at.
var Now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

const (
	issuer        = "https://as.example.com"
	tokenEndpoint = "https://as.example.com/token"
	redirectURI   = "https://client.example.org/cb"
	rwClientID    = "rw-client"
	roClientID    = "ro-client"
	verifier      = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	acrValue      = "urn:openbanking:psd2:sca"
)

// fixture holds the keys of one corpus generation.
type fixture struct {
	rw        testfixture.Key // the read-write client's PS256 key
	rwES      testfixture.Key // an ES256 client key
	other     testfixture.Key // another client's key
	small     testfixture.Key // RSA-1024
	tlsCert   testfixture.Key // the client's TLS certificate key
	otherCert testfixture.Key
	dpop      testfixture.Key // the FAPI 2.0 client's DPoP key (ES256)
	dpopOther testfixture.Key // a DPoP key the grant is not bound to
}

func newFixture() *fixture {
	return &fixture{
		rw:        testfixture.RSA(2048, "rw-1", "PS256"),
		rwES:      testfixture.EC(elliptic.P256(), "rw-es-1", "ES256"),
		other:     testfixture.RSA(2048, "rw-1", "PS256"), // same kid, different key
		small:     testfixture.RSA(1024, "small-1", "PS256"),
		tlsCert:   testfixture.EC(elliptic.P256(), "tls-1", "ES256").WithCert(pkix.Name{CommonName: "rw-client.example.org", Organization: []string{"Example Client"}, Country: []string{"GB"}}),
		otherCert: testfixture.EC(elliptic.P256(), "tls-2", "ES256").WithCert(pkix.Name{CommonName: "someone-else.example.org"}),
		dpop:      testfixture.EC(elliptic.P256(), "", "ES256"),
		dpopOther: testfixture.EC(elliptic.P256(), "", "ES256"),
	}
}

type obj = map[string]any

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

func roClient() obj {
	return obj{
		"client_id":                  roClientID,
		"client_type":                "public",
		"redirect_uris":              []string{redirectURI},
		"token_endpoint_auth_method": "none",
		"response_types":             []string{"code", "code id_token"},
		"scope":                      "openid accounts",
	}
}

// rwClaims are the claims of a valid read-write request object.
func rwClaims() obj {
	return obj{
		"iss":           rwClientID,
		"aud":           issuer,
		"exp":           Now.Add(5 * time.Minute).Unix(),
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

func roParams() obj {
	return obj{
		"client_id":             roClientID,
		"response_type":         "code",
		"scope":                 "openid accounts",
		"redirect_uri":          redirectURI,
		"state":                 "xyz-state",
		"nonce":                 "n-0S6_WzA2Mj",
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

func (f *fixture) assertionClaims() obj {
	return obj{
		"iss": rwClientID,
		"sub": rwClientID,
		"aud": tokenEndpoint,
		"exp": Now.Add(time.Minute).Unix(),
		"iat": Now.Unix(),
		"jti": "assertion-jti-1",
	}
}

func (f *fixture) rwTokenParams(assertion string) obj {
	return obj{
		"grant_type":            "authorization_code",
		"code":                  "SplxlOBeZQQYbYS6WxSbIA",
		"redirect_uri":          redirectURI,
		"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
		"client_assertion":      assertion,
	}
}

func rwRecord() obj {
	return obj{"client_id": rwClientID, "redirect_uri": redirectURI, "scope": "openid payments"}
}

func roTokenRequest() obj {
	return obj{
		"params": obj{
			"grant_type":    "authorization_code",
			"code":          "SplxlOBeZQQYbYS6WxSbIA",
			"redirect_uri":  redirectURI,
			"client_id":     roClientID,
			"code_verifier": verifier,
		},
		"authorization": obj{
			"client_id":             roClientID,
			"redirect_uri":          redirectURI,
			"scope":                 "openid accounts",
			"code_challenge":        testfixture.S256(verifier),
			"code_challenge_method": "S256",
		},
	}
}
