package jose_test

import (
	"testing"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

// requestObjectClaims is a typical FAPI request object: 13 claims.
func requestObjectClaims() map[string]any {
	return map[string]any{
		"iss":                   "s6BhdRkqt3",
		"aud":                   "https://as.example.com",
		"exp":                   1900000000,
		"nbf":                   1700000000,
		"iat":                   1700000000,
		"jti":                   "0b8fa7a4-2f3c-4bd6-9a4f-2a1c6c6f2e3d",
		"client_id":             "s6BhdRkqt3",
		"response_type":         "code",
		"redirect_uri":          "https://client.example.org/cb",
		"scope":                 "openid payments",
		"state":                 "af0ifjsldkj",
		"code_challenge":        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		"code_challenge_method": "S256",
	}
}

func benchmarkParseVerify(b *testing.B, key fixtures.Key, alg string) {
	tok := fixtures.Sign(key, alg, requestObjectClaims(), map[string]any{"typ": "oauth-authz-req+jwt"})
	set := setOf(b, rsaB, ecB, key, edA) // the signer is not the first candidate by kid order
	allowed := []string{jose.PS256, jose.ES256, jose.EdDSA}
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		j, err := jose.Parse(tok, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := j.Verify(allowed, set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyPS256(b *testing.B) { benchmarkParseVerify(b, rsaA, jose.PS256) }

func BenchmarkParseVerifyES256(b *testing.B) { benchmarkParseVerify(b, ecA, jose.ES256) }

func BenchmarkDecodeClaimsRequestObject(b *testing.B) {
	payload := []byte(mustJSON(b, requestObjectClaims()))
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jose.DecodeClaims(payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseKeySet(b *testing.B) {
	data := fixtures.JWKS(rsaA, rsaB, ecA, ecB, edA)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jose.ParseKeySet(data); err != nil {
			b.Fatal(err)
		}
	}
}
