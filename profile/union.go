package profile

import (
	"slices"

	"github.com/fapicheck/fapicheck/clause"
	"strings"
	"time"
)

// Requirements returns what the decision demands: the requirements of its
// profile, or, when it selected several (Profiles), their Union, so that
// no profile's rule is lost to another's. Under FAPI 2.0 Message Signing
// the parts the decision does not ask for are left out: without
// SignedRequest the object is not required (Security Profile rules), and
// without SignedResponse JARM is not. A decision without a FAPI profile
// gets Plain. ok is false only for a profile the library does not know.
func (d Decision) Requirements() (Requirements, bool) {
	ps := d.Profiles.Profiles()
	if len(ps) == 0 {
		if d.Profile.IsFAPI() {
			ps = []Profile{d.Profile}
		} else {
			return Plain(), d.Profile == None || d.Profile == ""
		}
	}
	rs := make([]Requirements, 0, len(ps))
	for _, p := range ps {
		r, ok := p.Requirements()
		if !ok {
			return Requirements{}, false
		}
		if p == FAPI2MessageSigning {
			r.applyParts(d.SignedRequest, d.SignedResponse)
		}
		rs = append(rs, r)
	}
	return Union(rs...), true
}

// applyParts leaves out the Message Signing parts that do not apply. The
// exp, nbf and aud rules stay: they apply to any request object the service
// requires (require_signed_request_object).
func (r *Requirements) applyParts(signedRequest, signedResponse bool) {
	if !signedRequest {
		r.RequestObject = clause.None
		r.RequireClientIDClaim = clause.None
		r.Service.SignedRequestObject = clause.None
	}
	if !signedResponse {
		r.RequireJARM = clause.None
		r.ResponseModes.Allowed = Rule[[]string]{}
	}
}

// Label names the profiles of r for messages: "fapi1-advanced", or
// "fapi2-security+fapi1-advanced" for a Union.
func (r *Requirements) Label() string {
	if r.Profiles.Len() > 1 {
		return r.Profiles.String()
	}
	return string(r.Profile)
}

// Union returns the requirements of several profiles together: a request
// meets them exactly when it meets each profile's (rs, strictest first).
// Each rule is the strictest of the profiles' — a rule any of them sets, a
// list all of them allow (intersection), the larger minimum and the
// shorter lifetime — with the clause of the profile it comes from. The
// profiles are not always nested: FAPI 1.0 Advanced requires PKCE only
// with PAR where Baseline requires it of every client, and FAPI 2.0 allows
// DPoP and EdDSA where Advanced requires MTLS binding, PS256/ES256 and a
// request object. Union of one is that one; Union of none is Plain.
func Union(rs ...Requirements) Requirements {
	if len(rs) == 0 {
		return Plain()
	}
	u := cloneRequirements(rs[0])
	for _, r := range rs[1:] {
		u.add(r)
	}
	return u
}

func cloneRequirements(r Requirements) Requirements {
	r.ClientAuthMethods.Value = slices.Clone(r.ClientAuthMethods.Value)
	r.RequestObjectAlgs.Value = slices.Clone(r.RequestObjectAlgs.Value)
	r.OutsideRequired.Value = slices.Clone(r.OutsideRequired.Value)
	r.ResponseTypes.Allowed = slices.Clone(r.ResponseTypes.Allowed)
	r.ResponseTypes.WithJARM = slices.Clone(r.ResponseTypes.WithJARM)
	r.SigningAlgs.Value = slices.Clone(r.SigningAlgs.Value)
	r.PKCEMethods.Value = slices.Clone(r.PKCEMethods.Value)
	r.ResponseModes.Defined.Value = slices.Clone(r.ResponseModes.Defined.Value)
	r.ResponseModes.Allowed.Value = slices.Clone(r.ResponseModes.Allowed.Value)
	return r
}

