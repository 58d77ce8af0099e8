package clientassertion_test

import (
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
)

func ExampleVerify() {
	// The client's registered key (a server keeps the parsed *jwks.Set).
	// fapitest signs as the client would (the library itself never signs).
	priv, err := fapitest.NewKey("ES256")
	if err != nil {
		panic(err)
	}
	keys, err := jwks.FromPublicKeys(priv.Public())
	if err != nil {
		panic(err)
	}

	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	rules := clientassertion.Rules{
		Type:        clientassertion.TypeJWTBearer, // the client_assertion_type sent
		Algorithms:  []string{"PS256", "ES256"},
		ClientID:    "s6BhdRkqt3",
		Audiences:   []string{"https://as.example.com", "https://as.example.com/token"},
		ClockSkew:   10 * time.Second,
		KeyMinimums: keysize.FAPI1Minimums(),
	}
	claims := fapitest.Claims{
		"iss": "s6BhdRkqt3",
		"sub": "s6BhdRkqt3",
		"aud": "https://as.example.com/token",
		"jti": "8f2d1c7e",
		"iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(),
	}

	a, errs := clientassertion.Verify(fapitest.Must(fapitest.ClientAssertion(priv, claims)), keys, rules, now)
	fmt.Println(len(errs), a.Algorithm)
	// Replay detection is the caller's: remember the jti until it expires.
	fmt.Println("remember", a.JWTID, "until", a.Expiry.Format(time.RFC3339))

	// Issued for another client, and without a jti: every broken rule is
	// listed.
	claims["sub"] = "other-client"
	delete(claims, "jti")
	_, errs = clientassertion.Verify(fapitest.Must(fapitest.ClientAssertion(priv, claims)), keys, rules, now)
	for _, e := range errs {
		fmt.Println("client_assertion." + string(e.Reason))
	}
	// Output:
	// 0 ES256
	// remember 8f2d1c7e until 2024-05-01T12:01:00Z
	// client_assertion.sub_mismatch
	// client_assertion.jti_missing
}
