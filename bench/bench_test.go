package bench

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/scope"
)

// The inputs are those of the library's own benchmarks (fapi/bench_test.go):
// the same service, client and 13-claim read-and-write request object,
// signed PS256 with RSA-2048 or ES256 with P-256, with a kid.

var now = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

const (
	issuer   = "https://as.example.com"
	tokenURL = "https://as.example.com/token"
	cb       = "https://client.example.org/cb"
	clientID = "rw"
)

// signingKey is a private key with its kid.
type signingKey struct {
	kid  string
	priv crypto.Signer
}

var (
	keysOnce sync.Once
	keys     map[string]signingKey // by algorithm
	others   map[string]signingKey // another key of the same type and kid
)

// keyFor returns the client's key for alg and another key of the same
// type, size and kid, generated once per test binary.
func keyFor(tb testing.TB, alg string) (signingKey, signingKey) {
	tb.Helper()
	keysOnce.Do(func() {
		keys, others = map[string]signingKey{}, map[string]signingKey{}
		for _, m := range []map[string]signingKey{keys, others} {
			r, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			e, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				panic(err)
			}
			m["PS256"] = signingKey{kid: "k1", priv: r}
			m["ES256"] = signingKey{kid: "ec1", priv: e}
		}
	})
	k, ok := keys[alg]
	if !ok {
		tb.Fatalf("no key for %s", alg)
	}
	return k, others[alg]
}

// benchClaims is the read-and-write baseline request object: 13 claims.
func benchClaims() map[string]any {
	return map[string]any{
		"iss": clientID, "aud": issuer, "exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix(), "jti": "ro-jti-1",
		"client_id": clientID, "response_type": "code id_token", "redirect_uri": cb,
		"scope": "openid payments", "state": "af0ifjsldkj", "nonce": "n-0S6_WzA2Mj",
		"claims":  map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{"urn:example:sca"}}}},
		"max_age": 300,
	}
}

// sign returns claims as a compact JWS signed with key under alg, with
// the key's kid in the header.
func sign(tb testing.TB, alg string, key any, kid string, claims map[string]any) string {
	tb.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(alg),
		Key:       jose.JSONWebKey{Key: key, KeyID: kid},
	}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// jwks is the client's registered JWK Set: its public key, with kid, alg
// and use.
func jwks(tb testing.TB, k signingKey, alg string) json.RawMessage {
	tb.Helper()
	out, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: k.priv.Public(), KeyID: k.kid, Algorithm: alg, Use: "sig",
	}}})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// service and client are the configuration of fapi's benchmarks: a FAPI
// 1.0 ID2 service whose payments scope selects the read-and-write profile.
func service() *fapi.Service {
	return &fapi.Service{
		Issuer:                   issuer,
		TokenEndpoint:            tokenURL,
		SupportedServiceProfiles: []string{"fapi"},
		FAPIVersion:              "1.0-id2",
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
			{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
		},
		TokenEndpointAuthMethodsSupported:     []string{"private_key_jwt", "tls_client_auth", "none"},
		ResponseTypesSupported:                []string{"code id_token", "code"},
		AcrValuesSupported:                    []string{"urn:example:sca"},
		TLSClientCertificateBoundAccessTokens: true,
	}
}

func client(tb testing.TB, k signingKey, alg string) fapi.Client {
	tb.Helper()
	return fapi.Client{
		ClientID:                              clientID,
		ClientType:                            "confidential",
		RedirectURIs:                          []string{cb},
		TokenEndpointAuthMethod:               "private_key_jwt",
		JWKS:                                  jwks(tb, k, alg),
		ResponseTypes:                         []string{"code id_token"},
		TLSClientCertificateBoundAccessTokens: true,
		RequestObjectSigningAlg:               alg,
		TokenEndpointAuthSigningAlg:           "PS256",
		IDTokenSignedResponseAlg:              "PS256",
	}
}

// fixture is one algorithm's inputs: the valid request object and
// everything each checker needs to judge it.
type fixture struct {
	key   signingKey
	other signingKey
	token string
	reg   *registration

	svc *fapi.Service
	pc  *fapi.PreparedClient
}

