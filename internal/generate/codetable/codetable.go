// Package codetable reads the code table, fapi/codetable.txt, the one
// hand-written list of the library's violation codes, and renders what is
// generated from it: the Code constants with their doc comments
// (fapi/zz_codes_gen.go), the runtime table (fapi/zz_codetable_gen.go) and
// docs/CODES.md.
//
// The table is a text file rather than Go so that nothing in it is written
// twice: each code is one record, and every column the library needs at
// run time — the code string, its constant name, its default OAuth error,
// whether the error may still be redirected to the client, its clauses
// and its summary — is a field of that record. The format is described at
// the top of the file itself.
//
// The clauses a code cites under the profiles' rules are not written in
// the table: its rules field names the fields of profile.Requirements
// whose clauses apply to the code, and the generator adds the clause each
// profile gives them (after the table's own, in the order of profile.All,
// without repeats). A violation's Ref is therefore always one of its
// code's clauses, whatever the profile.
package codetable

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/internal/generate/output"
	"github.com/fapicheck/fapicheck/profile"
)

// The files the generator reads and writes, relative to the module root.
const (
	TableFile     = "fapi/codetable.txt"
	ConstantsFile = "fapi/zz_codes_gen.go"
	RuntimeFile   = "fapi/zz_codetable_gen.go"
	DocFile       = "docs/CODES.md"
	// oauthFile declares the OAuth error constants (OAuthInvalidRequest,
	// ...) the table's error field names by value.
	oauthFile = "fapi/codes.go"
)

// Redirect says whether an authorization error with a code may still be
// sent to the client's redirect URI (RFC 6749 §4.1.2.1: not when the
// client_id or the redirect URI cannot be trusted).
type Redirect string

const (
	// RedirectAllowed: the code says nothing about client_id or
	// redirect_uri; the error may be redirected once both are trusted.
	RedirectAllowed Redirect = "allowed"
	// RedirectStops: the code means client_id, the redirect URI, the
	// request object that carries them or the library's own inputs
	// (configuration, client, clock) cannot be trusted; the error is never
	// redirected.
	RedirectStops Redirect = "stops"
	// RedirectStopsOnField: the error is not redirected when the
	// violation's Field is client_id or redirect_uri.
	RedirectStopsOnField Redirect = "stops-on-field"
)

// untrustedFamilies are the families whose codes concern the library's
// own inputs (the service, the client registration, the profile settings,
// the clock): with any of them the redirect URI is not trusted, so each of
// their codes must say redirect stops.
var untrustedFamilies = []string{"service", "profile", "client", "clock"}

// Entry is one code of the table.
type Entry struct {
	// Code is the code string, "family.reason".
	Code string
	// Name is the Go constant, e.g. CodeRequestObjectExpired.
	Name string
	// Error is the default OAuth error, e.g. "invalid_request_object".
	Error string
	// Redirect says whether the error may be redirected to the client.
	Redirect Redirect
	// Clauses are the table's own clauses; Rules name the fields of
	// profile.Requirements whose clauses are added (see Resolve).
	Clauses []clause.Clause
	Rules   []string
	// All are the clauses with those of the rules added, set by Resolve.
	All []clause.Clause
	// Summary says what the code means.
	Summary string
	// Deprecated is a former constant name kept as an alias.
	Deprecated string
	// line is where the record starts in the table, for error messages.
	line int
}

// Family returns the part of the code before the dot.
func (e Entry) Family() string { f, _, _ := strings.Cut(e.Code, "."); return f }

