package fapitest

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// Client is a registered client as the test kit acts for it: its
// client_id, redirect URI and keys.
type Client struct {
	// ID is the client_id.
	ID string
	// RedirectURI is the registered redirect URI the requests use.
	RedirectURI string
	// Key signs the client's request objects and its private_key_jwt
	// client assertions; its public key is the registration's jwks.
	Key *Key
	// Certificate is the client's TLS client certificate, sent with its
	// token requests, to which its tokens are bound (RFC 8705 §3), or nil.
	Certificate *x509.Certificate
	// DPoPKey, when set, makes the client's tokens DPoP-bound (RFC 9449):
	// its pushed authorization and token requests carry proofs signed with
	// it, and the Certificate binds nothing.
	DPoPKey *Key
}

// Flow builds the requests of one authorization code flow of a client at
// a service under a FAPI profile, at a given time: the pushed
// authorization request (when the flow uses PAR), the authorization
// request and the token request, and the Variants that each break one
// rule of the profile. Every call signs afresh (new jti values).
//
// The requests follow the profile: a plain request with PKCE under the
// FAPI 1.0 read-only and Baseline profiles; a request object by value
// with the essential acr claim (FAPI 1.0 ID2 read-write) or nbf and exp
// (FAPI 1.0 Advanced), pushed with PKCE when UsePAR is set; a pushed
// request with PKCE under the FAPI 2.0 Security Profile, its parameters in
// a typed request object under Message Signing. Client authentication is
// private_key_jwt, with the token endpoint as audience under FAPI 1.0 and
// the issuer under FAPI 2.0 (FAPI2-SP-5.3.2.1-8).
type Flow struct {
	// Profile is the FAPI profile the requests are built for.
	Profile profile.Profile
	// Service is the authorization server: its issuer, endpoints and, for
	// the acr request of FAPI 1.0 ID2, its acr_values_supported.
	Service *fapi.Service
	// Client is the client that sends the requests.
	Client Client
	// Scope is the scope requested, which must select Profile at the
	// service; "" means "openid" and the scope NewService defines for the
	// profile.
	Scope string
	// Now is the time the requests are made at.
	Now time.Time
	// UsePAR sends a FAPI 1.0 Advanced request through the PAR endpoint
	// (RFC 9126), with PKCE (FAPI1-ADV-5.2.2-18). FAPI 2.0 flows always
	// use PAR; other FAPI 1.0 profiles never do here.
	UsePAR bool
	// DPoPNonce, when set, is the server's DPoP nonce (RFC 9449 §8), the
	// value of its DPoP-Nonce header: every DPoP proof of the flow carries
	// it as its nonce claim, and Variants adds a proof with another nonce
	// (dpop.nonce_invalid) and, when the Service's RequireDPoPNonce is set,
	// one without (dpop.nonce_missing). The requests then pass only a
	// fapi.Checker given the server's nonce source (fapi.WithDPoPNonces).
	DPoPNonce string
}

// Verifier is the PKCE code_verifier of every flow (RFC 7636 §4.1); the
// code_challenge is its S256 hash.
const Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// Code is the authorization code the token requests redeem.
const Code = "SplxlOBeZQQYbYS6WxSbIA"

// RequestURI is the request_uri a pushed authorization request is taken
// to have been issued (RFC 9126 §2.2).
const RequestURI = "urn:ietf:params:oauth:request_uri:fapitest-6esc_11ACC5bwc014ltc"

// State and Nonce are the state (RFC 6749 §4.1.1) and nonce (OIDC Core
// §3.1.2.1) of every flow; FAPI 2.0 Security Profile flows send no nonce.
const (
	State = "af0ifjsldkj"
	Nonce = "n-0S6_WzA2Mj"
)

// JWTBearer is the client_assertion_type of private_key_jwt (RFC 7523
// §2.2).
const JWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Step names the request of a flow a Variant changes, as a case file
// names it (docs/DESIGN.md).
type Step string

// The steps of a flow.
const (
	StepPushed        Step = "pushed_authorization_request"
	StepAuthorization Step = "authorization_request"
	StepToken         Step = "token_request"
)

// pkceChallenge is the S256 challenge of Verifier (RFC 7636 §4.2).
func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return b64(sum[:])
}

func (f *Flow) fapi2() bool {
	return f.Profile == profile.FAPI2Security || f.Profile == profile.FAPI2MessageSigning
}

// hasObject reports whether the flow's authorization parameters travel in
// a request object.
func (f *Flow) hasObject() bool {
	switch f.Profile {
	case profile.FAPI1ReadWrite, profile.FAPI1Advanced, profile.FAPI2MessageSigning:
		return true
	}
	return false
}

