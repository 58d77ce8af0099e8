package fapi_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/metadata"
)

// jsonNames returns the JSON member names of t's fields.
func jsonNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// TestMetadataFieldsKnown: every JSON member of Service and Client is in
// the shared member list (internal/metadata), and the library's own
// settings in it are exactly the members of FAPISettings and
// ClientSettings. A field added to Service or Client without its list
// entry fails here, so that casefile and the document readers cannot drift.
func TestMetadataFieldsKnown(t *testing.T) {
	tests := []struct {
		name     string
		typ      reflect.Type
		settings reflect.Type
		list     []metadata.Member
		lookup   func(string) (metadata.Member, bool)
	}{
		{"service", reflect.TypeOf(fapi.Service{}), reflect.TypeOf(fapi.FAPISettings{}), metadata.Service(), metadata.LookupService},
		{"client", reflect.TypeOf(fapi.Client{}), reflect.TypeOf(fapi.ClientSettings{}), metadata.Client(), metadata.LookupClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ownInType []string
			for _, name := range jsonNames(tt.typ) {
				m, ok := tt.lookup(name)
				require.True(t, ok, "%s member %s is missing from internal/metadata", tt.name, name)
				if m.Setting {
					ownInType = append(ownInType, name)
				}
			}
			var ownInList []string
			seen := map[string]bool{}
			for _, m := range tt.list {
				assert.False(t, seen[m.Name], "%s listed twice", m.Name)
				seen[m.Name] = true
				assert.NotEmpty(t, m.Ref, m.Name)
				assert.NotZero(t, m.Kind, m.Name)
				if m.Setting {
					ownInList = append(ownInList, m.Name)
				}
			}
			assert.ElementsMatch(t, ownInList, ownInType, "the settings in the list are the type's own settings")
			var settings []string
			for _, name := range jsonNames(tt.settings) {
				// expected_issuer is a check, not a Service field;
				// ClientSettings.ResponseModes is deprecated: response_modes is
				// client metadata (FAPI 2.0 Message Signing §5.3.3).
				if name != "expected_issuer" && !(tt.name == "client" && name == "response_modes") {
					settings = append(settings, name)
				}
			}
			assert.ElementsMatch(t, ownInList, settings, "the settings type carries exactly the library's own settings")
		})
	}
}

// TestMetadataLookup: names are exact, and only human-readable client
// members take a language tag (RFC 7591 §2.2).
func TestMetadataLookup(t *testing.T) {
	tests := []struct {
		name    string
		lookup  func(string) (metadata.Member, bool)
		member  string
		known   bool
		setting bool
	}{
		{"standard server member", metadata.LookupService, "claims_parameter_supported", true, false},
		{"server member of RFC 9126", metadata.LookupService, "pushed_authorization_request_endpoint", true, false},
		{"server setting", metadata.LookupService, "fapi_version", true, true},
		{"case variant", metadata.LookupService, "Issuer", false, false},
		{"server members have no language tags", metadata.LookupService, "op_policy_uri#en", false, false},
		{"client member", metadata.LookupClient, "request_uris", true, false},
		{"tagged client_name", metadata.LookupClient, "client_name#ja-Jpan-JP", true, false},
		{"tagged tos_uri", metadata.LookupClient, "tos_uri#de", true, false},
		{"empty tag", metadata.LookupClient, "client_name#", false, false},
		{"tag on a member that is not human-readable", metadata.LookupClient, "redirect_uris#en", false, false},
		{"client setting", metadata.LookupClient, "client_type", true, true},
		{"unknown", metadata.LookupClient, "x-extension", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := tt.lookup(tt.member)
			assert.Equal(t, tt.known, ok)
			assert.Equal(t, tt.setting, m.Setting)
			if ok {
				assert.Equal(t, tt.member, m.Name)
			}
		})
	}
}
