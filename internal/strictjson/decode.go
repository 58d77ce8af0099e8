package strictjson

import "math"

// The decoding helpers below (DecodeString, Member.StringValue, DecodeInt64,
// DecodeBool, DecodeStrings) take a Member.Raw from ParseObject, which has no
// surrounding whitespace. They re-validate their input completely, so they
// are also safe (and just as strict) on arbitrary bytes; surrounding
// whitespace is rejected. The iterators at the end of the file
// (Member.Members, Member.Elements) do not: they only find the boundaries of
// values that ParseObject or Validate has accepted.

// DecodeString decodes raw, which must be exactly one JSON string, and returns
// its unescaped value. When the string contains no escapes the only
// allocation is the returned string.
func DecodeString(raw []byte) (string, error) {
	return decodeString(raw, "")
}

// StringValue decodes the member's value, which must be exactly one JSON
// string, with the checks of [DecodeString]. When the string has no escapes
// and m has its Text, the result is a substring of Text and nothing is
// allocated. The checks read Raw, which aliases the input of ParseObject:
// that input must not change afterwards (see [Member]).
func (m Member) StringValue() (string, error) {
	return decodeString(m.Raw, m.Text)
}

// decodeString is DecodeString, taking the value from text (the same bytes
// as raw, or "") when no unescaping is needed.
func decodeString(raw []byte, text string) (string, error) {
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
	switch {
	case esc:
		return string(unescape(make([]byte, 0, len(s)), s)), nil
	case len(text) == len(raw):
		return text[1 : end-1], nil
	}
	return string(s), nil
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

// Members calls fn with each member of m, in document order, until fn
// returns false. m must be an object value that ParseObject accepted: a
// member it returned, or a value nested in one. The input has then been
// validated, duplicates included, so Members only looks for the boundaries
// of names and values, never fails, and never panics on any input. Names
// are unescaped; names without escapes and every Text are substrings of
// m.Text, so nothing is allocated. On a Member of another kind it calls
// nothing.
func (m Member) Members(fn func(Member) bool) {
	raw := m.Raw
	if m.Kind != Object || len(raw) == 0 || raw[0] != '{' {
		return
	}
	text := m.text()
	i := skipWS(raw, 1)
	for i < len(raw) && raw[i] == '"' {
		end, esc := skipString(raw, i)
		if end < 0 {
			return
		}
		var name string
		if esc {
			name = string(unescape(nil, raw[i+1:end-1]))
		} else {
			name = text[i+1 : end-1]
		}
		i = skipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return
		}
		i = skipWS(raw, i+1)
		vend := skipValue(raw, i)
		if vend < 0 {
			return
		}
		if vend > i && !fn(Member{Name: name, Kind: kindOf(raw[i]), Raw: raw[i:vend:vend], Text: text[i:vend]}) {
			return
		}
		i = skipWS(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return
		}
		i = skipWS(raw, i+1)
	}
}

// Elements calls fn with each element of m, in order, until fn returns
// false; the elements have no Name. m must be an array value that
// ParseObject accepted, as for [Member.Members]; each Text is a substring of
// m.Text. On a Member of another kind it calls nothing.
func (m Member) Elements(fn func(Member) bool) {
	if m.Kind != Array {
		return
	}
	raw, text := m.Raw, m.text()
	elements(raw, func(start, end int) bool {
		return fn(Member{Kind: kindOf(raw[start]), Raw: raw[start:end:end], Text: text[start:end]})
	})
}

// text returns Text, or a copy of Raw when the Member was made without it.
func (m Member) text() string {
	if len(m.Text) == len(m.Raw) {
		return m.Text
	}
	return string(m.Raw)
}

// elements calls fn with the offsets of each element of the validated array
// raw, until fn returns false.
func elements(raw []byte, fn func(start, end int) bool) {
	if len(raw) == 0 || raw[0] != '[' {
		return
	}
	i := skipWS(raw, 1)
	for i < len(raw) && raw[i] != ']' {
		end := skipValue(raw, i)
		if end < 0 {
			return
		}
		// An empty element only occurs in input that was never validated;
		// it is skipped, so that every element passed on has a first byte.
		if end > i && !fn(i, end) {
			return
		}
		i = skipWS(raw, end)
		if i >= len(raw) || raw[i] != ',' {
			return
		}
		i = skipWS(raw, i+1)
	}
}

// skipString returns the offset just past the string whose opening quote is
// at raw[i], and whether it has escapes, without validating it; end is -1
// when the string does not end.
func skipString(raw []byte, i int) (end int, escaped bool) {
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j + 1, escaped
		}
	}
	return -1, escaped
}

// skipValue returns the offset just past the value that starts at raw[i],
// without validating it, or -1 when it does not end within raw.
func skipValue(raw []byte, i int) int {
	if i >= len(raw) {
		return -1
	}
	switch raw[i] {
	case '"':
		end, _ := skipString(raw, i)
		return end
	case '{', '[':
		depth := 0
		for j := i; j < len(raw); j++ {
			switch raw[j] {
			case '"':
				end, _ := skipString(raw, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(raw) {
		switch raw[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
		j++
	}
	return j
}
