package fapitest

import (
	"crypto/x509/pkix"
	"time"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// Variant is a request of a flow broken in one way: the valid request
// with a single change that the profile forbids. Exactly one of Pushed,
// Authorization and Token is set, as Step says; a server must refuse it,
// and fapi's check reports Want.
type Variant struct {
	// Name identifies the variant, e.g. "request_object.expired".
	Name string
	// Clause is the clause the change breaks under the flow's profile, as
	// the violation's Ref cites it (docs/DESIGN.md §2, "Citing clauses"):
	// "FAPI2-SP-5.3.2.1-8", "RFC7519-4.1.4", "OIDCC-9".
	Clause clause.Clause
	// Description says what was changed.
	Description string
	// Step is the request that carries the change.
	Step Step
	// Want is the violation code fapi reports for it.
	Want fapi.Code

	Pushed        *fapi.PushedAuthorizationRequest
	Authorization *fapi.AuthorizationRequest
	Token         *fapi.TokenRequest
}

// clauses are the clause a variant breaks under each profile, as the
// violation's Ref cites it; the "" entry holds for the profiles not
// listed.
type clauses map[profile.Profile]clause.Clause

func (c clauses) of(p profile.Profile) clause.Clause {
	if s, ok := c[p]; ok {
		return s
	}
	return c[""]
}

// variantDef declares a variant: when it applies to a flow, and the tweak
// that makes it.
type variantDef struct {
	name, desc string
	clause     clauses
	want       fapi.Code
	applies    func(f *Flow) bool
	tweak      tweak
	front      bool // the change is in the first request (PAR or authorization)
}

func always(*Flow) bool         { return true }
func withObject(f *Flow) bool   { return f.hasObject() }
func withPKCE(f *Flow) bool     { return f.pkce() }
func withDPoP(f *Flow) bool     { return f.Client.DPoPKey != nil }
func strictObject(f *Flow) bool { return f.hasObject() && f.Profile != profile.FAPI1ReadWrite }
func withMTLS(f *Flow) bool     { return f.Client.DPoPKey == nil && f.Client.Certificate != nil }
func withNonce(f *Flow) bool    { return withDPoP(f) && f.DPoPNonce != "" }
func withRequiredNonce(f *Flow) bool {
	return withNonce(f) && f.Service != nil && f.Service.RequireDPoPNonce
}

// variants is the documented set of broken requests. Each is declared by
// hand with the code the library must report; the tests of this package
// prove every one is refused with it.
var variants = []variantDef{
	// Request objects (OIDC Core §6.1, RFC 9101, FAPI1-ADV-5.2.2).
	{name: "request_object.expired", clause: clauses{"": "RFC7519-4.1.4"}, want: fapi.CodeRequestObjectExpired, applies: withObject, front: true,
		desc: "the request object's exp is a minute ago (nbf moved back to keep its lifetime)",
		tweak: tweak{object: func(c Claims) Claims {
			return c.With("exp", c["iat"].(int64)-60, "nbf", c["iat"].(int64)-360, "iat", c["iat"].(int64)-360)
		}}},
	{name: "request_object.lifetime_too_long", clause: clauses{"": "FAPI1-ADV-5.2.2-13", profile.FAPI2MessageSigning: "FAPI2-MS-5.3.1-4"}, want: fapi.CodeRequestObjectLifetimeTooLong, applies: strictObject, front: true,
		desc:  "the request object's exp is 61 minutes after its nbf",
		tweak: tweak{object: func(c Claims) Claims { return c.With("exp", c["nbf"].(int64)+61*60) }}},
	{name: "request_object.exp_missing", clause: clauses{"": "FAPI1-ADV-5.2.2-13", profile.FAPI1ReadWrite: "FAPI-RW-5.2.2-13", profile.FAPI2MessageSigning: "FAPI2-MS-5.3.1-4"}, want: fapi.CodeRequestObjectExpMissing, applies: withObject, front: true,
		desc:  "the request object has no exp",
		tweak: tweak{object: func(c Claims) Claims { return c.Without("exp") }}},
	{name: "request_object.nbf_missing", clause: clauses{"": "FAPI1-ADV-5.2.2-17", profile.FAPI2MessageSigning: "FAPI2-MS-5.3.1-3"}, want: fapi.CodeRequestObjectNbfMissing, applies: strictObject, front: true,
		desc:  "the request object has no nbf",
		tweak: tweak{object: func(c Claims) Claims { return c.Without("nbf") }}},
	{name: "request_object.aud_mismatch", clause: clauses{"": "FAPI1-ADV-5.2.2-15", profile.FAPI2MessageSigning: "FAPI2-MS-5.3.1-2"}, want: fapi.CodeRequestObjectAudMismatch, applies: strictObject, front: true,
		desc:  "the request object's aud is another server",
		tweak: tweak{object: func(c Claims) Claims { return c.With("aud", "https://other.example.com") }}},
	{name: "request_object.unsigned", clause: clauses{"": "FAPI1-ADV-8.6-3", profile.FAPI1ReadWrite: "FAPI-RW-8.6-3", profile.FAPI2MessageSigning: "FAPI2-SP-5.4.1-1"}, want: fapi.CodeRequestObjectUnsigned, applies: withObject, front: true,
		desc:  `the request object is unsigned ("alg":"none")`,
		tweak: tweak{signObject: func(_ *Flow, c Claims) (string, error) { return Unsigned(c) }}},
	{name: "request_object.alg_confusion", clause: clauses{"": "FAPI1-ADV-8.6-1", profile.FAPI1ReadWrite: "FAPI-RW-8.6-1", profile.FAPI2MessageSigning: "FAPI2-SP-5.4.1-1"}, want: fapi.CodeRequestObjectAlgNotAllowed, applies: withObject, front: true,
		desc: "the request object is MACed with HS256, the client's public JWK Set as the secret",
		tweak: tweak{signObject: func(f *Flow, c Claims) (string, error) {
			return signWithPublicAsSecret(f, map[string]any{"typ": TypeRequestObject}, c)
		}}},
	{name: "request_object.signature_invalid", clause: clauses{"": "JAR-6.2"}, want: fapi.CodeRequestObjectSignatureInvalid, applies: withObject, front: true,
		desc: "the request object is signed by another key under the client's kid",
		tweak: tweak{signObject: func(f *Flow, c Claims) (string, error) {
			k, err := otherKey(f)
			if err != nil {
				return "", err
			}
			return RequestObject(k, c)
		}}},

	// PKCE (RFC 7636; FAPI1-ADV-5.2.2-18, FAPI2-SP-5.3.2.2-5).
	{name: "pkce.challenge_missing", clause: clauses{"": "FAPI2-SP-5.3.2.2-5", profile.FAPI1Advanced: "FAPI1-ADV-5.2.2-18", profile.FAPI1Baseline: "FAPI1-BASE-5.2.2-7", profile.FAPI1ReadOnly: "FAPI-R-5.2.2-7"}, want: fapi.CodePKCEChallengeMissing, applies: withPKCE, front: true,
		desc:  "no code_challenge is sent",
		tweak: tweak{params: func(p map[string]string) { delete(p, "code_challenge"); delete(p, "code_challenge_method") }}},
	{name: "pkce.method_not_s256", clause: clauses{"": "FAPI2-SP-5.3.2.2-5", profile.FAPI1Advanced: "FAPI1-ADV-5.2.2-18", profile.FAPI1Baseline: "FAPI1-BASE-5.2.2-7", profile.FAPI1ReadOnly: "FAPI-R-5.2.2-7"}, want: fapi.CodePKCEMethodNotS256, applies: withPKCE, front: true,
		desc:  "the code_challenge_method is plain, the challenge the verifier itself",
		tweak: tweak{params: func(p map[string]string) { p["code_challenge"], p["code_challenge_method"] = Verifier, "plain" }}},

	// Client assertions at the token endpoint (RFC 7523 §3, OIDC Core §9).
	{name: "client_assertion.expired", clause: clauses{"": "RFC7523-3"}, want: fapi.CodeClientAssertionExpired, applies: always,
		desc: "the client assertion's exp is a minute ago",
		tweak: tweak{assertion: func(c Claims) Claims {
			return c.With("exp", c["iat"].(int64)-60, "iat", c["iat"].(int64)-120)
		}}},
	{name: "client_assertion.aud_mismatch", clause: clauses{"": "RFC7523-3", profile.FAPI2Security: "FAPI2-SP-5.3.2.1-8", profile.FAPI2MessageSigning: "FAPI2-SP-5.3.2.1-8"}, want: fapi.CodeClientAssertionAudMismatch, applies: always,
		desc:  "the client assertion's aud is another server",
		tweak: tweak{assertion: func(c Claims) Claims { return c.With("aud", "https://other.example.com") }}},
	{name: "client_assertion.jti_missing", clause: clauses{"": "OIDCC-9"}, want: fapi.CodeClientAssertionJTIMissing, applies: always,
		desc:  "the client assertion has no jti",
		tweak: tweak{assertion: func(c Claims) Claims { return c.Without("jti") }}},
	{name: "client_assertion.signature_invalid", clause: clauses{"": "OIDCC-9"}, want: fapi.CodeClientAssertionSignatureInvalid, applies: always,
		desc: "the client assertion is signed by another key under the client's kid",
		tweak: tweak{signAssert: func(f *Flow, c Claims) (string, error) {
			k, err := otherKey(f)
			if err != nil {
				return "", err
			}
			return ClientAssertion(k, c)
		}}},
	{name: "client_assertion.alg_confusion", clause: clauses{"": "FAPI2-SP-5.4.1-1", profile.FAPI1Advanced: "FAPI1-ADV-8.6-1", profile.FAPI1Baseline: "OIDCR-2", profile.FAPI1ReadOnly: "OIDCR-2", profile.FAPI1ReadWrite: "FAPI-RW-8.6-1"}, want: fapi.CodeClientAssertionAlgNotAllowed, applies: always,
		desc: "the client assertion is MACed with HS256, the client's public JWK Set as the secret",
		tweak: tweak{signAssert: func(f *Flow, c Claims) (string, error) {
			return signWithPublicAsSecret(f, nil, c)
		}}},

	// DPoP proofs at the token endpoint (RFC 9449 §4.3).
	{name: "dpop.htu_mismatch", clause: clauses{"": "DPOP-4.3"}, want: fapi.CodeDPoPHTUMismatch, applies: withDPoP,
		desc:  "the DPoP proof was made for the PAR endpoint",
		tweak: tweak{proof: func(c Claims) Claims { return c.With("htu", c["htu"].(string)+"-elsewhere") }}},
	{name: "dpop.htm_mismatch", clause: clauses{"": "DPOP-4.3"}, want: fapi.CodeDPoPHTMMismatch, applies: withDPoP,
		desc:  "the DPoP proof was made for a GET",
		tweak: tweak{proof: func(c Claims) Claims { return c.With("htm", "GET") }}},
	{name: "dpop.iat_too_old", clause: clauses{"": "DPOP-4.3"}, want: fapi.CodeDPoPIATTooOld, applies: withDPoP,
		desc:  "the DPoP proof was made an hour ago",
		tweak: tweak{proof: func(c Claims) Claims { return c.With("iat", c["iat"].(int64)-3600) }}},
	{name: "dpop.jkt_mismatch", clause: clauses{"": "FAPI2-SP-5.3.2.1-12"}, want: fapi.CodeDPoPJKTMismatch, applies: withDPoP,
		desc:  "the DPoP proof is signed by a key the code is not bound to",
		tweak: tweak{proofKey: func(*Flow) (*Key, error) { return NewKey("ES256") }}},
	// Server nonces (RFC 9449 §8), for a flow with the server's DPoPNonce.
	{name: "dpop.nonce_missing", clause: clauses{"": "DPOP-8"}, want: fapi.CodeDPoPNonceMissing, applies: withRequiredNonce,
		desc:  "the DPoP proof carries no nonce, though the server requires its nonce",
		tweak: tweak{proof: func(c Claims) Claims { return c.Without("nonce") }}},
	{name: "dpop.nonce_invalid", clause: clauses{"": "DPOP-8"}, want: fapi.CodeDPoPNonceInvalid, applies: withNonce,
		desc:  "the DPoP proof carries a nonce the server did not provide",
		tweak: tweak{proof: func(c Claims) Claims { return c.With("nonce", "not-the-servers-nonce") }}},

	// Certificate-bound tokens at the token endpoint (RFC 8705 §3).
	{name: "mtls.certificate_missing", clause: clauses{"": "RFC8705-3", profile.FAPI1Advanced: "FAPI1-ADV-5.2.2-5", profile.FAPI1ReadWrite: "FAPI-RW-5.2.2-5", profile.FAPI2MessageSigning: "FAPI2-SP-5.3.2.1-4", profile.FAPI2Security: "FAPI2-SP-5.3.2.1-4"}, want: fapi.CodeMTLSCertificateMissing, applies: withMTLS,
		desc: "the token request comes without the client's certificate",
		tweak: tweak{token: func(_ *Flow, r *fapi.TokenRequest) error {
			r.ClientCertificate = nil
			return nil
		}}},
	{name: "mtls.certificate_mismatch", clause: clauses{"": "RFC8705-3"}, want: fapi.CodeMTLSCertificateMismatch, applies: func(f *Flow) bool { return withMTLS(f) && f.fapi2() },
		desc: "the token request comes with another certificate than the code is bound to",
		tweak: tweak{token: func(_ *Flow, r *fapi.TokenRequest) error {
			k, err := NewKey("ES256")
			if err != nil {
				return err
			}
			r.ClientCertificate, err = NewClientCertificate(k, pkix.Name{CommonName: "someone-else.example.org"})
			return err
		}}},

	// The code (FAPI2-SP-5.3.2.1-11).
	{name: "code.expired", clause: clauses{"": "FAPI2-SP-5.3.2.1-11"}, want: fapi.CodeCodeExpired, applies: func(f *Flow) bool { return f.fapi2() },
		desc: "the code was issued more than 60 seconds ago",
		tweak: tweak{token: func(f *Flow, r *fapi.TokenRequest) error {
			r.Authorization.IssuedAt = f.Now.Add(-2 * time.Minute)
			return nil
		}}},
}

// otherKey is a fresh key of the client's algorithm under the client's
// kid: a signature the registered key does not verify.
func otherKey(f *Flow) (*Key, error) {
	k, err := NewKey(f.Client.Key.Alg)
	if err != nil {
		return nil, err
	}
	return k.WithID(f.Client.Key.ID), nil
}

// signWithPublicAsSecret MACs claims with HS256 keyed by the client's
// public JWK Set: the algorithm-confusion attack (RFC 8725 §2.1).
func signWithPublicAsSecret(f *Flow, header map[string]any, c Claims) (string, error) {
	set, err := PublicJWKS(f.Client.Key)
	if err != nil {
		return "", err
	}
	k, err := NewSecretKey("HS256", set)
	if err != nil {
		return "", err
	}
	return SignJWT(k.WithID(f.Client.Key.ID), header, c)
}

// Variants returns the broken requests that apply to the flow, each with
// a single change to one of its valid requests, signed afresh. The set is
// documented in the package's variant table: request objects (expired,
// lifetime over 60 minutes, no exp, no nbf, another aud, unsigned, HS256
// with the public key as secret, another key under the client's kid), PKCE
// (no challenge, plain), client assertions (expired, another aud, no jti,
// another key, HS256 with the public key), DPoP proofs (another htu or
// htm, an hour old, another key), certificate binding (no certificate,
// another one) and, under FAPI 2.0, a code older than 60 seconds.
//
// Replay is not among them: detecting a reused jti needs the server's
// state (fapi.WithReplayCache), so a test sends a valid request twice.
func (f *Flow) Variants() ([]Variant, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	var out []Variant
	for _, d := range variants {
		if !d.applies(f) {
			continue
		}
		v := Variant{Name: d.name, Clause: d.clause.of(f.Profile), Description: d.desc, Want: d.want}
		t := d.tweak
		if d.front {
			fr, err := f.front(&t)
			if err != nil {
				return nil, err
			}
			if fr.par != nil {
				v.Step, v.Pushed = StepPushed, fr.par
			} else {
				v.Step, v.Authorization = StepAuthorization, fr.auth
			}
		} else {
			tr, err := f.token(&t)
			if err != nil {
				return nil, err
			}
			v.Step, v.Token = StepToken, tr
		}
		out = append(out, v)
	}
	return out, nil
}
