package conformance

import (
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// roModules are the modules of the removed FAPI-R ID2 plan (fapi-r-test-plan).
func roModules() []Module {
	mk := maker{SuiteFAPI1ReadOnly, "fapi-r-"}
	// The three mixed modules: a happy hybrid flow in which client 1, with
	// its own credentials, redeems a code issued to client 2.
	mixed := func(suffix, how string, client func(f *Fixture) obj, auth func(f *Fixture, tr obj) obj) Module {
		return mk.covered(suffix, Mixed, acc(success(), token("400", anyRFC6749Error)), TargetToken,
			expect(libRO, "code.client_mismatch"),
			"The happy part: client 1's hybrid authorization request with PKCE S256, which passes. The embedded negative step: client 1 redeems a code issued to client 2, authenticating with "+how+". "+
				"Target: a token error (the suite accepts any RFC 6749 error).",
			func(f *Fixture) obj {
				c := client(f)
				tr := obj{"params": fixtures.ROTokenParams(), "authorization": fixtures.ClientID(client2ID).RORecord()}
				tr = auth(f, tr)
				return obj{"service": id2Service(), "client": c,
					"authorization_request": obj{"params": roParams(c["client_id"].(string))}, "token_request": tr}
			})
	}
	return []Module{
		mixed("code-id-token-with-client-secret-jwt", "client_secret_jwt (HS256)",
			func(f *Fixture) obj {
				return obj{"client_id": secretClient, "client_type": "confidential", "client_secret": clientSecret,
					"redirect_uris": []string{fixtures.RedirectURI}, "token_endpoint_auth_method": "client_secret_jwt",
					"token_endpoint_auth_signing_alg": "HS256", "scope": "openid accounts", "response_types": []string{"code id_token"}}
			},
			func(f *Fixture, tr obj) obj {
				claims := fixtures.With(client1.AssertionClaims(fixtures.TokenEndpoint), "iss", secretClient, "sub", secretClient)
				tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion_type", fixtures.JWTBearer,
					"client_assertion", fixtures.SignHMAC([]byte(clientSecret), "HS256", claims))
				return tr
			}),
		mixed("code-id-token-with-mtls", "tls_client_auth (its certificate's subject DN)",
			func(f *Fixture) obj {
				return obj{"client_id": clientID, "client_type": "confidential", "redirect_uris": []string{fixtures.RedirectURI},
					"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": tls1SubjectDN,
					"scope": "openid accounts", "response_types": []string{"code id_token"}}
			},
			func(f *Fixture, tr obj) obj {
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", clientID)
				tr["client_certificate"] = f.TLS.CertPEM()
				return tr
			}),
		mixed("code-id-token-with-private-key", "private_key_jwt (PS256)",
			func(f *Fixture) obj {
				return fixtures.With(f.RWClient(), "scope", "openid accounts", "tls_client_certificate_bound_access_tokens", nil, "request_object_signing_alg", nil)
			},
			func(f *Fixture, tr obj) obj {
				tr["params"] = f.WithAssertion(tr["params"].(obj), client1.AssertionClaims(fixtures.TokenEndpoint))
				return tr
			}),
		mk.positive("code-id-token-with-pkce", acc(success()), expect(libRO),
			"A public client's hybrid authorization request with PKCE S256, then its token request with the code_verifier.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": client1.ROPublicClient("code id_token"),
					"authorization_request": obj{"params": roParams(clientID)},
					"token_request":         obj{"params": fixtures.With(fixtures.ROTokenParams(), "client_id", clientID), "authorization": client1.RORecord()}}
			}),
		mk.covered("ensure-redirect-uri-in-authorization-request", Negative, acc(errorPage()), TargetErrorPage,
			expect(libRO, "redirect_uri.missing"),
			"A hybrid request without redirect_uri. Target: the error page, the only outcome accepted. With no redirect URI to trust, AuthorizationResult.ErrorRedirectURI refuses any redirect.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": client1.ROPublicClient("code id_token"),
					"authorization_request": obj{"params": fixtures.Without(roParams(clientID), "redirect_uri")}}
			}),
		mk.covered("ensure-redirect-uri-is-registered", Negative, acc(errorPage()), TargetErrorPage,
			expect(libRO, "redirect_uri.not_registered"),
			"A hybrid request whose redirect_uri was never registered. Target: the error page, the only outcome accepted. AuthorizationResult.ErrorRedirectURI refuses to redirect to an unregistered URI.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": client1.ROPublicClient("code id_token"),
					"authorization_request": obj{"params": fixtures.With(roParams(clientID), "redirect_uri", randomRedirect)}}
			}),
		mk.covered("require-pkce", Negative, acc(redirect("invalid_request"), errorPage()), TargetRedirect,
			expect(libRO, "pkce.challenge_missing"),
			"A hybrid request without code_challenge. Target: the redirect error invalid_request. client_id and redirect_uri are trusted, so the error may be redirected.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": client1.ROPublicClient("code id_token"),
					"authorization_request": obj{"params": fixtures.Without(roParams(clientID), "code_challenge", "code_challenge_method")}}
			}),
		mk.covered("reject-plain-pkce", Negative, acc(redirect("invalid_request"), errorPage()), TargetRedirect,
			expect(libRO, "pkce.method_not_s256"),
			"A hybrid request with code_challenge_method plain. Target: the redirect error invalid_request.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": client1.ROPublicClient("code id_token"),
					"authorization_request": obj{"params": fixtures.With(roParams(clientID), "code_challenge", fixtures.Verifier, "code_challenge_method", "plain")}}
			}),
	}
}

