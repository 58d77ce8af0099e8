package fapi

import (
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/profile"
)

// CheckService checks an authorization server's configuration: the
// metadata every authorization server needs (RFC 8414 §2), and the rules of
// each profile its scopes and static modes can select, each on its own.
func CheckService(svc *Service) Report { return checkService(svc) }

func checkService(svc *Service) Report {
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
	// RFC 8414 §2: issuer and response_types_supported are REQUIRED of
	// every authorization server, FAPI or not.
	if svc.Issuer == "" {
		b.add(CodeServiceIssuerMissing, "issuer", "RFC8414-2", "the service has no issuer")
	}
	if len(svc.ResponseTypesSupported) == 0 {
		b.add(CodeServiceResponseTypesMissing, "response_types_supported", "RFC8414-2", "the service has no response_types_supported, which RFC 8414 section 2 requires")
	}
	if !has(svc.SupportedServiceProfiles, profile.ServiceProfileFAPI) {
		b.r.ChosenBy = "service does not list fapi in supported_service_profiles"
		if what := fapiAsked(svc); what != "" {
			// The clause is that of the profile the configuration asks
			// for: the one its rules would come from with FAPI on.
			on := settings
			on.ServiceProfiles = []string{profile.ServiceProfileFAPI}
			asked, _ := profile.OfferedProfile(on)
			b.add(CodeServiceFAPINotSupported, "supported_service_profiles", profile.ServiceFamilyClause(asked.Profile, svc.FAPIVersion),
				"%s, but supported_service_profiles does not list fapi, so no FAPI rule would be applied", what)
		}
		return b.r
	}
	d, err := profile.Offered(settings)
	if err == nil && d.Profile == profile.None {
		b.r.ChosenBy = d.ChosenBy
		b.add(CodeServiceNoFAPIScope, "scopes", profile.ServiceFamilyClause(profile.None, svc.FAPIVersion),
			"fapi is listed in supported_service_profiles, but no scope has a FAPI attribute (fapi=r|rw, fapi2=sp|ms-authreq|ms-authres) and no fapi_modes are set")
		return b.r
	}
	if _, ok := decide(&b, d, err); !ok {
		return b.r
	}
	// Every profile the service offers is checked on its own: a service
	// offering FAPI 2.0 and FAPI 1.0 Advanced must meet Advanced's
	// configuration rules (MTLS binding, request_parameter_supported,
	// algorithms, RSA1_5) as well as FAPI 2.0's. The same violation found
	// under two profiles is reported once.
	for _, rules := range perProfile(d) {
		checkServiceAuthMethods(&b, svc, rules)
		checkServiceResponses(&b, svc, rules)
		checkServiceBinding(&b, svc, rules)
		checkServiceRequests(&b, svc, rules, v)
		checkServiceAlgs(&b, svc, rules)
	}
	b.r.Violations = dedupe(b.r.Violations)
	return b.r
}

// checkServiceAuthMethods: FAPI-R-5.2.2-4 / FAPI1-BASE-5.2.2-4 /
// FAPI-RW-5.2.2-14 / FAPI1-ADV-5.2.2-14 / FAPI2-SP-5.3.2.1-6, and no public
// clients under Advanced and FAPI 2.0 (FAPI1-ADV-5.2.2-16,
// FAPI2-SP-5.3.2.1-3).
func checkServiceAuthMethods(b *builder, svc *Service, rules *profile.Requirements) {
	// RFC 8414 §2: absent means ["client_secret_basic"]. A service whose
	// clients are all public (it lists only "none") is exempt where the
	// profile allows public clients (docs/DESIGN.md).
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
	if !publicOnly || rules.NoPublicClients.Applies() {
		found := false
		for _, m := range rules.ClientAuthMethods.Value {
			if has(methods, m) {
				found = true
			}
		}
		if !found {
			b.add(CodeServiceClientAuthMethodsMissing, "token_endpoint_auth_methods_supported", rules.ClientAuthMethods.Clause,
				"token_endpoint_auth_methods_supported %s has none of the methods %s permits (%s)", quoteList(methods), rules.Label(), strings.Join(rules.ClientAuthMethods.Value, ", "))
		}
	}
	if rules.NoPublicClients.Applies() && has(methods, profile.AuthNone) {
		b.add(CodeServicePublicClientsAllowed, "token_endpoint_auth_methods_supported", rules.NoPublicClients,
			"token_endpoint_auth_methods_supported lists none, but %s does not allow public clients", rules.Label())
	}
}

