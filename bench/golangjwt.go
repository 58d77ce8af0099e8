package bench

import (
	"github.com/golang-jwt/jwt/v5"
)

// golangJWTClaims is the request object as golang-jwt decodes it: the
// registered claims and the authorization parameters.
type golangJWTClaims struct {
	jwt.RegisteredClaims
	requestParams
}

// golangJWTChecker is the read-and-write check written with
// github.com/golang-jwt/jwt/v5. The parser is built once per client.
type golangJWTChecker struct {
	reg    *registration
	parser *jwt.Parser
	key    jwt.Keyfunc
}

func newGolangJWTChecker(r *registration) *golangJWTChecker {
	return &golangJWTChecker{
		reg: r,
		parser: jwt.NewParser(
			// Only the registered algorithm; none is refused by this and
			// by the key type alike.
			jwt.WithValidMethods([]string{r.Alg}),
			jwt.WithIssuer(r.ClientID),
			jwt.WithAudience(r.Issuer),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(r.Skew),
			jwt.WithTimeFunc(r.Now),
		),
		key: func(*jwt.Token) (any, error) { return r.Key, nil },
	}
}

func (c *golangJWTChecker) check(token string) error {
	var claims golangJWTClaims
	if _, err := c.parser.ParseWithClaims(token, &claims, c.key); err != nil {
		return err
	}
	var exp jwt.NumericDate
	if claims.ExpiresAt != nil {
		exp = *claims.ExpiresAt
	}
	if err := checkExpiry(exp.Time, claims.ExpiresAt != nil, c.reg.Now()); err != nil {
		return err
	}
	return claims.check(c.reg)
}
