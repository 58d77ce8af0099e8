package profile_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/profile"
)

// ruleClauses walks the requirements and calls f for every clause, with
// whether the value beside it (for Rule fields) is set.
func ruleClauses(t *testing.T, v reflect.Value, path string, f func(path string, c clause.Clause, valueSet, isRule bool)) {
	t.Helper()
	clauseType := reflect.TypeOf(clause.None)
	for i := 0; i < v.NumField(); i++ {
		fv, ft := v.Field(i), v.Type().Field(i)
		name := path + ft.Name
		switch {
		case ft.Type == clauseType:
			f(name, clause.Clause(fv.String()), true, false)
		case ft.Type.Kind() == reflect.Struct && strings.HasPrefix(ft.Type.Name(), "Rule["):
			f(name, clause.Clause(fv.FieldByName("Clause").String()), !fv.FieldByName("Value").IsZero(), true)
		case ft.Type.Kind() == reflect.Struct && ft.Type.PkgPath() == reflect.TypeOf(profile.Requirements{}).PkgPath():
			ruleClauses(t, fv, name+".", f)
		}
	}
}

// TestEveryRuleCarriesItsClause: no rule of any profile has a value without
// a clause, every clause is in the library's citation format with a known
// prefix, and a profile cites only its own family's clauses or those of
// documents no profile owns.
func TestEveryRuleCarriesItsClause(t *testing.T) {
	for _, p := range append(profile.All(), profile.None) {
		r, ok := p.Requirements()
		require.True(t, ok, p)
		set := r.Profiles
		n := 0
		ruleClauses(t, reflect.ValueOf(r), "", func(path string, c clause.Clause, valueSet, isRule bool) {
			if isRule && valueSet && p != profile.None {
				assert.True(t, c.Applies(), "%s: %s has a value but no clause", p, path)
			}
			if !c.Applies() {
				return
			}
			n++
			_, _, _, ok := c.Parse()
			assert.True(t, ok, "%s: %s cites %q, which is not a known clause", p, path, c)
			assert.True(t, profile.ClauseFits(c, set), "%s: %s cites %q, a clause of another profile", p, path, c)
		})
		assert.Greater(t, n, 5, p)
	}
}

func TestClauseFits(t *testing.T) {
	adv := profile.SetOf(profile.FAPI1Advanced)
	assert.True(t, profile.ClauseFits("FAPI1-BASE-5.2.2-7", adv), "Part 1's clauses are Part 2's")
	assert.True(t, profile.ClauseFits("FAPI1-ADV-5.2.2-1", adv))
	assert.False(t, profile.ClauseFits("FAPI1-ADV-5.2.2-1", profile.SetOf(profile.FAPI1Baseline)))
	assert.False(t, profile.ClauseFits("FAPI-RW-5.2.2-1", adv))
	assert.False(t, profile.ClauseFits("FAPI-R-5.2.2-1", adv), "FAPI-R is not FAPI-RW's prefix")
	assert.True(t, profile.ClauseFits("RFC6749-3.3", 0))
	assert.False(t, profile.ClauseFits("FAPI2-SP-5.4.1-1", 0))
}

func TestServiceFamilyClause(t *testing.T) {
	assert.Equal(t, clause.Clause("FAPI2-SP-5.3.2"), profile.ServiceFamilyClause(profile.FAPI2MessageSigning, ""))
	assert.Equal(t, clause.Clause("FAPI-R-5.2.2"), profile.ServiceFamilyClause(profile.FAPI1ReadWrite, ""))
	assert.Equal(t, clause.Clause("FAPI-R-5.2.2"), profile.ServiceFamilyClause(profile.None, profile.VersionID2))
	assert.Equal(t, clause.Clause("FAPI1-BASE-5.2.2"), profile.ServiceFamilyClause(profile.None, ""))
}
