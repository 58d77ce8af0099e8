package fapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/metadata"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// splitService splits a case file's service member into the discovery
// document (the standard members) and the library's FAPI settings.
func splitService(t *testing.T, svc fixtures.Obj) ([]byte, fapi.FAPISettings) {
	t.Helper()
	doc, own := fixtures.Obj{}, fixtures.Obj{}
	for k, v := range svc {
		m, ok := metadata.LookupService(k)
		require.True(t, ok, k)
		if m.Setting {
			own[k] = v
		} else {
			doc[k] = v
		}
	}
	docJSON, err := json.Marshal(doc)
	require.NoError(t, err)
	ownJSON, err := json.Marshal(own)
	require.NoError(t, err)
	var settings fapi.FAPISettings
	require.NoError(t, json.Unmarshal(ownJSON, &settings))
	return docJSON, settings
}

// msService is a FAPI 2.0 Message Signing service: signed requests and
// signed responses (JARM) on top of the Security Profile.
func msService() fixtures.Obj {
	return fixtures.With(fixtures.F2Service(),
		"scopes", fixtures.F2Scopes(fixtures.MSScope("signed", "ms-authreq"), fixtures.MSScope("jarm", "ms-authres")),
		"require_signed_request_object", true,
		"request_object_signing_alg_values_supported", []string{"PS256", "ES256"},
		"authorization_signing_alg_values_supported", []string{"PS256"})
}

// TestServiceFromDiscoveryProfiles: the discovery document of a service of
// each profile, with its FAPI settings, builds the same Service as the case
// file's service member, and CheckService accepts it.
func TestServiceFromDiscoveryProfiles(t *testing.T) {
	tests := []struct {
		name     string
		svc      fixtures.Obj
		profiles profile.Set
	}{
		{"FAPI 1.0 ID2", fixtures.ID2Service(), profile.SetOf(profile.FAPI1ReadOnly, profile.FAPI1ReadWrite)},
		{"FAPI 1.0 Final", fixtures.FinalService(), profile.SetOf(profile.FAPI1Baseline, profile.FAPI1Advanced)},
		{"FAPI 2.0 Security Profile", fixtures.F2Service(), profile.SetOf(profile.FAPI2Security)},
		{"FAPI 2.0 Message Signing", msService(), profile.SetOf(profile.FAPI2Security, profile.FAPI2MessageSigning)},
		{"static mode", fixtures.With(fixtures.FinalService(), "scopes", []fixtures.Obj{{"name": "openid"}}, "fapi_modes", []string{"fapi1_advanced"}),
			profile.SetOf(profile.FAPI1Advanced)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, settings := splitService(t, tt.svc)
			// The standard members of a real document that the library
			// does not use are no warnings.
			var m map[string]any
			require.NoError(t, json.Unmarshal(doc, &m))
			m["claims_parameter_supported"] = true
			m["request_uri_parameter_supported"] = false
			m["scopes_supported"] = []string{"openid", "accounts", "payments", "sp", "signed", "jarm"}
			m["jwks_uri"] = fixtures.Issuer + "/jwks"
			m["subject_types_supported"] = []string{"public"}
			m["mtls_endpoint_aliases"] = map[string]string{"token_endpoint": "https://mtls.as.example.com/token"}
			doc, err := json.Marshal(m)
			require.NoError(t, err)

			got, warns, err := fapi.ServiceFromDiscovery(doc, settings)
			require.NoError(t, err)
			assert.Empty(t, warns)

			var want fapi.Service
			whole, err := json.Marshal(fixtures.With(tt.svc, "mtls_endpoint_aliases", m["mtls_endpoint_aliases"]))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(whole, &want))
			assert.Equal(t, want, got, "the same Service as the case file's service member")

			rep := fapi.CheckService(&got)
			assert.Empty(t, rep.Violations)
			assert.Equal(t, tt.profiles, rep.Profiles, "chosen by %s", rep.ChosenBy)
		})
	}
}

const goodDoc = `{"issuer":"https://as.example.com","authorization_endpoint":"https://as.example.com/authorize",
"token_endpoint":"https://as.example.com/token","response_types_supported":["code"]}`

func payments() fapi.FAPISettings {
	return fapi.FAPISettings{
		SupportedServiceProfiles: []string{"fapi"},
		Scopes:                   []scope.Definition{{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}}},
	}
}

