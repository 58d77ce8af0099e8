package fapi

import (
	"encoding/json"
	"math"
	"time"

	"github.com/fapicheck/fapicheck/scope"
)

// DefaultClockSkew is the clock skew used when Service.ClockSkew is 0: how
// far in the future an iat or nbf may be (docs/DESIGN.md, "Clock skew";
// FAPI2-SP-5.3.2.1-13 requires accepting at least 10 s).
const DefaultClockSkew = 10 * time.Second

// MaxClockSkew is the largest clock skew accepted: FAPI2-SP-5.3.2.1-13
// requires rejecting iat/nbf more than 60 s in the future.
const MaxClockSkew = 60 * time.Second

// Service is an authorization server's configuration. Member names are the
// OAuth 2.0 / OpenID Connect discovery metadata names (RFC 8414, OIDC
// Discovery), plus the FAPI settings of docs/DESIGN.md. Absent metadata takes its
// standard default.
type Service struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	TokenEndpoint         string `json:"token_endpoint,omitempty"`
	// MTLSEndpointAliases are the endpoints' mTLS addresses (RFC 8705 §5);
	// a client assertion may name the token_endpoint alias as its aud.
	MTLSEndpointAliases map[string]string `json:"mtls_endpoint_aliases,omitempty"`

	// SupportedServiceProfiles must list "fapi" for any FAPI rule to apply.
	SupportedServiceProfiles []string `json:"supported_service_profiles,omitempty"`
	// FAPIVersion is "1.0-id2" or "1.0-final" (the default): which FAPI 1.0
	// profiles the fapi=r and fapi=rw scope attributes select.
	FAPIVersion string `json:"fapi_version,omitempty"`
	// FAPIModes are static modes that apply to every request.
	FAPIModes []string `json:"fapi_modes,omitempty"`
	// Scopes are the scopes the service defines, with their attributes.
	Scopes []scope.Definition `json:"scopes,omitempty"`

	// TokenEndpointAuthMethodsSupported defaults to
	// ["client_secret_basic"] (RFC 8414 §2).
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	ResponseTypesSupported            []string `json:"response_types_supported,omitempty"`
	ResponseModesSupported            []string `json:"response_modes_supported,omitempty"`
	AcrValuesSupported                []string `json:"acr_values_supported,omitempty"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported,omitempty"`
	// TLSClientCertificateBoundAccessTokens is RFC 8705 §3.3's metadata.
	TLSClientCertificateBoundAccessTokens bool `json:"tls_client_certificate_bound_access_tokens,omitempty"`

	// NbfOptional lets FAPI 1.0 Final requests omit nbf while ID2 clients
	// migrate; what it waives is still reported (Report.Waived).
	NbfOptional bool `json:"nbf_optional,omitempty"`
	// ClockSkew is how far in the future iat and nbf may be; 0 means
	// DefaultClockSkew, and more than MaxClockSkew is refused.
	ClockSkew Seconds `json:"clock_skew,omitempty"`
	// MaxRequestObjectSize is the size limit, in bytes, of request objects,
	// client assertions and DPoP proofs; 0 means 64 KiB.
	MaxRequestObjectSize int `json:"max_request_object_size,omitempty"`

	// PushedAuthorizationRequestEndpoint and RequirePushedAuthorizationRequests
	// are RFC 9126 §5's metadata.
	PushedAuthorizationRequestEndpoint string `json:"pushed_authorization_request_endpoint,omitempty"`
	RequirePushedAuthorizationRequests bool   `json:"require_pushed_authorization_requests,omitempty"`
	// AllowUnregisteredRedirectURIs lets a client authenticated at the PAR
	// endpoint use a redirect URI it did not register, under FAPI 2.0 only
	// (RFC 9126 §2.4). Off by default: unregistered URIs are refused.
	AllowUnregisteredRedirectURIs bool `json:"allow_unregistered_redirect_uris,omitempty"`
	// AuthorizationResponseIssParameterSupported is RFC 9207 §3's metadata.
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported,omitempty"`
	// RequestParameterSupported is OIDC Discovery's metadata (default
	// false); RequireSignedRequestObject is RFC 9101 §10.5's.
	RequestParameterSupported  bool `json:"request_parameter_supported,omitempty"`
	RequireSignedRequestObject bool `json:"require_signed_request_object,omitempty"`
	// DPoPSigningAlgValuesSupported is RFC 9449 §5.1's metadata; a
	// non-empty list means the service issues DPoP-bound tokens.
	DPoPSigningAlgValuesSupported []string `json:"dpop_signing_alg_values_supported,omitempty"`
	// The JWS and JWE algorithm lists of discovery metadata.
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported,omitempty"`
	RequestObjectSigningAlgValuesSupported     []string `json:"request_object_signing_alg_values_supported,omitempty"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	UserinfoSigningAlgValuesSupported          []string `json:"userinfo_signing_alg_values_supported,omitempty"`
	AuthorizationSigningAlgValuesSupported     []string `json:"authorization_signing_alg_values_supported,omitempty"`
	IDTokenEncryptionAlgValuesSupported        []string `json:"id_token_encryption_alg_values_supported,omitempty"`
	RequestObjectEncryptionAlgValuesSupported  []string `json:"request_object_encryption_alg_values_supported,omitempty"`
	UserinfoEncryptionAlgValuesSupported       []string `json:"userinfo_encryption_alg_values_supported,omitempty"`
	AuthorizationEncryptionAlgValuesSupported  []string `json:"authorization_encryption_alg_values_supported,omitempty"`
	// GrantTypesSupported defaults to ["authorization_code", "implicit"]
	// (RFC 8414 §2).
	GrantTypesSupported []string `json:"grant_types_supported,omitempty"`
	// AuthorizationCodeLifetime and RequestURILifetime are the lifetimes
	// the service gives codes and PAR request_uris.
	AuthorizationCodeLifetime Seconds `json:"authorization_code_lifetime,omitempty"`
	RequestURILifetime        Seconds `json:"request_uri_lifetime,omitempty"`
	// RefreshTokenRotation says the service issues a new refresh token on
	// every refresh_token grant and invalidates the one presented (RFC
	// 6749 §6; RFC 9700 §4.14.2). RefreshTokenReuseInterval is how long a
	// rotated refresh token still works, so that a client that never
	// received the new one can retry (FAPI2-SP-5.3.2.1-9 allows rotation
	// only with such a retry). Library settings, not RFC 8414 metadata.
	RefreshTokenRotation      bool    `json:"refresh_token_rotation,omitempty"`
	RefreshTokenReuseInterval Seconds `json:"refresh_token_reuse_interval,omitempty"`
	// RequireDPoPNonce refuses, at the PAR and token endpoints and at the
	// resource, a DPoP proof without the server's nonce
	// (dpop.nonce_missing, answered with use_dpop_nonce and a fresh nonce;
	// RFC 9449 §8, §9). It is a setting of this library, not RFC 8414
	// metadata. The nonces come from the source given to NewChecker with
	// WithDPoPNonces: a service that requires nonces without a source is a
	// configuration violation (service.dpop_nonce_source_missing) and every
	// request with a DPoP proof is then refused. The package Check…
	// functions have no source.
	RequireDPoPNonce bool `json:"require_dpop_nonce,omitempty"`
}

// Seconds is a duration written in JSON as a number of seconds.
type Seconds int64

// Duration returns s as a time.Duration.
func (s Seconds) Duration() time.Duration {
	// Saturating: a huge number of seconds must not wrap into a short or
	// negative duration.
	const maxSeconds = Seconds(math.MaxInt64 / int64(time.Second))
	switch {
	case s > maxSeconds:
		return math.MaxInt64
	case s < -maxSeconds:
		return math.MinInt64
	}
	return time.Duration(s) * time.Second
}

// Client is a client's registration. Member names are the dynamic
// registration metadata names (RFC 7591, OIDC Registration, RFC 8705, JARM).
// Absent metadata takes its standard default.
type Client struct {
	ClientID string `json:"client_id"`
	// ClientType is "confidential" or "public"; when empty it follows from
	// the authentication method ("none" means public).
	ClientType   string   `json:"client_type,omitempty"`
	ClientSecret string   `json:"client_secret,omitempty"`
	RedirectURIs []string `json:"redirect_uris,omitempty"`
	// TokenEndpointAuthMethod defaults to "client_secret_basic" (RFC 7591
	// §2).
	TokenEndpointAuthMethod string `json:"token_endpoint_auth_method,omitempty"`
	// JWKS is the client's JWK Set, or the resolved content of its jwks_uri
	// (the library never fetches).
	JWKS    json.RawMessage `json:"jwks,omitempty"`
	JWKSURI string          `json:"jwks_uri,omitempty"`
	// ApplicationType is "web" (the default) or "native" (OIDC Registration
	// §2). Only native clients may use http redirect URIs on a loopback IP
	// literal, with any port (RFC 8252 §7.3; FAPI2-SP-5.3.2.2-8).
	ApplicationType string `json:"application_type,omitempty"`
	// ResponseTypes defaults to ["code"] (OIDC Registration §2).
	ResponseTypes []string `json:"response_types,omitempty"`
	GrantTypes    []string `json:"grant_types,omitempty"`
	// Scope is the space-separated list of scopes the client may request
	// (RFC 7591 §2); when empty, the client may request any scope the
	// service defines, so it is checked against every profile any of them
	// selects.
	Scope string `json:"scope,omitempty"`

	TLSClientCertificateBoundAccessTokens bool `json:"tls_client_certificate_bound_access_tokens,omitempty"`

	RequestObjectSigningAlg        string `json:"request_object_signing_alg,omitempty"`
	TokenEndpointAuthSigningAlg    string `json:"token_endpoint_auth_signing_alg,omitempty"`
	IDTokenSignedResponseAlg       string `json:"id_token_signed_response_alg,omitempty"`
	UserinfoSignedResponseAlg      string `json:"userinfo_signed_response_alg,omitempty"`
	AuthorizationSignedResponseAlg string `json:"authorization_signed_response_alg,omitempty"`

	// FAPIModes are static modes for this client's requests, used when the
	// service has none.
	FAPIModes     []string `json:"fapi_modes,omitempty"`
	ResponseModes []string `json:"response_modes,omitempty"`

	// DPoPBoundAccessTokens is RFC 9449 §5.2's client metadata.
	DPoPBoundAccessTokens bool `json:"dpop_bound_access_tokens,omitempty"`
	// RequirePushedAuthorizationRequests is RFC 9126 §6's client metadata.
	RequirePushedAuthorizationRequests bool `json:"require_pushed_authorization_requests,omitempty"`
	// The JWE algorithms of the client metadata (FAPI1-ADV-8.6.1-1 forbids
	// RSA1_5).
	IDTokenEncryptedResponseAlg       string `json:"id_token_encrypted_response_alg,omitempty"`
	UserinfoEncryptedResponseAlg      string `json:"userinfo_encrypted_response_alg,omitempty"`
	RequestObjectEncryptionAlg        string `json:"request_object_encryption_alg,omitempty"`
	AuthorizationEncryptedResponseAlg string `json:"authorization_encrypted_response_alg,omitempty"`

	// RFC 8705 §2.1.2: exactly one of these identifies a tls_client_auth
	// client's certificate.
	TLSClientAuthSubjectDN string `json:"tls_client_auth_subject_dn,omitempty"`
	TLSClientAuthSANDNS    string `json:"tls_client_auth_san_dns,omitempty"`
	TLSClientAuthSANURI    string `json:"tls_client_auth_san_uri,omitempty"`
	TLSClientAuthSANIP     string `json:"tls_client_auth_san_ip,omitempty"`
	TLSClientAuthSANEmail  string `json:"tls_client_auth_san_email,omitempty"`
}
