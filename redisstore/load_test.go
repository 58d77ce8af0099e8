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

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/redisstore"
)

// twoInstances returns two Stores on two clients of their own sharing one
// server and prefix: two instances of one authorization server.
func twoInstances(t *testing.T, srv *redisServer) [2]*redisstore.Store {
	prefix := redisstore.WithPrefix(t.Name() + ":")
	return [2]*redisstore.Store{
		redisstore.New(newClient(t, srv), prefix),
		redisstore.New(newClient(t, srv), prefix),
	}
}

// TestSharedLoad sends 10 000 uses, 8 000 keys and 2 000 replays of them, in
// calls of one to three uses from 16 goroutines spread over two instances:
// every key is first exactly once, whichever instance and order.
func TestSharedLoad(t *testing.T) {
	const (
		keys    = 8000
		replays = 2000
		workers = 16
	)
	srv := startRedis(t)
	stores := twoInstances(t, srv)
	rng := rand.New(rand.NewPCG(1, 2))
	seq := make([]int, 0, keys+replays)
	for k := range keys {
		seq = append(seq, k)
	}
	for range replays {
		seq = append(seq, rng.IntN(keys))
	}
	rng.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })

	batches := make(chan []int)
	go func() {
		defer close(batches)
		for len(seq) > 0 {
			n := min(1+rng.IntN(3), len(seq))
			batches <- seq[:n]
			seq = seq[n:]
		}
	}()
	var wins [keys]atomic.Int32
	var calls, errs atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				uses := make([]onetime.Use, len(batch))
				for i, k := range batch {
					uses[i] = onetime.Use{Key: fmt.Sprint("key-", k), Until: now.Add(time.Hour)}
				}
				calls.Add(1)
				first, err := stores[w%2].FirstUse(ctx, now, uses...)
				if err != nil {
					errs.Add(1)
					continue
				}
				for i, k := range batch {
					if first[i] {
						wins[k].Add(1)
					}
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, errs.Load(), "calls failed")
	for k := range wins {
		require.Equal(t, int32(1), wins[k].Load(), "key %d", k)
	}
	t.Logf("%d calls, %d uses", calls.Load(), keys+replays)
}

