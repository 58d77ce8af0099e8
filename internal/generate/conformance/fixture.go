package conformance

import (
	"crypto/elliptic"
	"crypto/x509/pkix"
	"encoding/json"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

// The identifiers of the clients and the values only the conformance cases
// use; the authorization server's are in internal/fixtures.
const (
	clientID      = "client-1"
	client2ID     = "client-2"
	secretClient  = "client-secret-jwt"
	clientSecret  = "0123456789abcdef0123456789abcdef" // 32 bytes, enough for HS256
	otherVerifier = "Yz1Q7f2kGmR0aP5cXw9LbT3nHs8Jd6Ve4Ku_Ni-Oo0p"
	pushedURI2    = "urn:ietf:params:oauth:request_uri:bwc4JK-ESC0w8acc191e-Y1LTC2"
	// The values the suite sends where a module is about a foreign value.
	otherAudience  = "https://www.other1.example.com/"
	userinfoURL    = "https://fapidev-rs.authlete.net/api/userinfo"
	junkRedirect   = "https://junk.io/junk/callback"
	randomRedirect = "https://client.example.org/cb/8f3a1c"
)

// client1 builds client 1's parameters and claims, which need none of its
// keys, where a module declares them.
const client1 = fixtures.ClientID(clientID)

// Fixture holds the keys of one generation of the case files: every
// generation makes new keys, so signatures differ between generations while
// the expectations do not.
type Fixture struct {
	fixtures.Client              // client 1: its signing key (PS256) and TLS certificate
	key2            fixtures.Key // client 2's signing key (PS256)
	tls2            fixtures.Key // client 2's TLS certificate
	dpop            fixtures.Key // the DPoP key a grant is bound to (ES256)
	dpopOther       fixtures.Key // a DPoP key no grant is bound to
}

// NewFixture generates the keys and certificates of one generation.
func NewFixture() *Fixture {
	return &Fixture{
		Client: fixtures.Client{
			ClientID: client1,
			Key:      fixtures.RSA(2048, "client-1-sig", "PS256"),
			TLS:      fixtures.EC(elliptic.P256(), "client-1-tls", "ES256").WithCert(pkix.Name{CommonName: "client-1.example.org", Organization: []string{"Example Client"}, Country: []string{"GB"}}),
		},
		key2:      fixtures.RSA(2048, "client-2-sig", "PS256"),
		tls2:      fixtures.EC(elliptic.P256(), "client-2-tls", "ES256").WithCert(pkix.Name{CommonName: "client-2.example.org", Organization: []string{"Other Client"}, Country: []string{"GB"}}),
		dpop:      fixtures.EC(elliptic.P256(), "", "ES256"),
		dpopOther: fixtures.EC(elliptic.P256(), "", "ES256"),
	}
}

// tls1SubjectDN is the subject of client 1's certificate, as a
// tls_client_auth client registers it (RFC 8705 §2.1.2).
const tls1SubjectDN = "CN=client-1.example.org,O=Example Client,C=GB"

type obj = fixtures.Obj

// jwtClaims are the JWT claims of a request object, which are not
// authorization parameters.
var jwtClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// stored turns request object claims into the parameters a PAR endpoint
// stores: the JWT claims dropped, every value a string (claims as its JSON
// text), as Report.Parameters returns them.
func stored(claims obj) obj {
	out := obj{}
	for k, v := range fixtures.Without(claims, jwtClaims...) {
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
// pushed variant), request objects by value and every client
// authentication method ID2 knows.
func id2Service() obj {
	return fixtures.With(fixtures.ID2Service(),
		"pushed_authorization_request_endpoint", fixtures.PAREndpoint,
		"token_endpoint_auth_methods_supported", []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "client_secret_jwt", "none"},
		"request_parameter_supported", true,
	)
}

// client2 is client 2: client's registration under another client_id, with
// its own key.
func (f *Fixture) client2(client obj) obj {
	return fixtures.With(client, "client_id", client2ID, "jwks", fixtures.JWKS(f.key2))
}

// rwAuthCase is a read-and-write authorization request with the request
// object by value.
func (f *Fixture) rwAuthCase(outside obj, token string) obj {
	return obj{"service": id2Service(), "client": f.RWClient(), "authorization_request": fixtures.AuthByValue(outside, token)}
}

// rwTokenCase is the read-and-write token request alone.
func (f *Fixture) rwTokenCase(tr obj) obj {
	return obj{"service": id2Service(), "client": f.RWClient(), "token_request": tr}
}

// roParams are the parameters of a valid read-only hybrid request with
// PKCE S256.
func roParams(client string) obj {
	return obj{
		"client_id":             client,
		"response_type":         "code id_token",
		"scope":                 "openid accounts",
		"redirect_uri":          fixtures.RedirectURI,
		"state":                 fixtures.State,
		"nonce":                 fixtures.Nonce,
		"code_challenge":        fixtures.S256(fixtures.Verifier),
		"code_challenge_method": "S256",
	}
}

// --- FAPI 1.0 Final Advanced ------------------------------------------

// advAuthCase is an Advanced authorization request carrying a request
// object by value, beside client_id, response_type and scope.
func (f *Fixture) advAuthCase(outside obj, token string) obj {
	return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "authorization_request": fixtures.AuthByValue(outside, token)}
}

// advPARCase is the Advanced pushed authorization request alone.
func (f *Fixture) advPARCase(par obj) obj {
	return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "pushed_authorization_request": par}
}