var (
	codeRe = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*$`)
	nameRe = regexp.MustCompile(`^Code[A-Z][A-Za-z0-9]*$`)
)

// Parse reads the table. Every record needs error, redirect, summary and
// clauses or rules; an unknown field, a repeated code or constant name, or a code
// outside its family heading is an error.
func Parse(r io.Reader) ([]Entry, error) {
	var out []Entry
	family := ""
	codes, names := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(r)
	n := 0
	inRecord := false
	errf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", TableFile, n, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		indented := strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ")
		key, value, _ := strings.Cut(strings.TrimSpace(line), " ")
		value = strings.TrimSpace(value)
		if !indented {
			switch key {
			case "family":
				if value == "" || strings.ContainsAny(value, " .") {
					return nil, errf("family %q is not a single word", value)
				}
				family = value
				inRecord = false
			case "code":
				f := strings.Fields(value)
				if len(f) != 2 {
					return nil, errf("want \"code family.reason ConstantName\"")
				}
				e := Entry{Code: f[0], Name: f[1], line: n}
				switch {
				case !codeRe.MatchString(e.Code):
					return nil, errf("code %q is not family.reason", e.Code)
				case e.Family() != family:
					return nil, errf("code %s is not of family %q", e.Code, family)
				case !nameRe.MatchString(e.Name):
					return nil, errf("constant name %q does not start with Code", e.Name)
				case codes[e.Code]:
					return nil, errf("code %s is listed twice", e.Code)
				case names[e.Name]:
					return nil, errf("constant %s is listed twice", e.Name)
				}
				codes[e.Code], names[e.Name] = true, true
				out = append(out, e)
				inRecord = true
			default:
				return nil, errf("unknown record %q (want family or code)", key)
			}
			continue
		}
		if !inRecord {
			return nil, errf("field %q outside a code record", key)
		}
		e := &out[len(out)-1]
		switch key {
		case "error":
			e.Error = value
		case "redirect":
			e.Redirect = Redirect(value)
		case "clauses":
			for _, c := range strings.Fields(value) {
				cl := clause.Clause(c)
				if _, _, _, ok := cl.Parse(); !ok {
					return nil, errf("%s: clause %q is not in the library's citation format (package clause)", e.Code, c)
				}
				if slices.Contains(e.Clauses, cl) {
					return nil, errf("%s: clause %s is listed twice", e.Code, c)
				}
				e.Clauses = append(e.Clauses, cl)
			}
		case "rules":
			e.Rules = strings.Fields(value)
		case "summary":
			e.Summary = value
		case "deprecated":
			if !nameRe.MatchString(value) || names[value] {
				return nil, errf("%s: deprecated name %q is not a new constant name", e.Code, value)
			}
			names[value] = true
			e.Deprecated = value
		default:
			return nil, errf("%s: unknown field %q", e.Code, key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, e := range out {
		n = e.line
		switch {
		case e.Error == "":
			return nil, errf("%s has no error", e.Code)
		case e.Summary == "":
			return nil, errf("%s has no summary", e.Code)
		case len(e.Clauses) == 0 && len(e.Rules) == 0:
			return nil, errf("%s has neither clauses nor rules", e.Code)
		case strings.Contains(e.Summary, "|"):
			return nil, errf("%s: a summary must not contain |", e.Code)
		}
		switch e.Redirect {
		case RedirectAllowed, RedirectStops, RedirectStopsOnField:
		default:
			return nil, errf("%s: redirect is %q, want %s, %s or %s", e.Code, e.Redirect, RedirectAllowed, RedirectStops, RedirectStopsOnField)
		}
		if slices.Contains(untrustedFamilies, e.Family()) && e.Redirect != RedirectStops {
			return nil, errf("%s: every code of family %s concerns the library's own inputs and must say redirect %s", e.Code, e.Family(), RedirectStops)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no codes", TableFile)
	}
	return out, nil
}

// Resolve sets each entry's All: its own clauses, then the clause every
// profile (in the order of profile.All) gives each of its rules, in the
// order the rules are listed, skipping unset clauses and repeats. A rule
// is a field path of profile.Requirements ("Keys.RSA", "Redirect.HTTPS")
// naming a clause.Clause, or a struct with a Clause field (a Rule[T]).
//
// A clause is stated once: an own clause that a rule gives as well is an
// error unless listing it moves it earlier (which makes it the default
// Ref ahead of the ones after it).
func Resolve(entries []Entry) error {
	for i := range entries {
		e := &entries[i]
		all, err := resolve(e.Clauses, e.Rules)
		if err != nil {
			return fmt.Errorf("%s:%d: %s: %w", TableFile, e.line, e.Code, err)
		}
		if len(all) == 0 {
			return fmt.Errorf("%s:%d: %s: no clause applies under any profile", TableFile, e.line, e.Code)
		}
		for j, c := range e.Clauses {
			without, _ := resolve(slices.Delete(slices.Clone(e.Clauses), j, j+1), e.Rules)
			if slices.Equal(without, all) {
				return fmt.Errorf("%s:%d: %s: clause %s comes from its rules already; remove it from clauses", TableFile, e.line, e.Code, c)
			}
		}
		e.All = all
	}
	return nil
}

// resolve returns own followed by the clauses the profiles give rules.
func resolve(own []clause.Clause, rules []string) ([]clause.Clause, error) {
	clauseType := reflect.TypeFor[clause.Clause]()
	all := slices.Clone(own)
	for _, p := range profile.All() {
		r, ok := p.Requirements()
		if !ok {
			continue
		}
		for _, path := range rules {
			v := reflect.ValueOf(r)
			for _, f := range strings.Split(path, ".") {
				if v.Kind() != reflect.Struct {
					return nil, fmt.Errorf("rule %s: %s is not a struct", path, v.Type())
				}
				v = v.FieldByName(f)
				if !v.IsValid() {
					return nil, fmt.Errorf("rule %s: profile.Requirements has no field %s", path, f)
				}
			}
			if v.Kind() == reflect.Struct {
				v = v.FieldByName("Clause")
			}
			if !v.IsValid() || v.Type() != clauseType {
				return nil, fmt.Errorf("rule %s is neither a clause.Clause nor a rule with a Clause", path)
			}
			if c := clause.Clause(v.String()); c.Applies() && !slices.Contains(all, c) {
				all = append(all, c)
			}
		}
	}
	return all, nil
}

// Load reads and resolves the table of the module at root.
func Load(root string) ([]Entry, error) {
	data, err := os.ReadFile(filepath.Join(root, TableFile))
	if err != nil {
		return nil, err
	}
	entries, err := Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if err := Resolve(entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// oauthConstants maps each OAuth error string to the name of its constant
// in package fapi, read from the source of fapi/codes.go.
func oauthConstants(root string) (map[string]string, error) {
	path := filepath.Join(root, oauthFile)
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "OAuth") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						return nil, err
					}
					out[v] = name.Name
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s declares no OAuth error constants", oauthFile)
	}
	return out, nil
}

// Files renders every file generated from the table of the module at
// root, keyed by their paths relative to it.
func Files(root string) (map[string][]byte, error) {
	entries, err := Load(root)
	if err != nil {
		return nil, err
	}
	oauth, err := oauthConstants(root)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if _, ok := oauth[e.Error]; !ok {
			return nil, fmt.Errorf("%s:%d: %s: error %q is none of the OAuth error constants of %s", TableFile, e.line, e.Code, e.Error, oauthFile)
		}
	}
	consts, err := format.Source(constants(entries))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ConstantsFile, err)
	}
	runtime, err := format.Source(runtimeTable(entries, oauth))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", RuntimeFile, err)
	}
	return map[string][]byte{
		ConstantsFile: consts,
		RuntimeFile:   runtime,
		DocFile:       Markdown(entries),
	}, nil
}

const header = "// Code generated by " + output.Command + " from " + TableFile + "; DO NOT EDIT.\n\n"

// constants renders the Code constants, one group per family, each with a
// doc comment made of the table's columns.
func constants(entries []Entry) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package fapi\n\n")
	b.WriteString("// The violation codes, one per record of the code table (" + TableFile + ",\n")
	b.WriteString("// listed with their clauses in " + DocFile + "). CodeInfos and Code.Info give\n")
	b.WriteString("// each code's default OAuth error, clauses and summary at run time.\n")
	b.WriteString("const (\n")
	family := ""
	for _, e := range entries {
		if e.Family() != family {
			if family != "" {
				b.WriteString("\n")
			}
			family = e.Family()
		}
		text := fmt.Sprintf("%s (%s): %s. Default error %s; clauses %s.", e.Name, e.Code, e.Summary, e.Error, joinClauses(e.All, ", "))
		switch e.Redirect {
		case RedirectStops:
			text += " An authorization error with this code is never redirected to the client (AuthorizationResult.ErrorRedirectURI)."
		case RedirectStopsOnField:
			text += " An authorization error with this code is not redirected to the client when its Field is client_id or redirect_uri (AuthorizationResult.ErrorRedirectURI)."
		}
		comment(&b, "\t", text)
		fmt.Fprintf(&b, "\t%s Code = %q\n", e.Name, e.Code)
		if e.Deprecated != "" {
			comment(&b, "\t", fmt.Sprintf("%s is the former name of %s (%s, a client registration without client_id).", e.Deprecated, e.Name, e.Code))
			b.WriteString("\t//\n")
			comment(&b, "\t", fmt.Sprintf("Deprecated: use %s; the old name is easily confused with CodeClientIDMissing (client_id.missing, a request without client_id).", e.Name))
			fmt.Fprintf(&b, "\t%s = %s\n", e.Deprecated, e.Name)
		}
	}
	b.WriteString(")\n")
	return b.Bytes()
}

// comment writes text as a // comment wrapped at about 76 columns.
func comment(b *bytes.Buffer, indent, text string) {
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > 76 {
			fmt.Fprintf(b, "%s// %s\n", indent, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	fmt.Fprintf(b, "%s// %s\n", indent, line)
}

var redirectConst = map[Redirect]string{
	RedirectAllowed:      "redirectAllowed",
	RedirectStops:        "redirectStops",
	RedirectStopsOnField: "redirectStopsOnField",
}

// runtimeTable renders codeTable and codeIndex.
func runtimeTable(entries []Entry, oauth map[string]string) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package fapi\n\n")
	b.WriteString("import \"github.com/fapicheck/fapicheck/clause\"\n\n")
	b.WriteString("// codeTable is the code table: each code's default OAuth error, its\n")
	b.WriteString("// clauses (the table's own, then those the profiles' rules give it), its\n")
	b.WriteString("// summary and whether its error may be redirected to the client.\n")
	b.WriteString("var codeTable = [...]codeRow{\n")
	for _, e := range entries {
		quoted := make([]string, len(e.All))
		for i, c := range e.All {
			quoted[i] = strconv.Quote(string(c))
		}
		fmt.Fprintf(&b, "\t{CodeInfo{%s, %s, []clause.Clause{%s}, %q}, %s},\n",
			e.Name, oauth[e.Error], strings.Join(quoted, ", "), e.Summary, redirectConst[e.Redirect])
	}
	b.WriteString("}\n\n")
	b.WriteString("// codeIndex is the position of each code in codeTable.\n")
	b.WriteString("var codeIndex = map[Code]int{\n")
	for i, e := range entries {
		fmt.Fprintf(&b, "\t%s: %d,\n", e.Name, i)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

var redirectDoc = map[Redirect]string{
	RedirectAllowed:      "yes",
	RedirectStops:        "never",
	RedirectStopsOnField: "not for client_id, redirect_uri",
}

// Markdown renders docs/CODES.md.
func Markdown(entries []Entry) []byte {
	var b bytes.Buffer
	b.WriteString("# Violation codes\n\n")
	fmt.Fprintf(&b, "Generated from the code table (`%s`) by `%s`; a test fails when the two differ.\n", TableFile, output.Command)
	b.WriteString("Codes are stable: they are never renamed. `Error` is the OAuth error a server answers with by default (a violation may carry another where noted); `Clauses` are the requirement IDs a violation with this code may cite in its `ref`.\n")
	b.WriteString("A `client.*` violation found while checking a request carries the error of that endpoint instead: `invalid_request_object` (authorization endpoint) or `invalid_client` (token and PAR endpoints) when the registered keys are at fault, `unauthorized_client` otherwise.\n")
	b.WriteString("At the resource check point (`CheckResourceRequest`) every violation carries an error of RFC 6750 §3.1 or RFC 9449 §7.1 (`invalid_request`, `invalid_token`, `insufficient_scope`, `invalid_dpop_proof`), or `server_error`: a code whose default is another (`scope.malformed` for the scope in the token's record, say) answers `invalid_token` there.\n")
	b.WriteString("`Redirect` says whether an authorization error with this code may be sent to the client's redirect URI once client_id and redirect_uri are otherwise trusted (`AuthorizationResult.ErrorRedirectURI`, RFC 6749 §4.1.2.1): `never` when the code means they, the request object carrying them or the library's own inputs cannot be trusted; `not for client_id, redirect_uri` when the violation's field is one of those.\n")
	family := ""
	for _, e := range entries {
		if f := e.Family(); f != family {
			family = f
			fmt.Fprintf(&b, "\n## %s\n\n| Code | Error | Redirect | Clauses | Meaning |\n|---|---|---|---|---|\n", f)
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", e.Code, e.Error, redirectDoc[e.Redirect], joinClauses(e.All, ", "), e.Summary)
	}
	return b.Bytes()
}

func joinClauses(cs []clause.Clause, sep string) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return strings.Join(out, sep)
}
