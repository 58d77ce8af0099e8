package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// fuzzLimits are small enough that the fuzzer reaches both limits.
var fuzzLimits = strictjson.Limits{MaxDepth: 5, MaxMembers: 20}

var fuzzSeeds = []string{
	``,
	`{}`,
	" \t\r\n{ \"a\" : [ 1 , -0 , 1E+2 , 0.5e-3 ] }\n",
	`{"a":1,"a":2}`,
	`{"a":1,"\u0061":2}`,
	`{"x":{"y":{"a":1,"a":2}}}`,
	`{"a":"\ud83d\ude00","b":"\ud800"}`,
	`{"a":"\udc00"}`,
	"{\"a\":\"\xff\"}",
	"\xef\xbb\xbf{}",
	`{"a":[1,],"b":01}`,
	`{} {}`,
	`[{"a":[[[[[]]]]]}]`,
	`{"iss":"https://as.example","aud":["https://rs.example"],"exp":1700000000,"claims":{"userinfo":{"email":{"essential":true}}}}`,
	`"\"\\\/\b\f\n\r\t\u0000"`,
	`{"m0":0,"m1":1,"m2":2,"m3":3,"m4":4,"m5":5,"m6":6,"m7":7,"m8":8,"m9":9,"m10":10,"m11":11,"m12":12,"m13":13,"m14":14,"m15":15,"m16":16,"m1\u0035":0}`,
}

// checkError asserts the error contract shared by every entry point.
func checkError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var se *strictjson.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *SyntaxError", err)
	}
	if errors.Is(err, strictjson.ErrInvalid) == errors.Is(err, strictjson.ErrTooComplex) {
		t.Fatalf("error %v must match exactly one sentinel", err)
	}
}

// checkHelpers runs the decoding helpers on data and cross-checks every
// accepted result against encoding/json.
func checkHelpers(t *testing.T, data []byte) {
	t.Helper()
	if s, err := strictjson.DecodeString(data); err == nil {
		var std string
		if json.Unmarshal(data, &std) != nil || std != s || !utf8.ValidString(s) {
			t.Fatalf("DecodeString(%q) = %q, encoding/json disagrees (%q)", data, s, std)
		}
	} else {
		checkError(t, err)
	}
	if n, err := strictjson.DecodeInt64(data); err == nil {
		var std int64
		if json.Unmarshal(data, &std) != nil || std != n {
			t.Fatalf("DecodeInt64(%q) = %d, encoding/json disagrees", data, n)
		}
		if p, perr := strconv.ParseInt(string(data), 10, 64); perr != nil || p != n {
			t.Fatalf("DecodeInt64(%q) = %d, strconv disagrees", data, n)
		}
	} else {
		checkError(t, err)
	}
	if b, err := strictjson.DecodeBool(data); err == nil {
		if want := string(data) == "true"; b != want || (!b && string(data) != "false") {
			t.Fatalf("DecodeBool(%q) = %v", data, b)
		}
	} else {
		checkError(t, err)
	}
	if ss, err := strictjson.DecodeStrings(data); err == nil {
		var std []string
		if ss == nil || json.Unmarshal(data, &std) != nil || len(std) != len(ss) {
			t.Fatalf("DecodeStrings(%q) = %q, encoding/json disagrees", data, ss)
		}
		for i := range ss {
			if ss[i] != std[i] {
				t.Fatalf("DecodeStrings(%q)[%d] = %q, encoding/json has %q", data, i, ss[i], std[i])
			}
		}
	} else {
		checkError(t, err)
	}
}

// checkAgainstOracle compares a verdict of the package with the reference
// implementation.
func checkAgainstOracle(t *testing.T, data []byte, lim strictjson.Limits, err error, objectOnly bool) {
	t.Helper()
	want := oracle(data, lim)
	if objectOnly && firstNonSpace(data) != '{' {
		want = oracleInvalid
	}
	got := verdictOf(err)
	if (got == oracleAccept) != (want == oracleAccept) {
		t.Fatalf("input %q: got error %v, reference verdict %d", data, err, want)
	}
	// When the only problem is a limit, it must be reported as one. (With
	// several problems the first one in document order is reported, which may
	// be a limit even if the reference saw a syntax error elsewhere.)
	if want == oracleTooComplex && got != oracleTooComplex {
		t.Fatalf("input %q: got error %v, want ErrTooComplex", data, err)
	}
}

