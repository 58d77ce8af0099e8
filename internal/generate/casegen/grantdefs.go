package casegen

import (
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

// The refresh token the grant cases present; the library never reads it,
// only its record.
const refreshToken = "refresh-token-1"

// grantService is the FAPI 2.0 service that also issues refresh tokens and
// client credentials tokens.
func grantService() obj {
	return fixtures.With(fixtures.F2Service(), "grant_types_supported", []string{"authorization_code", "refresh_token", "client_credentials"})
}

// grantClient is the certificate-bound FAPI 2.0 client registered for the
// three grants.
func (f *fixture) grantClient() obj {
	return fixtures.With(f.F2Client(), "grant_types", []string{"authorization_code", "refresh_token", "client_credentials"})
}

// refreshRecord is the record of a refresh token issued to the client for
// "openid sp", bound to its TLS certificate, valid for another hour.
func (f *fixture) refreshRecord() obj {
	return obj{
		"client_id":              fixtures.RWClientID,
		"scope":                  "openid sp",
		"expires_at":             fixtures.RFC3339(time.Hour),
		"certificate_thumbprint": mtls.Thumbprint(f.TLS.Cert),
	}
}

// refreshToken is the client's refresh_token grant request over mTLS, with
// extra parameters.
func (f *fixture) refreshRequest(extra ...any) obj {
	params := fixtures.With(obj{"grant_type": "refresh_token", "refresh_token": refreshToken}, extra...)
	return obj{
		"params":             f.WithAssertion(params, f.f2AssertionClaims()),
		"client_certificate": f.TLS.CertPEM(),
		"refresh":            f.refreshRecord(),
	}
}

func (f *fixture) refreshCase(tr obj) obj {
	return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
}

// dpopRefreshCase is the DPoP client's refresh request: no certificate, a
// proof of the key the refresh token is bound to (RFC 9449 §5).
func (f *fixture) dpopRefreshCase(key fixtures.Key) obj {
	tr := f.refreshRequest()
	delete(tr, "client_certificate")
	tr["refresh"] = fixtures.With(f.refreshRecord(), "certificate_thumbprint", nil, "dpop_jkt", fixtures.Thumbprint(f.dpop))
	tr["dpop"] = fixtures.DPoPProof(key, fixtures.DPoPClaims(fixtures.TokenEndpoint))
	return obj{"service": grantService(), "client": fixtures.With(f.F2DPoPClient(), "grant_types", []string{"authorization_code", "refresh_token"}), "token_request": tr}
}

// clientCredentialsRequest is the client's client_credentials grant request
// over mTLS.
func (f *fixture) clientCredentialsRequest(scope string) obj {
	return obj{
		"params":             f.WithAssertion(obj{"grant_type": "client_credentials", "scope": scope}, f.f2AssertionClaims()),
		"client_certificate": f.TLS.CertPEM(),
	}
}

// rotatingService rotates refresh tokens and lets a rotated one be
// retried for 30 seconds (FAPI2-SP-5.3.2.1-9).
func rotatingService() obj {
	return fixtures.With(grantService(), "refresh_token_rotation", true, "refresh_token_reuse_interval", 30)
}

// plainGrantService and plainGrantClient: the plain OAuth service and
// client, with the refresh and client credentials grants.
func plainGrantService() obj {
	return fixtures.With(plainService(), "grant_types_supported", []string{"authorization_code", "refresh_token", "client_credentials"})
}

func plainGrantClient() obj {
	return fixtures.With(plainClient(), "grant_types", []string{"authorization_code", "refresh_token", "client_credentials"})
}

func plainRefreshRequest() obj {
	return obj{
		"params":     obj{"grant_type": "refresh_token", "refresh_token": refreshToken},
		"basic_auth": obj{"client_id": plainClientID, "client_secret": plainSecret},
		"refresh":    obj{"client_id": plainClientID, "scope": "openid profile"},
	}
}

// grantDefs declares the refresh_token and client_credentials cases (RFC
// 6749 §6, §4.4) under FAPI 2.0 and plain OAuth 2.0.
func grantDefs() []def {
	return []def{
		// --- refresh_token under FAPI 2.0 --------------------------------
		{"valid-f2-refresh", "FAPI 2.0 refresh_token grant: private_key_jwt, the certificate the refresh token is bound to", f2, nil,
			func(f *fixture) obj { return f.refreshCase(f.refreshRequest()) }},
		{"valid-f2-refresh-narrower-scope", "FAPI 2.0 refresh asking for less than was granted: still held to FAPI 2.0 (the granted scope decides)", f2, nil,
			func(f *fixture) obj { return f.refreshCase(f.refreshRequest("scope", "openid")) }},
		{"f2-refresh-token-missing", "FAPI 2.0 refresh_token grant without a refresh_token", f2, []string{"refresh_token.missing"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				delete(tr["params"].(obj), "refresh_token")
				return f.refreshCase(tr)
			}},
		{"f2-refresh-record-missing", "FAPI 2.0 refresh request whose token the server has no record of", f2, []string{"refresh_token.record_missing"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				delete(tr, "refresh")
				return f.refreshCase(tr)
			}},
		{"f2-refresh-record-incomplete", "FAPI 2.0 refresh token record without client_id", f2, []string{"refresh_token.record_incomplete"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.Without(f.refreshRecord(), "client_id")
				return f.refreshCase(tr)
			}},
		{"f2-refresh-client-mismatch", "FAPI 2.0 refresh token issued to another client", f2, []string{"refresh_token.client_mismatch"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "client_id", "someone-else")
				return f.refreshCase(tr)
			}},
		{"f2-refresh-expired", "FAPI 2.0 refresh token that expired a minute ago", f2, []string{"refresh_token.expired"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "expires_at", fixtures.RFC3339(-time.Minute))
				return f.refreshCase(tr)
			}},
		{"f2-refresh-scope-exceeded", "FAPI 2.0 refresh asking for a scope that was not granted", f2, []string{"refresh_token.scope_exceeded"},
			func(f *fixture) obj { return f.refreshCase(f.refreshRequest("scope", "openid sp profile")) }},
		{"f2-refresh-scope-malformed", "FAPI 2.0 refresh whose scope has a tab: the granted scope still decides the profile", f2, []string{"scope.malformed"},
			func(f *fixture) obj { return f.refreshCase(f.refreshRequest("scope", "openid\tsp")) }},
		{"f2-refresh-certificate-mismatch", "FAPI 2.0 refresh over mTLS with a certificate other than the one the token is bound to", f2, []string{"mtls.certificate_mismatch"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "certificate_thumbprint", mtls.Thumbprint(f.otherCert.Cert))
				return f.refreshCase(tr)
			}},
		{"f2-refresh-certificate-missing", "FAPI 2.0 refresh without a TLS client certificate", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				delete(tr, "client_certificate")
				return f.refreshCase(tr)
			}},
		{"f2-refresh-grant-unregistered", "FAPI 2.0 client that registered no grant_types (authorization_code only) using a refresh token", f2, []string{"grant_type.unregistered"},
			func(f *fixture) obj {
				c := f.refreshCase(f.refreshRequest())
				c["client"] = f.F2Client()
				return c
			}},
		{"f2-refresh-service-unsupported", "FAPI 2.0 service whose grant_types_supported lacks refresh_token", f2, []string{"grant_type.unsupported"},
			func(f *fixture) obj {
				c := f.refreshCase(f.refreshRequest())
				c["service"] = fixtures.With(grantService(), "grant_types_supported", []string{"authorization_code"})
				return c
			}},
		{"f2-refresh-rotated-token-reused", "a refresh token the server already rotated, presented again on a service without rotation retry", f2, []string{"refresh_token.reused"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "rotated_at", fixtures.RFC3339(-10*time.Second))
				return f.refreshCase(tr)
			}},
		{"valid-f2-refresh-rotation-retry", "rotated refresh token retried within the service's reuse interval (FAPI2-SP-5.3.2.1-9)", f2, nil,
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "rotated_at", fixtures.RFC3339(-10*time.Second))
				c := f.refreshCase(tr)
				c["service"] = rotatingService()
				return c
			}},
		{"f2-refresh-rotation-retry-too-late", "rotated refresh token presented after the reuse interval", f2, []string{"refresh_token.reused"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "rotated_at", fixtures.RFC3339(-time.Minute))
				c := f.refreshCase(tr)
				c["service"] = rotatingService()
				return c
			}},
		{"f2-refresh-rotated-in-future", "a rotation time ahead of now is never a longer reuse interval", f2, []string{"refresh_token.reused"},
			func(f *fixture) obj {
				tr := f.refreshRequest()
				tr["refresh"] = fixtures.With(f.refreshRecord(), "rotated_at", fixtures.RFC3339(time.Hour))
				c := f.refreshCase(tr)
				c["service"] = rotatingService()
				return c
			}},
		{"f2-service-refresh-rotation-without-retry", "FAPI 2.0 service rotating refresh tokens with no retry interval", f2, []string{"service.refresh_rotation_without_retry"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(grantService(), "refresh_token_rotation", true)}
			}},
		{"valid-f2-dpop-refresh", "FAPI 2.0 DPoP client refreshing with a proof of the key its refresh token is bound to", f2, nil,
			func(f *fixture) obj { return f.dpopRefreshCase(f.dpop) }},
		{"f2-dpop-refresh-other-key", "FAPI 2.0 DPoP refresh proved with another key than the one the token is bound to", f2, []string{"dpop.jkt_mismatch"},
			func(f *fixture) obj { return f.dpopRefreshCase(f.dpopOther) }},

		// --- refresh_token under FAPI 1.0 ID2 read-and-write ---------------
		{"valid-rw-refresh", "read-and-write refresh with the certificate the refresh token is bound to", rw, nil,
			func(f *fixture) obj { return f.rwRefreshCase(true) }},
		{"rw-refresh-record-unbound", "read-and-write refresh token whose record names no certificate: the profile issues only holder-of-key refresh tokens", rw, []string{"refresh_token.record_incomplete"},
			func(f *fixture) obj { return f.rwRefreshCase(false) }},

		// --- client_credentials under FAPI 2.0 ---------------------------
		{"valid-f2-client-credentials", "FAPI 2.0 client_credentials grant: private_key_jwt and a certificate-bound token", f2, nil,
			func(f *fixture) obj {
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": f.clientCredentialsRequest("sp")}
			}},
		{"f2-client-credentials-certificate-missing", "FAPI 2.0 client_credentials grant without the certificate the token must be bound to", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				tr := f.clientCredentialsRequest("sp")
				delete(tr, "client_certificate")
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
			}},
		{"f2-client-credentials-scope-not-registered", "FAPI 2.0 client_credentials grant asking for a scope the client did not register", f2, []string{"scope.not_registered"},
			func(f *fixture) obj {
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": f.clientCredentialsRequest("sp profile")}
			}},
		{"f2-client-credentials-no-scope", "FAPI 2.0 client_credentials grant without scope: the client's registered scope decides, FAPI 2.0 still applies", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				tr := f.clientCredentialsRequest("")
				delete(tr["params"].(obj), "scope")
				delete(tr, "client_certificate")
				return obj{"service": grantService(), "client": f.grantClient(), "token_request": tr}
			}},
		{"f2-client-credentials-unregistered", "FAPI 2.0 client that did not register client_credentials", f2, []string{"grant_type.unregistered"},
			func(f *fixture) obj {
				return obj{"service": grantService(), "client": fixtures.With(f.F2Client(), "grant_types", []string{"authorization_code", "refresh_token"}),
					"token_request": f.clientCredentialsRequest("sp")}
			}},

		// --- plain OAuth 2.0 ---------------------------------------------
		{"valid-plain-refresh", "plain OAuth 2.0 refresh_token grant with client_secret_basic", none, nil,
			func(f *fixture) obj {
				return obj{"service": plainGrantService(), "client": plainGrantClient(), "token_request": plainRefreshRequest()}
			}},
		{"plain-refresh-rotated-token-reused", "plain OAuth 2.0: a rotated refresh token presented again (RFC 9700 §4.14.2)", none, []string{"refresh_token.reused"},
			func(f *fixture) obj {
				tr := plainRefreshRequest()
				tr["refresh"] = fixtures.With(tr["refresh"].(obj), "rotated_at", fixtures.RFC3339(-time.Hour))
				return obj{"service": plainGrantService(), "client": plainGrantClient(), "token_request": tr}
			}},
		{"plain-public-refresh-unconstrained", "plain OAuth 2.0 public client's refresh token neither key-bound nor rotated (RFC 9700 §4.14.2)", none, []string{"refresh_token.unconstrained"},
			func(f *fixture) obj { return plainPublicRefreshCase(false) }},
		{"valid-plain-public-refresh-rotated", "plain OAuth 2.0 public client's refresh token on a service that rotates refresh tokens", none, nil,
			func(f *fixture) obj { return plainPublicRefreshCase(true) }},
		{"valid-plain-client-credentials", "plain OAuth 2.0 client_credentials grant with client_secret_basic", none, nil,
			func(f *fixture) obj {
				tr := plainRefreshRequest()
				tr["params"] = obj{"grant_type": "client_credentials", "scope": "profile"}
				delete(tr, "refresh")
				return obj{"service": plainGrantService(), "client": plainGrantClient(), "token_request": tr}
			}},
		{"plain-client-credentials-public-client", "plain OAuth 2.0: a public client asking for client credentials", none, []string{"client_credentials.public_client"},
			func(f *fixture) obj {
				cl := fixtures.With(plainGrantClient(), "token_endpoint_auth_method", "none", "client_secret", nil)
				tr := obj{"params": obj{"grant_type": "client_credentials", "client_id": plainClientID, "scope": "profile"}}
				return obj{"service": plainGrantService(), "client": cl, "token_request": tr}
			}},
	}
}

