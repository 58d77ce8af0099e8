package dpop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/internal/jose"
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// HeaderName is the HTTP header field that carries a DPoP proof (RFC 9449
// §4.1).
const HeaderName = "DPoP"

// Type is the only "typ" header value a DPoP proof may have (RFC 9449 §4.2,
// §4.3 item 4).
const Type = "dpop+jwt"

// DefaultMaxAge is how far in the past iat may be when Rules.MaxAge is 0.
// RFC 9449 §11.1 leaves the window to the server; five minutes is what the
// FAPI conformance suite uses.
const DefaultMaxAge = 5 * time.Minute

// DefaultMaxSize is the size limit used when Rules.MaxSize is 0: 64 KiB.
const DefaultMaxSize = jose.DefaultMaxSize

// ReplayCache records the proofs already seen (RFC 9449 §11.1). It is
// implemented by the caller: the library keeps no state.
//
// CheckAndStore records key until expiresAt and reports whether it was
// already present (and not yet expired). It must be atomic — two concurrent
// calls with the same key must not both report false — and safe for
// concurrent use. An error is treated as a refusal (fail closed).
//
// A key is at most Rules.MaxSize bytes long, since jti is chosen by the
// client; a cache may store a hash of it instead.
type ReplayCache interface {
	CheckAndStore(key string, expiresAt time.Time) (seen bool, err error)
}

// Rules are what a DPoP proof must satisfy for one request.
type Rules struct {
	// Method is the HTTP method of the request; htm must equal it exactly
	// (RFC 9449 §4.3 item 8). Empty refuses every proof.
	Method string
	// URL is the request's absolute URL as the client addressed it (the
	// external URL when a proxy is in front); htu must equal it ignoring
	// query and fragment (§4.3 item 9). Scheme and host are compared
	// case-insensitively, a default port (80 for http, 443 for https)
	// counts as absent and an empty path as "/"; the path is otherwise
	// compared exactly. An empty or relative URL refuses every proof.
	URL string
	// Algorithms is the allow-list of JWS algorithms, such as PS256, ES256
	// and EdDSA (FAPI2-SP-5.4.1-1). Only asymmetric algorithms are ever
	// accepted: HS256/384/512 and none are refused even when listed (§4.3
	// item 5). Empty allows nothing.
	Algorithms []string
	// MaxAge is how far in the past iat may be; 0 (or a negative value)
	// means DefaultMaxAge (§4.3 item 11; §11.1 leaves the window to the
	// server). The comparison is exact, without clock skew.
	MaxAge time.Duration
	// ClockSkew is how far in the future iat may be. FAPI2-SP-5.3.2.1-13
	// requires accepting 10 s and refusing beyond 60 s, so callers pass a
	// value between the two. A negative value counts as 0.
	ClockSkew time.Duration
	// MaxSize is the size limit of the proof in bytes; 0 means
	// DefaultMaxSize.
	MaxSize int
	// Replay, when set, detects replayed proofs (§11.1). When nil, replay
	// detection is the caller's job and Proof.ReplayChecked is false.
	Replay ReplayCache
	// AccessToken is the access token presented with the proof at a
	// resource: ath must then equal base64url(SHA-256(AccessToken)) (§4.3
	// item 12). Empty at the token and PAR endpoints, where an ath claim is
	// refused.
	AccessToken string
	// Nonce, when set, checks the proof's nonce claim against the nonces
	// the server issued (§4.3 item 10; §8 at the authorization server, §9
	// at a resource): a nonce claim it does not accept is nonce_invalid,
	// whether or not NonceRequired is set — a client that sends a nonce
	// must send a good one. When nil, a nonce claim is not checked (the
	// caller may compare Proof.Nonce itself).
	Nonce NonceChecker
	// NonceRequired refuses a proof without a nonce claim (nonce_missing;
	// §8, §9). With Nonce nil it fails closed: no nonce can then be
	// checked, so a proof with one is nonce_invalid too.
	NonceRequired bool
}

