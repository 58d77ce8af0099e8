// Package pkce validates Proof Key for Code Exchange (PKCE, RFC 7636)
// parameters: the code_verifier sent in the token request, the
// code_challenge and code_challenge_method sent in the authorization
// request, and whether the two match.
//
// # Enforced clauses
//
//   - RFC 7636 §4.1: a code_verifier is 43 to 128 characters from the
//     unreserved set [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
//     ([ValidateVerifier]).
//   - RFC 7636 §4.2: the S256 code_challenge is
//     BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) without padding
//     ([S256Challenge]); [ValidateChallenge] accepts only challenges that
//     this transformation can produce: exactly 43 base64url characters
//     whose final character has its two low-order bits clear.
//   - RFC 7636 §4.2, §4.3: the plain code_challenge equals the verifier, so
//     it has the verifier's syntax; an absent code_challenge_method means
//     "plain". Method names are case-sensitive, so "s256" is not S256.
//   - RFC 7636 §4.6: the server recomputes the challenge from the
//     code_verifier using the stored method and compares it with the
//     stored code_challenge ([Verify]). The comparison runs in constant
//     time with respect to the challenge contents.
//
// # Policy
//
// FAPI profiles require PKCE with S256 as the code challenge method (FAPI
// 1.0 Baseline FAPI1-BASE-5.2.2-7; FAPI 1.0 Advanced FAPI1-ADV-5.2.2-18 for
// pushed authorization requests; the FAPI 2.0 Security Profile's
// requirements for flows using the authorization endpoint). They therefore
// reject "plain", and also an absent method, which RFC 7636 §4.3 defines
// to mean "plain". That decision belongs to callers: this package reports
// facts (for example that "" is treated as [MethodPlain]) and never
// applies a profile by itself.
//
// Errors returned by this package never include the verifier or the
// challenge, so they are safe to log.
package pkce