func newFixture(tb testing.TB, alg string) *fixture {
	tb.Helper()
	k, other := keyFor(tb, alg)
	f := &fixture{
		key: k, other: other,
		token: sign(tb, alg, k.priv, k.kid, benchClaims()),
		reg: &registration{
			Issuer: issuer, ClientID: clientID, RedirectURI: cb, Alg: alg,
			Key: k.priv.Public(), Skew: fapi.DefaultClockSkew,
			Now: func() time.Time { return now },
		},
		svc: service(),
		pc:  fapi.PrepareClient(client(tb, k, alg)),
	}
	return f
}

// request is the authorization request that carries token by value.
func request(token string) *fapi.AuthorizationRequest {
	return &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {clientID}, "response_type": {"code id_token"}, "scope": {"openid payments"}, "request": {token},
	}}
}

// checkers returns every check of a request object, by name: fapicheck's
// and the three hand-rolled ones.
func (f *fixture) checkers(tb testing.TB) map[string]func(token string) error {
	tb.Helper()
	jwx, err := newJWXChecker(f.reg)
	if err != nil {
		tb.Fatal(err)
	}
	goJose, err := newGoJoseChecker(f.reg)
	if err != nil {
		tb.Fatal(err)
	}
	return map[string]func(string) error{
		"Fapicheck": func(token string) error {
			if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, request(token), now); !r.OK() {
				return violations(r.Report)
			}
			return nil
		},
		"JWX":       jwx.check,
		"GoJose":    goJose.check,
		"GolangJWT": newGolangJWTChecker(f.reg).check,
	}
}

type violations fapi.Report

func (v violations) Error() string {
	codes := make([]string, len(v.Violations))
	for i, x := range v.Violations {
		codes[i] = string(x.Code)
	}
	return strings.Join(codes, ", ")
}

// floor is what no validator can skip: split the compact JWS, decode its
// three parts, hash the signing input, verify the signature, and decode
// the claims. It is the floor of fapi's benchmarks, on the same input.
func floor(b *testing.B, alg string) {
	f := newFixture(b, alg)
	b.ReportAllocs()
	for b.Loop() {
		if err := f.floorOnce(); err != nil {
			b.Fatal(err)
		}
	}
}

// floorOnce does the floor's work once and says which step failed, if one
// did.
func (f *fixture) floorOnce() error {
	enc := base64.RawURLEncoding
	i1 := strings.IndexByte(f.token, '.')
	i2 := strings.LastIndexByte(f.token, '.')
	hdr, err1 := enc.DecodeString(f.token[:i1])
	payload, err2 := enc.DecodeString(f.token[i1+1 : i2])
	sig, err3 := enc.DecodeString(f.token[i2+1:])
	if err1 != nil || err2 != nil || err3 != nil || len(hdr) == 0 {
		return errors.New("decode")
	}
	sum := sha256.Sum256([]byte(f.token[:i2]))
	switch pub := f.key.priv.Public().(type) {
	case *rsa.PublicKey:
		if rsa.VerifyPSS(pub, crypto.SHA256, sum[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) != nil {
			return errors.New("verify")
		}
	case *ecdsa.PublicKey:
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(pub, sum[:], r, s) {
			return errors.New("verify")
		}
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return errors.New("json")
	}
	return nil
}

// run benchmarks one hand-rolled checker on the valid token; the setup
// (keys, parse options) is outside the timed loop.
func run(b *testing.B, alg, name string) {
	f := newFixture(b, alg)
	check := f.checkers(b)[name]
	if err := check(f.token); err != nil {
		b.Fatalf("%s rejects the valid %s request object: %v", name, alg, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := check(f.token); err != nil {
			b.Fatal(err)
		}
	}
}

// runFapicheck is fapi's BenchmarkAuthorizationReadWrite: one prepared
// client and one request, checked again and again.
func runFapicheck(b *testing.B, alg string) {
	f := newFixture(b, alg)
	req := request(f.token)
	if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, req, now); !r.OK() {
		b.Fatalf("fapicheck rejects the valid %s request object: %v", alg, violations(r.Report))
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, req, now); !r.OK() {
			b.Fatal(violations(r.Report))
		}
	}
}

