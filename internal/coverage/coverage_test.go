package coverage

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

var updateCoverage = flag.Bool("update-coverage", false, "rewrite ../../COVERAGE.md from the coverage table")

const (
	repoRoot     = "../.."
	casesDir     = "testdata/cases" // relative to the repository root
	coverageFile = "COVERAGE.md"    // relative to the repository root
	regenerate   = "go test ./internal/coverage -run TestGenerateCoverage -update-coverage"
	maxCases     = 3  // case files shown per code
	maxWords     = 12 // words in a row's Summary
)

// outsideCaseFiles mirrors outsideCaseFiles in casefile/corpus_test.go:
// codes that no case file can trigger, with the Go test that does instead
// (dpop.replayed needs the caller's replay cache, which is not a JSON
// member; dpop.ath_mismatch concerns resource requests, which no check point
// of a case file covers). A row may name such a code without a corpus case.
// The corpus test's earlier pendingCases list (codes still waiting for
// cases) is gone: every other code now has a case.
var outsideCaseFiles = map[string]string{
	"dpop.ath_mismatch": "dpop: TestVerify ath cases",
	"dpop.replayed":     "fapi: TestDPoPReplayCache; dpop: replay tests",
}

// catalogRepeats are first cells the catalog itself repeats within one
// section (two different rules under the same clause reference), with how
// often. Every other (section, ID) pair is unique; an ID may recur in other
// sections, as it does in the catalog.
var catalogRepeats = map[string]int{
	"2 OIDCR-2 **(m)**": 2,
	"3.3 RFC8705-2":     2,
}

var checkClasses = []struct{ class, meaning string }{
	{checkP, "pure: decided from the configuration and the request (and the time, and the TLS client certificate)"},
	{checkPK, "pure once the caller supplies keys (the client's JWK Set, resolved) or the object a `request_uri` points to"},
	{checkPG, "pure once the caller supplies a stored record (the PAR record, the authorization code's record)"},
	{checkS, "needs state (replay, one-time use): the caller's store"},
	{checkN, "not checkable by a library (transport, user interaction, deployment)"},
	{checkO, "output obligation: something the server emits, not something it validates"},
}

func isCheckClass(c string) bool {
	for _, cc := range checkClasses {
		if cc.class == c {
			return true
		}
	}
	return false
}

func isCheckable(c string) bool { return c == checkP || c == checkPK || c == checkPG }

func rowKey(r Row) string { return r.Section + " " + r.ID }

func knownCodes() map[string]fapi.CodeInfo {
	out := map[string]fapi.CodeInfo{}
	for _, info := range fapi.CodeInfos() {
		out[string(info.Code)] = info
	}
	return out
}

func TestRowsAreConsistent(t *testing.T) {
	codes := knownCodes()
	order := map[string]int{}
	for i, s := range Sections {
		order[s.Number] = i
	}
	seen := map[string]int{}
	last := 0
	for i, r := range Rows {
		name := fmt.Sprintf("row %d (%s %s)", i, r.Section, r.ID)
		assert.NotEmpty(t, r.ID, name)
		assert.NotEmpty(t, r.Profiles, "%s has no profiles", name)
		seen[rowKey(r)]++

		pos, ok := order[r.Section]
		if assert.True(t, ok, "%s: unknown section", name) {
			assert.GreaterOrEqual(t, pos, last, "%s is out of catalog order", name)
			last = pos
		}
		assert.True(t, isCheckClass(r.Check), "%s: check class %q is not one of P, P+K, P+G, S, N, O", name, r.Check)

		words := len(strings.Fields(r.Summary))
		assert.True(t, words > 0 && words <= maxWords, "%s: summary has %d words (1 to %d)", name, words, maxWords)

		hasCodes, hasCaller := len(r.Codes) > 0, r.Caller != ""
		assert.True(t, hasCodes != hasCaller, "%s: set exactly one of Codes and Caller", name)
		switch {
		case !isCheckable(r.Check):
			assert.True(t, hasCaller, "%s: an %s row is the caller's and needs Caller text", name, r.Check)
			assert.False(t, strings.HasPrefix(r.Caller, notEnforced), "%s: an %s row is the caller's, not an unenforced check", name, r.Check)
		case hasCaller:
			assert.True(t, strings.HasPrefix(r.Caller, notEnforced), "%s: a checkable row without codes must say %q and why", name, notEnforced)
		}

		dup := map[string]bool{}
		for _, c := range r.Codes {
			_, ok := codes[c]
			assert.True(t, ok, "%s: code %s is not in fapi.CodeInfos()", name, c)
			assert.False(t, dup[c], "%s lists %s twice", name, c)
			dup[c] = true
		}
	}
	for key, n := range seen {
		want := 1
		if w, ok := catalogRepeats[key]; ok {
			want = w
		}
		assert.Equal(t, want, n, "rows with section and ID %q", key)
	}
	for key := range catalogRepeats {
		assert.Contains(t, seen, key, "catalogRepeats names a row that does not exist")
	}
}

