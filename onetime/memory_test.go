package onetime_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/onetime"
)

var t0 = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

func TestMemoryFirstUse(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup []onetime.Use // recorded at t0 before the call
		now   time.Time
		uses  []onetime.Use
		want  []bool
		err   error
	}{
		{name: "first", now: t0, uses: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}}, want: []bool{true}},
		{name: "replay", setup: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}}, now: t0.Add(time.Second),
			uses: []onetime.Use{{Key: "a", Until: t0.Add(2 * time.Minute)}}, want: []bool{false}},
		{name: "hold ends exactly at until", setup: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}}, now: t0.Add(time.Minute),
			uses: []onetime.Use{{Key: "a", Until: t0.Add(2 * time.Minute)}}, want: []bool{true}},
		{name: "just before until", setup: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}}, now: t0.Add(time.Minute - time.Nanosecond),
			uses: []onetime.Use{{Key: "a", Until: t0.Add(2 * time.Minute)}}, want: []bool{false}},
		{name: "same key twice in one call", now: t0,
			uses: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}, {Key: "a", Until: t0.Add(time.Minute)}}, want: []bool{true, false}},
		{name: "several keys", setup: []onetime.Use{{Key: "b", Until: t0.Add(time.Minute)}}, now: t0,
			uses: []onetime.Use{{Key: "a", Until: t0.Add(time.Minute)}, {Key: "b", Until: t0.Add(time.Minute)}}, want: []bool{true, false}},
		{name: "empty key", now: t0, uses: []onetime.Use{{Key: "", Until: t0.Add(time.Minute)}}, err: onetime.ErrInvalidUse},
		{name: "long key", now: t0, uses: []onetime.Use{{Key: string(make([]byte, onetime.MaxKeyLength+1)), Until: t0.Add(time.Minute)}}, err: onetime.ErrInvalidUse},
		{name: "until not after now", now: t0, uses: []onetime.Use{{Key: "a", Until: t0}}, err: onetime.ErrInvalidUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := onetime.NewMemory(100)
			if len(tt.setup) > 0 {
				_, err := m.FirstUse(ctx, t0, tt.setup...)
				require.NoError(t, err)
			}
			got, err := m.FirstUse(ctx, tt.now, tt.uses...)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMemoryBoundAndExpiry(t *testing.T) {
	ctx := context.Background()
	m := onetime.NewMemory(32) // one key per shard
	full := false
	for i := 0; i < 1000 && !full; i++ {
		_, err := m.FirstUse(ctx, t0, onetime.Use{Key: fmt.Sprint("k", i), Until: t0.Add(time.Minute)})
		if err != nil {
			require.ErrorIs(t, err, onetime.ErrFull)
			full = true
		}
	}
	require.True(t, full, "a bounded store refuses once full of live keys")
	assert.LessOrEqual(t, m.Len(), 32)
	// Once the holds end, the keys are reclaimed and new ones accepted.
	later := t0.Add(time.Minute)
	for i := 0; i < 100; i++ {
		first, err := m.FirstUse(ctx, later, onetime.Use{Key: fmt.Sprint("n", i), Until: later.Add(time.Minute)})
		if err != nil {
			require.ErrorIs(t, err, onetime.ErrFull)
			continue
		}
		assert.Equal(t, []bool{true}, first)
	}
	assert.LessOrEqual(t, m.Len(), 32)
}

func TestMemoryCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	first, err := onetime.NewMemory(10).FirstUse(ctx, t0, onetime.Use{Key: "a", Until: t0.Add(time.Minute)})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, first)
}

// TestMemoryConcurrentFirstUse: of many goroutines using the same keys,
// exactly one wins each key.
func TestMemoryConcurrentFirstUse(t *testing.T) {
	m := onetime.NewMemory(10000)
	const keys, workers = 200, 16
	var wins [keys]atomic.Int32
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < keys; k++ {
				first, err := m.FirstUse(context.Background(), t0, onetime.Use{Key: fmt.Sprint("key-", k), Until: t0.Add(time.Minute)})
				if err == nil && first[0] {
					wins[k].Add(1)
				}
			}
		}()
	}
	wg.Wait()
	for k := range wins {
		assert.Equal(t, int32(1), wins[k].Load(), "key %d", k)
	}
}

func TestKeySeparatesParts(t *testing.T) {
	assert.NotEqual(t, onetime.Key("k", "a", "bc"), onetime.Key("k", "ab", "c"))
	assert.NotEqual(t, onetime.Key("k", "a"), onetime.Key("j", "a"))
	assert.NotEqual(t, onetime.Key("k", ""), onetime.Key("k"))
	assert.Equal(t, onetime.Key("code", "x"), onetime.Key("code", "x"))
	assert.LessOrEqual(t, len(onetime.Key(onetime.KindRefreshToken, string(make([]byte, 1<<20)))), onetime.MaxKeyLength)
}

func BenchmarkMemoryFirstUse(b *testing.B) {
	m := onetime.NewMemory(1 << 20)
	keys := make([]string, 4096)
	for i := range keys {
		keys[i] = onetime.Key(onetime.KindDPoPProof, fmt.Sprint(i))
	}
	b.Run("serial", func(b *testing.B) {
		now := t0
		for i := 0; b.Loop(); i++ {
			now = now.Add(time.Microsecond)
			_, _ = m.FirstUse(context.Background(), now, onetime.Use{Key: keys[i%len(keys)], Until: now.Add(time.Millisecond)})
		}
	})
	b.Run("parallel", func(b *testing.B) {
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				now := t0.Add(time.Duration(i) * time.Microsecond)
				_, _ = m.FirstUse(context.Background(), now, onetime.Use{Key: keys[i%int64(len(keys))], Until: now.Add(time.Millisecond)})
			}
		})
	})
}

func ExampleMemory() {
	store := onetime.NewMemory(100000)
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	code := onetime.Use{Key: onetime.Key(onetime.KindCode, "SplxlOBeZQQYbYS6WxSbIA"), Until: now.Add(10 * time.Minute)}
	first, _ := store.FirstUse(context.Background(), now, code)
	again, _ := store.FirstUse(context.Background(), now.Add(time.Second), code)
	fmt.Println(first[0], again[0])
	// Output: true false
}
