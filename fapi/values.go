package fapi

import (
	"fmt"

	"github.com/fapicheck/fapicheck/scope"
)

// hasToken reports whether a space-separated value holds any token.
func hasToken(s string) bool {
	found := false
	scope.Tokens(s, func(string) bool { found = true; return false })
	return found
}

// has reports whether list holds s (exact comparison).
func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", list)
}