// withMember returns goodDoc with one member set to the JSON text value.
func withMember(name, value string) string {
	return strings.Replace(goodDoc, `{`, `{"`+name+`":`+value+`,`, 1)
}

// TestServiceFromDiscoveryRefuses: a document or settings that cannot
// describe a FAPI server is refused, with an error naming what is wrong.
func TestServiceFromDiscoveryRefuses(t *testing.T) {
	id2 := payments()
	id2.FAPIVersion = "1.0-id3"
	mode := payments()
	mode.FAPIModes = []string{"fapi3"}
	noFAPI := payments()
	noFAPI.SupportedServiceProfiles = nil
	noScope := payments()
	noScope.Scopes = []scope.Definition{{Name: "openid"}}
	skew := payments()
	skew.ClockSkew = 61
	size := payments()
	size.MaxRequestObjectSize = -1
	lifetime := payments()
	lifetime.RequestURILifetime = -5
	dupScope := payments()
	dupScope.Scopes = append(dupScope.Scopes, dupScope.Scopes[0])
	expected := payments()
	expected.ExpectedIssuer = "https://as.example.com/tenant"

	tests := []struct {
		name     string
		doc      string
		settings fapi.FAPISettings
		err      error
		member   string
	}{
		{"not JSON", `{"issuer":`, payments(), fapi.ErrMetadataMalformed, ""},
		{"not an object", `["issuer"]`, payments(), fapi.ErrMetadataMalformed, ""},
		{"duplicate member", `{"issuer":"https://as.example.com","issuer":"https://evil.example"}`, payments(), fapi.ErrMetadataMalformed, ""},
		{"duplicate nested member", withMember("mtls_endpoint_aliases", `{"token_endpoint":"https://a/t","token_endpoint":"https://b/t"}`), payments(), fapi.ErrMetadataMalformed, ""},
		{"invalid UTF-8", "{\"issuer\":\"https://as.example.com/\xff\"}", payments(), fapi.ErrMetadataMalformed, ""},
		{"trailing data", goodDoc + `{}`, payments(), fapi.ErrMetadataMalformed, ""},
		{"too large", withMember("x", `"`+strings.Repeat("a", fapi.MaxMetadataDocumentSize)+`"`), payments(), fapi.ErrMetadataMalformed, ""},
		{"wrong type of a used member", withMember("tls_client_certificate_bound_access_tokens", `"true"`), payments(), fapi.ErrMetadataMalformed, "tls_client_certificate_bound_access_tokens"},
		{"wrong type of an unused member", withMember("claims_parameter_supported", `"yes"`), payments(), fapi.ErrMetadataMalformed, "claims_parameter_supported"},
		{"null for a known member", withMember("request_parameter_supported", `null`), payments(), fapi.ErrMetadataMalformed, "request_parameter_supported"},
		{"array with a number", withMember("scopes_supported", `["payments",1]`), payments(), fapi.ErrMetadataMalformed, "scopes_supported"},
		{"alias not a string", withMember("mtls_endpoint_aliases", `{"token_endpoint":1}`), payments(), fapi.ErrMetadataMalformed, "mtls_endpoint_aliases"},
		{"no issuer", `{"response_types_supported":["code"]}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer http", `{"issuer":"http://as.example.com"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer with a query", `{"issuer":"https://as.example.com?tenant=a"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer with an empty query", `{"issuer":"https://as.example.com?"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer with a fragment", `{"issuer":"https://as.example.com#x"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer without host", `{"issuer":"https:///path"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer with user information", `{"issuer":"https://as.example.com@evil.example"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"token endpoint with user information", strings.Replace(goodDoc, "https://as.example.com/token", "https://u:p@as.example.com/token", 1), payments(), fapi.ErrEndpointInvalid, "token_endpoint"},
		{"issuer relative", `{"issuer":"as.example.com"}`, payments(), fapi.ErrIssuerInvalid, "issuer"},
		{"issuer not the expected one", goodDoc, expected, fapi.ErrIssuerMismatch, "issuer"},
		{"token endpoint http", strings.Replace(goodDoc, "https://as.example.com/token", "http://as.example.com/token", 1), payments(), fapi.ErrEndpointInvalid, "token_endpoint"},
		{"authorization endpoint with a fragment", strings.Replace(goodDoc, "/authorize", "/authorize#f", 1), payments(), fapi.ErrEndpointInvalid, "authorization_endpoint"},
		{"empty PAR endpoint", withMember("pushed_authorization_request_endpoint", `""`), payments(), fapi.ErrEndpointInvalid, "pushed_authorization_request_endpoint"},
		{"mTLS alias http", withMember("mtls_endpoint_aliases", `{"token_endpoint":"http://mtls.as.example.com/token"}`), payments(), fapi.ErrEndpointInvalid, "mtls_endpoint_aliases.token_endpoint"},
		{"no settings", goodDoc, fapi.FAPISettings{}, fapi.ErrNoFAPISettings, ""},
		{"fapi not in supported_service_profiles", goodDoc, noFAPI, fapi.ErrNoFAPIProfile, "supported_service_profiles"},
		{"no FAPI scope and no mode", goodDoc, noScope, fapi.ErrNoFAPIProfile, "scopes"},
		{"unknown fapi_version", goodDoc, id2, fapi.ErrSettingsInvalid, "fapi_version"},
		{"unknown mode", goodDoc, mode, fapi.ErrSettingsInvalid, "fapi_modes"},
		{"clock skew above 60 s", goodDoc, skew, fapi.ErrSettingsInvalid, "clock_skew"},
		{"negative size", goodDoc, size, fapi.ErrSettingsInvalid, "max_request_object_size"},
		{"negative lifetime", goodDoc, lifetime, fapi.ErrSettingsInvalid, "request_uri_lifetime"},
		{"scope defined twice", goodDoc, dupScope, fapi.ErrSettingsInvalid, "scopes"},
		{"FAPI scope not advertised", withMember("scopes_supported", `["openid","payment"]`), payments(), fapi.ErrSettingsContradictMetadata, "scopes_supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, err := fapi.ServiceFromDiscovery([]byte(tt.doc), tt.settings)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.err)
			var me *fapi.MetadataError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tt.member, me.Member)
			assert.Equal(t, fapi.Service{}, svc, "nothing is returned with an error")
			assert.Less(t, len(err.Error()), 400, "messages stay short")
		})
	}
}

