package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// Registration is one client as the server registers it: the metadata the
// library checks (Client, read by fapi.ClientFromRegistration) and the
// standard metadata the server acts on itself.
type Registration struct {
	// Client is what the library checks against the service's profile.
	Client fapi.Client
	// RequireSignedRequestObject is RFC 9101 §10.5's client metadata:
	// every authorization request of the client must be a signed request
	// object (by value, by reference or pushed), which the server
	// enforces.
	RequireSignedRequestObject bool
	// RequestURIs are the client's pre-registered request_uri values (OIDC
	// Registration §2): the only URLs the server fetches a request object
	// from (RFC 9101 §5.2, OIDC Core §6.2).
	RequestURIs []string
	// DefaultACRValues is OIDC Registration §2's default_acr_values: the
	// acr the ID tokens carry when a request names none.
	DefaultACRValues []string
	// ClientSecretExpiresAt is RFC 7591 §3.2.1's client_secret_expires_at:
	// the client's secret is refused from then on; zero means never.
	ClientSecretExpiresAt time.Time
	// ClientName is the client's client_name, for logs.
	ClientName string
}

// disposition says what the server does with a standard client metadata
// member (RFC 7591 §2, OIDC Registration 1.0 §2 and the extensions the
// library knows): every member the library lists is here, and a test
// fails when one is missing.
type disposition struct {
	// use is one of the uses below.
	use memberUse
	// reason says why an unsupported member refuses the client, or what the
	// server does with an informational one.
	reason string
}

type memberUse uint8

const (
	// useLibrary: fapi.Client holds it, the library checks it, and the
	// server acts on it (and refuses values it cannot serve, see
	// Server.canServe).
	useLibrary memberUse = iota + 1
	// useServer: the server reads and enforces it (Registration).
	useServer
	// useSetting: one of the library's own client settings (client_type,
	// fapi_modes), read into fapi.ClientSettings.
	useSetting
	// useInformational: accepted and not acted on; reason says why that
	// is right.
	useInformational
	// useUnsupported: the client asks for something this server does not
	// do; a registration with a value other than false, "" or [] is
	// refused with reason.
	useUnsupported
)

