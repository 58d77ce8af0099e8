// Package metadata lists the standard metadata members of an authorization
// server (discovery) and of a client (registration), each with the JSON type
// of its value and the specification section that defines it, together with
// the library's own settings that share those JSON objects in a fapi.Service,
// a fapi.Client and a case file.
//
// It is the one list that both fapi.ServiceFromDiscovery and
// fapi.ClientFromRegistration (which read the documents) and casefile (which
// warns about unknown members) consult, so that a standard member such as
// claims_parameter_supported is known everywhere or nowhere
// (docs/DESIGN.md, "Configuration from discovery and registration documents").
//
// A member is known when its name is exactly one of the listed names: names
// are case-sensitive (RFC 8259 §8.3). Extensions are legal (RFC 8414 §2,
// RFC 7591 §2), so an unknown member is never an error of this package.
package metadata

import "strings"

// Kind is the JSON type a member's value must have.
type Kind uint8

// The value kinds of metadata members.
const (
	// String is a JSON string (URLs, identifiers, algorithm names).
	String Kind = iota + 1
	// Strings is a JSON array of strings.
	Strings
	// Bool is true or false.
	Bool
	// Object is a JSON object (mtls_endpoint_aliases, jwks).
	Object
	// Number is a JSON number (client_id_issued_at, default_max_age).
	Number
	// Any is a value of the library's own settings whose shape the fapi
	// types define (scopes: an array of objects; durations: numbers).
	Any
)

// String returns the JSON name of the kind, for messages.
func (k Kind) String() string {
	switch k {
	case String:
		return "a string"
	case Strings:
		return "an array of strings"
	case Bool:
		return "true or false"
	case Object:
		return "an object"
	case Number:
		return "a number"
	}
	return "a value"
}

// Member is one member of a metadata object.
type Member struct {
	// Name is the member name, exactly as the specification spells it.
	Name string
	// Kind is the JSON type of its value.
	Kind Kind
	// Ref is the specification section that defines it, or, for the
	// library's own settings, the section of docs/DESIGN.md.
	Ref string
	// Setting marks the library's own settings (fapi.FAPISettings,
	// fapi.ClientSettings): they are not standard metadata, and a discovery
	// or registration document that carries one is not read for it.
	Setting bool
}

// References used in the lists.
const (
	rfc8414     = "RFC 8414 §2"
	oidcDisc    = "OIDC Discovery 1.0 §3"
	rfc7591     = "RFC 7591 §2"
	rfc7591Resp = "RFC 7591 §3.2.1"
	rfc7592     = "RFC 7592 §3"
	oidcReg     = "OIDC Registration 1.0 §2"
	jarmServer  = "JARM §4"
	jarmClient  = "JARM §3"
	ciba        = "OIDC CIBA Core 1.0 §4"
	design      = "docs/DESIGN.md §10.2"
)

