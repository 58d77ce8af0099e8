// Package fapitest makes what a FAPI client sends, for the tests of an
// authorization server: keys and their JWK Sets, signed request objects,
// client assertions and DPoP proofs, and complete valid requests under
// each FAPI profile together with named broken variants of them.
//
// Everything is made fresh, for the issuer, client, keys and time the
// caller gives, so the requests can be sent to a live server as well as
// handed to the checks of package fapi.
//
// Signing uses the Go standard library alone (crypto/rsa, crypto/ecdsa,
// crypto/ed25519, crypto/hmac; RFC 7515, RFC 7518 §3): the verifying side
// of this module goes through its JOSE package, so what it verifies in its
// own tests is produced by an independent implementation. The package is
// meant for tests; no check of the library imports it.
//
// The layers, from the bottom:
//
//   - Key: a signing key (NewKey, NewKeyFromSigner, NewSecretKey) with its
//     kid, alg and public JWK (RFC 7517) or JWK Set; its RFC 7638
//     thumbprint; NewClientCertificate for mTLS (RFC 8705).
//   - SignJWT and SignPayload: a compact JWS (RFC 7515 §7.1) with any
//     protected header members; Unsigned makes the "alg":"none" attack.
//   - RequestObject, ClientAssertion and DPoPProof: the claims a valid
//     request object (OIDC Core §6.1, RFC 9101), client assertion (RFC
//     7523 §3) or DPoP proof (RFC 9449 §4.2) needs, signed.
//   - Flow: for a service, a client and a FAPI profile, the valid pushed
//     authorization, authorization and token requests of one
//     authorization code flow, and its Variants, each breaking one clause.
package fapitest
