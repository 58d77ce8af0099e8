package profile_test

import (
	"encoding/json"
	"github.com/fapicheck/fapicheck/clause"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/profile"
)

func must(t *testing.T, p profile.Profile) profile.Requirements {
	t.Helper()
	r, ok := p.Requirements()
	require.True(t, ok, p)
	return r
}

// TestUnionKeepsEveryRule: the union of two profiles whose rules do not
// contain each other's keeps the stricter rule of each, with the clause of
// the profile it comes from.
func TestUnionKeepsEveryRule(t *testing.T) {
	adv, sp := must(t, profile.FAPI1Advanced), must(t, profile.FAPI2Security)
	u := profile.Union(sp, adv)
	assert.Equal(t, profile.FAPI2Security, u.Profile)
	assert.Equal(t, profile.SetOf(profile.FAPI2Security, profile.FAPI1Advanced), u.Profiles)
	assert.Equal(t, "fapi2-security+fapi1-advanced", u.Label())
	assert.True(t, u.RequestObject.Applies(), "Advanced requires a request object")
	assert.Equal(t, clause.Clause("FAPI1-ADV-5.2.2-1"), u.RequestObject)
	assert.True(t, u.PARRequired.Applies(), "FAPI 2.0 requires PAR")
	assert.Equal(t, profile.BindingMTLS, u.Binding.Value, "Advanced requires MTLS binding; DPoP alone is not enough")
	assert.Equal(t, clause.Clause("FAPI1-ADV-5.2.2-5"), u.Binding.Clause)
	assert.Equal(t, []string{"PS256", "ES256"}, u.SigningAlgs.Value, "no EdDSA")
	assert.Equal(t, clause.Clause("FAPI1-ADV-8.6-1"), u.SigningAlgs.Clause)
	assert.Equal(t, []string{"PS256", "ES256"}, u.RequestObjectAlgs.Value)
	assert.Empty(t, u.ResponseTypes.Allowed, "code id_token is not FAPI 2.0's; code alone is not Advanced's")
	assert.Equal(t, []string{"code"}, u.ResponseTypes.WithJARM, "code with JARM satisfies both")
	assert.False(t, u.ResponseTypes.AnyWithJARM)
	assert.Equal(t, profile.PKCEAllClients, u.PKCE.Value)
	assert.Equal(t, 224, u.Keys.Minimums.EC)
	assert.Equal(t, clause.Clause("FAPI2-SP-5.4.1-3"), u.Keys.EC)
	assert.True(t, u.RequireExp.Applies() && u.RequireNbf.Applies() && u.RequireAud.Applies() && u.RequireClientIDClaim.Applies() && u.NoRSA15.Applies())
	assert.Equal(t, time.Hour, u.MaxLifetime.Value)
	assert.Equal(t, time.Minute, u.CodeLifetime.Value)
	assert.Equal(t, profile.AudienceIssuerString, u.AssertionAudience.Value)
	assert.False(t, u.Redirect.HTTPLoopback, "Advanced allows no http redirect")
	assert.False(t, u.NbfWaivable, "nbf_optional waives nothing FAPI 2.0 requires")
	assert.True(t, u.NoPublicClients.Applies())

	// Baseline requires PKCE of every client, Advanced only with PAR.
	b := profile.Union(adv, must(t, profile.FAPI1Baseline))
	assert.Equal(t, profile.PKCEAllClients, b.PKCE.Value)
	assert.Equal(t, clause.Clause("FAPI1-BASE-5.2.2-7"), b.PKCE.Clause)
	assert.True(t, b.NbfWaivable)
	assert.ElementsMatch(t, adv.ClientAuthMethods.Value, b.ClientAuthMethods.Value, "client_secret_jwt is Baseline's only")

	// ID2: read-write requires PKCE of public clients only, read-only of all.
	rw := profile.Union(must(t, profile.FAPI1ReadWrite), must(t, profile.FAPI1ReadOnly))
	assert.Equal(t, profile.PKCEAllClients, rw.PKCE.Value)
	assert.Equal(t, clause.Clause("FAPI-R-5.2.2-7"), rw.PKCE.Clause)
	assert.Equal(t, profile.OutsideMustMatch, rw.Outside.Value)

	// Read-write with FAPI 2.0: JARM-any of ID2 meets code-only of FAPI 2.0.
	rwsp := profile.Union(sp, must(t, profile.FAPI1ReadWrite))
	assert.Empty(t, rwsp.ResponseTypes.Allowed)
	assert.Equal(t, []string{"code"}, rwsp.ResponseTypes.WithJARM)
	assert.Equal(t, profile.OutsideMustMatch, rwsp.Outside.Value)
	assert.Equal(t, []string{"response_type", "scope"}, rwsp.OutsideRequired.Value)

	// Union of one is that one; the inputs are not modified.
	assert.Equal(t, adv, profile.Union(adv))
	before := must(t, profile.FAPI1Advanced)
	_ = profile.Union(adv, sp)
	assert.Equal(t, before, adv)
	assert.Equal(t, profile.Plain(), profile.Union())
}

