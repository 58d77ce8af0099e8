package conformance

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/testfixture"
	"github.com/fapicheck/fapicheck/mtls"
)

// Now is the time every case is checked at.
var Now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// The identifiers every case shares. One authorization server serves every
// profile; what changes between profiles is its configuration and the
// scopes a client asks for.
const (
	issuer        = "https://as.example.com"
	authEndpoint  = issuer + "/authorize"
	tokenEndpoint = issuer + "/token"
	parEndpoint   = issuer + "/par"
	redirectURI   = "https://client.example.org/cb"
	clientID      = "client-1"
	client2ID     = "client-2"
	secretClient  = "client-secret-jwt"
	clientSecret  = "0123456789abcdef0123456789abcdef" // 32 bytes, enough for HS256
	verifier      = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	otherVerifier = "Yz1Q7f2kGmR0aP5cXw9LbT3nHs8Jd6Ve4Ku_Ni-Oo0p"
	acrValue      = "urn:openbanking:psd2:sca"
	pushedURI     = "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c"
	pushedURI2    = "urn:ietf:params:oauth:request_uri:bwc4JK-ESC0w8acc191e-Y1LTC2"
	authCode      = "SplxlOBeZQQYbYS6WxSbIA"
	jwtBearer     = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	state         = "af0ifjsldkj"
	nonce         = "n-0S6_WzA2Mj"
	// The values the suite sends where a module is about a foreign value.
	otherAudience  = "https://www.other1.example.com/"
	userinfoURL    = "https://fapidev-rs.authlete.net/api/userinfo"
	junkRedirect   = "https://junk.io/junk/callback"
	randomRedirect = "https://client.example.org/cb/8f3a1c"
)

// Fixture holds the keys of one generation of the case files: every
// generation makes new keys, so signatures differ between generations while
// the expectations do not.
type Fixture struct {
	client    testfixture.Key // client 1's signing key (PS256)
	key2      testfixture.Key // client 2's signing key (PS256)
	tls1      testfixture.Key // client 1's TLS certificate
	tls2      testfixture.Key // client 2's TLS certificate
	dpop      testfixture.Key // the DPoP key a grant is bound to (ES256)
	dpopOther testfixture.Key // a DPoP key no grant is bound to
}

// NewFixture generates the keys and certificates of one generation.
func NewFixture() *Fixture {
	return &Fixture{
		client:    testfixture.RSA(2048, "client-1-sig", "PS256"),
		key2:      testfixture.RSA(2048, "client-2-sig", "PS256"),
		tls1:      testfixture.EC(elliptic.P256(), "client-1-tls", "ES256").WithCert(pkix.Name{CommonName: "client-1.example.org", Organization: []string{"Example Client"}, Country: []string{"GB"}}),
		tls2:      testfixture.EC(elliptic.P256(), "client-2-tls", "ES256").WithCert(pkix.Name{CommonName: "client-2.example.org", Organization: []string{"Other Client"}, Country: []string{"GB"}}),
		dpop:      testfixture.EC(elliptic.P256(), "", "ES256"),
		dpopOther: testfixture.EC(elliptic.P256(), "", "ES256"),
	}
}

// tls1SubjectDN is the subject of client 1's certificate, as a
// tls_client_auth client registers it (RFC 8705 §2.1.2).
const tls1SubjectDN = "CN=client-1.example.org,O=Example Client,C=GB"

type obj = map[string]any

func unix(d time.Duration) int64 { return Now.Add(d).Unix() }

func rfc3339(d time.Duration) string { return Now.Add(d).Format(time.RFC3339) }

// with returns a copy of m with the given members set; a nil value removes
// the member.
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

