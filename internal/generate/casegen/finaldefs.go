package casegen

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

const (
	base = "fapi1-baseline"
	adv  = "fapi1-advanced"
	f2   = "fapi2-security"
	ms   = "fapi2-message-signing"
)

// finalDefs declares the FAPI 1.0 Final and FAPI 2.0 cases, in the same way
// as defs: each negative case changes one thing in a valid baseline of its
// profile and names exactly the violations that change must produce.
func finalDefs() []def {
	return []def{
		// --- FAPI 1.0 Final Baseline -----------------------------------
		{"valid-baseline-public-client", "Baseline public client: PKCE S256, nonce with openid, token request with code_verifier", base, nil,
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": roClient(),
					"authorization_request": obj{"params": roParams()}, "token_request": roTokenRequest()}
			}},
		{"valid-baseline-private-key-jwt", "Baseline confidential client with private_key_jwt and PKCE S256", base, nil,
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": f.baselineClient(),
					"authorization_request": obj{"params": baselineParams()}, "token_request": f.baselineToken()}
			}},
		{"valid-baseline-par-assertion-aud-par-endpoint", "Baseline pushed authorization request whose client assertion names the PAR endpoint as aud (RFC 9126 §2)", base, nil,
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": f.baselineClient(),
					"pushed_authorization_request": obj{"params": f.WithAssertion(baselineParams(), fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.PAREndpoint))}}
			}},

		{"baseline-nonce-missing", "Baseline request with openid and response_type code but without nonce", base, []string{"nonce.missing"},
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": roClient(), "authorization_request": obj{"params": fixtures.Without(roParams(), "nonce")}}
			}},
		{"baseline-state-missing", "Baseline request without openid and without state", base, []string{"state.missing"},
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": roClient(),
					"authorization_request": obj{"params": fixtures.With(roParams(), "scope", "accounts", "state", nil)}}
			}},
		{"baseline-pkce-challenge-missing", "Baseline request without PKCE", base, []string{"pkce.challenge_missing"},
			func(f *fixture) obj {
				return obj{"service": baselineService(), "client": roClient(),
					"authorization_request": obj{"params": fixtures.Without(roParams(), "code_challenge", "code_challenge_method")}}
			}},

		// --- FAPI 1.0 Final Advanced: valid baselines ------------------
		{"valid-adv-by-value", "Advanced: PS256 request object by value with nbf, exp and aud, private_key_jwt and a client certificate at the token endpoint; the scope outside the object is ignored", adv, nil,
			func(f *fixture) obj { return f.advCase() }},
		{"adv-client-requires-par", "Advanced request by value from a client registered with require_pushed_authorization_requests", adv, []string{"par.required"},
			func(f *fixture) obj {
				c := f.advAuthCase(f.AdvClaims())
				c["client"] = fixtures.With(f.RWClient(), "require_pushed_authorization_requests", true)
				return c
			}},
		{"valid-adv-par", "Advanced pushed authorization request: signed request object with PKCE S256, client authenticated with private_key_jwt", adv, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(),
					"pushed_authorization_request": f.advPAR(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.Issuer))}
			}},
		{"valid-adv-par-assertion-aud-par-endpoint", "Advanced pushed authorization request whose client assertion names the PAR endpoint as aud (RFC 9126 §2)", adv, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(),
					"pushed_authorization_request": f.advPAR(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.PAREndpoint))}
			}},
		{"valid-adv-pushed-authorization", "Advanced authorization request through PAR: the pushed record holds the validated parameters; the token request verifies PKCE", adv, nil,
			func(f *fixture) obj { return f.advPushedCase() }},
		{"valid-adv-jarm-code", "Advanced with response_type code and response_mode jwt (JARM)", adv, nil,
			func(f *fixture) obj {
				c := f.advAuthCase(f.AdvClaims())
				c["authorization_request"] = fixtures.AuthByValue(fixtures.With(f.RWOutside(), "response_type", "code"), f.Sign(fixtures.With(f.AdvClaims(), "response_type", "code", "response_mode", "jwt")))
				c["client"] = fixtures.With(f.RWClient(), "response_types", []string{"code"}, "authorization_signed_response_alg", "PS256")
				return c
			}},
		{"valid-adv-nbf-optional", "Advanced request object without nbf at a service with nbf_optional: accepted, and the waiver is reported", adv, nil,
			func(f *fixture) obj {
				c := f.advAuthCase(fixtures.Without(f.AdvClaims(), "nbf"))
				c["service"] = fixtures.With(fixtures.FinalService(), "nbf_optional", true)
				c["expect"] = obj{"waived": []string{"request_object.nbf_missing"}}
				return c
			}},

		// --- FAPI 1.0 Final Advanced: service and client ---------------
		{"adv-service-request-object-unsupported", "Advanced service without request_parameter_supported", adv, []string{"service.request_object_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.FinalService(), "request_parameter_supported")}
			}},
		{"adv-service-public-clients-allowed", "Advanced service listing none among its token endpoint auth methods", adv, []string{"service.public_clients_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.FinalService(), "token_endpoint_auth_methods_supported", []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none"})}
			}},
		{"adv-service-rsa1-5", "Advanced service advertising RSA1_5 for ID token encryption", adv, []string{"service.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.FinalService(), "id_token_encryption_alg_values_supported", []string{"RSA-OAEP", "RSA1_5"})}
			}},
		{"adv-service-pkce-s256-missing", "Advanced service with a PAR endpoint but without code_challenge_methods_supported", adv, []string{"service.pkce_s256_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.FinalService(), "code_challenge_methods_supported")}
			}},
		{"adv-service-par-endpoint-missing", "Advanced service requiring PAR without a PAR endpoint", adv, []string{"service.par_endpoint_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.FinalService(), "pushed_authorization_request_endpoint", nil, "require_pushed_authorization_requests", true)}
			}},
		{"adv-client-rsa1-5", "Advanced client registering RSA1_5 for ID token encryption", adv, []string{"client.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": fixtures.With(f.RWClient(), "id_token_encrypted_response_alg", "RSA1_5")}
			}},
		{"adv-client-public", "Advanced refuses public clients", adv, []string{"client.auth_method_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": fixtures.With(f.RWClient(), "client_type", "public",
					"token_endpoint_auth_method", "none", "token_endpoint_auth_signing_alg", nil)}
			}},

		// --- FAPI 1.0 Final Advanced: request objects -------------------
		{"adv-request-object-nbf-missing", "Advanced request object without nbf", adv, []string{"request_object.nbf_missing"},
			func(f *fixture) obj { return f.advAuthCase(fixtures.Without(f.AdvClaims(), "nbf")) }},
		{"adv-request-object-nbf-too-old", "Advanced request object whose nbf is 70 minutes old (exp still ahead, so exp − nbf is over 60 minutes too)", adv,
			[]string{"request_object.nbf_too_old", "request_object.lifetime_too_long"},
			func(f *fixture) obj {
				return f.advAuthCase(fixtures.With(f.AdvClaims(), "nbf", fixtures.Unix(-70*time.Minute)))
			}},
		{"adv-request-object-lifetime-too-long", "Advanced request object with exp 70 minutes after nbf", adv, []string{"request_object.lifetime_too_long"},
			func(f *fixture) obj {
				return f.advAuthCase(fixtures.With(f.AdvClaims(), "exp", fixtures.Unix(-10*time.Second+70*time.Minute)))
			}},
		{"valid-adv-lifetime-60-minutes", "Advanced request object with exp exactly 60 minutes after nbf", adv, nil,
			func(f *fixture) obj {
				return f.advAuthCase(fixtures.With(f.AdvClaims(), "exp", fixtures.Unix(-10*time.Second+60*time.Minute)))
			}},
		{"adv-request-object-sub-is-client", "Advanced request object whose sub is the client_id (it could double as a client assertion)", adv, []string{"request_object.sub_is_client"},
			func(f *fixture) obj { return f.advAuthCase(fixtures.With(f.AdvClaims(), "sub", fixtures.RWClientID)) }},
		{"adv-response-type-code-without-jarm", "Advanced request with response_type code and no JARM response mode", adv,
			[]string{"response_type.not_allowed", "response_type.unregistered"},
			func(f *fixture) obj {
				c := f.advAuthCase(f.AdvClaims())
				c["authorization_request"] = fixtures.AuthByValue(fixtures.With(f.RWOutside(), "response_type", "code"), f.Sign(fixtures.With(f.AdvClaims(), "response_type", "code")))
				return c
			}},
		{"adv-nbf-optional-lifetime-too-long", "nbf_optional waives a missing nbf, but not an exp more than 60 minutes ahead", adv, []string{"request_object.lifetime_too_long"},
			func(f *fixture) obj {
				c := f.advAuthCase(fixtures.With(f.AdvClaims(), "nbf", nil, "exp", fixtures.Unix(2*time.Hour)))
				c["service"] = fixtures.With(fixtures.FinalService(), "nbf_optional", true)
				c["expect"] = obj{"waived": []string{"request_object.nbf_missing"}}
				return c
			}},
		{"adv-par-pkce-missing", "Advanced pushed authorization request without PKCE", adv, []string{"pkce.challenge_missing"},
			func(f *fixture) obj {
				par := f.advPAR(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.Issuer))
				par["params"].(obj)["request"] = f.Sign(f.AdvClaims())
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "pushed_authorization_request": par}
			}},
		{"adv-par-request-uri-in-body", "Advanced pushed authorization request carrying a request_uri", adv, []string{"par.request_uri_not_allowed"},
			func(f *fixture) obj {
				par := f.advPAR(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.Issuer))
				par["params"] = fixtures.With(par["params"].(obj), "request_uri", fixtures.PushedURI)
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "pushed_authorization_request": par}
			}},

		// --- FAPI 2.0 Security Profile: valid baselines ----------------
		{"valid-f2-mtls", "FAPI 2.0 with certificate-bound tokens: PAR, the authorization request with its pushed record, and the token request with the client certificate the grant is bound to", f2, nil,
			func(f *fixture) obj { return f.f2Case() }},
		{"valid-f2-dpop", "FAPI 2.0 with DPoP: PAR with a proof binding the code to its key, the pushed record with dpop_jkt, and the token request with a proof by the same key", f2, nil,
			func(f *fixture) obj { return f.f2DPoPCase() }},
		{"valid-f2-assertion-iat-skew", "FAPI 2.0 client assertion issued 8 seconds in the future (within the 10 s clock skew)", f2, nil,
			func(f *fixture) obj {
				c := f.f2Case()
				c["pushed_authorization_request"] = f.f2PAR(fixtures.With(f.f2AssertionClaims(), "iat", fixtures.Unix(8*time.Second)))
				return f2Keep(c, "pushed_authorization_request")
			}},

		// --- FAPI 2.0 Security Profile: service and client --------------
		{"f2-service-public-clients-allowed", "FAPI 2.0 service listing none among its token endpoint auth methods", f2, []string{"service.public_clients_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.F2Service(), "token_endpoint_auth_methods_supported", []string{"private_key_jwt", "tls_client_auth", "none"})}
			}},
		{"f2-service-par-endpoint-missing", "FAPI 2.0 service without a PAR endpoint", f2, []string{"service.par_endpoint_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.F2Service(), "pushed_authorization_request_endpoint")}
			}},
		{"f2-service-par-not-required", "FAPI 2.0 service that does not advertise require_pushed_authorization_requests", f2, []string{"service.par_not_required"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.F2Service(), "require_pushed_authorization_requests")}
			}},
		{"f2-service-iss-parameter-unsupported", "FAPI 2.0 service without authorization_response_iss_parameter_supported", f2, []string{"service.iss_parameter_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.F2Service(), "authorization_response_iss_parameter_supported")}
			}},
		{"f2-service-password-grant", "FAPI 2.0 service offering the password grant", f2, []string{"service.password_grant"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.F2Service(), "grant_types_supported", []string{"authorization_code", "refresh_token", "password"})}
			}},
		{"f2-service-code-lifetime-too-long", "FAPI 2.0 service issuing codes that live 120 seconds", f2, []string{"service.code_lifetime_too_long"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.F2Service(), "authorization_code_lifetime", 120)}
			}},
		{"f2-service-request-uri-lifetime-too-long", "FAPI 2.0 service whose PAR request_uri lives 600 seconds", f2, []string{"service.request_uri_lifetime_too_long"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.F2Service(), "request_uri_lifetime", 600)}
			}},
		{"f2-service-alg-not-allowed", "FAPI 2.0 service advertising RS256 for ID tokens", f2, []string{"service.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.F2Service(), "id_token_signing_alg_values_supported", []string{"PS256", "RS256"})}
			}},
		{"f2-service-binding-unsupported", "FAPI 2.0 service offering neither certificate-bound nor DPoP-bound tokens", f2, []string{"service.binding_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.F2Service(), "tls_client_certificate_bound_access_tokens", "dpop_signing_alg_values_supported")}
			}},
		{"f2-service-pkce-s256-missing", "FAPI 2.0 service without code_challenge_methods_supported", f2, []string{"service.pkce_s256_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.F2Service(), "code_challenge_methods_supported")}
			}},
		{"f2-client-binding-missing", "FAPI 2.0 client with neither certificate-bound nor DPoP-bound tokens", f2, []string{"client.binding_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": fixtures.Without(f.F2Client(), "tls_client_certificate_bound_access_tokens")}
			}},
		{"f2-client-grant-type-password", "FAPI 2.0 client registering the password grant", f2, []string{"client.grant_type_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": fixtures.With(f.F2Client(), "grant_types", []string{"authorization_code", "password"})}
			}},
		{"valid-f2-client-response-modes", "FAPI 2.0 client registering response modes with and without JARM (FAPI2-MS-5.3.3 metadata; the Security Profile restricts no mode)", f2, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": fixtures.With(f.F2Client(), "response_modes", []string{"query", "jwt"})}
			}},
		{"f2-client-response-modes-repeated", "FAPI 2.0 client registering response mode query twice", f2, []string{"client.response_modes_invalid"},
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": fixtures.With(f.F2Client(), "response_modes", []string{"query", "jwt", "query"})}
			}},

		// --- FAPI 2.0: PAR and the authorization endpoint ---------------
		{"f2-client-assertion-aud-array", "FAPI 2.0 client assertion at PAR whose aud is an array holding the issuer", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				return f.f2PARCase(fixtures.With(f.f2AssertionClaims(), "aud", []string{fixtures.Issuer}))
			}},
		{"f2-client-assertion-aud-token-endpoint", "FAPI 2.0 client assertion at PAR whose aud is the token endpoint", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				return f.f2PARCase(fixtures.With(f.f2AssertionClaims(), "aud", fixtures.TokenEndpoint))
			}},
		{"f2-client-assertion-aud-par-endpoint", "FAPI 2.0 client assertion at PAR whose aud is the PAR endpoint", f2, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				return f.f2PARCase(fixtures.With(f.f2AssertionClaims(), "aud", fixtures.PAREndpoint))
			}},
		{"f2-par-request-uri-in-body", "FAPI 2.0 pushed authorization request carrying a request_uri", f2, []string{"par.request_uri_not_allowed"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "request_uri", fixtures.PushedURI)
				return c
			}},
		{"f2-par-method-put", "FAPI 2.0 pushed authorization request sent with PUT", f2, []string{"par.method_not_allowed"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				c["pushed_authorization_request"].(obj)["method"] = "PUT"
				return c
			}},
		{"f2-par-required", "FAPI 2.0 authorization request sent directly, not through PAR", f2, []string{"par.required"},
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "authorization_request": obj{"params": f.F2Params()}}
			}},
		{"f2-par-expired", "FAPI 2.0 authorization request whose pushed request_uri expired a second ago", f2, []string{"par.expired"},
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "authorization_request")
				c["authorization_request"].(obj)["pushed"].(obj)["expires_at"] = fixtures.RFC3339(-time.Second)
				return c
			}},
		{"f2-par-client-mismatch", "FAPI 2.0 authorization request using a request_uri another client pushed", f2, []string{"par.client_mismatch"},
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "authorization_request")
				c["authorization_request"].(obj)["pushed"].(obj)["client_id"] = "someone-else"
				return c
			}},

		{"f2-par-response-type-code-id-token", "FAPI 2.0 pushed authorization request with response_type code id_token", f2,
			[]string{"response_type.not_allowed", "response_type.unregistered", "response_type.unsupported"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "response_type", "code id_token")
				return c
			}},
		{"f2-par-pkce-missing", "FAPI 2.0 pushed authorization request without PKCE", f2, []string{"pkce.challenge_missing"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.Without(par["params"].(obj), "code_challenge", "code_challenge_method")
				return c
			}},
		{"f2-par-unauthenticated", "FAPI 2.0 pushed authorization request without client authentication", f2, []string{"client_assertion.missing"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				par := c["pushed_authorization_request"].(obj)
				par["params"] = f.F2Params()
				return c
			}},
		{"f2-client-assertion-iat-future", "FAPI 2.0 client assertion issued 61 seconds in the future", f2, []string{"client_assertion.not_yet_valid"},
			func(f *fixture) obj {
				return f.f2PARCase(fixtures.With(f.f2AssertionClaims(), "iat", fixtures.Unix(61*time.Second)))
			}},
		{"valid-f2-loopback-redirect-uri", "FAPI 2.0 native client with an http redirect URI on the loopback IP literal (RFC 8252 §7.3)", f2, nil,
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				c["client"] = fixtures.With(f.F2Client(), "redirect_uris", []string{"http://127.0.0.1:8080/cb"}, "application_type", "native")
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "redirect_uri", "http://127.0.0.1:8080/cb")
				return c
			}},
		{"valid-f2-pushed-extra-parameters-ignored", "FAPI 2.0 authorization request repeating parameters beside the pushed request_uri: only the pushed ones are used", f2, nil,
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "authorization_request")
				auth := c["authorization_request"].(obj)
				auth["params"] = fixtures.With(auth["params"].(obj), "scope", "openid", "state", "other-state")
				c["expect"] = obj{"ignored": []string{"scope", "state"}}
				return c
			}},

		// --- FAPI 2.0: token endpoint ------------------------------------
		{"f2-code-expired", "FAPI 2.0 token request for a code issued 61 seconds ago", f2, []string{"code.expired"},
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "token_request")
				tr := c["token_request"].(obj)
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "issued_at", fixtures.RFC3339(-61*time.Second))
				return c
			}},
		{"valid-f2-code-60-seconds", "FAPI 2.0 token request for a code issued exactly 60 seconds ago", f2, nil,
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "token_request")
				tr := c["token_request"].(obj)
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "issued_at", fixtures.RFC3339(-60*time.Second))
				return c
			}},
		{"f2-code-record-without-issued-at", "FAPI 2.0 grant record without issued_at (the code's age cannot be checked)", f2, []string{"code.record_incomplete"},
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "token_request")
				tr := c["token_request"].(obj)
				tr["authorization"] = fixtures.Without(tr["authorization"].(obj), "issued_at")
				return c
			}},
		{"f2-mtls-certificate-missing", "FAPI 2.0 certificate-bound client's token request without a client certificate", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				c := f2Keep(f.f2Case(), "token_request")
				delete(c["token_request"].(obj), "client_certificate")
				return c
			}},
		// A service that offers certificate-bound tokens only (no
		// dpop_signing_alg_values_supported, RFC 9449 §5.1): a DPoP proof
		// does not stand in for the certificate, or a server that binds
		// tokens only to certificates would issue an unbound one
		// (FAPI2-SP-5.3.2.1-4).
		{"f2-dpop-service-without-dpop", "token request with a DPoP proof and no client certificate at a FAPI 2.0 service that offers only certificate-bound tokens", f2, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				c := f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint)))
				c["service"] = fixtures.With(fixtures.F2Service(), "dpop_signing_alg_values_supported", nil)
				return c
			}},
		{"valid-f2-dpop-iat-skew", "DPoP proof issued 8 seconds in the future (within the 10 s clock skew)", f2, nil,
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "iat", fixtures.Unix(8*time.Second))))
			}},
		{"f2-dpop-missing", "DPoP-bound client's token request without a DPoP proof", f2, []string{"dpop.missing"},
			func(f *fixture) obj { return f.dpopTokenCase("") }},
		{"f2-dpop-two-proofs", "token request with two DPoP header fields", f2, []string{"dpop.malformed"},
			func(f *fixture) obj {
				c := f.dpopTokenCase("")
				p := fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint))
				c["token_request"].(obj)["dpop"] = []string{p, p}
				return c
			}},
		{"f2-dpop-too-large", "DPoP proof over 64 KiB", f2, []string{"dpop.too_large"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "padding", strings.Repeat("x", 70000))))
			}},
		{"f2-dpop-typ-jwt", "DPoP proof with typ jwt instead of dpop+jwt", f2, []string{"dpop.typ_invalid"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.Sign(f.dpop, "ES256", fixtures.DPoPClaims(fixtures.TokenEndpoint), obj{"typ": "jwt", "jwk": f.dpop.Public()}))
			}},
		{"f2-dpop-hs256", "DPoP proof MAC-signed with HS256", f2, []string{"dpop.alg_not_allowed"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.SignHMACWithHeader([]byte("0123456789abcdef0123456789abcdef"), "HS256", fixtures.DPoPClaims(fixtures.TokenEndpoint),
					obj{"typ": "dpop+jwt", "jwk": fixtures.PublicJWK(f.dpop)}))
			}},
		{"f2-dpop-alg-none", "unsigned DPoP proof (alg none)", f2, []string{"dpop.alg_not_allowed"},
			func(f *fixture) obj {
				header := `{"typ":"dpop+jwt","alg":"none","jwk":` + string(fixtures.PublicJWK(f.dpop)) + `}`
				payload := `{"jti":"dpop-jti-1","htm":"POST","htu":"` + fixtures.TokenEndpoint + `","iat":` + itoa(fixtures.Now.Unix()) + `}`
				return f.dpopTokenCase(fixtures.Raw(header, payload, nil))
			}},
		{"f2-dpop-jwk-private", "DPoP proof whose jwk header holds the private key (d)", f2, []string{"dpop.jwk_private"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.Sign(f.dpop, "ES256", fixtures.DPoPClaims(fixtures.TokenEndpoint), obj{"typ": "dpop+jwt", "jwk": f.dpop.Private}))
			}},
		{"f2-dpop-signature-invalid", "DPoP proof with a corrupted signature", f2, []string{"dpop.signature_invalid"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.Tamper(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint))))
			}},
		{"f2-dpop-htm-mismatch", "DPoP proof with htm GET for a POST", f2, []string{"dpop.htm_mismatch"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "htm", "GET")))
			}},
		{"f2-dpop-htu-mismatch", "DPoP proof for another URL than the token endpoint", f2, []string{"dpop.htu_mismatch"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.PAREndpoint)))
			}},
		{"f2-dpop-iat-in-future", "DPoP proof issued five minutes in the future", f2, []string{"dpop.iat_in_future"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "iat", fixtures.Unix(5*time.Minute))))
			}},
		{"f2-dpop-iat-too-old", "DPoP proof issued ten minutes ago", f2, []string{"dpop.iat_too_old"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "iat", fixtures.Unix(-10*time.Minute))))
			}},
		{"f2-dpop-jti-missing", "DPoP proof without jti", f2, []string{"dpop.jti_missing"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.Without(fixtures.DPoPClaims(fixtures.TokenEndpoint), "jti")))
			}},
		{"f2-dpop-ath-present", "DPoP proof with an ath claim at the token endpoint", f2, []string{"dpop.ath_present"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.With(fixtures.DPoPClaims(fixtures.TokenEndpoint), "ath", athValue)))
			}},
		{"f2-dpop-key-too-small", "DPoP proof signed with an RSA-1024 key", f2, []string{"dpop.key_too_small"},
			func(f *fixture) obj {
				header := `{"typ":"dpop+jwt","alg":"PS256","jwk":` + string(fixtures.PublicJWK(f.small)) + `}`
				payload, _ := json.Marshal(fixtures.DPoPClaims(fixtures.TokenEndpoint))
				return f.dpopTokenCase(fixtures.SignRawHeader(f.small, "PS256", header, string(payload)))
			}},
		// DPoP server nonces (RFC 9449 §8): the service's dpop_nonce_secret
		// gives the case's Checker a nonce source, require_dpop_nonce makes
		// nonces mandatory.
		{"valid-f2-dpop-nonce", "FAPI 2.0 DPoP flow at a service requiring DPoP nonces: the PAR and token proofs carry the service's current nonce", f2, nil,
			func(f *fixture) obj {
				n := nonceAt(nonceSecret, 0)
				return f.f2NonceCase(nonceService(true), n, n)
			}},
		{"valid-f2-dpop-nonce-previous-window", "DPoP proofs carrying the nonce of the previous five-minute window, which is still accepted", f2, nil,
			func(f *fixture) obj {
				n := nonceAt(nonceSecret, -5*time.Minute)
				return f.f2NonceCase(nonceService(true), n, n)
			}},
		{"valid-f2-dpop-nonce-optional", "a service with DPoP nonces that does not require them: proofs without a nonce pass", f2, nil,
			func(f *fixture) obj { return f.f2NonceCase(nonceService(false), "", "") }},
		{"f2-dpop-nonce-missing", "token request whose DPoP proof has no nonce, at a service requiring DPoP nonces", f2, []string{"dpop.nonce_missing"},
			func(f *fixture) obj { return f.f2NonceCase(nonceService(true), nonceAt(nonceSecret, 0), "") }},
		{"f2-dpop-nonce-missing-par", "pushed authorization request whose DPoP proof has no nonce, at a service requiring DPoP nonces", f2, []string{"dpop.nonce_missing"},
			func(f *fixture) obj { return f.f2NonceCase(nonceService(true), "", nonceAt(nonceSecret, 0)) }},
		{"f2-dpop-nonce-stale", "DPoP proof carrying the nonce of ten minutes ago, two windows back", f2, []string{"dpop.nonce_invalid"},
			func(f *fixture) obj {
				n := nonceAt(nonceSecret, 0)
				return f.f2NonceCase(nonceService(true), n, nonceAt(nonceSecret, -10*time.Minute))
			}},
		{"f2-dpop-nonce-other-secret", "DPoP proof carrying a nonce made with another secret", f2, []string{"dpop.nonce_invalid"},
			func(f *fixture) obj {
				n := nonceAt(nonceSecret, 0)
				return f.f2NonceCase(nonceService(true), n, nonceAt([]byte("another secret of thirty-two byt"), 0))
			}},
		{"f2-dpop-nonce-invalid-optional", "a made-up DPoP nonce at a service that does not require nonces: a nonce that is sent must be good", f2, []string{"dpop.nonce_invalid"},
			func(f *fixture) obj { return f.f2NonceCase(nonceService(false), "", "n-0S6_WzA2Mj") }},
		{"f2-service-dpop-nonce-source-missing", "a service requiring DPoP nonces without a nonce secret: the configuration is refused, and so is every DPoP proof", f2,
			[]string{"service.dpop_nonce_source_missing", "service.dpop_nonce_source_missing"},
			func(f *fixture) obj {
				c := f.dpopTokenCase(fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint)))
				c["service"] = fixtures.With(fixtures.F2Service(), "require_dpop_nonce", true)
				return c
			}},
		{"f2-dpop-jkt-mismatch", "DPoP proof by another key than the one the code is bound to", f2, []string{"dpop.jkt_mismatch"},
			func(f *fixture) obj {
				return f.dpopTokenCase(fixtures.DPoPProof(f.dpopOther, fixtures.DPoPClaims(fixtures.TokenEndpoint)))
			}},
		{"f2-dpop-par-jkt-mismatch", "pushed authorization request whose dpop_jkt names another key than its DPoP proof", f2, []string{"dpop.jkt_mismatch"},
			func(f *fixture) obj {
				c := f2Keep(f.f2DPoPCase(), "pushed_authorization_request")
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "dpop_jkt", fixtures.Thumbprint(f.dpopOther))
				return c
			}},

		// --- FAPI 2.0 Message Signing -------------------------------------
		{"valid-ms-par", "Message Signing: a typed, signed request object with nbf, exp, aud and response_mode jwt pushed to the PAR endpoint", ms, nil,
			func(f *fixture) obj { return f.msPARCase(msClaims()) }},
		{"valid-ms-pushed-authorization", "Message Signing authorization request through PAR (response_mode jwt in the pushed record) and its token request", ms, nil,
			func(f *fixture) obj {
				tr := f.f2Token()
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "scope", "openid msreq msres")
				return obj{"service": msService(), "client": f.msClient(),
					"authorization_request": fixtures.PushedAuth(fixtures.RWClientID, msPushedParams()), "token_request": tr}
			}},
		{"ms-response-mode-jarm-required", "Message Signing request object without response_mode jwt", ms, []string{"response_mode.jarm_required"},
			func(f *fixture) obj { return f.msPARCase(fixtures.Without(msClaims(), "response_mode")) }},
		{"ms-response-mode-unregistered", "Message Signing request asking for a JARM response mode the client did not register", ms, []string{"response_mode.unregistered"},
			func(f *fixture) obj { return f.msPARCase(fixtures.With(msClaims(), "response_mode", "form_post.jwt")) }},
		{"ms-request-object-missing", "Message Signing pushed authorization request without a request object", ms, []string{"request_object.missing"},
			func(f *fixture) obj {
				c := f.msPARCase(msClaims())
				c["pushed_authorization_request"].(obj)["params"] = f.WithAssertion(msPushedParams(), f.f2AssertionClaims())
				return c
			}},
		{"ms-request-object-nbf-missing", "Message Signing request object without nbf", ms, []string{"request_object.nbf_missing"},
			func(f *fixture) obj { return f.msPARCase(fixtures.Without(msClaims(), "nbf")) }},
		{"ms-service-jarm-unsupported", "Message Signing service without a JARM response mode", ms, []string{"service.jarm_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(msService(), "response_modes_supported", []string{"query"})}
			}},
		{"ms-service-request-object-unsupported", "Message Signing service without require_signed_request_object", ms, []string{"service.request_object_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(msService(), "require_signed_request_object")}
			}},
		{"valid-ms-client-jarm-response-modes", "Message Signing client registering every JARM response mode", ms, nil,
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "response_modes", []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"})}
			}},
		{"valid-ms-authreq-client-response-modes", "Message Signing client with signed requests only may register response mode query", ms, nil,
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "scope", "openid msreq", "response_modes", []string{"query", "jwt"})}
			}},
		{"ms-client-response-mode-not-jarm", "Message Signing client with signed responses registering response mode query beside jwt", ms, []string{"client.response_mode_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "response_modes", []string{"jwt", "query"})}
			}},
		{"ms-client-response-modes-empty", "Message Signing client with signed responses registering an empty response_modes: no mode at all, no JARM mode", ms,
			[]string{"client.response_modes_invalid", "client.response_mode_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "response_modes", []string{})}
			}},
		{"ms-client-response-modes-uppercase", "Message Signing client registering JWT in capitals: no defined mode, and no JARM mode", ms,
			[]string{"client.response_modes_invalid", "client.response_mode_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "response_modes", []string{"JWT"})}
			}},
		{"ms-client-response-mode-unscoped", "client without a registered scope, held to signed responses too, registering response mode query", ms, []string{"client.response_mode_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": msService(), "client": fixtures.With(f.msClient(), "scope", nil, "response_modes", []string{"query"})}
			}},
	}
}

// f2Keep keeps the service, the client and the named requests of a case.
func f2Keep(c obj, requests ...string) obj {
	out := obj{"service": c["service"], "client": c["client"]}
	for _, r := range requests {
		out[r] = c[r]
	}
	return out
}

// f2PARCase is the FAPI 2.0 pushed authorization request alone, with the
// given client assertion claims.
func (f *fixture) f2PARCase(assertion obj) obj {
	return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "pushed_authorization_request": f.f2PAR(assertion)}
}
