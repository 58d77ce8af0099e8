package fapi

import (
	"errors"
	"fmt"
	"github.com/fapicheck/fapicheck/clause"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/redirecturi"
	"github.com/fapicheck/fapicheck/scope"
)

// PreparedClient is a client registration whose keys and scopes have been
// parsed once, for reuse across requests. It is immutable and safe for
// concurrent use.
type PreparedClient struct {
	cfg     Client
	keys    *jwks.Set
	keysErr error

	// redirects holds what checkRedirectURI needs to know about each
	// registered redirect URI, in the order of cfg.RedirectURIs, so that a
	// request naming a registered URI is not parsed again.
	redirects []redirectFacts
}

// redirectFacts is the parsed verdict on one redirect URI.
type redirectFacts struct {
	invalid  string // why u is no absolute URI without fragment, or ""
	problem  string // httpsURIProblem's answer
	loopback bool   // isLoopbackHTTP's answer
}

func factsOf(u string) redirectFacts {
	f := redirectFacts{invalid: redirectURIProblem(u), problem: httpsURIProblem(u)}
	if f.problem != "" {
		f.loopback = redirecturi.IsLoopbackHTTP(u)
	}
	return f
}

func newPreparedClient(c Client, keys *jwks.Set) *PreparedClient {
	pc := &PreparedClient{cfg: cloneClient(c), keys: keys}
	pc.redirects = make([]redirectFacts, len(pc.cfg.RedirectURIs))
	for i, u := range pc.cfg.RedirectURIs {
		pc.redirects[i] = factsOf(u)
	}
	return pc
}

// registeredRedirect returns the facts about the i-th registered redirect
// URI u.
func (pc *PreparedClient) registeredRedirect(i int, u string) redirectFacts {
	if i < len(pc.redirects) {
		return pc.redirects[i]
	}
	return factsOf(u)
}

// redirectURI reports the facts about u and whether u is one of the
// client's registered redirect URIs (exact string match).
func (pc *PreparedClient) redirectURI(u string) (redirectFacts, bool) {
	for i, r := range pc.cfg.RedirectURIs {
		if r == u && i < len(pc.redirects) {
			return pc.redirects[i], true
		}
	}
	if len(u) > maxURILength {
		// Not registered, and too long to be worth parsing.
		tooLong := "is longer than " + strconv.Itoa(maxURILength) + " bytes"
		return redirectFacts{invalid: tooLong, problem: tooLong}, false
	}
	// RFC 8252 §7.3: a native client's loopback IP redirect URI may name
	// any port at the time of the request; all else must match exactly
	// (redirecturi.Match).
	if isNative(&pc.cfg) && redirecturi.IsLoopbackHTTP(u) {
		for i, r := range pc.cfg.RedirectURIs {
			if redirecturi.Match(r, u, true) && i < len(pc.redirects) {
				return pc.redirects[i], true
			}
		}
	}
	return factsOf(u), false
}

// maxURILength bounds a redirect URI the library parses: a URI the client
// did not register is refused without parsing beyond it.
const maxURILength = 4096

// PrepareClient parses the client's JWK Set once. It never fails: a
// problem with the keys is reported as a violation by CheckClient and by
// every request check that needs the keys, so the caller cannot forget it.
// The configuration is copied; later changes to c do not affect the
// prepared client.
func PrepareClient(c Client) *PreparedClient {
	pc := newPreparedClient(c, nil)
	if len(c.JWKS) > 0 && string(c.JWKS) != "null" {
		pc.keys, pc.keysErr = jwks.Parse(c.JWKS)
	}
	return pc
}

// PrepareClientWithKeys is PrepareClient for a server that already holds
// the client's public keys (see jwks.FromPublicKeys); c.JWKS is ignored.
func PrepareClientWithKeys(c Client, keys *jwks.Set) *PreparedClient {
	return newPreparedClient(c, keys)
}

// Config returns a copy of the client configuration.
func (pc *PreparedClient) Config() Client { return cloneClient(pc.cfg) }

// Keys returns the parsed keys (nil when none are registered) and the error
// that parsing them produced.
func (pc *PreparedClient) Keys() (*jwks.Set, error) { return pc.keys, pc.keysErr }

