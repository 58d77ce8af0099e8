package jose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/jose"
)

func date(t *testing.T, raw string) jose.NumericDate {
	t.Helper()
	c, err := jose.DecodeClaims([]byte(`{"exp":` + raw + `}`))
	require.NoError(t, err, raw)
	return c.Expiry
}

// TestNumericDateExact: RFC 7519 §2 NumericDates with fractions are held
// and compared exactly, below the nanosecond too.
func TestNumericDateExact(t *testing.T) {
	base := time.Unix(1700000000, 0)
	tests := []struct {
		raw     string
		unix    int64
		nanos   int32
		sub     string
		compare map[time.Duration]int // base+offset → d.Compare
	}{
		{"1700000000", 1700000000, 0, "", map[time.Duration]int{0: 0, 1: -1, -1: 1}},
		{"1700000000.5", 1700000000, 500000000, "", map[time.Duration]int{500 * time.Millisecond: 0, 499999999: 1, 500000001: -1}},
		{"1700000000.0000000001", 1700000000, 0, "1", map[time.Duration]int{0: 1, 1: -1}},
		{"1700000000.9999999999", 1700000000, 999999999, "9", map[time.Duration]int{999999999: 1, time.Second: -1}},
		{"17000000005e-1", 1700000000, 500000000, "", map[time.Duration]int{500 * time.Millisecond: 0}},
		{"1.7e9", 1700000000, 0, "", map[time.Duration]int{0: 0}},
		{"1.70000000012345678912e9", 1700000000, 123456789, "12", map[time.Duration]int{123456789: 1, 123456790: -1}},
		{"1700000000.1000", 1700000000, 100000000, "", map[time.Duration]int{100 * time.Millisecond: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			d := date(t, tt.raw)
			assert.Equal(t, jose.NumericDate{Unix: tt.unix, Nanos: tt.nanos, Sub: tt.sub, Present: true}, d)
			for off, want := range tt.compare {
				assert.Equal(t, want, d.Compare(base.Add(off)), "offset %s", off)
				assert.Equal(t, want > 0, d.After(base.Add(off)))
				assert.Equal(t, want <= 0, d.NotAfter(base.Add(off)))
			}
			// Time rounds up below the nanosecond, never down.
			assert.False(t, d.Time().Before(base.Add(time.Duration(tt.nanos))))
			if tt.sub != "" {
				assert.Equal(t, time.Duration(tt.nanos)+1, d.Time().Sub(base))
			}
		})
	}
}

func TestNumericDateExceedsAfter(t *testing.T) {
	tests := []struct {
		exp, nbf string
		want     bool
	}{
		{"1700003600", "1700000000", false},
		{"1700003601", "1700000000", true},
		{"1700003600.25", "1700000000.25", false},
		{"1700003600.2500000001", "1700000000.25", true},
		{"1700003600.25", "1700000000.2500000001", false},
		{"1700003600.0000000002", "1700000000.0000000001", true},
		{"1700003600.0000000001", "1700000000.0000000001", false},
		{"1700003600.000000001", "1700000000.0000000009", true},
		{"1700003599.9999999999", "1700000000", false},
		{"1700003600", "1699999999.9999999999", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, date(t, tt.exp).ExceedsAfter(date(t, tt.nbf), time.Hour), "%s − %s > 1h", tt.exp, tt.nbf)
	}
}

// TestNumericDateBoundaries: the comparisons the verifiers make, at the
// boundaries, for fractional dates (RFC 7519 §2) and times to the
// nanosecond.
func TestNumericDateBoundaries(t *testing.T) {
	at := func(sec int64, ns int64) time.Time { return time.Unix(sec, ns) }
	tests := []struct {
		name   string
		raw    string
		now    time.Time
		before bool // d < now
		after  bool // d > now
	}{
		{"exp .5 at now .5: expired", "1700000000.5", at(1700000000, 500000000), false, false},
		{"exp .5 at now .499999999: valid", "1700000000.5", at(1700000000, 499999999), false, true},
		{"exp .5 at now .500000001", "1700000000.5", at(1700000000, 500000001), true, false},
		{"1.7e9 at now 1.7e9", "1.7e9", at(1700000000, 0), false, false},
		{"sub-nanosecond nbf after now to the nanosecond", "1700000000.000000000001", at(1700000000, 0), false, true},
		{"sub-nanosecond nbf before the next nanosecond", "1700000000.000000000001", at(1700000000, 1), true, false},
		{"just below a nanosecond", "1700000000.000000000999999", at(1700000000, 1), true, false},
		{"exponent and fraction", "17000000001234567891e-10", at(1700000000, 123456789), false, true},
		{"negative exponent, integer", "17000000000000e-4", at(1700000000, 0), false, false},
		{"zero at the epoch", "0.0", at(0, 0), false, false},
		{"zero after a time before the epoch", "0", at(-1, 999999999), false, true},
		{"max date at its second", "253402300799", at(maxNumericDate, 0), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := date(t, tt.raw)
			assert.Equal(t, tt.before, d.Before(tt.now), "Before")
			assert.Equal(t, tt.after, d.After(tt.now), "After")
			assert.Equal(t, !tt.after, d.NotAfter(tt.now), "NotAfter")
			want := 0
			switch {
			case tt.before:
				want = -1
			case tt.after:
				want = 1
			}
			assert.Equal(t, want, d.Compare(tt.now), "Compare")
			// The idioms on Time agree with the exact comparisons.
			assert.Equal(t, tt.after, d.Time().After(tt.now), "Time().After")
			assert.Equal(t, tt.after, tt.now.Before(d.Time()), "now.Before(Time())")
		})
	}
}

