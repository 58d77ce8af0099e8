// Command authserver runs a demonstration FAPI authorization server built
// on package fapi, under one of the library's six profiles (FAPI 2.0
// Security Profile by default): discovery, JWKS, pushed authorization
// requests, an authorization endpoint with JARM responses and RFC 9207
// iss, a token endpoint (code, refresh, client credentials), userinfo and
// a protected resource that enforces the token's sender constraint (mTLS
// or DPoP with server nonces), over HTTPS with a self-signed certificate.
// One-time uses and what the server issued are kept in memory, or in
// Redis with -redis so that several instances share them.
//
// At start it registers a generated sample client (or the clients of
// -client-config) and prints the client configuration, the sample client's
// private JWK (test-only), the discovery URL and a ready-to-use
// authorization request. See README.md.
//
// Usage:
//
//	go -C examples/authserver run . [-profile fapi2-security] [-service FILE]
//	    [-addr 127.0.0.1:8443] [-issuer URL]
//	    [-client-config FILE [-client-key FILE]] [-client-ca FILE]
//	    [-secrets FILE] [-redis URL] [-dpop-nonces-optional]
//	    [-print-sample-request]
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/redisstore"
)

// sampleRequestLifetime is how long a printed request object and client
// assertion stay valid.
const sampleRequestLifetime = 30 * time.Minute

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// fileFlags are the flags that name files: in a service file they are
// relative to the service file's directory.
var fileFlags = map[string]bool{"client-config": true, "client-key": true, "client-ca": true, "secrets": true}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	prof := fs.String("profile", string(server.DefaultProfile), "the FAPI `profile` to run: fapi1-read-only, fapi1-read-write, fapi1-baseline, fapi1-advanced, fapi2-security or fapi2-message-signing")
	serviceFile := fs.String("service", "", "JSON `file` of settings: an object whose members are these flags' names (\"profile\", \"issuer\", ...); flags on the command line win")
	addr := fs.String("addr", "127.0.0.1:8443", "`host:port` to listen on")
	issuer := fs.String("issuer", "", "issuer `URL` (default https://<addr>, with localhost for an unspecified host)")
	clientConfig := fs.String("client-config", "", "JSON `file` with a client registration (RFC 7591 metadata) or an array of them, registered instead of the generated sample client")
	clientKey := fs.String("client-key", "", "private JWK `file` of the first client in -client-config, used only to sign the printed sample request")
	clientCA := fs.String("client-ca", "", "PEM `file` of certificate authorities trusted for tls_client_auth clients")
	secrets := fs.String("secrets", "", "JSON `file` with the signing keys and the DPoP nonce secret, created when missing; instances that share traffic share it (default: fresh for this run)")
	redisURL := fs.String("redis", "", "Redis or Valkey `URL` (redis://host:6379/0, rediss:// for TLS) that keeps the one-time uses and what the server issued, shared by every instance started with the same URL and issuer (default: in memory)")
	noncesOptional := fs.Bool("dpop-nonces-optional", false, "accept DPoP proofs without the server's nonce (by default they need one, RFC 9449 section 8)")
	printSample := fs.Bool("print-sample-request", false, "print the client, its test key and a signed sample authorization request, then exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authserver: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *serviceFile != "" {
		if err := applyServiceFile(fs, *serviceFile); err != nil {
			fmt.Fprintf(stderr, "authserver: -service %s: %v\n", *serviceFile, err)
			return 2
		}
	}
	p, err := server.ParseProfile(*prof)
	if err != nil {
		fmt.Fprintf(stderr, "authserver: -profile: %v\n", err)
		return 2
	}

	iss := *issuer
	if iss == "" {
		if iss, err = defaultIssuer(*addr); err != nil {
			fmt.Fprintf(stderr, "authserver: -addr: %v\n", err)
			return 2
		}
	}

	clients, sample, err := loadClients(p, *clientConfig, *clientKey)
	if err != nil {
		fmt.Fprintf(stderr, "authserver: %v\n", err)
		return 2
	}
	var cas *x509.CertPool
	if *clientCA != "" {
		data, err := os.ReadFile(*clientCA)
		if err != nil {
			fmt.Fprintf(stderr, "authserver: -client-ca: %v\n", err)
			return 2
		}
		cas = x509.NewCertPool()
		if !cas.AppendCertsFromPEM(data) {
			fmt.Fprintf(stderr, "authserver: -client-ca %s: no PEM certificate found\n", *clientCA)
			return 2
		}
	}
	cfg := server.Config{
		Profile:            p,
		Issuer:             iss,
		Clients:            clients,
		ClientCAs:          cas,
		DPoPNoncesOptional: *noncesOptional,
	}
	if *secrets != "" {
		if cfg.SigningKeys, cfg.DPoPNonceSecret, err = loadSecrets(*secrets); err != nil {
			fmt.Fprintf(stderr, "authserver: -secrets %s: %v\n", *secrets, err)
			return 2
		}
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = logger
	if *redisURL != "" {
		client, err := redisClient(*redisURL)
		if err != nil {
			fmt.Fprintf(stderr, "authserver: -redis: %v\n", err)
			return 2
		}
		defer client.Close()
		prefix := redisPrefix(iss)
		cfg.Store = redisstore.New(client, redisstore.WithPrefix(prefix+"once:"))
		cfg.State = server.NewRedisState(client, prefix+"state:", redisstore.DefaultTimeout)
		if *secrets == "" {
			logger.Warn("-redis without -secrets: instances sharing this Redis need the same signing keys and DPoP nonce secret, which only a shared -secrets file gives")
		}
	}
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "authserver: %v\n", err)
		return 1
	}
	if err := printBanner(stdout, srv, clients, sample, *clientConfig != ""); err != nil {
		fmt.Fprintf(stderr, "authserver: %v\n", err)
		return 1
	}
	if *printSample {
		return 0
	}
	return serve(*addr, srv, logger)
}

