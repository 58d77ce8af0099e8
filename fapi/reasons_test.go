package fapi

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
)

// checkReasonTable fails for any reason of a sub-package without a row,
// any row for a value that is not one of its reasons, and any code that is
// not a known code of family.
func checkReasonTable[R ~string](t *testing.T, table *reasonTable[R], reasons []R, family Family) {
	t.Helper()
	require.NotEmpty(t, reasons)
	for _, r := range reasons {
		c, ok := table.rows[r]
		if assert.True(t, ok, "reason %q has no row", string(r)) {
			assert.Equal(t, c, table.code(r))
		}
	}
	listed := map[R]bool{}
	for _, r := range reasons {
		listed[r] = true
	}
	for r, c := range table.rows {
		assert.True(t, listed[r], "row %q is not a reason of the package", string(r))
		_, known := codeIndex[c]
		assert.True(t, known, "row %q: %q is not a known code", string(r), string(c))
		assert.Equal(t, family, c.Family(), "row %q: %q", string(r), string(c))
	}
	_, known := codeIndex[table.unknown]
	assert.True(t, known, "%q is not a known code", string(table.unknown))
	assert.Equal(t, family, table.unknown.Family())
	assert.NotEmpty(t, table.field)
}

func TestReasonTablesComplete(t *testing.T) {
	t.Run("requestobject", func(t *testing.T) {
		checkReasonTable(t, &requestObjectReasons, requestobject.Reasons(), Family("request_object"))
	})
	t.Run("clientassertion", func(t *testing.T) {
		checkReasonTable(t, &clientAssertionReasons, clientassertion.Reasons(), Family("client_assertion"))
	})
	t.Run("dpop", func(t *testing.T) {
		checkReasonTable(t, &dpopReasons, dpop.Reasons(), Family("dpop"))
	})
}

// TestReasonTableRowsAreTheReasonNames: the codes keep the names they had
// when they were built as family + "." + reason; the tables only make the
// mapping explicit, so no published code changes.
func TestReasonTableRowsAreTheReasonNames(t *testing.T) {
	for r, c := range requestObjectReasons.rows {
		assert.Equal(t, Code("request_object."+string(r)), c)
	}
	for r, c := range clientAssertionReasons.rows {
		assert.Equal(t, Code("client_assertion."+string(r)), c)
	}
	for r, c := range dpopReasons.rows {
		assert.Equal(t, Code("dpop."+string(r)), c)
	}
}

func TestAddReason(t *testing.T) {
	tests := []struct {
		name      string
		add       func(b *builder)
		wantCode  Code
		wantField string
		wantRef   clause.Clause
	}{
		{
			name: "request object reason without a claim names the request",
			add: func(b *builder) {
				addReason(b, &requestObjectReasons, requestobject.ReasonMalformed, "", "", "m")
			},
			wantCode: CodeRequestObjectMalformed, wantField: "request", wantRef: "OIDCC-6.1",
		},
		{
			name: "request object reason with a claim names the claim",
			add: func(b *builder) {
				addReason(b, &requestObjectReasons, requestobject.ReasonExpired, "exp", "", "m")
			},
			wantCode: CodeRequestObjectExpired, wantField: "exp", wantRef: "RFC7519-4.1.4",
		},
		{
			name: "an explicit clause is kept",
			add: func(b *builder) {
				addReason(b, &clientAssertionReasons, clientassertion.ReasonAudMismatch, "aud", "FAPI2-SP-5.3.2.1-8", "m")
			},
			wantCode: CodeClientAssertionAudMismatch, wantField: "aud", wantRef: "FAPI2-SP-5.3.2.1-8",
		},
		{
			name: "client assertion reason without a claim",
			add: func(b *builder) {
				addReason(b, &clientAssertionReasons, clientassertion.ReasonMissing, "", "", "m")
			},
			wantCode: CodeClientAssertionMissing, wantField: "client_assertion", wantRef: "OIDCC-9",
		},
		{
			name: "dpop reason without a claim",
			add: func(b *builder) {
				addReason(b, &dpopReasons, dpop.ReasonReplayed, "", "", "m")
			},
			wantCode: CodeDPoPReplayed, wantField: "dpop", wantRef: "DPOP-11.1",
		},
		{
			name: "a reason without a row is still refused",
			add: func(b *builder) {
				addReason(b, &dpopReasons, dpop.Reason("new_reason"), "", "", "m")
			},
			wantCode: CodeDPoPMalformed, wantField: "dpop", wantRef: "DPOP-4.3",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b builder
			tt.add(&b)
			require.Len(t, b.r.Violations, 1)
			v := b.r.Violations[0]
			assert.Equal(t, tt.wantCode, v.Code)
			assert.Equal(t, tt.wantField, v.Field)
			assert.Equal(t, tt.wantRef, v.Ref)
			assert.Equal(t, "m", v.Message)
			assert.Equal(t, defaultError(tt.wantCode), v.Error)
		})
	}
}

// TestKeyClause: the clause of a refused key follows the kind the keysize
// error carries, through the sub-packages' errors, and never the text.
func TestKeyClause(t *testing.T) {
	rules := &profile.Requirements{Keys: profile.KeyRule{RSA: "RSA-REF", EC: "EC-REF"}}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	huge := keysize.Minimums{RSA: 1 << 20, EC: 1 << 20}

	ecTooSmall := keysize.Check(&ecKey.PublicKey, huge)
	require.Error(t, ecTooSmall)
	rsaTooSmall := &keysize.TooSmallError{Kind: keysize.KindRSA, Bits: 1024, Min: 2048}

	tests := []struct {
		name string
		err  error
		want clause.Clause
	}{
		{"EC too small", ecTooSmall, "EC-REF"},
		{"RSA too small", rsaTooSmall, "RSA-REF"},
		{"EC invalid", keysize.Check(&ecdsa.PublicKey{}, huge), "EC-REF"},
		{"EC curve unsupported", keysize.Check(&p224.PublicKey, huge), "EC-REF"},
		{"OKP keeps the RSA clause, as before the kind was typed", keysize.Check(edPub, huge), "RSA-REF"},
		{"private key has no kind", keysize.Check(ecKey, huge), "RSA-REF"},
		{"request object error wrapping an EC error", &requestobject.Error{Reason: requestobject.ReasonKeyTooSmall, Message: "m", Err: ecTooSmall}, "EC-REF"},
		{"client assertion error wrapping an EC error", &clientassertion.Error{Reason: clientassertion.ReasonKeyTooSmall, Message: "m", Err: ecTooSmall}, "EC-REF"},
		{"client assertion error without a key error", &clientassertion.Error{Reason: clientassertion.ReasonKeyTooSmall, Message: "EC in the text"}, "RSA-REF"},
		{"text alone is not read", errors.New("keysize: EC key has 256 bits"), "RSA-REF"},
		{"wrapped", fmt.Errorf("x: %w", ecTooSmall), "EC-REF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, keyClause(rules, tt.err))
		})
	}
}
