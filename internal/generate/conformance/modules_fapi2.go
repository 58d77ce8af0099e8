package conformance

import (
	"crypto/sha256"
	"encoding/json"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

const f2Prefix = "fapi2-security-profile-final-"

// f2Modules are the FAPI 2.0 Security Profile Final modules that run in
// both the SP and the Message Signing plans; the cases use the Security
// Profile.
func f2Modules() []Module {
	mk := maker{SuiteFAPI2Security, f2Prefix}
	parWith := func(params, assertion obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.f2PARCase(params, assertion) }
	}
	authWith := func(params obj, outside ...any) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			c := f.f2AuthCase(params)
			a := c["authorization_request"].(obj)
			a["params"] = fixtures.With(a["params"].(obj), outside...)
			return c
		}
	}
	tokenWith := func(claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.f2TokenCase(f.F2Token(claims)) }
	}
	pushed := func(mutate func(c obj)) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			c := f.f2AuthCase(f2Params())
			mutate(c)
			return c
		}
	}
	// dpopFlow is the DPoP flow with the given PAR and token proofs, kept
	// to the named requests.
	dpopFlow := func(parProof, tokenProof func(f *Fixture) string, requests ...string) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			pp, tp := "", ""
			if parProof != nil {
				pp = parProof(f)
			}
			if tokenProof != nil {
				tp = tokenProof(f)
			}
			return keep(f.f2DPoPCase(pp, tp), requests...)
		}
	}
	proof := func(url string, d time.Duration) func(f *Fixture) string {
		return func(f *Fixture) string {
			return fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(url), "iat", fixtures.Unix(d)))
		}
	}
	p := f2Params()
	iss := f2Assertion()
	parPKCE := acc(par("400", "invalid_request"), redirect("invalid_request"), errorPage())
	parAssertionErr := acc(par("400|401", "invalid_client", "invalid_request"))
	assertionErr := acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_request"))
	dpopTokenErr := acc(token("400", "invalid_request", "invalid_grant", "invalid_dpop_proof"))
	return []Module{
		mk.positive("discovery-end-point-verification", acc(success()), expect(libF2),
			"The service metadata alone (CheckService).",
			func(f *Fixture) obj { return obj{"service": fixtures.F2Service()} }),
		mk.positive("happy-flow", acc(success(), resource("4xx")), expect(libF2),
			"The happy flow with certificate-bound tokens: the pushed request, the authorization request with its PushedRecord, and the token request with PKCE and client 1's certificate. "+
				"The resource server refusing another client's token is the resource check point's (resource.certificate_mismatch; corpus case f2-resource-certificate-mismatch).",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2Client(),
					"pushed_authorization_request": f.F2PAR(p, iss),
					"authorization_request":        fixtures.PushedAuth(clientID, p),
					"token_request":                f.F2Token(iss)}
			}),
		mk.caller("user-rejects-authentication", Positive, acc(redirect("access_denied")), reasonUserRejects),
		mk.positive("ensure-authorization-request-without-state-success", acc(success()), expect(libF2),
			"A pushed request without state.",
			parWith(fixtures.Without(p, "state"), iss)),
		mk.positive("ensure-authorization-request-without-nonce-success", acc(success()), expect(libF2),
			"A pushed request with openid but without nonce.",
			parWith(fixtures.Without(p, "nonce"), iss)),
		mk.positive("ensure-authorization-request-with-64-char-nonce-success", acc(success()), expect(libF2),
			"A pushed request with a 64-character nonce.",
			parWith(fixtures.With(p, "nonce", long("n-", 64)), iss)),
		mk.positive("ensure-other-scope-order-succeeds", acc(success()), expect(libF2),
			"scope \"sp openid\".",
			parWith(fixtures.With(p, "scope", "sp openid"), iss)),
		mk.positive("test-claims-parameter-identity-claims", acc(success()), expect(libF2),
			"A pushed request whose claims parameter asks for identity claims in the ID token and at userinfo.",
			parWith(fixtures.With(p, "claims", `{"id_token":{"given_name":{"essential":true},"family_name":null},"userinfo":{"birthdate":{"essential":true},"email":null}}`), iss)),
		mk.positive("access-token-type-header-case-sensitivity", acc(success()), expect(libF2),
			reasonTokenTypeCase+" Here a DPoP-bound token with the scheme written \"dpop\" and its proof.",
			func(f *Fixture) obj {
				return f.resourceCase(fixtures.DPoPProof(f.dpop, resourceProofClaims()), "authorization", "dpop "+resourceToken)
			}),
		mk.positive("check-dpop-proof-nbf-exp", acc(success()), expect(libF2),
			"A token request whose DPoP proof carries nbf (now) and exp (a minute ahead). The library honours both. The same proof at the resource server is the resource check point's, which adds ath.",
			func(f *Fixture) obj {
				pr := fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "nbf", fixtures.Now.Unix(), "exp", fixtures.Unix(time.Minute)))
				return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(), "token_request": f.F2DPoPToken(pr, fixtures.Thumbprint(f.dpop))}
			}),
		mk.positive("ensure-dpopproof-with-iat-10seconds-before-succeeds", acc(success()), expect(libF2),
			"DPoP proofs issued ten seconds ago, at the PAR and the token endpoint. The resource-server part is the resource check point's, with the same dpop.Verify rules.",
			dpopFlow(proof(fixtures.PAREndpoint, -10*time.Second), proof(fixtures.TokenEndpoint, -10*time.Second), "pushed_authorization_request", "token_request")),
		mk.positive("ensure-dpopproof-with-iat-10seconds-after-succeeds", acc(success()), expect(libF2),
			"DPoP proofs issued ten seconds in the future, at the PAR and the token endpoint (the default clock skew is 10 s). The resource-server part is the resource check point's, with the same dpop.Verify rules.",
			dpopFlow(proof(fixtures.PAREndpoint, 10*time.Second), proof(fixtures.TokenEndpoint, 10*time.Second), "pushed_authorization_request", "token_request")),
		mk.positive("ensure-dpopproof-at-par-endpoint-binding-success", acc(success()), expect(libF2),
			"A DPoP proof at PAR binds the code to its key; the PushedRecord carries it, and the token request proves the same key.",
			dpopFlow(proof(fixtures.PAREndpoint, 0), proof(fixtures.TokenEndpoint, 0), "pushed_authorization_request", "authorization_request", "token_request")),
		mk.positive("ensure-dpop-auth-code-binding-success", acc(success()), expect(libF2),
			"dpop_jkt sent with the pushed request (no DPoP header there); the token request proves that key.",
			func(f *Fixture) obj {
				c := f.f2DPoPCase("", fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint)))
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "dpop_jkt", fixtures.Thumbprint(f.dpop))
				return c
			}),
		mk.positive("par-without-duplicate-parameters", acc(success()), expect(libF2),
			"The authorization request carries only client_id and the pushed request_uri.",
			authWith(p)),
		mk.covered("par-ensure-reused-request-uri-prior-to-auth-completion-succeeds", Conditional,
			acc(success(), redirectNote("warning", "invalid_request_uri")), TargetSuccess, expect(libF2), reasonRequestURIBeforeLogin,
			func(f *Fixture) obj { return requestURIFresh(f.f2AuthCase(p)) }),
		mk.covered("par-ensure-jwt-client-assertions-nbf-8-seconds-in-the-future-is-accepted", Conditional,
			acc(success(), par("non-201 (warning)")), TargetSuccess, expect(libF2),
			"A client assertion at PAR whose iat and nbf are 8 seconds in the future. The default clock skew is 10 s. Target: success (201).",
			parWith(p, fixtures.With(iss, "iat", fixtures.Unix(8*time.Second), "nbf", fixtures.Unix(8*time.Second)))),
		mk.covered("state-only-outside-request-object-not-used", Conditional,
			acc(successNote("no state"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetSuccess, expect(libF2).ignoring("state").using("state", ""),
			"state not pushed but appended to the authorization URL. Only the pushed parameters count: the state is ignored (Report.Ignored) and absent from Report.Parameters. Target: the preferred success without state.",
			authWith(fixtures.Without(p, "state"), "state", fixtures.State)),
		mk.covered("ensure-request-object-without-redirect-uri-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object"), errorPage()),
			TargetPAR, expect(libF2, "redirect_uri.missing"),
			"A pushed request without redirect_uri. Target: the PAR error invalid_request.",
			parWith(fixtures.Without(p, "redirect_uri"), iss)),
		mk.covered("ensure-registered-redirect-uri", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage()), TargetPAR,
			expect(libF2, "redirect_uri.not_registered"),
			"A pushed request with an unregistered redirect_uri. Target: the PAR error invalid_request, so no redirect.",
			parWith(fixtures.With(p, "redirect_uri", randomRedirect), iss)),
		mk.covered("plain-fapi-tolerate-unregistered-redirect-uri", Conditional,
			acc(successNote("redirect to the unregistered URI accepted"), par("400", "invalid_request", "invalid_request_object"), errorPage()),
			TargetPAR, expect(libF2, "redirect_uri.not_registered"),
			"A pushed request with an unregistered redirect_uri. By default the library refuses it. Target: the PAR error invalid_request. "+
				"With Service.AllowUnregisteredRedirectURIs an authenticated PAR client may use it (RFC 9126 §2.4), which is the success outcome.",
			parWith(fixtures.With(p, "redirect_uri", randomRedirect), iss)),
		mk.covered("ensure-unsigned-authorization-request-without-using-par-fails", Negative,
			acc(redirect("invalid_request"), errorPage()), TargetErrorPage,
			expect(libF2, "par.required"),
			"The whole request sent straight to the authorization endpoint, bypassing PAR. Target: the error page. Nothing pushed vouches for redirect_uri.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "authorization_request": obj{"params": p}}
			}),
		mk.covered("ensure-redirect-uri-in-authorization-request", Conditional,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage(), successNote("registered default")),
			TargetPAR, expect(libF2, "redirect_uri.missing"),
			"A pushed request without redirect_uri. The library refuses and does not pick the registered default. Target: the PAR error invalid_request.",
			parWith(fixtures.Without(p, "redirect_uri"), iss)),
		mk.covered("ensure-response-type-code-idtoken-fails", Negative,
			acc(par("4xx", "unsupported_response_type", "invalid_request", "unauthorized_client"), redirect("unsupported_response_type", "invalid_request"), errorPage()),
			TargetPAR, expect(libF2, "response_type.not_allowed", "response_type.unregistered", "response_type.unsupported"),
			"A pushed request with response_type code id_token. Target: the PAR error unsupported_response_type.",
			parWith(fixtures.With(p, "response_type", "code id_token"), iss)),
		mk.covered("ensure-response-type-token-fails", Negative,
			acc(par("4xx", "unsupported_response_type", "invalid_request", "unauthorized_client"), redirect("unsupported_response_type", "invalid_request"), errorPage()),
			TargetPAR, expect(libF2, "response_type.not_allowed", "response_type.unregistered", "response_type.unsupported"),
			"A pushed request with response_type token. Target: the PAR error unsupported_response_type.",
			parWith(fixtures.With(p, "response_type", "token"), iss)),
		mk.covered("ensure-different-nonce-inside-and-outside-request-object", Conditional,
			acc(redirect("invalid_request"), errorPage(), successNote("pushed nonce")),
			TargetSuccess, expect(libF2).ignoring("nonce").using("nonce", fixtures.Nonce),
			"A different nonce appended to the authorization URL than the one pushed. Only the pushed parameters count. Target: success with the pushed nonce (Report.Parameters).",
			authWith(p, "nonce", "other-nonce")),
		mk.covered("ensure-different-state-inside-and-outside-request-object", Conditional,
			acc(redirect("invalid_request"), errorPage(), successNote("pushed state")),
			TargetSuccess, expect(libF2).ignoring("state").using("state", fixtures.State),
			"A different state appended to the authorization URL than the one pushed. Target: success returning the pushed state (Report.Parameters).",
			authWith(p, "state", "other-state")),
		mk.covered("ensure-authorization-request-with-long-nonce", Conditional,
			acc(success(), par("400", "invalid_request"), redirectNote("warning", "invalid_request"), errorPage()),
			TargetSuccess, expect(libF2),
			"A pushed request with a 384-character nonce. Target: success.",
			parWith(fixtures.With(p, "nonce", long("n-", 384)), iss)),
		mk.covered("ensure-authorization-request-with-long-state", Conditional,
			acc(success(), par("400", "invalid_request"), redirectNote("warning", "invalid_request"), errorPage()),
			TargetSuccess, expect(libF2),
			"A pushed request with a 1000-character state. Target: success.",
			parWith(fixtures.With(p, "state", long("s-", 1000)), iss)),
		mk.covered("par-ensure-pkce-required", Negative, parPKCE, TargetPAR,
			expect(libF2, "pkce.challenge_missing"),
			"A pushed request without code_challenge. Target: the PAR error invalid_request.",
			parWith(fixtures.Without(p, "code_challenge", "code_challenge_method"), iss)),
		mk.covered("par-plain-pkce-rejected", Negative, parPKCE, TargetPAR,
			expect(libF2, "pkce.method_not_s256"),
			"A pushed request with code_challenge_method plain. Target: the PAR error invalid_request.",
			parWith(fixtures.With(p, "code_challenge", fixtures.Verifier, "code_challenge_method", "plain"), iss)),
		mk.covered("ensure-pkce-code-verifier-required", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libF2, "pkce.verifier_missing"),
			"A token request without code_verifier. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["params"] = fixtures.Without(tr["params"].(obj), "code_verifier")
				return f.f2TokenCase(tr)
			}),
		mk.covered("incorrect-pkce-code-verifier-rejected", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libF2, "pkce.verifier_mismatch"),
			"A token request whose code_verifier is another random value. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", otherVerifier)
				return f.f2TokenCase(tr)
			}),
		mk.covered("par-attempt-reuse-request_uri", Conditional,
			acc(redirect("invalid_request_uri"), errorPage(), successNote("warning")), TargetRedirect,
			expect(libF2, "par.request_uri_reused"), reasonRequestURIReuse,
			func(f *Fixture) obj { return requestURIUsed(f.f2AuthCase(p)) }),
		mk.covered("par-attempt-to-use-expired-request_uri", Negative,
			acc(redirect("invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libF2, "par.expired"),
			"A pushed request_uri whose record expired a second ago. Target: the error page. An expired request_uri vouches for nothing, so no redirect.",
			pushed(func(c obj) {
				c["authorization_request"].(obj)["pushed"].(obj)["expires_at"] = fixtures.RFC3339(-time.Second)
			})),
		mk.covered("par-attempt-to-use-request_uri-for-different-client", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libF2, "par.client_mismatch"),
			"Client 1's request_uri presented with client 2's client_id. Client 2 is the client checked; the record names client 1. Target: the error page.",
			func(f *Fixture) obj {
				auth := fixtures.PushedAuth(client2ID, p)
				auth["pushed"].(obj)["client_id"] = clientID
				return obj{"service": fixtures.F2Service(), "client": f.client2(f.F2Client()), "authorization_request": auth}
			}),
		mk.covered("par-authorization-request-containing-request_uri-form-param", Negative,
			acc(par("400", "invalid_request", "invalid_request_object", "request_uri_not_supported")), TargetPAR,
			expect(libF2, "par.request_uri_not_allowed"),
			"A request_uri form parameter in the PAR body. Target: the PAR error invalid_request.",
			parWith(fixtures.With(p, "request_uri", pushedURI2), iss)),
		mk.covered("par-attempt-invalid-http-method", Negative, acc(par("4xx|5xx")), TargetPAR,
			expect(libF2, "par.method_not_allowed"),
			"The PAR endpoint called with PUT. Target: a PAR error (the library says to answer HTTP 405).",
			func(f *Fixture) obj {
				c := f.f2PARCase(p, iss)
				c["pushed_authorization_request"].(obj)["method"] = "PUT"
				return c
			}),
		mk.covered("par-ensure-jwt-client-assertions-nbf-over-60-seconds-in-the-future-fails", Negative, parAssertionErr, TargetPAR,
			expect(libF2, "client_assertion.not_yet_valid", "client_assertion.not_yet_valid"),
			"A client assertion at PAR whose iat and nbf are 65 seconds in the future (exp later still). Target: the PAR error invalid_client, once for nbf and once for iat.",
			parWith(p, fixtures.With(iss, "iat", fixtures.Unix(65*time.Second), "nbf", fixtures.Unix(65*time.Second), "exp", fixtures.Unix(125*time.Second)))),
		mk.covered("par-test-array-as-audience-fails", Negative, parAssertionErr, TargetPAR,
			expect(libF2, "client_assertion.aud_mismatch"),
			"A client assertion at PAR whose aud is an array holding the issuer and another value. FAPI 2.0 wants the issuer as a string. Target: the PAR error invalid_client.",
			parWith(p, fixtures.With(iss, "aud", []string{fixtures.Issuer, otherAudience}))),
		mk.covered("par-test-par-endpoint-url-as-audience-fails", Negative, parAssertionErr, TargetPAR,
			expect(libF2, "client_assertion.aud_mismatch"),
			"A client assertion at PAR whose aud is the PAR endpoint. Target: the PAR error invalid_client.",
			parWith(p, fixtures.With(iss, "aud", fixtures.PAREndpoint))),
		mk.covered("par-test-token-endpoint-url-as-audience-fails", Negative, parAssertionErr, TargetPAR,
			expect(libF2, "client_assertion.aud_mismatch"),
			"A client assertion at PAR whose aud is the token endpoint. Target: the PAR error invalid_client.",
			parWith(p, fixtures.With(iss, "aud", fixtures.TokenEndpoint))),
		mk.covered("ensure-client-id-in-token-endpoint", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_grant")), TargetToken,
			expect(libF2, "client_assertion.signature_invalid", "code.client_mismatch"),
			"Client 1's code redeemed under client 2's client_id (client 1's certificate), with an assertion for client 2 signed by client 1's key. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.F2Token(fixtures.With(iss, "iss", client2ID, "sub", client2ID))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", client2ID)
				return obj{"service": fixtures.F2Service(), "client": f.client2(f.F2Client()), "token_request": tr}
			}),
		mk.covered("ensure-holder-of-key-required", Negative,
			acc(tlsRejected("token"), token("4xx (400/401 expected)", "invalid_request", "invalid_grant", "invalid_dpop_proof", "invalid_client")), TargetToken,
			expect(libF2, "dpop.missing"),
			"The DPoP client's token request without a DPoP proof, though its code is bound to a DPoP key. Target: the token error invalid_dpop_proof. The TLS checks of the module are transport.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(), "token_request": f.F2DPoPToken("", fixtures.Thumbprint(f.dpop))}
			}),
		mk.covered("ensure-authorization-code-is-bound-to-client", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libF2, "mtls.certificate_mismatch", "code.client_mismatch"),
			"Client 2, with its own assertion and certificate, redeems client 1's code. The record binds the code to client 1 and its certificate. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion",
					fixtures.Sign(f.key2, "PS256", fixtures.With(iss, "iss", client2ID, "sub", client2ID), nil))
				tr["client_certificate"] = f.tls2.CertPEM()
				return obj{"service": fixtures.F2Service(), "client": f.client2(f.F2Client()), "token_request": tr}
			}),
		mk.covered("attempt-reuse-authorization-code-after-one-second", Negative,
			acc(token("400", "invalid_grant"), resource("4xx (warning)")), TargetToken,
			expect(libF2, "code.reused"), reasonCodeReuse+" Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				return f.codeReused(f.f2TokenCase(f.F2Token(fixtures.With(iss, "jti", "assertion-jti-2"))))
			}),
		mk.covered("ensure-token-endpoint-fails-with-expired-auth-code", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libF2, "code.expired"),
			"A code first redeemed 62 seconds after it was issued (AuthorizationRecord.IssuedAt). Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "issued_at", fixtures.RFC3339(-62*time.Second))
				return f.f2TokenCase(tr)
			}),
		mk.covered("ensure-signed-client-assertion-with-RS256-fails", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client")), TargetToken,
			expect(libF2, "client_assertion.alg_not_allowed"),
			"A client assertion signed RS256. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion", fixtures.Sign(f.Key, "RS256", iss, nil))
				return f.f2TokenCase(tr)
			}),
		mk.covered("ensure-client-assertion-in-token-endpoint", Negative, assertionErr, TargetToken,
			expect(libF2, "client_assertion.missing"),
			"A token request with client_id but no client_assertion. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.F2Token(iss)
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", clientID, "client_assertion", nil, "client_assertion_type", nil)
				return f.f2TokenCase(tr)
			}),
		mk.covered("ensure-client-assertion-with-exp-is-5-minutes-in-past-fails", Negative, assertionErr, TargetToken,
			expect(libF2, "client_assertion.expired"),
			"A client assertion that expired five minutes ago. Target: the token error invalid_client.",
			tokenWith(fixtures.With(iss, "exp", fixtures.Unix(-5*time.Minute), "iat", fixtures.Unix(-6*time.Minute)))),
		mk.covered("ensure-client-assertion-with-wrong-aud-fails", Negative, assertionErr, TargetToken,
			expect(libF2, "client_assertion.aud_mismatch"),
			"A client assertion whose aud is an unrelated URL. Target: the token error invalid_client.",
			tokenWith(fixtures.With(iss, "aud", userinfoURL))),
		mk.covered("ensure-client-assertion-with-no-sub-fails", Negative, assertionErr, TargetToken,
			expect(libF2, "client_assertion.sub_mismatch"),
			"A client assertion without sub. Target: the token error invalid_client.",
			tokenWith(fixtures.Without(iss, "sub"))),
		mk.covered("ensure-mismatched-dpop-jkt-fails", Negative,
			acc(par("400", "invalid_request", "invalid_dpop_proof")), TargetPAR,
			expect(libF2, "dpop.jkt_mismatch"),
			"A pushed request whose dpop_jkt names another key than its DPoP proof. Target: the PAR error invalid_dpop_proof.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(),
					"pushed_authorization_request": f.f2DPoPPAR(fixtures.With(p, "dpop_jkt", fixtures.Thumbprint(f.dpopOther)), fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.PAREndpoint)))}
			}),
		mk.covered("ensure-token-endpoint-fails-with-mismatched-dpop-proof-jkt", Negative, dpopTokenErr, TargetToken,
			expect(libF2, "dpop.jkt_mismatch"),
			"The code is bound at PAR to one DPoP key (the record's dpop_jkt). The token request's proof is signed by another key. Target: the token error invalid_dpop_proof.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(),
					"token_request": f.F2DPoPToken(fixtures.DPoPProof(f.dpopOther, fixtures.DPoPClaims(fixtures.TokenEndpoint)), fixtures.Thumbprint(f.dpop))}
			}),
		mk.covered("ensure-token-endpoint-fails-with-mismatched-dpop-jkt", Negative, dpopTokenErr, TargetToken,
			expect(libF2, "dpop.jkt_mismatch"),
			"dpop_jkt in the authorization request named a random key. The token request's proof uses the client's real key. Target: the token error invalid_dpop_proof.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2DPoPClient(),
					"token_request": f.F2DPoPToken(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint)), fixtures.Thumbprint(f.dpopOther))}
			}),
		mk.covered("refresh-token", Mixed,
			acc(tlsRejected("token"), token("400", "invalid_client", "invalid_grant", "invalid_request", "invalid_dpop_proof"), resource("4xx")), TargetToken,
			expect(libF2, "mtls.certificate_mismatch", "refresh_token.client_mismatch"),
			reasonRefreshOtherClient+" Target: the token error invalid_grant, which the suite's step requires.",
			func(f *Fixture) obj {
				return refreshCase(fixtures.F2Service(), f.F2Client(), f.otherClientRefresh(fixtures.Issuer, "openid sp"))
			}).only(token("400", "invalid_grant")).with(
			step("refresh", TargetSuccess, expect(libF2), reasonRefreshHappy,
				func(f *Fixture) obj {
					return refreshCase(fixtures.F2Service(), f.F2Client(), f.ownRefresh(fixtures.Issuer, "openid sp"))
				}),
			step("rotated-token-retried", TargetSuccess, expect(libF2),
				"A service that rotates refresh tokens and lets a rotated one be retried for 60 seconds (FAPI2-SP-5.3.2.1-9 and its note); client 1 presents again, 30 seconds later, the token it exchanged for a new one. Target: success.",
				func(f *Fixture) obj {
					tr := f.ownRefresh(fixtures.Issuer, "openid sp")
					tr["refresh"] = fixtures.With(tr["refresh"].(obj), "rotated_at", fixtures.RFC3339(-30*time.Second))
					svc := fixtures.With(fixtures.F2Service(), "refresh_token_rotation", true, "refresh_token_reuse_interval", 60)
					return refreshCase(svc, f.F2Client(), tr)
				}),
			step("without-client-authentication", TargetToken, expect(libF2, "client_assertion.missing"),
				"Client 1 refreshes over mTLS with its certificate but without client authentication (no client_assertion; RFC 6749 section 6). Target: the token error invalid_client.",
				func(f *Fixture) obj {
					tr := f.ownRefresh(fixtures.Issuer, "openid sp")
					tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion", nil, "client_assertion_type", nil, "client_id", clientID)
					return refreshCase(fixtures.F2Service(), f.F2Client(), tr)
				}).only(token("400", "invalid_client", "invalid_grant", "invalid_request")),
			step("without-certificate", TargetToken, expect(libF2, "mtls.certificate_missing"), reasonRefreshNoCert,
				func(f *Fixture) obj {
					tr := f.ownRefresh(fixtures.Issuer, "openid sp")
					delete(tr, "client_certificate")
					return refreshCase(fixtures.F2Service(), f.F2Client(), tr)
				}).only(tlsRejected("token"), token("400", "invalid_client", "invalid_grant", "invalid_request")),
			step("dpop-without-proof", TargetToken, expect(libF2, "dpop.missing"),
				"The DPoP variant: the DPoP client refreshes without a DPoP proof, though its refresh token is bound to its DPoP key (the record's dpop_jkt, RFC 9449 section 5). Target: the token error invalid_dpop_proof, which the module list accepts beside invalid_request and invalid_grant.",
				func(f *Fixture) obj {
					tr := f.ownRefresh(fixtures.Issuer, "openid sp")
					delete(tr, "client_certificate")
					tr["refresh"] = fixtures.With(tr["refresh"].(obj), "certificate_thumbprint", nil, "dpop_jkt", fixtures.Thumbprint(f.dpop))
					return refreshCase(fixtures.F2Service(), f.F2DPoPClient(), tr)
				}).only(token("400", "invalid_grant", "invalid_request", "invalid_dpop_proof")),
			step("other-client-access-token", TargetResource, expect(libF2, "resource.certificate_mismatch"), reasonRefreshOtherToken,
				func(f *Fixture) obj { return f.otherClientTokenAtResource(fixtures.F2Service(), "openid sp") }).only(resource("4xx"))),
		mk.caller("ensure-server-handles-non-matching-intent-id", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()), reasonIntent),
		mk.caller("test-essential-acr-sca-claim", Conditional, acc(redirect("access_denied"), errorPage(), success()), reasonACR),
		mk.outOfScope("brazil-ensure-bad-payment-signature-fails", Negative, acc(consent("400")), reasonPaymentConsent),
	}
}

