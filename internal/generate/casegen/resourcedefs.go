package casegen

import (
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/mtls"
)

// The resource cases: requests to a protected resource with an access
// token (RFC 6750, RFC 8705 §3, RFC 9449 §7). No client is needed; the
// profile comes from the scope in the token's record.

const (
	// resourceURL is the resource the requests address.
	resourceURL = "https://rs.example.com/accounts"
	// resourceToken is the access token presented (RFC 6749 §7.1's
	// example); only its hash (ath) is ever compared.
	resourceToken = "2YotnFZFEjr1zCsicMWpAA"
)

// tokenHash is the ath of a DPoP proof sent with token (RFC 9449 §4.2).
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// resourceProof is a DPoP proof of key for a GET of resourceURL with
// resourceToken, with extra claims set (nil removes one).
func resourceProof(key fixtures.Key, extra ...any) string {
	claims := fixtures.With(fixtures.DPoPClaims(resourceURL), "htm", "GET", "ath", tokenHash(resourceToken))
	return fixtures.DPoPProof(key, fixtures.With(claims, extra...))
}

// dpopResourceRequest is a valid request with a DPoP-bound token for
// "openid sp" and a proof of the FAPI 2.0 client's DPoP key.
func (f *fixture) dpopResourceRequest() obj {
	return obj{
		"method":        "GET",
		"url":           resourceURL,
		"authorization": "DPoP " + resourceToken,
		"dpop":          resourceProof(f.dpop),
		"token":         obj{"token_type": "DPoP", "scope": "openid sp", "cnf": obj{"jkt": fixtures.Thumbprint(f.dpop)}},
	}
}

// mtlsResourceRequest is a valid request with a token for scope bound to
// the client's TLS certificate.
func (f *fixture) mtlsResourceRequest(scope string) obj {
	return obj{
		"method":             "GET",
		"url":                resourceURL,
		"authorization":      "Bearer " + resourceToken,
		"client_certificate": f.TLS.CertPEM(),
		"token":              obj{"token_type": "Bearer", "scope": scope, "cnf": obj{"x5t#S256": mtls.Thumbprint(f.TLS.Cert)}},
	}
}

// bearerResourceRequest is a request with an unbound bearer token for
// scope.
func bearerResourceRequest(scope string) obj {
	return obj{
		"method":        "GET",
		"url":           resourceURL,
		"authorization": "Bearer " + resourceToken,
		"token":         obj{"token_type": "Bearer", "scope": scope},
	}
}

func resourceCase(service, rr obj) obj { return obj{"service": service, "resource_request": rr} }

// f2Resource is a FAPI 2.0 resource case: the DPoP request, changed.
func (f *fixture) f2Resource(extra ...any) obj {
	return resourceCase(fixtures.F2Service(), fixtures.With(f.dpopResourceRequest(), extra...))
}

// f2MTLSResource is a FAPI 2.0 resource case: the certificate-bound
// request, changed.
func (f *fixture) f2MTLSResource(extra ...any) obj {
	return resourceCase(fixtures.F2Service(), fixtures.With(f.mtlsResourceRequest("openid sp"), extra...))
}

