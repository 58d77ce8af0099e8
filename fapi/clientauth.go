package fapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"net/url"
	"time"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
)

// authInput is what a client authentication check needs from a request at
// the token or PAR endpoint.
type authInput struct {
	params Params
	cert   *x509.Certificate
	// endpoint is the URL of the endpoint that received the request, an
	// accepted assertion audience where the profile allows endpoint URLs;
	// atPAR says it is the PAR endpoint (RFC 9126 §2).
	endpoint string
	atPAR    bool
	// basic holds the credentials of an HTTP Basic Authorization header,
	// or nil when the request had none.
	basic *BasicAuth
}

// checkClientAuthentication checks how the client authenticated — at every
// endpoint where it authenticates (FAPI1-BASE-5.2.2-4; PAR-2.1) — and
// reports whether it was (or should have been) by mTLS.
func checkClientAuthentication(b *builder, v serviceView, pc *PreparedClient, rules *profile.Requirements, in authInput, now time.Time) bool {
	c := &pc.cfg
	method := authMethod(c)
	checkAuthMethodAllowed(b, c, rules, method)
	if cid := in.params.Get("client_id"); in.params.Has("client_id") && cid != c.ClientID {
		b.add(CodeAuthnClientIDMismatch, "client_id", "", "client_id %q is not the authenticated client %q", cid, c.ClientID)
	}
	checkOneMethod(b, method, in)

	switch method {
	case profile.AuthPrivateKeyJWT, profile.AuthClientSecretJWT:
		checkAssertionAuth(b, v, pc, rules, in, method, now)
		return false
	case profile.AuthTLSClient, profile.AuthSelfSignedTLSClient:
		checkMTLSAuth(b, pc, rules, in, method)
		return true
	case profile.AuthNone:
		if !in.params.Has("client_id") {
			b.add(CodeClientIDMissing, "client_id", "RFC6749-4.1.3", "a public client must send client_id")
		}
	case profile.AuthClientSecretBasic, profile.AuthClientSecretPost:
		// Never FAPI methods (checkAuthMethodAllowed refuses them there),
		// but plain OAuth 2.0's: the secret is verified as the
		// registration says it is sent (RFC 6749 §2.3.1).
		if has(rules.ClientAuthMethods.Value, method) { // else refused already
			checkClientSecret(b, c, method, in.params, in.basic)
		}
	default:
		// An unknown method was refused by checkAuthMethodAllowed: nothing
		// can verify it.
	}
	return false
}

// checkAuthMethodAllowed refuses a registered authentication method the
// profile does not allow (FAPI1-ADV-5.2.2-14, FAPI2-SP-5.3.3-4 and the
// plain OAuth methods through rules.ClientAuthMethods), and a public client
// where the profile admits none.
func checkAuthMethodAllowed(b *builder, c *Client, rules *profile.Requirements, method string) {
	public := isPublic(c)
	switch {
	case c.ClientType == "public" && method != profile.AuthNone:
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", rules.ClientAuthMethods.Clause,
			"a public client must use token_endpoint_auth_method none, not %q", method)
	case public && rules.NoPublicClients.Applies():
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", rules.NoPublicClients, "%s does not allow public clients", rules.Label())
	case !public && !has(rules.ClientAuthMethods.Value, method):
		b.add(CodeAuthnMethodNotAllowed, "token_endpoint_auth_method", rules.ClientAuthMethods.Clause,
			"the client's authentication method %q is not allowed by %s", method, rules.Label())
	}
}

// checkOneMethod refuses credentials of another method beside the
// registered one: a client uses exactly one (RFC 6749 §2.3). The secret in
// the body is left to checkClientSecret for client_secret_post and
// client_secret_basic, which know how it may be sent.
func checkOneMethod(b *builder, method string, in authInput) {
	mismatch := func(what string) {
		b.add(CodeAuthnMethodMismatch, what, "", "the client is registered for %s but also sent %s; a client must use exactly one authentication method (RFC 6749 section 2.3)", method, what)
	}
	if in.basic != nil && method != profile.AuthClientSecretBasic {
		mismatch("HTTP Basic authorization")
	}
	assertionMethod := method == profile.AuthPrivateKeyJWT || method == profile.AuthClientSecretJWT
	secretMethod := method == profile.AuthClientSecretBasic || method == profile.AuthClientSecretPost
	if !assertionMethod && !secretMethod && method != profile.AuthNone &&
		method != profile.AuthTLSClient && method != profile.AuthSelfSignedTLSClient {
		return // an unknown method, refused by checkAuthMethodAllowed
	}
	if !assertionMethod && (in.params.Has("client_assertion") || in.params.Has("client_assertion_type")) {
		mismatch("client_assertion")
	}
	if !secretMethod && in.params.Has("client_secret") {
		mismatch("client_secret")
	}
}

