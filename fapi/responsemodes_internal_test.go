package fapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/profile"
)

// TestJARMModesAgree: the JARM modes a request may use (isJARMMode) are
// those Message Signing lets a client register with signed responses
// (profile.Requirements.ResponseModes.Allowed), so the library's two lists
// cannot drift apart.
func TestJARMModesAgree(t *testing.T) {
	d := profile.Decision{Profile: profile.FAPI2MessageSigning, Profiles: profile.SetOf(profile.FAPI2MessageSigning), SignedResponse: true}
	r, ok := d.Requirements()
	require.True(t, ok)
	assert.ElementsMatch(t, jarmModes, r.ResponseModes.Allowed.Value)
	for _, m := range r.ResponseModes.Allowed.Value {
		assert.True(t, isJARMMode(m), m)
	}
}