// TestUnionIsNeverWeaker: for every pair of profiles, each rule of the
// union is at least as strict as the same rule of either profile.
func TestUnionIsNeverWeaker(t *testing.T) {
	var all []profile.Requirements
	for _, p := range profile.All()[1:] {
		all = append(all, must(t, p))
	}
	for _, a := range all {
		for _, b := range all {
			u := profile.Union(a, b)
			for _, r := range []profile.Requirements{a, b} {
				name := a.Label() + "+" + b.Label() + " vs " + r.Label()
				for _, m := range u.ClientAuthMethods.Value {
					assert.Contains(t, r.ClientAuthMethods.Value, m, name)
				}
				assert.True(t, !r.NoPublicClients.Applies() || u.NoPublicClients.Applies(), name)
				assert.GreaterOrEqual(t, u.Keys.Minimums.RSA, r.Keys.Minimums.RSA, name)
				assert.GreaterOrEqual(t, u.Keys.Minimums.EC, r.Keys.Minimums.EC, name)
				if r.PKCE.Value != profile.PKCENotRequired {
					assert.True(t, u.PKCE.Value == r.PKCE.Value || u.PKCE.Value == profile.PKCEAllClients, name)
				}
				for _, flag := range [][2]bool{
					{r.RequestObject.Applies(), u.RequestObject.Applies()}, {r.RequireExp.Applies(), u.RequireExp.Applies()}, {r.RequireNbf.Applies(), u.RequireNbf.Applies()},
					{r.RequireAud.Applies(), u.RequireAud.Applies()}, {r.PARRequired.Applies(), u.PARRequired.Applies()}, {r.RequireJARM.Applies(), u.RequireJARM.Applies()},
					{r.EssentialACR.Applies(), u.EssentialACR.Applies()}, {r.NoRSA15.Applies(), u.NoRSA15.Applies()}, {r.StateWithoutOpenID.Applies(), u.StateWithoutOpenID.Applies()},
					{r.ForbidSubIsClient.Applies(), u.ForbidSubIsClient.Applies()}, {r.RequireClientIDClaim.Applies(), u.RequireClientIDClaim.Applies()},
					{r.RequireScope.Applies(), u.RequireScope.Applies()}, {r.Redirect.HTTPS.Applies(), u.Redirect.HTTPS.Applies()},
					{r.NoPasswordGrant.Applies(), u.NoPasswordGrant.Applies()}, {r.Service.IssParameter.Applies(), u.Service.IssParameter.Applies()},
					{!r.Redirect.HTTPLoopback, !u.Redirect.HTTPLoopback},
				} {
					assert.True(t, !flag[0] || flag[1], name)
				}
				for _, rt := range []string{"code", "code id_token", "code id_token token", "id_token", "code token"} {
					for _, jarm := range []bool{false, true} {
						if allows(u, rt, jarm) {
							assert.True(t, allows(r, rt, jarm), "%s: %s jarm=%v", name, rt, jarm)
						}
					}
				}
				for _, alg := range []string{"PS256", "ES256", "EdDSA", "RS256"} {
					if r.SigningAlgs.Value != nil && contains(u.SigningAlgs.Value, alg) {
						assert.Contains(t, r.SigningAlgs.Value, alg, name)
					}
					if contains(u.RequestObjectAlgs.Value, alg) {
						assert.Contains(t, r.RequestObjectAlgs.Value, alg, name)
					}
				}
				// Registered response modes: no value the union accepts is
				// one r refuses, and r's restriction to JARM modes stays.
				for _, m := range u.ResponseModes.Defined.Value {
					assert.Contains(t, r.ResponseModes.Defined.Value, m, name)
				}
				if r.ResponseModes.Allowed.Applies() {
					assert.True(t, u.ResponseModes.Allowed.Applies(), name)
					for _, m := range u.ResponseModes.Allowed.Value {
						assert.Contains(t, r.ResponseModes.Allowed.Value, m, name)
					}
				}
				if r.MaxLifetime.Value > 0 {
					assert.True(t, u.MaxLifetime.Value > 0 && u.MaxLifetime.Value <= r.MaxLifetime.Value, name)
				}
				if r.CodeLifetime.Value > 0 {
					assert.True(t, u.CodeLifetime.Value > 0 && u.CodeLifetime.Value <= r.CodeLifetime.Value, name)
				}
			}
		}
	}
}

