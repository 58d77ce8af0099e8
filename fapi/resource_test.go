package fapi_test

import (
	"context"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

const (
	rsURL       = "https://rs.example.com/accounts"
	accessToken = "at-1.Zm9v_YmFy~+/=="
)

var (
	otherDPoPKey = fixtures.EC(elliptic.P256(), "", "ES256")
	otherTLSKey  = fixtures.EC(elliptic.P256(), "tls-2", "ES256").WithCert(pkix.Name{CommonName: "other.example.org"})
)

func ath(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// resourceProof is a DPoP proof of key for a request to a resource;
// claims replace or (nil) remove the defaults.
func resourceProof(key fixtures.Key, claims map[string]any) string {
	c := map[string]any{"jti": "rs-jti-1", "htm": "GET", "htu": rsURL, "iat": now.Unix(), "ath": ath(accessToken)}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return fixtures.Sign(key, "ES256", c, map[string]any{"typ": "dpop+jwt", "jwk": key.Public()})
}

// resourceService is the FAPI 2.0 service with a FAPI 1.0 Advanced scope
// beside it would be a mixed service; it is FAPI 2.0 only, with a plain
// "profile" scope.
func resourceService() *fapi.Service {
	svc := fapi2Service()
	svc.Scopes = append(svc.Scopes, scope.Definition{Name: "profile"})
	return svc
}

// dpopResource is a valid request with a DPoP-bound FAPI 2.0 token.
func dpopResource() *fapi.ResourceRequest {
	return &fapi.ResourceRequest{
		Method:        "GET",
		URL:           rsURL,
		Authorization: []string{"DPoP " + accessToken},
		DPoP:          []string{resourceProof(dpopKey, nil)},
		Token:         &fapi.AccessTokenRecord{TokenType: "DPoP", Scope: "openid sp", DPoPJKT: fixtures.Thumbprint(dpopKey)},
	}
}

// mtlsResource is a valid request with a certificate-bound token for
// scope.
func mtlsResource(scope string) *fapi.ResourceRequest {
	return &fapi.ResourceRequest{
		Method:            "GET",
		URL:               rsURL,
		Authorization:     []string{"Bearer " + accessToken},
		ClientCertificate: tlsKey.Cert,
		Token:             &fapi.AccessTokenRecord{TokenType: "Bearer", Scope: scope, CertificateThumbprint: mtls.Thumbprint(tlsKey.Cert)},
	}
}

// plainResource is a bearer token for a scope no profile attributes.
func plainResource() *fapi.ResourceRequest {
	return &fapi.ResourceRequest{
		Method:        "GET",
		URL:           rsURL,
		Authorization: []string{"Bearer " + accessToken},
		Token:         &fapi.AccessTokenRecord{TokenType: "Bearer", Scope: "profile"},
	}
}

func TestResourceRequest(t *testing.T) {
	const (
		dpopAlgs  = `algs="ES256 PS256"`
		dpopToken = `DPoP error="invalid_token", ` + dpopAlgs
	)
	tests := []struct {
		name      string
		svc       *fapi.Service
		req       func() *fapi.ResourceRequest
		profile   profile.Profile
		codes     []fapi.Code
		status    int
		challenge string
	}{
		// --- accepted ------------------------------------------------
		{"FAPI 2.0 DPoP-bound token with its proof", nil, dpopResource, profile.FAPI2Security, nil, 0, ""},
		{"FAPI 2.0 certificate-bound token", nil, func() *fapi.ResourceRequest { return mtlsResource("openid sp") }, profile.FAPI2Security, nil, 0, ""},
		{"FAPI 1.0 Advanced certificate-bound token", finalService(), func() *fapi.ResourceRequest { return mtlsResource("openid payments") }, profile.FAPI1Advanced, nil, 0, ""},
		{"FAPI 1.0 Baseline bearer token", finalService(), func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token.Scope = "openid accounts"
			return r
		}, profile.FAPI1Baseline, nil, 0, ""},
		{"plain bearer token under profile none", nil, plainResource, profile.None, nil, 0, ""},
		{"scheme names in any letter case", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Authorization = []string{"dpop  " + accessToken + " "}
			return r
		}, profile.FAPI2Security, nil, 0, ""},
		{"lower-case bearer", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.Authorization = []string{"BEARER " + accessToken}
			return r
		}, profile.FAPI2Security, nil, 0, ""},
		{"token type unknown, binding from cnf.jkt", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.TokenType = ""
			return r
		}, profile.FAPI2Security, nil, 0, ""},
		{"htu with a query and a fragment", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.URL = rsURL + "?page=2"
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"htu": rsURL + "?x=1#f"})}
			return r
		}, profile.FAPI2Security, nil, 0, ""},
		{"required scope granted", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.RequiredScope = "sp"
			return r
		}, profile.FAPI2Security, nil, 0, ""},

		// --- the Authorization header --------------------------------
		{"no Authorization header", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Authorization = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceCredentialsMissing}, 401, "DPoP " + dpopAlgs + ", Bearer"},
		{"an empty Authorization header", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{" "}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceCredentialsMissing}, 401, "DPoP " + dpopAlgs + ", Bearer"},
		{"no credentials at an MTLS-only profile", finalService(), func() *fapi.ResourceRequest {
			r := mtlsResource("openid payments")
			r.Authorization = nil
			return r
		}, profile.FAPI1Advanced, []fapi.Code{fapi.CodeResourceCredentialsMissing}, 401, "Bearer"},
		{"two Authorization headers", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.Authorization = []string{"Bearer " + accessToken, "Bearer " + accessToken}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceAuthorizationDuplicated}, 400, `Bearer error="invalid_request"`},
		{"Basic scheme", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{"Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW"}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceSchemeUnsupported}, 401, "DPoP " + dpopAlgs + ", Bearer"},
		{"scheme without a token", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{"Bearer"}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceAuthorizationMalformed}, 400, `Bearer error="invalid_request"`},
		{"tab between scheme and token", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{"Bearer\t" + accessToken}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceAuthorizationMalformed}, 400, `Bearer error="invalid_request"`},
		{"two tokens in one value", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{"Bearer a, Bearer b"}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceAuthorizationMalformed}, 400, `Bearer error="invalid_request"`},
		{"= inside the token", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Authorization = []string{"DPoP ab=cd"}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceAuthorizationMalformed}, 400, `DPoP error="invalid_request", ` + dpopAlgs},
		{"Authorization header over the size limit", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Authorization = []string{"Bearer " + strings.Repeat("a", fapi.MaxAuthorizationSize)}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceAuthorizationMalformed}, 400, `Bearer error="invalid_request"`},
		{"access_token in the query", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.URL = rsURL + "?a=1;access%5Ftoken=" + accessToken
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceTokenInQuery}, 400, `Bearer error="invalid_request"`},
		{"access_token in the query only", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.URL = rsURL + "?access_token=" + accessToken
			r.Authorization = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceTokenInQuery, fapi.CodeResourceCredentialsMissing}, 400, `Bearer error="invalid_request"`},

		// --- the token's record ----------------------------------------
		{"no record of the token", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceTokenRecordMissing}, 401, `Bearer error="invalid_token"`},
		{"DPoP token without cnf.jkt", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.DPoPJKT = ""
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceTokenRecordInvalid}, 401, dpopToken},
		{"Bearer token with cnf.jkt", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.TokenType = "bearer"
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceTokenRecordInvalid}, 401, dpopToken},
		{"unknown token type", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token.TokenType = "mac"
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceTokenRecordInvalid}, 401, `Bearer error="invalid_token"`},
		{"malformed scope in the record: every offered profile", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token.Scope = "profile\tsp"
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeScopeMalformed, fapi.CodeResourceBindingMissing}, 401, `Bearer error="invalid_token"`},
		{"no scope in the record: every offered profile", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token.Scope = ""
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceBindingMissing}, 401, `Bearer error="invalid_token"`},

		// --- downgrades and the DPoP binding ---------------------------
		{"DPoP-bound FAPI token sent as Bearer without a proof", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Authorization = []string{"Bearer " + accessToken}
			r.DPoP = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceDPoPSchemeRequired}, 401, dpopToken},
		{"DPoP-bound plain token sent as Bearer", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.Scope = "profile"
			r.Authorization = []string{"Bearer " + accessToken}
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceDPoPSchemeRequired}, 401, dpopToken},
		{"FAPI token without any binding", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.Token.Scope = "openid sp"
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceBindingMissing}, 401, `Bearer error="invalid_token"`},
		{"Advanced token bound to a DPoP key only", finalService(), func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.Scope = "openid payments"
			return r
		}, profile.FAPI1Advanced, []fapi.Code{fapi.CodeResourceBindingMissing}, 401, `DPoP error="invalid_token", algs="PS256 ES256"`},
		{"DPoP scheme with a token not bound to a key", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.Authorization = []string{"DPoP " + accessToken}
			r.DPoP = []string{resourceProof(dpopKey, nil)}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceTokenNotDPoPBound}, 401, dpopToken},
		{"proof of another key", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(otherDPoPKey, nil)}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceDPoPKeyMismatch}, 401, dpopToken},
		{"proof without ath", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"ath": nil})}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPATHMismatch}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"proof with the ath of another token", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"ath": ath("another-token")})}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPATHMismatch}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"proof for another URL", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"htu": "https://rs.example.com/payments"})}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPHTUMismatch}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"proof for another method", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"htm": "POST"})}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPHTMMismatch}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"no request method", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Method = ""
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPHTMMismatch}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"no proof", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPMissing}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"two proofs", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = append(r.DPoP, r.DPoP[0])
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPMalformed}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},
		{"proof an hour old", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"iat": now.Add(-time.Hour).Unix()})}
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeDPoPIATTooOld}, 401, `DPoP error="invalid_dpop_proof", ` + dpopAlgs},

		// --- the certificate binding -------------------------------------
		{"certificate-bound token without a certificate", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.ClientCertificate = nil
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceCertificateMissing}, 401, `Bearer error="invalid_token"`},
		{"another client's certificate", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.ClientCertificate = otherTLSKey.Cert
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceCertificateMismatch}, 401, `Bearer error="invalid_token"`},
		{"plain certificate-bound token: the binding still holds", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("profile")
			r.ClientCertificate = otherTLSKey.Cert
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceCertificateMismatch}, 401, `Bearer error="invalid_token"`},
		{"token bound to a certificate and a key, certificate missing", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.Token.CertificateThumbprint = mtls.Thumbprint(tlsKey.Cert)
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceCertificateMissing}, 401, dpopToken},

		// --- scope -----------------------------------------------------
		{"insufficient scope", nil, func() *fapi.ResourceRequest {
			r := mtlsResource("openid sp")
			r.RequiredScope = "sp accounts"
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceInsufficientScope}, 403, `Bearer error="insufficient_scope", scope="sp accounts"`},
		{"insufficient scope, DPoP", nil, func() *fapi.ResourceRequest {
			r := dpopResource()
			r.RequiredScope = "accounts"
			return r
		}, profile.FAPI2Security, []fapi.Code{fapi.CodeResourceInsufficientScope}, 403, `DPoP error="insufficient_scope", scope="accounts", ` + dpopAlgs},
		{"insufficient scope with a malformed required scope: no scope attribute", nil, func() *fapi.ResourceRequest {
			r := plainResource()
			r.RequiredScope = `a"b`
			return r
		}, profile.None, []fapi.Code{fapi.CodeResourceInsufficientScope}, 403, `Bearer error="insufficient_scope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := tt.svc
			if svc == nil {
				svc = resourceService()
			}
			res := fapi.CheckResourceRequest(svc, tt.req(), now)
			want := tt.codes
			if want == nil {
				want = []fapi.Code{}
			}
			assert.Equal(t, want, codes(res.Report), "%v", res.Violations)
			assert.Equal(t, tt.profile, res.Profile, res.ChosenBy)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.challenge, res.Challenge)
			for _, v := range res.Violations {
				assert.Contains(t, []string{"invalid_request", "invalid_token", "insufficient_scope", "invalid_dpop_proof"}, v.Error, v.Code)
				assert.NotContains(t, v.Message, accessToken, "a message never quotes the access token")
				info, ok := v.Code.Info()
				require.True(t, ok)
				assert.Contains(t, info.Refs, v.Ref, v.Code)
				assert.True(t, profile.ClauseFits(v.Ref, res.Profiles), "%s cites %s under %s", v.Code, v.Ref, res.Profiles)
			}
			if len(want) == 0 {
				assert.Equal(t, tt.req().Token.DPoPJKT != "", res.DPoPProof != nil, "the proof comes with a DPoP-bound token")
			}
		})
	}
}

// TestResourceProofOnResult: the verified proof is on the result, for the
// caller's nonce and replay records.
func TestResourceProofOnResult(t *testing.T) {
	res := fapi.CheckResourceRequest(resourceService(), dpopResource(), now)
	require.True(t, res.OK(), "%v", res.Violations)
	require.NotNil(t, res.DPoPProof)
	assert.Equal(t, fixtures.Thumbprint(dpopKey), res.DPoPProof.JKT)
	assert.Equal(t, "rs-jti-1", res.DPoPProof.JTI)
	assert.False(t, res.DPoPProof.ReplayChecked, "no replay cache: the caller records the proof")

	bad := dpopResource()
	bad.DPoP = []string{resourceProof(otherDPoPKey, nil)}
	assert.Nil(t, fapi.CheckResourceRequest(resourceService(), bad, now).DPoPProof, "a proof of another key is not the token's")
}

// TestResourceFailsClosed: a zero time, a refused configuration and a nil
// request are refused; a nil service is an empty one, never a panic.
func TestResourceFailsClosed(t *testing.T) {
	res := fapi.CheckResourceRequest(resourceService(), dpopResource(), time.Time{})
	assert.Equal(t, []fapi.Code{fapi.CodeClockNowMissing}, codes(res.Report))
	assert.Equal(t, 500, res.Status)
	assert.Empty(t, res.Challenge)

	svc := resourceService()
	svc.ClockSkew = 3600
	res = fapi.CheckResourceRequest(svc, dpopResource(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeServiceClockSkewInvalid}, codes(res.Report))
	assert.Equal(t, 500, res.Status)

	res = fapi.CheckResourceRequest(resourceService(), nil, now)
	assert.Equal(t, []fapi.Code{fapi.CodeResourceCredentialsMissing}, codes(res.Report))
	assert.Equal(t, 401, res.Status)

	// A nil service is an empty one: FAPI off, the plain rules, the
	// token's own binding still enforced.
	res = fapi.CheckResourceRequest(nil, plainResource(), now)
	assert.Equal(t, profile.None, res.Profile)
	assert.True(t, res.OK(), "%v", res.Violations)
	unbound := mtlsResource("openid sp")
	unbound.ClientCertificate = nil
	assert.Equal(t, []fapi.Code{fapi.CodeResourceCertificateMissing}, codes(fapi.CheckResourceRequest(nil, unbound, now).Report))
}

// TestResourceReplayCache: with the Checker's replay cache a proof is
// accepted once.
func TestResourceReplayCache(t *testing.T) {
	ck, _ := fapi.NewChecker(*resourceService(), fapi.WithReplayCache(&memoryCache{seen: map[string]time.Time{}}))
	first := ck.Resource(context.Background(), dpopResource(), now)
	require.True(t, first.OK(), "%v", first.Violations)
	assert.True(t, first.DPoPProof.ReplayChecked)
	assert.Empty(t, first.OneTimeUses, "the replay cache recorded the proof")
	again := ck.Resource(context.Background(), dpopResource(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPReplayed}, codes(again.Report))
	assert.Equal(t, `DPoP error="invalid_dpop_proof", algs="ES256 PS256"`, again.Challenge)
}

// TestResourceStore: with a one-time-use store the proof is recorded once
// and a replay refused; without one the result lists the use for the
// caller; a store that cannot answer refuses with a 500.
func TestResourceStore(t *testing.T) {
	ck, _ := fapi.NewChecker(*resourceService(), fapi.WithStore(onetime.NewMemory(16)))
	first := ck.Resource(context.Background(), dpopResource(), now)
	require.True(t, first.OK(), "%v", first.Violations)
	assert.Empty(t, first.OneTimeUses, "the store recorded the proof")
	again := ck.Resource(context.Background(), dpopResource(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeDPoPReplayed}, codes(again.Report))
	assert.Equal(t, 401, again.Status)
	assert.Nil(t, again.DPoPProof, "a refused request has no proof to act on")

	bearer := ck.Resource(context.Background(), mtlsResource("openid sp"), now)
	assert.True(t, bearer.OK(), "a certificate-bound token has no one-time use")

	plain := fapi.CheckResourceRequest(resourceService(), dpopResource(), now)
	require.True(t, plain.OK())
	require.Len(t, plain.OneTimeUses, 1, "without a store the caller records the proof")
	assert.Equal(t, plain.DPoPProof.ReplayUntil, plain.OneTimeUses[0].Until)

	down, _ := fapi.NewChecker(*resourceService(), fapi.WithStore(unavailableStore{}))
	res := down.Resource(context.Background(), dpopResource(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(res.Report))
	assert.Equal(t, 500, res.Status)
	assert.Empty(t, res.Challenge)
}

// TestResourceResultJSON: the result's own members survive encoding, as
// the other endpoints' results' do, and empty ones are left out.
func TestResourceResultJSON(t *testing.T) {
	downgrade := dpopResource()
	downgrade.Authorization = []string{"Bearer " + accessToken}
	tests := []struct {
		name   string
		res    fapi.ResourceResult
		want   map[string]any
		absent []string
	}{
		{"accepted DPoP request", fapi.CheckResourceRequest(resourceService(), dpopResource(), now),
			map[string]any{"dpop_jkt": fixtures.Thumbprint(dpopKey), "profile": "fapi2-security"}, []string{"status", "challenge"}},
		{"downgrade", fapi.CheckResourceRequest(resourceService(), downgrade, now),
			map[string]any{"status": float64(401), "challenge": `DPoP error="invalid_token", algs="ES256 PS256"`}, []string{"dpop_jkt", "one_time_uses"}},
		{"server at fault", fapi.CheckResourceRequest(resourceService(), plainResource(), time.Time{}),
			map[string]any{"status": float64(500)}, []string{"challenge"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.res)
			require.NoError(t, err)
			var got map[string]any
			require.NoError(t, json.Unmarshal(data, &got))
			for k, v := range tt.want {
				assert.Equal(t, v, got[k], k)
			}
			for _, k := range tt.absent {
				assert.NotContains(t, got, k)
			}
			assert.Contains(t, got, "violations", "the Report's members are kept")
		})
	}
}

type unavailableStore struct{}

func (unavailableStore) FirstUse(context.Context, time.Time, ...onetime.Use) ([]bool, error) {
	return nil, onetime.ErrUnavailable
}

func TestAccessToken(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		token  string
		ok     bool
	}{
		{"bearer", []string{"Bearer " + accessToken}, accessToken, true},
		{"dpop, any case, several spaces, surrounding whitespace", []string{"\t dPoP   abc== "}, "abc==", true},
		{"none", nil, "", false},
		{"empty", []string{""}, "", false},
		{"two", []string{"Bearer a", "Bearer a"}, "", false},
		{"other scheme", []string{"Basic abc"}, "", false},
		{"no token", []string{"Bearer "}, "", false},
		{"only padding", []string{"Bearer =="}, "", false},
		{"padding inside", []string{"Bearer a=b"}, "", false},
		{"tab separator", []string{"Bearer\tabc"}, "", false},
		{"comma", []string{"Bearer a,b"}, "", false},
		{"non-ASCII", []string{"Bearer abc\u00e9"}, "", false},
		{"auth-params", []string{`DPoP a="b"`}, "", false},
		{"no space after the scheme", []string{"Bearer=abc"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, ok := fapi.AccessToken(tt.values)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.token, token)
		})
	}
}