// rwModules are the modules of the removed FAPI-RW ID2 plan
// (fapi-rw-id2-test-plan).
func rwModules() []Module {
	mk := maker{SuiteFAPI1ReadWrite, "fapi-rw-id2-"}
	// byValue is a read-and-write authorization request whose request
	// object has the given claims, beside the given outside parameters.
	byValue := func(outside, claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.rwAuthCase(outside, f.Sign(claims)) }
	}
	signed := func(sign func(f *Fixture) string) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.rwAuthCase(client1.RWOutside(), sign(f)) }
	}
	tokenWith := func(claims obj) func(f *Fixture) obj {
		return func(f *Fixture) obj { return f.rwTokenCase(f.RWTokenWith(f.Sign(claims))) }
	}
	parWith := func(roClaims, assertion obj) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			return obj{"service": id2Service(), "client": f.RWClient(), "pushed_authorization_request": f.SignedPAR(roClaims, assertion)}
		}
	}
	pushed := func(client string, mutate func(rec obj)) func(f *Fixture) obj {
		return func(f *Fixture) obj {
			cl := f.RWClient()
			if client != clientID {
				cl = f.client2(cl)
			}
			auth := fixtures.PushedAuth(client, stored(client1.RWClaims()))
			if mutate != nil {
				mutate(auth["pushed"].(obj))
			}
			return obj{"service": id2Service(), "client": cl, "authorization_request": auth}
		}
	}
	ro := client1.RWClaims()
	tokenAud := client1.AssertionClaims(fixtures.TokenEndpoint)
	roErr := acc(par("400", "invalid_request_object"), redirect("invalid_request_object"), errorPage())
	assertionErr := acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_request"))
	return []Module{
		mk.positive("", acc(success()), expect(libRW),
			"The happy flow: PS256 request object by value, every parameter inside, essential acr. Then the token request with a PS256 client assertion and client 1's certificate.",
			func(f *Fixture) obj {
				c := f.rwAuthCase(client1.RWOutside(), f.Sign(ro))
				c["token_request"] = f.RWTokenWith(f.Sign(tokenAud))
				return c
			}),
		mk.positive("discovery-end-point-verification", acc(success()), expect(libRW),
			"The service metadata alone (CheckService).",
			func(f *Fixture) obj { return obj{"service": id2Service()} }),
		mk.caller("user-rejects-authentication", Positive, acc(success()), reasonUserRejects),
		mk.positive("ensure-request-object-with-multiple-aud-succeeds", acc(success()), expect(libRW),
			"A request object whose aud is an array containing the issuer.",
			byValue(client1.RWOutside(), fixtures.With(ro, "aud", []string{otherAudience, fixtures.Issuer}))),
		mk.positive("ensure-authorization-request-without-state-success", acc(success()), expect(libRW),
			"A request without state (openid is requested).",
			byValue(client1.RWOutside(), fixtures.Without(ro, "state"))),
		mk.positive("ensure-valid-pkce-succeeds", acc(success()), expect(libRW),
			"A request object with an S256 code_challenge, then the token request with the matching code_verifier.",
			func(f *Fixture) obj {
				c := f.rwAuthCase(client1.RWOutside(), f.Sign(fixtures.With(ro, "code_challenge", fixtures.S256(fixtures.Verifier), "code_challenge_method", "S256")))
				tr := f.RWTokenWith(f.Sign(tokenAud))
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", fixtures.Verifier)
				tr["authorization"] = client1.AdvPushedRecord()
				c["token_request"] = tr
				return c
			}),
		mk.positive("ensure-other-scope-order-succeeds", acc(success()), expect(libRW),
			"scope \"payments openid\", inside and outside the request object.",
			byValue(fixtures.With(client1.RWOutside(), "scope", "payments openid"), fixtures.With(ro, "scope", "payments openid"))),
		mk.positive("ensure-client-assertion-with-iss-aud-succeeds", acc(success()), expect(libRW),
			"A client assertion whose aud is the issuer.",
			tokenWith(client1.AssertionClaims(fixtures.Issuer))),
		mk.positive("par-test-pushed-authorization-url-as-audience-for-client-JWT-assertion", acc(success()), expect(libRW),
			"A pushed request whose client assertion names the PAR endpoint as aud (RFC 9126 §2).",
			parWith(ro, client1.AssertionClaims(fixtures.PAREndpoint))),
		mk.positive("par-without-duplicate-parameters", acc(success()), expect(libRW),
			"The authorization request carries only client_id and the pushed request_uri.",
			pushed(clientID, nil)),

		mk.covered("ensure-request-object-without-exp-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libRW, "request_object.exp_missing"),
			"A request object without exp, by value. Target: the redirect error invalid_request_object. The object verified, so the error may be redirected.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "exp"))),
		mk.covered("ensure-request-object-without-scope-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libRW, "request_object.param_missing", "scope.missing"),
			"scope only outside the request object. Under ID2 every outside parameter must also be inside. Target: the redirect error invalid_request.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "scope"))),
		mk.covered("state-only-outside-request-object-not-used", Conditional,
			acc(success(), redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()),
			TargetRedirect, expect(libRW, "request_object.param_missing"),
			"state only outside the request object. ID2 refuses an outside parameter that is not inside, so the library refuses instead of ignoring it. Target: the redirect error invalid_request.",
			byValue(fixtures.With(client1.RWOutside(), "state", fixtures.State), fixtures.Without(ro, "state"))),
		mk.covered("ensure-request-object-without-nonce-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libRW, "request_object.param_missing", "nonce.missing"),
			"nonce only outside the request object. Target: the redirect error invalid_request.",
			byValue(fixtures.With(client1.RWOutside(), "nonce", fixtures.Nonce), fixtures.Without(ro, "nonce"))),
		mk.covered("ensure-request-object-without-redirect-uri-fails", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request", "invalid_request_object"), errorPage()),
			TargetErrorPage, expect(libRW, "request_object.param_missing", "redirect_uri.missing"),
			"redirect_uri only outside the request object. Target: the error page. The object has no redirect_uri to trust, so AuthorizationResult.ErrorRedirectURI refuses the redirect.",
			byValue(fixtures.With(client1.RWOutside(), "redirect_uri", fixtures.RedirectURI), fixtures.Without(ro, "redirect_uri"))),
		mk.covered("ensure-expired-request-object-fails", Negative, roErr, TargetRedirect,
			expect(libRW, "request_object.expired"),
			"A request object whose exp is an hour ago. Target: the redirect error invalid_request_object.",
			byValue(client1.RWOutside(), fixtures.With(ro, "exp", fixtures.Unix(-time.Hour)))),
		mk.covered("ensure-request-object-with-bad-aud-fails", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request_object", "invalid_request_uri"), errorPage()),
			TargetRedirect, expect(libRW, "request_object.aud_mismatch"),
			"A request object whose aud names another server. Target: the redirect error invalid_request_object (by value).",
			byValue(client1.RWOutside(), fixtures.With(ro, "aud", otherAudience))),
		mk.covered("ensure-signed-request-object-with-RS256-fails", Negative, roErr, TargetErrorPage,
			expect(libRW, "request_object.alg_not_allowed"),
			"A request object signed RS256 with the client's PS256 key. Target: the error page. An object that does not verify is not trusted, so no redirect.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.Key, "RS256", ro, nil) })),
		mk.covered("ensure-request-object-signature-algorithm-is-not-none", Negative, roErr, TargetErrorPage,
			expect(libRW, "request_object.unsigned"),
			"An unsigned request object (alg none). Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Unsigned("none", ro) })),
		mk.covered("ensure-request-object-with-invalid-signature-fails", Negative, roErr, TargetErrorPage,
			expect(libRW, "request_object.signature_invalid"),
			"A request object whose signature is corrupted. Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Tamper(f.Sign(ro)) })),
		mk.covered("ensure-matching-key-in-authorization-request", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request_object"), errorPage()),
			TargetErrorPage, expect(libRW, "request_object.signature_invalid"),
			"Client 1's request object signed with client 2's key. Target: the error page.",
			signed(func(f *Fixture) string { return fixtures.Sign(f.key2, "PS256", ro, nil) })),
		mk.covered("ensure-authorization-request-without-request-object-fails", Negative,
			acc(redirect("invalid_request"), errorPage()), TargetErrorPage,
			expect(libRW, "request_object.missing"),
			"Every parameter as a plain query parameter, no request object. Target: the error page. Nothing signed vouches for redirect_uri, so the library refuses the redirect.",
			func(f *Fixture) obj {
				return obj{"service": id2Service(), "client": f.RWClient(), "authorization_request": obj{"params": stored(ro)}}
			}),
		mk.covered("ensure-redirect-uri-in-authorization-request", Conditional,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage(), successNote("not rejected by code")),
			TargetErrorPage, expect(libRW, "redirect_uri.missing"),
			"No redirect_uri, inside or outside the request object. The library refuses and does not pick the registered default. Target: the error page.",
			byValue(client1.RWOutside(), fixtures.Without(ro, "redirect_uri"))),
		mk.covered("ensure-response-type-code-fails", Negative,
			acc(par("400", "unsupported_response_type", "invalid_request", "unauthorized_client"), redirect("unsupported_response_type", "invalid_request"), errorPage()),
			TargetRedirect, expect(libRW, "response_type.not_allowed", "response_type.unregistered"),
			"response_type code without a JARM response mode. Target: the redirect error unsupported_response_type.",
			byValue(fixtures.With(client1.RWOutside(), "response_type", "code"), fixtures.With(ro, "response_type", "code"))),
		mk.covered("ensure-response-mode-query", Conditional,
			acc(par("400", "invalid_request", "invalid_request_object"), redirect("invalid_request"), errorPage(), success()),
			TargetRedirect, expect(libRW, "response_mode.not_allowed"),
			"response_mode=query with code id_token, inside and outside the request object. The library refuses. Target: the redirect error invalid_request.",
			byValue(fixtures.With(client1.RWOutside(), "response_mode", "query"), fixtures.With(ro, "response_mode", "query"))),
		mk.covered("ensure-different-nonce-inside-and-outside-request-object", Conditional,
			acc(redirect("invalid_request"), errorPage(), success()), TargetRedirect,
			expect(libRW, "request_object.param_mismatch"),
			"A different nonce outside the request object. ID2 refuses the mismatch. Target: the redirect error invalid_request.",
			byValue(fixtures.With(client1.RWOutside(), "nonce", "other-nonce"), ro)),
		mk.covered("ensure-registered-redirect-uri", Negative,
			acc(par("400", "invalid_request", "invalid_request_object"), errorPage()), TargetErrorPage,
			expect(libRW, "redirect_uri.not_registered"),
			"An unregistered redirect_uri, inside and outside the request object. Target: the error page. AuthorizationResult.ErrorRedirectURI never redirects to it.",
			byValue(fixtures.With(client1.RWOutside(), "redirect_uri", randomRedirect), fixtures.With(ro, "redirect_uri", randomRedirect))),
		mk.covered("ensure-request-object-with-long-nonce", Conditional,
			acc(success(), par("400", "invalid_request"), redirect("invalid_request"), errorPage()), TargetSuccess,
			expect(libRW).using("nonce", long("n-", 384)),
			"A 384-character nonce in the request object. ID2 sets no length limit. Target: success with the nonce intact.",
			byValue(client1.RWOutside(), fixtures.With(ro, "nonce", long("n-", 384)))),
		mk.covered("ensure-request-object-with-long-state", Conditional,
			acc(success(), par("400", "invalid_request"), redirect("invalid_request"), errorPage()), TargetSuccess,
			expect(libRW).using("state", long("s-", 1000)),
			"A 1000-character state in the request object. Target: success with the state intact.",
			byValue(client1.RWOutside(), fixtures.With(ro, "state", long("s-", 1000)))),
		mk.covered("ensure-client-id-in-token-endpoint", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client", "invalid_grant")), TargetToken,
			expect(libRW, "client_assertion.signature_invalid", "code.client_mismatch"),
			"Client 1's code redeemed under client 2's client_id, with an assertion for client 2 signed by client 1's key. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.RWTokenWith(f.Sign(fixtures.With(tokenAud, "iss", client2ID, "sub", client2ID)))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", client2ID)
				return obj{"service": id2Service(), "client": f.client2(f.RWClient()), "token_request": tr}
			}),
		mk.covered("ensure-mtls-holder-of-key-required", Negative,
			acc(tlsRejected("token"), token("400|401", "invalid_client", "invalid_grant", "invalid_request")), TargetToken,
			expect(libRW, "mtls.certificate_missing"),
			"A token request without a TLS client certificate from a private_key_jwt client with certificate-bound tokens. Target: the token error invalid_grant. The TLS version and cipher checks of the module are transport.",
			func(f *Fixture) obj {
				tr := f.RWTokenWith(f.Sign(tokenAud))
				delete(tr, "client_certificate")
				return f.rwTokenCase(tr)
			}),
		mk.covered("ensure-authorization-code-is-bound-to-client", Negative,
			acc(token("400", "invalid_grant")), TargetToken,
			expect(libRW, "code.client_mismatch"),
			"Client 2, with its own assertion and certificate, redeems a code whose record names client 1. Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				tr := f.RWTokenWith(fixtures.Sign(f.key2, "PS256", fixtures.With(tokenAud, "iss", client2ID, "sub", client2ID), nil))
				tr["client_certificate"] = f.tls2.CertPEM()
				return obj{"service": id2Service(), "client": f.client2(f.RWClient()), "token_request": tr}
			}),
		mk.covered("attempt-reuse-authorisation-code-after-one-second", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libRW, "code.reused"), reasonCodeReuse+" Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				return f.codeReused(f.rwTokenCase(f.RWToken(fixtures.With(tokenAud, "jti", "assertion-jti-2"))))
			}),
		mk.covered("attempt-reuse-authorisation-code-after-30seconds", Negative, acc(token("400", "invalid_grant")), TargetToken,
			expect(libRW, "code.reused"), reasonCodeReuse+" "+reasonCodeHold+" Target: the token error invalid_grant.",
			func(f *Fixture) obj {
				return f.codeReused(f.rwTokenCase(f.RWToken(fixtures.With(tokenAud, "jti", "assertion-jti-2"))))
			}),
		mk.covered("ensure-signed-client-assertion-with-RS256-fails", Negative,
			acc(token("400 (401 allowed only for invalid_client)", "invalid_client")), TargetToken,
			expect(libRW, "client_assertion.alg_not_allowed"),
			"A client assertion signed RS256 by a client registered for PS256. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				return f.rwTokenCase(f.RWTokenWith(fixtures.Sign(f.Key, "RS256", tokenAud, nil)))
			}),
		mk.covered("ensure-client-assertion-in-token-endpoint", Negative, assertionErr, TargetToken,
			expect(libRW, "client_assertion.missing"),
			"A token request with client_id but no client_assertion. Target: the token error invalid_client.",
			func(f *Fixture) obj {
				tr := f.RWTokenWith("")
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", clientID, "client_assertion", nil, "client_assertion_type", nil)
				return f.rwTokenCase(tr)
			}),
		mk.covered("ensure-client-assertion-with-exp-is-5-minutes-in-past-fails", Negative, assertionErr, TargetToken,
			expect(libRW, "client_assertion.expired"),
			"A client assertion that expired five minutes ago. Target: the token error invalid_client.",
			tokenWith(fixtures.With(tokenAud, "exp", fixtures.Unix(-5*time.Minute), "iat", fixtures.Unix(-6*time.Minute)))),
		mk.covered("ensure-client-assertion-with-wrong-aud-fails", Negative, assertionErr, TargetToken,
			expect(libRW, "client_assertion.aud_mismatch"),
			"A client assertion whose aud is a userinfo URL. Target: the token error invalid_client.",
			tokenWith(client1.AssertionClaims(userinfoURL))),
		mk.covered("ensure-client-assertion-with-no-sub-fails", Negative, assertionErr, TargetToken,
			expect(libRW, "client_assertion.sub_mismatch"),
			"A client assertion without sub. Target: the token error invalid_client.",
			tokenWith(fixtures.Without(tokenAud, "sub"))),
		mk.covered("refresh-token", Mixed, acc(token("400", "invalid_grant"), resource("4xx")), TargetToken,
			expect(libRW, "mtls.certificate_mismatch", "refresh_token.client_mismatch"),
			reasonRefreshOtherClient+" Target: the token error invalid_grant, the only error the suite accepts for this step.",
			func(f *Fixture) obj {
				return refreshCase(id2Service(), f.RWClient(), f.otherClientRefresh(fixtures.TokenEndpoint, "openid payments"))
			}).only(token("400", "invalid_grant")).with(
			step("refresh", TargetSuccess, expect(libRW), reasonRefreshHappy,
				func(f *Fixture) obj {
					return refreshCase(id2Service(), f.RWClient(), f.ownRefresh(fixtures.TokenEndpoint, "openid payments"))
				}),
			step("other-client-access-token", TargetResource, expect(libRW, "resource.certificate_mismatch"), reasonRefreshOtherToken,
				func(f *Fixture) obj { return f.otherClientTokenAtResource(id2Service(), "openid payments") }).only(resource("4xx"))),
		mk.caller("ensure-server-handles-non-matching-intent-id", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri", "access_denied"), errorPage()), reasonIntent),
		mk.caller("test-essential-acr-sca-claim", Conditional, acc(redirect("access_denied"), errorPage(), success()), reasonACR),
		mk.covered("par-attempt-reuse-request_uri", Conditional,
			acc(redirect("invalid_request_uri"), errorPage(), successNote("warning")), TargetRedirect,
			expect(libRW, "par.request_uri_reused"), reasonRequestURIReuse,
			func(f *Fixture) obj { return requestURIUsed(pushed(clientID, nil)(f)) }),
		mk.covered("par-attempt-to-use-expired-request_uri", Negative,
			acc(redirect("invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libRW, "par.expired"),
			"A pushed request_uri whose record expired a second ago. Target: the error page. An expired request_uri vouches for nothing, so no redirect.",
			pushed(clientID, func(rec obj) { rec["expires_at"] = fixtures.RFC3339(-time.Second) })),
		mk.covered("par-attempt-to-use-request_uri-for-different-client", Negative,
			acc(redirect("invalid_request", "invalid_request_object", "invalid_request_uri"), errorPage()), TargetErrorPage,
			expect(libRW, "par.client_mismatch"),
			"Client 1's request_uri presented with client 2's client_id. Client 2 is the client checked; the record names client 1. Target: the error page.",
			func(f *Fixture) obj {
				c := pushed(client2ID, nil)(f)
				c["authorization_request"].(obj)["pushed"].(obj)["client_id"] = clientID
				return c
			}),
		mk.covered("par-authorization-request-containing-request_uri-form-param", Negative,
			acc(par("400", "invalid_request", "invalid_request_object", "request_uri_not_supported")), TargetPAR,
			expect(libRW, "par.request_uri_not_allowed"),
			"A request_uri form parameter in the PAR body. Target: the PAR error invalid_request.",
			func(f *Fixture) obj {
				c := parWith(ro, client1.AssertionClaims(fixtures.Issuer))(f)
				p := c["pushed_authorization_request"].(obj)
				p["params"] = fixtures.With(p["params"].(obj), "request_uri", pushedURI2)
				return c
			}),
		mk.covered("par-attempt-invalid-http-method", Negative, acc(par("4xx|5xx")), TargetPAR,
			expect(libRW, "par.method_not_allowed"),
			"The PAR endpoint called with PUT. Target: a PAR error (the library says to answer HTTP 405).",
			func(f *Fixture) obj {
				c := parWith(ro, client1.AssertionClaims(fixtures.Issuer))(f)
				c["pushed_authorization_request"].(obj)["method"] = "PUT"
				return c
			}),
		mk.covered("par-pushed-authorization-url-as-audience-in-request-object", Negative,
			acc(par("400", "invalid_request_object"), redirect("invalid_request_uri"), errorPage()), TargetPAR,
			expect(libRW, "request_object.aud_mismatch"),
			"A pushed request object whose aud is the PAR endpoint, not the issuer. Target: the PAR error invalid_request_object.",
			parWith(fixtures.With(ro, "aud", fixtures.PAREndpoint), client1.AssertionClaims(fixtures.Issuer))),
		mk.covered("par-attempt-invalid-redirect_uri", Negative,
			acc(par("400", "invalid_request", "invalid_request_object")), TargetPAR,
			expect(libRW, "redirect_uri.not_registered"),
			"A pushed request object whose redirect_uri is https://junk.io/junk/callback. Target: the PAR error invalid_request.",
			parWith(fixtures.With(ro, "redirect_uri", junkRedirect), client1.AssertionClaims(fixtures.Issuer))),
		mk.covered("par-authorization-request-containing-request_uri", Negative,
			acc(par("400", "invalid_request_object")), TargetPAR,
			expect(libRW, "request_object.malformed"),
			"A pushed request object with a request_uri claim inside. Target: the PAR error invalid_request_object.",
			parWith(fixtures.With(ro, "request_uri", pushedURI2), client1.AssertionClaims(fixtures.Issuer))),
	}
}