// pushed reports whether the flow uses the PAR endpoint.
func (f *Flow) pushed() bool {
	return f.fapi2() || (f.Profile == profile.FAPI1Advanced && f.UsePAR)
}

// pkce reports whether the flow's requests carry PKCE.
func (f *Flow) pkce() bool {
	switch f.Profile {
	case profile.FAPI1ReadWrite:
		return false
	case profile.FAPI1Advanced:
		return f.UsePAR
	}
	return true
}

func (f *Flow) hybrid() bool {
	return f.Profile == profile.FAPI1ReadWrite || f.Profile == profile.FAPI1Advanced
}

func (f *Flow) responseType() string {
	if f.hybrid() {
		return "code id_token"
	}
	return "code"
}

func (f *Flow) scope() string {
	if f.Scope != "" {
		return f.Scope
	}
	return "openid " + ProfileScope(f.Profile)
}

func (f *Flow) check() error {
	switch {
	case f.Service == nil:
		return errors.New("fapitest: Flow.Service is nil")
	case f.Client.ID == "":
		return errors.New("fapitest: Flow.Client.ID is empty")
	case f.Client.Key == nil:
		return errors.New("fapitest: Flow.Client.Key is nil (private_key_jwt needs it)")
	case f.Client.RedirectURI == "":
		return errors.New("fapitest: Flow.Client.RedirectURI is empty")
	case f.Now.IsZero():
		return errors.New("fapitest: Flow.Now is zero")
	}
	switch f.Profile {
	case profile.FAPI1ReadOnly, profile.FAPI1ReadWrite, profile.FAPI1Baseline, profile.FAPI1Advanced, profile.FAPI2Security, profile.FAPI2MessageSigning:
		return nil
	}
	return fmt.Errorf("fapitest: %q is not a FAPI profile", f.Profile)
}

// Registration returns the client's registration for the flow (RFC 7591,
// OIDC Registration): confidential, private_key_jwt with the Key's
// algorithm, the Key (and the DPoP-less Certificate's binding) published,
// the profile's response type, and the request object algorithm where
// the profile signs requests.
func (f *Flow) Registration() (fapi.Client, error) {
	if err := f.check(); err != nil {
		return fapi.Client{}, err
	}
	set, err := PublicJWKS(f.Client.Key)
	if err != nil {
		return fapi.Client{}, err
	}
	c := fapi.Client{
		ClientID:                    f.Client.ID,
		ClientType:                  "confidential",
		RedirectURIs:                []string{f.Client.RedirectURI},
		TokenEndpointAuthMethod:     "private_key_jwt",
		JWKS:                        set,
		ResponseTypes:               []string{f.responseType()},
		Scope:                       f.scope(),
		TokenEndpointAuthSigningAlg: f.Client.Key.Alg,
	}
	if f.hasObject() {
		c.RequestObjectSigningAlg = f.Client.Key.Alg
	}
	c.IDTokenSignedResponseAlg = "PS256"
	if f.Client.DPoPKey != nil {
		c.DPoPBoundAccessTokens = true
	} else if f.Client.Certificate != nil {
		c.TLSClientCertificateBoundAccessTokens = true
	}
	return c, nil
}

// PreparedClient is Registration prepared for the checks of package fapi.
func (f *Flow) PreparedClient() (*fapi.PreparedClient, error) {
	c, err := f.Registration()
	if err != nil {
		return nil, err
	}
	return fapi.PrepareClient(c), nil
}

// tweak changes one part of a flow, to build a Variant.
type tweak struct {
	params     func(map[string]string)                   // the authorization parameters
	object     func(c Claims) Claims                     // the request object's claims
	signObject func(f *Flow, c Claims) (string, error)   // replaces the request object's signing
	assertion  func(c Claims) Claims                     // the token request's client assertion
	signAssert func(f *Flow, c Claims) (string, error)   // replaces its signing
	proof      func(c Claims) Claims                     // the token request's DPoP proof
	proofKey   func(f *Flow) (*Key, error)               // replaces its key
	token      func(f *Flow, r *fapi.TokenRequest) error // the token request itself
}

