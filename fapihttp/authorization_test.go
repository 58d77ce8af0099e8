package fapihttp_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// authorizationCheck is the result of checking params at a plain OAuth 2.0
// service (profile none) for a client registered with redirect.
func authorizationCheck(t *testing.T, params url.Values) *fapi.AuthorizationResult {
	t.Helper()
	svc := &fapi.Service{
		Issuer:                        issuer,
		AuthorizationEndpoint:         issuer + "/authorize",
		ResponseTypesSupported:        []string{"code", "code id_token"},
		ResponseModesSupported:        []string{"query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"},
		CodeChallengeMethodsSupported: []string{"S256"},
	}
	pc := fapi.PrepareClient(fapi.Client{ClientID: "c1", ClientSecret: secret, RedirectURIs: []string{redirect, redirect + "?tenant=a"},
		ResponseTypes: []string{"code", "code id_token"}})
	res := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params(params)}, time.Now())
	return &res
}

// authParams are a valid code request; extra replaces (nil deletes).
func authParams(extra map[string][]string) url.Values {
	p := url.Values{"client_id": {"c1"}, "response_type": {"code"}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge": {fapiS256}, "code_challenge_method": {"S256"}}
	for k, v := range extra {
		if v == nil {
			p.Del(k)
		} else {
			p[k] = v
		}
	}
	return p
}

const fapiS256 = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" // S256 of the RFC 7636 verifier

// signer is a JARMSigner for tests: the "JWT" names the client and lists
// the parameters.
type signer struct{ err error }

func (s signer) SignAuthorizationResponse(clientID string, params map[string]string) (string, error) {
	if s.err != nil {
		return "", s.err
	}
	var kv []string
	for k, v := range params {
		kv = append(kv, k+"="+v)
	}
	sort.Strings(kv)
	return "jwt(" + clientID + ";" + strings.Join(kv, ";") + ")", nil
}

// answer is what an authorization answer says.
type answer struct {
	status   int
	location *url.URL
	vals     url.Values // of the query, fragment or form
	page     string
	header   http.Header
}

func record(t *testing.T, write func(w http.ResponseWriter)) answer {
	t.Helper()
	w := httptest.NewRecorder()
	write(w)
	resp := w.Result()
	a := answer{status: resp.StatusCode, header: resp.Header, page: body(t, resp)}
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := url.Parse(loc)
		require.NoError(t, err)
		a.location = u
		raw := u.RawQuery
		if u.Fragment != "" {
			raw = u.EscapedFragment()
		}
		a.vals, err = url.ParseQuery(raw)
		require.NoError(t, err)
	}
	return a
}

