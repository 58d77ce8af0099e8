package profile_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

func defs(t *testing.T) []scope.Definition {
	t.Helper()
	set := []scope.Definition{
		{Name: "openid"},
		{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
		{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
		{Name: "both", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}, {Key: "fapi", Value: "rw"}}},
		{Name: "sp", Attributes: []scope.Attribute{{Key: "fapi2", Value: "sp"}}},
		{Name: "msreq", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authreq"}}},
		{Name: "msres", Attributes: []scope.Attribute{{Key: "fapi2", Value: "ms-authres"}}},
		{Name: "odd", Attributes: []scope.Attribute{{Key: "fapi", Value: "x"}, {Key: "color", Value: "rw"}}},
	}
	require.NoError(t, scope.ValidateDefinitions(set))
	return set
}

func TestResolve(t *testing.T) {
	set := defs(t)
	id2 := profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, Scopes: set}
	final := profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionFinal, Scopes: set}
	tests := []struct {
		name      string
		settings  profile.Settings
		requested []string
		want      profile.Profile
		chosenBy  string
		err       error
		req, res  bool
	}{
		{"gate closed", profile.Settings{Version: profile.VersionID2, Scopes: set}, []string{"payments"}, profile.None, "service does not list fapi in supported_service_profiles", nil, false, false},
		{"no fapi scope", id2, []string{"openid"}, profile.None, "no requested scope has a FAPI attribute", nil, false, false},
		{"undefined scope carries nothing", id2, []string{"unknown"}, profile.None, "no requested scope has a FAPI attribute", nil, false, false},
		{"unknown attributes ignored", id2, []string{"odd"}, profile.None, "no requested scope has a FAPI attribute", nil, false, false},
		{"read-only", id2, []string{"openid", "accounts"}, profile.FAPI1ReadOnly, "scope accounts (fapi=r)", nil, false, false},
		{"read-write", id2, []string{"payments"}, profile.FAPI1ReadWrite, "scope payments (fapi=rw)", nil, false, false},
		{"mixed: both apply, strictest first", id2, []string{"accounts", "payments"}, profile.FAPI1ReadWrite, "scope payments (fapi=rw); also fapi1-read-only by scope accounts (fapi=r)", nil, false, false},
		{"mixed, other order", id2, []string{"payments", "accounts"}, profile.FAPI1ReadWrite, "scope payments (fapi=rw); also fapi1-read-only by scope accounts (fapi=r)", nil, false, false},
		{"one scope with both attributes", id2, []string{"both"}, profile.FAPI1ReadWrite, "scope both (fapi=rw); also fapi1-read-only by scope both (fapi=r)", nil, false, false},
		{"final read-only is baseline", final, []string{"accounts"}, profile.FAPI1Baseline, "scope accounts (fapi=r)", nil, false, false},
		{"default version is final", profile.Settings{ServiceProfiles: []string{"fapi"}, Scopes: set}, []string{"payments"}, profile.FAPI1Advanced, "scope payments (fapi=rw)", nil, false, false},
		{"fapi2 and fapi1", id2, []string{"payments", "sp"}, profile.FAPI2Security, "scope sp (fapi2=sp); also fapi1-read-write by scope payments (fapi=rw)", nil, false, false},
		{"message signing flags", id2, []string{"msreq", "msres"}, profile.FAPI2MessageSigning, "scope msreq (fapi2=ms-authreq)", nil, true, true},
		{"unknown version", profile.Settings{ServiceProfiles: []string{"fapi"}, Version: "9", Scopes: set}, []string{"accounts"}, "", "", profile.ErrInvalidSetting, false, false},
		{"service modes", profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, ServiceModes: []string{"fapi1_advanced"}, ClientModes: []string{"fapi2_security"}, Scopes: set}, nil, profile.FAPI1Advanced, "service fapi_modes fapi1_advanced", nil, false, false},
		{"client modes when the service has none", profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, ClientModes: []string{"fapi1_baseline"}, Scopes: set}, nil, profile.FAPI1Baseline, "client fapi_modes fapi1_baseline", nil, false, false},
		{"mode and scope: both apply", profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, ServiceModes: []string{"fapi1_baseline"}, Scopes: set}, []string{"payments"}, profile.FAPI1ReadWrite, "scope payments (fapi=rw); also fapi1-baseline by service fapi_modes fapi1_baseline", nil, false, false},
		{"unknown mode", profile.Settings{ServiceProfiles: []string{"fapi"}, ServiceModes: []string{"fapi9"}, Scopes: set}, nil, "", "", profile.ErrInvalidSetting, false, false},
		{"nil scope set", profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2}, []string{"payments"}, profile.None, "no requested scope has a FAPI attribute", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := profile.Resolve(tt.settings, tt.requested)
			if tt.err != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.err), "got %v", err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, d.Profile)
			assert.Equal(t, tt.chosenBy, d.ChosenBy)
			assert.Equal(t, tt.req, d.SignedRequest)
			assert.Equal(t, tt.res, d.SignedResponse)
		})
	}
}

