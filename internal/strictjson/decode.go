package strictjson

import (
	"bytes"
	"math"
)

// The decoding helpers below take a Member.Raw from ParseObject, which has no
// surrounding whitespace. They re-validate their input completely, so they
// are also safe (and just as strict) on arbitrary bytes; surrounding
// whitespace is rejected.

// DecodeString decodes raw, which must be exactly one JSON string, and returns
// its unescaped value. When the string contains no escapes the only
// allocation is the returned string.
func DecodeString(raw []byte) (string, error) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", invalid(0, reasonNotString)
	}
	end, esc, err := scanString(raw, 0)
	if err != nil {
		return "", err
	}
	if end != len(raw) {
		return "", invalid(end, reasonTrailingData)
	}
	s := raw[1 : end-1]
	if !esc {
		return string(s), nil
	}
	return string(unescape(make([]byte, 0, len(s)), s)), nil
}

// DecodeInt64 decodes raw, which must be exactly one JSON number written as
// an integer: an optional minus sign and decimal digits, without fraction or
// exponent (so "1.0" and "1e3" are rejected), within the int64 range. "-0" is
// accepted as 0.
func DecodeInt64(raw []byte) (int64, error) {
	i := 0
	neg := false
	if len(raw) > 0 && raw[0] == '-' {
		neg = true
		i = 1
	}
	if i >= len(raw) || !isDigit(raw[i]) {
		return 0, invalid(i, reasonNotInteger)
	}
	if raw[i] == '0' && i+1 < len(raw) {
		if isDigit(raw[i+1]) {
			return 0, invalid(i, reasonLeadingZero)
		}
		return 0, invalid(i+1, reasonNotInteger)
	}
	// Accumulate the magnitude; the limit for negative values is one larger.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var u uint64
	for j := i; j < len(raw); j++ {
		c := raw[j]
		if !isDigit(c) {
			return 0, invalid(j, reasonNotInteger)
		}
		d := uint64(c - '0')
		if u > (limit-d)/10 {
			return 0, invalid(i, reasonIntRange)
		}
		u = u*10 + d
	}
	if neg {
		// u <= 1<<63; two's complement negation is exact, including MinInt64.
		return int64(-u), nil
	}
	return int64(u), nil
}

// DecodeBool decodes raw, which must be exactly the JSON literal true or
// false.
func DecodeBool(raw []byte) (bool, error) {
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, invalid(0, reasonNotBool)
}

// DecodeStrings decodes raw, which must be exactly one JSON array whose
// elements are all strings, and returns the unescaped elements in order. An
// empty array yields an empty, non-nil slice. Whitespace is allowed only
// inside the array, as in any JSON text.
func DecodeStrings(raw []byte) ([]string, error) {
	if len(raw) == 0 || raw[0] != '[' {
		return nil, invalid(0, reasonNotStringArr)
	}
	i := skipWS(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		if i+1 != len(raw) {
			return nil, invalid(i+1, reasonTrailingData)
		}
		return []string{}, nil
	}
	out := make([]string, 0, 4)
	for {
		if i >= len(raw) {
			return nil, invalid(i, reasonEOF)
		}
		if raw[i] != '"' {
			if raw[i] == ']' {
				return nil, invalid(i, reasonTrailingCommaArray)
			}
			return nil, invalid(i, reasonNotStringArr)
		}
		end, esc, err := scanString(raw, i)
		if err != nil {
			return nil, err
		}
		s := raw[i+1 : end-1]
		if esc {
			out = append(out, string(unescape(make([]byte, 0, len(s)), s)))
		} else {
			out = append(out, string(s))
		}
		i = skipWS(raw, end)
		if i >= len(raw) {
			return nil, invalid(i, reasonEOF)
		}
		switch raw[i] {
		case ',':
			i = skipWS(raw, i+1)
		case ']':
			if i+1 != len(raw) {
				return nil, invalid(i+1, reasonTrailingData)
			}
			return out, nil
		default:
			return nil, invalid(i, unexpectedReason(raw, i, reasonExpectedCommaOrBracket))
		}
	}
}

// skipWS returns the offset of the first non-whitespace byte at or after i.
func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i
}

// Elements calls each with the text of every element of raw, a JSON array
// that Validate or ParseObject has already accepted, trimmed of whitespace:
// the bytes encoding/json would give as []json.RawMessage. Only the commas
// between elements, outside strings and nested values, are looked for, so
// raw must not be unvalidated input.
func Elements(raw []byte, each func(elem []byte)) {
	depth, start := 0, 0
	inString, escaped := false, false
	for i, c := range raw {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			continue
		case '[', '{':
			depth++
			if depth == 1 {
				start = i + 1
			}
			continue
		case ']', '}':
			depth--
		case ',':
		default:
			continue
		}
		if depth == 0 || (depth == 1 && c == ',') {
			if elem := bytes.TrimSpace(raw[start:i]); len(elem) > 0 {
				each(elem)
			}
			start = i + 1
		}
	}
}
