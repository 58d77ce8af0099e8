package fapi

import (
	"fmt"
	"strings"

	"github.com/fapicheck/fapicheck/internal/strictjson"
	"github.com/fapicheck/fapicheck/pkce"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
)

// checkAuthorizationParams applies the profile's rules to the parameters
// of an authorization request (or a pushed one).
func (rc *requestCheck) checkAuthorizationParams(b *builder, eff effectiveParams) {
	// The rules of the authorization parameters, in the order their
	// violations are reported; each reads what the profile demands from
	// rc.rules. (Called directly rather than through a table of functions,
	// which would make every argument escape to the heap.)
	rc.checkResponseType(b, eff)
	rc.checkResponseMode(b, eff)
	rc.checkRedirectURI(b, eff)
	rc.checkScope(b, eff)
	rc.checkState(b, eff)
	rc.checkNonce(b, eff)
	rc.checkEchoedValues(b, eff)
	rc.checkPKCE(b, eff)
	rc.checkClaims(b, eff)
}

// checkResponseType: present, well-formed (RFC 6749 §3.1.1), allowed by the
// profile, registered by the client and supported by the service, and not
// returning tokens in the query (OAuth 2.0 Multiple Response Types §5).
func (rc *requestCheck) checkResponseType(b *builder, eff effectiveParams) {
	c := &rc.pc.cfg
	rules := rc.rules
	rt, hasRT := eff.get("response_type")
	mode := eff.val("response_mode")
	jarm := isJARMMode(mode)
	switch {
	case !hasRT || rt == "":
		b.add(CodeResponseTypeMissing, "response_type", "", "the request has no response_type")
		return
	case !validResponseType(rt):
		b.add(CodeResponseTypeMalformed, "response_type", "", "response_type %q is malformed: response names of letters, digits and _ separated by single spaces (RFC 6749 section 3.1.1)", truncate(rt, 64))
		return
	}
	allowed := rules.ResponseTypes.Allowed == nil || responseTypeIn(rt, rules.ResponseTypes.Allowed) ||
		(jarm && (rules.ResponseTypes.AnyWithJARM || responseTypeIn(rt, rules.ResponseTypes.WithJARM)))
	if !allowed {
		b.add(CodeResponseTypeNotAllowed, "response_type", rules.ResponseTypes.Clause,
			"response_type %q is not allowed by %s (allowed: %s%s)", rt, rules.Label(), strings.Join(rules.ResponseTypes.Allowed, ", "), jarmNote(rules))
	}
	if !responseTypeIn(rt, responseTypes(c)) {
		b.add(CodeResponseTypeUnregistered, "response_type", "",
			"response_type %q is not among the client's registered response_types %s", rt, quoteList(responseTypes(c)))
	}
	if supported := rc.v.svc.ResponseTypesSupported; len(supported) > 0 && !responseTypeIn(rt, supported) {
		b.add(CodeResponseTypeUnsupported, "response_type", "",
			"response_type %q is not among the service's response_types_supported %s", rt, quoteList(supported))
	}
	// OAuth 2.0 Multiple Response Types §5; JARM §2.3.1 says the same of
	// query.jwt unless the response is encrypted.
	if (mode == "query" || mode == "query.jwt") && (responseTypeHas(rt, "id_token") || responseTypeHas(rt, "token")) {
		b.add(CodeResponseModeNotAllowed, "response_mode", "",
			"response_mode %s must not be used with response_type %q, which returns tokens in the front channel", mode, rt)
	}
}

// checkResponseMode: a JARM mode where signed responses are required
// (FAPI2-MS-5.4.1-1), and one the client registered.
func (rc *requestCheck) checkResponseMode(b *builder, eff effectiveParams) {
	c := &rc.pc.cfg
	mode, hasMode := eff.get("response_mode")
	if rc.jarmRequired() && !isJARMMode(mode) {
		b.add(CodeResponseModeJARMRequired, "response_mode", rc.rules.RequireJARM,
			"signed authorization responses are required, so response_mode must be a JARM mode (jwt), not %q", mode)
	}
	// A registered empty list allows no mode (CheckClient refuses it as
	// client.response_modes_invalid); only an absent one allows any.
	if hasMode && c.ResponseModes != nil && !has(c.ResponseModes, mode) {
		b.add(CodeResponseModeUnregistered, "response_mode", "",
			"response_mode %q is not among the client's registered response_modes %s", mode, quoteList(c.ResponseModes))
	}
}

