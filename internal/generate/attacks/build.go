package attacks

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// Dir is the directory of the attack cases and their README, relative to
// the module root.
const Dir = "testdata/attacks"

// Write regenerates the catalogue in the module at root: every case, with
// fresh keys and signatures, and README.md; no other case file is left.
// Every case must load without warnings. It returns the number of cases.
func Write(root string) (int, error) {
	cases, err := Build()
	if err != nil {
		return 0, err
	}
	files := make(map[string][]byte, len(cases))
	for _, c := range cases {
		if _, warns, err := casefile.Parse(c.JSON); err != nil || len(warns) > 0 {
			return 0, fmt.Errorf("attacks: %s does not load cleanly: %v %v", c.Name, err, warns)
		}
		files[c.Name+".json"] = c.JSON
	}
	dir := filepath.Join(root, Dir)
	if err := output.WriteCases(dir, files); err != nil {
		return 0, err
	}
	return len(cases), output.WriteFile(filepath.Join(dir, "README.md"), README())
}

// Case is one generated case file.
type Case struct {
	// Name is the file name without .json: <carrier>-<attack>.
	Name        string
	Carrier     Carrier
	Attack      string
	Description string
	Profile     string
	Violations  []string
	JSON        []byte
}

// Build generates every case of the catalogue, for every carrier, with
// fresh keys and signatures.
func Build() ([]Case, error) {
	f := newFixture()
	var out []Case
	seen := map[string]bool{}
	for _, a := range attacks() {
		for c := range carriers {
			cr := carriers[c]
			name := cr.Name + "-" + a.name
			if seen[name] {
				return nil, fmt.Errorf("attacks: duplicate case %s", name)
			}
			seen[name] = true
			if len(a.expect[c]) == 0 {
				return nil, fmt.Errorf("attacks: %s declares no violation", name)
			}
			in := a.build(f, carrierID(c))
			body := f.caseFor(carrierID(c), in)
			desc := cr.Title + ": " + a.desc
			body["description"] = desc
			body["now"] = fixtures.Now.Format(time.RFC3339)
			body["expect"] = obj{"profile": cr.Profile, "violations": a.expect[c]}
			data, err := fixtures.CaseJSON(body)
			if err != nil {
				return nil, fmt.Errorf("attacks: %s: %w", name, err)
			}
			out = append(out, Case{
				Name: name, Carrier: cr, Attack: a.name, Description: desc,
				Profile: cr.Profile, Violations: append([]string(nil), a.expect[c]...),
				JSON: data,
			})
		}
	}
	return out, nil
}

// caseFor puts an attack's input into the carrier's baseline case.
func (f *fixture) caseFor(c carrierID, in input) obj {
	switch c {
	case ro, ca:
		svc := fixtures.ID2Service()
		if in.maxSize > 0 {
			svc["max_request_object_size"] = in.maxSize
		}
		client := in.client
		if client == nil {
			client = f.RWClient()
		}
		if c == ro {
			return obj{"service": svc, "client": client,
				"authorization_request": fixtures.AuthByValue(f.RWOutside(), in.token)}
		}
		return obj{"service": svc, "client": client, "token_request": f.RWTokenWith(in.token)}
	}
	svc := fixtures.F2Service()
	if in.maxSize > 0 {
		svc["max_request_object_size"] = in.maxSize
	}
	return obj{"service": svc, "client": f.F2DPoPClient(), "token_request": f.f2DPoPToken(in.token)}
}

// Baselines returns, for each carrier and each client registration the
// attacks use, the valid case the attacks mutate, so that a test can show
// each of them is accepted: whatever an attack case reports is then due to
// the attack.
func Baselines() map[string][]byte {
	f := newFixture()
	out := map[string][]byte{}
	put := func(name string, c carrierID, in input) {
		body := f.caseFor(c, in)
		body["description"] = "valid baseline: " + name
		body["now"] = fixtures.Now.Format(time.RFC3339)
		data, err := fixtures.Ordered(body)
		if err != nil {
			panic(err)
		}
		out[name] = data
	}
	for _, c := range []carrierID{ro, ca} {
		name := carriers[c].Name
		put(name, c, input{token: f.valid(c)})
		put(name+" (no registered signing algorithm)", c, input{token: f.valid(c), client: f.openClient()})
		h, claims, k, client := f.ecBase(c)
		put(name+" (ES256)", c, input{token: compact(h, claimsJSON(claims), keySigner(k, "ES256")), client: client})
		put(name+" (at a configured limit of 4096 bytes)", c, input{token: f.valid(c), maxSize: 4096})
	}
	put(carriers[dp].Name, dp, input{token: f.valid(dp)})
	put(carriers[dp].Name+" (at a configured limit of 4096 bytes)", dp, input{token: f.valid(dp), maxSize: 4096})
	return out
}

// README renders the catalogue as the Markdown table of
// testdata/attacks/README.md.
func README() []byte {
	var b strings.Builder
	b.WriteString("# JOSE attack catalogue\n\n")
	b.WriteString("Generated from the table in `internal/generate/attacks` by\n\n")
	b.WriteString("    " + output.Command + "\n\n")
	b.WriteString("Each attack is a case file per carrier, `<carrier>-<attack>.json`:\n\n")
	for _, c := range carriers {
		fmt.Fprintf(&b, "- `%s`: %s (%s, answered with `%s`)\n", c.Name, c.Title, c.Profile, c.Error)
	}
	b.WriteString("\nThe codes are the violations each case declares, in the order they are reported; " +
		"`client.*` codes come from the client registration check, where the attack needs a weak registered key. " +
		"Every case must be refused with exactly these codes, and the first violation of the endpoint's check " +
		"must carry the carrier's OAuth error.\n")
	entries := Catalogue()
	group := ""
	count := 0
	for _, e := range entries {
		if e.Group != group {
			group = e.Group
			fmt.Fprintf(&b, "\n## %s\n\n", group)
			b.WriteString("| Attack | Sends |")
			for _, c := range carriers {
				fmt.Fprintf(&b, " `%s` |", c.Name)
			}
			b.WriteString("\n|---|---|")
			for range carriers {
				b.WriteString("---|")
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "| `%s` | %s |", e.Name, strings.ReplaceAll(e.Description, "|", `\|`))
		for _, c := range carriers {
			codes := e.Codes[c.Name]
			count++
			quoted := make([]string, len(codes))
			for i, code := range codes {
				quoted[i] = "`" + code + "`"
			}
			fmt.Fprintf(&b, " %s |", strings.Join(quoted, ", "))
		}
		b.WriteString("\n")
	}
	per := map[string]int{}
	for _, e := range entries {
		for name := range e.Codes {
			per[name]++
		}
	}
	names := make([]string, 0, len(per))
	for n := range per {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "\n%d attacks, %d case files (", len(entries), count)
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", n, per[n])
	}
	b.WriteString(").\n")
	return []byte(b.String())
}