func cloneClient(c Client) Client {
	c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
	c.JWKS = append([]byte(nil), c.JWKS...)
	c.ResponseTypes = append([]string(nil), c.ResponseTypes...)
	c.GrantTypes = append([]string(nil), c.GrantTypes...)
	c.FAPIModes = append([]string(nil), c.FAPIModes...)
	// slices.Clone keeps a registered empty list apart from an absent one:
	// checkClientResponseModes refuses the first.
	c.ResponseModes = slices.Clone(c.ResponseModes)
	return c
}

// CheckClient checks a client registration against the service, under
// every profile the client can end up in, each on its own: those its
// registered scope selects, or, when it registered none (or a malformed
// one), every profile the service's scopes and static fapi_modes select.
// Profile none gets the registration rules of plain OAuth 2.0 and OpenID
// Connect. See docs/DESIGN.md, "Rules per profile".
func CheckClient(svc *Service, pc *PreparedClient) Report { return checkClient(svc, pc) }

func checkClient(svc *Service, pc *PreparedClient) Report {
	var b builder
	b.r.Profile = profile.None
	if svc == nil {
		svc = &Service{}
	}
	if pc == nil {
		b.add(CodeClientMissing, "client", "", "no client configuration was given")
		return b.r
	}
	c := &pc.cfg
	v, ok := view(&b, svc)
	if !ok {
		return b.r
	}
	if c.ClientID == "" {
		b.add(CodeRegistrationClientIDMissing, "client_id", "", "the client has no client_id")
	}
	if c.Scope != "" {
		if perr := scope.Validate(c.Scope); perr != nil {
			b.add(CodeScopeMalformed, "scope", "", "the client's registered scope %q is malformed: %v", c.Scope, perr)
		}
	}
	d, err := v.clientDecision(c)
	if _, ok := decide(&b, d, err); !ok {
		return b.r
	}
	// Each profile the registration can be used under is checked on its
	// own (the same violation found under two is reported once); none
	// gets the registration rules of plain OAuth 2.0 and OpenID Connect.
	for _, r := range perProfile(d) {
		checkClientRules(&b, svc, pc, r)
	}
	b.r.Violations = dedupe(b.r.Violations)
	return b.r
}

// perProfile returns the requirements of each profile of d on its own
// (with Message Signing's parts as d asks for them), or the plain rules
// when d has no FAPI profile.
func perProfile(d profile.Decision) []*profile.Requirements {
	ps := d.Profiles.Profiles()
	if len(ps) == 0 {
		return []*profile.Requirements{requirementsFor(d)}
	}
	out := make([]*profile.Requirements, len(ps))
	for i, p := range ps {
		one := d
		one.Profile, one.Profiles = p, profile.SetOf(p)
		out[i] = requirementsFor(one)
	}
	return out
}

