package dpop_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/dpopnonce"
)

// recordingChecker accepts one nonce and records what it was asked.
type recordingChecker struct {
	mu    sync.Mutex
	good  string
	asked []string
	at    []time.Time
}

func (c *recordingChecker) Valid(nonce string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, nonce)
	c.at = append(c.at, now)
	return nonce == c.good
}

func TestVerifyNonce(t *testing.T) {
	k := keys()
	src, err := dpopnonce.New(bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	good := src.Nonce(now)
	stale := src.Nonce(now.Add(-time.Hour))
	tests := []struct {
		name     string
		checker  dpop.NonceChecker
		required bool
		claims   map[string]any
		want     []dpop.Reason
	}{
		{"required, good nonce", src, true, claims("nonce", good), nil},
		{"required, previous window's nonce", src, true, claims("nonce", src.Nonce(now.Add(-dpopnonce.DefaultWindow))), nil},
		{"required, missing", src, true, claims(), []dpop.Reason{dpop.ReasonNonceMissing}},
		{"required, stale", src, true, claims("nonce", stale), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"required, empty", src, true, claims("nonce", ""), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"required, with a space", src, true, claims("nonce", good[:20]+" "+good[21:]), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"optional, missing", src, false, claims(), nil},
		{"optional, good nonce", src, false, claims("nonce", good), nil},
		{"optional, stale nonce is still refused", src, false, claims("nonce", stale), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"optional, garbage", src, false, claims("nonce", "not-a-nonce"), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"no checker, not required: not checked", nil, false, claims("nonce", "anything"), nil},
		{"no checker, required, missing", nil, true, claims(), []dpop.Reason{dpop.ReasonNonceMissing}},
		{"no checker, required, present: fails closed", nil, true, claims("nonce", good), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"typed nil checker fails closed", (*dpopnonce.Source)(nil), false, claims("nonce", good), []dpop.Reason{dpop.ReasonNonceInvalid}},
		{"nonce of another type is malformed", src, true, claims("nonce", 42), []dpop.Reason{dpop.ReasonMalformed}},
		{"nonce array is malformed", src, false, claims("nonce", []any{}), []dpop.Reason{dpop.ReasonMalformed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules()
			r.Nonce, r.NonceRequired = tt.checker, tt.required
			p, errs := dpop.Verify([]string{proof(k.ec, "", tt.claims)}, r, now)
			if tt.want == nil {
				assert.Empty(t, errs)
			} else {
				assert.Equal(t, tt.want, reasons(errs))
			}
			for _, e := range errs {
				if e.Reason == dpop.ReasonNonceMissing || e.Reason == dpop.ReasonNonceInvalid {
					assert.Equal(t, "nonce", e.Claim)
					assert.ErrorIs(t, e, e.Reason)
					assert.NotContains(t, e.Message, good, "the message does not echo the nonce")
				}
			}
			if tt.want == nil || tt.want[0] != dpop.ReasonMalformed {
				require.NotNil(t, p)
				if n, ok := tt.claims["nonce"].(string); ok {
					assert.Equal(t, n, p.Nonce)
				}
			}
		})
	}
}

// TestVerifyNonceChecker: the checker sees only nonces of the NQCHAR
// grammar, at the time given to Verify, and only for proofs that verified.
func TestVerifyNonceChecker(t *testing.T) {
	k := keys()
	c := &recordingChecker{good: "n-0S6_WzA2Mj"}
	r := rules()
	r.Nonce, r.NonceRequired = c, true
	for _, n := range []string{"", "with space", "quote\"", `back\slash`, "tab\t", "é"} {
		_, errs := dpop.Verify([]string{proof(k.ec, "", claims("nonce", n))}, r, now)
		assert.Equal(t, []dpop.Reason{dpop.ReasonNonceInvalid}, reasons(errs), "%q", n)
	}
	assert.Empty(t, c.asked, "nonces outside the grammar never reach the checker")

	_, errs := dpop.Verify([]string{proof(k.ec, "", claims("nonce", c.good))}, r, now)
	assert.Empty(t, errs)
	require.Equal(t, []string{c.good}, c.asked)
	assert.Equal(t, []time.Time{now}, c.at)

	c.asked = nil
	_, errs = dpop.Verify([]string{proof(k.ec, "", claims("nonce", c.good), "typ", "JWT")}, r, now)
	assert.Equal(t, []dpop.Reason{dpop.ReasonTypInvalid}, reasons(errs))
	_, errs = dpop.Verify([]string{strings.Replace(proof(k.ec, "", claims("nonce", c.good)), ".", ".x", 1)}, r, now)
	assert.NotEmpty(t, errs)
	assert.Len(t, c.asked, 1, "a proof whose signature fails is not looked at")
}

// TestVerifyNonceNotRecorded: a proof refused for its nonce is not put in
// the replay cache, so the client's retry with the fresh nonce is not a
// replay.
func TestVerifyNonceNotRecorded(t *testing.T) {
	k := keys()
	cache := newCache()
	c := &recordingChecker{good: "fresh"}
	r := rules()
	r.Replay, r.Nonce, r.NonceRequired = cache, c, true
	cl := claims()
	_, errs := dpop.Verify([]string{proof(k.ec, "", cl)}, r, now)
	assert.Equal(t, []dpop.Reason{dpop.ReasonNonceMissing}, reasons(errs))
	assert.Zero(t, cache.callCount())
	_, errs = dpop.Verify([]string{proof(k.ec, "", claims("jti", cl["jti"], "nonce", "fresh"))}, r, now)
	assert.Empty(t, errs)
	assert.Equal(t, 1, cache.callCount())
}

func TestValidNonceSyntax(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"a", true},
		{"!#[]^~", true},
		{"eyJ7S_zG.eyJH0-Z.HX4w-7v", true},
		{"a b", false},
		{`a"b`, false},
		{`a\b`, false},
		{"a\x7f", false},
		{"a\x00", false},
		{"a\r\nSet-Cookie: x", false},
		{"é", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, dpop.ValidNonceSyntax(tt.s), "%q", tt.s)
	}
	src, err := dpopnonce.New(bytes.Repeat([]byte{1}, 32))
	require.NoError(t, err)
	for i := range 100 {
		assert.True(t, dpop.ValidNonceSyntax(src.Nonce(now.Add(time.Duration(i)*time.Hour))))
	}
}

func TestUseNonceChallenge(t *testing.T) {
	tests := []struct {
		name string
		algs []string
		want string
	}{
		{"no algs", nil, `DPoP error="use_dpop_nonce", error_description="a DPoP proof with the nonce in the DPoP-Nonce header is required"`},
		{"algs", []string{"ES256", "PS256"}, `DPoP error="use_dpop_nonce", error_description="a DPoP proof with the nonce in the DPoP-Nonce header is required", algs="ES256 PS256"`},
		{"names that are not tokens are left out", []string{"", `E"S`, "ES 256", "EdDSA", "x\r\ny"}, `DPoP error="use_dpop_nonce", error_description="a DPoP proof with the nonce in the DPoP-Nonce header is required", algs="EdDSA"`},
		{"only bad names", []string{`"`}, `DPoP error="use_dpop_nonce", error_description="a DPoP proof with the nonce in the DPoP-Nonce header is required"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, dpop.UseNonceChallenge(tt.algs))
		})
	}
	assert.Equal(t, "DPoP-Nonce", dpop.NonceHeaderName)
	assert.Equal(t, "use_dpop_nonce", dpop.ErrorUseNonce)
}
