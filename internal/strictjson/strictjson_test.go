package strictjson_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// nested returns an object nested depth levels deep: {"a":{"a":...{}}}.
func nested(depth int) string {
	return strings.Repeat(`{"a":`, depth-1) + "{}" + strings.Repeat("}", depth-1)
}

// nestedArrays returns an object whose member holds arrays so that the total
// depth is depth: {"a":[[...[]...]]}.
func nestedArrays(depth int) string {
	return `{"a":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + "}"
}

// manyMembers returns an object with n members named m0..m(n-1), followed by
// extra raw members.
func manyMembers(n int, extra string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"m` + strconv.Itoa(i) + `":` + strconv.Itoa(i))
	}
	b.WriteString(extra)
	b.WriteString("}")
	return b.String()
}

type rejectCase struct {
	name   string
	in     string
	lim    strictjson.Limits
	limit  bool // expect ErrTooComplex instead of ErrInvalid
	offset int  // expected offset, or -1 to skip the check
}

var rejectCases = []rejectCase{
	// Syntax errors.
	{name: "empty input", in: "", offset: 0},
	{name: "whitespace only", in: " \t\r\n", offset: 4},
	{name: "unterminated object", in: "{", offset: 1},
	{name: "missing value", in: `{"a":`, offset: 5},
	{name: "missing colon", in: `{"a" 1}`, offset: 5},
	{name: "name without value", in: `{"a"}`, offset: 4},
	{name: "unquoted name", in: `{a:1}`, offset: 1},
	{name: "numeric name", in: `{1:1}`, offset: 1},
	{name: "single-quoted name", in: `{'a':1}`, offset: 1},
	{name: "single-quoted value", in: `{"a":'x'}`, offset: 5},
	{name: "trailing comma in object", in: `{"a":1,}`, offset: 7},
	{name: "trailing comma in object with whitespace", in: "{\"a\":1 , \n}", offset: 10},
	{name: "leading comma in object", in: `{,"a":1}`, offset: 1},
	{name: "double comma in object", in: `{"a":1,,"b":2}`, offset: 7},
	{name: "trailing comma in array", in: `{"a":[1,]}`, offset: 8},
	{name: "leading comma in array", in: `{"a":[,1]}`, offset: 6},
	{name: "double comma in array", in: `{"a":[1,,2]}`, offset: 8},
	{name: "missing comma between members", in: `{"a":1 "b":2}`, offset: 7},
	{name: "missing comma between elements", in: `{"a":[1 2]}`, offset: 8},
	{name: "mismatched close bracket", in: `{"a":1]`, offset: 6},
	{name: "mismatched close brace", in: `{"a":[1}`, offset: 7},
	{name: "line comment", in: "{\"a\":1 // c\n}", offset: 7},
	{name: "block comment", in: `{/* c */}`, offset: 1},
	{name: "leading comment", in: `/**/{}`, offset: 0},
	{name: "hash comment", in: "{\"a\":1 # c\n}", offset: 7},
	{name: "NaN", in: `{"a":NaN}`, offset: 5},
	{name: "Infinity", in: `{"a":Infinity}`, offset: 5},
	{name: "negative Infinity", in: `{"a":-Infinity}`, offset: 6},
	{name: "leading zero", in: `{"a":01}`, offset: 5},
	{name: "negative leading zero", in: `{"a":-01}`, offset: 6},
	{name: "leading zeros before fraction", in: `{"a":00.5}`, offset: 5},
	{name: "leading plus", in: `{"a":+1}`, offset: 5},
	{name: "leading decimal point", in: `{"a":.5}`, offset: 5},
	{name: "trailing decimal point", in: `{"a":1.}`, offset: 7},
	{name: "decimal point before exponent", in: `{"a":1.e3}`, offset: 7},
	{name: "empty exponent", in: `{"a":1e}`, offset: 7},
	{name: "signed empty exponent", in: `{"a":1e+}`, offset: 8},
	{name: "lone minus", in: `{"a":-}`, offset: 6},
	{name: "minus at end", in: `{"a":-`, offset: 6},
	{name: "hex number", in: `{"a":0x1F}`, offset: 6},
	{name: "double minus", in: `{"a":--1}`, offset: 6},
	{name: "number with space", in: `{"a":1 2}`, offset: 7},
	{name: "truncated true", in: `{"a":tru}`, offset: 8},
	{name: "true with suffix", in: `{"a":truee}`, offset: 9},
	{name: "truncated null at end", in: `{"a":nul`, offset: 8},
	{name: "capitalised True", in: `{"a":True}`, offset: 5},
	{name: "undefined", in: `{"a":undefined}`, offset: 5},
	{name: "unescaped control character", in: "{\"a\":\"x\x01y\"}", offset: 7},
	{name: "unescaped NUL", in: "{\"a\":\"\x00\"}", offset: 6},
	{name: "unescaped tab", in: "{\"a\":\"\t\"}", offset: 6},
	{name: "unescaped newline", in: "{\"a\":\"\n\"}", offset: 6},
	{name: "unescaped control in name", in: "{\"\x1f\":1}", offset: 2},
	{name: "invalid escape x", in: `{"a":"\x41"}`, offset: 6},
	{name: "invalid escape single quote", in: `{"a":"\'"}`, offset: 6},
	{name: "invalid escape U", in: `{"a":"\U0041"}`, offset: 6},
	{name: "short unicode escape", in: `{"a":"\u12"}`, offset: 6},
	{name: "non-hex unicode escape", in: `{"a":"\u12G4"}`, offset: 6},
	{name: "unicode escape at end", in: `{"a":"\u`, offset: 6},
	{name: "backslash at end", in: `{"a":"\`, offset: 7},
	{name: "lone high surrogate", in: `{"a":"\ud800"}`, offset: 6},
	{name: "high surrogate then text", in: `{"a":"\uD800xxxxxx"}`, offset: 6},
	{name: "high surrogate then BMP escape", in: `{"a":"\ud800\u0041"}`, offset: 6},
	{name: "two high surrogates", in: `{"a":"\ud800\ud800"}`, offset: 6},
	{name: "high surrogate then short escape", in: `{"a":"\ud800\u12"}`, offset: 12},
	{name: "high surrogate then other escape", in: `{"a":"\ud800\n"}`, offset: 6},
	{name: "lone low surrogate", in: `{"a":"\udc00"}`, offset: 6},
	{name: "reversed surrogate pair", in: `{"a":"\udfff\ud800"}`, offset: 6},
	{name: "lone surrogate in name", in: `{"\ud83d":1}`, offset: 2},
	{name: "unterminated string", in: `{"a":"abc`, offset: 9},
	{name: "unterminated name", in: `{"a`, offset: 3},
	{name: "escaped closing quote", in: `{"a":"abc\"}`, offset: 12},
	{name: "raw DEL in number position", in: "{\"a\":\x7f}", offset: 5},

	// Invalid UTF-8 and byte order marks.
	{name: "invalid byte in string", in: "{\"a\":\"\xff\"}", offset: 6},
	{name: "invalid byte in name", in: "{\"\xff\":1}", offset: 2},
	{name: "continuation byte alone", in: "{\"a\":\"\x80\"}", offset: 6},
	{name: "overlong slash", in: "{\"a\":\"\xc0\xaf\"}", offset: 6},
	{name: "overlong three-byte", in: "{\"a\":\"\xe0\x80\xaf\"}", offset: 6},
	{name: "UTF-8 encoded surrogate", in: "{\"a\":\"\xed\xa0\x80\"}", offset: 6},
	{name: "truncated multi-byte", in: "{\"a\":\"\xe2\x82\"}", offset: 6},
	{name: "truncated multi-byte at end", in: "{\"a\":\"\xe2\x82", offset: 6},
	{name: "beyond U+10FFFF", in: "{\"a\":\"\xf4\x90\x80\x80\"}", offset: 6},
	{name: "invalid byte outside strings", in: "{\"a\":1\xff}", offset: 6},
	{name: "invalid byte after object", in: "{}\xff", offset: 2},
	{name: "BOM", in: "\xef\xbb\xbf{}", offset: 0},
	{name: "BOM after whitespace", in: " \xef\xbb\xbf{}", offset: 1},
	{name: "BOM inside object", in: "{\xef\xbb\xbf}", offset: 1},
	{name: "UTF-16 input", in: "\xff\xfe{\x00}\x00", offset: 0},

	// Top level.
	{name: "top-level array", in: `[]`, offset: 0},
	{name: "top-level string", in: `"a"`, offset: 0},
	{name: "top-level number", in: `1`, offset: 0},
	{name: "top-level null", in: ` null`, offset: 1},
	{name: "top-level true", in: `true`, offset: 0},
	{name: "two objects", in: `{} {}`, offset: 3},
	{name: "trailing garbage", in: `{}x`, offset: 2},
	{name: "trailing close brace", in: `{"a":"x"}}`, offset: 9},
	{name: "trailing comma after object", in: `{},`, offset: 2},
	{name: "trailing NUL", in: "{}\x00", offset: 2},
	{name: "trailing form feed", in: "{}\f", offset: 2},
	{name: "leading vertical tab", in: "\v{}", offset: 0},
	{name: "non-breaking space", in: "{}\u00a0", offset: 2},

	// Duplicate names.
	{name: "duplicate at depth 1", in: `{"a":1,"a":2}`, offset: 7},
	{name: "duplicate at depth 1 not adjacent", in: `{"a":1,"b":2,"a":3}`, offset: 13},
	{name: "duplicate with different value kinds", in: `{"sub":"alice","x":[],"sub":{"a":1}}`, offset: 22},
	{name: "duplicate empty name", in: `{"":1,"":2}`, offset: 6},
	{name: "duplicate via escape", in: `{"a":1,"\u0061":2}`, offset: 7},
	{name: "duplicate via escape first", in: `{"\u0061":1,"a":2}`, offset: 12},
	{name: "duplicate both escaped differently", in: `{"\u0061":1,"\u0041\u0061":0,"\u0061":2}`, offset: 29},
	{name: "duplicate via uppercase hex escape", in: `{"\u00e9":1,"\u00E9":2}`, offset: 12},
	{name: "duplicate via raw UTF-8 and escape", in: `{"é":1,"\u00e9":2}`, offset: 8},
	{name: "duplicate via solidus escape", in: `{"/":1,"\/":2}`, offset: 7},
	{name: "duplicate via surrogate pair", in: `{"😀":1,"\ud83d\ude00":2}`, offset: 10},
	{name: "duplicate at depth 2", in: `{"x":{"a":1,"a":2}}`, offset: 12},
	{name: "duplicate at depth 3", in: `{"x":{"y":{"a":1,"a":2}}}`, offset: 17},
	{name: "duplicate at depth 3 via escape", in: `{"x":{"y":{"ab":1,"a\u0062":2}}}`, offset: 18},
	{name: "duplicate inside array element", in: `{"x":[{"a":1},{"a":1,"a":2}]}`, offset: 21},
	{name: "duplicate after nested escaped names", in: `{"\u0061":{"\u0062":1,"\u0063":2},"\u0064":2,"a":3}`, offset: 45},
	{name: "duplicate after the map threshold", in: manyMembers(40, `,"m3":0`), offset: -1},
	{name: "duplicate exactly at the map threshold", in: manyMembers(15, `,"m0":0`), offset: -1},
	{name: "duplicate escaped after the map threshold", in: manyMembers(20, `,"\u006d19":0`), offset: -1},
	{name: "duplicate nested after the map threshold", in: `{"o":` + manyMembers(30, `,"m29":0`) + `}`, offset: -1},

	// Limits.
	{name: "depth 33 objects", in: nested(33), limit: true, offset: 160},
	{name: "depth 33 arrays", in: nestedArrays(33), limit: true, offset: 36},
	{name: "depth over custom limit", in: `{"a":{"b":{}}}`, lim: strictjson.Limits{MaxDepth: 2}, limit: true, offset: 10},
	{name: "array depth over custom limit", in: `{"a":[[]]}`, lim: strictjson.Limits{MaxDepth: 2}, limit: true, offset: 6},
	{name: "members over custom limit", in: `{"a":1,"b":2,"c":3}`, lim: strictjson.Limits{MaxMembers: 2}, limit: true, offset: 13},
	{name: "nested members over custom limit", in: `{"a":{"b":1,"c":2,"d":3}}`, lim: strictjson.Limits{MaxMembers: 2}, limit: true, offset: 18},
	{name: "members over default limit", in: manyMembers(1001, ""), limit: true, offset: -1},
	{name: "negative limits mean defaults", in: nested(33), lim: strictjson.Limits{MaxDepth: -1, MaxMembers: -1}, limit: true, offset: 160},
}

func TestParseObjectRejects(t *testing.T) {
	for _, tc := range rejectCases {
		t.Run(tc.name, func(t *testing.T) {
			members, err := strictjson.ParseObject([]byte(tc.in), tc.lim)
			require.Error(t, err)
			assert.Nil(t, members)
			assertRejection(t, err, tc.limit, tc.offset)
		})
	}
}

// assertRejection checks the error type, sentinel and offset.
func assertRejection(t *testing.T, err error, limit bool, offset int) {
	t.Helper()
	var se *strictjson.SyntaxError
	require.ErrorAs(t, err, &se)
	if limit {
		assert.ErrorIs(t, err, strictjson.ErrTooComplex)
		assert.NotErrorIs(t, err, strictjson.ErrInvalid)
	} else {
		assert.ErrorIs(t, err, strictjson.ErrInvalid)
		assert.NotErrorIs(t, err, strictjson.ErrTooComplex)
	}
	if offset >= 0 {
		assert.Equal(t, offset, se.Offset, "offset (%s)", se.Reason)
	}
	assert.Equal(t, "strictjson: "+se.Reason+" at offset "+strconv.Itoa(se.Offset), err.Error())
	assert.NotEmpty(t, se.Reason)
}

func TestRejectReasons(t *testing.T) {
	tests := []struct {
		in     string
		reason string
	}{
		{`{"a":1,"a":2}`, "duplicate object member name"},
		{"\xef\xbb\xbf{}", "byte order mark not allowed"},
		{"{\"a\":\"\xff\"}", "invalid UTF-8"},
		{"{\"a\":1\xff}", "invalid UTF-8"},
		{`[]`, "top-level value is not an object"},
		{`{} {}`, "unexpected data after top-level value"},
		{`{"a":1,}`, "trailing comma in object"},
		{`{"a":[1,]}`, "trailing comma in array"},
		{`{"a":01}`, "invalid number: leading zero"},
		{`{"a":"\ud800"}`, "unpaired high surrogate escape in string"},
		{`{"a":"\udc00"}`, "unpaired low surrogate escape in string"},
		{`{"a":"\x"}`, "invalid escape sequence in string"},
		{"{\"a\":\"\x01\"}", "unescaped control character in string"},
		{nested(33), "nesting too deep"},
		{manyMembers(1001, ""), "too many object members"},
		{`{"a":`, "unexpected end of input"},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			_, err := strictjson.ParseObject([]byte(tc.in), strictjson.Limits{})
			var se *strictjson.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.reason, se.Reason)
		})
	}
}

