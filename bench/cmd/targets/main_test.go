package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// output builds go test -bench output: count lines per benchmark.
func output(count int, ns map[string]float64, allocs map[string]int) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\n")
	for i := 0; i < count; i++ {
		for name, v := range ns {
			// Spread the counts so that the median is the middle value.
			fmt.Fprintf(&b, "%s-2   \t 1000\t %.1f ns/op\t 100 B/op\t %d allocs/op\n", name, v*(1+0.01*float64(i-count/2)), allocs[name])
		}
	}
	b.WriteString("PASS\n")
	return b.String()
}

func passing() (map[string]float64, map[string]int) {
	ns := map[string]float64{
		"BenchmarkFloorPS256": 46000, "BenchmarkAuthorizationReadWritePS256": 48000,
		"BenchmarkFloorES256": 90000, "BenchmarkAuthorizationReadWriteES256": 92000,
		"BenchmarkAuthorizationReadOnly": 1500, "BenchmarkFloorPKCE": 200, "BenchmarkPKCEVerify": 210,
		"BenchmarkAuthorizationReadWriteParallel": 25000,
	}
	allocs := map[string]int{
		"BenchmarkFloorPS256": 94, "BenchmarkAuthorizationReadWritePS256": 56,
		"BenchmarkFloorES256": 102, "BenchmarkAuthorizationReadWriteES256": 67,
		"BenchmarkAuthorizationReadOnly": 2,
	}
	return ns, allocs
}

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		change func(ns map[string]float64, allocs map[string]int)
		count  int
		status int
		says   string
	}{
		{name: "all targets met", count: 5, status: 0, says: "ok"},
		{name: "check too slow", count: 5, status: 1, says: "MISSED BenchmarkAuthorizationReadWritePS256 / BenchmarkFloorPS256 (ns/op)",
			change: func(ns map[string]float64, _ map[string]int) { ns["BenchmarkAuthorizationReadWritePS256"] = 52000 }},
		{name: "too many allocations", count: 5, status: 1, says: "MISSED BenchmarkAuthorizationReadWriteES256 / BenchmarkFloorES256 (allocs/op)",
			change: func(_ map[string]float64, a map[string]int) { a["BenchmarkAuthorizationReadWriteES256"] = 160 }},
		{name: "read-only too slow", count: 5, status: 1, says: "MISSED BenchmarkAuthorizationReadOnly (ns/op)",
			change: func(ns map[string]float64, _ map[string]int) { ns["BenchmarkAuthorizationReadOnly"] = 2100 }},
		{name: "parallel does not scale", count: 5, status: 1, says: "MISSED throughput",
			change: func(ns map[string]float64, _ map[string]int) { ns["BenchmarkAuthorizationReadWriteParallel"] = 40000 }},
		{name: "PKCE too slow", count: 5, status: 1, says: "MISSED BenchmarkPKCEVerify",
			change: func(ns map[string]float64, _ map[string]int) { ns["BenchmarkPKCEVerify"] = 260 }},
		{name: "missing benchmark", count: 5, status: 1, says: "missing: BenchmarkFloorPKCE",
			change: func(ns map[string]float64, _ map[string]int) { delete(ns, "BenchmarkFloorPKCE") }},
		{name: "too few counts", count: 3, status: 1, says: "too few counts"},
		{name: "floor's scaling is reported, not judged", count: 5, status: 0,
			says: "throughput of BenchmarkFloorPS256Parallel / BenchmarkFloorPS256: 1.500×",
			change: func(ns map[string]float64, _ map[string]int) {
				ns["BenchmarkFloorPS256Parallel"] = 46000 / 1.5
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, allocs := passing()
			if tt.change != nil {
				tt.change(ns, allocs)
			}
			var out, errOut bytes.Buffer
			status := run([]string{"-"}, strings.NewReader(output(tt.count, ns, allocs)), &out, &errOut)
			assert.Equal(t, tt.status, status, out.String())
			assert.Contains(t, out.String(), tt.says)
			if _, ok := ns["BenchmarkFloorPS256Parallel"]; !ok {
				assert.NotContains(t, out.String(), "reference:")
			}
		})
	}
}

func TestMedian(t *testing.T) {
	assert.Equal(t, 2.0, median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
}

func TestUnreadableInput(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run([]string{"/nonexistent/bench.txt"}, nil, &out, &errOut))
	assert.Contains(t, errOut.String(), "targets:")
}
