package fapi_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/scope"
)

// TestCheckerFlow: a prepared Checker gives the answers of the Check…
// functions, and each endpoint's result carries what its caller needs.
func TestCheckerFlow(t *testing.T) {
	svc := fapi2Service()
	ck, rep := fapi.NewChecker(*svc)
	require.Empty(t, rep.Violations)
	pc := fapi.PrepareClient(fapi2Client())
	require.Empty(t, ck.CheckClient(pc).Violations)

	params := fapi2Params("openid sp")
	params["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
	params["client_assertion"] = []string{assertion(map[string]any{"aud": issuer})}
	pr := ck.PushedAuthorization(context.Background(), pc, &fapi.PushedAuthorizationRequest{Params: params, ClientCertificate: tlsKey.Cert}, now)
	require.Empty(t, pr.Violations)
	assert.Equal(t, "openid sp", pr.Parameters()["scope"])
	require.NotNil(t, pr.ClientAssertion, "the verified assertion, whose jti the caller records")
	assert.NotEmpty(t, pr.ClientAssertion.JWTID)

	ar := ck.Authorization(pc, pushed(pr, "rw"), now)
	require.Empty(t, ar.Violations)
	assert.True(t, ar.RedirectTrusted)
	assert.Equal(t, cb, ar.RedirectURI)
	assert.Equal(t, cb, ar.Parameters()["redirect_uri"])

	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now.Add(-30 * time.Second),
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256", CertificateThumbprint: mtls.Thumbprint(tlsKey.Cert)}
	tr := ck.Token(context.Background(), pc, fapi2Token(pc, rec), now)
	require.Empty(t, tr.Violations)
	assert.Equal(t, mtls.Thumbprint(tlsKey.Cert), tr.CertificateThumbprint)
	assert.Empty(t, tr.DPoPThumbprint, "no DPoP proof was sent")
	require.NotNil(t, tr.ClientAssertion)

	// Refused before client_id and redirect_uri are trusted: no redirect.
	bad := ck.Authorization(pc, &fapi.AuthorizationRequest{Params: fapi2Params("openid sp")}, now)
	assert.Equal(t, []fapi.Code{fapi.CodePARRequired}, codes(bad.Report))
	assert.False(t, bad.RedirectTrusted)
	assert.Empty(t, bad.RedirectURI)
}

// TestCheckerCopiesTheService: changing the Service after NewChecker
// changes nothing the Checker enforces.
func TestCheckerCopiesTheService(t *testing.T) {
	svc := fapi2Service()
	ck, _ := fapi.NewChecker(*svc)
	pc := fapi.PrepareClient(fapi2Client())
	// Switch FAPI off and drop the scope attributes in the caller's copy.
	svc.SupportedServiceProfiles[0] = "none"
	for i := range svc.Scopes {
		for j := range svc.Scopes[i].Attributes {
			svc.Scopes[i].Attributes[j].Value = "off"
		}
	}
	svc.MTLSEndpointAliases = map[string]string{"token_endpoint": "https://evil.example/token"}
	r := ck.Authorization(pc, &fapi.AuthorizationRequest{Params: fapi2Params("openid sp")}, now)
	assert.Equal(t, []fapi.Code{fapi.CodePARRequired}, codes(r.Report), "still FAPI 2.0")
	assert.Equal(t, "fapi", ck.Service().SupportedServiceProfiles[0])
	// Service returns a copy too.
	got := ck.Service()
	got.Scopes[0].Name = "changed"
	assert.NotEqual(t, "changed", ck.Service().Scopes[0].Name)
}

// TestCheckerCopiesEveryReference fails when Service gains a slice or map
// field that cloneService does not copy.
func TestCheckerCopiesEveryReference(t *testing.T) {
	handled := map[reflect.Type]bool{
		reflect.TypeOf([]string(nil)):           true,
		reflect.TypeOf(map[string]string(nil)):  true,
		reflect.TypeOf([]scope.Definition(nil)): true,
	}
	st := reflect.TypeOf(fapi.Service{})
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
			assert.True(t, handled[f.Type], "Service.%s (%s) is not copied by NewChecker", f.Name, f.Type)
		}
	}
}

// TestCheckerFailsClosed: an unusable configuration refuses every request
// with the violations NewChecker reported.
func TestCheckerFailsClosed(t *testing.T) {
	svc := fapi2Service()
	svc.Scopes = append(svc.Scopes, svc.Scopes[0]) // duplicate name
	ck, rep := fapi.NewChecker(*svc)
	require.True(t, rep.Has(fapi.CodeServiceScopesInvalid))
	pc := fapi.PrepareClient(fapi2Client())
	r := ck.Authorization(pc, &fapi.AuthorizationRequest{Params: fapi2Params("openid sp")}, now)
	assert.Equal(t, []fapi.Code{fapi.CodeServiceScopesInvalid}, codes(r.Report))
	assert.False(t, r.RedirectTrusted)
	tr := ck.Token(context.Background(), pc, &fapi.TokenRequest{}, now)
	assert.Equal(t, []fapi.Code{fapi.CodeServiceScopesInvalid}, codes(tr.Report))
}

// TestCheckerConcurrent: one Checker serves many goroutines (run with
// -race).
func TestCheckerConcurrent(t *testing.T) {
	ck, _ := fapi.NewChecker(*fapi2Service())
	pc := fapi.PrepareClient(fapi2Client())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				r := ck.Authorization(pc, &fapi.AuthorizationRequest{Params: fapi2Params("openid sp")}, now)
				assert.Equal(t, []fapi.Code{fapi.CodePARRequired}, codes(r.Report))
			}
		}()
	}
	wg.Wait()
}
