package conformance

import (
	"encoding/json"
	"fmt"
	"time"
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
			c["now"] = Now.Format(time.RFC3339)
		}
		c["expect"] = expectMember(m.Expect)
		data, err := json.MarshalIndent(ordered(c), "", "  ")
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", m.ID, err)
		}
		out = append(out, CaseFile{Module: m, Name: m.ID + ".json", JSON: append(data, '\n')})
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

// ordered writes the members of a case in the order the case format shows
// them.
func ordered(c obj) json.RawMessage {
	order := []string{"description", "now", "service", "client", "pushed_authorization_request", "authorization_request", "token_request", "expect"}
	buf := []byte{'{'}
	for i, k := range order {
		v, ok := c[k]
		if !ok {
			continue
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("member %d (%s): %v", i, k, err))
		}
		buf = append(buf, kb...)
		buf = append(buf, ':')
		buf = append(buf, vb...)
	}
	for k := range c {
		found := false
		for _, o := range order {
			found = found || o == k
		}
		if !found {
			panic("unknown case member " + k)
		}
	}
	return append(buf, '}')
}
