package strictjson

import "unicode/utf8"

// plain[c] is true for bytes that may appear unescaped in a JSON string and
// need no further checks: printable ASCII other than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func invalid(off int, reason string) error {
	return &SyntaxError{Offset: off, Reason: reason}
}

// scanString validates the JSON string whose opening quote is at data[i]. It
// returns the offset just past the closing quote and whether the string
// contains escape sequences. It rejects unescaped control characters, invalid
// UTF-8, malformed escapes and escapes of unpaired UTF-16 surrogates.
func scanString(data []byte, i int) (end int, escaped bool, err error) {
	j := i + 1
	for {
		for j < len(data) && plain[data[j]] {
			j++
		}
		if j >= len(data) {
			return 0, false, invalid(len(data), reasonUnterminated)
		}
		switch c := data[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			n, err := scanEscape(data, j)
			if err != nil {
				return 0, false, err
			}
			j = n
		case c < 0x20:
			return 0, false, invalid(j, reasonControlChar)
		default: // c >= 0x80
			r, size := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && size <= 1 {
				return 0, false, invalid(j, reasonInvalidUTF8)
			}
			j += size
		}
	}
}

// scanEscape validates the escape sequence whose backslash is at data[i] and
// returns the offset just past it. A \u escape of a high surrogate must be
// immediately followed by a \u escape of a low surrogate; a low surrogate on
// its own is rejected.
func scanEscape(data []byte, i int) (int, error) {
	if i+1 >= len(data) {
		return 0, invalid(len(data), reasonUnterminated)
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2, nil
	case 'u':
	default:
		return 0, invalid(i, reasonInvalidEscape)
	}
	r, ok := hex4(data, i+2)
	if !ok {
		return 0, invalid(i, reasonInvalidUnicode)
	}
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		return 0, invalid(i, reasonLoneLow)
	case r >= 0xD800 && r <= 0xDBFF:
		if i+7 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
			return 0, invalid(i, reasonLoneHigh)
		}
		r2, ok := hex4(data, i+8)
		if !ok {
			return 0, invalid(i+6, reasonInvalidUnicode)
		}
		if r2 < 0xDC00 || r2 > 0xDFFF {
			return 0, invalid(i, reasonLoneHigh)
		}
		return i + 12, nil
	}
	return i + 6, nil
}

// hex4 decodes the four hex digits at data[i:i+4].
func hex4(data []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// unescape appends the decoded form of s, the contents of a JSON string
// (without quotes) already accepted by scanString, to dst. It never writes
// more bytes than len(s). On input scanString would reject it still
// terminates and never panics, but the result is unspecified.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			// Copy the run of unescaped bytes.
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(s) {
			return dst
		}
		switch s[i+1] {
		case '"', '\\', '/':
			dst = append(dst, s[i+1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				return dst
			}
			i += 6
			if r >= 0xD800 && r <= 0xDBFF {
				r2, ok := hex4(s, i+2)
				if !ok || i+1 >= len(s) || s[i] != '\\' || s[i+1] != 'u' {
					return dst
				}
				r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			return dst
		}
		i += 2
	}
	return dst
}

// scanNumber validates the JSON number starting at data[i] and returns the
// offset just past it. The grammar is RFC 8259 §6:
//
//	[ "-" ] ( "0" / [1-9] *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
func scanNumber(data []byte, i int) (int, error) {
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j >= len(data):
		return 0, invalid(j, reasonInvalidNumber)
	case data[j] == '0':
		j++
		if j < len(data) && isDigit(data[j]) {
			return 0, invalid(j-1, reasonLeadingZero)
		}
	case data[j] >= '1' && data[j] <= '9':
		j++
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	default:
		return 0, invalid(j, reasonInvalidNumber)
	}
	if j < len(data) && data[j] == '.' {
		j++
		if j >= len(data) || !isDigit(data[j]) {
			return 0, invalid(j, reasonMissingFraction)
		}
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if j >= len(data) || !isDigit(data[j]) {
			return 0, invalid(j, reasonMissingExponent)
		}
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	}
	return j, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
