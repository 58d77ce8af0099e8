package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

const repoRoot = "../../.."

// suiteList is the suite's module list: every FAPI authorization-server
// module of the conformance suite at the commits it names, with the
// outcomes the suite accepts, extracted from the suite's sources.
const suiteList = "testdata/suite-modules.json"

func caseDir() string { return filepath.Join(repoRoot, CaseDir) }

func moduleByID() map[string]*Module {
	out := make(map[string]*Module, len(Modules))
	for i := range Modules {
		out[Modules[i].ID] = &Modules[i]
	}
	return out
}

// TestGenerateConformance checks that the case files and
// docs/CONFORMANCE.md are up to date: the same set of case files, each with
// the declared expectation (signatures differ between generations), and
// the document as rendered.
func TestGenerateConformance(t *testing.T) {
	files, err := Build(nil)
	require.NoError(t, err)
	answers, err := Answers(files)
	require.NoError(t, err)
	md := Markdown(answers)
	mdPath := filepath.Join(repoRoot, DocFile)

	committed, err := filepath.Glob(filepath.Join(caseDir(), "*.json"))
	require.NoError(t, err)
	have := map[string]bool{}
	for _, f := range committed {
		have[filepath.Base(f)] = true
	}
	want := map[string]bool{}
	for _, cf := range files {
		want[cf.Name] = true
	}
	// Name the first file missing or extra rather than listing them all.
	if missing := firstNotIn(want, have); missing != "" {
		t.Fatalf("%s has no %s (and maybe more are missing); run %s", CaseDir, missing, Regenerate)
	}
	if extra := firstNotIn(have, want); extra != "" {
		t.Fatalf("%s holds %s, which no module of the table declares; run %s", CaseDir, extra, Regenerate)
	}
	for _, cf := range files {
		c, _, err := casefile.Load(filepath.Join(caseDir(), cf.Name))
		require.NoError(t, err)
		require.NotNil(t, c.Expect, cf.Name)
		e := cf.Part.Expect
		assert.Equal(t, e.Profile, c.Expect.Profile, "%s: expected profile differs from the table; run %s", cf.Name, Regenerate)
		assert.Equal(t, nonNil(e.Violations), c.Expect.Violations, "%s: expected violations differ from the table; run %s", cf.Name, Regenerate)
		assert.Equal(t, e.Ignored, c.Expect.Ignored, "%s: expected ignored parameters differ from the table; run %s", cf.Name, Regenerate)
	}

	fixtures.Golden(t, mdPath, md, false, Regenerate)
}

// firstNotIn returns the first name (in sorted order) of a that b lacks, or
// "".
func firstNotIn(a, b map[string]bool) string {
	var out []string
	for n := range a {
		if !b[n] {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return ""
	}
	sort.Strings(out)
	return out[0]
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestConformanceCases runs every committed case file: the report has the
// declared profile and exactly the declared violations, and its first
// violation is the outcome the module targets with an OAuth error the
// suite accepts there (or, for a success, there is no violation).
func TestConformanceCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(caseDir(), "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no case files; run %s", Regenerate)
	modules := moduleByID()
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id, stepName, _ := strings.Cut(name, ".")
			m := modules[id]
			require.NotNil(t, m, "case file %s names no module of the table", name)
			require.True(t, m.HasCase(), "module %s has status %s, which has no case", id, m.Status)
			var part *Part
			for _, p := range m.Parts() {
				if p.Name == stepName {
					part = &p
				}
			}
			require.NotNil(t, part, "case file %s names no step of module %s", name, id)
			c, warns, err := casefile.Load(path)
			require.NoError(t, err)
			require.Empty(t, warns)
			require.NotNil(t, c.Expect)
			assert.Equal(t, part.Expect.Profile, c.Expect.Profile, "the file's expected profile is not the table's")
			assert.Equal(t, nonNil(part.Expect.Violations), c.Expect.Violations, "the file's expected violations are not the table's")

			a, err := Run(c)
			require.NoError(t, err)
			assert.Equal(t, c.Expect.Profile, string(a.Report.Profile), "profile (chosen by %s)", a.Report.ChosenBy)
			assert.Equal(t, c.Expect.Violations, a.Codes(), "violations: %v", a.Report.Violations)
			if c.Expect.Ignored != nil {
				assert.Equal(t, c.Expect.Ignored, nonNil(a.Report.Ignored), "ignored parameters")
			}
			for name, want := range part.Expect.Parameters {
				got, ok := a.Parameters[name]
				if want == "" {
					assert.False(t, ok, "Report.Parameters holds %s = %q; it must be absent", name, got)
				} else {
					assert.Equal(t, want, got, "Report.Parameters[%s]", name)
				}
			}
			for _, v := range a.Report.Violations {
				info, ok := v.Code.Info()
				if assert.True(t, ok, "code %s is not in the code table", v.Code) {
					assert.Contains(t, info.Refs, v.Ref, "%s cites %q, which its code table entry does not list", v.Code, v.Ref)
				}
			}
			assert.NoError(t, CheckPart(m, *part, a))
		})
	}
}

