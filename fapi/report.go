package fapi

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/profile"
)

// Violation is one broken rule.
type Violation struct {
	// Code is the stable, machine-readable code.
	Code Code `json:"code"`
	// Field is the parameter, claim or configuration property at fault.
	Field string `json:"field"`
	// Message is one sentence for a human, naming the value seen.
	Message string `json:"message"`
	// Ref is the clause enforced, e.g. "FAPI-RW-5.2.2-13"; Ref.URL() links
	// to its section.
	Ref clause.Clause `json:"ref"`
	// Error is the OAuth error code to answer with, e.g.
	// "invalid_request_object".
	Error string `json:"error"`
}

// String formats the violation for logs.
func (v Violation) String() string {
	return fmt.Sprintf("%s (%s, %s): %s", v.Code, v.Ref, v.Error, v.Message)
}

// Report is the outcome of one check: the profile that applied and what it
// found. A report with no violations means the input is acceptable.
type Report struct {
	// Profile is the FAPI profile the input was checked against: the
	// strictest of Profiles, or none when no FAPI profile applied (the plain
	// OAuth 2.0 / OpenID Connect rules were checked then).
	Profile profile.Profile `json:"profile"`
	// Profiles are all the FAPI profiles whose rules the input was held to:
	// a request whose scopes select several profiles must meet each one's
	// rules. Empty under none.
	Profiles profile.Set `json:"profiles"`
	// ChosenBy says what selected the profile, e.g.
	// "scope payments (fapi=rw)".
	ChosenBy string `json:"chosen_by"`
	// Violations make the input unacceptable. They are in a deterministic
	// order: the order in which the checks run.
	Violations []Violation `json:"violations"`
	// Waived lists what a service setting (nbf_optional) let through, for
	// the log. Waived violations do not make the input unacceptable.
	Waived []Violation `json:"waived"`
	// Ignored lists parameters outside a request object that were not used.
	Ignored []string `json:"ignored"`
}

// OK reports whether the report has no violations.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// FAPI reports whether a FAPI profile applied. A report that is OK but not
// FAPI accepted the input under the plain OAuth 2.0 / OpenID Connect rules
// only (profile none: no requested scope asks for FAPI, or the service has
// FAPI off); a server that must apply FAPI to a request refuses it then.
func (r Report) FAPI() bool { return r.Profile.IsFAPI() }

// Has reports whether the report holds a violation with code c.
func (r Report) Has(c Code) bool {
	for _, v := range r.Violations {
		if v.Code == c {
			return true
		}
	}
	return false
}

// Codes returns the codes of the violations, in order.
func (r Report) Codes() []Code {
	out := make([]Code, len(r.Violations))
	for i, v := range r.Violations {
		out[i] = v.Code
	}
	return out
}

// Err returns nil when there are no violations, and otherwise a
// *ReportError, which matches each violation's Code and Family with
// errors.Is.
func (r Report) Err() error {
	if len(r.Violations) == 0 {
		return nil
	}
	return &ReportError{Profile: r.Profile, Violations: append([]Violation(nil), r.Violations...)}
}

// First returns the first violation, which is the one a server should
// answer with, and false when there is none.
func (r Report) First() (Violation, bool) {
	if len(r.Violations) == 0 {
		return Violation{}, false
	}
	return r.Violations[0], true
}

// MarshalJSON writes empty lists as [] rather than null.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	if p.Violations == nil {
		p.Violations = []Violation{}
	}
	if p.Waived == nil {
		p.Waived = []Violation{}
	}
	if p.Ignored == nil {
		p.Ignored = []string{}
	}
	return json.Marshal(p)
}

// Merge combines reports of several check points (service, client,
// requests) into one, as fapicheck prints it: the profile is the last
// report's that is not None, Profiles are all the reports' profiles, and
// all violations are kept in order.
func Merge(reports ...Report) Report {
	var out Report
	out.Profile = profile.None
	for _, r := range reports {
		out.Profiles |= r.Profiles
		if r.Profile != profile.None && r.Profile != "" {
			out.Profile, out.ChosenBy = r.Profile, r.ChosenBy
		} else if out.ChosenBy == "" {
			out.ChosenBy = r.ChosenBy
		}
		out.Violations = append(out.Violations, r.Violations...)
		out.Waived = append(out.Waived, r.Waived...)
		out.Ignored = append(out.Ignored, r.Ignored...)
	}
	return out
}

