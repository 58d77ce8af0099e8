package fapihttp

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/textproto"
	"net/url"
	"slices"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
)

// DefaultMaxFormSize bounds a form body (and the query of an authorization
// request) when WithMaxFormSize is not given: 256 KiB, room for a request
// object and a client assertion at the library's 64 KiB limit each
// (fapi.Service.MaxRequestObjectSize) with the other parameters. The checks
// bound every value again themselves.
const DefaultMaxFormSize = 256 << 10

// Reader builds the input of each check point from an *http.Request. It is
// configured once (NewReader) with what it may trust: by default nothing
// but the request itself — its TLS connection, Host header, method, path,
// query, body and headers. A Reader is immutable and safe for concurrent
// use. The zero Reader reads as NewReader() does.
type Reader struct {
	maxForm    int64
	base       string          // WithBaseURL, normalized, without a trailing slash
	hosts      map[string]bool // WithHosts, normalized
	trusted    func(*http.Request) bool
	certHeader string // canonical header name
	err        error  // the first invalid option
}

// Option configures a Reader.
type Option func(*Reader)

// WithMaxFormSize bounds the form body of a PAR or token request, and the
// query and body of an authorization request, to n bytes (n > 0): a
// larger request is refused with ErrBodyTooLarge before it is parsed.
func WithMaxFormSize(n int64) Option {
	return func(rd *Reader) {
		if n <= 0 {
			rd.fail(fmt.Errorf("WithMaxFormSize(%d): the limit must be positive", n))
			return
		}
		rd.maxForm = n
	}
}

// WithBaseURL fixes the external origin of every request, with an optional
// path prefix: the request URL the checks see (for a DPoP proof's htu, RFC
// 9449 §4.3 item 9, and a resource's query) is base plus the request's own
// path and query. base is an absolute http or https URL without user
// information, query or fragment, such as "https://as.example.com" or
// "https://api.example.com/bank" (when a proxy strips "/bank" before the
// request reaches the server).
//
// The Host header and any forwarding header are then not read for the URL.
// This is the safe choice for a server that can be reached under names
// other than its own (by IP address, a catch-all virtual host): the Host
// header is the client's to choose, and a DPoP proof made for another
// server's URL must not be accepted here.
func WithBaseURL(base string) Option {
	return func(rd *Reader) {
		b, err := normalizeBase(base)
		if err != nil {
			rd.fail(fmt.Errorf("WithBaseURL(%q): %w", base, err))
			return
		}
		rd.base = b
	}
}

// WithHosts lists the hosts (host, or host:port when the port is not the
// scheme's default; ":443" and ":80" are dropped) the server is reached
// at: a request whose host — its Host header, or the host a trusted proxy
// forwarded — is not one of them
// is refused with ErrURL. Host names are compared without regard to
// letter case. It cannot be combined with WithBaseURL, which does not read
// the request's host at all.
func WithHosts(hosts ...string) Option {
	return func(rd *Reader) {
		if len(hosts) == 0 {
			rd.fail(errors.New("WithHosts: no host given"))
			return
		}
		rd.hosts = make(map[string]bool, len(hosts))
		for _, h := range hosts {
			if !validHost(h) {
				rd.fail(fmt.Errorf("WithHosts: %q is not a host or host:port", h))
				return
			}
			h = strings.ToLower(h)
			// A default port names the same host (RFC 3986 §6.2.3).
			h = strings.TrimSuffix(strings.TrimSuffix(h, ":443"), ":80")
			rd.hosts[h] = true
		}
	}
}

// WithTrustedProxy names the reverse proxies the server trusts: trusted
// reports whether a request came from one (RemoteAddrIn builds such a
// function from the proxies' addresses). Only for such a request does the
// Reader read the forwarding headers — Forwarded (RFC 7239 §5.3, §5.4:
// proto and host), else X-Forwarded-Proto and X-Forwarded-Host — for the
// external URL, and the certificate header of WithClientCertificateHeader;
// from anyone else they are ignored, since a client can send them too.
//
// Of a forwarding header with several elements or values the last one is
// used: the one the trusted proxy added. Behind a chain of proxies, have
// the one next to the server pass on what the client-facing one saw, or
// use WithBaseURL. A Forwarded header and X-Forwarded-* headers that
// disagree are refused (ErrURL), as is a malformed one: a trusted proxy
// that passes on a client's header unchanged must not let the client pick
// the URL.
func WithTrustedProxy(trusted func(*http.Request) bool) Option {
	return func(rd *Reader) {
		if trusted == nil {
			rd.fail(errors.New("WithTrustedProxy: nil function"))
			return
		}
		rd.trusted = trusted
	}
}