func allows(r profile.Requirements, rt string, jarm bool) bool {
	if r.ResponseTypes.Allowed == nil || contains(r.ResponseTypes.Allowed, rt) {
		return true
	}
	return jarm && (r.ResponseTypes.AnyWithJARM || contains(r.ResponseTypes.WithJARM, rt))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestDecisionRequirements(t *testing.T) {
	set := defs(t)
	final := profile.Settings{ServiceProfiles: []string{"fapi"}, Scopes: set}
	d, err := profile.Resolve(final, []string{"payments", "sp"})
	require.NoError(t, err)
	assert.Equal(t, []profile.Profile{profile.FAPI2Security, profile.FAPI1Advanced}, d.Profiles.Profiles())
	r, ok := d.Requirements()
	require.True(t, ok)
	assert.True(t, r.RequestObject.Applies() && r.PARRequired.Applies())
	assert.Equal(t, profile.BindingMTLS, r.Binding.Value)

	// Message Signing parts: without signed requests no object is required,
	// without signed responses no JARM.
	d, err = profile.Resolve(final, []string{"msres"})
	require.NoError(t, err)
	r, _ = d.Requirements()
	assert.False(t, r.RequestObject.Applies())
	assert.True(t, r.RequireJARM.Applies())
	assert.Equal(t, profile.Rule[[]string]{Value: []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}, Clause: "FAPI2-MS-5.4.1-1"},
		r.ResponseModes.Allowed, "signed responses: only JARM modes may be registered")
	assert.Equal(t, clause.Clause("FAPI2-MS-5.3.3"), r.ResponseModes.Defined.Clause)
	d, err = profile.Resolve(final, []string{"msreq"})
	require.NoError(t, err)
	r, _ = d.Requirements()
	assert.True(t, r.RequestObject.Applies() && r.RequireClientIDClaim.Applies())
	assert.False(t, r.RequireJARM.Applies())
	assert.False(t, r.ResponseModes.Allowed.Applies(), "signed requests alone restrict no response mode")
	assert.Nil(t, r.ResponseModes.Allowed.Value)
	assert.Equal(t, clause.Clause("FAPI2-MS-5.3.3"), r.ResponseModes.Defined.Clause)

	// With Advanced, the JARM-only rule and its clause stay.
	d, err = profile.Resolve(final, []string{"msres", "payments"})
	require.NoError(t, err)
	r, _ = d.Requirements()
	assert.Equal(t, clause.Clause("FAPI2-MS-5.4.1-1"), r.ResponseModes.Allowed.Clause)
	assert.Len(t, r.ResponseModes.Allowed.Value, 4)
	assert.Len(t, r.ResponseModes.Defined.Value, 7)

	d, err = profile.Resolve(final, []string{"openid"})
	require.NoError(t, err)
	r, ok = d.Requirements()
	assert.True(t, ok)
	assert.Equal(t, profile.Plain(), r)
}

