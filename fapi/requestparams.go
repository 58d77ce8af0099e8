package fapi

import (
	"time"

	"github.com/fapicheck/fapicheck/clause"

	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
)

// requestCheck is what the authorization-request rules need to know
// about one request: the service, the client, the profile and how the
// request arrived.
type requestCheck struct {
	v     serviceView
	pc    *PreparedClient
	rules *profile.Requirements
	now   time.Time
	// viaPAR: the request is, or came through, a pushed authorization
	// request. authenticated: the client authenticated when pushing it.
	viaPAR        bool
	authenticated bool
}

// objectRequired reports whether the profile demands a signed request
// object. Under FAPI 2.0 Message Signing that is the signed-request part,
// which applies when the decision asks for it (fapi2=ms-authreq or its
// static mode).
func (rc *requestCheck) objectRequired() bool {
	// RFC 9101 §10.5; PAR-2.3: the service refuses unsigned requests.
	// Under FAPI 2.0 Message Signing the requirements hold RequestObject
	// only when the decision asks for signed requests (profile.Decision).
	return rc.v.svc.RequireSignedRequestObject || rc.rules.RequestObject.Applies()
}

// objectRef is the clause that makes a request object mandatory here.
func objectRef(rc *requestCheck) clause.Clause {
	if !rc.rules.RequestObject.Applies() || rc.rules.RequestObject == "" {
		return "PAR-2.3" // the service's require_signed_request_object
	}
	return rc.rules.RequestObject
}

// jarmRequired reports whether every response must use JARM (FAPI 2.0
// Message Signing, signed-response part: the requirements hold it only
// when the decision asks for signed responses).
func (rc *requestCheck) jarmRequired() bool {
	return rc.rules.RequireJARM.Applies()
}

// verifyObject verifies a request object under the profile's rules and
// records its violations; it returns nil when the object cannot be trusted.
// A missing nbf is waived, and reported as waived, when the service sets
// nbf_optional and the profile is a final FAPI 1.0 one.
func (rc *requestCheck) verifyObject(b *builder, parsed *requestobject.Token) *requestobject.Object {
	if parsed == nil {
		return nil
	}
	c := &rc.pc.cfg
	rules := rc.rules
	if rc.pc.keysErr != nil {
		b.add(CodeClientJWKSInvalid, "jwks", "", "the client's registered jwks cannot be used: %v", rc.pc.keysErr)
	}
	// A profile whose request objects are optional still applies its
	// time rules when the claims are present.
	obj, errs := parsed.Verify(rc.pc.keys, requestobject.Rules{
		Algorithms:        rules.RequestObjectAlgs.Value,
		ClientAlgorithm:   c.RequestObjectSigningAlg,
		Issuer:            rc.v.svc.Issuer,
		ClientID:          c.ClientID,
		RequireExp:        rules.RequireExp.Applies() && rc.objectRequired(),
		RequireNbf:        rules.RequireNbf.Applies() && rc.objectRequired(),
		RequireAud:        rules.RequireAud.Applies() && rc.objectRequired(),
		MaxLifetime:       rules.MaxLifetime.Value,
		MaxNbfAge:         rules.MaxNbfAge.Value,
		ForbidSubIsClient: rules.ForbidSubIsClient.Applies(),
		ClockSkew:         rc.v.skew,
		MaxSize:           rc.v.svc.MaxRequestObjectSize,
		KeyMinimums:       rules.Keys.Minimums,
	}, rc.now)
	for _, e := range errs {
		if e.Reason == requestobject.ReasonNbfMissing && rules.NbfWaivable && rc.v.svc.NbfOptional {
			// docs/DESIGN.md: nbf_optional lets FAPI 1.0 Final requests omit nbf
			// while ID2 clients migrate; the waiver is reported, not hidden.
			var w builder
			addRequestObjectError(&w, rules, e)
			b.r.Waived = append(b.r.Waived, w.r.Violations...)
			continue
		}
		addRequestObjectError(b, rules, e)
	}
	return obj
}

