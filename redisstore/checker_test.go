package redisstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/redisstore"
)

// serverRequest is one request a client sends to an authorization server:
// a pushed authorization request (a client assertion and a DPoP proof to
// use once) or a token request (those and an authorization code).
type serverRequest struct {
	pushed *fapi.PushedAuthorizationRequest
	token  *fapi.TokenRequest
}

// twoServers are two instances of one FAPI 2.0 authorization server, each a
// fapi.Checker with a Store of its own on a client of its own, sharing one
// Redis, and a flow of a DPoP client of theirs.
type twoServers struct {
	checkers [2]*fapi.Checker
	client   *fapi.PreparedClient
	flow     *fapitest.Flow
}

func newTwoServers(t *testing.T, srv *redisServer, now time.Time) *twoServers {
	t.Helper()
	svc, err := fapitest.NewService(profile.FAPI2Security, "https://as.example.com")
	require.NoError(t, err)
	prefix := redisstore.WithPrefix(t.Name() + ":")
	ts := &twoServers{flow: &fapitest.Flow{
		Profile: profile.FAPI2Security,
		Service: svc,
		Client: fapitest.Client{
			ID:          "client-1",
			RedirectURI: "https://client.example.org/cb",
			Key:         fapitest.Must(fapitest.NewKey("ES256")),
			DPoPKey:     fapitest.Must(fapitest.NewKey("ES256")),
		},
		Now: now,
	}}
	for i := range ts.checkers {
		ck, rep := fapi.NewChecker(*svc, fapi.WithStore(redisstore.New(newClient(t, srv), prefix)))
		require.True(t, rep.OK(), "%v", rep.Violations)
		ts.checkers[i] = ck
	}
	ts.client, err = ts.flow.PreparedClient()
	require.NoError(t, err)
	return ts
}

// request builds the n-th distinct request: even n a pushed authorization
// request, odd n a token request redeeming a code of its own. Each carries a
// client assertion and a DPoP proof signed afresh (new jti values).
func (ts *twoServers) request(n int) (serverRequest, error) {
	if n%2 == 0 {
		p, err := ts.flow.PushedAuthorization()
		return serverRequest{pushed: p}, err
	}
	tr, err := ts.flow.Token()
	if err != nil {
		return serverRequest{}, err
	}
	tr.Params["code"] = []string{fmt.Sprint("code-", n)}
	return serverRequest{token: tr}, nil
}

// send sends r to instance i and returns the report.
func (ts *twoServers) send(ctx context.Context, i int, r serverRequest, now time.Time) fapi.Report {
	if r.pushed != nil {
		return ts.checkers[i].PushedAuthorization(ctx, ts.client, r.pushed, now).Report
	}
	return ts.checkers[i].Token(ctx, ts.client, r.token, now).Report
}

// replayCodes are the violations a request whose one-time values were used
// before may be refused with: any other violation means the request was
// refused for something else, and the test proves nothing.
var replayCodes = map[fapi.Code]bool{
	fapi.CodeClientAssertionReplayed: true,
	fapi.CodeDPoPReplayed:            true,
	fapi.CodeCodeReused:              true,
}

// TestTwoCheckersOneRedis sends 10 000 requests — 8 000 distinct pushed
// authorization and token requests and 2 000 replays of them, byte for byte —
// from 16 goroutines spread over two Checkers sharing one Redis: every
// distinct request is accepted exactly once, whichever instance it and its
// replays reach and in whatever order, and every other copy is refused as a
// replay (client_assertion.replayed, dpop.replayed or code.reused).
func TestTwoCheckersOneRedis(t *testing.T) {
	const (
		distinct = 8000
		replays  = 2000
		workers  = 16
	)
	srv := startRedis(t)
	now := time.Now()
	ts := newTwoServers(t, srv, now)

	reqs := make([]serverRequest, distinct)
	for n := range reqs {
		r, err := ts.request(n)
		require.NoError(t, err)
		reqs[n] = r
	}
	rng := rand.New(rand.NewPCG(5, 8))
	seq := make([]int, 0, distinct+replays)
	for n := range distinct {
		seq = append(seq, n)
	}
	for range replays {
		seq = append(seq, rng.IntN(distinct))
	}
	rng.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })

	next := make(chan int)
	go func() {
		defer close(next)
		for _, n := range seq {
			next <- n
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var (
		accepted [distinct]atomic.Int32
		refused  atomic.Int32
		otherMu  sync.Mutex
		other    []string // refusals for anything but a replay
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				rep := ts.send(ctx, w%2, reqs[n], now)
				if rep.OK() {
					accepted[n].Add(1)
					continue
				}
				refused.Add(1)
				for _, v := range rep.Violations {
					if !replayCodes[v.Code] {
						otherMu.Lock()
						other = append(other, fmt.Sprintf("request %d: %s: %s", n, v.Code, v.Message))
						otherMu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, ctx.Err())
	require.Empty(t, other, "refused for something other than a replay")
	for n := range accepted {
		require.EqualValues(t, 1, accepted[n].Load(), "request %d accepted %d times", n, accepted[n].Load())
	}
	assert.EqualValues(t, replays, refused.Load())
}

// TestCheckerRedisDown stops Redis under a Checker: a request is refused with
// store.unavailable (never accepted), and once the server is back (and the
// client has reconnected) the same request, whose values the failed call
// did not record, is accepted, and its replay refused.
func TestCheckerRedisDown(t *testing.T) {
	srv := startRedis(t)
	now := time.Now()
	ts := newTwoServers(t, srv, now)
	ctx := context.Background()
	for n := range 2 { // a pushed authorization request, then a token request
		t.Run(fmt.Sprint([]string{"pushed", "token"}[n]), func(t *testing.T) {
			r, err := ts.request(n)
			require.NoError(t, err)
			srv.Stop()
			for i := range ts.checkers {
				rep := ts.send(ctx, i, r, now)
				require.Equal(t, []fapi.Code{fapi.CodeStoreUnavailable}, rep.Codes(), "instance %d", i)
			}
			srv.Start()
			deadline := time.Now().Add(10 * time.Second)
			var rep fapi.Report
			for {
				rep = ts.send(ctx, 0, r, now)
				if !rep.Has(fapi.CodeStoreUnavailable) || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			require.True(t, rep.OK(), "after the restart: %v", rep.Violations)
			assert.False(t, ts.send(ctx, 1, r, now).OK(), "the replay at the other instance")
		})
	}
}