// Proof is a DPoP proof whose signature verified with the key in its own
// "jwk" header. It is acceptable only when Verify returned no error with it.
type Proof struct {
	// Algorithm is the JWS algorithm the proof was signed with.
	Algorithm string
	// JTI, HTM and HTU are the jti, htm and htu claims as sent.
	JTI, HTM, HTU string
	// Nonce is the nonce claim, or "" (RFC 9449 §4.2, §8). Verify checks
	// it when Rules.Nonce is set (§4.3 item 10); otherwise a server that
	// issues DPoP nonces compares it with the one it issued.
	Nonce string
	// IssuedAt is the iat claim.
	IssuedAt time.Time
	// PublicKey is the key from the "jwk" header: *rsa.PublicKey,
	// *ecdsa.PublicKey or ed25519.PublicKey.
	PublicKey crypto.PublicKey
	// JKT is the RFC 7638 SHA-256 thumbprint (base64url) of PublicKey: the
	// value of dpop_jkt and of an access token's cnf.jkt (RFC 9449 §6.1,
	// §10).
	JKT string
	// ReplayUntil is how long the proof must be remembered to detect its
	// replay: iat + MaxAge + ClockSkew.
	ReplayUntil time.Time
	// ReplayChecked is true when Rules.Replay was consulted and reported
	// the proof as new. When false and Verify returned no error, replay
	// detection is the caller's (record ReplayKey until ReplayUntil).
	ReplayChecked bool
}

// ReplayKey is the key under which the proof is recorded in a ReplayCache:
// JKT ":" JTI. The thumbprint has no colon, so the key is unambiguous; a
// jti is only a replay when used again with the same key.
func (p *Proof) ReplayKey() string {
	if p == nil {
		return ""
	}
	return p.JKT + ":" + p.JTI
}

// Verify checks the DPoP header field values of one request against rules
// at time now. Pass every value of the DPoP header (for example
// r.Header.Values(dpop.HeaderName)): more than one is refused (RFC 9449
// §4.3 item 1); none is "missing". The checks and their order are listed in
// the package documentation.
//
// Verify returns the Proof when its signature verified with the key of its
// "jwk" header and its claims could be decoded — even if some claim rules
// failed, which are then listed in the errors — and nil otherwise. The
// proof is acceptable only when the error list is empty.
func Verify(headerValues []string, rules Rules, now time.Time) (*Proof, []*Error) {
	t, errs := parseProof(headerValues, rules.MaxSize)
	if t == nil {
		return nil, errs
	}
	checkTyp(&errs, t)
	key, usable := headerKey(&errs, t, rules.Algorithms)
	if !usable {
		return nil, errs
	}
	jkt, err := verifySignature(t, key, rules.Algorithms)
	if err != nil {
		return nil, append(errs, err)
	}
	c, sc, ok := decodeClaims(&errs, t)
	if !ok {
		return nil, errs
	}
	p := &Proof{
		Algorithm: t.Header.Alg,
		JTI:       c.JWTID.Value,
		HTM:       sc.htm,
		HTU:       sc.htu,
		Nonce:     sc.nonce,
		PublicKey: key.Public,
		JKT:       jkt,
	}
	checkJTI(&errs, c)
	checkHTM(&errs, sc, rules.Method)
	checkHTU(&errs, sc, rules.URL)
	checkTimes(&errs, c, p, rules, now)
	checkATH(&errs, c, sc, rules.AccessToken)
	checkNonce(&errs, sc, rules, now)
	checkReplay(&errs, p, rules.Replay)
	return p, errs
}

// errorList collects the errors of one proof, in the order of the checks.
type errorList []*Error

// add appends an error without an underlying cause.
func (l *errorList) add(r Reason, claim, format string, args ...any) {
	*l = append(*l, &Error{Reason: r, Claim: claim, Message: fmt.Sprintf(format, args...)})
}

// parseProof takes the one DPoP header field value (§4.3 item 1), applies
// the size limit and parses the compact JWS (item 2). It returns nil and
// the error when there is no proof to look at.
func parseProof(headerValues []string, maxSize int) (*jose.JWS, errorList) {
	switch {
	case len(headerValues) == 0 || len(headerValues) == 1 && headerValues[0] == "":
		return nil, errorList{{Reason: ReasonMissing, Claim: HeaderName,
			Message: "the request has no DPoP header field"}}
	case len(headerValues) > 1:
		return nil, errorList{{Reason: ReasonMalformed, Claim: HeaderName,
			Message: fmt.Sprintf("the request has %d DPoP header fields; exactly one is allowed (RFC 9449 section 4.3 item 1)", len(headerValues))}}
	}
	value := headerValues[0]
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(value) > maxSize {
		return nil, errorList{{Reason: ReasonTooLarge, Claim: HeaderName,
			Message: fmt.Sprintf("the DPoP proof is %d bytes, more than the limit of %d", len(value), maxSize)}}
	}
	t, err := jose.Parse(value, maxSize)
	if err != nil {
		return nil, errorList{fromJOSE(err)}
	}
	return t, nil
}

