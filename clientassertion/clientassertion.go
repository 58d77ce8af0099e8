// Package clientassertion verifies JWT client assertions: the
// client_assertion of private_key_jwt and client_secret_jwt client
// authentication (OIDC Core §9, RFC 7523 §3, RFC 7521 §4.2).
//
// Verify (registered public keys) and VerifySecret (the client secret, HMAC)
// check: client_assertion_type, the size limit and compact JWS form, the
// algorithm (profile allow-list, and the client's registered
// token_endpoint_auth_signing_alg when set), the signature and the size of
// the verifying key, then iss = sub = client_id, aud naming the
// authorization server, exp present, not past and at most MaxLifetime
// ahead, nbf and iat not beyond the
// clock skew in the future, and jti present. Replay of a jti is the caller's
// to detect: the returned Assertion carries the jti and the expiry to store
// it until.
package clientassertion

import (
	"errors"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
)

// TypeJWTBearer is the only client_assertion_type accepted (RFC 7523 §2.2).
const TypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// DefaultMaxSize is the size limit used when Rules.MaxSize is 0: 64 KiB.
const DefaultMaxSize = jose.DefaultMaxSize

// DefaultMaxLifetime is how far after now an assertion's exp may lie when
// Rules.MaxLifetime is 0: one hour. RFC 7523 §3 item 4 lets the
// authorization server reject an exp "unreasonably far in the future"; a
// jti is remembered until exp (item 7), so without a bound one client
// could fill a bounded replay store with keys held for years, and every
// client would then be refused. Assertions are made per request and live
// seconds to minutes.
const DefaultMaxLifetime = time.Hour

// Rules are what an assertion must satisfy. Package fapi fills them from the
// profile that applies.
type Rules struct {
	// Type is the client_assertion_type sent with the assertion.
	Type string
	// Algorithms is the profile's allow-list.
	Algorithms []string
	// ClientAlgorithm is the registered token_endpoint_auth_signing_alg;
	// when set it is the only algorithm accepted (OIDC Registration §2).
	ClientAlgorithm string
	// ClientID is the client being authenticated.
	ClientID string
	// Audiences are the values aud may take: the issuer and the endpoint
	// URLs the profile allows (RFC 7523 §3 item 3).
	Audiences []string
	// RequireAudienceString refuses an aud given as an array, even one
	// holding an accepted value (FAPI2-SP-5.3.2.1-8: the issuer "as a
	// string").
	RequireAudienceString bool
	// ClockSkew is how far in the future nbf and iat may be.
	ClockSkew time.Duration
	// MaxSize is the size limit in bytes; 0 means DefaultMaxSize.
	MaxSize int
	// MaxLifetime is how far after now exp may lie (RFC 7523 §3 item 4);
	// 0 or less means DefaultMaxLifetime. The comparison is exact.
	MaxLifetime time.Duration
	// KeyMinimums are the smallest keys accepted.
	KeyMinimums keysize.Minimums
}

// Assertion is an assertion whose signature verified.
type Assertion struct {
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid,omitempty"`
	// JWTID and Expiry are what a replay cache stores (RFC 7523 §3 item 7).
	JWTID  string    `json:"jti"`
	Expiry time.Time `json:"exp"`
}

// Verify checks a private_key_jwt assertion against the client's registered
// keys. It returns the Assertion when the signature verified (even if claim
// rules failed, which are listed in the errors), and nil otherwise.
func Verify(assertion string, keys *jwks.Set, rules Rules, now time.Time) (*Assertion, []*Error) {
	t, allowed, errs := parse(assertion, rules)
	if t == nil {
		return nil, errs
	}
	if jose.IsSymmetric(t.Header.Alg) {
		return nil, append(errs, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
			Message: fmt.Sprintf("%s is an HMAC algorithm; private_key_jwt needs an asymmetric one", t.Header.Alg)})
	}
	key, err := t.Verify(allowed, keys)
	if err != nil {
		return nil, append(errs, fromJOSE(err))
	}
	if err := keysize.Check(key.Public, rules.KeyMinimums); err != nil {
		return nil, append(errs, &Error{Reason: ReasonKeyTooSmall, Claim: "kid",
			Message: fmt.Sprintf("the verifying key is not acceptable: %v", err), Err: err})
	}
	return checkClaims(t, key.ID, rules, now, errs)
}