// ReportError is the error form of a report with violations.
type ReportError struct {
	Profile    profile.Profile
	Violations []Violation
}

// Error lists the profile and the violations, in order.
func (e *ReportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fapi: %s: ", e.Profile)
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(string(v.Code))
		if v.Message != "" {
			b.WriteString(": ")
			b.WriteString(v.Message)
		}
	}
	return b.String()
}

// Is reports whether target is the Code or the Family of one of the
// violations.
func (e *ReportError) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		for _, v := range e.Violations {
			if v.Code == t {
				return true
			}
		}
	case Family:
		for _, v := range e.Violations {
			if v.Code.Family() == t {
				return true
			}
		}
	}
	return false
}

// has reports whether a violation with code c was recorded.
func (r *Report) has(c Code) bool { return r.Has(c) }

// builder collects violations for one check.
type builder struct {
	r Report
	found
	// endpoint is where the check runs: "" (configuration), "authorization",
	// "par", "token" or "resource". A client registration problem found
	// while checking a request is answered with an error of that endpoint,
	// not with invalid_client_metadata, which only the registration
	// endpoint sends (RFC 7591 §3.2.2); at a resource every error is one of
	// RFC 6750 §3.1 or RFC 9449 §7.1 (resourceError).
	endpoint string
}

// found is what an endpoint's check found beside its violations, which
// the endpoint's result carries (AuthorizationResult,
// PushedAuthorizationResult, TokenResult).
type found struct {
	// params are the authorization parameters the checks used.
	params effectiveParams
	// redirectTrusted: client_id and redirect_uri were validated.
	redirectTrusted bool
	// redirectURI is the client's only registered redirect URI, when the
	// request could omit redirect_uri and did (RFC 6749 §3.1.2.3).
	redirectURI string
	// assertion is the client assertion that verified, if any.
	assertion *clientassertion.Assertion
	// dpopJKT and certThumbprint are what a token check found the token
	// must be bound to (TokenResult).
	dpopJKT, certThumbprint string
	// revokeGrant: a rotated refresh token or a code was reused
	// (TokenResult).
	revokeGrant bool
	// uses are the one-time uses the request makes (onetime.go);
	// requestURI is the pushed request_uri an authorization consumes on
	// completion.
	uses       []pendingUse
	requestURI *pendingUse
}

// endpointClientError is the error a request endpoint answers when the
// client's registration is at fault: its keys cannot verify what it sent
// (invalid_request_object at the authorization endpoint, JAR §6.2;
// invalid_client where it authenticates, RFC 6749 §5.2), or it is not
// allowed to make this request (unauthorized_client, RFC 6749 §4.1.2.1,
// §5.2).
func endpointClientError(endpoint string, code Code) string {
	switch {
	case code == CodeClientMissing:
		return OAuthInvalidClient
	case code == CodeClientJWKSInvalid || code == CodeClientJWKSMissing || code == CodeClientKeyTooSmall:
		if endpoint == "authorization" {
			return OAuthInvalidRequestObject
		}
		return OAuthInvalidClient
	case code == CodeClientAuthMethodNotAllowed || code == CodeClientAuthMethodUnsupported || code == CodeClientSecretTooShort:
		// Where the client authenticates, a method the profile or the
		// service does not permit is a failed client authentication
		// (RFC 6749 §5.2: "unsupported authentication method").
		if endpoint == "token" || endpoint == "par" {
			return OAuthInvalidClient
		}
	}
	return OAuthUnauthorizedClient
}

// add records a violation with the code's default OAuth error.
func (b *builder) add(code Code, field string, ref clause.Clause, format string, args ...any) {
	b.addError(code, field, ref, defaultError(code), format, args...)
}

// addError records a violation with an explicit OAuth error.
func (b *builder) addError(code Code, field string, ref clause.Clause, oauthErr, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if ref == "" {
		if info, ok := codeIndex[code]; ok {
			ref = defaultRef(codeTable[info].Refs, b.r.Profiles)
		}
	}
	switch {
	case b.endpoint == endpointResource:
		oauthErr = resourceError(oauthErr)
	case b.endpoint != "" && code.Family() == "client":
		oauthErr = endpointClientError(b.endpoint, code)
	}
	b.r.Violations = append(b.r.Violations, Violation{Code: code, Field: field, Message: msg, Ref: ref, Error: oauthErr})
}