func TestSyntaxErrorIs(t *testing.T) {
	invalid := &strictjson.SyntaxError{Offset: 3, Reason: "x"}
	assert.ErrorIs(t, invalid, strictjson.ErrInvalid)
	assert.NotErrorIs(t, invalid, strictjson.ErrTooComplex)
	assert.Equal(t, "strictjson: x at offset 3", invalid.Error())

	_, err := strictjson.ParseObject([]byte(nested(40)), strictjson.Limits{})
	assert.ErrorIs(t, err, strictjson.ErrTooComplex)
	assert.NotErrorIs(t, err, strictjson.ErrInvalid)
	assert.NotErrorIs(t, err, errors.New("strictjson: JSON exceeds limits"))
}

var acceptObjects = []string{
	`{}`,
	" \t\r\n{ \t\r\n} \t\r\n",
	"{\n\t\"a\" :\r\n 1 ,\t\"b\"\n:\n[ ] }\n",
	`{"a":[]}`,
	`{"a":{}}`,
	`{"a":[{}]}`,
	`{"a":[[],{},[{}]]}`,
	`{"":""}`,
	`{"a":"\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u00E9\uD83D\uDE00\ud83d\ude00"}`,
	`{"a":"\uffff\uFFFE\u2028\u2029\ud7ff\ue000\udbff\udfff"}`,
	`{"a":-0,"b":1E+2,"c":0.5e-3,"d":-0.0,"e":1e-0,"f":0,"g":-1.5E10,"h":1e300}`,
	`{"big":123456789012345678901234567890,"neg":-9223372036854775809,"frac":0.000000000000000000001}`,
	`{"t":true,"f":false,"n":null}`,
	`{"ключ":"значение","emoji":"😀","mix":"a\u00e9é"}`,
	"{\"del\":\"\x7f\",\"ls\":\"\u2028\",\"max\":\"\U0010ffff\"}",
	`{"a":1,"A":2,"\u0041\u0061":3}`,
	`{"x":{"a":1},"y":{"a":2}}`,
	`{"a":{"a":{"a":1}}}`,
	`{"x":[{"a":1},{"a":2}]}`,
	`{"\u0061":{"\u0062":1,"\u0063":2},"\u0064":2,"b":3,"c":4}`,
	`{"ab":1,"a\u0062c":2,"abc\u0000":3}`,
	`{"\ud83d\ude00":1,"\ud83d\ude01":2}`,
	nested(32),
	nestedArrays(32),
	manyMembers(15, ""),
	manyMembers(16, ""),
	manyMembers(17, ""),
	manyMembers(1000, ""),
	`{"o":` + manyMembers(100, "") + `,"p":` + manyMembers(100, "") + `}`,
}