// TestSharedSameKeyAtOnce has ten goroutines, five on each instance, ask
// for the same key at the same moment, for 300 keys: one of them wins each.
func TestSharedSameKeyAtOnce(t *testing.T) {
	const (
		keys    = 300
		racers  = 10
		timeout = time.Minute
	)
	srv := startRedis(t)
	stores := twoInstances(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	now := time.Now()
	for k := range keys {
		var wins, errs atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for r := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				first, err := stores[r%2].FirstUse(ctx, now, onetime.Use{Key: fmt.Sprint("same-", k), Until: now.Add(time.Hour)})
				switch {
				case err != nil:
					errs.Add(1)
				case first[0]:
					wins.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		require.Zero(t, errs.Load(), "key %d", k)
		require.Equal(t, int32(1), wins.Load(), "key %d", k)
	}
}

// keyStats is what happened to one key over a run.
type keyStats struct {
	wins   int
	failed bool // some call with the key failed
}

// TestStoppedMidRun stops the server while two instances are busy with it,
// keeps it down for a while, and starts it again on the same port. While
// it is down every call fails, with ErrUnavailable and no answer; once it
// is back the instances work again; and no key is ever first twice. (A
// server without persistence forgets its keys when it stops, so the keys
// used before the stop are not used after the restart: see the package
// documentation.)
func TestStoppedMidRun(t *testing.T) {
	const (
		workers  = 8
		perPhase = 1500 // calls before the stop, and after the restart
		minDown  = 40   // calls that must have failed while down
	)
	srv := startRedis(t)
	stores := twoInstances(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	now := time.Now()

	const (
		up = iota
		down
		upAgain
	)
	var (
		phaseMu sync.RWMutex // held for reading by each call, for writing to change phase
		phase   = up
		issued  [3]atomic.Int64 // keys issued per epoch (up, upAgain)
		calls   [3]atomic.Int64
		fails   [3]atomic.Int64
		downBad atomic.Int64 // calls that did not fail while down

		statsMu sync.Mutex
		stats   = map[string]*keyStats{}
		lastErr = make([]error, workers)
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for ctx.Err() == nil {
				phaseMu.RLock()
				p := phase
				if p == upAgain && calls[upAgain].Load() >= perPhase {
					phaseMu.RUnlock()
					return
				}
				epoch := p
				if p == down {
					epoch = up // the keys of the first epoch: the server never answers for them now
				}
				uses := make([]onetime.Use, 1+rng.IntN(2))
				for i := range uses {
					var n int64
					if sofar := issued[epoch].Load(); sofar > 0 && rng.IntN(5) == 0 {
						n = rng.Int64N(sofar) // a replay, of a key of this epoch
					} else {
						n = issued[epoch].Add(1) - 1
					}
					uses[i] = onetime.Use{Key: fmt.Sprint("epoch", epoch, "-", n), Until: now.Add(time.Hour)}
				}
				first, err := stores[w%2].FirstUse(ctx, now, uses...)
				calls[p].Add(1)
				lastErr[w] = err
				if err != nil {
					fails[p].Add(1)
				}
				if p == down && (err == nil || first != nil || !assert.ErrorIs(t, err, onetime.ErrUnavailable)) {
					downBad.Add(1)
				}
				statsMu.Lock()
				for i, u := range uses {
					st := stats[u.Key]
					if st == nil {
						st = &keyStats{}
						stats[u.Key] = st
					}
					if err != nil {
						st.failed = true
					} else if first[i] {
						st.wins++
					}
				}
				statsMu.Unlock()
				phaseMu.RUnlock()
			}
		}()
	}

	waitFor := func(what string, cond func() bool) {
		for !cond() {
			if ctx.Err() != nil {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("calls before the stop", func() bool { return calls[up].Load() >= perPhase })
	srv.Stop() // while calls are in flight
	phaseMu.Lock()
	phase = down
	phaseMu.Unlock()
	waitFor("calls while down", func() bool { return calls[down].Load() >= minDown })
	phaseMu.Lock() // no call in flight: none of the down phase sees the server back
	srv.Start()
	// go-redis's pool, after PoolSize dials failed in a row, answers with the
	// last dial error until a background dial (retried once a second)
	// succeeds: the store stays closed for up to about a second after the
	// server is back. Wait until both instances answer before the last phase.
	for i, s := range stores {
		waitFor(fmt.Sprint("instance ", i, " answering after the restart"), func() bool {
			_, err := s.FirstUse(ctx, now, onetime.Use{Key: fmt.Sprint("probe-", i, "-", time.Now().UnixNano()), Until: now.Add(time.Hour)})
			return err == nil
		})
	}
	phase = upAgain
	phaseMu.Unlock()
	wg.Wait()
	require.NoError(t, ctx.Err())

	assert.Zero(t, downBad.Load(), "calls that did not fail while the server was down")
	assert.Equal(t, calls[down].Load(), fails[down].Load())
	for w, err := range lastErr {
		assert.NoError(t, err, "worker %d's last call, after the restart", w)
	}
	wins := 0
	for key, st := range stats {
		require.LessOrEqual(t, st.wins, 1, "key %s first more than once", key)
		if !st.failed {
			require.Equal(t, 1, st.wins, "key %s, never in a failed call, never first", key)
		}
		wins += st.wins
	}
	for i, s := range stores {
		first, err := s.FirstUse(ctx, now, onetime.Use{Key: "after the run", Until: now.Add(time.Hour)})
		require.NoError(t, err)
		assert.Equal(t, []bool{i == 0}, first, "instance %d", i)
	}
	t.Logf("calls up/down/up again: %d/%d/%d, failed: %d/%d/%d; %d keys, %d first",
		calls[up].Load(), calls[down].Load(), calls[upAgain].Load(),
		fails[up].Load(), fails[down].Load(), fails[upAgain].Load(), len(stats), wins)
}
