package requestobject_test

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/requestobject"
)

func ExampleVerify() {
	// The client's registered key. A server parses the client's JWK Set
	// once (jwks.Parse) and keeps the *jwks.Set.
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
	rules := requestobject.Rules{ // FAPI 1.0 Advanced
		Algorithms:  []string{"PS256", "ES256"},
		Issuer:      "https://as.example.com",
		ClientID:    "s6BhdRkqt3",
		RequireExp:  true,
		RequireNbf:  true,
		RequireAud:  true,
		MaxLifetime: time.Hour,
		MaxNbfAge:   time.Hour,
		ClockSkew:   10 * time.Second,
		KeyMinimums: keysize.FAPI1Minimums(),
	}
	claims := fapitest.Claims{
		"iss":           "s6BhdRkqt3",
		"aud":           "https://as.example.com",
		"client_id":     "s6BhdRkqt3",
		"response_type": "code id_token",
		"scope":         "openid accounts",
		"state":         "af0ifjsldkj",
		"nbf":           now.Unix(),
		"exp":           now.Add(5 * time.Minute).Unix(),
	}

	obj, errs := requestobject.Verify(fapitest.Must(fapitest.RequestObject(priv, claims)), keys, rules, now)
	fmt.Println("valid:", obj.Algorithm, len(errs))
	scope, _ := obj.Param("scope")
	fmt.Println("scope:", scope.Value)
	for _, e := range obj.CompareOutside(url.Values{"client_id": {"s6BhdRkqt3"}, "state": {"tampered"}}) {
		fmt.Println("outside:", string(e.Reason), e.Claim)
	}

	// Signed, but expired and meant for another server: the object comes
	// back (its signature verified) with every broken rule.
	claims["exp"] = now.Unix()
	claims["aud"] = "https://other.example.com"
	obj, errs = requestobject.Verify(fapitest.Must(fapitest.RequestObject(priv, claims)), keys, rules, now)
	for _, e := range errs {
		fmt.Println("request_object."+string(e.Reason), e.Claim, obj != nil)
	}

	// "alg":"none" is never accepted, and nothing inside is looked at.
	unsigned := fapitest.Must(fapitest.Unsigned(fapitest.Claims{}))
	obj, errs = requestobject.Verify(unsigned, keys, rules, now)
	fmt.Println(obj == nil, errors.Is(errs[0], requestobject.ReasonUnsigned))
	// Output:
	// valid: ES256 0
	// scope: openid accounts
	// outside: param_mismatch state
	// request_object.expired exp true
	// request_object.aud_mismatch aud true
	// true true
}

func ExampleParseClaims() {
	c, err := requestobject.ParseClaims([]byte(`{"id_token":{"acr":{"essential":true,"values":["urn:mace:incommon:iap:silver"]}}}`))
	fmt.Println(err, c.EssentialIDTokenClaim("acr"), c.IDToken["acr"].Values)

	_, err = requestobject.ParseClaims([]byte(`{"id_token":{"acr":{"essential":"true"}}}`))
	fmt.Println(errors.Is(err, requestobject.ErrClaimsMalformed))
	fmt.Println(err)
	// Output:
	// <nil> true ["urn:mace:incommon:iap:silver"]
	// true
	// claims parameter: malformed: id_token.acr.essential must be a boolean, not string
}