// clientMembers is the server's reading of every standard client metadata
// member.
var clientMembers = map[string]disposition{
	"client_id":                                  {useLibrary, ""},
	"client_secret":                              {useLibrary, ""},
	"redirect_uris":                              {useLibrary, ""},
	"token_endpoint_auth_method":                 {useLibrary, ""},
	"grant_types":                                {useLibrary, ""},
	"response_types":                             {useLibrary, ""},
	"scope":                                      {useLibrary, ""},
	"jwks":                                       {useLibrary, ""},
	"application_type":                           {useLibrary, ""},
	"id_token_signed_response_alg":               {useLibrary, ""},
	"request_object_signing_alg":                 {useLibrary, ""},
	"token_endpoint_auth_signing_alg":            {useLibrary, ""},
	"tls_client_auth_subject_dn":                 {useLibrary, ""},
	"tls_client_auth_san_dns":                    {useLibrary, ""},
	"tls_client_auth_san_uri":                    {useLibrary, ""},
	"tls_client_auth_san_ip":                     {useLibrary, ""},
	"tls_client_auth_san_email":                  {useLibrary, ""},
	"tls_client_certificate_bound_access_tokens": {useLibrary, ""},
	"require_pushed_authorization_requests":      {useLibrary, ""},
	"dpop_bound_access_tokens":                   {useLibrary, ""},
	"authorization_signed_response_alg":          {useLibrary, ""},
	"response_modes":                             {useLibrary, ""},

	"require_signed_request_object": {useServer, ""},
	"request_uris":                  {useServer, ""},
	"default_acr_values":            {useServer, ""},
	"client_secret_expires_at":      {useServer, ""},
	"client_name":                   {useServer, ""},
	"require_auth_time":             {useServer, "every ID token carries auth_time"},
	"default_max_age":               {useServer, "every authorization authenticates the user afresh, so any maximum age is met"},

	"client_type": {useSetting, ""},
	"fapi_modes":  {useSetting, ""},

	"client_uri":                {useInformational, "shown to no one: there is no consent page"},
	"logo_uri":                  {useInformational, "shown to no one: there is no consent page"},
	"tos_uri":                   {useInformational, "shown to no one: there is no consent page"},
	"policy_uri":                {useInformational, "shown to no one: there is no consent page"},
	"contacts":                  {useInformational, "the server sends no mail"},
	"software_id":               {useInformational, "not used to group registrations"},
	"software_version":          {useInformational, "not used to group registrations"},
	"client_id_issued_at":       {useInformational, "a registration response member (RFC 7591 §3.2.1)"},
	"registration_access_token": {useInformational, "there is no client configuration endpoint (RFC 7592)"},
	"registration_client_uri":   {useInformational, "there is no client configuration endpoint (RFC 7592)"},
	"initiate_login_uri":        {useInformational, "the server never initiates a login at the client (OIDC Core §4)"},
	"post_logout_redirect_uris": {useInformational, "there is no end_session_endpoint to return from"},

	"jwks_uri":                                       {useUnsupported, "this server does not fetch jwks_uri (nor does the library): register the keys as jwks"},
	"software_statement":                             {useUnsupported, "software statements (RFC 7591 §2.3) are not verified here: register the metadata itself"},
	"sector_identifier_uri":                          {useUnsupported, "pairwise subjects are not offered (subject_types_supported is public)"},
	"subject_type":                                   {useUnsupported, "only public subjects are offered (subject_types_supported is public)"},
	"id_token_encrypted_response_alg":                {useUnsupported, "this server does not encrypt ID tokens"},
	"id_token_encrypted_response_enc":                {useUnsupported, "this server does not encrypt ID tokens"},
	"userinfo_signed_response_alg":                   {useUnsupported, "userinfo is answered as plain JSON (no userinfo_signing_alg_values_supported)"},
	"userinfo_encrypted_response_alg":                {useUnsupported, "this server does not encrypt userinfo responses"},
	"userinfo_encrypted_response_enc":                {useUnsupported, "this server does not encrypt userinfo responses"},
	"request_object_encryption_alg":                  {useUnsupported, "this server does not decrypt request objects"},
	"request_object_encryption_enc":                  {useUnsupported, "this server does not decrypt request objects"},
	"authorization_encrypted_response_alg":           {useUnsupported, "this server signs JARM responses but does not encrypt them"},
	"authorization_encrypted_response_enc":           {useUnsupported, "this server signs JARM responses but does not encrypt them"},
	"frontchannel_logout_uri":                        {useUnsupported, "this server keeps no sessions and sends no logout notifications"},
	"frontchannel_logout_session_required":           {useUnsupported, "this server keeps no sessions and sends no logout notifications"},
	"backchannel_logout_uri":                         {useUnsupported, "this server keeps no sessions and sends no logout notifications"},
	"backchannel_logout_session_required":            {useUnsupported, "this server keeps no sessions and sends no logout notifications"},
	"authorization_details_types":                    {useUnsupported, "rich authorization requests (RFC 9396) are not offered"},
	"introspection_signed_response_alg":              {useUnsupported, "there is no introspection endpoint (RFC 7662, RFC 9701)"},
	"introspection_encrypted_response_alg":           {useUnsupported, "there is no introspection endpoint (RFC 7662, RFC 9701)"},
	"introspection_encrypted_response_enc":           {useUnsupported, "there is no introspection endpoint (RFC 7662, RFC 9701)"},
	"backchannel_token_delivery_mode":                {useUnsupported, "client-initiated backchannel authentication (CIBA) is not offered"},
	"backchannel_client_notification_endpoint":       {useUnsupported, "client-initiated backchannel authentication (CIBA) is not offered"},
	"backchannel_authentication_request_signing_alg": {useUnsupported, "client-initiated backchannel authentication (CIBA) is not offered"},
	"backchannel_user_code_parameter":                {useUnsupported, "client-initiated backchannel authentication (CIBA) is not offered"},
}

