// Package casefile reads the JSON case files that describe one FAPI check
// each — a service configuration, optionally a client registration, an
// authorization request and a token request, and the time "now" — and runs
// them through package fapi. The command fapicheck and the library's test
// corpus (testdata/cases) share this format; docs/DESIGN.md, "The case file",
// defines it. Member names follow the standards: service members are
// discovery metadata (RFC 8414), client members are registration metadata
// (RFC 7591, OIDC Registration), request members are wire parameters.
package casefile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/strictjson"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/requestobject"
	"github.com/fapicheck/fapicheck/scope"
)

// MaxSize is the largest case file read, in bytes.
const MaxSize = 4 << 20

// Case is one case file, as Parse reads it (the members are those of
// docs/DESIGN.md §10.2; the request members are converted from the case
// file's own wire shapes to the fapi types).
type Case struct {
	Description string
	Now         time.Time
	Service     *fapi.Service
	// DPoPNonceSecret is the decoded service member dpop_nonce_secret, or
	// nil: the secret of the service's DPoP server nonces. Run gives the
	// case's Checker a dpopnonce.Source for it, with the package's
	// defaults (fapi.WithDPoPNonces).
	DPoPNonceSecret []byte
	Client          *fapi.Client
	// PushedAuthorizationRequest is a request to the PAR endpoint.
	PushedAuthorizationRequest *fapi.PushedAuthorizationRequest
	AuthorizationRequest       *fapi.AuthorizationRequest
	TokenRequest               *fapi.TokenRequest
	// ResourceRequest is a request to a protected resource with an access
	// token.
	ResourceRequest *fapi.ResourceRequest
	// Store, when present, gives the checks a one-time-use store
	// (fapi.WithStore): the keys it already holds, or one that cannot
	// answer. The authorization request then also completes
	// (fapi.Checker.CompleteAuthorization).
	Store *Store
	// Expect is what the case should produce, or nil: fapicheck and the
	// tests judge the report against it (Expectation.Mismatches).
	Expect *Expectation

	// nowAbsent records that the file has no now member.
	nowAbsent bool
}

// Expectation is the expected outcome of a case, its expect member;
// Mismatches judges a report against it.
type Expectation struct {
	Profile string `json:"profile"`
	// Profiles, when present, are the profiles the case's requests were
	// held to (several when their scopes select several).
	Profiles   []string `json:"profiles,omitempty"`
	Violations []string `json:"violations"`
	Waived     []string `json:"waived,omitempty"`
	Ignored    []string `json:"ignored,omitempty"`
}

// Store is the store member of a case file: a one-time-use store holding
// the keys of Used, or, with Unavailable, one whose every call fails.
type Store struct {
	Used        []UsedKey `json:"used"`
	Unavailable bool      `json:"unavailable"`
}

// UsedKey is a key already used: its kind (onetime.KindCode,
// KindClientAssertion, KindDPoPProof, KindRequestURI, KindRefreshToken) and
// the parts the library derives it from (onetime.Key): the code; the
// client_id and the assertion's jti; the proof's key thumbprint and jti
// joined by ":"; the client_id and the request_uri; the refresh token.
type UsedKey struct {
	Kind  string   `json:"kind"`
	Parts []string `json:"parts"`
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
	top, err := parseTop(data)
	if err != nil {
		return nil, nil, err
	}
	warns, cleaned := unknownMembers(data)
	if cleaned != nil {
		top = nil
		if err := json.Unmarshal(cleaned, &top); err != nil {
			return nil, warns, &Error{Err: describeJSONError(cleaned, err, "")}
		}
	}
	var c Case
	warns, err = c.decodeMembers(top, warns)
	if err != nil {
		return nil, warns, err
	}
	if _, ok := top["now"]; !ok {
		c.nowAbsent = true
		if c.AuthorizationRequest != nil || c.TokenRequest != nil || c.PushedAuthorizationRequest != nil || c.ResourceRequest != nil {
			warns = append(warns, Warning{Path: "now", Message: "absent; the current time is used"})
		}
	}
	return &c, warns, nil
}

// parseTop checks the size limit, UTF-8 and strict JSON of a case file and
// splits its top-level object into members.
func parseTop(data []byte) (map[string]json.RawMessage, error) {
	if len(data) > MaxSize {
		return nil, &Error{Err: fmt.Errorf("larger than %d bytes", MaxSize)}
	}
	if !utf8Valid(data) {
		return nil, &Error{Err: errors.New("not valid UTF-8")}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &Error{Err: describeJSONError(data, err, "")}
	}
	// encoding/json keeps the last of repeated members; a case file that
	// says two things about one member is refused instead.
	if err := strictjson.Validate(data, strictjson.Limits{MaxDepth: 64, MaxMembers: 100000}); err != nil {
		var se *strictjson.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, int64(se.Offset))
			return nil, &Error{Err: fmt.Errorf("%s at line %d, column %d", se.Reason, line, col)}
		}
		return nil, &Error{Err: err}
	}
	if top == nil {
		return nil, &Error{Err: errors.New("a case file is a JSON object")}
	}
	return top, nil
}