func TestSettingError(t *testing.T) {
	_, err := profile.Resolve(profile.Settings{ServiceProfiles: []string{"fapi"}, Version: "x"}, nil)
	var se *profile.SettingError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "fapi_version", se.Setting)
	assert.Equal(t, "x", se.Value)
	assert.Contains(t, se.Error(), `"x"`)
}

func TestOffered(t *testing.T) {
	set := defs(t)
	d, err := profile.Offered(profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, Scopes: set})
	require.NoError(t, err) // the set defines FAPI 2 scopes
	assert.Equal(t, profile.FAPI2MessageSigning, d.Profile)

	only := []scope.Definition{{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}}}
	d, err = profile.Offered(profile.Settings{ServiceProfiles: []string{"fapi"}, Version: profile.VersionID2, Scopes: only})
	require.NoError(t, err)
	assert.Equal(t, profile.FAPI1ReadOnly, d.Profile)
}

func TestProfileNames(t *testing.T) {
	for _, p := range profile.All() {
		got, err := profile.Parse(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, got)
		assert.True(t, p.Valid())
	}
	_, err := profile.Parse("fapi3")
	assert.Error(t, err)
	assert.False(t, profile.Profile("x").Valid())
	assert.False(t, profile.None.IsFAPI())
	assert.True(t, profile.FAPI1ReadOnly.IsFAPI())
	assert.True(t, profile.FAPI2Security.StricterThan(profile.FAPI1Advanced))
	assert.True(t, profile.FAPI1ReadWrite.StricterThan(profile.FAPI1ReadOnly))
	assert.False(t, profile.FAPI1ReadOnly.StricterThan(profile.FAPI1ReadOnly))
}

func TestRequirements(t *testing.T) {
	ro, ok := profile.FAPI1ReadOnly.Requirements()
	require.True(t, ok)
	rw, ok := profile.FAPI1ReadWrite.Requirements()
	require.True(t, ok)

	assert.Equal(t, profile.PKCEAllClients, ro.PKCE.Value)
	assert.Equal(t, profile.PKCEPublicClients, rw.PKCE.Value, "RW 5.2.2-12 overrides Part 1")
	assert.Contains(t, ro.ClientAuthMethods.Value, "client_secret_jwt")
	assert.NotContains(t, rw.ClientAuthMethods.Value, "client_secret_jwt")
	assert.Equal(t, []string{"PS256", "ES256"}, rw.RequestObjectAlgs.Value)
	assert.NotContains(t, ro.RequestObjectAlgs.Value, "none")
	assert.NotContains(t, ro.RequestObjectAlgs.Value, "HS256")
	assert.True(t, rw.RequestObject.Applies() && rw.RequireExp.Applies() && rw.RequireAud.Applies() && rw.EssentialACR.Applies())
	assert.Equal(t, profile.OutsideMustMatch, rw.Outside.Value)
	assert.Equal(t, profile.BindingMTLS, rw.Binding.Value)
	assert.False(t, ro.RequestObject.Applies() || ro.RequireExp.Applies() || ro.EssentialACR.Applies())
	assert.Equal(t, 2048, rw.Keys.Minimums.RSA)
	assert.Equal(t, 160, rw.Keys.Minimums.EC)

	// Requirements returns a copy: changing it changes nothing.
	rw.RequestObjectAlgs.Value[0] = "none"
	again, _ := profile.FAPI1ReadWrite.Requirements()
	assert.Equal(t, "PS256", again.RequestObjectAlgs.Value[0])

	plain, ok := profile.None.Requirements()
	assert.True(t, ok, "none has the plain OAuth 2.0 rules")
	assert.Equal(t, profile.Plain(), plain)
	assert.Contains(t, plain.ClientAuthMethods.Value, "client_secret_basic")
	assert.False(t, plain.Redirect.HTTPS.Applies() || plain.RequireScope.Applies() || plain.RequestObject.Applies())
	assert.Equal(t, profile.NonceWithIDToken, plain.Nonce.Value)
	_, ok = profile.Profile("fapi9").Requirements()
	assert.False(t, ok)
	for _, p := range profile.All() {
		assert.True(t, p.Implemented(), p)
	}
}