// memberDisposition looks a member up, a human-readable member with a
// language tag ("client_name#ja-Jpan-JP", RFC 7591 §2.2) as its base name.
func memberDisposition(name string) (disposition, bool) {
	if d, ok := clientMembers[name]; ok {
		return d, true
	}
	base, tag, ok := strings.Cut(name, "#")
	if !ok || tag == "" {
		return disposition{}, false
	}
	switch base {
	case "client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri":
		return disposition{useInformational, "a localized human-readable value"}, true
	}
	return disposition{}, false
}

// ParseRegistrations reads a client file: one registration (a JSON
// object) or an array of them. Each is RFC 7591 §2 client metadata (with
// the client_id and client_secret of the registration response, §3.2.1)
// plus the library's client settings client_type and fapi_modes (its
// documented extensions); see ParseRegistration.
func ParseRegistrations(data []byte) ([]Registration, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		r, err := ParseRegistration(trimmed)
		if err != nil {
			return nil, err
		}
		return []Registration{r}, nil
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(trimmed, &docs); err != nil {
		return nil, fmt.Errorf("client file: %w", err)
	}
	if len(docs) == 0 {
		return nil, errors.New("client file: no client")
	}
	out := make([]Registration, 0, len(docs))
	for i, d := range docs {
		r, err := ParseRegistration(d)
		if err != nil {
			return nil, fmt.Errorf("client %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseRegistration reads one client's registration document. The
// document is read by fapi.ClientFromRegistration, strictly (one JSON
// object, no duplicate members, standard members of the right type); every
// standard member is then understood (see clientMembers): the library's,
// the server's own, the informational ones, and those that ask for
// something this server does not do, which are an error naming them. An
// unknown member is an error naming it: a misspelt member must not leave
// a client without the rule it meant to register.
//
// Whether the server can serve the client under its profile is decided
// when it is registered (New).
func ParseRegistration(doc []byte) (Registration, error) {
	settings, err := readClientSettings(doc)
	if err != nil {
		return Registration{}, err
	}
	c, warnings, err := fapi.ClientFromRegistration(doc, settings)
	if err != nil {
		return Registration{}, fmt.Errorf("registration: %w", err)
	}
	for _, w := range warnings {
		if d, ok := memberDisposition(w.Member); ok && d.use == useSetting {
			continue // read into settings above
		}
		return Registration{}, fmt.Errorf("registration of %q: unknown client metadata member %q (RFC 7591 §2 and the extensions this server knows: see its README)", c.ClientID, shortText(w.Member, 64))
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(doc, &members); err != nil {
		return Registration{}, fmt.Errorf("registration: %w", err) // read above; unreachable
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names)
	var refused []string
	for _, name := range names {
		d, ok := memberDisposition(name)
		if !ok {
			// A member the library knows that the table below lacks: fail
			// closed (the test of clientMembers keeps this unreachable).
			return Registration{}, fmt.Errorf("registration of %q: client metadata member %q is not understood by this server", c.ClientID, shortText(name, 64))
		}
		if d.use == useUnsupported && !neutral(members[name]) {
			refused = append(refused, fmt.Sprintf("%s: %s", name, d.reason))
		}
	}
	if len(refused) > 0 {
		return Registration{}, fmt.Errorf("registration of %q asks for what this server does not do: %s", c.ClientID, strings.Join(refused, "; "))
	}

	var extra struct {
		RequireSignedRequestObject bool     `json:"require_signed_request_object"`
		RequestURIs                []string `json:"request_uris"`
		DefaultACRValues           []string `json:"default_acr_values"`
		ClientSecretExpiresAt      *float64 `json:"client_secret_expires_at"`
		ClientName                 string   `json:"client_name"`
	}
	if err := json.Unmarshal(doc, &extra); err != nil {
		return Registration{}, fmt.Errorf("registration of %q: %w", c.ClientID, err)
	}
	r := Registration{
		Client:                     c,
		RequireSignedRequestObject: extra.RequireSignedRequestObject,
		RequestURIs:                extra.RequestURIs,
		DefaultACRValues:           extra.DefaultACRValues,
		ClientName:                 extra.ClientName,
	}
	if e := extra.ClientSecretExpiresAt; e != nil && *e != 0 {
		// RFC 7591 §3.2.1: seconds since the epoch, 0 for never.
		if *e < 0 || *e > 253402300799 {
			return Registration{}, fmt.Errorf("registration of %q: client_secret_expires_at %v is not a time", c.ClientID, *e)
		}
		r.ClientSecretExpiresAt = time.Unix(int64(*e), 0).UTC()
	}
	for _, u := range r.RequestURIs {
		if p := requestURIProblem(u); p != "" {
			return Registration{}, fmt.Errorf("registration of %q: request_uris: %q %s", c.ClientID, shortText(u, 64), p)
		}
	}
	return r, nil
}

// readClientSettings reads the library's client settings from the
// document (the fapi.ClientSettings ClientFromRegistration takes apart
// from the metadata), strictly typed.
func readClientSettings(doc []byte) (fapi.ClientSettings, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(doc, &members); err != nil {
		return fapi.ClientSettings{}, fmt.Errorf("registration: not a JSON object: %w", err)
	}
	var s fapi.ClientSettings
	if raw, ok := members["client_type"]; ok {
		if err := json.Unmarshal(raw, &s.ClientType); err != nil {
			return s, errors.New("registration: client_type must be a string")
		}
	}
	if raw, ok := members["fapi_modes"]; ok {
		if err := json.Unmarshal(raw, &s.FAPIModes); err != nil || s.FAPIModes == nil {
			return s, errors.New("registration: fapi_modes must be an array of strings")
		}
	}
	return s, nil
}

// neutral reports whether a member's value asks for nothing: false, "",
// [] or {}.
func neutral(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "false", `""`, "[]", "{}":
		return true
	}
	var s []any
	if json.Unmarshal(raw, &s) == nil && len(s) == 0 {
		return true
	}
	return false
}

// requestURIProblem says why u cannot be a pre-registered request_uri: an
// absolute https URL (RFC 9101 §5.2, which the library requires of a
// request_uri the server did not issue) of at most 512 characters (OIDC
// Core §6.2).
func requestURIProblem(u string) string {
	p, err := url.Parse(u)
	switch {
	case len(u) > 512:
		return "is longer than 512 characters (OIDC Core section 6.2)"
	case err != nil || p.Scheme != "https" || p.Host == "" || p.User != nil:
		return "is not an absolute https URL"
	}
	return ""
}

// canServe says why the server cannot serve a client under its profile,
// beyond what the library's CheckClient reports: what the client needs
// and the server does not offer, or "" when it can serve it.
func (s *Server) canServe(r *Registration) []string {
	c := &r.Client
	f := featuresOf(s.profile)
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }

	method := c.TokenEndpointAuthMethod
	if method == "" {
		method = profile.AuthClientSecretBasic // RFC 7591 §2
	}
	switch {
	case !slices.Contains(s.svc.TokenEndpointAuthMethodsSupported, method):
		add("token_endpoint_auth_method %q is not offered (offered: %s)", method, strings.Join(s.svc.TokenEndpointAuthMethodsSupported, ", "))
	case method == profile.AuthTLSClient && s.clientCAs == nil:
		add("tls_client_auth needs trusted client certificate authorities (-client-ca)")
	}
	grants := c.GrantTypes
	if len(grants) == 0 {
		grants = []string{fapi.GrantTypeAuthorizationCode} // RFC 7591 §2
	}
	for _, g := range grants {
		if !slices.Contains(s.svc.GrantTypesSupported, g) {
			add("grant type %q is not offered (offered: %s)", g, strings.Join(s.svc.GrantTypesSupported, ", "))
		}
	}
	codeGrant := slices.Contains(grants, fapi.GrantTypeAuthorizationCode)
	if slices.Contains(grants, fapi.GrantTypeRefreshToken) && !codeGrant {
		add("refresh tokens are issued with authorization codes only (RFC 6749 section 4.4.3), and the client does not register authorization_code")
	}
	if codeGrant {
		if a := c.IDTokenSignedResponseAlg; !slices.Contains(signingAlgs, a) {
			if a == "" {
				a = "RS256 (absent, OIDC Registration section 2)"
			}
			add("id_token_signed_response_alg %s: this server signs ID tokens with %s only", a, strings.Join(signingAlgs, " or "))
		}
		for _, rt := range c.ResponseTypes {
			if !responseTypeIn(rt, s.svc.ResponseTypesSupported) {
				add("response type %q is not offered under %s (offered: %s)", rt, s.profile, strings.Join(s.svc.ResponseTypesSupported, ", "))
			}
		}
		for _, m := range c.ResponseModes {
			if !slices.Contains(s.svc.ResponseModesSupported, m) {
				add("response mode %q is not offered (offered: %s)", m, strings.Join(s.svc.ResponseModesSupported, ", "))
			}
		}
		jarm := c.AuthorizationSignedResponseAlg != "" || slices.ContainsFunc(c.ResponseModes, isJARMMode)
		if a := c.AuthorizationSignedResponseAlg; jarm && !slices.Contains(signingAlgs, a) {
			if a == "" {
				a = "RS256 (absent, JARM section 3)"
			}
			add("authorization_signed_response_alg %s: this server signs JARM responses with %s only", a, strings.Join(signingAlgs, " or "))
		}
		if c.RequirePushedAuthorizationRequests && !f.par {
			add("require_pushed_authorization_requests: there is no PAR endpoint under %s (offered from fapi1-baseline on)", s.profile)
		}
		if r.RequireSignedRequestObject && !s.svc.RequestParameterSupported {
			add("require_signed_request_object: this server takes no request objects")
		}
		if s.svc.RequireSignedRequestObject && len(c.JWKS) == 0 {
			add("every authorization request must be a signed request object under %s (require_signed_request_object), and the client registers no jwks to sign one with", s.profile)
		}
		if len(r.DefaultACRValues) > 0 && !slices.Contains(r.DefaultACRValues, ACR) {
			add("default_acr_values %v: this server authenticates at %s only", r.DefaultACRValues, ACR)
		}
	}
	if c.DPoPBoundAccessTokens && !f.dpop {
		add("dpop_bound_access_tokens: DPoP is offered under fapi2-security and fapi2-message-signing only; %s binds tokens to the TLS client certificate", s.profile)
	}
	if c.Scope != "" {
		scopes, err := scope.Parse(c.Scope)
		if err != nil {
			add("scope: %v", err)
		}
		for _, sc := range scopes {
			if !s.scopeDefined(sc) {
				add("scope %q is not defined by this server (defined: %s)", sc, strings.Join(s.scopeNames(), ", "))
			}
		}
	}
	if len(c.FAPIModes) > 0 {
		d, err := profile.OfferedProfile(profile.Settings{ServiceProfiles: []string{profile.ServiceProfileFAPI}, ClientModes: c.FAPIModes})
		if err != nil {
			add("fapi_modes: %v", err)
		}
		for p := range d.Profiles.Members() {
			if p != s.profile && !profile.ClientRulesContain(s.profile, p) {
				add("fapi_modes %v selects %s, which this server does not run (it runs %s; start it with -profile %s)", c.FAPIModes, p, s.profile, p)
			}
		}
	}
	return why
}

// isJARMMode reports whether m is one of the JARM response modes (JARM
// §2.3).
func isJARMMode(m string) bool {
	switch m {
	case "jwt", "query.jwt", "fragment.jwt", "form_post.jwt":
		return true
	}
	return false
}

// shortText shortens s for messages.
func shortText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
