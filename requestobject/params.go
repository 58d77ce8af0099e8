package requestobject

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// CompareOutside checks FAPI-RW-5.2.2-10 ("all parameters are present inside
// the signed request object"): every parameter sent outside the object, other
// than request and request_uri themselves, must be inside it with the same
// value. Parameters are visited in name order so that the result is
// deterministic. A multi-valued outside parameter is compared on its first
// value (repeating a parameter is itself an error the caller reports).
//
// Values compare as strings, except where the object holds a non-string
// JSON value: then the outside text must be JSON with the same meaning (so
// "claims" may differ in whitespace or member order, and max_age=300 equals
// 300).
//
// Comparing by meaning decodes both texts, which costs tens of bytes of
// memory per byte of input, so it is bounded: when the outside text is not
// byte for byte the value inside and either is longer than MaxClaimsSize,
// the outside value is refused as too large to compare
// (ReasonParamMismatch) before anything is decoded. The bound is that of the
// claims parameter (OIDC Core §5.5), the JSON object a request carries,
// which ParseClaims refuses above that size anyway; max_age and other
// non-string values are far shorter. The server uses the value inside (OIDC
// Core §6.3.3), so the bound refuses only an outside copy that reformats a
// large value. Messages quote at most maxQuoted bytes of a value.
func (o *Object) CompareOutside(outside url.Values) []*Error {
	if o == nil {
		return nil
	}
	var buf [16]string // a request has a dozen parameters or so
	names := buf[:0]
	for name := range outside {
		if name == "request" || name == "request_uri" {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var errs []*Error
	for _, name := range names {
		vals := outside[name]
		if len(vals) == 0 {
			continue
		}
		p, ok := o.Param(name)
		if !ok {
			errs = append(errs, &Error{Reason: ReasonParamMissing, Claim: name,
				Message: fmt.Sprintf("%s is sent outside the request object but not inside it", name)})
			continue
		}
		switch equal, tooLarge := p.compare(vals[0]); {
		case tooLarge:
			errs = append(errs, &Error{Reason: ReasonParamMismatch, Claim: name,
				Message: fmt.Sprintf("%s is too large to compare: %d bytes outside the request object, %d inside; a JSON value of more than %d bytes must be sent outside byte for byte as inside (FAPI-RW-5.2.2-10)",
					name, len(vals[0]), len(p.Value), MaxClaimsSize)})
		case !equal:
			errs = append(errs, &Error{Reason: ReasonParamMismatch, Claim: name,
				Message: fmt.Sprintf("%s outside the request object (%s) differs from the value inside (%s)", name, quoteShort(vals[0]), quoteShort(p.Value))})
		}
	}
	return errs
}

// Equal reports whether the outside (query or form) value s carries the same
// value as p. A JSON value (p is not a string) longer than MaxClaimsSize, or
// compared with an s longer than that, equals only the same bytes; see
// CompareOutside.
func (p Param) Equal(s string) bool {
	equal, _ := p.compare(s)
	return equal
}

// compare is Equal, also reporting whether s was refused, unequal, only
// because p and s are JSON values too large to decode.
func (p Param) compare(s string) (equal, tooLarge bool) {
	if p.IsString {
		if isSetValued(p.Name) {
			return sameSet(p.Value, s), false
		}
		return p.Value == s, false
	}
	// Equal bytes are equal JSON: no decoding, whatever the size.
	if p.Value == s {
		return true, false
	}
	// The bound is checked on both sides before anything is decoded
	// (s is the attacker's; p.JSON is bounded only by the request object's
	// size limit, which a service may raise).
	if len(s) > MaxClaimsSize || len(p.JSON) > MaxClaimsSize {
		return false, true
	}
	in := []byte(s)
	if strictjson.Validate(in, strictjson.Limits{}) != nil {
		return false, false
	}
	return jsonEqual(p.JSON, in), false
}

// maxQuoted bounds how much of a value a message quotes, so that the cost of
// reporting a mismatch does not grow with the value.
const maxQuoted = 256

// quoteShort quotes s as %q does, or its first maxQuoted bytes (cut at the
// start of a UTF-8 sequence) followed by an ellipsis and the length of s.
func quoteShort(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for i := 0; i < utf8.UTFMax && cut > 0 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

func jsonEqual(a, b []byte) bool {
	va, okA := decodeAny(a)
	vb, okB := decodeAny(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

func decodeAny(data []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return normalizeNumbers(v), true
}

// jsonNumber is a JSON number in the canonical form of canonicalNumber. It is
// a type of its own so that a number never compares equal to a string with
// the same text: 300 and "300" are different JSON values.
type jsonNumber string

// normalizeNumbers rewrites json.Number values into jsonNumber values, so
// that 300, 300.0 and 3e2 compare equal but 300 and 301 do not.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return canonicalNumber(string(x))
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	}
	return v
}

// maxExponentDigits bounds the exponents canonicalNumber converts: turning
// decimal text into a big integer takes time quadratic in its length.
const maxExponentDigits = 64

// canonicalNumber writes the JSON number text (already validated) as its
// exact decimal value: sign, significant digits without leading or trailing
// zeros, and a base-10 exponent. Two numbers have the same canonical form
// exactly when they denote the same value; nothing is rounded through
// float64, so 12345678901234567890 and 12345678901234567891 stay distinct,
// and exponents beyond the int64 range are exact too. A number whose exponent
// has more than maxExponentDigits digits is not converted and equals only
// the same text.
func canonicalNumber(text string) jsonNumber {
	sign, s := "", text
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	mant, expText := s, "0"
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, expText = s[:i], strings.TrimPrefix(s[i+1:], "+")
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return "0"
	}
	trimmed := strings.TrimRight(digits, "0")
	if len(strings.TrimLeft(strings.TrimPrefix(expText, "-"), "0")) > maxExponentDigits {
		return jsonNumber("?" + text)
	}
	exp, ok := new(big.Int).SetString(expText, 10)
	if !ok {
		// Unreachable for validated JSON.
		return jsonNumber("?" + text)
	}
	exp.Add(exp, big.NewInt(int64(len(digits)-len(trimmed)-len(frac))))
	return jsonNumber(sign + trimmed + "e" + exp.String())
}

// isSetValued reports whether a parameter is a space-delimited set whose
// order carries no meaning: scope (RFC 6749 §3.3), response_type (OAuth 2.0
// Multiple Response Type Encoding Practices §2) and prompt (OIDC Core
// §3.1.2.1). "id_token code" and "code id_token" are the same response type.
func isSetValued(name string) bool {
	return name == "scope" || name == "response_type" || name == "prompt"
}

// sameSet compares two space-delimited values as sets. Their exact syntax
// (single spaces) is checked elsewhere; here only the members count.
//
// a is the value inside the request object and b the one outside. The words
// of b are counted before any are split out, so that an outside value with
// more words than the inside one costs no allocation: what sameSet
// allocates is bounded by the inside value, not by b.
func sameSet(a, b string) bool {
	if a == b {
		return true
	}
	if countFields(a) != countFields(b) {
		return false
	}
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) {
		return false
	}
	slices.Sort(fa)
	slices.Sort(fb)
	for i := range fa {
		if fa[i] != fb[i] {
			return false
		}
	}
	return true
}

// countFields returns len(strings.Fields(s)) without allocating.
func countFields(s string) int {
	n := 0
	for range strings.FieldsSeq(s) {
		n++
	}
	return n
}
