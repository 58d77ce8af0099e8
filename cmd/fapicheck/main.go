// Command fapicheck checks FAPI case files: for each file it checks the
// service configuration, the client registration (if present) and each
// request present, and tells whether the case came out as the file expects
// (see package casefile for the format and how a case's profile is decided).
//
// Usage:
//
//	fapicheck [-q | -json] [-ignore-expect] CASE.json...
//
// By default it prints one line per case — its judgement, the file, the
// profile decided and OK or the violation codes — and a total line:
//
//	as expected  testdata/cases/request-object-expired.json    fapi1-read-write  request_object.expired
//	as expected  testdata/cases/valid-rw-private-key-jwt.json  fapi1-read-write  OK
//	2 cases: 2 as expected, 0 not
//
// A case with an expect member is judged against it (casefile's
// Expectation.Mismatches: the profile and the exact list of violation
// codes, and the profiles, waived codes and ignored parameters it lists): "as
// expected", or "UNEXPECTED" with a line for each difference. A case
// without one is "accepted" when it has no violation and "REFUSED" when it
// has some. A warning about the expect member (malformed, or with an unknown
// member) makes the case UNEXPECTED: an expectation the tool cannot read is
// never met.
//
// Flags (they may also follow the file names; -- ends them):
//
//	-json           print the full JSON report of each case instead (file,
//	                description, profile, profiles, chosen_by, violations,
//	                waived, ignored), one object per case, nothing else
//	-q              print only the UNEXPECTED and REFUSED cases, and the total line
//	-ignore-expect  judge every case as if it had no expect member
//	-h, -help       print the usage, the flags and the exit status
//
// Exit status:
//
//	0  every case is "as expected" or "accepted"
//	1  some case is UNEXPECTED or REFUSED
//	2  a usage error (an unknown flag, no case file, -q with -json) or a
//	   case file that cannot be read (the message names the file and the
//	   member); 2 wins over 1
//
// The decision: the bundled corpus, whose cases mostly declare the
// violations they must produce, exits 0 when every case comes out as
// declared, while a request file without an expect member still exits 1 when
// the request is refused. Earlier versions exited 1 on any violation, also
// for a case whose expect member declares it; -ignore-expect keeps that, and
// -json prints byte for byte what they printed.
//
// Unknown members are reported as warnings on standard error and otherwise
// ignored. A request_uri is never fetched: put the resolved object in
// authorization_request.request_object.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// output is one case's report as printed.
type output struct {
	File        string `json:"file"`
	Description string `json:"description,omitempty"`
	fapi.Report
}

// MarshalJSON flattens the report next to file and description.
func (o output) MarshalJSON() ([]byte, error) {
	rep, err := json.Marshal(o.Report)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(rep, &fields); err != nil {
		return nil, err
	}
	head, err := json.Marshal(struct {
		File        string `json:"file"`
		Description string `json:"description,omitempty"`
	}{o.File, o.Description})
	if err != nil {
		return nil, err
	}
	// Keep a stable member order: file, description, then the report's.
	buf := head[:len(head)-1]
	for _, k := range []string{"profile", "profiles", "chosen_by", "violations", "waived", "ignored"} {
		buf = append(buf, ',')
		kb, _ := json.Marshal(k)
		buf = append(buf, kb...)
		buf = append(buf, ':')
		buf = append(buf, fields[k]...)
	}
	return append(buf, '}'), nil
}

// usageLine is the one-line synopsis, also printed after a usage error.
const usageLine = "usage: fapicheck [-q | -json] [-ignore-expect] CASE.json..."

// usageText follows the synopsis in the -h output; the flags follow it.
const usageText = `
Checks each FAPI case file and prints one line per case: its judgement, the
file, the profile decided and OK or the violation codes; then a total line.
A case with an expect member is "as expected" or UNEXPECTED (each difference
follows on its own line); a case without one is "accepted" (no violation) or
REFUSED. A warning about the expect member makes the case UNEXPECTED.

Flags (they may also follow the file names; -- ends them):
`

// exitText ends the -h output.
const exitText = `  -h, -help
    	print this help

Exit status:
  0  every case is "as expected" or "accepted"
  1  some case is UNEXPECTED or REFUSED
  2  a usage error (an unknown flag, no case file, -q with -json) or a case
     file that cannot be read; 2 wins over 1
`

// options are the command's flags.
type options struct {
	json, quiet, ignoreExpect bool
}

// parseArgs reads the flags, which may come before, between or after the
// file names (a lone "--" ends them), and returns the options and the
// files; status is -1 to go on, else the exit status (0 after -h).
func parseArgs(args []string, stdout, stderr io.Writer) (o options, files []string, status int) {
	fs := flag.NewFlagSet("fapicheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed below, usage on -h
	fs.Usage = func() {}
	fs.BoolVar(&o.json, "json", false, "print the full JSON report of each case instead of the summary")
	fs.BoolVar(&o.quiet, "q", false, "print only the UNEXPECTED and REFUSED cases, and the total line")
	fs.BoolVar(&o.ignoreExpect, "ignore-expect", false, "judge every case as if it had no expect member\n(exit status 1 when any case has a violation)")
	usageError := func(msg string) (options, []string, int) {
		fmt.Fprintf(stderr, "fapicheck: %s\n%s\n(fapicheck -h for help)\n", msg, usageLine)
		return o, nil, 2
	}
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usageLine, "\n", usageText)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				fmt.Fprint(stdout, exitText)
				return o, nil, 0
			}
			return usageError(err.Error())
		}
		rest := fs.Args()
		// Every flag is boolean and takes no separate value, so a "--"
		// just before the rest is the terminator Parse consumed.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			files = append(files, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
	switch {
	case len(files) == 0:
		return usageError("no case file")
	case o.quiet && o.json:
		return usageError("-q and -json cannot be combined")
	}
	return o, files, -1
}

