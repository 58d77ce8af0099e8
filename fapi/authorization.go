package fapi

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/pkce"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
	"github.com/fapicheck/fapicheck/scope"
)

// CheckAuthorizationRequest checks a request to the authorization endpoint
// at time now: the request object (by value in the request parameter, or
// the object the caller resolved for request_uri), then the authorization
// parameters — from the request object where the profile says only its
// values count — against the profile the requested scopes select (DESIGN.md,
// "The two seed profiles", row "authorization request").
//
// Violations whose Error is returned before client_id and redirect_uri are
// trusted must not be sent to the redirect URI: see RedirectSafe.
func CheckAuthorizationRequest(svc *Service, pc *PreparedClient, r *AuthorizationRequest, now time.Time) Report {
	var b builder
	b.r.Profile = profile.None
	if svc == nil {
		svc = &Service{}
	}
	if r == nil {
		r = &AuthorizationRequest{}
	}
	v, ok := beginRequest(&b, svc, pc, now)
	if !ok {
		return b.r
	}
	c := &pc.cfg
	params := r.Params
	checkDuplicates(&b, params)

	// Which request object, if any (OIDC Core §6: request and request_uri
	// are mutually exclusive; the library never fetches a request_uri).
	token := ""
	switch {
	case params.Has("request") && params.Has("request_uri"):
		b.add(CodeRequestObjectRequestAndURI, "request", "", "both request and request_uri were sent")
	case params.Has("request"):
		token = params.Get("request")
		if r.RequestObject != "" {
			b.add(CodeRequestObjectRequestAndURI, "request", "", "a request parameter was sent, and a resolved request_uri object was also supplied")
			token = ""
		}
	case params.Has("request_uri"):
		token = r.RequestObject
		if token == "" {
			b.add(CodeRequestObjectUnresolved, "request_uri", "", "request_uri %q was sent, but no resolved request object was supplied (the library never fetches it)", params.Get("request_uri"))
		}
	case r.RequestObject != "":
		b.add(CodeRequestObjectUnresolved, "request_object", "", "a resolved request object was supplied, but the request has no request_uri")
	}
	if token == "" && (params.Has("request") || params.Has("request_uri")) && len(b.r.Violations) > 0 {
		// The request object is ambiguous or missing; without it the
		// request cannot be judged further.
		d, err := v.resolveRequest(c, params, "")
		decide(&b, d, err)
		return b.r
	}

	// The profile: from the scope parameter and the request object's scope.
	// The object's scope is read before verification; adding scopes can
	// only make the profile stricter, so an unverified object can never
	// relax the rules applied to it.
	d, err := v.resolveRequest(c, params, token)
	req, ok := decide(&b, d, err)
	if !ok {
		return b.r
	}
	checkClientForRequest(&b, v, pc, req)
	if _, err := scope.Parse(params.Get("scope")); err != nil {
		b.add(CodeScopeMalformed, "scope", "", "scope %q is malformed: %v", params.Get("scope"), err)
	}

	switch cid := params.Get("client_id"); {
	case !params.Has("client_id"):
		b.add(CodeClientIDMissing, "client_id", "", "the request has no client_id parameter")
	case cid != c.ClientID:
		b.add(CodeClientIDMismatch, "client_id", "", "client_id %q is not the client %q the request was checked for", cid, c.ClientID)
	}

	// OIDC Core §6.1: with a request object passed by value, response_type
	// and scope are still sent as OAuth parameters (FAPI-RW-5.2.3-9 client
	// clause: "duplicates ... where required by the OAuth specification").
	if req.RequestObject && params.Has("request") {
		for _, name := range []string{"response_type", "scope"} {
			if !params.Has(name) {
				b.add(CodeParameterMissing, name, "", "%s must also be sent outside the request object (OIDC Core §6.1)", name)
			}
		}
	}

	// The request object.
	var obj *requestobject.Object
	switch {
	case token != "":
		if pc.keysErr != nil {
			b.add(CodeClientJWKSInvalid, "jwks", "", "the client's registered jwks cannot be used: %v", pc.keysErr)
		}
		var errs []*requestobject.Error
		obj, errs = requestobject.Verify(token, pc.keys, requestobject.Rules{
			Algorithms:      req.RequestObjectAlgs,
			ClientAlgorithm: c.RequestObjectSigningAlg,
			Issuer:          svc.Issuer,
			ClientID:        c.ClientID,
			RequireExp:      req.RequireExp,
			RequireAud:      req.RequireAud,
			ClockSkew:       v.skew,
			MaxSize:         svc.MaxRequestObjectSize,
			KeyMinimums:     req.KeyMinimums,
		}, now)
		for _, e := range errs {
			addRequestObjectError(&b, req, e)
		}
	case req.RequestObject:
		b.add(CodeRequestObjectMissing, "request", req.RequestObjectRef, "%s requires a signed request object (request or request_uri), and none was sent", req.Profile)
	}

	// The parameters the checks below look at.
	var eff effectiveParams
	switch {
	case token != "" && obj == nil:
		// An unverifiable object contributes nothing; where only its
		// values count there is nothing left to check.
		if req.AllParamsInside {
			return b.r
		}
		eff = outsideParams(params)
	case obj != nil && req.AllParamsInside:
		for _, e := range obj.CompareOutside(url.Values(params)) {
			addRequestObjectError(&b, req, e)
		}
		eff = objectParams(obj)
	case obj != nil:
		// OIDC Core §6.3.3: request object values supersede the others.
		eff = outsideParams(params)
		for _, p := range obj.Params {
			eff[p.Name] = p.Value
		}
	default:
		eff = outsideParams(params)
	}
	if sc, ok := eff["scope"]; ok && sc != params.Get("scope") {
		if _, err := scope.Parse(sc); err != nil {
			b.add(CodeScopeMalformed, "scope", "", "scope %q in the request object is malformed: %v", sc, err)
		}
	}
	checkAuthorizationParams(&b, c, req, eff)
	b.r.params = eff
	b.r.redirectTrusted = (token == "" || obj != nil) && !hasUntrustingViolation(b.r.Violations)
	return b.r
}

