package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
)

// Answer is what the library answers to a case.
type Answer struct {
	// Report is the case's report, as casefile runs it.
	Report fapi.Report
	// Endpoint is the check point of the first violation: service, client,
	// par, authorization, token or resource; "" when there is none.
	Endpoint string
	// Status is, for a first violation at the resource check point, the
	// HTTP status the resource answers with (ResourceResult.Status).
	Status int
	// Redirect says, for a first violation at the authorization endpoint,
	// whether AuthorizationResult.ErrorRedirectURI lets the error go to the client.
	Redirect bool
	// Parameters are the authorization report's Parameters, or nil.
	Parameters map[string]string
}

// First returns the first violation, which a server answers with.
func (a Answer) First() (fapi.Violation, bool) { return a.Report.First() }

// Codes returns the violation codes, in order.
func (a Answer) Codes() []string {
	out := make([]string, 0, len(a.Report.Violations))
	for _, v := range a.Report.Violations {
		out = append(out, string(v.Code))
	}
	return out
}

// Run runs a case through casefile and finds where its first violation
// arises by running the check points one by one, in casefile's order, on a
// Checker with the case's options (its store and DPoP nonce source). With
// a store, an authorization that passes also completes
// (Checker.CompleteAuthorization), as casefile runs it; an error there is
// answered at the authorization endpoint, redirected when the
// authorization's redirect was trusted.
func Run(c *casefile.Case) (Answer, error) {
	a := Answer{Report: c.Run()}
	svc := c.Service
	now := c.Time()
	ctx := context.Background()
	ck, rep := fapi.NewChecker(*svc, c.Options()...)
	var pc *fapi.PreparedClient
	var redirect bool // the authorization check's RedirectTrusted
	var status int    // the resource check's Status
	type step struct {
		name string
		run  func() fapi.Report
	}
	steps := []step{{"service", func() fapi.Report { return rep }}}
	if c.Client != nil {
		pc = fapi.PrepareClient(*c.Client)
		steps = append(steps, step{"client", func() fapi.Report { return ck.CheckClient(pc) }})
	}
	if r := c.PushedAuthorizationRequest; r != nil {
		steps = append(steps, step{"par", func() fapi.Report { return ck.PushedAuthorization(ctx, pc, r, now).Report }})
	}
	if r := c.AuthorizationRequest; r != nil {
		steps = append(steps, step{"authorization", func() fapi.Report {
			res := ck.Authorization(pc, r, now)
			a.Parameters = res.Parameters()
			redirect = res.RedirectTrusted
			if c.Store != nil && res.OK() {
				return ck.CompleteAuthorization(ctx, res, now)
			}
			return res.Report
		}})
	}
	if r := c.TokenRequest; r != nil {
		steps = append(steps, step{"token", func() fapi.Report { return ck.Token(ctx, pc, r, now).Report }})
	}
	if r := c.ResourceRequest; r != nil {
		steps = append(steps, step{"resource", func() fapi.Report {
			res := ck.Resource(ctx, r, now)
			status = res.Status
			return res.Report
		}})
	}
	var all []fapi.Violation
	for _, s := range steps {
		r := s.run()
		if a.Endpoint == "" && len(r.Violations) > 0 {
			a.Endpoint = s.name
			switch s.name {
			case "authorization":
				a.Redirect = redirect
			case "resource":
				a.Status = status
			}
		}
		all = append(all, r.Violations...)
	}
	if !slices.Equal(all, a.Report.Violations) {
		return a, errors.New("the check points, run one by one, do not give casefile's violations")
	}
	return a, nil
}

// Outcome describes the answer as the suite would see it.
func (a Answer) Outcome() string {
	v, ok := a.First()
	if !ok {
		return "success"
	}
	switch a.Endpoint {
	case "par":
		return "PAR error"
	case "token":
		return "token error"
	case "resource":
		return "resource error " + strconv.Itoa(a.Status)
	case "authorization":
		if a.Redirect {
			return "redirect error"
		}
		return "error page"
	}
	return a.Endpoint + " error (" + string(v.Code) + ")"
}

// Check reports whether the answer to the module's own case is the outcome
// it targets and one the suite accepts (see CheckPart).
func Check(m *Module, a Answer) error {
	if !m.HasCase() {
		return fmt.Errorf("%s has no case", m.ID)
	}
	return CheckPart(m, m.Parts()[0], a)
}

