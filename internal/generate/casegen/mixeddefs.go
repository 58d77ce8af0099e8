package casegen

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// Cases of the rules no input may switch off: a scope or response_type
// that differs from a FAPI one only in whitespace or control characters,
// scopes that select several profiles at once, and requests that select no
// FAPI profile, which get the plain OAuth 2.0 / OpenID Connect rules.

// separators stand where a space belongs in a downgrade attempt: every
// whitespace and control character a lenient splitter might take for a
// space, or drop.
var separators = []struct{ name, sep string }{
	{"tab", "\t"}, {"lf", "\n"}, {"cr", "\r"}, {"vt", "\v"}, {"ff", "\f"},
	{"nbsp", "\u00a0"}, {"nel", "\u0085"}, {"em-space", "\u2003"}, {"double-space", "  "},
	{"nul", "\x00"},
}

// mixedService offers FAPI 1.0 Final (accounts: Baseline, payments:
// Advanced) and FAPI 2.0 (sp) together: the metadata meets every profile's
// configuration rules.
func mixedService() obj {
	return fixtures.With(fixtures.FinalService(),
		"scopes", fixtures.F2Scopes(
			obj{"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}},
			obj{"name": "payments", "attributes": []obj{{"key": "fapi", "value": "rw"}}}),
		"authorization_response_iss_parameter_supported", true,
		"require_pushed_authorization_requests", true,
		"authorization_code_lifetime", 60,
		"request_uri_lifetime", 90,
		"grant_types_supported", []string{"authorization_code", "refresh_token"},
	)
}

// plainService is an OAuth 2.0 / OpenID Connect service with FAPI off.
func plainService() obj {
	return fixtures.With(fixtures.ID2Service(),
		"supported_service_profiles", nil, "fapi_version", nil, "acr_values_supported", nil,
		"scopes", []obj{{"name": "openid"}, {"name": "profile"}},
		"token_endpoint_auth_methods_supported", []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
		"response_types_supported", []string{"code", "code id_token", "id_token"},
		"code_challenge_methods_supported", []string{"S256", "plain"},
	)
}

const (
	plainClientID = "plain-client"
	plainSecret   = "a-secret-of-the-plain-client-0123456789"
)

// plainClient is a confidential client_secret_basic client of plainService.
func plainClient() obj {
	return obj{
		"client_id": plainClientID, "client_secret": plainSecret,
		"redirect_uris":              []string{fixtures.RedirectURI},
		"token_endpoint_auth_method": "client_secret_basic",
		"response_types":             []string{"code", "id_token"},
		"scope":                      "openid profile",
	}
}

func plainParams() obj {
	return obj{
		"client_id": plainClientID, "response_type": "code", "scope": "openid profile",
		"redirect_uri": fixtures.RedirectURI, "state": fixtures.State, "nonce": fixtures.Nonce,
	}
}

func plainToken() obj {
	return obj{
		"params":        obj{"grant_type": "authorization_code", "code": fixtures.AuthCode, "redirect_uri": fixtures.RedirectURI},
		"basic_auth":    obj{"client_id": plainClientID, "client_secret": plainSecret},
		"authorization": obj{"client_id": plainClientID, "redirect_uri": fixtures.RedirectURI, "scope": "openid profile"},
	}
}

func plainCase() obj {
	return obj{"service": plainService(), "client": plainClient(),
		"authorization_request": obj{"params": plainParams()}, "token_request": plainToken()}
}

func plainAuthCase(params obj) obj {
	return obj{"service": plainService(), "client": plainClient(), "authorization_request": obj{"params": params}}
}

func plainTokenCase(tr obj) obj {
	return obj{"service": plainService(), "client": plainClient(), "token_request": tr}
}

// rwAsQuery is a read-and-write request sent without its request object:
// every parameter outside, as a plain OAuth request would have them.
func (f *fixture) rwAsQuery(scope string) obj {
	p := fixtures.Without(f.RWClaims(), "iss", "aud", "exp", "iat", "jti", "claims")
	p["scope"] = scope
	return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "authorization_request": obj{"params": p}}
}

// rwDowngrade is the violations of rwAsQuery with a malformed scope: the
// request is held to every profile the service offers.
// (read-only's PKCE for every client and read-write's request object).
var rwDowngrade = []string{"scope.malformed", "request_object.missing", "pkce.challenge_missing", "claims.acr_not_essential"}