// checkServiceResponses: response types (FAPI-RW-5.2.2-2, FAPI1-ADV-5.2.2-2,
// FAPI2-SP-5.3.2.2-1), JARM where signed responses are required
// (FAPI2-MS-5.4.1-1), essential acr support (FAPI-RW-5.2.3-3) and the iss
// response parameter (FAPI2-SP-5.3.2.2-7).
func checkServiceResponses(b *builder, svc *Service, rules *profile.Requirements) {
	if rules.EssentialACR.Applies() && len(svc.AcrValuesSupported) == 0 {
		b.add(CodeServiceACRValuesMissing, "acr_values_supported", rules.EssentialACR,
			"%s clients request acr as an essential claim, but acr_values_supported is empty", rules.Label())
	}
	jarm := false
	for _, m := range svc.ResponseModesSupported {
		if isJARMMode(m) {
			jarm = true
		}
	}
	if rules.ResponseTypes.Allowed != nil {
		found := false
		for _, rt := range svc.ResponseTypesSupported {
			if responseTypeIn(rt, rules.ResponseTypes.Allowed) || (jarm && (rules.ResponseTypes.AnyWithJARM || responseTypeIn(rt, rules.ResponseTypes.WithJARM))) {
				found = true
			}
		}
		if !found && !(rules.ResponseTypes.AnyWithJARM && jarm) {
			b.add(CodeServiceResponseTypesMissing, "response_types_supported", rules.ResponseTypes.Clause,
				"response_types_supported %s offers none of the response types %s allows (%s%s)", quoteList(svc.ResponseTypesSupported), rules.Label(), strings.Join(rules.ResponseTypes.Allowed, ", "), jarmNote(rules))
		}
	}
	if rules.RequireJARM.Applies() && !jarm {
		b.add(CodeServiceJARMUnsupported, "response_modes_supported", rules.RequireJARM,
			"signed authorization responses are required, but response_modes_supported %s has no JARM mode", quoteList(svc.ResponseModesSupported))
	}
	if rules.Service.IssParameter.Applies() && !svc.AuthorizationResponseIssParameterSupported {
		b.add(CodeServiceIssParameterUnsupported, "authorization_response_iss_parameter_supported", rules.Service.IssParameter,
			"%s requires the iss authorization response parameter (RFC 9207), but authorization_response_iss_parameter_supported is not true", rules.Label())
	}
}

// checkServiceBinding: certificate-bound tokens (FAPI-RW-5.2.2-6,
// FAPI1-ADV-5.2.2-6) or, under FAPI 2.0, certificate- or DPoP-bound ones
// (FAPI2-SP-5.3.2.1-4, -5).
func checkServiceBinding(b *builder, svc *Service, rules *profile.Requirements) {
	switch rules.Binding.Value {
	case profile.BindingMTLS:
		if !svc.TLSClientCertificateBoundAccessTokens {
			b.add(CodeServiceMTLSBindingUnsupported, "tls_client_certificate_bound_access_tokens", rules.Service.MTLSBinding,
				"%s requires holder-of-key (MTLS) bound tokens, but tls_client_certificate_bound_access_tokens is not true", rules.Label())
		}
	case profile.BindingMTLSOrDPoP:
		if !svc.TLSClientCertificateBoundAccessTokens && len(svc.DPoPSigningAlgValuesSupported) == 0 {
			b.add(CodeServiceBindingUnsupported, "dpop_signing_alg_values_supported", rules.Binding.Clause,
				"%s requires sender-constrained tokens, but the service offers neither certificate-bound tokens nor DPoP", rules.Label())
		}
	}
}

