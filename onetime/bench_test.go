package onetime_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fapicheck/fapicheck/onetime"
)

// benchKeys are keys as the library builds them, made before the timer
// starts.
var benchKeys = func() []string {
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = onetime.Key(onetime.KindDPoPProof, "thumbprint", fmt.Sprint("jti-", i))
	}
	return keys
}()

// BenchmarkMemoryFirstUse measures one request's FirstUse with one key, in
// the steady state of a busy server: every use is a first use (the
// expensive path, which inserts the key) and keys expire as fast as they
// come, so each call also reclaims. The clock moves 1 µs per call and each
// key is held 1 ms, so about a thousand keys are live at once; a key comes
// back only long after its hold ended, and each iteration fails unless it
// was first. parallel runs the same from every core (b.RunParallel), each
// goroutine with its own keys and clock.
func BenchmarkMemoryFirstUse(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		m := onetime.NewMemory(1 << 20)
		ctx := context.Background()
		now := t0
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			now = now.Add(time.Microsecond)
			first, err := m.FirstUse(ctx, now, onetime.Use{Key: benchKeys[i&(len(benchKeys)-1)], Until: now.Add(time.Millisecond)})
			if err != nil || !first[0] {
				b.Fatalf("iteration %d: %v %v", i, first, err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		m := onetime.NewMemory(1 << 20)
		ctx := context.Background()
		procs := runtime.GOMAXPROCS(0)
		var next atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			// Goroutine g uses the keys whose index is g modulo procs: no
			// two goroutines share a key while procs divides the table.
			g := int(next.Add(1)-1) % procs
			now := t0
			for i := g; pb.Next(); i += procs {
				now = now.Add(time.Microsecond)
				first, err := m.FirstUse(ctx, now, onetime.Use{Key: benchKeys[i&(len(benchKeys)-1)], Until: now.Add(time.Millisecond)})
				if err != nil || !first[0] {
					b.Errorf("goroutine %d: %v %v", g, first, err)
					return
				}
			}
		})
	})
}

// BenchmarkMemoryReplay measures a refused replay: the key is held.
func BenchmarkMemoryReplay(b *testing.B) {
	m := onetime.NewMemory(1 << 20)
	ctx := context.Background()
	u := onetime.Use{Key: benchKeys[0], Until: t0.Add(time.Hour)}
	if _, err := m.FirstUse(ctx, t0, u); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		first, err := m.FirstUse(ctx, t0, u)
		if err != nil || first[0] {
			b.Fatalf("iteration %d: %v %v", i, first, err)
		}
	}
}

// BenchmarkKey measures building a client assertion's key from a client_id
// and a jti.
func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		_ = onetime.Key(onetime.KindClientAssertion, "client-1234", "8d3f0c8e-2b5a-4f8e-9c1d-3e7a6b5c4d2f")
	}
}