// checkScope: a scope where the profile requires one. Its syntax was
// checked before the profile was decided.
func (rc *requestCheck) checkScope(b *builder, eff effectiveParams) {
	if rc.rules.RequireScope.Applies() && !hasToken(eff.val("scope")) {
		// RFC 6749 §3.3 lets a server fall back to a default scope or fail;
		// a FAPI server fails, so that "no scope" is no way out of FAPI.
		b.add(CodeScopeMissing, "scope", rc.rules.RequireScope, "the request has no scope")
	}
}

// checkState: state where the profile requires it without openid.
func (rc *requestCheck) checkState(b *builder, eff effectiveParams) {
	openid := responseTypeHas(eff.val("scope"), "openid")
	if rc.rules.StateWithoutOpenID.Applies() && !openid && eff.val("state") == "" {
		b.add(CodeStateMissing, "state", rc.rules.StateWithoutOpenID, "state is required when openid is not in the scope")
	}
}

// checkNonce: nonce with an ID token from the authorization endpoint (OIDC
// Core §3.3.2.11), or with openid where the profile says so
// (FAPI1-BASE-5.2.2.2-1).
func (rc *requestCheck) checkNonce(b *builder, eff effectiveParams) {
	if eff.val("nonce") != "" {
		return
	}
	rt := eff.val("response_type")
	openid := responseTypeHas(eff.val("scope"), "openid")
	switch n := rc.rules.Nonce; {
	case n.Value == profile.NonceWithIDToken && responseTypeHas(rt, "id_token"):
		b.add(CodeNonceMissing, "nonce", n.Clause, "nonce is required with response_type %q", rt)
	case n.Value == profile.NonceWithOpenID && (openid || responseTypeHas(rt, "id_token")):
		b.add(CodeNonceMissing, "nonce", n.Clause, "nonce is required when openid is requested")
	}
}

// checkEchoedValues: state is VSCHAR (%x20-7E, RFC 6749 Appendix A.5).
// OIDC Core gives nonce no grammar of its own; it is echoed into the ID
// token like state into the redirect, so the same set applies (the
// conformance suite checks both). A control character or non-ASCII byte
// here is refused rather than carried into a redirect or a token.
func (rc *requestCheck) checkEchoedValues(b *builder, eff effectiveParams) {
	for _, p := range [...]struct {
		name string
		code Code
	}{{"state", CodeStateMalformed}, {"nonce", CodeNonceMalformed}} {
		if v := eff.val(p.name); v != "" {
			if i := notVSCHAR(v); i >= 0 {
				b.add(p.code, p.name, "", "%s has the byte 0x%02x at offset %d, outside VSCHAR (%%x20-7E)", p.name, v[i], i)
			}
		}
	}
}

// checkClaims: the claims parameter (OIDC Core §5.5) is well-formed, asks
// for acr as an essential claim where the profile requires it
// (FAPI-RW-5.2.3-3), and with values the service can meet.
func (rc *requestCheck) checkClaims(b *builder, eff effectiveParams) {
	rules := rc.rules
	essentialACR := false
	var acrValues []string
	if raw, ok := eff.get("claims"); ok {
		var err error
		if essentialACR, acrValues, err = requestobject.EssentialIDTokenClaimValues([]byte(raw), "acr"); err != nil {
			b.add(CodeClaimsMalformed, "claims", "", "the claims parameter is malformed: %v", trimPrefix(err))
		}
	}
	if rules.EssentialACR.Applies() && !essentialACR {
		b.add(CodeClaimsACRNotEssential, "claims", rules.EssentialACR,
			"%s requires the claims parameter to request acr as an essential ID token claim", rules.Label())
	}
	// OIDC Core §5.5.1.1: an essential acr with values that cannot be met
	// is a failed authentication. When none of the values is one the
	// service supports, that outcome is already certain (access_denied).
	// Without acr_values_supported the library cannot tell, and leaves it
	// to the authentication.
	if supported := rc.v.svc.AcrValuesSupported; essentialACR && len(acrValues) > 0 && len(supported) > 0 && !anyACRSupported(acrValues, supported) {
		b.add(CodeClaimsACRUnsupported, "claims", "",
			"acr is requested as essential with values %s, none of which is in acr_values_supported %s", strings.Join(acrValues, ", "), quoteList(supported))
	}
}

