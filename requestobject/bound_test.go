package requestobject_test

import (
	"net/url"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	R "github.com/fapicheck/fapicheck/requestobject"
)

// insideClaims is the claims parameter of outsidePayload, as sent outside
// byte for byte.
const insideClaims = `{"id_token":{"acr":{"essential":true,"values":["urn:a","urn:b"]},"auth_time":null},"userinfo":{"n":{"value":1}}}`

// padded is json followed by spaces up to size bytes: the same JSON value
// (RFC 8259 §2 allows whitespace around it), so the size alone decides.
func padded(json string, size int) string {
	return json + strings.Repeat(" ", size-len(json))
}

// dense is a JSON object of exactly size bytes whose bulk is an array of
// small numbers, the costliest shape per byte for a generic decoder.
func dense(size int) string {
	const prefix, suffix = `{"userinfo":{"x":{"values":[`, `]}}}`
	n := (size - len(prefix) - len(suffix) + 1) / 2
	return padded(prefix+strings.Repeat("1,", n-1)+"1", size-len(suffix)) + suffix
}

// bytesPerRun is testing.AllocsPerRun for bytes: the heap bytes f allocates
// per call, averaged over runs calls after a warm-up call.
func bytesPerRun(runs int, f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

// A value decided without being decoded or copied costs CompareOutside a
// handful of small allocations (the error, its message with a quoted prefix
// of each value) whatever its size: 13 allocations and 2 KiB at most, with
// or without the race detector. A decoded or copied 1 MiB value would cost
// at least 1 MiB, and a decoded one tens of thousands of allocations.
const (
	refusalAllocs = 16
	refusalBytes  = 4 << 10
)

// TestCompareOutsideBound checks the size bound of CompareOutside's JSON
// comparison (MaxClaimsSize, FAPI-RW-5.2.2-10): up to the bound a JSON value
// is compared by meaning; beyond it, on either side, it equals only the same
// bytes and anything else is refused as too large, before any decoding.
// The cheap cases must be decided with a few small allocations.
func TestCompareOutsideBound(t *testing.T) {
	small := objectOf(t, outsidePayload)
	// An object whose claims are beyond the bound inside (the request
	// object's own limit is larger). As a member's text is taken without
	// whitespace around it, the padding is inside the top-level object.
	bigClaims := padded(`{"userinfo":{"x":null}`, R.MaxClaimsSize) + "}"
	big := objectOf(t, `{"aud":"https://as.example.com","claims":`+bigClaims+`}`)
	const mib = 1 << 20
	type outcome int
	const (
		equal outcome = iota
		differs
		tooLarge
	)
	cases := []struct {
		name    string
		obj     *R.Object
		param   string
		outside string
		want    outcome
		cheap   bool // refused or accepted without decoding or copying
	}{
		{"claims, same bytes", small, "claims", insideClaims, equal, true},
		{"claims at the bound, same meaning", small, "claims", padded(insideClaims, R.MaxClaimsSize), equal, false},
		{"claims one byte over the bound, same meaning", small, "claims", padded(insideClaims, R.MaxClaimsSize+1), tooLarge, true},
		{"claims of 1 MiB, same meaning", small, "claims", padded(insideClaims, mib), tooLarge, true},
		{"claims at the bound, dense, other meaning", small, "claims", dense(R.MaxClaimsSize), differs, false},
		{"claims one byte over the bound, dense", small, "claims", dense(R.MaxClaimsSize + 1), tooLarge, true},
		{"claims of 1 MiB, dense", small, "claims", dense(mib), tooLarge, true},
		{"claims of 1 MiB, not JSON", small, "claims", strings.Repeat("[", mib), tooLarge, true},
		{"max_age over the bound, same number", small, "max_age", "3." + strings.Repeat("0", R.MaxClaimsSize) + "e2", tooLarge, true},
		{"max_age at the bound, same number", small, "max_age", padded("3.00e2", R.MaxClaimsSize), equal, false},
		{"claims over the bound inside, same bytes outside", big, "claims", bigClaims, equal, true},
		{"claims over the bound inside, same meaning outside", big, "claims", `{"userinfo":{"x":null}}`, tooLarge, true},
		{"claims over the bound inside, 1 MiB outside", big, "claims", dense(mib), tooLarge, true},
		// Strings are never decoded; they are compared as they are.
		{"state of 1 MiB", small, "state", strings.Repeat("x", mib), differs, true},
		{"scope of 1 MiB of words", small, "scope", strings.Repeat("a ", mib/2), differs, true},
		{"scope of 1 MiB, same words", small, "scope", "openid" + strings.Repeat(" ", mib) + "accounts", equal, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			outside := url.Values{tc.param: {tc.outside}}
			errs := tc.obj.CompareOutside(outside)
			checkErrorShape(t, errs)
			switch tc.want {
			case equal:
				assert.Empty(t, errs)
			default:
				require.Len(t, errs, 1)
				assert.Equal(t, R.ReasonParamMismatch, errs[0].Reason)
				assert.Equal(t, tc.param, errs[0].Claim)
				assert.Equal(t, tc.want == tooLarge, strings.HasPrefix(errs[0].Message, tc.param+" is too large to compare: "), errs[0].Message)
				// The message quotes at most a bounded part of the value.
				assert.Less(t, len(errs[0].Message), 1<<10)
				assert.True(t, utf8.ValidString(errs[0].Message))
			}
			p, ok := tc.obj.Param(tc.param)
			require.True(t, ok)
			assert.Equal(t, tc.want == equal, p.Equal(tc.outside), "Equal agrees with CompareOutside")
			if !tc.cheap {
				return
			}
			compare := func() { _ = tc.obj.CompareOutside(outside) }
			assert.LessOrEqual(t, testing.AllocsPerRun(10, compare), float64(refusalAllocs), "allocations")
			assert.LessOrEqual(t, bytesPerRun(10, compare), uint64(refusalBytes), "bytes allocated")
		})
	}
}

// TestCompareOutsideMessageQuotesAPrefix checks that a mismatch message
// quotes a long value by a prefix, cut between UTF-8 sequences, and its
// length.
func TestCompareOutsideMessageQuotesAPrefix(t *testing.T) {
	obj := objectOf(t, outsidePayload)
	long := "x" + strings.Repeat("é", 1000) // the 256th byte is inside an é
	errs := obj.CompareOutside(url.Values{"state": {long}})
	require.Len(t, errs, 1)
	msg := errs[0].Message
	assert.Contains(t, msg, `"x`+strings.Repeat("é", 127)+`"... (2001 bytes)`)
	assert.NotContains(t, msg, `\x`, "no sequence is cut")
	assert.Contains(t, msg, `"xyz"`)
}