// checkServiceRequests: request objects (FAPI1-ADV-5.2.2-1,
// FAPI2-MS-5.3.1-1), PAR (FAPI2-SP-5.3.2.2-2, -3, FAPI1-ADV-5.2.2-11),
// PKCE S256 (FAPI1-BASE-5.2.2-7, FAPI1-ADV-5.2.2-18, FAPI2-SP-5.3.2.2-5),
// no password grant (FAPI2-SP-5.3.2.1-2), code and request_uri lifetimes
// (FAPI2-SP-5.3.2.1-11, 5.3.2.2-12) and the clock skew
// (FAPI2-SP-5.3.2.1-13).
func checkServiceRequests(b *builder, svc *Service, rules *profile.Requirements, v serviceView) {
	switch {
	case rules.Service.RequestParameter.Applies() && !svc.RequestParameterSupported:
		b.add(CodeServiceRequestObjectUnsupported, "request_parameter_supported", rules.Service.RequestParameter,
			"%s requires signed request objects, but request_parameter_supported is not true", rules.Label())
	case rules.Service.SignedRequestObject.Applies() && !svc.RequireSignedRequestObject:
		b.add(CodeServiceRequestObjectUnsupported, "require_signed_request_object", rules.Service.SignedRequestObject,
			"signed request objects are required, but require_signed_request_object is not true")
	}
	if rules.PARRequired.Applies() {
		if svc.PushedAuthorizationRequestEndpoint == "" {
			b.add(CodeServicePAREndpointMissing, "pushed_authorization_request_endpoint", rules.PARRequired,
				"%s requires PAR, but pushed_authorization_request_endpoint is missing", rules.Label())
		}
		if rules.Service.PARRequired.Applies() && !svc.RequirePushedAuthorizationRequests {
			b.add(CodeServicePARNotRequired, "require_pushed_authorization_requests", rules.Service.PARRequired,
				"%s refuses requests that do not come through PAR; advertise require_pushed_authorization_requests: true", rules.Label())
		}
	} else if svc.RequirePushedAuthorizationRequests && svc.PushedAuthorizationRequestEndpoint == "" {
		b.add(CodeServicePAREndpointMissing, "pushed_authorization_request_endpoint", "PAR-5",
			"require_pushed_authorization_requests is true, but pushed_authorization_request_endpoint is missing")
	}
	// Where PKCE is required only with PAR (FAPI1-ADV-5.2.2-18), only a
	// service with a PAR endpoint must support it.
	pkceNeeded := rules.Service.PKCES256.Applies() &&
		(rules.PKCE.Value != profile.PKCEWithPAR || svc.PushedAuthorizationRequestEndpoint != "")
	if pkceNeeded && !has(svc.CodeChallengeMethodsSupported, "S256") {
		b.add(CodeServicePKCES256Missing, "code_challenge_methods_supported", rules.Service.PKCES256,
			"%s requires PKCE with S256, but code_challenge_methods_supported does not list it (it lists %s)", rules.Label(), quoteList(svc.CodeChallengeMethodsSupported))
	}
	if rules.NoPasswordGrant.Applies() && has(svc.GrantTypesSupported, "password") {
		b.add(CodeServicePasswordGrant, "grant_types_supported", rules.NoPasswordGrant, "grant_types_supported lists password, which %s forbids", rules.Label())
	}
	if rules.NoRefreshRotation.Applies() && svc.RefreshTokenRotation && svc.RefreshTokenReuseInterval <= 0 {
		b.add(CodeServiceRefreshRotationWithoutRetry, "refresh_token_reuse_interval", rules.NoRefreshRotation,
			"refresh_token_rotation is on without a refresh_token_reuse_interval: %s allows rotation only where a client that did not receive the new refresh token can retry with the previous one", rules.Label())
	}
	// Compared in seconds: a huge value would overflow time.Duration.
	if rules.CodeLifetime.Value > 0 && (svc.AuthorizationCodeLifetime < 0 || int64(svc.AuthorizationCodeLifetime) > int64(rules.CodeLifetime.Value/time.Second)) {
		b.add(CodeServiceCodeLifetimeTooLong, "authorization_code_lifetime", rules.CodeLifetime.Clause,
			"authorization_code_lifetime %d s is more than %s", int64(svc.AuthorizationCodeLifetime), rules.CodeLifetime.Value)
	}
	if rules.MaxRequestURILifetime.Value > 0 && (svc.RequestURILifetime < 0 || int64(svc.RequestURILifetime) >= int64(rules.MaxRequestURILifetime.Value/time.Second)) {
		b.add(CodeServiceRequestURILifetimeTooLong, "request_uri_lifetime", rules.MaxRequestURILifetime.Clause,
			"request_uri_lifetime %d s is not less than %s", int64(svc.RequestURILifetime), rules.MaxRequestURILifetime.Value)
	}
	if rules.Service.MinClockSkew.Value > 0 && v.skew < rules.Service.MinClockSkew.Value {
		b.add(CodeServiceClockSkewInvalid, "clock_skew", rules.Service.MinClockSkew.Clause,
			"clock_skew %s is below %s, which %s requires accepting", v.skew, rules.Service.MinClockSkew.Value, rules.Label())
	}
}

