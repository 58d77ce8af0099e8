package requestobject

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/internal/strictjson"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
)

// DefaultMaxSize is the request object size limit used when Rules.MaxSize
// is 0: 64 KiB.
const DefaultMaxSize = jose.DefaultMaxSize

// Rules are what a request object must satisfy. Package fapi fills them from
// the profile that applies; the zero value of each field means "no rule".
type Rules struct {
	// Algorithms is the profile's allow-list of JWS algorithms. Empty
	// allows nothing.
	Algorithms []string
	// ClientAlgorithm is the client's registered request_object_signing_alg.
	// When set, it is the only algorithm accepted, and it must itself be in
	// Algorithms.
	ClientAlgorithm string
	// Issuer is the authorization server's issuer identifier, which aud must
	// name (FAPI1-ADV-5.2.2-15; OIDC Core §6.1).
	Issuer string
	// ClientID is the identifier of the client the request is for; iss and
	// client_id, when present in the object, must equal it.
	ClientID string
	// RequireExp, RequireNbf and RequireAud make those claims mandatory.
	RequireExp bool
	RequireNbf bool
	RequireAud bool
	// MaxLifetime bounds exp − nbf (computed exactly), or exp − now when
	// there is no nbf; 0 means no bound.
	MaxLifetime time.Duration
	// MaxNbfAge bounds now − nbf (computed exactly); 0 means no bound.
	MaxNbfAge time.Duration
	// ClockSkew is how far in the future nbf and iat may be.
	ClockSkew time.Duration
	// MaxSize is the size limit in bytes; 0 means DefaultMaxSize.
	MaxSize int
	// KeyMinimums are the smallest keys accepted for the verifying key.
	KeyMinimums keysize.Minimums
	// ForbidSubIsClient refuses a sub claim equal to ClientID (JAR §10.8).
	ForbidSubIsClient bool
}

// Object is a request object whose signature verified.
type Object struct {
	// Algorithm is the JWS algorithm it was signed with.
	Algorithm string
	// KeyID is the kid of the registered key that verified it, or "".
	KeyID string
	// Params are the authorization request parameters inside the object:
	// every member except the JWT claims iss, sub, aud, exp, nbf, iat, jti.
	Params []Param
	// Expiry, NotBefore and IssuedAt are the exp, nbf and iat claims, or
	// the zero time when absent.
	Expiry, NotBefore, IssuedAt time.Time
}

