package scope_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/scope"
)

func TestParse(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		param string
		want  []string
	}{
		{name: "absent", param: "", want: nil},
		{name: "single", param: "openid", want: []string{"openid"}},
		{name: "several", param: "openid accounts payments", want: []string{"openid", "accounts", "payments"}},
		{name: "order kept", param: "payments openid", want: []string{"payments", "openid"}},
		{name: "duplicates collapsed", param: "a b a c b", want: []string{"a", "b", "c"}},
		{name: "case-sensitive", param: "openid OpenID", want: []string{"openid", "OpenID"}},
		{name: "lowest allowed byte", param: "!", want: []string{"!"}},
		{name: "byte after quote", param: "#", want: []string{"#"}},
		{name: "byte before backslash", param: "[", want: []string{"["}},
		{name: "byte after backslash", param: "]", want: []string{"]"}},
		{name: "highest allowed byte", param: "~", want: []string{"~"}},
		{
			name:  "every allowed byte",
			param: "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~",
			want:  []string{"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"},
		},
		{name: "urn-like", param: "urn:example:scope:1 https://api.example.com/read", want: []string{"urn:example:scope:1", "https://api.example.com/read"}},
		{name: "dynamic scope", param: "payment:3f1c-99", want: []string{"payment:3f1c-99"}},
		{name: "maximum length", param: strings.Repeat("a", scope.MaxParamLength), want: []string{strings.Repeat("a", scope.MaxParamLength)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scope.Parse(tt.param)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		param      string
		wantOffset int
		wantReason string
	}{
		{name: "only space", param: " ", wantOffset: 0, wantReason: "leading space"},
		{name: "two spaces", param: "  ", wantOffset: 0, wantReason: "leading space"},
		{name: "leading space", param: " openid", wantOffset: 0, wantReason: "leading space"},
		{name: "trailing space", param: "openid ", wantOffset: 6, wantReason: "trailing space"},
		{name: "double space", param: "openid  accounts", wantOffset: 7, wantReason: "consecutive spaces"},
		{name: "tab", param: "openid\taccounts", wantOffset: 6, wantReason: "whitespace byte 0x09"},
		{name: "newline", param: "openid\naccounts", wantOffset: 6, wantReason: "whitespace byte 0x0a"},
		{name: "carriage return", param: "openid\r", wantOffset: 6, wantReason: "whitespace byte 0x0d"},
		{name: "vertical tab", param: "\vopenid", wantOffset: 0, wantReason: "whitespace byte 0x0b"},
		{name: "form feed", param: "a\fb", wantOffset: 1, wantReason: "whitespace byte 0x0c"},
		{name: "double quote", param: `open"id`, wantOffset: 4, wantReason: `'"'`},
		{name: "backslash", param: `open\id`, wantOffset: 4, wantReason: `'\'`},
		{name: "NUL", param: "openid\x00", wantOffset: 6, wantReason: "control character 0x00"},
		{name: "DEL", param: "a\x7f", wantOffset: 1, wantReason: "control character 0x7f"},
		{name: "non-ASCII", param: "paiement é", wantOffset: 9, wantReason: "non-ASCII byte 0xc3"},
		{name: "non-breaking space", param: "a\u00a0b", wantOffset: 1, wantReason: "non-ASCII byte 0xc2"},
		{name: "invalid UTF-8", param: "a\xffb", wantOffset: 1, wantReason: "non-ASCII byte 0xff"},
		{name: "too long", param: strings.Repeat("a", scope.MaxParamLength+1), wantOffset: scope.MaxParamLength, wantReason: "exceeds 8192 bytes"},
		{name: "too long even if valid tokens", param: strings.Repeat("ab ", 3000) + "x", wantOffset: scope.MaxParamLength, wantReason: "exceeds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := scope.Parse(tt.param)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, scope.ErrMalformed)
			assert.NotErrorIs(t, err, scope.ErrInvalidDefinition)

			var synErr *scope.SyntaxError
			require.ErrorAs(t, err, &synErr)
			assert.Equal(t, tt.wantOffset, synErr.Offset)
			assert.Contains(t, synErr.Reason, tt.wantReason)
			assert.Contains(t, err.Error(), "offset "+strconv.Itoa(tt.wantOffset))
			assert.Contains(t, err.Error(), synErr.Reason)
		})
	}
}

func TestParseManyTokens(t *testing.T) {
	t.Parallel()

	// More than 16 tokens exercises the map-based duplicate detection.
	var b strings.Builder
	var want []string
	for i := range 40 {
		if i > 0 {
			b.WriteByte(' ')
		}
		tok := "s" + strconv.Itoa(i%25)
		b.WriteString(tok)
		if i < 25 {
			want = append(want, tok)
		}
	}
	got, err := scope.Parse(b.String())
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestParseAllocations(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := scope.Parse("openid accounts payments openid fapi:rw"); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0)
}

func TestSyntaxErrorIs(t *testing.T) {
	t.Parallel()

	var err error = &scope.SyntaxError{Offset: 3, Reason: "trailing space"}
	assert.ErrorIs(t, err, scope.ErrMalformed)
	assert.NotErrorIs(t, err, scope.ErrInvalidDefinition)
	assert.Equal(t, "scope: malformed scope parameter at offset 3: trailing space", err.Error())

	wrapped := errors.Join(errors.New("request rejected"), err)
	assert.ErrorIs(t, wrapped, scope.ErrMalformed)
}

func TestContains(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		scopes []string
		find   string
		want   bool
	}{
		{name: "nil slice", scopes: nil, find: "openid", want: false},
		{name: "present", scopes: []string{"openid", "accounts"}, find: "accounts", want: true},
		{name: "absent", scopes: []string{"openid"}, find: "accounts", want: false},
		{name: "case-sensitive", scopes: []string{"openid"}, find: "OpenID", want: false},
		{name: "prefix is not a match", scopes: []string{"accounts"}, find: "account", want: false},
		{name: "empty name", scopes: []string{"openid"}, find: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scope.Contains(tt.scopes, tt.find))
		})
	}
}
