package fapi

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/metadata"
	"github.com/fapicheck/fapicheck/internal/strictjson"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// FAPISettings are the library's own settings of a FAPI server: what
// selects and tunes the FAPI profiles. They are NOT RFC 8414 or OpenID
// Connect Discovery metadata — no discovery document carries them, and
// ServiceFromDiscovery never reads them from one (docs/DESIGN.md, "Configuration
// from discovery and registration documents"). The JSON names are those of
// the case file's service members (docs/DESIGN.md §10.2).
type FAPISettings struct {
	// SupportedServiceProfiles must list "fapi" for any FAPI rule to apply
	// (docs/DESIGN.md §3.2).
	SupportedServiceProfiles []string `json:"supported_service_profiles,omitempty"`
	// FAPIVersion is "1.0-id2" or "1.0-final" (the default): which FAPI 1.0
	// profiles the fapi=r and fapi=rw scope attributes select.
	FAPIVersion string `json:"fapi_version,omitempty"`
	// FAPIModes are static modes that apply to every request.
	FAPIModes []string `json:"fapi_modes,omitempty"`
	// Scopes are the scopes the service defines, with their attributes
	// (fapi=r|rw, fapi2=sp|ms-authreq|ms-authres).
	Scopes []scope.Definition `json:"scopes,omitempty"`
	// NbfOptional lets FAPI 1.0 Final requests omit nbf while clients
	// migrate; what it waives is still reported (Report.Waived).
	NbfOptional bool `json:"nbf_optional,omitempty"`
	// ClockSkew is how far in the future iat and nbf may be; 0 means
	// DefaultClockSkew, more than MaxClockSkew is refused
	// (FAPI2-SP-5.3.2.1-13).
	ClockSkew Seconds `json:"clock_skew,omitempty"`
	// MaxRequestObjectSize is the size limit, in bytes, of request objects,
	// client assertions and DPoP proofs; 0 means 64 KiB.
	MaxRequestObjectSize int `json:"max_request_object_size,omitempty"`
	// AllowUnregisteredRedirectURIs lets a client authenticated at the PAR
	// endpoint use a redirect URI it did not register, under FAPI 2.0 only
	// (RFC 9126 §2.4).
	AllowUnregisteredRedirectURIs bool `json:"allow_unregistered_redirect_uris,omitempty"`
	// AuthorizationCodeLifetime and RequestURILifetime are the lifetimes
	// the service gives codes and PAR request_uris (FAPI2-SP-5.3.2.1-11,
	// FAPI2-SP-5.3.2.2-12).
	AuthorizationCodeLifetime Seconds `json:"authorization_code_lifetime,omitempty"`
	RequestURILifetime        Seconds `json:"request_uri_lifetime,omitempty"`
	// RefreshTokenRotation and RefreshTokenReuseInterval: see the Service
	// fields (RFC 9700 §4.14.2, FAPI2-SP-5.3.2.1-9).
	RefreshTokenRotation      bool    `json:"refresh_token_rotation,omitempty"`
	RefreshTokenReuseInterval Seconds `json:"refresh_token_reuse_interval,omitempty"`
	// RequireDPoPNonce refuses DPoP proofs without the server's nonce at
	// the PAR and token endpoints and at the resource (RFC 9449 §8, §9);
	// the nonces come from the source given to NewChecker with
	// WithDPoPNonces (see Service.RequireDPoPNonce).
	RequireDPoPNonce bool `json:"require_dpop_nonce,omitempty"`

	// ExpectedIssuer, when set, is the issuer the caller fetched the
	// document for: the document's issuer must be exactly this string
	// (RFC 8414 §3.3, OIDC Discovery 1.0 §4.3). It is not copied into the
	// Service.
	ExpectedIssuer string `json:"expected_issuer,omitempty"`
}