// Param returns the parameter named name.
func (o *Object) Param(name string) (Param, bool) {
	if o == nil {
		return Param{}, false
	}
	for _, p := range o.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Param is one authorization request parameter carried in a request object.
type Param struct {
	Name string
	// Value is the string value for a JSON string, and the JSON text itself
	// for any other value (a number, or the object of "claims").
	Value string
	// IsString says whether the JSON value was a string.
	IsString bool
	// JSON is the raw JSON value.
	JSON []byte
}

// Verify parses and verifies a request object and checks its claims against
// rules at time now. keys are the client's registered keys.
//
// It returns the Object when the signature verified with a key of sufficient
// size and the claims could be decoded — even if some claim rules failed,
// which are then listed in the returned errors — and nil otherwise. The
// errors are in a fixed order: structure and signature first, then claims
// in the order of the package documentation.
func Verify(token string, keys *jwks.Set, rules Rules, now time.Time) (*Object, []*Error) {
	return Parse(token, rules.MaxSize).Verify(keys, rules, now)
}

// Token is a request object parsed — size limit, compact form, header,
// claims decoded strictly — but not verified. Parse it once, read its
// UnverifiedScope to choose the rules, then Verify it under those rules.
type Token struct {
	jws       jose.JWS
	parseErr  error
	claims    jose.Claims
	claimsErr error
}

// Parse parses a request object without verifying it; maxSize 0 means
// DefaultMaxSize. It never fails: a problem is reported by Verify (and
// makes UnverifiedScope report that the object cannot be read).
func Parse(token string, maxSize int) *Token {
	t := &Token{}
	t.parseErr = jose.ParseInto(&t.jws, token, maxSize)
	if t.parseErr == nil {
		t.claimsErr = jose.DecodeClaimsInto(&t.claims, t.jws.Payload)
	}
	return t
}

// UnverifiedScope returns the scope claim of the object before it is
// verified, for choosing the profile. Callers must only use it to make rules
// stricter — an unverified value must never relax anything — and must
// verify the object before trusting any other content. ok is false when the
// object cannot be read (too large, malformed, unsigned, or a scope that is
// not a string): the caller then cannot know which scopes it asks for and
// must assume the strictest profile, never the weakest. An object without a
// scope claim returns ("", true).
func (t *Token) UnverifiedScope() (scope string, ok bool) {
	if t == nil || t.parseErr != nil || t.claimsErr != nil {
		return "", false
	}
	m, found := t.claims.Lookup("scope")
	if !found {
		return "", true
	}
	if m.Kind != strictjson.String {
		return "", false
	}
	v, err := m.StringValue()
	if err != nil {
		return "", false
	}
	return v, true
}

// Verify verifies the parsed object and checks its claims against rules at
// time now; see the package function Verify.
func (t *Token) Verify(keys *jwks.Set, rules Rules, now time.Time) (*Object, []*Error) {
	if t == nil {
		return nil, []*Error{{Reason: ReasonMalformed, Message: "no request object"}}
	}
	key, err := t.verifySignature(keys, rules)
	if err != nil {
		return nil, []*Error{err}
	}
	if t.claimsErr != nil {
		return nil, []*Error{fromJOSE(t.claimsErr)}
	}
	claims := &t.claims
	obj := &Object{Algorithm: t.jws.Header.Alg, KeyID: key.ID, Params: make([]Param, 0, len(claims.Members))}
	var errs errorList
	collectParams(&errs, obj, claims)
	checkTimes(&errs, obj, claims, rules, now)
	checkIdentity(&errs, obj, claims, rules)
	return obj, errs
}

// errorList collects the errors of one request object, in the order of the
// checks.
type errorList []*Error

// add appends an error without an underlying cause.
func (l *errorList) add(r Reason, claim, format string, args ...any) {
	*l = append(*l, &Error{Reason: r, Claim: claim, Message: fmt.Sprintf(format, args...)})
}

// verifySignature checks the object's form, its algorithm against the
// allow-list and the client's registered request_object_signing_alg (OIDC
// Registration §2), its signature with the client's keys, and the size of
// the key that verified it (FAPI-R-5.2.2-5/-6, FAPI2-SP-5.4.1-2/-3).
func (t *Token) verifySignature(keys *jwks.Set, rules Rules) (*jose.Key, *Error) {
	if t.parseErr != nil {
		return nil, fromJOSE(t.parseErr)
	}
	allowed := rules.Algorithms
	if rules.ClientAlgorithm != "" {
		if !contains(rules.Algorithms, rules.ClientAlgorithm) {
			return nil, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
				Message: fmt.Sprintf("the client's registered request_object_signing_alg %q is not allowed (allowed: %v)", rules.ClientAlgorithm, rules.Algorithms)}
		}
		allowed = []string{rules.ClientAlgorithm}
	}
	key, err := t.jws.Verify(allowed, keys)
	if err != nil {
		e := fromJOSE(err)
		if e.Reason == ReasonAlgNotAllowed && rules.ClientAlgorithm != "" && contains(rules.Algorithms, t.jws.Header.Alg) {
			e.Message = fmt.Sprintf("signed with %s, but the client registered request_object_signing_alg %s", t.jws.Header.Alg, rules.ClientAlgorithm)
		}
		return nil, e
	}
	if err := keysize.Check(key.Public, rules.KeyMinimums); err != nil {
		return nil, &Error{Reason: ReasonKeyTooSmall, Claim: "kid",
			Message: fmt.Sprintf("the verifying key is not acceptable: %v", err), Err: err}
	}
	return key, nil
}

// collectParams adds the object's authorization request parameters to
// obj.Params: every member but the registered JWT claims, refusing a nested
// request or request_uri (OIDC Core §6.1) and values of the wrong JSON type.
func collectParams(errs *errorList, obj *Object, claims *jose.Claims) {
	for _, m := range claims.Members {
		if m.Name == "request" || m.Name == "request_uri" {
			errs.add(ReasonMalformed, m.Name, "a request object must not contain a %s claim (OIDC Core section 6.1)", m.Name)
			continue
		}
		if isJWTOnly(m.Name) {
			continue
		}
		if p, ok := memberParam(errs, m); ok {
			obj.Params = append(obj.Params, p)
		}
	}
}

