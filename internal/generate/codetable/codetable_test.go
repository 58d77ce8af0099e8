package codetable

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

const root = "../../.."

// TestGeneratedFilesAreCurrent: the constants, the runtime table and
// docs/CODES.md are exactly what the code table renders.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := Files(root)
	require.NoError(t, err)
	require.Len(t, files, 3)
	for _, path := range []string{ConstantsFile, RuntimeFile, DocFile} {
		want, ok := files[path]
		require.True(t, ok, path)
		fixtures.Golden(t, filepath.Join(root, path), string(want), false, output.Command)
	}
}

// TestRuntimeTableIsTheTable: what package fapi serves at run time is the
// table, with the clauses of the rules added.
func TestRuntimeTableIsTheTable(t *testing.T) {
	entries, err := Load(root)
	require.NoError(t, err)
	infos := fapi.CodeInfos()
	require.Len(t, infos, len(entries))
	for i, e := range entries {
		info := infos[i]
		assert.Equal(t, e.Code, string(info.Code), "row %d", i)
		assert.Equal(t, e.Error, info.Error, e.Code)
		assert.Equal(t, e.All, info.Refs, e.Code)
		assert.Equal(t, e.Summary, info.Summary, e.Code)
		got, ok := fapi.Code(e.Code).Info()
		assert.True(t, ok, e.Code)
		assert.Equal(t, info, got, e.Code)
	}
	_, ok := fapi.Code("no.such_code").Info()
	assert.False(t, ok)
}

// TestDeprecatedAlias: the registration's missing client_id keeps its
// former constant name, with the same code string.
func TestDeprecatedAlias(t *testing.T) {
	assert.Equal(t, fapi.Code("client.client_id_missing"), fapi.CodeRegistrationClientIDMissing)
	//lint:ignore SA1019 the deprecated alias is what is tested
	assert.Equal(t, fapi.CodeRegistrationClientIDMissing, fapi.CodeClientClientIDMissing)
	assert.NotEqual(t, fapi.CodeClientIDMissing, fapi.CodeRegistrationClientIDMissing)
}

