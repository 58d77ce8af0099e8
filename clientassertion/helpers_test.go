package clientassertion_test

import (
	"crypto/elliptic"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	CA "github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/keysize"
)

const (
	issuer        = "https://as.example.com"
	tokenEndpoint = "https://as.example.com/token"
	clientID      = "s6BhdRkqt3"
)

// now is the fixed current time of the tests, a whole second.
var now = time.Unix(1_700_000_000, 0).UTC()

func at(d int64) int64 { return now.Unix() + d }

type keyring struct {
	rsa      fixtures.Key // PS256, kid "rsa-1", registered
	ec       fixtures.Key // ES256, kid "ec-1", registered
	foreign  fixtures.Key // PS256, kid "rsa-1", not registered
	small    fixtures.Key // RSA-1024, kid "small", registered in smallSet
	set      *jwks.Set
	smallSet *jwks.Set
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

// Secrets of exactly the minimum length of each HMAC algorithm.
var (
	secret32 = []byte(strings.Repeat("a", 32))
	secret48 = []byte(strings.Repeat("b", 48))
	secret64 = []byte(strings.Repeat("c", 64))
)

func baseClaims() map[string]any {
	return map[string]any{
		"iss": clientID,
		"sub": clientID,
		"aud": issuer,
		"exp": at(60),
		"iat": at(0),
		"jti": "jti-0001",
	}
}

// claimsWith returns baseClaims changed by name/value pairs; nil removes.
func claimsWith(kv ...any) map[string]any {
	c := baseClaims()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(c, kv[i].(string))
			continue
		}
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}

// privateKeyRules are the rules of a FAPI 1.0 private_key_jwt client.
func privateKeyRules() CA.Rules {
	return CA.Rules{
		Type:        CA.TypeJWTBearer,
		Algorithms:  []string{"PS256", "ES256"},
		ClientID:    clientID,
		Audiences:   []string{issuer, tokenEndpoint},
		ClockSkew:   10 * time.Second,
		KeyMinimums: keysize.FAPI1Minimums(),
	}
}

// secretRules are the rules of a client_secret_jwt client.
func secretRules() CA.Rules {
	r := privateKeyRules()
	r.Algorithms = []string{"HS256", "HS384", "HS512"}
	return r
}

func reasons(errs []*CA.Error) []CA.Reason {
	out := make([]CA.Reason, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Reason)
	}
	return out
}

func checkErrorShape(t *testing.T, errs []*CA.Error) {
	t.Helper()
	for _, e := range errs {
		require.NotNil(t, e)
		require.NotEmpty(t, e.Message, "reason %s", e.Reason)
		require.True(t, errors.Is(e, e.Reason))
		require.Equal(t, "client assertion: "+e.Message, e.Error())
	}
}