// authParams are the authorization parameters of the flow (RFC 6749
// §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3).
func (f *Flow) authParams(t *tweak) (map[string]string, error) {
	p := map[string]string{
		"client_id":     f.Client.ID,
		"response_type": f.responseType(),
		"redirect_uri":  f.Client.RedirectURI,
		"scope":         f.scope(),
		"state":         State,
	}
	if f.Profile != profile.FAPI2Security {
		p["nonce"] = Nonce
	}
	if f.pkce() {
		p["code_challenge"] = pkceChallenge(Verifier)
		p["code_challenge_method"] = "S256"
	}
	if f.Profile == profile.FAPI1ReadWrite {
		acr := map[string]any{"essential": true}
		if vals := f.Service.AcrValuesSupported; len(vals) > 0 {
			acr["values"] = vals[:1]
		}
		b, err := json.Marshal(map[string]any{"id_token": map[string]any{"acr": acr}})
		if err != nil {
			return nil, err
		}
		p["claims"] = string(b)
	}
	if t.params != nil {
		t.params(p)
	}
	return p, nil
}

// requestObject signs the flow's request object of params.
func (f *Flow) requestObject(params map[string]string, t *tweak) (string, error) {
	claims, err := RequestObjectClaims(f.Service.Issuer, f.Client.ID, params, f.Now)
	if err != nil {
		return "", err
	}
	if t.object != nil {
		claims = t.object(claims)
	}
	if t.signObject != nil {
		return t.signObject(f, claims)
	}
	return RequestObject(f.Client.Key, claims)
}

// assertion signs a client assertion for aud.
func (f *Flow) assertion(aud string, t *tweak) (string, error) {
	claims := ClientAssertionClaims(f.Client.ID, aud, f.Now)
	if t != nil && t.assertion != nil {
		claims = t.assertion(claims)
	}
	if t != nil && t.signAssert != nil {
		return t.signAssert(f, claims)
	}
	return ClientAssertion(f.Client.Key, claims)
}

func (f *Flow) parEndpoint() string {
	if f.Service.PushedAuthorizationRequestEndpoint != "" {
		return f.Service.PushedAuthorizationRequestEndpoint
	}
	return f.Service.Issuer + "/par"
}

func (f *Flow) tokenEndpoint() string {
	if f.Service.TokenEndpoint != "" {
		return f.Service.TokenEndpoint
	}
	return f.Service.Issuer + "/token"
}

// front is the flow's first request with its parameters: the pushed
// authorization request, or the authorization request when the flow does
// not push.
type front struct {
	par    *fapi.PushedAuthorizationRequest
	auth   *fapi.AuthorizationRequest
	params map[string]string // the authorization parameters, as a PAR endpoint stores them
}

func (f *Flow) front(t *tweak) (*front, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	params, err := f.authParams(t)
	if err != nil {
		return nil, err
	}
	sent := fapi.Params{}
	stored := params
	if f.hasObject() {
		obj, err := f.requestObject(params, t)
		if err != nil {
			return nil, err
		}
		sent["client_id"] = []string{f.Client.ID}
		sent["request"] = []string{obj}
		if !f.pushed() {
			// OIDC Core §6.1: response_type, client_id and scope are sent
			// outside the object too.
			sent["response_type"] = []string{params["response_type"]}
			sent["scope"] = []string{params["scope"]}
		}
	} else {
		for k, v := range params {
			sent[k] = []string{v}
		}
	}
	if !f.pushed() {
		return &front{auth: &fapi.AuthorizationRequest{Params: sent}, params: stored}, nil
	}
	aud := f.Service.Issuer
	a, err := f.assertion(aud, nil)
	if err != nil {
		return nil, err
	}
	sent["client_assertion_type"] = []string{JWTBearer}
	sent["client_assertion"] = []string{a}
	par := &fapi.PushedAuthorizationRequest{Params: sent}
	if f.Client.DPoPKey != nil {
		p, err := DPoPProof(f.Client.DPoPKey, f.dpopClaims(f.parEndpoint()))
		if err != nil {
			return nil, err
		}
		par.DPoP = []string{p}
	} else if f.Client.Certificate != nil {
		par.ClientCertificate = f.Client.Certificate
	}
	return &front{par: par, params: stored}, nil
}

// PushedAuthorization returns the flow's pushed authorization request
// (RFC 9126 §2.1): the authorization parameters (in a request object
// under Message Signing and FAPI 1.0 Advanced), a private_key_jwt
// assertion with the issuer as audience, and the client's certificate or a
// DPoP proof for the PAR endpoint. A flow that does not push returns an
// error.
func (f *Flow) PushedAuthorization() (*fapi.PushedAuthorizationRequest, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if !f.pushed() {
		return nil, fmt.Errorf("fapitest: a %s flow does not use PAR", f.Profile)
	}
	fr, err := f.front(&tweak{})
	if err != nil {
		return nil, err
	}
	return fr.par, nil
}