// memberParam turns one member into a parameter. Parameters that are
// strings elsewhere must be JSON strings; max_age is a JSON number (OIDC
// Core §3.1.2.1, §13.3) and claims a JSON object (OIDC Core §5.5).
func memberParam(errs *errorList, m strictjson.Member) (Param, bool) {
	p := Param{Name: m.Name, JSON: m.Raw}
	if m.Kind == strictjson.String {
		s, err := m.StringValue()
		if err != nil {
			errs.add(ReasonMalformed, m.Name, "%s is not a valid JSON string", m.Name)
			return p, false
		}
		p.Value, p.IsString = s, true
	} else if isStringParam(m.Name) {
		errs.add(ReasonMalformed, m.Name, "%s must be a JSON string, not %s", m.Name, m.Kind)
		return p, false
	} else {
		p.Value = m.Text
	}
	if m.Name == "max_age" && m.Kind != strictjson.Number {
		errs.add(ReasonMalformed, m.Name, "max_age must be a JSON number, not %s", m.Kind)
		return p, false
	}
	if m.Name == "claims" && m.Kind != strictjson.Object {
		errs.add(ReasonMalformed, m.Name, "claims must be a JSON object, not %s", m.Kind)
		return p, false
	}
	return p, true
}

// checkTimes records exp, nbf and iat in obj and checks them: exp (RFC 7519
// §4.1.4), nbf, its age and the lifetime, and iat not in the future.
// NumericDates may have fractions (RFC 7519 §2); every comparison is exact
// (jose.NumericDate), never rounded in the sender's favour.
func checkTimes(errs *errorList, obj *Object, claims *jose.Claims, rules Rules, now time.Time) {
	exp, nbf, iat := claims.Expiry, claims.NotBefore, claims.IssuedAt
	if exp.Present {
		obj.Expiry = exp.Time()
	}
	if nbf.Present {
		obj.NotBefore = nbf.Time()
	}
	if iat.Present {
		obj.IssuedAt = iat.Time()
	}
	switch {
	case !exp.Present:
		if rules.RequireExp {
			errs.add(ReasonExpMissing, "exp", "the request object has no exp claim")
		}
	case exp.NotAfter(now):
		// RFC 7519 §4.1.4: the current time must be before exp. No skew is
		// added (docs/DESIGN.md, "Clock skew": skew applies to future-dated iat/nbf).
		errs.add(ReasonExpired, "exp", "the request object expired at %s (now %s)", exp, fmtTime(now))
	}
	checkNbf(errs, exp, nbf, rules, now)
	if iat.Present && iat.After(now.Add(rules.ClockSkew)) {
		errs.add(ReasonNotYetValid, "iat", "the request object was issued in the future, at %s (now %s, clock skew %s)", iat, fmtTime(now), rules.ClockSkew)
	}
}

// checkNbf checks nbf — present when required, not in the future beyond the
// clock skew, not older than MaxNbfAge — and the lifetime, exp − nbf, or
// exp − now without nbf, against MaxLifetime.
func checkNbf(errs *errorList, exp, nbf jose.NumericDate, rules Rules, now time.Time) {
	if !nbf.Present {
		if rules.RequireNbf {
			errs.add(ReasonNbfMissing, "nbf", "the request object has no nbf claim")
		}
		// Without nbf (when the caller waives it) the lifetime is counted
		// from now, so that a missing nbf never lifts the bound on exp.
		if rules.MaxLifetime > 0 && exp.Present && exp.After(now.Add(rules.MaxLifetime)) {
			errs.add(ReasonLifetimeTooLong, "exp", "exp %s is more than %s after now (%s), and there is no nbf", exp, rules.MaxLifetime, fmtTime(now))
		}
		return
	}
	if nbf.After(now.Add(rules.ClockSkew)) {
		errs.add(ReasonNotYetValid, "nbf", "the request object is not valid before %s (now %s, clock skew %s)", nbf, fmtTime(now), rules.ClockSkew)
	}
	// Exact: a now with a fraction of a second past the limit is too
	// old (now − nbf > MaxNbfAge, i.e. nbf before now − MaxNbfAge).
	if rules.MaxNbfAge > 0 && nbf.Compare(now.Add(-rules.MaxNbfAge)) < 0 {
		errs.add(ReasonNbfTooOld, "nbf", "nbf %s is more than %s before now (%s)", nbf, rules.MaxNbfAge, fmtTime(now))
	}
	if rules.MaxLifetime > 0 && exp.Present && exp.ExceedsAfter(nbf, rules.MaxLifetime) {
		errs.add(ReasonLifetimeTooLong, "exp", "exp %s is more than %s after nbf %s", exp, rules.MaxLifetime, nbf)
	}
}

