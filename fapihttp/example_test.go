package fapihttp_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/scope"
)

// exampleService is a plain OAuth 2.0 authorization server for the
// examples, with one client_secret_basic client.
func exampleService() (*fapi.Checker, *fapi.PreparedClient) {
	ck, _ := fapi.NewChecker(fapi.Service{
		Issuer:                             "https://as.example.com",
		AuthorizationEndpoint:              "https://as.example.com/authorize",
		TokenEndpoint:                      "https://as.example.com/token",
		PushedAuthorizationRequestEndpoint: "https://as.example.com/par",
		TokenEndpointAuthMethodsSupported:  []string{"client_secret_basic", "private_key_jwt"},
		ResponseTypesSupported:             []string{"code"},
		CodeChallengeMethodsSupported:      []string{"S256"},
		GrantTypesSupported:                []string{"authorization_code", "client_credentials"},
		Scopes:                             []scope.Definition{{Name: "accounts"}},
	})
	client := fapi.PrepareClient(fapi.Client{
		ClientID: "s6BhdRkqt3", ClientSecret: "7Fjfp0ZBr1KtDRbnfVdmIw-but-longer-than-32-bytes",
		TokenEndpointAuthMethod: "client_secret_basic", RedirectURIs: []string{"https://client.example.org/cb"},
		GrantTypes: []string{"authorization_code", "client_credentials"}, Scope: "accounts",
	})
	return ck, client
}

// A token endpoint reads the request, checks it and answers. A client that
// authenticated with HTTP Basic and failed gets 401 with a Basic
// challenge; a client that used no Authorization header gets 401 with the
// invalid_client body alone (RFC 6749 §5.2).
func ExampleReader_Token() {
	ck, client := exampleService()
	reader, _ := fapihttp.NewReader(fapihttp.WithBaseURL("https://as.example.com"))
	token := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := reader.Token(r)
		if err != nil {
			fapihttp.WriteTokenError(w, r, err, "")
			return
		}
		// Look the client up by req.BasicAuth.ClientID or
		// req.Params.Get("client_id"); for an authorization_code grant,
		// set req.Authorization to what was stored with the code.
		res := ck.Token(r.Context(), client, req, time.Now())
		if !res.OK() {
			fapihttp.WriteTokenError(w, r, res.Err(), res.DPoPNonceHeader)
			return
		}
		fapihttp.WriteTokenResponse(w, map[string]any{"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "Bearer"}, res.DPoPNonceHeader)
	})

	send := func(authorization, body string) {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		w := httptest.NewRecorder()
		token.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"), strings.TrimSpace(w.Body.String()))
	}
	wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte("s6BhdRkqt3:wrong"))
	send(wrong, "grant_type=client_credentials")
	send("", "grant_type=client_credentials&client_id=s6BhdRkqt3")
	send("", "grant_type=client_credentials&scope=a&scope=b")
	// Output:
	// 401 Basic realm="oauth", charset="UTF-8" {"error":"invalid_client","error_description":"the client secret sent with client_secret_basic is not the registered one"}
	// 401  {"error":"invalid_client","error_description":"the client authenticates with client_secret_basic, but the request has no HTTP Basic Authorization header"}
	// 400  {"error":"invalid_request","error_description":"parameter %22scope%22 is sent more than once (2 times); a parameter must not be repeated (RFC 6749 section 3.1)"}
}

