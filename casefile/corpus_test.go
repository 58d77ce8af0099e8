package casefile_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
)

const corpus = "../testdata/cases"

func loadCorpus(t *testing.T) map[string]*casefile.Case {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpus, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "the case corpus is empty; regenerate it with go generate ./...")
	out := make(map[string]*casefile.Case, len(files))
	for _, f := range files {
		c, warns, err := casefile.Load(f)
		require.NoError(t, err, f)
		require.Empty(t, warns, f)
		require.NotNil(t, c.Expect, "%s has no expect member", f)
		out[filepath.Base(f)] = c
	}
	return out
}

// TestCorpus runs every case file and compares the report with the case's
// declared expectation: the profile and the exact list of violation codes,
// and the waived codes and ignored parameters when the case lists them.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := cases[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rep := c.Run()
			got := make([]string, len(rep.Violations))
			for i, v := range rep.Violations {
				got[i] = string(v.Code)
			}
			// fapicheck judges a case with Mismatches: it must agree with
			// the comparisons below.
			assert.Empty(t, c.Expect.Mismatches(rep), "Expectation.Mismatches")
			assert.Equal(t, c.Expect.Profile, string(rep.Profile), "profile (chosen by %s)", rep.ChosenBy)
			assert.Equal(t, c.Expect.Violations, got, "violations: %v", rep.Violations)
			if c.Expect.Profiles != nil {
				var ps []string
				for _, p := range rep.Profiles.Profiles() {
					ps = append(ps, string(p))
				}
				assert.Equal(t, c.Expect.Profiles, ps, "profiles")
			}
			if c.Expect.Waived != nil {
				waived := make([]string, len(rep.Waived))
				for i, v := range rep.Waived {
					waived[i] = string(v.Code)
				}
				assert.Equal(t, c.Expect.Waived, waived, "waived: %v", rep.Waived)
			}
			if c.Expect.Ignored != nil {
				ignored := rep.Ignored
				if ignored == nil {
					ignored = []string{}
				}
				assert.Equal(t, c.Expect.Ignored, ignored, "ignored parameters")
			}
			for _, v := range rep.Violations {
				info, ok := v.Code.Info()
				if assert.True(t, ok, "code %s is not in the code table", v.Code) {
					assert.Contains(t, info.Refs, v.Ref, "%s cites %q, which its code table entry does not list", v.Code, v.Ref)
				}
				assert.NotEmpty(t, v.Message)
				assert.NotEmpty(t, v.Error)
				assert.NotEmpty(t, v.Field, "%s has no field", v.Code)
			}
		})
	}
}

// reservedCodes cannot be triggered by this version of the library:
// profile.not_implemented is kept (codes are never removed) for profiles a
// later version may name before implementing them.
var reservedCodes = map[fapi.Code]bool{
	fapi.CodeProfileNotImplemented: true,
}

// outsideCaseFiles are codes a case file cannot trigger, with the Go test
// that does. There are none left: the resource_request member reaches
// dpop.ath_mismatch, and the store member dpop.replayed.
var outsideCaseFiles = map[string]string{}

// TestCorpusCoversEveryCode: every code has a case that triggers it, and
// valid baselines exist for both profiles.
func TestCorpusCoversEveryCode(t *testing.T) {
	cases := loadCorpus(t)
	seen := map[string]bool{}
	valid := map[string]int{}
	for _, c := range cases {
		for _, v := range c.Expect.Violations {
			seen[v] = true
		}
		if len(c.Expect.Violations) == 0 {
			valid[c.Expect.Profile]++
		}
	}
	for _, info := range fapi.CodeInfos() {
		if reservedCodes[info.Code] {
			assert.False(t, seen[string(info.Code)], "%s is reserved but a case expects it", info.Code)
			continue
		}
		if _, ok := outsideCaseFiles[string(info.Code)]; ok {
			continue
		}
		assert.True(t, seen[string(info.Code)], "no case triggers %s", info.Code)
	}
	assert.GreaterOrEqual(t, valid["fapi1-read-only"], 2, "valid read-only baselines")
	assert.GreaterOrEqual(t, valid["fapi1-read-write"], 2, "valid read-write baselines")
	assert.GreaterOrEqual(t, valid["none"], 1, "valid plain OAuth baseline")
}
