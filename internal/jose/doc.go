// Package jose is the library's single door to JOSE (RFC 7515 JWS, RFC 7517
// JWK, RFC 7519 JWT). Request objects, client assertions and DPoP proofs all
// pass through the same strict steps, written once here:
//
//  1. a size limit, checked before anything is decoded;
//  2. compact serialization only: exactly three base64url segments, so JWE
//     (five segments) and the JSON serializations are refused;
//  3. strict base64url (RFC 7515 §2: no padding, no '+' or '/', no line
//     breaks, canonical trailing bits);
//  4. a protected header that is one JSON object with no duplicate member
//     names (RFC 7515 §4), no "crit" (this package understands no extension,
//     so RFC 7515 §4.1.11 requires refusal), no "b64" (RFC 7797) and no JWE
//     members ("enc", "zip");
//  5. "alg":"none" in any letter case refused as unsigned (RFC 8725 §3.2);
//  6. the algorithm checked against the caller's allow-list before any key is
//     touched (RFC 8725 §3.1), then the signature verified only against keys
//     the caller chose — header members that name or carry keys ("jwk", "jku",
//     "x5u", "x5c", "x5t") are never used to find a key;
//  7. claims decoded into typed values with duplicate members refused.
//
// It is the only package of the module that imports
// github.com/lestrrat-go/jwx, and no jwx type appears in its API, so the JOSE
// implementation can be upgraded by touching this folder alone.
package jose
