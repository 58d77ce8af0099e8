package jose_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

// TestKeySetConcurrentVerify shares one KeySet (and some parsed tokens)
// among 16 goroutines; run with -race.
func TestKeySetConcurrentVerify(t *testing.T) {
	set := setOf(t, rsaA, rsaB, rsaRS, ecA, ecB, ec384, edA)
	fromPublic, err := jose.NewKeySet(rsaA.Public(), ecA.Public(), edA.Public())
	require.NoError(t, err)
	type job struct {
		token string
		set   *jose.KeySet
		kid   string // expected key id on success
		want  error
	}
	other := fixtures.RSA(2048, "rsa-a", jose.PS256)
	jobs := []job{
		{fixtures.Sign(rsaA, "", sample, nil), set, "rsa-a", nil},
		{fixtures.Sign(rsaB, "", sample, nil), set, "rsa-b", nil},
		{fixtures.Sign(rsaRS, "", sample, nil), set, "rsa-rs", nil},
		{fixtures.Sign(ecA, "", sample, nil), set, "ec-a", nil},
		{fixtures.Sign(ecB, "", sample, nil), set, "ec-b", nil},
		{fixtures.Sign(ec384, "", sample, nil), set, "ec-384", nil},
		{fixtures.Sign(edA, "", sample, nil), set, "ed-a", nil},
		{fixtures.Sign(other, "", sample, nil), set, "", jose.ErrSignatureInvalid},
		{fixtures.Tamper(fixtures.Sign(ecA, "", sample, nil)), set, "", jose.ErrSignatureInvalid},
		{fixtures.Sign(rsaA, "", sample, map[string]any{"kid": "absent"}), set, "", jose.ErrNoKey},
		{fixtures.SignHMAC(hmacSecret, jose.HS256, sample), set, "", jose.ErrAlgNotAllowed},
		{withoutKid(t, rsaA, jose.PS256), fromPublic, "", nil},
		{withoutKid(t, ecA, jose.ES256), fromPublic, "", nil},
		{withoutKid(t, edA, jose.EdDSA), fromPublic, "", nil},
		{withoutKid(t, ecB, jose.ES256), fromPublic, "", jose.ErrSignatureInvalid},
	}
	allowed := []string{jose.PS256, jose.RS256, jose.ES256, jose.ES384, jose.EdDSA}
	shared := make([]*jose.JWS, len(jobs))
	for i, jb := range jobs {
		shared[i] = parse(t, jb.token)
	}

	const goroutines, rounds = 16, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	fail := func(msg string) {
		mu.Lock()
		failures = append(failures, msg)
		mu.Unlock()
	}
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				for i := range jobs {
					jb := jobs[(i+g+r)%len(jobs)]
					j := shared[(i+g+r)%len(jobs)]
					if (g+r)%2 == 0 {
						var err error
						if j, err = jose.Parse(jb.token, 0); err != nil {
							fail("parse: " + err.Error())
							continue
						}
					}
					k, err := j.Verify(allowed, jb.set)
					switch {
					case jb.want == nil && err != nil:
						fail("unexpected error: " + err.Error())
					case jb.want == nil && k.ID != jb.kid:
						fail("wrong key " + k.ID + ", want " + jb.kid)
					case jb.want != nil && !errors.Is(err, jb.want):
						fail("want " + jb.want.Error() + ", got " + errString(err))
					}
					_ = jb.set.Keys()
					_ = jb.set.Len()
				}
			}
		}()
	}
	wg.Wait()
	assert.Empty(t, failures)
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