// TestRuleClausesAreAdded: a code's rules contribute the clause of each
// profile after its own clauses, without repeats, and a rule path that
// names no clause is an error.
func TestRuleClausesAreAdded(t *testing.T) {
	e := []Entry{{Code: "x.y", Clauses: []clause.Clause{"RFC7636-4.4.1"}, Rules: []string{"PKCE"}}}
	require.NoError(t, Resolve(e))
	assert.Equal(t, clause.Clause("RFC7636-4.4.1"), e[0].All[0])
	assert.Contains(t, e[0].All, clause.Clause("FAPI2-SP-5.3.2.2-5"))
	assert.Contains(t, e[0].All, clause.Clause("FAPI-R-5.2.2-7"))
	seen := map[clause.Clause]bool{}
	for _, c := range e[0].All {
		assert.False(t, seen[c], "%s repeated", c)
		seen[c] = true
	}

	for _, tc := range []struct {
		name  string
		entry Entry
		want  string
	}{
		{"unknown field", Entry{Code: "x.y", Rules: []string{"NoSuchRule"}}, "has no field NoSuchRule"},
		{"not a clause", Entry{Code: "x.y", Rules: []string{"NbfWaivable"}}, "neither a clause.Clause"},
		{"path through a non-struct", Entry{Code: "x.y", Rules: []string{"NoPublicClients.Clause"}}, "is not a struct"},
		{"clause given by a rule, listed for nothing", Entry{Code: "x.y", Clauses: []clause.Clause{"FAPI2-MS-5.4.1-1"}, Rules: []string{"RequireJARM"}}, "comes from its rules already"},
		{"no clause at all", Entry{Code: "x.y"}, "no clause applies"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Resolve([]Entry{tc.entry})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

const record = "family x\n\ncode x.y CodeXY\n\terror invalid_request\n\tredirect allowed\n\tclauses RFC6749-3.3\n\tsummary s\n"

// TestParse: the table's format, and every mistake it refuses.
func TestParse(t *testing.T) {
	entries, err := Parse(strings.NewReader("# comment\n" + record + "\tdeprecated CodeOldXY\n"))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0]
	assert.Equal(t, "x.y", e.Code)
	assert.Equal(t, "CodeXY", e.Name)
	assert.Equal(t, "invalid_request", e.Error)
	assert.Equal(t, RedirectAllowed, e.Redirect)
	assert.Equal(t, []clause.Clause{"RFC6749-3.3"}, e.Clauses)
	assert.Equal(t, "s", e.Summary)
	assert.Equal(t, "CodeOldXY", e.Deprecated)

	for _, tc := range []struct {
		name, table, want string
	}{
		{"empty", "# nothing\n", "no codes"},
		{"code before a family", "code x.y CodeXY\n", "is not of family"},
		{"wrong family", "family z\ncode x.y CodeXY\n", "is not of family"},
		{"bad code", "family x\ncode x CodeXY\n", "is not family.reason"},
		{"bad name", "family x\ncode x.y XY\n", "does not start with Code"},
		{"missing name", "family x\ncode x.y\n", "want \"code family.reason ConstantName\""},
		{"repeated code", record + "code x.y CodeXZ\n", "listed twice"},
		{"repeated name", record + "code x.z CodeXY\n", "listed twice"},
		{"unknown record", "familie x\n", "unknown record"},
		{"unknown field", record + "\tcolour red\n", "unknown field"},
		{"field outside a record", "family x\n\terror invalid_request\n", "outside a code record"},
		{"no error", strings.Replace(record, "\terror invalid_request\n", "", 1), "has no error"},
		{"no summary", strings.Replace(record, "\tsummary s\n", "", 1), "has no summary"},
		{"no clauses", strings.Replace(record, "\tclauses RFC6749-3.3\n", "", 1), "neither clauses nor rules"},
		{"bad clause", strings.Replace(record, "RFC6749-3.3", "RFC 6749", 1), "citation format"},
		{"repeated clause", strings.Replace(record, "RFC6749-3.3", "RFC6749-3.3 RFC6749-3.3", 1), "listed twice"},
		{"bar in summary", strings.Replace(record, "summary s", "summary a | b", 1), "must not contain |"},
		{"no redirect", strings.Replace(record, "\tredirect allowed\n", "", 1), "redirect is \"\""},
		{"bad redirect", strings.Replace(record, "redirect allowed", "redirect maybe", 1), "redirect is \"maybe\""},
		{"own input redirected", strings.ReplaceAll(record, "x", "service"), "must say redirect stops"},
		{"deprecated name taken", record + "\tdeprecated CodeXY\n", "not a new constant name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.table))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestFilesRefusesUnknownError: the error column must name one of fapi's
// OAuth error constants.
func TestFilesRefusesUnknownError(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "fapi"), 0o755))
	src, err := os.ReadFile(filepath.Join(root, oauthFile))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, oauthFile), src, 0o644))
	table := strings.Replace(record, "invalid_request", "not_an_oauth_error", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, TableFile), []byte(table), 0o644))
	_, err = Files(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "none of the OAuth error constants")

	require.NoError(t, os.WriteFile(filepath.Join(dir, TableFile), []byte(record), 0o644))
	files, err := Files(dir)
	require.NoError(t, err)
	assert.Contains(t, string(files[ConstantsFile]), "CodeXY Code = \"x.y\"")
	assert.Contains(t, string(files[RuntimeFile]), "{CodeInfo{CodeXY, OAuthInvalidRequest, []clause.Clause{\"RFC6749-3.3\"}, \"s\"}, redirectAllowed},")
	assert.Contains(t, string(files[DocFile]), "| `x.y` | `invalid_request` | yes | RFC6749-3.3 | s |")
}