// isZero reports whether no setting was given.
func (s *FAPISettings) isZero() bool {
	return len(s.SupportedServiceProfiles) == 0 && s.FAPIVersion == "" && len(s.FAPIModes) == 0 &&
		len(s.Scopes) == 0 && !s.NbfOptional && s.ClockSkew == 0 && s.MaxRequestObjectSize == 0 &&
		!s.AllowUnregisteredRedirectURIs && s.AuthorizationCodeLifetime == 0 && s.RequestURILifetime == 0 &&
		!s.RefreshTokenRotation && s.RefreshTokenReuseInterval == 0 && !s.RequireDPoPNonce && s.ExpectedIssuer == ""
}

// ServiceFromDiscovery builds a FAPI server's Service from its RFC 8414 /
// OpenID Connect Discovery 1.0 metadata document and the library's own FAPI
// settings, and fails closed.
//
// The document is read strictly: at most MaxMetadataDocumentSize bytes, one
// JSON object, duplicate member names and invalid UTF-8 refused at any
// depth, member names case-sensitive. Every standard member of RFC 8414 §2,
// OIDC Discovery 1.0 §3, OIDC Session Management and the logout
// specifications, RFC 8705 §3.3 and §5, RFC 9101 §10.5, RFC 9126 §5, RFC 9207
// §3, RFC 9449 §5.1 and JARM §4 (and a few more, see internal/metadata) is
// known and type-checked; a known member the library does not use is
// ignored. An unknown member is returned as a warning, never an error
// (RFC 8414 §2 allows extensions); so is a member named like one of the
// library's settings, which is not read from the document.
//
// It returns a *MetadataError matching, with errors.Is:
//   - ErrMetadataMalformed for a document that cannot be read;
//   - ErrIssuerInvalid for an absent issuer or one that is not an https URL
//     with a host and without query and fragment (RFC 8414 §2) or user
//     information, ErrIssuerMismatch when it is not
//     settings.ExpectedIssuer;
//   - ErrEndpointInvalid for an authorization, token or PAR endpoint, or an
//     mTLS alias, that is not an absolute https URL without fragment;
//   - ErrNoFAPISettings when settings is empty, ErrNoFAPIProfile when it
//     selects no FAPI profile: a FAPI server's document without its FAPI
//     settings is an error, never a silent profile none;
//   - ErrSettingsInvalid for a setting the library does not accept;
//   - ErrSettingsContradictMetadata when the document contradicts the
//     settings: a scope with a FAPI attribute that scopes_supported, when
//     present, does not list.
//
// The result is not linted: run CheckService on it for the profile rules
// (PAR endpoint, binding, algorithms, ...). The caller gives the DPoP replay
// cache and nonce source to NewChecker itself (WithReplayCache,
// WithDPoPNonces). The library never fetches the document.
func ServiceFromDiscovery(doc []byte, settings FAPISettings) (Service, []MetadataWarning, error) {
	var svc Service
	r := metadataReader{lookup: metadata.LookupService, fields: serviceFields, settings: "FAPISettings"}
	if err := r.read(doc, &svc); err != nil {
		return Service{}, r.warnings, err
	}
	if err := checkIssuer(svc.Issuer, settings.ExpectedIssuer); err != nil {
		return Service{}, r.warnings, err
	}
	endpoints := []struct{ name, value string }{
		{"authorization_endpoint", svc.AuthorizationEndpoint},
		{"token_endpoint", svc.TokenEndpoint},
		{"pushed_authorization_request_endpoint", svc.PushedAuthorizationRequestEndpoint},
	}
	for _, name := range sortedKeys(svc.MTLSEndpointAliases) {
		endpoints = append(endpoints, struct{ name, value string }{"mtls_endpoint_aliases." + name, svc.MTLSEndpointAliases[name]})
	}
	for i, e := range endpoints {
		if _, present := r.present[e.name]; i < 3 && !present {
			continue // absent: CheckService reports what a profile needs
		}
		if reason := endpointProblem(e.value); reason != "" {
			return Service{}, r.warnings, &MetadataError{Member: e.name, Err: ErrEndpointInvalid, Detail: reason}
		}
	}
	if err := applySettings(&svc, &settings); err != nil {
		return Service{}, r.warnings, err
	}
	if err := checkContradictions(&settings, r.present); err != nil {
		return Service{}, r.warnings, err
	}
	return svc, r.warnings, nil
}

