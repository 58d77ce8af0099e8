// Package fapifosite puts the fapicheck library in front of an
// ory/fosite OAuth2Provider, so that a fosite server enforces the FAPI
// security profiles (FAPI 1.0, FAPI 2.0 Security Profile and Message
// Signing) at its pushed authorization (RFC 9126), authorization (RFC 6749
// §4.1.1) and token (RFC 6749 §4.1.3, §6) endpoints.
//
// A Provider is a fosite.OAuth2Provider: a server built on fosite uses it
// where it used fosite's, with the same methods. Each request goes to the
// library's fapi.Checker first; a request the library refuses never
// reaches fosite, and the error answered is fosite's RFC 6749 error for
// the first violation (RFC6749Error), written by fosite, with the
// DPoP-Nonce header a use_dpop_nonce error needs (RFC 9449 §8). A request
// the library accepts goes to fosite with exactly the parameters the
// library validated, and fosite issues and stores request_uris, codes and
// tokens as it does.
//
// The library decides:
//
//   - client authentication, with one verifier: New installs the
//     Provider's fosite.ClientAuthenticationStrategy, which hands fosite the
//     client the library authenticated, so fosite's own checks of client
//     assertions (aud only the token URL, its algorithms) never run, and the
//     profile's rules apply (aud the issuer under FAPI 2.0, PS256/ES256, a
//     jti used once through the Checker's store);
//   - PKCE, request objects, redirect URIs, scopes and every other rule of
//     the profile the scopes select;
//   - DPoP proofs (RFC 9449) and TLS client certificates (RFC 8705): the
//     code is bound to the DPoP key of the pushed request, the tokens to
//     the proof's key (token_type DPoP) or the certificate, and the binding
//     of every token is kept, for the next refresh and for the resource
//     check point (AccessTokenRecord).
//
// fosite still does what it does after validation: it looks clients up,
// stores and expires pushed requests, codes and tokens, checks the code and
// PKCE verifier again, issues the tokens and the ID token, and writes the
// responses. The caller provides the fosite provider and its storage, a
// fapi.Checker with a store (fapi.WithStore, shared by every instance), a
// Records store shared by every instance (MemoryRecords for one), and
// login and consent between NewAuthorizeRequest and NewAuthorizeResponse.
//
// The Provider reads requests with a fapihttp.Reader (Config.Reader): form
// bodies of application/x-www-form-urlencoded only, bounded, a repeated
// parameter refused; HTTP Basic credentials; the TLS client certificate
// (or a trusted proxy's header); the DPoP header values; and the URL a DPoP
// proof must name. fosite then reads exactly the parameters the library
// validated: no query parameter of a POST, no multipart body reaches it.
package fapifosite
