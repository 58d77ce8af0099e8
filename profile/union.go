package profile

import (
	"slices"
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
		r.RequestObject = false
		r.RequestObjectRef = ""
		r.RequireClientIDClaim = false
		r.ClientIDClaimRef = ""
	}
	if !signedResponse {
		r.RequireJARM = false
		r.RequireJARMRef = ""
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
// Each rule is the strictest of the profiles' — a flag any of them sets, a
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
	r.ClientAuthMethods = slices.Clone(r.ClientAuthMethods)
	r.RequestObjectAlgs = slices.Clone(r.RequestObjectAlgs)
	r.OutsideRequired = slices.Clone(r.OutsideRequired)
	r.ResponseTypes = slices.Clone(r.ResponseTypes)
	r.JARMResponseTypes = slices.Clone(r.JARMResponseTypes)
	r.SigningAlgs = slices.Clone(r.SigningAlgs)
	r.PKCEMethods = slices.Clone(r.PKCEMethods)
	return r
}

// add folds r into u.
func (u *Requirements) add(r Requirements) {
	u.Profiles |= r.Profiles
	u.Final = u.Final && r.Final // a waiver applies only if every profile allows it

	// Lists every profile allows: the intersection, with the clause of the
	// profile whose list is shorter.
	intersect(&u.ClientAuthMethods, &u.ClientAuthRef, r.ClientAuthMethods, r.ClientAuthRef)
	intersect(&u.RequestObjectAlgs, &u.RequestObjectAlgRef, r.RequestObjectAlgs, r.RequestObjectAlgRef)
	intersectAny(&u.SigningAlgs, &u.SigningAlgRef, r.SigningAlgs, r.SigningAlgRef)
	intersectAny(&u.PKCEMethods, new(string), r.PKCEMethods, "")

	if u.PublicClients && !r.PublicClients {
		u.PublicClients, u.PublicClientsRef = false, r.PublicClientsRef
	}
	if r.KeyMinimums.RSA > u.KeyMinimums.RSA {
		u.KeyMinimums.RSA, u.KeyRSARef = r.KeyMinimums.RSA, r.KeyRSARef
	}
	if r.KeyMinimums.EC > u.KeyMinimums.EC {
		u.KeyMinimums.EC, u.KeyECRef = r.KeyMinimums.EC, r.KeyECRef
	}

	// PKCE: every client is the only rule that contains the others (public
	// clients only and pushed requests only do not contain each other).
	switch {
	case u.PKCE == r.PKCE, r.PKCE == PKCENotRequired:
	case u.PKCE == PKCENotRequired:
		u.PKCE, u.PKCERef = r.PKCE, r.PKCERef
	case u.PKCE == PKCEAllClients:
	case r.PKCE == PKCEAllClients:
		u.PKCE, u.PKCERef = r.PKCE, r.PKCERef
	default:
		u.PKCE = PKCEAllClients
	}

	orFlag(&u.RequestObject, &u.RequestObjectRef, r.RequestObject, r.RequestObjectRef)
	if u.RequestObjectUnsignedRef == "" {
		u.RequestObjectUnsignedRef = r.RequestObjectUnsignedRef
	}
	orFlag(&u.RequireClientIDClaim, &u.ClientIDClaimRef, r.RequireClientIDClaim, r.ClientIDClaimRef)
	for _, name := range r.OutsideRequired {
		if !slices.Contains(u.OutsideRequired, name) {
			u.OutsideRequired = append(u.OutsideRequired, name)
			if u.OutsideRequiredRef == "" {
				u.OutsideRequiredRef = r.OutsideRequiredRef
			}
		}
	}
	orFlag(&u.RequireExp, &u.ExpRef, r.RequireExp, r.ExpRef)
	orFlag(&u.RequireNbf, &u.NbfRef, r.RequireNbf, r.NbfRef)
	orFlag(&u.RequireAud, &u.AudRef, r.RequireAud, r.AudRef)
	shorter(&u.MaxLifetime, &u.LifetimeRef, r.MaxLifetime, r.LifetimeRef)
	shorter(&u.MaxNbfAge, &u.NbfAgeRef, r.MaxNbfAge, r.NbfAgeRef)
	u.ForbidSubIsClient = u.ForbidSubIsClient || r.ForbidSubIsClient
	// Outside parameters: "must match" also uses only the object's values,
	// so it contains "ignored", which contains "merged".
	if outsideRank(r.Outside) > outsideRank(u.Outside) {
		u.Outside, u.OutsideRef = r.Outside, r.OutsideRef
	}
	orFlag(&u.PARRequired, &u.PARRef, r.PARRequired, r.PARRef)

	u.unionResponseTypes(r)
	orFlag(&u.RequireJARM, &u.RequireJARMRef, r.RequireJARM, r.RequireJARMRef)
	orFlag(&u.EssentialACR, &u.EssentialACRRef, r.EssentialACR, r.EssentialACRRef)
	if bindingRank(r.Binding) > bindingRank(u.Binding) {
		u.Binding, u.BindingRef = r.Binding, r.BindingRef
	}
	u.NoRSA15 = u.NoRSA15 || r.NoRSA15
	if r.AssertionAudience == AudienceIssuerString && u.AssertionAudience != AudienceIssuerString {
		u.AssertionAudience, u.AssertionAudienceRef = r.AssertionAudience, r.AssertionAudienceRef
	}
	orFlag(&u.StateWithoutOpenID, &u.StateRef, r.StateWithoutOpenID, r.StateRef)
	if r.Nonce > u.Nonce { // NonceWithOpenID contains NonceWithIDToken
		u.Nonce, u.NonceRef = r.Nonce, r.NonceRef
	}
	orFlag(&u.RequireScope, &u.ScopeRef, r.RequireScope, r.ScopeRef)
	if !u.RequireHTTPSRedirect && r.RequireHTTPSRedirect {
		u.RequireHTTPSRedirect, u.RedirectHTTPSRef = true, r.RedirectHTTPSRef
	}
	u.RedirectHTTPLoopback = u.RedirectHTTPLoopback && r.RedirectHTTPLoopback
	u.RedirectURIOptional = u.RedirectURIOptional && r.RedirectURIOptional
	// RedirectRequiredRef, RedirectExactRef and RedirectRegisteredRef stay
	// the strictest profile's: the rules are the same in every profile.
	shorter(&u.CodeLifetime, &u.CodeLifetimeRef, r.CodeLifetime, r.CodeLifetimeRef)
	if r.MinClockSkew > u.MinClockSkew {
		u.MinClockSkew = r.MinClockSkew
	}
	var none string
	shorter(&u.MaxRequestURILifetime, &none, r.MaxRequestURILifetime, "")
	u.NoPasswordGrant = u.NoPasswordGrant || r.NoPasswordGrant
	u.IssParameter = u.IssParameter || r.IssParameter
}

