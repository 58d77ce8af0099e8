package scope_test

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/scope"
)

func ExampleParse() {
	scopes, err := scope.Parse("openid accounts openid payments")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(scopes)
	fmt.Println(scope.Contains(scopes, "payments"))

	_, err = scope.Parse("openid  accounts")
	fmt.Println(err)
	fmt.Println(errors.Is(err, scope.ErrMalformed))

	var synErr *scope.SyntaxError
	if errors.As(err, &synErr) {
		fmt.Println(synErr.Offset)
	}
	// Output:
	// [openid accounts payments]
	// true
	// scope: malformed scope parameter at offset 7: consecutive spaces (empty scope-token)
	// true
	// 7
}

func ExampleNewSet() {
	set, err := scope.NewSet([]scope.Definition{
		{Name: "openid"},
		{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
		{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	requested, err := scope.Parse("openid payments")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range requested {
		def, ok := set.Lookup(name)
		fmt.Println(name, ok, def.Has("fapi", "rw"), def.Values("fapi"))
	}

	_, err = scope.NewSet([]scope.Definition{{Name: "openid"}, {Name: "openid"}})
	fmt.Println(errors.Is(err, scope.ErrInvalidDefinition))
	// Output:
	// openid true false []
	// payments true true [rw]
	// true
}
