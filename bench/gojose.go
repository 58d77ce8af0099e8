package bench

import (
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// goJoseChecker is the read-and-write check written with
// github.com/go-jose/go-jose/v4.
type goJoseChecker struct {
	reg  *registration
	algs []jose.SignatureAlgorithm
}

func newGoJoseChecker(r *registration) (*goJoseChecker, error) {
	switch alg := jose.SignatureAlgorithm(r.Alg); alg {
	case jose.PS256, jose.ES256:
		return &goJoseChecker{reg: r, algs: []jose.SignatureAlgorithm{alg}}, nil
	}
	return nil, fmt.Errorf("go-jose: unexpected algorithm %q", r.Alg)
}

func (c *goJoseChecker) check(token string) error {
	// Only the registered algorithm is accepted; none is never one.
	tok, err := jwt.ParseSigned(token, c.algs)
	if err != nil {
		return err
	}
	var std jwt.Claims
	var p requestParams
	if err := tok.Claims(c.reg.Key, &std, &p); err != nil {
		return err
	}
	now := c.reg.Now()
	err = std.ValidateWithLeeway(jwt.Expected{
		Issuer:      c.reg.ClientID,
		AnyAudience: jwt.Audience{c.reg.Issuer},
		Time:        now,
	}, c.reg.Skew)
	if err != nil {
		return err
	}
	var exp jwt.NumericDate
	if std.Expiry != nil {
		exp = *std.Expiry
	}
	if err := checkExpiry(exp.Time(), std.Expiry != nil, now); err != nil {
		return err
	}
	return p.check(c.reg)
}