// add folds r into u.
func (u *Requirements) add(r Requirements) {
	u.Profiles |= r.Profiles
	u.NbfWaivable = u.NbfWaivable && r.NbfWaivable // a waiver applies only if every profile allows it

	// Lists every profile allows: the intersection, with the clause of the
	// profile whose list is shorter.
	intersect(&u.ClientAuthMethods, r.ClientAuthMethods)
	intersect(&u.RequestObjectAlgs, r.RequestObjectAlgs)
	intersectAny(&u.SigningAlgs, r.SigningAlgs)
	intersectAny(&u.PKCEMethods, r.PKCEMethods)

	either(&u.NoPublicClients, r.NoPublicClients)
	if r.Keys.Minimums.RSA > u.Keys.Minimums.RSA {
		u.Keys.Minimums.RSA, u.Keys.RSA = r.Keys.Minimums.RSA, r.Keys.RSA
	}
	if r.Keys.Minimums.EC > u.Keys.Minimums.EC {
		u.Keys.Minimums.EC, u.Keys.EC = r.Keys.Minimums.EC, r.Keys.EC
	}
	u.unionPKCE(r)

	either(&u.RequestObject, r.RequestObject)
	either(&u.UnsignedRequestObject, r.UnsignedRequestObject)
	either(&u.RequireClientIDClaim, r.RequireClientIDClaim)
	for _, name := range r.OutsideRequired.Value {
		if !slices.Contains(u.OutsideRequired.Value, name) {
			u.OutsideRequired.Value = append(u.OutsideRequired.Value, name)
			either(&u.OutsideRequired.Clause, r.OutsideRequired.Clause)
		}
	}
	either(&u.RequireExp, r.RequireExp)
	either(&u.RequireNbf, r.RequireNbf)
	either(&u.RequireAud, r.RequireAud)
	shorter(&u.MaxLifetime, r.MaxLifetime)
	shorter(&u.MaxNbfAge, r.MaxNbfAge)
	either(&u.ForbidSubIsClient, r.ForbidSubIsClient)
	// Outside parameters: "must match" also uses only the object's values,
	// so it contains "ignored", which contains "merged".
	if outsideRank(r.Outside.Value) > outsideRank(u.Outside.Value) {
		u.Outside = r.Outside
	}
	either(&u.PARRequired, r.PARRequired)

	u.unionResponseTypes(r)
	either(&u.RequireJARM, r.RequireJARM)
	intersect(&u.ResponseModes.Defined, r.ResponseModes.Defined)
	intersectAny(&u.ResponseModes.Allowed, r.ResponseModes.Allowed) // nil: any defined mode
	either(&u.EssentialACR, r.EssentialACR)
	if bindingRank(r.Binding.Value) > bindingRank(u.Binding.Value) {
		u.Binding = r.Binding
	}
	either(&u.NoRSA15, r.NoRSA15)
	if r.AssertionAudience.Value == AudienceIssuerString && u.AssertionAudience.Value != AudienceIssuerString {
		u.AssertionAudience = r.AssertionAudience
	}
	either(&u.StateWithoutOpenID, r.StateWithoutOpenID)
	if r.Nonce.Value > u.Nonce.Value { // NonceWithOpenID contains NonceWithIDToken
		u.Nonce = r.Nonce
	}
	either(&u.RequireScope, r.RequireScope)
	either(&u.Redirect.HTTPS, r.Redirect.HTTPS)
	u.Redirect.HTTPLoopback = u.Redirect.HTTPLoopback && r.Redirect.HTTPLoopback
	u.Redirect.Optional = u.Redirect.Optional && r.Redirect.Optional
	// Redirect.Required, Exact and Registered stay the strictest profile's:
	// the rules are the same in every profile.
	shorter(&u.CodeLifetime, r.CodeLifetime)
	shorter(&u.MaxRequestURILifetime, r.MaxRequestURILifetime)
	either(&u.NoPasswordGrant, r.NoPasswordGrant)
	either(&u.NoRefreshRotation, r.NoRefreshRotation)
	either(&u.RefreshBinding, r.RefreshBinding)
	either(&u.Resource.HeaderOnly, r.Resource.HeaderOnly)
	if bindingRank(r.Resource.Binding.Value) > bindingRank(u.Resource.Binding.Value) {
		u.Resource.Binding = r.Resource.Binding
	}
	u.Service.add(r.Service)
}

// add folds the service rules of r into u.
func (u *ServiceRules) add(r ServiceRules) {
	either(&u.Family, r.Family)
	either(&u.PKCES256, r.PKCES256)
	either(&u.RequestParameter, r.RequestParameter)
	either(&u.SignedRequestObject, r.SignedRequestObject)
	either(&u.PARRequired, r.PARRequired)
	either(&u.SigningAlgs, r.SigningAlgs)
	either(&u.MTLSBinding, r.MTLSBinding)
	either(&u.IssParameter, r.IssParameter)
	if r.MinClockSkew.Value > u.MinClockSkew.Value {
		u.MinClockSkew = r.MinClockSkew
	}
}

// unionPKCE: every client is the only rule that contains the others
// (public clients only and pushed requests only do not contain each other).
func (u *Requirements) unionPKCE(r Requirements) {
	switch {
	case u.PKCE.Value == r.PKCE.Value, r.PKCE.Value == PKCENotRequired:
	case u.PKCE.Value == PKCENotRequired:
		u.PKCE = r.PKCE
	case u.PKCE.Value == PKCEAllClients:
	case r.PKCE.Value == PKCEAllClients:
		u.PKCE = r.PKCE
	default:
		u.PKCE.Value = PKCEAllClients
	}
}

