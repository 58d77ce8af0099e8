package fapifosite

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// pushedRequest is a pushed authorization request the library checked:
// fosite's requester and the library's result.
type pushedRequest struct {
	fosite.AuthorizeRequester
	res fapi.PushedAuthorizationResult
	pc  *fapi.PreparedClient
	// basic: the request authenticated with HTTP Basic.
	basic bool
	// accepted: fosite accepted the request too; only such a request
	// gets a request_uri (NewPushedAuthorizeResponse).
	accepted bool
}

// NewPushedAuthorizeRequest checks a request to the PAR endpoint (RFC 9126
// §2.1), read with the Config's fapihttp Reader (a method other than POST
// is answered 405, a repeated parameter invalid_request), with the library —
// client authentication, no request_uri, the request object, every
// authorization-request rule of the profile and the DPoP proof that binds
// the future code (RFC 9449 §10.1) — and hands
// fosite only what the library validated: the parameters of
// fapi.PushedAuthorizationResult.Parameters (the request object's values
// where only they count, dpop_jkt where a proof binds the request), never
// the request object, the client assertion or a query parameter. A refusal
// is an *Error; fosite's own errors come back as fosite returns them.
func (p *Provider) NewPushedAuthorizeRequest(ctx context.Context, r *http.Request) (fosite.AuthorizeRequester, error) {
	now := p.now()
	bare := &pushedRequest{AuthorizeRequester: fosite.NewAuthorizeRequest(), basic: triedBasic(r)}
	in, err := p.reader.PushedAuthorization(r)
	if err != nil {
		return bare, readerRefusal(err)
	}
	id, err := clientID(in.Params, in.BasicAuth)
	if err != nil {
		return bare, fosite.ErrInvalidClient.WithHint("The request identifies no client.")
	}
	fc, pc, err := p.lookup(ctx, id)
	if err != nil {
		return bare, err
	}
	res := p.checker.PushedAuthorization(ctx, pc, in, now)
	bare.res = res
	if !res.OK() {
		return bare, refusal(res.Report, res.DPoPNonceHeader, bare.basic)
	}
	if e := p.plainRefusal(pc, res.Report, res.DPoPNonceHeader, bare.basic); e != nil {
		return bare, e
	}
	setForm(r, valuesOf(res.Parameters()))
	ar, err := p.inner.NewPushedAuthorizeRequest(withVerdict(ctx, r, fc), r)
	if ar == nil {
		ar = fosite.NewAuthorizeRequest()
	}
	return &pushedRequest{AuthorizeRequester: ar, res: res, pc: pc, basic: bare.basic, accepted: err == nil}, err
}

// NewPushedAuthorizeResponse is fosite's, for a request
// NewPushedAuthorizeRequest accepted, and then keeps the PushedRecord of the
// request_uri fosite issued (RFC 9126 §2.2): the client, the validated
// parameters, the DPoP key it is bound to, and its expiry — fosite's
// lifetime, or the service's request_uri_lifetime when that is shorter
// (FAPI2-SP-5.3.2.2-12).
func (p *Provider) NewPushedAuthorizeResponse(ctx context.Context, ar fosite.AuthorizeRequester, session fosite.Session) (fosite.PushedAuthorizeResponder, error) {
	pr, ok := ar.(*pushedRequest)
	if !ok || pr.pc == nil || !pr.res.OK() || !pr.accepted {
		return nil, failure("The pushed authorization request was not accepted by this provider.", nil)
	}
	resp, err := p.inner.NewPushedAuthorizeResponse(ctx, pr.AuthorizeRequester, session)
	if err != nil {
		return resp, err
	}
	now := p.now()
	lifetime := time.Duration(resp.GetExpiresIn()) * time.Second
	if l := p.svc.RequestURILifetime.Duration(); l > 0 && l < lifetime {
		lifetime = l
	}
	params := pr.res.Parameters()
	rec := fapi.PushedRecord{
		ClientID:  pr.pc.Config().ClientID,
		ExpiresAt: now.Add(lifetime),
		Params:    params,
		DPoPJKT:   params["dpop_jkt"],
	}
	if err := putRecord(ctx, p.records, now, kindPushed, resp.GetRequestURI(), rec, rec.ExpiresAt); err != nil {
		return nil, failure("The pushed authorization request cannot be recorded.", err)
	}
	return resp, nil
}

// WritePushedAuthorizeResponse is fosite's (201 with request_uri and
// expires_in, RFC 9126 §2.2), with the DPoP-Nonce header when the Checker
// has a nonce source (RFC 9449 §8.2).
func (p *Provider) WritePushedAuthorizeResponse(ctx context.Context, rw http.ResponseWriter, ar fosite.AuthorizeRequester, resp fosite.PushedAuthorizeResponder) {
	inner := ar
	if pr, ok := ar.(*pushedRequest); ok {
		setNonce(rw, pr.res.DPoPNonceHeader)
		inner = pr.AuthorizeRequester
	}
	p.inner.WritePushedAuthorizeResponse(ctx, rw, inner, resp)
}

// WritePushedAuthorizeError is fosite's (RFC 9126 §2.3, RFC 6749 §5.2),
// with the DPoP-Nonce header, which a use_dpop_nonce error requires (RFC
// 9449 §8), and, for invalid_client after HTTP Basic, the Basic challenge
// (RFC 6749 §5.2).
func (p *Provider) WritePushedAuthorizeError(ctx context.Context, rw http.ResponseWriter, ar fosite.AuthorizeRequester, err error) {
	inner, basic := ar, false
	if pr, ok := ar.(*pushedRequest); ok {
		setNonce(rw, pr.res.DPoPNonceHeader)
		inner, basic = pr.AuthorizeRequester, pr.basic
	}
	writeHeaders(rw, err, basic)
	if inner == nil {
		inner = fosite.NewAuthorizeRequest()
	}
	p.inner.WritePushedAuthorizeError(ctx, rw, inner, err)
}

// writeHeaders sets what a JSON error response adds to fosite's: the
// DPoP-Nonce header of an *Error (RFC 9449 §8.1) and, for invalid_client
// when the client used HTTP Basic (basic, or the *Error says so), its
// challenge (RFC 6749 §5.2: "MUST ... include the WWW-Authenticate response
// header field matching the authentication scheme used by the client"); no
// other client gets a Basic challenge.
func writeHeaders(rw http.ResponseWriter, err error, basic bool) {
	if e := asError(err); e != nil {
		setNonce(rw, e.DPoPNonce)
		basic = basic || e.basic
	}
	if basic && err != nil && fosite.ErrorToRFC6749Error(err).ErrorField == fapi.OAuthInvalidClient {
		rw.Header().Set("WWW-Authenticate", fapihttp.BasicChallenge)
	}
}

// valuesOf returns a parameter map as url.Values.
func valuesOf(m map[string]string) url.Values {
	v := make(url.Values, len(m))
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}
