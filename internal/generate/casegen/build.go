package casegen

import (
	"path/filepath"
	"slices"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// Case is one generated case file.
type Case struct {
	Name string // file name without .json
	JSON []byte
}

type def struct {
	name       string
	desc       string
	profile    string
	violations []string
	build      func(f *fixture) obj
}

// Build generates every case of the corpus with fresh keys.
func Build() ([]Case, error) {
	f := newFixture()
	var out []Case
	for _, d := range slices.Concat(defs(), finalDefs(), mixedDefs(), grantDefs(), storeDefs(), resourceDefs(), grantMixedDefs()) {
		c := d.build(f)
		c["description"] = d.desc
		if _, ok := c["now"]; !ok {
			c["now"] = fixtures.Now.Format(time.RFC3339)
		}
		viol := d.violations
		if viol == nil {
			viol = []string{}
		}
		// A build func may declare expectation members beyond the profile
		// and the violations (waived, ignored) by setting them in expect.
		exp, _ := c["expect"].(obj)
		if exp == nil {
			exp = obj{}
		}
		exp["profile"] = d.profile
		exp["violations"] = viol
		c["expect"] = exp
		data, err := fixtures.CaseJSON(c)
		if err != nil {
			return nil, err
		}
		out = append(out, Case{Name: d.name, JSON: data})
	}
	return out, nil
}

// --- building blocks -------------------------------------------------

// rwCase is a complete, valid read-write case: service, client,
// authorization request and token request.
func (f *fixture) rwCase() obj {
	return obj{
		"service":               fixtures.ID2Service(),
		"client":                f.RWClient(),
		"authorization_request": fixtures.AuthByValue(f.RWOutside(), f.Sign(f.RWClaims())),
		"token_request":         f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint)),
	}
}

// rwAuthCase is rwCase with only an authorization request.
func (f *fixture) rwAuthCase(outside obj, token string) obj {
	return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "authorization_request": fixtures.AuthByValue(outside, token)}
}

func (f *fixture) rwTokenCase(tr obj) obj {
	return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "token_request": tr}
}

func roCase() obj {
	return obj{
		"service":               fixtures.ID2Service(),
		"client":                roClient(),
		"authorization_request": obj{"params": roParams()},
		"token_request":         roTokenRequest(),
	}
}

func roAuthCase(params obj) obj {
	return obj{"service": fixtures.ID2Service(), "client": roClient(), "authorization_request": obj{"params": params}}
}

func roTokenCase(tr obj) obj {
	return obj{"service": fixtures.ID2Service(), "client": roClient(), "token_request": tr}
}

// Dir is the directory of the case corpus, relative to the module root.
const Dir = "testdata/cases"

// Write regenerates the corpus in the module at root: every case, with
// fresh keys, and no other file. It returns the number of cases.
func Write(root string) (int, error) {
	cases, err := Build()
	if err != nil {
		return 0, err
	}
	files := make(map[string][]byte, len(cases))
	for _, c := range cases {
		files[c.Name+".json"] = c.JSON
	}
	return len(cases), output.WriteCases(filepath.Join(root, Dir), files)
}
