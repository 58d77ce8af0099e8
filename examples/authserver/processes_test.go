//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// procsIssuer is the one issuer both processes answer for, as instances
// behind one name do; the client reaches each at its own address. A
// reserved name (RFC 6761 §6.2): nothing resolves it, nothing needs to.
const procsIssuer = "https://as.procs.test"

// procsRedirectURI is the test client's registered redirect URI.
const procsRedirectURI = "https://client.procs.test/cb"

// childAttrs, where the system has them, are process attributes that end
// a started process when the test binary dies (a test timeout's panic
// runs no Cleanup): see processes_linux_test.go.
var childAttrs func() *syscall.SysProcAttr

// TestTwoProcessesOneRedis starts one redis-server and two processes of
// the server's binary with the same -issuer, -secrets, -redis and
// -client-config, as the README's "Two instances, one Redis" runs them,
// and drives a FAPI 2.0 Security Profile client over HTTPS against both:
// PAR (RFC 9126), PKCE S256 (RFC 7636), private_key_jwt (RFC 7523) and
// DPoP with the servers' nonces (RFC 9449). What one instance used, the
// other refuses: a code redeemed at each (RFC 6749 §4.1.2; the tokens of
// its grant revoked at both), a DPoP proof replayed to the other at the
// token endpoint and at the resource (RFC 9449 §11.1), a client
// assertion's jti (RFC 7523 §3 item 7), a pushed request_uri after its
// code (RFC 9126 §7.3). What one issued, the other serves: a nonce, a
// request_uri, a code, a token. With Redis stopped both fail closed, and
// serve again once it is back.
func TestTwoProcessesOneRedis(t *testing.T) {
	t.Parallel()
	rs := newRedisProcess(t)
	bin := buildServer(t)

	dir := t.TempDir()
	cl := newProcsClient(procsIssuer)
	clients := filepath.Join(dir, "clients.json")
	require.NoError(t, os.WriteFile(clients, cl.registration(t), 0o600))
	secrets := filepath.Join(dir, "secrets.json")
	args := []string{"-issuer", procsIssuer, "-secrets", secrets, "-redis", rs.url(), "-client-config", clients}
	// A first, so that it creates the -secrets file that B then reads. Each
	// listens on a port of its own that the system picks (-addr :0) and
	// logs.
	a := startInstance(t, bin, "A", append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	b := startInstance(t, bin, "B", append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	require.NotEqual(t, a.base, b.base)
	assert.Equal(t, a.get(t, server.PathJWKS), b.get(t, server.PathJWKS), "one -secrets file: the same signing keys")
	for _, in := range []*instance{a, b} {
		for _, k := range []string{"pushed_authorization_request_endpoint", "authorization_endpoint", "token_endpoint"} {
			assert.Equal(t, a.meta[k], in.meta[k], "%s: %s names the issuer, not the instance", in.name, k)
		}
	}

	// The first nonce, from A (RFC 9449 §8: a proof without it is answered
	// use_dpop_nonce with one).
	status, h, body := a.post(t, a.endpoint("pushed_authorization_request_endpoint"), cl.parForm(cl.assertion(), newPKCE()),
		cl.proof(http.MethodPost, a.meta["pushed_authorization_request_endpoint"], "", ""))
	require.Equal(t, http.StatusBadRequest, status, "%v", body)
	require.Equal(t, "use_dpop_nonce", body["error"], "%v", body)
	nonce := h.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	t.Run("a code issued by one is redeemed once", func(t *testing.T) {
		// Pushed at A, authorized at B.
		pk := newPKCE()
		uri := cl.push(t, a, pk, nonce)
		code := cl.authorize(t, b, uri, pk)
		assert.Empty(t, cl.authorizeRaw(t, a, uri).Get("code"), "the request_uri was consumed when B issued the code (RFC 9126 §7.3)")

		// Redeemed at A.
		status, h, tok := a.post(t, a.endpoint("token_endpoint"), cl.codeForm(code, pk, cl.assertion()),
			cl.proof(http.MethodPost, a.meta["token_endpoint"], nonce, ""))
		require.Equal(t, http.StatusOK, status, "the code issued by B, at A: %v", tok)
		assert.Equal(t, "DPoP", tok["token_type"], "RFC 9449 §5")
		access, _ := tok["access_token"].(string)
		refresh, _ := tok["refresh_token"].(string)
		require.NotEmpty(t, access)
		require.NotEmpty(t, refresh)
		nonce = h.Get("DPoP-Nonce")
		for _, in := range []*instance{a, b} {
			status, _, raw := cl.accounts(t, in, access, cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonce, access))
			require.Equal(t, http.StatusOK, status, "the token issued by A at %s's resource: %s", in.name, raw)
		}

		// Redeemed again at B: refused, and the grant revoked at both.
		status, _, again := b.post(t, b.endpoint("token_endpoint"), cl.codeForm(code, pk, cl.assertion()),
			cl.proof(http.MethodPost, b.meta["token_endpoint"], nonce, ""))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", again["error"], "the code redeemed at A, again at B: %v", again)
		assert.NotContains(t, again, "access_token")
		for _, in := range []*instance{a, b} {
			status, h, raw := cl.accounts(t, in, access, cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonce, access))
			assert.Equal(t, http.StatusUnauthorized, status, "%s: the access token of the reused code is revoked: %s", in.name, raw)
			assert.Contains(t, h.Get("WWW-Authenticate"), `error="invalid_token"`, in.name)
			status, _, body := in.post(t, in.endpoint("token_endpoint"), cl.refreshForm(refresh, cl.assertion()),
				cl.proof(http.MethodPost, in.meta["token_endpoint"], nonce, ""))
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_grant", body["error"], "%s: the refresh token of the reused code is revoked: %v", in.name, body)
		}
	})

	t.Run("a DPoP proof used at one is refused at the other", func(t *testing.T) {
		pk := newPKCE()
		code := cl.authorize(t, a, cl.push(t, b, pk, nonce), pk)
		proof := cl.proof(http.MethodPost, procsIssuer+"/token", nonce, "")
		status, h, tok := a.post(t, a.endpoint("token_endpoint"), cl.codeForm(code, pk, cl.assertion()), proof)
		require.Equal(t, http.StatusOK, status, "%v", tok)
		access := tok["access_token"].(string)
		nonceA := h.Get("DPoP-Nonce")
		require.NotEmpty(t, nonceA)

		pk2 := newPKCE()
		code2 := cl.authorize(t, b, cl.push(t, a, pk2, nonce), pk2)
		status, _, body := b.post(t, b.endpoint("token_endpoint"), cl.codeForm(code2, pk2, cl.assertion()), proof)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_dpop_proof", body["error"], "the proof A accepted, replayed to B: %v", body)
		assert.NotContains(t, body, "access_token")
		// The nonce A gave is good at B: one -secrets file, one nonce secret
		// (RFC 9449 §8). A fresh code: the refused request's uses were
		// recorded in the same store call that found the proof replayed.
		pk3 := newPKCE()
		code3 := cl.authorize(t, a, cl.push(t, a, pk3, nonce), pk3)
		status, _, body = b.post(t, b.endpoint("token_endpoint"), cl.codeForm(code3, pk3, cl.assertion()),
			cl.proof(http.MethodPost, b.meta["token_endpoint"], nonceA, ""))
		assert.Equal(t, http.StatusOK, status, "A's nonce at B: %v", body)

		// At the resource.
		rproof := cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonceA, access)
		status, _, raw := cl.accounts(t, a, access, rproof)
		require.Equal(t, http.StatusOK, status, "%s", raw)
		status, h, raw = cl.accounts(t, b, access, rproof)
		assert.Equal(t, http.StatusUnauthorized, status, "the proof A's resource accepted, replayed to B's: %s", raw)
		assert.Contains(t, h.Get("WWW-Authenticate"), `DPoP error="invalid_dpop_proof"`)
	})

	t.Run("a client assertion used at one is refused at the other", func(t *testing.T) {
		assertion := cl.assertion()
		pk := newPKCE()
		status, _, body := a.post(t, a.endpoint("pushed_authorization_request_endpoint"), cl.parForm(assertion, pk),
			cl.proof(http.MethodPost, a.meta["pushed_authorization_request_endpoint"], nonce, ""))
		require.Equal(t, http.StatusCreated, status, "%v", body)
		status, _, body = b.post(t, b.endpoint("pushed_authorization_request_endpoint"), cl.parForm(assertion, pk),
			cl.proof(http.MethodPost, b.meta["pushed_authorization_request_endpoint"], nonce, ""))
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.Equal(t, "invalid_client", body["error"], "the assertion A accepted, at B: %v", body)
		assert.NotContains(t, body, "request_uri")
	})

	t.Run("without Redis both fail closed, and serve again once it is back", func(t *testing.T) {
		// A token issued, and a code not yet redeemed, before Redis stops.
		pk := newPKCE()
		code := cl.authorize(t, b, cl.push(t, a, pk, nonce), pk)
		status, _, tok := a.post(t, a.endpoint("token_endpoint"), cl.codeForm(code, pk, cl.assertion()),
			cl.proof(http.MethodPost, a.meta["token_endpoint"], nonce, ""))
		require.Equal(t, http.StatusOK, status, "%v", tok)
		access := tok["access_token"].(string)
		pending := newPKCE()
		pendingCode := cl.authorize(t, a, cl.push(t, b, pending, nonce), pending)

		rs.stop(t)
		for _, in := range []*instance{a, b} {
			status, _, body := in.post(t, in.endpoint("pushed_authorization_request_endpoint"), cl.parForm(cl.assertion(), newPKCE()),
				cl.proof(http.MethodPost, in.meta["pushed_authorization_request_endpoint"], nonce, ""))
			assert.GreaterOrEqual(t, status, 500, "%s: PAR without Redis: %v", in.name, body)
			assert.Contains(t, []any{"server_error", "temporarily_unavailable"}, body["error"], "%s: %v", in.name, body)
			assert.NotContains(t, body, "request_uri")

			status, _, body = in.post(t, in.endpoint("token_endpoint"), cl.codeForm(pendingCode, pending, cl.assertion()),
				cl.proof(http.MethodPost, in.meta["token_endpoint"], nonce, ""))
			assert.GreaterOrEqual(t, status, 500, "%s: token without Redis: %v", in.name, body)
			assert.Contains(t, []any{"server_error", "temporarily_unavailable"}, body["error"], "%s: %v", in.name, body)
			assert.NotContains(t, body, "access_token")

			status, _, raw := cl.accounts(t, in, access, cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonce, access))
			assert.Equal(t, http.StatusServiceUnavailable, status, "%s: a token that cannot be looked up is not accepted: %s", in.name, raw)
		}

		// An empty Redis (no persistence) on the same address: the
		// instances reconnect; what was issued before is gone, so the old
		// token is unknown, and a new flow across both works.
		rs.start(t)
		for _, in := range []*instance{a, b} {
			status, _, raw := cl.accounts(t, in, access, cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonce, access))
			assert.Equal(t, http.StatusUnauthorized, status, "%s: a token the new Redis does not hold: %s", in.name, raw)
		}
		status, _, body := b.post(t, b.endpoint("token_endpoint"), cl.codeForm(pendingCode, pending, cl.assertion()),
			cl.proof(http.MethodPost, b.meta["token_endpoint"], nonce, ""))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", body["error"], "a code the new Redis does not hold: %v", body)
		pk = newPKCE()
		code = cl.authorize(t, a, cl.push(t, b, pk, nonce), pk)
		status, _, tok = b.post(t, b.endpoint("token_endpoint"), cl.codeForm(code, pk, cl.assertion()),
			cl.proof(http.MethodPost, b.meta["token_endpoint"], nonce, ""))
		require.Equal(t, http.StatusOK, status, "after Redis is back: %v", tok)
		access = tok["access_token"].(string)
		status, _, raw := cl.accounts(t, a, access, cl.proof(http.MethodGet, procsIssuer+server.PathAccounts, nonce, access))
		assert.Equal(t, http.StatusOK, status, "%s", raw)
	})
}