// advTokenCase is the Advanced token request alone.
func (f *Fixture) advTokenCase(tr obj) obj {
	return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "token_request": tr}
}

// --- FAPI 2.0 Security Profile ----------------------------------------

// f2Assertion: under FAPI 2.0 a client assertion's aud is the issuer, as a
// string (FAPI2-SP-5.3.2.1-8).
func f2Assertion() obj { return client1.AssertionClaims(fixtures.Issuer) }

// f2Params are the parameters of a valid FAPI 2.0 request, nonce included.
func f2Params() obj { return fixtures.With(client1.F2Params(), "nonce", fixtures.Nonce) }

// f2PARCase is the FAPI 2.0 pushed authorization request alone.
func (f *Fixture) f2PARCase(params, assertion obj) obj {
	return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "pushed_authorization_request": f.F2PAR(params, assertion)}
}

// f2AuthCase is a FAPI 2.0 authorization request through PAR: the
// request_uri with the pushed record of params.
func (f *Fixture) f2AuthCase(params obj) obj {
	return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "authorization_request": fixtures.PushedAuth(clientID, params)}
}

// f2TokenCase is the FAPI 2.0 token request alone.
func (f *Fixture) f2TokenCase(tr obj) obj {
	return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "token_request": tr}
}

// f2DPoPPAR is the DPoP client's pushed authorization request: client
// assertion, no client certificate, and a DPoP proof (when not "") that
// binds the future code to its key.
func (f *Fixture) f2DPoPPAR(params obj, proof string) obj {
	par := obj{"params": f.WithAssertion(params, f2Assertion())}
	if proof != "" {
		par["dpop"] = proof
	}
	return par
}

// f2DPoPCase is the complete DPoP flow: PAR with a proof, the authorization
// request whose pushed record holds the proof's key, and the token request
// with a proof by the same key.
func (f *Fixture) f2DPoPCase(parProof, tokenProof string) obj {
	jkt := fixtures.Thumbprint(f.dpop)
	auth := fixtures.PushedAuth(clientID, fixtures.With(f2Params(), "dpop_jkt", jkt))
	auth["pushed"].(obj)["dpop_jkt"] = jkt
	return obj{
		"service":                      fixtures.F2Service(),
		"client":                       f.F2DPoPClient(),
		"pushed_authorization_request": f.f2DPoPPAR(f2Params(), parProof),
		"authorization_request":        auth,
		"token_request":                f.F2DPoPToken(tokenProof, jkt),
	}
}

// --- FAPI 2.0 Message Signing -----------------------------------------