// Authorization returns the flow's authorization request: by value, or,
// when the flow pushes, the request_uri RequestURI with the record a PAR
// endpoint stores for it (RFC 9126 §2.2): the client, an expiry
// (the service's request_uri_lifetime, 60 s by default) and the
// authorization parameters.
func (f *Flow) Authorization() (*fapi.AuthorizationRequest, error) {
	fr, err := f.front(&tweak{})
	if err != nil {
		return nil, err
	}
	if !f.pushed() {
		return fr.auth, nil
	}
	life := f.Service.RequestURILifetime.Duration()
	if life == 0 {
		life = time.Minute
	}
	rec := &fapi.PushedRecord{ClientID: f.Client.ID, ExpiresAt: f.Now.Add(life), Params: fr.params}
	if f.Client.DPoPKey != nil {
		jkt, err := f.Client.DPoPKey.Thumbprint()
		if err != nil {
			return nil, err
		}
		rec.DPoPJKT = jkt
		// The PAR endpoint stores the proof's key as dpop_jkt (RFC 9449
		// §10.1).
		rec.Params = make(map[string]string, len(fr.params)+1)
		for k, v := range fr.params {
			rec.Params[k] = v
		}
		rec.Params["dpop_jkt"] = jkt
	}
	return &fapi.AuthorizationRequest{
		Params: fapi.Params{"client_id": {f.Client.ID}, "request_uri": {RequestURI}},
		Pushed: rec,
	}, nil
}

// Token returns the flow's token request (RFC 6749 §4.1.3): the code, the
// redirect URI and the PKCE code_verifier, a private_key_jwt assertion,
// the client's certificate or a DPoP proof for the token endpoint, and the
// record of the code as the server stored it (issued ten seconds ago under
// FAPI 2.0, FAPI2-SP-5.3.2.1-11, and bound to the certificate or DPoP
// key).
func (f *Flow) Token() (*fapi.TokenRequest, error) { return f.token(&tweak{}) }

