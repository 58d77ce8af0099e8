package fapi

import "unicode/utf8"

// MaxDescriptionLen is the most bytes Violation.Description and
// EscapeDescription return, escapes and the "..." of a cut included. It
// keeps an error redirect short while leaving room for a one-sentence
// message and the values it quotes; longer text is cut (see
// EscapeDescription).
const MaxDescriptionLen = 256

// truncationMark ends a description that was cut to MaxDescriptionLen.
const truncationMark = "..."

// fallbackDescription is the description of a violation with neither a
// message nor a code.
const fallbackDescription = "the request was refused"

// Description returns the violation's Message as a value that a server may
// send as-is in error_description: in an authorization error response (RFC
// 6749 §4.1.2.1), a token or pushed authorization error response (RFC 6749
// §5.2, RFC 9126 §2.3), or a WWW-Authenticate error (RFC 6750 §3). Its
// grammar (RFC 6749 Appendix A.8) allows only
//
//	error-description = 1*( %x20-21 / %x23-5B / %x5D-7E )
//
// that is printable ASCII without '"' and '\'. Messages quote what the
// client sent, so they can hold any byte; EscapeDescription describes how
// the others are replaced (each becomes %XX, its value in uppercase hex)
// and how text longer than MaxDescriptionLen bytes is cut. A Message that
// already meets the grammar and the bound is returned unchanged.
//
// The result is never empty, as the grammar requires: a violation without
// a Message gives its Code (escaped the same way), and one without either
// gives a fixed text. It depends only on the violation.
//
// The error parameter needs no such treatment: the Error of a violation the
// library reports is one of the OAuth error codes it defines
// (OAuthInvalidRequest and the others), each within the grammar of error
// (RFC 6749 Appendix A.7), which allows the same characters.
//
// The description is not HTML-safe: it may hold <, >, & and the
// apostrophe. A page that shows it must still escape it.
func (v Violation) Description() string {
	switch {
	case v.Message != "":
		return EscapeDescription(v.Message)
	case v.Code != "":
		return EscapeDescription(string(v.Code))
	}
	return fallbackDescription
}

// EscapeDescription returns text as a value of error_description (RFC 6749
// §4.1.2.1 and §5.2, Appendix A.8: %x20-21 / %x23-5B / %x5D-7E), for a
// server's own error texts; Violation.Description uses it for violations.
//
// Each byte outside those ranges — '"', '\', control characters, DEL, and
// each byte of a non-ASCII character or of invalid UTF-8 — is replaced by
// '%' and its two uppercase hex digits: '"' becomes %22, '\' %5C, a tab
// %09, "é" %C3%A9. Every other byte, '%' included, is kept, so text that
// already meets the grammar is unchanged; the result is for people to
// read and is not meant to be percent-decoded (a "%22" in it may have been
// sent as such).
//
// The result is at most MaxDescriptionLen bytes. When the escaped text is
// longer, it is cut and ends with "...", all within the bound; the cut
// falls between characters of text, never inside an escape or among the
// escapes of one UTF-8 character. An empty text gives "": the grammar
// needs at least one character, so omit error_description then (it is
// optional). The result depends only on text.
func EscapeDescription(text string) string {
	n := escapedLen(text)
	if n == len(text) && n <= MaxDescriptionLen {
		return text
	}
	limit, truncated := n, n > MaxDescriptionLen
	if truncated {
		limit = MaxDescriptionLen - len(truncationMark)
	}
	out := make([]byte, 0, min(n, MaxDescriptionLen))
	for i := 0; i < len(text); {
		// One character at a time: a valid UTF-8 sequence, or a single
		// byte that is not one (size 1), so a cut never splits either.
		_, size := utf8.DecodeRuneInString(text[i:])
		char := text[i : i+size]
		if len(out)+escapedLen(char) > limit {
			break
		}
		for j := 0; j < len(char); j++ {
			if c := char[j]; descriptionByte(c) {
				out = append(out, c)
			} else {
				out = append(out, '%', upperHex[c>>4], upperHex[c&0xf])
			}
		}
		i += size
	}
	if truncated {
		out = append(out, truncationMark...)
	}
	return string(out)
}

const upperHex = "0123456789ABCDEF"

// escapedLen is the length of s with each byte outside the grammar
// escaped as %XX.
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !descriptionByte(s[i]) {
			n += 2
		}
	}
	return n
}

// descriptionByte reports whether c may appear in error_description (RFC
// 6749 Appendix A.8: %x20-21 / %x23-5B / %x5D-7E).
func descriptionByte(c byte) bool {
	return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'
}
