package casefile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
)

// The wire shapes of a case file: what each member holds, decoded with
// encoding/json after strictjson has refused duplicate members, and then
// converted to the fapi types (docs/DESIGN.md §10.2). The fapi request
// types carry no JSON of their own; these names are the case file's
// contract and are never renamed or removed.

// caseShape is a whole case file, member by member.
type caseShape struct {
	Description                string             `json:"description"`
	Now                        time.Time          `json:"now"`
	Service                    *serviceShape      `json:"service"`
	Client                     *fapi.Client       `json:"client"`
	PushedAuthorizationRequest *parRequestShape   `json:"pushed_authorization_request"`
	AuthorizationRequest       *authzRequestShape `json:"authorization_request"`
	TokenRequest               *tokenRequestShape `json:"token_request"`
	ResourceRequest            *resourceShape     `json:"resource_request"`
	Store                      *Store             `json:"store"`
	Expect                     *Expectation       `json:"expect"`
}

// serviceShape is the service member: the fapi.Service (discovery
// metadata and the library's settings) and what the case file adds for
// the Checker's options.
type serviceShape struct {
	fapi.Service
	// DPoPNonceSecret is the base64url secret of the service's DPoP server
	// nonces (RFC 9449 §8): the case's Checker gets a dpopnonce.Source for
	// it (fapi.WithDPoPNonces).
	DPoPNonceSecret string `json:"dpop_nonce_secret"`
}

// UnmarshalJSON decodes the fapi.Service and the case file's own members
// apart, so that an error names the member as the file spells it
// ("service.issuer", not the Go path of the embedded struct).
func (s *serviceShape) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, &s.Service); err != nil {
		return err
	}
	var own struct {
		DPoPNonceSecret string `json:"dpop_nonce_secret"`
	}
	if err := json.Unmarshal(data, &own); err != nil {
		return err
	}
	s.DPoPNonceSecret = own.DPoPNonceSecret
	return nil
}

// convert returns the service and the decoded nonce secret, which must be
// unpadded base64url (RFC 4648 §5) of at least dpopnonce.MinSecretSize
// bytes.
func (s *serviceShape) convert() (*fapi.Service, []byte, error) {
	if s == nil {
		return nil, nil, nil
	}
	svc := s.Service
	if s.DPoPNonceSecret == "" {
		return &svc, nil, nil
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(s.DPoPNonceSecret)
	if err != nil {
		return nil, nil, &Error{Field: "service.dpop_nonce_secret", Err: errors.New("not unpadded base64url")}
	}
	if _, err := dpopnonce.New(secret); err != nil {
		return nil, nil, &Error{Field: "service.dpop_nonce_secret", Err: err}
	}
	return &svc, secret, nil
}

// paramsShape is a request's parameters: each a string, or an array of
// strings when it was repeated.
type paramsShape fapi.Params

// UnmarshalJSON accepts {"name": "value"} and {"name": ["v1", "v2"]}.
func (p *paramsShape) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(paramsShape, len(raw))
	for k, v := range raw {
		list, err := stringOrArray(v)
		if err != nil {
			return fmt.Errorf("parameter %q: must be a string or an array of strings", k)
		}
		out[k] = list
	}
	*p = out
	return nil
}

// headerShape is a header's values: one string or an array of them.
type headerShape []string

// UnmarshalJSON accepts "value" and ["v1", "v2"].
func (h *headerShape) UnmarshalJSON(data []byte) error {
	list, err := stringOrArray(data)
	if err != nil {
		return errors.New("dpop: must be a string or an array of strings")
	}
	*h = list
	return nil
}

// authorizationShape is the Authorization header's values: one string or
// an array of them (two values are a request with two header fields).
type authorizationShape []string

// UnmarshalJSON accepts "value" and ["v1", "v2"].
func (h *authorizationShape) UnmarshalJSON(data []byte) error {
	list, err := stringOrArray(data)
	if err != nil {
		return errors.New("authorization: must be a string or an array of strings")
	}
	*h = list
	return nil
}

// stringOrArray decodes a JSON string or an array of strings.
func stringOrArray(v []byte) ([]string, error) {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '[' {
		var list []string
		if err := json.Unmarshal(v, &list); err != nil {
			return nil, err
		}
		return list, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, err
	}
	return []string{s}, nil
}

type basicAuthShape struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func (b *basicAuthShape) convert() *fapi.BasicAuth {
	if b == nil {
		return nil
	}
	return &fapi.BasicAuth{ClientID: b.ClientID, ClientSecret: b.ClientSecret}
}

type pushedRecordShape struct {
	ClientID  string            `json:"client_id"`
	ExpiresAt time.Time         `json:"expires_at"`
	Params    map[string]string `json:"params"`
	DPoPJKT   string            `json:"dpop_jkt"`
}

type authorizationRecordShape struct {
	ClientID              string    `json:"client_id"`
	RedirectURI           string    `json:"redirect_uri"`
	CodeChallenge         string    `json:"code_challenge"`
	CodeChallengeMethod   string    `json:"code_challenge_method"`
	Scope                 string    `json:"scope"`
	IssuedAt              time.Time `json:"issued_at"`
	DPoPJKT               string    `json:"dpop_jkt"`
	CertificateThumbprint string    `json:"certificate_thumbprint"`
}

// refreshRecordShape is the refresh member of a token request: the record
// the server kept with the refresh token (fapi.RefreshRecord; RFC 6749 §6).
type refreshRecordShape struct {
	ClientID              string    `json:"client_id"`
	Scope                 string    `json:"scope"`
	ExpiresAt             time.Time `json:"expires_at"`
	DPoPJKT               string    `json:"dpop_jkt"`
	CertificateThumbprint string    `json:"certificate_thumbprint"`
	RotatedAt             time.Time `json:"rotated_at"`
}

