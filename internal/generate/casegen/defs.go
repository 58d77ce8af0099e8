package casegen

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

const (
	rw   = "fapi1-read-write"
	ro   = "fapi1-read-only"
	none = "none"
)

// defs declares the corpus. Each case changes one thing in a valid
// baseline and names exactly the violations that change must produce.
func defs() []def {
	return []def{
		// --- valid baselines -------------------------------------------
		{"valid-rw-private-key-jwt", "read-and-write: PS256 request object with every parameter inside, private_key_jwt and a client certificate at the token endpoint", rw, nil,
			func(f *fixture) obj { return f.rwCase() }},
		{"valid-rw-es256", "read-and-write with ES256 keys for the request object and the client assertion", rw, nil,
			func(f *fixture) obj {
				c := f.rwCase()
				c["client"] = fixtures.With(f.RWClient(), "jwks", fixtures.JWKS(f.rwES), "request_object_signing_alg", "ES256",
					"token_endpoint_auth_signing_alg", "ES256", "id_token_signed_response_alg", "ES256")
				c["authorization_request"] = fixtures.AuthByValue(f.RWOutside(), fixtures.Sign(f.rwES, "ES256", f.RWClaims(), nil))
				c["token_request"] = f.RWTokenWith(fixtures.Sign(f.rwES, "ES256", f.AssertionClaims(fixtures.TokenEndpoint), nil))
				return c
			}},
		{"valid-rw-pkce", "read-and-write with PKCE S256 (optional for confidential clients, verified when used)", rw, nil,
			func(f *fixture) obj {
				c := f.rwCase()
				cl := fixtures.With(f.RWClaims(), "code_challenge", fixtures.S256(fixtures.Verifier), "code_challenge_method", "S256")
				c["authorization_request"] = fixtures.AuthByValue(f.RWOutside(), f.Sign(cl))
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", fixtures.Verifier)
				tr["authorization"] = fixtures.With(f.RWRecord(), "code_challenge", fixtures.S256(fixtures.Verifier), "code_challenge_method", "S256")
				c["token_request"] = tr
				return c
			}},
		{"valid-rw-request-uri", "read-and-write request object passed by reference; the caller supplies the resolved object", rw, nil,
			func(f *fixture) obj {
				c := f.rwCase()
				c["authorization_request"] = obj{
					"params":         fixtures.With(f.RWOutside(), "request_uri", "https://client.example.org/ro/1"),
					"request_object": f.Sign(f.RWClaims()),
				}
				return c
			}},
		{"valid-rw-aud-array", "read-and-write request object whose aud is an array containing the issuer", rw, nil,
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "aud", []string{"https://other.example.com", fixtures.Issuer})))
			}},
		{"valid-rw-jarm-code", "read-and-write with response_type code and a JARM response mode", rw, nil,
			func(f *fixture) obj {
				c := f.rwAuthCase(fixtures.With(f.RWOutside(), "response_type", "code", "response_mode", "jwt"),
					f.Sign(fixtures.With(f.RWClaims(), "response_type", "code", "response_mode", "jwt")))
				c["client"] = fixtures.With(f.RWClient(), "response_types", []string{"code"}, "authorization_signed_response_alg", "PS256")
				return c
			}},
		{"valid-rw-long-nonce", "read-and-write with a 384-character nonce (no length limit under ID2)", rw, nil,
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "nonce", strings.Repeat("n", 384))))
			}},
		{"valid-rw-tls-client-auth", "read-and-write client authenticating with tls_client_auth (subject DN)", rw, nil,
			func(f *fixture) obj {
				c := f.rwCase()
				c["client"] = fixtures.With(f.RWClient(), "token_endpoint_auth_method", "tls_client_auth",
					"tls_client_auth_subject_dn", "CN=rw-client.example.org,O=Example Client,C=GB", "token_endpoint_auth_signing_alg", nil)
				c["token_request"] = obj{
					"params":             obj{"grant_type": "authorization_code", "code": "SplxlOBeZQQYbYS6WxSbIA", "redirect_uri": fixtures.RedirectURI, "client_id": fixtures.RWClientID},
					"client_certificate": f.TLS.CertPEM(),
					"authorization":      f.RWRecord(),
				}
				return c
			}},
		{"valid-rw-self-signed-tls-client-auth", "read-and-write client authenticating with self_signed_tls_client_auth (certificate in its jwks x5c)", rw, nil,
			func(f *fixture) obj {
				c := f.rwCase()
				c["client"] = fixtures.With(f.RWClient(), "token_endpoint_auth_method", "self_signed_tls_client_auth",
					"jwks", fixtures.JWKS(f.Key, f.TLS), "token_endpoint_auth_signing_alg", nil)
				c["token_request"] = obj{
					"params":             obj{"grant_type": "authorization_code", "code": "SplxlOBeZQQYbYS6WxSbIA", "redirect_uri": fixtures.RedirectURI, "client_id": fixtures.RWClientID},
					"client_certificate": f.TLS.CertPEM(),
					"authorization":      f.RWRecord(),
				}
				return c
			}},
		{"valid-ro-public-client", "read-only public client: PKCE S256, state and nonce, token request with code_verifier", ro, nil,
			func(f *fixture) obj { return roCase() }},
		{"valid-ro-private-key-jwt", "read-only confidential client with private_key_jwt (PKCE required for every client under read-only)", ro, nil,
			func(f *fixture) obj {
				client := fixtures.With(f.RWClient(), "scope", "openid accounts", "response_types", []string{"code"},
					"tls_client_certificate_bound_access_tokens", nil, "request_object_signing_alg", nil)
				params := fixtures.With(roParams(), "client_id", fixtures.RWClientID)
				tr := roTokenRequest()
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", nil,
					"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
					"client_assertion", fixtures.Sign(f.Key, "PS256", f.AssertionClaims(fixtures.TokenEndpoint), nil))
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "client_id", fixtures.RWClientID)
				return obj{"service": fixtures.ID2Service(), "client": client, "authorization_request": obj{"params": params}, "token_request": tr}
			}},
		{"valid-ro-client-secret-jwt", "read-only confidential client with client_secret_jwt (HS256, 32-byte secret)", ro, nil,
			func(f *fixture) obj {
				secret := "0123456789abcdef0123456789abcdef"
				client := obj{"client_id": "secret-client", "client_type": "confidential", "client_secret": secret,
					"redirect_uris": []string{fixtures.RedirectURI}, "token_endpoint_auth_method": "client_secret_jwt",
					"token_endpoint_auth_signing_alg": "HS256", "scope": "openid accounts", "response_types": []string{"code"}}
				svc := fixtures.With(fixtures.ID2Service(), "token_endpoint_auth_methods_supported", []string{"client_secret_jwt", "private_key_jwt"})
				ac := fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "iss", "secret-client", "sub", "secret-client")
				tr := roTokenRequest()
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", nil,
					"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
					"client_assertion", fixtures.SignHMAC([]byte(secret), "HS256", ac))
				tr["authorization"] = fixtures.With(tr["authorization"].(obj), "client_id", "secret-client")
				return obj{"service": svc, "client": client,
					"authorization_request": obj{"params": fixtures.With(roParams(), "client_id", "secret-client")}, "token_request": tr}
			}},
		{"valid-ro-request-object", "read-only request that also carries an (optional) signed request object", ro, nil,
			func(f *fixture) obj {
				client := fixtures.With(f.RWClient(), "scope", "openid accounts", "response_types", []string{"code"},
					"tls_client_certificate_bound_access_tokens", nil)
				cl := fixtures.With(roParams(), "client_id", fixtures.RWClientID, "iss", fixtures.RWClientID, "aud", fixtures.Issuer, "exp", fixtures.Unix(5*time.Minute))
				return obj{"service": fixtures.ID2Service(), "client": client, "authorization_request": fixtures.AuthByValue(
					obj{"client_id": fixtures.RWClientID, "response_type": "code", "scope": "openid accounts"}, f.Sign(cl))}
			}},
		{"valid-none-profile", "a service that does not list fapi: plain OAuth, no FAPI check applies", none, nil,
			func(f *fixture) obj {
				svc := fixtures.Without(fixtures.ID2Service(), "supported_service_profiles")
				svc["scopes"] = []obj{{"name": "openid"}, {"name": "profile"}}
				return obj{"service": svc, "client": roClient(), "authorization_request": obj{"params": obj{"client_id": roClientID, "response_type": "code"}}}
			}},
		{"client-response-modes-unknown", "plain OAuth client registering a response mode no specification defines", none, []string{"client.response_modes_invalid"},
			func(f *fixture) obj {
				svc := fixtures.Without(fixtures.ID2Service(), "supported_service_profiles")
				svc["scopes"] = []obj{{"name": "openid"}, {"name": "profile"}}
				return obj{"service": svc, "client": fixtures.With(roClient(), "response_modes", []string{"query", "web_message"})}
			}},
		{"valid-service-read-only", "a service that only defines read-only FAPI scopes", ro, nil,
			func(f *fixture) obj {
				svc := fixtures.ID2Service()
				svc["scopes"] = []obj{{"name": "openid"}, {"name": "accounts", "attributes": []obj{{"key": "fapi", "value": "r"}}}}
				return obj{"service": svc}
			}},
		{"valid-rw-assertion-aud-issuer", "client assertion whose aud is the issuer rather than the token endpoint", rw, nil,
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", fixtures.Issuer)))
			}},

		// --- service configuration ---------------------------------------
		{"service-fapi-not-supported", "scopes carry fapi attributes but the service does not list fapi", none, []string{"service.fapi_not_supported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.ID2Service(), "supported_service_profiles")}
			}},
		{"service-no-fapi-scope", "fapi is listed but no scope has a fapi attribute", none, []string{"service.no_fapi_scope"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "scopes", []obj{{"name": "openid"}})}
			}},
		{"service-client-auth-methods-missing", "read-and-write service offering only client_secret_basic", rw, []string{"service.client_auth_methods_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "token_endpoint_auth_methods_supported", []string{"client_secret_basic"})}
			}},
		{"service-client-auth-methods-default", "read-and-write service without token_endpoint_auth_methods_supported (defaults to client_secret_basic)", rw, []string{"service.client_auth_methods_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.ID2Service(), "token_endpoint_auth_methods_supported")}
			}},
		{"service-acr-values-missing", "read-and-write service without acr_values_supported", rw, []string{"service.acr_values_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.ID2Service(), "acr_values_supported")}
			}},
		{"service-response-types-missing", "read-and-write service supporting only response_type code, without JARM", rw, []string{"service.response_types_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "response_types_supported", []string{"code"})}
			}},
		{"service-mtls-binding-unsupported", "read-and-write service without certificate-bound access tokens", rw, []string{"service.mtls_binding_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.Without(fixtures.ID2Service(), "tls_client_certificate_bound_access_tokens")}
			}},
		{"service-issuer-missing", "service without an issuer", rw, []string{"service.issuer_missing"},
			func(f *fixture) obj { return obj{"service": fixtures.Without(fixtures.ID2Service(), "issuer")} }},
		{"service-scopes-invalid", "service defining the same scope twice", none, []string{"service.scopes_invalid"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "scopes", []obj{{"name": "accounts"}, {"name": "accounts"}})}
			}},
		{"service-clock-skew-invalid", "clock skew above 60 seconds is refused", none, []string{"service.clock_skew_invalid"},
			func(f *fixture) obj { return obj{"service": fixtures.With(fixtures.ID2Service(), "clock_skew", 120)} }},
		{"profile-setting-invalid", "an unknown fapi_version fails closed", none, []string{"profile.setting_invalid"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "fapi_version", "2.0")}
			}},

		// --- client configuration ----------------------------------------
		{"client-missing", "an authorization request checked without a client configuration", rw, []string{"client.missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "authorization_request": fixtures.AuthByValue(f.RWOutside(), f.Sign(f.RWClaims()))}
			}},
		{"client-client-id-missing", "client registration without client_id", rw, []string{"client.client_id_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "client_id")}
			}},
		{"client-auth-method-not-allowed", "read-and-write client registered with client_secret_basic", rw, []string{"client.auth_method_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "token_endpoint_auth_method", "client_secret_basic")}
			}},
		{"client-auth-method-default", "read-and-write client without token_endpoint_auth_method (defaults to client_secret_basic)", rw, []string{"client.auth_method_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "token_endpoint_auth_method", "token_endpoint_auth_signing_alg")}
			}},
		{"client-auth-method-unsupported", "client_secret_jwt client of a service that does not offer client_secret_jwt", ro, []string{"client.auth_method_unsupported"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(),
					"client": obj{"client_id": "secret-client", "client_secret": "0123456789abcdef0123456789abcdef", "redirect_uris": []string{fixtures.RedirectURI},
						"token_endpoint_auth_method": "client_secret_jwt", "scope": "openid accounts"}}
			}},
		{"client-redirect-uris-missing", "client without registered redirect URIs", rw, []string{"client.redirect_uris_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "redirect_uris")}
			}},
		{"client-redirect-uri-not-https", "client registering an http redirect URI", rw, []string{"client.redirect_uri_not_https"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "redirect_uris", []string{"http://client.example.org/cb"})}
			}},
		{"client-redirect-uri-custom-scheme", "client registering a private-use scheme redirect URI", rw, []string{"client.redirect_uri_not_https"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "redirect_uris", []string{"com.example.app:/cb"})}
			}},
		{"client-jwks-missing", "private_key_jwt client without jwks", rw, []string{"client.jwks_missing"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "jwks")}
			}},
		{"client-jwks-invalid", "client jwks holding a private key", rw, []string{"client.jwks_invalid"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "jwks", json.RawMessage(`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`))}
			}},
		{"client-key-too-small", "client jwks with an RSA-1024 key", rw, []string{"client.key_too_small"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "jwks", fixtures.JWKS(f.Key, f.small))}
			}},
		{"client-secret-too-short", "client_secret_jwt client with a 16-byte secret", ro, []string{"client.secret_too_short"},
			func(f *fixture) obj {
				return obj{"service": fixtures.With(fixtures.ID2Service(), "token_endpoint_auth_methods_supported", []string{"client_secret_jwt", "private_key_jwt"}),
					"client": obj{"client_id": "secret-client", "client_secret": "0123456789abcdef", "redirect_uris": []string{fixtures.RedirectURI},
						"token_endpoint_auth_method": "client_secret_jwt", "scope": "openid accounts"}}
			}},
		{"client-response-type-not-allowed", "read-and-write client registering response_type code without JARM", rw, []string{"client.response_type_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "response_types", []string{"code"})}
			}},
		{"client-mtls-binding-disabled", "read-and-write client without certificate-bound access tokens", rw, []string{"client.mtls_binding_disabled"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "tls_client_certificate_bound_access_tokens")}
			}},
		{"client-alg-not-allowed", "read-and-write client with id_token_signed_response_alg RS256", rw, []string{"client.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "id_token_signed_response_alg", "RS256")}
			}},
		{"client-alg-default-rs256", "read-and-write client without id_token_signed_response_alg (defaults to RS256)", rw, []string{"client.alg_not_allowed"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.Without(f.RWClient(), "id_token_signed_response_alg")}
			}},
		{"valid-rw-request-object-alg-unregistered", "read-and-write client without request_object_signing_alg: any algorithm the profile allows (OIDC Registration §2 default)", rw, nil,
			func(f *fixture) obj {
				c := f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.rwES, "ES256", f.RWClaims(), nil))
				c["client"] = fixtures.With(f.RWClient(), "request_object_signing_alg", nil, "jwks", fixtures.JWKS(f.Key, f.rwES))
				return c
			}},
		{"request-object-alg-unregistered-rs256", "client without request_object_signing_alg sending an RS256 request object", rw, []string{"request_object.alg_not_allowed"},
			func(f *fixture) obj {
				c := f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.Key, "RS256", f.RWClaims(), nil))
				c["client"] = fixtures.With(f.RWClient(), "request_object_signing_alg", nil)
				return c
			}},
		{"client-tls-subject-invalid", "tls_client_auth client without a registered subject", rw, []string{"client.tls_subject_invalid"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": fixtures.With(f.RWClient(), "token_endpoint_auth_method", "tls_client_auth", "token_endpoint_auth_signing_alg", nil)}
			}},

		// --- authorization request -----------------------------------------
		{"parameter-duplicated", "client_id sent twice", rw, []string{"parameter.duplicated"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "client_id", []string{fixtures.RWClientID, fixtures.RWClientID}), f.Sign(f.RWClaims()))
			}},
		{"client-id-missing", "authorization request without client_id outside the request object", rw, []string{"client_id.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.Without(f.RWOutside(), "client_id"), f.Sign(f.RWClaims()))
			}},
		{"client-id-mismatch", "client_id of another client outside the request object", rw, []string{"client_id.mismatch", "request_object.param_mismatch"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "client_id", "someone-else"), f.Sign(f.RWClaims()))
			}},
		{"redirect-uri-missing", "request object without redirect_uri", rw, []string{"redirect_uri.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "redirect_uri")))
			}},
		{"redirect-uri-not-registered", "redirect_uri that is not registered", rw, []string{"redirect_uri.not_registered"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "redirect_uri", "https://client.example.org/other")))
			}},
		{"redirect-uri-not-https", "http redirect_uri", rw, []string{"redirect_uri.not_https", "redirect_uri.not_registered"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "redirect_uri", "http://client.example.org/cb")))
			}},
		{"state-missing", "read-only request without openid and without state", ro, []string{"state.missing"},
			func(f *fixture) obj { return roAuthCase(fixtures.With(roParams(), "scope", "accounts", "state", nil)) }},
		{"nonce-missing", "code id_token request object without nonce", rw, []string{"nonce.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "nonce")))
			}},
		{"state-malformed", "read-only request whose state has a line feed (outside VSCHAR)", ro, []string{"state.malformed"},
			func(f *fixture) obj {
				return roAuthCase(fixtures.With(roParams(), "state", "s1\nLocation: https://attacker.example"))
			}},
		{"nonce-malformed", "request object whose nonce has a non-ASCII character", rw, []string{"nonce.malformed"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "nonce", "n\u00e9")))
			}},
		{"scope-missing", "request object without scope (scope only outside)", rw, []string{"request_object.param_missing", "scope.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "scope")))
			}},
		{"scope-malformed", "scope parameter with a double space: held to every profile the service offers (read-write too)", rw,
			[]string{"scope.malformed", "client.jwks_missing", "client.response_type_not_allowed", "client.mtls_binding_disabled", "client.alg_not_allowed",
				"request_object.missing", "response_type.not_allowed", "claims.acr_not_essential"},
			func(f *fixture) obj { return roAuthCase(fixtures.With(roParams(), "scope", "openid  accounts")) }},
		{"pkce-challenge-missing", "read-only request without code_challenge", ro, []string{"pkce.challenge_missing"},
			func(f *fixture) obj {
				return roAuthCase(fixtures.Without(roParams(), "code_challenge", "code_challenge_method"))
			}},
		{"pkce-method-plain", "read-only request with code_challenge_method plain", ro, []string{"pkce.method_not_s256"},
			func(f *fixture) obj { return roAuthCase(fixtures.With(roParams(), "code_challenge_method", "plain")) }},
		{"pkce-method-absent", "read-only request with a code_challenge but no method (plain by default)", ro, []string{"pkce.method_not_s256"},
			func(f *fixture) obj { return roAuthCase(fixtures.Without(roParams(), "code_challenge_method")) }},
		{"pkce-challenge-malformed", "read-only request with a code_challenge that is not 43 base64url characters", ro, []string{"pkce.challenge_malformed"},
			func(f *fixture) obj { return roAuthCase(fixtures.With(roParams(), "code_challenge", "too-short")) }},
		{"pkce-verifier-missing", "token request without code_verifier", ro, []string{"pkce.verifier_missing"},
			func(f *fixture) obj {
				tr := roTokenRequest()
				tr["params"] = fixtures.Without(tr["params"].(obj), "code_verifier")
				return roTokenCase(tr)
			}},
		{"pkce-verifier-malformed", "token request with a code_verifier that is too short", ro, []string{"pkce.verifier_malformed"},
			func(f *fixture) obj {
				tr := roTokenRequest()
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", "abc")
				return roTokenCase(tr)
			}},
		{"pkce-verifier-mismatch", "token request with a code_verifier that does not match", ro, []string{"pkce.verifier_mismatch"},
			func(f *fixture) obj {
				tr := roTokenRequest()
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", strings.Repeat("a", 43))
				return roTokenCase(tr)
			}},
		{"pkce-verifier-unexpected", "code_verifier for a code issued without a code_challenge (PKCE downgrade)", rw, []string{"pkce.verifier_unexpected"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "code_verifier", fixtures.Verifier)
				return f.rwTokenCase(tr)
			}},
		{"response-type-missing", "request without response_type", rw, []string{"parameter.missing", "response_type.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.Without(f.RWOutside(), "response_type"), f.Sign(fixtures.Without(f.RWClaims(), "response_type")))
			}},
		{"parameter-missing-scope-outside", "request object by value without scope as an OAuth parameter outside it", rw, []string{"parameter.missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.Without(f.RWOutside(), "scope"), f.Sign(f.RWClaims()))
			}},
		{"clock-now-missing", "a request checked at the zero time", rw, []string{"clock.now_missing"},
			func(f *fixture) obj {
				c := f.rwAuthCase(f.RWOutside(), f.Sign(f.RWClaims()))
				c["now"] = "0001-01-01T00:00:00Z"
				return c
			}},
		{"code-record-incomplete", "authorization record without the client it was issued to", rw, []string{"code.record_incomplete"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["authorization"] = fixtures.Without(f.RWRecord(), "client_id")
				return f.rwTokenCase(tr)
			}},
		{"response-type-not-allowed", "read-and-write request with response_type code and no JARM", rw, []string{"response_type.not_allowed", "response_type.unregistered"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "response_type", "code"), f.Sign(fixtures.With(f.RWClaims(), "response_type", "code")))
			}},
		{"response-type-unregistered", "read-only request with a response type the client did not register (nor the service lists)", ro, []string{"response_type.unregistered", "response_type.unsupported"},
			func(f *fixture) obj {
				return roAuthCase(fixtures.With(roParams(), "response_type", "code id_token token"))
			}},
		{"response-mode-query", "code id_token with response_mode query", rw, []string{"response_mode.not_allowed"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "response_mode", "query")))
			}},
		{"request-object-missing", "read-and-write request with every parameter in the query and no request object", rw, []string{"request_object.missing"},
			func(f *fixture) obj {
				p := obj{}
				for k, v := range f.RWClaims() {
					switch k {
					case "iss", "aud", "exp", "iat", "jti":
					case "claims":
						b, _ := json.Marshal(v)
						p[k] = string(b)
					default:
						p[k] = v
					}
				}
				return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "authorization_request": obj{"params": p}}
			}},
		{"request-object-request-and-uri", "request and request_uri together", rw, []string{"request_object.request_and_uri"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "request_uri", "https://client.example.org/ro/1"), f.Sign(f.RWClaims()))
			}},
		{"request-object-unresolved", "request_uri without the resolved object", rw, []string{"request_object.unresolved"},
			func(f *fixture) obj {
				return obj{"service": fixtures.ID2Service(), "client": f.RWClient(), "authorization_request": obj{"params": fixtures.With(f.RWOutside(), "request_uri", "https://client.example.org/ro/1")}}
			}},
		{"request-object-uri-not-https", "request_uri by reference that is an http URL; the caller resolved it anyway", rw, []string{"request_object.uri_not_https"},
			func(f *fixture) obj {
				c := f.rwCase()
				c["authorization_request"] = obj{
					"params":         fixtures.With(f.RWOutside(), "request_uri", "http://client.example.org/ro/1"),
					"request_object": f.Sign(f.RWClaims()),
				}
				return c
			}},
		{"request-object-malformed", "request parameter that is not a JWT", rw, []string{"request_object.malformed"},
			func(f *fixture) obj { return f.rwAuthCase(f.RWOutside(), "not-a-jwt") }},
		{"request-object-jwe", "request object in JWE (five-part) form", rw, []string{"request_object.malformed"},
			func(f *fixture) obj { return f.rwAuthCase(f.RWOutside(), "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d") }},
		{"request-object-duplicate-claim", "request object whose payload repeats a member name", rw, []string{"request_object.malformed"},
			func(f *fixture) obj {
				// A valid signature over an ambiguous payload is still refused.
				return f.rwAuthCase(f.RWOutside(), fixtures.SignRawPayload(f.Key, "PS256",
					`{"iss":"rw-client","aud":"`+fixtures.Issuer+`","exp":`+itoa(fixtures.Unix(5*time.Minute))+`,"scope":"openid payments","scope":"openid accounts"}`))
			}},
		{"request-object-unsigned", "request object with alg none", rw, []string{"request_object.unsigned"},
			func(f *fixture) obj { return f.rwAuthCase(f.RWOutside(), fixtures.Unsigned("none", f.RWClaims())) }},
		{"request-object-unsigned-uppercase", "request object with alg NONE", rw, []string{"request_object.unsigned"},
			func(f *fixture) obj { return f.rwAuthCase(f.RWOutside(), fixtures.Unsigned("NONE", f.RWClaims())) }},
		{"request-object-rs256", "request object signed with RS256", rw, []string{"request_object.alg_not_allowed"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.Key, "RS256", f.RWClaims(), nil))
			}},
		{"request-object-signature-invalid", "request object with a corrupted signature", rw, []string{"request_object.signature_invalid"},
			func(f *fixture) obj { return f.rwAuthCase(f.RWOutside(), fixtures.Tamper(f.Sign(f.RWClaims()))) }},
		{"request-object-other-client-key", "request object signed with another client's key under the same kid", rw, []string{"request_object.signature_invalid"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.other, "PS256", f.RWClaims(), nil))
			}},
		{"request-object-embedded-jwk", "request object signed with a key offered in its own jwk header", rw, []string{"request_object.signature_invalid"},
			func(f *fixture) obj {
				var jwk map[string]any
				raw := fixtures.JWKS(f.other)
				var set struct{ Keys []map[string]any }
				_ = json.Unmarshal(raw, &set)
				jwk = set.Keys[0]
				return f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.other, "PS256", f.RWClaims(), map[string]any{"jwk": jwk}))
			}},
		{"request-object-key-too-small", "request object verified by an RSA-1024 key", rw, []string{"client.key_too_small", "request_object.key_too_small"},
			func(f *fixture) obj {
				c := f.rwAuthCase(f.RWOutside(), fixtures.Sign(f.small, "PS256", f.RWClaims(), nil))
				c["client"] = fixtures.With(f.RWClient(), "jwks", fixtures.JWKS(f.small))
				return c
			}},
		{"request-object-exp-missing", "request object without exp", rw, []string{"request_object.exp_missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "exp")))
			}},
		{"request-object-expired", "request object that expired an hour ago", rw, []string{"request_object.expired"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "exp", fixtures.Unix(-time.Hour))))
			}},
		{"request-object-exp-string", "request object whose exp is a string", rw, []string{"request_object.malformed"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "exp", itoa(fixtures.Unix(5*time.Minute)))))
			}},
		{"request-object-not-yet-valid", "request object with nbf five minutes ahead", rw, []string{"request_object.not_yet_valid"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "nbf", fixtures.Unix(5*time.Minute))))
			}},
		{"request-object-iat-future", "request object issued five minutes in the future", rw, []string{"request_object.not_yet_valid"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "iat", fixtures.Unix(5*time.Minute))))
			}},
		{"request-object-aud-missing", "request object without aud", rw, []string{"request_object.aud_missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "aud")))
			}},
		{"request-object-aud-mismatch", "request object whose aud is another server", rw, []string{"request_object.aud_mismatch"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "aud", "https://other.example.com")))
			}},
		{"request-object-iss-mismatch", "request object whose iss is not the client", rw, []string{"request_object.iss_mismatch"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "iss", "someone-else")))
			}},
		{"request-object-client-id-mismatch", "request object naming another client_id", rw, []string{"request_object.client_id_mismatch", "request_object.param_mismatch"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "client_id", "someone-else")))
			}},
		{"request-object-param-missing", "state sent only outside the request object", rw, []string{"request_object.param_missing"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "state", "af0ifjsldkj"), f.Sign(fixtures.Without(f.RWClaims(), "state")))
			}},
		{"request-object-param-mismatch", "different nonce inside and outside the request object", rw, []string{"request_object.param_mismatch"},
			func(f *fixture) obj {
				return f.rwAuthCase(fixtures.With(f.RWOutside(), "nonce", "other-nonce"), f.Sign(f.RWClaims()))
			}},
		{"request-object-too-large", "request object over 64 KiB", rw, []string{"request_object.too_large"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "padding", strings.Repeat("x", 70000))))
			}},
		{"claims-malformed", "claims parameter whose id_token member is not an object", rw, []string{"claims.malformed", "claims.acr_not_essential"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "claims", obj{"id_token": "acr"})))
			}},
		{"claims-acr-not-essential", "claims parameter requesting acr without essential", rw, []string{"claims.acr_not_essential"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "claims", obj{"id_token": obj{"acr": obj{"values": []string{fixtures.ACRValue}}}})))
			}},
		{"claims-acr-unsupported", "essential acr whose only requested value the service does not support", rw, []string{"claims.acr_unsupported"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "claims", obj{"id_token": obj{"acr": obj{"essential": true, "values": []string{"urn:example:loa:unknown"}}}})))
			}},
		{"valid-rw-acr-one-value-supported", "essential acr with two values, one of them supported", rw, nil,
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.With(f.RWClaims(), "claims", obj{"id_token": obj{"acr": obj{"essential": true, "values": []string{"urn:example:loa:unknown", fixtures.ACRValue}}}})))
			}},
		{"claims-missing", "read-and-write request object without a claims parameter", rw, []string{"claims.acr_not_essential"},
			func(f *fixture) obj {
				return f.rwAuthCase(f.RWOutside(), f.Sign(fixtures.Without(f.RWClaims(), "claims")))
			}},

		// --- token request ---------------------------------------------
		{"client-auth-method-not-allowed-token", "token request from a client registered with client_secret_basic", rw,
			[]string{"client.auth_method_not_allowed", "client_auth.method_not_allowed"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion", nil, "client_assertion_type", nil, "client_secret", "s3cret")
				c := f.rwTokenCase(tr)
				c["client"] = fixtures.With(f.RWClient(), "token_endpoint_auth_method", "client_secret_basic", "token_endpoint_auth_signing_alg", nil)
				return c
			}},
		{"client-auth-method-mismatch", "private_key_jwt client also sending client_secret", rw, []string{"client_auth.method_mismatch"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_secret", "s3cret")
				return f.rwTokenCase(tr)
			}},
		{"client-auth-client-id-mismatch", "token request whose client_id differs from the authenticated client", rw, []string{"client_auth.client_id_mismatch"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_id", "someone-else")
				return f.rwTokenCase(tr)
			}},
		{"client-assertion-missing", "private_key_jwt client without client_assertion", rw, []string{"client_assertion.missing"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.Without(tr["params"].(obj), "client_assertion")
				return f.rwTokenCase(tr)
			}},
		{"client-assertion-type-invalid", "client_assertion_type that is not jwt-bearer", rw, []string{"client_assertion.type_invalid"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "client_assertion_type", "urn:example:other")
				return f.rwTokenCase(tr)
			}},
		{"client-assertion-too-large", "client assertion over 64 KiB", rw, []string{"client_assertion.too_large"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "padding", strings.Repeat("x", 70000))))
			}},
		{"client-assertion-malformed", "client assertion that is not a JWT", rw, []string{"client_assertion.malformed"},
			func(f *fixture) obj { return f.rwTokenCase(f.RWTokenWith("abc.def")) }},
		{"client-assertion-rs256", "client assertion signed with RS256", rw, []string{"client_assertion.alg_not_allowed"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWTokenWith(fixtures.Sign(f.Key, "RS256", f.AssertionClaims(fixtures.TokenEndpoint), nil)))
			}},
		{"client-assertion-unsigned", "client assertion with alg none", rw, []string{"client_assertion.alg_not_allowed"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWTokenWith(fixtures.Unsigned("none", f.AssertionClaims(fixtures.TokenEndpoint))))
			}},
		{"client-assertion-hs256-confusion", "client assertion HMAC-signed with the client's public key bytes", rw, []string{"client_assertion.alg_not_allowed"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWTokenWith(fixtures.SignHMAC(fixtures.JWKS(f.Key), "HS256", f.AssertionClaims(fixtures.TokenEndpoint))))
			}},
		{"client-assertion-signature-invalid", "client assertion with a corrupted signature", rw, []string{"client_assertion.signature_invalid"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWTokenWith(fixtures.Tamper(fixtures.Sign(f.Key, "PS256", f.AssertionClaims(fixtures.TokenEndpoint), nil))))
			}},
		{"client-assertion-key-too-small", "client assertion verified by an RSA-1024 key", rw, []string{"client.key_too_small", "client_assertion.key_too_small"},
			func(f *fixture) obj {
				c := f.rwTokenCase(f.RWTokenWith(fixtures.Sign(f.small, "PS256", f.AssertionClaims(fixtures.TokenEndpoint), nil)))
				c["client"] = fixtures.With(f.RWClient(), "jwks", fixtures.JWKS(f.small))
				return c
			}},
		{"client-assertion-exp-missing", "client assertion without exp", rw, []string{"client_assertion.exp_missing"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.Without(f.AssertionClaims(fixtures.TokenEndpoint), "exp")))
			}},
		{"client-assertion-expired", "client assertion that expired five minutes ago", rw, []string{"client_assertion.expired"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "exp", fixtures.Unix(-5*time.Minute))))
			}},
		{"client-assertion-exp-too-far", "client assertion expiring in a year: its jti would be held that long (RFC 7523 §3 item 4)", rw, []string{"client_assertion.exp_too_far"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "exp", fixtures.Unix(365*24*time.Hour))))
			}},
		{"valid-client-assertion-exp-an-hour", "client assertion expiring exactly an hour from now, the longest accepted", rw, nil,
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "exp", fixtures.Unix(time.Hour))))
			}},
		{"client-assertion-not-yet-valid", "client assertion issued five minutes in the future", rw, []string{"client_assertion.not_yet_valid"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "iat", fixtures.Unix(5*time.Minute))))
			}},
		{"client-assertion-aud-mismatch", "client assertion for another server", rw, []string{"client_assertion.aud_mismatch"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "aud", "https://other.example.com/token")))
			}},
		{"client-assertion-iss-mismatch", "client assertion whose iss is another client", rw, []string{"client_assertion.iss_mismatch"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.With(f.AssertionClaims(fixtures.TokenEndpoint), "iss", "someone-else")))
			}},
		{"client-assertion-sub-missing", "client assertion without sub", rw, []string{"client_assertion.sub_mismatch"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.Without(f.AssertionClaims(fixtures.TokenEndpoint), "sub")))
			}},
		{"client-assertion-jti-missing", "client assertion without jti", rw, []string{"client_assertion.jti_missing"},
			func(f *fixture) obj {
				return f.rwTokenCase(f.RWToken(fixtures.Without(f.AssertionClaims(fixtures.TokenEndpoint), "jti")))
			}},
		{"mtls-certificate-missing", "certificate-bound client without a TLS client certificate at the token endpoint", rw, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				delete(tr, "client_certificate")
				return f.rwTokenCase(tr)
			}},
		{"mtls-certificate-missing-tls-client-auth", "tls_client_auth client without a TLS client certificate", rw, []string{"mtls.certificate_missing"},
			func(f *fixture) obj {
				c := f.rwTokenCase(obj{
					"params":        obj{"grant_type": "authorization_code", "code": "SplxlOBeZQQYbYS6WxSbIA", "redirect_uri": fixtures.RedirectURI, "client_id": fixtures.RWClientID},
					"authorization": f.RWRecord(),
				})
				c["client"] = fixtures.With(f.RWClient(), "token_endpoint_auth_method", "tls_client_auth",
					"tls_client_auth_subject_dn", "CN=rw-client.example.org,O=Example Client,C=GB", "token_endpoint_auth_signing_alg", nil)
				return c
			}},
		{"mtls-certificate-mismatch", "tls_client_auth client presenting someone else's certificate", rw, []string{"mtls.certificate_mismatch"},
			func(f *fixture) obj {
				c := f.rwTokenCase(obj{
					"params":             obj{"grant_type": "authorization_code", "code": "SplxlOBeZQQYbYS6WxSbIA", "redirect_uri": fixtures.RedirectURI, "client_id": fixtures.RWClientID},
					"client_certificate": f.otherCert.CertPEM(),
					"authorization":      f.RWRecord(),
				})
				c["client"] = fixtures.With(f.RWClient(), "token_endpoint_auth_method", "tls_client_auth",
					"tls_client_auth_subject_dn", "CN=rw-client.example.org,O=Example Client,C=GB", "token_endpoint_auth_signing_alg", nil)
				return c
			}},
		{"redirect-uri-mismatch", "token request with a redirect_uri other than the authorization's", rw, []string{"redirect_uri.mismatch"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "redirect_uri", "https://client.example.org/other")
				return f.rwTokenCase(tr)
			}},
		{"grant-type-missing", "token request without grant_type", rw, []string{"grant_type.missing"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.Without(tr["params"].(obj), "grant_type")
				return f.rwTokenCase(tr)
			}},
		{"grant-type-unsupported", "token request with grant_type password", rw, []string{"grant_type.unsupported"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.With(tr["params"].(obj), "grant_type", "password")
				return f.rwTokenCase(tr)
			}},
		{"code-missing", "token request without code", rw, []string{"code.missing"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["params"] = fixtures.Without(tr["params"].(obj), "code")
				return f.rwTokenCase(tr)
			}},
		{"code-record-missing", "token request checked without the authorization record", rw, []string{"code.record_missing"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				delete(tr, "authorization")
				c := f.rwTokenCase(tr)
				c["client"] = fixtures.With(f.RWClient(), "scope", "openid payments")
				return c
			}},
		{"code-client-mismatch", "code issued to another client", rw, []string{"code.client_mismatch"},
			func(f *fixture) obj {
				tr := f.RWToken(f.AssertionClaims(fixtures.TokenEndpoint))
				tr["authorization"] = fixtures.With(f.RWRecord(), "client_id", "someone-else")
				return f.rwTokenCase(tr)
			}},
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
