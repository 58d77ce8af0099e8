package server

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// SampleClientID is the client_id of the generated sample client.
const SampleClientID = "sample-client"

// SampleRedirectURI is the sample client's registered redirect URI.
const SampleRedirectURI = "https://client.example.org/cb"

// SampleClient is a client registration together with its private signing
// key, so that test tooling can sign request objects and client assertions
// as that client. The key is test material: it is printed in the clear.
type SampleClient struct {
	// Profile is the profile the client's requests are made for.
	Profile profile.Profile
	Client  fapi.Client
	// Key signs request objects and client assertions.
	Key crypto.Signer
	// KeyID is the kid of Key in the client's registered jwks.
	KeyID string
	// Alg is the algorithm Key signs with (PS256 or ES256).
	Alg string
}

// NewSampleClient generates a client for profile p: an RSA-2048 key
// registered as its jwks, private_key_jwt, PS256 for client assertions and
// ID tokens, scope "openid accounts", the code, refresh_token and
// client_credentials grants, certificate-bound access tokens, and what the
// profile asks of its requests: the hybrid response type "code id_token"
// and signed request objects under FAPI 1.0 ID2 read-write and Advanced,
// signed request objects and JARM (authorization_signed_response_alg
// PS256) under FAPI 2.0 Message Signing, "code" otherwise.
func NewSampleClient(p profile.Profile, clientID string) (*SampleClient, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("sample client key: %w", err)
	}
	kid := rsaThumbprint(&key.PublicKey)
	set, err := publicJWKS(&key.PublicKey, kid, "PS256")
	if err != nil {
		return nil, fmt.Errorf("sample client jwks: %w", err)
	}
	c := fapi.Client{
		ClientID:                              clientID,
		ClientType:                            "confidential",
		RedirectURIs:                          []string{SampleRedirectURI},
		TokenEndpointAuthMethod:               profile.AuthPrivateKeyJWT,
		JWKS:                                  set,
		ResponseTypes:                         []string{profile.ResponseTypeCode},
		GrantTypes:                            []string{fapi.GrantTypeAuthorizationCode, fapi.GrantTypeRefreshToken, fapi.GrantTypeClientCredentials},
		Scope:                                 "openid " + FAPIScope,
		TLSClientCertificateBoundAccessTokens: true,
		TokenEndpointAuthSigningAlg:           "PS256",
		IDTokenSignedResponseAlg:              "PS256",
	}
	switch p {
	case profile.FAPI1ReadWrite, profile.FAPI1Advanced:
		c.ResponseTypes = []string{profile.ResponseTypeCodeIDToken}
		c.RequestObjectSigningAlg = "PS256"
	case profile.FAPI2MessageSigning:
		c.RequestObjectSigningAlg = "PS256"
		c.AuthorizationSignedResponseAlg = "PS256"
	}
	return &SampleClient{Profile: p, Client: c, Key: key, KeyID: kid, Alg: "PS256"}, nil
}

// RegistrationJSON is the client's registration document, in the form the
// server's -clients file takes (ParseRegistrations).
func (c *SampleClient) RegistrationJSON() ([]byte, error) {
	return json.MarshalIndent(c.Client, "", "  ")
}