type authzRequestShape struct {
	Params        paramsShape        `json:"params"`
	RequestObject string             `json:"request_object"`
	Pushed        *pushedRecordShape `json:"pushed"`
}

type parRequestShape struct {
	Params            paramsShape     `json:"params"`
	BasicAuth         *basicAuthShape `json:"basic_auth"`
	ClientCertificate string          `json:"client_certificate"`
	DPoP              headerShape     `json:"dpop"`
	Method            string          `json:"method"`
	URL               string          `json:"url"`
}

type tokenRequestShape struct {
	Params            paramsShape               `json:"params"`
	BasicAuth         *basicAuthShape           `json:"basic_auth"`
	ClientCertificate string                    `json:"client_certificate"`
	Authorization     *authorizationRecordShape `json:"authorization"`
	Refresh           *refreshRecordShape       `json:"refresh"`
	DPoP              headerShape               `json:"dpop"`
	Method            string                    `json:"method"`
	URL               string                    `json:"url"`
}

// resourceShape is a request to a protected resource (fapi.ResourceRequest;
// RFC 6750, RFC 8705 §3, RFC 9449 §7): the method and URL the client
// addressed, the Authorization and DPoP header values, the TLS client
// certificate, the resource server's record of the access token and the
// scope the resource requires.
type resourceShape struct {
	Method            string             `json:"method"`
	URL               string             `json:"url"`
	Authorization     authorizationShape `json:"authorization"`
	DPoP              headerShape        `json:"dpop"`
	ClientCertificate string             `json:"client_certificate"`
	Token             *accessTokenShape  `json:"token"`
	RequiredScope     string             `json:"required_scope"`
}

// accessTokenShape is what the resource server knows of the access token,
// named as a JWT access token's claims and an introspection response name
// it (RFC 9068 §2.2, RFC 7662 §2.2): token_type, scope and the cnf
// confirmation (RFC 8705 §3.1, RFC 9449 §6.1).
type accessTokenShape struct {
	TokenType string    `json:"token_type"`
	Scope     string    `json:"scope"`
	Cnf       *cnfShape `json:"cnf"`
}

// cnfShape is an access token's confirmation: x5t#S256 for a
// certificate-bound token, jkt for a DPoP-bound one.
type cnfShape struct {
	X5tS256 string `json:"x5t#S256"`
	JKT     string `json:"jkt"`
}

func (s *resourceShape) convert() (*fapi.ResourceRequest, error) {
	if s == nil {
		return nil, nil
	}
	r := &fapi.ResourceRequest{Method: s.Method, URL: s.URL, Authorization: []string(s.Authorization),
		DPoP: []string(s.DPoP), RequiredScope: s.RequiredScope}
	if t := s.Token; t != nil {
		r.Token = &fapi.AccessTokenRecord{TokenType: t.TokenType, Scope: t.Scope}
		if t.Cnf != nil {
			r.Token.CertificateThumbprint, r.Token.DPoPJKT = t.Cnf.X5tS256, t.Cnf.JKT
		}
	}
	if s.ClientCertificate != "" {
		c, err := fapi.ParseCertificatePEM(s.ClientCertificate)
		if err != nil {
			return nil, err
		}
		r.ClientCertificate = c
	}
	return r, nil
}

func (s *authzRequestShape) convert() *fapi.AuthorizationRequest {
	if s == nil {
		return nil
	}
	r := &fapi.AuthorizationRequest{Params: fapi.Params(s.Params), RequestObject: s.RequestObject}
	if p := s.Pushed; p != nil {
		r.Pushed = &fapi.PushedRecord{ClientID: p.ClientID, ExpiresAt: p.ExpiresAt, Params: p.Params, DPoPJKT: p.DPoPJKT}
	}
	return r
}

func (s *parRequestShape) convert() (*fapi.PushedAuthorizationRequest, error) {
	if s == nil {
		return nil, nil
	}
	r := &fapi.PushedAuthorizationRequest{Params: fapi.Params(s.Params), BasicAuth: s.BasicAuth.convert(),
		DPoP: []string(s.DPoP), Method: s.Method, URL: s.URL}
	if s.ClientCertificate != "" {
		c, err := fapi.ParseCertificatePEM(s.ClientCertificate)
		if err != nil {
			return nil, err
		}
		r.ClientCertificate = c
	}
	return r, nil
}

func (s *tokenRequestShape) convert() (*fapi.TokenRequest, error) {
	if s == nil {
		return nil, nil
	}
	r := &fapi.TokenRequest{Params: fapi.Params(s.Params), BasicAuth: s.BasicAuth.convert(),
		DPoP: []string(s.DPoP), Method: s.Method, URL: s.URL}
	if a := s.Authorization; a != nil {
		r.Authorization = &fapi.AuthorizationRecord{ClientID: a.ClientID, RedirectURI: a.RedirectURI,
			CodeChallenge: a.CodeChallenge, CodeChallengeMethod: a.CodeChallengeMethod, Scope: a.Scope,
			IssuedAt: a.IssuedAt, DPoPJKT: a.DPoPJKT, CertificateThumbprint: a.CertificateThumbprint}
	}
	if f := s.Refresh; f != nil {
		r.Refresh = &fapi.RefreshRecord{ClientID: f.ClientID, Scope: f.Scope, ExpiresAt: f.ExpiresAt,
			DPoPJKT: f.DPoPJKT, CertificateThumbprint: f.CertificateThumbprint, RotatedAt: f.RotatedAt}
	}
	if s.ClientCertificate != "" {
		c, err := fapi.ParseCertificatePEM(s.ClientCertificate)
		if err != nil {
			return nil, err
		}
		r.ClientCertificate = c
	}
	return r, nil
}
