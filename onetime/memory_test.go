package onetime_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/onetime"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// step is one FirstUse call at t0+at.
type step struct {
	at   time.Duration
	uses []onetime.Use
	want []bool // nil with wantErr
	err  error
}

// use is a Use of key held until t0+until.
func use(key string, until time.Duration) onetime.Use {
	return onetime.Use{Key: key, Until: t0.Add(until)}
}

func TestMemoryFirstUse(t *testing.T) {
	long := strings.Repeat("k", onetime.MaxKeyLength)
	tests := []struct {
		name  string
		limit int
		steps []step
	}{
		{name: "first use", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{name: "replay refused", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{at: time.Second, uses: []onetime.Use{use("a", time.Minute)}, want: []bool{false}},
		}},
		{name: "replay a nanosecond before Until refused", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{at: time.Minute - 1, uses: []onetime.Use{use("a", 2*time.Minute)}, want: []bool{false}},
		}},
		{name: "free again at exactly Until", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{at: time.Minute, uses: []onetime.Use{use("a", 2*time.Minute)}, want: []bool{true}},
			{at: time.Minute + time.Second, uses: []onetime.Use{use("a", 2*time.Minute)}, want: []bool{false}},
		}},
		{name: "free again after Until, held for the new Until", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{at: time.Hour, uses: []onetime.Use{use("a", 2*time.Hour)}, want: []bool{true}},
			{at: 2*time.Hour - 1, uses: []onetime.Use{use("a", 3*time.Hour)}, want: []bool{false}},
		}},
		{name: "a refused replay does not extend the hold", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{at: time.Second, uses: []onetime.Use{use("a", time.Hour)}, want: []bool{false}},
			{at: time.Minute, uses: []onetime.Use{use("a", time.Hour)}, want: []bool{true}},
		}},
		{name: "duplicate key in one call: first only", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use("a", time.Minute)}, want: []bool{true, false}},
		}},
		{name: "several keys, answers in order", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{uses: []onetime.Use{use("b", time.Minute), use("a", time.Minute), use("c", time.Minute)}, want: []bool{true, false, true}},
		}},
		{name: "no uses", steps: []step{
			{uses: nil, want: []bool{}},
		}},
		{name: "key of MaxKeyLength bytes accepted", steps: []step{
			{uses: []onetime.Use{use(long, time.Minute)}, want: []bool{true}},
			{uses: []onetime.Use{use(long, time.Minute)}, want: []bool{false}},
		}},
		{name: "empty key invalid, nothing recorded", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use("", time.Minute)}, err: onetime.ErrInvalidUse},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{name: "key over MaxKeyLength invalid, nothing recorded", steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use(long+"k", time.Minute)}, err: onetime.ErrInvalidUse},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{name: "Until equal to now invalid", steps: []step{
			{at: time.Minute, uses: []onetime.Use{use("a", time.Minute)}, err: onetime.ErrInvalidUse},
		}},
		{name: "Until before now invalid", steps: []step{
			{at: time.Minute, uses: []onetime.Use{use("a", time.Second)}, err: onetime.ErrInvalidUse},
		}},
		{name: "full of live keys: ErrFull, replays still answered", limit: 2, steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use("b", 2*time.Minute)}, want: []bool{true, true}},
			{uses: []onetime.Use{use("c", time.Minute)}, err: onetime.ErrFull},
			{uses: []onetime.Use{use("a", time.Minute), use("b", time.Minute)}, want: []bool{false, false}},
			{at: time.Minute - 1, uses: []onetime.Use{use("c", 2*time.Minute)}, err: onetime.ErrFull},
		}},
		{name: "full: an expired key makes room", limit: 2, steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use("b", 2*time.Minute)}, want: []bool{true, true}},
			{at: time.Minute, uses: []onetime.Use{use("c", 2*time.Minute)}, want: []bool{true}},
			{at: time.Minute, uses: []onetime.Use{use("d", 2*time.Minute)}, err: onetime.ErrFull},
			{at: time.Minute, uses: []onetime.Use{use("b", 3*time.Minute), use("c", 3*time.Minute)}, want: []bool{false, false}},
		}},
		{name: "full mid-call: error, no answer, earlier uses consumed", limit: 1, steps: []step{
			{uses: []onetime.Use{use("a", time.Minute), use("b", time.Minute)}, err: onetime.ErrFull},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{false}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := tt.limit
			if limit == 0 {
				limit = 100
			}
			m := onetime.NewMemory(limit)
			for i, s := range tt.steps {
				first, err := m.FirstUse(context.Background(), t0.Add(s.at), s.uses...)
				if s.err != nil {
					require.ErrorIs(t, err, s.err, "step %d", i)
					assert.Nil(t, first, "step %d: an error carries no answer", i)
					continue
				}
				require.NoError(t, err, "step %d", i)
				assert.Equal(t, s.want, first, "step %d", i)
				assert.LessOrEqual(t, m.Len(), limit, "step %d", i)
			}
		})
	}
}