// checkTyp: "typ" is exactly "dpop+jwt" (§4.3 item 4).
func checkTyp(errs *errorList, t *jose.JWS) {
	typ := t.Header.Typ
	if typ == Type {
		return
	}
	if _, ok := strictjson.Lookup(t.Header.Members, "typ"); !ok {
		errs.add(ReasonTypInvalid, "typ", "the proof has no typ header; it must be %q (RFC 9449 section 4.3 item 4)", Type)
	} else {
		errs.add(ReasonTypInvalid, "typ", "typ %q is not %q (RFC 9449 section 4.3 item 4)", typ, Type)
	}
}

// headerKey checks "alg" (§4.3 item 5, decided before the key is used, RFC
// 8725 §3.1) and then the "jwk" header (§4.2, §4.3 item 7). usable is false
// when either fails; both are reported.
func headerKey(errs *errorList, t *jose.JWS, algorithms []string) (key jose.Key, usable bool) {
	algOK := checkAlg(errs, t.Header.Alg, algorithms)
	key, keyOK := parseHeaderJWK(errs, t.Header.JWK)
	return key, algOK && keyOK
}

// checkAlg: "alg" is an asymmetric algorithm this library implements and is
// in the allow-list (§4.3 item 5).
func checkAlg(errs *errorList, alg string, algorithms []string) bool {
	switch {
	case jose.IsSymmetric(alg):
		errs.add(ReasonAlgNotAllowed, "alg", "%s is a symmetric (HMAC) algorithm; a DPoP proof needs an asymmetric one (RFC 9449 section 4.3 item 5)", alg)
	case !jose.IsAsymmetric(alg):
		errs.add(ReasonAlgNotAllowed, "alg", "%q is not a supported asymmetric signature algorithm (RFC 9449 section 4.3 item 5)", alg)
	case !contains(algorithms, alg):
		errs.add(ReasonAlgNotAllowed, "alg", "%s is not one of the allowed algorithms %v (RFC 9449 section 4.3 item 5)", alg, algorithms)
	default:
		return true
	}
	return false
}

// parseHeaderJWK: the "jwk" header is present (§4.2) and is one public key
// (§4.3 item 7).
func parseHeaderJWK(errs *errorList, jwk []byte) (jose.Key, bool) {
	if jwk == nil {
		errs.add(ReasonMalformed, "jwk", "the proof has no jwk header holding the public key (RFC 9449 section 4.2)")
		return jose.Key{}, false
	}
	key, err := jose.ParsePublicJWK(jwk)
	if err == nil {
		return key, true
	}
	var je *jose.Error
	member := ""
	if errors.As(err, &je) {
		member = je.Field
	}
	if errors.Is(err, jose.ErrPrivateKey) {
		*errs = append(*errs, &Error{Reason: ReasonJWKPrivate, Claim: "jwk", Err: err,
			Message: fmt.Sprintf("the jwk header holds private key material (member %q); it must be a public key (RFC 9449 section 4.3 item 7)", member)})
	} else {
		*errs = append(*errs, &Error{Reason: ReasonMalformed, Claim: "jwk", Err: err,
			Message: "the jwk header is not a usable public key: " + jose.Detail(err)})
	}
	return key, false
}