// resourceDefs declares the resource cases: valid baselines for FAPI 2.0
// (DPoP and MTLS), FAPI 1.0 Advanced and ID2 read-write (MTLS), Baseline
// and plain OAuth 2.0 (bearer), every resource code, and the downgrades.
func resourceDefs() []def {
	return []def{
		// --- valid baselines -------------------------------------------
		{"valid-f2-resource-dpop", "FAPI 2.0 resource request: a DPoP-bound token with the DPoP scheme and a proof of its key carrying ath", f2, nil,
			func(f *fixture) obj { return f.f2Resource() }},
		{"valid-f2-resource-mtls", "FAPI 2.0 resource request: a certificate-bound token over mTLS with the client's certificate", f2, nil,
			func(f *fixture) obj { return f.f2MTLSResource() }},
		{"valid-f2-resource-scheme-case", "FAPI 2.0 resource request: the scheme in lower case (RFC 9110 section 11.1) and a URL with a query the proof's htu leaves out", f2, nil,
			func(f *fixture) obj {
				return f.f2Resource("authorization", "dpop "+resourceToken, "url", resourceURL+"?from=2026-01-01")
			}},
		{"valid-adv-resource-mtls", "FAPI 1.0 Advanced resource request: a certificate-bound token", adv, nil,
			func(f *fixture) obj {
				return resourceCase(fixtures.FinalService(), f.mtlsResourceRequest("openid payments"))
			}},
		{"valid-rw-resource-mtls", "FAPI 1.0 ID2 read-write resource request: a certificate-bound token", rw, nil,
			func(f *fixture) obj {
				return resourceCase(fixtures.ID2Service(), f.mtlsResourceRequest("openid payments"))
			}},
		{"valid-baseline-resource-bearer", "FAPI 1.0 Baseline resource request: a bearer token, which Baseline allows", base, nil,
			func(f *fixture) obj {
				return resourceCase(fixtures.FinalService(), bearerResourceRequest("openid accounts"))
			}},
		{"valid-plain-resource-bearer", "plain OAuth 2.0 resource request: an unbound bearer token under profile none", none, nil,
			func(f *fixture) obj { return resourceCase(plainService(), bearerResourceRequest("openid profile")) }},

		// --- DPoP nonces at the resource (RFC 9449 §9) ---------------------
		{"valid-f2-resource-dpop-nonce", "FAPI 2.0 resource request at a service requiring DPoP nonces: the proof carries the current nonce", f2, nil,
			func(f *fixture) obj {
				return resourceCase(nonceService(true), fixtures.With(f.dpopResourceRequest(), "dpop", resourceProof(f.dpop, "nonce", nonceAt(nonceSecret, 0))))
			}},
		{"f2-resource-dpop-nonce-missing", "FAPI 2.0 resource request whose proof has no nonce, at a service requiring DPoP nonces (401 with the use_dpop_nonce challenge)", f2, []string{"dpop.nonce_missing"},
			func(f *fixture) obj { return resourceCase(nonceService(true), f.dpopResourceRequest()) }},
		{"f2-resource-dpop-nonce-stale", "FAPI 2.0 resource request whose proof carries the nonce of an hour ago", f2, []string{"dpop.nonce_invalid"},
			func(f *fixture) obj {
				return resourceCase(nonceService(false), fixtures.With(f.dpopResourceRequest(), "dpop", resourceProof(f.dpop, "nonce", nonceAt(nonceSecret, -time.Hour))))
			}},

		// --- the Authorization header ------------------------------------
		{"f2-resource-credentials-missing", "FAPI 2.0 resource request without an Authorization header (the challenge carries no error code)", f2, []string{"resource.credentials_missing"},
			func(f *fixture) obj { return f.f2Resource("authorization", nil) }},
		{"f2-resource-authorization-malformed", "FAPI 2.0 resource request whose Authorization header holds two tokens", f2, []string{"resource.authorization_malformed"},
			func(f *fixture) obj {
				return f.f2MTLSResource("authorization", "Bearer "+resourceToken+" "+resourceToken)
			}},
		{"plain-resource-scheme-unsupported", "resource request with HTTP Basic credentials instead of an access token", none, []string{"resource.scheme_unsupported"},
			func(f *fixture) obj {
				return resourceCase(plainService(), fixtures.With(bearerResourceRequest("openid profile"), "authorization", "Basic cGxhaW4tY2xpZW50OnNlY3JldA=="))
			}},
		{"f2-resource-token-in-query", "FAPI 2.0 resource request that also carries the token in the URL's query (FAPI2-SP-5.3.4-2)", f2, []string{"resource.token_in_query"},
			func(f *fixture) obj { return f.f2MTLSResource("url", resourceURL+"?access_token="+resourceToken) }},

		// --- the token's record ------------------------------------------
		{"f2-resource-token-record-missing", "FAPI 2.0 resource request with a token the resource server has no record of", f2, []string{"resource.token_record_missing"},
			func(f *fixture) obj { return f.f2MTLSResource("token", nil) }},
		{"f2-resource-token-record-invalid", "FAPI 2.0 token record of type DPoP without cnf.jkt", f2, []string{"resource.token_record_invalid"},
			func(f *fixture) obj {
				return f.f2Resource("token", obj{"token_type": "DPoP", "scope": "openid sp"})
			}},
		{"f2-resource-scope-malformed", "FAPI 2.0 unbound token whose record's scope has a tab: every offered profile applies, and FAPI 2.0 wants a bound token", f2, []string{"scope.malformed", "resource.binding_missing"},
			func(f *fixture) obj { return resourceCase(fixtures.F2Service(), bearerResourceRequest("openid\tsp")) }},
		{"f2-resource-insufficient-scope", "FAPI 2.0 token without the scope the resource requires", f2, []string{"resource.insufficient_scope"},
			func(f *fixture) obj { return f.f2MTLSResource("required_scope", "accounts") }},

		// --- the sender constraint ---------------------------------------
		{"f2-resource-dpop-missing", "FAPI 2.0 DPoP-bound token with the DPoP scheme but no proof", f2, []string{"dpop.missing"},
			func(f *fixture) obj { return f.f2Resource("dpop", nil) }},
		{"f2-resource-token-not-dpop-bound", "FAPI 2.0 certificate-bound token sent with the DPoP scheme and a proof", f2, []string{"resource.token_not_dpop_bound"},
			func(f *fixture) obj {
				return f.f2MTLSResource("authorization", "DPoP "+resourceToken, "dpop", resourceProof(f.dpop))
			}},
		{"f2-resource-certificate-missing", "FAPI 2.0 certificate-bound token without a TLS client certificate", f2, []string{"resource.certificate_missing"},
			func(f *fixture) obj { return f.f2MTLSResource("client_certificate", nil) }},
		{"f2-resource-certificate-mismatch", "FAPI 2.0 certificate-bound token presented over another client's TLS certificate", f2, []string{"resource.certificate_mismatch"},
			func(f *fixture) obj { return f.f2MTLSResource("client_certificate", f.otherCert.CertPEM()) }},
		{"plain-resource-certificate-mismatch", "plain OAuth 2.0: a certificate-bound token is still held to its certificate", none, []string{"resource.certificate_mismatch"},
			func(f *fixture) obj {
				return resourceCase(plainService(), fixtures.With(f.mtlsResourceRequest("openid profile"), "client_certificate", f.otherCert.CertPEM()))
			}},
		{"adv-resource-dpop-bound-only", "FAPI 1.0 Advanced token bound to a DPoP key only: Advanced's resources take certificate-bound tokens (FAPI1-ADV-6.2.1-2)", adv, []string{"resource.binding_missing"},
			func(f *fixture) obj {
				rr := f.dpopResourceRequest()
				rr["token"] = fixtures.With(rr["token"].(obj), "scope", "openid payments")
				return resourceCase(fixtures.FinalService(), rr)
			}},
		{"rw-resource-binding-missing", "FAPI 1.0 ID2 read-write token that is not bound to a certificate", rw, []string{"resource.binding_missing"},
			func(f *fixture) obj {
				return resourceCase(fixtures.ID2Service(), bearerResourceRequest("openid payments"))
			}},

		// --- downgrades --------------------------------------------------
		{"downgrade-resource-dpop-token-as-bearer", "a DPoP-bound FAPI 2.0 token presented with the Bearer scheme and no proof (RFC 9449 section 7.2)", f2, []string{"resource.dpop_scheme_required"},
			func(f *fixture) obj { return f.f2Resource("authorization", "Bearer "+resourceToken, "dpop", nil) }},
		{"downgrade-resource-plain-dpop-token-as-bearer", "a DPoP-bound token for a plain scope presented as a bearer token: the binding holds under profile none too", none, []string{"resource.dpop_scheme_required"},
			func(f *fixture) obj {
				rr := fixtures.With(f.dpopResourceRequest(), "authorization", "Bearer "+resourceToken)
				rr["token"] = fixtures.With(rr["token"].(obj), "scope", "openid profile")
				return resourceCase(plainService(), rr)
			}},
		{"downgrade-resource-fapi-token-unbound", "a FAPI 2.0 token without any binding presented as a bearer token (FAPI2-SP-5.3.4-5)", f2, []string{"resource.binding_missing"},
			func(f *fixture) obj { return resourceCase(fixtures.F2Service(), bearerResourceRequest("openid sp")) }},
		{"downgrade-resource-dpop-other-key", "a DPoP-bound token with a valid proof of another key", f2, []string{"resource.dpop_key_mismatch"},
			func(f *fixture) obj { return f.f2Resource("dpop", resourceProof(f.dpopOther)) }},
		{"downgrade-resource-proof-without-ath", "a DPoP-bound token with a proof that carries no ath", f2, []string{"dpop.ath_mismatch"},
			func(f *fixture) obj { return f.f2Resource("dpop", resourceProof(f.dpop, "ath", nil)) }},
		{"downgrade-resource-proof-other-token", "a DPoP-bound token with a proof carrying the ath of another token", f2, []string{"dpop.ath_mismatch"},
			func(f *fixture) obj {
				return f.f2Resource("dpop", resourceProof(f.dpop, "ath", tokenHash("another-access-token")))
			}},
		{"downgrade-resource-proof-other-url", "a DPoP-bound token with a proof for another resource", f2, []string{"dpop.htu_mismatch"},
			func(f *fixture) obj {
				return f.f2Resource("dpop", resourceProof(f.dpop, "htu", "https://rs.example.com/payments"))
			}},
		{"downgrade-resource-proof-other-method", "a DPoP-bound token with a proof for another HTTP method", f2, []string{"dpop.htm_mismatch"},
			func(f *fixture) obj { return f.f2Resource("dpop", resourceProof(f.dpop, "htm", "POST")) }},
		{"downgrade-resource-two-authorization-headers", "a resource request with two Authorization header fields", f2, []string{"resource.authorization_duplicated"},
			func(f *fixture) obj {
				return f.f2MTLSResource("authorization", []string{"Bearer " + resourceToken, "Bearer other-token"})
			}},
	}
}
