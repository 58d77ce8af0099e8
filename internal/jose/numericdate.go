package jose

import (
	"strings"
	"time"
)

// maxNumericDateText bounds the JSON text of a NumericDate: a date to the
// nanosecond is about 20 characters; anything longer than this is refused
// before any arithmetic.
const maxNumericDateText = 64

// maxNumericDateDigits is the finest decimal place a NumericDate may have a
// non-zero digit in, counted below the decimal point once the exponent is
// applied: 1e-64 s. RFC 8259 §9 lets an implementation bound the precision
// of numbers; this bound admits every text of maxNumericDateText characters
// written without an exponent, and keeps the digits held below the
// nanosecond (NumericDate.Sub) to at most 55.
const maxNumericDateDigits = 64

// maxSubDigits is the most digits NumericDate.Sub holds.
const maxSubDigits = maxNumericDateDigits - 9

// NumericDate is a JWT NumericDate (RFC 7519 §2): "A JSON numeric value
// representing the number of seconds from 1970-01-01T00:00:00Z UTC until
// the specified UTC date/time, ignoring leap seconds. ... non-integer values
// can be represented." It holds the value exactly, as the whole seconds,
// the whole nanoseconds past them, and the decimal digits below the
// nanosecond, so that every comparison with a time and every lifetime is
// exact and never rounds in the sender's favour. DecodeClaims fills it; the
// zero value is an absent date.
//
// The value is Unix + Nanos×10⁻⁹ + 0.Sub×10⁻⁹ seconds.
type NumericDate struct {
	// Unix is the whole seconds since 1970-01-01T00:00:00Z, 0 to
	// 253402300799 (9999-12-31T23:59:59Z).
	Unix int64
	// Nanos is the whole nanoseconds past Unix, 0 to 999999999.
	Nanos int32
	// Present reports whether the claim was sent.
	Present bool
	// Sub is the decimal digits below the nanosecond (the tenth digit
	// after the decimal point on), without trailing zeros: "" when the
	// date is a whole number of nanoseconds, "1" for a tenth of one.
	Sub string
}

// Time returns the date as a time.Time in UTC. A date with digits below
// the nanosecond is rounded up to the next nanosecond, the one rounding
// that keeps the usual comparisons exact: for every time t (which has
// nanosecond resolution), t.Before(d.Time()) exactly when t is before d,
// and d.Time().After(t) exactly when d is after t; a jti kept until
// d.Time() is kept at least until d. Use Compare, Before and After to
// compare a date itself, and ExceedsAfter for a lifetime.
func (d NumericDate) Time() time.Time {
	t := time.Unix(d.Unix, int64(d.Nanos)).UTC()
	if d.Sub != "" {
		t = t.Add(time.Nanosecond)
	}
	return t
}

// Compare compares d with t exactly: -1 if d is before t, 0 if they are
// the same instant, +1 if d is after t. A date with digits below the
// nanosecond is never equal to a time.
func (d NumericDate) Compare(t time.Time) int {
	// t.Unix() rounds down and t.Nanosecond() is in [0, 1e9), also
	// before 1970, so the pairs compare in order.
	ts, tn := t.Unix(), int32(t.Nanosecond())
	switch {
	case d.Unix < ts, d.Unix == ts && d.Nanos < tn:
		return -1 // d < d.Unix + d.Nanos + 1ns ≤ t
	case d.Unix > ts, d.Nanos > tn:
		return 1
	case d.Sub != "":
		return 1 // the same nanosecond, and digits below it
	}
	return 0
}

// Before reports whether d is strictly before t, exactly.
func (d NumericDate) Before(t time.Time) bool { return d.Compare(t) < 0 }

// After reports whether d is strictly after t, exactly (an nbf or iat that
// has not come yet, RFC 7519 §4.1.5, §4.1.6).
func (d NumericDate) After(t time.Time) bool { return d.Compare(t) > 0 }

// NotAfter reports whether d is t or before it, exactly (an exp that has
// passed: RFC 7519 §4.1.4 accepts only a current time before exp).
func (d NumericDate) NotAfter(t time.Time) bool { return d.Compare(t) <= 0 }

