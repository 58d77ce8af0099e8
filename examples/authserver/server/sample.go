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
	Client fapi.Client
	// Key signs request objects and client assertions.
	Key crypto.Signer
	// KeyID is the kid of Key in the client's registered jwks.
	KeyID string
	// Alg is the algorithm Key signs with (PS256 or ES256).
	Alg string
}

// NewSampleClient generates a read-and-write client: an RSA-2048 key
// registered as its jwks, private_key_jwt, PS256 for request objects,
// client assertions and ID tokens, response type "code id_token" and
// certificate-bound access tokens.
func NewSampleClient(clientID string) (*SampleClient, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("sample client key: %w", err)
	}
	kid := rsaThumbprint(&key.PublicKey)
	set, err := publicJWKS(&key.PublicKey, kid, "PS256")
	if err != nil {
		return nil, fmt.Errorf("sample client jwks: %w", err)
	}
	return &SampleClient{
		Client: fapi.Client{
			ClientID:                              clientID,
			ClientType:                            "confidential",
			RedirectURIs:                          []string{SampleRedirectURI},
			TokenEndpointAuthMethod:               profile.AuthPrivateKeyJWT,
			JWKS:                                  set,
			ResponseTypes:                         []string{profile.ResponseTypeCodeIDToken},
			GrantTypes:                            []string{fapi.GrantTypeAuthorizationCode},
			TLSClientCertificateBoundAccessTokens: true,
			RequestObjectSigningAlg:               "PS256",
			TokenEndpointAuthSigningAlg:           "PS256",
			IDTokenSignedResponseAlg:              "PS256",
		},
		Key:   key,
		KeyID: kid,
		Alg:   "PS256",
	}, nil
}

// NewSampleClientFromKey pairs a registered client with its private key
// (as ParsePrivateJWK reads it), for printing sample requests for a client
// loaded from a file. alg defaults to the client's
// request_object_signing_alg.
func NewSampleClientFromKey(c fapi.Client, key crypto.Signer, kid, alg string) (*SampleClient, error) {
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
	return &SampleClient{Client: c, Key: key, KeyID: kid, Alg: alg}, nil
}

// PrivateJWK returns the client's private key as a JWK. It is secret key
// material, for test tooling only.
func (c *SampleClient) PrivateJWK() ([]byte, error) {
	return MarshalPrivateJWK(c.Key, c.KeyID, c.Alg)
}

// SampleRequest is a ready-to-use authorization request.
type SampleRequest struct {
	// URL is the authorization request: client_id, response_type, scope
	// and a signed request object holding every parameter.
	URL string
	// CodeVerifier is the PKCE verifier for the token request.
	CodeVerifier string
	State        string
	Nonce        string
	RedirectURI  string
	Scope        string
	ResponseType string
	// Expires is the exp of the request object.
	Expires time.Time
}

// AuthorizationRequest builds an authorization request for the client with
// a request object signed by its key: the client's first response type
// and redirect URI, its registered scope (or "openid payments"), a fresh
// state, nonce and PKCE S256 challenge, and an essential acr claim. All
// parameters are inside the object; client_id, response_type and scope
// are repeated outside as OAuth 2.0 requires. The object is valid for
// lifetime from now.
func (c *SampleClient) AuthorizationRequest(issuer, authorizationEndpoint string, now time.Time, lifetime time.Duration) (*SampleRequest, error) {
	if len(c.Client.RedirectURIs) == 0 {
		return nil, errors.New("the client has no redirect URI")
	}
	rt := profile.ResponseTypeCode
	if len(c.Client.ResponseTypes) > 0 {
		rt = c.Client.ResponseTypes[0]
	}
	sc := "openid payments"
	if c.Client.Scope != "" {
		sc = c.Client.Scope
	}
	state, err := randomToken()
	if err != nil {
		return nil, err
	}
	nonce, err := randomToken()
	if err != nil {
		return nil, err
	}
	verifier, err := randomToken()
	if err != nil {
		return nil, err
	}
	jti, err := randomToken()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(verifier))
	exp := now.Add(lifetime)
	claims := map[string]any{
		"iss":                   c.Client.ClientID,
		"aud":                   issuer,
		"iat":                   now.Unix(),
		"nbf":                   now.Unix(),
		"exp":                   exp.Unix(),
		"jti":                   jti,
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
	payload, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	header := map[string]any{}
	if c.KeyID != "" {
		header["kid"] = c.KeyID
	}
	obj, err := signJWS(c.Alg, c.Key, header, payload)
	if err != nil {
		return nil, err
	}
	q := url.Values{
		"client_id":     {c.Client.ClientID},
		"response_type": {rt},
		"scope":         {sc},
		"request":       {obj},
	}
	sep := "?"
	if strings.Contains(authorizationEndpoint, "?") {
		sep = "&"
	}
	return &SampleRequest{
		URL:          authorizationEndpoint + sep + q.Encode(),
		CodeVerifier: verifier,
		State:        state,
		Nonce:        nonce,
		RedirectURI:  c.Client.RedirectURIs[0],
		Scope:        sc,
		ResponseType: rt,
		Expires:      exp,
	}, nil
}
