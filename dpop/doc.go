// Package dpop validates DPoP proofs (RFC 9449, OAuth 2.0 Demonstrating
// Proof of Possession) at the token and pushed authorization request
// endpoints, where FAPI 2.0 uses them to sender-constrain tokens
// (FAPI2-SP-5.3.2.1-4, -5) and to bind the authorization code to the
// client's key (FAPI2-SP-5.3.2.1-12).
//
// # What Verify checks
//
// Verify applies the checks of RFC 9449 §4.3 in this order, collecting
// every problem it finds; it stops only where the later checks would be
// meaningless (nothing in a proof whose signature does not verify is
// trusted):
//
//  1. Exactly one DPoP header field (item 1): none, or one empty value, is
//     "missing"; two or more are "malformed" — even if they are equal.
//  2. The size limit (Rules.MaxSize, 64 KiB by default), before anything is
//     decoded ("too_large").
//  3. One well-formed compact JWS (item 2): strict base64url, one JSON
//     header without duplicate members, no "crit" or "b64" ("malformed");
//     "alg":"none" in any letter case is "alg_not_allowed".
//  4. "typ" is exactly "dpop+jwt" (item 4, "typ_invalid"): the media type is
//     compared as the exact string RFC 9449 §4.2 prescribes, so neither
//     "DPoP+JWT" nor "application/dpop+jwt" is accepted.
//  5. "alg" is an asymmetric signature algorithm this library implements and
//     is in Rules.Algorithms (item 5, "alg_not_allowed"); HS256/384/512 and
//     none are refused whatever the allow-list says. This is decided before
//     the key is used.
//  6. The "jwk" header member is present ("malformed" when not) and is one
//     public JWK, parsed with the same rules as a registered key set (RSA up
//     to 8192 bits, EC P-256/P-384/P-521, Ed25519 that is not a small-order
//     point). A JWK with private or symmetric members ("d", "p", "q", "dp",
//     "dq", "qi", "oth", "k") is "jwk_private" (item 7); any other defect
//     is "malformed". The JWK's "kid", "alg", "use" and "key_ops" members
//     are not consulted: the key is self-asserted, so they restrict nothing
//     an attacker could not simply leave out.
//  7. The key suits the algorithm (an RSA key for PS256, a P-256 key for
//     ES256, an Ed25519 key for EdDSA) and the signature verifies with it
//     (item 6, "signature_invalid"). A proof that fails here is not looked
//     at further, and Verify returns no Proof.
//  8. The claims decode strictly: one JSON object, no duplicate members,
//     no null value, the RFC 7519 types for jti, iat, exp and nbf, strings for
//     htm, htu, ath and nonce ("malformed"; Verify then returns no Proof).
//  9. jti is present and not empty (item 3, "jti_missing").
//  10. htm equals Rules.Method exactly, letter case included (item 8,
//     "htm_mismatch"; a missing htm is reported with the same reason).
//  11. htu equals Rules.URL ignoring query and fragment (item 9,
//     "htu_mismatch"). Both must be absolute URIs with an authority and no
//     user information, made of URI characters only, query and fragment
//     included (RFC 3986 §2: no space, control or non-ASCII character, no
//     malformed percent-encoding). The scheme and host are compared
//     case-insensitively (ASCII), a port equal to the scheme's default (80
//     for http, 443 for https) counts as absent, and an empty path counts
//     as "/" (RFC 3986 §6.2.2.1, §6.2.3); the path is otherwise compared
//     exactly: no percent-decoding and no dot-segment removal. A proof is
//     thus never accepted for a different URI, at the price of refusing an
//     unusually spelled one.
//  12. iat is present ("malformed" otherwise: RFC 9449 §4.2 requires it) and
//     within the window of item 11 and §11.1: at most Rules.ClockSkew in the
//     future ("iat_in_future"; FAPI2-SP-5.3.2.1-13 asks for a skew between 10
//     and 60 seconds) and at most Rules.MaxAge in the past
//     ("iat_too_old"). The past window is computed exactly, with no skew
//     added. When the proof also carries exp or nbf they are honoured: an
//     exp at or before now is "iat_too_old", an nbf beyond the skew is
//     "iat_in_future" (with Claim "exp" or "nbf").
//  13. ath (item 12): at the token and PAR endpoints (Rules.AccessToken
//     empty) an ath claim is refused ("ath_present"); at a resource
//     (Rules.AccessToken set) it must equal the base64url SHA-256 of the
//     access token ("ath_mismatch").
//  14. nonce (item 10; §8 at the authorization server, §9 at a resource):
//     when Rules.NonceRequired is set, a proof without a nonce claim is
//     "nonce_missing"; when Rules.Nonce is set (or a nonce is required), a
//     nonce claim that is empty, outside RFC 9449 §8.1's NQCHAR grammar or
//     not accepted by Rules.Nonce is "nonce_invalid" — required or not: a
//     client that sends a nonce must send a good one. A required nonce
//     without a checker fails closed: every nonce is then invalid. The
//     server answers either reason with the use_dpop_nonce error
//     (ErrorUseNonce) and a fresh nonce in the DPoP-Nonce header
//     (NonceHeaderName); a resource server with UseNonceChallenge.
//  15. Replay (item 11, §11.1): when Rules.Replay is set and every other
//     check passed, the key JKT ":" jti is recorded until iat + MaxAge +
//     ClockSkew; a key already present is "replayed", and so is any error
//     of the cache (fail closed). A refused proof never reaches the cache, so
//     it neither uses up a jti nor lets a far-future iat fill the cache.
//
// # What is left to the caller
//
// Issuing nonces is the caller's: Rules.Nonce only decides whether a nonce
// claim is acceptable. Package dpopnonce issues and checks nonces without
// storage (a secret shared by the server's instances and a time window);
// a server with its own nonce store implements NonceChecker. Without
// Rules.Nonce, Proof.Nonce carries the nonce claim for the caller to
// compare. When Rules.Replay is nil, replay detection is the
// caller's: Proof.ReplayChecked is false, and Proof.ReplayKey and
// Proof.ReplayUntil say what to record. Binding the proof to an
// authorization code or a pushed request (dpop_jkt, RFC 9449 §10 and §10.1;
// FAPI2-SP-5.3.2.1-12) and, at a resource, to the access token's cnf.jkt
// (item 12) is done with MatchJKT. The size of an RSA key is not checked
// here; pass Proof.PublicKey to package keysize when the profile sets a
// minimum (FAPI2-SP-5.4.1-2).
//
// The library keeps no state: the replay cache is the caller's, behind the
// small ReplayCache interface.
package dpop
