package fapi_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
)

var updateCodes = flag.Bool("update-codes", false, "rewrite ../CODES.md from the code table")

// renderCodes renders the code table as CODES.md.
func renderCodes() string {
	var b strings.Builder
	b.WriteString("# Violation codes\n\n")
	b.WriteString("Generated from the code table in `fapi/codetable.go` by `go test ./fapi -run TestCodesDoc -update-codes`; a test fails when the two differ.\n")
	b.WriteString("Codes are stable: they are never renamed. `Error` is the OAuth error a server answers with by default (a violation may carry another where noted); `Clauses` are the requirement IDs a violation with this code may cite in its `ref`.\n")
	b.WriteString("A `client.*` violation found while checking a request carries the error of that endpoint instead: `invalid_request_object` (authorization endpoint) or `invalid_client` (token and PAR endpoints) when the registered keys are at fault, `unauthorized_client` otherwise.\n")
	family := ""
	for _, info := range fapi.CodeInfos() {
		if f := string(info.Code.Family()); f != family {
			family = f
			fmt.Fprintf(&b, "\n## %s\n\n| Code | Error | Clauses | Meaning |\n|---|---|---|---|\n", f)
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", info.Code, info.Error, strings.Join(info.Refs, ", "), info.Summary)
	}
	return b.String()
}

func TestCodesDoc(t *testing.T) {
	want := renderCodes()
	if *updateCodes {
		require.NoError(t, os.WriteFile("../CODES.md", []byte(want), 0o644))
	}
	got, err := os.ReadFile("../CODES.md")
	require.NoError(t, err, "CODES.md is missing; run go test ./fapi -run TestCodesDoc -update-codes")
	if string(got) != want {
		// Name the first differing line rather than printing both files.
		w, g := strings.Split(want, "\n"), strings.Split(string(got), "\n")
		for i := 0; i < len(w) || i < len(g); i++ {
			var wl, gl string
			if i < len(w) {
				wl = w[i]
			}
			if i < len(g) {
				gl = g[i]
			}
			if wl != gl {
				t.Fatalf("CODES.md is out of date at line %d (run go test ./fapi -run TestCodesDoc -update-codes):\nwant: %s\ngot:  %s", i+1, wl, gl)
			}
		}
	}
}