// storeDefs declares the cases with a one-time-use store (fapi.WithStore):
// the keys of a request already used refuse it; a store that cannot
// answer refuses every request.
func storeDefs() []def {
	// withStore is the FAPI 2.0 flow with a store holding used; its token
	// request's client assertion has its own jti, as a client sends a
	// fresh one per request.
	withStore := func(f *fixture, used ...obj) obj {
		c := f.f2Case()
		tr := c["token_request"].(obj)
		tr["params"] = f.F2TokenParams(fixtures.With(f.f2AssertionClaims(), "jti", "assertion-jti-2"))
		if used == nil {
			used = []obj{}
		}
		c["store"] = obj{"used": used}
		return c
	}
	return []def{
		{"valid-f2-store", "FAPI 2.0 flow with a one-time-use store: every key is used for the first time", f2, nil,
			func(f *fixture) obj { return withStore(f) }},
		{"f2-store-code-reused", "FAPI 2.0 token request redeeming a code the store has seen: refused, the grant revoked", f2, []string{"code.reused"},
			func(f *fixture) obj {
				return withStore(f, obj{"kind": "code", "parts": []string{fixtures.AuthCode}})
			}},
		{"f2-store-assertion-replayed", "FAPI 2.0 PAR whose client assertion jti the store has seen", f2, []string{"client_assertion.replayed"},
			func(f *fixture) obj {
				return withStore(f, obj{"kind": "client_assertion", "parts": []string{fixtures.RWClientID, "assertion-jti-1"}})
			}},
		{"f2-store-request-uri-reused", "FAPI 2.0 authorization completing with a request_uri already used for another", f2, []string{"par.request_uri_reused"},
			func(f *fixture) obj {
				return withStore(f, obj{"kind": "request_uri", "parts": []string{fixtures.RWClientID, fixtures.PushedURI}})
			}},
		{"f2-store-dpop-replayed", "FAPI 2.0 DPoP token request whose proof the store has seen", f2, []string{"dpop.replayed"},
			func(f *fixture) obj {
				c := f2Keep(f.f2DPoPCase(), "token_request")
				c["store"] = obj{"used": []obj{{"kind": "dpop", "parts": []string{fixtures.Thumbprint(f.dpop) + ":dpop-jti-1"}}}}
				return c
			}},
		{"f2-store-unavailable", "FAPI 2.0 token request while the one-time-use store cannot answer: refused", f2, []string{"store.unavailable"},
			func(f *fixture) obj {
				c := f2Keep(withStore(f), "token_request")
				c["store"] = obj{"unavailable": true}
				return c
			}},
		{"rw-store-code-reused", "read-and-write token request redeeming a code the store has seen (FAPI-R-5.2.2-13): refused, the grant revoked", rw, []string{"code.reused"},
			func(f *fixture) obj {
				c := f.rwTokenCase(f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint)))
				c["store"] = obj{"used": []obj{{"kind": "code", "parts": []string{fixtures.AuthCode}}}}
				return c
			}},
		{"valid-f2-store-resource-dpop", "FAPI 2.0 resource request with a store: the proof is used for the first time", f2, nil,
			func(f *fixture) obj {
				c := f.f2Resource()
				c["store"] = obj{"used": []obj{}}
				return c
			}},
		{"f2-store-resource-dpop-replayed", "FAPI 2.0 resource request whose DPoP proof the store has seen (RFC 9449 section 11.1)", f2, []string{"dpop.replayed"},
			func(f *fixture) obj {
				c := f.f2Resource()
				c["store"] = obj{"used": []obj{{"kind": "dpop", "parts": []string{fixtures.Thumbprint(f.dpop) + ":dpop-jti-1"}}}}
				return c
			}},
		{"f2-store-unavailable-resource", "FAPI 2.0 resource request while the one-time-use store cannot answer: refused (500)", f2, []string{"store.unavailable"},
			func(f *fixture) obj {
				c := f.f2Resource()
				c["store"] = obj{"unavailable": true}
				return c
			}},
		{"f2-store-unavailable-completion", "FAPI 2.0 authorization completing while the one-time-use store cannot answer: the request_uri cannot be consumed, so the authorization is refused", f2, []string{"store.unavailable"},
			func(f *fixture) obj {
				c := f2Keep(withStore(f), "authorization_request")
				c["store"] = obj{"unavailable": true}
				return c
			}},
		{"plain-store-rotated-refresh-reused", "plain OAuth 2.0 service rotating refresh tokens without a retry interval: a refresh token the store has seen is reused", none, []string{"refresh_token.reused"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(plainGrantService(), "refresh_token_rotation", true), "client": plainGrantClient(),
					"token_request": plainRefreshRequest(), "store": obj{"used": []obj{{"kind": "refresh_token", "parts": []string{refreshToken}}}}}
			}},
		{"plain-store-code-older-than-hold", "plain OAuth 2.0 code issued 11 minutes ago: the store remembers a redeemed code ten minutes only, so it is refused though the profile sets no code lifetime (RFC 6749 §4.1.2)", none, []string{"code.expired"},
			func(f *fixture) obj { return plainStoreCodeCase(-11 * time.Minute) }},
		{"valid-plain-store-code-within-hold", "plain OAuth 2.0 code issued 9 minutes ago, redeemed for the first time with a one-time-use store", none, nil,
			func(f *fixture) obj { return plainStoreCodeCase(-9 * time.Minute) }},
		{"valid-plain-store-rotated-refresh", "plain OAuth 2.0 service rotating refresh tokens without a retry interval: the first use of a refresh token", none, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.With(plainGrantService(), "refresh_token_rotation", true), "client": plainGrantClient(),
					"token_request": plainRefreshRequest(), "store": obj{"used": []obj{}}}
			}},
	}
}

