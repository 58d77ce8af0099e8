package jose

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeSegment(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     string
		err      error
	}{
		{name: "empty", in: "", want: ""},
		{name: "one byte", in: "QQ", want: "A"},
		{name: "two bytes", in: "QUI", want: "AB"},
		{name: "three bytes", in: "QUJD", want: "ABC"},
		{name: "url alphabet", in: "-_-_", want: "\xfb\xff\xbf"},
		{name: "header", in: "eyJhbGciOiJQUzI1NiJ9", want: `{"alg":"PS256"}`},
		{name: "padding", in: "QQ==", err: errPadding},
		{name: "standard alphabet plus", in: "+/+/", err: errAlphabet},
		{name: "line feed", in: "QU\nJD", err: errAlphabet},
		{name: "carriage return", in: "QUJD\r", err: errAlphabet},
		{name: "space", in: "QU JD", err: errAlphabet},
		{name: "non-ASCII", in: "QUJDé", err: errAlphabet},
		{name: "NUL", in: "QUJD\x00", err: errAlphabet},
		{name: "alphabet before length", in: "QUJDQ=", err: errPadding},
		{name: "lone character", in: "QUJDQ", err: errLength},
		{name: "one character", in: "Q", err: errLength},
		{name: "trailing bits after one byte", in: "QR", err: errNonCanonical},
		{name: "trailing bits after two bytes", in: "QUJ", err: errNonCanonical},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeSegment(tt.in)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

// TestAppendSegmentKeepsPrefix checks that decoding appends: the bytes
// already in dst are kept, which Parse relies on to decode the three
// segments of a token into one buffer.
func TestAppendSegmentKeepsPrefix(t *testing.T) {
	got, err := appendSegment([]byte("xy"), "QUJD")
	require.NoError(t, err)
	assert.Equal(t, "xyABC", string(got))
}

// referenceDecode is the definition appendSegment must agree with:
// encoding/base64's strict raw URL decoder on the alphabet alone.
func referenceDecode(s string) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return b, err == nil
}

// FuzzDecodeSegment compares the decoder with encoding/base64: the same
// inputs accepted, the same bytes out, and every accepted input the one
// canonical encoding of its bytes.
func FuzzDecodeSegment(f *testing.F) {
	for _, s := range []string{"", "QQ", "QUI", "QUJD", "-_-_", "QQ==", "QR", "QUJ", "QUJDQ", "QU\nJD", "+/", "eyJhbGciOiJQUzI1NiJ9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeSegment(s)
		want, ok := referenceDecode(s)
		if ok != (err == nil) {
			t.Fatalf("%q: decodeSegment error %v, encoding/base64 accepts: %v", s, err, ok)
		}
		if !ok {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: decoded %x, encoding/base64 %x", s, got, want)
		}
		if enc := base64.RawURLEncoding.EncodeToString(got); enc != s {
			t.Fatalf("%q accepted but its bytes encode as %q", s, enc)
		}
	})
}