func TestSet(t *testing.T) {
	s := profile.SetOf(profile.FAPI1Baseline, profile.None, profile.FAPI2MessageSigning, profile.FAPI1Baseline)
	assert.Equal(t, 2, s.Len())
	assert.True(t, s.Has(profile.FAPI1Baseline))
	assert.False(t, s.Has(profile.None))
	assert.False(t, s.Has(profile.FAPI1Advanced))
	assert.Equal(t, profile.FAPI2MessageSigning, s.Strictest())
	assert.Equal(t, "fapi2-message-signing+fapi1-baseline", s.String())
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `["fapi2-message-signing","fapi1-baseline"]`, string(b))
	var back profile.Set
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back)
	require.Error(t, json.Unmarshal([]byte(`["fapi9"]`), &back))
	b, err = json.Marshal(profile.Set(0))
	require.NoError(t, err)
	assert.Equal(t, "[]", string(b))
	assert.Equal(t, "none", profile.Set(0).String())
	assert.Equal(t, profile.None, profile.Set(0).Strictest())
	assert.Nil(t, profile.Set(0).Profiles())
}

// TestResolveScopesMalformed: a malformed value asks for every defined
// scope, never for none.
func TestResolveScopesMalformed(t *testing.T) {
	set := defs(t)
	final := profile.Settings{ServiceProfiles: []string{"fapi"}, Scopes: set}
	offered, err := profile.OfferedProfile(final)
	require.NoError(t, err)
	for _, v := range []string{"openid\vpayments", "openid\u00a0payments", "openid  payments", "openid payments\x00", "openid\tpayments"} {
		d, err := profile.ResolveScopes(final, v)
		require.NoError(t, err)
		assert.Equal(t, offered.Profiles, d.Profiles, "%q", v)
		assert.Equal(t, offered.Profile, d.Profile, "%q", v)
	}
}

// TestResourceRules: what each profile asks of a resource server, and the
// union's stricter rule (Advanced's certificate binding over FAPI 2.0's
// certificate-or-DPoP binding).
func TestResourceRules(t *testing.T) {
	tests := []struct {
		p          profile.Profile
		headerOnly clause.Clause
		binding    profile.Binding
		clause     clause.Clause
	}{
		{profile.None, "RFC6750-2.3", profile.BindingNone, ""},
		{profile.FAPI1ReadOnly, "FAPI-R-6.2.1-4", profile.BindingNone, ""},
		{profile.FAPI1ReadWrite, "FAPI-R-6.2.1-4", profile.BindingMTLS, "FAPI-RW-6.2.1-2"},
		{profile.FAPI1Baseline, "FAPI1-BASE-6.2.1-3", profile.BindingNone, ""},
		{profile.FAPI1Advanced, "FAPI1-BASE-6.2.1-3", profile.BindingMTLS, "FAPI1-ADV-6.2.1-2"},
		{profile.FAPI2Security, "FAPI2-SP-5.3.4-2", profile.BindingMTLSOrDPoP, "FAPI2-SP-5.3.4-5"},
		{profile.FAPI2MessageSigning, "FAPI2-SP-5.3.4-2", profile.BindingMTLSOrDPoP, "FAPI2-SP-5.3.4-5"},
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			r := must(t, tt.p)
			assert.Equal(t, tt.headerOnly, r.Resource.HeaderOnly)
			assert.Equal(t, tt.binding, r.Resource.Binding.Value)
			assert.Equal(t, tt.clause, r.Resource.Binding.Clause)
		})
	}
	u := profile.Union(must(t, profile.FAPI2Security), must(t, profile.FAPI1Advanced))
	assert.Equal(t, profile.BindingMTLS, u.Resource.Binding.Value, "Advanced's resources take certificate-bound tokens only")
	assert.Equal(t, clause.Clause("FAPI1-ADV-6.2.1-2"), u.Resource.Binding.Clause)
	assert.Equal(t, clause.Clause("FAPI2-SP-5.3.4-2"), u.Resource.HeaderOnly)
	b := profile.Union(must(t, profile.FAPI1Baseline), must(t, profile.FAPI2Security))
	assert.Equal(t, profile.BindingMTLSOrDPoP, b.Resource.Binding.Value, "Baseline adds no binding, FAPI 2.0 keeps its own")
}
