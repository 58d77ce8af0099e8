package bench

import (
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// jwxChecker is the read-and-write check written with
// github.com/lestrrat-go/jwx/v3. The parse options are built once per
// client, as a server would keep them next to the client's keys.
type jwxChecker struct {
	reg  *registration
	opts []jwt.ParseOption
}

func newJWXChecker(r *registration) (*jwxChecker, error) {
	alg, ok := jwa.LookupSignatureAlgorithm(r.Alg)
	if !ok {
		return nil, fmt.Errorf("jwx: unknown algorithm %q", r.Alg)
	}
	return &jwxChecker{reg: r, opts: []jwt.ParseOption{
		// The key and the one algorithm the client registered: any other
		// alg, none included, fails verification.
		jwt.WithKey(alg, r.Key),
		jwt.WithValidate(true),
		jwt.WithClock(jwt.ClockFunc(r.Now)),
		jwt.WithAcceptableSkew(r.Skew),
		jwt.WithIssuer(r.ClientID),
		jwt.WithAudience(r.Issuer),
		jwt.WithRequiredClaim("exp"),
	}}, nil
}

func (c *jwxChecker) check(token string) error {
	tok, err := jwt.ParseString(token, c.opts...)
	if err != nil {
		return err
	}
	exp, ok := tok.Expiration()
	if err := checkExpiry(exp, ok, c.reg.Now()); err != nil {
		return err
	}
	var p requestParams
	for _, m := range [...]struct {
		name string
		dst  *string
	}{
		{"client_id", &p.ClientID},
		{"response_type", &p.ResponseType},
		{"redirect_uri", &p.RedirectURI},
		{"scope", &p.Scope},
		{"nonce", &p.Nonce},
		{"state", &p.State},
	} {
		if tok.Has(m.name) {
			if err := tok.Get(m.name, m.dst); err != nil {
				return fmt.Errorf("jwx: %s: %w", m.name, err)
			}
		}
	}
	// Private claims that are objects decode to map[string]any.
	var claims map[string]any
	if tok.Has("claims") {
		if err := tok.Get("claims", &claims); err != nil {
			return fmt.Errorf("jwx: claims: %w", err)
		}
	}
	idToken, _ := claims["id_token"].(map[string]any)
	acr, _ := idToken["acr"].(map[string]any)
	p.Claims.IDToken.ACR.Essential, _ = acr["essential"].(bool)
	return p.check(c.reg)
}