// UnverifiedIssuer returns the iss claim of an assertion before it is
// verified, so that a token endpoint can find the client whose keys will
// verify it when the request names no client_id (RFC 7523 §2.2 and §3
// item 1: iss is the client's identifier). It is for that lookup only: the
// value is trusted once Verify or VerifySecret, with that client's keys or
// secret and Rules.ClientID set to it, accepts the assertion. ok is false
// when the assertion cannot be read (the size limit maxSize, 0 meaning
// DefaultMaxSize; compact JWS; strict base64url and JSON, duplicate members
// refused) or has no iss string.
func UnverifiedIssuer(assertion string, maxSize int) (string, bool) {
	t, err := jose.Parse(assertion, maxSize)
	if err != nil {
		return "", false
	}
	c, err := jose.DecodeClaims(t.Payload)
	if err != nil || !c.Issuer.Present || c.Issuer.Value == "" {
		return "", false
	}
	return c.Issuer.Value, true
}

// MinSecretLength returns the smallest client secret, in bytes, that OIDC
// Core §16.19 allows for an HMAC algorithm: the hash output size (32 for
// HS256, 48 for HS384, 64 for HS512). FAPI-R-5.2.2-3 requires it.
func MinSecretLength(alg string) int {
	switch alg {
	case jose.HS384:
		return 48
	case jose.HS512:
		return 64
	}
	return 32
}

// VerifySecret checks a client_secret_jwt assertion with the client secret.
// The MAC is compared in constant time; a secret shorter than
// MinSecretLength(alg) is refused (key_too_small).
func VerifySecret(assertion string, secret []byte, rules Rules, now time.Time) (*Assertion, []*Error) {
	t, allowed, errs := parse(assertion, rules)
	if t == nil {
		return nil, errs
	}
	if !jose.IsSymmetric(t.Header.Alg) {
		return nil, append(errs, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
			Message: fmt.Sprintf("%s is not an HMAC algorithm; client_secret_jwt needs HS256, HS384 or HS512", t.Header.Alg)})
	}
	// The allow-list comes before the secret is looked at, even for its
	// length (RFC 8725 §3.1), so that a forbidden algorithm is reported as
	// such and not as a short secret.
	if !contains(allowed, t.Header.Alg) {
		return nil, append(errs, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
			Message: fmt.Sprintf("the client assertion's algorithm is not allowed: %q is not one of %v", t.Header.Alg, allowed)})
	}
	if len(secret) > 0 && len(secret) < MinSecretLength(t.Header.Alg) {
		return nil, append(errs, &Error{Reason: ReasonKeyTooSmall, Claim: "alg",
			Message: fmt.Sprintf("the client secret is %d bytes; %s needs at least %d (OIDC Core section 16.19)", len(secret), t.Header.Alg, MinSecretLength(t.Header.Alg))})
	}
	if err := t.VerifySecret(allowed, secret); err != nil {
		return nil, append(errs, fromJOSE(err))
	}
	return checkClaims(t, "", rules, now, errs)
}

func parse(assertion string, rules Rules) (*jose.JWS, []string, []*Error) {
	var errs []*Error
	if assertion == "" {
		return nil, nil, []*Error{{Reason: ReasonMissing, Claim: "client_assertion", Message: "no client_assertion was sent"}}
	}
	if rules.Type != TypeJWTBearer {
		errs = append(errs, &Error{Reason: ReasonTypeInvalid, Claim: "client_assertion_type",
			Message: fmt.Sprintf("client_assertion_type %q is not %q", rules.Type, TypeJWTBearer)})
	}
	t, err := jose.Parse(assertion, rules.MaxSize)
	if err != nil {
		return nil, nil, append(errs, fromJOSE(err))
	}
	allowed := rules.Algorithms
	if rules.ClientAlgorithm != "" {
		if !contains(rules.Algorithms, rules.ClientAlgorithm) {
			return nil, nil, append(errs, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
				Message: fmt.Sprintf("the client's registered token_endpoint_auth_signing_alg %q is not allowed (allowed: %v)", rules.ClientAlgorithm, rules.Algorithms)})
		}
		if t.Header.Alg != rules.ClientAlgorithm {
			return nil, nil, append(errs, &Error{Reason: ReasonAlgNotAllowed, Claim: "alg",
				Message: fmt.Sprintf("signed with %q, but the client registered token_endpoint_auth_signing_alg %s", t.Header.Alg, rules.ClientAlgorithm)})
		}
		allowed = []string{rules.ClientAlgorithm}
	}
	return t, allowed, errs
}