func TestParseObjectAccepts(t *testing.T) {
	for _, in := range acceptObjects {
		name := in
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			members, err := strictjson.ParseObject([]byte(in), strictjson.Limits{})
			require.NoError(t, err)
			require.NotNil(t, members)
			require.NoError(t, strictjson.Validate([]byte(in), strictjson.Limits{}))
		})
	}
}

func TestParseObjectExactLimits(t *testing.T) {
	lim := strictjson.Limits{MaxDepth: 3, MaxMembers: 3}
	_, err := strictjson.ParseObject([]byte(`{"a":{"b":[1]},"c":2,"d":{"e":1,"f":2,"g":3}}`), lim)
	require.NoError(t, err)
	_, err = strictjson.ParseObject([]byte(`{"a":{"b":[[]]}}`), lim)
	require.ErrorIs(t, err, strictjson.ErrTooComplex)

	_, err = strictjson.ParseObject([]byte(nested(1000)), strictjson.Limits{MaxDepth: 1000})
	require.NoError(t, err)
	_, err = strictjson.ParseObject([]byte(manyMembers(5000, "")), strictjson.Limits{MaxMembers: 5000})
	require.NoError(t, err)
}

func TestParseObjectMembers(t *testing.T) {
	in := []byte(" {\n \"s\" : \"x\\\"y\" , \"n\":-1.5e3,\"b\":true,\"f\" :false,\"z\":null,\n" +
		"\"o\":{ \"k\" : [1, 2] } ,\"a\":[ 1 , {\"x\":1} ],\"\\u0065sc\\n\":\"\\u00e9\",\"\":0 }\t")
	members, err := strictjson.ParseObject(in, strictjson.Limits{})
	require.NoError(t, err)

	want := []struct {
		name string
		kind strictjson.Kind
		raw  string
	}{
		{"s", strictjson.String, `"x\"y"`},
		{"n", strictjson.Number, `-1.5e3`},
		{"b", strictjson.Bool, `true`},
		{"f", strictjson.Bool, `false`},
		{"z", strictjson.Null, `null`},
		{"o", strictjson.Object, `{ "k" : [1, 2] }`},
		{"a", strictjson.Array, `[ 1 , {"x":1} ]`},
		{"esc\n", strictjson.String, `"\u00e9"`},
		{"", strictjson.Number, `0`},
	}
	require.Len(t, members, len(want))
	for i, w := range want {
		assert.Equal(t, w.name, members[i].Name, "member %d", i)
		assert.Equal(t, w.kind, members[i].Kind, "member %d", i)
		assert.Equal(t, w.raw, string(members[i].Raw), "member %d", i)
		// Raw aliases the input and cannot be appended to in place.
		assert.Equal(t, len(members[i].Raw), cap(members[i].Raw), "member %d", i)
	}
	off := strings.Index(string(in), `{ "k"`)
	assert.Same(t, &in[off], &members[5].Raw[0], "Raw must alias the input")

	s, err := strictjson.DecodeString(members[0].Raw)
	require.NoError(t, err)
	assert.Equal(t, `x"y`, s)
	s, err = strictjson.DecodeString(members[7].Raw)
	require.NoError(t, err)
	assert.Equal(t, "é", s)
	b, err := strictjson.DecodeBool(members[2].Raw)
	require.NoError(t, err)
	assert.True(t, b)

	m, ok := strictjson.Lookup(members, "o")
	require.True(t, ok)
	assert.Equal(t, strictjson.Object, m.Kind)
	inner, err := strictjson.ParseObject(m.Raw, strictjson.Limits{})
	require.NoError(t, err)
	require.Len(t, inner, 1)
	assert.Equal(t, "k", inner[0].Name)
	ks, err := strictjson.DecodeStrings(inner[0].Raw)
	assert.ErrorIs(t, err, strictjson.ErrInvalid)
	assert.Nil(t, ks)

	_, ok = strictjson.Lookup(members, "missing")
	assert.False(t, ok)
	_, ok = strictjson.Lookup(nil, "")
	assert.False(t, ok)
	m, ok = strictjson.Lookup(members, "")
	assert.True(t, ok)
	assert.Equal(t, "0", string(m.Raw))
}

