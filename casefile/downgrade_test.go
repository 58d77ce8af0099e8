package casefile_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
)

// The properties of this file: the profile decision cannot be tipped by
// the syntax of a value, and more scopes never mean fewer rules.
//
//  1. For any request that is refused, inserting or replacing whitespace or
//     control characters in scope or response_type never yields an accept.
//  2. A scope or response_type outside its grammar (RFC 6749 §3.3, §3.1.1)
//     is never accepted, whatever the rest of the request.
//  3. Adding a scope never removes a violation of the profile the original
//     scopes chose.

// downgradeSeparators are what stands where a space belongs, or is added:
// every ASCII control character and the Unicode spaces a lenient splitter
// might take for a space.
func downgradeSeparators() []string {
	var out []string
	for c := 0; c < 0x20; c++ {
		out = append(out, string(rune(c)))
	}
	return append(out, "\x7f", "  ", "\u00a0", "\u0085", "\u1680", "\u2000", "\u2003", "\u2028", "\u3000", "\ufeff", "\xff")
}

// field is a value of a case that a mutation changes.
type field struct {
	name string
	get  func(*casefile.Case) (string, bool)
	set  func(*casefile.Case, string)
}

func paramField(name string, params func(*casefile.Case) fapi.Params) field {
	return field{
		name: name,
		get: func(c *casefile.Case) (string, bool) {
			p := params(c)
			if p == nil || len(p[name]) == 0 || p[name][0] == "" {
				return "", false
			}
			return p[name][0], true
		},
		set: func(c *casefile.Case, v string) { params(c)[name] = []string{v} },
	}
}

func authParams(c *casefile.Case) fapi.Params {
	if c.AuthorizationRequest == nil {
		return nil
	}
	return c.AuthorizationRequest.Params
}

func parParams(c *casefile.Case) fapi.Params {
	if c.PushedAuthorizationRequest == nil {
		return nil
	}
	return c.PushedAuthorizationRequest.Params
}

func tokenParams(c *casefile.Case) fapi.Params {
	if c.TokenRequest == nil {
		return nil
	}
	return c.TokenRequest.Params
}

func pushedField(name string) field {
	return field{
		name: "pushed " + name,
		get: func(c *casefile.Case) (string, bool) {
			if c.AuthorizationRequest == nil || c.AuthorizationRequest.Pushed == nil || c.AuthorizationRequest.Pushed.Params[name] == "" {
				return "", false
			}
			return c.AuthorizationRequest.Pushed.Params[name], true
		},
		set: func(c *casefile.Case, v string) { c.AuthorizationRequest.Pushed.Params[name] = v },
	}
}

var recordScope = field{
	name: "authorization record scope",
	get: func(c *casefile.Case) (string, bool) {
		if c.TokenRequest == nil || c.TokenRequest.Authorization == nil || c.TokenRequest.Authorization.Scope == "" {
			return "", false
		}
		return c.TokenRequest.Authorization.Scope, true
	},
	set: func(c *casefile.Case, v string) { c.TokenRequest.Authorization.Scope = v },
}

var refreshScope = field{
	name: "refresh token record scope",
	get: func(c *casefile.Case) (string, bool) {
		if c.TokenRequest == nil || c.TokenRequest.Refresh == nil || c.TokenRequest.Refresh.Scope == "" {
			return "", false
		}
		return c.TokenRequest.Refresh.Scope, true
	},
	set: func(c *casefile.Case, v string) { c.TokenRequest.Refresh.Scope = v },
}

var tokenScope = field{
	name: "access token scope",
	get: func(c *casefile.Case) (string, bool) {
		if c.ResourceRequest == nil || c.ResourceRequest.Token == nil || c.ResourceRequest.Token.Scope == "" {
			return "", false
		}
		return c.ResourceRequest.Token.Scope, true
	},
	set: func(c *casefile.Case, v string) { c.ResourceRequest.Token.Scope = v },
}

var (
	scopeFields = []field{paramField("scope", authParams), paramField("scope", parParams), pushedField("scope"),
		paramField("scope", tokenParams), recordScope, refreshScope, tokenScope}
	rtFields = []field{paramField("response_type", authParams), paramField("response_type", parParams), pushedField("response_type")}
)

type rawCase struct {
	name string
	data []byte
}

func rawCorpus(t testing.TB) []rawCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpus, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	out := make([]rawCase, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out = append(out, rawCase{filepath.Base(f), data})
	}
	return out
}

func parseCase(t testing.TB, data []byte) *casefile.Case {
	t.Helper()
	c, _, err := casefile.Parse(data)
	require.NoError(t, err)
	return c
}

// mutations of v: each space replaced by sep, sep inserted at the start,
// the end and the middle, and sep replacing the whole of one separator run.
func mutations(v, sep string) []string {
	out := []string{sep + v, v + sep, v[:len(v)/2] + sep + v[len(v)/2:]}
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			out = append(out, v[:i]+sep+v[i+1:])
		}
	}
	return out
}

