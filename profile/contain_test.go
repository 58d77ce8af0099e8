package profile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/profile"
)

// TestClientRulesContain: only the same profile and the read-only member of
// a family inside its read-and-write member skip the re-check; the ranking
// alone (FAPI 2.0 above Advanced) never does.
func TestClientRulesContain(t *testing.T) {
	all := []profile.Profile{profile.None, profile.FAPI1ReadOnly, profile.FAPI1ReadWrite, profile.FAPI1Baseline,
		profile.FAPI1Advanced, profile.FAPI2Security, profile.FAPI2MessageSigning}
	contained := map[[2]profile.Profile]bool{
		{profile.FAPI1ReadWrite, profile.FAPI1ReadOnly}:      true,
		{profile.FAPI1Advanced, profile.FAPI1Baseline}:       true,
		{profile.FAPI2MessageSigning, profile.FAPI2Security}: true,
	}
	for _, reg := range all {
		for _, p := range all {
			want := reg == p || contained[[2]profile.Profile{reg, p}]
			assert.Equal(t, want, profile.ClientRulesContain(reg, p), "registration %s, request %s", reg, p)
		}
	}
}
