package fapi_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/requestobject"
)

// The benchmarks measure the library against the floor: the work no
// validator of the same request can skip. See BENCHMARKS.md.

var benchECKey = fixtures.EC(elliptic.P256(), "ec1", "ES256")

// benchClaims is the read-and-write baseline request object: 13 claims.
func benchClaims() map[string]any {
	return map[string]any{
		"iss": "rw", "aud": issuer, "exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix(), "jti": "ro-jti-1",
		"client_id": "rw", "response_type": "code id_token", "redirect_uri": cb,
		"scope": "openid payments", "state": "af0ifjsldkj", "nonce": "n-0S6_WzA2Mj",
		"claims":  map[string]any{"id_token": map[string]any{"acr": map[string]any{"essential": true, "values": []string{"urn:example:sca"}}}},
		"max_age": 300,
	}
}

type benchFixture struct {
	svc   *fapi.Service
	pc    *fapi.PreparedClient
	req   *fapi.AuthorizationRequest
	token string
	pub   crypto.PublicKey
	alg   string
}

func newBenchFixture(b *testing.B, alg string) benchFixture {
	b.Helper()
	key := clientKey
	if alg == "ES256" {
		key = benchECKey
	}
	c := rwClient()
	c.JWKS = json.RawMessage(fixtures.JWKS(key))
	c.RequestObjectSigningAlg = alg
	tok := fixtures.Sign(key, alg, benchClaims(), nil)
	req := &fapi.AuthorizationRequest{Params: fapi.Params{
		"client_id": {"rw"}, "response_type": {"code id_token"}, "scope": {"openid payments"}, "request": {tok},
	}}
	f := benchFixture{svc: service(), pc: fapi.PrepareClient(c), req: req, token: tok, pub: key.Public(), alg: alg}
	if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, f.req, now); !r.OK() {
		b.Fatalf("the benchmark request is not valid: %v", r.Violations)
	}
	return f
}

// floor is what no validator can skip: split the compact JWS, decode its
// three parts, hash the signing input, verify the signature, and decode the
// claims.
func floor(b *testing.B, f benchFixture) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := floorOnce(f); err != nil {
			b.Fatal(err)
		}
	}
}

// floorOnce does the floor's work once and says which step failed, if one
// did. It does not call b.Fatal itself: RunParallel's goroutines must not.
func floorOnce(f benchFixture) error {
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
	switch pub := f.pub.(type) {
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

func checkRW(b *testing.B, f benchFixture) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, f.req, now); !r.OK() {
			b.Fatal(r.Violations)
		}
	}
}

func BenchmarkFloorPS256(b *testing.B) { floor(b, newBenchFixture(b, "PS256")) }
func BenchmarkFloorES256(b *testing.B) { floor(b, newBenchFixture(b, "ES256")) }

func BenchmarkAuthorizationReadWritePS256(b *testing.B) { checkRW(b, newBenchFixture(b, "PS256")) }
func BenchmarkAuthorizationReadWriteES256(b *testing.B) { checkRW(b, newBenchFixture(b, "ES256")) }

// BenchmarkAuthorizationReadWriteParallel runs the read-and-write check
// through one prepared client from every core.
func BenchmarkAuthorizationReadWriteParallel(b *testing.B) {
	f := newBenchFixture(b, "PS256")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r := fapi.CheckAuthorizationRequest(f.svc, f.pc, f.req, now); !r.OK() {
				b.Error(r.Violations)
				return
			}
		}
	})
}

