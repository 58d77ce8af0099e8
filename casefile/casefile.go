// Package casefile reads the JSON case files that describe one FAPI check
// each — a service configuration, optionally a client registration, an
// authorization request and a token request, and the time "now" — and runs
// them through package fapi. The command fapicheck and the library's test
// corpus (testdata/cases) share this format; DESIGN.md, "The case file",
// defines it. Member names follow the standards: service members are
// discovery metadata (RFC 8414), client members are registration metadata
// (RFC 7591, OIDC Registration), request members are wire parameters.
package casefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// MaxSize is the largest case file read, in bytes.
const MaxSize = 4 << 20

// Case is one case file.
type Case struct {
	Description string        `json:"description,omitempty"`
	Now         time.Time     `json:"now"`
	Service     *fapi.Service `json:"service"`
	Client      *fapi.Client  `json:"client,omitempty"`
	// PushedAuthorizationRequest is a request to the PAR endpoint.
	PushedAuthorizationRequest *fapi.PushedAuthorizationRequest `json:"pushed_authorization_request,omitempty"`
	AuthorizationRequest       *fapi.AuthorizationRequest       `json:"authorization_request,omitempty"`
	TokenRequest               *fapi.TokenRequest               `json:"token_request,omitempty"`
	// Expect is what the case should produce; only tests read it.
	Expect *Expectation `json:"expect,omitempty"`

	// nowAbsent records that the file has no now member.
	nowAbsent bool
}

// Expectation is the expected outcome of a case.
type Expectation struct {
	Profile    string   `json:"profile"`
	Violations []string `json:"violations"`
	Waived     []string `json:"waived,omitempty"`
	Ignored    []string `json:"ignored,omitempty"`
}

// Warning is a problem that does not stop a case from loading: an unknown
// member (a typo must be visible; a newer file must still load).
type Warning struct {
	Path    string // JSON path of the member, e.g. "service.scopez"
	Message string
}

// String formats the warning as "path: message".
func (w Warning) String() string { return w.Path + ": " + w.Message }

// Error is a case file that cannot be read. It names the file and the
// member at fault.
type Error struct {
	File  string // file name, or "" when parsing bytes
	Field string // JSON path of the member at fault, or ""
	Err   error
}

// Error formats the error as "file: field path: cause".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrRequired is the cause when a required member is missing.
var ErrRequired = errors.New("required member is missing")

// Load reads and parses a case file.
func Load(path string) (*Case, []Warning, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{File: path, Err: err}
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(ioLimit(f, MaxSize+1)); err != nil {
		return nil, nil, &Error{File: path, Err: err}
	}
	c, warns, err := Parse(buf.Bytes())
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = path
			return nil, warns, ce
		}
		return nil, warns, &Error{File: path, Err: err}
	}
	return c, warns, nil
}

// Parse parses a case file's content. Members are decoded one at a time so
// that an error names the member at fault. Unknown members are returned as
// warnings.
func Parse(data []byte) (*Case, []Warning, error) {
	if len(data) > MaxSize {
		return nil, nil, &Error{Err: fmt.Errorf("larger than %d bytes", MaxSize)}
	}
	if !utf8Valid(data) {
		return nil, nil, &Error{Err: errors.New("not valid UTF-8")}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, nil, &Error{Err: describeJSONError(data, err, "")}
	}
	// encoding/json keeps the last of repeated members; a case file that
	// says two things about one member is refused instead.
	if err := strictjson.Validate(data, strictjson.Limits{MaxDepth: 64, MaxMembers: 100000}); err != nil {
		var se *strictjson.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, int64(se.Offset))
			return nil, nil, &Error{Err: fmt.Errorf("%s at line %d, column %d", se.Reason, line, col)}
		}
		return nil, nil, &Error{Err: err}
	}
	if top == nil {
		return nil, nil, &Error{Err: errors.New("a case file is a JSON object")}
	}
	var c Case
	warns, caseErr := unknownMembers(data)
	if caseErr != nil {
		return nil, warns, caseErr
	}
	decode := func(name string, dst any, required bool) error {
		raw, ok := top[name]
		if !ok || string(bytes.TrimSpace(raw)) == "null" {
			if required {
				return &Error{Field: name, Err: ErrRequired}
			}
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return &Error{Field: fieldOf(name, err), Err: describeJSONError(raw, err, name)}
		}
		return nil
	}
	steps := []struct {
		name     string
		dst      any
		required bool
	}{
		{"description", &c.Description, false},
		{"now", &c.Now, false},
		{"service", &c.Service, true},
		{"client", &c.Client, false},
		{"pushed_authorization_request", &c.PushedAuthorizationRequest, false},
		{"authorization_request", &c.AuthorizationRequest, false},
		{"token_request", &c.TokenRequest, false},
		{"expect", &c.Expect, false},
	}
	for _, s := range steps {
		if err := decode(s.name, s.dst, s.required); err != nil {
			return nil, warns, err
		}
	}
	if _, ok := top["now"]; !ok {
		c.nowAbsent = true
		if c.AuthorizationRequest != nil || c.TokenRequest != nil || c.PushedAuthorizationRequest != nil {
			warns = append(warns, Warning{Path: "now", Message: "absent; the current time is used"})
		}
	}
	return &c, warns, nil
}

// Run checks the case: the service configuration, the client registration
// (if present) and each request present (pushed authorization request,
// authorization request, token request, in that order), and returns one report with all
// their violations; its profile is that of the last check that applied one.
// A case without a now member is checked at the current time.
func (c *Case) Run() fapi.Report {
	now := c.Now
	if c.nowAbsent {
		now = time.Now()
	}
	svc := c.Service
	if svc == nil {
		svc = &fapi.Service{}
	}
	reports := []fapi.Report{fapi.CheckService(svc)}
	var pc *fapi.PreparedClient
	if c.Client != nil {
		pc = fapi.PrepareClient(*c.Client)
		reports = append(reports, fapi.CheckClient(svc, pc))
	}
	if c.PushedAuthorizationRequest != nil {
		reports = append(reports, fapi.CheckPushedAuthorizationRequest(svc, pc, c.PushedAuthorizationRequest, now))
	}
	if c.AuthorizationRequest != nil {
		reports = append(reports, fapi.CheckAuthorizationRequest(svc, pc, c.AuthorizationRequest, now))
	}
	if c.TokenRequest != nil {
		reports = append(reports, fapi.CheckTokenRequest(svc, pc, c.TokenRequest, now))
	}
	return fapi.Merge(reports...)
}
