package fapihttp_test

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/fapitest"
)

const formType = "application/x-www-form-urlencoded"

// testCert is a client certificate made once for all tests.
var testCert = sync.OnceValue(func() *x509.Certificate {
	k := fapitest.Must(fapitest.NewKey("ES256"))
	return fapitest.Must(fapitest.NewClientCertificate(k, pkix.Name{CommonName: "client"}))
})

// otherCert is a second certificate, for telling two apart.
var otherCert = sync.OnceValue(func() *x509.Certificate {
	k := fapitest.Must(fapitest.NewKey("ES256"))
	return fapitest.Must(fapitest.NewClientCertificate(k, pkix.Name{CommonName: "proxy"}))
})

// certPEM is the PEM text of c.
func certPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// escapedPEM is c as nginx's $ssl_client_escaped_cert sends it: the PEM
// text URL-encoded (spaces and newlines escaped, "+" escaped too).
func escapedPEM(c *x509.Certificate) string {
	return strings.ReplaceAll(url.PathEscape(certPEM(c)), "+", "%2B")
}

// basic is an HTTP Basic Authorization header value for id and secret,
// form-encoded first as RFC 6749 §2.3.1 asks.
func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// rawBasic is an HTTP Basic header of user and password as given.
func rawBasic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// post is a POST with a form body to target.
func post(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", formType)
	return r
}

// withTLS gives r a TLS connection state with the peer certificates.
func withTLS(r *http.Request, certs ...*x509.Certificate) *http.Request {
	r.TLS = &tls.ConnectionState{PeerCertificates: certs}
	return r
}

func newReader(t testing.TB, opts ...fapihttp.Option) *fapihttp.Reader {
	t.Helper()
	rd, err := fapihttp.NewReader(opts...)
	require.NoError(t, err)
	return rd
}

// fromProxy trusts a request whose RemoteAddr is the proxy's.
func fromProxy(r *http.Request) bool { return strings.HasPrefix(r.RemoteAddr, "10.0.0.1:") }

// body reads a response body.
func body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