// service lists the members of an authorization server's metadata: RFC 8414
// §2 and §2.1, OIDC Discovery 1.0 §3, OIDC Session Management 1.0 §3.3,
// OIDC Front-Channel Logout 1.0 §3, OIDC Back-Channel Logout 1.0 §2.1, OIDC
// RP-Initiated Logout 1.0 §2.1, RFC 8628 §4, RFC 8705 §3.3 and §5, RFC 9101
// §10.5, RFC 9126 §5, RFC 9207 §3, RFC 9396 §10, RFC 9449 §5.1, RFC 9701
// §7, JARM §4 and CIBA Core §4; then the library's own settings.
var service = []Member{
	{"issuer", String, rfc8414, false},
	{"authorization_endpoint", String, rfc8414, false},
	{"token_endpoint", String, rfc8414, false},
	{"jwks_uri", String, rfc8414, false},
	{"registration_endpoint", String, rfc8414, false},
	{"scopes_supported", Strings, rfc8414, false},
	{"response_types_supported", Strings, rfc8414, false},
	{"response_modes_supported", Strings, rfc8414, false},
	{"grant_types_supported", Strings, rfc8414, false},
	{"token_endpoint_auth_methods_supported", Strings, rfc8414, false},
	{"token_endpoint_auth_signing_alg_values_supported", Strings, rfc8414, false},
	{"service_documentation", String, rfc8414, false},
	{"ui_locales_supported", Strings, rfc8414, false},
	{"op_policy_uri", String, rfc8414, false},
	{"op_tos_uri", String, rfc8414, false},
	{"revocation_endpoint", String, rfc8414, false},
	{"revocation_endpoint_auth_methods_supported", Strings, rfc8414, false},
	{"revocation_endpoint_auth_signing_alg_values_supported", Strings, rfc8414, false},
	{"introspection_endpoint", String, rfc8414, false},
	{"introspection_endpoint_auth_methods_supported", Strings, rfc8414, false},
	{"introspection_endpoint_auth_signing_alg_values_supported", Strings, rfc8414, false},
	{"code_challenge_methods_supported", Strings, rfc8414, false},
	{"signed_metadata", String, "RFC 8414 §2.1", false},

	{"userinfo_endpoint", String, oidcDisc, false},
	{"acr_values_supported", Strings, oidcDisc, false},
	{"subject_types_supported", Strings, oidcDisc, false},
	{"id_token_signing_alg_values_supported", Strings, oidcDisc, false},
	{"id_token_encryption_alg_values_supported", Strings, oidcDisc, false},
	{"id_token_encryption_enc_values_supported", Strings, oidcDisc, false},
	{"userinfo_signing_alg_values_supported", Strings, oidcDisc, false},
	{"userinfo_encryption_alg_values_supported", Strings, oidcDisc, false},
	{"userinfo_encryption_enc_values_supported", Strings, oidcDisc, false},
	{"request_object_signing_alg_values_supported", Strings, oidcDisc, false},
	{"request_object_encryption_alg_values_supported", Strings, oidcDisc, false},
	{"request_object_encryption_enc_values_supported", Strings, oidcDisc, false},
	{"display_values_supported", Strings, oidcDisc, false},
	{"claim_types_supported", Strings, oidcDisc, false},
	{"claims_supported", Strings, oidcDisc, false},
	{"claims_locales_supported", Strings, oidcDisc, false},
	{"claims_parameter_supported", Bool, oidcDisc, false},
	{"request_parameter_supported", Bool, oidcDisc, false},
	{"request_uri_parameter_supported", Bool, oidcDisc, false},
	{"require_request_uri_registration", Bool, oidcDisc, false},

	{"check_session_iframe", String, "OIDC Session Management 1.0 §3.3", false},
	{"frontchannel_logout_supported", Bool, "OIDC Front-Channel Logout 1.0 §3", false},
	{"frontchannel_logout_session_supported", Bool, "OIDC Front-Channel Logout 1.0 §3", false},
	{"backchannel_logout_supported", Bool, "OIDC Back-Channel Logout 1.0 §2.1", false},
	{"backchannel_logout_session_supported", Bool, "OIDC Back-Channel Logout 1.0 §2.1", false},
	{"end_session_endpoint", String, "OIDC RP-Initiated Logout 1.0 §2.1", false},

	{"device_authorization_endpoint", String, "RFC 8628 §4", false},
	{"tls_client_certificate_bound_access_tokens", Bool, "RFC 8705 §3.3", false},
	{"mtls_endpoint_aliases", Object, "RFC 8705 §5", false},
	{"require_signed_request_object", Bool, "RFC 9101 §10.5", false},
	{"pushed_authorization_request_endpoint", String, "RFC 9126 §5", false},
	{"require_pushed_authorization_requests", Bool, "RFC 9126 §5", false},
	{"authorization_response_iss_parameter_supported", Bool, "RFC 9207 §3", false},
	{"authorization_details_types_supported", Strings, "RFC 9396 §10", false},
	{"dpop_signing_alg_values_supported", Strings, "RFC 9449 §5.1", false},
	{"introspection_signing_alg_values_supported", Strings, "RFC 9701 §7", false},
	{"introspection_encryption_alg_values_supported", Strings, "RFC 9701 §7", false},
	{"introspection_encryption_enc_values_supported", Strings, "RFC 9701 §7", false},
	{"authorization_signing_alg_values_supported", Strings, jarmServer, false},
	{"authorization_encryption_alg_values_supported", Strings, jarmServer, false},
	{"authorization_encryption_enc_values_supported", Strings, jarmServer, false},
	{"backchannel_token_delivery_modes_supported", Strings, ciba, false},
	{"backchannel_authentication_endpoint", String, ciba, false},
	{"backchannel_authentication_request_signing_alg_values_supported", Strings, ciba, false},
	{"backchannel_user_code_parameter_supported", Bool, ciba, false},

	// The library's own settings (fapi.FAPISettings): not RFC 8414.
	{"supported_service_profiles", Strings, design, true},
	{"fapi_version", String, design, true},
	{"fapi_modes", Strings, design, true},
	{"scopes", Any, design, true},
	{"nbf_optional", Bool, design, true},
	{"clock_skew", Any, design, true},
	{"max_request_object_size", Any, design, true},
	{"allow_unregistered_redirect_uris", Bool, design, true},
	{"authorization_code_lifetime", Any, design, true},
	{"request_uri_lifetime", Any, design, true},
	{"refresh_token_rotation", Bool, design, true},
	{"refresh_token_reuse_interval", Any, design, true},
	{"require_dpop_nonce", Bool, design, true},
}

