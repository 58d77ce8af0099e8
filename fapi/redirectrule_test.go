package fapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStopsRedirect: the redirect column of the code table decides which
// violations withdraw the trust in client_id and redirect_uri.
func TestStopsRedirect(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    Violation
		want bool
	}{
		{"redirect URI not registered", Violation{Code: CodeRedirectURINotRegistered}, true},
		{"request object unverified", Violation{Code: CodeRequestObjectSignatureInvalid}, true},
		{"own input: service", Violation{Code: CodeServiceIssuerMissing}, true},
		{"own input: client", Violation{Code: CodeRegistrationClientIDMissing}, true},
		{"own input: clock", Violation{Code: CodeClockNowMissing}, true},
		{"PAR request_uri expired", Violation{Code: CodePARExpired}, true},
		{"state missing", Violation{Code: CodeStateMissing}, false},
		{"PKCE missing", Violation{Code: CodePKCEChallengeMissing}, false},
		{"duplicated client_id", Violation{Code: CodeParameterDuplicated, Field: "client_id"}, true},
		{"duplicated redirect_uri", Violation{Code: CodeParameterDuplicated, Field: "redirect_uri"}, true},
		{"duplicated scope", Violation{Code: CodeParameterDuplicated, Field: "scope"}, false},
		{"mismatched redirect_uri", Violation{Code: CodeRequestObjectParamMismatch, Field: "redirect_uri"}, true},
		{"mismatched state", Violation{Code: CodeRequestObjectParamMismatch, Field: "state"}, false},
		{"missing client_id outside", Violation{Code: CodeRequestObjectParamMissing, Field: "client_id"}, true},
		{"code the table does not list", Violation{Code: "no.such_code"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, stopsRedirect(tc.v))
			assert.Equal(t, tc.want, hasUntrustingViolation([]Violation{{Code: CodeStateMissing}, tc.v}))
		})
	}
	assert.False(t, hasUntrustingViolation(nil))
}
