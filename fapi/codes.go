package fapi

import "strings"

// Code is a stable, machine-readable violation code, "family.reason". Codes
// are part of the public API: they are never renamed. A Code is also an
// error, so errors.Is(report.Err(), fapi.CodeRequestObjectExpired) reports
// whether a report holds that violation.
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// Family returns the part before the dot, e.g. "request_object".
func (c Code) Family() Family {
	if i := strings.IndexByte(string(c), '.'); i >= 0 {
		return Family(c[:i])
	}
	return Family(c)
}

// Family is a group of codes ("pkce", "request_object", ...). A Family is an
// error: errors.Is(report.Err(), fapi.ErrPKCE) reports whether any violation
// of that family is present.
type Family string

// Error returns the family name.
func (f Family) Error() string { return string(f) }

// Family sentinels, for errors.Is.
var (
	ErrService         error = Family("service")
	ErrClient          error = Family("client")
	ErrProfile         error = Family("profile")
	ErrRedirectURI     error = Family("redirect_uri")
	ErrClientID        error = Family("client_id")
	ErrParameter       error = Family("parameter")
	ErrState           error = Family("state")
	ErrNonce           error = Family("nonce")
	ErrScope           error = Family("scope")
	ErrPKCE            error = Family("pkce")
	ErrResponseType    error = Family("response_type")
	ErrResponseMode    error = Family("response_mode")
	ErrRequestObject   error = Family("request_object")
	ErrClaims          error = Family("claims")
	ErrClientAuth      error = Family("client_auth")
	ErrClientAssertion error = Family("client_assertion")
	ErrMTLS            error = Family("mtls")
	ErrGrantType       error = Family("grant_type")
	ErrCode            error = Family("code")
	ErrClock           error = Family("clock")
	ErrPAR             error = Family("par")
	ErrDPoP            error = Family("dpop")
)

// OAuth error codes used in violations (RFC 6749 §4.1.2.1 and §5.2, OIDC
// Core §6.6, RFC 7591 §3.2.2, RFC 9126 §2.3).
const (
	OAuthInvalidRequest          = "invalid_request"
	OAuthInvalidRequestObject    = "invalid_request_object"
	OAuthInvalidRequestURI       = "invalid_request_uri"
	OAuthInvalidClient           = "invalid_client"
	OAuthInvalidGrant            = "invalid_grant"
	OAuthInvalidScope            = "invalid_scope"
	OAuthUnauthorizedClient      = "unauthorized_client"
	OAuthUnsupportedResponseType = "unsupported_response_type"
	OAuthUnsupportedGrantType    = "unsupported_grant_type"
	OAuthAccessDenied            = "access_denied"
	OAuthServerError             = "server_error"
	OAuthInvalidRedirectURI      = "invalid_redirect_uri"
	OAuthInvalidClientMetadata   = "invalid_client_metadata"
	OAuthInvalidDPoPProof        = "invalid_dpop_proof"
)