func FuzzParseObject(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lim := range []strictjson.Limits{{}, fuzzLimits} {
			members, err := strictjson.ParseObject(data, lim)
			checkError(t, err)
			checkAgainstOracle(t, data, lim, err, true)
			if err != nil {
				if members != nil {
					t.Fatalf("members returned with error %v", err)
				}
				continue
			}
			if !json.Valid(data) || !utf8.Valid(data) {
				t.Fatalf("accepted %q, which encoding/json or utf8 rejects", data)
			}
			checkMembers(t, data, members, lim)
		}
		checkHelpers(t, data)
	})
}

// checkMembers checks the members of an accepted object: consistent kinds and
// raw values that alias data, and a re-marshalled object with the same
// members.
func checkMembers(t *testing.T, data []byte, members []strictjson.Member, lim strictjson.Limits) {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range members {
		if len(m.Raw) == 0 || m.Kind == 0 || m.Kind.String() == "" {
			t.Fatalf("member %d of %q is malformed: %+v", i, data, m)
		}
		if err := strictjson.Validate(m.Raw, lim); err != nil {
			t.Fatalf("member %q raw %q does not validate: %v", m.Name, m.Raw, err)
		}
		if !bytes.Contains(data, m.Raw) {
			t.Fatalf("member %q raw %q not found in input", m.Name, m.Raw)
		}
		if !utf8.ValidString(m.Name) {
			t.Fatalf("member name %q is not valid UTF-8", m.Name)
		}
		if got, ok := strictjson.Lookup(members, m.Name); !ok || !bytes.Equal(got.Raw, m.Raw) {
			t.Fatalf("Lookup(%q) failed", m.Name)
		}
		checkHelpers(t, m.Raw)
		checkNested(t, m, lim)
		if i > 0 {
			buf.WriteByte(',')
		}
		name, err := json.Marshal(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(m.Raw)
	}
	buf.WriteByte('}')

	again, err := strictjson.ParseObject(buf.Bytes(), lim)
	if err != nil {
		t.Fatalf("re-marshalled %q rejected: %v", buf.Bytes(), err)
	}
	if len(again) != len(members) {
		t.Fatalf("re-marshalled object has %d members, want %d", len(again), len(members))
	}
	for i := range again {
		if again[i].Name != members[i].Name || again[i].Kind != members[i].Kind || !bytes.Equal(again[i].Raw, members[i].Raw) {
			t.Fatalf("re-marshalled member %d differs: %+v vs %+v", i, again[i], members[i])
		}
	}
	var std map[string]json.RawMessage
	if err := json.Unmarshal(data, &std); err != nil {
		t.Fatalf("encoding/json rejects accepted object %q: %v", data, err)
	}
	if len(std) != len(members) {
		t.Fatalf("encoding/json sees %d members, strictjson %d", len(std), len(members))
	}
	for _, m := range members {
		if !bytes.Equal(std[m.Name], m.Raw) {
			t.Fatalf("encoding/json value of %q is %q, strictjson %q", m.Name, std[m.Name], m.Raw)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkIteratorsOnAnyInput(t, data)
		errDefault := strictjson.Validate(data, strictjson.Limits{})
		errSmall := strictjson.Validate(data, fuzzLimits)
		checkError(t, errDefault)
		checkError(t, errSmall)
		checkAgainstOracle(t, data, strictjson.Limits{}, errDefault, false)
		checkAgainstOracle(t, data, fuzzLimits, errSmall, false)
		if errSmall == nil && errDefault != nil {
			t.Fatalf("accepted with small limits but not with defaults: %v", errDefault)
		}
		// ParseObject accepts exactly the objects Validate accepts.
		_, perr := strictjson.ParseObject(data, strictjson.Limits{})
		if (perr == nil) != (errDefault == nil && firstNonSpace(data) == '{') {
			t.Fatalf("ParseObject error %v, Validate error %v", perr, errDefault)
		}
		if errDefault != nil {
			return
		}
		if !json.Valid(data) || !utf8.Valid(data) {
			t.Fatalf("accepted %q, which encoding/json or utf8 rejects", data)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			// The only permitted disagreement: a grammatically valid number
			// outside the float64 range.
			var ute *json.UnmarshalTypeError
			if !errors.As(err, &ute) || !strings.HasPrefix(ute.Value, "number") {
				t.Fatalf("encoding/json cannot decode accepted %q: %v", data, err)
			}
		}
	})
}

// checkNested checks a member of an accepted object and, recursively, the
// values nested in it: Text is Raw as a string, StringValue agrees with
// DecodeString, Members finds what ParseObject finds in the value, and
// Elements what encoding/json finds.
func checkNested(t *testing.T, m strictjson.Member, lim strictjson.Limits) {
	t.Helper()
	if m.Text != string(m.Raw) {
		t.Fatalf("member %q: Text %q is not Raw %q", m.Name, m.Text, m.Raw)
	}
	if m.Kind == strictjson.String {
		got, err := m.StringValue()
		want, werr := strictjson.DecodeString(m.Raw)
		if got != want || (err == nil) != (werr == nil) {
			t.Fatalf("StringValue of %q = %q, %v; DecodeString %q, %v", m.Raw, got, err, want, werr)
		}
	}
	switch m.Kind {
	case strictjson.Object:
		want, err := strictjson.ParseObject(m.Raw, lim)
		if err != nil {
			t.Fatalf("nested object %q rejected: %v", m.Raw, err)
		}
		var got []strictjson.Member
		m.Members(func(n strictjson.Member) bool { got = append(got, n); return true })
		if len(got) != len(want) {
			t.Fatalf("Members of %q: %d members, ParseObject %d", m.Raw, len(got), len(want))
		}
		for i := range got {
			if got[i].Name != want[i].Name || got[i].Kind != want[i].Kind || !bytes.Equal(got[i].Raw, want[i].Raw) {
				t.Fatalf("Members of %q: member %d is %+v, ParseObject %+v", m.Raw, i, got[i], want[i])
			}
			checkNested(t, got[i], lim)
		}
	case strictjson.Array:
		var want []json.RawMessage
		if err := json.Unmarshal(m.Raw, &want); err != nil {
			t.Fatalf("encoding/json rejects nested array %q: %v", m.Raw, err)
		}
		var got []strictjson.Member
		m.Elements(func(e strictjson.Member) bool { got = append(got, e); return true })
		if len(got) != len(want) {
			t.Fatalf("Elements of %q: %d elements, encoding/json %d", m.Raw, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i].Raw, want[i]) || got[i].Name != "" {
				t.Fatalf("Elements of %q: element %d is %+v, encoding/json %q", m.Raw, i, got[i], want[i])
			}
			checkNested(t, got[i], lim)
		}
	}
}

// checkIteratorsOnAnyInput runs the iterators meant for validated input on
// any bytes: they must not panic, must end, and may only yield non-empty
// sub-slices.
func checkIteratorsOnAnyInput(t *testing.T, data []byte) {
	t.Helper()
	check := func(m strictjson.Member) bool {
		if len(m.Raw) == 0 || len(m.Raw) > len(data) || m.Text != string(m.Raw) {
			t.Fatalf("iterator on %q yielded %+v", data, m)
		}
		return true
	}
	strictjson.Member{Kind: strictjson.Object, Raw: data}.Members(check)
	strictjson.Member{Kind: strictjson.Array, Raw: data}.Elements(check)
	strictjson.Member{Kind: strictjson.Object, Raw: data, Text: string(data)}.Members(check)
}
