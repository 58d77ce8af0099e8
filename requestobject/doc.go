// Package requestobject validates request objects: signed JWTs that carry
// authorization request parameters (OpenID Connect Core §6, RFC 9101 "JAR").
//
// Verify checks, in order and collecting every problem it finds:
//
//   - the size limit, compact JWS form, strict base64url and JSON, and that
//     the object is signed ("alg":"none" is refused as unsigned);
//   - the algorithm: it must be in the profile's allow-list (PS256 or ES256
//     under FAPI-RW-8.6-1) and equal to the client's registered
//     request_object_signing_alg when there is one (OIDC Registration §2);
//   - the signature, only against the client's registered keys
//     (JAR §6.2), and the size of the key that verified it (FAPI-R-5.2.2-5,
//     -6); a header "jwk", "jku", "x5u" or "x5c" is never used;
//   - the claims: exp (required under FAPI-RW-5.2.2-13; never past), nbf
//     and iat (not beyond the clock skew in the future), aud (the
//     authorization server's issuer, or an array containing it), iss and
//     client_id (equal to the client's identifier when present), no nested
//     request or request_uri (OIDC Core §6.1), and the JSON type of the
//     standard authorization parameters.
//
// If the object cannot be parsed, is unsigned, uses a forbidden algorithm,
// or its signature does not verify with a key of sufficient size, Verify
// returns no Object: an unverifiable object's claims are never trusted, so
// nothing inside it is checked further.
//
// CompareOutside implements FAPI-RW-5.2.2-10 (every parameter sent outside
// the object must be inside it with the same value), and ParseClaims parses
// the OIDC "claims" parameter (OIDC Core §5.5) to find an essential acr
// request (FAPI-RW-5.2.3-3).
package requestobject