// checkIdentity checks who the object is from and for: aud names the issuer
// (OIDC Core §6.1, FAPI1-ADV-5.2.2-15), iss and client_id are the client
// (RFC 9101 §4, §5), and sub is not the client where that is refused (RFC
// 9101 §10.8).
func checkIdentity(errs *errorList, obj *Object, claims *jose.Claims, rules Rules) {
	switch aud := claims.Audience; {
	case !aud.Present:
		if rules.RequireAud {
			errs.add(ReasonAudMissing, "aud", "the request object has no aud claim; it must name the issuer %q", rules.Issuer)
		}
	case rules.Issuer == "" || !aud.Contains(rules.Issuer):
		errs.add(ReasonAudMismatch, "aud", "aud %q does not contain the issuer %q", aud.Values, rules.Issuer)
	}
	if iss := claims.Issuer; iss.Present && iss.Value != rules.ClientID {
		errs.add(ReasonIssMismatch, "iss", "iss %q is not the client_id %q", iss.Value, rules.ClientID)
	}
	if p, ok := obj.Param("client_id"); ok && p.Value != rules.ClientID {
		errs.add(ReasonClientIDMismatch, "client_id", "client_id %q inside the request object is not the client_id %q of the request", p.Value, rules.ClientID)
	}
	if rules.ForbidSubIsClient && claims.Subject.Present && claims.Subject.Value == rules.ClientID {
		// RFC 9101 §10.8: a request object whose sub is the client_id could
		// be replayed as a client assertion.
		errs.add(ReasonSubIsClient, "sub", "sub %q is the client_id; a request object must not double as a client assertion (JAR section 10.8)", claims.Subject.Value)
	}
}

func fromJOSE(err error) *Error {
	var je *jose.Error
	claim := ""
	if errors.As(err, &je) {
		claim = je.Field
	}
	e := &Error{Claim: claim, Err: err}
	switch {
	case errors.Is(err, jose.ErrTooLarge):
		e.Reason, e.Message = ReasonTooLarge, "the request object is too large: "+jose.Detail(err)
	case errors.Is(err, jose.ErrUnsigned):
		e.Reason, e.Message = ReasonUnsigned, "the request object is not signed (alg none)"
	case errors.Is(err, jose.ErrAlgNotAllowed):
		e.Reason, e.Message = ReasonAlgNotAllowed, "the request object's algorithm is not allowed: "+jose.Detail(err)
	case errors.Is(err, jose.ErrNoKey), errors.Is(err, jose.ErrSignatureInvalid):
		e.Reason, e.Message = ReasonSignatureInvalid, "the request object's signature does not verify: "+jose.Detail(err)
	default:
		e.Reason, e.Message = ReasonMalformed, "the request object is malformed: "+jose.Detail(err)
	}
	return e
}

// fmtTime formats now for a message: RFC 3339, with the fraction of a
// second when it has one, like the NumericDates it is compared with
// (jose.NumericDate.String).
func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// isJWTOnly reports whether name is a registered JWT claim (RFC 7519 §4.1),
// which is not an authorization request parameter.
func isJWTOnly(name string) bool {
	switch name {
	case "iss", "sub", "aud", "exp", "nbf", "iat", "jti":
		return true
	}
	return false
}

// isStringParam reports whether name is an authorization request parameter
// (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3) whose value must be
// a JSON string inside a request object.
func isStringParam(name string) bool {
	switch name {
	case "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
		"code_challenge", "code_challenge_method", "response_mode", "prompt",
		"login_hint", "id_token_hint", "acr_values", "display", "ui_locales",
		"claims_locales":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// UnverifiedScope returns the scope values of a request object without
// verifying it; see Token.UnverifiedScope. maxSize is the limit Verify will
// apply (0 means DefaultMaxSize).
func UnverifiedScope(token string, maxSize int) (scopes []string, ok bool) {
	v, ok := Parse(token, maxSize).UnverifiedScope()
	if !ok || v == "" {
		return nil, ok
	}
	return strings.Fields(v), true
}