func TestMemoryContextDone(t *testing.T) {
	m := onetime.NewMemory(10)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"cancelled", cancelled, context.Canceled},
		{"deadline exceeded", expired, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, err := m.FirstUse(tt.ctx, t0, use("a", time.Minute))
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, first)
			assert.Equal(t, 0, m.Len(), "nothing recorded")
		})
	}
	first, err := m.FirstUse(context.Background(), t0, use("a", time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, first)
}

func TestNewMemoryRefusesNoRoom(t *testing.T) {
	for _, limit := range []int{0, -1} {
		assert.Panics(t, func() { onetime.NewMemory(limit) }, "limit %d", limit)
	}
}

func TestMemoryLenAndReclaim(t *testing.T) {
	m := onetime.NewMemory(1000)
	for i := range 300 {
		// 100 keys each held for 1, 2 and 3 minutes.
		until := time.Duration(i%3+1) * time.Minute
		first, err := m.FirstUse(context.Background(), t0, use(fmt.Sprint(i), until))
		require.NoError(t, err)
		require.Equal(t, []bool{true}, first)
	}
	assert.Equal(t, 300, m.Len())
	assert.Equal(t, 0, m.Reclaim(t0.Add(time.Minute-1)), "nothing has expired")
	assert.Equal(t, 100, m.Reclaim(t0.Add(time.Minute)), "the 1-minute holds end at exactly Until")
	assert.Equal(t, 200, m.Len())
	assert.Equal(t, 0, m.Reclaim(t0.Add(time.Minute)))
	assert.Equal(t, 200, m.Reclaim(t0.Add(time.Hour)))
	assert.Equal(t, 0, m.Len())
}

// TestMemoryFullReclaimsEveryShard fills the store with keys spread over
// every shard, lets them expire, and fills it again: each new key is
// accepted, so a full store finds the expired keys of the other shards.
func TestMemoryFullReclaimsEveryShard(t *testing.T) {
	const limit = 500
	m := onetime.NewMemory(limit)
	for round := range 3 {
		now := t0.Add(time.Duration(round) * time.Hour)
		for i := range limit {
			first, err := m.FirstUse(context.Background(), now, onetime.Use{Key: fmt.Sprint(round, "/", i), Until: now.Add(time.Minute)})
			require.NoError(t, err, "round %d key %d", round, i)
			require.Equal(t, []bool{true}, first)
		}
		assert.Equal(t, limit, m.Len())
		_, err := m.FirstUse(context.Background(), now, onetime.Use{Key: "one more", Until: now.Add(time.Minute)})
		require.ErrorIs(t, err, onetime.ErrFull)
	}
}

// TestMemoryMatchesModel runs random uses, with random holds and a clock
// that moves forward by random steps, against a plain map that answers the
// same questions, with a limit low enough to hit ErrFull.
func TestMemoryMatchesModel(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			const limit = 64
			m := onetime.NewMemory(limit)
			model := map[string]time.Time{}
			now := t0
			for i := range 20000 {
				now = now.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
				key := fmt.Sprint(rng.IntN(200))
				u := onetime.Use{Key: key, Until: now.Add(time.Duration(1+rng.IntN(60000)) * time.Millisecond)}
				first, err := m.FirstUse(context.Background(), now, u)

				held, ok := model[key]
				if ok && held.After(now) {
					require.NoError(t, err, "op %d", i)
					require.Equal(t, []bool{false}, first, "op %d: %s is held", i, key)
					continue
				}
				live := 0
				for k, until := range model {
					if until.After(now) {
						live++
					} else {
						delete(model, k)
					}
				}
				if live >= limit {
					require.ErrorIs(t, err, onetime.ErrFull, "op %d", i)
					continue
				}
				require.NoError(t, err, "op %d", i)
				require.Equal(t, []bool{true}, first, "op %d: %s is free", i, key)
				model[key] = u.Until
				require.LessOrEqual(t, m.Len(), limit)
			}
		})
	}
}

