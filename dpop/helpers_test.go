package dpop_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/internal/fixtures"
)

const (
	tokenURL = "https://as.example.com/token"
	parURL   = "https://as.example.com/par"
)

// now is the fixed current time of the tests, a whole second.
var now = time.Unix(1_700_000_000, 0).UTC()

func at(d int64) int64 { return now.Unix() + d }

var allowedAlgorithms = []string{"PS256", "ES256", "EdDSA"}

// keyring holds the keys of the tests. They have no kid: a DPoP proof
// carries its key in the "jwk" header.
type keyring struct {
	ec, rsa, ed fixtures.Key // ES256, PS256, EdDSA
	ec384       fixtures.Key // P-384
	otherEC     fixtures.Key // a second P-256 key
}

var (
	ringOnce sync.Once
	ring     keyring
)

func keys() *keyring {
	ringOnce.Do(func() {
		ring.ec = fixtures.EC(elliptic.P256(), "", "ES256")
		ring.rsa = fixtures.RSA(2048, "", "PS256")
		ring.ed = fixtures.Ed25519("")
		ring.ec384 = fixtures.EC(elliptic.P384(), "", "ES384")
		ring.otherEC = fixtures.EC(elliptic.P256(), "", "ES256")
	})
	return &ring
}

// rules are the rules of the token endpoint used by most tests.
func rules() dpop.Rules {
	return dpop.Rules{
		Method:     "POST",
		URL:        tokenURL,
		Algorithms: allowedAlgorithms,
		MaxAge:     5 * time.Minute,
		ClockSkew:  10 * time.Second,
	}
}

var jtiCounter struct {
	sync.Mutex
	n int
}

// newJTI returns a jti no other proof of the test run uses.
func newJTI() string {
	jtiCounter.Lock()
	defer jtiCounter.Unlock()
	jtiCounter.n++
	return fmt.Sprintf("jti-%06d", jtiCounter.n)
}

// claims are the claims of a valid proof for POST tokenURL at now, changed
// by the name/value pairs of kv (a nil value removes the claim).
func claims(kv ...any) map[string]any {
	c := map[string]any{
		"jti": newJTI(),
		"htm": "POST",
		"htu": tokenURL,
		"iat": now.Unix(),
	}
	return with(c, kv...)
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		name := kv[i].(string)
		if kv[i+1] == nil {
			delete(m, name)
			continue
		}
		m[name] = kv[i+1]
	}
	return m
}

// proof signs c with k under alg (k.Alg when ""), with the header of a DPoP
// proof — typ dpop+jwt and k's public key as jwk — changed by the
// name/value pairs of hdr (a nil value removes the member).
func proof(k fixtures.Key, alg string, c map[string]any, hdr ...any) string {
	h := with(map[string]any{"typ": dpop.Type, "jwk": k.Public()}, hdr...)
	return fixtures.Sign(k, alg, c, h)
}

// valid is a valid ES256 proof for POST tokenURL at now.
func valid() string { return proof(keys().ec, "", claims()) }

// jwkOf returns the members of the public JWK of k.
func jwkOf(t testing.TB, k fixtures.Key) map[string]any {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(fixtures.JWKS(k), &set))
	require.Len(t, set.Keys, 1)
	m := set.Keys[0]
	delete(m, "kid")
	delete(m, "alg")
	delete(m, "use")
	return m
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// signRaw builds a compact JWS of the literal header and payload texts,
// signed with the standard library alone, for proofs no JOSE library would
// write (duplicate members, odd header shapes).
func signRaw(t testing.TB, key crypto.Signer, alg, header, payload string) string {
	t.Helper()
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	var sig []byte
	var err error
	switch alg {
	case "EdDSA", "Ed25519":
		sig = ed25519.Sign(key.(ed25519.PrivateKey), []byte(input))
	case "PS256":
		d := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, d[:],
			&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "ES256":
		d := sha256.Sum256([]byte(input))
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), d[:])
		if err == nil {
			sig = make([]byte, 64)
			r.FillBytes(sig[:32])
			s.FillBytes(sig[32:])
		}
	default:
		t.Fatalf("signRaw: unsupported alg %q", alg)
	}
	require.NoError(t, err)
	return input + "." + b64(sig)
}

// rawHeader is the JSON header text of a DPoP proof by k under alg.
func rawHeader(t testing.TB, k fixtures.Key, alg string) string {
	t.Helper()
	jwk, err := json.Marshal(jwkOf(t, k))
	require.NoError(t, err)
	return `{"typ":"dpop+jwt","alg":"` + alg + `","jwk":` + string(jwk) + `}`
}

// reasons lists the reasons of errs, in order.
func reasons(errs []*dpop.Error) []dpop.Reason {
	out := []dpop.Reason{}
	for _, e := range errs {
		out = append(out, e.Reason)
	}
	return out
}

// thumbprint computes the RFC 7638 thumbprint independently of the library.
func thumbprint(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	var canonical string
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		size := (p.Curve.Params().BitSize + 7) / 8
		canonical = fmt.Sprintf(`{"crv":"%s","kty":"EC","x":"%s","y":"%s"}`, p.Curve.Params().Name,
			b64(p.X.FillBytes(make([]byte, size))), b64(p.Y.FillBytes(make([]byte, size))))
	case *rsa.PublicKey:
		canonical = fmt.Sprintf(`{"e":"%s","kty":"RSA","n":"%s"}`, b64(big.NewInt(int64(p.E)).Bytes()), b64(p.N.Bytes()))
	case ed25519.PublicKey:
		canonical = fmt.Sprintf(`{"crv":"Ed25519","kty":"OKP","x":"%s"}`, b64(p))
	default:
		t.Fatalf("thumbprint: %T", pub)
	}
	sum := sha256.Sum256([]byte(canonical))
	return b64(sum[:])
}

// memCache is an in-memory ReplayCache.
type memCache struct {
	mu    sync.Mutex
	seen  map[string]time.Time
	calls []cacheCall
	err   error
}

type cacheCall struct {
	key       string
	expiresAt time.Time
}

func newCache() *memCache { return &memCache{seen: map[string]time.Time{}} }

func (c *memCache) CheckAndStore(key string, expiresAt time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, cacheCall{key, expiresAt})
	if c.err != nil {
		return false, c.err
	}
	if _, ok := c.seen[key]; ok {
		return true, nil
	}
	c.seen[key] = expiresAt
	return false, nil
}

func (c *memCache) callCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls)
}

// oracleVerify checks a compact JWS signature with the standard library
// alone, for the algorithms the tests allow.
func oracleVerify(signingInput string, sig []byte, alg string, pub crypto.PublicKey) bool {
	digest := sha256.Sum256([]byte(signingInput))
	switch alg {
	case "PS256":
		k, ok := pub.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
	case "ES256":
		k, ok := pub.(*ecdsa.PublicKey)
		return ok && k.Curve == elliptic.P256() && len(sig) == 64 &&
			ecdsa.Verify(k, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case "ES384":
		k, ok := pub.(*ecdsa.PublicKey)
		d := sha512.Sum384([]byte(signingInput))
		return ok && k.Curve == elliptic.P384() && len(sig) == 96 &&
			ecdsa.Verify(k, d[:], new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:]))
	case "EdDSA", "Ed25519":
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(k) == ed25519.PublicKeySize && ed25519.Verify(k, []byte(signingInput), sig)
	}
	return false
}