// checkAssertionAuth verifies a private_key_jwt or client_secret_jwt
// client assertion (RFC 7523 §3, OIDC Core §9) and keeps it in the report
// when it is valid.
func checkAssertionAuth(b *builder, v serviceView, pc *PreparedClient, rules *profile.Requirements, in authInput, method string, now time.Time) {
	c := &pc.cfg
	params := in.params
	if !params.Has("client_assertion") {
		b.add(CodeClientAssertionMissing, "client_assertion", "", "the client authenticates with %s but sent no client_assertion", method)
		return
	}
	assertionRules := clientassertion.Rules{
		Type:                  params.Get("client_assertion_type"),
		ClientAlgorithm:       c.TokenEndpointAuthSigningAlg,
		ClientID:              c.ClientID,
		Audiences:             assertionAudiences(v.svc, rules, in),
		RequireAudienceString: rules.AssertionAudience.Value == profile.AudienceIssuerString,
		ClockSkew:             v.skew,
		MaxSize:               v.svc.MaxRequestObjectSize,
		KeyMinimums:           rules.Keys.Minimums,
	}
	var a *clientassertion.Assertion
	var errs []*clientassertion.Error
	if method == profile.AuthPrivateKeyJWT {
		assertionRules.Algorithms = rules.SigningAlgs.Value
		if assertionRules.Algorithms == nil {
			assertionRules.Algorithms = asymmetricAlgs
		}
		if pc.keysErr != nil {
			b.add(CodeClientJWKSInvalid, "jwks", "", "the client's registered jwks cannot be used: %v", pc.keysErr)
		}
		a, errs = clientassertion.Verify(params.Get("client_assertion"), pc.keys, assertionRules, now)
	} else {
		assertionRules.Algorithms = hmacAlgs
		a, errs = clientassertion.VerifySecret(params.Get("client_assertion"), []byte(c.ClientSecret), assertionRules, now)
	}
	if a != nil && len(errs) == 0 {
		b.assertion = a
		// RFC 7523 §3 item 7: the jti is used once, held until the
		// assertion can no longer verify.
		b.uses = append(b.uses, pendingUse{
			use:  onetime.Use{Key: onetime.Key(onetime.KindClientAssertion, c.ClientID, a.JWTID), Until: a.Expiry.Add(v.skew)},
			code: CodeClientAssertionReplayed, field: "client_assertion", what: "the client assertion's jti",
		})
	}
	for _, e := range errs {
		var ref clause.Clause
		switch e.Reason {
		case clientassertion.ReasonAlgNotAllowed:
			ref = rules.SigningAlgs.Clause
		case clientassertion.ReasonAudMismatch:
			ref = rules.AssertionAudience.Clause
		case clientassertion.ReasonKeyTooSmall:
			ref = keyClause(rules, e)
			if method == profile.AuthClientSecretJWT {
				ref = defaultRef(secretLengthRefs, b.r.Profiles)
			}
		}
		addReason(b, &clientAssertionReasons, e.Reason, e.Claim, ref, e.Message)
	}
}

// checkMTLSAuth verifies tls_client_auth or self_signed_tls_client_auth
// (RFC 8705 §2): the request's TLS client certificate must match the
// registered subject or keys, and its key must meet the profile's sizes.
func checkMTLSAuth(b *builder, pc *PreparedClient, rules *profile.Requirements, in authInput, method string) {
	c := &pc.cfg
	if !in.params.Has("client_id") {
		b.add(CodeClientIDMissing, "client_id", "RFC8705-2", "a client that authenticates with mTLS must send client_id")
	}
	cert := in.cert
	if cert == nil {
		b.add(CodeMTLSCertificateMissing, "client_certificate", "RFC8705-2",
			"the client authenticates with %s, but the request came without a TLS client certificate", method)
		return
	}
	var err error
	if method == profile.AuthTLSClient {
		err = mtls.MatchTLSClientAuth(cert, mtls.Identity{
			SubjectDN: c.TLSClientAuthSubjectDN, SANDNS: c.TLSClientAuthSANDNS, SANURI: c.TLSClientAuthSANURI,
			SANIP: c.TLSClientAuthSANIP, SANEmail: c.TLSClientAuthSANEmail,
		})
	} else {
		err = mtls.MatchSelfSigned(cert, pc.keys)
	}
	if err != nil {
		ref := clause.Clause("RFC8705-2.1.2")
		if method == profile.AuthSelfSignedTLSClient {
			ref = "RFC8705-2.2.2"
		}
		b.add(CodeMTLSCertificateMismatch, "client_certificate", ref, "the TLS client certificate does not authenticate the client: %v", err)
		return
	}
	if kerr := keysize.Check(cert.PublicKey, rules.Keys.Minimums); kerr != nil {
		// The certificate key is a client-authentication key too
		// (FAPI1-BASE-5.2.2-5, -6 read as covering it).
		b.add(CodeMTLSCertificateMismatch, "client_certificate", keyClause(rules, kerr), "the TLS client certificate's key is not acceptable: %v", kerr)
	}
}

