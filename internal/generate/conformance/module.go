package conformance

// Kind is the suite's kind of a module.
type Kind string

// The kinds, as the suite's module list names them.
const (
	// Negative: the server must reject.
	Negative Kind = "negative"
	// Conditional: the suite accepts a rejection or a specified success.
	Conditional Kind = "conditional"
	// Positive: the flow must succeed.
	Positive Kind = "positive"
	// Mixed: a successful flow with negative steps inside.
	Mixed Kind = "mixed"
)

// Status says how the library accounts for a module.
type Status string

// The statuses.
const (
	// Covered: a negative, conditional or mixed module whose decision the
	// library makes; its case file expects the violations declared here.
	Covered Status = "covered"
	// PositiveCase: a success module the library can judge; its case file
	// expects no violations.
	PositiveCase Status = "positive"
	// Caller: the decision needs a step the library does not see — the
	// user's answer at login or consent, a consent record of the caller's
	// own — so only the user or the resource owner can make it; Reason
	// names the hook or record the library offers for it.
	Caller Status = "caller"
	// OutOfScope: transport, HTTP handling or user interface, or a rule or
	// endpoint of an ecosystem profile the library does not implement.
	OutOfScope Status = "out-of-scope"
	// NotCovered: the library's behaviour contradicts the suite; Reason
	// says how, and no case is kept.
	NotCovered Status = "not-covered"
)

// The suite's profile names, as its module list spells them.
const (
	SuiteFAPI1ReadOnly  = "fapi1-id2-ro"
	SuiteFAPI1ReadWrite = "fapi1-id2-rw"
	SuiteFAPI1Advanced  = "fapi1-adv-final"
	SuiteFAPI2Security  = "fapi2-sp"
	SuiteFAPI2Signing   = "fapi2-ms"
)

// SuiteProfiles lists the suite's profiles in the order CONFORMANCE.md
// shows them, with the library profile each maps to.
var SuiteProfiles = []struct{ Suite, Library, Title string }{
	{SuiteFAPI1ReadOnly, "fapi1-read-only", "FAPI 1.0 ID2 read-only (removed plan fapi-r-test-plan)"},
	{SuiteFAPI1ReadWrite, "fapi1-read-write", "FAPI 1.0 ID2 read-and-write (removed plan fapi-rw-id2-test-plan)"},
	{SuiteFAPI1Advanced, "fapi1-advanced", "FAPI 1.0 Final Advanced (fapi1-advanced-final-test-plan)"},
	{SuiteFAPI2Security, "fapi2-security", "FAPI 2.0 Security Profile Final (in both the SP and the Message Signing plans)"},
	{SuiteFAPI2Signing, "fapi2-message-signing", "FAPI 2.0 Message Signing Final only (and the ConnectID modules)"},
}

// Target is the outcome the suite accepts that a covered module's case
// aims at.
type Target string

// The targets.
const (
	// TargetPAR: the PAR endpoint answers with an error (HTTP 400, or 405
	// for the method).
	TargetPAR Target = "par"
	// TargetRedirect: the authorization endpoint redirects the error to the
	// client (AuthorizationResult.ErrorRedirectURI says it may).
	TargetRedirect Target = "redirect"
	// TargetErrorPage: the authorization endpoint shows an error page
	// (AuthorizationResult.ErrorRedirectURI says the error must not be redirected).
	TargetErrorPage Target = "error-page"
	// TargetToken: the token endpoint answers with an error.
	TargetToken Target = "token"
	// TargetResource: the resource server answers with an error
	// (ResourceResult.Status and its WWW-Authenticate challenge).
	TargetResource Target = "resource"
	// TargetSuccess: no violation; the flow goes on.
	TargetSuccess Target = "success"
)

// Outcome is one answer the suite accepts for a module, as its module list
// writes it.
type Outcome struct {
	// Where: par, authorization, token, resource, consent or any.
	Where string `json:"where"`
	// HTTP is the status the suite checks, as it writes it.
	HTTP string `json:"http,omitempty"`
	// Error are the OAuth errors accepted in a JSON error response.
	Error []string `json:"error,omitempty"`
	// RedirectError are the OAuth errors accepted in an error redirected to
	// the client.
	RedirectError []string `json:"redirect_error,omitempty"`
	// ErrorPage: the server may keep the user on its own error page.
	ErrorPage bool `json:"error_page,omitempty"`
	// Success: the flow may complete.
	Success bool `json:"success,omitempty"`
	// TLSHandshakeRejected: dropping the TLS handshake is accepted.
	TLSHandshakeRejected bool `json:"tls_handshake_rejected,omitempty"`
	// Note is the suite's remark (a warning only, the value expected).
	Note string `json:"note,omitempty"`
}

// anyRFC6749Error is how the module list writes "any error of RFC 6749
// §5.2".
const anyRFC6749Error = "any RFC6749 error"

// rfc6749Errors are the token endpoint errors of RFC 6749 §5.2.
var rfc6749Errors = []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"}

func par(http string, errs ...string) Outcome {
	return Outcome{Where: "par", HTTP: http, Error: errs}
}

func token(http string, errs ...string) Outcome {
	return Outcome{Where: "token", HTTP: http, Error: errs}
}

func resource(http string) Outcome { return Outcome{Where: "resource", HTTP: http} }