// checkIssuer: RFC 8414 §2, "a URL that uses the https scheme and has no
// query or fragment components", with a host and, since it is compared as
// a string and read by people, no user information; §3.3, identical to the
// expected issuer.
func checkIssuer(issuer, expected string) error {
	if issuer == "" {
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "absent or empty (RFC 8414 section 2: REQUIRED)"}
	}
	u, err := url.Parse(issuer)
	switch {
	case err != nil:
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "not a URL"}
	case u.Scheme != "https":
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "the scheme is not https"}
	case u.Host == "" || u.Opaque != "":
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "no host"}
	case u.User != nil:
		// RFC 3986 §7.6: user information before the host misleads readers.
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "it has user information"}
	case strings.ContainsAny(issuer, "?#"):
		return &MetadataError{Member: "issuer", Err: ErrIssuerInvalid, Detail: "it has a query or fragment component"}
	}
	if expected != "" && issuer != expected {
		return &MetadataError{Member: "issuer", Err: ErrIssuerMismatch, Detail: fmt.Sprintf("%q, expected %q", shortName(issuer), shortName(expected))}
	}
	return nil
}

// endpointProblem says why u is not an absolute https URL with a host,
// without fragment (RFC 6749 §3.1, §3.2) and without user information, or
// "".
func endpointProblem(u string) string {
	p, err := url.Parse(u)
	switch {
	case u == "":
		return "empty"
	case err != nil:
		return "not a URL"
	case p.Scheme != "https":
		return "the scheme is not https"
	case p.Host == "" || p.Opaque != "":
		return "no host"
	case p.User != nil:
		return "it has user information (RFC 3986 section 7.6)"
	case strings.Contains(u, "#"):
		return "it has a fragment component"
	}
	return ""
}

// applySettings validates the FAPI settings and copies them into svc.
func applySettings(svc *Service, s *FAPISettings) error {
	if s.isZero() {
		return &MetadataError{Err: ErrNoFAPISettings, Detail: "give the scopes, modes and version in FAPISettings"}
	}
	if err := scope.ValidateDefinitions(s.Scopes); err != nil {
		return &MetadataError{Member: "scopes", Err: ErrSettingsInvalid, Detail: err.Error()}
	}
	for _, n := range []struct {
		name  string
		value int64
	}{
		{"clock_skew", int64(s.ClockSkew)},
		{"max_request_object_size", int64(s.MaxRequestObjectSize)},
		{"authorization_code_lifetime", int64(s.AuthorizationCodeLifetime)},
		{"request_uri_lifetime", int64(s.RequestURILifetime)},
		{"refresh_token_reuse_interval", int64(s.RefreshTokenReuseInterval)},
	} {
		if n.value < 0 {
			return &MetadataError{Member: n.name, Err: ErrSettingsInvalid, Detail: "negative"}
		}
	}
	if s.ClockSkew > Seconds(MaxClockSkew/time.Second) {
		return &MetadataError{Member: "clock_skew", Err: ErrSettingsInvalid,
			Detail: fmt.Sprintf("%d s is more than %d s (FAPI2-SP-5.3.2.1-13)", int64(s.ClockSkew), int64(MaxClockSkew/time.Second))}
	}
	svc.SupportedServiceProfiles = slices.Clone(s.SupportedServiceProfiles)
	svc.FAPIVersion = s.FAPIVersion
	svc.FAPIModes = slices.Clone(s.FAPIModes)
	svc.Scopes = cloneDefinitions(s.Scopes)
	svc.NbfOptional = s.NbfOptional
	svc.ClockSkew = s.ClockSkew
	svc.MaxRequestObjectSize = s.MaxRequestObjectSize
	svc.AllowUnregisteredRedirectURIs = s.AllowUnregisteredRedirectURIs
	svc.AuthorizationCodeLifetime = s.AuthorizationCodeLifetime
	svc.RequestURILifetime = s.RequestURILifetime
	svc.RefreshTokenRotation = s.RefreshTokenRotation
	svc.RefreshTokenReuseInterval = s.RefreshTokenReuseInterval
	svc.RequireDPoPNonce = s.RequireDPoPNonce

	d, err := profile.OfferedProfile(profile.Settings{
		ServiceProfiles: svc.SupportedServiceProfiles,
		Version:         svc.FAPIVersion,
		ServiceModes:    svc.FAPIModes,
		Scopes:          svc.Scopes,
	})
	var se *profile.SettingError
	switch {
	case errors.As(err, &se):
		return &MetadataError{Member: se.Setting, Err: ErrSettingsInvalid, Detail: fmt.Sprintf("%q is not a value this library knows", se.Value)}
	case err != nil:
		return &MetadataError{Member: "fapi_version", Err: ErrSettingsInvalid, Detail: err.Error()}
	case !has(svc.SupportedServiceProfiles, profile.ServiceProfileFAPI):
		return &MetadataError{Member: "supported_service_profiles", Err: ErrNoFAPIProfile, Detail: "it does not list fapi"}
	case d.Profile == profile.None:
		return &MetadataError{Member: "scopes", Err: ErrNoFAPIProfile,
			Detail: "no scope has a FAPI attribute (fapi=r|rw, fapi2=sp|ms-authreq|ms-authres) and no fapi_modes are set"}
	}
	return nil
}