// verifySignature verifies the proof with the key of its "jwk" header (§4.3
// item 6) and returns the key's thumbprint. Nothing in a proof that fails
// here is trusted.
func verifySignature(t *jose.JWS, key jose.Key, algorithms []string) (string, *Error) {
	if err := t.VerifyWithKey(algorithms, key.Public); err != nil {
		alg := t.Header.Alg
		msg := fmt.Sprintf("the %s signature does not verify with the key in the jwk header (RFC 9449 section 4.3 item 6)", alg)
		if errors.Is(err, jose.ErrNoKey) {
			msg = fmt.Sprintf("the jwk header holds %s, which cannot verify %s (RFC 9449 section 4.3 item 6)", describeKey(key.Public), alg)
		}
		return "", &Error{Reason: ReasonSignatureInvalid, Claim: "jwk", Message: msg, Err: err}
	}
	jkt, err := jose.Thumbprint(key.Public)
	if err != nil {
		return "", &Error{Reason: ReasonMalformed, Claim: "jwk", Err: err,
			Message: "the thumbprint of the jwk header cannot be computed: " + jose.Detail(err)}
	}
	return jkt, nil
}

// stringClaims are the claims of a proof that must be JSON strings when
// present (RFC 9449 §4.2).
type stringClaims struct {
	htm, htu, ath, nonce         string
	htmOK, htuOK, athOK, nonceOK bool
}

// decodeClaims decodes the claims strictly, with htm, htu, ath and nonce as
// strings. ok is false when any of that fails.
func decodeClaims(errs *errorList, t *jose.JWS) (c *jose.Claims, sc stringClaims, ok bool) {
	c, err := jose.DecodeClaims(t.Payload)
	if err != nil {
		*errs = append(*errs, fromJOSE(err))
		return nil, sc, false
	}
	var err1, err2, err3, err4 *Error
	sc.htm, sc.htmOK, err1 = stringClaim(c, "htm")
	sc.htu, sc.htuOK, err2 = stringClaim(c, "htu")
	sc.ath, sc.athOK, err3 = stringClaim(c, "ath")
	sc.nonce, sc.nonceOK, err4 = stringClaim(c, "nonce")
	ok = true
	for _, e := range [...]*Error{err1, err2, err3, err4} {
		if e != nil {
			*errs = append(*errs, e)
			ok = false
		}
	}
	return c, sc, ok
}

// checkJTI: jti is required (§4.2, §4.3 item 3, §11.1).
func checkJTI(errs *errorList, c *jose.Claims) {
	if !c.JWTID.Present || c.JWTID.Value == "" {
		errs.add(ReasonJTIMissing, "jti", "the proof has no jti, or an empty one (RFC 9449 section 4.2, section 4.3 item 3)")
	}
}

// checkHTM: htm is the request method (§4.3 item 8); method names are
// case-sensitive (RFC 9110 §9.1).
func checkHTM(errs *errorList, sc stringClaims, method string) {
	switch {
	case !sc.htmOK:
		errs.add(ReasonHTMMismatch, "htm", "htm is missing; it must be the request method %q (RFC 9449 section 4.2)", method)
	case method == "":
		errs.add(ReasonHTMMismatch, "htm", "the request method is not known, so htm %q cannot be checked", sc.htm)
	case sc.htm != method:
		errs.add(ReasonHTMMismatch, "htm", "htm %q is not the request method %q (RFC 9449 section 4.3 item 8)", sc.htm, method)
	}
}

// checkHTU: htu is the request URI, ignoring query and fragment (§4.3 item
// 9).
func checkHTU(errs *errorList, sc stringClaims, requestURL string) {
	if !sc.htuOK {
		errs.add(ReasonHTUMismatch, "htu", "htu is missing; it must be the request URI %q (RFC 9449 section 4.2)", requestURL)
	} else if want, err := normalizeURI(requestURL); err != nil {
		*errs = append(*errs, &Error{Reason: ReasonHTUMismatch, Claim: "htu", Err: err,
			Message: fmt.Sprintf("the request URL %q is not usable, so htu cannot be checked: %v", requestURL, err)})
	} else if got, err := normalizeURI(sc.htu); err != nil {
		*errs = append(*errs, &Error{Reason: ReasonHTUMismatch, Claim: "htu", Err: err,
			Message: fmt.Sprintf("htu %q is not an absolute URI: %v (RFC 9449 section 4.2)", sc.htu, err)})
	} else if got != want {
		errs.add(ReasonHTUMismatch, "htu", "htu %q is not the request URI %q, ignoring query and fragment (RFC 9449 section 4.3 item 9)", sc.htu, requestURL)
	}
}

