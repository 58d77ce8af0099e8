package fapi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// msSigningService is fapi2Service with the Message Signing scopes: msreq for
// signed requests, msres for signed responses.
func msSigningService() *fapi.Service {
	svc := fapi2Service()
	svc.Scopes = append(svc.Scopes,
		scope.Definition{Name: "msreq", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authreq"}}},
		scope.Definition{Name: "msres", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authres"}}})
	svc.RequireSignedRequestObject = true
	return svc
}

// found is one violation as the response_modes tests compare it.
type found struct {
	Code  fapi.Code
	Field string
	Ref   clause.Clause
}

func foundIn(vs []fapi.Violation) []found {
	var out []found
	for _, v := range vs {
		out = append(out, found{v.Code, v.Field, v.Ref})
	}
	return out
}

// TestClientResponseModes: a registered response_modes (FAPI2-MS-5.3.3)
// lists defined response modes, each once; where every response must be
// signed (FAPI2-MS-5.4.1-1) only JARM modes, and one at least. What the
// registration could use to get around the rule — another letter case,
// whitespace, an empty list or string, a repeat, a client without a scope,
// signed requests alone — is refused, or, where it changes nothing, accepted.
func TestClientResponseModes(t *testing.T) {
	const (
		invalid    = fapi.CodeClientResponseModesInvalid
		notAllowed = fapi.CodeClientResponseModeNotAllowed
		ms53       = clause.Clause("FAPI2-MS-5.3.3")
		ms541      = clause.Clause("FAPI2-MS-5.4.1-1")
		rt         = clause.Clause("OAuth2-RT-2.1")
	)
	tests := []struct {
		name  string
		scope string // the client's registered scope
		modes []string
		want  []found
	}{
		{"signed responses, absent: any the service supports, each request holds to jwt", "openid msreq msres", nil, nil},
		{"signed responses, jwt", "openid msreq msres", []string{"jwt"}, nil},
		{"signed responses, every JARM mode", "openid msreq msres", []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}, nil},
		{"signed responses, jwt and query", "openid msreq msres", []string{"jwt", "query"},
			[]found{{notAllowed, "response_modes[1]", ms541}}},
		{"signed responses, query alone", "openid msres", []string{"query"},
			[]found{{notAllowed, "response_modes[0]", ms541}}},
		{"signed responses, form_post and fragment", "openid msres", []string{"form_post", "fragment"},
			[]found{{notAllowed, "response_modes[0]", ms541}, {notAllowed, "response_modes[1]", ms541}}},
		{"signed responses, empty list", "openid msreq msres", []string{},
			[]found{{invalid, "response_modes", ms53}, {notAllowed, "response_modes", ms541}}},
		{"signed responses, JWT in capitals", "openid msreq msres", []string{"JWT"},
			[]found{{invalid, "response_modes[0]", ms53}, {notAllowed, "response_modes", ms541}}},
		{"signed responses, jwt with a space", "openid msreq msres", []string{" jwt"},
			[]found{{invalid, "response_modes[0]", ms53}, {notAllowed, "response_modes", ms541}}},
		{"signed responses, jwt twice", "openid msreq msres", []string{"jwt", "jwt"},
			[]found{{invalid, "response_modes[1]", ms53}}},
		{"signed responses, an empty string", "openid msreq msres", []string{"jwt", ""},
			[]found{{invalid, "response_modes[1]", ms53}}},
		{"signed responses, more values than there are modes", "openid msreq msres", strings.Split(strings.Repeat("jwt,", 17)+"query", ","),
			[]found{{invalid, "response_modes", ms53}}},
		{"no registered scope: held to every offered profile, signed responses too", "", []string{"query"},
			[]found{{notAllowed, "response_modes[0]", ms541}}},
		{"signed requests alone restrict no mode", "openid msreq", []string{"query", "jwt"}, nil},
		{"signed requests alone, a repeat", "openid msreq", []string{"query", "query"},
			[]found{{invalid, "response_modes[1]", ms53}}},
		{"FAPI 2.0, every defined mode", "openid sp", []string{"query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}, nil},
		{"FAPI 2.0, an unknown mode", "openid sp", []string{"query", "web_message"},
			[]found{{invalid, "response_modes[1]", rt}}},
		{"no FAPI profile, an unknown mode", "openid", []string{"query.JWT"},
			[]found{{invalid, "response_modes[0]", rt}}},
		{"no FAPI profile, empty list", "openid", []string{},
			[]found{{invalid, "response_modes", rt}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fapi2Client()
			c.AuthorizationSignedResponseAlg = "PS256"
			c.Scope = tt.scope
			c.ResponseModes = tt.modes
			rep := fapi.CheckClient(msSigningService(), fapi.PrepareClient(c))
			assert.Equal(t, tt.want, foundIn(rep.Violations))
			for _, v := range rep.Violations {
				assert.Equal(t, fapi.OAuthInvalidClientMetadata, v.Error, v.Code)
				assert.False(t, strings.Contains(v.Message, "%!"), v.Message)
			}
		})
	}
}

// TestRequestRechecksResponseModes: a client checked at registration under
// the Security Profile alone that asks for signed responses is held to the
// JARM-only rule at the request, and a registered empty list allows no
// requested mode.
func TestRequestRechecksResponseModes(t *testing.T) {
	svc := msSigningService()
	svc.RequireSignedRequestObject = false // no request object needed at PAR
	c := fapi2Client()
	c.AuthorizationSignedResponseAlg = "PS256"
	c.ResponseModes = []string{"query", "jwt"}
	pc := fapi.PrepareClient(c)
	require.Empty(t, fapi.CheckClient(svc, pc).Violations, "registered for openid sp: query is fine")

	p := fapi2Params("openid msres")
	p["response_mode"] = []string{"jwt"}
	rep := par(t, svc, pc, p)
	assert.Equal(t, []fapi.Code{fapi.CodeClientResponseModeNotAllowed}, codes(rep.Report))

	c.ResponseModes = []string{}
	p = fapi2Params("openid sp")
	p["response_mode"] = []string{"query"}
	rep = par(t, svc, fapi.PrepareClient(c), p)
	assert.Equal(t, []fapi.Code{fapi.CodeResponseModeUnregistered}, codes(rep.Report))
}
