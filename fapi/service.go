package fapi

import (
	"strings"

	"github.com/fapicheck/fapicheck/profile"
)

// CheckService checks an authorization server's configuration under the
// strictest profile its scopes and static modes can select (DESIGN.md, "The
// two seed profiles", row "service").
func CheckService(svc *Service) Report {
	var b builder
	b.r.Profile = profile.None
	if svc == nil {
		svc = &Service{}
	}
	v, ok := view(&b, svc)
	if !ok {
		return b.r
	}
	settings := v.settings(nil)
	if !has(svc.SupportedServiceProfiles, profile.ServiceProfileFAPI) {
		b.r.ChosenBy = "service does not list fapi in supported_service_profiles"
		if what := fapiAsked(svc); what != "" {
			b.add(CodeServiceFAPINotSupported, "supported_service_profiles", "",
				"%s, but supported_service_profiles does not list fapi, so no FAPI rule would be applied", what)
		}
		return b.r
	}
	if svc.Issuer == "" {
		b.add(CodeServiceIssuerMissing, "issuer", "", "the service has no issuer")
	}
	d, err := profile.Offered(settings)
	if err == nil && d.Profile == profile.None {
		b.r.ChosenBy = d.ChosenBy
		b.add(CodeServiceNoFAPIScope, "scopes", "",
			"fapi is listed in supported_service_profiles, but no scope has a fapi attribute (fapi=r or fapi=rw) and no fapi_modes are set")
		return b.r
	}
	req, ok := decide(&b, d, err)
	if !ok {
		return b.r
	}

	// Client authentication methods (FAPI-R-5.2.2-4 / FAPI-RW-5.2.2-14).
	// RFC 8414 §2: absent means ["client_secret_basic"]. A service whose
	// clients are all public (it lists only "none") is exempt (DESIGN).
	methods := svc.TokenEndpointAuthMethodsSupported
	if len(methods) == 0 {
		methods = []string{profile.AuthClientSecretBasic}
	}
	publicOnly := true
	for _, m := range methods {
		if m != profile.AuthNone {
			publicOnly = false
		}
	}
	if !publicOnly || !req.PublicClients {
		found := false
		for _, m := range req.ClientAuthMethods {
			if has(methods, m) {
				found = true
			}
		}
		if !found {
			b.add(CodeServiceClientAuthMethodsMissing, "token_endpoint_auth_methods_supported", req.ClientAuthRef,
				"token_endpoint_auth_methods_supported %s has none of the methods %s permits (%s)", quoteList(methods), req.Profile, strings.Join(req.ClientAuthMethods, ", "))
		}
	}

	if req.EssentialACR && len(svc.AcrValuesSupported) == 0 {
		b.add(CodeServiceACRValuesMissing, "acr_values_supported", req.EssentialACRRef,
			"%s clients request acr as an essential claim, but acr_values_supported is empty", req.Profile)
	}
	if req.ResponseTypes != nil {
		jarm := false
		for _, m := range svc.ResponseModesSupported {
			if isJARMMode(m) {
				jarm = true
			}
		}
		found := false
		for _, rt := range svc.ResponseTypesSupported {
			if responseTypeIn(rt, req.ResponseTypes) {
				found = true
			}
		}
		if !found && !jarm {
			b.add(CodeServiceResponseTypesMissing, "response_types_supported", req.ResponseTypeRef,
				"response_types_supported %s has none of %s, and no JARM response mode is supported", quoteList(svc.ResponseTypesSupported), strings.Join(req.ResponseTypes, ", "))
		}
	}
	if req.CertificateBoundTokens && !svc.TLSClientCertificateBoundAccessTokens {
		b.add(CodeServiceMTLSBindingUnsupported, "tls_client_certificate_bound_access_tokens", "FAPI-RW-5.2.2-6",
			"%s requires holder-of-key (MTLS) bound tokens, but tls_client_certificate_bound_access_tokens is not true", req.Profile)
	}
	return b.r
}

// fapiAsked describes what in the configuration asks for FAPI, or "".
func fapiAsked(svc *Service) string {
	if len(svc.FAPIModes) > 0 {
		return "fapi_modes are set"
	}
	for _, d := range svc.Scopes {
		for _, a := range d.Attributes {
			if a.Key == profile.AttrFAPI || a.Key == profile.AttrFAPI2 {
				return "scope " + d.Name + " has the attribute " + a.Key + "=" + a.Value
			}
		}
	}
	return ""
}
