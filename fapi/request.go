package fapi

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"time"
)

// Params are request parameters as received on the wire (query or form).
// It has url.Values' shape, so fapi.Params(r.Form) converts a parsed
// net/http request without copying. In JSON a parameter is a string, or an
// array of strings when it was repeated.
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

// UnmarshalJSON accepts {"name": "value"} and {"name": ["v1", "v2"]}.
func (p *Params) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(Params, len(raw))
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '[' {
			var list []string
			if err := json.Unmarshal(v, &list); err != nil {
				return fmt.Errorf("parameter %q: must be a string or an array of strings", k)
			}
			out[k] = list
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("parameter %q: must be a string or an array of strings", k)
		}
		out[k] = []string{s}
	}
	*p = out
	return nil
}

// MarshalJSON writes single values as strings and repeated ones as arrays.
func (p Params) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if len(v) == 1 {
			out[k] = v[0]
		} else {
			out[k] = v
		}
	}
	return json.Marshal(out)
}

// AuthorizationRequest is a request to the authorization endpoint.
type AuthorizationRequest struct {
	// Params are the query (or form) parameters.
	Params Params `json:"params"`
	// RequestObject is the request object the caller fetched for a
	// request_uri parameter; the library never fetches (OIDC Core §6.2).
	RequestObject string `json:"request_object,omitempty"`
	// Pushed is the record the server stored when its PAR endpoint issued
	// the request_uri of this request (RFC 9126 §2.2), or nil when the
	// request_uri did not come from the PAR endpoint.
	Pushed *PushedRecord `json:"pushed,omitempty"`
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
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// PushedAuthorizationRequest is a request to the PAR endpoint (RFC 9126).
type PushedAuthorizationRequest struct {
	// Params is the form body, client authentication included.
	Params Params `json:"params"`
	// BasicAuth holds the HTTP Basic credentials of the request, or nil
	// (client_secret_basic, RFC 6749 §2.3.1).
	BasicAuth *BasicAuth `json:"basic_auth,omitempty"`
	// ClientCertificate is the verified TLS client certificate, or nil.
	ClientCertificate *x509.Certificate `json:"-"`
	// DPoP holds the values of the DPoP header (RFC 9449 §4.1); normally
	// one. In JSON a single string is accepted too.
	DPoP []string `json:"dpop,omitempty"`
	// Method and URL are the HTTP method and the absolute URL the request
	// was received at (for the method check and DPoP htm/htu). Empty values
	// mean POST and the service's pushed_authorization_request_endpoint.
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
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
	// than 60 s (FAPI2-SP-5.3.2.1-11).
	IssuedAt time.Time `json:"issued_at,omitzero"`
	// DPoPJKT is the DPoP key thumbprint the authorization was bound to
	// (dpop_jkt, RFC 9449 §10), if any.
	DPoPJKT string `json:"dpop_jkt,omitempty"`
	// CertificateThumbprint is the x5t#S256 of the client certificate the
	// grant is bound to, if any (RFC 8705 §3).
	CertificateThumbprint string `json:"certificate_thumbprint,omitempty"`
}

// TokenRequest is an authorization_code grant request to the token
// endpoint.
type TokenRequest struct {
	// Params are the form parameters, client authentication included.
	Params Params `json:"params"`
	// BasicAuth holds the HTTP Basic credentials of the request, or nil
	// (client_secret_basic, RFC 6749 §2.3.1).
	BasicAuth *BasicAuth `json:"basic_auth,omitempty"`
	// ClientCertificate is the TLS client certificate the server's TLS
	// layer (or its trusted proxy) already verified, or nil. In JSON it is
	// a PEM string.
	ClientCertificate *x509.Certificate `json:"-"`
	// Authorization is the record of the authorization the code was
	// issued for.
	Authorization *AuthorizationRecord `json:"authorization,omitempty"`
	// DPoP holds the values of the DPoP header; Method and URL are the HTTP
	// method and absolute URL of the request (empty: POST and the service's
	// token_endpoint).
	DPoP   []string `json:"dpop,omitempty"`
	Method string   `json:"method,omitempty"`
	URL    string   `json:"url,omitempty"`
}

type tokenRequestJSON struct {
	Params            Params               `json:"params"`
	BasicAuth         *BasicAuth           `json:"basic_auth,omitempty"`
	ClientCertificate string               `json:"client_certificate,omitempty"`
	Authorization     *AuthorizationRecord `json:"authorization,omitempty"`
	DPoP              headerValues         `json:"dpop,omitempty"`
	Method            string               `json:"method,omitempty"`
	URL               string               `json:"url,omitempty"`
}

type parRequestJSON struct {
	Params            Params       `json:"params"`
	BasicAuth         *BasicAuth   `json:"basic_auth,omitempty"`
	ClientCertificate string       `json:"client_certificate,omitempty"`
	DPoP              headerValues `json:"dpop,omitempty"`
	Method            string       `json:"method,omitempty"`
	URL               string       `json:"url,omitempty"`
}

// headerValues reads a header given as one string or as an array of them.
type headerValues []string

func (h *headerValues) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var list []string
		if err := json.Unmarshal(data, &list); err != nil {
			return errors.New("dpop: must be a string or an array of strings")
		}
		*h = list
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.New("dpop: must be a string or an array of strings")
	}
	*h = []string{s}
	return nil
}