// checkTimes: iat is required (§4.2) and within the window of §4.3 item 11
// and §11.1; it sets p.IssuedAt and p.ReplayUntil. exp and nbf are
// optional in a proof, but honoured when sent (RFC 7519 §4.1.4, §4.1.5):
// exp without skew, nbf with it.
func checkTimes(errs *errorList, c *jose.Claims, p *Proof, rules Rules, now time.Time) {
	maxAge := rules.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	skew := max(rules.ClockSkew, 0)
	if !c.IssuedAt.Present {
		errs.add(ReasonMalformed, "iat", "the proof has no iat claim (RFC 9449 section 4.2, section 4.3 item 3)")
	} else {
		iat := c.IssuedAt.Time()
		p.IssuedAt = iat
		p.ReplayUntil = iat.Add(maxAge).Add(skew)
		// Exact comparisons: iat may have a fraction (RFC 7519 §2).
		switch {
		case c.IssuedAt.After(now.Add(skew)):
			errs.add(ReasonIATInFuture, "iat", "iat %s is more than %s after now (%s) (RFC 9449 section 4.3 item 11)", c.IssuedAt, skew, fmtTime(now))
		case c.IssuedAt.Compare(now.Add(-maxAge)) < 0:
			// now − iat > maxAge, exactly.
			errs.add(ReasonIATTooOld, "iat", "iat %s is more than %s before now (%s) (RFC 9449 section 4.3 item 11, section 11.1)", c.IssuedAt, maxAge, fmtTime(now))
		}
	}
	if c.Expiry.Present && c.Expiry.NotAfter(now) {
		errs.add(ReasonIATTooOld, "exp", "the proof expired at %s (now %s)", c.Expiry, fmtTime(now))
	}
	if c.NotBefore.Present && c.NotBefore.After(now.Add(skew)) {
		errs.add(ReasonIATInFuture, "nbf", "the proof is not valid before %s (now %s, clock skew %s)", c.NotBefore, fmtTime(now), skew)
	}
}

// checkATH: no ath where no access token is presented, and the access
// token's hash where one is (§4.3 item 12).
func checkATH(errs *errorList, c *jose.Claims, sc stringClaims, accessToken string) {
	if accessToken == "" {
		if _, ok := c.Lookup("ath"); ok {
			errs.add(ReasonATHPresent, "ath", "the proof carries an ath claim, but no access token is presented here; ath is for requests to a resource (RFC 9449 section 4.2, section 4.3 item 12)")
		}
		return
	}
	sum := sha256.Sum256([]byte(accessToken))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	switch {
	case !sc.athOK:
		errs.add(ReasonATHMismatch, "ath", "ath is missing; a proof sent with an access token must carry its hash (RFC 9449 section 4.3 item 12)")
	case subtle.ConstantTimeCompare([]byte(sc.ath), []byte(want)) != 1:
		errs.add(ReasonATHMismatch, "ath", "ath %q is not the hash of the access token presented (RFC 9449 section 4.3 item 12)", sc.ath)
	}
}

// checkNonce: the nonce claim is one the server issued (§4.3 item 10), and
// present when the server requires one (§8, §9). A nonce outside the
// NQCHAR grammar (§8.1) never reaches the checker.
func checkNonce(errs *errorList, sc stringClaims, rules Rules, now time.Time) {
	switch {
	case !sc.nonceOK:
		if rules.NonceRequired {
			errs.add(ReasonNonceMissing, "nonce", "the proof has no nonce claim, but this server requires the nonce it provides in the DPoP-Nonce header (RFC 9449 section 8, section 9)")
		}
	case rules.Nonce == nil && !rules.NonceRequired:
		// No checker: the caller compares Proof.Nonce.
	case !ValidNonceSyntax(sc.nonce):
		errs.add(ReasonNonceInvalid, "nonce", "the proof's nonce claim is empty or has characters outside the nonce grammar (RFC 9449 section 8.1)")
	case rules.Nonce == nil || !rules.Nonce.Valid(sc.nonce, now):
		errs.add(ReasonNonceInvalid, "nonce", "the proof's nonce is not one this server provided, or it has expired (RFC 9449 section 4.3 item 10, section 8)")
	}
}

