package fapihttp

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"

	"github.com/fapicheck/fapicheck/fapi"
)

// maxCertificateHeaderSize bounds the URL-encoded PEM of a certificate
// header: every byte of fapi.MaxCertificatePEMSize escaped as %XX.
const maxCertificateHeaderSize = 3 * fapi.MaxCertificatePEMSize

// ClientCertificate returns the client's TLS certificate (RFC 8705 §2), or
// nil when the client presented none. For a request from a trusted proxy
// with WithClientCertificateHeader, it is the certificate of that header:
// URL-encoded PEM, one CERTIFICATE block (an absent or empty header: none);
// a repeated, oversized or unreadable header is ErrClientCertificate.
// Otherwise it is the first of r.TLS.PeerCertificates — nil without a TLS
// connection or without a certificate, never a panic.
//
// The certificate is the one presented. Whether its chain is trusted (RFC
// 8705 §2.1, tls_client_auth) is the TLS configuration's decision (or the
// proxy's), not the reader's; the checks match it against the client's
// registration and bind tokens to it.
func (rd *Reader) ClientCertificate(r *http.Request) (*x509.Certificate, error) {
	if r == nil {
		return nil, nil
	}
	if rd.certHeader != "" && rd.fromTrustedProxy(r) {
		return certificateFromHeader(r.Header.Values(rd.certHeader), rd.certHeader)
	}
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil, nil
	}
	return r.TLS.PeerCertificates[0], nil
}

// certificateFromHeader decodes the URL-encoded PEM a proxy forwarded.
// Percent escapes are decoded as in a URL path, so a "+" of the base64
// text that the proxy left unescaped stays a "+" (nginx's
// $ssl_client_escaped_cert, the AWS load balancer's header).
func certificateFromHeader(values []string, name string) (*x509.Certificate, error) {
	switch {
	case len(values) == 0 || len(values) == 1 && values[0] == "":
		return nil, nil
	case len(values) > 1:
		return nil, &RequestError{Err: ErrClientCertificate, Name: name,
			Detail: fmt.Sprintf("the request has %d %s header fields; the proxy sends one certificate", len(values), name)}
	case len(values[0]) > maxCertificateHeaderSize:
		return nil, &RequestError{Err: ErrClientCertificate, Name: name,
			Detail: fmt.Sprintf("the %s header is longer than %d bytes", name, maxCertificateHeaderSize)}
	}
	pem, err := url.PathUnescape(values[0])
	if err != nil {
		return nil, &RequestError{Err: ErrClientCertificate, Name: name,
			Detail: fmt.Sprintf("the %s header is not URL-encoded PEM (an invalid percent escape)", name)}
	}
	c, err := fapi.ParseCertificatePEM(pem)
	if err != nil {
		return nil, &RequestError{Err: ErrClientCertificate, Name: name,
			Detail: fmt.Sprintf("the %s header is not one PEM certificate", name)}
	}
	return c, nil
}
