package dpop_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/fapitest"
)

// onceCache is a ReplayCache for one process; a server with several
// instances shares one store between them.
type onceCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (c *onceCache) CheckAndStore(key string, expiresAt time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[key]; ok {
		return true, nil
	}
	c.seen[key] = expiresAt
	return false, nil
}

func ExampleVerify() {
	// The client's DPoP key; fapitest signs as a client would (the library
	// itself never signs).
	priv, err := fapitest.NewKey("ES256")
	if err != nil {
		panic(err)
	}
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	header := fapitest.Must(fapitest.DPoPProof(priv, fapitest.Claims{
		"jti": "e1j3V_bKic8-LAEB",
		"htm": "POST",
		"htu": "https://as.example.com/token",
		"iat": now.Unix(),
	}))

	// At the token endpoint: the rules of this request.
	rules := dpop.Rules{
		Method:     "POST",                                   // r.Method
		URL:        "https://as.example.com/token?x=ignored", // the URL the client addressed
		Algorithms: []string{"PS256", "ES256", "EdDSA"},
		ClockSkew:  10 * time.Second,
		Replay:     &onceCache{seen: map[string]time.Time{}},
	}
	// Pass every value of the header: r.Header.Values(dpop.HeaderName).
	p, errs := dpop.Verify([]string{header}, rules, now)
	fmt.Println(len(errs), p.Algorithm, p.HTM, p.HTU, p.ReplayChecked)

	// The code was bound to the client's key at the PAR endpoint.
	dpopJKT, err := dpop.Thumbprint(priv.Public())
	if err != nil {
		panic(err)
	}
	fmt.Println("bound to the code's key:", dpop.MatchJKT(p, dpopJKT) == nil)

	// The same proof again is refused.
	_, errs = dpop.Verify([]string{header}, rules, now.Add(time.Second))
	for _, e := range errs {
		fmt.Println("dpop." + string(e.Reason))
	}

	// A proof made for another endpoint, too long ago: every problem is
	// listed.
	old := fapitest.Must(fapitest.DPoPProof(priv, fapitest.Claims{
		"jti": "Qn3Y5Ff2HW0-rA9d",
		"htm": "POST",
		"htu": "https://as.example.com/par",
		"iat": now.Add(-time.Hour).Unix(),
	}))
	_, errs = dpop.Verify([]string{old}, rules, now)
	for _, e := range errs {
		fmt.Println("dpop." + string(e.Reason))
	}
	// Output:
	// 0 ES256 POST https://as.example.com/token true
	// bound to the code's key: true
	// dpop.replayed
	// dpop.htu_mismatch
	// dpop.iat_too_old
}
