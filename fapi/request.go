package fapi

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"time"
)

// Params are request parameters as received on the wire (query or form).
// It has url.Values' shape, so fapi.Params(r.Form) converts a parsed
// net/http request without copying.
type Params url.Values

// Get returns the first value of name, or "".
func (p Params) Get(name string) string { return url.Values(p).Get(name) }

// Has reports whether name was sent.
func (p Params) Has(name string) bool { return len(p[name]) > 0 }

// lookup returns the first value of name and whether it was sent: Get and
// Has in one map lookup.
func (p Params) lookup(name string) (string, bool) {
	v := p[name]
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// names returns the parameter names in sorted order.
func (p Params) names() []string {
	out := make([]string, 0, len(p))
	for k := range p {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AuthorizationRequest is a request to the authorization endpoint.
type AuthorizationRequest struct {
	// Params are the query (or form) parameters.
	Params Params
	// RequestObject is the request object the caller fetched for a
	// request_uri parameter; the library never fetches (OIDC Core §6.2).
	RequestObject string
	// Pushed is the record the server stored when its PAR endpoint issued
	// the request_uri of this request (RFC 9126 §2.2), or nil when the
	// request_uri did not come from the PAR endpoint.
	Pushed *PushedRecord
}

// PushedRecord is what the server stored when it answered a pushed
// authorization request: the client it is bound to, when it expires, the
// validated parameters (the Parameters of the PAR report) and the DPoP key
// thumbprint the request was bound to, if any.
type PushedRecord struct {
	ClientID  string            `json:"client_id"`
	ExpiresAt time.Time         `json:"expires_at"`
	Params    map[string]string `json:"params"`
	DPoPJKT   string            `json:"dpop_jkt,omitempty"`
}

// BasicAuth is the user name and password of an HTTP Basic Authorization
// header, as net/http's Request.BasicAuth returns them: for a
// client_secret_basic client, its client_id and client_secret (RFC 6749
// §2.3.1), possibly still form-encoded.
type BasicAuth struct {
	ClientID     string
	ClientSecret string
}

// PushedAuthorizationRequest is a request to the PAR endpoint (RFC 9126).
type PushedAuthorizationRequest struct {
	// Params is the form body, client authentication included.
	Params Params
	// BasicAuth holds the HTTP Basic credentials of the request, or nil
	// (client_secret_basic, RFC 6749 §2.3.1).
	BasicAuth *BasicAuth
	// ClientCertificate is the verified TLS client certificate, or nil.
	ClientCertificate *x509.Certificate
	// DPoP holds the values of the DPoP header (RFC 9449 §4.1); normally
	// one.
	DPoP []string
	// Method and URL are the HTTP method and the absolute URL the request
	// was received at (for the method check and DPoP htm/htu). Empty values
	// mean POST and the service's pushed_authorization_request_endpoint.
	Method string
	URL    string
}

// AuthorizationRecord is what the server stored when it issued the
// authorization code, handed back at the token endpoint (RFC 6749 §4.1.3,
// RFC 7636 §4.6).
type AuthorizationRecord struct {
	ClientID            string `json:"client_id,omitempty"`
	RedirectURI         string `json:"redirect_uri,omitempty"`
	CodeChallenge       string `json:"code_challenge,omitempty"`
	CodeChallengeMethod string `json:"code_challenge_method,omitempty"`
	Scope               string `json:"scope,omitempty"`
	// IssuedAt is when the code was issued; FAPI 2.0 refuses codes older
	// than 60 s (FAPI2-SP-5.3.2.1-11), and every profile codes older than
	// a redeemed code is remembered (ten minutes, or the service's
	// AuthorizationCodeLifetime if longer; RFC 6749 §4.1.2).
	IssuedAt time.Time `json:"issued_at,omitzero"`
	// DPoPJKT is the DPoP key thumbprint the authorization was bound to
	// (dpop_jkt, RFC 9449 §10), if any.
	DPoPJKT string `json:"dpop_jkt,omitempty"`
	// CertificateThumbprint is the x5t#S256 of the client certificate the
	// grant is bound to, if any (RFC 8705 §3).
	CertificateThumbprint string `json:"certificate_thumbprint,omitempty"`
}

// RefreshRecord is what the server stored with a refresh token when it
// issued it, handed back when the token is presented (RFC 6749 §6). The
// library never sees the token store: the caller looks the token up and
// passes its record, or nil when it knows no such token.
type RefreshRecord struct {
	// ClientID is the client the token was issued to (RFC 6749 §6: the
	// token is bound to it).
	ClientID string `json:"client_id,omitempty"`
	// Scope is the scope granted with the token; a refresh request may ask
	// for less, never more (RFC 6749 §6). The profile is chosen from it.
	Scope string `json:"scope,omitempty"`
	// ExpiresAt is when the token stops working; zero means never.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// DPoPJKT is the thumbprint of the DPoP key the token is bound to (RFC
	// 9449 §5 binds a public client's refresh tokens to its key), and
	// CertificateThumbprint the x5t#S256 of the certificate it is bound to
	// (RFC 8705 §4): the refresh request must prove the same key.
	DPoPJKT               string `json:"dpop_jkt,omitempty"`
	CertificateThumbprint string `json:"certificate_thumbprint,omitempty"`
	// RotatedAt is when the server exchanged this token for a new one
	// (rotation), zero if it never did. Presented again after the
	// service's RefreshTokenReuseInterval, it is a reused token: the
	// grant's tokens are to be revoked (RFC 9700 §4.14.2).
	RotatedAt time.Time `json:"rotated_at,omitzero"`
}

// TokenRequest is a request to the token endpoint: an authorization_code
// grant (RFC 6749 §4.1.3), a refresh_token grant (§6) or a
// client_credentials grant (§4.4).
type TokenRequest struct {
	// Params are the form parameters, client authentication included.
	Params Params
	// BasicAuth holds the HTTP Basic credentials of the request, or nil
	// (client_secret_basic, RFC 6749 §2.3.1).
	BasicAuth *BasicAuth
	// ClientCertificate is the TLS client certificate the server's TLS
	// layer (or its trusted proxy) already verified, or nil.
	ClientCertificate *x509.Certificate
	// Authorization is the record of the authorization the code was
	// issued for (authorization_code grant).
	Authorization *AuthorizationRecord
	// Refresh is the record of the refresh token presented (refresh_token
	// grant).
	Refresh *RefreshRecord
	// DPoP holds the values of the DPoP header; Method and URL are the HTTP
	// method and absolute URL of the request (empty: POST and the service's
	// token_endpoint).
	DPoP   []string
	Method string
	URL    string
}

// MaxCertificatePEMSize bounds the PEM text ParseCertificatePEM decodes: a
// client certificate is a few KiB.
const MaxCertificatePEMSize = 64 << 10

// ErrCertificatePEM is returned when a client_certificate member is not one
// PEM CERTIFICATE block.
var ErrCertificatePEM = errors.New("client_certificate: not a PEM certificate")

// ParseCertificatePEM parses one PEM CERTIFICATE block, as a TLS-terminating
// proxy forwards it (URL-decode the header value first if the proxy
// escapes it).
//
// Input over MaxCertificatePEMSize is refused before it is decoded.
func ParseCertificatePEM(s string) (*x509.Certificate, error) {
	if len(s) > MaxCertificatePEMSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrCertificatePEM, len(s), MaxCertificatePEMSize)
	}
	block, rest := pem.Decode([]byte(s))
	if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) != 0 {
		return nil, ErrCertificatePEM
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificatePEM, err)
	}
	return c, nil
}
