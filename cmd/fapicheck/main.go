// Command fapicheck checks FAPI case files: for each file it checks the
// service configuration, the client registration (if present) and each
// request present, and prints one JSON report per case with all their
// violations.
//
// Usage:
//
//	fapicheck CASE.json...
//
// Exit status: 0 when no case has a violation, 1 when some do, 2 when an
// input cannot be read (the message names the file and the member). Unknown
// members are reported as warnings on standard error and otherwise ignored
// (see package casefile for how a case's profile is decided).
// A request_uri is never fetched: put the resolved object in
// authorization_request.request_object.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
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

func run(args []string, stdout, stderr io.Writer) int {
	endOfOptions := len(args) > 0 && args[0] == "--" // then "-h" is a file name
	if endOfOptions {
		args = args[1:]
	}
	if len(args) == 0 || !endOfOptions && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(stderr, "usage: fapicheck CASE.json...")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	for _, path := range args {
		c, warns, err := casefile.Load(path)
		for _, w := range warns {
			fmt.Fprintf(stderr, "fapicheck: %s: warning: %s\n", path, w)
		}
		if err != nil {
			fmt.Fprintf(stderr, "fapicheck: %v\n", err)
			status = 2
			continue
		}
		rep := c.Run()
		if err := enc.Encode(output{File: path, Description: c.Description, Report: rep}); err != nil {
			fmt.Fprintf(stderr, "fapicheck: %s: %v\n", path, err)
			status = 2
			continue
		}
		if !rep.OK() && status == 0 {
			status = 1
		}
	}
	return status
}
