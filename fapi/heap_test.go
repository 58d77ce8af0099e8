package fapi_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/fapi"
)

// liveHeap returns the bytes of live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLiveHeapStaysFlat validates 100 000 requests in a loop and checks
// that nothing is retained per request: the live heap afterwards is within
// a small constant of the live heap before.
func TestLiveHeapStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	svc := service()
	pc := fapi.PrepareClient(publicClient())
	req := roRequest()
	bad := roRequest()
	delete(bad.Params, "code_challenge")
	tr := rwTokenRequest()
	rw := fapi.PrepareClient(rwClient())

	// Warm up: one-time allocations (pools, requirement tables) happen here.
	for i := 0; i < 1000; i++ {
		fapi.CheckAuthorizationRequest(svc, pc, req, now)
		fapi.CheckAuthorizationRequest(svc, pc, bad, now)
	}
	before := liveHeap()
	for i := 0; i < 100000; i++ {
		if i%2 == 0 {
			fapi.CheckAuthorizationRequest(svc, pc, req, now)
		} else {
			fapi.CheckAuthorizationRequest(svc, pc, bad, now)
		}
		if i%100 == 0 { // signature checks too, at a pace the test can afford
			fapi.CheckTokenRequest(svc, rw, tr, now)
		}
	}
	after := liveHeap()
	growth := int64(after) - int64(before)
	t.Logf("live heap before %d B, after 100000 requests %d B (growth %d B)", before, after, growth)
	assert.Less(t, growth, int64(256<<10), "per-request retention: the live heap grew by %d bytes", growth)
}

// BenchmarkLiveHeapReadWrite reports the live heap left after b.N
// read-and-write checks, as the metric live-B: it must not grow with b.N.
func BenchmarkLiveHeapReadWrite(b *testing.B) {
	f := newBenchFixture(b, "PS256")
	fapi.CheckAuthorizationRequest(f.svc, f.pc, f.req, now)
	before := liveHeap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fapi.CheckAuthorizationRequest(f.svc, f.pc, f.req, now)
	}
	b.StopTimer()
	b.ReportMetric(float64(int64(liveHeap())-int64(before)), "live-B")
}
