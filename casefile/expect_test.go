package casefile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

func TestExpectationMismatches(t *testing.T) {
	v := func(codes ...fapi.Code) []fapi.Violation {
		out := make([]fapi.Violation, len(codes))
		for i, c := range codes {
			out[i] = fapi.Violation{Code: c}
		}
		return out
	}
	refused := fapi.Report{
		Profile:    profile.FAPI1Advanced,
		Profiles:   profile.SetOf(profile.FAPI1Advanced, profile.FAPI2Security),
		Violations: v("pkce.challenge_missing", "nonce.missing"),
		Waived:     v("request_object.nbf_missing"),
		Ignored:    []string{"scope"},
	}
	accepted := fapi.Report{Profile: profile.None}
	tests := []struct {
		name   string
		expect *casefile.Expectation
		rep    fapi.Report
		want   []string
	}{
		{"accepted as expected", &casefile.Expectation{Profile: "none", Violations: []string{}}, accepted, nil},
		{"absent violations expect none", &casefile.Expectation{Profile: "none"}, accepted, nil},
		{"refused as expected", &casefile.Expectation{Profile: "fapi1-advanced", Violations: []string{"pkce.challenge_missing", "nonce.missing"}}, refused, nil},
		{"all members as expected", &casefile.Expectation{
			Profile: "fapi1-advanced", Profiles: []string{"fapi2-security", "fapi1-advanced"},
			Violations: []string{"pkce.challenge_missing", "nonce.missing"},
			Waived:     []string{"request_object.nbf_missing"}, Ignored: []string{"scope"},
		}, refused, nil},
		{"refused, expected accepted", &casefile.Expectation{Profile: "fapi1-advanced"}, refused,
			[]string{"violations [pkce.challenge_missing nonce.missing], expected none"}},
		{"accepted, expected refused", &casefile.Expectation{Profile: "none", Violations: []string{"pkce.challenge_missing"}}, accepted,
			[]string{"violations none, expected pkce.challenge_missing"}},
		{"order counts", &casefile.Expectation{Profile: "fapi1-advanced", Violations: []string{"nonce.missing", "pkce.challenge_missing"}}, refused,
			[]string{"violations [pkce.challenge_missing nonce.missing], expected [nonce.missing pkce.challenge_missing]"}},
		{"a subset is not enough", &casefile.Expectation{Profile: "fapi1-advanced", Violations: []string{"pkce.challenge_missing"}}, refused,
			[]string{"violations [pkce.challenge_missing nonce.missing], expected pkce.challenge_missing"}},
		{"profile", &casefile.Expectation{Profile: "fapi1-read-write", Violations: []string{"pkce.challenge_missing", "nonce.missing"}}, refused,
			[]string{"profile fapi1-advanced, expected fapi1-read-write"}},
		{"absent profile never matches", &casefile.Expectation{}, accepted, []string{`profile none, expected ""`}},
		{"profiles", &casefile.Expectation{Profile: "fapi1-advanced", Profiles: []string{"fapi1-advanced"}, Violations: []string{"pkce.challenge_missing", "nonce.missing"}}, refused,
			[]string{"profiles [fapi2-security fapi1-advanced], expected fapi1-advanced"}},
		{"waived", &casefile.Expectation{Profile: "none", Waived: []string{"request_object.nbf_missing"}}, accepted,
			[]string{"waived none, expected request_object.nbf_missing"}},
		{"ignored", &casefile.Expectation{Profile: "fapi1-advanced", Violations: []string{"pkce.challenge_missing", "nonce.missing"}, Ignored: []string{}}, refused,
			[]string{"ignored scope, expected none"}},
		{"several", &casefile.Expectation{Profile: "fapi2-security", Violations: []string{"nonce.missing"}}, refused,
			[]string{"profile fapi1-advanced, expected fapi2-security", "violations [pkce.challenge_missing nonce.missing], expected nonce.missing"}},
		{"no expectation never matches", nil, accepted, []string{"no expect member"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range tt.expect.Mismatches(tt.rep) {
				got = append(got, m.String())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
