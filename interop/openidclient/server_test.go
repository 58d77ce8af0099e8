package openidclient_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// rpRedirectURI is the redirect URI every client registers. Nothing
// listens there: the test reads the authorization response from the
// server's redirect or form_post page and hands it to openid-client.
const rpRedirectURI = "https://rp.example.org/cb"

// acrClaims asks for the server's acr as an essential ID token claim
// (FAPI 1.0 ID2 read-write clients send it; the server satisfies it).
const acrClaims = `{"id_token":{"acr":{"essential":true,"values":["urn:openbanking:psd2:sca"]}}}`

// rpClient is a client the RP runs as: what it registers at the server and
// how openid-client is configured for it.
type rpClient struct {
	name string
	// auth is the token_endpoint_auth_method: private_key_jwt or
	// tls_client_auth (RFC 8705 §2.1, with a certificate of the test CA).
	auth string
	// dpop binds its tokens with DPoP (RFC 9449); otherwise they are bound
	// to its TLS client certificate (RFC 8705 §3), presented on every
	// back-channel request.
	dpop bool
	// responseType is the registered response type: code, or code id_token
	// (FAPI 1.0's hybrid flow, which openid-client validates as a detached
	// signature).
	responseType string
	// jarm registers authorization_signed_response_alg PS256 (JARM §3).
	jarm bool
	// signs registers request_object_signing_alg PS256 (RFC 9101).
	signs bool
}

func (c rpClient) clientID() string { return "openid-client-" + c.name }

// step is one step of a scenario and the outcome expected of it (see
// rp.mjs): "ok", or how openid-client surfaced the refusal.
type step struct{ name, want string }

func ok(names ...string) []step {
	out := make([]step, len(names))
	for i, n := range names {
		out[i] = step{n, "ok"}
	}
	return out
}

