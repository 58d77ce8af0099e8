package fapitest_test

import (
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

const issuer = "https://as.example.com"

// flows are the flows every test runs: each FAPI profile, with mTLS- and
// DPoP-bound tokens where the profile has both.
func flows(t *testing.T) map[string]*fapitest.Flow {
	t.Helper()
	key := fapitest.Must(fapitest.NewKey("PS256"))
	tlsKey := fapitest.Must(fapitest.NewKey("ES256"))
	cert := fapitest.Must(fapitest.NewClientCertificate(tlsKey, pkix.Name{CommonName: "client.example.org"}))
	dpopKey := fapitest.Must(fapitest.NewKey("ES256"))
	mtlsClient := fapitest.Client{ID: "c1", RedirectURI: "https://client.example.org/cb", Key: key, Certificate: cert}
	dpopClient := mtlsClient
	dpopClient.Certificate, dpopClient.DPoPKey = nil, dpopKey

	out := map[string]*fapitest.Flow{}
	for _, p := range []profile.Profile{profile.FAPI1ReadOnly, profile.FAPI1ReadWrite, profile.FAPI1Baseline, profile.FAPI1Advanced, profile.FAPI2Security, profile.FAPI2MessageSigning} {
		svc, err := fapitest.NewService(p, issuer)
		require.NoError(t, err)
		out[string(p)] = &fapitest.Flow{Profile: p, Service: svc, Client: mtlsClient, Now: now}
		switch p {
		case profile.FAPI1Advanced:
			out[string(p)+"/par"] = &fapitest.Flow{Profile: p, Service: svc, Client: mtlsClient, Now: now, UsePAR: true}
		case profile.FAPI2Security, profile.FAPI2MessageSigning:
			out[string(p)+"/dpop"] = &fapitest.Flow{Profile: p, Service: svc, Client: dpopClient, Now: now}
		}
	}
	return out
}

func assertOK(t *testing.T, want profile.Profile, r fapi.Report) {
	t.Helper()
	assert.Empty(t, r.Violations)
	assert.Equal(t, want, r.Profile)
}

// Every valid request of every flow passes the library's checks under the
// flow's profile.
func TestFlowsAreAccepted(t *testing.T) {
	for name, f := range flows(t) {
		t.Run(name, func(t *testing.T) {
			assertOK(t, f.Profile, fapi.CheckService(f.Service))
			pc, err := f.PreparedClient()
			require.NoError(t, err)
			assertOK(t, f.Profile, fapi.CheckClient(f.Service, pc))

			if par, err := f.PushedAuthorization(); err == nil {
				r := fapi.CheckPushedAuthorizationRequest(f.Service, pc, par, now)
				assertOK(t, f.Profile, r.Report)
				auth, err := f.Authorization()
				require.NoError(t, err)
				assert.Equal(t, r.Parameters(), auth.Pushed.Params, "the pushed record holds what the PAR check validated")
			} else {
				assert.ErrorContains(t, err, "does not use PAR")
			}
			auth, err := f.Authorization()
			require.NoError(t, err)
			assertOK(t, f.Profile, fapi.CheckAuthorizationRequest(f.Service, pc, auth, now).Report)

			tr, err := f.Token()
			require.NoError(t, err)
			assertOK(t, f.Profile, fapi.CheckTokenRequest(f.Service, pc, tr, now).Report)
		})
	}
}

func TestFlowConfigurationErrors(t *testing.T) {
	base := flows(t)[string(profile.FAPI2Security)]
	tests := []struct {
		name    string
		change  func(f *fapitest.Flow)
		wantErr string
	}{
		{"no service", func(f *fapitest.Flow) { f.Service = nil }, "Service is nil"},
		{"no client_id", func(f *fapitest.Flow) { f.Client.ID = "" }, "Client.ID is empty"},
		{"no key", func(f *fapitest.Flow) { f.Client.Key = nil }, "Client.Key is nil"},
		{"no redirect URI", func(f *fapitest.Flow) { f.Client.RedirectURI = "" }, "RedirectURI is empty"},
		{"no time", func(f *fapitest.Flow) { f.Now = time.Time{} }, "Now is zero"},
		{"not FAPI", func(f *fapitest.Flow) { f.Profile = profile.None }, `"none" is not a FAPI profile`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := *base
			tt.change(&f)
			_, err := f.Registration()
			assert.ErrorContains(t, err, tt.wantErr)
			_, err = f.Authorization()
			assert.ErrorContains(t, err, tt.wantErr)
			_, err = f.Token()
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
	_, err := fapitest.NewService(profile.None, issuer)
	assert.Error(t, err)
	assert.Equal(t, "", fapitest.ProfileScope(profile.None))
}

// check runs the variant's request through the check of its step.
func check(t *testing.T, f *fapitest.Flow, v fapitest.Variant) fapi.Report {
	t.Helper()
	pc, err := f.PreparedClient()
	require.NoError(t, err)
	switch v.Step {
	case fapitest.StepPushed:
		require.NotNil(t, v.Pushed)
		return fapi.CheckPushedAuthorizationRequest(f.Service, pc, v.Pushed, now).Report
	case fapitest.StepAuthorization:
		require.NotNil(t, v.Authorization)
		return fapi.CheckAuthorizationRequest(f.Service, pc, v.Authorization, now).Report
	case fapitest.StepToken:
		require.NotNil(t, v.Token)
		return fapi.CheckTokenRequest(f.Service, pc, v.Token, now).Report
	}
	t.Fatalf("unknown step %q", v.Step)
	return fapi.Report{}
}

// Every broken variant is refused with the code it declares, citing the
// clause it declares.
func TestVariantsAreRefused(t *testing.T) {
	for name, f := range flows(t) {
		vs, err := f.Variants()
		require.NoError(t, err)
		require.NotEmpty(t, vs)
		seen := map[string]bool{}
		for _, v := range vs {
			t.Run(name+"/"+v.Name, func(t *testing.T) {
				assert.False(t, seen[v.Name], "variant names are unique")
				seen[v.Name] = true
				set := 0
				for _, r := range []bool{v.Pushed != nil, v.Authorization != nil, v.Token != nil} {
					if r {
						set++
					}
				}
				assert.Equal(t, 1, set, "exactly one request is set")
				r := check(t, f, v)
				require.True(t, r.Has(v.Want), "want %s, got %v", v.Want, r.Violations)
				for _, viol := range r.Violations {
					if viol.Code == v.Want {
						assert.Equal(t, v.Clause, viol.Ref, "the clause the variant breaks")
					}
				}
			})
		}
	}
}

// Every clause a variant names is well-formed (docs/DESIGN.md §2).
func TestVariantClausesParse(t *testing.T) {
	for name, f := range flows(t) {
		for _, v := range fapitest.Must(f.Variants()) {
			_, _, _, ok := v.Clause.Parse()
			assert.True(t, ok, "%s/%s: %q", name, v.Name, v.Clause)
		}
	}
}
