package fapi

import (
	"errors"
	"strings"

	"github.com/fapicheck/fapicheck/requestobject"
)

func trimPrefix(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && errors.Is(err, requestobject.ErrClaimsMalformed) {
		return s[i+2:]
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
