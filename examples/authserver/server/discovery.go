package server

import "net/http"

// Discovery is the server's metadata: the OpenID Provider configuration
// (OIDC Discovery §3) and the authorization server metadata (RFC 8414 §2),
// with RFC 8705 §3.3 and §5, RFC 9101 §10.5, RFC 9126 §5, RFC 9207 §3,
// RFC 9449 §5.1 and JARM §4.
type Discovery struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	UserinfoEndpoint                           string   `json:"userinfo_endpoint"`
	JWKSURI                                    string   `json:"jwks_uri"`
	PushedAuthorizationRequestEndpoint         string   `json:"pushed_authorization_request_endpoint,omitempty"`
	RequirePushedAuthorizationRequests         bool     `json:"require_pushed_authorization_requests"`
	ScopesSupported                            []string `json:"scopes_supported"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	ResponseModesSupported                     []string `json:"response_modes_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	SubjectTypesSupported                      []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported"`
	RequestObjectSigningAlgValuesSupported     []string `json:"request_object_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	AuthorizationSigningAlgValuesSupported     []string `json:"authorization_signing_alg_values_supported"`
	DPoPSigningAlgValuesSupported              []string `json:"dpop_signing_alg_values_supported,omitempty"`
	ClaimsSupported                            []string `json:"claims_supported"`
	RequestParameterSupported                  bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported               bool     `json:"request_uri_parameter_supported"`
	RequireRequestURIRegistration              bool     `json:"require_request_uri_registration"`
	RequireSignedRequestObject                 bool     `json:"require_signed_request_object"`
	ClaimsParameterSupported                   bool     `json:"claims_parameter_supported"`
	AcrValuesSupported                         []string `json:"acr_values_supported"`
	TLSClientCertificateBoundAccessTokens      bool     `json:"tls_client_certificate_bound_access_tokens"`
	AuthorizationResponseIssParameterSupported bool     `json:"authorization_response_iss_parameter_supported"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported"`
}

// Discovery returns the document served at /.well-known/openid-configuration
// (and RFC 8414's /.well-known/oauth-authorization-server). Its values
// come from the same service configuration the library checks requests
// against, so what is advertised is what is enforced.
func (s *Server) Discovery() Discovery {
	scopes := s.scopeNames()
	clone := func(v []string) []string { return append([]string(nil), v...) }
	return Discovery{
		Issuer:                                 s.issuer,
		AuthorizationEndpoint:                  s.endpoints.authorize,
		TokenEndpoint:                          s.endpoints.token,
		UserinfoEndpoint:                       s.endpoints.userinfo,
		JWKSURI:                                s.endpoints.jwks,
		PushedAuthorizationRequestEndpoint:     s.svc.PushedAuthorizationRequestEndpoint,
		RequirePushedAuthorizationRequests:     s.svc.RequirePushedAuthorizationRequests,
		ScopesSupported:                        scopes,
		ResponseTypesSupported:                 clone(s.svc.ResponseTypesSupported),
		ResponseModesSupported:                 clone(s.svc.ResponseModesSupported),
		GrantTypesSupported:                    clone(s.svc.GrantTypesSupported),
		SubjectTypesSupported:                  []string{"public"},
		IDTokenSigningAlgValuesSupported:       clone(s.svc.IDTokenSigningAlgValuesSupported),
		RequestObjectSigningAlgValuesSupported: clone(s.svc.RequestObjectSigningAlgValuesSupported),
		TokenEndpointAuthMethodsSupported:      clone(s.svc.TokenEndpointAuthMethodsSupported),
		// FAPI1-ADV-8.6-1, FAPI2-SP-5.4.1-1.
		TokenEndpointAuthSigningAlgValuesSupported: clone(s.svc.TokenEndpointAuthSigningAlgValuesSupported),
		AuthorizationSigningAlgValuesSupported:     clone(s.svc.AuthorizationSigningAlgValuesSupported),
		DPoPSigningAlgValuesSupported:              clone(s.svc.DPoPSigningAlgValuesSupported),
		ClaimsSupported:                            []string{"sub", "acr", "auth_time"},
		RequestParameterSupported:                  s.svc.RequestParameterSupported,
		// By reference: fetched only from request_uris the client
		// registered (OIDC Discovery §3).
		RequestURIParameterSupported:               true,
		RequireRequestURIRegistration:              true,
		RequireSignedRequestObject:                 s.svc.RequireSignedRequestObject,
		ClaimsParameterSupported:                   true,
		AcrValuesSupported:                         clone(s.svc.AcrValuesSupported),
		TLSClientCertificateBoundAccessTokens:      s.svc.TLSClientCertificateBoundAccessTokens,
		AuthorizationResponseIssParameterSupported: s.svc.AuthorizationResponseIssParameterSupported,
		CodeChallengeMethodsSupported:              clone(s.svc.CodeChallengeMethodsSupported),
	}
}

func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.writeJSON(w, http.StatusOK, s.Discovery())
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Type", "application/jwk-set+json")
	_, _ = w.Write(s.jwks)
}