func TestParseObjectEmpty(t *testing.T) {
	members, err := strictjson.ParseObject([]byte(" {} "), strictjson.Limits{})
	require.NoError(t, err)
	assert.NotNil(t, members)
	assert.Empty(t, members)
}

func TestParseObjectLargeMemberNames(t *testing.T) {
	// Many top-level members, escaped and not, across the map threshold.
	var b strings.Builder
	b.WriteString("{")
	var names []string
	for i := 0; i < 50; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		name := "n" + strconv.Itoa(i)
		names = append(names, name)
		if i%3 == 0 {
			b.WriteString(`"\u006e` + strconv.Itoa(i) + `":{"n":1,"\u006e":2}`)
		} else {
			b.WriteString(`"` + name + `":` + strconv.Itoa(i))
		}
	}
	b.WriteString("}")
	_, err := strictjson.ParseObject([]byte(b.String()), strictjson.Limits{})
	// Every third value holds "n" twice (once escaped).
	require.ErrorIs(t, err, strictjson.ErrInvalid)

	fixed := strings.ReplaceAll(b.String(), `"\u006e":2`, `"\u006f":2`)
	members, err := strictjson.ParseObject([]byte(fixed), strictjson.Limits{})
	require.NoError(t, err)
	require.Len(t, members, len(names))
	for i, m := range members {
		assert.Equal(t, names[i], m.Name)
	}
}

