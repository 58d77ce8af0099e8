// Package attacks is a catalogue of attacks on the three JWS carriers the
// library verifies — request objects at the authorization endpoint,
// private_key_jwt client assertions at the token endpoint and DPoP proofs at
// the token endpoint — written as case files (testdata/attacks, the format
// of package casefile) with the violations each must produce.
//
// The catalogue covers: alg none in any letter case; HS256/384/512 keyed
// with the bytes of the client's public key (PEM, DER, JWK JSON); jwk, jku,
// x5u and x5c headers offering another key, and a kid naming another
// client's key; crit with an unknown extension and b64 false; JWE and the
// JSON serializations where a compact JWS is expected; ECDSA signatures with
// r = s = 0, r or s ≥ n, DER instead of R‖S and the wrong length; RSA keys of
// 2047 and 1024 bits, a tiny modulus and the public exponent 1; P-224 and
// secp256k1 keys; duplicate member names in the header or the claims
// (also nested, and spelt with an escape); exp, nbf and iat as strings,
// fractions, negative numbers, 1e300 and null; aud as a number, an object
// and an empty array; non-canonical base64url (padding, trailing bits, the
// standard alphabet, a line break); invalid UTF-8; deeply nested JSON; and
// tokens of exactly the size limit and one byte over it.
//
// Every attack is a mutation of a valid baseline (a FAPI 1.0 read-write
// service and private_key_jwt client for request objects and client
// assertions, a FAPI 2.0 service with a DPoP-bound client for DPoP proofs),
// and changes only the token, plus the client's registered key where the
// attack is a weak registered key. The expected violations are declared in
// the catalogue from the standards and the library's documentation, never
// recorded from its output, so the tests can fail. testdata/attacks/README.md
// lists every attack with the codes declared for each carrier.
//
// Keys and signatures are generated fresh each time. The case files and
// the README are regenerated, with the module's other generated files, by
//
//	go generate ./...
//
// (or only these: go run ./internal/generate attacks). TestGenerated
// checks that the committed files are exactly the catalogue (same file
// names, same declared expectations; the tokens themselves are never
// compared). TestAttacks runs every committed
// case: it must load, run without panicking, be refused with exactly the
// declared codes, and the first violation of the endpoint's own check must
// carry the OAuth error the server has to answer with (invalid_request_object,
// invalid_client, invalid_dpop_proof).
package attacks
