package bench

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// with returns the baseline claims with the given members replaced
// (deleted when the value is nil).
func with(changes map[string]any) map[string]any {
	c := benchClaims()
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// unsigned returns claims as an unsecured JWT: {"alg":"none"} and an
// empty signature (RFC 7519 §6).
func unsigned(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString(payload) + "."
}

// TestChecks makes sure that every check compared in the benchmarks
// accepts the benchmark's request object and rejects broken ones, so that
// none of them is fast because it checks less.
func TestChecks(t *testing.T) {
	for _, alg := range []string{"PS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			checkers := f.checkers(t)
			pubDER, err := x509.MarshalPKIXPublicKey(f.key.priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			signed := func(claims map[string]any) string {
				return sign(t, alg, f.key.priv, f.key.kid, claims)
			}
			bad := map[string]string{
				"alg none":                  unsigned(t, benchClaims()),
				"alg none, kid":             noneWithKid(t, f.key.kid, benchClaims()),
				"signed by another key":     sign(t, alg, f.other.priv, f.other.kid, benchClaims()),
				"HS256 with the public key": sign(t, "HS256", pubDER, f.key.kid, benchClaims()),
				"tampered payload":          tamper(t, f.token),
				"expired a minute ago":      signed(with(map[string]any{"exp": now.Add(-time.Minute).Unix()})),
				"expired a second ago":      signed(with(map[string]any{"exp": now.Add(-time.Second).Unix()})),
				"expiring now":              signed(with(map[string]any{"exp": now.Unix()})),
				"no exp":                    signed(with(map[string]any{"exp": nil})),
				"nbf beyond the skew":       signed(with(map[string]any{"nbf": now.Add(11 * time.Second).Unix()})),
				"iat beyond the skew":       signed(with(map[string]any{"iat": now.Add(11 * time.Second).Unix()})),
				"aud another server":        signed(with(map[string]any{"aud": "https://other.example.com"})),
				"no aud":                    signed(with(map[string]any{"aud": nil})),
				"iss another client":        signed(with(map[string]any{"iss": "other"})),
				"client_id another client":  signed(with(map[string]any{"client_id": "other"})),
				"redirect_uri unregistered": signed(with(map[string]any{"redirect_uri": "https://client.example.org/other"})),
				"no response_type":          signed(with(map[string]any{"response_type": nil})),
				"no redirect_uri":           signed(with(map[string]any{"redirect_uri": nil})),
				"no scope":                  signed(with(map[string]any{"scope": nil})),
				"no nonce":                  signed(with(map[string]any{"nonce": nil})),
				"no state":                  signed(with(map[string]any{"state": nil})),
				"acr not essential": signed(with(map[string]any{"claims": map[string]any{
					"id_token": map[string]any{"acr": map[string]any{"essential": false, "values": []string{"urn:example:sca"}}}}})),
				"no claims": signed(with(map[string]any{"claims": nil})),
			}
			if alg == "PS256" {
				// The client's own key, under an algorithm it did not
				// register.
				bad["RS256 with the client's key"] = sign(t, "RS256", f.key.priv, f.key.kid, benchClaims())
			}
			good := map[string]string{
				"benchmark request object": f.token,
				"nbf and iat within the skew": signed(with(map[string]any{
					"nbf": now.Add(10 * time.Second).Unix(), "iat": now.Add(10 * time.Second).Unix()})),
				"expiring in a second": signed(with(map[string]any{"exp": now.Add(time.Second).Unix()})),
			}
			for _, name := range slices.Sorted(maps.Keys(checkers)) {
				check := checkers[name]
				t.Run(name, func(t *testing.T) {
					for _, c := range slices.Sorted(maps.Keys(good)) {
						if err := check(good[c]); err != nil {
							t.Errorf("%s: rejected: %v", c, err)
						}
					}
					for _, c := range slices.Sorted(maps.Keys(bad)) {
						if name == "Fapicheck" && c == "no state" {
							// The profile requires state only when openid
							// is not requested; the hand-rolled checks
							// require it always, which costs the same.
							continue
						}
						if err := check(bad[c]); err == nil {
							t.Errorf("%s: accepted", c)
						}
					}
				})
			}
		})
	}
}

// noneWithKid is an unsecured JWT whose header also names the client's
// key, to show that a kid does not make alg none acceptable.
func noneWithKid(tb testing.TB, kid string, claims map[string]any) string {
	tb.Helper()
	hdr, err := json.Marshal(map[string]string{"alg": "none", "kid": kid})
	if err != nil {
		tb.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload) + "."
}

// tamper re-encodes the payload of token with another state, keeping the
// header and the signature.
func tamper(tb testing.TB, token string) string {
	tb.Helper()
	enc := base64.RawURLEncoding
	i1, i2 := strings.IndexByte(token, '.'), strings.LastIndexByte(token, '.')
	payload, err := enc.DecodeString(token[i1+1 : i2])
	if err != nil {
		tb.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		tb.Fatal(err)
	}
	claims["state"] = "tampered"
	payload, err = json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	return token[:i1+1] + enc.EncodeToString(payload) + token[i2:]
}
