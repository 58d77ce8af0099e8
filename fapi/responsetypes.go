package fapi

import (
	"github.com/fapicheck/fapicheck/scope"
)

// JARM response modes (docs/DESIGN.md, "Policy decisions": all four count as JARM).
var jarmModes = []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}

func isJARMMode(m string) bool { return has(jarmModes, m) }

// sameResponseType compares response types as sets of space-separated
// values: "id_token code" is "code id_token" (OAuth 2.0 Multiple Response
// Type Encoding Practices §3).
func sameResponseType(a, b string) bool {
	if a == b {
		return a != ""
	}
	na, nb := 0, 0
	ok := true
	scope.Tokens(a, func(x string) bool {
		na++
		ok = responseTypeHas(b, x)
		return ok
	})
	if !ok || na == 0 {
		return false
	}
	scope.Tokens(b, func(x string) bool {
		nb++
		ok = responseTypeHas(a, x)
		return ok
	})
	return ok && na == nb
}

func responseTypeIn(rt string, list []string) bool {
	for _, v := range list {
		if sameResponseType(rt, v) {
			return true
		}
	}
	return false
}

func responseTypeHas(rt, part string) bool {
	found := false
	scope.Tokens(rt, func(f string) bool {
		found = f == part
		return !found
	})
	return found
}