// applyServiceFile sets the flags the service file names and the command
// line did not: the file is one JSON object whose members are flag names,
// with a string value, or true or false for the boolean flags. An unknown
// member is an error naming it.
func applyServiceFile(fs *flag.FlagSet, name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var members map[string]any
	if err := dec.Decode(&members); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := fs.Lookup(k)
		if f == nil || k == "service" {
			return fmt.Errorf("unknown member %q (the members are the flags' names)", k)
		}
		if given[k] {
			continue
		}
		var v string
		switch val := members[k].(type) {
		case string:
			v = val
			if fileFlags[k] && v != "" && !filepath.IsAbs(v) {
				v = filepath.Join(filepath.Dir(name), v)
			}
		case bool:
			v = fmt.Sprint(val)
		default:
			return fmt.Errorf("member %q must be a string or a boolean", k)
		}
		if err := fs.Set(k, v); err != nil {
			return fmt.Errorf("member %q: %v", k, err)
		}
	}
	return nil
}

// secretsFile is the -secrets file: what instances of one server share
// besides the store and the state.
type secretsFile struct {
	// SigningKeys is a JWK Set of private keys (server.MarshalSigningKeys).
	SigningKeys json.RawMessage `json:"signing_keys"`
	// DPoPNonceSecret is the base64url secret of the DPoP nonces, at least
	// 32 bytes.
	DPoPNonceSecret string `json:"dpop_nonce_secret"`
}

// loadSecrets reads the -secrets file, or makes fresh secrets and writes
// them there (mode 0600) when it does not exist.
func loadSecrets(name string) (*server.SigningKeys, []byte, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		keys, err := server.GenerateSigningKeys()
		if err != nil {
			return nil, nil, err
		}
		secret := make([]byte, dpopnonce.MinSecretSize)
		if _, err := rand.Read(secret); err != nil {
			return nil, nil, err
		}
		set, err := server.MarshalSigningKeys(keys)
		if err != nil {
			return nil, nil, err
		}
		out, err := json.MarshalIndent(secretsFile{SigningKeys: set, DPoPNonceSecret: b64(secret)}, "", "  ")
		if err != nil {
			return nil, nil, err
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, nil, err
		}
		if _, err := f.Write(append(out, '\n')); err != nil {
			f.Close()
			return nil, nil, err
		}
		return keys, secret, f.Close()
	}
	if err != nil {
		return nil, nil, err
	}
	var sf secretsFile
	if err := decodeStrict(data, &sf); err != nil {
		return nil, nil, err
	}
	keys, err := server.ParseSigningKeys(sf.SigningKeys)
	if err != nil {
		return nil, nil, err
	}
	secret, err := unb64(sf.DPoPNonceSecret)
	if err != nil || len(secret) < dpopnonce.MinSecretSize {
		return nil, nil, fmt.Errorf("dpop_nonce_secret must be the base64url of at least %d bytes", dpopnonce.MinSecretSize)
	}
	return keys, secret, nil
}