// TestServiceFromDiscoveryWarnings: an unknown member and a member named
// like one of the library's settings are warnings; the setting is not read
// from the document.
func TestServiceFromDiscoveryWarnings(t *testing.T) {
	doc := withMember("x_vendor_feature", `{"a":1}`)
	doc = strings.Replace(doc, `{`, `{"fapi_version":"1.0-id2","scopes":[{"name":"accounts"}],"Issuer":"https://evil.example",`, 1)
	svc, warns, err := fapi.ServiceFromDiscovery([]byte(doc), payments())
	require.NoError(t, err)
	var names []string
	for _, w := range warns {
		names = append(names, w.Member)
		assert.NotEmpty(t, w.String())
	}
	assert.ElementsMatch(t, []string{"x_vendor_feature", "fapi_version", "scopes", "Issuer"}, names)
	assert.Empty(t, svc.FAPIVersion, "a setting is never read from the document")
	assert.Equal(t, payments().Scopes, svc.Scopes)
	assert.Equal(t, "https://as.example.com", svc.Issuer, "names are case-sensitive")
	assert.Contains(t, warns[len(warns)-1].String(), "extensions are legal")

	long := strings.Repeat("n", 500)
	_, warns, err = fapi.ServiceFromDiscovery([]byte(withMember(long, `1`)), payments())
	require.NoError(t, err)
	require.Len(t, warns, 1)
	assert.Equal(t, long, warns[0].Member)
	assert.Less(t, len(warns[0].String()), 200, "a long name is shortened in messages")
}

// TestServiceFromDiscoveryCopies: the Service does not share the settings'
// slices.
func TestServiceFromDiscoveryCopies(t *testing.T) {
	settings := payments()
	settings.FAPIModes = []string{"fapi1_baseline"}
	svc, _, err := fapi.ServiceFromDiscovery([]byte(goodDoc), settings)
	require.NoError(t, err)
	settings.Scopes[0].Attributes[0].Value = "r"
	settings.FAPIModes[0] = "fapi2_security"
	settings.SupportedServiceProfiles[0] = "none"
	assert.Equal(t, "rw", svc.Scopes[0].Attributes[0].Value)
	assert.Equal(t, []string{"fapi1_baseline"}, svc.FAPIModes)
	assert.Equal(t, []string{"fapi"}, svc.SupportedServiceProfiles)
}