// ExceedsAfter reports whether d is more than limit after e, exactly:
// d − e > limit (for a lifetime, exp.ExceedsAfter(nbf, max)). limit may be
// negative.
func (d NumericDate) ExceedsAfter(e NumericDate, limit time.Duration) bool {
	// d − e to the whole nanosecond, as seconds and nanoseconds in
	// [0, 1e9); the seconds of a decoded date are bounded by
	// maxNumericDate, so nothing overflows.
	sec := d.Unix - e.Unix
	ns := int64(d.Nanos) - int64(e.Nanos)
	if ns < 0 {
		sec, ns = sec-1, ns+1e9
	}
	// limit likewise, with the nanoseconds in [0, 1e9) when it is negative.
	ls, lns := int64(limit/time.Second), int64(limit%time.Second)
	if lns < 0 {
		ls, lns = ls-1, lns+1e9
	}
	// The digits below the nanosecond of d and of e add to d − e less
	// than a nanosecond either way.
	switch {
	case sec > ls || sec == ls && ns > lns:
		return true // d − e > whole − 1ns ≥ limit
	case sec < ls || ns < lns:
		return false // d − e < whole + 1ns ≤ limit
	}
	// The whole nanoseconds are limit: the digits below decide.
	return compareFraction(d.Sub, e.Sub) > 0
}

// String formats the date exactly in RFC 3339, with as many fractional
// digits as it has ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20.5Z",
// "2023-11-14T22:13:20.0000000001Z"); an absent date is "absent".
func (d NumericDate) String() string {
	if !d.Present {
		return "absent"
	}
	s := time.Unix(d.Unix, 0).UTC().Format("2006-01-02T15:04:05")
	if d.Nanos == 0 && d.Sub == "" {
		return s + "Z"
	}
	var ns [9]byte
	for i, n := 8, d.Nanos; i >= 0; i-- {
		ns[i] = byte('0' + n%10)
		n /= 10
	}
	frac := string(ns[:]) + d.Sub
	return s + "." + strings.TrimRight(frac, "0") + "Z"
}

// compareFraction compares two strings of decimal digits read as the
// fractions 0.a and 0.b.
func compareFraction(a, b string) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		ca, cb := byte('0'), byte('0')
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		switch {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
	}
	return 0
}

// parseNumericDate reads the JSON number text raw as a NumericDate (RFC
// 7519 §2), exactly, or says what is wrong with it. It refuses texts over
// maxNumericDateText characters before reading them, negative values,
// values past maxNumericDate and values with a non-zero digit below
// 10^-maxNumericDateDigits s. The exponent is read only far enough to tell
// that it is out of range, and no value is ever expanded: the work is
// bounded by the text's length. Only a date with digits below the
// nanosecond allocates (for Sub).
func parseNumericDate(raw []byte) (NumericDate, string) {
	if len(raw) > maxNumericDateText {
		return NumericDate{}, "is longer than 64 characters"
	}
	if d, problem, ok := parseIntegerDate(raw); ok {
		return d, problem
	}
	var num decimal
	if !num.scan(raw) {
		return NumericDate{}, "is not a JSON number"
	}
	if !num.findNonZero() {
		return NumericDate{Present: true}, "" // zero, with or without a sign
	}
	if num.neg {
		return NumericDate{}, "is negative"
	}
	return num.date()
}

// expCap bounds the exponent read by scan: a magnitude of at least
// expCap is far out of range either way (the text has at most 64 digits),
// so larger exponents need not be read exactly.
const expCap = 10000

// decimal is a JSON number's text split into its parts. Its digits, those
// of the integer and fraction parts read as one string of n digits, are
// numbered from 0: digit k stands for 10^(nInt − 1 − k + exp). The loops
// over the digits read local copies of the fields, which the compiler keeps
// in registers: they are the hot part of reading a date with a fraction or
// an exponent.
type decimal struct {
	raw []byte
	neg bool
	// intStart and fracStart are where the integer and fraction digits
	// begin in raw; nInt is the number of integer digits, n of all digits.
	intStart, fracStart, nInt, n int
	// exp is the exponent, its magnitude capped near expCap.
	exp int
	// first and last are the outer non-zero digits, set by findNonZero.
	first, last int
}