func TestValidate(t *testing.T) {
	accept := []string{
		`1`, `-0`, `0.5e-3`, `"x"`, `""`, `null`, ` true `, `false`, `[]`, `{}`,
		`[1,[2,{"a":[]}]]`, `[{"a":1},{"a":1}]`, "\n[\t1 , \"\\u00e9\" ]\r\n",
		`{"userinfo":{"given_name":{"essential":true},"email":null},"id_token":{"acr":{"values":["urn:a","urn:b"]}}}`,
	}
	for _, in := range accept {
		t.Run("accept "+in, func(t *testing.T) {
			assert.NoError(t, strictjson.Validate([]byte(in), strictjson.Limits{}))
		})
	}
	reject := []struct {
		in     string
		lim    strictjson.Limits
		limit  bool
		offset int
	}{
		{in: ``, offset: 0},
		{in: `1 2`, offset: 2},
		{in: `[1,]`, offset: 3},
		{in: `[1}`, offset: 2},
		{in: `01`, offset: 0},
		{in: `"\ud800"`, offset: 1},
		{in: "\"\xff\"", offset: 1},
		{in: `[{"a":1,"a":2}]`, offset: 8},
		{in: `{"userinfo":{"email":null,"email":{"essential":true}}}`, offset: 26},
		{in: `[[[]]]`, lim: strictjson.Limits{MaxDepth: 2}, limit: true, offset: 2},
		{in: strings.Repeat("[", 33) + strings.Repeat("]", 33), limit: true, offset: 32},
		{in: strings.Repeat("[", 100000), limit: true, offset: 32},
	}
	for _, tc := range reject {
		t.Run("reject "+tc.in[:min(len(tc.in), 40)], func(t *testing.T) {
			err := strictjson.Validate([]byte(tc.in), tc.lim)
			require.Error(t, err)
			assertRejection(t, err, tc.limit, tc.offset)
		})
	}
	// A scalar is at depth 0 and passes any depth limit.
	assert.NoError(t, strictjson.Validate([]byte(`1`), strictjson.Limits{MaxDepth: 1}))
	assert.NoError(t, strictjson.Validate([]byte(`[]`), strictjson.Limits{MaxDepth: 1}))
}