// plainStoreCodeCase is a plain OAuth 2.0 code grant with a one-time-use
// store, for a code issued at the offset from now.
func plainStoreCodeCase(issued time.Duration) obj {
	return obj{"service": plainGrantService(), "client": plainGrantClient(), "store": obj{"used": []obj{}},
		"token_request": obj{
			"params":        obj{"grant_type": "authorization_code", "code": fixtures.AuthCode, "redirect_uri": fixtures.RedirectURI},
			"basic_auth":    obj{"client_id": plainClientID, "client_secret": plainSecret},
			"authorization": obj{"client_id": plainClientID, "redirect_uri": fixtures.RedirectURI, "scope": "openid profile", "issued_at": fixtures.RFC3339(issued)},
		}}
}

// rwRefreshCase is the read-and-write client's refresh request over mTLS;
// bound says whether the record names the client's certificate.
func (f *fixture) rwRefreshCase(bound bool) obj {
	rec := obj{"client_id": fixtures.RWClientID, "scope": "openid payments", "expires_at": fixtures.RFC3339(time.Hour)}
	if bound {
		rec["certificate_thumbprint"] = mtls.Thumbprint(f.TLS.Cert)
	}
	return obj{
		"service": fixtures.With(fixtures.ID2Service(), "grant_types_supported", []string{"authorization_code", "refresh_token"}),
		"client":  fixtures.With(f.RWClient(), "grant_types", []string{"authorization_code", "refresh_token"}),
		"token_request": obj{
			"params":             f.WithAssertion(obj{"grant_type": "refresh_token", "refresh_token": refreshToken}, f.AssertionClaims(fixtures.TokenEndpoint)),
			"client_certificate": f.TLS.CertPEM(),
			"refresh":            rec,
		},
	}
}

// plainPublicRefreshCase is a public client's refresh request on the plain
// service, which rotates refresh tokens or not.
func plainPublicRefreshCase(rotating bool) obj {
	svc := plainGrantService()
	if rotating {
		svc = fixtures.With(svc, "refresh_token_rotation", true)
	}
	return obj{
		"service": svc,
		"client":  fixtures.With(plainGrantClient(), "token_endpoint_auth_method", "none", "client_secret", nil),
		"token_request": obj{
			"params":  obj{"grant_type": "refresh_token", "refresh_token": refreshToken, "client_id": plainClientID},
			"refresh": obj{"client_id": plainClientID, "scope": "openid profile"},
		},
	}
}