// checkServiceAlgs: advertised JWS algorithm lists are a subset of the
// profile's (FAPI1-ADV-8.6, FAPI2-SP-5.4.1-1), and no JWE list has RSA1_5
// (FAPI1-ADV-8.6.1-1). The ID2 profiles are not checked here: docs/DESIGN.md's
// seed table leaves server metadata lists out.
func checkServiceAlgs(b *builder, svc *Service, rules *profile.Requirements) {
	if rules.Service.SigningAlgs.Applies() && rules.SigningAlgs.Value != nil {
		lists := []struct {
			name string
			algs []string
		}{
			{"id_token_signing_alg_values_supported", svc.IDTokenSigningAlgValuesSupported},
			{"request_object_signing_alg_values_supported", svc.RequestObjectSigningAlgValuesSupported},
			{"token_endpoint_auth_signing_alg_values_supported", svc.TokenEndpointAuthSigningAlgValuesSupported},
			{"userinfo_signing_alg_values_supported", svc.UserinfoSigningAlgValuesSupported},
			{"authorization_signing_alg_values_supported", svc.AuthorizationSigningAlgValuesSupported},
			{"dpop_signing_alg_values_supported", svc.DPoPSigningAlgValuesSupported},
		}
		for _, l := range lists {
			var bad []string
			for _, a := range l.algs {
				if !has(rules.SigningAlgs.Value, a) {
					bad = append(bad, a)
				}
			}
			if len(bad) > 0 {
				b.add(CodeServiceAlgNotAllowed, l.name, rules.SigningAlgs.Clause,
					"%s lists %s, which %s does not allow (allowed: %s)", l.name, quoteList(bad), rules.Label(), strings.Join(rules.SigningAlgs.Value, ", "))
			}
		}
	}
	if rules.NoRSA15.Applies() {
		for _, l := range []struct {
			name string
			algs []string
		}{
			{"id_token_encryption_alg_values_supported", svc.IDTokenEncryptionAlgValuesSupported},
			{"request_object_encryption_alg_values_supported", svc.RequestObjectEncryptionAlgValuesSupported},
			{"userinfo_encryption_alg_values_supported", svc.UserinfoEncryptionAlgValuesSupported},
			{"authorization_encryption_alg_values_supported", svc.AuthorizationEncryptionAlgValuesSupported},
		} {
			if has(l.algs, "RSA1_5") {
				b.add(CodeServiceAlgNotAllowed, l.name, rules.NoRSA15, "%s lists RSA1_5, which %s forbids", l.name, rules.Label())
			}
		}
	}
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