// decodeMembers decodes the top-level members into their wire shapes and
// converts those into c, one member at a time so that an error names the
// member at fault. An expect member that does not decode is dropped with
// a warning.
func (c *Case) decodeMembers(top map[string]json.RawMessage, warns []Warning) ([]Warning, error) {
	var w caseShape
	steps := []struct {
		name     string
		dst      any
		required bool
		// convert turns the decoded wire shape into the fapi type.
		convert func() error
	}{
		{"description", &w.Description, false, func() error { c.Description = w.Description; return nil }},
		{"now", &w.Now, false, func() error { c.Now = w.Now; return nil }},
		{"service", &w.Service, true, func() (err error) {
			c.Service, c.DPoPNonceSecret, err = w.Service.convert()
			return err
		}},
		{"client", &w.Client, false, func() error { c.Client = w.Client; return nil }},
		{"pushed_authorization_request", &w.PushedAuthorizationRequest, false, func() (err error) {
			c.PushedAuthorizationRequest, err = w.PushedAuthorizationRequest.convert()
			return err
		}},
		{"authorization_request", &w.AuthorizationRequest, false, func() error {
			c.AuthorizationRequest = w.AuthorizationRequest.convert()
			return nil
		}},
		{"token_request", &w.TokenRequest, false, func() (err error) {
			c.TokenRequest, err = w.TokenRequest.convert()
			return err
		}},
		{"resource_request", &w.ResourceRequest, false, func() (err error) {
			c.ResourceRequest, err = w.ResourceRequest.convert()
			return err
		}},
		{"store", &w.Store, false, func() error { c.Store = w.Store; return nil }},
		{"expect", &w.Expect, false, func() error { c.Expect = w.Expect; return nil }},
	}
	for _, s := range steps {
		err := decodeMember(top, s.name, s.dst, s.required)
		if err == nil {
			if cerr := s.convert(); cerr != nil {
				var ce *Error
				if errors.As(cerr, &ce) {
					err = ce // names its member already
				} else {
					err = &Error{Field: s.name, Err: cerr}
				}
			}
		}
		if err != nil && s.name == "expect" {
			// docs/DESIGN.md §10.3: a malformed expect does not stop the
			// case from running; fapicheck counts a case with a warning
			// about expect as not as expected, and the corpus tests refuse
			// warnings.
			c.Expect = nil
			warns = append(warns, Warning{Path: "expect", Message: "not read: " + err.Error()})
			continue
		}
		if err != nil {
			return warns, err
		}
	}
	return warns, nil
}

