package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// oracleVerdict is the reference decision for strict validation, built from
// independent pieces: encoding/json for the grammar, unicode/utf8 for the
// encoding, a json.Decoder token walk for duplicate names and limits, and a
// separate byte scan for unpaired surrogate escapes. It is slow and is only
// used to cross-check the hand-written scanner.
type oracleVerdict int

const (
	oracleAccept oracleVerdict = iota
	oracleInvalid
	oracleTooComplex
)

func oracle(data []byte, lim strictjson.Limits) oracleVerdict {
	if !json.Valid(data) || !utf8.Valid(data) || hasUnpairedSurrogateEscape(data) {
		return oracleInvalid
	}
	maxDepth, maxMembers := lim.MaxDepth, lim.MaxMembers
	if maxDepth <= 0 {
		maxDepth = strictjson.DefaultMaxDepth
	}
	if maxMembers <= 0 {
		maxMembers = strictjson.DefaultMaxMembers
	}

	type level struct {
		obj       bool
		expectKey bool
		names     map[string]bool
	}
	var stack []*level
	// The first violation in document order decides the verdict, as it does
	// for the package under test.
	verdict := oracleAccept
	note := func(v oracleVerdict) {
		if verdict == oracleAccept {
			verdict = v
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return oracleInvalid
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.obj && top.expectKey {
			name := tok.(string)
			if len(top.names) >= maxMembers {
				note(oracleTooComplex)
			}
			if top.names[name] {
				note(oracleInvalid)
			}
			top.names[name] = true
			top.expectKey = false
			continue
		}
		if top != nil && top.obj {
			top.expectKey = true
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &level{obj: d == '{', expectKey: d == '{', names: map[string]bool{}})
			if len(stack) > maxDepth {
				note(oracleTooComplex)
			}
		}
	}
	return verdict
}

// hasUnpairedSurrogateEscape reports whether a syntactically valid JSON text
// contains a \u escape of a high surrogate not immediately followed by a \u
// escape of a low surrogate, or of a low surrogate not preceded by one.
func hasUnpairedSurrogateEscape(data []byte) bool {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if data[i+1] != 'u' {
				i++
				continue
			}
			r := parseHex(data[i+2 : i+6])
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return true
			case r >= 0xD800 && r <= 0xDBFF:
				if i+12 > len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
					return true
				}
				r2 := parseHex(data[i+8 : i+12])
				if r2 < 0xDC00 || r2 > 0xDFFF {
					return true
				}
				i += 11
			default:
				i += 5
			}
		}
	}
	return false
}

func parseHex(b []byte) int {
	v := 0
	for _, c := range b {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= int(c - '0')
		case c >= 'a' && c <= 'f':
			v |= int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v |= int(c-'A') + 10
		default:
			return -1
		}
	}
	return v
}

// verdictOf classifies an error returned by the package.
func verdictOf(err error) oracleVerdict {
	switch {
	case err == nil:
		return oracleAccept
	case errors.Is(err, strictjson.ErrTooComplex):
		return oracleTooComplex
	default:
		return oracleInvalid
	}
}

// firstNonSpace returns the first byte that is not JSON whitespace, or 0.
func firstNonSpace(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