// TestServiceFromDiscoveryBrokenProfiles: documents that are well formed
// but do not meet their profile are built, and CheckService refuses them.
func TestServiceFromDiscoveryBrokenProfiles(t *testing.T) {
	tests := []struct {
		name string
		svc  fixtures.Obj
		code fapi.Code
	}{
		{"FAPI 2.0 without PAR endpoint", fixtures.Without(fixtures.F2Service(), "pushed_authorization_request_endpoint"), fapi.CodeServicePAREndpointMissing},
		{"Advanced without request objects", fixtures.Without(fixtures.FinalService(), "request_parameter_supported"), fapi.CodeServiceRequestObjectUnsupported},
		{"read-write without certificate-bound tokens", fixtures.Without(fixtures.ID2Service(), "tls_client_certificate_bound_access_tokens"), fapi.CodeServiceMTLSBindingUnsupported},
		{"FAPI 2.0 with the password grant", fixtures.With(fixtures.F2Service(), "grant_types_supported", []string{"authorization_code", "password"}), fapi.CodeServicePasswordGrant},
		{"no response_types_supported", fixtures.Without(fixtures.F2Service(), "response_types_supported"), fapi.CodeServiceResponseTypesMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, settings := splitService(t, tt.svc)
			svc, _, err := fapi.ServiceFromDiscovery(doc, settings)
			require.NoError(t, err)
			rep := fapi.CheckService(&svc)
			var codes []fapi.Code
			for _, v := range rep.Violations {
				codes = append(codes, v.Code)
			}
			assert.Contains(t, codes, tt.code)
		})
	}
}

// TestClientFromRegistration: a registration document of each kind builds
// the same Client as the case file's client member.
func TestClientFromRegistration(t *testing.T) {
	rw := fixtures.NewRWClient()
	tests := []struct {
		name   string
		client fixtures.Obj
	}{
		{"read-write private_key_jwt", rw.RWClient()},
		{"FAPI 2.0", rw.F2Client()},
		{"FAPI 2.0 DPoP", rw.F2DPoPClient()},
		{"public read-only", fixtures.ClientID("ro").ROPublicClient()},
		{"with the library's settings", fixtures.With(rw.F2Client(), "client_type", "confidential", "fapi_modes", []string{"fapi2_security"}, "response_modes", []string{"jwt"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, own := fixtures.Obj{}, fixtures.Obj{}
			for k, v := range tt.client {
				if b, _ := json.Marshal(v); string(b) == "null" {
					continue // a document omits a member without value
				}
				m, ok := metadata.LookupClient(k)
				require.True(t, ok, k)
				if m.Setting {
					own[k] = v
				} else {
					doc[k] = v
				}
			}
			doc["client_name"] = "Example"
			doc["client_name#ja-Jpan-JP"] = "例"
			doc["client_id_issued_at"] = 1700000000
			doc["client_secret_expires_at"] = 0
			doc["registration_client_uri"] = "https://as.example.com/register/x"
			docJSON, err := json.Marshal(doc)
			require.NoError(t, err)
			ownJSON, err := json.Marshal(own)
			require.NoError(t, err)
			var settings fapi.ClientSettings
			require.NoError(t, json.Unmarshal(ownJSON, &settings))

			got, warns, err := fapi.ClientFromRegistration(docJSON, settings)
			require.NoError(t, err)
			assert.Empty(t, warns)
			whole, err := json.Marshal(tt.client)
			require.NoError(t, err)
			var want fapi.Client
			require.NoError(t, json.Unmarshal(whole, &want))
			if len(want.JWKS) > 0 {
				assert.JSONEq(t, string(want.JWKS), string(got.JWKS))
				want.JWKS = got.JWKS
			}
			assert.Equal(t, want, got)
		})
	}
}

// TestClientFromRegistrationRefuses: what cannot be a client's
// registration is refused.
func TestClientFromRegistrationRefuses(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		settings fapi.ClientSettings
		err      error
		member   string
	}{
		{"not JSON", `{`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, ""},
		{"duplicate member", `{"client_id":"a","client_id":"b"}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, ""},
		{"duplicate member in jwks", `{"client_id":"a","jwks":{"keys":[],"keys":[{}]}}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, ""},
		{"no client_id", `{"redirect_uris":["https://c/cb"]}`, fapi.ClientSettings{}, fapi.ErrClientIDMissing, "client_id"},
		{"empty client_id", `{"client_id":""}`, fapi.ClientSettings{}, fapi.ErrClientIDMissing, "client_id"},
		{"client_id a number", `{"client_id":5}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "client_id"},
		{"jwks not an object", `{"client_id":"a","jwks":"{}"}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "jwks"},
		{"redirect_uris a string", `{"client_id":"a","redirect_uris":"https://c/cb"}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "redirect_uris"},
		{"tagged name a number", `{"client_id":"a","client_name#en":1}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "client_name#en"},
		{"unused member of the wrong type", `{"client_id":"a","default_max_age":"60"}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "default_max_age"},
		{"jwks and jwks_uri", `{"client_id":"a","jwks":{"keys":[]},"jwks_uri":"https://c/jwks"}`, fapi.ClientSettings{}, fapi.ErrJWKSAmbiguous, "jwks_uri"},
		{"unknown client_type", `{"client_id":"a"}`, fapi.ClientSettings{ClientType: "Public"}, fapi.ErrSettingsInvalid, "client_type"},
		{"unknown mode", `{"client_id":"a"}`, fapi.ClientSettings{FAPIModes: []string{"fapi1"}}, fapi.ErrSettingsInvalid, "fapi_modes"},
		{"response_modes a string", `{"client_id":"a","response_modes":"jwt"}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "response_modes"},
		{"response_modes null", `{"client_id":"a","response_modes":null}`, fapi.ClientSettings{}, fapi.ErrMetadataMalformed, "response_modes"},
		{"deprecated setting contradicting the document", `{"client_id":"a","response_modes":["query"]}`,
			fapi.ClientSettings{ResponseModes: []string{"jwt"}}, fapi.ErrSettingsContradictMetadata, "response_modes"},
		{"deprecated setting against an empty list", `{"client_id":"a","response_modes":[]}`,
			fapi.ClientSettings{ResponseModes: []string{"jwt"}}, fapi.ErrSettingsContradictMetadata, "response_modes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := fapi.ClientFromRegistration([]byte(tt.doc), tt.settings)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.err)
			var me *fapi.MetadataError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tt.member, me.Member)
			assert.Equal(t, fapi.Client{}, c)
		})
	}
}