func (f *Flow) token(t *tweak) (*fapi.TokenRequest, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	aud := f.tokenEndpoint()
	if f.fapi2() {
		aud = f.Service.Issuer
	}
	a, err := f.assertion(aud, t)
	if err != nil {
		return nil, err
	}
	params := fapi.Params{
		"grant_type":            {"authorization_code"},
		"code":                  {Code},
		"redirect_uri":          {f.Client.RedirectURI},
		"client_assertion_type": {JWTBearer},
		"client_assertion":      {a},
	}
	rec := &fapi.AuthorizationRecord{ClientID: f.Client.ID, RedirectURI: f.Client.RedirectURI, Scope: f.scope()}
	if f.pkce() {
		params["code_verifier"] = []string{Verifier}
		rec.CodeChallenge, rec.CodeChallengeMethod = pkceChallenge(Verifier), "S256"
	}
	if f.fapi2() {
		rec.IssuedAt = f.Now.Add(-10 * time.Second)
	}
	r := &fapi.TokenRequest{Params: params, Authorization: rec}
	if f.Client.DPoPKey != nil {
		jkt, err := f.Client.DPoPKey.Thumbprint()
		if err != nil {
			return nil, err
		}
		rec.DPoPJKT = jkt
		key := f.Client.DPoPKey
		if t.proofKey != nil {
			if key, err = t.proofKey(f); err != nil {
				return nil, err
			}
		}
		claims := f.dpopClaims(f.tokenEndpoint())
		if t.proof != nil {
			claims = t.proof(claims)
		}
		p, err := DPoPProof(key, claims)
		if err != nil {
			return nil, err
		}
		r.DPoP = []string{p}
	} else if f.Client.Certificate != nil {
		r.ClientCertificate = f.Client.Certificate
		if f.fapi2() {
			rec.CertificateThumbprint = mtls.Thumbprint(f.Client.Certificate)
		}
	}
	if t.token != nil {
		if err := t.token(f, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// dpopClaims are the claims of the flow's DPoP proof for a POST to url,
// with the server's nonce when the flow has one (RFC 9449 §4.2, §8).
func (f *Flow) dpopClaims(url string) Claims {
	c := DPoPClaims("POST", url, f.Now)
	if f.DPoPNonce != "" {
		c = c.With("nonce", f.DPoPNonce)
	}
	return c
}

// ProfileScope returns the name of the scope NewService defines to select
// p: "accounts" (fapi=r: FAPI 1.0 read-only or Baseline), "payments"
// (fapi=rw: read-write or Advanced), "sp" (fapi2=sp) or "msreq"
// (fapi2=ms-authreq); "" for anything else.
func ProfileScope(p profile.Profile) string {
	switch p {
	case profile.FAPI1ReadOnly, profile.FAPI1Baseline:
		return "accounts"
	case profile.FAPI1ReadWrite, profile.FAPI1Advanced:
		return "payments"
	case profile.FAPI2Security:
		return "sp"
	case profile.FAPI2MessageSigning:
		return "msreq"
	}
	return ""
}

// NewService returns the configuration of an authorization server at
// issuer that passes fapi.CheckService under p, with the endpoints
// issuer+"/authorize", "/token" and "/par", and the scopes openid and
// ProfileScope(p) with the attribute that selects p (docs/DESIGN.md §3,
// "Profiles and how one is chosen"): a FAPI 1.0 ID2 service for read-only and
// read-write, a FAPI 1.0 Final one for Baseline and Advanced (with PAR and
// JARM), a FAPI 2.0 one for the Security Profile and Message Signing
// (PAR required, mTLS and DPoP binding, the iss response parameter).
func NewService(p profile.Profile, issuer string) (*fapi.Service, error) {
	attr := func(key, value string) []scope.Definition {
		return []scope.Definition{{Name: "openid"}, {Name: ProfileScope(p), Attributes: []scope.Attribute{{Key: key, Value: value}}}}
	}
	svc := &fapi.Service{
		Issuer:                                issuer,
		AuthorizationEndpoint:                 issuer + "/authorize",
		TokenEndpoint:                         issuer + "/token",
		SupportedServiceProfiles:              []string{"fapi"},
		CodeChallengeMethodsSupported:         []string{"S256"},
		TLSClientCertificateBoundAccessTokens: true,
	}
	switch p {
	case profile.FAPI1ReadOnly, profile.FAPI1ReadWrite:
		svc.FAPIVersion = "1.0-id2"
		svc.Scopes = attr("fapi", map[profile.Profile]string{profile.FAPI1ReadOnly: "r", profile.FAPI1ReadWrite: "rw"}[p])
		svc.TokenEndpointAuthMethodsSupported = []string{"private_key_jwt", "tls_client_auth"}
		svc.ResponseTypesSupported = []string{"code id_token", "code"}
		svc.AcrValuesSupported = []string{"urn:openbanking:psd2:sca"}
	case profile.FAPI1Baseline, profile.FAPI1Advanced:
		svc.FAPIVersion = "1.0-final"
		svc.Scopes = attr("fapi", map[profile.Profile]string{profile.FAPI1Baseline: "r", profile.FAPI1Advanced: "rw"}[p])
		svc.PushedAuthorizationRequestEndpoint = issuer + "/par"
		svc.TokenEndpointAuthMethodsSupported = []string{"private_key_jwt", "tls_client_auth"}
		svc.ResponseTypesSupported = []string{"code id_token", "code"}
		svc.ResponseModesSupported = []string{"fragment", "form_post", "jwt"}
		svc.RequestParameterSupported = true
		svc.IDTokenSigningAlgValuesSupported = []string{"PS256", "ES256"}
		svc.RequestObjectSigningAlgValuesSupported = []string{"PS256", "ES256"}
		svc.TokenEndpointAuthSigningAlgValuesSupported = []string{"PS256", "ES256"}
		svc.AuthorizationSigningAlgValuesSupported = []string{"PS256"}
	case profile.FAPI2Security, profile.FAPI2MessageSigning:
		value := "sp"
		if p == profile.FAPI2MessageSigning {
			value = "ms-authreq"
			svc.RequireSignedRequestObject = true
			svc.RequestParameterSupported = true
			svc.RequestObjectSigningAlgValuesSupported = []string{"PS256", "ES256"}
		}
		svc.Scopes = attr("fapi2", value)
		svc.PushedAuthorizationRequestEndpoint = issuer + "/par"
		svc.RequirePushedAuthorizationRequests = true
		svc.TokenEndpointAuthMethodsSupported = []string{"private_key_jwt", "tls_client_auth"}
		svc.ResponseTypesSupported = []string{"code"}
		svc.ResponseModesSupported = []string{"query", "jwt"}
		svc.DPoPSigningAlgValuesSupported = []string{"ES256", "PS256"}
		svc.AuthorizationResponseIssParameterSupported = true
		svc.GrantTypesSupported = []string{"authorization_code", "refresh_token"}
		svc.AuthorizationCodeLifetime = 60
		svc.RequestURILifetime = 90
		svc.IDTokenSigningAlgValuesSupported = []string{"PS256", "ES256"}
	default:
		return nil, fmt.Errorf("fapitest: %q is not a FAPI profile", p)
	}
	return svc, nil
}
