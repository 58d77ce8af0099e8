package fapi_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// metadataSentinels are the errors a document reader may return.
var metadataSentinels = []error{
	fapi.ErrMetadataMalformed, fapi.ErrIssuerInvalid, fapi.ErrIssuerMismatch, fapi.ErrEndpointInvalid,
	fapi.ErrNoFAPISettings, fapi.ErrNoFAPIProfile, fapi.ErrSettingsInvalid, fapi.ErrSettingsContradictMetadata,
	fapi.ErrClientIDMissing, fapi.ErrJWKSAmbiguous,
}

// checkMetadataError fails unless err is a *MetadataError wrapping one of
// the sentinels.
func checkMetadataError(t *testing.T, err error) {
	var me *fapi.MetadataError
	if !errors.As(err, &me) {
		t.Fatalf("error %T is not a *MetadataError: %v", err, err)
	}
	for _, s := range metadataSentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error matches no sentinel: %v", err)
}

// FuzzServiceFromDiscovery: a discovery document never makes
// ServiceFromDiscovery or CheckService panic; an error is a
// *MetadataError with a sentinel and no Service; an accepted document is
// valid JSON whose issuer is an https URL with a host and without query,
// fragment or user information, and the Service carries exactly the
// settings given. Seeds: testdata/fuzz/FuzzServiceFromDiscovery.
func FuzzServiceFromDiscovery(f *testing.F) {
	f.Add([]byte(goodDoc))
	settings := fapi.FAPISettings{
		SupportedServiceProfiles: []string{"fapi"},
		Scopes: []scope.Definition{
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}},
		},
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		svc, warns, err := fapi.ServiceFromDiscovery(doc, settings)
		for _, w := range warns {
			_ = w.String()
		}
		if err != nil {
			checkMetadataError(t, err)
			if svc.Issuer != "" || svc.Scopes != nil {
				t.Fatal("a Service returned with an error")
			}
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("accepted a document encoding/json refuses: %q", doc)
		}
		u, perr := url.Parse(svc.Issuer)
		if perr != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(svc.Issuer, "?#") {
			t.Fatalf("accepted issuer %q", svc.Issuer)
		}
		if len(svc.Scopes) != 2 || svc.Scopes[1].Name != "payments" || svc.FAPIVersion != "" || len(svc.FAPIModes) != 0 {
			t.Fatalf("settings not exactly those given: %+v", svc)
		}
		rep := fapi.CheckService(&svc)
		if rep.Profile == "" {
			t.Fatal("a report without a profile")
		}
	})
}

// FuzzClientFromRegistration: a registration document never makes
// ClientFromRegistration, PrepareClient or CheckClient panic; an error is
// a *MetadataError with a sentinel; an accepted document is valid JSON
// with a client_id and not both jwks and jwks_uri. Seeds:
// testdata/fuzz/FuzzClientFromRegistration.
func FuzzClientFromRegistration(f *testing.F) {
	f.Add([]byte(`{"client_id":"c","redirect_uris":["https://c/cb"],"jwks":{"keys":[]}}`))
	svc := &fapi.Service{Issuer: "https://as.example.com", ResponseTypesSupported: []string{"code"},
		SupportedServiceProfiles: []string{"fapi"},
		Scopes:                   []scope.Definition{{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}}}}
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, _, err := fapi.ClientFromRegistration(doc, fapi.ClientSettings{})
		if err != nil {
			checkMetadataError(t, err)
			if c.ClientID != "" {
				t.Fatal("a Client returned with an error")
			}
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("accepted a document encoding/json refuses: %q", doc)
		}
		if c.ClientID == "" || (len(c.JWKS) > 0 && c.JWKSURI != "") {
			t.Fatalf("accepted client %+v", c)
		}
		if len(c.JWKS) > 0 && !json.Valid(c.JWKS) {
			t.Fatal("jwks is not JSON")
		}
		rep := fapi.CheckClient(svc, fapi.PrepareClient(c))
		if rep.Profile == "" {
			t.Fatal("a report without a profile")
		}
	})
}
