package attacks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/generate/attacks"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

var dir = filepath.Join("../../..", attacks.Dir)

// TestGenerated checks that the committed files are exactly the catalogue:
// the same file names, the same declared descriptions and expectations,
// and the same README. Tokens, keys and signatures are fresh on every
// generation and never compared. Only the first difference is reported.
func TestGenerated(t *testing.T) {
	cases, err := attacks.Build()
	require.NoError(t, err)
	for _, c := range cases {
		_, warns, err := casefile.Parse(c.JSON)
		require.NoError(t, err, c.Name)
		require.Empty(t, warns, c.Name)
	}

	const regen = "regenerate: " + output.Command
	want := map[string]attacks.Case{}
	for _, c := range cases {
		want[c.Name] = c
	}
	have := committedNames(t)
	for _, name := range union(want, have) {
		_, inTable := want[name]
		if !inTable {
			t.Fatalf("first difference: %s.json is committed but not in the catalogue (%s)", name, regen)
		}
		if !have[name] {
			t.Fatalf("first difference: %s.json is in the catalogue but not committed (%s)", name, regen)
		}
	}
	for _, name := range sortedKeys(want) {
		data, err := os.ReadFile(filepath.Join(dir, name+".json"))
		require.NoError(t, err)
		var got struct {
			Description string               `json:"description"`
			Expect      casefile.Expectation `json:"expect"`
		}
		require.NoError(t, json.Unmarshal(data, &got), name)
		w := want[name]
		switch {
		case got.Description != w.Description:
			t.Fatalf("first difference: %s.json description %q, the catalogue declares %q (%s)", name, got.Description, w.Description, regen)
		case got.Expect.Profile != w.Profile:
			t.Fatalf("first difference: %s.json expects profile %q, the catalogue declares %q (%s)", name, got.Expect.Profile, w.Profile, regen)
		case !equal(got.Expect.Violations, w.Violations):
			t.Fatalf("first difference: %s.json expects %q, the catalogue declares %q (%s)", name, got.Expect.Violations, w.Violations, regen)
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	require.NoError(t, err)
	if exp := attacks.README(); !bytes.Equal(readme, exp) {
		a, b := strings.Split(string(readme), "\n"), strings.Split(string(exp), "\n")
		for i := 0; i < len(a) || i < len(b); i++ {
			if i >= len(a) || i >= len(b) || a[i] != b[i] {
				t.Fatalf("first difference: README.md line %d is %q, the catalogue renders %q (%s)", i+1, line(a, i), line(b, i), regen)
			}
		}
	}
}

// TestAttacks runs every committed attack case. Each must load, run without
// panicking and be refused with exactly the codes it declares; and the first
// violation of the endpoint's own check (what the server answers) must
// carry the carrier's OAuth error.
func TestAttacks(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no attack cases; regenerate: %s", output.Command)
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			carrier, ok := attacks.CarrierOf(name)
			require.True(t, ok, "file name does not start with a carrier")
			c, warns, err := casefile.Load(path)
			require.NoError(t, err)
			assert.Empty(t, warns)
			require.NotNil(t, c.Expect, "no expect member")
			require.NotEmpty(t, c.Expect.Violations, "an attack case must declare at least one violation")

			rep, p := run(c.Run)
			if p != nil {
				t.Fatalf("PANIC %v\ninput: %s", p, token(c, carrier))
			}
			got := codesOf(rep)
			if len(got) == 0 {
				t.Fatalf("ACCEPTED (no violation), the catalogue declares %q\ninput: %s", c.Expect.Violations, token(c, carrier))
			}
			assert.Equal(t, c.Expect.Violations, got, "violations: %v", rep.Violations)
			assert.Equal(t, c.Expect.Profile, string(rep.Profile))

			ep, p := run(func() fapi.Report { return endpoint(c, carrier) })
			if p != nil {
				t.Fatalf("PANIC in the %s endpoint check: %v\ninput: %s", carrier.Endpoint, p, token(c, carrier))
			}
			first, bad := ep.First()
			if !bad {
				t.Fatalf("ACCEPTED by the %s endpoint check\ninput: %s", carrier.Endpoint, token(c, carrier))
			}
			assert.Equal(t, carrier.Error, first.Error, "the %s endpoint answers with its first violation %s", carrier.Endpoint, first)
		})
	}
}

// TestBaselinesAreValid: the valid cases the attacks mutate are accepted,
// so each attack case's violations are due to the attack.
func TestBaselinesAreValid(t *testing.T) {
	for name, data := range attacks.Baselines() {
		c, warns, err := casefile.Parse(data)
		require.NoError(t, err, name)
		assert.Empty(t, warns, name)
		rep, p := run(c.Run)
		require.Nil(t, p, name)
		assert.Empty(t, rep.Violations, name)
	}
}

// TestCatalogueCoversEveryCarrier: every attack declares codes for every
// carrier, all of them in the carrier's family or client.*.
func TestCatalogueCoversEveryCarrier(t *testing.T) {
	entries := attacks.Catalogue()
	require.NotEmpty(t, entries)
	for _, e := range entries {
		for _, c := range attacks.Carriers() {
			codes := e.Codes[c.Name]
			require.NotEmpty(t, codes, "%s-%s", c.Name, e.Name)
			for _, code := range codes {
				assert.True(t, strings.HasPrefix(code, c.Family+".") || strings.HasPrefix(code, "client."), "%s-%s: %s", c.Name, e.Name, code)
			}
			assert.True(t, strings.HasPrefix(codes[len(codes)-1], c.Family+"."), "%s-%s: the token's own check reports last", c.Name, e.Name)
		}
	}
}

func run(f func() fapi.Report) (rep fapi.Report, p any) {
	defer func() { p = recover() }()
	return f(), nil
}

// endpoint runs the check of the endpoint the carrier is sent to, alone:
// what the server answers there.
func endpoint(c *casefile.Case, carrier attacks.Carrier) fapi.Report {
	pc := fapi.PrepareClient(*c.Client)
	if carrier.Endpoint == "authorization" {
		return fapi.CheckAuthorizationRequest(c.Service, pc, c.AuthorizationRequest, c.Now).Report
	}
	return fapi.CheckTokenRequest(c.Service, pc, c.TokenRequest, c.Now).Report
}

// token is the attack token of a case, for failure messages.
func token(c *casefile.Case, carrier attacks.Carrier) string {
	var s string
	switch {
	case carrier.Name == "request-object" && c.AuthorizationRequest != nil:
		s = c.AuthorizationRequest.Params.Get("request")
	case carrier.Name == "client-assertion" && c.TokenRequest != nil:
		s = c.TokenRequest.Params.Get("client_assertion")
	case c.TokenRequest != nil && len(c.TokenRequest.DPoP) > 0:
		s = c.TokenRequest.DPoP[0]
	}
	if len(s) > 2000 {
		s = fmt.Sprintf("%s… (%d bytes)", s[:2000], len(s))
	}
	return fmt.Sprintf("%q", s)
}

func codesOf(rep fapi.Report) []string {
	out := []string{}
	for _, v := range rep.Violations {
		out = append(out, string(v.Code))
	}
	return out
}

func committedNames(t *testing.T) map[string]bool {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	out := map[string]bool{}
	for _, p := range files {
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = true
	}
	return out
}

func union(a map[string]attacks.Case, b map[string]bool) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]attacks.Case) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}