// TestNoDowngradeByWhitespace checks properties 1 and 2 on every case of
// the corpus: every refused request stays refused, and every value with
// a byte outside its grammar is refused, accepted original or not.
func TestNoDowngradeByWhitespace(t *testing.T) {
	// One of each kind here (the fuzz target below tries the others, and
	// every byte): a full cross product takes minutes under -race.
	seps := []string{"\t", "\n", "\r", "\v", "\f", "\x00", "\x1f", "\x7f", "  ", "\u00a0", "\u0085", "\u2003"}
	if os.Getenv("FAPICHECK_LONG") != "" {
		seps = downgradeSeparators()
	}
	for _, rc := range rawCorpus(t) {
		for _, f := range append(slices.Clone(scopeFields), rtFields...) {
			c := parseCase(t, rc.data)
			v, ok := f.get(c)
			if !ok {
				continue
			}
			for _, sep := range seps {
				for _, m := range mutations(v, sep) {
					mc := parseCase(t, rc.data)
					f.set(mc, m)
					rep := mc.Run()
					require.False(t, rep.OK(), "%s: %s %q was accepted (profile %s)", rc.name, f.name, m, rep.Profile)
				}
			}
		}
	}
}

// TestAddingAScopeKeepsTheRules checks property 3: for every refused case,
// adding any scope the service defines (or one it does not) to the scope
// the case sends keeps every violation the original had, except
// scope.missing, which a scope can cure, and a store's answer, which a new
// violation replaces.
func TestAddingAScopeKeepsTheRules(t *testing.T) {
	for _, rc := range rawCorpus(t) {
		orig := parseCase(t, rc.data)
		rep := orig.Run()
		if rep.OK() || orig.Service == nil {
			continue
		}
		names := []string{"not-defined-anywhere"}
		for _, d := range orig.Service.Scopes {
			names = append(names, d.Name)
		}
		for _, f := range scopeFields {
			v, ok := f.get(orig)
			if !ok {
				continue
			}
			for _, name := range names {
				if slices.Contains(strings.Split(v, " "), name) {
					continue
				}
				mc := parseCase(t, rc.data)
				f.set(mc, v+" "+name)
				got := mc.Run()
				for _, want := range rep.Codes() {
					// A scope cures scope.missing; openid makes the request
					// an OpenID one, whose nonce takes the place of state
					// (FAPI1-BASE-5.2.2.2, 5.2.2.3).
					// The scope a resource requires is cured by granting it.
					if want == fapi.CodeScopeMissing || want == fapi.CodeResourceInsufficientScope || want == fapi.CodeStateMissing && name == "openid" {
						continue
					}
					// The store is asked only about a request that met
					// every other rule (DESIGN §4.14), so a violation the
					// added scope brings takes the place of the store's:
					// the request stays refused.
					if orig.Store != nil && storeDecided[want] && !got.OK() {
						continue
					}
					require.True(t, got.Has(want), "%s: adding %q to the %s (%q) removed %s: %v", rc.name, name, f.name, v, want, got.Violations)
				}
			}
		}
	}
}

// storeDecided are the codes the one-time-use store decides.
var storeDecided = map[fapi.Code]bool{
	fapi.CodeCodeReused: true, fapi.CodeClientAssertionReplayed: true, fapi.CodeDPoPReplayed: true,
	fapi.CodePARRequestURIReused: true, fapi.CodeRefreshTokenReused: true, fapi.CodeStoreUnavailable: true,
}

// FuzzNoDowngrade: property 2 on inputs the fuzzer chooses — any bytes put
// into the scope or response_type of a corpus case at any position. When
// the result is outside its grammar, the request must be refused; when the
// original was refused and only bytes outside the grammar were added, it
// must stay refused (property 1).
func FuzzNoDowngrade(f *testing.F) {
	corpus := rawCorpus(f)
	f.Add(uint16(0), uint8(0), uint16(6), "\v")
	f.Add(uint16(3), uint8(1), uint16(0), " ")
	f.Add(uint16(7), uint8(4), uint16(100), "\u00a0")
	f.Add(uint16(11), uint8(2), uint16(3), "\x00")
	f.Add(uint16(42), uint8(5), uint16(4), "\t")
	all := append(slices.Clone(scopeFields), rtFields...)
	f.Fuzz(func(t *testing.T, ci uint16, fi uint8, pos uint16, insert string) {
		rc := corpus[int(ci)%len(corpus)]
		fld := all[int(fi)%len(all)]
		c := parseCase(t, rc.data)
		v, ok := fld.get(c)
		if !ok || len(insert) > 64 {
			return
		}
		p := int(pos) % (len(v) + 1)
		m := v[:p] + insert + v[p:]
		fld.set(c, m)
		rep := c.Run()
		if !validValue(fld, m) && rep.OK() {
			t.Fatalf("%s: %s %q outside its grammar was accepted (profile %s)", rc.name, fld.name, m, rep.Profile)
		}
	})
}

// validValue reports whether v is in the grammar of the field's parameter:
// scope-tokens (%x21 / %x23-5B / %x5D-7E) or response names (ALPHA, DIGIT,
// "_"), separated by single spaces.
func validValue(f field, v string) bool {
	if v == "" || v[0] == ' ' || v[len(v)-1] == ' ' || strings.Contains(v, "  ") {
		return false
	}
	scope := strings.HasSuffix(f.name, "scope")
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ':
		case scope && (c == 0x21 || c >= 0x23 && c <= 0x5b || c >= 0x5d && c <= 0x7e):
		case !scope && (c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
		default:
			return false
		}
	}
	return true
}