// effectiveParams decides which parameters the checks look at, by the
// profile's policy for parameters outside the request object. ok is false
// when nothing trustworthy is left to check (the object did not verify and
// only its values count).
func (rc *requestCheck) effectiveParams(b *builder, params Params, token string, obj *requestobject.Object) (effectiveParams, bool) {
	rules := rc.rules
	switch {
	case token != "" && obj == nil:
		// An unverifiable object contributes nothing.
		if rules.Outside.Value != profile.OutsideMerged {
			return nil, false
		}
		return outsideParams(params), true
	case obj == nil:
		return outsideParams(params), true
	}
	switch rules.Outside.Value {
	case profile.OutsideMustMatch:
		for _, e := range obj.CompareOutside(outsideValues(params)) {
			addRequestObjectError(b, rules, e)
		}
		return objectParams(obj), true
	case profile.OutsideIgnored:
		// Only the object's values count; client_id and response_type
		// outside must still equal them (docs/DESIGN.md, "Policy decisions"); the
		// rest is ignored and listed.
		compared := Params{}
		var ignored []string
		for _, name := range params.names() {
			switch name {
			case "request", "request_uri":
			case "client_id", "response_type":
				compared[name] = params[name]
			default:
				ignored = append(ignored, name)
			}
		}
		for _, e := range obj.CompareOutside(outsideValues(compared)) {
			if e.Reason == requestobject.ReasonParamMissing {
				// Absent inside is reported by the checks on the object's
				// values (e.g. response_type.missing).
				continue
			}
			addRequestObjectError(b, rules, e)
		}
		b.r.Ignored = append(b.r.Ignored, ignored...)
		return objectParams(obj), true
	default:
		// OIDC Core §6.3.3: request object values supersede the others.
		eff := outsideParams(params)
		for _, p := range obj.Params {
			eff.set(p.Name, p.Value)
		}
		return eff, true
	}
}

// effectiveParams are the parameters the checks look at, one value each.
// A short list searched linearly: cheaper than a map for the dozen
// parameters of a request.
type effectiveParams []param

type param struct{ name, value string }

// get returns the value of name and whether it is present.
func (e effectiveParams) get(name string) (string, bool) {
	for _, p := range e {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// asMap returns the parameters as a map, nil for no list.
func (e effectiveParams) asMap() map[string]string {
	if e == nil {
		return nil
	}
	out := make(map[string]string, len(e))
	for _, p := range e {
		out[p.name] = p.value
	}
	return out
}

// val returns the value of name, or "".
func (e effectiveParams) val(name string) string {
	v, _ := e.get(name)
	return v
}

// set replaces or adds name.
func (e *effectiveParams) set(name, value string) {
	for i := range *e {
		if (*e)[i].name == name {
			(*e)[i].value = value
			return
		}
	}
	*e = append(*e, param{name, value})
}

func outsideParams(p Params) effectiveParams {
	out := make(effectiveParams, 0, len(p)+2)
	for k, v := range p {
		if len(v) > 0 && k != "request" && k != "request_uri" {
			out = append(out, param{k, v[0]})
		}
	}
	return out
}

func objectParams(o *requestobject.Object) effectiveParams {
	out := make(effectiveParams, 0, len(o.Params)+1)
	for _, p := range o.Params {
		out = append(out, param{p.Name, p.Value})
	}
	return out
}

// addRequestObjectError turns a request object error into a violation,
// citing the profile's clause where the rule is the profile's.
func addRequestObjectError(b *builder, rules *profile.Requirements, e *requestobject.Error) {
	var ref clause.Clause
	switch e.Reason {
	case requestobject.ReasonAlgNotAllowed:
		ref = rules.RequestObjectAlgs.Clause
	case requestobject.ReasonUnsigned:
		ref = rules.UnsignedRequestObject
	case requestobject.ReasonExpMissing:
		ref = rules.RequireExp
	case requestobject.ReasonNbfMissing:
		ref = rules.RequireNbf
	case requestobject.ReasonNbfTooOld:
		ref = rules.MaxNbfAge.Clause
	case requestobject.ReasonLifetimeTooLong:
		ref = rules.MaxLifetime.Clause
	case requestobject.ReasonAudMissing, requestobject.ReasonAudMismatch:
		ref = rules.RequireAud
	case requestobject.ReasonKeyTooSmall:
		ref = keyClause(rules, e)
	case requestobject.ReasonParamMissing, requestobject.ReasonParamMismatch:
		ref = rules.Outside.Clause
	}
	addReason(b, &requestObjectReasons, e.Reason, e.Claim, ref, e.Message)
}

// checkObjectClientID refuses a verified request object without a
// client_id claim where only the object's values count (RFC 9101 §5, §6.3;
// RFC 9126 §3: the client_id outside is not used, so the object must name
// its client itself).
func (rc *requestCheck) checkObjectClientID(b *builder, obj *requestobject.Object) {
	if obj == nil || !rc.rules.RequireClientIDClaim.Applies() {
		return
	}
	if _, ok := obj.Param("client_id"); !ok {
		b.add(CodeRequestObjectClientIDMissing, "client_id", rc.rules.RequireClientIDClaim,
			"%s requires the request object to carry the client_id claim, and it has none", rc.rules.Label())
	}
}