func jarmNote(rules *profile.Requirements) string {
	switch {
	case rules.ResponseTypes.AnyWithJARM:
		return "; any with a JARM response mode"
	case len(rules.ResponseTypes.WithJARM) > 0:
		return "; " + strings.Join(rules.ResponseTypes.WithJARM, ", ") + " with a JARM response mode"
	}
	return ""
}

// checkRedirectURI applies the redirect URI rules: present (FAPI-R-5.2.2-9
// and its successors; OIDC Core §3.1.2.1 for OpenID requests), exactly a
// registered one (FAPI-R-5.2.2-10, RFC 6749 §3.1.2.3; for native clients a
// loopback IP literal may take any port, RFC 8252 §7.3), and https where
// the profile says so (FAPI-R-5.2.2-20; FAPI 2.0 allows http on a loopback
// IP literal for native clients, FAPI2-SP-5.3.2.2-8). Under plain OAuth 2.0
// a request may omit redirect_uri when the client registered exactly one
// (RFC 6749 §3.1.2.3): the report's ErrorRedirectURI is then that one. The
// service may accept unregistered URIs from clients that authenticated at
// the PAR endpoint under FAPI 2.0 (RFC 9126 §2.4; off by default).
func (rc *requestCheck) checkRedirectURI(b *builder, eff effectiveParams) {
	rules := rc.rules
	c := &rc.pc.cfg
	ru, ok := eff.get("redirect_uri")
	if !ok || ru == "" {
		if rules.Redirect.Optional && len(c.RedirectURIs) == 1 && !responseTypeHas(eff.val("scope"), "openid") {
			b.redirectURI = c.RedirectURIs[0]
			return
		}
		b.add(CodeRedirectURIMissing, "redirect_uri", rules.Redirect.Required, "the request has no redirect_uri")
		return
	}
	facts, registered := rc.pc.redirectURI(ru)
	if rules.Redirect.HTTPS.Applies() && facts.problem != "" && !(rules.Redirect.HTTPLoopback && facts.loopback && isNative(c)) {
		b.add(CodeRedirectURINotHTTPS, "redirect_uri", rules.Redirect.HTTPS, "redirect_uri %q %s", truncate(ru, 256), facts.problem)
	}
	if registered {
		return
	}
	if rules.PARRequired.Applies() && rc.viaPAR && rc.authenticated && rc.v.svc.AllowUnregisteredRedirectURIs {
		return
	}
	b.add(CodeRedirectURINotRegistered, "redirect_uri", rules.Redirect.Exact, "redirect_uri %q is not one of the client's registered redirect URIs (exact match)", truncate(ru, 256))
}

// checkPKCE applies RFC 7636 with the profile's rule on who must use it.
// Under every FAPI profile a method other than S256 is refused whenever
// PKCE is used, and an absent method counts as plain (RFC 7636 §4.3; docs/DESIGN.md
// "Policy decisions"). Under plain OAuth 2.0 the method is one of RFC 7636
// §4.2's, and one the service lists in code_challenge_methods_supported
// when it lists any (RFC 8414 §2; RFC 7636 §4.4.1).
func (rc *requestCheck) checkPKCE(b *builder, eff effectiveParams) {
	rules := rc.rules
	challenge, hasChallenge := eff.get("code_challenge")
	method, hasMethod := eff.get("code_challenge_method")
	if !hasChallenge || challenge == "" {
		switch {
		case rc.pkceRequired():
			b.add(CodePKCEChallengeMissing, "code_challenge", rules.PKCE.Clause, "%s requires PKCE with S256 for %s, and no code_challenge was sent", rules.Label(), pkceWho(rules.PKCE.Value))
		case hasMethod:
			b.add(CodePKCEChallengeMissing, "code_challenge", "RFC7636-4.4.1", "code_challenge_method %q was sent without a code_challenge", truncate(method, 64))
		}
		return
	}
	m := method
	if !hasMethod {
		m = pkce.MethodPlain // RFC 7636 §4.3
	}
	if rules.PKCEMethods.Value != nil && !has(rules.PKCEMethods.Value, m) {
		seen := fmt.Sprintf("%q", truncate(method, 64))
		if !hasMethod {
			seen = "absent (which means plain)"
		}
		b.add(CodePKCEMethodNotS256, "code_challenge_method", rules.PKCE.Clause, "code_challenge_method is %s; FAPI requires S256", seen)
		return
	}
	if m != pkce.MethodS256 && m != pkce.MethodPlain {
		b.add(CodePKCEMethodUnsupported, "code_challenge_method", "", "code_challenge_method %q is not a method of RFC 7636 (S256, plain)", truncate(m, 64))
		return
	}
	if supported := rc.v.svc.CodeChallengeMethodsSupported; len(supported) > 0 && !has(supported, m) {
		b.add(CodePKCEMethodUnsupported, "code_challenge_method", "", "code_challenge_method %s is not in the service's code_challenge_methods_supported %s", m, quoteList(supported))
		return
	}
	if err := pkce.ValidateChallenge(challenge, m); err != nil {
		b.add(CodePKCEChallengeMalformed, "code_challenge", "", "code_challenge %q is malformed: %s", truncate(challenge, 64), challengeShape(m))
	}
}