// decodeMember decodes the top-level member name into dst; a null member
// counts as absent.
func decodeMember(top map[string]json.RawMessage, name string, dst any, required bool) error {
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

// Run checks the case: the service configuration, the client registration
// (if present) and each request present (pushed authorization request,
// authorization request, token request, resource request, in that order),
// and returns one report with all their violations.
//
// A case describes one flow, so its requests decide its profile (docs/DESIGN.md:
// the scopes of a request decide which profile applies):
//
//   - the report's profile is that of the last request check that decided
//     one, none included; when no request check decided one (there are
//     none, or they stopped early: no client, no time), it is that of the
//     client check, or else the service check;
//   - a client registration without a scope member is treated as registered
//     for the scopes the case's requests ask for (RFC 7591 §2 lets a server
//     choose the scopes of a registration that names none), so that a
//     read-only flow is not judged by the read-and-write client rules of
//     another scope the service offers. A registration without a scope in a
//     case without requests is checked against every profile the
//     service offers, as fapi.CheckClient does. A token request whose
//     authorization record has no scope then takes the same scopes, through
//     the client's. A resource request needs no client: its profile comes
//     from the scope in its token's record alone.
//
// A case without a now member is checked at the current time. The checks
// are those of a fapi.Checker for the service, with a DPoP nonce source
// when the service has a dpop_nonce_secret.
func (c *Case) Run() fapi.Report {
	reports, requests := c.run()
	rep := fapi.Merge(append(reports, requests...)...)
	for i := len(requests) - 1; i >= 0; i-- {
		// A request check that stopped before deciding (no client, no
		// time) has no ChosenBy; the profile then comes from the others.
		if r := requests[i]; r.ChosenBy != "" {
			rep.Profile, rep.Profiles, rep.ChosenBy = r.Profile, r.Profiles, r.ChosenBy
			break
		}
	}
	return rep
}

// Reports returns the report of each check Run makes, in order: the
// service, the client (if any), then each request. Each is judged under
// its own profiles, which Run's merged report does not keep apart.
func (c *Case) Reports() []fapi.Report {
	reports, requests := c.run()
	return append(reports, requests...)
}

// run makes the checks of Run: the configuration reports, and the
// request reports.
func (c *Case) run() (reports, requests []fapi.Report) {
	now := c.Time()
	svc := c.Service
	if svc == nil {
		svc = &fapi.Service{}
	}
	ck, rep := fapi.NewChecker(*svc, c.Options()...)
	reports = []fapi.Report{rep}
	var pc *fapi.PreparedClient
	if c.Client != nil {
		client := *c.Client
		if client.Scope == "" {
			client.Scope = c.requestedScope(svc.MaxRequestObjectSize)
		}
		pc = fapi.PrepareClient(client)
		reports = append(reports, ck.CheckClient(pc))
	}
	ctx := context.Background()
	if c.PushedAuthorizationRequest != nil {
		requests = append(requests, ck.PushedAuthorization(ctx, pc, c.PushedAuthorizationRequest, now).Report)
	}
	if c.AuthorizationRequest != nil {
		res := ck.Authorization(pc, c.AuthorizationRequest, now)
		if c.Store != nil && res.OK() {
			// With a store the authorization completes when it passes.
			requests = append(requests, ck.CompleteAuthorization(ctx, res, now))
		} else {
			requests = append(requests, res.Report)
		}
	}
	if c.TokenRequest != nil {
		requests = append(requests, ck.Token(ctx, pc, c.TokenRequest, now).Report)
	}
	if c.ResourceRequest != nil {
		requests = append(requests, ck.Resource(ctx, c.ResourceRequest, now).Report)
	}
	return reports, requests
}

// Time is the time the case is checked at: its now member, or the
// current time when the file has none.
func (c *Case) Time() time.Time {
	if c.nowAbsent {
		return time.Now()
	}
	return c.Now
}

// Options are the fapi.Checker options Run checks the case with: a DPoP
// nonce source for the service's dpop_nonce_secret (fapi.WithDPoPNonces),
// and, when the case has a store member, a fresh one-time-use store
// holding its used keys, or failing every call when it is unavailable
// (fapi.WithStore). Each call makes a new store, so that runs of one case
// do not see each other's uses.
func (c *Case) Options() []fapi.Option {
	now := c.Time()
	var opts []fapi.Option
	if c.DPoPNonceSecret != nil {
		// Parse refused a bad secret; one set by hand that New refuses
		// leaves the Checker without a source, and a service requiring
		// nonces then fails closed.
		if src, err := dpopnonce.New(c.DPoPNonceSecret); err == nil {
			opts = append(opts, fapi.WithDPoPNonces(src))
		}
	}
	if c.Store != nil {
		var store onetime.Store = failingStore{}
		if !c.Store.Unavailable {
			m := onetime.NewMemory(1 << 16)
			for _, k := range c.Store.Used {
				// The keys are held from before the case's time on.
				_, _ = m.FirstUse(context.Background(), now.Add(-time.Minute), onetime.Use{Key: onetime.Key(k.Kind, k.Parts...), Until: now.Add(24 * time.Hour)})
			}
			store = m
		}
		opts = append(opts, fapi.WithStore(store))
	}
	return opts
}

// failingStore is the store of a case whose store is unavailable.
type failingStore struct{}

func (failingStore) FirstUse(context.Context, time.Time, ...onetime.Use) ([]bool, error) {
	return nil, onetime.ErrUnavailable
}

// requestedScope is every scope the case's requests ask for: the scope
// parameter of the pushed and the authorization request, the scope inside
// their request objects (unverified: it only picks the rules the
// registration is held to, and the request checks verify the object), the
// scope of the pushed record, the token request's scope parameter
// (refresh_token and client_credentials), the scope of its authorization
// or refresh token record and of the resource request's access token. A
// malformed value is left out; the request check reports it.
func (c *Case) requestedScope(maxObjectSize int) string {
	var values []string
	add := func(v string) {
		if v != "" && scope.Validate(v) == nil {
			values = append(values, v)
		}
	}
	addObject := func(token string) {
		if token == "" {
			return
		}
		if scopes, ok := requestobject.UnverifiedScope(token, maxObjectSize); ok {
			add(strings.Join(scopes, " "))
		}
	}
	if r := c.PushedAuthorizationRequest; r != nil {
		add(r.Params.Get("scope"))
		addObject(r.Params.Get("request"))
	}
	if r := c.AuthorizationRequest; r != nil {
		add(r.Params.Get("scope"))
		addObject(r.Params.Get("request"))
		addObject(r.RequestObject)
		if r.Pushed != nil {
			add(r.Pushed.Params["scope"])
		}
	}
	if r := c.TokenRequest; r != nil {
		add(r.Params.Get("scope"))
		if r.Authorization != nil {
			add(r.Authorization.Scope)
		}
		if r.Refresh != nil {
			add(r.Refresh.Scope)
		}
	}
	if r := c.ResourceRequest; r != nil && r.Token != nil {
		add(r.Token.Scope)
	}
	return strings.Join(values, " ")
}
