package casegen

import (
	"encoding/json"
	"time"

	"github.com/fapicheck/fapicheck/internal/testfixture"
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
	for _, d := range append(defs(), finalDefs()...) {
		c := d.build(f)
		c["description"] = d.desc
		if _, ok := c["now"]; !ok {
			c["now"] = Now.Format(time.RFC3339)
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
		data, err := json.MarshalIndent(orderedCase(c), "", "  ")
		if err != nil {
			return nil, err
		}
		out = append(out, Case{Name: d.name, JSON: append(data, '\n')})
	}
	return out, nil
}

// orderedCase writes the members in the order DESIGN.md shows.
func orderedCase(c obj) json.RawMessage {
	order := []string{"description", "now", "service", "client", "pushed_authorization_request", "authorization_request", "token_request", "expect"}
	buf := []byte{'{'}
	first := true
	for _, k := range order {
		v, ok := c[k]
		if !ok {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		buf = append(buf, kb...)
		buf = append(buf, ':')
		buf = append(buf, vb...)
	}
	return append(buf, '}')
}

// --- building blocks -------------------------------------------------

func with(m obj, kv ...any) obj {
	out := obj{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

func without(m obj, keys ...string) obj {
	out := with(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func (f *fixture) sign(claims obj) string { return testfixture.Sign(f.rw, "PS256", claims, nil) }

// rwAuth is an authorization request carrying a request object by value.
func rwAuth(outside obj, token string) obj {
	return obj{"params": with(outside, "request", token)}
}

// rwCase is a complete, valid read-write case: service, client,
// authorization request and token request.
func (f *fixture) rwCase() obj {
	return obj{
		"service":               service(),
		"client":                f.rwClient(),
		"authorization_request": rwAuth(rwOutside(), f.sign(rwClaims())),
		"token_request":         f.rwToken(f.assertionClaims()),
	}
}

func (f *fixture) rwToken(assertion obj) obj {
	return f.rwTokenWith(testfixture.Sign(f.rw, "PS256", assertion, nil))
}

func (f *fixture) rwTokenWith(assertion string) obj {
	return obj{
		"params":             f.rwTokenParams(assertion),
		"client_certificate": f.tlsCert.CertPEM(),
		"authorization":      rwRecord(),
	}
}

// rwAuthCase is rwCase with only an authorization request.
func (f *fixture) rwAuthCase(outside obj, token string) obj {
	return obj{"service": service(), "client": f.rwClient(), "authorization_request": rwAuth(outside, token)}
}

func (f *fixture) rwTokenCase(tr obj) obj {
	return obj{"service": service(), "client": f.rwClient(), "token_request": tr}
}

func roCase() obj {
	return obj{
		"service":               service(),
		"client":                roClient(),
		"authorization_request": obj{"params": roParams()},
		"token_request":         roTokenRequest(),
	}
}

func roAuthCase(params obj) obj {
	return obj{"service": service(), "client": roClient(), "authorization_request": obj{"params": params}}
}

func roTokenCase(tr obj) obj {
	return obj{"service": service(), "client": roClient(), "token_request": tr}
}