// TestMemoryConcurrentFirstUse has many goroutines ask for the same keys at
// once, in different orders and batches: each key is first exactly once.
func TestMemoryConcurrentFirstUse(t *testing.T) {
	const (
		goroutines = 16
		keys       = 2000
	)
	m := onetime.NewMemory(keys)
	var wins [keys]atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			order := rng.Perm(keys)
			for len(order) > 0 {
				n := min(1+rng.IntN(4), len(order))
				batch := make([]onetime.Use, n)
				for i, k := range order[:n] {
					batch[i] = onetime.Use{Key: fmt.Sprint("key-", k), Until: t0.Add(time.Minute)}
				}
				first, err := m.FirstUse(context.Background(), t0, batch...)
				if err != nil {
					errs <- err
					return
				}
				for i, k := range order[:n] {
					if first[i] {
						wins[k].Add(1)
					}
				}
				order = order[n:]
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for k := range wins {
		assert.Equal(t, int32(1), wins[k].Load(), "key %d", k)
	}
	assert.Equal(t, keys, m.Len())
}

func TestUseValidate(t *testing.T) {
	tests := []struct {
		name string
		use  onetime.Use
		ok   bool
	}{
		{"valid", use("a", time.Nanosecond), true},
		{"longest key", use(strings.Repeat("x", onetime.MaxKeyLength), time.Minute), true},
		{"empty key", use("", time.Minute), false},
		{"key too long", use(strings.Repeat("x", onetime.MaxKeyLength+1), time.Minute), false},
		{"Until equal to now", use("a", 0), false},
		{"Until before now", use("a", -time.Minute), false},
		{"zero Until", onetime.Use{Key: "a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.use.Validate(t0)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, onetime.ErrInvalidUse)
			assert.False(t, errors.Is(err, onetime.ErrFull) || errors.Is(err, onetime.ErrUnavailable))
		})
	}
}

func TestMemoryFarTimes(t *testing.T) {
	m := onetime.NewMemory(10)
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	first, err := m.FirstUse(context.Background(), t0, onetime.Use{Key: "a", Until: far})
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, first)
	first, err = m.FirstUse(context.Background(), t0.AddDate(200, 0, 0), onetime.Use{Key: "a", Until: far})
	require.NoError(t, err)
	assert.Equal(t, []bool{false}, first, "a hold beyond the year 2262 is still held")
}

// TestMemoryExpiredKeysHeldAgain expires many keys at once, more than one
// call reclaims, and uses each again at exactly its Until: each is first
// again (also those still stored, expired, when their call comes) and then
// held for its new Until.
func TestMemoryExpiredKeysHeldAgain(t *testing.T) {
	const keys = 2000
	m := onetime.NewMemory(keys)
	for round := range 3 {
		now := t0.Add(time.Duration(round) * time.Minute)
		for i := range keys {
			first, err := m.FirstUse(context.Background(), now, onetime.Use{Key: fmt.Sprint(i), Until: now.Add(time.Minute)})
			require.NoError(t, err)
			require.Equal(t, []bool{true}, first, "round %d key %d", round, i)
		}
		for i := range keys {
			first, err := m.FirstUse(context.Background(), now.Add(time.Minute-1), onetime.Use{Key: fmt.Sprint(i), Until: now.Add(time.Hour)})
			require.NoError(t, err)
			require.Equal(t, []bool{false}, first, "round %d key %d", round, i)
		}
		assert.LessOrEqual(t, m.Len(), keys)
	}
}

// TestMemoryNilAndZero: a nil *Memory and the zero Memory (not made by
// NewMemory) refuse every use (fail closed), never a panic; a nil context
// is no context.
func TestMemoryNilAndZero(t *testing.T) {
	use := onetime.Use{Key: "a", Until: t0.Add(time.Minute)}
	tests := []struct {
		name string
		m    *onetime.Memory
		ctx  context.Context
		err  error
	}{
		{"nil *Memory", nil, context.Background(), onetime.ErrUnavailable},
		{"zero Memory", &onetime.Memory{}, context.Background(), onetime.ErrUnavailable},
		{"nil context", onetime.NewMemory(8), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, err := tt.m.FirstUse(tt.ctx, t0, use)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, first)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []bool{true}, first)
		})
	}
	assert.Zero(t, (*onetime.Memory)(nil).Len())
	assert.Zero(t, (*onetime.Memory)(nil).Reclaim(t0))
	assert.Zero(t, (&onetime.Memory{}).Reclaim(t0))
}
