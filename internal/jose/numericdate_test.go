package jose_test

import (
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
