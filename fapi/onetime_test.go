package fapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
)

// brokenStore answers every call with err, or with a short answer.
type brokenStore struct{ err error }

func (s brokenStore) FirstUse(context.Context, time.Time, ...onetime.Use) ([]bool, error) {
	if s.err != nil {
		return nil, s.err
	}
	return []bool{}, nil
}

// storeFlow runs the FAPI 2.0 flow of TestCheckerFlow through ck, with a
// fresh client assertion jti per request.
func storeFlow(t *testing.T, ck *fapi.Checker) (fapi.PushedAuthorizationResult, fapi.AuthorizationResult, fapi.TokenResult) {
	t.Helper()
	pc := fapi.PrepareClient(fapi2Client())
	params := fapi2Params("openid sp")
	params["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
	params["client_assertion"] = []string{assertion(map[string]any{"aud": issuer, "jti": "par-jti"})}
	pr := ck.PushedAuthorization(context.Background(), pc, &fapi.PushedAuthorizationRequest{Params: params, ClientCertificate: tlsKey.Cert}, now)
	ar := ck.Authorization(pc, pushed(pr, "rw"), now)
	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now.Add(-30 * time.Second),
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256", CertificateThumbprint: mtls.Thumbprint(tlsKey.Cert)}
	tr := ck.Token(context.Background(), pc, fapi2Token(pc, rec), now)
	return pr, ar, tr
}

func TestStoreRefusesSecondUse(t *testing.T) {
	ck, rep := fapi.NewChecker(*fapi2Service(), fapi.WithStore(onetime.NewMemory(1000)))
	require.Empty(t, rep.Violations)
	pr, ar, tr := storeFlow(t, ck)
	require.Empty(t, pr.Violations)
	require.Empty(t, tr.Violations)
	assert.Nil(t, pr.OneTimeUses, "recorded by the library")
	assert.Nil(t, tr.OneTimeUses)
	require.Len(t, ar.OneTimeUses, 1, "the request_uri, consumed on completion")
	assert.Empty(t, ck.CompleteAuthorization(context.Background(), ar, now).Violations)
	assert.False(t, tr.RevokeGrant)

	// The same requests again: each key is refused.
	pr, ar, tr = storeFlow(t, ck)
	assert.Equal(t, []fapi.Code{fapi.CodeClientAssertionReplayed}, codes(pr))
	assert.Equal(t, []fapi.Code{fapi.CodePARRequestURIReused}, codes(ck.CompleteAuthorization(context.Background(), ar, now)))
	// The token request's assertion and code were both used: both named,
	// and the grant revoked because of the code.
	assert.Equal(t, []fapi.Code{fapi.CodeClientAssertionReplayed, fapi.CodeCodeReused}, codes(tr))
	assert.True(t, tr.RevokeGrant)
	assert.Equal(t, fapi.OAuthInvalidGrant, tr.Violations[1].Error)
}

func TestStoreFailureRefuses(t *testing.T) {
	for _, s := range []onetime.Store{brokenStore{err: onetime.ErrUnavailable}, brokenStore{err: errors.New("boom")}, brokenStore{}} {
		ck, _ := fapi.NewChecker(*fapi2Service(), fapi.WithStore(s))
		pr, ar, tr := storeFlow(t, ck)
		assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(pr))
		assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(tr))
		assert.False(t, tr.OK())
		done := ck.CompleteAuthorization(context.Background(), ar, now)
		require.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(done))
		assert.Equal(t, fapi.OAuthTemporarilyUnavailable, done.Violations[0].Error)
	}
}

func TestWithoutStoreTheUsesAreListed(t *testing.T) {
	ck, _ := fapi.NewChecker(*fapi2Service())
	pr, ar, tr := storeFlow(t, ck)
	require.Empty(t, pr.Violations)
	require.Empty(t, tr.Violations)
	assert.Len(t, pr.OneTimeUses, 1, "the client assertion")
	assert.Len(t, tr.OneTimeUses, 2, "the client assertion and the code")
	for _, u := range append(pr.OneTimeUses, tr.OneTimeUses...) {
		assert.NoError(t, u.Validate(now))
	}
	assert.NotEqual(t, pr.OneTimeUses[0].Key, tr.OneTimeUses[0].Key, "different jtis, different keys")
	done := ck.CompleteAuthorization(context.Background(), ar, now)
	assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(done), "nothing is consumed silently")
}