// CheckPart reports whether the answer to the case of part p of m is the
// outcome p targets and one the suite accepts: the first violation at the
// targeted endpoint with an accepted OAuth error, the redirect decision
// that matches the target, or no violation at all for a success. A mixed
// module is a successful flow with negative steps inside, so its happy
// parts target a success the suite requires without listing it.
func CheckPart(m *Module, p Part, a Answer) error {
	v, failed := a.First()
	if p.Target == TargetSuccess {
		if failed {
			return fmt.Errorf("target success, but the library answers %s (%s)", v.Code, v.Error)
		}
		if m.Kind == Mixed {
			return nil
		}
		for _, o := range m.accepted(p) {
			if o.Success {
				return nil
			}
		}
		return errors.New("target success, which the suite does not accept")
	}
	if !failed {
		return fmt.Errorf("target %s, but the library accepts the request", p.Target)
	}
	want := map[Target]string{TargetPAR: "par", TargetToken: "token", TargetRedirect: "authorization", TargetErrorPage: "authorization", TargetResource: "resource"}[p.Target]
	if a.Endpoint != want {
		return fmt.Errorf("target %s, but the first violation (%s) is at the %s check point", p.Target, v.Code, a.Endpoint)
	}
	switch p.Target {
	case TargetRedirect:
		if !a.Redirect {
			return fmt.Errorf("target redirect, but AuthorizationResult.ErrorRedirectURI refuses the redirect of %s", v.Code)
		}
	case TargetErrorPage:
		if a.Redirect {
			return fmt.Errorf("target error page, but AuthorizationResult.ErrorRedirectURI lets %s be redirected", v.Code)
		}
	}
	for _, o := range m.accepted(p) {
		if p.Target == TargetResource && o.Where == "resource" && statusAccepted(o.HTTP, a.Status) {
			return nil
		}
		if acceptedBy(o, p.Target, v.Error) {
			return nil
		}
	}
	return fmt.Errorf("the first violation %s answers %s (status %d), which the suite does not accept at the %s endpoint (accepted: %s)",
		v.Code, v.Error, a.Status, a.Endpoint, AcceptedSummary(m.accepted(p)))
}

// statusAccepted reports whether the suite's HTTP field ("400|401" or
// "4xx", with an optional note after a space) names status.
func statusAccepted(http string, status int) bool {
	codes, _, _ := strings.Cut(http, " ")
	for _, c := range strings.Split(codes, "|") {
		if c == strconv.Itoa(status) {
			return true
		}
		if len(c) == 3 && c[1:] == "xx" && c[0] >= '1' && c[0] <= '5' && status/100 == int(c[0]-'0') {
			return true
		}
	}
	return false
}

// acceptedBy reports whether the outcome o accepts the OAuth error err for
// the target.
func acceptedBy(o Outcome, t Target, err string) bool {
	switch t {
	case TargetPAR, TargetToken:
		if o.Where != string(t) || o.HTTP == "" || o.TLSHandshakeRejected {
			return false
		}
		if len(o.Error) == 0 {
			return true // any status of 400 and above, whatever the error
		}
		if slices.Contains(o.Error, anyRFC6749Error) && slices.Contains(rfc6749Errors, err) {
			return true
		}
		return slices.Contains(o.Error, err)
	case TargetRedirect:
		return o.Where == "authorization" && slices.Contains(o.RedirectError, err)
	case TargetErrorPage:
		return o.Where == "authorization" && o.ErrorPage
	}
	return false
}

// AcceptedSummary writes the accepted outcomes in one line.
func AcceptedSummary(outcomes []Outcome) string {
	var parts []string
	for _, o := range outcomes {
		var s string
		switch {
		case o.Success:
			s = "success"
		case o.ErrorPage:
			s = "error page"
		case o.TLSHandshakeRejected:
			s = o.Where + ": TLS handshake rejected"
		case len(o.RedirectError) > 0:
			s = "redirect: " + strings.Join(o.RedirectError, ", ")
		default:
			where := map[string]string{"par": "PAR", "token": "token", "resource": "resource", "consent": "consent"}[o.Where]
			if where == "" {
				where = o.Where
			}
			s = where + " " + o.HTTP
			if len(o.Error) > 0 {
				s += ": " + strings.Join(o.Error, ", ")
			}
		}
		if o.Note != "" {
			s += " (" + o.Note + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
