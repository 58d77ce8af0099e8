package pkce_test

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/pkce"
)

func ExampleVerify() {
	// Values from RFC 7636 Appendix B. The authorization request carried
	// the challenge and method; the token request carries the verifier.
	const (
		challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
		method    = pkce.MethodS256
		verifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	)
	fmt.Println(pkce.Verify(verifier, challenge, method))

	err := pkce.Verify("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", challenge, method)
	fmt.Println(errors.Is(err, pkce.ErrMismatch))
	// Output:
	// <nil>
	// true
}

func ExampleValidateChallenge() {
	// A FAPI authorization server applies its policy first ...
	method := ""
	if method != pkce.MethodS256 {
		fmt.Println("FAPI requires code_challenge_method=S256")
	}

	// ... and uses ValidateChallenge for the syntax.
	fmt.Println(pkce.ValidateChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", pkce.MethodS256))

	// Non-canonical: the final character carries bits a SHA-256 digest cannot set.
	err := pkce.ValidateChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN", pkce.MethodS256)
	fmt.Println(err)

	err = pkce.ValidateChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "s256")
	fmt.Println(errors.Is(err, pkce.ErrMethodUnsupported))
	// Output:
	// FAPI requires code_challenge_method=S256
	// <nil>
	// pkce: malformed code_challenge: non-canonical base64url encoding of a SHA-256 digest
	// true
}

func ExampleS256Challenge() {
	fmt.Println(pkce.S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	// Output:
	// E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
}

func ExampleValidateVerifier() {
	fmt.Println(pkce.ValidateVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	fmt.Println(pkce.ValidateVerifier("too-short"))
	// Output:
	// <nil>
	// pkce: malformed code_verifier: length 9, want 43 to 128 characters
}