// TestClientFromRegistrationResponseModes: response_modes is client
// metadata (FAPI2-MS-5.3.3), read from the document as registered: an
// empty list stays empty (and CheckClient refuses it), an absent one stays
// absent; the deprecated ClientSettings.ResponseModes fills in only where
// the document has none.
func TestClientFromRegistrationResponseModes(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		settings []string
		want     []string
	}{
		{"from the document", `{"client_id":"a","response_modes":["jwt","query.jwt"]}`, nil, []string{"jwt", "query.jwt"}},
		{"empty in the document", `{"client_id":"a","response_modes":[]}`, nil, []string{}},
		{"absent", `{"client_id":"a"}`, nil, nil},
		{"deprecated setting only", `{"client_id":"a"}`, []string{"jwt"}, []string{"jwt"}},
		{"deprecated setting equal to the document", `{"client_id":"a","response_modes":["jwt"]}`, []string{"jwt"}, []string{"jwt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warns, err := fapi.ClientFromRegistration([]byte(tt.doc), fapi.ClientSettings{ResponseModes: tt.settings})
			require.NoError(t, err)
			assert.Empty(t, warns, "response_modes is standard metadata, not a setting")
			assert.Equal(t, tt.want, c.ResponseModes)
			assert.Equal(t, tt.want == nil, c.ResponseModes == nil, "absent and empty stay apart")
			assert.Equal(t, tt.want == nil, fapi.PrepareClient(c).Config().ResponseModes == nil, "and so they do in a prepared client")
		})
	}
}

// TestClientFromRegistrationWarnings: extensions and the library's own
// settings in a registration are warnings, and the settings come only from
// ClientSettings.
func TestClientFromRegistrationWarnings(t *testing.T) {
	c, warns, err := fapi.ClientFromRegistration([]byte(`{"client_id":"a","client_type":"public","x_extension":true,"Redirect_URIs":["https://evil/cb"]}`),
		fapi.ClientSettings{ClientType: "confidential"})
	require.NoError(t, err)
	var names []string
	for _, w := range warns {
		names = append(names, w.Member)
	}
	assert.ElementsMatch(t, []string{"client_type", "x_extension", "Redirect_URIs"}, names)
	assert.Equal(t, "confidential", c.ClientType)
	assert.Empty(t, c.RedirectURIs)
}