func TestAuthorizationWriteError(t *testing.T) {
	t.Parallel()
	plain := &fapihttp.AuthorizationWriter{Issuer: issuer}
	jarm := &fapihttp.AuthorizationWriter{Issuer: issuer, JARM: signer{}}
	broken := &fapihttp.AuthorizationWriter{Issuer: issuer, JARM: signer{err: errors.New("HSM down")}}
	pkcePlain := map[string][]string{"code_challenge_method": {"plain"}}
	tests := []struct {
		name   string
		aw     *fapihttp.AuthorizationWriter
		params url.Values // checked; nil: no result
		err    error
		// wantMode: "query", "fragment", "form_post", "page"
		wantMode   string
		wantStatus int
		wantVals   map[string]string // "" values: present and not empty
		wantAllow  string
	}{
		{name: "a library violation, trusted: in the query with state and iss", aw: plain, params: authParams(pkcePlain),
			wantMode: "query", wantStatus: 303,
			wantVals: map[string]string{"error": "invalid_request", "error_description": "", "state": "st", "iss": issuer}},
		{name: "no iss without an issuer", aw: &fapihttp.AuthorizationWriter{}, params: authParams(pkcePlain),
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"error": "invalid_request", "state": "st", "iss": "-"}},
		{name: "the redirect URI's own query is kept", aw: plain, params: authParams(map[string][]string{"redirect_uri": {redirect + "?tenant=a"}, "code_challenge_method": {"plain"}}),
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"tenant": "a", "error": "invalid_request"}},
		{name: "an untrusted redirect URI: a page", aw: plain, params: authParams(map[string][]string{"redirect_uri": {"https://attacker.example/cb"}}),
			wantMode: "page", wantStatus: 400},
		{name: "the server's own error, trusted", aw: plain, params: authParams(nil), err: &fapihttp.Error{Code: fapi.OAuthAccessDenied, Description: `the user said "no"`},
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"error": "access_denied", "error_description": "the user said %22no%22", "state": "st"}},
		{name: "response_mode fragment", aw: plain, params: authParams(map[string][]string{"response_mode": {"fragment"}, "code_challenge_method": {"plain"}}),
			wantMode: "fragment", wantStatus: 303, wantVals: map[string]string{"error": "invalid_request", "state": "st", "iss": issuer}},
		{name: "response_mode query with id_token: the fragment", aw: plain,
			params:   authParams(map[string][]string{"response_type": {"code id_token"}, "response_mode": {"query"}, "scope": {"openid"}, "nonce": {"n"}}),
			wantMode: "fragment", wantStatus: 303, wantVals: map[string]string{"error": "", "state": "st"}},
		{name: "id_token without a mode: the fragment", aw: plain,
			params:   authParams(map[string][]string{"response_type": {"code id_token"}, "scope": {"openid"}, "code_challenge_method": {"plain"}, "nonce": {"n"}}),
			wantMode: "fragment", wantStatus: 303, wantVals: map[string]string{"error": "invalid_request"}},
		{name: "response_mode form_post", aw: plain, params: authParams(map[string][]string{"response_mode": {"form_post"}, "code_challenge_method": {"plain"}}),
			wantMode: "form_post", wantStatus: 200, wantVals: map[string]string{"error": "invalid_request", "state": "st", "iss": issuer}},
		{name: "a JARM mode without a signer: the default mode, unsigned", aw: plain,
			params:   authParams(map[string][]string{"response_mode": {"jwt"}, "code_challenge_method": {"plain"}}),
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"error": "invalid_request", "state": "st"}},
		{name: "jwt with a signer: query.jwt for code", aw: jarm,
			params:   authParams(map[string][]string{"response_mode": {"jwt"}, "code_challenge_method": {"plain"}}),
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"response": "", "iss": "-", "error": "-", "state": "-"}},
		{name: "query.jwt with id_token: fragment.jwt", aw: jarm,
			params:   authParams(map[string][]string{"response_type": {"code id_token"}, "response_mode": {"query.jwt"}, "scope": {"openid"}, "nonce": {"n"}, "code_challenge_method": {"plain"}}),
			wantMode: "fragment", wantStatus: 303, wantVals: map[string]string{"response": ""}},
		{name: "form_post.jwt", aw: jarm,
			params:   authParams(map[string][]string{"response_mode": {"form_post.jwt"}, "code_challenge_method": {"plain"}}),
			wantMode: "form_post", wantStatus: 200, wantVals: map[string]string{"response": ""}},
		{name: "a failing signer: a page", aw: broken,
			params:   authParams(map[string][]string{"response_mode": {"fragment.jwt"}, "code_challenge_method": {"plain"}}),
			wantMode: "page", wantStatus: 500},
		{name: "a reader error: a page, also with a result", aw: plain, params: authParams(nil),
			err:      mustAuthzErr(t, httptest.NewRequest(http.MethodGet, "/authorize?state=a&state=b", nil)),
			wantMode: "page", wantStatus: 400},
		{name: "a reader's method error: 405 and Allow", aw: plain,
			err:      mustAuthzErr(t, httptest.NewRequest(http.MethodPut, "/authorize", nil)),
			wantMode: "page", wantStatus: 405, wantAllow: "GET, POST"},
		{name: "no result: a page", aw: plain, err: &fapihttp.Error{Code: fapi.OAuthInvalidRequest, Description: "unknown client"},
			wantMode: "page", wantStatus: 400},
		{name: "invalid_client on a page is 400", aw: plain, err: &fapihttp.Error{Code: fapi.OAuthInvalidClient},
			wantMode: "page", wantStatus: 400},
		{name: "server_error on a page is 500", aw: plain, err: errors.New("internal"), wantMode: "page", wantStatus: 500},
		{name: "temporarily_unavailable, trusted", aw: plain, params: authParams(nil),
			err:      &fapihttp.Error{Code: fapi.OAuthTemporarilyUnavailable},
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"error": "temporarily_unavailable", "error_description": "-"}},
		{name: "an accepted result without an error: server_error", aw: plain, params: authParams(nil),
			wantMode: "query", wantStatus: 303, wantVals: map[string]string{"error": "server_error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res *fapi.AuthorizationResult
			if tt.params != nil {
				res = authorizationCheck(t, tt.params)
			}
			r := httptest.NewRequest(http.MethodGet, "/authorize", nil)
			a := record(t, func(w http.ResponseWriter) { tt.aw.WriteError(w, r, res, tt.err) })
			assert.Equal(t, tt.wantStatus, a.status, a.page)
			assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
			assert.Equal(t, tt.wantAllow, a.header.Get("Allow"))
			var vals url.Values
			switch tt.wantMode {
			case "page":
				assert.Nil(t, a.location, "never a redirect")
				assert.Equal(t, "text/html; charset=utf-8", a.header.Get("Content-Type"))
				assert.Contains(t, a.page, "Authorization request refused")
				assert.NotContains(t, a.page, "<script")
				return
			case "form_post":
				assert.Nil(t, a.location)
				vals = formFields(t, a.page)
				assert.Contains(t, a.page, `action="`+redirect+`"`)
				assert.Contains(t, a.header.Get("Content-Security-Policy"), "script-src 'nonce-")
			default:
				require.NotNil(t, a.location, a.page)
				assert.Equal(t, redirect, a.location.Scheme+"://"+a.location.Host+a.location.Path)
				if tt.wantMode == "fragment" {
					assert.Empty(t, a.location.RawQuery)
				} else {
					assert.Empty(t, a.location.Fragment)
				}
				vals = a.vals
			}
			for k, want := range tt.wantVals {
				switch want {
				case "":
					assert.NotEmpty(t, vals.Get(k), k)
				case "-":
					assert.False(t, vals.Has(k), "%s must be absent: %q", k, vals.Get(k))
				default:
					assert.Equal(t, want, vals.Get(k), k)
				}
			}
			if d := vals.Get("error_description"); d != "" {
				assertDescription(t, d)
			}
			if resp := vals.Get("response"); resp != "" {
				assert.True(t, strings.HasPrefix(resp, "jwt(c1;"), resp)
				assert.Contains(t, resp, "error=", "the error inside the JWT")
				assert.Contains(t, resp, "state=st")
				assert.NotContains(t, resp, "iss=", "the JWT's own iss claim is the signer's (RFC 9207 section 2.3)")
			}
		})
	}
}