// checkContradictions: what the document says must not contradict the
// settings where the contradiction would change the rules applied.
func checkContradictions(s *FAPISettings, present map[string]strictjson.Member) error {
	// A scope with a FAPI attribute that the service does not advertise is
	// most likely a misspelt name: the scope the clients request would
	// then select no FAPI profile (RFC 8414 §2 lets a server leave scopes
	// out of scopes_supported, so the check applies only to FAPI scopes).
	if m, ok := present["scopes_supported"]; ok {
		advertised, _ := strictjson.DecodeStrings(m.Raw)
		for _, d := range s.Scopes {
			if selectsFAPI(d) && !slices.Contains(advertised, d.Name) {
				return &MetadataError{Member: "scopes_supported", Err: ErrSettingsContradictMetadata,
					Detail: fmt.Sprintf("the FAPI scope %q of the settings is not listed", shortName(d.Name))}
			}
		}
	}
	return nil
}

// selectsFAPI reports whether d has an attribute that selects a FAPI
// profile.
func selectsFAPI(d scope.Definition) bool {
	for _, a := range d.Attributes {
		if a.Key == profile.AttrFAPI || a.Key == profile.AttrFAPI2 {
			return true
		}
	}
	return false
}

func cloneDefinitions(defs []scope.Definition) []scope.Definition {
	if defs == nil {
		return nil
	}
	out := make([]scope.Definition, len(defs))
	for i, d := range defs {
		out[i] = scope.Definition{Name: d.Name, Attributes: slices.Clone(d.Attributes)}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ClientSettings are the library's own settings of a client: NOT RFC 7591
// or OpenID Connect Registration metadata, and never read from a
// registration document (docs/DESIGN.md, "Configuration from discovery and
// registration documents"). The JSON names are those of the case file's
// client members (docs/DESIGN.md §10.2).
type ClientSettings struct {
	// ClientType is "confidential", "public" or "" (it then follows from
	// token_endpoint_auth_method: "none" means public; RFC 6749 §2.1).
	ClientType string `json:"client_type,omitempty"`
	// FAPIModes are static modes for this client's requests, used when the
	// service has none.
	FAPIModes []string `json:"fapi_modes,omitempty"`
	// ResponseModes are the response modes the client may use.
	//
	// Deprecated: response_modes is client metadata (FAPI 2.0 Message
	// Signing §5.3.3) and is read from the registration document. This
	// field is used only when the document has none; a document whose list
	// differs is ErrSettingsContradictMetadata.
	ResponseModes []string `json:"response_modes,omitempty"`
}

// ClientFromRegistration builds a Client from its RFC 7591 / OpenID
// Connect Registration 1.0 registration document (the registration
// response, or the stored registration) and the library's own client
// settings.
//
// The document is read as strictly as by ServiceFromDiscovery, with the
// client members of RFC 7591 §2 and §3.2.1, RFC 7592 §3, OIDC Registration
// 1.0 §2, the logout specifications, RFC 8705 §2.1.2 and §3.4, RFC 9101
// §10.5, RFC 9126 §6, RFC 9449 §5.2, JARM §3 and FAPI 2.0 Message Signing
// §5.3.3 (response_modes) known (human-readable members with a language
// tag, "client_name#en", included: RFC 7591 §2.2). It returns a
// *MetadataError matching ErrMetadataMalformed, ErrClientIDMissing (RFC
// 7591 §3.2.1), ErrJWKSAmbiguous (jwks and jwks_uri together, RFC 7591
// §2), ErrSettingsInvalid (an unknown client_type or fapi_modes value) or
// ErrSettingsContradictMetadata (the deprecated
// ClientSettings.ResponseModes differs from the document's response_modes).
//
// The result is not linted: PrepareClient and CheckClient check it against
// the service's profiles. A jwks_uri is never fetched: put its content in
// Client.JWKS.
func ClientFromRegistration(doc []byte, settings ClientSettings) (Client, []MetadataWarning, error) {
	var c Client
	r := metadataReader{lookup: metadata.LookupClient, fields: clientFields, settings: "ClientSettings"}
	if err := r.read(doc, &c); err != nil {
		return Client{}, r.warnings, err
	}
	if c.ClientID == "" {
		return Client{}, r.warnings, &MetadataError{Member: "client_id", Err: ErrClientIDMissing}
	}
	_, jwks := r.present["jwks"]
	_, jwksURI := r.present["jwks_uri"]
	if jwks && jwksURI {
		return Client{}, r.warnings, &MetadataError{Member: "jwks_uri", Err: ErrJWKSAmbiguous}
	}
	switch settings.ClientType {
	case "", "confidential", "public":
	default:
		return Client{}, r.warnings, &MetadataError{Member: "client_type", Err: ErrSettingsInvalid,
			Detail: fmt.Sprintf("%q is neither confidential nor public", shortName(settings.ClientType))}
	}
	if _, err := profile.OfferedProfile(profile.Settings{ServiceProfiles: []string{profile.ServiceProfileFAPI}, ClientModes: settings.FAPIModes}); err != nil {
		var se *profile.SettingError
		if errors.As(err, &se) {
			return Client{}, r.warnings, &MetadataError{Member: "fapi_modes", Err: ErrSettingsInvalid, Detail: fmt.Sprintf("%q is not a value this library knows", se.Value)}
		}
		return Client{}, r.warnings, &MetadataError{Member: "fapi_modes", Err: ErrSettingsInvalid, Detail: err.Error()}
	}
	if settings.ResponseModes != nil {
		if _, inDoc := r.present["response_modes"]; !inDoc {
			c.ResponseModes = slices.Clone(settings.ResponseModes)
		} else if !slices.Equal(c.ResponseModes, settings.ResponseModes) {
			return Client{}, r.warnings, &MetadataError{Member: "response_modes", Err: ErrSettingsContradictMetadata,
				Detail: "ClientSettings.ResponseModes differs from the registered response_modes (give it in the document only)"}
		}
	}
	c.ClientType = settings.ClientType
	c.FAPIModes = slices.Clone(settings.FAPIModes)
	return c, r.warnings, nil
}
