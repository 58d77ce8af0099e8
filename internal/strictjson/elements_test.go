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
		strictjson.Elements([]byte(raw), func(e []byte) { got = append(got, string(e)) })
		assert.Equal(t, wantS, got, raw)
	}
}
