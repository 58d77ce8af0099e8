// Command authserver runs a demonstration FAPI 1.0 (Implementer's Draft 2)
// authorization server built on package fapi: discovery, JWKS, an
// authorization endpoint, a token endpoint and userinfo, over HTTPS with a
// self-signed certificate, everything in memory.
//
// At start it registers a generated sample client (or the clients of
// -client-config) and prints the client configuration, the sample client's
// private JWK (test-only), the discovery URL and a ready-to-use
// authorization URL. See README.md.
//
// Usage:
//
//	go -C examples/authserver run . [-addr 127.0.0.1:8443] [-issuer URL]
//	    [-client-config FILE [-client-key FILE]] [-client-ca FILE]
//	    [-print-sample-request]
package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/fapi"
)

// sampleRequestLifetime is how long a printed request object stays valid.
const sampleRequestLifetime = 30 * time.Minute

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8443", "`host:port` to listen on")
	issuer := fs.String("issuer", "", "issuer `URL` (default https://<addr>, with localhost for an unspecified host)")
	clientConfig := fs.String("client-config", "", "JSON `file` with a client registration (fapi.Client) or an array of them, registered instead of the generated sample client")
	clientKey := fs.String("client-key", "", "private JWK `file` of the first client in -client-config, used only to sign the printed sample request")
	clientCA := fs.String("client-ca", "", "PEM `file` of certificate authorities trusted for tls_client_auth clients")
	printSample := fs.Bool("print-sample-request", false, "print the client, its test key and a signed sample authorization request, then exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authserver: unexpected arguments %q\n", fs.Args())
		return 2
	}

	iss := *issuer
	if iss == "" {
		var err error
		if iss, err = defaultIssuer(*addr); err != nil {
			fmt.Fprintf(stderr, "authserver: -addr: %v\n", err)
			return 2
		}
	}

	clients, sample, err := loadClients(*clientConfig, *clientKey)
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

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := server.New(server.Config{Issuer: iss, Clients: clients, ClientCAs: cas, Logger: logger})
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

// loadClients reads -client-config (one client or an array), or generates
// the sample client. The sample is returned when a key to sign with is
// known.
func loadClients(configFile, keyFile string) ([]fapi.Client, *server.SampleClient, error) {
	if configFile == "" {
		if keyFile != "" {
			return nil, nil, errors.New("-client-key needs -client-config")
		}
		sc, err := server.NewSampleClient(server.SampleClientID)
		if err != nil {
			return nil, nil, err
		}
		return []fapi.Client{sc.Client}, sc, nil
	}
	data, err := os.ReadFile(configFile)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-config: %w", err)
	}
	var clients []fapi.Client
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		err = decodeStrict(trimmed, &clients)
	} else {
		var c fapi.Client
		err = decodeStrict(trimmed, &c)
		clients = []fapi.Client{c}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("-client-config %s: %w", configFile, err)
	}
	if len(clients) == 0 {
		return nil, nil, fmt.Errorf("-client-config %s: no client", configFile)
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
	sc, err := server.NewSampleClientFromKey(clients[0], key, kid, alg)
	if err != nil {
		return nil, nil, fmt.Errorf("-client-key %s: %w", keyFile, err)
	}
	return clients, sc, nil
}

// decodeStrict decodes JSON, refusing unknown members so that a typo in a
// registration is an error rather than a silently absent setting.
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
func printBanner(w io.Writer, srv *server.Server, clients []fapi.Client, sample *server.SampleClient, fromFile bool) error {
	fmt.Fprintf(w, "FAPI 1.0 ID2 example authorization server (demo: in-memory, auto-approve, self-signed certificates)\n\n")
	fmt.Fprintf(w, "Issuer:        %s\n", srv.Issuer())
	fmt.Fprintf(w, "Discovery URL: %s\n\n", srv.DiscoveryURL())
	fmt.Fprintf(w, "TLS server certificate (self-signed, generated for this run):\n%s\n",
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.TLSCertificate().Raw}))

	label := "Registered client configuration"
	if !fromFile {
		label = "Sample client configuration (generated at start)"
	}
	for _, c := range clients {
		cfg, err := json.MarshalIndent(c, "", "  ")
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
	req, err := sample.AuthorizationRequest(srv.Issuer(), srv.AuthorizationEndpoint(), time.Now(), sampleRequestLifetime)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Sample authorization request (request object valid until %s):\n%s\n\n", req.Expires.UTC().Format(time.RFC3339), req.URL)
	fmt.Fprintf(w, "  state:         %s\n  nonce:         %s\n  code_verifier: %s\n", req.State, req.Nonce, req.CodeVerifier)
	fmt.Fprintf(w, "  redirect_uri:  %s\n\n", req.RedirectURI)
	fmt.Fprintf(w, "Token endpoint: %s (private_key_jwt assertion with aud = issuer or token endpoint;\n", srv.TokenEndpoint())
	fmt.Fprintf(w, "present a TLS client certificate: access tokens are bound to it)\n\n")
	return nil
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
