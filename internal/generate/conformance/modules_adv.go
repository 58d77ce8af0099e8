package conformance

import (
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// advModules are the modules of the FAPI 1.0 Advanced Final plan
// (fapi1-advanced-final-test-plan).
func advModules() []Module {
	mk := maker{SuiteFAPI1Advanced, "fapi1-advanced-final-"}
	// byValue is an Advanced authorization request whose request object has
	// the given claims, beside the given outside parameters.
	byValue := func(outside, claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.advAuthCase(outside, f.Sign(claims)) }
	}
	signed := func(sign func(f *Fixture) string) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.advAuthCase(client1.RWOutside(), sign(f)) }
	}
	parWith := func(roClaims, assertion obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.advPARCase(f.SignedPAR(roClaims, assertion)) }
	}
	tokenWith := func(claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.advTokenCase(f.RWToken(claims)) }
	}
	pushed := func(client string, mutate func(rec obj)) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			cl := f.RWClient()
			if client != clientID {
				cl = f.client2(cl)
			}
			auth := fixtures.PushedAuth(client, stored(client1.AdvPKCEClaims()))
			if mutate != nil {
				mutate(auth["pushed"].(obj))
			}
			return obj{"service": fixtures.FinalService(), "client": cl, "authorization_request": auth}
		}
	}
	ro := client1.AdvClaims()
	pro := client1.AdvPKCEClaims()
	issAud := client1.AssertionClaims(fixtures.Issuer)
	tokenAud := client1.AssertionClaims(fixtures.TokenEndpoint)
	roErr := acc(par("400", "invalid_request_object"), redirect("invalid_request_object"), errorPage())
	parAssertionErr := acc(par("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_request"))
	assertionErr := acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_request"))
	longNonceAcc := func(note string) []Outcome {
		return acc(successNote(note), par("400", "invalid_request"), redirectNote("warning", "invalid_request"), errorPage())
	}
	return []Module{
		mk.positive("discovery-end-point-verification", acc(success()), expect(libAdv),
			"The service metadata alone (CheckService).",
			func(f *Fixture) obj { return obj{"service": fixtures.FinalService()} }),
		mk.positive("", acc(success(), resource("4xx")), expect(libAdv),
			"The happy flow through PAR: the pushed request, the authorization request with its PushedRecord, and the token request with PKCE and client 1's certificate. "+
				"The resource server refusing client 1's certificate with client 2's token is the resource check point's (resource.certificate_mismatch; corpus case f2-resource-certificate-mismatch).",
			func(f *Fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(),
					"pushed_authorization_request": f.SignedPAR(pro, issAud),
					"authorization_request":        fixtures.PushedAuth(clientID, stored(pro)),
					"token_request":                f.AdvPushedToken()}
			}),
		mk.caller("user-rejects-authentication", Positive, acc(redirect("access_denied")), reasonUserRejects),
		mk.positive("ensure-request-object-with-multiple-aud-succeeds", acc(success()), expect(libAdv),
			"A request object by value whose aud is an array containing the issuer.",
			byValue(client1.RWOutside(), fixtures.With(ro, "aud", []string{otherAudience, fixtures.Issuer}))),
		mk.positive("ensure-authorization-request-without-state-success", acc(success()), expect(libAdv),
			"A request object without state (openid is requested).",
			byValue(client1.RWOutside(), fixtures.Without(ro, "state"))),
		mk.positive("ensure-valid-pkce-succeeds", acc(success()), expect(libAdv),
			"A pushed request with an S256 code_challenge, then the token request with the matching code_verifier.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(),
					"pushed_authorization_request": f.SignedPAR(pro, issAud), "token_request": f.AdvPushedToken()}
			}),
		mk.positive("ensure-other-scope-order-succeeds", acc(success()), expect(libAdv),
			"scope \"payments openid\".",
			byValue(fixtures.With(client1.RWOutside(), "scope", "payments openid"), fixtures.With(ro, "scope", "payments openid"))),
		mk.positive("access-token-type-header-case-sensitivity", acc(success()), expect(libAdv),
			reasonTokenTypeCase+" Here a certificate-bound Advanced token with the scheme written \"bEaReR\".",
			func(f *Fixture) obj { return f.mtlsResourceCase(fixtures.FinalService(), "openid payments", "bEaReR") }),
		mk.covered("ensure-client-assertion-with-iss-aud-succeeds", Conditional,
			acc(success(), token("400 (401 allowed only for invalid_client)", "invalid_client")), TargetSuccess,
			expect(libAdv),
			"A client assertion at the token endpoint whose aud is the issuer. FAPI 1.0 accepts the issuer. Target: success.",
			tokenWith(issAud)),
		mk.positive("par-test-pushed-authorization-url-as-audience-for-client-JWT-assertion", acc(success()), expect(libAdv),
			"A pushed request whose client assertion names the PAR endpoint as aud (RFC 9126 §2).",
			parWith(pro, client1.AssertionClaims(fixtures.PAREndpoint))),
		mk.positive("par-token-endpoint-url-as-audience-for-client-JWT-assertion", acc(success()), expect(libAdv),
			"A pushed request whose client assertion names the token endpoint as aud.",
			parWith(pro, tokenAud)),
		mk.positive("test-array-as-audience-for-client-JWT-assertion", acc(success()), expect(libAdv),
			"Client assertions whose aud is an array containing the issuer, at the PAR and the token endpoint.",
			func(f *Fixture) obj {
				arr := client1.AssertionClaims([]string{fixtures.Issuer, otherAudience})
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(),
					"pushed_authorization_request": f.SignedPAR(pro, arr), "token_request": f.RWToken(arr)}
			}),
		mk.positive("par-without-duplicate-parameters", acc(success()), expect(libAdv),
			"The authorization request carries only client_id and the pushed request_uri.",
			pushed(clientID, nil)),
		mk.covered("par-ensure-reused-request-uri-prior-to-auth-completion-succeeds", Conditional,
			acc(success(), redirectNote("warning", "invalid_request_uri")), TargetSuccess, expect(libAdv), reasonRequestURIBeforeLogin,
			func(f *Fixture) obj { return requestURIFresh(pushed(clientID, nil)(f)) }),

		mk.covered("ensure-request-object-without-exp-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libAdv, "request_object.exp_missing"),
			"A request object without exp, by value. Target: the redirect error invalid_request_object. The object verified, so the error may be redirected.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "exp"))),
		mk.covered("ensure-request-object-without-nbf-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libAdv, "request_object.nbf_missing"),
			"A request object without nbf (the service does not set nbf_optional). Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "nbf"))),
		mk.covered("ensure-request-object-without-scope-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libAdv, "scope.missing").ignoring("scope"),
			"scope only outside the request object. Only the object's values count, so the request has no scope. Target: the redirect error invalid_request.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "scope"))),
		mk.covered("state-only-outside-request-object-not-used", Conditional,
			acc(successNote("no state, no s_hash"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetSuccess, expect(libAdv).ignoring("scope", "state").using("state", ""),
			"state only in the query. Only the object's values count: the outside state is ignored (Report.Ignored) and absent from Report.Parameters. Target: the preferred success, which returns no state.",
			byValue(fixtures.With(client1.RWOutside(), "state", fixtures.State), fixtures.Without(ro, "state"))),
		mk.covered("ensure-request-object-without-nonce-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libAdv, "nonce.missing").ignoring("nonce", "scope"),
			"nonce only outside the request object (openid flow). Target: the redirect error invalid_request.",
			byValue(fixtures.With(client1.RWOutside(), "nonce", fixtures.Nonce), fixtures.Without(ro, "nonce"))),
		mk.covered("ensure-request-object-without-redirect-uri-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object"), errorPage()),
			TargetErrorPage, expect(libAdv, "redirect_uri.missing"),
			"redirect_uri only outside the request object. Target: the error page. Without a redirect_uri in the object there is none to trust.",
			byValue(fixtures.With(client1.RWOutside(), "redirect_uri", fixtures.RedirectURI), fixtures.Without(ro, "redirect_uri"))),
		mk.covered("ensure-expired-request-object-fails", Negative, roErr, TargetRedirect,
			expect(libAdv, "request_object.expired"),
			"A request object whose exp is an hour ago. Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.With(ro, "exp", fixtures.Unix(-time.Hour)))),
		mk.covered("ensure-request-object-with-bad-aud-fails", Negative,
			acc(par("400", "invalid_request_object"), redirectNote("by_value->invalid_request_object, PAR->invalid_request_uri", "invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libAdv, "request_object.aud_mismatch"),
			"A request object by value whose aud names another server. Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.With(ro, "aud", otherAudience))),
		mk.covered("ensure-request-object-with-exp-over-60-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libAdv, "request_object.lifetime_too_long"),
			"A request object whose exp is 70 minutes ahead (nbf ten seconds ago). Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.With(ro, "exp", fixtures.Unix(70*time.Minute)))),
		mk.covered("ensure-request-object-with-nbf-over-60-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libAdv, "request_object.nbf_too_old", "request_object.lifetime_too_long"),
			"A request object whose nbf is 70 minutes ago (exp five minutes ahead, so its lifetime is too long as well). Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.With(ro, "nbf", fixtures.Unix(-70*time.Minute)))),
		mk.covered("ensure-signed-request-object-with-RS256-fails", Negative, roErr, TargetErrorPage,
			expect(libAdv, "request_object.alg_not_allowed"),
			"A request object signed RS256 with the client's PS256 key. Target: the error page. An object that does not verify is not trusted, so no redirect.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.Key, "RS256", ro, nil) })),
		mk.covered("ensure-request-object-signature-algorithm-is-not-none", Negative, roErr, TargetErrorPage,
			expect(libAdv, "request_object.unsigned"),
			"An unsigned request object (alg none). Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Unsigned("none", ro) })),
		mk.covered("ensure-request-object-with-invalid-signature-fails", Negative, roErr, TargetErrorPage,
			expect(libAdv, "request_object.signature_invalid"),
			"A request object whose signature is corrupted. Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Tamper(f.Sign(ro)) })),
		mk.covered("ensure-matching-key-in-authorization-request", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request_object"), errorPage()),
			TargetErrorPage, expect(libAdv, "request_object.signature_invalid"),
			"Client 1's request object signed with client 2's key. Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.key2, "PS256", ro, nil) })),
		mk.covered("par-pushed-authorization-url-as-audience-in-request-object", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request_uri"), errorPage()), TargetPAR,
			expect(libAdv, "request_object.aud_mismatch"),
			"A pushed request object whose aud is the PAR endpoint, not the issuer. Target: the PAR error invalid_request_object.",
			parWith(fixtures.With(pro, "aud", fixtures.PAREndpoint), issAud)),
		mk.covered("par-authorization-request-containing-request_uri", Negative,
			acc(par("400", "invalid_request_object")), TargetPAR,
			expect(libAdv, "request_object.malformed"),
			"A pushed request object with a request_uri claim inside. Target: the PAR error invalid_request_object.",
			parWith(fixtures.With(pro, "request_uri", pushedURI2), issAud)),
		mk.covered("par-attempt-invalid-redirect_uri", Negative,
			acc(par("400", "invalid_request", "invalid_request_object")), TargetPAR,
			expect(libAdv, "redirect_uri.not_registered"),
			"A pushed request object whose redirect_uri is https://junk.io/junk/callback. Target: the PAR error invalid_request.",
			parWith(fixtures.With(pro, "redirect_uri", junkRedirect), issAud)),
		mk.covered("ensure-authorization-request-without-request-object-fails", Negative,
			acc(redirect("invalid_request"), errorPage()), TargetErrorPage,
			expect(libAdv, "request_object.missing"),
			"Every parameter as a plain query parameter, no request object and no PAR. Target: the error page. Nothing signed vouches for redirect_uri.",
			func(f *Fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "authorization_request": obj{"params": stored(ro)}}
			}),
		mk.covered("ensure-redirect-uri-in-authorization-request", Conditional,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage(), successNote("AS may default to the single registered redirect_uri")),
			TargetErrorPage, expect(libAdv, "redirect_uri.missing"),
			"No redirect_uri, inside or outside the request object. The library refuses and does not pick the registered default. Target: the error page; the suite fails any redirect carrying an error.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "redirect_uri"))),
		mk.covered("ensure-response-type-code-fails", Negative,
			acc(par("400", "unsupported_response_type", "invalid_request", "unauthorized_client"), redirect("unsupported_response_type", "invalid_request"), errorPage()),
			TargetRedirect, expect(libAdv, "response_type.not_allowed", "response_type.unregistered"),
			"response_type code without response_mode jwt. Target: the redirect error unsupported_response_type; no code is issued.",
			byValue(fixtures.With(client1.RWOutside(), "response_type", "code"), fixtures.With(ro, "response_type", "code"))),
		mk.covered("ensure-response-mode-query", Conditional,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request"), errorPage(), successNote("result in fragment/JARM, not query")),
			TargetRedirect, expect(libAdv, "response_mode.not_allowed"),
			"response_mode=query with code id_token in the request object. The library refuses. Target: the redirect error invalid_request.",
			byValue(client1.RWOutside(), fixtures.With(ro, "response_mode", "query"))),
		mk.covered("ensure-different-nonce-inside-and-outside-request-object", Conditional,
			acc(redirect("invalid_request"), errorPage(), successNote("nonce from inside the request object")),
			TargetSuccess, expect(libAdv).ignoring("nonce", "scope").using("nonce", fixtures.Nonce),
			"A different nonce in the query than in the request object. Only the object's values count. Target: success with the nonce from inside the object (Report.Parameters).",
			byValue(fixtures.With(client1.RWOutside(), "nonce", "other-nonce"), ro)),
		mk.covered("ensure-registered-redirect-uri", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage()), TargetErrorPage,
			expect(libAdv, "redirect_uri.not_registered"),
			"An unregistered redirect_uri in the request object. Target: the error page. AuthorizationResult.ErrorRedirectURI never redirects to it.",
			byValue(client1.RWOutside(), fixtures.With(ro, "redirect_uri", randomRedirect))),
		mk.covered("ensure-request-object-with-long-nonce", Conditional, longNonceAcc("nonce intact"), TargetSuccess,
			expect(libAdv).ignoring("scope").using("nonce", long("n-", 384)),
			"A 384-character nonce. Target: success with the nonce intact.",
			byValue(client1.RWOutside(), fixtures.With(ro, "nonce", long("n-", 384)))),
		mk.covered("ensure-request-object-with-64-char-nonce-success", Conditional, longNonceAcc("nonce intact"), TargetSuccess,
			expect(libAdv).ignoring("scope").using("nonce", long("n-", 64)),
			"A 64-character nonce. Target: success with the nonce intact.",
			byValue(client1.RWOutside(), fixtures.With(ro, "nonce", long("n-", 64)))),
		mk.covered("ensure-request-object-with-long-state", Conditional, longNonceAcc("state intact"), TargetSuccess,
			expect(libAdv).ignoring("scope").using("state", long("s-", 1000)),
			"A 1000-character state. Target: success with the state intact.",
			byValue(client1.RWOutside(), fixtures.With(ro, "state", long("s-", 1000)))),
		mk.covered("par-ensure-pkce-required", Negative,
			acc(par("400", "invalid_request"), redirect("invalid_request"), errorPage()), TargetPAR,
			expect(libAdv, "pkce.challenge_missing"),
			"A pushed request without code_challenge. Target: the PAR error invalid_request.",
			parWith(ro, issAud)),
		mk.covered("par-plain-pkce-rejected", Negative,
			acc(par("400", "invalid_request"), redirect("invalid_request"), errorPage()), TargetPAR,
			expect(libAdv, "pkce.method_not_s256"),
			"A pushed request with code_challenge_method plain. Target: the PAR error invalid_request.",
			parWith(fixtures.With(ro, "code_challenge", fixtures.Verifier, "code_challenge_method", "plain"), issAud)),
		mk.covered("ensure-pkce-code-verifier-required", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libAdv, "pkce.verifier_missing"),
			"A token request without code_verifier for a code issued with an S256 challenge. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.AdvPushedToken()
				tr["params"] = fixtures.Without(tr["params"].(obj), "code_verifier")
				return f.advTokenCase(tr)
			}),
		mk.covered("incorrect-pkce-code-verifier-rejected", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libAdv, "pkce.verifier_mismatch"),
			"A token request whose code_verifier is another random value. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.AdvPushedToken()
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", otherVerifier)
				return f.advTokenCase(tr)
			}),
		mk.covered("par-attempt-reuse-request_uri", Conditional,
			acc(redirect("invalid_request_uri"), errorPage(), successNote("warning")), TargetRedirect,
			expect(libAdv, "par.request_uri_reused"), reasonRequestURIReuse,
			func(f *Fixture) obj { return requestURIUsed(pushed(clientID, nil)(f)) }),
		mk.covered("par-attempt-to-use-expired-request_uri", Negative,
			acc(redirect("invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libAdv, "par.expired"),
			"A pushed request_uri whose record expired a second ago. Target: the error page. An expired request_uri vouches for nothing, so no redirect.",
			pushed(clientID, func(rec obj) { rec["expires_at"] = fixtures.RFC3339(-time.Second) })),
		mk.covered("par-attempt-to-use-request_uri-for-different-client", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libAdv, "par.client_mismatch"),
			"Client 1's request_uri presented with client 2's client_id. Client 2 is the client checked; the record names client 1. Target: the error page.",
			func(f *Fixture) obj {
				c := pushed(client2ID, nil)(f)
				c["authorization_request"].(obj)["pushed"].(obj)["client_id"] = clientID
				return c
			}),
		mk.covered("par-authorization-request-containing-request_uri-form-param", Negative,
			acc(par("400", "invalid_request", "invalid_request_object", "request_uri_not_supported")), TargetPAR,
			expect(libAdv, "par.request_uri_not_allowed"),
			"A request_uri form parameter in the PAR body. Target: the PAR error invalid_request.",
			func(f *Fixture) obj {
				c := parWith(pro, issAud)(f)
				p := c["pushed_authorization_request"].(obj)
				p["params"] = fixtures.With(p["params"].(obj), "request_uri", pushedURI2)
				return c
			}),
		mk.covered("par-attempt-invalid-http-method", Negative, acc(par("4xx|5xx")), TargetPAR,
			expect(libAdv, "par.method_not_allowed"),
			"The PAR endpoint called with PUT. Target: a PAR error (the library says to answer HTTP 405).",
			func(f *Fixture) obj {
				c := parWith(pro, issAud)(f)
				c["pushed_authorization_request"].(obj)["method"] = "PUT"
				return c
			}),
		mk.covered("par-ensure-client-assertion-with-wrong-aud-fails", Negative, parAssertionErr, TargetPAR,
			expect(libAdv, "client_assertion.aud_mismatch"),
			"A client assertion at PAR whose aud is an unrelated URL. Target: the PAR error invalid_client.",
			parWith(pro, client1.AssertionClaims(otherAudience))),
		mk.covered("par-ensure-client-assertion-with-wrong-iss-fails", Negative, parAssertionErr, TargetPAR,
			expect(libAdv, "client_assertion.iss_mismatch"),
			"A client assertion at PAR whose iss is 'wrong-issuer-value'. Target: the PAR error invalid_client.",
			parWith(pro, fixtures.With(issAud, "iss", "wrong-issuer-value"))),
		mk.covered("par-ensure-client-assertion-with-wrong-sub-fails", Negative, parAssertionErr, TargetPAR,
			expect(libAdv, "client_assertion.sub_mismatch"),
			"A client assertion at PAR whose sub is 'wrong-sub-value'. Target: the PAR error invalid_client.",
			parWith(pro, fixtures.With(issAud, "sub", "wrong-sub-value"))),
		mk.covered("ensure-client-id-in-token-endpoint", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_grant")), TargetToken,
			expect(libAdv, "client_assertion.signature_invalid", "code.client_mismatch"),
			"Client 1's code redeemed under client 2's client_id, with an assertion for client 2 signed by client 1's key. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.RWToken(fixtures.With(tokenAud, "iss", client2ID, "sub", client2ID))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", client2ID)
				return obj{"service": fixtures.FinalService(), "client": f.client2(f.RWClient()), "token_request": tr}
			}),
		mk.covered("ensure-mtls-holder-of-key-required", Negative,
			acc(tlsRejected("token"), token("4xx (400/401 expected)", "invalid_client", "invalid_request", "invalid_grant")), TargetToken,
			expect(libAdv, "mtls.certificate_missing"),
			"A token request without a TLS client certificate from a private_key_jwt client with certificate-bound tokens. Target: the token error invalid_grant. The TLS version and cipher checks of the module are transport.",
			func(f *Fixture) obj {
				tr := f.RWToken(tokenAud)
				delete(tr, "client_certificate")
				return f.advTokenCase(tr)
			}),
		mk.covered("ensure-authorization-code-is-bound-to-client", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libAdv, "code.client_mismatch"),
			"Client 2, with its own assertion and certificate, redeems a code whose record names client 1. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.RWTokenWith(fixtures.Sign(f.key2, "PS256", fixtures.With(tokenAud, "iss", client2ID, "sub", client2ID), nil))
				tr["client_certificate"] = f.tls2.CertPEM()
				return obj{"service": fixtures.FinalService(), "client": f.client2(f.RWClient()), "token_request": tr}
			}),
		mk.covered("attempt-reuse-authorisation-code-after-one-second", Negative,
			acc(token("400", "invalid_grant"), resource("4xx (warning)")), TargetToken,
			expect(libAdv, "code.reused"), reasonCodeReuse+" Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				return f.codeReused(f.advTokenCase(f.RWToken(fixtures.With(tokenAud, "jti", "assertion-jti-2"))))
			}),
		mk.covered("ensure-signed-client-assertion-with-RS256-fails", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client")), TargetToken,
			expect(libAdv, "client_assertion.alg_not_allowed"),
			"A client assertion signed RS256 by a client registered for PS256. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				return f.advTokenCase(f.RWTokenWith(fixtures.Sign(f.Key, "RS256", tokenAud, nil)))
			}),
		mk.covered("ensure-client-assertion-in-token-endpoint", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.missing"),
			"A token request with client_id but no client_assertion. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.RWToken(tokenAud)
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", clientID, "client_assertion", nil, "client_assertion_type", nil)
				return f.advTokenCase(tr)
			}),
		mk.covered("ensure-client-assertion-with-exp-is-5-minutes-in-past-fails", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.expired"),
			"A client assertion that expired five minutes ago. Target: the token error invalid_client.",
			tokenWith(fixtures.With(tokenAud, "exp", fixtures.Unix(-5*time.Minute), "iat", fixtures.Unix(-6*time.Minute)))),
		mk.covered("ensure-client-assertion-with-wrong-aud-fails", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.aud_mismatch"),
			"A client assertion whose aud is a userinfo URL. Target: the token error invalid_client.",
			tokenWith(client1.AssertionClaims(userinfoURL))),
		mk.covered("ensure-client-assertion-with-no-sub-fails", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.sub_mismatch"),
			"A client assertion without sub. Target: the token error invalid_client.",
			tokenWith(fixtures.Without(tokenAud, "sub"))),
		mk.covered("ensure-client-assertion-with-wrong-iss-fails", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.iss_mismatch"),
			"A client assertion whose iss is 'wrong-issuer-value'. Target: the token error invalid_client.",
			tokenWith(fixtures.With(tokenAud, "iss", "wrong-issuer-value"))),
		mk.covered("ensure-client-assertion-with-wrong-sub-fails", Negative, assertionErr, TargetToken,
			expect(libAdv, "client_assertion.sub_mismatch"),
			"A client assertion whose sub is 'wrong-sub-value'. Target: the token error invalid_client.",
			tokenWith(fixtures.With(tokenAud, "sub", "wrong-sub-value"))),
		mk.covered("refresh-token", Mixed,
			acc(tlsRejected("token"), token("400", "invalid_client", "invalid_grant", "invalid_request"), token("400", "invalid_grant"), resource("4xx")), TargetToken,
			expect(libAdv, "mtls.certificate_mismatch", "refresh_token.client_mismatch"),
			reasonRefreshOtherClient+" Target: the token error invalid_grant, the only error the suite accepts for this step.",
			func(f *Fixture) obj {
				return refreshCase(fixtures.FinalService(), f.RWClient(), f.otherClientRefresh(fixtures.TokenEndpoint, "openid payments"))
			}).only(token("400", "invalid_grant")).with(
			step("refresh", TargetSuccess, expect(libAdv), reasonRefreshHappy,
				func(f *Fixture) obj {
					return refreshCase(fixtures.FinalService(), f.RWClient(), f.ownRefresh(fixtures.TokenEndpoint, "openid payments"))
				}),
			step("without-certificate", TargetToken, expect(libAdv, "mtls.certificate_missing"), reasonRefreshNoCert,
				func(f *Fixture) obj {
					tr := f.ownRefresh(fixtures.TokenEndpoint, "openid payments")
					delete(tr, "client_certificate")
					return refreshCase(fixtures.FinalService(), f.RWClient(), tr)
				}).only(tlsRejected("token"), token("400", "invalid_client", "invalid_grant", "invalid_request")),
			step("other-client-access-token", TargetResource, expect(libAdv, "resource.certificate_mismatch"), reasonRefreshOtherToken,
				func(f *Fixture) obj { return f.otherClientTokenAtResource(fixtures.FinalService(), "openid payments") }).only(resource("4xx"))),
		mk.caller("ensure-server-handles-non-matching-intent-id", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()), reasonIntent),
		mk.caller("test-essential-acr-sca-claim", Conditional,
			acc(redirect("access_denied"), errorPage(), successNote("acr returned")), reasonACR),
		mk.outOfScope("brazil-ensure-encryption-required", Negative,
			acc(redirect("invalid_request_object", "access_denied"), errorPage()),
			"Open Banking Brazil rule (a request object sent by value must be encrypted). This ecosystem profile is not implemented by the library. "+
				"The caller decrypts a JWE and hands over the signed object; whether encryption was used is the caller's to enforce."),
		mk.outOfScope("brazil-ensure-bad-payment-signature-fails", Negative, acc(consent("400")), reasonPaymentConsent),
	}
}
