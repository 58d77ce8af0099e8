// Package keysize checks that public keys used with JOSE (for example for
// client authentication, request objects and signed responses) are
// well-formed and at least as large as a Financial-grade API profile
// requires.
//
// # Enforced clauses
//
//   - FAPI 1.0 (Implementer's Draft 2 "Read-Only" profile and Final
//     Baseline profile), FAPI-R-5.2.2-5 / FAPI1-BASE-5.2.2-5: RSA keys have
//     a minimum size of 2048 bits ([MinRSAFAPI1]).
//   - FAPI-R-5.2.2-6 / FAPI1-BASE-5.2.2-6: elliptic curve keys have a
//     minimum size of 160 bits ([MinECFAPI1]).
//   - FAPI 2.0 Security Profile (Final), FAPI2-SP-5.4.1-2: RSA keys have a
//     minimum length of 2048 bits ([MinRSAFAPI2]).
//   - FAPI2-SP-5.4.1-3: elliptic curve keys have a minimum length of 224
//     bits ([MinECFAPI2]).
//
// [FAPI1Minimums] and [FAPI2Minimums] bundle these values for [Check].
//
// # What is measured
//
// The size of an RSA key is the bit length of its modulus. The size of an
// elliptic curve key is the bit size of the curve's underlying field
// (256 for P-256, 384 for P-384, 521 for P-521). Ed25519 keys (JWK key
// type "OKP") are elliptic curve keys on a 255-bit field conventionally
// reported as 256 bits; [Check] compares them with the elliptic curve
// minimum.
//
// # Beyond size
//
// A size check is only meaningful for a well-formed key, so [Check] also
// rejects keys that are structurally unsafe or that JOSE cannot use: RSA
// keys with a missing, non-positive or even modulus, or a public exponent
// that is even, below 3 or above 2^31-1; elliptic curve keys on a curve
// other than P-256, P-384 and P-521 (the curves of ES256, ES384 and
// ES512), with missing coordinates, or whose point is not on the curve;
// and Ed25519 keys that are not 32 bytes long. Private keys are rejected
// as unsupported: callers pass the public half.
//
// # Errors
//
// A key below its minimum yields a [*TooSmallError]; any other refusal a
// [*KeyError]. Both carry the key's [Kind] when the value is a supported
// public key type, and [KindOf] reads it from an error however wrapped, so
// that a caller citing the RSA or the elliptic curve clause never parses a
// message.
//
// Which algorithms a profile permits (for example PS256, ES256 and EdDSA
// in the FAPI 2.0 Security Profile) is a separate decision that this
// package does not make.
package keysize
