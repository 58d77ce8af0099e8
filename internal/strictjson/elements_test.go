package strictjson_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// TestElements: the elements found are the ones encoding/json finds, for
// arrays with nesting, strings holding delimiters and escapes, and
// whitespace.
func TestElements(t *testing.T) {
	for _, raw := range []string{
		`[]`, `[ ]`, `["a"]`, `[ "a" , "b" ]`, `[1,2.5,-3e2,true,false,null]`,
		`["a,b]","c\"d","e\\\\",""]`, `[[1,[2,3]],{"k":[4,{"x":","}]},"}"]`,
		"[\n\t\"a\"\n,\n{}\n]", `[[],{},[[]]]`,
	} {
		var want []json.RawMessage
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatalf("bad test input %s: %v", raw, err)
		}
		wantS := []string{}
		for _, w := range want {
			wantS = append(wantS, string(w))
		}
		got := []string{}
		strictjson.Member{Kind: strictjson.Array, Raw: []byte(raw)}.Elements(func(e strictjson.Member) bool {
			got = append(got, e.Text)
			return true
		})
		assert.Equal(t, wantS, got, raw)
	}
}

// TestMemberMembers: the nested members of a validated object, with
// escaped names decoded, texts that are the raw bytes, and an early stop.
func TestMemberMembers(t *testing.T) {
	top, err := strictjson.ParseObject([]byte(`{"o":{ "a" : 1, "\u0062":"x\ny" ,"c":{"d":[1,{"e":2}]},"":null }}`), strictjson.Limits{})
	assert.NoError(t, err)
	type member struct {
		name string
		kind strictjson.Kind
		text string
	}
	var got []member
	top[0].Members(func(m strictjson.Member) bool {
		assert.Equal(t, m.Text, string(m.Raw))
		got = append(got, member{m.Name, m.Kind, m.Text})
		return true
	})
	assert.Equal(t, []member{
		{"a", strictjson.Number, "1"},
		{"b", strictjson.String, `"x\ny"`},
		{"c", strictjson.Object, `{"d":[1,{"e":2}]}`},
		{"", strictjson.Null, "null"},
	}, got)

	var first []string
	top[0].Members(func(m strictjson.Member) bool { first = append(first, m.Name); return false })
	assert.Equal(t, []string{"a"}, first, "fn returning false stops the walk")

	// A Member made without Text still works: its text is copied once.
	var names []string
	strictjson.Member{Kind: strictjson.Object, Raw: []byte(`{"x":1,"y":2}`)}.Members(func(m strictjson.Member) bool {
		names = append(names, m.Name+"="+m.Text)
		return true
	})
	assert.Equal(t, []string{"x=1", "y=2"}, names)

	// Other kinds have no members.
	strictjson.Member{Kind: strictjson.Array, Raw: []byte(`[{"x":1}]`)}.Members(func(strictjson.Member) bool {
		t.Fatal("an array has no members")
		return true
	})
}

// TestMemberElements: the elements of a validated array, as members
// without names.
func TestMemberElements(t *testing.T) {
	top, err := strictjson.ParseObject([]byte(`{"a":[ "x" , [1,2] , {"k":"]"} , -1.5e3 ]}`), strictjson.Limits{})
	assert.NoError(t, err)
	var got []string
	top[0].Elements(func(e strictjson.Member) bool {
		assert.Empty(t, e.Name)
		got = append(got, e.Kind.String()+" "+e.Text)
		return true
	})
	assert.Equal(t, []string{`string "x"`, "array [1,2]", `object {"k":"]"}`, "number -1.5e3"}, got)
	strictjson.Member{Kind: strictjson.Object, Raw: []byte(`{"k":1}`)}.Elements(func(strictjson.Member) bool {
		t.Fatal("an object has no elements")
		return true
	})
}

// TestMemberStringValue: a string without escapes is a substring of the
// member's text; one with escapes is decoded; anything else is an error.
func TestMemberStringValue(t *testing.T) {
	members, err := strictjson.ParseObject([]byte(`{"plain":"abc","esc":"a\u00e9\"","num":1}`), strictjson.Limits{})
	assert.NoError(t, err)
	for _, tc := range []struct {
		i       int
		want    string
		wantErr bool
	}{{0, "abc", false}, {1, "aé\"", false}, {2, "", true}} {
		got, err := members[tc.i].StringValue()
		assert.Equal(t, tc.want, got, members[tc.i].Name)
		assert.Equal(t, tc.wantErr, err != nil, members[tc.i].Name)
	}
	allocs := testing.AllocsPerRun(100, func() { _, _ = members[0].StringValue() })
	assert.Zero(t, allocs, "a string without escapes is taken from the member's text")
}
