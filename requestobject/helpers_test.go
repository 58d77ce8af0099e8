package requestobject_test

import (
	"crypto/elliptic"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/requestobject"
)

const (
	issuer      = "https://as.example.com"
	clientID    = "s6BhdRkqt3"
	redirectURI = "https://client.example.org/cb"
)

// now is the fixed "current time" of the tests: a whole second, so that the
// boundaries below are exact.
var now = time.Unix(1_700_000_000, 0).UTC()

// at returns now + d seconds as a NumericDate.
func at(d int64) int64 { return now.Unix() + d }

// keys are generated once per test binary: RSA generation is slow.
type keyring struct {
	rsa      fixtures.Key // PS256, kid "rsa-1", registered
	ec       fixtures.Key // ES256, kid "ec-1", registered
	rsaNoKid fixtures.Key // the registered RSA key, signing without a kid
	foreign  fixtures.Key // PS256, kid "rsa-1", NOT registered (another client's key)
	small    fixtures.Key // RSA-1024, kid "small", registered only in smallSet
	set      *jwks.Set    // rsa + ec
	smallSet *jwks.Set    // rsa + small
}

var (
	ringOnce sync.Once
	ring     keyring
)

func keys(t testing.TB) *keyring {
	t.Helper()
	ringOnce.Do(func() {
		ring.rsa = fixtures.RSA(2048, "rsa-1", "PS256")
		ring.ec = fixtures.EC(elliptic.P256(), "ec-1", "ES256")
		ring.rsaNoKid = ring.rsa
		ring.rsaNoKid.ID = ""
		ring.foreign = fixtures.RSA(2048, "rsa-1", "PS256")
		ring.small = fixtures.RSA(1024, "small", "PS256")
		var err error
		if ring.set, err = jwks.Parse(fixtures.JWKS(ring.rsa, ring.ec)); err != nil {
			panic(err)
		}
		if ring.smallSet, err = jwks.Parse(fixtures.JWKS(ring.rsa, ring.small)); err != nil {
			panic(err)
		}
	})
	return &ring
}

// baseClaims is a request object that passes every rule of fapiRules at now.
func baseClaims() map[string]any {
	return map[string]any{
		"iss":           clientID,
		"aud":           issuer,
		"client_id":     clientID,
		"response_type": "code id_token",
		"redirect_uri":  redirectURI,
		"scope":         "openid accounts",
		"state":         "af0ifjsldkj",
		"nonce":         "n-0S6_WzA2Mj",
		"max_age":       300,
		"claims": map[string]any{
			"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{"urn:mace:incommon:iap:silver"}}},
		},
		"exp": at(300),
		"nbf": at(-60),
		"iat": at(-60),
		"jti": "jti-1",
	}
}

// claimsWith returns baseClaims changed by the given name/value pairs; a nil
// value removes the claim.
func claimsWith(kv ...any) map[string]any {
	c := baseClaims()
	for i := 0; i+1 < len(kv); i += 2 {
		name := kv[i].(string)
		if kv[i+1] == nil {
			delete(c, name)
			continue
		}
		c[name] = kv[i+1]
	}
	return c
}

// fapiRules are the FAPI 1.0 Advanced rules with every optional check on.
func fapiRules() requestobject.Rules {
	return requestobject.Rules{
		Algorithms:  []string{"PS256", "ES256"},
		Issuer:      issuer,
		ClientID:    clientID,
		RequireExp:  true,
		RequireNbf:  true,
		RequireAud:  true,
		MaxLifetime: time.Hour,
		MaxNbfAge:   time.Hour,
		ClockSkew:   10 * time.Second,
		KeyMinimums: keysize.FAPI1Minimums(),
	}
}

// reasons lists the reasons of errs, in order.
func reasons(errs []*requestobject.Error) []requestobject.Reason {
	out := make([]requestobject.Reason, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Reason)
	}
	return out
}

// checkErrorShape checks what every error must satisfy whatever its reason.
func checkErrorShape(t *testing.T, errs []*requestobject.Error) {
	t.Helper()
	for _, e := range errs {
		require.NotNil(t, e)
		require.NotEmpty(t, e.Message, "reason %s", e.Reason)
		require.True(t, errors.Is(e, e.Reason), "errors.Is(err, %s)", e.Reason)
		require.Equal(t, "request object: "+e.Message, e.Error())
	}
}