func steps(groups ...[]step) []step {
	var out []step
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// scenario is one run of openid-client against the server.
type scenario struct {
	name   string
	client string
	// request is how openid-client sends the authorization request:
	// plain (buildAuthorizationUrl), par (buildAuthorizationUrlWithPAR),
	// jar (buildAuthorizationUrlWithJAR, by value) or jar-par (the request
	// object pushed).
	request string
	// response is the response openid-client expects: query, form_post,
	// jarm (useJwtResponseMode) or hybrid (useCodeIdTokenResponseType with
	// enableDetachedSignatureResponseChecks).
	response string
	params   map[string]string
	outside  map[string]string
	steps    []step
}

// profileCase is one server profile: its clients and scenarios.
type profileCase struct {
	profile   string
	clients   []rpClient
	scenarios []scenario
}

// The flows every profile's main scenarios run after the token request:
// the resource, userinfo, refresh, the resource with the refreshed token,
// client credentials and the resource with that token.
var (
	flowTail = ok("resource", "userinfo", "refresh", "resource", "client-credentials", "resource")
	// certBound are the refusals of a certificate-bound token presented
	// from another certificate or none (RFC 8705 §3).
	certBound = []step{{"resource-other-cert", "challenge:invalid_token"}, {"resource-no-cert", "challenge:invalid_token"}}
)

func profileCases() []profileCase {
	fapi2 := []rpClient{
		{name: "dpop", auth: "private_key_jwt", dpop: true, responseType: "code"},
		{name: "mtls", auth: "tls_client_auth", responseType: "code"},
	}
	ms := []rpClient{
		{name: "dpop", auth: "private_key_jwt", dpop: true, responseType: "code", jarm: true, signs: true},
		{name: "mtls", auth: "tls_client_auth", responseType: "code", jarm: true, signs: true},
	}
	adv := []rpClient{
		{name: "hybrid", auth: "private_key_jwt", responseType: "code id_token", signs: true},
		{name: "jarm", auth: "private_key_jwt", responseType: "code", jarm: true, signs: true},
		{name: "mtls", auth: "tls_client_auth", responseType: "code", jarm: true, signs: true},
	}
	baseline := []rpClient{
		{name: "code", auth: "private_key_jwt", responseType: "code"},
		{name: "mtls", auth: "tls_client_auth", responseType: "code"},
	}
	rw := []rpClient{
		{name: "hybrid", auth: "private_key_jwt", responseType: "code id_token", signs: true},
		{name: "jarm", auth: "private_key_jwt", responseType: "code", jarm: true, signs: true},
	}
	rwOutside := func(rt string) map[string]string {
		return map[string]string{"response_type": rt, "scope": "openid accounts"}
	}
	acr := map[string]string{"claims": acrClaims}

	return []profileCase{
		{profile: "fapi2-security", clients: fapi2, scenarios: []scenario{
			{name: "PAR, PKCE, private_key_jwt and DPoP with server nonces", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "token"), flowTail)},
			// openid-client's documented FAPI 2.0 request: PKCE alone
			// protects the flow (FAPI2-SP-5.3.2.2-5 requires PKCE; state and
			// nonce are optional).
			{name: "PAR with PKCE alone, without state and nonce", client: "dpop", request: "par", response: "query",
				params: map[string]string{"state": "", "nonce": ""},
				steps:  ok("authorize", "token", "resource", "userinfo")},
			{name: "PAR, tls_client_auth and certificate-bound tokens", client: "mtls", request: "par", response: "query",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a code redeemed twice is refused and revokes its tokens", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "token", "resource"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
			{name: "a wrong PKCE verifier", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize"), []step{{"token-wrong-verifier", "body:invalid_grant"}})},
			{name: "a replayed DPoP proof at the resource and at the token endpoint", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "token", "resource"), []step{{"resource-replay-proof", "challenge:invalid_dpop_proof"}, {"refresh-replay-proof", "body:invalid_dpop_proof"}})},
			// A token whose cnf.jkt is not the proof's key is unusable:
			// invalid_token (RFC 9449 §7.1, RFC 6750 §3.1), the library's
			// resource.dpop_key_mismatch.
			{name: "a DPoP-bound token without its proof or with another key", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "token"), []step{{"resource-bearer", "challenge:invalid_token"}, {"resource-other-dpop-key", "challenge:invalid_token"}}, ok("resource"))},
			// The pushed request's proof bound the code to its key (RFC 9449
			// §10.1); a token request proving another key is refused as
			// invalid_dpop_proof (RFC 9449 §5).
			{name: "the code redeemed with another DPoP key than the pushed request's", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize"), []step{{"token-other-dpop-key", "body:invalid_dpop_proof"}})},
			// FAPI2-SP-5.3.2.2-2: an error page, since a redirect URI that
			// did not come through PAR is not trusted.
			{name: "a request without PAR", client: "dpop", request: "plain", response: "query",
				steps: []step{{"authorize", "page:400"}}},
			{name: "an RS256 client assertion", client: "dpop", request: "par", response: "query",
				steps: []step{{"par-rs256-assertion", "body:invalid_client"}}},
			{name: "an authorization response without iss", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "strip-iss"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
			{name: "an authorization response with another issuer's iss", client: "dpop", request: "par", response: "query",
				steps: steps(ok("authorize", "wrong-iss"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
		}},
		{profile: "fapi2-message-signing", clients: ms, scenarios: []scenario{
			{name: "PAR with a signed request object, JARM and DPoP", client: "dpop", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "token"), flowTail)},
			{name: "PAR with a signed request object, JARM and tls_client_auth", client: "mtls", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "an unsigned pushed request", client: "dpop", request: "par", response: "jarm",
				steps: []step{{"authorize", "body:invalid_request"}}},
			{name: "an RS256 request object", client: "dpop", request: "jar-par", response: "jarm",
				steps: []step{{"authorize-rs256-request-object", "body:invalid_request_object"}}},
			{name: "a tampered JARM response", client: "dpop", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "tamper-jarm"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
			{name: "a code redeemed twice", client: "dpop", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "token"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
		}},
		{profile: "fapi1-advanced", clients: adv, scenarios: []scenario{
			{name: "a request object by value with openid-client's default outside parameters, code id_token", client: "hybrid", request: "jar", response: "hybrid",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a request object by value, code id_token in form_post", client: "hybrid", request: "jar", response: "hybrid",
				params: map[string]string{"response_mode": "form_post"},
				steps:  ok("authorize", "token", "resource")},
			{name: "PAR with a request object and JARM", client: "jarm", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a request object by value and JARM", client: "jarm", request: "jar", response: "jarm",
				steps: ok("authorize", "token", "resource")},
			{name: "tls_client_auth, PAR and JARM", client: "mtls", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a code redeemed twice", client: "hybrid", request: "jar", response: "hybrid",
				steps: steps(ok("authorize", "token"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
			{name: "a pushed request without a request object", client: "jarm", request: "par", response: "jarm",
				steps: []step{{"authorize", "body:invalid_request"}}},
			{name: "a wrong PKCE verifier", client: "jarm", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize"), []step{{"token-wrong-verifier", "body:invalid_grant"}})},
			{name: "an RS256 request object, pushed", client: "jarm", request: "jar-par", response: "jarm",
				steps: []step{{"authorize-rs256-request-object", "body:invalid_request_object"}}},
			{name: "an RS256 request object by value", client: "hybrid", request: "jar", response: "hybrid",
				steps: []step{{"authorize-rs256-request-object", "page:400"}}},
			{name: "an RS256 client assertion", client: "jarm", request: "jar-par", response: "jarm",
				steps: []step{{"client-credentials-rs256-assertion", "body:invalid_client"}}},
			{name: "a tampered JARM response", client: "jarm", request: "jar-par", response: "jarm",
				steps: steps(ok("authorize", "tamper-jarm"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
			{name: "a hybrid response with another issuer's iss", client: "hybrid", request: "jar", response: "hybrid",
				steps: steps(ok("authorize", "wrong-iss"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
		}},
		{profile: "fapi1-baseline", clients: baseline, scenarios: []scenario{
			{name: "code with PKCE, plain parameters", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "PAR", client: "code", request: "par", response: "query",
				steps: ok("authorize", "token", "resource")},
			{name: "form_post", client: "code", request: "plain", response: "form_post",
				steps: ok("authorize", "token", "resource")},
			{name: "tls_client_auth", client: "mtls", request: "plain", response: "query",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a code redeemed twice", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize", "token"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
			{name: "a wrong PKCE verifier", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize"), []step{{"token-wrong-verifier", "body:invalid_grant"}})},
			{name: "an RS256 client assertion", client: "code", request: "plain", response: "query",
				steps: []step{{"client-credentials-rs256-assertion", "body:invalid_client"}}},
			{name: "an authorization response without iss", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize", "strip-iss"), []step{{"token", "client:OAUTH_INVALID_RESPONSE"}})},
		}},
		{profile: "fapi1-read-only", clients: baseline, scenarios: []scenario{
			{name: "code with PKCE, plain parameters", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "form_post", client: "code", request: "plain", response: "form_post",
				steps: ok("authorize", "token", "resource")},
			{name: "tls_client_auth", client: "mtls", request: "plain", response: "query",
				steps: steps(ok("authorize", "token", "resource"), flowTail)},
			{name: "a code redeemed twice", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize", "token"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
			{name: "a wrong PKCE verifier", client: "code", request: "plain", response: "query",
				steps: steps(ok("authorize"), []step{{"token-wrong-verifier", "body:invalid_grant"}})},
		}},
		{profile: "fapi1-read-write", clients: rw, scenarios: []scenario{
			{name: "a request object by value with response_type and scope also outside, code id_token", client: "hybrid", request: "jar", response: "hybrid",
				params: acr, outside: rwOutside("code id_token"),
				steps: steps(ok("authorize", "token", "resource"), certBound, flowTail)},
			{name: "a request object by value and JARM", client: "jarm", request: "jar", response: "jarm",
				params: acr, outside: rwOutside("code"),
				steps: steps(ok("authorize", "token", "resource"), flowTail)},
			// OIDC Core §6.1: response_type and scope (with openid) must
			// also be sent outside the object; FAPI 1.0 Advanced dropped
			// this (FAPI1-ADV-5.2.2-1, RFC 9101 §5), ID2 did not.
			{name: "openid-client's default request object (client_id and request only)", client: "hybrid", request: "jar", response: "hybrid",
				params: acr, steps: []step{{"authorize", "ok"}, {"token", "authz:invalid_request"}}},
			{name: "a code redeemed twice", client: "hybrid", request: "jar", response: "hybrid",
				params: acr, outside: rwOutside("code id_token"),
				steps: steps(ok("authorize", "token"), []step{{"token-again", "body:invalid_grant"}, {"resource-first-token", "challenge:invalid_token"}})},
		}},
	}
}

// stepResult is what rp.mjs reports of one step.
type stepResult struct {
	Step    string         `json:"step"`
	Outcome string         `json:"outcome"`
	Detail  string         `json:"detail"`
	Facts   map[string]any `json:"facts"`
}

// TestServerFlows starts the example authorization server as a process
// under each profile and lets openid-client, a relying party library
// nobody here wrote, run every flow the profile allows and the attacks
// the server must refuse, through its public API: discovery, PAR, JAR,
// JARM, DPoP with the server's nonces, private_key_jwt and
// tls_client_auth, the code, refresh and client credentials grants and the
// protected resource. openid-client validates every answer itself (iss,
// state, nonce, JARM and ID token signatures, the detached signature of
// FAPI 1.0's hybrid flow).
func TestServerFlows(t *testing.T) {
	node := requireOpenIDClient(t)
	bin := buildServer(t)
	m := newMaterial(t)
	for _, pc := range profileCases() {
		t.Run(pc.profile, func(t *testing.T) {
			srv := startServer(t, bin, pc.profile, m.registrations(t, pc.clients), m.caFile)
			got := runRP(t, node, m.rpInput(t, srv, pc))
			for _, sc := range pc.scenarios {
				t.Run(sc.name, func(t *testing.T) {
					checkScenario(t, srv, pc, sc, got[sc.name])
					if t.Failed() {
						for _, r := range got[sc.name] {
							t.Logf("%s: %s %s %v", r.Step, r.Outcome, r.Detail, r.Facts)
						}
					}
				})
			}
		})
	}
}

// checkScenario compares what openid-client reported with what the
// scenario expects, step by step.
func checkScenario(t *testing.T, srv *runningServer, pc profileCase, sc scenario, got []stepResult) {
	t.Helper()
	var c rpClient
	for _, x := range pc.clients {
		if x.name == sc.client {
			c = x
		}
	}
	names := make([]string, len(got))
	for i, r := range got {
		names[i] = r.Step
	}
	want := make([]string, len(sc.steps))
	for i, s := range sc.steps {
		want[i] = s.name
	}
	require.Equal(t, want, names, "the steps openid-client ran: %+v", got)
	for i, s := range sc.steps {
		r := got[i]
		if !assert.Equal(t, s.want, r.Outcome, "step %d %s: %s", i, s.name, r.Detail) {
			continue
		}
		switch {
		case r.Outcome == "ok" && s.name == "authorize":
			assert.Equal(t, rpRedirectURI, r.Facts["redirect"], "step %d %s: the response goes to the registered redirect URI", i, s.name)
			if sc.response == "jarm" {
				// JARM §2: the response parameter alone; iss is inside.
				assert.Equal(t, []any{"response"}, r.Facts["parameters"], "step %d %s", i, s.name)
			} else {
				assert.Equal(t, srv.issuer, r.Facts["iss"], "step %d %s: RFC 9207 iss", i, s.name)
			}
		case r.Outcome == "ok" && (s.name == "token" || s.name == "refresh" || s.name == "client-credentials"):
			wantType := "bearer"
			if c.dpop {
				wantType = "dpop" // RFC 9449 §5
			}
			assert.Equal(t, wantType, strings.ToLower(fmt.Sprint(r.Facts["token_type"])), "step %d %s", i, s.name)
			if s.name == "token" {
				assert.Equal(t, true, r.Facts["id_token"], "step %d %s: an ID token for openid", i, s.name)
				assert.Equal(t, "user-1234", r.Facts["sub"], "step %d %s", i, s.name)
			}
		case r.Outcome == "ok" && s.name == "userinfo":
			assert.Equal(t, "user-1234", r.Facts["sub"], "step %d %s", i, s.name)
		case r.Outcome == "ok" && strings.HasPrefix(s.name, "resource"):
			assert.Equal(t, c.clientID(), r.Facts["client_id"], "step %d %s: the resource's answer", i, s.name)
		case s.name == "token" && (strings.HasPrefix(r.Outcome, "client:") || strings.HasPrefix(r.Outcome, "authz:")):
			// openid-client refused the authorization response itself: it
			// must not have redeemed the code.
			assert.EqualValues(t, 0, r.Facts["token_requests"], "step %d %s: the code was sent to the token endpoint", i, s.name)
		}
	}
}

// requireOpenIDClient returns node's path, or skips the test when node or
// the package is missing — and fails instead under ./test.sh
// (FAPICHECK_INTEROP=1).
func requireOpenIDClient(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("FAPICHECK_INTEROP") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+"; ./test.sh installs it", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is needed to run openid-client: %v", err)
	}
	if _, err := os.Stat(filepath.Join("node_modules", "openid-client")); err != nil {
		missing("openid-client is not installed (npm ci in interop/openidclient): %v", err)
	}
	return node
}

// buildServer builds the example server (its own module) into a temporary
// directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds the example server")
	bin := filepath.Join(t.TempDir(), "authserver")
	cmd := exec.Command(goCmd, "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("..", "..", "examples", "authserver")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build examples/authserver: %s", out)
	return bin
}

// material are the keys and certificates of the test's clients: one RSA
// key that signs every client's assertions and request objects, a test
// certificate authority for tls_client_auth, the certificate it issued
// ("a", presented by every client that does not use DPoP) and a
// self-signed one of another key ("b", for the attacks).
type material struct {
	rsa    fixtures.Key
	certA  fixtures.Key
	certB  fixtures.Key
	caFile string
}

var (
	rsaKey = sync.OnceValue(func() fixtures.Key { return fixtures.RSA(2048, "openid-client-rp", "PS256") })
)

func newMaterial(t *testing.T) *material {
	t.Helper()
	ca := fixtures.Issue("openid-client test CA", true, nil)
	m := &material{
		rsa:   rsaKey(),
		certA: fixtures.Issue("openid-client rp", false, &ca),
		certB: fixtures.Issue("openid-client rp", false, nil),
	}
	m.caFile = filepath.Join(t.TempDir(), "client-ca.pem")
	require.NoError(t, os.WriteFile(m.caFile, []byte(ca.CertPEM()), 0o600))
	return m
}

func pkcs8PEM(t *testing.T, k fixtures.Key) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// registrations writes the clients' registrations (RFC 7591 §2 metadata,
// as -client-config reads them) to a file.
func (m *material) registrations(t *testing.T, clients []rpClient) string {
	t.Helper()
	var docs []map[string]any
	for _, c := range clients {
		doc := map[string]any{
			"client_id":                    c.clientID(),
			"client_type":                  "confidential",
			"redirect_uris":                []string{rpRedirectURI},
			"response_types":               []string{c.responseType},
			"grant_types":                  []string{"authorization_code", "refresh_token", "client_credentials"},
			"scope":                        "openid accounts",
			"token_endpoint_auth_method":   c.auth,
			"id_token_signed_response_alg": "PS256",
		}
		if c.auth == "private_key_jwt" {
			doc["token_endpoint_auth_signing_alg"] = "PS256"
		} else {
			doc["tls_client_auth_subject_dn"] = "CN=" + m.certA.Cert.Subject.CommonName
		}
		if c.auth == "private_key_jwt" || c.signs {
			doc["jwks"] = fixtures.JWKS(m.rsa)
		}
		if c.dpop {
			doc["dpop_bound_access_tokens"] = true
		} else {
			doc["tls_client_certificate_bound_access_tokens"] = true
		}
		if c.jarm {
			doc["authorization_signed_response_alg"] = "PS256"
		}
		if c.signs {
			doc["request_object_signing_alg"] = "PS256"
		}
		docs = append(docs, doc)
	}
	raw, err := json.MarshalIndent(docs, "", "  ")
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "clients.json")
	require.NoError(t, os.WriteFile(name, raw, 0o600))
	return name
}

// rpInput is what rp.mjs reads: the server, the clients as openid-client
// is configured for them, and the scenarios.
func (m *material) rpInput(t *testing.T, srv *runningServer, pc profileCase) map[string]any {
	t.Helper()
	certs := map[string]any{}
	for name, k := range map[string]fixtures.Key{"a": m.certA, "b": m.certB} {
		certs[name] = map[string]string{"cert": k.CertPEM(), "key": pkcs8PEM(t, k)}
	}
	rsaPEM := pkcs8PEM(t, m.rsa)
	clients := map[string]any{}
	for _, c := range pc.clients {
		// No client metadata beyond the client_id: openid-client accepts
		// the ID token and JARM algorithms the server's discovery document
		// advertises (PS256, ES256), as it does by default.
		md := map[string]any{}
		cert := "a"
		if c.dpop {
			cert = "" // DPoP binds the tokens; no certificate is presented
		}
		clients[c.name] = map[string]any{
			"client_id": c.clientID(), "auth": c.auth, "key": rsaPEM, "kid": m.rsa.ID,
			"cert": cert, "other_cert": "b", "dpop": c.dpop, "metadata": md,
		}
	}
	var scenarios []map[string]any
	for _, sc := range pc.scenarios {
		names := make([]string, len(sc.steps))
		for i, s := range sc.steps {
			names[i] = s.name
		}
		scenarios = append(scenarios, map[string]any{
			"name": sc.name, "client": sc.client, "request": sc.request, "response": sc.response,
			"params": sc.params, "outside": sc.outside, "steps": names,
		})
	}
	return map[string]any{
		"issuer": srv.issuer, "server_ca": srv.certPEM, "redirect_uri": rpRedirectURI,
		"certs": certs, "clients": clients, "scenarios": scenarios,
	}
}

// runningServer is the example server started as a process.
type runningServer struct {
	issuer  string
	certPEM string
}

// startServer starts the server binary under profile on a free loopback
// port with the clients of clientConfig and the test CA, and waits until
// it listens. Its log is shown when the test fails.
func startServer(t *testing.T, bin, profile, clientConfig, caFile string) *runningServer {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		srv, err := tryStart(t, bin, profile, clientConfig, caFile)
		if err == nil {
			return srv
		}
		lastErr = err // most likely the port was taken in between
	}
	require.NoError(t, lastErr)
	return nil
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// lockedBuffer collects the server's log from its reader goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tryStart(t *testing.T, bin, profile, clientConfig, caFile string) (*runningServer, error) {
	t.Helper()
	addr := freePort(t)
	issuer := "https://" + addr
	cmd := exec.Command(bin, "-profile", profile, "-addr", addr, "-issuer", issuer,
		"-client-config", clientConfig, "-client-ca", caFile)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	log := &lockedBuffer{}
	listening := make(chan struct{})
	var once sync.Once
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			fmt.Fprintln(log, sc.Text())
			if strings.Contains(sc.Text(), "msg=listening") {
				once.Do(func() { close(listening) })
			}
		}
	}()
	// The banner on standard output holds the server's self-signed TLS
	// certificate (printed before it listens); the rest is drained.
	certc := make(chan string, 1)
	go func() {
		var cert strings.Builder
		in := false
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "-----BEGIN CERTIFICATE-----" && cert.Len() == 0 {
				in = true
			}
			if in {
				cert.WriteString(line + "\n")
				if line == "-----END CERTIFICATE-----" {
					in = false
					certc <- cert.String()
				}
			}
		}
	}()
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	select {
	case <-listening:
	case <-exited:
		return nil, fmt.Errorf("the server exited before listening: %s", log.String())
	case <-time.After(30 * time.Second):
		stop()
		return nil, fmt.Errorf("the server did not listen within 30 s: %s", log.String())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("server log (%s):\n%s", profile, log.String())
		}
	})
	select {
	case cert := <-certc:
		return &runningServer{issuer: issuer, certPEM: cert}, nil
	case <-time.After(5 * time.Second):
		return nil, fmt.Errorf("no TLS certificate in the server's banner")
	}
}

// runRP runs rp.mjs on input and returns its report per scenario.
func runRP(t *testing.T, node string, input map[string]any) map[string][]stepResult {
	t.Helper()
	in, err := json.Marshal(input)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, "rp.mjs")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	require.NoError(t, cmd.Run(), "rp.mjs: %s", stderr.String())
	var got map[string][]stepResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), "rp.mjs printed: %s", stdout.String())
	return got
}