// TestTable checks the table on its own: unique ids, a reason for every
// module, a builder and an expectation exactly for the modules with a
// case, and statuses that fit the kinds.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	profiles := map[string]string{}
	for _, p := range SuiteProfiles {
		profiles[p.Suite] = p.Library
	}
	for i := range Modules {
		m := &Modules[i]
		assert.False(t, seen[m.ID], "module %s is listed twice", m.ID)
		seen[m.ID] = true
		assert.Contains(t, profiles, m.Profile, m.ID)
		assert.NotEmpty(t, m.Reason, m.ID)
		assert.NotEmpty(t, m.Accepted, m.ID)
		assert.Contains(t, []Kind{Negative, Conditional, Positive, Mixed}, m.Kind, m.ID)
		switch m.Status {
		case Covered:
			assert.NotEqual(t, Positive, m.Kind, "%s: a positive module with a case has status positive", m.ID)
		case PositiveCase:
			assert.Equal(t, Positive, m.Kind, "%s: status positive is for positive modules", m.ID)
			assert.Equal(t, TargetSuccess, m.Target, m.ID)
		case Caller, OutOfScope, NotCovered:
		default:
			t.Errorf("%s: unknown status %q", m.ID, m.Status)
		}
		if !m.HasCase() {
			assert.Nil(t, m.Build, "%s has a builder but no case", m.ID)
			assert.Empty(t, m.Target, m.ID)
			assert.Empty(t, m.Steps, "%s has steps but no case", m.ID)
			continue
		}
		if len(m.Steps) > 0 {
			assert.Equal(t, Mixed, m.Kind, "%s: only a mixed module has steps", m.ID)
		}
		steps := map[string]bool{}
		for _, p := range m.Parts() {
			name := m.CaseName(p)
			assert.False(t, steps[p.Name], "%s: step %q is declared twice", m.ID, p.Name)
			steps[p.Name] = true
			assert.NotContains(t, p.Name, ".", name)
			assert.NotEmpty(t, p.Reason, name)
			assert.NotNil(t, p.Build, name)
			assert.Equal(t, profiles[m.Profile], p.Expect.Profile, "%s: the case's profile is not the one the suite's profile maps to", name)
			assert.Equal(t, p.Target == TargetSuccess, len(p.Expect.Violations) == 0,
				"%s: a success target expects no violation, any other target some", name)
			for _, o := range p.Accepted {
				assert.True(t, narrows(o, m.Accepted), "%s: the step accepts %s, which the module does not", name, AcceptedSummary([]Outcome{o}))
			}
			if p.Target != TargetSuccess {
				accepted := false
				for _, o := range m.accepted(p) {
					accepted = accepted || (p.Target == TargetErrorPage && o.ErrorPage) ||
						(p.Target == TargetRedirect && len(o.RedirectError) > 0) ||
						(string(p.Target) == o.Where && o.HTTP != "")
				}
				assert.True(t, accepted, "%s: the suite accepts no %s outcome", name, p.Target)
			}
		}
	}
	assert.NotContains(t, strings.Join(moduleIDs(), " "), ".", "a module id with a period would be read as a step")
}

// narrows reports whether o is one of outcomes, or one of them with fewer
// errors.
func narrows(o Outcome, outcomes []Outcome) bool {
	for _, m := range outcomes {
		if o.Where != m.Where || o.Success != m.Success || o.ErrorPage != m.ErrorPage || o.TLSHandshakeRejected != m.TLSHandshakeRejected {
			continue
		}
		if (len(o.Error) == 0) != (len(m.Error) == 0) || (len(o.RedirectError) == 0) != (len(m.RedirectError) == 0) {
			continue
		}
		sub := true
		for _, e := range o.Error {
			sub = sub && (slices.Contains(m.Error, e) || slices.Contains(m.Error, anyRFC6749Error) && slices.Contains(rfc6749Errors, e))
		}
		for _, e := range o.RedirectError {
			sub = sub && slices.Contains(m.RedirectError, e)
		}
		if sub {
			return true
		}
	}
	return false
}

func moduleIDs() []string {
	out := make([]string, 0, len(Modules))
	for _, m := range Modules {
		out = append(out, m.ID)
	}
	return out
}

// TestEveryModuleAccounted compares the table with the suite's module list:
// the same module ids, each with the same profile, kind and accepted
// answers (testdata/suite-modules.json, which names the suite's commits).
func TestEveryModuleAccounted(t *testing.T) {
	data, err := os.ReadFile(suiteList)
	require.NoError(t, err)
	var list struct {
		Cases []struct {
			ID       string          `json:"id"`
			Profile  string          `json:"profile"`
			Kind     Kind            `json:"kind"`
			Accepted json.RawMessage `json:"accepted"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &list))
	require.NotEmpty(t, list.Cases)
	modules := moduleByID()
	inList := map[string]bool{}
	for _, c := range list.Cases {
		inList[c.ID] = true
		m := modules[c.ID]
		if !assert.NotNil(t, m, "module %s of the suite's list is not in the table", c.ID) {
			continue
		}
		assert.Equal(t, c.Profile, m.Profile, "%s: profile", c.ID)
		assert.Equal(t, c.Kind, m.Kind, "%s: kind", c.ID)
		var accepted []Outcome
		dec := json.NewDecoder(strings.NewReader(string(c.Accepted)))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&accepted), c.ID)
		assert.Equal(t, accepted, m.Accepted, "%s: accepted outcomes", c.ID)
	}
	for _, m := range Modules {
		assert.True(t, inList[m.ID], "module %s of the table is not in the suite's list", m.ID)
	}
	assert.Len(t, Modules, len(list.Cases))
}

// TestFixtureValues guards the values the cases rely on.
func TestFixtureValues(t *testing.T) {
	assert.Len(t, otherVerifier, 43)
	assert.NotEqual(t, fixtures.Verifier, otherVerifier)
	assert.Len(t, long("n-", 384), 384)
	assert.Len(t, long("s-", 1000), 1000)
	assert.True(t, slices.Contains(rfc6749Errors, fapi.OAuthInvalidGrant))
}
