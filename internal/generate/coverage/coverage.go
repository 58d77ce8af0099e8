package coverage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

const (
	// DocFile is the generated document, relative to the module root.
	DocFile  = "docs/COVERAGE.md"
	casesDir = "testdata/cases" // relative to the module root
	maxCases = 3                // case files shown per code
	maxWords = 12               // words in a row's Summary
)

var checkClasses = []struct{ class, meaning string }{
	{checkP, "pure: decided from the configuration and the request (and the time, and the TLS client certificate)"},
	{checkPK, "pure once the caller supplies keys (the client's JWK Set, resolved) or the object a `request_uri` points to"},
	{checkPG, "pure once the caller supplies a stored record (the PAR record, the authorization code's record)"},
	{checkS, "needs state (replay, one-time use): decided by the library once the caller gives it a one-time-use store (`fapi.WithStore`; the corpus's `store` cases), else the caller's to record"},
	{checkN, "not checkable by a library (transport, user interaction, deployment)"},
	{checkO, "output obligation: something the server emits, not something it validates"},
}

func isCheckClass(c string) bool {
	for _, cc := range checkClasses {
		if cc.class == c {
			return true
		}
	}
	return false
}

// LoadCases returns, for each code, the names of the corpus cases of the
// module at root whose expectation lists it, the most focused first
// (fewest expected violations, then by name).
func LoadCases(root string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(root, casesDir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("the case corpus is empty")
	}
	type caseFile struct {
		Expect *struct {
			Violations []string `json:"violations"`
		} `json:"expect"`
	}
	size := map[string]int{}
	byCode := map[string][]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c caseFile
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if c.Expect == nil {
			return nil, fmt.Errorf("%s has no expect member", f)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		size[name] = len(c.Expect.Violations)
		listed := map[string]bool{}
		for _, code := range c.Expect.Violations {
			if !listed[code] {
				listed[code] = true
				byCode[code] = append(byCode[code], name)
			}
		}
	}
	for _, names := range byCode {
		sort.Slice(names, func(i, j int) bool {
			if size[names[i]] != size[names[j]] {
				return size[names[i]] < size[names[j]]
			}
			return names[i] < names[j]
		})
	}
	return byCode, nil
}

type totals struct{ rows, enforced, withStore, callers, notEnforced int }