// checkReplay records the proof in the replay cache (§11.1): only a proof
// that passed every other check is recorded, and a cache error refuses it.
func checkReplay(errs *errorList, p *Proof, cache ReplayCache) {
	if cache == nil || len(*errs) > 0 {
		return
	}
	seen, err := cache.CheckAndStore(p.ReplayKey(), p.ReplayUntil)
	switch {
	case err != nil:
		*errs = append(*errs, &Error{Reason: ReasonReplayed, Claim: "jti", Err: err,
			Message: "the replay cache failed, so the proof is refused"}) // the cause is Err, never quoted to the client
	case seen:
		errs.add(ReasonReplayed, "jti", "the proof with jti %q was already used with this key (RFC 9449 section 11.1)", p.JTI)
	default:
		p.ReplayChecked = true
	}
}

// MatchJKT reports whether the key of proof p is the one identified by jkt:
// the dpop_jkt of a pushed authorization request or of the authorization
// code's record (RFC 9449 §10, §10.1; FAPI2-SP-5.3.2.1-12), or the cnf.jkt
// of an access token (§4.3 item 12, §6.1). The comparison takes constant
// time. An empty jkt, or a nil proof, is an error (jkt_mismatch): there is
// nothing to bind to, and silently accepting would drop the binding. Call
// it only with a proof that Verify accepted.
func MatchJKT(p *Proof, jkt string) error {
	switch {
	case jkt == "":
		return &Error{Reason: ReasonJKTMismatch, Claim: "dpop_jkt", Message: "there is no key thumbprint (dpop_jkt) to compare the proof's key with"}
	case p == nil || p.JKT == "":
		return &Error{Reason: ReasonJKTMismatch, Claim: "dpop_jkt", Message: "there is no verified proof to compare with dpop_jkt"}
	case subtle.ConstantTimeCompare([]byte(p.JKT), []byte(jkt)) != 1:
		return &Error{Reason: ReasonJKTMismatch, Claim: "dpop_jkt",
			Message: fmt.Sprintf("the proof's key has thumbprint %q, not %q (RFC 9449 section 10)", p.JKT, jkt)}
	}
	return nil
}

// Thumbprint returns the RFC 7638 SHA-256 JWK thumbprint (base64url) of an
// RSA, EC (P-256, P-384, P-521) or Ed25519 public key: the dpop_jkt value a
// client sends for its key (RFC 9449 §10) and the jkt of an access token's
// confirmation (§6.1).
func Thumbprint(pub crypto.PublicKey) (string, error) {
	tp, err := jose.Thumbprint(pub)
	if err != nil {
		return "", fmt.Errorf("dpop: thumbprint: %w", err)
	}
	return tp, nil
}

// stringClaim returns a claim that must be a JSON string when present.
func stringClaim(c *jose.Claims, name string) (string, bool, *Error) {
	m, ok := c.Lookup(name)
	if !ok {
		return "", false, nil
	}
	if m.Kind != strictjson.String {
		return "", false, &Error{Reason: ReasonMalformed, Claim: name,
			Message: fmt.Sprintf("%s must be a string, not %s (RFC 9449 section 4.2)", name, m.Kind)}
	}
	s, err := m.StringValue()
	if err != nil {
		return "", false, &Error{Reason: ReasonMalformed, Claim: name, Err: err,
			Message: fmt.Sprintf("%s is not a valid JSON string", name)}
	}
	return s, true, nil
}

func fromJOSE(err error) *Error {
	var je *jose.Error
	e := &Error{Err: err}
	if errors.As(err, &je) {
		e.Claim = je.Field
	}
	switch {
	case errors.Is(err, jose.ErrTooLarge):
		e.Reason, e.Message = ReasonTooLarge, "the DPoP proof is too large: "+jose.Detail(err)
	case errors.Is(err, jose.ErrUnsigned):
		e.Reason, e.Message = ReasonAlgNotAllowed, "the DPoP proof is not signed (alg none; RFC 9449 section 4.3 item 5)"
	default:
		e.Reason, e.Message = ReasonMalformed, "the DPoP proof is malformed: "+jose.Detail(err)
	}
	return e
}

// describeKey names the kind of a public key for messages.
func describeKey(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "an RSA key"
	case *ecdsa.PublicKey:
		if k != nil && k.Curve != nil {
			return "an EC " + k.Curve.Params().Name + " key"
		}
		return "an EC key"
	case ed25519.PublicKey:
		return "an Ed25519 key"
	}
	return fmt.Sprintf("a %T key", pub)
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
