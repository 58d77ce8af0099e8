package strictjson_test

import (
	"encoding/json"
	"testing"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// benchClaims is a typical FAPI request object claim set: 13 registered and
// authorization request claims plus a nested OIDC "claims" request.
var benchClaims = []byte(`{
  "iss": "s6BhdRkqt3",
  "sub": "s6BhdRkqt3",
  "aud": "https://server.example.com",
  "exp": 1700000300,
  "nbf": 1700000000,
  "iat": 1700000000,
  "jti": "0b7b3c2e-3f1d-4a8e-9d5c-2f6a1e8b7c90",
  "scope": "openid accounts payments",
  "redirect_uri": "https://client.example.org/cb",
  "response_type": "code",
  "client_id": "s6BhdRkqt3",
  "state": "af0ifjsldkj",
  "nonce": "n-0S6_WzA2Mj",
  "claims": {
    "id_token": {
      "acr": {"essential": true, "values": ["urn:openbanking:psd2:sca", "urn:openbanking:psd2:ca"]},
      "openbanking_intent_id": {"value": "urn-alphabank-intent-58923", "essential": true}
    },
    "userinfo": {"given_name": {"essential": true}, "email": null}
  }
}`)

func BenchmarkParseObject(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchClaims)))
	for b.Loop() {
		members, err := strictjson.ParseObject(benchClaims, strictjson.Limits{})
		if err != nil || len(members) != 14 {
			b.Fatal(members, err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchClaims)))
	for b.Loop() {
		if err := strictjson.Validate(benchClaims, strictjson.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSONUnmarshal is the lenient baseline, for comparison.
func BenchmarkEncodingJSONUnmarshal(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchClaims)))
	for b.Loop() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(benchClaims, &m); err != nil {
			b.Fatal(err)
		}
	}
}