func TestNilAndBinaryInput(t *testing.T) {
	inputs := [][]byte{nil, {}, {0}, {0xff, 0xfe, 0xfd}, []byte(strings.Repeat("\x00", 100)), []byte("{\"a\":\"\\"), []byte("[\"\\u")}
	for _, in := range inputs {
		assert.NotPanics(t, func() {
			_, _ = strictjson.ParseObject(in, strictjson.Limits{})
			_ = strictjson.Validate(in, strictjson.Limits{})
			_, _ = strictjson.DecodeString(in)
			_, _ = strictjson.DecodeInt64(in)
			_, _ = strictjson.DecodeBool(in)
			_, _ = strictjson.DecodeStrings(in)
		})
	}
	_, err := strictjson.ParseObject(nil, strictjson.Limits{})
	assert.ErrorIs(t, err, strictjson.ErrInvalid)
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "null", strictjson.Null.String())
	assert.Equal(t, "boolean", strictjson.Bool.String())
	assert.Equal(t, "number", strictjson.Number.String())
	assert.Equal(t, "string", strictjson.String.String())
	assert.Equal(t, "array", strictjson.Array.String())
	assert.Equal(t, "object", strictjson.Object.String())
	assert.Equal(t, "strictjson.Kind(0)", strictjson.Kind(0).String())
	assert.Equal(t, "strictjson.Kind(200)", strictjson.Kind(200).String())
}

