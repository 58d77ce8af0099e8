package fapi_test

import (
	"net/url"
	"path/filepath"
	"testing"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// corpusCases loads every committed case file (the case corpus, the
// conformance negatives and the attack catalogue): their requests seed the
// whole-request fuzz targets. The harness's own keys differ from the
// cases', so a seed's signatures do not verify, but its parameter shapes,
// request objects and assertions exercise every parser on the way.
func corpusCases(f *testing.F) []*casefile.Case {
	f.Helper()
	var cases []*casefile.Case
	for _, dir := range []string{"cases", "conformance", "attacks"} {
		files, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.json"))
		if err != nil || len(files) == 0 {
			f.Fatalf("no case files in testdata/%s: %v", dir, err)
		}
		for _, file := range files {
			c, _, err := casefile.Load(file)
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// FuzzCheckAuthorizationRequest feeds arbitrary query strings to the
// authorization check. Properties: it never panics; every violation has a
// code from the table; and an accepted read-and-write request carries one of
// the request objects the test itself signed (nothing else can verify),
// while an accepted read-only request has the registered https redirect URI
// and an S256 challenge.
func FuzzCheckAuthorizationRequest(f *testing.F) {
	svc := service()
	rw := fapi.PrepareClient(rwClient())
	pub := fapi.PrepareClient(publicClient())
	good := rwRequest(rwClaims())
	signed := good.Params.Get("request")
	f.Add(url.Values(good.Params).Encode(), true)
	f.Add(url.Values(roRequest().Params).Encode(), false)
	f.Add("client_id=rw&scope=openid+payments&request=eyJhbGciOiJub25lIn0.e30.", true)
	f.Add("client_id=pub&scope=accounts&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&response_type=code", false)
	f.Add("request=a&request_uri=b&scope=payments", true)
	for _, c := range corpusCases(f) {
		if r := c.AuthorizationRequest; r != nil {
			f.Add(url.Values(r.Params).Encode(), true)
		}
	}
	f.Fuzz(func(t *testing.T, query string, useRW bool) {
		params, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		pc := pub
		if useRW {
			pc = rw
		}
		rep := fapi.CheckAuthorizationRequest(svc, pc, &fapi.AuthorizationRequest{Params: fapi.Params(params)}, now)
		for _, v := range rep.Violations {
			if _, ok := v.Code.Info(); !ok {
				t.Fatalf("unknown code %s", v.Code)
			}
		}
		if !rep.OK() {
			return
		}
		switch rep.Profile {
		case profile.FAPI1ReadWrite:
			if params.Get("request") != signed {
				t.Fatalf("read-write request accepted with a request object the test did not sign: %q", query)
			}
		case profile.FAPI1ReadOnly:
			p := rep.Parameters()
			if p["redirect_uri"] != cb || p["code_challenge_method"] != "S256" || len(p["code_challenge"]) != 43 {
				t.Fatalf("read-only request accepted without its essentials: %q", query)
			}
		}
	})
}

// FuzzCheckTokenRequest feeds arbitrary form bodies to the token check.
// Properties: no panic; an accepted request from the private_key_jwt client
// carries the assertion the test signed.
func FuzzCheckTokenRequest(f *testing.F) {
	svc := service()
	rw := fapi.PrepareClient(rwClient())
	good := rwTokenRequest()
	signed := good.Params.Get("client_assertion")
	f.Add(url.Values(good.Params).Encode(), true)
	f.Add("grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb", false)
	f.Add("client_assertion=eyJhbGciOiJub25lIn0.e30.&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", true)
	for _, c := range corpusCases(f) {
		if r := c.TokenRequest; r != nil {
			f.Add(url.Values(r.Params).Encode(), r.ClientCertificate != nil)
		}
	}
	f.Fuzz(func(t *testing.T, form string, withCert bool) {
		params, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		req := &fapi.TokenRequest{Params: fapi.Params(params), Authorization: good.Authorization}
		if withCert {
			req.ClientCertificate = good.ClientCertificate
		}
		rep := fapi.CheckTokenRequest(svc, rw, req, now)
		if rep.OK() && (params.Get("client_assertion") != signed || !withCert) {
			t.Fatalf("token request accepted without the signed assertion and certificate: %q", form)
		}
	})
}

// FuzzCheckPushedAuthorizationRequest feeds arbitrary form bodies to the
// PAR check under FAPI 2.0. Properties: no panic; an accepted request
// carries the client assertion the test signed, a registered https
// redirect URI and an S256 challenge.
func FuzzCheckPushedAuthorizationRequest(f *testing.F) {
	svc := fapi2Service()
	pc := fapi.PrepareClient(fapi2Client())
	signed := assertion(map[string]any{"aud": issuer})
	good := fapi2Params("openid sp")
	good["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
	good["client_assertion"] = []string{signed}
	f.Add(url.Values(good).Encode(), "POST")
	f.Add("client_id=rw&request_uri=urn%3Ax&scope=openid+sp", "POST")
	f.Add("client_id=rw&scope=openid+sp&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb", "PUT")
	for _, c := range corpusCases(f) {
		if r := c.PushedAuthorizationRequest; r != nil {
			f.Add(url.Values(r.Params).Encode(), r.Method)
		}
	}
	f.Fuzz(func(t *testing.T, form, method string) {
		params, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		rep := fapi.CheckPushedAuthorizationRequest(svc, pc, &fapi.PushedAuthorizationRequest{
			Params: fapi.Params(params), ClientCertificate: tlsKey.Cert, Method: method,
		}, now)
		if !rep.OK() || rep.Profile == profile.None {
			return
		}
		p := rep.Parameters()
		if params.Get("client_assertion") != signed || p["redirect_uri"] != cb || p["code_challenge_method"] != "S256" || len(p["code_challenge"]) != 43 {
			t.Fatalf("pushed request accepted without its essentials: %q", form)
		}
	})
}
