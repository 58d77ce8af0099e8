package fapi

import (
	"slices"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/profile"
)

// CodeInfo documents one violation code: its default OAuth error, the
// clauses a violation with this code may cite, and what it means.
type CodeInfo struct {
	Code    Code
	Error   string
	Refs    []clause.Clause
	Summary string
}

// codeTable is the single list of codes; CODES.md is generated from it and a
// test keeps the two in sync.
var codeTable = withProfileRefs([]CodeInfo{
	{CodeServiceFAPINotSupported, OAuthServerError, []clause.Clause{"FAPI-R-5.2.2", "FAPI1-BASE-5.2.2", "FAPI2-SP-5.3.2"}, "scopes or modes ask for FAPI, but supported_service_profiles does not list fapi"},
	{CodeServiceNoFAPIScope, OAuthServerError, []clause.Clause{"FAPI-R-5.2.2", "FAPI1-BASE-5.2.2"}, "FAPI is on, but no scope has a fapi attribute and no fapi_modes are set"},
	{CodeServiceClientAuthMethodsMissing, OAuthServerError, []clause.Clause{"FAPI-R-5.2.2-4", "FAPI-RW-5.2.2-14"}, "token_endpoint_auth_methods_supported lists no method the profile permits"},
	{CodeServiceACRValuesMissing, OAuthServerError, []clause.Clause{"FAPI-RW-5.2.3-3"}, "acr_values_supported is empty, so no essential acr can be satisfied"},
	{CodeServiceResponseTypesMissing, OAuthServerError, []clause.Clause{"RFC8414-2", "FAPI-RW-5.2.2-2"}, "response_types_supported is missing (RFC 8414 §2 requires it), or offers none of the response types the profile allows"},
	{CodeServiceMTLSBindingUnsupported, OAuthServerError, []clause.Clause{"FAPI-RW-5.2.2-6", "FAPI1-ADV-5.2.2-6"}, "tls_client_certificate_bound_access_tokens is not true"},
	{CodeServiceIssuerMissing, OAuthServerError, []clause.Clause{"RFC8414-2", "OIDCD-3"}, "the service has no issuer, so no aud can be checked"},
	{CodeServiceScopesInvalid, OAuthServerError, []clause.Clause{"RFC6749-3.3"}, "a scope definition has an invalid or duplicate name"},
	{CodeServiceClockSkewInvalid, OAuthServerError, []clause.Clause{"RFC7519-4.1.4", "FAPI2-SP-5.3.2.1-13"}, "clock_skew is negative or above 60 seconds"},

	{CodeServicePublicClientsAllowed, OAuthServerError, []clause.Clause{"FAPI1-ADV-5.2.2-16", "FAPI2-SP-5.3.2.1-3"}, "token_endpoint_auth_methods_supported lists none, but the profile forbids public clients"},
	{CodeServiceRequestObjectUnsupported, OAuthServerError, []clause.Clause{"FAPI1-ADV-5.2.2-1", "FAPI2-MS-5.3.1-1"}, "request_parameter_supported is not true, but the profile requires signed request objects"},
	{CodeServicePAREndpointMissing, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.2-2", "FAPI1-ADV-5.2.2-11", "PAR-5"}, "pushed_authorization_request_endpoint is missing where the profile needs PAR"},
	{CodeServicePARNotRequired, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.2-3"}, "require_pushed_authorization_requests is not true, but every request must come through PAR"},
	{CodeServiceIssParameterUnsupported, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.2-7"}, "authorization_response_iss_parameter_supported is not true"},
	{CodeServicePasswordGrant, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.1-2"}, "grant_types_supported lists the password grant"},
	{CodeServiceCodeLifetimeTooLong, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.1-11"}, "authorization_code_lifetime is more than 60 seconds"},
	{CodeServiceRequestURILifetimeTooLong, OAuthServerError, []clause.Clause{"FAPI2-SP-5.3.2.2-12"}, "request_uri_lifetime is 600 seconds or more"},
	{CodeServiceAlgNotAllowed, OAuthServerError, []clause.Clause{"FAPI-RW-8.6", "FAPI1-ADV-8.6", "FAPI1-ADV-8.6.1-1", "FAPI2-SP-5.4.1-1"}, "an *_alg_values_supported list has an algorithm the profile forbids (Field names the list)"},
	{CodeServiceBindingUnsupported, OAuthServerError, []clause.Clause{"FAPI1-ADV-5.2.2-6", "FAPI2-SP-5.3.2.1-4", "FAPI2-SP-5.3.2.1-5"}, "the service offers no sender-constrained access tokens the profile accepts"},
	{CodeServiceJARMUnsupported, OAuthServerError, []clause.Clause{"FAPI2-MS-5.4.1-1", "FAPI1-ADV-5.2.2.2"}, "response_modes_supported has no JARM mode where signed responses are required"},
	{CodeServicePKCES256Missing, OAuthServerError, []clause.Clause{"FAPI1-BASE-5.2.2-7", "FAPI1-ADV-5.2.2-18", "FAPI2-SP-5.3.2.2-5"}, "code_challenge_methods_supported does not list S256"},
	{CodeProfileNotImplemented, OAuthServerError, []clause.Clause{"RFC6749-4.1.2.1"}, "the profile that applies is not implemented by this version of the library; the request is refused"},
	{CodeProfileSettingInvalid, OAuthServerError, []clause.Clause{"RFC6749-4.1.2.1"}, "fapi_version or fapi_modes has a value the library does not know; the request is refused"},

	{CodeClientMissing, OAuthInvalidClient, []clause.Clause{"RFC6749-2.2"}, "no client configuration was given"},
	{CodeClientClientIDMissing, OAuthInvalidClientMetadata, []clause.Clause{"RFC6749-2.2"}, "the client configuration has no client_id"},
	{CodeClientAuthMethodNotAllowed, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-R-5.2.2-4", "FAPI-RW-5.2.2-14"}, "token_endpoint_auth_method is not one the profile permits"},
	{CodeClientAuthMethodUnsupported, OAuthInvalidClientMetadata, []clause.Clause{"RFC7591-2"}, "token_endpoint_auth_method is not in the service's token_endpoint_auth_methods_supported"},
	{CodeClientRedirectURIsMissing, OAuthInvalidRedirectURI, []clause.Clause{"FAPI-R-5.2.2-8", "FAPI1-BASE-5.2.2-8"}, "no redirect URI is registered"},
	{CodeClientRedirectURINotHTTPS, OAuthInvalidRedirectURI, []clause.Clause{"FAPI-R-5.2.2-20", "RFC6749-3.1.2", "FAPI1-BASE-5.2.2-20", "FAPI2-SP-5.3.2.2-8"}, "a registered redirect URI is not an absolute https URI without fragment"},
	{CodeClientJWKSMissing, OAuthInvalidClientMetadata, []clause.Clause{"OIDCC-9", "RFC8705-2.2.2", "FAPI-RW-5.2.2-1"}, "the client needs registered keys (jwks) and has none"},
	{CodeClientJWKSInvalid, OAuthInvalidClientMetadata, []clause.Clause{"OIDCC-9"}, "the registered jwks cannot be used"},
	{CodeClientKeyTooSmall, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-R-5.2.2-5", "FAPI-R-5.2.2-6"}, "a registered key is smaller than the profile's minimum (RSA 2048, EC 160 bits)"},
	{CodeClientSecretTooShort, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-R-5.2.2-3", "FAPI1-BASE-5.2.2-3", "OIDCC-16.19", "RFC6749-2.3.1"}, "the client secret is shorter than its HMAC algorithm needs, or missing where the authentication method needs one"},
	{CodeClientResponseTypeNotAllowed, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-RW-5.2.2-2"}, "a registered response type is not allowed by the profile"},
	{CodeClientMTLSBindingDisabled, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-RW-5.2.2-5"}, "tls_client_certificate_bound_access_tokens is not true"},
	{CodeClientAlgNotAllowed, OAuthInvalidClientMetadata, []clause.Clause{"FAPI-RW-8.6-1", "OIDCR-2", "FAPI1-ADV-8.6.1-1"}, "a signing algorithm in the client metadata is not allowed (Field names the property)"},
	{CodeClientTLSSubjectInvalid, OAuthInvalidClientMetadata, []clause.Clause{"RFC8705-2.1.2"}, "tls_client_auth needs exactly one registered subject DN or SAN"},

	{CodeClientBindingMissing, OAuthInvalidClientMetadata, []clause.Clause{"FAPI2-SP-5.3.2.1-4"}, "the client uses neither certificate-bound nor DPoP-bound access tokens"},
	{CodeClientGrantTypeNotAllowed, OAuthInvalidClientMetadata, []clause.Clause{"FAPI2-SP-5.3.2.1-2"}, "grant_types lists a grant the profile forbids (password)"},
	{CodeParameterDuplicated, OAuthInvalidRequest, []clause.Clause{"RFC6749-3.1"}, "a request parameter is repeated"},
	{CodeParameterMissing, OAuthInvalidRequest, []clause.Clause{"OIDCC-6.1"}, "a parameter OAuth requires outside the request object (response_type, scope) is missing"},
	{CodeClockNowMissing, OAuthServerError, []clause.Clause{"RFC7519-4.1.4"}, "the caller passed no current time (a zero time.Time); time rules cannot be checked"},
	{CodeClientIDMissing, OAuthInvalidRequest, []clause.Clause{"JAR-5"}, "the request has no client_id parameter"},
	{CodeClientIDMismatch, OAuthInvalidRequest, []clause.Clause{"JAR-5"}, "the client_id parameter is not the client the request was checked for"},

	{CodeRedirectURIMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.2-9", "FAPI1-BASE-5.2.2-9", "FAPI2-SP-5.3.2.2-6"}, "the authorization request has no redirect_uri"},
	{CodeRedirectURINotRegistered, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.2-10", "FAPI1-BASE-5.2.2-10"}, "redirect_uri does not exactly match a registered one"},
	{CodeRedirectURINotHTTPS, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.2-20", "FAPI1-BASE-5.2.2-20", "FAPI2-SP-5.3.2.2-8"}, "redirect_uri is not https"},
	{CodeRedirectURIMismatch, OAuthInvalidGrant, []clause.Clause{"RFC6749-4.1.3"}, "the token request's redirect_uri differs from the authorization request's"},

	{CodeStateMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.3-9"}, "state is required when openid is not requested"},
	{CodeNonceMissing, OAuthInvalidRequest, []clause.Clause{"OIDCC-3.3.2.11"}, "nonce is required when the response type includes id_token"},
	{CodeStateMalformed, OAuthInvalidRequest, []clause.Clause{"RFC6749-A.5"}, "state has a character outside VSCHAR (%x20-7E)"},
	{CodeNonceMalformed, OAuthInvalidRequest, []clause.Clause{"RFC6749-A.5"}, "nonce has a character outside VSCHAR (%x20-7E), the set RFC 6749 gives state"},
	{CodeScopeMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-RW-5.2.2-10", "RFC6749-3.3"}, "the request has no scope"},
	{CodeScopeMalformed, OAuthInvalidScope, []clause.Clause{"RFC6749-3.3"}, "the scope parameter is not a valid space-delimited list of scope tokens"},

	{CodePKCEChallengeMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.2-7", "FAPI-RW-5.2.2-12", "RFC7636-4.4.1"}, "no code_challenge, where the profile requires PKCE"},
	{CodePKCEMethodNotS256, OAuthInvalidRequest, []clause.Clause{"FAPI-R-5.2.2-7", "FAPI-RW-5.2.2-12", "RFC7636-4.3"}, "code_challenge_method is not S256 (an absent method means plain)"},
	{CodePKCEChallengeMalformed, OAuthInvalidRequest, []clause.Clause{"RFC7636-4.2"}, "code_challenge is not 43 base64url characters (S256), or not 43–128 unreserved characters (plain)"},
	{CodePKCEMethodUnsupported, OAuthInvalidRequest, []clause.Clause{"RFC7636-4.4.1", "RFC8414-2"}, "code_challenge_method is not an RFC 7636 method, or not one the service lists in code_challenge_methods_supported (plain OAuth 2.0; FAPI requires S256)"},
	{CodePKCEVerifierMissing, OAuthInvalidGrant, []clause.Clause{"RFC7636-4.5"}, "the token request has no code_verifier, but the authorization had a challenge"},
	{CodePKCEVerifierMalformed, OAuthInvalidGrant, []clause.Clause{"RFC7636-4.1"}, "code_verifier is not 43–128 unreserved characters"},
	{CodePKCEVerifierUnexpected, OAuthInvalidGrant, []clause.Clause{"RFC9700-4.8.2"}, "a code_verifier was sent for a code issued without a code_challenge (PKCE downgrade)"},
	{CodePKCEVerifierMismatch, OAuthInvalidGrant, []clause.Clause{"RFC7636-4.6"}, "code_verifier does not match the stored code_challenge"},

	{CodeResponseTypeMissing, OAuthInvalidRequest, []clause.Clause{"RFC6749-3.1.1"}, "the request has no response_type"},
	{CodeResponseTypeNotAllowed, OAuthUnsupportedResponseType, []clause.Clause{"FAPI-RW-5.2.2-2"}, "the response type is not allowed by the profile"},
	{CodeResponseTypeUnregistered, OAuthUnauthorizedClient, []clause.Clause{"OIDCR-2"}, "the response type is not among the client's registered response_types"},
	{CodeResponseTypeMalformed, OAuthInvalidRequest, []clause.Clause{"RFC6749-3.1.1"}, "response_type is not response names (letters, digits, _) separated by single spaces"},
	{CodeResponseTypeUnsupported, OAuthUnsupportedResponseType, []clause.Clause{"RFC6749-4.1.2.1", "RFC8414-2"}, "the response type is not among the service's response_types_supported"},
	{CodeResponseModeNotAllowed, OAuthInvalidRequest, []clause.Clause{"OAuth2-RT-5"}, "response_mode=query is not allowed with a response type that returns tokens"},

	{CodeResponseModeJARMRequired, OAuthInvalidRequest, []clause.Clause{"FAPI2-MS-5.4.1-1"}, "signed responses are required, so response_mode must be a JARM mode"},
	{CodeResponseModeUnregistered, OAuthInvalidRequest, []clause.Clause{"FAPI2-MS-5.3.3", "OIDCR-2"}, "response_mode is not among the client's registered response_modes"},
	{CodeRequestObjectMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-RW-5.2.2-1", "PAR-2.3"}, "no request or request_uri, where the profile requires a signed request object"},
	{CodeRequestObjectRequestAndURI, OAuthInvalidRequest, []clause.Clause{"OIDCC-6"}, "both request and request_uri were sent"},
	{CodeRequestObjectURINotHTTPS, OAuthInvalidRequestURI, []clause.Clause{"OIDCC-6.2"}, "a request_uri that did not come from the PAR endpoint is neither an absolute https URL nor a urn the server issued"},
	{CodeRequestObjectUnresolved, OAuthInvalidRequestURI, []clause.Clause{"OIDCC-6.2"}, "request_uri was sent but the caller supplied no resolved request object (or one without request_uri)"},
	{CodeRequestObjectMalformed, OAuthInvalidRequestObject, []clause.Clause{"OIDCC-6.1", "JAR-4"}, "the request object is not a well-formed compact JWS with a valid JSON claim set"},
	{CodeRequestObjectUnsigned, OAuthInvalidRequestObject, []clause.Clause{"FAPI-RW-8.6-3", "FAPI-RW-5.2.2-1", "FAPI1-ADV-8.6-3"}, "the request object uses alg none"},
	{CodeRequestObjectAlgNotAllowed, OAuthInvalidRequestObject, []clause.Clause{"FAPI-RW-8.6-1", "OIDCR-2", "OIDCC-6.1"}, "the request object's alg is not allowed or not the client's registered one"},
	{CodeRequestObjectSignatureInvalid, OAuthInvalidRequestObject, []clause.Clause{"JAR-6.2"}, "the signature does not verify with the client's registered keys"},
	{CodeRequestObjectKeyTooSmall, OAuthInvalidRequestObject, []clause.Clause{"FAPI-R-5.2.2-5", "FAPI-R-5.2.2-6"}, "the key that verified the request object is too small or unsafe"},
	{CodeRequestObjectExpMissing, OAuthInvalidRequestObject, []clause.Clause{"FAPI-RW-5.2.2-13", "FAPI1-ADV-5.2.2-13", "FAPI2-MS-5.3.1-4"}, "the request object has no exp"},
	{CodeRequestObjectExpired, OAuthInvalidRequestObject, []clause.Clause{"RFC7519-4.1.4"}, "the request object's exp is not after now"},
	{CodeRequestObjectNbfMissing, OAuthInvalidRequestObject, []clause.Clause{"FAPI1-ADV-5.2.2-17", "FAPI2-MS-5.3.1-3"}, "the request object has no nbf"},
	{CodeRequestObjectNotYetValid, OAuthInvalidRequestObject, []clause.Clause{"RFC7519-4.1.5"}, "the request object's nbf or iat is later than now plus the clock skew"},
	{CodeRequestObjectNbfTooOld, OAuthInvalidRequestObject, []clause.Clause{"FAPI1-ADV-5.2.2-17", "FAPI2-MS-5.3.1-3"}, "the request object's nbf is more than 60 minutes before now"},
	{CodeRequestObjectLifetimeTooLong, OAuthInvalidRequestObject, []clause.Clause{"FAPI1-ADV-5.2.2-13", "FAPI2-MS-5.3.1-4"}, "exp − nbf is more than 60 minutes"},
	{CodeRequestObjectAudMissing, OAuthInvalidRequestObject, []clause.Clause{"OIDCC-6.1", "FAPI1-ADV-5.2.2-15", "FAPI2-MS-5.3.1-2"}, "the request object has no aud"},
	{CodeRequestObjectAudMismatch, OAuthInvalidRequestObject, []clause.Clause{"OIDCC-6.1", "FAPI1-ADV-5.2.2-15", "FAPI2-MS-5.3.1-2"}, "aud is not the issuer or an array containing it"},
	{CodeRequestObjectIssMismatch, OAuthInvalidRequestObject, []clause.Clause{"OIDCC-6.1"}, "iss is present and is not the client_id"},
	{CodeRequestObjectClientIDMismatch, OAuthInvalidRequest, []clause.Clause{"JAR-5"}, "client_id inside the request object differs from the request's client_id"},
	{CodeRequestObjectParamMissing, OAuthInvalidRequest, []clause.Clause{"FAPI-RW-5.2.2-10"}, "a parameter sent outside the request object is not inside it"},
	{CodeRequestObjectParamMismatch, OAuthInvalidRequest, []clause.Clause{"FAPI-RW-5.2.2-10"}, "a parameter outside the request object has a different value inside it"},
	{CodeRequestObjectTooLarge, OAuthInvalidRequestObject, []clause.Clause{"FAPI-RW-7.4", "JAR-4"}, "the request object exceeds the size limit (64 KiB unless configured) and was not parsed"},

	{CodeRequestObjectClientIDMissing, OAuthInvalidRequestObject, []clause.Clause{"JAR-5", "PAR-3"}, "the request object has no client_id claim, where only its values count (FAPI 1.0 Advanced, FAPI 2.0 Message Signing)"},
	{CodeRequestObjectSubIsClient, OAuthInvalidRequestObject, []clause.Clause{"JAR-10.8"}, "sub is the client_id, so the object could double as a client assertion"},
	{CodeClaimsMalformed, OAuthInvalidRequest, []clause.Clause{"OIDCC-5.5"}, "the claims parameter is not a valid claims request"},
	{CodeClaimsACRNotEssential, OAuthInvalidRequest, []clause.Clause{"FAPI-RW-5.2.3-3"}, "the claims parameter does not request acr as an essential ID token claim"},
	{CodeClaimsACRUnsupported, OAuthAccessDenied, []clause.Clause{"OIDCC-5.5.1.1"}, "acr is requested as essential with values, none of which the service lists in acr_values_supported: authentication cannot meet it"},

	{CodeAuthnMethodNotAllowed, OAuthInvalidClient, []clause.Clause{"FAPI-R-5.2.2-4", "FAPI-RW-5.2.2-14"}, "the client authentication method is not one the profile permits"},
	{CodeAuthnMethodMismatch, OAuthInvalidClient, []clause.Clause{"OIDCR-2"}, "the client authenticated with a method other than its registered one"},
	{CodeAuthnClientIDMismatch, OAuthInvalidClient, []clause.Clause{"FAPI-R-5.2.2-19", "FAPI1-BASE-5.2.2-19", "RFC6749-5.2"}, "client identifiers sent in several ways differ"},
	{CodeAuthnCredentialsMissing, OAuthInvalidClient, []clause.Clause{"RFC6749-2.3.1"}, "the client authenticates with client_secret_basic or client_secret_post but sent no secret that way (or no client secret is registered)"},
	{CodeAuthnSecretMismatch, OAuthInvalidClient, []clause.Clause{"RFC6749-2.3.1"}, "the client secret sent is not the registered one (compared in constant time)"},

	{CodeClientAssertionMissing, OAuthInvalidClient, []clause.Clause{"OIDCC-9"}, "no client_assertion was sent by a private_key_jwt or client_secret_jwt client"},
	{CodeClientAssertionTypeInvalid, OAuthInvalidClient, []clause.Clause{"RFC7523-2.2"}, "client_assertion_type is not urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
	{CodeClientAssertionTooLarge, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "the client assertion exceeds the size limit and was not parsed"},
	{CodeClientAssertionMalformed, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "the client assertion is not a well-formed compact JWS with a valid JSON claim set"},
	{CodeClientAssertionAlgNotAllowed, OAuthInvalidClient, []clause.Clause{"FAPI-RW-8.6-1", "OIDCR-2"}, "the assertion's alg is none, not allowed, or not the registered token_endpoint_auth_signing_alg"},
	{CodeClientAssertionSignatureInvalid, OAuthInvalidClient, []clause.Clause{"OIDCC-9"}, "the assertion's signature does not verify with the client's keys or secret"},
	{CodeClientAssertionKeyTooSmall, OAuthInvalidClient, []clause.Clause{"FAPI-R-5.2.2-5", "FAPI-R-5.2.2-6", "FAPI-R-5.2.2-3", "FAPI1-BASE-5.2.2-3", "OIDCC-16.19"}, "the verifying key (or client secret) is too small"},
	{CodeClientAssertionExpMissing, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "the assertion has no exp"},
	{CodeClientAssertionExpired, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "the assertion's exp is not after now"},
	{CodeClientAssertionNotYetValid, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "the assertion's nbf or iat is later than now plus the clock skew"},
	{CodeClientAssertionAudMismatch, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "aud names neither the issuer nor the token endpoint"},
	{CodeClientAssertionIssMismatch, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "iss is missing or not the client_id"},
	{CodeClientAssertionSubMismatch, OAuthInvalidClient, []clause.Clause{"RFC7523-3"}, "sub is missing or not the client_id"},
	{CodeClientAssertionJTIMissing, OAuthInvalidClient, []clause.Clause{"OIDCC-9"}, "the assertion has no jti"},

	{CodeMTLSCertificateMissing, OAuthInvalidClient, []clause.Clause{"FAPI-RW-5.2.2-5", "RFC8705-2", "RFC8705-3"}, "no TLS client certificate, where certificate-bound tokens or mTLS authentication need one (invalid_client with mTLS authentication, invalid_grant otherwise)"},
	{CodeMTLSCertificateMismatch, OAuthInvalidClient, []clause.Clause{"RFC8705-2.1.2", "RFC8705-2.2.2", "RFC8705-3"}, "the TLS client certificate does not match the client's registration"},

	{CodeGrantTypeMissing, OAuthInvalidRequest, []clause.Clause{"RFC6749-4.1.3"}, "the token request has no grant_type"},
	{CodeGrantTypeUnsupported, OAuthUnsupportedGrantType, []clause.Clause{"RFC6749-4.1.3"}, "grant_type is not authorization_code"},
	{CodeCodeMissing, OAuthInvalidRequest, []clause.Clause{"RFC6749-4.1.3"}, "the token request has no code"},
	{CodeCodeRecordMissing, OAuthInvalidGrant, []clause.Clause{"RFC6749-4.1.3"}, "the caller supplied no record of the authorization the code was issued for"},
	{CodeCodeRecordIncomplete, OAuthInvalidGrant, []clause.Clause{"RFC6749-4.1.3"}, "the authorization record lacks the client_id, redirect_uri or issued_at the code is bound to, or issued_at is in the future"},
	{CodeCodeClientMismatch, OAuthInvalidGrant, []clause.Clause{"RFC6749-4.1.3"}, "the code was issued to another client"},
	{CodeCodeExpired, OAuthInvalidGrant, []clause.Clause{"FAPI2-SP-5.3.2.1-11"}, "the authorization code is older than the profile's code lifetime (60 s under FAPI 2.0)"},

	{CodePARRequired, OAuthInvalidRequest, []clause.Clause{"FAPI2-SP-5.3.2.2-2", "FAPI2-SP-5.3.2.2-3", "FAPI2-MS-5.3.1-1", "PAR-6"}, "the authorization request did not come through the PAR endpoint, where the profile demands it"},
	{CodePARRequestURINotAllowed, OAuthInvalidRequest, []clause.Clause{"PAR-2.1"}, "a request_uri was sent in the body of a pushed authorization request (one inside the request object is request_object.malformed)"},
	{CodePARMethodNotAllowed, OAuthInvalidRequest, []clause.Clause{"PAR-2.3"}, "the PAR endpoint accepts only POST (answer HTTP 405)"},
	{CodePARClientMismatch, OAuthInvalidRequestURI, []clause.Clause{"PAR-2.2", "PAR-4"}, "the request_uri was pushed by another client"},
	{CodePARExpired, OAuthInvalidRequestURI, []clause.Clause{"PAR-2.2", "PAR-4"}, "the request_uri has expired (or its record has no expiry)"},

	{CodeDPoPMissing, OAuthInvalidDPoPProof, []clause.Clause{"FAPI2-SP-5.3.2.1-4", "DPOP-4.3"}, "no DPoP proof, where DPoP-bound tokens need one"},
	{CodeDPoPMalformed, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof is not one well-formed compact JWS with the required claims"},
	{CodeDPoPTooLarge, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof exceeds the size limit and was not parsed"},
	{CodeDPoPTypInvalid, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof's typ is not dpop+jwt"},
	{CodeDPoPAlgNotAllowed, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3", "FAPI2-SP-5.4.1-1"}, "the DPoP proof's alg is not an allowed asymmetric algorithm"},
	{CodeDPoPJWKPrivate, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof's jwk holds private key material"},
	{CodeDPoPSignatureInvalid, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof's signature does not verify with its jwk"},
	{CodeDPoPHTMMismatch, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "htm is not the request's HTTP method"},
	{CodeDPoPHTUMismatch, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "htu is not the request's URL (query and fragment ignored)"},
	{CodeDPoPIATTooOld, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3", "DPOP-11.1"}, "the DPoP proof's iat is older than the accepted window"},
	{CodeDPoPIATInFuture, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3", "FAPI2-SP-5.3.2.1-13"}, "the DPoP proof's iat is later than now plus the clock skew"},
	{CodeDPoPJTIMissing, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "the DPoP proof has no jti"},
	{CodeDPoPReplayed, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-11.1"}, "the DPoP proof's jti was seen before (by the caller's replay cache)"},
	{CodeDPoPJKTMismatch, OAuthInvalidDPoPProof, []clause.Clause{"FAPI2-SP-5.3.2.1-12", "DPOP-10.1"}, "the DPoP key is not the one the grant or the pushed request is bound to"},
	{CodeDPoPATHPresent, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "an ath claim at the token or PAR endpoint"},
	{CodeDPoPATHMismatch, OAuthInvalidDPoPProof, []clause.Clause{"DPOP-4.3"}, "ath is missing or is not the hash of the access token presented (resource requests)"},
	{CodeDPoPKeyTooSmall, OAuthInvalidDPoPProof, []clause.Clause{"FAPI2-SP-5.4.1-2", "FAPI2-SP-5.4.1-3"}, "the DPoP proof's key is smaller than the profile's minimum"},
})

// withProfileRefs adds to each code the clauses the profiles' requirement
// tables cite for it (package profile), so that the table lists every
// clause a violation of that code may carry whatever the profile.
func withProfileRefs(table []CodeInfo) []CodeInfo {
	extra := map[Code][]clause.Clause{}
	add := func(ref clause.Clause, codes ...Code) {
		if !ref.Applies() {
			return
		}
		for _, c := range codes {
			extra[c] = append(extra[c], ref)
		}
	}
	for _, p := range profile.All() {
		r, ok := p.Requirements()
		if !ok {
			continue
		}
		add(r.ClientAuthMethods.Clause, CodeClientAuthMethodNotAllowed, CodeAuthnMethodNotAllowed, CodeServiceClientAuthMethodsMissing)
		add(r.NoPublicClients, CodeClientAuthMethodNotAllowed, CodeAuthnMethodNotAllowed, CodeServicePublicClientsAllowed)
		for _, ref := range []clause.Clause{r.Keys.RSA, r.Keys.EC} {
			add(ref, CodeClientKeyTooSmall, CodeRequestObjectKeyTooSmall, CodeClientAssertionKeyTooSmall, CodeMTLSCertificateMismatch, CodeDPoPKeyTooSmall)
		}
		add(r.PKCE.Clause, CodePKCEChallengeMissing, CodePKCEMethodNotS256, CodeServicePKCES256Missing)
		add(r.RequestObject, CodeRequestObjectMissing, CodeClientJWKSMissing, CodeServiceRequestObjectUnsupported)
		add(r.RequestObjectAlgs.Clause, CodeRequestObjectAlgNotAllowed, CodeRequestObjectUnsigned, CodeClientAlgNotAllowed)
		add(r.RequireExp, CodeRequestObjectExpMissing)
		add(r.RequireNbf, CodeRequestObjectNbfMissing)
		add(r.RequireAud, CodeRequestObjectAudMissing, CodeRequestObjectAudMismatch)
		add(r.MaxLifetime.Clause, CodeRequestObjectLifetimeTooLong)
		add(r.MaxNbfAge.Clause, CodeRequestObjectNbfTooOld)
		add(r.Outside.Clause, CodeRequestObjectParamMissing, CodeRequestObjectParamMismatch)
		add(r.PARRequired, CodePARRequired, CodeServicePAREndpointMissing)
		add(r.ResponseTypes.Clause, CodeResponseTypeNotAllowed, CodeClientResponseTypeNotAllowed, CodeServiceResponseTypesMissing)
		add(r.RequireJARM, CodeResponseModeJARMRequired, CodeServiceJARMUnsupported)
		add(r.EssentialACR, CodeClaimsACRNotEssential, CodeServiceACRValuesMissing)
		add(r.Binding.Clause, CodeClientMTLSBindingDisabled, CodeClientBindingMissing, CodeMTLSCertificateMissing, CodeDPoPMissing,
			CodeServiceMTLSBindingUnsupported, CodeServiceBindingUnsupported)
		add(r.SigningAlgs.Clause, CodeClientAlgNotAllowed, CodeClientAssertionAlgNotAllowed, CodeDPoPAlgNotAllowed, CodeServiceAlgNotAllowed)
		add(r.AssertionAudience.Clause, CodeClientAssertionAudMismatch)
		add(r.StateWithoutOpenID, CodeStateMissing)
		add(r.Nonce.Clause, CodeNonceMissing)
		add(r.CodeLifetime.Clause, CodeCodeExpired, CodeCodeRecordIncomplete, CodeServiceCodeLifetimeTooLong)
		add(r.UnsignedRequestObject, CodeRequestObjectUnsigned)
		add(r.RequireClientIDClaim, CodeRequestObjectClientIDMissing)
		add(r.OutsideRequired.Clause, CodeParameterMissing)
		add(r.RequireScope, CodeScopeMissing)
		add(r.Redirect.Required, CodeRedirectURIMissing)
		add(r.Redirect.Exact, CodeRedirectURINotRegistered)
		add(r.Redirect.HTTPS, CodeRedirectURINotHTTPS, CodeClientRedirectURINotHTTPS)
		add(r.Redirect.Registered, CodeClientRedirectURIsMissing)
	}
	for i := range table {
		for _, ref := range extra[table[i].Code] {
			if !slices.Contains(table[i].Refs, ref) {
				table[i].Refs = append(table[i].Refs, ref)
			}
		}
	}
	return table
}

var codeIndex = func() map[Code]int {
	m := make(map[Code]int, len(codeTable))
	for i, c := range codeTable {
		m[c.Code] = i
	}
	return m
}()

// CodeInfos returns the documentation of every code, in table order.
func CodeInfos() []CodeInfo {
	out := make([]CodeInfo, len(codeTable))
	for i, c := range codeTable {
		c.Refs = append([]clause.Clause(nil), c.Refs...)
		out[i] = c
	}
	return out
}

// Info returns the documentation of c.
func (c Code) Info() (CodeInfo, bool) {
	i, ok := codeIndex[c]
	if !ok {
		return CodeInfo{}, false
	}
	info := codeTable[i]
	info.Refs = append([]clause.Clause(nil), info.Refs...)
	return info, true
}

func defaultError(c Code) string {
	if i, ok := codeIndex[c]; ok {
		return codeTable[i].Error
	}
	return OAuthInvalidRequest
}

// defaultRef is the clause a violation cites when its check names none:
// the first of the code's clauses that belongs to a profile the report is
// judged under, else the first that belongs to no profile.
func defaultRef(refs []clause.Clause, set profile.Set) clause.Clause {
	for _, r := range refs {
		if _, own := profile.ClauseProfiles(r); own && profile.ClauseFits(r, set) {
			return r
		}
	}
	for _, r := range refs {
		if profile.ClauseFits(r, set) {
			return r
		}
	}
	if len(refs) > 0 {
		return refs[0]
	}
	return clause.None
}
