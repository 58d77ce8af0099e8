package idptest_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// legacyIdP stands for the system under test: an IdP's own, hand-written
// authorization endpoint checks. Its tests hold it to fapi's verdict.
type legacyIdP struct {
	redirectURIs map[string][]string // by client_id
}

// outcome is what the IdP answers: an OAuth error ("" when it accepts)
// and whether it sends that error to the redirect URI.
type outcome struct {
	err      string
	redirect bool
}

func (p *legacyIdP) authorize(q url.Values) outcome {
	uris, known := p.redirectURIs[q.Get("client_id")]
	if !known {
		return outcome{"invalid_client", false}
	}
	if !slices.Contains(uris, q.Get("redirect_uri")) {
		return outcome{"invalid_request", false}
	}
	if q.Get("response_type") != "code" {
		return outcome{"unauthorized_client", true}
	}
	if !slices.Contains(strings.Fields(q.Get("scope")), "openid") && q.Get("state") == "" {
		return outcome{"invalid_request", true}
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		return outcome{"invalid_request", true}
	}
	return outcome{"", false}
}

func TestIdPAgreesWithFAPI(t *testing.T) {
	svc := &fapi.Service{
		Issuer:                   "https://idp.example.com",
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-id2",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
		},
		TokenEndpointAuthMethodsSupported: []string{"private_key_jwt"},
		ResponseTypesSupported:            []string{"code"},
	}
	clientCfg := fapi.Client{
		ClientID:                "client-1",
		ClientType:              "confidential",
		RedirectURIs:            []string{"https://client.example.org/cb"},
		TokenEndpointAuthMethod: "private_key_jwt",
		ResponseTypes:           []string{"code"},
	}
	client := fapi.PrepareClient(clientCfg)
	idp := &legacyIdP{redirectURIs: map[string][]string{clientCfg.ClientID: clientCfg.RedirectURIs}}
	now := time.Date(2019, 4, 11, 9, 0, 0, 0, time.UTC)

	valid := url.Values{
		"client_id":             {"client-1"},
		"response_type":         {"code"},
		"scope":                 {"openid accounts"},
		"redirect_uri":          {"https://client.example.org/cb"},
		"state":                 {"xyz"},
		"code_challenge":        {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		"code_challenge_method": {"S256"},
	}
	with := func(name, value string) url.Values {
		q := url.Values{}
		for k, v := range valid {
			q[k] = v
		}
		if value == "" {
			q.Del(name)
		} else {
			q.Set(name, value)
		}
		return q
	}

	tests := []struct {
		name     string
		query    url.Values
		wantCode fapi.Code // "" when the request is acceptable
	}{
		{"valid", valid, ""},
		{"unregistered redirect URI", with("redirect_uri", "https://client.example.org/other"), fapi.CodeRedirectURINotRegistered},
		{"no PKCE", with("code_challenge", ""), fapi.CodePKCEChallengeMissing},
		{"plain PKCE", with("code_challenge_method", "plain"), fapi.CodePKCEMethodNotS256},
		{"no state without openid", func() url.Values { q := with("state", ""); q.Set("scope", "accounts"); return q }(), fapi.CodeStateMissing},
		{"unregistered response type", with("response_type", "token"), fapi.CodeResponseTypeUnregistered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := fapi.CheckAuthorizationRequest(svc, client, &fapi.AuthorizationRequest{Params: fapi.Params(tt.query)}, now)
			if tt.wantCode == "" {
				require.True(t, report.OK(), "fapi: %v", report.Err())
			} else {
				require.True(t, report.Has(tt.wantCode), "fapi codes: %v", report.Codes())
			}

			got := idp.authorize(tt.query)
			if report.OK() {
				assert.Empty(t, got.err, "the IdP refuses a request fapi accepts")
				return
			}
			first, _ := report.First()
			assert.Equal(t, first.Error, got.err, "the IdP answers with another OAuth error than fapi's first violation %s", first.Code)
			_, mayRedirect := report.ErrorRedirectURI()
			assert.Equal(t, mayRedirect, got.redirect, "the IdP's redirect decision differs from fapi's")
		})
	}
}