func mixedDefs() []def {
	var out []def
	for _, s := range separators {
		sep := s.sep
		out = append(out,
			def{"downgrade-scope-" + s.name, "read-and-write scope hidden behind " + s.name + " in place of a space: scope.malformed, and every profile the service offers still applies", rw, rwDowngrade,
				func(f *fixture) obj { return f.rwAsQuery("openid" + sep + "payments") }})
	}
	out = append(out,
		def{"downgrade-scope-trailing-nul", "read-and-write scope with a trailing NUL byte", rw, rwDowngrade,
			func(f *fixture) obj { return f.rwAsQuery("openid payments\x00") }},
		def{"downgrade-scope-leading-space", "read-and-write scope with a leading space", rw, rwDowngrade,
			func(f *fixture) obj { return f.rwAsQuery(" openid payments") }},
		def{"downgrade-scope-par-vt", "FAPI 2.0 pushed request whose scope hides sp behind a vertical tab", f2, []string{"scope.malformed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.F2Service(), "client": f.F2Client(),
					"pushed_authorization_request": f.F2PAR(fixtures.With(f.F2Params(), "scope", "openid\vsp"), f.f2AssertionClaims())}
			}},
		def{"downgrade-scope-token-nbsp", "FAPI 2.0 token request whose grant record's scope hides sp behind a no-break space: the record is held to FAPI 2.0 still (code age, binding)", f2, []string{"scope.malformed", "code.expired"},
			func(f *fixture) obj {
				tr := f.f2Token()
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "scope", "openid\u00a0sp", "issued_at", fixtures.RFC3339(-120e9))
				return obj{"service": fixtures.F2Service(), "client": f.F2Client(), "token_request": tr}
			}},
		def{"downgrade-response-type-tab", "read-and-write request object with response_type code<TAB>id_token", rw, []string{"response_type.malformed"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "response_type", "code\tid_token"),
					f.Sign(fixtures.With(f.RWClaims(), "response_type", "code\tid_token")))
			}},
		def{"response-type-malformed-double-space", "read-only request with response_type code  id_token", ro, []string{"response_type.malformed"},
			func(f *fixture) obj { return roAuthCase(fixtures.With(roParams(), "response_type", "code  id_token")) }},
	)

	// --- several profiles at once ------------------------------------
	out = append(out,
		def{"mixed-par-advanced-and-fapi2", "pushed request for an Advanced and a FAPI 2.0 scope without a request object: Advanced's rules still apply", f2, []string{"client.response_type_not_allowed", "request_object.missing", "response_type.not_allowed", "nonce.missing"},
			func(f *fixture) obj {
				c := obj{"service": mixedService(), "client": fixtures.With(f.F2Client(), "scope", "openid payments sp"),
					"pushed_authorization_request": f.F2PAR(fixtures.With(f.F2Params(), "scope", "openid payments sp"), f.f2AssertionClaims())}
				c["expect"] = obj{"profiles": []string{f2, adv}}
				return c
			}},
		def{"mixed-auth-baseline-and-advanced", "Advanced request object by value asking for a Baseline scope too, without PKCE: Baseline requires PKCE of every client", adv, []string{"pkce.challenge_missing"},
			func(f *fixture) obj {
				c := f.advAuthCase(fixtures.With(f.AdvClaims(), "scope", "openid accounts payments"))
				c["expect"] = obj{"profiles": []string{adv, base}, "ignored": []string{"scope"}}
				return c
			}},
		def{"mixed-token-advanced-and-fapi2-dpop", "token request for a grant of an Advanced and a FAPI 2.0 scope with a DPoP proof and no client certificate: Advanced requires certificate-bound tokens (and a hybrid or JARM response type)", f2, []string{"client.response_type_not_allowed", "client.mtls_binding_disabled", "mtls.certificate_missing"},
			func(f *fixture) obj {
				proof := fixtures.DPoPProof(f.dpop, fixtures.DPoPClaims(fixtures.TokenEndpoint))
				tr := f.f2DPoPToken(proof)
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "scope", "openid payments sp")
				c := obj{"service": mixedService(), "client": fixtures.With(f.F2DPoPClient(), "scope", "openid payments sp"), "token_request": tr}
				c["expect"] = obj{"profiles": []string{f2, adv}}
				return c
			}},
		def{"valid-mixed-advanced-and-fapi2", "pushed request for an Advanced and a FAPI 2.0 scope that meets both: signed request object with PKCE, code with JARM, mTLS", f2, nil,
			func(f *fixture) obj {
				claims := fixtures.With(f.AdvPKCEClaims(), "scope", "openid payments sp", "response_type", "code", "response_mode", "jwt")
				c := obj{"service": mixedService(),
					"client":                       fixtures.With(f.F2Client(), "scope", "openid payments sp", "authorization_signed_response_alg", "PS256"),
					"pushed_authorization_request": f.SignedPAR(claims, f.f2AssertionClaims())}
				c["pushed_authorization_request"].(obj)["client_certificate"] = f.TLS.CertPEM()
				c["expect"] = obj{"profiles": []string{f2, adv}}
				return c
			}},
		def{"service-every-profile-checked", "a service offering FAPI 2.0 and FAPI 1.0 Advanced without certificate-bound tokens: Advanced's configuration rule applies though FAPI 2.0 would accept DPoP", f2, []string{"service.mtls_binding_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(mixedService(), "tls_client_certificate_bound_access_tokens", nil, "dpop_signing_alg_values_supported", []string{"ES256", "PS256"})}
			}},
		def{"client-every-profile-checked", "a registration for an Advanced and a FAPI 2.0 scope with EdDSA ID tokens: FAPI 2.0 allows EdDSA, Advanced does not", f2, []string{"client.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": mixedService(), "client": fixtures.With(f.F2Client(), "scope", "openid payments sp", "response_types", []string{"code"},
					"response_modes", []string{"jwt"}, "authorization_signed_response_alg", "PS256", "id_token_signed_response_alg", "EdDSA")}
			}},
	)

	// --- request objects name their client; JAR as RP libraries send it
	out = append(out,
		def{"adv-request-object-client-id-missing", "Advanced request object without a client_id claim (only the object's values count, RFC 9101 §5, §6.3)", adv, []string{"request_object.client_id_missing"},
			func(f *fixture) obj {
				c := f.advAuthCase(fixtures.Without(f.AdvClaims(), "client_id"))
				c["expect"] = obj{"ignored": []string{"scope"}}
				return c
			}},
		def{"ms-request-object-client-id-missing", "Message Signing pushed request object without a client_id claim", ms, []string{"request_object.client_id_missing"},
			func(f *fixture) obj { return f.msPARCase(fixtures.Without(msClaims(), "client_id")) }},
		def{"valid-adv-jar-client-id-and-request-only", "Advanced request as RP libraries send JAR by default: only client_id and request outside the object", adv, nil,
			func(f *fixture) obj {
				return f.advAuthCase(f.AdvClaims())
			}},
		def{"valid-adv-jar-request-uri-only", "Advanced request by reference with only client_id and request_uri outside", adv, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.FinalService(), "client": f.RWClient(), "authorization_request": obj{
					"params":         obj{"client_id": fixtures.RWClientID, "request_uri": "https://client.example.org/ro/2"},
					"request_object": f.Sign(f.AdvClaims())}}
			}},
		def{"rw-request-uri-without-response-type", "read-and-write request by reference without response_type and scope outside (OIDC Core §6.2, as by value)", rw, []string{"parameter.missing", "parameter.missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "authorization_request": obj{
					"params":         obj{"client_id": fixtures.RWClientID, "request_uri": "https://client.example.org/ro/2"},
					"request_object": f.Sign(f.RWClaims())}}
			}},
	)

	// --- bounded work -----------------------------------------------
	out = append(out,
		def{"rw-outside-claims-oversized", "read-and-write request with 64 KiB of claims JSON outside the request object: refused before it is decoded", rw, []string{"request_object.param_mismatch"},
			func(f *fixture) obj {
				big := `{"id_token":{"acr":{"essential":true,"values":[` + strings.Repeat(`"x",`, 16<<10) + `"x"]}}}`
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "claims", big), f.Sign(f.RWClaims()))
			}},
	)

	// --- NumericDates with fractions (RFC 7519 §2) ------------------
	out = append(out,
		def{"valid-adv-fractional-dates", "Advanced request object and client assertion whose exp, nbf and iat have fractions of a second (RFC 7519 §2 NumericDate)", adv, nil,
			func(f *fixture) obj {
				frac := func(d time.Duration) json.RawMessage {
					return json.RawMessage(strconv.FormatInt(fixtures.Unix(d), 10) + ".25")
				}
				c := f.advCase()
				c["authorization_request"] = fixtures.AuthByValue(f.RWOutside(), f.Sign(fixtures.With(f.AdvClaims(), "exp", frac(5*time.Minute), "nbf", frac(-10*time.Second), "iat", frac(-10*time.Second))))
				c["token_request"] = f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "exp", frac(time.Minute), "iat", frac(-time.Second)))
				return c
			}},
		def{"adv-request-object-lifetime-fraction-too-long", "Advanced request object whose exp is 60 minutes and a quarter second after its nbf: exp - nbf is compared exactly", adv, []string{"request_object.lifetime_too_long"},
			func(f *fixture) obj {
				c := f.advAuthCase(fixtures.With(f.AdvClaims(),
					"nbf", json.RawMessage(strconv.FormatInt(fixtures.Unix(-10*time.Second), 10)),
					"exp", json.RawMessage(strconv.FormatInt(fixtures.Unix(-10*time.Second+time.Hour), 10)+".25")))
				c["expect"] = obj{"ignored": []string{"scope"}}
				return c
			}},
	)

	// --- native clients ---------------------------------------------
	out = append(out,
		def{"valid-f2-native-loopback-any-port", "FAPI 2.0 native client registered with http://127.0.0.1/cb asking for another port (RFC 8252 §7.3)", f2, nil,
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				c["client"] = fixtures.With(f.F2Client(), "redirect_uris", []string{"http://127.0.0.1/cb"}, "application_type", "native")
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "redirect_uri", "http://127.0.0.1:49152/cb")
				return c
			}},
		def{"f2-native-loopback-other-path", "FAPI 2.0 native client asking for its loopback redirect URI with another path: only the port may differ", f2, []string{"redirect_uri.not_registered"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				c["client"] = fixtures.With(f.F2Client(), "redirect_uris", []string{"http://127.0.0.1/cb"}, "application_type", "native")
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "redirect_uri", "http://127.0.0.1:49152/cb2")
				return c
			}},
		def{"f2-web-client-loopback-redirect", "FAPI 2.0 web client (application_type absent) with an http loopback redirect URI: only native clients may use one", f2, []string{"client.redirect_uri_not_https", "redirect_uri.not_https"},
			func(f *fixture) obj {
				c := f.f2PARCase(f.f2AssertionClaims())
				c["client"] = fixtures.With(f.F2Client(), "redirect_uris", []string{"http://127.0.0.1:8080/cb"})
				par := c["pushed_authorization_request"].(obj)
				par["params"] = fixtures.With(par["params"].(obj), "redirect_uri", "http://127.0.0.1:8080/cb")
				return c
			}},
	)

	// --- profile none: plain OAuth 2.0 and OpenID Connect -------------
	out = append(out,
		def{"valid-plain-code-flow", "plain OAuth 2.0 / OpenID Connect code flow with client_secret_basic (FAPI off): accepted under the plain rules", none, nil,
			func(f *fixture) obj { return plainCase() }},
		def{"valid-plain-client-secret-post", "plain token request with client_secret_post", none, nil,
			func(f *fixture) obj {
				tr := plainToken()
				delete(tr, "basic_auth")
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", plainClientID, "client_secret", plainSecret)
				return obj{"service": plainService(), "client": fixtures.With(plainClient(), "token_endpoint_auth_method", "client_secret_post"), "token_request": tr}
			}},
		def{"valid-plain-pkce-plain", "plain request with PKCE method plain, which the service lists", none, nil,
			func(f *fixture) obj {
				return plainAuthCase(fixtures.With(plainParams(), "code_challenge", fixtures.Verifier, "code_challenge_method", "plain"))
			}},
		def{"valid-plain-no-fapi-scope-at-fapi-service", "a request for no FAPI scope at a FAPI service: the plain rules apply", none, nil,
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": roClient(), "authorization_request": obj{"params": fixtures.With(roParams(), "scope", "openid")}}
			}},
		def{"plain-redirect-uri-not-registered", "plain request to an unregistered redirect URI", none, []string{"redirect_uri.not_registered"},
			func(f *fixture) obj {
				return plainAuthCase(fixtures.With(plainParams(), "redirect_uri", "http://evil.example/cb"))
			}},
		def{"plain-no-fapi-scope-redirect-not-registered", "a request for no FAPI scope at a FAPI service to an unregistered redirect URI", none, []string{"redirect_uri.not_registered"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": roClient(), "authorization_request": obj{"params": fixtures.With(roParams(), "scope", "openid", "redirect_uri", "https://evil.example/cb")}}
			}},
		def{"plain-redirect-uri-missing-openid", "plain OpenID Connect request without redirect_uri (OIDC Core §3.1.2.1)", none, []string{"redirect_uri.missing"},
			func(f *fixture) obj { return plainAuthCase(fixtures.Without(plainParams(), "redirect_uri")) }},
		def{"valid-plain-redirect-uri-omitted", "plain OAuth 2.0 request without openid and without redirect_uri, from a client with one registered URI (RFC 6749 §3.1.2.3)", none, nil,
			func(f *fixture) obj {
				return plainAuthCase(fixtures.Without(fixtures.With(plainParams(), "scope", "profile"), "redirect_uri"))
			}},
		def{"plain-client-id-mismatch", "plain request whose client_id is not the client's", none, []string{"client_id.mismatch"},
			func(f *fixture) obj { return plainAuthCase(fixtures.With(plainParams(), "client_id", "someone-else")) }},
		def{"plain-response-type-unsupported", "plain request with a response type the client registered but the service does not list", none, []string{"response_type.unsupported"},
			func(f *fixture) obj {
				c := plainAuthCase(fixtures.With(plainParams(), "response_type", "code token"))
				c["client"] = fixtures.With(plainClient(), "response_types", []string{"code", "code token"})
				return c
			}},
		def{"plain-nonce-missing-implicit", "plain OpenID Connect implicit request without nonce (OIDC Core §3.2.2.1)", none, []string{"nonce.missing"},
			func(f *fixture) obj {
				return plainAuthCase(fixtures.Without(fixtures.With(plainParams(), "response_type", "id_token"), "nonce"))
			}},
		def{"plain-pkce-method-unsupported", "plain request with a code_challenge_method RFC 7636 does not define", none, []string{"pkce.method_unsupported"},
			func(f *fixture) obj {
				return plainAuthCase(fixtures.With(plainParams(), "code_challenge", fixtures.S256(fixtures.Verifier), "code_challenge_method", "S512"))
			}},
		def{"plain-pkce-method-not-listed", "plain request with PKCE plain at a service that lists only S256", none, []string{"pkce.method_unsupported"},
			func(f *fixture) obj {
				c := plainAuthCase(fixtures.With(plainParams(), "code_challenge", fixtures.Verifier, "code_challenge_method", "plain"))
				c["service"] = fixtures.With(plainService(), "code_challenge_methods_supported", []string{"S256"})
				return c
			}},
		def{"plain-request-object-signature-invalid", "plain request whose request object is signed with a key the client did not register", none, []string{"request_object.signature_invalid"},
			func(f *fixture) obj {
				c := plainAuthCase(fixtures.With(plainParams(), "request", fixtures.Sign(f.other, "PS256", plainParams(), nil)))
				c["client"] = fixtures.With(plainClient(), "jwks", fixtures.JWKS(f.Key))
				return c
			}},
		def{"plain-client-secret-mismatch", "plain token request with a wrong client secret", none, []string{"client_auth.secret_mismatch"},
			func(f *fixture) obj {
				tr := plainToken()
				tr["basic_auth"] = obj{"client_id": plainClientID, "client_secret": "wrong"}
				return plainTokenCase(tr)
			}},
		def{"plain-client-credentials-missing", "plain token request from a client_secret_basic client without an Authorization header", none, []string{"client_auth.credentials_missing"},
			func(f *fixture) obj {
				tr := plainToken()
				delete(tr, "basic_auth")
				return plainTokenCase(tr)
			}},
		def{"plain-code-client-mismatch", "plain token request for a code issued to another client", none, []string{"code.client_mismatch"},
			func(f *fixture) obj {
				tr := plainToken()
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "client_id", "someone-else")
				return plainTokenCase(tr)
			}},
		def{"plain-redirect-uri-mismatch-token", "plain token request whose redirect_uri differs from the authorization's", none, []string{"redirect_uri.mismatch"},
			func(f *fixture) obj {
				tr := plainToken()
				tr["params"] = fixtures.With(tr["params"].(obj), "redirect_uri", "https://client.example.org/other")
				return plainTokenCase(tr)
			}},
		def{"plain-grant-type-missing", "plain token request without grant_type", none, []string{"grant_type.missing"},
			func(f *fixture) obj {
				tr := plainToken()
				tr["params"] = fixtures.Without(tr["params"].(obj), "grant_type")
				return plainTokenCase(tr)
			}},
		def{"plain-service-response-types-missing", "a plain service without response_types_supported (RFC 8414 §2)", none, []string{"service.response_types_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(plainService(), "response_types_supported")}
			}},
		def{"plain-client-redirect-uri-invalid", "plain client registering a redirect URI with a space and a fragment", none, []string{"client.redirect_uri_not_https"},
			func(f *fixture) obj {
				return obj{"service": plainService(), "client": fixtures.With(plainClient(), "redirect_uris", []string{"https://client.example.org/c b#x"})}
			}},
	)
	return out
}
