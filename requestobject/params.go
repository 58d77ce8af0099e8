package requestobject

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"reflect"
	"slices"
	"strings"

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
		if !p.Equal(vals[0]) {
			errs = append(errs, &Error{Reason: ReasonParamMismatch, Claim: name,
				Message: fmt.Sprintf("%s outside the request object (%q) differs from the value inside (%q)", name, vals[0], p.Value)})
		}
	}
	return errs
}

// Equal reports whether the outside (query or form) value s carries the same
// value as p.
func (p Param) Equal(s string) bool {
	if p.IsString {
		if isSetValued(p.Name) {
			return sameSet(p.Value, s)
		}
		return p.Value == s
	}
	if p.Value == s {
		return true
	}
	in := []byte(s)
	if strictjson.Validate(in, strictjson.Limits{}) != nil {
		return false
	}
	return jsonEqual(p.JSON, in)
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
func sameSet(a, b string) bool {
	if a == b {
		return true
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
