package fapi_test

import (
	"flag"
	"fmt"
	"github.com/fapicheck/fapicheck/clause"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
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
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", info.Code, info.Error, joinClauses(info.Refs), info.Summary)
	}
	return b.String()
}

func TestCodesDoc(t *testing.T) {
	want := renderCodes()
	fixtures.Golden(t, "../CODES.md", want, *updateCodes, "go test ./fapi -run TestCodesDoc -update-codes")
}

func joinClauses(cs []clause.Clause) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return strings.Join(out, ", ")
}
