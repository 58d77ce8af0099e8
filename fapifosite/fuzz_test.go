package fapifosite_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzEndpoints sends arbitrary requests to the PAR, authorization and
// token endpoints of a fosite provider with the library in front: none may
// panic, and none may get a request_uri, a code or a token, since none
// carries a valid client assertion.
func FuzzEndpoints(f *testing.F) {
	s := newTestServer(f)
	par := s.parForm()
	par.Set("client_assertion", "eyJhbGciOiJQUzI1NiJ9.e30.c2ln")
	tok := s.tokenForm("code")
	tok.Set("client_assertion", "e30.e30.")
	f.Add(uint8(0), "POST", "application/x-www-form-urlencoded", par.Encode(), "", "")
	f.Add(uint8(0), "POST", "application/x-www-form-urlencoded; charset=utf-8", "client_id=client-1&request_uri=x&request=a.b.c", "a.b.c", "")
	f.Add(uint8(0), "GET", "", "", "", "client-1:secret")
	f.Add(uint8(1), "GET", "", url.Values{"client_id": {clientID}, "request_uri": {"urn:ietf:params:oauth:request_uri:x"}}.Encode(), "", "")
	f.Add(uint8(1), "POST", "application/x-www-form-urlencoded", "client_id=client-1&response_type=code&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb", "", "")
	f.Add(uint8(1), "GET", "", "client_id=%zz", "", "")
	f.Add(uint8(2), "POST", "application/x-www-form-urlencoded", tok.Encode(), "x.y.z", "")
	f.Add(uint8(2), "POST", "multipart/form-data; boundary=x", "--x\r\n", "", "")
	f.Add(uint8(2), "POST", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=r&client_id=client-1", "", "client-1:%zz")
	f.Fuzz(func(t *testing.T, endpoint uint8, method, contentType, body, dpop, basic string) {
		if !validMethod(method) {
			method = http.MethodPost
		}
		target := issuer + "/token"
		switch endpoint % 3 {
		case 0:
			target = issuer + "/par"
		case 1:
			target = issuer + "/authorize"
			if method == http.MethodGet {
				target += "?" + body
				body = ""
			}
		}
		req, err := http.NewRequest(method, target, strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if dpop != "" {
			req.Header.Set("DPoP", dpop)
		}
		if id, secret, ok := strings.Cut(basic, ":"); ok {
			req.SetBasicAuth(id, secret)
		}
		rec := httptest.NewRecorder()
		switch endpoint % 3 {
		case 0:
			s.handlePAR(rec, req)
		case 1:
			s.handleAuthorize(rec, req)
		default:
			s.handleToken(rec, req)
		}
		switch {
		case rec.Code == http.StatusSeeOther:
			loc, err := url.Parse(rec.Header().Get("Location"))
			if err != nil {
				t.Fatalf("redirect to %q", rec.Header().Get("Location"))
			}
			if q := loc.Query(); q.Get("code") != "" || q.Get("error") == "" {
				t.Fatalf("redirect without an error: %q", loc)
			}
		case rec.Code < 400:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// validMethod reports whether m is an HTTP method token net/http sends.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