// loadCases returns, for each code, the names of the corpus cases whose
// expectation lists it, the most focused first (fewest expected
// violations, then by name).
func loadCases(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, casesDir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "the case corpus is empty")
	type caseFile struct {
		Expect *struct {
			Violations []string `json:"violations"`
		} `json:"expect"`
	}
	size := map[string]int{}
	byCode := map[string][]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var c caseFile
		require.NoError(t, json.Unmarshal(data, &c), f)
		require.NotNil(t, c.Expect, "%s has no expect member", f)
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		size[name] = len(c.Expect.Violations)
		listed := map[string]bool{}
		for _, code := range c.Expect.Violations {
			if !listed[code] {
				listed[code] = true
				byCode[code] = append(byCode[code], name)
			}
		}
	}
	for _, names := range byCode {
		sort.Slice(names, func(i, j int) bool {
			if size[names[i]] != size[names[j]] {
				return size[names[i]] < size[names[j]]
			}
			return names[i] < names[j]
		})
	}
	return byCode
}

type totals struct{ rows, enforced, callers, notEnforced int }

func count() totals {
	var n totals
	for _, r := range Rows {
		n.rows++
		switch {
		case len(r.Codes) > 0:
			n.enforced++
		case strings.HasPrefix(r.Caller, notEnforced):
			n.notEnforced++
		default:
			n.callers++
		}
	}
	return n
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func caseLinks(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	links := make([]string, 0, maxCases)
	for _, n := range names[:min(len(names), maxCases)] {
		links = append(links, fmt.Sprintf("[%s](%s/%s.json)", n, casesDir, n))
	}
	return strings.Join(links, ", ")
}

// renderCoverage renders COVERAGE.md from Rows, the code table and the
// corpus (cases by code).
func renderCoverage(cases map[string][]string) string {
	var b strings.Builder
	n := count()
	b.WriteString("# Requirement coverage\n\n")
	fmt.Fprintf(&b, "Generated from the table in `internal/coverage/requirements.go`, the code table (`fapi/codetable.go`, see [CODES.md](CODES.md)) and the expectations of the case corpus (`%s`) by `%s`; a test fails when this file is out of date.\n\n", casesDir, regenerate)
	b.WriteString("One row per row of the project's requirement catalog (REQUIREMENTS.md): the tables of sections 1 to 13, the output obligations of section 14 and the items of section 15. ")
	b.WriteString("The rule is a short paraphrase; the catalog holds the requirement itself and its sources. A clause may appear in several sections, as it does in the catalog.\n\n")
	b.WriteString("Columns:\n\n")
	b.WriteString("- **Clause**: the catalog row's clause IDs, as the catalog writes them (**(m)** marks a row the catalog wrote from memory of the RFC). Section 15 lists items, not rows: there it is the clauses the item names.\n")
	b.WriteString("- **Profiles**: R = FAPI 1.0 ID2 read-only, RW = ID2 read-write, B = FAPI 1.0 Baseline, A = Advanced, F2 = FAPI 2.0 Security Profile, MS = FAPI 2.0 Message Signing; a parenthesis marks a partial application. Where the catalog has no profiles column (13.1, 13.2, 14, 15), the profiles of the cited clauses.\n")
	b.WriteString("- **Check**: the catalog's check class (below).\n")
	b.WriteString("- **Rule**: what the row requires, paraphrased.\n")
	b.WriteString("- **Codes**: the violation codes that enforce it.\n")
	fmt.Fprintf(&b, "- **Cases**: for each code, up to %d case files whose expectation lists it, the most focused first (fewest expected violations).\n", maxCases)
	b.WriteString("- **Caller's / why**: for a row without codes, whose job it is and why, and the hook, record or input the library offers. A checkable row that the library does not enforce starts with \"not enforced:\" and gives the reason.\n\n")
	b.WriteString("| Check | Meaning |\n|---|---|\n")
	for _, c := range checkClasses {
		fmt.Fprintf(&b, "| %s | %s |\n", c.class, c.meaning)
	}
	b.WriteString("\nWhere the catalog gives a compound class (such as \"P / N\", \"P+G / S\" or \"P (warn)\"), a row keeps the class of the part a library can decide, and its text says what is left out; advisory rows (should, warn, info) count as checkable and say why they are not enforced. Sections 13.1 and 13.2 have no check column; their class is assigned here.\n\n")
	fmt.Fprintf(&b, "**Totals**: %d rows — %d enforced by a violation code, %d the caller's (S, N, O), %d checkable but not enforced.\n", n.rows, n.enforced, n.callers, n.notEnforced)

	for _, s := range Sections {
		fmt.Fprintf(&b, "\n## %s %s\n\n", s.Number, s.Title)
		b.WriteString("| Clause | Profiles | Check | Rule | Codes | Cases | Caller's / why |\n|---|---|---|---|---|---|---|\n")
		for _, r := range Rows {
			if r.Section != s.Number {
				continue
			}
			codes := make([]string, len(r.Codes))
			links := make([]string, len(r.Codes))
			for i, c := range r.Codes {
				codes[i] = "`" + c + "`"
				links[i] = caseLinks(cases[c])
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", cell(r.ID), cell(r.Profiles), r.Check, cell(r.Summary),
				strings.Join(codes, "<br>"), strings.Join(links, "<br>"), cell(r.Caller))
		}
	}

	used := map[string]bool{}
	for _, r := range Rows {
		for _, c := range r.Codes {
			used[c] = true
		}
	}
	b.WriteString("\n## Codes not tied to a catalog row\n\n")
	b.WriteString("Codes no row above lists: they guard the library's own inputs (configuration, client, clock), general OAuth and OpenID syntax, or rules the catalog does not state as a row of its own.\n\n")
	b.WriteString("| Code | Meaning | Cases |\n|---|---|---|\n")
	for _, info := range fapi.CodeInfos() {
		if used[string(info.Code)] {
			continue
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", info.Code, cell(info.Summary), caseLinks(cases[string(info.Code)]))
	}
	return b.String()
}

func TestGenerateCoverage(t *testing.T) {
	want := renderCoverage(loadCases(t))
	fixtures.Golden(t, filepath.Join(repoRoot, coverageFile), want, *updateCoverage, regenerate)
}

func TestEveryCheckableRowIsCovered(t *testing.T) {
	cases := loadCases(t)
	for _, r := range Rows {
		for _, c := range r.Codes {
			if len(cases[c]) > 0 {
				continue
			}
			if test, ok := outsideCaseFiles[c]; ok {
				t.Logf("row %s %s: %s has no case file; it is tested by %s", r.Section, r.ID, c, test)
				continue
			}
			t.Errorf("row %s %s: no corpus case expects %s", r.Section, r.ID, c)
		}
	}
	n := count()
	t.Logf("rows: %d total, %d enforced, %d caller's, %d not enforced", n.rows, n.enforced, n.callers, n.notEnforced)
}