func TestResultJSONKeepsEndpointMembers(t *testing.T) {
	data, err := json.Marshal(fapi.TokenResult{RevokeGrant: true, DPoPThumbprint: "jkt-1", CertificateThumbprint: "x5t-1",
		OneTimeUses: []onetime.Use{{Key: "code:x", Until: now}}})
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(data, &got))
	assert.Equal(t, true, got["revoke_grant"])
	assert.Equal(t, "jkt-1", got["dpop_thumbprint"])
	assert.Equal(t, "x5t-1", got["certificate_thumbprint"])
	assert.Len(t, got["one_time_uses"], 1)
	assert.Contains(t, got, "violations", "the Report's members stay")

	data, err = json.Marshal(fapi.AuthorizationResult{RedirectURI: cb, RedirectTrusted: true})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &got))
	assert.Equal(t, cb, got["redirect_uri"])
	assert.Equal(t, true, got["redirect_trusted"])
}

// TestSecondVisitBeforeCompletion: the authorization check consumes
// nothing, so a client may visit its request_uri again before the
// authorization completes (RFC 9126 §7.3; the conformance suite's
// par-ensure-reused-request-uri-prior-to-auth-completion-succeeds); only
// the first completion consumes it.
func TestSecondVisitBeforeCompletion(t *testing.T) {
	ck, _ := fapi.NewChecker(*fapi2Service(), fapi.WithStore(onetime.NewMemory(1000)))
	pr, first, _ := storeFlow(t, ck)
	require.Empty(t, pr.Violations)
	require.Empty(t, first.Violations)
	second := ck.Authorization(fapi.PrepareClient(fapi2Client()), pushed(pr, "rw"), now)
	require.Empty(t, second.Violations, "a second visit before completion passes")
	assert.Empty(t, ck.CompleteAuthorization(context.Background(), second, now).Violations, "the first completion consumes the request_uri")
	assert.Equal(t, []fapi.Code{fapi.CodePARRequestURIReused}, codes(ck.CompleteAuthorization(context.Background(), first, now)),
		"completing the other visit is a second use")
}

// countingStore is a Memory store that counts its calls.
type countingStore struct {
	m     *onetime.Memory
	calls int
}

func (s *countingStore) FirstUse(ctx context.Context, now time.Time, uses ...onetime.Use) ([]bool, error) {
	s.calls++
	return s.m.FirstUse(ctx, now, uses...)
}

// TestCompleteAuthorizationConsumesOnce: whatever form the result reaches
// CompleteAuthorization in — the result itself, one rebuilt from its
// exported members, one whose list the caller cleared — its request_uri is
// consumed once; a result no check produced is refused; a completion after
// the request_uri's hold ended is par.expired, never a store call that
// could record nothing.
func TestCompleteAuthorizationConsumesOnce(t *testing.T) {
	hold := time.Minute + fapi.CompletionWindow // the pushed record expires a minute after now
	tests := []struct {
		name          string
		result        func(fapi.AuthorizationResult) fapi.AuthorizationResult
		at            time.Duration // after now
		first, second []fapi.Code
		storeCalls    int
	}{
		{"the result itself", func(r fapi.AuthorizationResult) fapi.AuthorizationResult { return r }, 0,
			[]fapi.Code{}, []fapi.Code{fapi.CodePARRequestURIReused}, 2},
		{"rebuilt from its exported members", func(r fapi.AuthorizationResult) fapi.AuthorizationResult {
			return fapi.AuthorizationResult{Report: r.Report, OneTimeUses: r.OneTimeUses}
		}, 0, []fapi.Code{}, []fapi.Code{fapi.CodePARRequestURIReused}, 2},
		{"its list cleared by the caller", func(r fapi.AuthorizationResult) fapi.AuthorizationResult {
			r.OneTimeUses = nil
			return r
		}, 0, []fapi.Code{}, []fapi.Code{fapi.CodePARRequestURIReused}, 2},
		{"no check produced it (the zero result)", func(fapi.AuthorizationResult) fapi.AuthorizationResult {
			return fapi.AuthorizationResult{}
		}, 0, []fapi.Code{fapi.CodeCodeRecordMissing}, []fapi.Code{fapi.CodeCodeRecordMissing}, 0},
		{"completed after the request_uri expired, within the completion window", func(r fapi.AuthorizationResult) fapi.AuthorizationResult { return r }, 5 * time.Minute,
			[]fapi.Code{}, []fapi.Code{fapi.CodePARRequestURIReused}, 2},
		{"completed when the hold ends", func(r fapi.AuthorizationResult) fapi.AuthorizationResult { return r }, hold,
			[]fapi.Code{fapi.CodePARExpired}, []fapi.Code{fapi.CodePARExpired}, 0},
		{"rebuilt and completed after the hold", func(r fapi.AuthorizationResult) fapi.AuthorizationResult {
			return fapi.AuthorizationResult{Report: r.Report, OneTimeUses: r.OneTimeUses}
		}, hold + time.Hour, []fapi.Code{fapi.CodePARExpired}, []fapi.Code{fapi.CodePARExpired}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &countingStore{m: onetime.NewMemory(1000)}
			ck, _ := fapi.NewChecker(*fapi2Service(), fapi.WithStore(store))
			_, ar, _ := storeFlow(t, ck)
			require.True(t, ar.OK(), "%v", ar.Violations)
			require.Len(t, ar.OneTimeUses, 1)
			assert.Equal(t, now.Add(hold), ar.OneTimeUses[0].Until, "held the completion window beyond the pushed record's expiry")
			calls := store.calls
			res := tt.result(ar)
			at := now.Add(tt.at)
			first := ck.CompleteAuthorization(context.Background(), res, at)
			second := ck.CompleteAuthorization(context.Background(), res, at)
			assert.Equal(t, tt.first, codes(first), "first completion")
			assert.Equal(t, tt.second, codes(second), "second completion")
			assert.Equal(t, tt.storeCalls, store.calls-calls, "calls to the store")
			for _, v := range append(first.Violations, second.Violations...) {
				info, ok := v.Code.Info()
				require.True(t, ok)
				assert.Contains(t, info.Refs, v.Ref, v.Code)
			}
		})
	}
}

