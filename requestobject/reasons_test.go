package requestobject_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	R "github.com/fapicheck/fapicheck/requestobject"
)

// TestReasonsComplete holds Reasons to the constants of type Reason
// declared in the package: each is listed exactly once, has the form of a
// code's reason part, and is documented with the rule it enforces.
func TestReasonsComplete(t *testing.T) {
	declared := fixtures.DeclaredConstants(t, ".", "Reason")
	require.NotEmpty(t, declared)
	listed := R.Reasons()
	seen := map[R.Reason]bool{}
	for _, r := range listed {
		assert.False(t, seen[r], "%q is listed twice", string(r))
		seen[r] = true
	}
	form := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for _, c := range declared {
		assert.True(t, seen[R.Reason(c.Value)], "%s (%q) is missing from Reasons", c.Name, c.Value)
		assert.Regexp(t, form, c.Value, c.Name)
		assert.True(t, strings.HasPrefix(c.Doc, c.Name+": "), "%s has no doc comment starting %q", c.Name, c.Name+": ")
		delete(seen, R.Reason(c.Value))
	}
	assert.Empty(t, seen, "Reasons lists values that are not declared constants")
}

// TestReasonsIsACopy: changing the returned slice does not change the
// package's list.
func TestReasonsIsACopy(t *testing.T) {
	a := R.Reasons()
	require.NotEmpty(t, a)
	first := a[0]
	a[0] = "changed"
	assert.Equal(t, first, R.Reasons()[0])
}
