package fapifosite

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
)

// authorizeRequest is an authorization request the library checked:
// fosite's requester and the library's result.
type authorizeRequest struct {
	fosite.AuthorizeRequester
	res fapi.AuthorizationResult
	pc  *fapi.PreparedClient
	// accepted: fosite read the request too, as the library did; only
	// such a request is completed (NewAuthorizeResponse).
	accepted bool
}

// NewAuthorizeRequest checks an authorization request (RFC 6749 §4.1.1,
// RFC 9126 §4) with the library — the pushed record of a request_uri from
// the PAR endpoint (the client it is bound to, its expiry), or the request
// object and parameters of the profile (redirect_uri, PKCE S256, state,
// nonce, response_type, ...) — and hands fosite only what the library
// validated: for a pushed request the client_id and request_uri (fosite
// takes the rest from the PAR request, which held the validated parameters),
// otherwise fapi.AuthorizationResult.Parameters, never a request object.
// fosite's reading of the request must then agree with the library's
// (client, redirect URI, scopes, response type, state, PKCE challenge), else
// the request is refused with server_error.
//
// A refusal is an *Error that WriteAuthorizeError redirects to the client
// only where the library trusts the redirect URI (RFC 6749 §4.1.2.1), and
// otherwise answers with an error page.
func (p *Provider) NewAuthorizeRequest(ctx context.Context, r *http.Request) (fosite.AuthorizeRequester, error) {
	now := p.now()
	bare := &authorizeRequest{AuthorizeRequester: fosite.NewAuthorizeRequest()}
	in, err := p.reader.Authorization(r)
	if err != nil {
		return bare, readerRefusal(err)
	}
	form := in.Params
	fc, pc, err := p.lookup(ctx, form.Get("client_id"))
	if err != nil {
		return bare, err
	}
	var pushed *fapi.PushedRecord
	uri := form.Get("request_uri")
	if prefix := p.fcfg.GetPushedAuthorizeRequestURIPrefix(ctx); uri != "" && prefix != "" && strings.HasPrefix(uri, prefix) {
		var rec fapi.PushedRecord
		found, err := getRecord(ctx, p.records, now, kindPushed, uri, &rec)
		if err != nil {
			return bare, failure("The pushed authorization request cannot be read.", err)
		}
		if found {
			pushed = &rec
		}
	}
	res := p.checker.Authorization(pc, &fapi.AuthorizationRequest{Params: fapi.Params(form), Pushed: pushed}, now)
	bare.res = res
	if !res.OK() {
		return bare, p.authorizationRefusal(res, res.Report)
	}
	if e := p.plainRefusal(pc, res.Report, "", false); e != nil {
		e.redirect, e.responseMode, e.state = trustedRedirect(res)
		return bare, e
	}
	if pushed != nil {
		setForm(r, url.Values{"client_id": {pc.Config().ClientID}, "request_uri": {uri}})
	} else {
		setForm(r, valuesOf(res.Parameters()))
	}
	ar, err := p.inner.NewAuthorizeRequest(ctx, r)
	if ar == nil {
		ar = fosite.NewAuthorizeRequest()
	}
	w := &authorizeRequest{AuthorizeRequester: ar, res: res, pc: pc}
	if err != nil {
		return w, err
	}
	if what := disagreement(ar, fc, res); what != "" {
		return w, failure("fosite and the library read the authorization request differently: "+what+".", nil)
	}
	w.accepted = true
	return w, nil
}

// authorizationRefusal is the *Error of a refused authorization request:
// redirected only to a redirect URI the library trusts (RFC 6749
// §4.1.2.1), with the request's state and response mode.
func (p *Provider) authorizationRefusal(res fapi.AuthorizationResult, rep fapi.Report) *Error {
	e := refusal(rep, "", false)
	e.redirect, e.responseMode, e.state = trustedRedirect(res)
	return e
}

// trustedRedirect returns where an authorization error may be redirected
// (nil when nowhere: RFC 6749 §4.1.2.1), in which response mode and with
// which state.
func trustedRedirect(res fapi.AuthorizationResult) (redirect *url.URL, mode, state string) {
	uri, ok := res.ErrorRedirectURI()
	if !ok {
		return nil, "", ""
	}
	u, err := url.Parse(uri)
	if err != nil {
		return nil, "", ""
	}
	state, _ = res.Parameter("state")
	return u, responseMode(res), state
}