func challengeShape(method string) string {
	if method == pkce.MethodS256 {
		return "an S256 challenge is 43 base64url characters"
	}
	return "a plain challenge is 43-128 characters of [A-Za-z0-9-._~]"
}

func (rc *requestCheck) pkceRequired() bool {
	switch rc.rules.PKCE.Value {
	case profile.PKCEAllClients:
		return true
	case profile.PKCEPublicClients:
		return isPublic(&rc.pc.cfg)
	case profile.PKCEWithPAR:
		return rc.viaPAR
	}
	return false
}

func pkceWho(r profile.PKCERule) string {
	switch r {
	case profile.PKCEPublicClients:
		return "public clients"
	case profile.PKCEWithPAR:
		return "pushed authorization requests"
	}
	return "every client"
}

// notVSCHAR returns the offset of the first byte of v outside VSCHAR
// (%x20-7E, RFC 6749 Appendix A), or -1.
func notVSCHAR(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e {
			return i
		}
	}
	return -1
}

// anyACRSupported reports whether one of the requested acr values (JSON
// text, as the claims request holds them) is a supported one. A value that
// is not a JSON string matches nothing.
func anyACRSupported(values, supported []string) bool {
	for _, raw := range values {
		v := ""
		switch {
		case len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && !strings.ContainsRune(raw, '\\'):
			v = raw[1 : len(raw)-1] // no escapes: the text is the value
		default:
			var err error
			if v, err = strictjson.DecodeString([]byte(raw)); err != nil {
				continue
			}
		}
		if has(supported, v) {
			return true
		}
	}
	return false
}

// checkOutsideResponseType checks the syntax of a response_type sent
// outside a request object whose own value is the one used: compared with
// it as a set of words, a value split on other whitespace could pass.
func checkOutsideResponseType(b *builder, params Params, eff effectiveParams) {
	if rt, ok := params.lookup("response_type"); ok && rt != eff.val("response_type") && rt != "" && !validResponseType(rt) {
		b.add(CodeResponseTypeMalformed, "response_type", "", "response_type %q outside the request object is malformed: response names of letters, digits and _ separated by single spaces (RFC 6749 section 3.1.1)", truncate(rt, 64))
	}
}

// validResponseType reports whether rt follows RFC 6749 §3.1.1:
//
//	response-type = response-name *( SP response-name )
//	response-name = 1*response-char
//	response-char = "_" / DIGIT / ALPHA
func validResponseType(rt string) bool {
	if rt == "" || rt[0] == ' ' || rt[len(rt)-1] == ' ' {
		return false
	}
	for i := 0; i < len(rt); i++ {
		switch c := rt[i]; {
		case c == '_', c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c == ' ' && rt[i+1] != ' ':
		default:
			return false
		}
	}
	return true
}

// isNative reports whether the client registered application_type native
// (OIDC Registration §2; the default is web).
func isNative(c *Client) bool { return c.ApplicationType == "native" }