func consent(http string) Outcome { return Outcome{Where: "consent", HTTP: http} }

func redirect(errs ...string) Outcome {
	return Outcome{Where: "authorization", RedirectError: errs}
}

func redirectNote(note string, errs ...string) Outcome {
	return Outcome{Where: "authorization", RedirectError: errs, Note: note}
}

func errorPage() Outcome { return Outcome{Where: "authorization", ErrorPage: true} }

func success() Outcome { return Outcome{Where: "any", Success: true} }

func successNote(note string) Outcome { return Outcome{Where: "any", Success: true, Note: note} }

func tlsRejected(where string) Outcome { return Outcome{Where: where, TLSHandshakeRejected: true} }

// Expectation is what a covered module's case must produce: the library
// profile and the exact violation codes, in order, and the parameters
// outside a request object that are ignored, when that is the point.
type Expectation struct {
	Profile    string
	Violations []string
	Ignored    []string
	// Parameters are values Report.Parameters of the authorization
	// request must hold ("" means the parameter must be absent): for the
	// modules whose success is judged by the value the server goes on with.
	Parameters map[string]string
}

// Module is one module (or resource sub-case) of the suite's list, and how
// the library accounts for it.
type Module struct {
	// ID is the suite's testName ("#..." marks a sub-case).
	ID string
	// Profile and Kind are the suite's.
	Profile string
	Kind    Kind
	// Accepted are the outcomes the suite accepts.
	Accepted []Outcome
	// Status and Reason say how the library accounts for the module: for
	// Covered and PositiveCase modules, what the case sends and which
	// accepted outcome it targets; otherwise why no case is possible and
	// what the library offers.
	Status Status
	Reason string
	// Target, Expect and Build are set for Covered and PositiveCase
	// modules: the outcome aimed at, the declared result, and the builder
	// of the case (without its description and expect members).
	Target Target
	Expect Expectation
	Build  func(f *Fixture) map[string]any
	// Steps are the further parts of a mixed module whose flow holds more
	// than one case can: several negative steps, or a happy part beside
	// them (a case holds one request per check point). Each has a case
	// file of its own and is judged as the module's case is.
	Steps []Part
	// OwnAccepted, when set, narrows Accepted for the module's own case
	// (see Part.Accepted).
	OwnAccepted []Outcome
}

// Part is one case of a module: the module's own (Name "") or one of its
// Steps.
type Part struct {
	// Name is the step's name, which its case file carries after the
	// module id (see CaseName); "" for the module's own case.
	Name string
	// Reason says what the case sends and which accepted outcome it
	// targets.
	Reason string
	Target Target
	Expect Expectation
	Build  func(f *Fixture) map[string]any
	// Accepted, when set, are the outcomes the suite accepts at this step,
	// narrower than the module's list, which merges every step's: each
	// is one of the module's outcomes with fewer errors.
	Accepted []Outcome
}

// accepted returns the outcomes the suite accepts for the part.
func (m Module) accepted(p Part) []Outcome {
	if p.Accepted != nil {
		return p.Accepted
	}
	return m.Accepted
}

// HasCase reports whether the module has a case file.
func (m Module) HasCase() bool { return m.Status == Covered || m.Status == PositiveCase }

// Parts returns the module's cases, its own first, then its Steps; none
// when it has no case.
func (m Module) Parts() []Part {
	if !m.HasCase() {
		return nil
	}
	return append([]Part{{Reason: m.Reason, Target: m.Target, Expect: m.Expect, Build: m.Build, Accepted: m.OwnAccepted}}, m.Steps...)
}

// CaseName is the name of a part's case file without ".json": the module
// id, and for a step a period and the step's name (module ids hold no
// period).
func (m Module) CaseName(p Part) string {
	if p.Name == "" {
		return m.ID
	}
	return m.ID + "." + p.Name
}

// step declares a further part of a mixed module.
func step(name string, target Target, e Expectation, reason string, build func(f *Fixture) obj) Part {
	return Part{Name: name, Reason: reason, Target: target, Expect: e, Build: build}
}

// with returns the module with the given steps.
func (m Module) with(steps ...Part) Module {
	m.Steps = steps
	return m
}

// only narrows the outcomes the suite accepts for the module's own case
// (see Part.Accepted).
func (m Module) only(o ...Outcome) Module {
	m.OwnAccepted = o
	return m
}

// only narrows the outcomes the suite accepts at the step.
func (p Part) only(o ...Outcome) Part {
	p.Accepted = o
	return p
}

// expect declares a case's profile and violations.
func expect(profile string, violations ...string) Expectation {
	if violations == nil {
		violations = []string{}
	}
	return Expectation{Profile: profile, Violations: violations}
}

// ignoring adds the ignored parameters to an expectation.
func (e Expectation) ignoring(names ...string) Expectation {
	e.Ignored = names
	return e
}

// using adds the parameters the authorization report must hold.
func (e Expectation) using(kv ...string) Expectation {
	e.Parameters = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Parameters[kv[i]] = kv[i+1]
	}
	return e
}

// Library profile names.
const (
	libRO  = "fapi1-read-only"
	libRW  = "fapi1-read-write"
	libAdv = "fapi1-advanced"
	libF2  = "fapi2-security"
	libMS  = "fapi2-message-signing"
)