// UnmarshalJSON reads client_certificate as PEM and dpop as a string or an
// array.
func (p *PushedAuthorizationRequest) UnmarshalJSON(data []byte) error {
	var j parRequestJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*p = PushedAuthorizationRequest{Params: j.Params, BasicAuth: j.BasicAuth, DPoP: j.DPoP, Method: j.Method, URL: j.URL}
	if j.ClientCertificate != "" {
		c, err := ParseCertificatePEM(j.ClientCertificate)
		if err != nil {
			return err
		}
		p.ClientCertificate = c
	}
	return nil
}

// MarshalJSON writes client_certificate as PEM.
func (p PushedAuthorizationRequest) MarshalJSON() ([]byte, error) {
	j := parRequestJSON{Params: p.Params, BasicAuth: p.BasicAuth, DPoP: p.DPoP, Method: p.Method, URL: p.URL}
	if p.ClientCertificate != nil {
		j.ClientCertificate = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.ClientCertificate.Raw}))
	}
	return json.Marshal(j)
}

// MaxCertificatePEMSize bounds the PEM text ParseCertificatePEM decodes: a
// client certificate is a few KiB.
const MaxCertificatePEMSize = 64 << 10

// ErrCertificatePEM is returned when a client_certificate member is not one
// PEM CERTIFICATE block.
var ErrCertificatePEM = errors.New("client_certificate: not a PEM certificate")

// UnmarshalJSON reads client_certificate as PEM.
func (t *TokenRequest) UnmarshalJSON(data []byte) error {
	var j tokenRequestJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*t = TokenRequest{Params: j.Params, BasicAuth: j.BasicAuth, Authorization: j.Authorization, DPoP: j.DPoP, Method: j.Method, URL: j.URL}
	if j.ClientCertificate != "" {
		c, err := ParseCertificatePEM(j.ClientCertificate)
		if err != nil {
			return err
		}
		t.ClientCertificate = c
	}
	return nil
}

// MarshalJSON writes client_certificate as PEM.
func (t TokenRequest) MarshalJSON() ([]byte, error) {
	j := tokenRequestJSON{Params: t.Params, BasicAuth: t.BasicAuth, Authorization: t.Authorization, DPoP: t.DPoP, Method: t.Method, URL: t.URL}
	if t.ClientCertificate != nil {
		j.ClientCertificate = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: t.ClientCertificate.Raw}))
	}
	return json.Marshal(j)
}

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