// TestCodeHeldAsLongAsItIsAccepted: a redeemed code is held ten minutes
// (or the service's code lifetime if longer), so a code older than that
// hold is refused even where the profile sets no code lifetime: the store
// no longer remembers whether it was redeemed (RFC 6749 §4.1.2).
func TestCodeHeldAsLongAsItIsAccepted(t *testing.T) {
	basic := &fapi.BasicAuth{ClientID: "c1", ClientSecret: "s3cret-s3cret"}
	type redemption struct {
		at   time.Duration // after now
		want []fapi.Code
	}
	tests := []struct {
		name     string
		lifetime int64         // the service's authorization_code_lifetime, seconds
		issued   time.Duration // before now; 0: no issued_at in the record
		uses     []redemption
	}{
		{"redeemed, then replayed within the hold", 0, time.Minute, []redemption{
			{0, []fapi.Code{}}, {5 * time.Minute, []fapi.Code{fapi.CodeCodeReused}}}},
		{"redeemed, then replayed after the hold", 0, time.Minute, []redemption{
			{0, []fapi.Code{}}, {10*time.Minute + time.Second, []fapi.Code{fapi.CodeCodeExpired}}}},
		{"first redeemed after the hold", 0, 10*time.Minute + time.Second, []redemption{
			{0, []fapi.Code{fapi.CodeCodeExpired}}}},
		{"exactly the hold old", 0, 10 * time.Minute, []redemption{{0, []fapi.Code{}}}},
		{"a longer service code lifetime holds longer", 1800, 20 * time.Minute, []redemption{
			{0, []fapi.Code{}}, {9 * time.Minute, []fapi.Code{fapi.CodeCodeReused}}, {11 * time.Minute, []fapi.Code{fapi.CodeCodeExpired}}}},
		{"no issued_at: the hold alone", 0, 0, []redemption{
			{0, []fapi.Code{}}, {5 * time.Minute, []fapi.Code{fapi.CodeCodeReused}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, pc := plainSecretSetup()
			svc.AuthorizationCodeLifetime = fapi.Seconds(tt.lifetime)
			ck, _ := fapi.NewChecker(*svc, fapi.WithStore(onetime.NewMemory(1000)))
			for _, u := range tt.uses {
				r := plainTokenRequest(basic)
				if tt.issued > 0 {
					r.Authorization.IssuedAt = now.Add(-tt.issued)
				}
				res := ck.Token(context.Background(), pc, r, now.Add(u.at))
				assert.Equal(t, u.want, codes(res.Report), "at +%s", u.at)
				for _, v := range res.Violations {
					info, ok := v.Code.Info()
					require.True(t, ok)
					assert.Contains(t, info.Refs, v.Ref, v.Code)
				}
			}
		})
	}
}

// TestNilStoreFailsClosed: a nil store — the nil interface or a nil
// pointer in it — is reported by NewChecker and refuses every request
// with a one-time use (store.unavailable), never a panic and never the
// silent "no store" under which the caller would have to record the uses.
func TestNilStoreFailsClosed(t *testing.T) {
	var nilMemory *onetime.Memory
	for name, store := range map[string]onetime.Store{"nil": nil, "nil *Memory": nilMemory, "nil *countingStore": (*countingStore)(nil)} {
		t.Run(name, func(t *testing.T) {
			ck, rep := fapi.NewChecker(*fapi2Service(), fapi.WithStore(store))
			require.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(rep))
			assert.Equal(t, "store", rep.Violations[0].Field)
			pr, ar, tr := storeFlow(t, ck)
			assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(pr))
			assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(tr))
			assert.Nil(t, tr.OneTimeUses, "the caller is not left to record them")
			assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(ck.CompleteAuthorization(context.Background(), ar, now)))
			res := ck.Resource(context.Background(), dpopResource(), now)
			assert.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(res.Report))
		})
	}
	// A nil *Memory answers an error, never a panic.
	_, err := nilMemory.FirstUse(context.Background(), now, onetime.Use{Key: "k", Until: now.Add(time.Minute)})
	assert.ErrorIs(t, err, onetime.ErrUnavailable)
	assert.Zero(t, nilMemory.Len())
}