func TestFinalAndFAPI2Requirements(t *testing.T) {
	b, _ := profile.FAPI1Baseline.Requirements()
	a, _ := profile.FAPI1Advanced.Requirements()
	sp, _ := profile.FAPI2Security.Requirements()
	ms, _ := profile.FAPI2MessageSigning.Requirements()

	assert.True(t, b.NbfWaivable && a.NbfWaivable)
	assert.False(t, sp.NbfWaivable || ms.NbfWaivable)
	assert.Equal(t, profile.PKCEAllClients, b.PKCE.Value)
	assert.Equal(t, profile.PKCEWithPAR, a.PKCE.Value, "FAPI1-ADV-5.2.2-18 replaces BASE 5.2.2-7")
	assert.Equal(t, profile.NonceWithOpenID, b.Nonce.Value)
	assert.True(t, !b.NoPublicClients.Applies())
	assert.False(t, !a.NoPublicClients.Applies() || !sp.NoPublicClients.Applies() || !ms.NoPublicClients.Applies())
	assert.Contains(t, b.ClientAuthMethods.Value, "client_secret_jwt")
	assert.NotContains(t, a.ClientAuthMethods.Value, "client_secret_jwt")

	assert.True(t, a.RequestObject.Applies() && a.RequireNbf.Applies() && a.RequireExp.Applies() && a.RequireAud.Applies() && a.ForbidSubIsClient.Applies())
	assert.Equal(t, time.Hour, a.MaxLifetime.Value)
	assert.Equal(t, time.Hour, a.MaxNbfAge.Value)
	assert.Equal(t, profile.OutsideIgnored, a.Outside.Value)
	assert.Equal(t, []string{"code id_token"}, a.ResponseTypes.Allowed)
	assert.Equal(t, []string{"code"}, a.ResponseTypes.WithJARM)
	assert.True(t, a.NoRSA15.Applies())

	assert.True(t, sp.PARRequired.Applies())
	assert.False(t, sp.RequestObject.Applies(), "request objects are optional under the Security Profile")
	assert.Equal(t, []string{"code"}, sp.ResponseTypes.Allowed)
	assert.Equal(t, profile.AudienceIssuerString, sp.AssertionAudience.Value)
	assert.Equal(t, 224, sp.Keys.Minimums.EC)
	assert.Contains(t, sp.SigningAlgs.Value, "EdDSA")
	assert.Equal(t, time.Minute, sp.CodeLifetime.Value)
	assert.Equal(t, profile.BindingMTLSOrDPoP, sp.Binding.Value)
	assert.True(t, sp.Redirect.HTTPLoopback && sp.NoPasswordGrant.Applies() && sp.Service.IssParameter.Applies())

	assert.True(t, ms.RequestObject.Applies() && ms.RequireNbf.Applies() && ms.RequireJARM.Applies() && ms.PARRequired.Applies())
}