// formFields reads the hidden fields of a form_post page.
func formFields(t *testing.T, page string) url.Values {
	t.Helper()
	vals := url.Values{}
	for _, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, `<input type="hidden" name="`) {
			continue
		}
		rest := strings.TrimPrefix(line, `<input type="hidden" name="`)
		name, rest, _ := strings.Cut(rest, `" value="`)
		value, _, _ := strings.Cut(rest, `">`)
		vals.Add(name, htmlUnescape(value))
	}
	return vals
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

func mustAuthzErr(t *testing.T, r *http.Request) error {
	t.Helper()
	_, err := newReader(t).Authorization(r)
	require.Error(t, err)
	return err
}

func TestAuthorizationErrorPage(t *testing.T) {
	t.Parallel()
	var got *fapihttp.Error
	var cause error
	aw := &fapihttp.AuthorizationWriter{ErrorPage: func(w http.ResponseWriter, r *http.Request, e *fapihttp.Error, c error) {
		got, cause = e, c
		w.WriteHeader(e.Status)
		_, _ = w.Write([]byte("custom"))
	}}
	res := authorizationCheck(t, authParams(map[string][]string{"redirect_uri": {"https://attacker.example/cb"}}))
	require.False(t, res.RedirectTrusted)
	a := record(t, func(w http.ResponseWriter) { aw.WriteError(w, httptest.NewRequest(http.MethodGet, "/", nil), res, nil) })
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, "custom", a.page)
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
	require.NotNil(t, got)
	assert.Equal(t, fapi.OAuthInvalidRequest, got.Code)
	assert.Equal(t, http.StatusBadRequest, got.Status)
	assert.ErrorIs(t, cause, fapi.CodeRedirectURINotRegistered, "the cause lists the violations")

	// The default page escapes what it shows.
	a = record(t, func(w http.ResponseWriter) {
		(&fapihttp.AuthorizationWriter{}).WriteError(w, httptest.NewRequest(http.MethodGet, "/", nil), nil,
			&fapihttp.Error{Code: "invalid_request", Description: "<script>alert(1)</script>"})
	})
	assert.NotContains(t, a.page, "<script>")
	assert.Contains(t, a.page, "invalid_request")
}

