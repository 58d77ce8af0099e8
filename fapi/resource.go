package fapi

import (
	"context"
	"crypto/subtle"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// The authentication schemes an access token is presented with at a
// protected resource. Scheme names are compared without regard to letter
// case (RFC 9110 §11.1).
const (
	// SchemeBearer is the Bearer scheme (RFC 6750 §2.1).
	SchemeBearer = "Bearer"
	// SchemeDPoP is the DPoP scheme of DPoP-bound access tokens (RFC 9449
	// §7.1).
	SchemeDPoP = "DPoP"
)

// MaxAuthorizationSize bounds the Authorization header field value the
// resource check reads, in bytes: a larger value is refused before it is
// parsed or hashed. Access tokens, JWTs included, are a few KiB.
const MaxAuthorizationSize = 64 << 10

// ResourceRequest is a request to a protected resource (the API a resource
// server guards) with an access token (RFC 6750, RFC 8705 §3, RFC 9449 §7).
//
// The library does not validate the access token itself — its signature,
// expiry, audience and revocation status (FAPI2-SP-5.3.4-3,
// FAPI1-BASE-6.2.1-4) are the caller's, from a JWT access token it
// verified (RFC 9068) or from token introspection (RFC 7662). The caller
// passes what it learnt as Token; the token string itself, read from the
// Authorization header, is used only for the DPoP proof's ath (RFC 9449
// §4.3 item 12). AccessToken reads it from the header for the lookup.
type ResourceRequest struct {
	// Method and URL are the HTTP method and the absolute URL the client
	// addressed (the external URL when a proxy is in front; RFC 9449 §4.3
	// items 8 and 9), for a DPoP proof's htm and htu and for the query
	// check. An empty Method or URL refuses every DPoP proof.
	Method string
	URL    string
	// Authorization holds every value of the Authorization header field
	// (r.Header.Values("Authorization")): exactly one, "Bearer" or "DPoP"
	// and a token68, is accepted (RFC 6750 §2.1, RFC 9449 §7.1).
	Authorization []string
	// DPoP holds every value of the DPoP header field (RFC 9449 §4.1).
	DPoP []string
	// ClientCertificate is the TLS client certificate the server's TLS
	// layer (or its trusted proxy) verified, or nil.
	ClientCertificate *x509.Certificate
	// Token is the caller's record of the access token presented, nil when
	// it knows no valid token by that value (it is then refused with
	// resource.token_record_missing).
	Token *AccessTokenRecord
	// RequiredScope is the scope the resource requires, scope tokens
	// separated by spaces: each must be in Token.Scope, else the request is
	// refused with insufficient_scope (RFC 6750 §3.1; FAPI2-SP-5.3.4-4).
	// Empty: the caller checks the scope itself.
	RequiredScope string
}

// AccessTokenRecord is what a resource server knows of a valid access
// token: from the claims of a JWT access token it verified (RFC 9068 §2.2)
// or from the introspection response (RFC 7662 §2.2).
type AccessTokenRecord struct {
	// TokenType is the type the token was issued as: "Bearer", "DPoP"
	// (RFC 9449 §5; compared without regard to case) or "" when unknown, in
	// which case DPoPJKT alone says whether the token is DPoP-bound.
	TokenType string
	// Scope is the scope granted with the token (RFC 7662 §2.2). It
	// decides the profile the request is held to, as the grant's scope does
	// at the token endpoint, whatever the request looks like; an empty or
	// malformed scope holds it to every profile the service offers.
	Scope string
	// CertificateThumbprint is the token's cnf x5t#S256 (RFC 8705 §3.1),
	// "" when it is not bound to a certificate.
	CertificateThumbprint string
	// DPoPJKT is the token's cnf jkt (RFC 9449 §6.1), "" when it is not
	// bound to a DPoP key.
	DPoPJKT string
}

// ResourceResult is the outcome of a resource request check.
type ResourceResult struct {
	Report
	// Status is the HTTP status of the error response: 400 (invalid
	// request), 401 (no or unusable credentials, invalid_token,
	// invalid_dpop_proof), 403 (insufficient_scope) or 500 (the service
	// configuration, the time or the one-time-use store cannot be used);
	// 0 when the request is accepted.
	Status int
	// Challenge is the value of the WWW-Authenticate header field to send
	// with the error response (RFC 6750 §3, RFC 9449 §7.1), such as
	// `DPoP error="invalid_token", algs="ES256 PS256"` or
	// `Bearer error="insufficient_scope", scope="accounts"`; without an
	// error code when the request carried no credentials or a scheme the
	// resource does not take (RFC 6750 §3.1). It carries no
	// error_description: a server that sends one appends the first
	// violation's Description(). "" when the request is accepted, and for a
	// 500 answer.
	Challenge string
	// DPoPProof is the DPoP proof of an accepted request with a DPoP-bound
	// token, nil otherwise. With a nonce source (WithDPoPNonces) its Nonce
	// was checked (RFC 9449 §9); without one, a server that issues DPoP
	// nonces compares it with the nonce it issued.
	DPoPProof *dpop.Proof
	// DPoPNonceHeader is the nonce to send in the DPoP-Nonce response
	// header (RFC 9449 §8.1, §9): required with the use_dpop_nonce
	// challenge (dpop.nonce_missing, dpop.nonce_invalid; HTTP 401), and
	// sent with any other response to give the client a fresh nonce. It is
	// set whenever the Checker has a nonce source, and "" otherwise.
	DPoPNonceHeader string
	// OneTimeUses holds the DPoP proof's use (its jti with its key) that
	// the caller records when the Checker has neither a store (WithStore)
	// nor a replay cache (WithReplayCache): a proof recorded before is a
	// replay, to be refused (RFC 9449 §11.1). With a store the library
	// recorded it and this is nil.
	OneTimeUses []onetime.Use
}

// MarshalJSON encodes the result as its Report's members plus status,
// challenge, the accepted proof's dpop_jkt and dpop_nonce, one_time_uses
// and dpop_nonce_header, so that nothing the caller acts on is lost on the
// way to another process.
func (r ResourceResult) MarshalJSON() ([]byte, error) {
	var jkt, nonce string
	if r.DPoPProof != nil {
		jkt, nonce = r.DPoPProof.JKT, r.DPoPProof.Nonce
	}
	return withMembers(r.Report, struct {
		Status          int           `json:"status,omitempty"`
		Challenge       string        `json:"challenge,omitempty"`
		DPoPJKT         string        `json:"dpop_jkt,omitempty"`
		DPoPNonce       string        `json:"dpop_nonce,omitempty"`
		OneTimeUses     []onetime.Use `json:"one_time_uses,omitempty"`
		DPoPNonceHeader string        `json:"dpop_nonce_header,omitempty"`
	}{r.Status, r.Challenge, jkt, nonce, r.OneTimeUses, r.DPoPNonceHeader})
}

// AccessToken returns the access token of the Authorization header field
// values of a request, for the caller to look its record up before the
// check: ok is false unless there is exactly one value, with the Bearer or
// DPoP scheme and a token68 (RFC 6750 §2.1, RFC 9449 §7.1). The check
// itself reports why a header is refused.
func AccessToken(authorization []string) (token string, ok bool) {
	c, problem := parseAuthorization(authorization)
	return c.token, problem == authOK
}

// CheckResourceRequest checks a request to a protected resource at time
// now: the access token in exactly one Authorization header and never in
// the URL's query (RFC 6750 §2; FAPI2-SP-5.3.4-1, -2), the scheme its
// binding needs (a DPoP-bound token only with the DPoP scheme, RFC 9449
// §7.1, §7.2), the sender constraint (a DPoP proof for the request, with
// ath, whose key is cnf.jkt, RFC 9449 §7.1; the TLS client certificate
// whose x5t#S256 is the token's, RFC 8705 §3), a sender-constrained token
// where the profile requires one (FAPI-RW-6.2.1-2, FAPI1-ADV-6.2.1-2,
// FAPI2-SP-5.3.4-5), and the required scope (RFC 6750 §3.1).
//
// The profile comes from the token's record (its scope, and the service's
// static modes), never from the request, so a token granted for a FAPI
// scope is held to FAPI rules however it is presented. Under profile none
// the binding a token has is still enforced.
func CheckResourceRequest(svc *Service, r *ResourceRequest, now time.Time) ResourceResult {
	ck := transientChecker(svc)
	return ck.Resource(context.Background(), r, now)
}

// Resource checks a request to a protected resource at time now (see
// CheckResourceRequest for the rules).
//
// With a store (WithStore), the DPoP proof is recorded in it under ctx
// once every other rule passed, so that a replayed proof is refused
// (dpop.replayed; RFC 9449 §11.1).
func (ck *Checker) Resource(ctx context.Context, r *ResourceRequest, now time.Time) ResourceResult {
	rc := checkResource(ck, r, now)
	uses := recordUses(ctx, ck, &rc.b, now)
	res := ResourceResult{Report: rc.b.r, OneTimeUses: uses, DPoPNonceHeader: ck.dpopNonce(now)}
	if res.OK() {
		res.DPoPProof = rc.proof
	}
	res.Status, res.Challenge = rc.answer()
	return res
}

// endpointResource names the resource check point in a builder.
const endpointResource = "resource"

// resourceError is the error a violation found at a protected resource
// answers with: one of RFC 6750 §3.1, RFC 9449 §7.1 and §9 (a malformed
// scope in the token's record, say, makes the token unusable:
// invalid_token), or server_error when the library's own inputs cannot be
// used.
func resourceError(e string) string {
	switch e {
	case OAuthInvalidRequest, OAuthInvalidToken, OAuthInsufficientScope, OAuthInvalidDPoPProof, OAuthUseDPoPNonce, OAuthServerError:
		return e
	}
	return OAuthInvalidToken
}

// resourceCheck is the state of one resource request check.
type resourceCheck struct {
	b     builder
	v     serviceView
	rules *profile.Requirements
	r     *ResourceRequest
	creds credentials
	// dpopBound: the token's record binds it to a DPoP key.
	dpopBound bool
	// proof is the DPoP proof that verified with the token's key.
	proof *dpop.Proof
}

func checkResource(ck *Checker, r *ResourceRequest, now time.Time) *resourceCheck {
	rc := &resourceCheck{b: newBuilder(endpointResource), rules: &plainRequirements, v: ck.view}
	rc.r = withTLSCertificate(r, func(r *ResourceRequest) **x509.Certificate { return &r.ClientCertificate })
	b := &rc.b
	if !ck.ok {
		b.r.Violations = append(b.r.Violations, ck.problems...)
		return rc
	}
	if now.IsZero() {
		b.add(CodeClockNowMissing, "now", "", "no current time was given (zero time.Time); a DPoP proof's iat cannot be checked")
		return rc
	}
	if !rc.decideProfile() {
		return rc
	}
	rc.checkQuery()
	if !rc.checkCredentials() {
		return rc // no token to check
	}
	rec := rc.r.Token
	if rec == nil {
		b.add(CodeResourceTokenRecordMissing, "token", "", "no record of the access token was given: the resource server knows no valid token by this value (unknown, expired, revoked or not validated)")
		return rc
	}
	if !rc.checkRecord(rec) {
		return rc
	}
	rc.checkDPoPBinding(rec, now)
	rc.checkCertificateBinding(rec)
	rc.checkBindingRequired(rec)
	rc.checkScope(rec)
	return rc
}

// decideProfile decides the profile from the token's record alone: its
// scope, as at the token endpoint (decideScopes), so that nothing in the
// request can lower the rules. A token without a record or without a
// scope is held to every profile the service offers. There is no client
// at a resource: only the service's static modes add to the scopes.
func (rc *resourceCheck) decideProfile() bool {
	none := &Client{}
	var d profile.Decision
	var err error
	switch rec := rc.r.Token; {
	case rec == nil:
		d, err = rc.v.everyProfile(none, "no record of the access token")
	case rec.Scope == "":
		d, err = rc.v.everyProfile(none, "no scope in the access token's record")
	default:
		d, err = rc.v.decideScopes(&rc.b, none, scopeValue{field: "token.scope", where: " in the access token's record", value: rec.Scope})
	}
	rules, ok := decide(&rc.b, d, err)
	rc.rules = rules
	return ok
}

// checkQuery refuses an access_token parameter in the URL's query (RFC
// 6750 §2.3; FAPI-R-6.2.1-4, FAPI1-BASE-6.2.1-3, FAPI2-SP-5.3.4-2): the
// check reads the token from the Authorization header only, so a token in
// the query is never the one checked. Parameters are split at "&" and ";"
// and their names percent-decoded, as lenient servers read them.
func (rc *resourceCheck) checkQuery() {
	u := rc.r.URL
	i := strings.IndexByte(u, '?')
	if i < 0 {
		return
	}
	q := u[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	for q != "" {
		var pair string
		if k := strings.IndexAny(q, "&;"); k >= 0 {
			pair, q = q[:k], q[k+1:]
		} else {
			pair, q = q, ""
		}
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if name == "access_token" {
			rc.b.add(CodeResourceTokenInQuery, "url", rc.rules.Resource.HeaderOnly,
				"the URL's query carries an access_token parameter; access tokens are accepted in the Authorization header only")
			return
		}
	}
}

// checkCredentials reads the Authorization header: exactly one value, a
// scheme the resource takes and a token68. It reports false when there is
// no token to check further.
func (rc *resourceCheck) checkCredentials() bool {
	c, problem := parseAuthorization(rc.r.Authorization)
	rc.creds = c
	b := &rc.b
	switch problem {
	case authOK:
		return true
	case authMissing:
		b.add(CodeResourceCredentialsMissing, "authorization", "", "the request has no Authorization header, so it presents no access token")
	case authDuplicated:
		b.add(CodeResourceAuthorizationDuplicated, "authorization", "", "the request has %d Authorization header field values; exactly one is allowed", len(rc.r.Authorization))
	case authTooLarge:
		b.add(CodeResourceAuthorizationMalformed, "authorization", "", "the Authorization header is %d bytes, more than the limit of %d", len(rc.r.Authorization[0]), MaxAuthorizationSize)
	case authScheme:
		b.add(CodeResourceSchemeUnsupported, "authorization", "", "the Authorization header's scheme %q is neither Bearer nor DPoP", truncate(c.scheme, 32))
	default:
		ref := clause.Clause("RFC6750-2.1")
		if c.scheme == SchemeDPoP {
			ref = "DPOP-7.1"
		}
		b.add(CodeResourceAuthorizationMalformed, "authorization", ref,
			"the Authorization header is not the %s scheme, spaces and one token68 (letters, digits, -._~+/ and trailing =)", c.schemeName())
	}
	return false
}

// checkRecord checks that the token's record is consistent (RFC 7662
// §2.2's token_type against RFC 9449 §6.1's cnf.jkt) and notes whether the
// token is DPoP-bound. A record that contradicts itself cannot say which
// sender constraint to enforce, so nothing more is checked.
func (rc *resourceCheck) checkRecord(rec *AccessTokenRecord) bool {
	switch tt := rec.TokenType; {
	case tt == "":
		rc.dpopBound = rec.DPoPJKT != ""
	case strings.EqualFold(tt, SchemeDPoP) && rec.DPoPJKT == "":
		rc.b.add(CodeResourceTokenRecordInvalid, "token.cnf.jkt", "", "the access token was issued as a DPoP token, but its record has no cnf.jkt to check the proof's key against")
		return false
	case strings.EqualFold(tt, SchemeDPoP):
		rc.dpopBound = true
	case strings.EqualFold(tt, SchemeBearer) && rec.DPoPJKT != "":
		rc.b.add(CodeResourceTokenRecordInvalid, "token.token_type", "", "the access token's record has token_type Bearer and a cnf.jkt; a DPoP-bound token is issued as a DPoP token (RFC 9449 section 5)")
		return false
	case strings.EqualFold(tt, SchemeBearer):
	default:
		rc.b.add(CodeResourceTokenRecordInvalid, "token.token_type", "", "the access token's token_type %q is neither Bearer nor DPoP", truncate(tt, 32))
		return false
	}
	return true
}

// checkDPoPBinding enforces the DPoP binding (RFC 9449 §7.1, §7.2): a
// DPoP-bound token comes with the DPoP scheme and one proof for this
// request, whose ath is the token's hash and whose key is the token's
// cnf.jkt; the DPoP scheme comes only with a DPoP-bound token.
//
// DPoP nonces (RFC 9449 §9): with a nonce source (WithDPoPNonces) the
// proof's nonce is checked as at the token endpoint, and a missing (where
// the service requires nonces) or stale one is answered 401 with
// `DPoP error="use_dpop_nonce"` and the result's DPoPNonceHeader. Without
// a source, a server that issues nonces compares the nonce of the
// result's DPoPProof itself.
func (rc *resourceCheck) checkDPoPBinding(rec *AccessTokenRecord, now time.Time) {
	b := &rc.b
	switch {
	case rc.dpopBound && rc.creds.scheme != SchemeDPoP:
		// RFC 9449 §7.2: a resource that takes both schemes refuses a
		// DPoP-bound token presented as a bearer token; its proof, if any,
		// is not looked at.
		b.add(CodeResourceDPoPSchemeRequired, "authorization", "",
			"the access token is bound to a DPoP key (cnf.jkt), but it was sent with the %s scheme; a DPoP-bound token is sent with the DPoP scheme and a proof", rc.creds.schemeName())
	case rc.dpopBound:
		proof := checkDPoP(b, rc.v, rc.rules, bindingInput{dpop: rc.r.DPoP, method: rc.r.Method, url: rc.r.URL, accessToken: rc.creds.token}, now)
		if proof == nil {
			return
		}
		if subtle.ConstantTimeCompare([]byte(proof.JKT), []byte(rec.DPoPJKT)) != 1 {
			b.add(CodeResourceDPoPKeyMismatch, "dpop", "", "the DPoP proof's key (thumbprint %s) is not the key the access token is bound to (cnf.jkt %s)", proof.JKT, truncate(rec.DPoPJKT, 64))
			return
		}
		rc.proof = proof
	case rc.creds.scheme == SchemeDPoP:
		b.add(CodeResourceTokenNotDPoPBound, "authorization", "", "the DPoP scheme was used, but the access token is not bound to a DPoP key (its record has no cnf.jkt)")
	}
}

// checkCertificateBinding enforces a certificate binding (RFC 8705 §3):
// the TLS client certificate's x5t#S256 is the token's, compared in
// constant time.
func (rc *resourceCheck) checkCertificateBinding(rec *AccessTokenRecord) {
	if rec.CertificateThumbprint == "" {
		return
	}
	switch cert := rc.r.ClientCertificate; {
	case cert == nil:
		rc.b.add(CodeResourceCertificateMissing, "client_certificate", "", "the access token is bound to a certificate (cnf x5t#S256), but the request came without a TLS client certificate")
	default:
		if tp := mtls.Thumbprint(cert); subtle.ConstantTimeCompare([]byte(tp), []byte(rec.CertificateThumbprint)) != 1 {
			rc.b.add(CodeResourceCertificateMismatch, "client_certificate", "", "the TLS client certificate (x5t#S256 %s) is not the one the access token is bound to (%s)", tp, truncate(rec.CertificateThumbprint, 64))
		}
	}
}

// checkBindingRequired refuses a token that is not sender-constrained as
// the profile requires: certificate-bound under FAPI 1.0 ID2 read-write
// and Advanced (FAPI-RW-6.2.1-2, FAPI1-ADV-6.2.1-2), certificate- or
// DPoP-bound under FAPI 2.0 (FAPI2-SP-5.3.4-5).
func (rc *resourceCheck) checkBindingRequired(rec *AccessTokenRecord) {
	rule := rc.rules.Resource.Binding
	switch {
	case rule.Value == profile.BindingMTLS && rec.CertificateThumbprint == "":
		extra := ""
		if rec.DPoPJKT != "" {
			extra = "; a DPoP binding is not enough"
		}
		rc.b.add(CodeResourceBindingMissing, "token.cnf", rule.Clause, "%s requires certificate-bound access tokens (RFC 8705 section 3), but this token has no cnf x5t#S256%s", rc.rules.Label(), extra)
	case rule.Value == profile.BindingMTLSOrDPoP && rec.CertificateThumbprint == "" && rec.DPoPJKT == "":
		rc.b.add(CodeResourceBindingMissing, "token.cnf", rule.Clause, "%s requires sender-constrained access tokens (MTLS or DPoP), but this token has no cnf", rc.rules.Label())
	}
}

// checkScope refuses a token whose scope lacks a scope the resource
// requires (RFC 6750 §3.1 insufficient_scope).
func (rc *resourceCheck) checkScope(rec *AccessTokenRecord) {
	var missing []string
	scope.Tokens(rc.r.RequiredScope, func(s string) bool {
		if !responseTypeHas(rec.Scope, s) {
			missing = append(missing, s)
		}
		return true
	})
	if len(missing) > 0 {
		rc.b.add(CodeResourceInsufficientScope, "scope", "", "the access token's scope %q lacks %q, which the resource requires", truncate(rec.Scope, 128), truncate(strings.Join(missing, " "), 128))
	}
}

// answer is the HTTP status and the WWW-Authenticate challenge of the
// error response (RFC 6750 §3, §3.1; RFC 9449 §7.1).
func (rc *resourceCheck) answer() (int, string) {
	v, ok := rc.b.r.First()
	if !ok {
		return 0, ""
	}
	if v.Error == OAuthServerError {
		return http.StatusInternalServerError, ""
	}
	if v.Code == CodeResourceCredentialsMissing || v.Code == CodeResourceSchemeUnsupported {
		// RFC 6750 §3.1: no error code for a request without usable
		// credentials; every scheme the resource takes is offered.
		var ch []string
		if rc.dpopOffered() {
			ch = append(ch, rc.challenge(SchemeDPoP, "", ""))
		}
		return http.StatusUnauthorized, strings.Join(append(ch, SchemeBearer), ", ")
	}
	status := http.StatusUnauthorized
	switch v.Error {
	case OAuthInvalidRequest:
		status = http.StatusBadRequest
	case OAuthInsufficientScope:
		status = http.StatusForbidden
	}
	scheme := SchemeBearer
	if rc.dpopBound || rc.creds.scheme == SchemeDPoP || v.Error == OAuthInvalidDPoPProof {
		scheme = SchemeDPoP
	}
	need := ""
	if v.Error == OAuthInsufficientScope && scope.Validate(rc.r.RequiredScope) == nil {
		need = rc.r.RequiredScope // scope-tokens hold no quote or backslash
	}
	return status, rc.challenge(scheme, v.Error, need)
}

// dpopOffered: the service offers DPoP-bound tokens
// (dpop_signing_alg_values_supported, RFC 9449 §5.1) and the profile's
// resources take them.
func (rc *resourceCheck) dpopOffered() bool {
	return len(rc.v.svc.DPoPSigningAlgValuesSupported) > 0 && rc.rules.Resource.Binding.Value != profile.BindingMTLS
}

// challenge formats one challenge (RFC 9110 §11.6.1): the scheme, then
// error and scope when set, and for DPoP the algs the resource accepts.
func (rc *resourceCheck) challenge(scheme, oauthErr, need string) string {
	var sb strings.Builder
	sb.WriteString(scheme)
	sep := " "
	param := func(name, value string) {
		sb.WriteString(sep)
		sb.WriteString(name)
		sb.WriteString(`="`)
		sb.WriteString(value)
		sb.WriteByte('"')
		sep = ", "
	}
	if oauthErr != "" {
		param("error", oauthErr)
	}
	if need != "" {
		param("scope", need)
	}
	if scheme == SchemeDPoP {
		var algs []string
		for _, a := range dpopAlgorithms(rc.v, rc.rules) {
			if isToken(a) { // never a quote in the header
				algs = append(algs, a)
			}
		}
		if len(algs) > 0 {
			param("algs", strings.Join(algs, " "))
		}
	}
	return sb.String()
}

// authProblem is what is wrong with the Authorization header of a
// resource request.
type authProblem uint8

const (
	authOK authProblem = iota
	authMissing
	authDuplicated
	authTooLarge
	authMalformed
	authScheme
)

// credentials are the scheme and token of an Authorization header; the
// scheme is SchemeBearer or SchemeDPoP when it is one of them in any
// letter case, else as sent.
type credentials struct {
	scheme, token string
}

// schemeName is the scheme for messages.
func (c credentials) schemeName() string {
	if c.scheme == SchemeBearer || c.scheme == SchemeDPoP {
		return c.scheme
	}
	return "Bearer or DPoP"
}

// parseAuthorization reads the values of the Authorization header field:
// exactly one (RFC 9110 §11.6.2 gives a request one set of credentials),
// `credentials = auth-scheme [ 1*SP token68 ]` (RFC 9110 §11.4, with the
// leading and trailing whitespace of a field value removed, §5.5), the
// scheme Bearer or DPoP in any letter case (§11.1) and a token68 (RFC 6750
// §2.1 b64token, RFC 9449 §7.1). One empty value counts as none.
func parseAuthorization(values []string) (credentials, authProblem) {
	switch {
	case len(values) == 0:
		return credentials{}, authMissing
	case len(values) > 1:
		return credentials{}, authDuplicated
	case len(values[0]) > MaxAuthorizationSize:
		return credentials{}, authTooLarge
	}
	v := strings.Trim(values[0], " \t")
	if v == "" {
		return credentials{}, authMissing
	}
	i := 0
	for i < len(v) && isTchar(v[i]) {
		i++
	}
	c := credentials{scheme: v[:i]}
	switch {
	case strings.EqualFold(c.scheme, SchemeBearer):
		c.scheme = SchemeBearer
	case strings.EqualFold(c.scheme, SchemeDPoP):
		c.scheme = SchemeDPoP
	case i > 0 && (i == len(v) || v[i] == ' '):
		return c, authScheme // another scheme, whatever its parameters
	default:
		return c, authMalformed
	}
	rest := v[i:]
	token := strings.TrimLeft(rest, " ")
	if len(token) == len(rest) || !isToken68(token) {
		return c, authMalformed
	}
	c.token = token
	return c, authOK
}

// isTchar reports whether b is a tchar of RFC 9110 §5.6.2.
func isTchar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
}

// isToken reports whether s is a token of RFC 9110 §5.6.2.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return s != ""
}

// isToken68 reports whether s is a token68 (RFC 9110 §11.2): 1*( ALPHA /
// DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isToken68(s string) bool {
	end := len(s)
	for end > 0 && s[end-1] == '=' {
		end--
	}
	if end == 0 {
		return false
	}
	for i := 0; i < end; i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '-', b == '.', b == '_', b == '~', b == '+', b == '/':
		default:
			return false
		}
	}
	return true
}