// A PAR endpoint answers an accepted request with 201 and the request_uri
// it stored the request's Parameters() under (RFC 9126 §2.2).
func ExampleReader_PushedAuthorization() {
	ck, client := exampleService()
	reader, _ := fapihttp.NewReader()
	par := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := reader.PushedAuthorization(r)
		if err != nil {
			fapihttp.WriteTokenError(w, r, err, "")
			return
		}
		res := ck.PushedAuthorization(r.Context(), client, req, time.Now())
		if !res.OK() {
			fapihttp.WriteTokenError(w, r, res.Err(), res.DPoPNonceHeader)
			return
		}
		// Store res.Parameters() under a fresh request_uri.
		fapihttp.WritePushedAuthorizationResponse(w, "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c", 60*time.Second, res.DPoPNonceHeader)
	})
	form := url.Values{"response_type": {"code"}, "client_id": {"s6BhdRkqt3"}, "redirect_uri": {"https://client.example.org/cb"},
		"scope": {"accounts"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	r := httptest.NewRequest(http.MethodPost, "https://as.example.com/par", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw-but-longer-than-32-bytes")
	w := httptest.NewRecorder()
	par.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Cache-Control"), strings.TrimSpace(w.Body.String()))
	// Output:
	// 201 no-store {"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}
}

// An authorization endpoint sends an error to the client's redirect URI
// only when the check trusts it, with state and the RFC 9207 iss; an
// unregistered redirect URI gets an error page instead.
func ExampleAuthorizationWriter_WriteError() {
	ck, client := exampleService()
	reader, _ := fapihttp.NewReader()
	aw := &fapihttp.AuthorizationWriter{Issuer: "https://as.example.com"}
	authorize := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := reader.Authorization(r)
		if err != nil {
			aw.WriteError(w, r, nil, err) // an error page: nothing is trusted yet
			return
		}
		res := ck.Authorization(client, req, time.Now())
		if !res.OK() {
			aw.WriteError(w, r, &res, nil)
			return
		}
		// Log the user in, ask for consent, issue a code, then
		// aw.WriteResponse(w, r, &res, url.Values{"code": {code}}).
	})
	send := func(redirectURI string) {
		q := url.Values{"response_type": {"code"}, "client_id": {"s6BhdRkqt3"}, "redirect_uri": {redirectURI},
			"state": {"xyz"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"plain"}}
		w := httptest.NewRecorder()
		authorize.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/authorize?"+q.Encode(), nil))
		loc, _ := url.Parse(w.Header().Get("Location"))
		fmt.Println(w.Code, w.Header().Get("Content-Type"), loc.Query().Get("error"), loc.Query().Get("state"), loc.Query().Get("iss"))
	}
	send("https://client.example.org/cb")
	send("https://attacker.example/cb")
	// Output:
	// 303  invalid_request xyz https://as.example.com
	// 400 text/html; charset=utf-8
}

// A resource server reads the request (the external URL for the DPoP
// proof's htu, the Authorization and DPoP headers, the certificate), adds
// its record of the token and answers a refusal with the status and the
// WWW-Authenticate challenge of the result (RFC 6750 §3).
func ExampleReader_Resource() {
	svc := &fapi.Service{Issuer: "https://as.example.com", SupportedServiceProfiles: []string{"fapi"},
		Scopes: []scope.Definition{{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}}}}
	reader, _ := fapihttp.NewReader(fapihttp.WithBaseURL("https://api.example.com"))
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := reader.Resource(r)
		if err != nil {
			fapihttp.WriteResourceRequestError(w, err)
			return
		}
		if token, ok := fapi.AccessToken(req.Authorization); ok && token == "2YotnFZFEjr1zCsicMWpAA" {
			// From the token's JWT claims or introspection.
			req.Token = &fapi.AccessTokenRecord{TokenType: "Bearer", Scope: "accounts"}
		}
		res := fapi.CheckResourceRequest(svc, req, time.Now())
		if !res.OK() {
			fapihttp.WriteResourceError(w, res)
			return
		}
		fmt.Fprintln(w, "the accounts")
	})
	r := httptest.NewRequest(http.MethodGet, "/accounts", nil)
	r.Header.Set("Authorization", "Bearer 2YotnFZFEjr1zCsicMWpAA")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
	// Output:
	// 401 Bearer error="invalid_token", error_description="fapi2-security requires sender-constrained access tokens (MTLS or DPoP), but this token has no cnf"
}

// Behind a TLS-terminating proxy the reader takes the external URL and the
// client certificate from the proxy's headers, but only for requests that
// come from the proxy.
func ExampleWithTrustedProxy() {
	reader, err := fapihttp.NewReader(
		fapihttp.WithTrustedProxy(fapihttp.RemoteAddrIn(netip.MustParsePrefix("10.0.0.0/24"))),
		fapihttp.WithClientCertificateHeader("X-SSL-Client-Cert"), // nginx: $ssl_client_escaped_cert
		fapihttp.WithHosts("as.example.com"),
	)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/token", nil)
	r.Host = "backend:8080"
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Forwarded-Host", "as.example.com")

	r.RemoteAddr = "10.0.0.5:41234" // the proxy
	u, err := reader.URL(r)
	fmt.Println(u, err)
	r.RemoteAddr = "192.0.2.7:41234" // anyone else: the headers are not read
	_, err = reader.URL(r)
	fmt.Println(err)
	// Output:
	// https://as.example.com/token <nil>
	// fapihttp: the host "backend:8080" is not one this server answers for
}