// WithClientCertificateHeader names the request header in which a trusted
// TLS-terminating proxy (WithTrustedProxy, required) passes the client's
// TLS certificate as URL-encoded PEM: nginx's $ssl_client_escaped_cert,
// Envoy's %DOWNSTREAM_PEER_CERT%, the X-Amzn-Mtls-Clientcert header of an
// AWS load balancer. For a request from the trusted proxy the certificate
// comes only from that header (absent or empty: no certificate; the TLS
// connection is the proxy's own); from anyone else the header is ignored
// and the certificate comes from the request's TLS connection. The proxy
// must set the header on every request, replacing any the client sent.
func WithClientCertificateHeader(name string) Option {
	return func(rd *Reader) {
		if name == "" || !isToken(name) {
			rd.fail(fmt.Errorf("WithClientCertificateHeader(%q): not a header field name", name))
			return
		}
		rd.certHeader = textproto.CanonicalMIMEHeaderKey(name)
	}
}

// RemoteAddrIn returns a function for WithTrustedProxy that trusts a
// request whose connection comes from an address in one of prefixes (the
// proxies' addresses, such as netip.MustParsePrefix("10.0.0.0/24")). An
// IPv4-mapped IPv6 address counts as the IPv4 address.
func RemoteAddrIn(prefixes ...netip.Prefix) func(*http.Request) bool {
	ps := slices.Clone(prefixes)
	return func(r *http.Request) bool {
		ap, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil {
			return false
		}
		a := ap.Addr().Unmap()
		for _, p := range ps {
			if p.IsValid() && p.Contains(a) {
				return true
			}
		}
		return false
	}
}

// limit is the form size limit: DefaultMaxFormSize for the zero Reader.
func (rd *Reader) limit() int64 {
	if rd.maxForm <= 0 {
		return DefaultMaxFormSize
	}
	return rd.maxForm
}

func (rd *Reader) fail(err error) {
	if rd.err == nil {
		rd.err = err
	}
}

// NewReader returns a Reader with the options. Without options it reads
// everything from the request itself: the scheme from r.TLS (https with a
// TLS connection, http without), the host from the Host header, the client
// certificate from the TLS connection, and form bodies of up to
// DefaultMaxFormSize bytes. An invalid option, WithHosts with WithBaseURL,
// and WithClientCertificateHeader without WithTrustedProxy are errors.
func NewReader(opts ...Option) (*Reader, error) {
	rd := &Reader{maxForm: DefaultMaxFormSize}
	for _, o := range opts {
		if o != nil {
			o(rd)
		}
	}
	switch {
	case rd.err != nil:
		return nil, fmt.Errorf("fapihttp: %w", rd.err)
	case rd.base != "" && rd.hosts != nil:
		return nil, errors.New("fapihttp: WithHosts and WithBaseURL exclude each other (with a base URL the request's host is not read)")
	case rd.certHeader != "" && rd.trusted == nil:
		return nil, errors.New("fapihttp: WithClientCertificateHeader needs WithTrustedProxy: the header is read only from the trusted proxy")
	}
	return rd, nil
}

// fromTrustedProxy reports whether r came from a proxy the Reader trusts.
func (rd *Reader) fromTrustedProxy(r *http.Request) bool {
	return rd.trusted != nil && rd.trusted(r)
}