// BenchmarkFloorPS256Parallel runs the PS256 floor from every core. It is
// the reference for BenchmarkAuthorizationReadWriteParallel: on a machine
// whose cores are shared or throttled the floor itself scales by less than
// the core count, and the check cannot scale better than its floor.
func BenchmarkFloorPS256Parallel(b *testing.B) {
	f := newBenchFixture(b, "PS256")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := floorOnce(f); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkAuthorizationReadOnly is the read-only public-client request:
// no cryptography.
func BenchmarkAuthorizationReadOnly(b *testing.B) {
	svc, pc, req := service(), fapi.PrepareClient(publicClient()), roRequest()
	if r := fapi.CheckAuthorizationRequest(svc, pc, req, now); !r.OK() {
		b.Fatal(r.Violations)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := fapi.CheckAuthorizationRequest(svc, pc, req, now); !r.OK() {
			b.Fatal(r.Violations)
		}
	}
}

// BenchmarkCheckerAuthorizationReadOnly is BenchmarkAuthorizationReadOnly
// through a prepared Checker: the service is validated once, not per
// request.
func BenchmarkCheckerAuthorizationReadOnly(b *testing.B) {
	ck, _ := fapi.NewChecker(*service())
	pc, req := fapi.PrepareClient(publicClient()), roRequest()
	if r := ck.Authorization(pc, req, now); !r.OK() {
		b.Fatal(r.Violations)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := ck.Authorization(pc, req, now); !r.OK() {
			b.Fatal(r.Violations)
		}
	}
}

func BenchmarkTokenPrivateKeyJWTPS256(b *testing.B) {
	svc, pc, tr := service(), fapi.PrepareClient(rwClient()), rwTokenRequest()
	if r := fapi.CheckTokenRequest(svc, pc, tr, now); !r.OK() {
		b.Fatal(r.Violations)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := fapi.CheckTokenRequest(svc, pc, tr, now); !r.OK() {
			b.Fatal(r.Violations)
		}
	}
}

// denseClaims is a claims parameter (OIDC Core §5.5) of exactly size bytes
// whose bulk is one array of small numbers: the shape that costs a generic
// JSON decoder the most per byte (a number and an interface per two bytes).
func denseClaims(size int) string {
	const prefix, suffix = `{"userinfo":{"x":{"values":[`, `]}}}`
	n := (size - len(prefix) - len(suffix) + 1) / 2 // n numbers take 2n-1 bytes
	var s strings.Builder
	s.Grow(size)
	s.WriteString(prefix)
	s.WriteString(strings.Repeat("1,", n-1))
	s.WriteString("1")
	s.WriteString(strings.Repeat(" ", size-s.Len()-len(suffix)))
	s.WriteString(suffix)
	return s.String()
}

// worstOutside checks the read-and-write request of newBenchFixture with
// claims, a value other than the one inside, also sent outside the request
// object. FAPI-RW-5.2.2-10 requires every outside parameter to be inside
// with the same value (OutsideMustMatch), so the only violation is the
// mismatch on claims; the benchmark measures what the refusal costs.
func worstOutside(b *testing.B, claims string) {
	f := newBenchFixture(b, "PS256")
	req := &fapi.AuthorizationRequest{Params: fapi.Params{}}
	for name, vals := range f.req.Params {
		req.Params[name] = vals
	}
	req.Params["claims"] = []string{claims}
	check := func() {
		r := fapi.CheckAuthorizationRequest(f.svc, f.pc, req, now)
		if len(r.Violations) != 1 || r.Violations[0].Code != fapi.CodeRequestObjectParamMismatch || r.Violations[0].Field != "claims" {
			b.Fatalf("want only %s on claims, got %v", fapi.CodeRequestObjectParamMismatch, r.Violations)
		}
	}
	check()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		check()
	}
}

// BenchmarkWorstOutsideParameter sends 1 MiB of JSON in claims outside a
// valid read-and-write request object: the largest cost an outside
// parameter can impose is bounded by requestobject.MaxClaimsSize, not by the
// size of the request.
func BenchmarkWorstOutsideParameter(b *testing.B) {
	worstOutside(b, denseClaims(1<<20))
}

// BenchmarkWorstOutsideParameterAtBound is BenchmarkWorstOutsideParameter
// with the largest claims value that is still compared as JSON:
// requestobject.MaxClaimsSize bytes.
func BenchmarkWorstOutsideParameterAtBound(b *testing.B) {
	worstOutside(b, denseClaims(requestobject.MaxClaimsSize))
}