// responseMode is the response mode of an authorization response: the
// requested one, else the default of the response type (query for code,
// fragment otherwise; OAuth 2.0 Multiple Response Type Encoding Practices
// §2.1, §5).
func responseMode(res fapi.AuthorizationResult) string {
	if m, _ := res.Parameter("response_mode"); m != "" {
		return m
	}
	if rt, _ := res.Parameter("response_type"); rt == "" || rt == "code" {
		return string(fosite.ResponseModeQuery)
	}
	return string(fosite.ResponseModeFragment)
}

// disagreement names what fosite read of an authorization request
// differently from the library, or returns "".
func disagreement(ar fosite.AuthorizeRequester, fc fosite.Client, res fapi.AuthorizationResult) string {
	param := func(name string) string { v, _ := res.Parameter(name); return v }
	switch {
	case ar.GetClient() == nil || ar.GetClient().GetID() != fc.GetID():
		return "client"
	case ar.GetRedirectURI() == nil || ar.GetRedirectURI().String() != res.RedirectURI:
		return "redirect_uri"
	case !sameSet(ar.GetRequestedScopes(), strings.Fields(param("scope"))):
		return "scope"
	case !sameSet(ar.GetResponseTypes(), strings.Fields(param("response_type"))):
		return "response_type"
	case ar.GetState() != param("state"):
		return "state"
	case ar.GetRequestForm().Get("code_challenge") != param("code_challenge"):
		return "code_challenge"
	case ar.GetRequestForm().Get("code_challenge_method") != param("code_challenge_method"):
		return "code_challenge_method"
	}
	return ""
}