// client lists the members of a client's registration: RFC 7591 §2, §2.3 and
// §3.2.1, RFC 7592 §3, OIDC Registration 1.0 §2 and §3.2, OIDC Front-Channel
// Logout 1.0 §2, OIDC Back-Channel Logout 1.0 §2.2, OIDC RP-Initiated Logout
// 1.0 §3.1, RFC 8705 §2.1.2 and §3.4, RFC 9101 §10.5, RFC 9126 §6, RFC 9396
// §10, RFC 9449 §5.2, RFC 9701 §6, JARM §3 and CIBA Core §4; then the
// library's own settings.
var client = []Member{
	{"redirect_uris", Strings, rfc7591, false},
	{"token_endpoint_auth_method", String, rfc7591, false},
	{"grant_types", Strings, rfc7591, false},
	{"response_types", Strings, rfc7591, false},
	{"client_name", String, rfc7591, false},
	{"client_uri", String, rfc7591, false},
	{"logo_uri", String, rfc7591, false},
	{"scope", String, rfc7591, false},
	{"contacts", Strings, rfc7591, false},
	{"tos_uri", String, rfc7591, false},
	{"policy_uri", String, rfc7591, false},
	{"jwks_uri", String, rfc7591, false},
	{"jwks", Object, rfc7591, false},
	{"software_id", String, rfc7591, false},
	{"software_version", String, rfc7591, false},
	{"software_statement", String, "RFC 7591 §2.3", false},
	{"client_id", String, rfc7591Resp, false},
	{"client_secret", String, rfc7591Resp, false},
	{"client_id_issued_at", Number, rfc7591Resp, false},
	{"client_secret_expires_at", Number, rfc7591Resp, false},
	{"registration_access_token", String, rfc7592, false},
	{"registration_client_uri", String, rfc7592, false},

	{"application_type", String, oidcReg, false},
	{"sector_identifier_uri", String, oidcReg, false},
	{"subject_type", String, oidcReg, false},
	{"id_token_signed_response_alg", String, oidcReg, false},
	{"id_token_encrypted_response_alg", String, oidcReg, false},
	{"id_token_encrypted_response_enc", String, oidcReg, false},
	{"userinfo_signed_response_alg", String, oidcReg, false},
	{"userinfo_encrypted_response_alg", String, oidcReg, false},
	{"userinfo_encrypted_response_enc", String, oidcReg, false},
	{"request_object_signing_alg", String, oidcReg, false},
	{"request_object_encryption_alg", String, oidcReg, false},
	{"request_object_encryption_enc", String, oidcReg, false},
	{"token_endpoint_auth_signing_alg", String, oidcReg, false},
	{"default_max_age", Number, oidcReg, false},
	{"require_auth_time", Bool, oidcReg, false},
	{"default_acr_values", Strings, oidcReg, false},
	{"initiate_login_uri", String, oidcReg, false},
	{"request_uris", Strings, oidcReg, false},

	{"frontchannel_logout_uri", String, "OIDC Front-Channel Logout 1.0 §2", false},
	{"frontchannel_logout_session_required", Bool, "OIDC Front-Channel Logout 1.0 §2", false},
	{"backchannel_logout_uri", String, "OIDC Back-Channel Logout 1.0 §2.2", false},
	{"backchannel_logout_session_required", Bool, "OIDC Back-Channel Logout 1.0 §2.2", false},
	{"post_logout_redirect_uris", Strings, "OIDC RP-Initiated Logout 1.0 §3.1", false},

	{"tls_client_auth_subject_dn", String, "RFC 8705 §2.1.2", false},
	{"tls_client_auth_san_dns", String, "RFC 8705 §2.1.2", false},
	{"tls_client_auth_san_uri", String, "RFC 8705 §2.1.2", false},
	{"tls_client_auth_san_ip", String, "RFC 8705 §2.1.2", false},
	{"tls_client_auth_san_email", String, "RFC 8705 §2.1.2", false},
	{"tls_client_certificate_bound_access_tokens", Bool, "RFC 8705 §3.4", false},
	{"require_signed_request_object", Bool, "RFC 9101 §10.5", false},
	{"require_pushed_authorization_requests", Bool, "RFC 9126 §6", false},
	{"authorization_details_types", Strings, "RFC 9396 §10", false},
	{"dpop_bound_access_tokens", Bool, "RFC 9449 §5.2", false},
	{"introspection_signed_response_alg", String, "RFC 9701 §6", false},
	{"introspection_encrypted_response_alg", String, "RFC 9701 §6", false},
	{"introspection_encrypted_response_enc", String, "RFC 9701 §6", false},
	{"authorization_signed_response_alg", String, jarmClient, false},
	{"authorization_encrypted_response_alg", String, jarmClient, false},
	{"authorization_encrypted_response_enc", String, jarmClient, false},
	{"response_modes", Strings, "FAPI 2.0 Message Signing §5.3.3", false},
	{"backchannel_token_delivery_mode", String, ciba, false},
	{"backchannel_client_notification_endpoint", String, ciba, false},
	{"backchannel_authentication_request_signing_alg", String, ciba, false},
	{"backchannel_user_code_parameter", Bool, ciba, false},

	// The library's own settings (fapi.ClientSettings): not RFC 7591.
	{"client_type", String, design, true},
	{"fapi_modes", Strings, design, true},
}

