package conformance

import (
	"fmt"
	"strings"

	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// Regenerate is the command that rewrites the case files and
// docs/CONFORMANCE.md.
const Regenerate = output.Command

// DocFile is the document rendered from the table, relative to the
// repository root.
const DocFile = "docs/CONFORMANCE.md"

// CaseDir is the directory of the case files, relative to the repository
// root.
const CaseDir = "testdata/conformance"

// statusOrder is the order of the statuses in the counts.
var statusOrder = []Status{Covered, PositiveCase, Caller, OutOfScope, NotCovered}

var statusText = map[Status]string{
	Covered:      "covered",
	PositiveCase: "positive (covered)",
	Caller:       "caller's responsibility",
	OutOfScope:   "out of scope",
	NotCovered:   "not covered",
}

// Markdown renders docs/CONFORMANCE.md from the table and the library's answers
// to the cases (keyed by module id).
func Markdown(answers map[string]Answer) string {
	var b strings.Builder
	b.WriteString("# Conformance-suite modules\n\n")
	fmt.Fprintf(&b, "Generated from the module table in `internal/generate/conformance` and the library's answers to the case files in `%s` by `%s`; a test fails when this file or the case files are out of date.\n\n", CaseDir, Regenerate)
	b.WriteString("The OpenID FAPI conformance suite tests an authorization server by sending it requests, many of them broken, and judging its answers. " +
		"This page accounts for every module of the suite's list of negative cases (and of the positive and resource-server modules listed beside them), " +
		"one row each, for the profiles the library implements. FAPI 1.0 Final Baseline has no plan of its own in the suite; its rules are exercised by the Advanced and ID2 modules.\n\n")
	b.WriteString("Statuses:\n\n")
	b.WriteString("- **covered**: the library makes the decision, with the one-time-use store configured where the module is about reuse or replay (the case file's `store` member: `fapi.WithStore` with an `onetime.Memory` holding the keys already used). " +
		"The module's case file declares the violations it must produce, and the first one must carry an OAuth error the suite accepts at that endpoint. " +
		"For a conditional module the row says which accepted outcome the library gives. " +
		"A mixed module whose flow holds more steps than one case can (several negative steps, or a happy part beside them) has a case file per step, named after the module and the step; each is judged the same way, and a happy step must succeed.\n")
	b.WriteString("- **positive (covered)**: a module that must succeed; its case file expects no violation.\n")
	b.WriteString("- **caller's responsibility**: the decision needs the user or the resource owner, in a step the library does not see: the user's answer at login, the consent they gave (and the intent it was given for), the authentication level actually achieved. " +
		"The reason names the hook or record the library offers. Reuse and replay are not in this status: the library decides them with a store.\n")
	b.WriteString("- **out of scope**: transport, HTTP handling or user interface, or a rule or endpoint of an ecosystem profile the library does not implement.\n")
	b.WriteString("- **not covered**: the library's behaviour contradicts the suite; the reason says how.\n\n")
	b.WriteString("How an answer is judged. A case runs through `casefile` as `fapicheck` runs it. The library's answer is the first violation: its code and OAuth error. " +
		"A violation at the PAR or token endpoint is a JSON error response. " +
		"At the authorization endpoint, `AuthorizationResult.ErrorRedirectURI` decides: a redirect error when client_id and redirect_uri are trusted, the error page otherwise. " +
		"With a store, an authorization that passes also completes (`Checker.CompleteAuthorization`, where the pushed request_uri is consumed); a refusal there is answered the same way. " +
		"At the resource check point the answer is `ResourceResult.Status` with its `WWW-Authenticate` challenge. " +
		"No violation means the flow goes on (success). HTTP status codes are the server's: 400, or 401 with invalid_client, or 405 for a PAR request with another method than POST.\n\n")

	counts := map[Status]int{}
	kinds := map[Status]map[Kind]int{}
	for _, m := range Modules {
		counts[m.Status]++
		if kinds[m.Status] == nil {
			kinds[m.Status] = map[Kind]int{}
		}
		kinds[m.Status][m.Kind]++
	}
	b.WriteString("## Counts\n\n")
	fmt.Fprintf(&b, "%d modules.\n\n", len(Modules))
	b.WriteString("| Status | Modules | negative | conditional | mixed | positive |\n|---|---|---|---|---|---|\n")
	for _, s := range statusOrder {
		k := kinds[s]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", statusText[s], counts[s], k[Negative], k[Conditional], k[Mixed], k[Positive])
	}
	b.WriteString("\n| Profile | Modules |")
	for _, s := range statusOrder {
		fmt.Fprintf(&b, " %s |", statusText[s])
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(statusOrder)) + "\n")
	for _, p := range SuiteProfiles {
		n := 0
		per := map[Status]int{}
		for _, m := range Modules {
			if m.Profile == p.Suite {
				n++
				per[m.Status]++
			}
		}
		fmt.Fprintf(&b, "| %s | %d |", p.Suite, n)
		for _, s := range statusOrder {
			fmt.Fprintf(&b, " %d |", per[s])
		}
		b.WriteString("\n")
	}

	for _, p := range SuiteProfiles {
		fmt.Fprintf(&b, "\n## %s\n\n", p.Suite)
		fmt.Fprintf(&b, "%s. The cases are checked under the library profile `%s`.\n\n", p.Title, p.Library)
		b.WriteString("| Module | Kind | Status | Case / reason | Accepted errors | Library's answer |\n|---|---|---|---|---|---|\n")
		for i := range Modules {
			m := &Modules[i]
			if m.Profile != p.Suite {
				continue
			}
			status := statusText[m.Status]
			reason := m.Reason
			answer := "—"
			if m.HasCase() {
				var reasons, answerParts []string
				for _, pt := range m.Parts() {
					name := m.CaseName(pt)
					// A sub-case's "#" would start the link's fragment.
					link := fmt.Sprintf("(../%s/%s.json)", CaseDir, strings.ReplaceAll(name, "#", "%23"))
					ans := "(not run)"
					if a, ok := answers[name]; ok {
						ans = answerCell(a)
					}
					r := pt.Reason
					if pt.Accepted != nil {
						r += " (The suite accepts here: " + AcceptedSummary(pt.Accepted) + ".)"
					}
					if pt.Name == "" {
						reasons = append(reasons, "[case]"+link+": "+r)
						answerParts = append(answerParts, ans)
					} else {
						reasons = append(reasons, "Step ["+pt.Name+"]"+link+": "+r)
						answerParts = append(answerParts, pt.Name+": "+ans)
					}
				}
				reason = strings.Join(reasons, " ")
				answer = strings.Join(answerParts, "; ")
			}
			if m.Status == NotCovered {
				status = "not covered: " + m.Reason
				reason = ""
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n",
				m.ID, m.Kind, cell(status), cell(reason), cell(AcceptedSummary(m.Accepted)), cell(answer))
		}
	}
	return b.String()
}

// answerCell writes the first violation's code and error, and the outcome.
func answerCell(a Answer) string {
	v, ok := a.First()
	if !ok {
		return "no violation: success"
	}
	return fmt.Sprintf("`%s` / `%s`: %s", v.Code, v.Error, a.Outcome())
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
