package fapitest_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapitest"
	"github.com/fapicheck/fapicheck/profile"
)

// TestFlowWithDPoPNonces: a DPoP flow with the server's nonce passes a
// Checker with the nonce source, and its nonce variants are refused with
// the codes they declare; without RequireDPoPNonce the missing-nonce
// variant does not apply.
func TestFlowWithDPoPNonces(t *testing.T) {
	src, err := dpopnonce.New(bytes.Repeat([]byte{3}, 32))
	require.NoError(t, err)
	for _, required := range []bool{true, false} {
		for _, p := range []profile.Profile{profile.FAPI2Security, profile.FAPI2MessageSigning} {
			svc, err := fapitest.NewService(p, issuer)
			require.NoError(t, err)
			svc.RequireDPoPNonce = required
			f := &fapitest.Flow{Profile: p, Service: svc, Now: now, DPoPNonce: src.Nonce(now), Client: fapitest.Client{
				ID: "c1", RedirectURI: "https://client.example.org/cb",
				Key: fapitest.Must(fapitest.NewKey("PS256")), DPoPKey: fapitest.Must(fapitest.NewKey("ES256")),
			}}
			ck, rep := fapi.NewChecker(*svc, fapi.WithDPoPNonces(src))
			require.Empty(t, rep.Violations)
			pc, err := f.PreparedClient()
			require.NoError(t, err)

			par := ck.PushedAuthorization(context.Background(), pc, fapitest.Must(f.PushedAuthorization()), now)
			assert.Empty(t, par.Violations, "%s", p)
			assert.Equal(t, f.DPoPNonce, par.DPoPNonceHeader)
			tok := ck.Token(context.Background(), pc, fapitest.Must(f.Token()), now)
			assert.Empty(t, tok.Violations, "%s", p)

			names := map[string]bool{}
			for _, v := range fapitest.Must(f.Variants()) {
				names[v.Name] = true
				if v.Want != fapi.CodeDPoPNonceMissing && v.Want != fapi.CodeDPoPNonceInvalid {
					continue
				}
				require.NotNil(t, v.Token)
				r := ck.Token(context.Background(), pc, v.Token, now)
				require.True(t, r.Has(v.Want), "%s: want %s, got %v", v.Name, v.Want, r.Violations)
				for _, viol := range r.Violations {
					if viol.Code == v.Want {
						assert.Equal(t, v.Clause, viol.Ref)
						assert.Equal(t, fapi.OAuthUseDPoPNonce, viol.Error)
					}
				}
			}
			assert.True(t, names["dpop.nonce_invalid"])
			assert.Equal(t, required, names["dpop.nonce_missing"])
		}
	}
}

// TestDPoPProofWithNonce: a proof signed with the nonce claim verifies
// against the server's nonce source.
func TestDPoPProofWithNonce(t *testing.T) {
	src, err := dpopnonce.New(bytes.Repeat([]byte{4}, 32))
	require.NoError(t, err)
	key := fapitest.Must(fapitest.NewKey("ES256"))
	rules := dpop.Rules{Method: "POST", URL: issuer + "/token", Algorithms: []string{"ES256"}, ClockSkew: 10 * time.Second, Nonce: src, NonceRequired: true}
	tests := []struct {
		name  string
		nonce any
		want  []dpop.Reason
	}{
		{"the server's nonce", src.Nonce(now), nil},
		{"no nonce", nil, []dpop.Reason{dpop.ReasonNonceMissing}},
		{"another nonce", "n-0S6_WzA2Mj", []dpop.Reason{dpop.ReasonNonceInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fapitest.DPoPClaims("POST", issuer+"/token", now)
			if tt.nonce != nil {
				c = c.With("nonce", tt.nonce)
			}
			_, errs := dpop.Verify([]string{fapitest.Must(fapitest.DPoPProof(key, c))}, rules, now)
			var got []dpop.Reason
			for _, e := range errs {
				got = append(got, e.Reason)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