// hasUntrustingViolation reports whether a violation means client_id or
// redirect_uri cannot be trusted, so no error may be redirected.
func hasUntrustingViolation(vs []Violation) bool {
	for _, v := range vs {
		switch v.Code {
		case CodeClientMissing, CodeClientIDMissing, CodeClientIDMismatch,
			CodeRedirectURIMissing, CodeRedirectURINotRegistered, CodeRedirectURINotHTTPS,
			CodeRequestObjectMissing, CodeRequestObjectRequestAndURI, CodeRequestObjectUnresolved,
			CodeRequestObjectMalformed, CodeRequestObjectUnsigned, CodeRequestObjectAlgNotAllowed,
			CodeRequestObjectSignatureInvalid, CodeRequestObjectKeyTooSmall, CodeRequestObjectTooLarge,
			CodeRequestObjectClientIDMismatch:
			return true
		case CodeParameterDuplicated, CodeRequestObjectParamMismatch, CodeRequestObjectParamMissing:
			if v.Field == "client_id" || v.Field == "redirect_uri" {
				return true
			}
		}
		if f := v.Code.Family(); f == "profile" || f == "service" || f == "client" {
			return true
		}
	}
	return false
}

// resolveRequest decides the profile from the scope parameter and the
// (unverified) scope of the request object.
func (v serviceView) resolveRequest(c *Client, params Params, token string) (profile.Decision, error) {
	// Split leniently: a malformed scope parameter is reported on its own,
	// and must not hide a FAPI scope (which would relax the rules).
	requested := strings.Fields(params.Get("scope"))
	if token != "" {
		scopes, ok := requestobject.UnverifiedScope(token, v.svc.MaxRequestObjectSize)
		if !ok {
			// The object cannot be read (too large, malformed, unsigned), so
			// the scopes it asks for are unknown: assume the strictest profile
			// the service offers, never the weakest. The object check then
			// refuses the object itself.
			d, err := profile.Offered(v.settings(c))
			if d.Profile.IsFAPI() {
				d.ChosenBy = "unreadable request object: the strictest profile the service offers, " + d.ChosenBy
			}
			return d, err
		}
		requested = append(requested, scopes...)
	}
	return profile.Resolve(v.settings(c), requested)
}

