package fapi

import (
	"context"
	"crypto/x509"
	"net/http"
	"time"

	"github.com/fapicheck/fapicheck/requestobject"
)

// CheckPushedAuthorizationRequest checks a request to the pushed
// authorization request (PAR) endpoint at time now (RFC 9126): the HTTP
// method, client authentication (as at the token endpoint; the PAR endpoint
// URL is an accepted assertion audience except under FAPI 2.0), no
// request_uri in the body or inside the request object (PAR-2.1), the
// request object (the authenticated client must be its client_id, PAR-3),
// then every authorization-request rule of the profile, and a DPoP proof
// when one is sent (its key binds the future code, RFC 9449 §10.1).
//
// When the report has no violations, Parameters holds the validated
// parameters — with dpop_jkt set when a DPoP key binds the request — which
// the server stores as the PushedRecord of the request_uri it issues.
//
// It does not check DPoP server nonces (RFC 9449 §8): it has no nonce
// source, so a service with RequireDPoPNonce refuses every DPoP proof here
// (service.dpop_nonce_source_missing). A Checker with WithDPoPNonces
// checks them.
func CheckPushedAuthorizationRequest(svc *Service, pc *PreparedClient, r *PushedAuthorizationRequest, now time.Time) PushedAuthorizationResult {
	ck := transientChecker(svc)
	return ck.PushedAuthorization(context.Background(), pc, r, now)
}

func checkPushed(ck *Checker, pc *PreparedClient, r *PushedAuthorizationRequest, now time.Time) builder {
	b := newBuilder("par")
	r = withTLSCertificate(r, func(r *PushedAuthorizationRequest) **x509.Certificate { return &r.ClientCertificate })
	v, ok := beginRequest(&b, ck, pc, now)
	if !ok {
		return b
	}
	c := &pc.cfg
	params := r.Params
	checkDuplicates(&b, params)
	if r.Method != "" && r.Method != http.MethodPost {
		b.add(CodePARMethodNotAllowed, "method", "", "the PAR endpoint accepts only POST, not %s (answer HTTP 405)", r.Method)
	}
	if params.Has("request_uri") {
		b.add(CodePARRequestURINotAllowed, "request_uri", "", "a pushed authorization request must not carry request_uri (RFC 9126 section 2.1)")
	}
	token := params.Get("request")
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

	endpoint := r.URL
	if endpoint == "" {
		endpoint = v.svc.PushedAuthorizationRequestEndpoint
	}
	before := len(b.r.Violations)
	checkClientAuthentication(&b, v, pc, rules, authInput{params: params, cert: r.ClientCertificate, endpoint: endpoint, atPAR: true, basic: r.BasicAuth}, now)
	authenticated := len(b.r.Violations) == before && !isPublic(c)

	rc := requestCheck{v: v, pc: pc, rules: rules, now: now, viaPAR: true, authenticated: authenticated}
	obj := rc.verifyObject(&b, parsed)
	if token == "" && rc.objectRequired() {
		// FAPI1-ADV-5.2.2-1, FAPI2-MS-5.3.1-1 (PAR-2.3: "invalid_request"
		// when signed request objects are required and none is sent).
		b.add(CodeRequestObjectMissing, "request", objectRef(&rc), "%s requires a signed request object at the PAR endpoint, and none was sent", rules.Label())
	}
	eff, ok := rc.effectiveParams(&b, pushedOutside(params), token, obj)
	if !ok {
		return b
	}
	checkOutsideResponseType(&b, params, eff)
	rc.checkObjectClientID(&b, obj)
	rc.checkAuthorizationParams(&b, eff)

	// DPoP at PAR (RFC 9449 §10.1): a proof binds the future code to its
	// key; with dpop_jkt too, the two must name the same key.
	if len(r.DPoP) > 0 {
		jkt := checkBinding(&b, v, pc, rules, bindingInput{dpop: r.DPoP, method: r.Method, url: endpoint, atPAR: true,
			record: &AuthorizationRecord{DPoPJKT: eff.val("dpop_jkt")}}, now)
		if jkt != "" && eff.val("dpop_jkt") == "" {
			eff.set("dpop_jkt", jkt)
		}
	}
	b.params = eff
	return b
}

// pushedOutside is the PAR form body without the client-authentication
// parameters, which are not authorization parameters (RFC 9126 §3: only
// they and client_id may sit beside a request object).
func pushedOutside(p Params) Params {
	out := make(Params, len(p))
	for k, v := range p {
		switch k {
		case "client_assertion", "client_assertion_type", "client_secret":
		default:
			out[k] = v
		}
	}
	return out
}