// either keeps a rule in force when either side sets it, with the first
// clause that set it.
func either(dst *clause.Clause, v clause.Clause) {
	if !dst.Applies() {
		*dst = v
	}
}

// shorter keeps the smaller positive limit (0 means no limit).
func shorter(dst *Rule[time.Duration], v Rule[time.Duration]) {
	if v.Value > 0 && (dst.Value == 0 || v.Value < dst.Value) {
		*dst = v
	}
}

// intersect narrows a list that is never "any".
func intersect(dst *Rule[[]string], v Rule[[]string]) {
	out := dst.Value[:0:0]
	for _, x := range dst.Value {
		if slices.Contains(v.Value, x) {
			out = append(out, x)
		}
	}
	if len(v.Value) < len(dst.Value) || len(out) < len(dst.Value) && len(v.Value) == len(out) {
		dst.Clause = v.Clause
	}
	dst.Value = out
}

// intersectAny narrows a list where nil means "any".
func intersectAny(dst *Rule[[]string], v Rule[[]string]) {
	switch {
	case v.Value == nil:
		either(&dst.Clause, v.Clause)
	case dst.Value == nil:
		*dst = Rule[[]string]{slices.Clone(v.Value), v.Clause}
	default:
		intersect(dst, v)
	}
}

func outsideRank(o OutsideParams) int {
	switch o {
	case OutsideMustMatch:
		return 2
	case OutsideIgnored:
		return 1
	}
	return 0
}

func bindingRank(b Binding) int {
	switch b {
	case BindingMTLS:
		return 2
	case BindingMTLSOrDPoP:
		return 1
	}
	return 0
}

// allowsResponseType reports whether r allows response type rt, with a
// JARM response mode or without.
func (r *ResponseTypeRule) allowsResponseType(rt string, jarm bool) bool {
	if r.Allowed == nil || containsResponseType(r.Allowed, rt) {
		return true
	}
	return jarm && (r.AnyWithJARM || containsResponseType(r.WithJARM, rt))
}

// unionResponseTypes keeps the response types both u and r allow: without
// JARM in Allowed, and those allowed only with a JARM response mode in
// WithJARM. The clause is the one of the profile that allows fewer.
func (u *Requirements) unionResponseTypes(r Requirements) {
	ur, rr := &u.ResponseTypes, &r.ResponseTypes
	if rr.Allowed == nil {
		return
	}
	if ur.Allowed == nil {
		*ur = ResponseTypeRule{slices.Clone(rr.Allowed), slices.Clone(rr.WithJARM), rr.AnyWithJARM, rr.Clause}
		return
	}
	var candidates []string
	for _, l := range [][]string{ur.Allowed, ur.WithJARM, rr.Allowed, rr.WithJARM} {
		for _, rt := range l {
			if !containsResponseType(candidates, rt) {
				candidates = append(candidates, rt)
			}
		}
	}
	plain, jarm := []string{}, []string(nil)
	uCount, rCount := 0, 0
	for _, rt := range candidates {
		if ur.allowsResponseType(rt, true) {
			uCount++
		}
		if rr.allowsResponseType(rt, true) {
			rCount++
		}
		switch {
		case ur.allowsResponseType(rt, false) && rr.allowsResponseType(rt, false):
			plain = append(plain, rt)
		case ur.allowsResponseType(rt, true) && rr.allowsResponseType(rt, true):
			jarm = append(jarm, rt)
		}
	}
	if rCount < uCount {
		ur.Clause = rr.Clause
	}
	ur.AnyWithJARM = ur.AnyWithJARM && rr.AnyWithJARM
	if ur.AnyWithJARM {
		jarm = nil
	}
	ur.Allowed, ur.WithJARM = plain, jarm
}

// containsResponseType compares response types as sets of space-separated
// names ("id_token code" is "code id_token", OAuth 2.0 Multiple Response
// Type Encoding Practices §3).
func containsResponseType(list []string, rt string) bool {
	for _, v := range list {
		if sameWords(v, rt) {
			return true
		}
	}
	return false
}

func sameWords(a, b string) bool {
	if a == b {
		return true
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	for _, w := range wa {
		if !slices.Contains(wb, w) {
			return false
		}
	}
	for _, w := range wb {
		if !slices.Contains(wa, w) {
			return false
		}
	}
	return true
}