func TestAuthorizationWriteResponse(t *testing.T) {
	t.Parallel()
	plain := &fapihttp.AuthorizationWriter{Issuer: issuer}
	jarm := &fapihttp.AuthorizationWriter{Issuer: issuer, JARM: signer{}}
	r := httptest.NewRequest(http.MethodGet, "/authorize", nil)

	res := authorizationCheck(t, authParams(nil))
	require.True(t, res.OK(), "%v", res.Codes())
	a := record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, res, url.Values{"code": {"c0de"}}) })
	require.Equal(t, http.StatusSeeOther, a.status)
	assert.Equal(t, "c0de", a.vals.Get("code"))
	assert.Equal(t, "st", a.vals.Get("state"), "the validated state is added")
	assert.Equal(t, issuer, a.vals.Get("iss"), "RFC 9207 section 2")
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))

	// The caller's own state is not replaced.
	a = record(t, func(w http.ResponseWriter) {
		plain.WriteResponse(w, r, res, url.Values{"code": {"c"}, "state": {"mine"}})
	})
	assert.Equal(t, "mine", a.vals.Get("state"))

	// A request without state gets none.
	res = authorizationCheck(t, authParams(map[string][]string{"state": nil}))
	require.True(t, res.OK(), "%v", res.Codes())
	a = record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, res, url.Values{"code": {"c"}}) })
	assert.False(t, a.vals.Has("state"))

	// JARM with a signer: the code inside the JWT.
	res = authorizationCheck(t, authParams(map[string][]string{"response_mode": {"query.jwt"}}))
	require.True(t, res.OK(), "%v", res.Codes())
	a = record(t, func(w http.ResponseWriter) { jarm.WriteResponse(w, r, res, url.Values{"code": {"c"}}) })
	assert.Equal(t, "jwt(c1;code=c;state=st)", a.vals.Get("response"))
	assert.False(t, a.vals.Has("code"))

	// JARM without a signer: never the code unsigned.
	a = record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, res, url.Values{"code": {"c"}}) })
	assert.False(t, a.vals.Has("code"))
	assert.Equal(t, "server_error", a.vals.Get("error"))

	// A refused or untrusted result: no code.
	res = authorizationCheck(t, authParams(map[string][]string{"redirect_uri": {"https://attacker.example/cb"}}))
	a = record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, res, url.Values{"code": {"c"}}) })
	assert.Nil(t, a.location)
	assert.Equal(t, http.StatusBadRequest, a.status, "the result's own error, on a page")
	a = record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, nil, url.Values{"code": {"c"}}) })
	assert.Nil(t, a.location)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	res = authorizationCheck(t, authParams(pkceMethod("plain")))
	a = record(t, func(w http.ResponseWriter) { plain.WriteResponse(w, r, res, url.Values{"code": {"c"}}) })
	assert.False(t, a.vals.Has("code"))
	assert.Equal(t, "invalid_request", a.vals.Get("error"), "the result's own error, to its trusted redirect URI")
}

func pkceMethod(m string) map[string][]string {
	return map[string][]string{"code_challenge_method": {m}}
}