// redisClient connects to the Redis (or Valkey) server of url and checks
// that it answers, so that a wrong URL stops the server at start instead
// of refusing every request.
func redisClient(url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	// A plain Redis or Valkey sends no maintenance notifications.
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s does not answer: %w", opts.Addr, err)
	}
	return c, nil
}

// redisPrefix is the prefix of the server's keys in Redis: one per issuer,
// so that the instances of one server share their keys and two servers on
// one Redis never see each other's.
func redisPrefix(issuer string) string {
	sum := sha256.Sum256([]byte(issuer))
	return "authserver:" + b64(sum[:12]) + ":"
}

// defaultIssuer is https://<addr>, naming localhost when the host is empty
// or unspecified (":8443", "0.0.0.0:8443").
func defaultIssuer(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "https://" + net.JoinHostPort(host, port), nil
}

// loadClients reads -client-config (one registration or an array), or
// generates the sample client for the profile. The sample is returned
// when a key to sign with is known.
func loadClients(p profile.Profile, configFile, keyFile string) ([]server.Registration, *server.SampleClient, error) {
	if configFile == "" {
		if keyFile != "" {
			return nil, nil, errors.New("-client-key needs -client-config")
		}
		sc, err := server.NewSampleClient(p, server.SampleClientID)
		if err != nil {
			return nil, nil, err
		}
		return []server.Registration{{Client: sc.Client}}, sc, nil
	}
	data, err := os.ReadFile(configFile)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-config: %w", err)
	}
	clients, err := server.ParseRegistrations(data)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-config %s: %w", configFile, err)
	}
	if keyFile == "" {
		return clients, nil, nil
	}
	kdata, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-key: %w", err)
	}
	key, kid, alg, err := server.ParsePrivateJWK(kdata)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-key %s: %w", keyFile, err)
	}
	sc, err := server.NewSampleClientFromKey(p, clients[0].Client, key, kid, alg)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-key %s: %w", keyFile, err)
	}
	return clients, sc, nil
}