// TestAssertionHoldIsBounded: a client assertion's jti is held until its
// exp, so an exp more than an hour ahead is refused before the store is
// asked (RFC 7523 §3 item 4): one client cannot fill a bounded store with
// keys held for years, which would refuse every client.
func TestAssertionHoldIsBounded(t *testing.T) {
	tests := []struct {
		name string
		exp  time.Duration
		want []fapi.Code
		held int
	}{
		{"a minute", time.Minute, []fapi.Code{}, 1},
		{"an hour", time.Hour, []fapi.Code{}, 1},
		{"an hour and a second", time.Hour + time.Second, []fapi.Code{fapi.CodeClientAssertionExpTooFar}, 0},
		{"a year", 365 * 24 * time.Hour, []fapi.Code{fapi.CodeClientAssertionExpTooFar}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := onetime.NewMemory(100)
			ck, _ := fapi.NewChecker(*fapi2Service(), fapi.WithStore(m))
			pc := fapi.PrepareClient(fapi2Client())
			params := fapi2Params("openid sp")
			params["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
			params["client_assertion"] = []string{assertion(map[string]any{"aud": issuer, "exp": now.Add(tt.exp).Unix()})}
			pr := ck.PushedAuthorization(context.Background(), pc, &fapi.PushedAuthorizationRequest{Params: params, ClientCertificate: tlsKey.Cert}, now)
			assert.Equal(t, tt.want, codes(pr))
			assert.Equal(t, tt.held, m.Len(), "keys held")
		})
	}
}

// TestNilReplayCacheFailsClosed: a nil replay cache given to
// WithReplayCache is reported by NewChecker and refuses every DPoP proof,
// never a panic and never a silent fallback that leaves replay detection
// to a caller who believes the cache does it.
func TestNilReplayCacheFailsClosed(t *testing.T) {
	for name, cache := range map[string]dpop.ReplayCache{"nil": nil, "nil *memoryCache": (*memoryCache)(nil)} {
		t.Run(name, func(t *testing.T) {
			ck, rep := fapi.NewChecker(*resourceService(), fapi.WithReplayCache(cache))
			require.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(rep))
			assert.Equal(t, "replay_cache", rep.Violations[0].Field)
			res := ck.Resource(context.Background(), dpopResource(), now)
			assert.Equal(t, []fapi.Code{fapi.CodeDPoPReplayed}, codes(res.Report))
			assert.Empty(t, res.OneTimeUses)
			assert.True(t, ck.Resource(context.Background(), mtlsResource("openid sp"), now).OK(), "no proof, nothing to refuse")
		})
	}
}

// TestStoreErrorNotInMessage: a store's error never reaches the
// violation's message, which servers send to the client as
// error_description (RFC 6749 §5.2): it may name the store's addresses
// and the network's state. The same holds for a DPoP replay cache.
func TestStoreErrorNotInMessage(t *testing.T) {
	const internal = "dial tcp 10.0.0.7:6379: connect: connection refused"
	ck, _ := fapi.NewChecker(*fapi2Service(), fapi.WithStore(brokenStore{err: errors.New(internal)}))
	pr, ar, tr := storeFlow(t, ck)
	done := ck.CompleteAuthorization(context.Background(), ar, now)
	for name, rep := range map[string]fapi.Report{"pushed": pr.Report, "token": tr.Report, "completion": done} {
		require.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, codes(rep), name)
		assert.NotContains(t, rep.Violations[0].Message, "10.0.0.7", name)
	}
	rc, _ := fapi.NewChecker(*resourceService(), fapi.WithReplayCache(failingCache{errors.New(internal)}))
	res := rc.Resource(context.Background(), dpopResource(), now)
	require.NotEmpty(t, res.Violations)
	assert.NotContains(t, res.Violations[0].Message, "10.0.0.7")
}

// failingCache is a DPoP replay cache whose every call fails.
type failingCache struct{ err error }

func (c failingCache) CheckAndStore(string, time.Time) (bool, error) { return false, c.err }
