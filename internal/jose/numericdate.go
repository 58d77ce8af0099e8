package jose

import (
	"strings"
	"time"
)

// maxNumericDateText bounds the JSON text of a NumericDate: a date to the
// nanosecond is about 30 characters; anything much longer is refused
// before any arithmetic.
const maxNumericDateText = 64

// NumericDate is a JWT NumericDate (RFC 7519 §2): "a JSON numeric value
// representing the number of seconds from 1970-01-01T00:00:00Z UTC ...
// non-integer values can be represented". It holds the value exactly: the
// whole seconds, the nanoseconds, and the decimal digits below the
// nanosecond (Sub, trailing zeros removed), so that comparisons with a
// time and lifetimes are exact and never round in the sender's favour.
type NumericDate struct {
	Unix    int64  // whole seconds
	Nanos   int32  // 0–999 999 999
	Sub     string // digits below the nanosecond, "" when there are none
	Present bool
}

// Time returns the date as a time.Time in UTC, rounded up to the next
// nanosecond when it has digits below one: what is kept until the date has
// passed is then kept at least that long.
func (d NumericDate) Time() time.Time {
	t := time.Unix(d.Unix, int64(d.Nanos)).UTC()
	if d.Sub != "" {
		t = t.Add(time.Nanosecond)
	}
	return t
}

// Compare compares d with t exactly: -1 if d is before t, 0 if they are
// the same instant, +1 if d is after t.
func (d NumericDate) Compare(t time.Time) int {
	ts, tn := t.Unix(), int32(t.Nanosecond())
	switch {
	case d.Unix < ts || d.Unix == ts && d.Nanos < tn:
		return -1 // d < d.Unix+d.Nanos+1ns ≤ t
	case d.Unix > ts || d.Nanos > tn:
		return 1
	case d.Sub != "":
		return 1
	}
	return 0
}

// After reports whether d is strictly after t.
func (d NumericDate) After(t time.Time) bool { return d.Compare(t) > 0 }

// NotAfter reports whether d is t or before it (an exp that has passed,
// RFC 7519 §4.1.4).
func (d NumericDate) NotAfter(t time.Time) bool { return d.Compare(t) <= 0 }

// ExceedsAfter reports whether d is more than limit after e, exactly:
// d − e > limit.
func (d NumericDate) ExceedsAfter(e NumericDate, limit time.Duration) bool {
	// d − e in whole nanoseconds, as seconds and nanoseconds (the seconds
	// are bounded by maxNumericDate, so nothing overflows).
	sec := d.Unix - e.Unix
	ns := int64(d.Nanos) - int64(e.Nanos)
	if ns < 0 {
		sec, ns = sec-1, ns+1e9
	}
	ls, lns := int64(limit/time.Second), int64(limit%time.Second)
	switch {
	case sec > ls || sec == ls && ns > lns:
		return true // d − e ≥ limit + 1ns − (e's digits below 1ns) > limit
	case sec < ls || ns < lns:
		return false
	}
	// The whole nanoseconds are equal: the digits below decide.
	return compareFraction(d.Sub, e.Sub) > 0
}

// compareFraction compares two strings of decimal digits read as the
// fractions 0.a and 0.b.
func compareFraction(a, b string) int {
	n := max(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := byte('0'), byte('0')
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return 0
}

// parseNumericDate reads the JSON number text raw as a NumericDate. It
// refuses negative values, values past maxNumericDate and texts over
// maxNumericDateText; the exponent is bounded by the text's length, so no
// value is ever expanded beyond a few dozen digits.
func parseNumericDate(raw []byte) (NumericDate, string) {
	if len(raw) > maxNumericDateText {
		return NumericDate{}, "is longer than 64 characters"
	}
	s := string(raw)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if !allDigits(intPart) || intPart == "" || !allDigits(frac) || strings.Contains(s, ".") && frac == "" {
		return NumericDate{}, "is not a number"
	}
	e := 0
	if exp != "" || strings.ContainsAny(s, "eE") {
		sign := 1
		switch {
		case strings.HasPrefix(exp, "+"):
			exp = exp[1:]
		case strings.HasPrefix(exp, "-"):
			exp, sign = exp[1:], -1
		}
		if exp == "" || !allDigits(exp) {
			return NumericDate{}, "is not a number"
		}
		for _, c := range []byte(exp) {
			e = e*10 + int(c-'0')
			if e > 1000 {
				e = 1000 // far beyond any date either way; keeps e small
			}
		}
		e *= sign
	}
	// value = digits × 10^(e − len(frac)), digits without leading zeros.
	digits := strings.TrimLeft(intPart+frac, "0")
	point := len(digits) + e - len(frac) // digits before the decimal point
	if digits == "" {
		return NumericDate{Present: true}, "" // zero, signed or not
	}
	if neg {
		return NumericDate{}, "is negative"
	}
	if point > 12 {
		return NumericDate{}, "is out of range"
	}
	var whole, rest string
	switch {
	case point <= 0:
		whole, rest = "", strings.Repeat("0", -point)+digits
	case point >= len(digits):
		whole, rest = digits+strings.Repeat("0", point-len(digits)), ""
	default:
		whole, rest = digits[:point], digits[point:]
	}
	var sec int64
	for _, c := range []byte(whole) {
		sec = sec*10 + int64(c-'0')
	}
	if sec > maxNumericDate {
		return NumericDate{}, "is out of range"
	}
	nsDigits := rest
	if len(nsDigits) > 9 {
		nsDigits = nsDigits[:9]
	}
	var ns int32
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(nsDigits) {
			ns += int32(nsDigits[i] - '0')
		}
	}
	sub := ""
	if len(rest) > 9 {
		sub = strings.TrimRight(rest[9:], "0")
	}
	if sec == maxNumericDate && (ns > 0 || sub != "") {
		return NumericDate{}, "is out of range"
	}
	return NumericDate{Unix: sec, Nanos: ns, Sub: sub, Present: true}, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