// dedupe drops a violation that repeats an earlier one's code and field
// (the same rule broken under two profiles), keeping the first.
func dedupe(vs []Violation) []Violation {
	out := vs[:0]
	for i, v := range vs {
		dup := false
		for _, w := range vs[:i] {
			if w.Code == v.Code && w.Field == v.Field {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// checkClientForRequest applies the client rules of a request's profile
// when that profile is not the one the registration was checked against: a
// client registered for read-only scopes that asks for a read-write scope
// must meet the read-write client rules (certificate-bound tokens,
// PS256/ES256 metadata, ...) before the request is accepted. The test is
// containment, not rank: the profiles are ranked, but FAPI 2.0's client
// rules do not contain FAPI 1.0 Advanced's (EdDSA, RSA1_5 key transport,
// DPoP instead of MTLS binding), so a registration that passed under FAPI
// 2.0 can still break Advanced. CheckClient checks the registration under
// each of its profiles, which a request of several profiles (their union)
// can still exceed.
func checkClientForRequest(b *builder, v serviceView, pc *PreparedClient, rules *profile.Requirements) {
	cd, err := v.clientProfiles(&pc.cfg)
	if err != nil || !registrationContains(cd, rules) {
		checkClientRules(b, v.svc, pc, rules)
	}
}

// registrationContains reports whether a registration checked under the
// profiles of cd is known to meet the client rules of rules: every profile of
// rules is one of cd's, or has its client rules contained in one of cd's
// (profile.ClientRulesContain), and signed responses are required of the
// registration if rules requires them (JARM, and only JARM modes in its
// response_modes). Profile none's rules are contained in every profile's.
func registrationContains(cd profile.Decision, rules *profile.Requirements) bool {
	if rules.RequireJARM.Applies() || rules.ResponseModes.Allowed.Applies() {
		reg := requirementsFor(cd)
		if rules.RequireJARM.Applies() && !reg.RequireJARM.Applies() ||
			rules.ResponseModes.Allowed.Applies() && !reg.ResponseModes.Allowed.Applies() {
			return false
		}
	}
	for p := range rules.Profiles.Members() {
		found := false
		for reg := range cd.Profiles.Members() {
			if profile.ClientRulesContain(reg, p) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func checkClientRules(b *builder, svc *Service, pc *PreparedClient, rules *profile.Requirements) {
	// The client rules, in the order their violations are reported.
	method := authMethod(&pc.cfg)
	checkClientAuthMethod(b, svc, &pc.cfg, rules, method)
	checkClientRedirectURIs(b, pc, rules)
	checkClientKeys(b, pc, rules, method)
	checkClientSecrets(b, &pc.cfg, rules, method)
	checkClientResponseTypes(b, &pc.cfg, rules)
	checkClientBinding(b, &pc.cfg, rules)
	checkClientGrantsAndEncryption(b, &pc.cfg, rules)
	checkClientResponseModes(b, &pc.cfg, rules)
	checkClientAlgs(b, &pc.cfg, rules, method, rules.RequireJARM.Applies())
}

// checkClientAuthMethod: the registered token_endpoint_auth_method is one
// the profile permits (FAPI-R-5.2.2-4, FAPI-RW-5.2.2-14 and successors),
// agrees with the client type, and is one the service offers (RFC 7591 §2).
func checkClientAuthMethod(b *builder, svc *Service, c *Client, rules *profile.Requirements, method string) {
	public := isPublic(c)
	switch {
	case c.ClientType == "confidential" && method == profile.AuthNone:
		b.add(CodeClientAuthMethodNotAllowed, "token_endpoint_auth_method", rules.ClientAuthMethods.Clause,
			"a confidential client cannot use token_endpoint_auth_method none")
	case c.ClientType == "public" && method != profile.AuthNone:
		b.add(CodeClientAuthMethodNotAllowed, "token_endpoint_auth_method", rules.ClientAuthMethods.Clause,
			"a public client must use token_endpoint_auth_method none, not %q", method)
	case public:
		if rules.NoPublicClients.Applies() {
			b.add(CodeClientAuthMethodNotAllowed, "token_endpoint_auth_method", rules.NoPublicClients,
				"profile %s does not allow public clients", rules.Label())
		}
	case !has(rules.ClientAuthMethods.Value, method):
		b.add(CodeClientAuthMethodNotAllowed, "token_endpoint_auth_method", rules.ClientAuthMethods.Clause,
			"token_endpoint_auth_method %q is not allowed by %s (allowed: %s)", method, rules.Label(), strings.Join(rules.ClientAuthMethods.Value, ", "))
	}

	// The service must offer the method the client registered (RFC 7591
	// §2; RFC 8414 §2: absent means client_secret_basic).
	supported := svc.TokenEndpointAuthMethodsSupported
	if len(supported) == 0 {
		supported = []string{profile.AuthClientSecretBasic}
	}
	if !has(supported, method) && !b.r.has(CodeClientAuthMethodNotAllowed) {
		b.add(CodeClientAuthMethodUnsupported, "token_endpoint_auth_method", "",
			"token_endpoint_auth_method %q is not in the service's token_endpoint_auth_methods_supported %s", method, quoteList(supported))
	}

}

// checkClientRedirectURIs: at least one registered (FAPI-R-5.2.2-8), each
// a valid absolute URI (RFC 6749 §3.1.2) and https where the profile says
// so (FAPI-R-5.2.2-20), loopback http only for native clients
// (FAPI2-SP-5.3.2.2-8).
func checkClientRedirectURIs(b *builder, pc *PreparedClient, rules *profile.Requirements) {
	c := &pc.cfg
	if len(c.RedirectURIs) == 0 {
		b.add(CodeClientRedirectURIsMissing, "redirect_uris", rules.Redirect.Registered, "the client has no registered redirect URI")
	}
	for i, u := range c.RedirectURIs {
		f := pc.registeredRedirect(i, u)
		if f.invalid != "" {
			b.add(CodeClientRedirectURINotHTTPS, fmt.Sprintf("redirect_uris[%d]", i), "RFC6749-3.1.2",
				"registered redirect URI %q %s", truncate(u, 256), f.invalid)
			continue
		}
		if reason := f.problem; rules.Redirect.HTTPS.Applies() && reason != "" && !(rules.Redirect.HTTPLoopback && f.loopback && isNative(c)) {
			if f.loopback && rules.Redirect.HTTPLoopback {
				reason += " (http on a loopback address is allowed for native clients only: application_type is not native)"
			}
			b.add(CodeClientRedirectURINotHTTPS, fmt.Sprintf("redirect_uris[%d]", i), rules.Redirect.HTTPS,
				"registered redirect URI %q %s", u, reason)
		}
	}

}

// checkClientSecrets: a client_secret_jwt secret long enough for its HMAC
// algorithm (OIDC Core §16.19), a secret where client_secret_basic or
// _post needs one (RFC 6749 §2.3.1), and exactly one certificate subject
// for tls_client_auth (RFC 8705 §2.1.2).
func checkClientSecrets(b *builder, c *Client, rules *profile.Requirements, method string) {
	if method == profile.AuthClientSecretJWT {
		alg := c.TokenEndpointAuthSigningAlg
		if alg == "" {
			alg = "HS256"
		}
		if min := clientassertion.MinSecretLength(alg); len(c.ClientSecret) < min {
			b.add(CodeClientSecretTooShort, "client_secret", "",
				"the client secret is %d bytes; client_secret_jwt with %s needs at least %d (OIDC Core section 16.19)", len(c.ClientSecret), alg, min)
		}
	}
	if (method == profile.AuthClientSecretBasic || method == profile.AuthClientSecretPost) && c.ClientSecret == "" && has(rules.ClientAuthMethods.Value, method) {
		b.add(CodeClientSecretTooShort, "client_secret", "RFC6749-2.3.1", "the client authenticates with %s, but no client_secret is registered", method)
	}
	if method == profile.AuthTLSClient {
		n := 0
		for _, s := range []string{c.TLSClientAuthSubjectDN, c.TLSClientAuthSANDNS, c.TLSClientAuthSANURI, c.TLSClientAuthSANIP, c.TLSClientAuthSANEmail} {
			if s != "" {
				n++
			}
		}
		if n != 1 {
			b.add(CodeClientTLSSubjectInvalid, "tls_client_auth_subject_dn", "",
				"tls_client_auth needs exactly one of tls_client_auth_subject_dn, _san_dns, _san_uri, _san_ip, _san_email; %d are registered", n)
		}
	}

}

// checkClientResponseTypes: every registered response type is allowed by
// the profile (FAPI-RW-5.2.2-2 unless JARM, FAPI-RW-5.2.5;
// FAPI1-ADV-5.2.2-2; FAPI2-SP-5.3.2.2-1).
func checkClientResponseTypes(b *builder, c *Client, rules *profile.Requirements) {
	if rules.ResponseTypes.Allowed != nil {
		jarm := usesJARM(c)
		for _, rt := range responseTypes(c) {
			if !responseTypeIn(rt, rules.ResponseTypes.Allowed) && !(jarm && (rules.ResponseTypes.AnyWithJARM || responseTypeIn(rt, rules.ResponseTypes.WithJARM))) {
				b.add(CodeClientResponseTypeNotAllowed, "response_types", rules.ResponseTypes.Clause,
					"response type %q is not allowed by %s (allowed: %s%s)", rt, rules.Label(), strings.Join(rules.ResponseTypes.Allowed, ", "), jarmNote(rules))
			}
		}
	}

}

// checkClientBinding: the client registered the sender-constrained tokens
// the profile requires.
func checkClientBinding(b *builder, c *Client, rules *profile.Requirements) {
	switch rules.Binding.Value {
	case profile.BindingMTLS:
		// FAPI-RW-5.2.2-5; FAPI1-ADV-5.2.2-5 (RFC 8705 §3.4: all tokens).
		if !c.TLSClientCertificateBoundAccessTokens {
			b.add(CodeClientMTLSBindingDisabled, "tls_client_certificate_bound_access_tokens", rules.Binding.Clause,
				"%s requires certificate-bound access tokens, but tls_client_certificate_bound_access_tokens is not true", rules.Label())
		}
	case profile.BindingMTLSOrDPoP:
		if !c.TLSClientCertificateBoundAccessTokens && !c.DPoPBoundAccessTokens {
			b.add(CodeClientBindingMissing, "dpop_bound_access_tokens", rules.Binding.Clause,
				"%s requires sender-constrained access tokens: set tls_client_certificate_bound_access_tokens or dpop_bound_access_tokens", rules.Label())
		}
	}
}

// checkClientGrantsAndEncryption: no password grant (FAPI2-SP-5.3.2.1-2)
// and no RSA1_5 key encryption (FAPI1-ADV-8.6.1-1) where the profile
// forbids them.
func checkClientGrantsAndEncryption(b *builder, c *Client, rules *profile.Requirements) {
	if rules.NoPasswordGrant.Applies() && has(c.GrantTypes, "password") {
		b.add(CodeClientGrantTypeNotAllowed, "grant_types", "", "grant_types lists password, which %s forbids", rules.Label())
	}
	if rules.NoRSA15.Applies() {
		for _, f := range []struct{ name, value string }{
			{"id_token_encrypted_response_alg", c.IDTokenEncryptedResponseAlg},
			{"userinfo_encrypted_response_alg", c.UserinfoEncryptedResponseAlg},
			{"request_object_encryption_alg", c.RequestObjectEncryptionAlg},
			{"authorization_encrypted_response_alg", c.AuthorizationEncryptedResponseAlg},
		} {
			if f.value == "RSA1_5" {
				b.add(CodeClientAlgNotAllowed, f.name, rules.NoRSA15, "%s RSA1_5 is not allowed by %s", f.name, rules.Label())
			}
		}
	}

}

// maxRegisteredResponseModes bounds the registered response_modes the
// library looks at value by value: there are seven defined response modes,
// so a longer list repeats or invents some, and is refused as a whole.
const maxRegisteredResponseModes = 16

// checkClientResponseModes: a registered response_modes (FAPI2-MS-5.3.3,
// the response modes the client may use) lists defined response modes,
// each once, and is not empty; where every authorization response must be
// signed, it lists only JARM modes, and one at least (FAPI2-MS-5.4.1-1), so
// that the client cannot ask for an unsigned response. Absent, the client
// may use any mode the service supports, and each request is held to the
// profile's response mode rules.
func checkClientResponseModes(b *builder, c *Client, rules *profile.Requirements) {
	modes := c.ResponseModes
	if modes == nil {
		return
	}
	defined, allowed := &rules.ResponseModes.Defined, &rules.ResponseModes.Allowed
	switch {
	case len(modes) == 0:
		b.add(CodeClientResponseModesInvalid, "response_modes", defined.Clause,
			"response_modes is registered but empty, so the client may use no response mode (omit it to allow every mode the service supports)")
	case len(modes) > maxRegisteredResponseModes:
		b.add(CodeClientResponseModesInvalid, "response_modes", defined.Clause,
			"response_modes lists %d values; there are %d defined response modes, so some are repeated or unknown", len(modes), len(defined.Value))
		return
	}
	jarm, other := 0, 0 // registered modes Allowed has, and defined ones it has not
	for i, m := range modes {
		field := "response_modes[" + strconv.Itoa(i) + "]"
		switch {
		case m == "":
			b.add(CodeClientResponseModesInvalid, field, defined.Clause, "%s is an empty string", field)
			continue
		case !has(defined.Value, m):
			b.add(CodeClientResponseModesInvalid, field, defined.Clause,
				"registered response mode %q is not a defined response mode (defined: %s)", truncate(m, 64), strings.Join(defined.Value, ", "))
			continue
		case slices.Contains(modes[:i], m):
			b.add(CodeClientResponseModesInvalid, field, defined.Clause, "registered response mode %q is listed more than once", m)
			continue
		}
		switch {
		case !allowed.Applies():
		case has(allowed.Value, m):
			jarm++
		default:
			other++
			b.add(CodeClientResponseModeNotAllowed, field, allowed.Clause,
				"registered response mode %q is not allowed by %s, which requires signed authorization responses (allowed: %s): the client could ask for an unsigned response",
				m, rules.Label(), strings.Join(allowed.Value, ", "))
		}
	}
	if allowed.Applies() && jarm == 0 && other == 0 {
		b.add(CodeClientResponseModeNotAllowed, "response_modes", allowed.Clause,
			"%s requires signed authorization responses, but the registered response_modes lists none of %s, so the client could receive no signed response",
			rules.Label(), strings.Join(allowed.Value, ", "))
	}
}

// httpsURIProblem returns why u is not an absolute https URI without a
// fragment, or "".
func httpsURIProblem(u string) string {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return "is not a valid URI"
	case p.Scheme != "https":
		return "does not use https"
	case p.Host == "" || p.Opaque != "":
		return "has no host"
	case p.Fragment != "" || strings.Contains(u, "#"):
		return "has a fragment"
	case p.User != nil:
		return "has user information"
	case !redirecturi.IsHTTPS(u):
		// net/url is lenient: a percent-encoded host or one a browser
		// reads as an IPv4 address is no https URI here.
		return "is not an https URI with a valid host"
	}
	return ""
}

func checkClientKeys(b *builder, pc *PreparedClient, rules *profile.Requirements, method string) {
	c := &pc.cfg
	if pc.keysErr != nil {
		b.add(CodeClientJWKSInvalid, "jwks", "", "the registered jwks cannot be used: %v", pc.keysErr)
		return
	}
	var need string
	var ref clause.Clause
	switch {
	case method == profile.AuthPrivateKeyJWT:
		need, ref = "private_key_jwt", "OIDCC-9"
	case method == profile.AuthSelfSignedTLSClient:
		need, ref = "self_signed_tls_client_auth", "RFC8705-2.2.2"
	case rules.RequestObject.Applies():
		need, ref = "signed request objects ("+rules.Label()+")", rules.RequestObject
	}
	if pc.keys.Len() == 0 {
		if need != "" {
			msg := "%s needs the client's public keys, but no jwks is registered"
			if c.JWKSURI != "" {
				msg = "%s needs the client's public keys; jwks_uri is registered but its content was not supplied"
			}
			b.add(CodeClientJWKSMissing, "jwks", ref, msg, need)
		}
		return
	}
	for i, k := range pc.keys.Keys() {
		if err := keysize.Check(k.Public, rules.Keys.Minimums); err != nil {
			ref := rules.Keys.RSA
			var tooSmall *keysize.TooSmallError
			if errors.As(err, &tooSmall) && tooSmall.Kind == "EC" {
				ref = rules.Keys.EC
			}
			b.add(CodeClientKeyTooSmall, fmt.Sprintf("jwks.keys[%d]", i), ref, "registered key %s is not acceptable: %v", keyName(k, i), err)
		}
	}
}

func keyName(k jwks.Key, i int) string {
	if k.ID != "" {
		return fmt.Sprintf("%q", k.ID)
	}
	return fmt.Sprintf("#%d", i)
}

// checkClientAlgs checks the signing algorithms in the client metadata
// (FAPI-RW-8.6-1 under read-write; OIDC Registration §2 always).
func checkClientAlgs(b *builder, c *Client, rules *profile.Requirements, method string, jarmRequired bool) {
	check := func(field, value, dflt string, applies bool) {
		if !applies {
			return
		}
		alg := value
		if alg == "" {
			alg = dflt
		}
		if alg == "" {
			return
		}
		if strings.EqualFold(alg, "none") {
			b.add(CodeClientAlgNotAllowed, field, "OIDCR-2", "%s %q: unsigned is never allowed", field, alg)
			return
		}
		if rules.SigningAlgs.Value != nil && !has(rules.SigningAlgs.Value, alg) {
			what := fmt.Sprintf("%s %q", field, alg)
			if value == "" {
				what = fmt.Sprintf("%s is not registered, and its default %q", field, alg)
			}
			b.add(CodeClientAlgNotAllowed, field, rules.SigningAlgs.Clause, "%s is not allowed by %s (allowed: %s)", what, rules.Label(), strings.Join(rules.SigningAlgs.Value, ", "))
		}
	}
	// JARM: authorization_signed_response_alg defaults to RS256.
	check("authorization_signed_response_alg", c.AuthorizationSignedResponseAlg, "RS256", usesJARM(c) || jarmRequired)
	// token_endpoint_auth_signing_alg has no default; when absent the
	// profile's list is enforced on each assertion.
	switch method {
	case profile.AuthPrivateKeyJWT:
		check("token_endpoint_auth_signing_alg", c.TokenEndpointAuthSigningAlg, "", true)
		if a := c.TokenEndpointAuthSigningAlg; a != "" && strings.HasPrefix(a, "HS") {
			b.add(CodeClientAlgNotAllowed, "token_endpoint_auth_signing_alg", "OIDCR-2", "private_key_jwt needs an asymmetric algorithm, not %q", a)
		}
	case profile.AuthClientSecretJWT:
		if a := c.TokenEndpointAuthSigningAlg; a != "" && a != "HS256" && a != "HS384" && a != "HS512" {
			b.add(CodeClientAlgNotAllowed, "token_endpoint_auth_signing_alg", "OIDCR-2", "client_secret_jwt needs HS256, HS384 or HS512, not %q", a)
		}
	}
	// request_object_signing_alg: when registered, it must be allowed, and
	// each request object must then use exactly it. When absent, OIDC
	// Registration §2 says "any algorithm supported by the OP" may be used;
	// under a profile that is the profile's list, which every request
	// object is checked against — so absence is not a violation (unlike
	// id_token_signed_response_alg, whose default RS256 the profile forbids).
	if c.RequestObjectSigningAlg != "" {
		alg := c.RequestObjectSigningAlg
		switch {
		case strings.EqualFold(alg, "none"):
			b.add(CodeClientAlgNotAllowed, "request_object_signing_alg", "OIDCR-2", "request_object_signing_alg %q: unsigned request objects are never accepted", alg)
		case !has(rules.RequestObjectAlgs.Value, alg):
			b.add(CodeClientAlgNotAllowed, "request_object_signing_alg", rules.RequestObjectAlgs.Clause,
				"request_object_signing_alg %q is not allowed by %s (allowed: %s)", alg, rules.Label(), strings.Join(rules.RequestObjectAlgs.Value, ", "))
		}
	}
	// ID tokens: id_token_signed_response_alg defaults to RS256 (OIDC
	// Registration §2).
	check("id_token_signed_response_alg", c.IDTokenSignedResponseAlg, "RS256", getsIDTokens(c))
	// userinfo_signed_response_alg: absent means an unsigned JSON userinfo
	// response, which FAPI does not forbid; when set it must be allowed.
	check("userinfo_signed_response_alg", c.UserinfoSignedResponseAlg, "", c.UserinfoSignedResponseAlg != "")
}

// getsIDTokens: the client may receive ID tokens — a response type with
// id_token, or openid among its registered scopes, or no registered scope
// (any scope, openid included, may be requested).
func getsIDTokens(c *Client) bool {
	for _, rt := range responseTypes(c) {
		if responseTypeHas(rt, "id_token") {
			return true
		}
	}
	if c.Scope == "" {
		return true
	}
	return responseTypeHas(c.Scope, "openid")
}

// redirectURIProblem returns why u cannot be a redirect URI at all — it
// is not an absolute URI of RFC 3986 §4.3, it has a fragment (RFC 6749
// §3.1.2), or it breaks package redirecturi's policy (userinfo, hosts
// that are not ASCII, a browser would read as an IPv4 address, or that
// are missing from an http(s) URI) — or "".
func redirectURIProblem(u string) string {
	if err := redirecturi.Validate(u); err != nil {
		return "is not a valid redirect URI: " + strings.TrimPrefix(err.Error(), "redirecturi: ")
	}
	return ""
}