// NewSampleClientFromKey pairs a registered client with its private key
// (as ParsePrivateJWK reads it), for printing sample requests for a client
// loaded from a file. alg defaults to the client's
// request_object_signing_alg.
func NewSampleClientFromKey(p profile.Profile, c fapi.Client, key crypto.Signer, kid, alg string) (*SampleClient, error) {
	if alg == "" {
		alg = c.RequestObjectSigningAlg
	}
	switch key.(type) {
	case *rsa.PrivateKey:
		if alg != "PS256" {
			return nil, fmt.Errorf("an RSA key signs PS256 here, not %q", alg)
		}
	case *ecdsa.PrivateKey:
		if alg != "ES256" {
			return nil, fmt.Errorf("an EC key signs ES256 here, not %q", alg)
		}
	default:
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
	return &SampleClient{Profile: p, Client: c, Key: key, KeyID: kid, Alg: alg}, nil
}

// PrivateJWK returns the client's private key as a JWK. It is secret key
// material, for test tooling only.
func (c *SampleClient) PrivateJWK() ([]byte, error) {
	return MarshalPrivateJWK(c.Key, c.KeyID, c.Alg)
}

// SampleRequest is a ready-to-use authorization request.
type SampleRequest struct {
	// URL is the authorization request. By value: client_id,
	// response_type, scope and a signed request object holding every
	// parameter. Pushed (where the profile requires PAR): client_id alone,
	// to which the request_uri of the PAR response is appended.
	URL string
	// Pushed, for a pushed request, is the form body to POST to
	// PAREndpoint: the parameters (in a signed request object where the
	// profile signs requests) and a private_key_jwt client assertion.
	Pushed      url.Values
	PAREndpoint string
	// CodeVerifier is the PKCE verifier for the token request.
	CodeVerifier string
	State        string
	Nonce        string
	RedirectURI  string
	Scope        string
	ResponseType string
	// Expires is the exp of the request object and of the client
	// assertion.
	Expires time.Time
}

// AuthorizationRequest builds an authorization request of the client for
// its profile: the client's first response type and redirect URI, its
// registered scope, a fresh state, nonce and PKCE S256 challenge, and an
// essential acr claim. Under profiles that take requests by value the
// parameters are in a request object signed by the client's key, with
// client_id, response_type and scope repeated outside as OAuth 2.0
// requires; where PAR is required (FAPI 2.0) they go into the PAR body
// (in a request object under Message Signing, with response_mode jwt),
// with a client assertion whose audience is the issuer
// (FAPI2-SP-5.3.2.1-8). Objects are valid for lifetime from now.
func (c *SampleClient) AuthorizationRequest(issuer, authorizationEndpoint, parEndpoint string, now time.Time, lifetime time.Duration) (*SampleRequest, error) {
	if len(c.Client.RedirectURIs) == 0 {
		return nil, errors.New("the client has no redirect URI")
	}
	rt := profile.ResponseTypeCode
	if len(c.Client.ResponseTypes) > 0 {
		rt = c.Client.ResponseTypes[0]
	}
	sc := "openid " + FAPIScope
	if c.Client.Scope != "" {
		sc = c.Client.Scope
	}
	var fresh [4]string
	for i := range fresh {
		v, err := randomToken()
		if err != nil {
			return nil, err
		}
		fresh[i] = v
	}
	state, nonce, verifier, jti := fresh[0], fresh[1], fresh[2], fresh[3]
	sum := sha256.Sum256([]byte(verifier))
	exp := now.Add(lifetime)
	params := map[string]any{
		"client_id":             c.Client.ClientID,
		"response_type":         rt,
		"redirect_uri":          c.Client.RedirectURIs[0],
		"scope":                 sc,
		"state":                 state,
		"nonce":                 nonce,
		"code_challenge":        b64.EncodeToString(sum[:]),
		"code_challenge_method": "S256",
		"claims": map[string]any{
			"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{ACR}}},
		},
	}
	if c.Client.AuthorizationSignedResponseAlg != "" {
		params["response_mode"] = "jwt"
	}
	req := &SampleRequest{
		CodeVerifier: verifier,
		State:        state,
		Nonce:        nonce,
		RedirectURI:  c.Client.RedirectURIs[0],
		Scope:        sc,
		ResponseType: rt,
		Expires:      exp,
	}
	pushed := featuresOf(c.Profile).requirePAR
	signObject := !pushed || c.Client.RequestObjectSigningAlg != ""
	var obj string
	if signObject {
		claims := map[string]any{
			"iss": c.Client.ClientID,
			"aud": issuer,
			"iat": now.Unix(),
			"nbf": now.Unix(),
			"exp": exp.Unix(),
			"jti": jti,
		}
		for k, v := range params {
			claims[k] = v
		}
		payload, err := json.Marshal(claims)
		if err != nil {
			return nil, err
		}
		header := map[string]any{"typ": "oauth-authz-req+jwt"}
		if c.KeyID != "" {
			header["kid"] = c.KeyID
		}
		if obj, err = signJWS(c.Alg, c.Key, header, payload); err != nil {
			return nil, err
		}
	}
	sep := "?"
	if strings.Contains(authorizationEndpoint, "?") {
		sep = "&"
	}
	if !pushed {
		q := url.Values{
			"client_id":     {c.Client.ClientID},
			"response_type": {rt},
			"scope":         {sc},
			"request":       {obj},
		}
		req.URL = authorizationEndpoint + sep + q.Encode()
		return req, nil
	}
	assertion, err := c.ClientAssertion(issuer, now, lifetime)
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"client_assertion_type": {jwtBearer},
		"client_assertion":      {assertion},
	}
	if obj != "" {
		form.Set("client_id", c.Client.ClientID)
		form.Set("request", obj)
	} else {
		for k, v := range params {
			if s, ok := v.(string); ok {
				form.Set(k, s)
			} else {
				raw, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				form.Set(k, string(raw))
			}
		}
	}
	req.Pushed, req.PAREndpoint = form, parEndpoint
	req.URL = authorizationEndpoint + sep + url.Values{"client_id": {c.Client.ClientID}}.Encode() + "&request_uri="
	return req, nil
}

// jwtBearer is the client_assertion_type of private_key_jwt (RFC 7523
// §2.2).
const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// ClientAssertion signs a private_key_jwt client assertion (RFC 7523 §3,
// OIDC Core §9) of the client for the audience aud, valid for lifetime
// from now, with a fresh jti.
func (c *SampleClient) ClientAssertion(aud string, now time.Time, lifetime time.Duration) (string, error) {
	jti, err := randomToken()
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(map[string]any{
		"iss": c.Client.ClientID, "sub": c.Client.ClientID, "aud": aud,
		"iat": now.Unix(), "exp": now.Add(lifetime).Unix(), "jti": jti,
	})
	if err != nil {
		return "", err
	}
	header := map[string]any{}
	if c.KeyID != "" {
		header["kid"] = c.KeyID
	}
	return signJWS(c.Alg, c.Key, header, payload)
}
