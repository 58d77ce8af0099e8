package fapi

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
	"github.com/fapicheck/fapicheck/scope"
)

// CheckAuthorizationRequest checks a request to the authorization endpoint
// at time now, against the profile the requested scopes select (docs/DESIGN.md,
// "Profiles"):
//
//   - a request whose request_uri came from the service's PAR endpoint is
//     checked against the record the caller stored (r.Pushed: client
//     binding and expiry, PAR-2.2, PAR-4), and its validated parameters are
//     used; under FAPI 2.0 every request must come that way
//     (FAPI2-SP-5.3.2.2-2);
//   - otherwise the request object (by value in the request parameter, or
//     the object the caller resolved for request_uri; the library never
//     fetches) is verified, and the authorization parameters — from the
//     object where the profile says only its values count — are checked.
//
// Violations returned before client_id and redirect_uri are trusted must not
// be sent to the redirect URI: see AuthorizationResult.ErrorRedirectURI.
func CheckAuthorizationRequest(svc *Service, pc *PreparedClient, r *AuthorizationRequest, now time.Time) AuthorizationResult {
	ck := transientChecker(svc)
	return ck.Authorization(pc, r, now)
}

func checkAuthorization(ck *Checker, pc *PreparedClient, r *AuthorizationRequest, now time.Time) builder {
	b := newBuilder("authorization")
	if r == nil {
		r = &AuthorizationRequest{}
	}
	v, ok := beginRequest(&b, ck, pc, now)
	if !ok {
		return b
	}
	c := &pc.cfg
	params := r.Params
	checkDuplicates(&b, params)
	// The parameters looked at more than once, looked up once.
	request, hasRequest := params.lookup("request")
	requestURI, hasRequestURI := params.lookup("request_uri")
	if r.Pushed != nil {
		checkPushedAuthorization(&b, v, pc, r, now)
		return b
	}

	token := selectRequestObject(&b, r, request, hasRequest, requestURI, hasRequestURI)
	if token == "" && (hasRequest || hasRequestURI) && len(b.r.Violations) > 0 {
		// The request object is ambiguous or missing; without it the
		// request cannot be judged further.
		d, err := v.resolveRequest(&b, c, params, nil)
		decide(&b, d, err)
		return b
	}

	// The profile: from the scope parameter and the request object's scope,
	// whose syntax is checked first (decideScopes). The object's scope is
	// read before verification; adding scopes can only add profiles, so an
	// unverified object can never relax the rules applied to it.
	var parsed *requestobject.Token
	if token != "" {
		parsed = requestobject.Parse(token, v.svc.MaxRequestObjectSize)
	}
	d, err := v.resolveRequest(&b, c, params, parsed)
	rules, ok := decide(&b, d, err)
	if !ok {
		return b
	}
	checkClientForRequest(&b, v, pc, rules)
	if !checkNotPushed(&b, v, c, rules) {
		return b
	}
	checkOutsideObject(&b, c, rules, params, token, requestURI, hasRequestURI)

	rc := requestCheck{v: v, pc: pc, rules: rules, now: now}
	obj := rc.verifyObject(&b, parsed)
	if token == "" && rc.objectRequired() {
		b.add(CodeRequestObjectMissing, "request", objectRef(&rc), "%s requires a signed request object (request or request_uri), and none was sent", rules.Label())
	}
	eff, ok := rc.effectiveParams(&b, params, token, obj)
	if !ok {
		return b
	}
	checkOutsideResponseType(&b, params, eff)
	rc.checkObjectClientID(&b, obj)
	rc.checkAuthorizationParams(&b, eff)
	b.params = eff
	b.redirectTrusted = (token == "" || obj != nil) && !hasUntrustingViolation(b.r.Violations)
	return b
}

