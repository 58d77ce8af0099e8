package casegen

import (
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

// The downgrade and mixed-profile cases of the refresh_token and
// client_credentials grants and of the resource check point, as
// mixedDefs has them for the other endpoints: a scope that hides a FAPI
// scope behind whitespace, a grant or token for a FAPI 1.0 and a FAPI 2.0
// scope at once, and no FAPI scope at a FAPI service.
//
// The rule that shows which profiles a token request is held to is FAPI
// 2.0's client assertion audience: the issuer, as a string
// (FAPI2-SP-5.3.2.1-8). FAPI 1.0 and plain OAuth 2.0 also accept the token
// endpoint (RFC 7523 §3 item 3), so an assertion for the token endpoint is
// refused exactly when FAPI 2.0 applies.

// mixedGrantService is mixedService issuing refresh tokens and client
// credentials tokens.
func mixedGrantService() obj {
	return fixtures.With(mixedService(), "grant_types_supported", []string{"authorization_code", "refresh_token", "client_credentials"})
}

// mixedGrantClient is a client registered for an Advanced and a FAPI 2.0
// scope that meets both profiles' registration rules (code with JARM,
// certificate-bound tokens), for the three grants.
func (f *fixture) mixedGrantClient() obj {
	return fixtures.With(f.grantClient(), "scope", "openid payments sp", "authorization_signed_response_alg", "PS256")
}

// mixedRefreshRequest is a refresh request for a token granted for
// "openid payments sp", with a client assertion for aud.
func (f *fixture) mixedRefreshRequest(aud any, extra ...any) obj {
	tr := f.withAudience(f.refreshRequest(extra...), aud)
	tr["refresh"] = fixtures.With(f.refreshRecord(), "scope", "openid payments sp")
	return tr
}

// withAudience replaces a token request's client assertion by one for
// aud.
func (f *fixture) withAudience(tr obj, aud any) obj {
	tr["params"] = f.WithAssertion(fixtures.Without(tr["params"].(obj), "client_assertion", "client_assertion_type"), f.AssertionClaims(aud))
	return tr
}

// both is the expectation that a case's requests are held to FAPI 2.0 and
// FAPI 1.0 Advanced.
func both(c obj) obj {
	c["expect"] = obj{"profiles": []string{f2, adv}}
	return c
}

func grantMixedDefs() []def {
	return []def{
		// --- refresh_token -----------------------------------------------
		{"downgrade-refresh-record-scope-nbsp", "FAPI 2.0 refresh token whose record's scope hides sp behind a no-break space, with a client assertion for the token endpoint: scope.malformed, and FAPI 2.0's audience rule still applies", f2, []string{"scope.malformed", "client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.refreshRequest(), fixtures.TokenEndpoint)
				tr["refresh"] = fixtures.With(f.refreshRecord(), "scope", "openid\u00a0sp")
				return f.refreshCase(tr)
			}},
		{"downgrade-refresh-record-without-scope", "FAPI 2.0 refresh token whose record names no scope, asked for no scope, with a client assertion for the token endpoint: the client's registered scope decides, so FAPI 2.0 applies", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.refreshRequest(), fixtures.TokenEndpoint)
				tr["refresh"] = fixtures.Without(f.refreshRecord(), "scope")
				return f.refreshCase(tr)
			}},
		{"downgrade-refresh-narrower-scope-keeps-fapi2", "refresh of a grant for an Advanced and a FAPI 2.0 scope asking for the Advanced one only, with a client assertion for the token endpoint: the granted scope decides, so FAPI 2.0 still applies", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.mixedRefreshRequest(fixtures.TokenEndpoint, "scope", "openid payments")
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": tr})
			}},
		{"mixed-refresh-advanced-and-fapi2-token-endpoint-audience", "refresh of a grant for an Advanced and a FAPI 2.0 scope with a client assertion for the token endpoint, which Advanced accepts and FAPI 2.0 does not", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": f.mixedRefreshRequest(fixtures.TokenEndpoint)})
			}},
		{"mixed-refresh-advanced-and-fapi2-dpop", "refresh of a DPoP-bound grant for an Advanced and a FAPI 2.0 scope with a proof and no client certificate: Advanced requires certificate-bound tokens (and a hybrid or JARM response type)", f2, []string{"client.response_type_not_allowed", "client.mtls_binding_disabled", "mtls.certificate_missing"},
			func(f *fixture) obj {
				c := f.dpopRefreshCase(f.dpop)
				c["service"] = mixedGrantService()
				c["client"] = fixtures.With(c["client"].(obj), "scope", "openid payments sp")
				tr := c["token_request"].(obj)
				tr["refresh"] = fixtures.With(tr["refresh"].(obj), "scope", "openid payments sp")
				return both(c)
			}},
		{"valid-mixed-refresh-advanced-and-fapi2", "refresh of a grant for an Advanced and a FAPI 2.0 scope that meets both: a client assertion for the issuer and the certificate the token is bound to", f2, nil,
			func(f *fixture) obj {
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": f.mixedRefreshRequest(fixtures.Issuer)})
			}},
		{"valid-plain-refresh-no-fapi-scope-at-fapi-service", "a refresh token granted for no FAPI scope at a FAPI service: the plain rules apply (a client assertion for the token endpoint), and the token's certificate binding still holds", none, nil,
			func(f *fixture) obj {
				tr := f.withAudience(f.refreshRequest(), fixtures.TokenEndpoint)
				tr["refresh"] = fixtures.With(f.refreshRecord(), "scope", "openid")
				return f.refreshCase(tr)
			}},
		{"plain-refresh-no-fapi-scope-certificate-mismatch", "a refresh token granted for no FAPI scope at a FAPI service, presented over another certificate than the one it is bound to: the binding holds under the plain rules too", none, []string{"mtls.certificate_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.refreshRequest(), fixtures.TokenEndpoint)
				tr["refresh"] = fixtures.With(f.refreshRecord(), "scope", "openid", "certificate_thumbprint", mtls.Thumbprint(f.otherCert.Cert))
				return f.refreshCase(tr)
			}},

		// --- client_credentials ------------------------------------------
		{"downgrade-client-credentials-scope-nbsp", "FAPI 2.0 client_credentials grant whose scope hides sp behind a no-break space, with a client assertion for the token endpoint: scope.malformed, and FAPI 2.0's audience rule still applies", f2, []string{"scope.malformed", "client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.clientCredentialsRequest("openid\u00a0sp"), fixtures.TokenEndpoint)
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
			}},
		{"downgrade-client-credentials-no-scope-token-endpoint-audience", "FAPI 2.0 client_credentials grant without scope and with a client assertion for the token endpoint: the client's registered scope decides, so FAPI 2.0 applies", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.clientCredentialsRequest(""), fixtures.TokenEndpoint)
				delete(tr["params"].(obj), "scope")
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
			}},
		{"mixed-client-credentials-advanced-and-fapi2", "client_credentials grant for an Advanced and a FAPI 2.0 scope with a client assertion for the token endpoint, which Advanced accepts and FAPI 2.0 does not", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				tr := f.withAudience(f.clientCredentialsRequest("payments sp"), fixtures.TokenEndpoint)
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": tr})
			}},
		{"mixed-client-credentials-advanced-and-fapi2-no-certificate", "client_credentials grant for an Advanced and a FAPI 2.0 scope without a client certificate: both profiles want the token bound to one", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				tr := f.clientCredentialsRequest("payments sp")
				delete(tr, "client_certificate")
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": tr})
			}},
		{"valid-mixed-client-credentials-advanced-and-fapi2", "client_credentials grant for an Advanced and a FAPI 2.0 scope that meets both: a client assertion for the issuer and a certificate-bound token", f2, nil,
			func(f *fixture) obj {
				return both(obj{"service": mixedGrantService(), "client": f.mixedGrantClient(), "token_request": f.clientCredentialsRequest("payments sp")})
			}},
		{"valid-plain-client-credentials-no-fapi-scope-at-fapi-service", "client_credentials grant for no FAPI scope at a FAPI service: the plain rules apply (a client assertion for the token endpoint)", none, nil,
			func(f *fixture) obj {
				tr := f.withAudience(f.clientCredentialsRequest("openid"), fixtures.TokenEndpoint)
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
			}},

		// --- the resource check point --------------------------------------
		{"mixed-resource-advanced-and-fapi2-dpop", "a DPoP-bound token for an Advanced and a FAPI 2.0 scope: FAPI 2.0 takes it, Advanced's resources take certificate-bound tokens only (FAPI1-ADV-6.2.1-2)", f2, []string{"resource.binding_missing"},
			func(f *fixture) obj {
				rr := f.dpopResourceRequest()
				rr["token"] = fixtures.With(rr["token"].(obj), "scope", "openid payments sp")
				return both(resourceCase(mixedService(), rr))
			}},
		{"valid-mixed-resource-advanced-and-fapi2-mtls", "a certificate-bound token for an Advanced and a FAPI 2.0 scope over its certificate: both profiles take it", f2, nil,
			func(f *fixture) obj {
				return both(resourceCase(mixedService(), f.mtlsResourceRequest("openid payments sp")))
			}},
		{"valid-plain-resource-no-fapi-scope-at-fapi-service", "an unbound bearer token for no FAPI scope at a FAPI service: the plain rules apply", none, nil,
			func(f *fixture) obj { return resourceCase(fixtures.F2Service(), bearerResourceRequest("openid")) }},
		{"downgrade-resource-token-without-scope", "an unbound bearer token whose record names no scope, at a FAPI 2.0 service: every profile the service offers applies, and FAPI 2.0 wants a bound token", f2, []string{"resource.binding_missing"},
			func(f *fixture) obj {
				rr := bearerResourceRequest("")
				rr["token"] = fixtures.Without(rr["token"].(obj), "scope")
				return resourceCase(fixtures.F2Service(), rr)
			}},
		{"downgrade-resource-scope-nbsp", "a DPoP-bound FAPI 2.0 token whose record's scope hides sp behind a no-break space, presented as a bearer token: the binding holds whatever the scope", f2, []string{"scope.malformed", "resource.dpop_scheme_required"},
			func(f *fixture) obj {
				rr := fixtures.With(f.dpopResourceRequest(), "authorization", "Bearer "+resourceToken, "dpop", nil)
				rr["token"] = fixtures.With(rr["token"].(obj), "scope", "openid\u00a0sp")
				return resourceCase(fixtures.F2Service(), rr)
			}},
	}
}