// decodeStrict decodes JSON, refusing unknown members so that a typo is an
// error rather than a silently absent setting.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// printBanner prints what a tester needs to point a client at the server.
func printBanner(w io.Writer, srv *server.Server, clients []server.Registration, sample *server.SampleClient, fromFile bool) error {
	fmt.Fprintf(w, "FAPI example authorization server, profile %s (demo: auto-approve, self-signed certificates)\n\n", srv.Profile())
	fmt.Fprintf(w, "Issuer:        %s\n", srv.Issuer())
	fmt.Fprintf(w, "Discovery URL: %s\n", srv.DiscoveryURL())
	if par := srv.PAREndpoint(); par != "" {
		fmt.Fprintf(w, "PAR endpoint:  %s\n", par)
	}
	fmt.Fprintf(w, "Resource:      %s\n\n", srv.AccountsEndpoint())
	fmt.Fprintf(w, "TLS server certificate (self-signed, generated for this run; save it as server.crt for the curl commands below):\n%s\n",
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.TLSCertificate().Raw}))

	label := "Registered client configuration"
	if !fromFile {
		label = "Sample client configuration (generated at start)"
	}
	for _, c := range clients {
		// Standard output often goes to logs: the client's secret (a
		// credential, RFC 7591 §3.2.1) stays in the file it came from.
		reg := c.Client
		reg.ClientSecret = ""
		cfg, err := json.MarshalIndent(reg, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s:\n%s\n\n", label, cfg)
	}
	if sample == nil {
		return nil
	}
	if !fromFile {
		jwk, err := sample.PrivateJWK()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "TEST-ONLY private JWK of client %q (signs its request objects and client assertions;\n", sample.Client.ClientID)
		fmt.Fprintf(w, "generated for this run, never use it outside testing):\n%s\n\n", jwk)
	}
	now := time.Now()
	req, err := sample.AuthorizationRequest(srv.Issuer(), srv.AuthorizationEndpoint(), srv.PAREndpoint(), now, sampleRequestLifetime)
	if err != nil {
		return err
	}
	bound := sample.Client.TLSClientCertificateBoundAccessTokens
	if bound {
		fmt.Fprintf(w, "Access tokens are bound to the client's TLS certificate (RFC 8705 section 3): any\n")
		fmt.Fprintf(w, "self-signed one does for the token and resource requests, for example\n")
		fmt.Fprintf(w, "  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \\\n")
		fmt.Fprintf(w, "    -subj /CN=%s -keyout client.key -out client.crt\n\n", sample.Client.ClientID)
	}
	if req.Pushed != nil {
		fmt.Fprintf(w, "Sample pushed authorization request (POST it to the PAR endpoint once: its client\n")
		fmt.Fprintf(w, "assertion is single use; valid until %s):\n", req.Expires.UTC().Format(time.RFC3339))
		fmt.Fprintf(w, "  curl --cacert server.crt %s \\\n", req.PAREndpoint)
		printForm(w, req.Pushed)
		fmt.Fprintf(w, "then, within %s, open (with the request_uri of the answer):\n%s<request_uri>\n\n", server.RequestURILifetime, req.URL)
	} else {
		fmt.Fprintf(w, "Sample authorization request (request object valid until %s):\n%s\n\n", req.Expires.UTC().Format(time.RFC3339), req.URL)
	}
	fmt.Fprintf(w, "  state:         %s\n  nonce:         %s\n  code_verifier: %s\n", req.State, req.Nonce, req.CodeVerifier)
	fmt.Fprintf(w, "  redirect_uri:  %s\n\n", req.RedirectURI)
	assertion, err := sample.ClientAssertion(srv.Issuer(), now, sampleRequestLifetime)
	if err != nil {
		return err
	}
	cert := ""
	if bound {
		cert = " --cert client.crt --key client.key"
	}
	fmt.Fprintf(w, "Token request: within %s of the redirect, with the code it carries (the client assertion\n", server.CodeLifetime)
	fmt.Fprintf(w, "is single use, valid until %s; for fresh ones, save the client configuration and JWK above\n"+
		"and run again with them as -client-config and -client-key, the same -addr and -print-sample-request):\n", now.Add(sampleRequestLifetime).UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "  curl --cacert server.crt%s %s \\\n", cert, srv.TokenEndpoint())
	printForm(w, url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {"<code>"},
		"redirect_uri":          {req.RedirectURI},
		"code_verifier":         {req.CodeVerifier},
		"client_id":             {sample.Client.ClientID},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	})
	fmt.Fprintf(w, "then the resource, with the access_token of the answer:\n")
	fmt.Fprintf(w, "  curl --cacert server.crt%s -H 'Authorization: Bearer <access_token>' %s\n\n", cert, srv.AccountsEndpoint())
	return nil
}

// printForm prints form as curl --data-urlencode arguments, one a line,
// in name order.
func printForm(w io.Writer, form url.Values) {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	for i, k := range names {
		end := " \\"
		if i == len(names)-1 {
			end = ""
		}
		fmt.Fprintf(w, "    --data-urlencode %s%s\n", shellQuote(k+"="+form.Get(k)), end)
	}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// serve runs the HTTPS server until SIGINT or SIGTERM.
func serve(addr string, srv *server.Server, logger *slog.Logger) int {
	hs := &http.Server{
		Addr:              addr,
		Handler:           srv.Handler(),
		TLSConfig:         srv.TLSConfig(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    128 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		logger.Error("listen", "addr", addr, "err", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	// ServeTLS uses the certificate in TLSConfig and enables HTTP/2.
	go func() { errc <- hs.ServeTLS(ln, "", "") }()
	logger.Info("listening", "addr", ln.Addr().String(), "issuer", srv.Issuer())
	select {
	case err := <-errc:
		logger.Error("serve", "err", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown", "err", err)
		return 1
	}
	return 0
}

// b64 and unb64 are unpadded base64url (RFC 4648 §5).
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func unb64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