// Authorization builds the input of the authorization endpoint (RFC 6749
// §3.1, §4.1.1; OIDC Core §3.1.2.1): the parameters of the query for GET,
// and of the query and the form body for POST. A repeated parameter —
// also one in both query and body — is refused (ErrDuplicateParameter,
// RFC 6749 §3.1), as is any other method (ErrMethod; HEAD too: an
// authorization has effects). The caller adds the request object it
// resolved for a request_uri (RequestObject) or the record of a pushed one
// (Pushed).
func (rd *Reader) Authorization(r *http.Request) (*fapi.AuthorizationRequest, error) {
	if r == nil || r.URL == nil {
		return nil, &RequestError{Err: ErrURL, Detail: "no request"}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, methodError(r.Method, "GET, POST", "the authorization endpoint takes GET or POST (RFC 6749 section 3.1)")
	}
	if int64(len(r.URL.RawQuery)) > rd.limit() {
		return nil, &RequestError{Err: ErrBodyTooLarge, Detail: fmt.Sprintf("the query is longer than %d bytes", rd.limit())}
	}
	params, err := parseForm(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if r.Method == http.MethodPost {
		body, err := rd.readForm(r)
		if err != nil {
			return nil, err
		}
		for name, v := range body {
			if _, dup := params[name]; dup {
				return nil, duplicateError(name, "in the query and in the body")
			}
			params[name] = v
		}
	}
	return &fapi.AuthorizationRequest{Params: params}, nil
}

// PushedAuthorization builds the input of the PAR endpoint (RFC 9126 §2.1):
// a POST with an application/x-www-form-urlencoded body (the query is not
// read), HTTP Basic credentials (BasicAuth), the client certificate
// (ClientCertificate), every DPoP header field value (RFC 9449 §4.1; the
// check refuses more than one, §4.3 item 1), the method and the external
// URL (URL).
func (rd *Reader) PushedAuthorization(r *http.Request) (*fapi.PushedAuthorizationRequest, error) {
	in, err := rd.postEndpoint(r, "the PAR endpoint takes POST only (RFC 9126 section 2.1)")
	if err != nil {
		return nil, err
	}
	return &fapi.PushedAuthorizationRequest{Params: in.params, BasicAuth: in.basic, ClientCertificate: in.cert,
		DPoP: in.dpop, Method: r.Method, URL: in.url}, nil
}

// Token builds the input of the token endpoint (RFC 6749 §3.2, §4.1.3): as
// PushedAuthorization, for a POST to the token endpoint. The caller adds
// the record of the code (Authorization) or of the refresh token
// (Refresh) it looked up.
func (rd *Reader) Token(r *http.Request) (*fapi.TokenRequest, error) {
	in, err := rd.postEndpoint(r, "the token endpoint takes POST only (RFC 6749 section 3.2)")
	if err != nil {
		return nil, err
	}
	return &fapi.TokenRequest{Params: in.params, BasicAuth: in.basic, ClientCertificate: in.cert,
		DPoP: in.dpop, Method: r.Method, URL: in.url}, nil
}

// Resource builds the input of the resource check point (RFC 6750, RFC
// 9449 §7, RFC 8705 §3): the method and the external URL with its query,
// every value of the Authorization and DPoP header fields (the check
// refuses more than one of either), and the client certificate. The body
// is not read: it belongs to the API. The caller adds the record of the
// access token (Token; fapi.AccessToken reads the token for the lookup)
// and the scope the resource requires (RequiredScope).
func (rd *Reader) Resource(r *http.Request) (*fapi.ResourceRequest, error) {
	if r == nil || r.URL == nil {
		return nil, &RequestError{Err: ErrURL, Detail: "no request"}
	}
	u, err := rd.URL(r)
	if err != nil {
		return nil, err
	}
	cert, err := rd.ClientCertificate(r)
	if err != nil {
		return nil, err
	}
	return &fapi.ResourceRequest{Method: r.Method, URL: u,
		Authorization: slices.Clone(r.Header.Values("Authorization")),
		DPoP:          slices.Clone(r.Header.Values("DPoP")), ClientCertificate: cert}, nil
}

// postInput is what the PAR and token endpoints read alike.
type postInput struct {
	params fapi.Params
	basic  *fapi.BasicAuth
	cert   *x509.Certificate
	dpop   []string
	url    string
}

func (rd *Reader) postEndpoint(r *http.Request, methodDetail string) (postInput, error) {
	var in postInput
	if r == nil || r.URL == nil {
		return in, &RequestError{Err: ErrURL, Detail: "no request"}
	}
	if r.Method != http.MethodPost {
		return in, methodError(r.Method, http.MethodPost, methodDetail)
	}
	var err error
	if in.url, err = rd.URL(r); err != nil {
		return in, err
	}
	if in.basic, err = BasicAuth(r); err != nil {
		return in, err
	}
	if in.cert, err = rd.ClientCertificate(r); err != nil {
		return in, err
	}
	if in.params, err = rd.readForm(r); err != nil {
		return in, err
	}
	in.dpop = slices.Clone(r.Header.Values("DPoP"))
	return in, nil
}

func methodError(method, allow, detail string) *RequestError {
	return &RequestError{Err: ErrMethod, Detail: fmt.Sprintf("%s; the request used %s", detail, quoteShort(method)), allow: allow}
}

func duplicateError(name, where string) *RequestError {
	return &RequestError{Err: ErrDuplicateParameter, Name: name,
		Detail: fmt.Sprintf("parameter %s is sent more than once (%s); a parameter must not be repeated (RFC 6749 section 3.1)", quoteShort(name), where)}
}

// quoteShort quotes a request value for a message, cut to 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// isToken reports whether s is an RFC 9110 §5.6.2 token.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return s != ""
}

func isTchar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// normalizeBase checks a WithBaseURL value and returns it as scheme://host
// plus its path, without a trailing slash, scheme and host in lower case
// and without the scheme's default port.
func normalizeBase(base string) (string, error) {
	u, err := url.Parse(base)
	switch {
	case err != nil:
		return "", errors.New("not a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", errors.New("not an http or https URL")
	case u.Opaque != "" || u.Host == "":
		return "", errors.New("no host")
	case u.User != nil:
		return "", errors.New("user information is not allowed")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(base, "?#"):
		return "", errors.New("a query or fragment is not allowed")
	case !validHost(u.Host):
		return "", errors.New("not a valid host")
	}
	return u.Scheme + "://" + normalizeHost(u.Scheme, u.Host) + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}
