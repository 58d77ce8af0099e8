package jose

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ratOfDate is the exact value of d in seconds.
func ratOfDate(d NumericDate) *big.Rat {
	r := new(big.Rat).SetInt64(d.Unix)
	r.Add(r, big.NewRat(int64(d.Nanos), 1e9))
	if d.Sub != "" {
		num, ok := new(big.Int).SetString(d.Sub, 10)
		if !ok {
			panic("Sub " + d.Sub)
		}
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(9+len(d.Sub))), nil)
		r.Add(r, new(big.Rat).SetFrac(num, den))
	}
	return r
}

// ratOfTime is the exact value of t in seconds since the epoch.
func ratOfTime(t time.Time) *big.Rat {
	return new(big.Rat).Add(new(big.Rat).SetInt64(t.Unix()), big.NewRat(int64(t.Nanosecond()), 1e9))
}

// oracleDate reads a JSON number as an exact rational (big.Rat) and says
// whether parseNumericDate must accept it: the text at most 64
// characters, the value 0 or between 0 and maxNumericDate, and no digit
// below 1e-64. Exponents in the tests are small enough for big.Rat.
func oracleDate(t *testing.T, text string) (*big.Rat, bool) {
	t.Helper()
	r, ok := new(big.Rat).SetString(text)
	require.True(t, ok, text)
	if len(text) > maxNumericDateText || r.Sign() < 0 || r.Cmp(new(big.Rat).SetInt64(maxNumericDate)) > 0 {
		return r, false
	}
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(maxNumericDateDigits), nil)))
	return r, scaled.IsInt()
}

// TestParseNumericDateOracle checks parseNumericDate against exact rational
// arithmetic on generated numbers: integer, fraction and exponent parts of
// every length around the limits.
func TestParseNumericDateOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(7519, 2))
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		return b.String()
	}
	accepted := 0
	for i := 0; i < 20000; i++ {
		var text string
		if rng.IntN(8) == 0 {
			text = "-"
		}
		intPart := strings.TrimLeft(digits(1+rng.IntN(13)), "0")
		if intPart == "" {
			intPart = "0"
		}
		text += intPart
		if rng.IntN(3) > 0 {
			f := digits(1 + rng.IntN(60))
			if rng.IntN(2) == 0 {
				f = strings.Repeat("0", rng.IntN(12)) + f // near the nanosecond
			}
			text += "." + f
		}
		if rng.IntN(3) == 0 {
			text += []string{"e", "E", "e+", "e-", "E-"}[rng.IntN(5)] + strconv.Itoa(rng.IntN(80))
		}
		want, ok := oracleDate(t, text)
		d, problem := parseNumericDate([]byte(text))
		if !ok {
			require.NotEmpty(t, problem, "%s accepted as %+v", text, d)
			require.Zero(t, d)
			continue
		}
		require.Empty(t, problem, text)
		accepted++
		require.True(t, d.Present)
		require.Zero(t, ratOfDate(d).Cmp(want), "%s read as %+v", text, d)
		require.True(t, d.Nanos >= 0 && d.Nanos < 1e9)
		require.LessOrEqual(t, len(d.Sub), maxSubDigits)
		require.False(t, strings.HasSuffix(d.Sub, "0"), "Sub %q has a trailing zero", d.Sub)

		// Compare, with times at, just before and just after the date.
		for _, off := range []time.Duration{-time.Second, -1, 0, 1, time.Second} {
			at := time.Unix(d.Unix, int64(d.Nanos)).Add(off)
			require.Equal(t, ratOfDate(d).Cmp(ratOfTime(at)), d.Compare(at), "%s vs %s", text, at)
			require.Equal(t, at.Before(d.Time()), ratOfTime(at).Cmp(want) < 0, "Time of %s", text)
			require.Equal(t, d.Time().After(at), want.Cmp(ratOfTime(at)) > 0, "Time of %s", text)
		}
	}
	// Both branches are well exercised.
	require.Greater(t, accepted, 5000)
	require.Less(t, accepted, 15000)
	t.Logf("%d of 20000 accepted", accepted)
}

// TestExceedsAfterOracle checks d − e > limit against exact rational
// arithmetic, at and around the limit, below the nanosecond too.
func TestExceedsAfterOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(7519, 4))
	sub := func() string {
		switch rng.IntN(4) {
		case 0:
			return ""
		case 1:
			return "1"
		case 2:
			return "9"
		}
		return strings.TrimRight(strconv.Itoa(rng.IntN(1000))+"5", "0")
	}
	for i := 0; i < 20000; i++ {
		e := NumericDate{Unix: 1700000000 + rng.Int64N(3), Nanos: int32(rng.IntN(3)) * 499999999, Sub: sub(), Present: true}
		limit := []time.Duration{time.Hour, 0, -time.Second - 500*time.Millisecond, time.Nanosecond, 60 * time.Second}[rng.IntN(5)]
		// d near e + limit.
		base := time.Unix(e.Unix, int64(e.Nanos)).Add(limit).Add(time.Duration(rng.IntN(5) - 2))
		d := NumericDate{Unix: base.Unix(), Nanos: int32(base.Nanosecond()), Sub: sub(), Present: true}
		diff := new(big.Rat).Sub(ratOfDate(d), ratOfDate(e))
		want := diff.Cmp(ratOfTime(time.Unix(0, int64(limit)))) > 0
		require.Equal(t, want, d.ExceedsAfter(e, limit), "%+v − %+v > %s", d, e, limit)
	}
}

// TestParseNumericDateAllocations: an integer date, the common case, is
// read without allocating, and so is a fraction to the nanosecond; only
// digits below the nanosecond allocate, once.
func TestParseNumericDateAllocations(t *testing.T) {
	for text, want := range map[string]float64{
		"1700000000":              0,
		"0":                       0,
		"1700000000.5":            0,
		"1.7e9":                   0,
		"253402300800":            0,
		"1e400":                   0,
		"1700000000.000000000001": 1,
	} {
		raw := []byte(text)
		got := testing.AllocsPerRun(100, func() { _, _ = parseNumericDate(raw) })
		assert.Equal(t, want, got, text)
	}
}

// BenchmarkParseNumericDate measures the integer fast path and the
// general path.
func BenchmarkParseNumericDate(b *testing.B) {
	for _, text := range []string{"1700000000", "1700000000.5", "1.7e9", "1700000000.000000000001"} {
		raw := []byte(text)
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, problem := parseNumericDate(raw); problem != "" {
					b.Fatal(problem)
				}
			}
		})
	}
}
