package fapi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
)

// inDescriptionGrammar reports whether s is a value error_description may
// carry (RFC 6749 Appendix A.8): one or more of %x20-21 / %x23-5B / %x5D-7E.
// The error parameter has the same grammar (Appendix A.7).
func inDescriptionGrammar(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 0x20 && c <= 0x21 || c >= 0x23 && c <= 0x5b || c >= 0x5d && c <= 0x7e) {
			return false
		}
	}
	return true
}

func TestViolationDescription(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	// Every byte the grammar allows, in order: kept as it is.
	var allowed strings.Builder
	for c := 0x20; c <= 0x7e; c++ {
		if c != '"' && c != '\\' {
			allowed.WriteByte(byte(c))
		}
	}

	tests := []struct {
		name    string
		code    fapi.Code
		message string
		want    string
	}{
		{"quotes", fapi.CodeResponseTypeNotAllowed, `response type "code token" is not allowed`, `response type %22code token%22 is not allowed`},
		{"backslash", "", `a\b \"q\"`, `a%5Cb %5C%22q%5C%22`},
		{"tab", "", "a\tb", "a%09b"},
		{"NUL", "", "a\x00b", "a%00b"},
		{"CR LF", "", "x\r\nSet-Cookie: a=b", "x%0D%0ASet-Cookie: a=b"},
		{"other controls and DEL", "", "\x01\x1f\x7f", "%01%1F%7F"},
		{"UTF-8 multibyte", "", "café ✓ 😀", "caf%C3%A9 %E2%9C%93 %F0%9F%98%80"},
		{"invalid UTF-8", "", "a\xffb\xc3", "a%FFb%C3"},
		{"percent sign kept", "", "100% sure, %22 as sent", "100% sure, %22 as sent"},
		{"every allowed byte kept", "", allowed.String(), allowed.String()},
		{"HTML characters kept", "", "<b>'x' & y</b>", "<b>'x' & y</b>"},
		{"space only", "", " ", " "},
		{"exactly at the bound", "", a(fapi.MaxDescriptionLen), a(fapi.MaxDescriptionLen)},
		{"one over the bound", "", a(fapi.MaxDescriptionLen + 1), a(fapi.MaxDescriptionLen-3) + "..."},
		{"far over the bound", "", a(10000), a(fapi.MaxDescriptionLen-3) + "..."},
		{"escapes exactly at the bound", "", strings.Repeat(`"`, 85) + "a", strings.Repeat("%22", 85) + "a"},
		{"at the bound before escaping, over after", "", `"` + a(fapi.MaxDescriptionLen-1), "%22" + a(fapi.MaxDescriptionLen-6) + "..."},
		{"cut before an escape that does not fit", "", a(252) + `"bbbb`, a(252) + "..."},
		{"escape that just fits before the mark", "", a(250) + `"bbbb`, a(250) + "%22..."},
		{"cut before a multibyte character, not inside its escapes", "", a(250) + "ébbbb", a(250) + "..."},
		{"empty message gives the code", fapi.CodePKCEChallengeMissing, "", string(fapi.CodePKCEChallengeMissing)},
		{"empty message and code outside the grammar", `x"y`, "", "x%22y"},
		{"empty message and no code gives a fixed text", "", "", "the request was refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fapi.Violation{Code: tt.code, Field: "f", Message: tt.message, Ref: "RFC6749-5.2", Error: fapi.OAuthInvalidRequest}
			got := v.Description()
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, len(got), fapi.MaxDescriptionLen)
			assert.True(t, inDescriptionGrammar(got), "outside the grammar: %q", got)
			assert.Equal(t, got, v.Description(), "not deterministic")
			if tt.message != "" {
				assert.Equal(t, got, fapi.EscapeDescription(tt.message))
			}
		})
	}
}

func TestEscapeDescriptionEmpty(t *testing.T) {
	assert.Equal(t, "", fapi.EscapeDescription(""), "an empty text means: omit error_description")
}

// TestOAuthErrorsInGrammar backs Description's doc comment: a violation's
// Error is sent as-is, and a Code stands in for an empty Message
// unescaped, so both must already be within the grammar.
func TestOAuthErrorsInGrammar(t *testing.T) {
	infos := fapi.CodeInfos()
	require.NotEmpty(t, infos)
	for _, info := range infos {
		assert.True(t, inDescriptionGrammar(info.Error), "code %s: error %q", info.Code, info.Error)
		assert.True(t, inDescriptionGrammar(string(info.Code)), "code %q", info.Code)
		assert.Equal(t, string(info.Code), fapi.Violation{Code: info.Code}.Description())
	}
	for _, e := range []string{
		fapi.OAuthInvalidRequest, fapi.OAuthInvalidRequestObject, fapi.OAuthInvalidRequestURI,
		fapi.OAuthInvalidClient, fapi.OAuthInvalidGrant, fapi.OAuthInvalidScope,
		fapi.OAuthUnauthorizedClient, fapi.OAuthUnsupportedResponseType, fapi.OAuthUnsupportedGrantType,
		fapi.OAuthAccessDenied, fapi.OAuthServerError, fapi.OAuthInvalidRedirectURI,
		fapi.OAuthInvalidClientMetadata, fapi.OAuthInvalidDPoPProof, fapi.OAuthUseDPoPNonce,
	} {
		assert.True(t, inDescriptionGrammar(e), "error %q", e)
	}
}