// selectRequestObject returns the request object to verify, if any (OIDC
// Core §6: request and request_uri are mutually exclusive; the library
// never fetches a request_uri: r.RequestObject is what the caller
// resolved).
func selectRequestObject(b *builder, r *AuthorizationRequest, request string, hasRequest bool, requestURI string, hasRequestURI bool) string {
	switch {
	case hasRequest && hasRequestURI:
		b.add(CodeRequestObjectRequestAndURI, "request", "", "both request and request_uri were sent")
	case hasRequest:
		if r.RequestObject != "" {
			b.add(CodeRequestObjectRequestAndURI, "request", "", "a request parameter was sent, and a resolved request_uri object was also supplied")
			return ""
		}
		return request
	case hasRequestURI:
		if r.RequestObject == "" {
			b.add(CodeRequestObjectUnresolved, "request_uri", "", "request_uri %q was sent, but no resolved request object (nor a pushed record) was supplied; the library never fetches it", requestURI)
		}
		return r.RequestObject
	case r.RequestObject != "":
		b.add(CodeRequestObjectUnresolved, "request_object", "", "a resolved request object was supplied, but the request has no request_uri")
	}
	return ""
}

// checkNotPushed refuses a request that did not come through PAR where
// the profile (FAPI2-SP-5.3.2.2-2), the service or the client (RFC 9126
// §5, §6) requires PAR; it reports whether the checks go on.
func checkNotPushed(b *builder, v serviceView, c *Client, rules *profile.Requirements) bool {
	switch {
	case rules.PARRequired.Applies():
		b.add(CodePARRequired, "request_uri", rules.PARRequired,
			"%s requires every authorization request to come through the PAR endpoint; this one did not", rules.Label())
		return false
	case c.RequirePushedAuthorizationRequests || v.svc.RequirePushedAuthorizationRequests:
		b.add(CodePARRequired, "request_uri", "PAR-6",
			"require_pushed_authorization_requests is set, so the request must come through the PAR endpoint; this one did not")
		return false
	}
	return true
}

// checkOutsideObject checks the parameters sent outside any request
// object: the form of request_uri, client_id, and those the profile wants
// duplicated outside an object.
func checkOutsideObject(b *builder, c *Client, rules *profile.Requirements, params Params, token, requestURI string, hasRequestURI bool) {
	if hasRequestURI && !requestURIForm(requestURI) {
		// OIDC Core §6 defines request_uri as "a URL using the https
		// scheme" (fetched as §6.2 says); an http, file or relative one
		// must not be fetched, and is refused. RFC 9101 §2.2 lets a server
		// hand out its own request URIs, whose content is its business: a
		// URN (NID:NSS, RFC 8141) passes as such a reference, which the
		// caller resolves from its own storage (FAPI-RW-7's request object
		// endpoint; a PAR request_uri arrives with r.Pushed and never gets
		// here).
		b.add(CodeRequestObjectURINotHTTPS, "request_uri", "", "request_uri %q is neither an absolute https URL nor a urn the server issued, of at most %d characters", truncate(requestURI, 128), maxRequestURILength)
	}
	switch cid := params.Get("client_id"); {
	case !params.Has("client_id"):
		b.add(CodeClientIDMissing, "client_id", "", "the request has no client_id parameter")
	case cid != c.ClientID:
		b.add(CodeClientIDMismatch, "client_id", "", "client_id %q is not the client %q the request was checked for", cid, c.ClientID)
	}
	// Beside a request object — by value or by reference alike — the
	// profile may want some parameters sent outside too: under FAPI 1.0
	// ID2 read-write, OIDC Core §6.1 and §6.2 (response_type and scope,
	// "so that the request is a valid OAuth 2.0 Authorization Request").
	// Where only the object's values count (RFC 9101 §6.3; FAPI1-ADV-5.2.2-10,
	// FAPI 2.0), a request with only client_id and request (or request_uri)
	// outside — what RP libraries send by default — is complete and is
	// accepted. FAPI1-ADV-5.2.3-9 asks clients that do not use PAR to
	// duplicate response_type, client_id and scope as OIDC Core §6.1 does;
	// that is a client clause, which a server may enforce but need not: the
	// server clause 5.2.2-10 uses none of the duplicates, RFC 9101 §5 makes
	// them optional ("MAY ... for backward compatibility"), and refusing
	// them gains nothing but breaks default JAR clients.
	if token != "" {
		for _, name := range rules.OutsideRequired.Value {
			if !params.Has(name) {
				b.add(CodeParameterMissing, name, rules.OutsideRequired.Clause, "%s must also be sent outside the request object (OIDC Core section 6.1, section 6.2)", name)
			}
		}
	}
}