func TestDecodeString(t *testing.T) {
	ok := []struct{ in, want string }{
		{`""`, ""},
		{`"abc"`, "abc"},
		{`"a\"b\\c\/d"`, `a"b\c/d`},
		{`"\b\f\n\r\t"`, "\b\f\n\r\t"},
		{`"\u0000\u00e9\u20AC"`, "\x00é€"},
		{`"\ud83d\ude00!"`, "😀!"},
		{`"é😀"`, "é😀"},
		{"\"\u2028\"", "\u2028"},
	}
	for _, tc := range ok {
		got, err := strictjson.DecodeString([]byte(tc.in))
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		var std string
		require.NoError(t, json.Unmarshal([]byte(tc.in), &std))
		assert.Equal(t, std, got, tc.in)
	}
	bad := []string{
		``, `abc`, `"abc`, `"a"x`, `"a""b"`, ` "a"`, `"a" `, `"\ud800"`, `"\udc00"`, `"\x"`, `"\u12"`,
		"\"\x01\"", "\"\xff\"", `null`, `1`, `["a"]`, `'a'`, `"`,
	}
	for _, in := range bad {
		_, err := strictjson.DecodeString([]byte(in))
		assert.ErrorIs(t, err, strictjson.ErrInvalid, "%q", in)
	}
}

func TestDecodeInt64(t *testing.T) {
	ok := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"-0", 0},
		{"1", 1},
		{"-1", -1},
		{"1700000000", 1700000000},
		{"9223372036854775807", 9223372036854775807},
		{"-9223372036854775808", -9223372036854775808},
	}
	for _, tc := range ok {
		got, err := strictjson.DecodeInt64([]byte(tc.in))
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	bad := []string{
		"9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
		"1.0", "1.5", "1e3", "1E3", "1e300", "-1e0", "null", `"1"`, "true", "", "-", "--1", "01", "-01", "00",
		"+1", " 1", "1 ", "0x1", "1_000", "١", "\xff", "NaN", "Infinity",
	}
	for _, in := range bad {
		_, err := strictjson.DecodeInt64([]byte(in))
		assert.ErrorIs(t, err, strictjson.ErrInvalid, "%q", in)
	}
	_, err := strictjson.DecodeInt64([]byte("9223372036854775808"))
	var se *strictjson.SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "integer out of int64 range", se.Reason)
}

func TestDecodeBool(t *testing.T) {
	v, err := strictjson.DecodeBool([]byte("true"))
	require.NoError(t, err)
	assert.True(t, v)
	v, err = strictjson.DecodeBool([]byte("false"))
	require.NoError(t, err)
	assert.False(t, v)
	for _, in := range []string{"", "True", "TRUE", `"true"`, "1", "0", "null", " true", "true ", "tru", "truee", "f"} {
		_, err := strictjson.DecodeBool([]byte(in))
		assert.ErrorIs(t, err, strictjson.ErrInvalid, "%q", in)
	}
}

