package fapi_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/fapi"
)

// credentialsGrammar is this test's own reading of one Authorization
// field value (RFC 9110 §11.4, §5.5; RFC 6750 §2.1; RFC 9449 §7.1): the
// Bearer or DPoP scheme in any letter case, one or more spaces and a
// token68, with the field's surrounding spaces and tabs removed.
var credentialsGrammar = regexp.MustCompile(`^[ \t]*(?i:(bearer|dpop)) +([A-Za-z0-9._~+/-]+=*)[ \t]*$`)

// challengeGrammar is the shape of every challenge the check writes: a
// scheme and quoted parameters of the error_description characters, then
// Bearer when both schemes are offered.
var challengeGrammar = regexp.MustCompile(`^(DPoP|Bearer)( [a-z]+="[ !#-\[\]-~]*"(, [a-z]+="[ !#-\[\]-~]*")*)?(, Bearer)?$`)

// headerCodes are the codes of a refused Authorization header.
var headerCodes = map[fapi.Code]bool{
	fapi.CodeResourceCredentialsMissing:      true,
	fapi.CodeResourceAuthorizationDuplicated: true,
	fapi.CodeResourceAuthorizationMalformed:  true,
	fapi.CodeResourceSchemeUnsupported:       true,
}

// FuzzResourceAuthorization feeds arbitrary Authorization header values
// to AccessToken and to the resource check, with a DPoP-bound and with a
// certificate-bound token. Properties: nothing panics; AccessToken accepts
// exactly what the grammar above accepts, and returns its token68; the
// check refuses the header exactly when AccessToken does; an accepted
// request used the scheme its token's binding needs and, when DPoP-bound,
// the very token whose hash the proof carries; a refusal has a status and,
// unless the server is at fault, a challenge of fixed parts only (nothing
// the client sent). Seeds are in testdata/fuzz/FuzzResourceAuthorization.
func FuzzResourceAuthorization(f *testing.F) {
	ck, rep := fapi.NewChecker(*resourceService())
	if !rep.OK() {
		f.Fatalf("the service is refused: %v", rep.Violations)
	}
	f.Fuzz(func(t *testing.T, value string, dpopBound bool) {
		if len(value) > 4096 {
			return
		}
		values := []string{value}
		token, ok := fapi.AccessToken(values)
		m := credentialsGrammar.FindStringSubmatch(value)
		if ok != (m != nil) {
			t.Fatalf("AccessToken(%q) ok = %v, the grammar says %v", value, ok, m != nil)
		}
		if ok && token != m[2] {
			t.Fatalf("AccessToken(%q) = %q, want %q", value, token, m[2])
		}
		r := mtlsResource("openid sp")
		if dpopBound {
			r = dpopResource()
		}
		r.Authorization = values
		res := ck.Resource(context.Background(), r, now)
		refusedHeader := false
		for _, v := range res.Violations {
			refusedHeader = refusedHeader || headerCodes[v.Code]
		}
		if refusedHeader == ok {
			t.Fatalf("%q: AccessToken ok = %v, but the check's header codes are %v", value, ok, res.Codes())
		}
		if res.OK() {
			if res.Status != 0 || res.Challenge != "" {
				t.Fatalf("%q accepted with status %d and challenge %q", value, res.Status, res.Challenge)
			}
			if dpop := strings.EqualFold(m[1], "dpop"); dpop != dpopBound {
				t.Fatalf("%q accepted with scheme %s for a token that is DPoP-bound: %v", value, m[1], dpopBound)
			}
			if dpopBound && token != accessToken {
				t.Fatalf("%q accepted although the proof's ath is the hash of another token", value)
			}
			return
		}
		if res.Status == 0 || res.Status != 500 && res.Challenge == "" {
			t.Fatalf("%q refused with status %d and challenge %q", value, res.Status, res.Challenge)
		}
		if res.Status != 500 && !challengeGrammar.MatchString(res.Challenge) {
			t.Fatalf("%q: challenge %q is not one the check writes", value, res.Challenge)
		}
	})
}