// without returns a copy of m without the named members.
func without(m obj, keys ...string) obj {
	out := with(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// jwtClaims are the JWT claims of a request object, which are not
// authorization parameters.
var jwtClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// stored turns request object claims into the parameters a PAR endpoint
// stores: the JWT claims dropped, every value a string (claims as its JSON
// text), as Report.Parameters returns them.
func stored(claims obj) obj {
	out := obj{}
	for k, v := range without(claims, jwtClaims...) {
		if s, ok := v.(string); ok {
			out[k] = s
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		out[k] = string(b)
	}
	return out
}

// sign signs request object claims with client 1's key.
func (f *Fixture) sign(claims obj) string { return testfixture.Sign(f.client, "PS256", claims, nil) }

// assertion signs client assertion claims with client 1's key.
func (f *Fixture) assertion(claims obj) string {
	return testfixture.Sign(f.client, "PS256", claims, nil)
}

// assertionClaims are the claims of a valid client assertion of client 1
// for aud.
func assertionClaims(aud any) obj {
	return obj{
		"iss": clientID,
		"sub": clientID,
		"aud": aud,
		"exp": unix(time.Minute),
		"iat": Now.Unix(),
		"jti": "assertion-jti-1",
	}
}

// withAssertion adds private_key_jwt client authentication to params.
func (f *Fixture) withAssertion(params, claims obj) obj {
	return with(params, "client_assertion_type", jwtBearer, "client_assertion", f.assertion(claims))
}

// pushedAuth is an authorization request whose request_uri the PAR
// endpoint issued, with the record the server stored for it.
func pushedAuth(client string, params obj) obj {
	return obj{
		"params": obj{"client_id": client, "request_uri": pushedURI},
		"pushed": obj{"client_id": client, "expires_at": rfc3339(time.Minute), "params": params},
	}
}

// keep keeps the service, the client and the named requests of a case.
func keep(c obj, requests ...string) obj {
	out := obj{"service": c["service"], "client": c["client"]}
	for _, r := range requests {
		out[r] = c[r]
	}
	return out
}

// --- FAPI 1.0 Implementer's Draft 2 (read-only, read-and-write) -------

// id2Service is a FAPI 1.0 ID2 service: accounts selects the read-only
// profile, payments the read-and-write one; it offers PAR (the suite's
// pushed variant) and every client authentication method ID2 knows.
func id2Service() obj {
	return obj{
		"issuer":                                issuer,
		"authorization_endpoint":                authEndpoint,
		"token_endpoint":                        tokenEndpoint,
		"pushed_authorization_request_endpoint": parEndpoint,
		"supported_service_profiles":            []string{"fapi"},
		"fapi_version":                          "1.0-id2",
		"scopes": []obj{
			{"name": "openid"},
			{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
			{"name": "payments", "attributes": []obj{{"key": "fapi", "value": "rw"}}},
		},
		"token_endpoint_auth_methods_supported":      []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "client_secret_jwt", "none"},
		"response_types_supported":                   []string{"code id_token", "code"},
		"acr_values_supported":                       []string{acrValue},
		"tls_client_certificate_bound_access_tokens": true,
		"code_challenge_methods_supported":           []string{"S256"},
		"request_parameter_supported":                true,
	}
}

// rwClient is a read-and-write client (private_key_jwt, PS256,
// certificate-bound tokens, hybrid flow).
func (f *Fixture) rwClient() obj {
	return obj{
		"client_id":                  clientID,
		"client_type":                "confidential",
		"redirect_uris":              []string{redirectURI},
		"token_endpoint_auth_method": "private_key_jwt",
		"jwks":                       testfixture.JWKS(f.client),
		"response_types":             []string{"code id_token"},
		"tls_client_certificate_bound_access_tokens": true,
		"request_object_signing_alg":                 "PS256",
		"token_endpoint_auth_signing_alg":            "PS256",
		"id_token_signed_response_alg":               "PS256",
	}
}

// client2 is client 2: client's registration under another client_id, with
// its own key.
func (f *Fixture) client2(client obj) obj {
	return with(client, "client_id", client2ID, "jwks", testfixture.JWKS(f.key2))
}

// rwClaims are the claims of a valid read-and-write request object (every
// parameter inside, essential acr requested).
func rwClaims() obj {
	return obj{
		"iss":           clientID,
		"aud":           issuer,
		"exp":           unix(5 * time.Minute),
		"iat":           Now.Unix(),
		"jti":           "ro-jti-1",
		"client_id":     clientID,
		"response_type": "code id_token",
		"redirect_uri":  redirectURI,
		"scope":         "openid payments",
		"state":         state,
		"nonce":         nonce,
		"claims":        obj{"id_token": obj{"acr": obj{"essential": true, "values": []string{acrValue}}}},
	}
}

// rwOutside are the parameters sent beside a request object by value (OIDC
// Core §6.1 asks for client_id, response_type and scope).
func rwOutside() obj {
	return obj{"client_id": clientID, "response_type": "code id_token", "scope": "openid payments"}
}

// rwAuthCase is a read-and-write authorization request with the request
// object by value.
func (f *Fixture) rwAuthCase(outside obj, token string) obj {
	return obj{"service": id2Service(), "client": f.rwClient(),
		"authorization_request": obj{"params": with(outside, "request", token)}}
}

// rwRecord is the record of a code issued to client 1 by a hybrid
// read-and-write flow.
func rwRecord() obj {
	return obj{"client_id": clientID, "redirect_uri": redirectURI, "scope": "openid payments"}
}

// rwToken is client 1's token request with a client assertion of the given
// claims, its TLS certificate, and the code's record.
func (f *Fixture) rwToken(assertion string) obj {
	return obj{
		"params": obj{
			"grant_type":            "authorization_code",
			"code":                  authCode,
			"redirect_uri":          redirectURI,
			"client_assertion_type": jwtBearer,
			"client_assertion":      assertion,
		},
		"client_certificate": f.tls1.CertPEM(),
		"authorization":      rwRecord(),
	}
}

// rwTokenCase is the read-and-write token request alone.
func (f *Fixture) rwTokenCase(tr obj) obj {
	return obj{"service": id2Service(), "client": f.rwClient(), "token_request": tr}
}

// rwPAR is a read-and-write pushed authorization request: client_id, the
// signed request object and the client authentication.
func (f *Fixture) rwPAR(roClaims, assertion obj) obj {
	return obj{
		"params":             f.withAssertion(obj{"client_id": clientID, "request": f.sign(roClaims)}, assertion),
		"client_certificate": f.tls1.CertPEM(),
	}
}

// roParams are the parameters of a valid read-only hybrid request with
// PKCE S256.
func roParams(client string) obj {
	return obj{
		"client_id":             client,
		"response_type":         "code id_token",
		"scope":                 "openid accounts",
		"redirect_uri":          redirectURI,
		"state":                 state,
		"nonce":                 nonce,
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// roPublicClient is a public read-only client.
func roPublicClient() obj {
	return obj{
		"client_id":                  clientID,
		"client_type":                "public",
		"redirect_uris":              []string{redirectURI},
		"token_endpoint_auth_method": "none",
		"response_types":             []string{"code id_token"},
		"scope":                      "openid accounts",
	}
}

// roRecord is the record of a read-only code issued to client with PKCE.
func roRecord(client string) obj {
	return obj{
		"client_id":             client,
		"redirect_uri":          redirectURI,
		"scope":                 "openid accounts",
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// roTokenParams are a read-only token request's form parameters.
func roTokenParams() obj {
	return obj{
		"grant_type":    "authorization_code",
		"code":          authCode,
		"redirect_uri":  redirectURI,
		"code_verifier": verifier,
	}
}

// --- FAPI 1.0 Final Advanced ------------------------------------------

// advService is a FAPI 1.0 Final service whose payments scope selects
// Advanced; it offers PAR (optional under Advanced) and JARM.
func advService() obj {
	return obj{
		"issuer":                                issuer,
		"authorization_endpoint":                authEndpoint,
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

// advClaims are the claims of a valid Advanced request object: nbf ten
// seconds ago, exp five minutes ahead, aud the issuer.
func advClaims() obj {
	return with(rwClaims(), "nbf", unix(-10*time.Second), "claims", nil)
}

// advPKCEClaims add the S256 challenge a pushed request carries.
func advPKCEClaims() obj {
	return with(advClaims(), "code_challenge", testfixture.S256(verifier), "code_challenge_method", "S256")
}

// advAuthCase is an Advanced authorization request carrying a request
// object by value, beside client_id, response_type and scope.
func (f *Fixture) advAuthCase(outside obj, token string) obj {
	return obj{"service": advService(), "client": f.rwClient(),
		"authorization_request": obj{"params": with(outside, "request", token)}}
}

// advPAR is an Advanced pushed authorization request whose request object
// has the given claims, with a client assertion of the given claims.
func (f *Fixture) advPAR(roClaims, assertion obj) obj {
	return obj{
		"params":             f.withAssertion(obj{"client_id": clientID, "request": f.sign(roClaims)}, assertion),
		"client_certificate": f.tls1.CertPEM(),
	}
}

// advPARCase is the Advanced pushed authorization request alone.
func (f *Fixture) advPARCase(par obj) obj {
	return obj{"service": advService(), "client": f.rwClient(), "pushed_authorization_request": par}
}

// advPushedRecord is the record of a code issued through PAR (with PKCE).
func advPushedRecord() obj {
	return with(rwRecord(), "code_challenge", testfixture.S256(verifier), "code_challenge_method", "S256")
}

// advToken is client 1's Advanced token request for a code issued by value
// (no PKCE), with a client assertion of the given claims.
func (f *Fixture) advToken(assertion obj) obj { return f.rwToken(f.assertion(assertion)) }

// advPushedToken is client 1's token request for a code issued through
// PAR: the record holds the S256 challenge, the request the verifier.
func (f *Fixture) advPushedToken() obj {
	tr := f.advToken(assertionClaims(tokenEndpoint))
	tr["params"] = with(tr["params"].(obj), "code_verifier", verifier)
	tr["authorization"] = advPushedRecord()
	return tr
}

// advTokenCase is the Advanced token request alone.
func (f *Fixture) advTokenCase(tr obj) obj {
	return obj{"service": advService(), "client": f.rwClient(), "token_request": tr}
}

// --- FAPI 2.0 Security Profile ----------------------------------------

// f2Service is a FAPI 2.0 Security Profile service: PAR required,
// response_type code, the iss response parameter, PKCE S256, certificate-
// and DPoP-bound tokens, 60 s codes, 90 s request_uris.
func f2Service() obj {
	return obj{
		"issuer":                                issuer,
		"authorization_endpoint":                authEndpoint,
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

// f2Client is a FAPI 2.0 client with certificate-bound tokens.
func (f *Fixture) f2Client() obj {
	return with(f.rwClient(), "response_types", []string{"code"}, "scope", "openid sp")
}

// f2DPoPClient is a FAPI 2.0 client with DPoP-bound tokens.
func (f *Fixture) f2DPoPClient() obj {
	return with(f.f2Client(), "tls_client_certificate_bound_access_tokens", nil, "dpop_bound_access_tokens", true)
}

// f2Assertion: under FAPI 2.0 a client assertion's aud is the issuer, as a
// string (FAPI2-SP-5.3.2.1-8).
func f2Assertion() obj { return assertionClaims(issuer) }

// f2Params are the parameters of a valid FAPI 2.0 request.
func f2Params() obj {
	return obj{
		"client_id":             clientID,
		"response_type":         "code",
		"redirect_uri":          redirectURI,
		"scope":                 "openid sp",
		"state":                 state,
		"nonce":                 nonce,
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// f2PAR is a FAPI 2.0 pushed authorization request with the given
// authorization parameters and client assertion claims, over mTLS.
func (f *Fixture) f2PAR(params, assertion obj) obj {
	return obj{"params": f.withAssertion(params, assertion), "client_certificate": f.tls1.CertPEM()}
}

// f2PARCase is the FAPI 2.0 pushed authorization request alone.
func (f *Fixture) f2PARCase(params, assertion obj) obj {
	return obj{"service": f2Service(), "client": f.f2Client(), "pushed_authorization_request": f.f2PAR(params, assertion)}
}

// f2AuthCase is a FAPI 2.0 authorization request through PAR: the
// request_uri with the pushed record of params.
func (f *Fixture) f2AuthCase(params obj) obj {
	return obj{"service": f2Service(), "client": f.f2Client(), "authorization_request": pushedAuth(clientID, params)}
}

// f2Record is the record of a code issued ten seconds ago to client 1 for
// f2Params, bound to client 1's TLS certificate.
func (f *Fixture) f2Record() obj {
	return obj{
		"client_id":              clientID,
		"redirect_uri":           redirectURI,
		"scope":                  "openid sp",
		"code_challenge":         testfixture.S256(verifier),
		"code_challenge_method":  "S256",
		"issued_at":              rfc3339(-10 * time.Second),
		"certificate_thumbprint": mtls.Thumbprint(f.tls1.Cert),
	}
}

// f2TokenParams are client 1's token request parameters with a client
// assertion of the given claims.
func (f *Fixture) f2TokenParams(assertion obj) obj {
	return f.withAssertion(obj{
		"grant_type":    "authorization_code",
		"code":          authCode,
		"redirect_uri":  redirectURI,
		"code_verifier": verifier,
	}, assertion)
}

// f2Token is client 1's token request over mTLS with a client assertion of
// the given claims.
func (f *Fixture) f2Token(assertion obj) obj {
	return obj{"params": f.f2TokenParams(assertion), "client_certificate": f.tls1.CertPEM(), "authorization": f.f2Record()}
}

// f2TokenCase is the FAPI 2.0 token request alone.
func (f *Fixture) f2TokenCase(tr obj) obj {
	return obj{"service": f2Service(), "client": f.f2Client(), "token_request": tr}
}

// dpopClaims are the claims of a valid DPoP proof for a POST to url.
func dpopClaims(url string) obj {
	return obj{"jti": "dpop-jti-1", "htm": "POST", "htu": url, "iat": Now.Unix()}
}

// dpopProof signs a DPoP proof with key, whose public key is its jwk
// header.
func dpopProof(key testfixture.Key, claims obj) string {
	return testfixture.Sign(key, "ES256", claims, obj{"typ": "dpop+jwt", "jwk": key.Public()})
}

// f2DPoPPAR is the DPoP client's pushed authorization request: client
// assertion, no client certificate, and a DPoP proof (when not "") that
// binds the future code to its key.
func (f *Fixture) f2DPoPPAR(params obj, proof string) obj {
	par := obj{"params": f.withAssertion(params, f2Assertion())}
	if proof != "" {
		par["dpop"] = proof
	}
	return par
}

// f2DPoPToken is the DPoP client's token request: no client certificate, a
// DPoP proof (when not "") and a record bound to the DPoP key jkt.
func (f *Fixture) f2DPoPToken(proof, jkt string) obj {
	tr := obj{
		"params":        f.f2TokenParams(f2Assertion()),
		"authorization": with(f.f2Record(), "certificate_thumbprint", nil, "dpop_jkt", jkt),
	}
	if proof != "" {
		tr["dpop"] = proof
	}
	return tr
}

// f2DPoPCase is the complete DPoP flow: PAR with a proof, the authorization
// request whose pushed record holds the proof's key, and the token request
// with a proof by the same key.
func (f *Fixture) f2DPoPCase(parProof, tokenProof string) obj {
	jkt := testfixture.Thumbprint(f.dpop)
	auth := pushedAuth(clientID, with(f2Params(), "dpop_jkt", jkt))
	auth["pushed"].(obj)["dpop_jkt"] = jkt
	return obj{
		"service":                      f2Service(),
		"client":                       f.f2DPoPClient(),
		"pushed_authorization_request": f.f2DPoPPAR(f2Params(), parProof),
		"authorization_request":        auth,
		"token_request":                f.f2DPoPToken(tokenProof, jkt),
	}
}

// --- FAPI 2.0 Message Signing -----------------------------------------

// msService is f2Service with the Message Signing scope msreq (signed
// requests: request objects at the PAR endpoint).
func msService() obj {
	return with(f2Service(),
		"scopes", []obj{
			{"name": "openid"},
			{"name": "sp", "attributes": []obj{{"key": "fapi2", "value": "sp"}}},
			{"name": "msreq", "attributes": []obj{{"key": "fapi2", "value": "ms-authreq"}}},
		},
		"require_signed_request_object", true,
		"request_parameter_supported", true,
		"request_object_signing_alg_values_supported", []string{"PS256", "ES256"},
	)
}

// msClient is a Message Signing client with signed requests.
func (f *Fixture) msClient() obj { return with(f.f2Client(), "scope", "openid msreq") }

// msClaims are the claims of a valid Message Signing request object:
// nbf now, exp five minutes ahead, aud the issuer.
func msClaims() obj {
	return obj{
		"iss":                   clientID,
		"aud":                   issuer,
		"exp":                   unix(5 * time.Minute),
		"nbf":                   Now.Unix(),
		"iat":                   Now.Unix(),
		"jti":                   "ms-jti-1",
		"client_id":             clientID,
		"response_type":         "code",
		"redirect_uri":          redirectURI,
		"scope":                 "openid msreq",
		"state":                 state,
		"nonce":                 nonce,
		"code_challenge":        testfixture.S256(verifier),
		"code_challenge_method": "S256",
	}
}

// msObject signs a Message Signing request object with client 1's key,
// explicitly typed (RFC 9101 §10.8).
func (f *Fixture) msObject(claims obj) string {
	return testfixture.Sign(f.client, "PS256", claims, obj{"typ": "oauth-authz-req+jwt"})
}

// msPARCase is a Message Signing pushed authorization request carrying the
// given request object.
func (f *Fixture) msPARCase(token string) obj {
	return obj{
		"service": msService(),
		"client":  f.msClient(),
		"pushed_authorization_request": obj{
			"params":             f.withAssertion(obj{"client_id": clientID, "request": token}, f2Assertion()),
			"client_certificate": f.tls1.CertPEM(),
		},
	}
}

// long returns a string of n characters for the long nonce and state
// modules.
func long(prefix string, n int) string {
	return prefix + strings.Repeat("x", n-len(prefix))
}
