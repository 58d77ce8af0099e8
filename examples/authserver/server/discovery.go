package server

import "net/http"

// Discovery is the OpenID Provider configuration (OIDC Discovery §3, RFC
// 8414 §2, RFC 8705 §3.3).
type Discovery struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	UserinfoEndpoint                           string   `json:"userinfo_endpoint"`
	JWKSURI                                    string   `json:"jwks_uri"`
	ScopesSupported                            []string `json:"scopes_supported"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	ResponseModesSupported                     []string `json:"response_modes_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	SubjectTypesSupported                      []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported           []string `json:"id_token_signing_alg_values_supported"`
	RequestObjectSigningAlgValuesSupported     []string `json:"request_object_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	ClaimsSupported                            []string `json:"claims_supported"`
	RequestParameterSupported                  bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported               bool     `json:"request_uri_parameter_supported"`
	ClaimsParameterSupported                   bool     `json:"claims_parameter_supported"`
	AcrValuesSupported                         []string `json:"acr_values_supported"`
	TLSClientCertificateBoundAccessTokens      bool     `json:"tls_client_certificate_bound_access_tokens"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported"`
	// AuthorizationResponseIssParameterSupported: every authorization
	// response, errors included, carries iss (RFC 9207 §2, §3).
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
}

// Discovery returns the document served at /.well-known/openid-configuration.
// Its values come from the same service configuration the library checks
// requests against, so what is advertised is what is enforced.
func (s *Server) Discovery() Discovery {
	scopes := make([]string, 0, len(s.svc.Scopes))
	for _, d := range s.svc.Scopes {
		scopes = append(scopes, d.Name)
	}
	clone := func(v []string) []string { return append([]string(nil), v...) }
	return Discovery{
		Issuer:                                 s.issuer,
		AuthorizationEndpoint:                  s.endpoints.authorize,
		TokenEndpoint:                          s.endpoints.token,
		UserinfoEndpoint:                       s.endpoints.userinfo,
		JWKSURI:                                s.endpoints.jwks,
		ScopesSupported:                        scopes,
		ResponseTypesSupported:                 clone(s.svc.ResponseTypesSupported),
		ResponseModesSupported:                 clone(s.svc.ResponseModesSupported),
		GrantTypesSupported:                    []string{"authorization_code"},
		SubjectTypesSupported:                  []string{"public"},
		IDTokenSigningAlgValuesSupported:       []string{"PS256"},
		RequestObjectSigningAlgValuesSupported: []string{"PS256", "ES256"},
		TokenEndpointAuthMethodsSupported:      clone(s.svc.TokenEndpointAuthMethodsSupported),
		// FAPI-RW-8.6-1: PS256 or ES256 only.
		TokenEndpointAuthSigningAlgValuesSupported: []string{"PS256", "ES256"},
		ClaimsSupported:                            []string{"sub", "acr", "auth_time"},
		RequestParameterSupported:                  true,
		RequestURIParameterSupported:               false,
		ClaimsParameterSupported:                   true,
		AcrValuesSupported:                         clone(s.svc.AcrValuesSupported),
		TLSClientCertificateBoundAccessTokens:      s.svc.TLSClientCertificateBoundAccessTokens,
		CodeChallengeMethodsSupported:              clone(s.svc.CodeChallengeMethodsSupported),
		AuthorizationResponseIssParameterSupported: s.svc.AuthorizationResponseIssParameterSupported,
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