// syncBuffer is a buffer a process writes into while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// process is a started program, ended when the test ends: SIGTERM, then
// SIGKILL after a grace period. Its output is in the test log when the
// test fails.
type process struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	done           chan struct{} // closed when the process has exited
	err            error         // cmd.Wait's, once done is closed
	stopped        bool          // the test ended it
}

// startProcess starts bin with args and registers its end.
func startProcess(t *testing.T, name, bin string, args ...string) *process {
	t.Helper()
	p := &process{name: name, cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if childAttrs != nil {
		p.cmd.SysProcAttr = childAttrs()
	}
	require.NoError(t, p.cmd.Start(), name)
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s (%v) standard error:\n%s", p.name, p.err, p.stderr.String())
		}
	})
	return p
}

// stop ends the process and waits for it: SIGTERM, SIGKILL after 10 s.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.stopped = true
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited reports, without blocking, whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// buildServer builds the server's binary (this package) into a temporary
// directory.
func buildServer(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds the server")
	bin := filepath.Join(t.TempDir(), "authserver")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// redisProcess is a redis-server (FAPICHECK_REDIS_SERVER names another
// program, valkey-server say) on a loopback port, without persistence,
// that the test can stop and start again on the same port.
type redisProcess struct {
	bin  string
	port int
	dir  string
	proc *process
}

// newRedisProcess starts the redis-server. Without the program the test is
// skipped, unless FAPICHECK_REDIS=1 (test.sh sets it), when it fails.
func newRedisProcess(t *testing.T) *redisProcess {
	t.Helper()
	prog := os.Getenv("FAPICHECK_REDIS_SERVER")
	if prog == "" {
		prog = "redis-server"
	}
	bin, err := exec.LookPath(prog)
	if err != nil {
		if os.Getenv("FAPICHECK_REDIS") == "1" {
			t.Fatalf("FAPICHECK_REDIS=1 but %s is not found: %v", prog, err)
		}
		t.Skipf("%s is not found (set FAPICHECK_REDIS=1 to fail instead)", prog)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &redisProcess{bin: bin, port: l.Addr().(*net.TCPAddr).Port, dir: t.TempDir()}
	require.NoError(t, l.Close())
	r.start(t)
	t.Logf("%s on port %d", bin, r.port)
	return r
}

// url is the -redis URL of the server.
func (r *redisProcess) url() string {
	return "redis://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(r.port)) + "/0"
}

// start starts the server on its port and waits until it answers PING.
func (r *redisProcess) start(t *testing.T) {
	t.Helper()
	r.proc = startProcess(t, "redis-server", r.bin, "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir)
	c := redis.NewClient(&redis.Options{
		Addr:                     net.JoinHostPort("127.0.0.1", strconv.Itoa(r.port)),
		DialTimeout:              250 * time.Millisecond,
		ReadTimeout:              500 * time.Millisecond,
		WriteTimeout:             500 * time.Millisecond,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if r.proc.exited() || time.Now().After(deadline) {
			t.Fatalf("%s did not answer PING: %v\n%s", r.bin, err, r.proc.stdout.String())
		}
		// Waiting for a process to listen; no test logic depends on time.
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the server (no shutdown: as a crash would end it).
func (r *redisProcess) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, r.proc.cmd.Process.Kill())
	<-r.proc.done
}

// instance is one process of the server.
type instance struct {
	name string
	proc *process
	base string // https://host:port of this instance
	hc   *http.Client
	meta map[string]string // its discovery document's string members
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startInstance starts the server's binary with args, waits until it
// listens (its log names the address) and answers discovery, and trusts
// the self-signed TLS certificate it prints. When the test ends it must
// stop at SIGTERM with status 0 (a graceful shutdown).
func startInstance(t *testing.T, bin, name string, args ...string) *instance {
	t.Helper()
	in := &instance{name: name, proc: startProcess(t, "authserver "+name, bin, args...)}
	t.Cleanup(func() {
		in.proc.stop()
		if in.proc.stopped && in.proc.err != nil {
			t.Errorf("authserver %s did not stop cleanly at SIGTERM: %v", name, in.proc.err)
		}
	})
	var cert *x509.Certificate
	for deadline := time.Now().Add(time.Minute); ; {
		m := listening.FindStringSubmatch(in.proc.stderr.String())
		out := in.proc.stdout.String()
		if i := strings.Index(out, "-----BEGIN CERTIFICATE-----"); m != nil && i >= 0 {
			if block, _ := pem.Decode([]byte(out[i:])); block != nil {
				var err error
				cert, err = x509.ParseCertificate(block.Bytes)
				require.NoError(t, err, "the printed TLS certificate")
				in.base = "https://" + m[1]
				break
			}
		}
		if in.proc.exited() {
			t.Fatalf("authserver %s exited (%v) before it listened:\n%s", name, in.proc.err, in.proc.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("authserver %s did not listen within a minute:\n%s", name, in.proc.stderr.String())
		}
		// Waiting for a process to listen; no test logic depends on time.
		time.Sleep(20 * time.Millisecond)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	in.hc = &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(in.get(t, server.PathDiscovery)), &doc), name)
	in.meta = map[string]string{}
	for k, v := range doc {
		if s, ok := v.(string); ok {
			in.meta[k] = s
		}
	}
	require.Equal(t, procsIssuer, in.meta["issuer"], "%s: -issuer", name)
	for _, k := range []string{"pushed_authorization_request_endpoint", "authorization_endpoint", "token_endpoint"} {
		require.True(t, strings.HasPrefix(in.meta[k], procsIssuer+"/"), "%s: %s %q is under the issuer", name, k, in.meta[k])
	}
	return in
}

// endpoint is the URL of a discovered endpoint at this instance: the
// issuer's origin replaced by the instance's, as a load balancer in front
// of it would route it.
func (in *instance) endpoint(member string) string {
	return in.base + strings.TrimPrefix(in.meta[member], procsIssuer)
}

// get fetches path at this instance; the answer must be 200.
func (in *instance) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := in.hc.Get(in.base + path)
	require.NoError(t, err, in.name)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err, in.name)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %s", in.name, path, raw)
	return string(raw)
}

// post sends a form to u with the DPoP proof given and reads the JSON
// answer.
func (in *instance) post(t *testing.T, u string, form url.Values, proof string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := in.hc.Do(req)
	require.NoError(t, err, in.name)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body), "%s %s: the answer is JSON", in.name, u)
	return resp.StatusCode, resp.Header, body
}

// procsClient is a FAPI 2.0 Security Profile client: private_key_jwt with
// an ES256 key, DPoP-bound tokens with another.
type procsClient struct {
	id     string
	issuer string
	key    fixtures.Key
	dpop   fixtures.Key
}

func newProcsClient(issuer string) *procsClient {
	return &procsClient{
		id:     "procs-client",
		issuer: issuer,
		key:    fixtures.EC(elliptic.P256(), "procs-client-key", "ES256"),
		dpop:   fixtures.EC(elliptic.P256(), "", "ES256"),
	}
}

// registration is the client's RFC 7591 registration, the -client-config
// file.
func (c *procsClient) registration(t *testing.T) []byte {
	t.Helper()
	raw, err := json.Marshal(map[string]any{
		"client_id":                       c.id,
		"client_type":                     "confidential",
		"redirect_uris":                   []string{procsRedirectURI},
		"response_types":                  []string{"code"},
		"grant_types":                     []string{"authorization_code", "refresh_token"},
		"scope":                           "openid " + server.FAPIScope,
		"token_endpoint_auth_method":      "private_key_jwt",
		"token_endpoint_auth_signing_alg": "ES256",
		"id_token_signed_response_alg":    "ES256",
		"jwks":                            fixtures.JWKS(c.key),
		"dpop_bound_access_tokens":        true,
	})
	require.NoError(t, err)
	return raw
}

// randomID is a fresh jti, state or nonce.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// assertion is a fresh private_key_jwt client assertion whose audience is
// the issuer (RFC 7523 §3, FAPI2-SP-5.3.2.1-8).
func (c *procsClient) assertion() string {
	now := time.Now()
	return fixtures.Sign(c.key, "ES256", map[string]any{
		"iss": c.id, "sub": c.id, "aud": c.issuer, "jti": randomID(),
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
	}, nil)
}

// proof is a fresh DPoP proof for method and htu (the issuer's URL of the
// endpoint, whichever instance receives it), with the server's nonce and,
// for a resource request, ath (RFC 9449 §4.2).
func (c *procsClient) proof(method, htu, nonce, accessToken string) string {
	claims := map[string]any{"jti": randomID(), "htm": method, "htu": htu, "iat": time.Now().Unix()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return fixtures.DPoPProof(c.dpop, claims)
}

// pkce is one authorization's PKCE verifier and state (RFC 7636).
type pkce struct{ verifier, state string }

func newPKCE() pkce { return pkce{verifier: randomID() + randomID(), state: randomID()} }

// parForm is a pushed authorization request (RFC 9126 §2.1) with PKCE
// S256 and the given client assertion.
func (c *procsClient) parForm(assertion string, pk pkce) url.Values {
	sum := sha256.Sum256([]byte(pk.verifier))
	return url.Values{
		"client_id":             {c.id},
		"response_type":         {"code"},
		"redirect_uri":          {procsRedirectURI},
		"scope":                 {"openid " + server.FAPIScope},
		"state":                 {pk.state},
		"nonce":                 {randomID()},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

// push pushes an authorization request at in and returns its request_uri.
func (c *procsClient) push(t *testing.T, in *instance, pk pkce, nonce string) string {
	t.Helper()
	status, _, body := in.post(t, in.endpoint("pushed_authorization_request_endpoint"), c.parForm(c.assertion(), pk),
		c.proof(http.MethodPost, in.meta["pushed_authorization_request_endpoint"], nonce, ""))
	require.Equal(t, http.StatusCreated, status, "PAR at %s: %v", in.name, body)
	uri, _ := body["request_uri"].(string)
	require.True(t, strings.HasPrefix(uri, "urn:ietf:params:oauth:request_uri:"), "%v", body)
	return uri
}

// authorizeRaw sends the browser to in's authorization endpoint with a
// pushed request_uri and returns the parameters of the redirect, or for an
// error page its status and text as "page".
func (c *procsClient) authorizeRaw(t *testing.T, in *instance, requestURI string) url.Values {
	t.Helper()
	resp, err := in.hc.Get(in.endpoint("authorization_endpoint") + "?" + url.Values{"client_id": {c.id}, "request_uri": {requestURI}}.Encode())
	require.NoError(t, err, in.name)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return url.Values{"page": {fmt.Sprintf("%d %s", resp.StatusCode, raw)}}
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, procsRedirectURI, loc.Scheme+"://"+loc.Host+loc.Path, "%s redirects to the registered URI only", in.name)
	return loc.Query()
}

// authorize runs the authorization of a pushed request at in and returns
// the code: the response carries the state and the issuer (RFC 9207 §2).
func (c *procsClient) authorize(t *testing.T, in *instance, requestURI string, pk pkce) string {
	t.Helper()
	q := c.authorizeRaw(t, in, requestURI)
	require.Empty(t, q.Get("error"), "authorization at %s: %v", in.name, q)
	require.NotEmpty(t, q.Get("code"), "authorization at %s: %v", in.name, q)
	assert.Equal(t, pk.state, q.Get("state"))
	assert.Equal(t, c.issuer, q.Get("iss"), "RFC 9207 iss")
	return q.Get("code")
}

// codeForm is the token request of the code grant (RFC 6749 §4.1.3).
func (c *procsClient) codeForm(code string, pk pkce, assertion string) url.Values {
	return url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {code},
		"redirect_uri":          {procsRedirectURI},
		"code_verifier":         {pk.verifier},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

// refreshForm is the token request of the refresh grant (RFC 6749 §6).
func (c *procsClient) refreshForm(refresh, assertion string) url.Values {
	return url.Values{
		"grant_type":            {"refresh_token"},
		"refresh_token":         {refresh},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

// accounts calls in's protected resource with a DPoP-bound access token
// (RFC 9449 §7.1).
func (c *procsClient) accounts(t *testing.T, in *instance, accessToken, proof string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, in.base+server.PathAccounts, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "DPoP "+accessToken)
	req.Header.Set("DPoP", proof)
	resp, err := in.hc.Do(req)
	require.NoError(t, err, in.name)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err, in.name)
	return resp.StatusCode, resp.Header, raw
}