// msModules are the modules of the FAPI 2.0 Message Signing Final plan
// that the Security Profile plan does not run (signed request objects at
// PAR, and the ConnectID modules).
func msModules() []Module {
	mk := maker{SuiteFAPI2Signing, f2Prefix}
	object := func(claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.msPARCase(f.MSObject(claims)) }
	}
	signed := func(sign func(f *Fixture) string) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.msPARCase(sign(f)) }
	}
	c := msClaims()
	typ := obj{"typ": "oauth-authz-req+jwt"}
	roErr := acc(par("400", "invalid_request_object"), redirect("invalid_request_object"), errorPage())
	lifetimeErr := acc(par("400", "invalid_request_object"), redirect("invalid_request_uri"), errorPage())
	return []Module{
		mk.positive("ensure-request-object-with-multiple-aud-succeeds", acc(success()), expect(libMS),
			"A pushed request object whose aud is an array containing the issuer.",
			object(fixtures.With(c, "aud", []string{fixtures.Issuer, otherAudience}))),
		mk.positive("ensure-request-object-with-nbf-8-seconds-in-the-future-is-accepted", acc(success()), expect(libMS),
			"A pushed request object whose nbf and iat are 8 seconds in the future. The default clock skew is 10 s.",
			object(fixtures.With(c, "nbf", fixtures.Unix(8*time.Second), "iat", fixtures.Unix(8*time.Second)))),
		mk.positive("australia-connectid-test-claims-parameter-idtoken-identity-claims", acc(success()), expect(libMS),
			"A pushed request object whose claims parameter asks for identity claims in the ID token. The library judges the claims request; ConnectID's own claim rules are not the library's.",
			object(fixtures.With(c, "claims", obj{"id_token": obj{"given_name": obj{"essential": true}, "family_name": obj{"essential": true}, "birthdate": nil}}))),
		mk.covered("ensure-request-object-without-exp-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request", "invalid_request_uri", "access_denied"), errorPage()),
			TargetPAR, expect(libMS, "request_object.exp_missing"),
			"A pushed request object without exp. Target: the PAR error invalid_request_object.",
			object(fixtures.Without(c, "exp"))),
		mk.covered("ensure-request-object-without-nbf-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request", "invalid_request_uri", "access_denied"), errorPage()),
			TargetPAR, expect(libMS, "request_object.nbf_missing"),
			"A pushed request object without nbf. Target: the PAR error invalid_request_object.",
			object(fixtures.Without(c, "nbf"))),
		mk.covered("ensure-expired-request-object-fails", Negative, roErr, TargetPAR,
			expect(libMS, "request_object.expired"),
			"A pushed request object whose exp is an hour ago. Target: the PAR error invalid_request_object.",
			object(fixtures.With(c, "exp", fixtures.Unix(-time.Hour)))),
		mk.covered("ensure-request-object-with-bad-aud-fails", Negative, lifetimeErr, TargetPAR,
			expect(libMS, "request_object.aud_mismatch"),
			"A pushed request object whose aud names another server. Target: the PAR error invalid_request_object.",
			object(fixtures.With(c, "aud", otherAudience))),
		mk.covered("ensure-request-object-with-exp-over-60-fails", Negative, lifetimeErr, TargetPAR,
			expect(libMS, "request_object.lifetime_too_long"),
			"A pushed request object whose exp is 70 minutes after its nbf (now). Target: the PAR error invalid_request_object.",
			object(fixtures.With(c, "exp", fixtures.Unix(70*time.Minute)))),
		mk.outOfScope("australia-connectid-ensure-request-object-with-exp-over-10-fails", Negative, lifetimeErr, reasonConnectID),
		mk.covered("ensure-request-object-with-nbf-over-60-fails", Negative, lifetimeErr, TargetPAR,
			expect(libMS, "request_object.nbf_too_old", "request_object.lifetime_too_long"),
			"A pushed request object whose nbf is 70 minutes ago (exp five minutes ahead, so its lifetime is too long as well). Target: the PAR error invalid_request_object.",
			object(fixtures.With(c, "nbf", fixtures.Unix(-70*time.Minute)))),
		mk.outOfScope("australia-connectid-ensure-request-object-with-nbf-over-15-fails", Negative, lifetimeErr, reasonConnectID),
		mk.covered("ensure-signed-request-object-with-RS256-fails", Negative, roErr, TargetPAR,
			expect(libMS, "request_object.alg_not_allowed"),
			"A pushed request object signed RS256 with the client's PS256 key. Target: the PAR error invalid_request_object.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.Key, "RS256", c, typ) })),
		mk.covered("ensure-request-object-signature-algorithm-is-not-none", Negative, roErr, TargetPAR,
			expect(libMS, "request_object.unsigned"),
			"An unsigned pushed request object (alg none). Target: the PAR error invalid_request_object.",
			signed(func(f *Fixture) string { return fixtures.Unsigned("none", c) })),
		mk.covered("ensure-request-object-with-invalid-signature-fails", Negative, roErr, TargetPAR,
			expect(libMS, "request_object.signature_invalid"),
			"A pushed request object whose signature is corrupted. Target: the PAR error invalid_request_object.",
			signed(func(f *Fixture) string { return fixtures.Tamper(f.MSObject(c)) })),
		mk.covered("ensure-matching-key-in-authorization-request", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request_object"), errorPage()),
			TargetPAR, expect(libMS, "request_object.signature_invalid"),
			"Client 1's pushed request object signed with client 2's key. Target: the PAR error invalid_request_object.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.key2, "PS256", c, typ) })),
		mk.covered("ensure-unsigned-request-at-par-endpoint-fails", Negative,
			acc(par("400", "invalid_request"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetPAR, expect(libMS, "request_object.missing"),
			"Plain form parameters at PAR although signed requests are required. Target: the PAR error invalid_request.",
			func(f *Fixture) obj {
				cs := f.msPARCase("")
				par := cs["pushed_authorization_request"].(obj)
				par["params"] = f.WithAssertion(stored(c), f2Assertion())
				return cs
			}),
		mk.covered("par-authorization-request-containing-request_uri", Negative,
			acc(par("400", "invalid_request_object")), TargetPAR,
			expect(libMS, "request_object.malformed"),
			"A pushed request object with a request_uri claim inside. Target: the PAR error invalid_request_object.",
			object(fixtures.With(c, "request_uri", pushedURI2))),
		mk.outOfScope("australia-connectid-ensure-invalid-purpose-fails", Negative,
			acc(par("400", "invalid_request"), redirect("invalid_request")), reasonConnectID),
	}
}

// The resource the dpop-negative-tests sub-cases call, and the DPoP-bound
// access token they present (RFC 6749 §7.1's example token).
const (
	resourceURL   = "https://rs.example.com/accounts"
	resourceToken = "2YotnFZFEjr1zCsicMWpAA"
)

// resourceProofClaims are the claims of a valid proof for a GET of
// resourceURL with resourceToken (ath, RFC 9449 §4.2), changed by extra.
func resourceProofClaims(extra ...any) obj {
	sum := sha256.Sum256([]byte(resourceToken))
	claims := fixtures.With(fixtures.DPoPClaims(resourceURL), "htm", "GET", "ath", fixtures.B64(sum[:]))
	return fixtures.With(claims, extra...)
}

// resourceCase is a FAPI 2.0 resource request with the DPoP-bound token
// of the client's DPoP key and the given DPoP header value (none when
// nil), changed by extra members.
func (f *Fixture) resourceCase(dpop any, extra ...any) obj {
	rr := obj{
		"method":        "GET",
		"url":           resourceURL,
		"authorization": "DPoP " + resourceToken,
		"token":         obj{"token_type": "DPoP", "scope": "openid sp", "cnf": obj{"jkt": fixtures.Thumbprint(f.dpop)}},
	}
	if dpop != nil {
		rr["dpop"] = dpop
	}
	return obj{"service": fixtures.F2Service(), "resource_request": fixtures.With(rr, extra...)}
}

// mtlsResourceCase is a resource request with client 1's certificate and
// a token for scope bound to it, sent with the given scheme spelling.
func (f *Fixture) mtlsResourceCase(service obj, scope, scheme string) obj {
	return obj{"service": service, "resource_request": obj{
		"method":             "GET",
		"url":                resourceURL,
		"authorization":      scheme + " " + resourceToken,
		"client_certificate": f.TLS.CertPEM(),
		"token":              obj{"token_type": "Bearer", "scope": scope, "cnf": obj{"x5t#S256": mtls.Thumbprint(f.TLS.Cert)}},
	}}
}

// withProof is a resource case whose proof is signed by the client's DPoP
// key over the changed claims.
func withProof(extra ...any) func(f *Fixture) obj {
	return func(f *Fixture) obj { return f.resourceCase(fixtures.DPoPProof(f.dpop, resourceProofClaims(extra...))) }
}

// withRawProof is a resource case with the proof p makes.
func withRawProof(p func(f *Fixture) string) func(f *Fixture) obj {
	return func(f *Fixture) obj { return f.resourceCase(p(f)) }
}

// dpopResourceModules are the sub-cases of the dpop-negative-tests module,
// which tests the resource server: the resource check point
// (CheckResourceRequest) with a FAPI 2.0 DPoP-bound token.
func dpopResourceModules() []Module {
	mk := maker{SuiteFAPI2Security, f2Prefix + "dpop-negative-tests#"}
	res := acc(resource("400|401"))
	neg := func(suffix, what string, e Expectation, build func(f *Fixture) obj) Module {
		return mk.covered(suffix, Negative, res, TargetResource, e, what+" Target: the resource's 401.", build)
	}
	pos := func(suffix, what string, build func(f *Fixture) obj) Module {
		return mk.positive(suffix, acc(success()), expect(libF2), what, build)
	}
	bad := func(codes ...string) Expectation { return expect(libF2, codes...) }
	header := func(f *Fixture, members string) string {
		return `{"typ":"dpop+jwt",` + members + `"jwk":` + string(fixtures.PublicJWK(f.dpop)) + `}`
	}
	payload := func() string {
		b, _ := json.Marshal(resourceProofClaims())
		return string(b)
	}
	return []Module{
		mk.outOfScope("header-name-all-caps", Positive, acc(success()),
			"HTTP handling: header field names are case-insensitive, so the server's HTTP stack finds a 'DPOP' header. The library is handed the header values."),
		neg("multiple-dpop-headers", "Two DPoP header fields with the same proof.", bad("dpop.malformed"),
			func(f *Fixture) obj {
				p := fixtures.DPoPProof(f.dpop, resourceProofClaims())
				return f.resourceCase([]string{p, p})
			}),
		neg("not-well-formed-jwt", "A DPoP header that is not a compact JWS.", bad("dpop.malformed"),
			func(f *Fixture) obj { return f.resourceCase("not-a-jwt") }),
		neg("missing-typ", "A proof without typ.", bad("dpop.typ_invalid"),
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.dpop, "ES256", resourceProofClaims(), obj{"jwk": f.dpop.Public()})
			})),
		neg("missing-alg", "A proof whose header has no alg.", bad("dpop.malformed"),
			withRawProof(func(f *Fixture) string { return fixtures.SignRawHeader(f.dpop, "ES256", header(f, ""), payload()) })),
		neg("missing-jwk", "A proof without a jwk header.", bad("dpop.malformed"),
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.dpop, "ES256", resourceProofClaims(), obj{"typ": "dpop+jwt"})
			})),
		neg("missing-jti", "A proof without jti.", bad("dpop.jti_missing"), withProof("jti", nil)),
		neg("missing-htm", "A proof without htm.", bad("dpop.htm_mismatch"), withProof("htm", nil)),
		neg("missing-htu", "A proof without htu.", bad("dpop.htu_mismatch"), withProof("htu", nil)),
		neg("missing-iat", "A proof without iat.", bad("dpop.malformed"), withProof("iat", nil)),
		neg("missing-ath", "A proof without ath, though it comes with an access token.", bad("dpop.ath_mismatch"), withProof("ath", nil)),
		neg("invalid-typ", "A proof with typ jwt.", bad("dpop.typ_invalid"),
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.dpop, "ES256", resourceProofClaims(), obj{"typ": "jwt", "jwk": f.dpop.Public()})
			})),
		neg("rs256", "A proof signed RS256, which FAPI 2.0 does not allow.", bad("dpop.alg_not_allowed"),
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.Key, "RS256", resourceProofClaims(), obj{"typ": "dpop+jwt", "jwk": f.Key.Public(), "kid": nil})
			})),
		neg("alg-none", "An unsigned proof (alg none).", bad("dpop.alg_not_allowed"),
			withRawProof(func(f *Fixture) string { return fixtures.Raw(header(f, `"alg":"none",`), payload(), nil) })),
		neg("invalid-signature", "A proof with a corrupted signature.", bad("dpop.signature_invalid"),
			withRawProof(func(f *Fixture) string { return fixtures.Tamper(fixtures.DPoPProof(f.dpop, resourceProofClaims())) })),
		neg("jwk-contains-private-key", "A proof whose jwk header holds the private key.", bad("dpop.jwk_private"),
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.dpop, "ES256", resourceProofClaims(), obj{"typ": "dpop+jwt", "jwk": f.dpop.Private})
			})),
		neg("htm-put", "A proof with htm PUT for a GET.", bad("dpop.htm_mismatch"), withProof("htm", "PUT")),
		pos("htu-with-query-fragment", "A proof whose htu carries a query and a fragment: both are ignored (RFC 9449 section 4.3 item 9).",
			withProof("htu", resourceURL+"?x=1#frag")),
		pos("htu-without-query-fragment", "A request with a query and a proof whose htu has none.",
			func(f *Fixture) obj {
				return f.resourceCase(fixtures.DPoPProof(f.dpop, resourceProofClaims()), "url", resourceURL+"?from=2026-01-01")
			}),
		neg("htu-different-url", "A proof for another URL.", bad("dpop.htu_mismatch"), withProof("htu", "https://rs.example.com/payments")),
		neg("iat-plus-1h", "A proof issued an hour in the future.", bad("dpop.iat_in_future"), withProof("iat", fixtures.Unix(time.Hour))),
		neg("iat-minus-1h", "A proof issued an hour ago.", bad("dpop.iat_too_old"), withProof("iat", fixtures.Unix(-time.Hour))),
		mk.covered("jti-reuse", Conditional, acc(resource("400|401 (warning)"), success()), TargetResource, bad("dpop.replayed"),
			"The same proof sent twice. With a one-time-use store (fapi.WithStore; fapi.WithReplayCache works alike), the first request recorded the proof's key thumbprint and jti; "+
				"the case is the second request, and the store already holds them: dpop.replayed (RFC 9449 section 11.1). Target: the resource's 401 (invalid_dpop_proof).",
			func(f *Fixture) obj {
				c := f.resourceCase(fixtures.DPoPProof(f.dpop, resourceProofClaims()))
				c["store"] = usedStore(usedKey("dpop", fixtures.Thumbprint(f.dpop)+":dpop-jti-1"))
				return c
			}),
		neg("ath-incorrect", "A proof whose ath is the hash of another token.", bad("dpop.ath_mismatch"),
			withProof("ath", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")),
		neg("different-key", "A valid proof of another key than the token's cnf.jkt.", bad("resource.dpop_key_mismatch"),
			withRawProof(func(f *Fixture) string { return fixtures.DPoPProof(f.dpopOther, resourceProofClaims()) })),
		pos("extra-claims", "A proof with unknown header members and claims, which are ignored.",
			withRawProof(func(f *Fixture) string {
				return fixtures.Sign(f.dpop, "ES256", resourceProofClaims("x-claim", "value"), obj{"typ": "dpop+jwt", "jwk": f.dpop.Public(), "x-header": "value"})
			})),
		pos("htu-upper-case-host", "A proof whose htu has the scheme and host in upper case.",
			withProof("htu", "HTTPS://RS.EXAMPLE.COM/accounts")),
		pos("htu-default-port", "A proof whose htu names the default port 443.",
			withProof("htu", "https://rs.example.com:443/accounts")),
		neg("no-dpop-proof", "The DPoP-bound token with the DPoP scheme and no proof.", bad("dpop.missing"),
			func(f *Fixture) obj { return f.resourceCase(nil) }),
		neg("no-dpop-proof-bearer-scheme", "The DPoP-bound token sent with the Bearer scheme and no proof (RFC 9449 section 7.2).", bad("resource.dpop_scheme_required"),
			func(f *Fixture) obj { return f.resourceCase(nil, "authorization", "Bearer "+resourceToken) }),
	}
}
