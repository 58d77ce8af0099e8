package redisstore_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/redisstore"
)

// benchRuns numbers the benchmark's runs, so that no run sees another's
// keys.
var benchRuns atomic.Int64

// BenchmarkRedisFirstUse measures one request's FirstUse against a
// redis-server on the loopback interface, from as many goroutines as
// GOMAXPROCS (run it with -cpu 1,2): with one use (a client assertion's jti)
// and with two (a token request's DPoP proof and client assertion, one
// round trip). Every use is a first use, and an iteration fails unless it
// was. Besides ns/op it reports the median and 99th percentile latency of a
// call (p50-µs, p99-µs) and the calls per second of the whole run (req/s).
func BenchmarkRedisFirstUse(b *testing.B) {
	srv := startRedis(b)
	for _, n := range []int{1, 2} {
		b.Run("uses="+strconv.Itoa(n), func(b *testing.B) {
			s := redisstore.New(connected(b, srv), redisstore.WithPrefix("bench:"+strconv.FormatInt(benchRuns.Add(1), 10)+":"))
			ctx := context.Background()
			var (
				next atomic.Int64
				mu   sync.Mutex
				lat  = make([]time.Duration, 0, b.N)
			)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				g := strconv.FormatInt(next.Add(1), 10)
				var mine []time.Duration
				uses := make([]onetime.Use, n)
				for i := 0; pb.Next(); i++ {
					now := time.Now()
					for j := range uses {
						uses[j] = onetime.Use{Key: g + ":" + strconv.Itoa(i) + ":" + strconv.Itoa(j), Until: now.Add(time.Minute)}
					}
					first, err := s.FirstUse(ctx, now, uses...)
					mine = append(mine, time.Since(now))
					if err != nil || !first[0] || !first[n-1] {
						b.Errorf("call %d of goroutine %s: %v %v", i, g, first, err)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if len(lat) == 0 {
				return
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
		})
	}
}