// sameSet reports whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// NewAuthorizeResponse completes an authorization the library accepted:
// fapi.Checker.CompleteAuthorization consumes its pushed request_uri (RFC
// 9126 §7.3; a reused one is refused), fosite issues the response, the iss
// parameter is added when the service advertises it (RFC 9207 §2), and the
// AuthorizationRecord of the code is kept for the token request: the
// client, the redirect_uri sent, the PKCE challenge (RFC 7636 §4.6), the
// requested and granted scopes (the profile at the token endpoint is
// chosen from them), the time of issue (FAPI 2.0's 60-second code,
// FAPI2-SP-5.3.2.1-11) and the DPoP key the request was bound to (RFC 9449
// §10).
func (p *Provider) NewAuthorizeResponse(ctx context.Context, ar fosite.AuthorizeRequester, session fosite.Session) (fosite.AuthorizeResponder, error) {
	w, ok := ar.(*authorizeRequest)
	if !ok || w.pc == nil || !w.res.OK() || !w.accepted {
		return nil, failure("The authorization request was not accepted by this provider.", nil)
	}
	now := p.now()
	if done := p.checker.CompleteAuthorization(ctx, w.res, now); !done.OK() {
		return nil, p.authorizationRefusal(w.res, done)
	}
	resp, err := p.inner.NewAuthorizeResponse(ctx, w.AuthorizeRequester, session)
	if err != nil {
		return resp, err
	}
	if p.svc.AuthorizationResponseIssParameterSupported {
		resp.AddParameter("iss", p.svc.Issuer)
	}
	if code := resp.GetCode(); code != "" {
		param := func(name string) string { v, _ := w.res.Parameter(name); return v }
		scopes := strings.Fields(param("scope"))
		for _, s := range w.GetGrantedScopes() {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
		rec := codeRecord{
			Authorization: fapi.AuthorizationRecord{
				ClientID:            w.pc.Config().ClientID,
				RedirectURI:         param("redirect_uri"),
				CodeChallenge:       param("code_challenge"),
				CodeChallengeMethod: param("code_challenge_method"),
				Scope:               strings.Join(scopes, " "),
				IssuedAt:            now,
				DPoPJKT:             param("dpop_jkt"),
			},
			RequestID: w.GetID(),
		}
		until := now.Add(fosite.GetEffectiveLifespan(w.GetClient(), fosite.GrantTypeAuthorizationCode, fosite.AuthorizeCode, p.fcfg.GetAuthorizeCodeLifespan(ctx)))
		if err := putRecord(ctx, p.records, now, kindCode, code, rec, until); err != nil {
			return nil, failure("The authorization code cannot be recorded.", err)
		}
	}
	return resp, nil
}

// WriteAuthorizeResponse is fosite's, for the request NewAuthorizeRequest
// returned.
func (p *Provider) WriteAuthorizeResponse(ctx context.Context, rw http.ResponseWriter, ar fosite.AuthorizeRequester, resp fosite.AuthorizeResponder) {
	p.inner.WriteAuthorizeResponse(ctx, rw, unwrapAuthorize(ar), resp)
}

// WriteAuthorizeError answers an authorization error (RFC 6749 §4.1.2.1).
// A refusal of the library is redirected to the client only when the
// library trusts the redirect URI (the client is known and the URI is
// exactly one it registered), else fosite writes it as a page of JSON; an
// error of fosite's goes where fosite sends it. Redirected errors in the
// query, fragment or form_post response modes carry state and, when the
// service advertises it, iss (RFC 9207 §2); other modes (JARM) are left to
// fosite's response mode handlers.
func (p *Provider) WriteAuthorizeError(ctx context.Context, rw http.ResponseWriter, ar fosite.AuthorizeRequester, err error) {
	if e := asError(err); e != nil {
		if e.redirect == nil || !p.writeErrorRedirect(ctx, rw, e.redirect, e.responseMode, e.state, err) {
			// Never redirect to a URI the library did not trust: fosite
			// writes the error itself when the requester has no redirect
			// URI.
			p.inner.WriteAuthorizeError(ctx, rw, fosite.NewAuthorizeRequest(), err)
		}
		return
	}
	// An error of fosite's, or of the adapter's, after the library
	// accepted the request: the library's redirect URI, state and response
	// mode, which fosite's reading matched or failed to.
	if w, ok := ar.(*authorizeRequest); ok && w.pc != nil && w.res.OK() {
		if u, mode, state := trustedRedirect(w.res); u != nil && p.writeErrorRedirect(ctx, rw, u, mode, state, err) {
			return
		}
	}
	inner := unwrapAuthorize(ar)
	if inner != nil && inner.IsRedirectURIValid() && p.writeErrorRedirect(ctx, rw, inner.GetRedirectURI(), string(inner.GetResponseMode()), inner.GetState(), err) {
		return
	}
	if inner == nil {
		inner = fosite.NewAuthorizeRequest()
	}
	p.inner.WriteAuthorizeError(ctx, rw, inner, err)
}

// writeErrorRedirect sends an authorization error to redirect in the query,
// fragment or form_post response mode, with state and iss, as fosite does
// (303 See Other), and reports whether it did: another mode is fosite's.
func (p *Provider) writeErrorRedirect(ctx context.Context, rw http.ResponseWriter, redirect *url.URL, mode, state string, err error) bool {
	switch fosite.ResponseModeType(mode) {
	case fosite.ResponseModeDefault, fosite.ResponseModeQuery, fosite.ResponseModeFragment, fosite.ResponseModeFormPost:
	default:
		return false
	}
	rfcerr := fosite.ErrorToRFC6749Error(err).
		WithLegacyFormat(p.fcfg.GetUseLegacyErrorFormat(ctx)).
		WithExposeDebug(p.fcfg.GetSendDebugMessagesToClients(ctx))
	values := rfcerr.ToValues()
	if state != "" {
		values.Set("state", state)
	}
	if p.svc.AuthorizationResponseIssParameterSupported {
		values.Set("iss", p.svc.Issuer)
	}
	u := *redirect
	u.Fragment = ""
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Pragma", "no-cache")
	switch fosite.ResponseModeType(mode) {
	case fosite.ResponseModeFormPost:
		rw.Header().Set("Content-Type", "text/html;charset=UTF-8")
		tmpl := p.fcfg.GetFormPostHTMLTemplate(ctx)
		if tmpl == nil {
			tmpl = fosite.DefaultFormPostTemplate
		}
		fosite.WriteAuthorizeFormPostResponse(u.String(), values, tmpl, rw)
		return true
	case fosite.ResponseModeFragment:
		rw.Header().Set("Location", u.String()+"#"+values.Encode())
	default:
		q := u.Query()
		for k, vs := range values {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		rw.Header().Set("Location", u.String())
	}
	rw.WriteHeader(http.StatusSeeOther)
	return true
}

// unwrapAuthorize returns fosite's requester of one the provider returned.
func unwrapAuthorize(ar fosite.AuthorizeRequester) fosite.AuthorizeRequester {
	switch w := ar.(type) {
	case *authorizeRequest:
		return w.AuthorizeRequester
	case *pushedRequest:
		return w.AuthorizeRequester
	}
	return ar
}