func count() totals {
	var n totals
	for _, r := range Rows {
		n.rows++
		switch {
		case len(r.Codes) > 0:
			n.enforced++
			if r.Check == checkS {
				n.withStore++
			}
		case strings.HasPrefix(r.Caller, notEnforced):
			n.notEnforced++
		default:
			n.callers++
		}
	}
	return n
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func caseLinks(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	links := make([]string, 0, maxCases)
	for _, n := range names[:min(len(names), maxCases)] {
		links = append(links, fmt.Sprintf("[%s](../%s/%s.json)", n, casesDir, n))
	}
	return strings.Join(links, ", ")
}

// render renders docs/COVERAGE.md from Rows, the code table and the corpus
// (cases by code).
func render(cases map[string][]string) string {
	var b strings.Builder
	n := count()
	b.WriteString("# Requirement coverage\n\n")
	fmt.Fprintf(&b, "Generated from the table in `internal/generate/coverage/requirements.go`, the code table (`fapi/codetable.txt`, see [CODES.md](CODES.md)) and the expectations of the case corpus (`%s`) by `%s`; a test fails when this file is out of date.\n\n", casesDir, output.Command)
	b.WriteString("One row per requirement the project tracks, in the sections of its requirement catalog: the rules of sections 1 to 13, the output obligations of section 14 and the review items of section 15. ")
	b.WriteString("The rule is a short paraphrase; the cited clause (see the legend of clause prefixes in the README) holds the requirement itself. A clause may appear in several sections.\n\n")
	b.WriteString("Columns:\n\n")
	b.WriteString("- **Clause**: the catalog row's clause IDs, as the catalog writes them (**(m)** marks a row the catalog wrote from memory of the RFC). Section 15 lists items, not rows: there it is the clauses the item names.\n")
	b.WriteString("- **Profiles**: R = FAPI 1.0 ID2 read-only, RW = ID2 read-write, B = FAPI 1.0 Baseline, A = Advanced, F2 = FAPI 2.0 Security Profile, MS = FAPI 2.0 Message Signing; a parenthesis marks a partial application. Where the catalog has no profiles column (13.1, 13.2, 14, 15), the profiles of the cited clauses.\n")
	b.WriteString("- **Check**: the catalog's check class (below).\n")
	b.WriteString("- **Rule**: what the row requires, paraphrased.\n")
	b.WriteString("- **Codes**: the violation codes that enforce it.\n")
	fmt.Fprintf(&b, "- **Cases**: for each code, up to %d case files whose expectation lists it, the most focused first (fewest expected violations).\n", maxCases)
	b.WriteString("- **Caller's / why**: for a row without codes, whose job it is and why, and the hook, record or input the library offers. A checkable row that the library does not enforce starts with \"not enforced:\" and gives the reason.\n\n")
	b.WriteString("| Check | Meaning |\n|---|---|\n")
	for _, c := range checkClasses {
		fmt.Fprintf(&b, "| %s | %s |\n", c.class, c.meaning)
	}
	b.WriteString("\nWhere the catalog gives a compound class (such as \"P / N\", \"P+G / S\" or \"P (warn)\"), a row keeps the class of the part a library can decide, and its text says what is left out; advisory rows (should, warn, info) count as checkable and say why they are not enforced. Sections 13.1 and 13.2 have no check column; their class is assigned here.\n\n")
	fmt.Fprintf(&b, "**Totals**: %d rows — %d enforced by a violation code (%d of them, S, with a store), %d the caller's (S, N, O), %d checkable but not enforced.\n", n.rows, n.enforced, n.withStore, n.callers, n.notEnforced)

	for _, s := range Sections {
		fmt.Fprintf(&b, "\n## %s %s\n\n", s.Number, s.Title)
		b.WriteString("| Clause | Profiles | Check | Rule | Codes | Cases | Caller's / why |\n|---|---|---|---|---|---|---|\n")
		for _, r := range Rows {
			if r.Section != s.Number {
				continue
			}
			codes := make([]string, len(r.Codes))
			links := make([]string, len(r.Codes))
			for i, c := range r.Codes {
				codes[i] = "`" + c + "`"
				links[i] = caseLinks(cases[c])
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", cell(r.ID), cell(r.Profiles), r.Check, cell(r.Summary),
				strings.Join(codes, "<br>"), strings.Join(links, "<br>"), cell(r.Caller))
		}
	}

	used := map[string]bool{}
	for _, r := range Rows {
		for _, c := range r.Codes {
			used[c] = true
		}
	}
	b.WriteString("\n## Codes not tied to a catalog row\n\n")
	b.WriteString("Codes no row above lists: they guard the library's own inputs (configuration, client, clock), general OAuth and OpenID syntax, or rules the catalog does not state as a row of its own.\n\n")
	b.WriteString("| Code | Meaning | Cases |\n|---|---|---|\n")
	for _, info := range fapi.CodeInfos() {
		if used[string(info.Code)] {
			continue
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", info.Code, cell(info.Summary), caseLinks(cases[string(info.Code)]))
	}
	return b.String()
}

// Markdown renders docs/COVERAGE.md for the module at root, whose case
// corpus it reads.
func Markdown(root string) (string, error) {
	cases, err := LoadCases(root)
	if err != nil {
		return "", err
	}
	return render(cases), nil
}

// Write regenerates docs/COVERAGE.md in the module at root.
func Write(root string) error {
	md, err := Markdown(root)
	if err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(root, DocFile), []byte(md))
}