// The codes. Each has one entry in the code table (CodeInfos), which gives
// its default OAuth error and the clauses it can cite.
const (
	CodeServiceFAPINotSupported          Code = "service.fapi_not_supported"
	CodeServiceNoFAPIScope               Code = "service.no_fapi_scope"
	CodeServiceClientAuthMethodsMissing  Code = "service.client_auth_methods_missing"
	CodeServiceACRValuesMissing          Code = "service.acr_values_missing"
	CodeServiceResponseTypesMissing      Code = "service.response_types_missing"
	CodeServiceMTLSBindingUnsupported    Code = "service.mtls_binding_unsupported"
	CodeServiceIssuerMissing             Code = "service.issuer_missing"
	CodeServiceScopesInvalid             Code = "service.scopes_invalid"
	CodeServiceClockSkewInvalid          Code = "service.clock_skew_invalid"
	CodeServicePublicClientsAllowed      Code = "service.public_clients_allowed"
	CodeServiceRequestObjectUnsupported  Code = "service.request_object_unsupported"
	CodeServicePAREndpointMissing        Code = "service.par_endpoint_missing"
	CodeServicePARNotRequired            Code = "service.par_not_required"
	CodeServiceIssParameterUnsupported   Code = "service.iss_parameter_unsupported"
	CodeServicePasswordGrant             Code = "service.password_grant"
	CodeServiceCodeLifetimeTooLong       Code = "service.code_lifetime_too_long"
	CodeServiceRequestURILifetimeTooLong Code = "service.request_uri_lifetime_too_long"
	CodeServiceAlgNotAllowed             Code = "service.alg_not_allowed"
	CodeServiceBindingUnsupported        Code = "service.binding_unsupported"
	CodeServiceJARMUnsupported           Code = "service.jarm_unsupported"
	CodeServicePKCES256Missing           Code = "service.pkce_s256_missing"

	CodeProfileNotImplemented Code = "profile.not_implemented"
	CodeProfileSettingInvalid Code = "profile.setting_invalid"

	CodeClientMissing                Code = "client.missing"
	CodeClientClientIDMissing        Code = "client.client_id_missing"
	CodeClientAuthMethodNotAllowed   Code = "client.auth_method_not_allowed"
	CodeClientAuthMethodUnsupported  Code = "client.auth_method_unsupported"
	CodeClientRedirectURIsMissing    Code = "client.redirect_uris_missing"
	CodeClientRedirectURINotHTTPS    Code = "client.redirect_uri_not_https"
	CodeClientJWKSMissing            Code = "client.jwks_missing"
	CodeClientJWKSInvalid            Code = "client.jwks_invalid"
	CodeClientKeyTooSmall            Code = "client.key_too_small"
	CodeClientSecretTooShort         Code = "client.secret_too_short"
	CodeClientResponseTypeNotAllowed Code = "client.response_type_not_allowed"
	CodeClientMTLSBindingDisabled    Code = "client.mtls_binding_disabled"
	CodeClientAlgNotAllowed          Code = "client.alg_not_allowed"
	CodeClientTLSSubjectInvalid      Code = "client.tls_subject_invalid"
	CodeClientBindingMissing         Code = "client.binding_missing"
	CodeClientGrantTypeNotAllowed    Code = "client.grant_type_not_allowed"

	CodeParameterDuplicated Code = "parameter.duplicated"
	CodeParameterMissing    Code = "parameter.missing"

	CodeClockNowMissing Code = "clock.now_missing"

	CodeClientIDMissing  Code = "client_id.missing"
	CodeClientIDMismatch Code = "client_id.mismatch"

	CodeRedirectURIMissing       Code = "redirect_uri.missing"
	CodeRedirectURINotRegistered Code = "redirect_uri.not_registered"
	CodeRedirectURINotHTTPS      Code = "redirect_uri.not_https"
	CodeRedirectURIMismatch      Code = "redirect_uri.mismatch"

	CodeStateMissing   Code = "state.missing"
	CodeStateMalformed Code = "state.malformed"
	CodeNonceMissing   Code = "nonce.missing"
	CodeNonceMalformed Code = "nonce.malformed"
	CodeScopeMissing   Code = "scope.missing"
	CodeScopeMalformed Code = "scope.malformed"

	CodePKCEChallengeMissing   Code = "pkce.challenge_missing"
	CodePKCEMethodNotS256      Code = "pkce.method_not_s256"
	CodePKCEChallengeMalformed Code = "pkce.challenge_malformed"
	CodePKCEMethodUnsupported  Code = "pkce.method_unsupported"
	CodePKCEVerifierMissing    Code = "pkce.verifier_missing"
	CodePKCEVerifierMalformed  Code = "pkce.verifier_malformed"
	CodePKCEVerifierMismatch   Code = "pkce.verifier_mismatch"
	CodePKCEVerifierUnexpected Code = "pkce.verifier_unexpected"

	CodeResponseTypeMissing      Code = "response_type.missing"
	CodeResponseTypeNotAllowed   Code = "response_type.not_allowed"
	CodeResponseTypeUnregistered Code = "response_type.unregistered"
	CodeResponseTypeMalformed    Code = "response_type.malformed"
	CodeResponseTypeUnsupported  Code = "response_type.unsupported"
	CodeResponseModeNotAllowed   Code = "response_mode.not_allowed"
	CodeResponseModeJARMRequired Code = "response_mode.jarm_required"
	CodeResponseModeUnregistered Code = "response_mode.unregistered"

	CodeRequestObjectMissing          Code = "request_object.missing"
	CodeRequestObjectRequestAndURI    Code = "request_object.request_and_uri"
	CodeRequestObjectUnresolved       Code = "request_object.unresolved"
	CodeRequestObjectURINotHTTPS      Code = "request_object.uri_not_https"
	CodeRequestObjectMalformed        Code = "request_object.malformed"
	CodeRequestObjectUnsigned         Code = "request_object.unsigned"
	CodeRequestObjectAlgNotAllowed    Code = "request_object.alg_not_allowed"
	CodeRequestObjectSignatureInvalid Code = "request_object.signature_invalid"
	CodeRequestObjectKeyTooSmall      Code = "request_object.key_too_small"
	CodeRequestObjectExpMissing       Code = "request_object.exp_missing"
	CodeRequestObjectExpired          Code = "request_object.expired"
	CodeRequestObjectNbfMissing       Code = "request_object.nbf_missing"
	CodeRequestObjectNotYetValid      Code = "request_object.not_yet_valid"
	CodeRequestObjectNbfTooOld        Code = "request_object.nbf_too_old"
	CodeRequestObjectLifetimeTooLong  Code = "request_object.lifetime_too_long"
	CodeRequestObjectAudMissing       Code = "request_object.aud_missing"
	CodeRequestObjectAudMismatch      Code = "request_object.aud_mismatch"
	CodeRequestObjectIssMismatch      Code = "request_object.iss_mismatch"
	CodeRequestObjectClientIDMismatch Code = "request_object.client_id_mismatch"
	CodeRequestObjectParamMissing     Code = "request_object.param_missing"
	CodeRequestObjectParamMismatch    Code = "request_object.param_mismatch"
	CodeRequestObjectTooLarge         Code = "request_object.too_large"
	CodeRequestObjectSubIsClient      Code = "request_object.sub_is_client"
	CodeRequestObjectClientIDMissing  Code = "request_object.client_id_missing"

	CodeClaimsMalformed       Code = "claims.malformed"
	CodeClaimsACRNotEssential Code = "claims.acr_not_essential"
	CodeClaimsACRUnsupported  Code = "claims.acr_unsupported"

	CodeAuthnMethodNotAllowed   Code = "client_auth.method_not_allowed"
	CodeAuthnMethodMismatch     Code = "client_auth.method_mismatch"
	CodeAuthnClientIDMismatch   Code = "client_auth.client_id_mismatch"
	CodeAuthnCredentialsMissing Code = "client_auth.credentials_missing"
	CodeAuthnSecretMismatch     Code = "client_auth.secret_mismatch"

	CodeClientAssertionMissing          Code = "client_assertion.missing"
	CodeClientAssertionTypeInvalid      Code = "client_assertion.type_invalid"
	CodeClientAssertionTooLarge         Code = "client_assertion.too_large"
	CodeClientAssertionMalformed        Code = "client_assertion.malformed"
	CodeClientAssertionAlgNotAllowed    Code = "client_assertion.alg_not_allowed"
	CodeClientAssertionSignatureInvalid Code = "client_assertion.signature_invalid"
	CodeClientAssertionKeyTooSmall      Code = "client_assertion.key_too_small"
	CodeClientAssertionExpMissing       Code = "client_assertion.exp_missing"
	CodeClientAssertionExpired          Code = "client_assertion.expired"
	CodeClientAssertionNotYetValid      Code = "client_assertion.not_yet_valid"
	CodeClientAssertionAudMismatch      Code = "client_assertion.aud_mismatch"
	CodeClientAssertionIssMismatch      Code = "client_assertion.iss_mismatch"
	CodeClientAssertionSubMismatch      Code = "client_assertion.sub_mismatch"
	CodeClientAssertionJTIMissing       Code = "client_assertion.jti_missing"

	CodeMTLSCertificateMissing  Code = "mtls.certificate_missing"
	CodeMTLSCertificateMismatch Code = "mtls.certificate_mismatch"

	CodeGrantTypeMissing     Code = "grant_type.missing"
	CodeGrantTypeUnsupported Code = "grant_type.unsupported"
	CodeCodeMissing          Code = "code.missing"
	CodeCodeRecordMissing    Code = "code.record_missing"
	CodeCodeRecordIncomplete Code = "code.record_incomplete"
	CodeCodeClientMismatch   Code = "code.client_mismatch"
	CodeCodeExpired          Code = "code.expired"

	CodePARRequired             Code = "par.required"
	CodePARRequestURINotAllowed Code = "par.request_uri_not_allowed"
	CodePARMethodNotAllowed     Code = "par.method_not_allowed"
	CodePARClientMismatch       Code = "par.client_mismatch"
	CodePARExpired              Code = "par.expired"

	CodeDPoPMissing          Code = "dpop.missing"
	CodeDPoPMalformed        Code = "dpop.malformed"
	CodeDPoPTooLarge         Code = "dpop.too_large"
	CodeDPoPTypInvalid       Code = "dpop.typ_invalid"
	CodeDPoPAlgNotAllowed    Code = "dpop.alg_not_allowed"
	CodeDPoPJWKPrivate       Code = "dpop.jwk_private"
	CodeDPoPSignatureInvalid Code = "dpop.signature_invalid"
	CodeDPoPHTMMismatch      Code = "dpop.htm_mismatch"
	CodeDPoPHTUMismatch      Code = "dpop.htu_mismatch"
	CodeDPoPIATTooOld        Code = "dpop.iat_too_old"
	CodeDPoPIATInFuture      Code = "dpop.iat_in_future"
	CodeDPoPJTIMissing       Code = "dpop.jti_missing"
	CodeDPoPReplayed         Code = "dpop.replayed"
	CodeDPoPJKTMismatch      Code = "dpop.jkt_mismatch"
	CodeDPoPATHPresent       Code = "dpop.ath_present"
	CodeDPoPATHMismatch      Code = "dpop.ath_mismatch"
	CodeDPoPKeyTooSmall      Code = "dpop.key_too_small"
)