// verdict is one case's judgement.
type verdict struct {
	file    string
	profile string
	codes   []string
	// expect tells whether the case was judged against an expectation;
	// bad whether the case makes the exit status 1 (UNEXPECTED, or
	// REFUSED without an expectation); diffs are the differences from
	// the expectation.
	expect, bad bool
	diffs       []string
}

// status is the first column of the case's line.
func (v verdict) status() string {
	switch {
	case v.expect && !v.bad:
		return "as expected"
	case v.expect:
		return "UNEXPECTED"
	case !v.bad:
		return "accepted"
	}
	return "REFUSED"
}

// outcome is the last column: OK or the violation codes.
func (v verdict) outcome() string {
	switch {
	case len(v.codes) > 0:
		return strings.Join(v.codes, " ")
	case v.profile == string(profile.None):
		// Accepted under the plain OAuth 2.0 / OpenID Connect rules only
		// (fapi.Report.FAPI): say so, a server that must apply FAPI
		// refuses such a request.
		return "OK (no FAPI profile)"
	}
	return "OK"
}

// judge decides the verdict of the case c loaded with warnings warns and
// run with report rep.
func judge(file string, c *casefile.Case, warns []casefile.Warning, rep fapi.Report, o options) verdict {
	v := verdict{file: file, profile: string(rep.Profile)}
	for _, x := range rep.Violations {
		v.codes = append(v.codes, string(x.Code))
	}
	if o.ignoreExpect {
		v.bad = !rep.OK()
		return v
	}
	var unread []string
	for _, w := range warns {
		if w.Path == "expect" || strings.HasPrefix(w.Path, "expect.") {
			unread = append(unread, w.Path)
		}
	}
	if len(unread) > 0 {
		// An expectation not read in full is never met.
		v.expect, v.bad = true, true
		v.diffs = []string{"expect not read in full: " + strings.Join(unread, ", ") + " (see the warnings)"}
		return v
	}
	if c.Expect == nil {
		v.bad = !rep.OK()
		return v
	}
	v.expect = true
	for _, m := range c.Expect.Mismatches(rep) {
		v.diffs = append(v.diffs, m.String())
	}
	v.bad = len(v.diffs) > 0
	return v
}

// maxFileWidth caps the file column: a longer name only pushes its own line.
const maxFileWidth = 60

// summarize prints the verdicts' lines (only the bad ones when quiet) and
// the total line; unreadable is the number of files that could not be read.
func summarize(w io.Writer, vs []verdict, unreadable int, quiet bool) {
	var shown []verdict
	fileW, profW := 0, 0
	for _, v := range vs {
		if quiet && !v.bad {
			continue
		}
		shown = append(shown, v)
		fileW = max(fileW, min(len(v.file), maxFileWidth))
		profW = max(profW, len(v.profile))
	}
	const statusW = len("as expected")
	for _, v := range shown {
		fmt.Fprintf(w, "%-*s  %-*s  %-*s  %s\n", statusW, v.status(), fileW, v.file, profW, v.profile, v.outcome())
		for _, d := range v.diffs {
			fmt.Fprintf(w, "%*s  %s\n", statusW, "", d)
		}
	}
	var withExpect, unexpected, accepted, refused int
	for _, v := range vs {
		switch {
		case v.expect:
			withExpect++
			if v.bad {
				unexpected++
			}
		case v.bad:
			refused++
		default:
			accepted++
		}
	}
	var parts []string
	if withExpect > 0 {
		parts = append(parts, fmt.Sprintf("%d as expected, %d not", withExpect-unexpected, unexpected))
	}
	if without := accepted + refused; without > 0 {
		p := fmt.Sprintf("%d accepted, %d refused", accepted, refused)
		if withExpect > 0 {
			p = fmt.Sprintf("%d without expect: %s", without, p)
		}
		parts = append(parts, p)
	}
	if unreadable > 0 {
		parts = append(parts, fmt.Sprintf("%d unreadable", unreadable))
	}
	fmt.Fprintf(w, "%s: %s\n", plural(len(vs), "case"), strings.Join(parts, "; "))
}

// plural formats n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func run(args []string, stdout, stderr io.Writer) int {
	o, files, status := parseArgs(args, stdout, stderr)
	if status >= 0 {
		return status
	}
	status = 0
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	var verdicts []verdict
	unreadable := 0
	for _, path := range files {
		c, warns, err := casefile.Load(path)
		for _, w := range warns {
			fmt.Fprintf(stderr, "fapicheck: %s: warning: %s\n", path, w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "fapicheck: %v\n", err)
			status = 2
			unreadable++
			continue
		}
		rep := c.Run()
		if o.json {
			if err := enc.Encode(output{File: path, Description: c.Description, Report: rep}); err != nil {
				fmt.Fprintf(stderr, "fapicheck: %s: %v\n", path, err)
				status = 2
				continue
			}
		}
		v := judge(path, c, warns, rep, o)
		verdicts = append(verdicts, v)
		if v.bad && status == 0 {
			status = 1
		}
	}
	if !o.json {
		summarize(out, verdicts, unreadable, o.quiet)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "fapicheck: writing the output: %v\n", err)
		return 2
	}
	return status
}