func TestDecodeStrings(t *testing.T) {
	ok := []struct {
		in   string
		want []string
	}{
		{`[]`, []string{}},
		{"[ \t\r\n]", []string{}},
		{`["a"]`, []string{"a"}},
		{"[ \"a\" ,\n\"b\\n\" ]", []string{"a", "b\n"}},
		{`["\ud83d\ude00","","openid"]`, []string{"😀", "", "openid"}},
		{`["a","a"]`, []string{"a", "a"}},
	}
	for _, tc := range ok {
		got, err := strictjson.DecodeStrings([]byte(tc.in))
		require.NoError(t, err, tc.in)
		require.NotNil(t, got, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	bad := []string{
		``, `[`, `[ `, `["a"`, `["a",`, `["a",]`, `[,"a"]`, `["a" "b"]`, `[1]`, `["a",null]`, `[["a"]]`,
		`["a"]x`, `["a"] `, ` ["a"]`, `"a"`, `{}`, `null`, `[]]`, `["\ud800"]`, "[\"\xff\"]", `['a']`, "[\"a\"\x00]",
	}
	for _, in := range bad {
		got, err := strictjson.DecodeStrings([]byte(in))
		assert.ErrorIs(t, err, strictjson.ErrInvalid, "%q", in)
		assert.Nil(t, got, "%q", in)
	}
}

// TestDifferential checks the package against encoding/json on inputs where
// they must agree, and documents where it is deliberately stricter.
func TestDifferential(t *testing.T) {
	// Valid for both: strictjson accepts, json.Valid agrees and json.Unmarshal
	// into any succeeds with the same number of top-level members.
	bank := append([]string{
		`{"iss":"https://as.example","aud":["a","b"],"exp":1700000000,"claims":{"id_token":{"acr":{"essential":true}}}}`,
		`{"a":"\u0000","b":"\ud83d\ude00","c":1E+2,"d":-0}`,
	}, acceptObjects...)
	for _, in := range bank {
		data := []byte(in)
		members, err := strictjson.ParseObject(data, strictjson.Limits{})
		require.NoError(t, err, in)
		assert.True(t, json.Valid(data), in)
		var v any
		require.NoError(t, json.Unmarshal(data, &v), in)
		m, ok := v.(map[string]any)
		require.True(t, ok, in)
		assert.Len(t, m, len(members), in)
		for _, mem := range members {
			var want any
			require.NoError(t, json.Unmarshal(mem.Raw, &want))
			assert.Equal(t, want, m[mem.Name], "member %q", mem.Name)
		}
		assert.Equal(t, oracleAccept, oracle(data, strictjson.Limits{}), in)
	}

	// Stricter than encoding/json: these are all accepted by json.Valid but
	// must be rejected.
	stricter := []string{
		`{"a":1,"a":2}`,
		`{"a":1,"\u0061":2}`,
		`{"x":{"a":1,"a":2}}`,
		"{\"a\":\"\xff\"}",
		"{\"a\":\"\xed\xa0\x80\"}",
		`{"a":"\ud800"}`,
		`{"a":"\udc00"}`,
		nested(33),
	}
	for _, in := range stricter {
		data := []byte(in)
		assert.True(t, json.Valid(data), in)
		_, err := strictjson.ParseObject(data, strictjson.Limits{})
		assert.Error(t, err, in)
		assert.NotEqual(t, oracleAccept, oracle(data, strictjson.Limits{}), in)
	}

	// Every case in the rejection table is rejected by the oracle too, with
	// the same classification when the oracle finds a limit violation.
	for _, tc := range rejectCases {
		data := []byte(tc.in)
		v := oracle(data, tc.lim)
		if firstNonSpace(data) != '{' && v == oracleAccept {
			continue // valid JSON, but not an object
		}
		assert.NotEqual(t, oracleAccept, v, tc.name)
		if v == oracleTooComplex {
			assert.True(t, tc.limit, tc.name)
		}
	}
}

// TestReuseAfterError checks that state recycled between calls, including
// after errors in the middle of large or nested objects, never leaks into a
// later call.
func TestReuseAfterError(t *testing.T) {
	failing := []string{
		`{"o":` + manyMembers(40, `,"m3":0`) + `}`,
		`{"\u0061":{"\u0062":{"\u0063":` + manyMembers(20, "") + `,`,
		nested(40),
		`{"a":{"b":1,"b":2}}`,
	}
	valid := `{"a":{"b":1},"\u0062":` + manyMembers(20, "") + `,"m3":{"m3":0}}`
	for i := 0; i < 50; i++ {
		for _, in := range failing {
			_, err := strictjson.ParseObject([]byte(in), strictjson.Limits{})
			require.Error(t, err, in)
			require.Error(t, strictjson.Validate([]byte(in), strictjson.Limits{}), in)
		}
		members, err := strictjson.ParseObject([]byte(valid), strictjson.Limits{})
		require.NoError(t, err)
		require.Len(t, members, 3)
		assert.Equal(t, "a", members[0].Name)
		assert.Equal(t, "b", members[1].Name)
		assert.Equal(t, "m3", members[2].Name)
	}
}

func TestConcurrentUse(t *testing.T) {
	inputs := append([]string{}, acceptObjects...)
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func(g int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				in := inputs[(g+i)%len(inputs)]
				members, err := strictjson.ParseObject([]byte(in), strictjson.Limits{})
				if !assert.NoError(t, err) {
					return
				}
				var std map[string]json.RawMessage
				if !assert.NoError(t, json.Unmarshal([]byte(in), &std)) || !assert.Len(t, members, len(std)) {
					return
				}
				for _, m := range members {
					if !assert.Equal(t, string(std[m.Name]), string(m.Raw)) {
						return
					}
				}
				_, err = strictjson.ParseObject([]byte(rejectCases[(g+i)%len(rejectCases)].in), rejectCases[(g+i)%len(rejectCases)].lim)
				assert.Error(t, err)
			}
		}(g)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