// msService is F2Service with the Message Signing scope msreq (signed
// requests: request objects at the PAR endpoint).
func msService() obj {
	return fixtures.With(fixtures.F2Service(),
		"scopes", fixtures.F2Scopes(fixtures.MSScope("msreq", "ms-authreq")),
		"require_signed_request_object", true,
		"request_parameter_supported", true,
		"request_object_signing_alg_values_supported", []string{"PS256", "ES256"},
	)
}

// msClient is a Message Signing client with signed requests.
func (f *Fixture) msClient() obj { return fixtures.With(f.F2Client(), "scope", "openid msreq") }

// msClaims are the claims of a valid Message Signing request object: those
// of an Advanced one with PKCE, but nbf now (exp five minutes ahead, aud the
// issuer), response_type code and the msreq scope.
func msClaims() obj {
	return fixtures.With(client1.AdvPKCEClaims(),
		"nbf", fixtures.Now.Unix(),
		"jti", "ms-jti-1",
		"response_type", "code",
		"scope", "openid msreq",
	)
}

// msPARCase is a Message Signing pushed authorization request carrying the
// given request object.
func (f *Fixture) msPARCase(token string) obj {
	return obj{"service": msService(), "client": f.msClient(), "pushed_authorization_request": f.MSPAR(token)}
}

// long returns a string of n characters for the long nonce and state
// modules.
func long(prefix string, n int) string {
	return prefix + strings.Repeat("x", n-len(prefix))
}

// --- One-time use and refresh tokens ----------------------------------

// usedStore is the store member of a case: a one-time-use store
// (fapi.WithStore) that already holds the given keys, as the requests
// before the case's own left it.
func usedStore(keys ...obj) obj {
	if keys == nil {
		keys = []obj{}
	}
	return obj{"used": keys}
}

// usedKey is a key of a store member: its kind and the parts the library
// derives it from (casefile.UsedKey).
func usedKey(kind string, parts ...string) obj { return obj{"kind": kind, "parts": parts} }

// The refresh tokens the server issued to client 1 and client 2; the
// library never reads them, only their records.
const (
	refreshToken1 = "refresh-token-of-client-1"
	refreshToken2 = "refresh-token-of-client-2"
)

// withRefreshGrant adds the refresh_token grant to a service's
// grant_types_supported (RFC 8414 §2) or a client's grant_types (RFC 7591
// §2).
func withRefreshGrant(metadata obj, member string) obj {
	return fixtures.With(metadata, member, []string{"authorization_code", "refresh_token"})
}

// refreshRecord is the record the server keeps of a refresh token issued
// to client for scope, valid for another hour and bound to the
// certificate whose x5t#S256 is x5t (RFC 8705 §4).
func refreshRecord(client, scope, x5t string) obj {
	return obj{"client_id": client, "scope": scope, "expires_at": fixtures.RFC3339(time.Hour), "certificate_thumbprint": x5t}
}

// refreshRequest is client 1's refresh_token grant request for token,
// asking for scope (as the suite adds the client's scope), with a fresh
// client assertion for aud, its TLS certificate and the token's record.
func (f *Fixture) refreshRequest(token, scope string, aud any, rec obj) obj {
	params := obj{"grant_type": "refresh_token", "refresh_token": token, "scope": scope}
	return obj{
		"params":             f.WithAssertion(params, fixtures.With(client1.AssertionClaims(aud), "jti", "refresh-jti-1")),
		"client_certificate": f.TLS.CertPEM(),
		"refresh":            rec,
	}
}

// otherClientTokenAtResource is the resource request of the refresh
// modules' step that presents client 2's access token, bound to client 2's
// certificate, over client 1's TLS connection.
func (f *Fixture) otherClientTokenAtResource(service obj, scope string) obj {
	c := f.mtlsResourceCase(service, scope, "Bearer")
	rr := c["resource_request"].(obj)
	rr["token"] = fixtures.With(rr["token"].(obj), "cnf", obj{"x5t#S256": mtls.Thumbprint(f.tls2.Cert)})
	return c
}
