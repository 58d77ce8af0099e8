package conformance

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// Answers parses and runs generated case files, keyed by case name
// (Module.CaseName: the module id, or for a step the id and the step's
// name). Every file must load without warnings.
func Answers(files []CaseFile) (map[string]Answer, error) {
	out := map[string]Answer{}
	for _, cf := range files {
		c, warns, err := casefile.Parse(cf.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cf.Name, err)
		}
		if len(warns) > 0 {
			return nil, fmt.Errorf("%s: warnings %v", cf.Name, warns)
		}
		a, err := Run(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cf.Name, err)
		}
		out[cf.Module.CaseName(cf.Part)] = a
	}
	return out, nil
}

// Write regenerates, in the module at root, the case file of every module
// that has one (fresh keys; no other case file is left) and the document
// rendered from the library's answers to them. It returns the number of
// case files.
func Write(root string) (int, error) {
	files, err := Build(nil)
	if err != nil {
		return 0, err
	}
	answers, err := Answers(files)
	if err != nil {
		return 0, err
	}
	cases := make(map[string][]byte, len(files))
	for _, cf := range files {
		cases[cf.Name] = cf.JSON
	}
	if err := output.WriteCases(filepath.Join(root, CaseDir), cases); err != nil {
		return 0, err
	}
	return len(files), output.WriteFile(filepath.Join(root, DocFile), []byte(Markdown(answers)))
}

// CaseFile is one generated case file.
type CaseFile struct {
	// Module is the module the case belongs to, and Part which of its
	// cases it is.
	Module *Module
	Part   Part
	// Name is the file name: the case name (Module.CaseName) and ".json".
	Name string
	// JSON is the file's content.
	JSON []byte
}

// Build generates the case file of every part of every module that has
// one, with the keys of f (NewFixture when nil).
func Build(f *Fixture) ([]CaseFile, error) {
	if f == nil {
		f = NewFixture()
	}
	var out []CaseFile
	for i := range Modules {
		m := &Modules[i]
		for _, p := range m.Parts() {
			name := m.CaseName(p)
			if p.Build == nil {
				return nil, fmt.Errorf("case %s has no builder", name)
			}
			c := p.Build(f)
			c["description"] = name + ": " + p.Reason
			if _, ok := c["now"]; !ok {
				c["now"] = fixtures.Now.Format(time.RFC3339)
			}
			c["expect"] = expectMember(p.Expect)
			data, err := fixtures.CaseJSON(c)
			if err != nil {
				return nil, fmt.Errorf("case %s: %w", name, err)
			}
			out = append(out, CaseFile{Module: m, Part: p, Name: name + ".json", JSON: data})
		}
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