// humanReadable are the client members that may carry a language tag,
// "client_name#ja-Jpan-JP" (RFC 7591 §2.2).
var humanReadable = map[string]bool{
	"client_name": true, "client_uri": true, "logo_uri": true, "tos_uri": true, "policy_uri": true,
}

var serviceIndex, clientIndex = index(service), index(client)

func index(list []Member) map[string]Member {
	m := make(map[string]Member, len(list))
	for _, e := range list {
		m[e.Name] = e
	}
	return m
}

// Service returns the authorization server metadata members, the library's
// own settings last. The slice is a copy.
func Service() []Member { return append([]Member(nil), service...) }

// Client returns the client metadata members, the library's own settings
// last. The slice is a copy.
func Client() []Member { return append([]Member(nil), client...) }

// LookupService returns the authorization server member named exactly name.
func LookupService(name string) (Member, bool) {
	m, ok := serviceIndex[name]
	return m, ok
}

// LookupClient returns the client member named exactly name. A
// human-readable member with a language tag ("client_name#en", RFC 7591
// §2.2) is that member; the tag must be non-empty.
func LookupClient(name string) (Member, bool) {
	if m, ok := clientIndex[name]; ok {
		return m, true
	}
	base, tag, ok := strings.Cut(name, "#")
	if !ok || tag == "" || !humanReadable[base] {
		return Member{}, false
	}
	m := clientIndex[base]
	m.Name = name
	return m, true
}
