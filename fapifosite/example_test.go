package fapifosite_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/storage"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapifosite"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
)

// A fosite server puts the library in front of its provider with New and
// keeps its handlers: the Provider has fosite's OAuth2Provider methods.
// Here a FAPI 2.0 pushed authorization request without PKCE is refused
// before fosite sees it, as fosite's RFC 6749 error, and the same request
// with PKCE is accepted.
func ExampleNew() {
	// The server as it is: fosite's configuration, storage and clients...
	config := &fosite.Config{
		GlobalSecret:              []byte("a global secret of 32 bytes ...."),
		IsPushedAuthorizeEnforced: true,
		EnforcePKCE:               true,
	}
	store := storage.NewMemoryStore()
	clientKey := fapitest.Must(fapitest.NewKey("PS256"))
	store.Clients["client-1"] = &fosite.DefaultOpenIDConnectClient{
		DefaultClient: &fosite.DefaultClient{
			ID:            "client-1",
			RedirectURIs:  []string{"https://client.example.org/cb"},
			ResponseTypes: []string{"code"},
			Scopes:        []string{"openid", "sp"},
		},
		JSONWebKeys: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: clientKey.Public(), KeyID: clientKey.ID, Algorithm: "PS256", Use: "sig",
		}}},
		TokenEndpointAuthMethod:           "private_key_jwt",
		TokenEndpointAuthSigningAlgorithm: "PS256",
	}
	signingKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader) // ES256 ID tokens
	if err != nil {
		log.Fatal(err)
	}
	// ...and its FAPI configuration, checked once by the library.
	svc, err := fapitest.NewService(profile.FAPI2Security, "https://as.example.com")
	if err != nil {
		log.Fatal(err)
	}
	checker, rep := fapi.NewChecker(*svc, fapi.WithStore(onetime.NewMemory(1<<20)))
	if !rep.OK() {
		log.Fatal(rep.Err())
	}

	// The glue.
	provider, err := fapifosite.New(fapifosite.Config{
		Provider: compose.ComposeAllEnabled(config, store, signingKey),
		Fosite:   config,
		Storage:  store,
		Checker:  checker,
	})
	if err != nil {
		log.Fatal(err)
	}

	// fosite's PAR handler, with provider as its OAuth2Provider.
	par := func(rw http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := provider.NewPushedAuthorizeRequest(ctx, r)
		if err != nil {
			provider.WritePushedAuthorizeError(ctx, rw, ar, err)
			return
		}
		resp, err := provider.NewPushedAuthorizeResponse(ctx, ar, openid.NewDefaultSession())
		if err != nil {
			provider.WritePushedAuthorizeError(ctx, rw, ar, err)
			return
		}
		provider.WritePushedAuthorizeResponse(ctx, rw, ar, resp)
	}

	// A client's pushed authorization request: private_key_jwt with the
	// issuer as audience (FAPI2-SP-5.3.2.1-8), which fosite alone refuses.
	send := func(pkce bool) {
		form := url.Values{
			"response_type":         {"code"},
			"client_id":             {"client-1"},
			"redirect_uri":          {"https://client.example.org/cb"},
			"scope":                 {"openid sp"},
			"state":                 {fapitest.State},
			"client_assertion_type": {fapitest.JWTBearer},
			"client_assertion": {fapitest.Must(fapitest.ClientAssertion(clientKey,
				fapitest.ClientAssertionClaims("client-1", "https://as.example.com", time.Now())))},
		}
		if pkce {
			form.Set("code_challenge", challenge(fapitest.Verifier))
			form.Set("code_challenge_method", "S256")
		}
		req := httptest.NewRequest(http.MethodPost, "https://as.example.com/par", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		par(rec, req)
		var body struct {
			Error      string `json:"error"`
			RequestURI string `json:"request_uri"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.Code, body.Error, strings.HasPrefix(body.RequestURI, "urn:ietf:params:oauth:request_uri:"))
	}
	send(false)
	send(true)
	// Output:
	// 400 invalid_request false
	// 201  true
}

// RFC6749Error turns a report of the library into the fosite error to
// answer with, for the check points a server calls itself.
func ExampleRFC6749Error() {
	rep := fapi.Report{Violations: []fapi.Violation{{
		Code:    fapi.CodePKCEChallengeMissing,
		Error:   fapi.OAuthInvalidRequest,
		Ref:     "FAPI2-SP-5.3.2.2-5",
		Message: "code_challenge is missing",
	}}}
	e := fapifosite.RFC6749Error(rep)
	fmt.Println(e.ErrorField, e.StatusCode())
	fmt.Println(e.GetDescription())
	// Output:
	// invalid_request 400
	// code_challenge is missing (pkce.challenge_missing, FAPI2-SP-5.3.2.2-5)
}