type effectiveParams map[string]string

func outsideParams(p Params) effectiveParams {
	out := make(effectiveParams, len(p))
	for k, v := range p {
		if len(v) > 0 && k != "request" && k != "request_uri" {
			out[k] = v[0]
		}
	}
	return out
}

func objectParams(o *requestobject.Object) effectiveParams {
	out := make(effectiveParams, len(o.Params))
	for _, p := range o.Params {
		out[p.Name] = p.Value
	}
	return out
}

func checkDuplicates(b *builder, p Params) {
	for _, name := range p.names() {
		if len(p[name]) > 1 {
			b.add(CodeParameterDuplicated, name, "", "parameter %s is sent %d times; a parameter must not be repeated (RFC 6749 §3.1)", name, len(p[name]))
		}
	}
}

// addRequestObjectError turns a request object error into a violation,
// citing the profile's clause where the rule is the profile's.
func addRequestObjectError(b *builder, req profile.Requirements, e *requestobject.Error) {
	code := Code("request_object." + string(e.Reason))
	ref := ""
	switch e.Reason {
	case requestobject.ReasonAlgNotAllowed:
		ref = req.RequestObjectAlgRef
	case requestobject.ReasonUnsigned:
		if req.RequestObject {
			ref = "FAPI-RW-8.6-3"
		} else {
			ref = req.RequestObjectAlgRef
		}
	case requestobject.ReasonExpMissing:
		ref = req.ExpRef
	case requestobject.ReasonAudMissing, requestobject.ReasonAudMismatch:
		ref = req.AudRef
	case requestobject.ReasonKeyTooSmall:
		ref = req.KeyRSARef
		if strings.Contains(e.Message, "EC") {
			ref = req.KeyECRef
		}
	case requestobject.ReasonParamMissing, requestobject.ReasonParamMismatch:
		ref = req.AllParamsInsideRef
	case requestobject.ReasonTooLarge:
		ref = "FAPI-RW-7.4"
	}
	if _, known := codeIndex[code]; !known {
		code = CodeRequestObjectMalformed
	}
	field := e.Claim
	if field == "" {
		field = "request"
	}
	b.add(code, field, ref, "%s", e.Message)
}

