package casegen_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/internal/generate/casegen"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

const root = "../../.."

// TestBuildMatchesCorpus: the generator declares exactly the cases that are
// committed, each loads without warnings, and a freshly generated case (new
// keys, new signatures) produces the outcome it declares — so the committed
// files are reproducible by the generator.
func TestBuildMatchesCorpus(t *testing.T) {
	cases, err := casegen.Build()
	require.NoError(t, err)
	committed, err := filepath.Glob(filepath.Join(root, casegen.Dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, committed, len(cases), "regenerate the corpus: %s", output.Command)
	names := map[string]bool{}
	for _, c := range cases {
		require.False(t, names[c.Name], "duplicate case name %s", c.Name)
		names[c.Name] = true
		_, err := os.Stat(filepath.Join(root, casegen.Dir, c.Name+".json"))
		assert.NoError(t, err, "case %s is not committed", c.Name)

		parsed, warns, err := casefile.Parse(c.JSON)
		require.NoError(t, err, c.Name)
		assert.Empty(t, warns, c.Name)
		require.NotNil(t, parsed.Expect, c.Name)
		rep := parsed.Run()
		got := []string{}
		for _, v := range rep.Violations {
			got = append(got, string(v.Code))
		}
		assert.Equal(t, parsed.Expect.Violations, got, c.Name)
		assert.Equal(t, parsed.Expect.Profile, string(rep.Profile), c.Name)
		if parsed.Expect.Waived != nil {
			waived := []string{}
			for _, v := range rep.Waived {
				waived = append(waived, string(v.Code))
			}
			assert.Equal(t, parsed.Expect.Waived, waived, c.Name)
		}
		if parsed.Expect.Ignored != nil {
			assert.Equal(t, parsed.Expect.Ignored, append([]string{}, rep.Ignored...), c.Name)
		}
		assert.True(t, json.Valid(c.JSON))
	}
}

// TestValidBaselinesPerProfile: every FAPI profile has at least two valid
// cases, which its negative cases are mutations of.
func TestValidBaselinesPerProfile(t *testing.T) {
	cases, err := casegen.Build()
	require.NoError(t, err)
	valid := map[string]int{}
	for _, c := range cases {
		parsed, _, err := casefile.Parse(c.JSON)
		require.NoError(t, err, c.Name)
		if len(parsed.Expect.Violations) == 0 {
			valid[parsed.Expect.Profile]++
		}
	}
	for _, p := range []string{"fapi1-read-only", "fapi1-read-write", "fapi1-baseline", "fapi1-advanced", "fapi2-security", "fapi2-message-signing"} {
		assert.GreaterOrEqual(t, valid[p], 2, "valid %s cases", p)
	}
}