// checkPushedAuthorization checks an authorization request whose
// request_uri the service's PAR endpoint issued: the record binds it to a
// client and an expiry (PAR-2.2, PAR-4), and holds the parameters validated
// at the PAR endpoint, which are the ones used. Other parameters sent to the
// authorization endpoint are ignored (PAR-4) and listed.
func checkPushedAuthorization(b *builder, v serviceView, pc *PreparedClient, r *AuthorizationRequest, now time.Time) {
	c := &pc.cfg
	params := r.Params
	rec := r.Pushed
	if !params.Has("request_uri") {
		b.add(CodeRequestObjectUnresolved, "request_uri", "", "a pushed authorization record was supplied, but the request has no request_uri")
	}
	// The parameters sent beside a pushed request_uri are ignored (PAR-4),
	// but one outside its grammar is still refused, as everywhere: the
	// server must not read it any other way.
	if sc := params.Get("scope"); sc != "" && scope.Validate(sc) != nil {
		b.add(CodeScopeMalformed, "scope", "RFC6749-3.3", "scope %q beside the pushed request_uri is malformed", truncate(sc, 128))
	}
	if rt := params.Get("response_type"); rt != "" && !validResponseType(rt) {
		b.add(CodeResponseTypeMalformed, "response_type", "", "response_type %q beside the pushed request_uri is malformed (RFC 6749 section 3.1.1)", truncate(rt, 64))
	}
	if params.Has("request") {
		b.add(CodeRequestObjectRequestAndURI, "request", "", "a request parameter was sent with a pushed request_uri")
	}
	eff := make(effectiveParams, 0, len(rec.Params)+1)
	for k, val := range rec.Params {
		eff = append(eff, param{k, val})
	}
	// The DPoP key the pushed request was bound to travels with the
	// parameters into the code (RFC 9449 §10.1).
	switch jkt := eff.val("dpop_jkt"); {
	case rec.DPoPJKT == "":
	case jkt == "":
		eff.set("dpop_jkt", rec.DPoPJKT)
	case jkt != rec.DPoPJKT:
		b.add(CodeDPoPJKTMismatch, "dpop_jkt", "DPOP-10.1", "the pushed record's dpop_jkt %q differs from the dpop_jkt in its parameters %q", rec.DPoPJKT, jkt)
	}
	// RFC 9126 §2.2, §4: the request_uri is bound to the client that pushed
	// it and expires; these bindings hold whatever the profile.
	if rec.ClientID != c.ClientID {
		b.add(CodePARClientMismatch, "request_uri", "", "the request_uri was pushed by client %q, not %q", rec.ClientID, c.ClientID)
	}
	switch {
	case rec.ExpiresAt.IsZero():
		b.add(CodePARExpired, "request_uri", "", "the pushed authorization record has no expiry")
	case !now.Before(rec.ExpiresAt):
		b.add(CodePARExpired, "request_uri", "", "the request_uri expired at %s (now %s)", rec.ExpiresAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	d, err := v.decideScopes(b, c, scopeValue{field: "scope", where: " in the pushed authorization record", value: eff.val("scope")})
	rules, ok := decide(b, d, err)
	if !ok {
		return
	}
	checkClientForRequest(b, v, pc, rules)
	if max := rules.MaxRequestURILifetime.Value; max > 0 && !rec.ExpiresAt.IsZero() && rec.ExpiresAt.Sub(now) >= max {
		b.add(CodePARExpired, "request_uri", "FAPI2-SP-5.3.2.2-12", "the request_uri expires at %s, %s or more after now; %s request_uris live less than that",
			rec.ExpiresAt.UTC().Format(time.RFC3339), max, rules.Label())
	}
	switch cid := params.Get("client_id"); {
	case !params.Has("client_id"):
		// FAPI1-ADV-5.2.3-16 (client clause), RFC 9101 §5: client_id is
		// repeated beside the request_uri.
		b.add(CodeClientIDMissing, "client_id", "", "the request has no client_id parameter beside the request_uri")
	case cid != c.ClientID:
		b.add(CodeClientIDMismatch, "client_id", "", "client_id %q is not the client %q the request was checked for", cid, c.ClientID)
	}
	var ignored []string
	for name := range params {
		if name != "client_id" && name != "request_uri" {
			ignored = append(ignored, name)
		}
	}
	sort.Strings(ignored)
	b.r.Ignored = append(b.r.Ignored, ignored...)

	rc := requestCheck{v: v, pc: pc, rules: rules, now: now, viaPAR: true, authenticated: true}
	rc.checkAuthorizationParams(b, eff)
	b.params = eff
	b.redirectTrusted = !hasUntrustingViolation(b.r.Violations)
	b.requestURI = requestURIUse(c, params.Get("request_uri"), rec, now)
}

// requestURIUse is the one-time use of a pushed request_uri, consumed when
// the authorization completes (CompleteAuthorization; RFC 9126 §7.3) and
// held CompletionWindow beyond the pushed request's expiry: every
// authorization of that request_uri was checked before the expiry, so the
// hold outlasts every completion CompleteAuthorization accepts, whichever
// check's result it is given. nil without a request_uri.
func requestURIUse(c *Client, uri string, rec *PushedRecord, now time.Time) *pendingUse {
	if uri == "" {
		return nil
	}
	until := rec.ExpiresAt
	if !until.After(now) {
		until = now // refused (par.expired) already; a hold all the same
	}
	return &pendingUse{use: onetime.Use{Key: onetime.Key(onetime.KindRequestURI, c.ClientID, uri), Until: until.Add(CompletionWindow)}}
}

// hasUntrustingViolation reports whether a violation means client_id or
// redirect_uri cannot be trusted, so no error may be redirected: the
// redirect column of the code table (stopsRedirect).
func hasUntrustingViolation(vs []Violation) bool {
	for _, v := range vs {
		if stopsRedirect(v) {
			return true
		}
	}
	return false
}

func checkDuplicates(b *builder, p Params) {
	dup := false
	for _, v := range p {
		if len(v) > 1 {
			dup = true
			break
		}
	}
	if !dup {
		return
	}
	for _, name := range p.names() {
		if len(p[name]) > 1 {
			b.add(CodeParameterDuplicated, name, "", "parameter %s is sent %d times; a parameter must not be repeated (RFC 6749 section 3.1)", name, len(p[name]))
		}
	}
}

// outsideValues converts Params for requestobject.CompareOutside.
func outsideValues(p Params) url.Values { return url.Values(p) }

// requestURIForm reports whether a request_uri has a form a server may
// resolve: an absolute https URL with a host, or a urn.
//
// OIDC Core §6.2: "The entire Request URI MUST NOT exceed 512 ASCII
// characters"; a longer one is refused before it is parsed.
func requestURIForm(u string) bool {
	if len(u) > maxRequestURILength {
		return false
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch {
	case strings.EqualFold(p.Scheme, "https"):
		return p.Host != "" && p.Opaque == ""
	case strings.EqualFold(p.Scheme, "urn"):
		nid, nss, ok := strings.Cut(p.Opaque, ":")
		return ok && nid != "" && nss != ""
	}
	return false
}

// maxRequestURILength is OIDC Core §6.2's limit on a request_uri.
const maxRequestURILength = 512
