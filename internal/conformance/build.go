package conformance

import (
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// CaseFile is one generated case file.
type CaseFile struct {
	// Module is the module the case belongs to.
	Module *Module
	// Name is the file name: the module id and ".json".
	Name string
	// JSON is the file's content.
	JSON []byte
}

// Build generates the case file of every module that has one, with the keys
// of f (NewFixture when nil).
func Build(f *Fixture) ([]CaseFile, error) {
	if f == nil {
		f = NewFixture()
	}
	var out []CaseFile
	for i := range Modules {
		m := &Modules[i]
		if !m.HasCase() {
			continue
		}
		if m.Build == nil {
			return nil, fmt.Errorf("module %s has a case but no builder", m.ID)
		}
		c := m.Build(f)
		c["description"] = m.ID + ": " + m.Reason
		if _, ok := c["now"]; !ok {
			c["now"] = fixtures.Now.Format(time.RFC3339)
		}
		c["expect"] = expectMember(m.Expect)
		data, err := fixtures.CaseJSON(c)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", m.ID, err)
		}
		out = append(out, CaseFile{Module: m, Name: m.ID + ".json", JSON: data})
	}
	return out, nil
}

// expectMember is the expect member of a case file.
func expectMember(e Expectation) obj {
	out := obj{"profile": e.Profile, "violations": e.Violations}
	if e.Violations == nil {
		out["violations"] = []string{}
	}
	if e.Ignored != nil {
		out["ignored"] = e.Ignored
	}
	return out
}