// scan checks the grammar of RFC 8259 §6, again here so that nothing
// depends on the caller, and splits raw into d's parts:
//
//	[ "-" ] int [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
func (d *decimal) scan(raw []byte) bool {
	d.raw = raw
	i := 0
	d.neg = len(raw) > 0 && raw[0] == '-'
	if d.neg {
		i++
	}
	d.intStart = i
	i = skipDigits(raw, i)
	d.nInt = i - d.intStart
	if d.nInt == 0 || d.nInt > 1 && raw[d.intStart] == '0' {
		return false
	}
	d.fracStart, d.n = i, d.nInt
	if i < len(raw) && raw[i] == '.' {
		d.fracStart = i + 1
		i = skipDigits(raw, d.fracStart)
		if i == d.fracStart {
			return false
		}
		d.n += i - d.fracStart
	}
	i, ok := d.scanExponent(i)
	return ok && i == len(raw)
}

// scanExponent reads the exponent part, if any, starting at raw[i], and
// returns where it ends.
func (d *decimal) scanExponent(i int) (int, bool) {
	raw := d.raw
	if i >= len(raw) || raw[i] != 'e' && raw[i] != 'E' {
		return i, true
	}
	i++
	expNeg := false
	if i < len(raw) && (raw[i] == '+' || raw[i] == '-') {
		expNeg = raw[i] == '-'
		i++
	}
	start := i
	for i < len(raw) && isDigit(raw[i]) {
		if d.exp < expCap {
			d.exp = d.exp*10 + int(raw[i]-'0')
		}
		i++
	}
	if i == start {
		return i, false
	}
	if expNeg {
		d.exp = -d.exp
	}
	return i, true
}

// skipDigits returns the index of the first non-digit at or after i.
func skipDigits(raw []byte, i int) int {
	for i < len(raw) && isDigit(raw[i]) {
		i++
	}
	return i
}

// findNonZero sets first and last, and reports whether any digit is not
// zero.
func (d *decimal) findNonZero() bool {
	raw, intStart, fracStart, nInt := d.raw, d.intStart, d.fracStart, d.nInt
	first, last := -1, -1
	for k := 0; k < d.n; k++ {
		c := byte(0)
		if k < nInt {
			c = raw[intStart+k] - '0'
		} else {
			c = raw[fracStart+k-nInt] - '0'
		}
		if c != 0 {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	d.first, d.last = first, last
	return first >= 0
}

// date converts a positive decimal into a NumericDate, or says why it
// cannot be one.
func (d *decimal) date() (NumericDate, string) {
	nInt, exp, first, last, raw, intStart, fracStart := d.nInt, d.exp, d.first, d.last, d.raw, d.intStart, d.fracStart
	hi, lo := nInt-1-first+exp, nInt-1-last+exp // powers of ten of the outer non-zero digits
	if hi >= 12 {
		return NumericDate{}, "is out of range" // ≥ 1e12 > maxNumericDate
	}
	if lo < -maxNumericDateDigits {
		return NumericDate{}, "has digits below 1e-64 seconds"
	}
	at := func(p int) byte { // the digit for 10^p
		k := nInt - 1 + exp - p
		switch {
		case k < first || k > last:
			return 0
		case k < nInt:
			return raw[intStart+k] - '0'
		}
		return raw[fracStart+k-nInt] - '0'
	}
	var sec int64
	for p := hi; p >= 0; p-- {
		sec = sec*10 + int64(at(p))
	}
	var ns int32
	for p := -1; p >= -9; p-- {
		ns = ns*10 + int32(at(p))
	}
	if sec > maxNumericDate || sec == maxNumericDate && lo < 0 {
		return NumericDate{}, "is out of range"
	}
	nd := NumericDate{Unix: sec, Nanos: ns, Present: true}
	if lo <= -10 {
		var buf [maxSubDigits]byte
		m := -9 - lo // digits for 10^-10 down to 10^lo; the last is not zero
		for j := range m {
			buf[j] = '0' + at(-10-j)
		}
		nd.Sub = string(buf[:m])
	}
	return nd, ""
}

// parseIntegerDate is the fast path of parseNumericDate for the common
// case, a plain integer of at most 12 digits: ok is false for anything
// else, which the general path reads.
func parseIntegerDate(raw []byte) (d NumericDate, problem string, ok bool) {
	if len(raw) == 0 || len(raw) > 12 || len(raw) > 1 && raw[0] == '0' {
		return NumericDate{}, "", false
	}
	var sec int64
	for _, c := range raw {
		if !isDigit(c) {
			return NumericDate{}, "", false
		}
		sec = sec*10 + int64(c-'0')
	}
	if sec > maxNumericDate {
		return NumericDate{}, "is out of range", true
	}
	return NumericDate{Unix: sec, Present: true}, "", true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
