package fapi_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fapicheck/fapicheck/fapi"
)

// FuzzViolationDescription checks Violation.Description on arbitrary
// messages and codes: the result is never empty, at most
// MaxDescriptionLen bytes and within the grammar of error_description
// (RFC 6749 Appendix A.8); text already within the grammar and the bound
// comes back unchanged; any other text comes back as this test's own
// byte-by-byte %XX escape of it, or, when that is too long, as the longest
// prefix of whole characters whose escape fits before "...". Seeds are in
// testdata/fuzz/FuzzViolationDescription.
func FuzzViolationDescription(f *testing.F) {
	f.Fuzz(func(t *testing.T, message, code string) {
		v := fapi.Violation{Code: fapi.Code(code), Message: message, Error: fapi.OAuthInvalidRequest}
		got := v.Description()
		if !inDescriptionGrammar(got) {
			t.Fatalf("Description of %q (code %q) = %q: empty or outside the grammar", message, code, got)
		}
		if len(got) > fapi.MaxDescriptionLen {
			t.Fatalf("Description of %q is %d bytes, over the bound %d", message, len(got), fapi.MaxDescriptionLen)
		}
		if again := v.Description(); again != got {
			t.Fatalf("Description of %q is not deterministic: %q, then %q", message, got, again)
		}
		text := message
		if text == "" {
			text = code
		}
		if text == "" {
			return // the fixed text, checked above
		}
		if inDescriptionGrammar(text) && len(text) <= fapi.MaxDescriptionLen && got != text {
			t.Fatalf("Description of %q, already within the grammar and the bound, = %q", text, got)
		}
		if full := escapeEach(text); len(full) <= fapi.MaxDescriptionLen {
			if got != full {
				t.Fatalf("Description of %q = %q, want %q", text, got, full)
			}
			return
		}
		prefix, ok := strings.CutSuffix(got, "...")
		if !ok {
			t.Fatalf("Description of %q was cut, but %q does not end with ...", text, got)
		}
		// prefix must be the escape of the first whole characters of text,
		// and the next character's escape must not have fitted.
		n := 0
		for i := 0; i < len(text); {
			_, size := utf8.DecodeRuneInString(text[i:])
			esc := escapeEach(text[i : i+size])
			if n+len(esc) > fapi.MaxDescriptionLen-len("...") {
				break
			}
			n += len(esc)
			i += size
		}
		if want := escapeEach(text)[:n]; prefix != want {
			t.Fatalf("Description of %q = %q, want %q...", text, got, want)
		}
	})
}

// escapeEach is the escape EscapeDescription documents, without the bound:
// every byte outside %x20-21 / %x23-5B / %x5D-7E as %XX.
func escapeEach(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; inDescriptionGrammar(s[i : i+1]) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
