package jose

import "slices"

// A JWS segment is base64url without padding (RFC 7515 §2, RFC 4648 §5),
// and this package accepts only its canonical form: the alphabet
// [A-Za-z0-9_-] and nothing else (encoding/base64 skips CR and LF even in
// strict mode), no padding, no length that leaves a lone character, and
// zero bits after the last whole byte (RFC 7515 Appendix C). Every byte
// string then has exactly one encoding, so two texts never carry the same
// signed content.
//
// The decoder is written out here, instead of checking the alphabet and then
// calling encoding/base64, so that a segment is read once and the three
// segments of a token share one buffer. FuzzDecodeSegment compares it with
// encoding/base64 on every input.

// invalidB64 marks a byte outside the base64url alphabet in b64Values.
const invalidB64 = 0xFF

// b64Values maps a byte to its 6-bit value in the base64url alphabet, or to
// invalidB64.
var b64Values = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = invalidB64
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

type segmentError string

func (e segmentError) Error() string { return string(e) }

const (
	errPadding      = segmentError("base64url padding is not allowed")
	errAlphabet     = segmentError("invalid base64url character")
	errLength       = segmentError("invalid base64url length")
	errNonCanonical = segmentError("non-canonical base64url")
)

// decodedLen is the number of bytes n base64url characters without padding
// decode to.
func decodedLen(n int) int { return n/4*3 + (n%4*6)/8 }

// decodeSegment decodes one base64url segment into a new slice.
func decodeSegment(s string) ([]byte, error) {
	return appendSegment(make([]byte, 0, decodedLen(len(s))), s)
}

// appendSegment decodes the base64url segment s, appends the bytes to dst
// and returns the extended slice. On error dst's contents beyond its length
// are unspecified. The checks, in order: every character is in the alphabet
// (padding gets its own error), the length is not 1 mod 4, and the unused
// low bits of the last character are zero.
func appendSegment(dst []byte, s string) ([]byte, error) {
	n := len(dst)
	dst = slices.Grow(dst, decodedLen(len(s)))[:n+decodedLen(len(s))]
	out := dst[n:]
	// Whole quads: four characters, three bytes. A value with either of
	// the top two bits set is invalidB64.
	i, o := 0, 0
	for ; len(s)-i >= 4; i, o = i+4, o+3 {
		a, b, c, d := b64Values[s[i]], b64Values[s[i+1]], b64Values[s[i+2]], b64Values[s[i+3]]
		if (a|b|c|d)&0xC0 != 0 {
			return dst[:n], alphabetError(s)
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		out[o], out[o+1], out[o+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	var v uint32
	for _, c := range []byte(s[i:]) {
		x := b64Values[c]
		if x&0xC0 != 0 {
			return dst[:n], alphabetError(s)
		}
		v = v<<6 | uint32(x)
	}
	switch len(s) - i {
	case 1:
		return dst[:n], errLength
	case 2: // 12 bits: one byte and 4 bits that must be zero
		if v&0xF != 0 {
			return dst[:n], errNonCanonical
		}
		out[o] = byte(v >> 4)
	case 3: // 18 bits: two bytes and 2 bits that must be zero
		if v&0x3 != 0 {
			return dst[:n], errNonCanonical
		}
		out[o], out[o+1] = byte(v>>10), byte(v>>2)
	}
	return dst, nil
}

// alphabetError says what is wrong with s, which has a character outside
// the alphabet: padding, or another character.
func alphabetError(s string) error {
	for i := 0; i < len(s); i++ {
		if b64Values[s[i]] == invalidB64 {
			if s[i] == '=' {
				return errPadding
			}
			break
		}
	}
	return errAlphabet
}