func BenchmarkFloorPS256(b *testing.B) { floor(b, "PS256") }
func BenchmarkFloorES256(b *testing.B) { floor(b, "ES256") }

func BenchmarkFapicheckPS256(b *testing.B) { runFapicheck(b, "PS256") }
func BenchmarkFapicheckES256(b *testing.B) { runFapicheck(b, "ES256") }

func BenchmarkJWXPS256(b *testing.B) { run(b, "PS256", "JWX") }
func BenchmarkJWXES256(b *testing.B) { run(b, "ES256", "JWX") }

func BenchmarkGoJosePS256(b *testing.B) { run(b, "PS256", "GoJose") }
func BenchmarkGoJoseES256(b *testing.B) { run(b, "ES256", "GoJose") }

func BenchmarkGolangJWTPS256(b *testing.B) { run(b, "PS256", "GolangJWT") }
func BenchmarkGolangJWTES256(b *testing.B) { run(b, "ES256", "GolangJWT") }

func BenchmarkInterleavedPS256(b *testing.B) { interleaved(b, "PS256") }
func BenchmarkInterleavedES256(b *testing.B) { interleaved(b, "ES256") }

// interleaved compares fapicheck with each hand-rolled check in turn, in a
// sub-benchmark per library (golang-jwt, go-jose, jwx): each iteration runs
// the floor, fapicheck and that library's check once, in an order that
// rotates from one iteration to the next, and times each call on its own.
// All three get their share of every second of the run, so a machine whose
// speed drifts (a shared virtual machine) slows them alike, and their ratios
// hold even when the absolute times of separate benchmarks do not. Only
// three checks share a loop so that the garbage of a library that allocates
// much (jwx) does not make the collector run during the others' calls.
//
// Each sub-benchmark reports the mean time of one call of each
// (<name>-ns/call), the ratios to the floor (<name>/floor) and fapicheck's
// time divided by the library's (fapicheck/<library>: below 1 means
// fapicheck is faster). The ns/op of the benchmark itself is the sum of
// the three.
func interleaved(b *testing.B, alg string) {
	f := newFixture(b, alg)
	req := request(f.token)
	cs := f.checkers(b)
	fapicheck := func() error {
		if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, req, now); !r.OK() {
			return violations(r.Report)
		}
		return nil
	}
	for _, lib := range []struct{ name, checker string }{
		{"golang-jwt", "GolangJWT"}, {"go-jose", "GoJose"}, {"jwx", "JWX"},
	} {
		other := cs[lib.checker]
		b.Run(lib.name, func(b *testing.B) {
			interleave(b, []*timedCheck{
				{name: "floor", check: f.floorOnce},
				{name: "fapicheck", check: fapicheck},
				{name: lib.name, check: func() error { return other(f.token) }},
			})
		})
	}
}

// timedCheck is one check of an interleaved benchmark and its total time.
type timedCheck struct {
	name  string
	check func() error
	total time.Duration
}

// interleave runs the floor (checks[0]), fapicheck (checks[1]) and another
// check (checks[2]) in rotating order and reports their times and ratios.
func interleave(b *testing.B, checks []*timedCheck) {
	for _, c := range checks {
		if err := c.check(); err != nil {
			b.Fatalf("%s rejects the valid request object: %v", c.name, err)
		}
	}
	n := 0
	for b.Loop() {
		for k := range checks {
			c := checks[(n+k)%len(checks)]
			start := time.Now()
			err := c.check()
			c.total += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
		}
		n++
	}
	floorNs, fapicheckNs, other := float64(checks[0].total), float64(checks[1].total), checks[2]
	for _, c := range checks {
		b.ReportMetric(float64(c.total.Nanoseconds())/float64(n), c.name+"-ns/call")
	}
	for _, c := range checks[1:] {
		b.ReportMetric(float64(c.total)/floorNs, c.name+"/floor")
	}
	b.ReportMetric(fapicheckNs/float64(other.total), "fapicheck/"+other.name)
}
