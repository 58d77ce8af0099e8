package coverage

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// outsideCaseFiles mirrors outsideCaseFiles in casefile/corpus_test.go:
// codes that no case file can trigger, with the Go test that does instead.
// A row may name such a code without a corpus case. There are none left:
// every code but the reserved one has a case.
var outsideCaseFiles = map[string]string{}

// catalogRepeats are first cells the catalog itself repeats within one
// section (two different rules under the same clause reference), with how
// often. Every other (section, ID) pair is unique; an ID may recur in other
// sections, as it does in the catalog.
var catalogRepeats = map[string]int{
	"2 OIDCR-2 **(m)**": 2,
	"3.3 RFC8705-2":     2,
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
		case r.Check == checkS && hasCodes:
			// Decided by the library once the caller gives it a store
			// (fapi.WithStore).
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

const repoRoot = "../../.."

// TestGenerateCoverage: docs/COVERAGE.md is what the table, the code table
// and the corpus render.
func TestGenerateCoverage(t *testing.T) {
	want, err := Markdown(repoRoot)
	require.NoError(t, err)
	fixtures.Golden(t, filepath.Join(repoRoot, DocFile), want, false, output.Command)
}

func loadCases(t *testing.T) map[string][]string {
	t.Helper()
	cases, err := LoadCases(repoRoot)
	require.NoError(t, err)
	return cases
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
	t.Logf("rows: %d total, %d enforced (%d with a store), %d caller's, %d not enforced", n.rows, n.enforced, n.withStore, n.callers, n.notEnforced)
}