func checkClaims(t *jose.JWS, kid string, rules Rules, now time.Time, errs []*Error) (*Assertion, []*Error) {
	c, err := jose.DecodeClaims(t.Payload)
	if err != nil {
		return nil, append(errs, fromJOSE(err))
	}
	add := func(r Reason, claim, format string, args ...any) {
		errs = append(errs, &Error{Reason: r, Claim: claim, Message: fmt.Sprintf(format, args...)})
	}
	a := &Assertion{Algorithm: t.Header.Alg, KeyID: kid, JWTID: c.JWTID.Value}
	// NumericDates may have fractions (RFC 7519 §2); the comparisons are
	// exact.
	future := now.Add(rules.ClockSkew)

	switch {
	case !c.Issuer.Present:
		add(ReasonIssMismatch, "iss", "the assertion has no iss; it must be the client_id %q", rules.ClientID)
	case c.Issuer.Value != rules.ClientID:
		add(ReasonIssMismatch, "iss", "iss %q is not the client_id %q", c.Issuer.Value, rules.ClientID)
	}
	switch {
	case !c.Subject.Present:
		add(ReasonSubMismatch, "sub", "the assertion has no sub; it must be the client_id %q", rules.ClientID)
	case c.Subject.Value != rules.ClientID:
		add(ReasonSubMismatch, "sub", "sub %q is not the client_id %q", c.Subject.Value, rules.ClientID)
	}
	if rules.RequireAudienceString && c.Audience.IsArray {
		add(ReasonAudMismatch, "aud", "aud must be the issuer as a single JSON string, not an array (%q)", c.Audience.Values)
	} else if !audienceOK(c.Audience, rules.Audiences) {
		if !c.Audience.Present {
			add(ReasonAudMismatch, "aud", "the assertion has no aud; it must be one of %q", rules.Audiences)
		} else {
			add(ReasonAudMismatch, "aud", "aud %q names none of %q", c.Audience.Values, rules.Audiences)
		}
	}
	switch {
	case !c.Expiry.Present:
		add(ReasonExpMissing, "exp", "the assertion has no exp claim")
	case c.Expiry.NotAfter(now):
		add(ReasonExpired, "exp", "the assertion expired at %s (now %s)", c.Expiry, fmtTime(now))
	default:
		a.Expiry = c.Expiry.Time()
		maxLifetime := rules.MaxLifetime
		if maxLifetime <= 0 {
			maxLifetime = DefaultMaxLifetime
		}
		if c.Expiry.After(now.Add(maxLifetime)) {
			// RFC 7523 §3 item 4: an exp unreasonably far in the future;
			// its jti would be held that long (item 7).
			add(ReasonExpTooFar, "exp", "the assertion expires at %s, more than %s after now (%s)", c.Expiry, maxLifetime, fmtTime(now))
		}
	}
	if c.NotBefore.Present && c.NotBefore.After(future) {
		add(ReasonNotYetValid, "nbf", "the assertion is not valid before %s (now %s, clock skew %s)", c.NotBefore, fmtTime(now), rules.ClockSkew)
	}
	if c.IssuedAt.Present && c.IssuedAt.After(future) {
		add(ReasonNotYetValid, "iat", "the assertion was issued in the future, at %s (now %s, clock skew %s)", c.IssuedAt, fmtTime(now), rules.ClockSkew)
	}
	if !c.JWTID.Present || c.JWTID.Value == "" {
		add(ReasonJTIMissing, "jti", "the assertion has no jti claim (OIDC Core section 9)")
	}
	return a, errs
}

// audienceOK: aud must name one of the accepted values (RFC 7523 §3 item 3:
// "contains a value that identifies the authorization server").
func audienceOK(aud jose.Audience, accepted []string) bool {
	for _, v := range aud.Values {
		if v != "" && contains(accepted, v) {
			return true
		}
	}
	return false
}

func fromJOSE(err error) *Error {
	var je *jose.Error
	e := &Error{Err: err}
	d := err.Error()
	if errors.As(err, &je) {
		e.Claim = je.Field
		d = je.Detail
		if je.Field != "" {
			d = je.Field + ": " + d
		}
	}
	switch {
	case errors.Is(err, jose.ErrTooLarge):
		e.Reason, e.Message = ReasonTooLarge, "the client assertion is too large: "+d
	case errors.Is(err, jose.ErrUnsigned):
		e.Reason, e.Message = ReasonAlgNotAllowed, "the client assertion is not signed (alg none)"
	case errors.Is(err, jose.ErrAlgNotAllowed):
		e.Reason, e.Message = ReasonAlgNotAllowed, "the client assertion's algorithm is not allowed: "+d
	case errors.Is(err, jose.ErrNoKey), errors.Is(err, jose.ErrSignatureInvalid):
		e.Reason, e.Message = ReasonSignatureInvalid, "the client assertion's signature does not verify: "+d
	default:
		e.Reason, e.Message = ReasonMalformed, "the client assertion is malformed: "+d
	}
	return e
}

// fmtTime formats now for a message: RFC 3339, with the fraction of a
// second when it has one, like the NumericDates it is compared with
// (jose.NumericDate.String).
func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
