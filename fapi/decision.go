package fapi

import (
	"errors"
	"strconv"

	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
	"github.com/fapicheck/fapicheck/scope"
)

// scopeValue is a scope value a profile decision reads: the field it came
// from, where (for messages), and the value.
type scopeValue struct {
	field, where, value string
}

// decideScopes decides the profile for the scope values of one request (the
// scope parameter, the request object's scope, or a grant record's scope).
// Their syntax is checked first (RFC 6749 §3.3): a scope that is not
// scope-tokens separated by single spaces is scope.malformed, and the
// request is then held to every profile the service offers. Splitting a
// malformed value any way at all could hide a FAPI scope (a vertical tab,
// NBSP or NUL where a space belongs) and so switch rules off; a server
// that splits it differently would still grant the hidden scope. A request
// that names no scope takes its client's registration (noScopeDecision).
func (v serviceView) decideScopes(b *builder, c *Client, vals ...scopeValue) (profile.Decision, error) {
	malformed, named := false, false
	var values [2]string
	n := 0
	for _, sv := range vals {
		if sv.value == "" {
			continue
		}
		named = true
		if err := scope.Validate(sv.value); err != nil {
			b.add(CodeScopeMalformed, sv.field, "RFC6749-3.3", "scope %q%s is malformed: %v", truncate(sv.value, 128), sv.where, trimScopePrefix(err))
			malformed = true
			continue
		}
		if n < len(values) {
			values[n] = sv.value
			n++
		}
	}
	switch {
	case malformed:
		return v.everyProfile(c, "malformed scope")
	case !named:
		return v.noScopeDecision(c)
	}
	return profile.ResolveScopes(v.settings(c), values[:n]...)
}

// everyProfile is the decision for a request whose scopes cannot be read:
// every profile the service (or the client's static modes) offers, never
// the weakest.
func (v serviceView) everyProfile(c *Client, why string) (profile.Decision, error) {
	d, err := profile.Offered(v.settings(c))
	if d.Profile.IsFAPI() {
		d.ChosenBy = why + ": every profile the service offers, " + d.ChosenBy
	}
	return d, err
}

// resolveRequest decides the profile of an authorization or pushed request
// from the scope parameter and the (unverified) scope of its request
// object. Reading the object's scope before verifying it can only add
// profiles, never remove one; an object that cannot be read at all (too
// large, malformed, unsigned) asks for unknown scopes, so the request is
// held to every profile the service offers, and the object check then
// refuses the object itself.
func (v serviceView) resolveRequest(b *builder, c *Client, params Params, parsed *requestobject.Token) (profile.Decision, error) {
	inside := ""
	if parsed != nil {
		sc, ok := parsed.UnverifiedScope()
		if !ok {
			return v.everyProfile(c, "unreadable request object")
		}
		inside = sc
	}
	return v.decideScopes(b, c,
		scopeValue{field: "scope", value: params.Get("scope")},
		scopeValue{field: "scope", where: " in the request object", value: inside})
}

// noScopeDecision is the profile of a request that names no scope at all:
// the server then applies its default scope (RFC 6749 §3.3), which the
// library cannot see, so the client's registration decides (its registered
// scope, or else every profile the service offers) — never "none" by
// omission. The checks then report scope.missing.
func (v serviceView) noScopeDecision(c *Client) (profile.Decision, error) {
	d, err := v.clientDecision(c)
	if d.Profile.IsFAPI() {
		d.ChosenBy = "no scope requested: the client's registration, " + d.ChosenBy
	}
	return d, err
}

// clientDecision is the profile a registration is checked against: the one
// its registered scope selects, or every profile the service offers when it
// registered none — or a malformed one, which is reported by CheckClient
// and must not hide a FAPI scope.
func (v serviceView) clientDecision(c *Client) (profile.Decision, error) {
	if c.Scope != "" && scope.Validate(c.Scope) == nil {
		return profile.ResolveScopes(v.settings(c), c.Scope)
	}
	return profile.Offered(v.settings(c))
}

// clientProfiles is clientDecision without the ChosenBy text.
func (v serviceView) clientProfiles(c *Client) (profile.Decision, error) {
	if c.Scope != "" && scope.Validate(c.Scope) == nil {
		return profile.ScopesProfile(v.settings(c), c.Scope)
	}
	return profile.OfferedProfile(v.settings(c))
}

// trimScopePrefix drops the package prefix of a scope syntax error.
func trimScopePrefix(err error) string {
	var se *scope.SyntaxError
	if errors.As(err, &se) {
		return "at offset " + strconv.Itoa(se.Offset) + ": " + se.Reason
	}
	return err.Error()
}