func orFlag(dst *bool, ref *string, v bool, vref string) {
	if v && !*dst {
		*dst, *ref = true, vref
	}
}

// shorter keeps the smaller positive limit (0 means no limit).
func shorter(dst *time.Duration, ref *string, v time.Duration, vref string) {
	if v > 0 && (*dst == 0 || v < *dst) {
		*dst, *ref = v, vref
	}
}

// intersect narrows a list that is never "any".
func intersect(dst *[]string, ref *string, v []string, vref string) {
	out := (*dst)[:0:0]
	for _, x := range *dst {
		if slices.Contains(v, x) {
			out = append(out, x)
		}
	}
	if len(v) < len(*dst) || len(out) < len(*dst) && len(v) == len(out) {
		*ref = vref
	}
	*dst = out
}

// intersectAny narrows a list where nil means "any".
func intersectAny(dst *[]string, ref *string, v []string, vref string) {
	switch {
	case v == nil:
	case *dst == nil:
		*dst, *ref = slices.Clone(v), vref
	default:
		intersect(dst, ref, v, vref)
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
func (r *Requirements) allowsResponseType(rt string, jarm bool) bool {
	if r.ResponseTypes == nil || containsResponseType(r.ResponseTypes, rt) {
		return true
	}
	return jarm && (r.JARMAnyResponseType || containsResponseType(r.JARMResponseTypes, rt))
}

// unionResponseTypes keeps the response types both u and r allow: without
// JARM in ResponseTypes, and those allowed only with a JARM response mode
// in JARMResponseTypes. The clause is the one of the profile that allows
// fewer.
func (u *Requirements) unionResponseTypes(r Requirements) {
	if r.ResponseTypes == nil {
		return
	}
	if u.ResponseTypes == nil {
		u.ResponseTypes = slices.Clone(r.ResponseTypes)
		u.JARMResponseTypes = slices.Clone(r.JARMResponseTypes)
		u.JARMAnyResponseType = r.JARMAnyResponseType
		u.ResponseTypeRef = r.ResponseTypeRef
		return
	}
	var candidates []string
	for _, l := range [][]string{u.ResponseTypes, u.JARMResponseTypes, r.ResponseTypes, r.JARMResponseTypes} {
		for _, rt := range l {
			if !containsResponseType(candidates, rt) {
				candidates = append(candidates, rt)
			}
		}
	}
	plain, jarm := []string{}, []string(nil)
	uCount, rCount := 0, 0
	for _, rt := range candidates {
		if u.allowsResponseType(rt, true) {
			uCount++
		}
		if r.allowsResponseType(rt, true) {
			rCount++
		}
		switch {
		case u.allowsResponseType(rt, false) && r.allowsResponseType(rt, false):
			plain = append(plain, rt)
		case u.allowsResponseType(rt, true) && r.allowsResponseType(rt, true):
			jarm = append(jarm, rt)
		}
	}
	if rCount < uCount {
		u.ResponseTypeRef = r.ResponseTypeRef
	}
	u.JARMAnyResponseType = u.JARMAnyResponseType && r.JARMAnyResponseType
	if u.JARMAnyResponseType {
		jarm = nil
	}
	u.ResponseTypes, u.JARMResponseTypes = plain, jarm
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