func checkAuthorizationParams(b *builder, c *Client, req profile.Requirements, eff effectiveParams) {
	rt, hasRT := eff["response_type"]
	mode := eff["response_mode"]
	jarm := isJARMMode(mode)
	switch {
	case !hasRT || rt == "":
		b.add(CodeResponseTypeMissing, "response_type", "", "the request has no response_type")
	default:
		if req.ResponseTypes != nil && !jarm && !responseTypeIn(rt, req.ResponseTypes) {
			b.add(CodeResponseTypeNotAllowed, "response_type", req.ResponseTypeRef,
				"response_type %q is not allowed by %s without a JARM response mode (allowed: %s)", rt, req.Profile, strings.Join(req.ResponseTypes, ", "))
		}
		if !responseTypeIn(rt, responseTypes(c)) {
			b.add(CodeResponseTypeUnregistered, "response_type", "",
				"response_type %q is not among the client's registered response_types %s", rt, quoteList(responseTypes(c)))
		}
		if mode == "query" && (responseTypeHas(rt, "id_token") || responseTypeHas(rt, "token")) {
			b.add(CodeResponseModeNotAllowed, "response_mode", "",
				"response_mode query must not be used with response_type %q, which returns tokens in the front channel", rt)
		}
	}

	// redirect_uri (FAPI-R-5.2.2-9, -10, -20).
	switch ru, ok := eff["redirect_uri"]; {
	case !ok || ru == "":
		b.add(CodeRedirectURIMissing, "redirect_uri", "", "the request has no redirect_uri")
	default:
		if reason := httpsURIProblem(ru); reason != "" {
			b.add(CodeRedirectURINotHTTPS, "redirect_uri", "", "redirect_uri %q %s", ru, reason)
		}
		if !has(c.RedirectURIs, ru) {
			b.add(CodeRedirectURINotRegistered, "redirect_uri", "", "redirect_uri %q is not one of the client's registered redirect URIs (exact match)", ru)
		}
	}

	sc, hasScope := eff["scope"]
	scopes := strings.Fields(sc) // a malformed value is reported separately
	if !hasScope || len(scopes) == 0 {
		ref := ""
		if req.AllParamsInside {
			ref = req.AllParamsInsideRef
		}
		b.add(CodeScopeMissing, "scope", ref, "the request has no scope")
	}
	openid := scope.Contains(scopes, "openid")
	if req.StateWithoutOpenID && !openid && eff["state"] == "" {
		b.add(CodeStateMissing, "state", req.StateRef, "state is required when openid is not in the scope")
	}
	if req.NonceWithIDToken && responseTypeHas(rt, "id_token") && eff["nonce"] == "" {
		b.add(CodeNonceMissing, "nonce", req.NonceRef, "nonce is required with response_type %q", rt)
	}

	checkAuthorizationPKCE(b, c, req, eff)

	// The claims parameter (OIDC Core §5.5) and essential acr
	// (FAPI-RW-5.2.3-3).
	var claims *requestobject.ClaimsRequest
	if raw, ok := eff["claims"]; ok {
		var err error
		if claims, err = requestobject.ParseClaims([]byte(raw)); err != nil {
			b.add(CodeClaimsMalformed, "claims", "", "the claims parameter is malformed: %v", trimPrefix(err))
		}
	}
	if req.EssentialACR && !claims.EssentialIDTokenClaim("acr") {
		b.add(CodeClaimsACRNotEssential, "claims", req.EssentialACRRef,
			"%s requires the claims parameter to request acr as an essential ID token claim", req.Profile)
	}
}

// checkAuthorizationPKCE applies RFC 7636 with the profile's rule on who
// must use it. Under every FAPI profile a method other than S256 is refused
// whenever PKCE is used, and an absent method counts as plain (RFC 7636 §4.3;
// DESIGN "Policy decisions").
func checkAuthorizationPKCE(b *builder, c *Client, req profile.Requirements, eff effectiveParams) {
	challenge, hasChallenge := eff["code_challenge"]
	method, hasMethod := eff["code_challenge_method"]
	required := req.PKCE == profile.PKCEAllClients || (req.PKCE == profile.PKCEPublicClients && isPublic(c))
	if !hasChallenge || challenge == "" {
		switch {
		case required:
			who := "every client"
			if req.PKCE == profile.PKCEPublicClients {
				who = "public clients"
			}
			b.add(CodePKCEChallengeMissing, "code_challenge", req.PKCERef, "%s requires PKCE with S256 for %s, and no code_challenge was sent", req.Profile, who)
		case hasMethod:
			b.add(CodePKCEChallengeMissing, "code_challenge", "RFC7636-4.4.1", "code_challenge_method %q was sent without a code_challenge", method)
		}
		return
	}
	if method != pkce.MethodS256 {
		seen := fmt.Sprintf("%q", method)
		if !hasMethod {
			seen = "absent (which means plain)"
		}
		b.add(CodePKCEMethodNotS256, "code_challenge_method", req.PKCERef, "code_challenge_method is %s; FAPI requires S256", seen)
		return
	}
	if err := pkce.ValidateChallenge(challenge, method); err != nil {
		b.add(CodePKCEChallengeMalformed, "code_challenge", "", "code_challenge %q is malformed: an S256 challenge is 43 base64url characters", truncate(challenge, 64))
	}
}

func trimPrefix(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && errors.Is(err, requestobject.ErrClaimsMalformed) {
		return s[i+2:]
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