// TestNumericDateLifetimes: exp − nbf > limit (requestobject MaxLifetime)
// and now − nbf > limit (MaxNbfAge, DPoP iat age), exactly.
func TestNumericDateLifetimes(t *testing.T) {
	tests := []struct {
		exp, nbf string
		limit    time.Duration
		want     bool
	}{
		{"1700003600.5", "1700000000.5", time.Hour, false},
		{"1700003600.500000001", "1700000000.5", time.Hour, true},
		{"1700003600.500000000001", "1700000000.5", time.Hour, true},
		{"1700003600.5", "1700000000.499999999999", time.Hour, true},
		{"1700003600.5", "1700000000.500000000001", time.Hour, false},
		{"1700003600.000000000002", "1700000000.000000000001", time.Hour, true},
		{"1700003600.000000000001", "1700000000.000000000002", time.Hour, false},
		{"1700003600.00000000012", "1700000000.00000000011", time.Hour, true},
		{"1.7000036e9", "1.7e9", time.Hour, false},
		{"1.7000036e9", "1.7e9", time.Hour - 1, true},
		{"1700000000", "1700000000", 0, false},
		{"1700000000.000000000001", "1700000000", 0, true},
		{"1700000000", "1700000000.000000000001", 0, false},
		// Negative limits: d − e > −1.5 s.
		{"1699999998.5", "1700000000", -1500 * time.Millisecond, false},
		{"1699999998.500000000001", "1700000000", -1500 * time.Millisecond, true},
		{"1699999998.8", "1700000000", -1500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		got := date(t, tt.exp).ExceedsAfter(date(t, tt.nbf), tt.limit)
		assert.Equal(t, tt.want, got, "%s - %s > %s", tt.exp, tt.nbf, tt.limit)
	}

	// now − nbf > limit is nbf before now − limit.
	nbf := date(t, "1699996400.000000000001")
	now := time.Unix(1700000000, 0)
	assert.False(t, nbf.Before(now.Add(-time.Hour)), "3600 s less a tenth of a picosecond old")
	nbf = date(t, "1699996399.999999999999")
	assert.True(t, nbf.Before(now.Add(-time.Hour)), "3600 s and a picosecond old")
}

// TestNumericDateString: messages print the date exactly, in RFC 3339.
func TestNumericDateString(t *testing.T) {
	for raw, want := range map[string]string{
		"1700000000":              "2023-11-14T22:13:20Z",
		"1700000000.5":            "2023-11-14T22:13:20.5Z",
		"1700000000.000000001":    "2023-11-14T22:13:20.000000001Z",
		"1700000000.000000000001": "2023-11-14T22:13:20.000000000001Z",
		"1700000000.12345678912":  "2023-11-14T22:13:20.12345678912Z",
		"1.7e9":                   "2023-11-14T22:13:20Z",
		"0":                       "1970-01-01T00:00:00Z",
		"253402300799":            "9999-12-31T23:59:59Z",
	} {
		assert.Equal(t, want, date(t, raw).String(), raw)
	}
	assert.Equal(t, "absent", jose.NumericDate{}.String())
}

// TestNumericDateRefused: what RFC 7519 §2 does not make a date, and what
// is beyond the bounds, is refused with a readable message naming the
// claim; huge exponents are refused without expanding them.
func TestNumericDateRefused(t *testing.T) {
	tests := []struct{ raw, message string }{
		{`"1700000000.5"`, "exp: must be a number (seconds since the epoch), not string"},
		{`true`, "exp: must be a number (seconds since the epoch), not boolean"},
		{`-1700000000.5`, "exp: -1700000000.5 is negative"},
		{`-1e-3`, "exp: -1e-3 is negative"},
		{`253402300799.000000001`, "exp: 253402300799.000000001 is out of range"},
		{`253402300800`, "exp: 253402300800 is out of range"},
		{`1e400`, "exp: 1e400 is out of range"},
		{`1e99999999999999999999999999999999999999999999999999999999999`, "exp: 1e999999999999999999999999999999... is out of range"},
		{`1e-99999999999999999999999999999999999999999999999999999999999`, "exp: 1e-99999999999999999999999999999... has digits below 1e-64 seconds"},
		{`1.` + strings.Repeat("1", 63), "exp: 1.111111111111111111111111111111... is longer than 64 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			c, err := jose.DecodeClaims([]byte(`{"exp":` + tt.raw + `}`))
			assert.Nil(t, c)
			require.ErrorIs(t, err, jose.ErrMalformed)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}
