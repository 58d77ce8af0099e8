package fapi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/testfixture"
)

func writeCase(t *testing.T, name, desc string, svc *fapi.Service, c *fapi.Client, ar *fapi.AuthorizationRequest, tr *fapi.TokenRequest) {
	m := map[string]any{"description": desc, "now": now.Format(time.RFC3339), "service": svc}
	if c != nil {
		m["client"] = c
	}
	if ar != nil {
		m["authorization_request"] = ar
	}
	if tr != nil {
		m["token_request"] = tr
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("/tmp/review/"+name+".json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func show(label string, r fapi.Report) {
	fmt.Printf("%s: profile=%s chosen_by=%q violations=%v\n", label, r.Profile, r.ChosenBy, codes(r))
}

func TestZZReview(t *testing.T) {
	svc := service()
	c := rwClient()
	pc := fapi.PrepareClient(c)

	// F1: FAPI scope hidden inside a request object the library cannot read
	// (a null member), outside scope has no FAPI scope.
	cl := rwClaims()
	cl["max_age"] = nil // JSON null
	ar := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"},
		"request": {testfixture.Sign(clientKey, "PS256", cl, nil)},
	}}
	show("F1 null member", fapi.CheckAuthorizationRequest(svc, pc, ar, now))
	writeCase(t, "f1-hidden-scope-null-member", "FAPI scope only inside a request object with a null member", svc, &c, ar, nil)

	// F1b: alg none object, scope only inside.
	cl = rwClaims()
	arb := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"},
		"request": {testfixture.Unsigned("none", cl)},
	}}
	show("F1b alg none", fapi.CheckAuthorizationRequest(svc, pc, arb, now))
	writeCase(t, "f1b-hidden-scope-alg-none", "FAPI scope only inside an unsigned (alg none) request object", svc, &c, arb, nil)

	// F1c: duplicate scope member: first "openid", last "openid payments".
	payload := `{"iss":"rw","aud":"` + issuer + `","exp":` + fmt.Sprint(now.Add(5*time.Minute).Unix()) +
		`,"client_id":"rw","response_type":"code id_token","redirect_uri":"` + cb + `","scope":"openid","scope":"openid payments","nonce":"n1"}`
	arc := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"},
		"request": {testfixture.SignRawPayload(clientKey, "PS256", payload)},
	}}
	show("F1c duplicate scope", fapi.CheckAuthorizationRequest(svc, pc, arc, now))
	writeCase(t, "f1c-hidden-scope-duplicate-member", "FAPI scope in a duplicated scope member of the request object", svc, &c, arc, nil)

	// F1d: JWE-shaped (5 parts) request object.
	ard := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"},
		"request": {"eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.BBBB.CCCC.DDDD"},
	}}
	show("F1d JWE", fapi.CheckAuthorizationRequest(svc, pc, ard, now))
	writeCase(t, "f1d-hidden-scope-jwe", "encrypted request object (JWE), outside scope openid only", svc, &c, ard, nil)

	// F2: RW object scope with a tab; no outside scope.
	cl = rwClaims()
	cl["scope"] = "openid\tpayments"
	ar2 := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"},
		"request": {testfixture.Sign(clientKey, "PS256", cl, nil)},
	}}
	r2 := fapi.CheckAuthorizationRequest(svc, pc, ar2, now)
	show("F2 auth tab scope", r2)
	sc, _ := r2.Parameter("scope")
	fmt.Printf("F2 Parameter(scope)=%q\n", sc)
	writeCase(t, "f2a-object-scope-tab", "RW object scope openid<TAB>payments, no outside scope", svc, &c, ar2, nil)
	// token request for that grant: no client authentication at all, no cert.
	tr := &fapi.TokenRequest{
		Params:        fapi.Params{"grant_type": {"authorization_code"}, "code": {"c1"}, "redirect_uri": {cb}},
		Authorization: &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: sc},
	}
	show("F2 token", fapi.CheckTokenRequest(svc, pc, tr, now))
	writeCase(t, "f2b-token-record-scope-tab", "RW token request, no client_assertion, no certificate; record scope from Parameter(scope)", svc, &c, nil, tr)
}

func TestZZReview2(t *testing.T) {
	svc := service()
	c := rwClient()
	pc := fapi.PrepareClient(c)

	// T4: record without client_id: a code issued to another client is redeemed.
	tr := rwTokenRequest()
	tr.Authorization.ClientID = ""
	show("T4 record without client_id", fapi.CheckTokenRequest(svc, pc, tr, now))

	// T6: response_type / scope order differs outside vs inside (RW).
	ar := rwRequest(rwClaims())
	ar.Params["response_type"] = []string{"id_token code"}
	ar.Params["scope"] = []string{"payments openid"}
	show("T6 order", fapi.CheckAuthorizationRequest(svc, pc, ar, now))
	writeCase(t, "t6-order-outside", "RW: response_type and scope in another order outside the object", svc, &c, ar, nil)

	// T7: different nonce outside: error code.
	ar = rwRequest(rwClaims())
	ar.Params["nonce"] = []string{"other"}
	r := fapi.CheckAuthorizationRequest(svc, pc, ar, now)
	for _, v := range r.Violations {
		fmt.Printf("T7 %s field=%s error=%s ref=%s\n", v.Code, v.Field, v.Error, v.Ref)
	}
	u, ok := r.ErrorRedirectURI()
	fmt.Printf("T7 ErrorRedirectURI=%q %v\n", u, ok)
	writeCase(t, "t7-nonce-outside-differs", "RW: different nonce outside the request object", svc, &c, ar, nil)

	// T5: clock_skew overflow
	s2 := service()
	s2.ClockSkew = fapi.Seconds(18446744074) // 2^64/1e9 rounded up
	fmt.Printf("T5 Duration=%v\n", s2.ClockSkew.Duration())
	show("T5 service", fapi.CheckService(s2))
	cl := rwClaims()
	cl["nbf"] = now.Add(-1 * time.Second).Unix()
	show("T5 auth (nbf 1s in the past)", fapi.CheckAuthorizationRequest(s2, pc, rwRequest(cl), now))
	s3 := service()
	s3.ClockSkew = fapi.Seconds(18446744073) // wraps to a tiny positive? compute
	fmt.Printf("T5b Duration=%v\n", s3.ClockSkew.Duration())
	show("T5b service", fapi.CheckService(s3))
}

func TestZZReviewDoS(t *testing.T) {
	svc := service()
	pc := fapi.PrepareClient(rwClient())
	big := make([]byte, 48<<20)
	for i := range big {
		big[i] = 'a'
	}
	payload := `{"scope":"openid","x":"` + string(big) + `"}`
	tok := testfixture.Raw(`{"alg":"PS256"}`, payload, []byte("sig"))
	ar := &fapi.AuthorizationRequest{Params: fapi.Params{"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid"}, "request": {tok}}}
	var m1, m2 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m1)
	start := time.Now()
	r := fapi.CheckAuthorizationRequest(svc, pc, ar, now)
	el := time.Since(start)
	runtime.ReadMemStats(&m2)
	fmt.Printf("DoS: token %d MB, %v, allocated %d MB, profile=%s violations=%v\n", len(tok)>>20, el, (m2.TotalAlloc-m1.TotalAlloc)>>20, r.Profile, codes(r))
}
