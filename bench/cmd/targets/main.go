// Command targets reads the output of the library's benchmarks
// (go test -bench of ./fapi and ./pkce, run with -count of at least 5) and
// reports the speed targets of BENCHMARKS.md: the median of each benchmark
// and the ratios between them. It exits with status 1 when a target is
// missed or a benchmark is missing, and 2 on unreadable input.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem -count 10 ./fapi ./pkce > new.txt
//	cd bench && go run ./cmd/targets ../new.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
)

// sample is one benchmark result line.
type sample struct{ ns, allocs float64 }

// line matches "BenchmarkName-2   1000   123.4 ns/op   56 B/op   7 allocs/op".
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op(?:.*?\s([0-9.]+) allocs/op)?`)

func parse(r io.Reader, into map[string][]sample) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return err
		}
		s := sample{ns: ns, allocs: -1}
		if m[3] != "" {
			if s.allocs, err = strconv.ParseFloat(m[3], 64); err != nil {
				return err
			}
		}
		into[m[1]] = append(into[m[1]], s)
	}
	return sc.Err()
}

func parseInput(name string, stdin io.Reader, into map[string][]sample) error {
	if name == "-" {
		return parse(stdin, into)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return parse(f, into)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// target is one line of the report.
type target struct {
	what   string
	value  float64
	limit  float64
	atMost bool // value must be ≤ limit (else ≥)
	unit   string
}

func (t target) ok() bool {
	if t.atMost {
		return t.value <= t.limit
	}
	return t.value >= t.limit
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run reads the named files (standard input for none or "-"), writes the
// report to stdout and returns the exit status.
func run(inputs []string, stdin io.Reader, stdout, stderr io.Writer) int {
	runs := map[string][]sample{}
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	for _, name := range inputs {
		if err := parseInput(name, stdin, runs); err != nil {
			fmt.Fprintln(stderr, "targets:", err)
			return 2
		}
	}

	missing := false
	med := func(name string, allocs bool) float64 {
		ss := runs[name]
		if len(ss) == 0 {
			fmt.Fprintf(stdout, "missing: %s\n", name)
			missing = true
			return 0
		}
		if len(ss) < 5 {
			fmt.Fprintf(stdout, "too few counts for %s: %d (want at least 5)\n", name, len(ss))
			missing = true
		}
		xs := make([]float64, len(ss))
		for i, s := range ss {
			xs[i] = s.ns
			if allocs {
				xs[i] = s.allocs
			}
		}
		return median(xs)
	}
	ratio := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	}

	var ts []target
	for _, alg := range []string{"PS256", "ES256"} {
		check, floor := "BenchmarkAuthorizationReadWrite"+alg, "BenchmarkFloor"+alg
		ts = append(ts,
			target{check + " / " + floor + " (ns/op)", ratio(med(check, false), med(floor, false)), 1.10, true, "×"},
			target{check + " / " + floor + " (allocs/op)", ratio(med(check, true), med(floor, true)), 1.5, true, "×"})
	}
	ts = append(ts,
		target{"BenchmarkAuthorizationReadOnly (ns/op)", med("BenchmarkAuthorizationReadOnly", false), 2000, true, "ns"},
		target{"BenchmarkAuthorizationReadOnly (allocs/op)", med("BenchmarkAuthorizationReadOnly", true), 10, true, ""},
		target{"BenchmarkPKCEVerify / BenchmarkFloorPKCE (ns/op)", ratio(med("BenchmarkPKCEVerify", false), med("BenchmarkFloorPKCE", false)), 1.2, true, "×"},
		target{"throughput of BenchmarkAuthorizationReadWriteParallel / BenchmarkAuthorizationReadWritePS256",
			ratio(med("BenchmarkAuthorizationReadWritePS256", false), med("BenchmarkAuthorizationReadWriteParallel", false)), 1.8, false, "×"})

	names := make([]string, 0, len(runs))
	for n := range runs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(stdout, "medians:")
	for _, n := range names {
		fmt.Fprintf(stdout, "  %-48s %12.1f ns/op %8.0f allocs/op  (%d counts)\n", n, med(n, false), med(n, true), len(runs[n]))
	}
	fmt.Fprintln(stdout, "targets:")
	failed := missing
	for _, t := range ts {
		op, verdict := "≥", "ok"
		if t.atMost {
			op = "≤"
		}
		if !t.ok() {
			verdict, failed = "MISSED", true
		}
		format := "  %-6s %s: %.3f%s (%s %g%s)\n"
		if t.unit != "×" {
			format = "  %-6s %s: %.0f%s (%s %g%s)\n"
		}
		fmt.Fprintf(stdout, format, verdict, t.what, t.value, t.unit, op, t.limit, t.unit)
	}
	// The floor's own scaling is no target: it says what the machine allows.
	// On shared or throttled cores the floor scales by less than the core
	// count, and a miss of the parallel target there says so too.
	if len(runs["BenchmarkFloorPS256Parallel"]) > 0 && len(runs["BenchmarkFloorPS256"]) > 0 {
		fmt.Fprintf(stdout, "reference:\n  throughput of BenchmarkFloorPS256Parallel / BenchmarkFloorPS256: %.3f×\n",
			ratio(med("BenchmarkFloorPS256", false), med("BenchmarkFloorPS256Parallel", false)))
	}
	if failed {
		return 1
	}
	return 0
}
