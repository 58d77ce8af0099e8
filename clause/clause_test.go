package clause

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in                    Clause
		prefix, section, item string
		url                   string
		ok                    bool
	}{
		{"FAPI-RW-5.2.2-13", "FAPI-RW", "5.2.2", "13", "https://openid.net/specs/openid-financial-api-part-2-ID2.html#rfc.section.5.2.2", true},
		{"FAPI-R-5.2.2-4", "FAPI-R", "5.2.2", "4", "https://openid.net/specs/openid-financial-api-part-1-ID2.html#rfc.section.5.2.2", true},
		{"FAPI1-ADV-5.2.2.2", "FAPI1-ADV", "5.2.2.2", "", "https://openid.net/specs/openid-financial-api-part-2-1_0.html#section-5.2.2.2", true},
		{"FAPI2-SP-5.3.2.1-13", "FAPI2-SP", "5.3.2.1", "13", "https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2.1", true},
		{"RFC6749-3.1.2.3", "RFC6749", "3.1.2.3", "", "https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3", true},
		{"RFC6749-A.5", "RFC6749", "A.5", "", "https://www.rfc-editor.org/rfc/rfc6749#appendix-A.5", true},
		{"JAR-10.8", "JAR", "10.8", "", "https://www.rfc-editor.org/rfc/rfc9101#section-10.8", true},
		{"OIDCC-6.1", "OIDCC", "6.1", "", "https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.6.1", true},
		{"", "", "", "", "", false},
		{"FAPI", "", "", "", "", false},
		{"RFC-3.3", "", "", "", "", false},
		{"FAPI-RW-", "", "", "", "", false},
		{"FAPI-RW-5..2", "", "", "", "", false},
		{"FAPI-RW-5.2.2-1-2", "", "", "", "", false},
		{"FAPI-RW-5.2.2-x", "", "", "", "", false},
		{"XYZ-1.2", "", "", "", "", false},
		{"DESIGN-3", "", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.in), func(t *testing.T) {
			sp, section, item, ok := tt.in.Parse()
			require.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.prefix, sp.Prefix)
			assert.Equal(t, tt.section, section)
			assert.Equal(t, tt.item, item)
			assert.Equal(t, tt.url, tt.in.URL())
			assert.Equal(t, tt.prefix, tt.in.Prefix())
		})
	}
}

func TestApplies(t *testing.T) {
	var zero Clause
	assert.False(t, zero.Applies())
	assert.False(t, None.Applies())
	assert.True(t, Clause("FAPI2-SP-5.4.1-1").Applies())
}

func TestSpecsAreCopies(t *testing.T) {
	s := Specs()
	require.NotEmpty(t, s)
	s[0].URL = "changed"
	assert.NotEqual(t, "changed", Specs()[0].URL)
	for _, sp := range Specs() {
		assert.NotEmpty(t, sp.Title, sp.Prefix)
		assert.Regexp(t, `^https://`, sp.URL, sp.Prefix)
	}
}

// TestREADMELegend: the README's table of clause prefixes links every
// document of the legend.
func TestREADMELegend(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, sp := range Specs() {
		if sp.Prefix == "RFC" {
			continue
		}
		assert.Contains(t, string(data), "| `"+sp.Prefix+"` | ["+"", sp.Prefix)
		assert.Contains(t, string(data), "("+sp.URL+")", sp.Prefix)
	}
}
