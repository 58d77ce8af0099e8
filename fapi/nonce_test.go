package fapi_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpopnonce"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// nonceProof is a DPoP proof for htu at now carrying nonce ("" for none).
func nonceProof(htu, nonce string) string {
	c := map[string]any{"jti": "j-" + htu + nonce, "htm": "POST", "htu": htu, "iat": now.Unix()}
	if nonce != "" {
		c["nonce"] = nonce
	}
	return fixtures.Sign(dpopKey, "ES256", c, map[string]any{"typ": "dpop+jwt", "jwk": dpopKey.Public()})
}

func nonceSource(t *testing.T, label string) *dpopnonce.Source {
	t.Helper()
	src, err := dpopnonce.New(bytes.Repeat([]byte{9}, 32), dpopnonce.WithLabel(label))
	require.NoError(t, err)
	return src
}

// dpopFlow is a DPoP client's PAR and token requests with the given
// proofs; the token request's grant is bound to the proof key.
func dpopFlow(t *testing.T, parProof, tokenProof string) (*fapi.PreparedClient, *fapi.PushedAuthorizationRequest, *fapi.TokenRequest) {
	t.Helper()
	c := fapi2Client()
	c.TLSClientCertificateBoundAccessTokens = false
	c.DPoPBoundAccessTokens = true
	pc := fapi.PrepareClient(c)
	p := fapi2Params("openid sp")
	p["client_assertion_type"] = []string{"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
	p["client_assertion"] = []string{assertion(map[string]any{"aud": issuer})}
	jkt := fixtures.Thumbprint(dpopKey)
	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now,
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256", DPoPJKT: jkt}
	tr := fapi2Token(pc, rec, tokenProof)
	tr.ClientCertificate = nil
	return pc, &fapi.PushedAuthorizationRequest{Params: p, DPoP: []string{parProof}}, tr
}

// TestDPoPNonces: with a source every nonce claim is checked at the PAR
// and the token endpoint, a required nonce must be present, both refusals
// are use_dpop_nonce, and the result carries the nonce for the DPoP-Nonce
// header.
func TestDPoPNonces(t *testing.T) {
	src := nonceSource(t, "as")
	good := src.Nonce(now)
	stale := src.Nonce(now.Add(-time.Hour))
	rsNonce := nonceSource(t, "rs").Nonce(now)
	tests := []struct {
		name     string
		required bool
		nonce    string
		want     []fapi.Code // empty: accepted
	}{
		{"required, good", true, good, []fapi.Code{}},
		{"required, previous window", true, src.Nonce(now.Add(-dpopnonce.DefaultWindow)), []fapi.Code{}},
		{"required, missing", true, "", []fapi.Code{fapi.CodeDPoPNonceMissing}},
		{"required, stale", true, stale, []fapi.Code{fapi.CodeDPoPNonceInvalid}},
		{"required, the resource server's nonce", true, rsNonce, []fapi.Code{fapi.CodeDPoPNonceInvalid}},
		{"optional, missing", false, "", []fapi.Code{}},
		{"optional, good", false, good, []fapi.Code{}},
		{"optional, stale is still refused", false, stale, []fapi.Code{fapi.CodeDPoPNonceInvalid}},
		{"optional, made up", false, "n-0S6_WzA2Mj", []fapi.Code{fapi.CodeDPoPNonceInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := fapi2Service()
			svc.RequireDPoPNonce = tt.required
			ck, rep := fapi.NewChecker(*svc, fapi.WithDPoPNonces(src))
			require.Empty(t, rep.Violations)
			pc, pr, tr := dpopFlow(t, nonceProof(parURL, tt.nonce), nonceProof(tokenURL, tt.nonce))

			p := ck.PushedAuthorization(context.Background(), pc, pr, now)
			tok := ck.Token(context.Background(), pc, tr, now)
			assert.Equal(t, tt.want, codes(p.Report), "PAR")
			assert.Equal(t, tt.want, codes(tok.Report), "token")
			for _, v := range append(p.Violations, tok.Violations...) {
				assert.Equal(t, fapi.OAuthUseDPoPNonce, v.Error)
				assert.Equal(t, "nonce", v.Field)
				assert.Equal(t, "DPOP-8", string(v.Ref))
			}
			assert.Equal(t, good, p.DPoPNonceHeader, "a fresh nonce with every PAR response")
			assert.Equal(t, good, tok.DPoPNonceHeader, "a fresh nonce with every token response")
			if len(tt.want) == 0 {
				assert.NotEmpty(t, tok.DPoPThumbprint)
				assert.NotEmpty(t, p.Parameters()["dpop_jkt"])
			} else {
				assert.Empty(t, tok.DPoPThumbprint, "no binding from a refused proof")
			}
		})
	}
}

// TestDPoPNonceSourceMissing: a service that requires nonces without a
// source is a configuration violation of NewChecker (not of CheckService,
// which takes no options), and every DPoP request then fails closed with
// it; requests without a DPoP proof are not affected.
func TestDPoPNonceSourceMissing(t *testing.T) {
	svc := fapi2Service()
	svc.RequireDPoPNonce = true
	assert.Empty(t, fapi.CheckService(svc).Violations)

	var typedNil *dpopnonce.Source
	for name, opts := range map[string][]fapi.Option{
		"no option":   nil,
		"nil source":  {fapi.WithDPoPNonces(nil)},
		"nil *Source": {fapi.WithDPoPNonces(typedNil)},
		"nil option":  {nil},
	} {
		t.Run(name, func(t *testing.T) {
			ck, rep := fapi.NewChecker(*svc, opts...)
			require.Equal(t, []fapi.Code{fapi.CodeServiceDPoPNonceSourceMissing}, codes(rep))
			assert.Equal(t, fapi.OAuthServerError, rep.Violations[0].Error)
			assert.Equal(t, "require_dpop_nonce", rep.Violations[0].Field)

			good := nonceSource(t, "as").Nonce(now)
			pc, pr, tr := dpopFlow(t, nonceProof(parURL, good), nonceProof(tokenURL, good))
			p := ck.PushedAuthorization(context.Background(), pc, pr, now)
			tok := ck.Token(context.Background(), pc, tr, now)
			assert.Equal(t, []fapi.Code{fapi.CodeServiceDPoPNonceSourceMissing}, codes(p.Report))
			assert.Equal(t, []fapi.Code{fapi.CodeServiceDPoPNonceSourceMissing}, codes(tok.Report))
			assert.Empty(t, tok.DPoPThumbprint)
			assert.Empty(t, p.Parameters()["dpop_jkt"])
			assert.Empty(t, tok.DPoPNonceHeader)
			// The package functions have no source either.
			assert.Equal(t, []fapi.Code{fapi.CodeServiceDPoPNonceSourceMissing}, codes(fapi.CheckTokenRequest(svc, pc, tr, now).Report))
		})
	}

	// An mTLS-bound client sends no proof: nothing to refuse.
	ck, _ := fapi.NewChecker(*svc)
	pc := fapi.PrepareClient(fapi2Client())
	rec := &fapi.AuthorizationRecord{ClientID: "rw", RedirectURI: cb, Scope: "openid sp", IssuedAt: now,
		CodeChallenge: fixtures.S256(verifier), CodeChallengeMethod: "S256"}
	assert.Empty(t, ck.Token(context.Background(), pc, fapi2Token(pc, rec), now).Violations)
}

// TestPackageFunctionsDoNotCheckNonces: without a Checker and without
// RequireDPoPNonce, a nonce claim is not checked (there is no source) and
// no nonce is returned.
func TestPackageFunctionsDoNotCheckNonces(t *testing.T) {
	svc := fapi2Service()
	pc, pr, tr := dpopFlow(t, nonceProof(parURL, "anything"), nonceProof(tokenURL, "anything"))
	p := fapi.CheckPushedAuthorizationRequest(svc, pc, pr, now)
	tok := fapi.CheckTokenRequest(svc, pc, tr, now)
	assert.Empty(t, p.Violations)
	assert.Empty(t, tok.Violations)
	assert.Empty(t, p.DPoPNonceHeader)
	assert.Empty(t, tok.DPoPNonceHeader)
}

// badSource returns a nonce that must never reach a header.
type badSource struct{}

func (badSource) Nonce(time.Time) string           { return "x\r\nSet-Cookie: a=b" }
func (badSource) Valid(n string, _ time.Time) bool { return n == "ok" }

// TestDPoPNonceOutsideTheGrammar: a source's nonce outside RFC 9449
// §8.1's grammar is not returned (it would be written into a header).
func TestDPoPNonceOutsideTheGrammar(t *testing.T) {
	ck, rep := fapi.NewChecker(*fapi2Service(), fapi.WithDPoPNonces(badSource{}))
	require.Empty(t, rep.Violations)
	pc, _, tr := dpopFlow(t, "", nonceProof(tokenURL, "ok"))
	tok := ck.Token(context.Background(), pc, tr, now)
	assert.Empty(t, tok.Violations)
	assert.Empty(t, tok.DPoPNonceHeader)
}

// TestRequireDPoPNonceFromSettings: the setting comes from FAPISettings,
// never from the discovery document.
func TestRequireDPoPNonceFromSettings(t *testing.T) {
	doc := []byte(`{"issuer":"https://as.example.com","response_types_supported":["code"],"require_dpop_nonce":true}`)
	settings := fapi.FAPISettings{SupportedServiceProfiles: []string{"fapi"}, Scopes: fapi2Service().Scopes}
	svc, warnings, err := fapi.ServiceFromDiscovery(doc, settings)
	require.NoError(t, err)
	assert.False(t, svc.RequireDPoPNonce, "not read from the document")
	require.Len(t, warnings, 1)
	assert.Equal(t, "require_dpop_nonce", warnings[0].Member)

	settings.RequireDPoPNonce = true
	svc, _, err = fapi.ServiceFromDiscovery(doc, settings)
	require.NoError(t, err)
	assert.True(t, svc.RequireDPoPNonce)
}

// TestDPoPNoncesAtTheResource: the nonce source applies at the resource
// as at the token endpoint (RFC 9449 §9): a missing (when required) or
// stale nonce is a 401 with the use_dpop_nonce challenge, citing DPOP-9,
// and every result carries a fresh nonce.
func TestDPoPNoncesAtTheResource(t *testing.T) {
	src := nonceSource(t, "rs")
	good := src.Nonce(now)
	tests := []struct {
		name     string
		required bool
		nonce    any
		want     fapi.Code // "" for an accept
	}{
		{"required, good", true, good, ""},
		{"required, missing", true, nil, fapi.CodeDPoPNonceMissing},
		{"required, stale", true, src.Nonce(now.Add(-time.Hour)), fapi.CodeDPoPNonceInvalid},
		{"required, the authorization server's", true, nonceSource(t, "as").Nonce(now), fapi.CodeDPoPNonceInvalid},
		{"optional, missing", false, nil, ""},
		{"optional, made up", false, "rs-nonce", fapi.CodeDPoPNonceInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := resourceService()
			svc.RequireDPoPNonce = tt.required
			ck, rep := fapi.NewChecker(*svc, fapi.WithDPoPNonces(src))
			require.Empty(t, rep.Violations)
			r := dpopResource()
			r.DPoP = []string{resourceProof(dpopKey, map[string]any{"nonce": tt.nonce})}
			res := ck.Resource(context.Background(), r, now)
			assert.Equal(t, good, res.DPoPNonceHeader)
			if tt.want == "" {
				require.True(t, res.OK(), "%v", res.Violations)
				if s, ok := tt.nonce.(string); ok {
					assert.Equal(t, s, res.DPoPProof.Nonce)
				}
				return
			}
			require.Equal(t, []fapi.Code{tt.want}, codes(res.Report))
			v := res.Violations[0]
			assert.Equal(t, fapi.OAuthUseDPoPNonce, v.Error)
			assert.Equal(t, "DPOP-9", string(v.Ref))
			assert.Equal(t, 401, res.Status)
			assert.True(t, strings.HasPrefix(res.Challenge, `DPoP error="use_dpop_nonce"`), res.Challenge)
			assert.Nil(t, res.DPoPProof)
		})
	}

	// A service that requires nonces without a source refuses (500).
	svc := resourceService()
	svc.RequireDPoPNonce = true
	res := fapi.CheckResourceRequest(svc, dpopResource(), now)
	assert.Equal(t, []fapi.Code{fapi.CodeServiceDPoPNonceSourceMissing}, codes(res.Report))
	assert.Equal(t, 500, res.Status)
	// Bearer and mTLS-bound tokens carry no proof: nothing to refuse.
	assert.True(t, fapi.CheckResourceRequest(svc, mtlsResource("openid sp"), now).OK())
}