// checkClientSecret verifies a client_secret_basic or client_secret_post
// client's secret (RFC 6749 §2.3.1): in the Authorization header or in the
// form body as registered, never both, compared in constant time with the
// registered one. RFC 6749 §2.3.1 form-encodes the id and secret before
// they go into the header; both the value as sent and its decoded form are
// accepted, since many clients send them unencoded.
func checkClientSecret(b *builder, c *Client, method string, params Params, basic *BasicAuth) {
	var sent string
	switch method {
	case profile.AuthClientSecretBasic:
		if params.Has("client_secret") {
			b.add(CodeAuthnMethodMismatch, "client_secret", "", "the client is registered for client_secret_basic but sent client_secret in the body; a client must use exactly one authentication method (RFC 6749 section 2.3)")
		}
		if basic == nil {
			b.add(CodeAuthnCredentialsMissing, "authorization", "", "the client authenticates with client_secret_basic, but the request has no HTTP Basic Authorization header")
			return
		}
		if !formValueIs(basic.ClientID, c.ClientID) {
			b.add(CodeAuthnClientIDMismatch, "authorization", "", "the HTTP Basic user name %q is not the client %q", truncate(basic.ClientID, 128), c.ClientID)
			return
		}
		sent = basic.ClientSecret
	default:
		if basic != nil {
			return // reported as a second method by the caller
		}
		if !params.Has("client_secret") {
			b.add(CodeAuthnCredentialsMissing, "client_secret", "", "the client authenticates with client_secret_post, but the body has no client_secret")
			return
		}
		if !params.Has("client_id") {
			b.add(CodeClientIDMissing, "client_id", "RFC6749-2.3.1", "a client that sends client_secret in the body must send client_id too")
		}
		sent = params.Get("client_secret")
	}
	switch {
	case c.ClientSecret == "":
		b.add(CodeAuthnCredentialsMissing, "client_secret", "", "the client authenticates with %s, but no client_secret is registered to compare with", method)
	case !secretEqual(sent, c.ClientSecret) && !(method == profile.AuthClientSecretBasic && formDecodedEqual(sent, c.ClientSecret)):
		b.add(CodeAuthnSecretMismatch, "client_secret", "", "the client secret sent with %s is not the registered one", method)
	}
}

// secretEqual compares two secrets in constant time, lengths included: both
// are hashed first, so the time taken says nothing about either.
func secretEqual(a, b string) bool {
	if len(a) > maxSecretLength {
		return false // not hashed: no registered secret is this long
	}
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// formDecodedEqual compares the form-decoded sent value with want (RFC 6749
// §2.3.1); a value that does not decode matches nothing.
func formDecodedEqual(sent, want string) bool {
	if len(sent) > maxSecretLength {
		return false
	}
	d, err := url.QueryUnescape(sent)
	return err == nil && d != sent && secretEqual(d, want)
}

// formValueIs reports whether an HTTP Basic user name is id, as sent or
// form-decoded.
func formValueIs(sent, id string) bool {
	if sent == id {
		return true
	}
	if len(sent) > maxSecretLength {
		return false
	}
	d, err := url.QueryUnescape(sent)
	return err == nil && d == id
}

// assertionAudiences are the aud values a client assertion may carry: the
// issuer, and where the profile allows endpoint URLs, the token endpoint
// (and its mTLS alias, RFC 8705 §5) and, at the PAR endpoint, the PAR
// endpoint (RFC 9126 §2). FAPI 2.0 accepts the issuer only
// (FAPI2-SP-5.3.2.1-8).
func assertionAudiences(svc *Service, rules *profile.Requirements, in authInput) []string {
	if rules.AssertionAudience.Value == profile.AudienceIssuerString {
		return nonEmpty(svc.Issuer)
	}
	auds := nonEmpty(svc.Issuer, svc.TokenEndpoint, svc.MTLSEndpointAliases["token_endpoint"])
	if in.atPAR {
		auds = append(auds, nonEmpty(svc.PushedAuthorizationRequestEndpoint, svc.MTLSEndpointAliases["pushed_authorization_request_endpoint"], in.endpoint)...)
	}
	return auds
}

// secretLengthRefs are the clauses on the length of a client_secret_jwt
// secret: FAPI 1.0's, and OIDC Core §16.19's for every other profile.
var secretLengthRefs = []clause.Clause{"FAPI-R-5.2.2-3", "FAPI1-BASE-5.2.2-3", "OIDCC-16.19"}

// maxSecretLength bounds a client secret or HTTP Basic user name the
// library decodes or hashes; longer ones match nothing.
const maxSecretLength = 4096
