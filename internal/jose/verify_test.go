package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/internal/fixtures"
	"github.com/fapicheck/fapicheck/internal/jose"
)

var asymmetricAlgs = []string{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, jose.Ed25519,
}

var hmacSecret = []byte("0123456789abcdef0123456789abcdef-client-secret")

func emptySet(t testing.TB) *jose.KeySet {
	t.Helper()
	set, err := jose.ParseKeySet([]byte(`{"keys":[]}`))
	require.NoError(t, err)
	require.Equal(t, 0, set.Len())
	return set
}

// TestVerifyAllowListBeforeKeys proves that the algorithm is judged before
// any key: with no key at all the error is ErrAlgNotAllowed, not ErrNoKey.
func TestVerifyAllowListBeforeKeys(t *testing.T) {
	full := setOf(t, rsaA, rsaRS, ecA, ec384, edA)
	tokens := map[string]string{
		"PS256": fixtures.Sign(rsaA, jose.PS256, sample, nil),
		"RS256": fixtures.Sign(rsaRS, jose.RS256, sample, nil),
		"ES256": fixtures.Sign(ecA, jose.ES256, sample, nil),
		"ES384": fixtures.Sign(ec384, jose.ES384, sample, nil),
		"EdDSA": fixtures.Sign(edA, jose.EdDSA, sample, nil),
		"HS256": fixtures.SignHMAC(hmacSecret, jose.HS256, sample),
	}
	allowLists := map[string][]string{
		"nil":                  nil,
		"empty":                {},
		"other algorithms":     {jose.ES512, jose.PS512},
		"lower case":           {"ps256", "rs256", "es256", "es384", "eddsa", "hs256"},
		"with spaces":          {" PS256", "RS256 ", "ES256\x00", "ES384\n", "EdDSA ", "HS256 "},
		"none in allow-list":   {"none"},
		"empty string allowed": {""},
	}
	keySets := map[string]*jose.KeySet{
		"nil set":   nil,
		"empty set": emptySet(t),
		"full set":  full,
	}
	for tn, tok := range tokens {
		j := parse(t, tok)
		for an, allowed := range allowLists {
			for sn, set := range keySets {
				t.Run(tn+"/"+an+"/"+sn, func(t *testing.T) {
					k, err := j.Verify(allowed, set)
					assert.Nil(t, k)
					assertKind(t, err, jose.ErrAlgNotAllowed)
				})
			}
			t.Run(tn+"/"+an+"/VerifyWithKey", func(t *testing.T) {
				assertKind(t, j.VerifyWithKey(allowed, nil), jose.ErrAlgNotAllowed)
			})
			t.Run(tn+"/"+an+"/VerifySecret", func(t *testing.T) {
				assertKind(t, j.VerifySecret(allowed, nil), jose.ErrAlgNotAllowed)
			})
		}
	}

	t.Run("allowed but no key is ErrNoKey", func(t *testing.T) {
		for _, set := range []*jose.KeySet{nil, emptySet(t)} {
			_, err := parse(t, tokens["PS256"]).Verify([]string{jose.PS256}, set)
			assertKind(t, err, jose.ErrNoKey)
		}
	})
	t.Run("unsupported algorithm even if allowed", func(t *testing.T) {
		for _, alg := range []string{"ES256K", "XS256", "RSA-OAEP", "dir", "Ed448", "ML-DSA-44"} {
			j := parse(t, fixtures.Raw(`{"alg":"`+alg+`"}`, `{}`, []byte{1, 2, 3}))
			_, err := j.Verify([]string{alg}, full)
			assertKind(t, err, jose.ErrAlgNotAllowed)
			assertKind(t, j.VerifyWithKey([]string{alg}, ecA.Public()), jose.ErrAlgNotAllowed)
			assertKind(t, j.VerifySecret([]string{alg}, hmacSecret), jose.ErrAlgNotAllowed)
		}
	})
}

func TestVerifyKidSelection(t *testing.T) {
	setAB := setOf(t, rsaA, rsaB)
	stranger := fixtures.RSA(2048, "rsa-a", jose.PS256)
	noKid := rsaB
	noKid.ID = ""
	mixed := setOf(t, rsaA, noKid) // rsa-a, and rsaB registered without kid
	dup1, dup2 := rsaA, rsaB
	dup1.ID, dup2.ID = "dup", "dup"
	dupSet := setOf(t, dup1, dup2)
	fromPublic, err := jose.NewKeySet(rsaB.Public())
	require.NoError(t, err)

	withKid := func(k fixtures.Key, kid string) string {
		k.ID = kid
		return fixtures.Sign(k, jose.PS256, sample, nil)
	}
	tests := []struct {
		name    string
		token   string
		set     *jose.KeySet
		want    error
		wantKey fixtures.Key
	}{
		{"kid A signed by A", withKid(rsaA, "rsa-a"), setAB, nil, rsaA},
		{"kid B signed by B", withKid(rsaB, "rsa-b"), setAB, nil, rsaB},
		{"kid A signed by B: B is not tried", withKid(rsaB, "rsa-a"), setAB, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"kid B signed by A: A is not tried", withKid(rsaA, "rsa-b"), setAB, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"kid naming an absent key", withKid(rsaA, "rsa-z"), setAB, jose.ErrNoKey, fixtures.Key{}},
		{"kid differs in case", withKid(rsaA, "RSA-A"), setAB, jose.ErrNoKey, fixtures.Key{}},
		{"kid with trailing space", withKid(rsaA, "rsa-a "), setAB, jose.ErrNoKey, fixtures.Key{}},
		{"kid prefix", withKid(rsaA, "rsa-"), setAB, jose.ErrNoKey, fixtures.Key{}},
		{"no kid: every key is tried", withKid(rsaB, ""), setAB, nil, rsaB},
		{"no kid, unregistered signer", withKid(stranger, ""), setAB, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"registered kid, unregistered signer", withKid(stranger, "rsa-a"), setAB, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"kid-less key tried when no key has the kid", withKid(rsaB, "whatever"), mixed, nil, noKid},
		{"kid-less key not tried when a key has the kid", withKid(rsaB, "rsa-a"), mixed, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"kid-less key from public keys", withKid(rsaB, "rsa-b"), fromPublic, nil, noKid},
		{"kid-less key from public keys, wrong signer", withKid(rsaA, "rsa-b"), fromPublic, jose.ErrSignatureInvalid, fixtures.Key{}},
		{"duplicate kid: first key", withKid(rsaA, "dup"), dupSet, nil, dup1},
		{"duplicate kid: second key", withKid(rsaB, "dup"), dupSet, nil, dup2},
		{"duplicate kid: stranger", withKid(stranger, "dup"), dupSet, jose.ErrSignatureInvalid, fixtures.Key{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := parse(t, tc.token).Verify([]string{jose.PS256}, tc.set)
			if tc.want != nil {
				assert.Nil(t, k)
				assertKind(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantKey.ID, k.ID)
			assert.True(t, jose.SamePublicKey(tc.wantKey.Public(), k.Public))
		})
	}
}

func TestVerifyKeyRestrictions(t *testing.T) {
	ps256 := fixtures.Sign(rsaA, jose.PS256, sample, nil)
	tests := []struct {
		name  string
		token string
		key   fixtures.Key
		mod   func(m map[string]any)
		want  error
	}{
		{"use sig", ps256, rsaA, func(m map[string]any) { m["use"] = "sig" }, nil},
		{"no use", ps256, rsaA, func(m map[string]any) { delete(m, "use") }, nil},
		{"use enc", ps256, rsaA, func(m map[string]any) { m["use"] = "enc" }, jose.ErrNoKey},
		{"use SIG", ps256, rsaA, func(m map[string]any) { m["use"] = "SIG" }, jose.ErrNoKey},
		{"use unknown", ps256, rsaA, func(m map[string]any) { m["use"] = "tls" }, jose.ErrNoKey},
		{"key_ops verify", ps256, rsaA, func(m map[string]any) { m["key_ops"] = []string{"verify"} }, nil},
		{"key_ops sign and verify", ps256, rsaA, func(m map[string]any) { m["key_ops"] = []string{"sign", "verify"} }, nil},
		{"key_ops sign only", ps256, rsaA, func(m map[string]any) { m["key_ops"] = []string{"sign"} }, jose.ErrNoKey},
		{"key_ops encrypt", ps256, rsaA, func(m map[string]any) { m["key_ops"] = []string{"encrypt", "wrapKey"} }, jose.ErrNoKey},
		{"key_ops Verify", ps256, rsaA, func(m map[string]any) { m["key_ops"] = []string{"Verify"} }, jose.ErrNoKey},
		{"use enc with key_ops verify", ps256, rsaA, func(m map[string]any) {
			m["use"] = "enc"
			m["key_ops"] = []string{"verify"}
		}, jose.ErrNoKey},
		{"alg PS256", ps256, rsaA, func(m map[string]any) { m["alg"] = "PS256" }, nil},
		{"no alg", ps256, rsaA, func(m map[string]any) { delete(m, "alg") }, nil},
		{"alg ES256 on an RSA key", ps256, rsaA, func(m map[string]any) { m["alg"] = "ES256" }, jose.ErrNoKey},
		{"alg RS256 for a PS256 token", ps256, rsaA, func(m map[string]any) { m["alg"] = "RS256" }, jose.ErrNoKey},
		{"alg PS384 for a PS256 token", ps256, rsaA, func(m map[string]any) { m["alg"] = "PS384" }, jose.ErrNoKey},
		{"alg ps256", ps256, rsaA, func(m map[string]any) { m["alg"] = "ps256" }, jose.ErrNoKey},
		{"alg RSA-OAEP", ps256, rsaA, func(m map[string]any) { m["alg"] = "RSA-OAEP" }, jose.ErrNoKey},
		{"Ed25519 key with alg EdDSA, EdDSA token", fixtures.Sign(edA, jose.EdDSA, sample, nil), edA, nil, nil},
		{"Ed25519 key with alg Ed25519, EdDSA token", fixtures.Sign(edA, jose.EdDSA, sample, nil), edA,
			func(m map[string]any) { m["alg"] = "Ed25519" }, nil},
		{"Ed25519 key with alg EdDSA, Ed25519 token",
			signCompact(t, edA.Private, jose.Ed25519, `{"alg":"Ed25519","kid":"ed-a"}`, mustJSON(t, sample)), edA, nil, nil},
		{"Ed25519 key with alg ES256", fixtures.Sign(edA, jose.EdDSA, sample, nil), edA,
			func(m map[string]any) { m["alg"] = "ES256" }, jose.ErrNoKey},
		{"EC key use enc", fixtures.Sign(ecA, jose.ES256, sample, nil), ecA,
			func(m map[string]any) { m["use"] = "enc" }, jose.ErrNoKey},
		{"EC key alg ES384", fixtures.Sign(ecA, jose.ES256, sample, nil), ecA,
			func(m map[string]any) { m["alg"] = "ES384" }, jose.ErrNoKey},
	}
	allowed := []string{jose.PS256, jose.ES256, jose.EdDSA, jose.Ed25519}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mod := tc.mod
			if mod == nil {
				mod = func(map[string]any) {}
			}
			set := modifiedSet(t, tc.key, mod)
			k, err := parse(t, tc.token).Verify(allowed, set)
			if tc.want != nil {
				assert.Nil(t, k)
				assertKind(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.key.ID, k.ID)
		})
	}

	t.Run("an unusable key with the kid hides a usable one without", func(t *testing.T) {
		enc := jwkMaps(t, rsaA)[0]
		enc["use"] = "enc"
		sig := jwkMaps(t, rsaA)[0]
		delete(sig, "kid")
		set, err := jose.ParseKeySet(setJSON(t, enc, sig))
		require.NoError(t, err)
		_, err = parse(t, ps256).Verify([]string{jose.PS256}, set)
		assertKind(t, err, jose.ErrNoKey)
	})
}

// TestVerifyKeyTypeConfusion: a key is only used with its own algorithm
// family, and an EC key only with the algorithm of its curve.
func TestVerifyKeyTypeConfusion(t *testing.T) {
	// relabel publishes k under kid without any "alg", so that only the key
	// type and curve decide.
	relabel := func(k fixtures.Key, kid string) *jose.KeySet {
		k.ID, k.Alg = kid, ""
		return setOf(t, k)
	}
	tests := []struct {
		name  string
		token string
		set   *jose.KeySet
	}{
		{"ES256 token, P-384 key", fixtures.Sign(ecA, jose.ES256, sample, nil), relabel(ec384, "ec-a")},
		{"ES256 token, P-521 key", fixtures.Sign(ecA, jose.ES256, sample, nil), relabel(ec521, "ec-a")},
		{"ES384 token, P-256 key", fixtures.Sign(ec384, jose.ES384, sample, nil), relabel(ecA, "ec-384")},
		{"ES512 token, P-384 key", fixtures.Sign(ec521, jose.ES512, sample, nil), relabel(ec384, "ec-521")},
		{"ES256 token, RSA key", fixtures.Sign(ecA, jose.ES256, sample, nil), relabel(rsaA, "ec-a")},
		{"ES256 token, Ed25519 key", fixtures.Sign(ecA, jose.ES256, sample, nil), relabel(edA, "ec-a")},
		{"PS256 token, EC key", fixtures.Sign(rsaA, jose.PS256, sample, nil), relabel(ecA, "rsa-a")},
		{"RS256 token, EC key", fixtures.Sign(rsaRS, jose.RS256, sample, nil), relabel(ecA, "rsa-rs")},
		{"PS256 token, Ed25519 key", fixtures.Sign(rsaA, jose.PS256, sample, nil), relabel(edA, "rsa-a")},
		{"EdDSA token, EC key", fixtures.Sign(edA, jose.EdDSA, sample, nil), relabel(ecA, "ed-a")},
		{"EdDSA token, RSA key", fixtures.Sign(edA, jose.EdDSA, sample, nil), relabel(rsaA, "ed-a")},
		{"ES256 token without kid, only a P-384 key", withoutKid(t, ecA, jose.ES256), relabel(ec384, "")},
		{"ES256 token without kid, only an RSA key", withoutKid(t, ecA, jose.ES256), relabel(rsaA, "")},
		{"PS256 token without kid, only EC keys", withoutKid(t, rsaA, jose.PS256), setOf(t, ecA, ec384, ec521, edA)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := parse(t, tc.token)
			k, err := j.Verify(asymmetricAlgs, tc.set)
			assert.Nil(t, k)
			assertKind(t, err, jose.ErrNoKey)
			assertKind(t, j.VerifyWithKey(asymmetricAlgs, tc.set.Keys()[0].Public), jose.ErrNoKey)
		})
	}
}

func withoutKid(t *testing.T, k fixtures.Key, alg string) string {
	t.Helper()
	k.ID = ""
	return fixtures.Sign(k, alg, sample, nil)
}

func TestVerifyRefusesHMAC(t *testing.T) {
	set := setOf(t, rsaA, ecA, edA)
	for _, alg := range []string{jose.HS256, jose.HS384, jose.HS512} {
		j := parse(t, fixtures.SignHMAC(hmacSecret, alg, sample))
		for _, allowed := range [][]string{{alg}, {alg, jose.PS256}, {jose.PS256}, {jose.HS256, jose.HS384, jose.HS512}} {
			k, err := j.Verify(allowed, set)
			assert.Nil(t, k)
			assertKind(t, err, jose.ErrAlgNotAllowed)
		}
		require.NoError(t, j.VerifySecret([]string{alg}, hmacSecret))
	}
}

// TestVerifyHMACKeyedWithPublicKey is the classic algorithm confusion: an
// attacker MACs a token with the bytes of the client's public key, hoping a
// verifier feeds the "key" it holds into HMAC.
func TestVerifyHMACKeyedWithPublicKey(t *testing.T) {
	set := setOf(t, rsaA, ecA)
	pub := rsaA.Public().(*rsa.PublicKey)
	pkix, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	ecPKIX, err := x509.MarshalPKIXPublicKey(ecA.Public())
	require.NoError(t, err)
	secrets := map[string][]byte{
		"PKIX PEM":        pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}),
		"PKCS1 PEM":       pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}),
		"PKIX DER":        pkix,
		"PKCS1 DER":       x509.MarshalPKCS1PublicKey(pub),
		"JWK JSON":        []byte(mustJSON(t, jwkMaps(t, rsaA)[0])),
		"JWK Set JSON":    fixtures.JWKS(rsaA),
		"modulus":         pub.N.Bytes(),
		"EC PKIX DER":     ecPKIX,
		"EC JWK JSON":     []byte(mustJSON(t, jwkMaps(t, ecA)[0])),
		"EC point":        mustECBytes(t, ecA.Public().(*ecdsa.PublicKey)),
		"thumbprint text": []byte(set.Keys()[0].Thumbprint),
	}
	for name, secret := range secrets {
		for _, alg := range []string{jose.HS256, jose.HS384, jose.HS512} {
			t.Run(name+"/"+alg, func(t *testing.T) {
				tok := signCompact(t, secret, alg, `{"alg":"`+alg+`","kid":"rsa-a"}`, mustJSON(t, sample))
				j := parse(t, tok)
				for _, allowed := range [][]string{{jose.PS256}, {jose.PS256, alg}, {alg}} {
					k, err := j.Verify(allowed, set)
					assert.Nil(t, k)
					assertKind(t, err, jose.ErrAlgNotAllowed)
				}
				assertKind(t, j.VerifyWithKey([]string{jose.PS256, jose.ES256, alg}, rsaA.Public()), jose.ErrNoKey)
				assertKind(t, j.VerifyWithKey([]string{jose.PS256, jose.ES256, alg}, ecA.Public()), jose.ErrNoKey)
				assertKind(t, j.VerifyWithKey([]string{alg}, secret), jose.ErrNoKey)
				assertKind(t, j.VerifySecret([]string{alg}, hmacSecret), jose.ErrSignatureInvalid)
			})
		}
	}
}

func mustECBytes(t *testing.T, pub *ecdsa.PublicKey) []byte {
	t.Helper()
	b, err := pub.Bytes()
	require.NoError(t, err)
	return b
}

func TestVerifySecret(t *testing.T) {
	hs256 := fixtures.SignHMAC(hmacSecret, jose.HS256, sample)
	hs384 := fixtures.SignHMAC(hmacSecret, jose.HS384, sample)
	hs512 := fixtures.SignHMAC(hmacSecret, jose.HS512, sample)
	all := []string{jose.HS256, jose.HS384, jose.HS512}
	relabeled := func(tok, alg string) string {
		_, p, s := segments(t, tok)
		return b64s(`{"alg":"`+alg+`"}`) + "." + p + "." + s
	}
	tests := []struct {
		name    string
		token   string
		allowed []string
		secret  []byte
		want    error
	}{
		{"HS256 correct secret", hs256, all, hmacSecret, nil},
		{"HS384 correct secret", hs384, all, hmacSecret, nil},
		{"HS512 correct secret", hs512, all, hmacSecret, nil},
		{"HS256 only HS256 allowed", hs256, []string{jose.HS256}, hmacSecret, nil},
		{"wrong secret", hs256, all, []byte("0123456789abcdef0123456789abcdef-other-secret"), jose.ErrSignatureInvalid},
		{"secret prefix", hs256, all, hmacSecret[:len(hmacSecret)-1], jose.ErrSignatureInvalid},
		{"secret extended", hs256, all, append(append([]byte{}, hmacSecret...), 'x'), jose.ErrSignatureInvalid},
		// RFC 2104 §2 pads a short key with zero octets, so a secret with
		// trailing zeros is the same HMAC key: not a weakness of this
		// package, but worth knowing when secrets are compared elsewhere.
		{"secret with a trailing zero octet is the same HMAC key", hs256, all, append(append([]byte{}, hmacSecret...), 0), nil},
		{"tampered MAC", fixtures.Tamper(hs256), all, hmacSecret, jose.ErrSignatureInvalid},
		{"truncated MAC", withSignature(hs256, signatureOf(t, hs256)[:16]), all, hmacSecret, jose.ErrSignatureInvalid},
		{"HS512 MAC truncated to HS256 length, relabeled HS256", relabeled(withSignature(hs512, signatureOf(t, hs512)[:32]), jose.HS256), all, hmacSecret, jose.ErrSignatureInvalid},
		{"HS256 MAC relabeled HS512", relabeled(hs256, jose.HS512), all, hmacSecret, jose.ErrSignatureInvalid},
		{"HS256 not allowed", hs256, []string{jose.HS384, jose.HS512}, hmacSecret, jose.ErrAlgNotAllowed},
		{"nothing allowed", hs256, nil, hmacSecret, jose.ErrAlgNotAllowed},
		{"not allowed wins over empty secret", hs256, []string{jose.PS256}, nil, jose.ErrAlgNotAllowed},
		{"empty secret", hs256, all, []byte{}, jose.ErrNoKey},
		{"nil secret", hs256, all, nil, jose.ErrNoKey},
		{"asymmetric alg PS256", fixtures.Sign(rsaA, jose.PS256, sample, nil), []string{jose.PS256}, hmacSecret, jose.ErrAlgNotAllowed},
		{"asymmetric alg ES256", fixtures.Sign(ecA, jose.ES256, sample, nil), append([]string{jose.ES256}, all...), hmacSecret, jose.ErrAlgNotAllowed},
		{"asymmetric alg EdDSA, empty secret", fixtures.Sign(edA, jose.EdDSA, sample, nil), []string{jose.EdDSA}, nil, jose.ErrAlgNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := parse(t, tc.token).VerifySecret(tc.allowed, tc.secret)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			assertKind(t, err, tc.want)
		})
	}
}

// ecdsaParts returns r and s of a fixed-length ECDSA JWS signature.
func ecdsaParts(sig []byte) (r, s *big.Int) {
	n := len(sig) / 2
	return new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
}

func packRS(r, s *big.Int, size int) []byte {
	out := make([]byte, 2*size)
	rb, sb := r.Bytes(), s.Bytes()
	copy(out[size-len(rb):size], rb)
	copy(out[2*size-len(sb):], sb)
	return out
}

func TestVerifyECDSASignatureForms(t *testing.T) {
	cases := []struct {
		key fixtures.Key
		alg string
	}{
		{ecA, jose.ES256},
		{ec384, jose.ES384},
		{ec521, jose.ES512},
	}
	for _, c := range cases {
		t.Run(c.alg, func(t *testing.T) {
			priv := c.key.Private.(*ecdsa.PrivateKey)
			params := priv.Curve.Params()
			size := (params.BitSize + 7) / 8
			n := params.N
			tok := fixtures.Sign(c.key, c.alg, sample, nil)
			set := setOf(t, c.key)
			good := signatureOf(t, tok)
			require.Len(t, good, 2*size)
			r, s := ecdsaParts(good)
			hi := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(8*size)), big.NewInt(1))

			_, payload, _ := segments(t, tok)
			otherInput := b64s(`{"alg":"`+c.alg+`","kid":"`+c.key.ID+`"}`) + "." + payload
			digest := sha256.Sum256([]byte(otherInput)) // a digest of the wrong hash for ES384/ES512
			rw, sw, err := ecdsa.Sign(rand.Reader, priv, digest[:])
			require.NoError(t, err)
			der, err := ecdsa.SignASN1(rand.Reader, priv, hashed(c.alg, tok))
			require.NoError(t, err)

			bad := map[string][]byte{
				"r = s = 0":              make([]byte, 2*size),
				"r = 0":                  packRS(big.NewInt(0), s, size),
				"s = 0":                  packRS(r, big.NewInt(0), size),
				"r = n":                  packRS(n, s, size),
				"s = n":                  packRS(r, n, size),
				"r = n, s = n":           packRS(n, n, size),
				"r = r + n":              packRSWide(new(big.Int).Add(r, n), s, size),
				"s = s + n":              packRSWide(r, new(big.Int).Add(s, n), size),
				"r = s = all ones":       packRS(hi, hi, size),
				"r = 1, s = 1":           packRS(big.NewInt(1), big.NewInt(1), size),
				"r = n - 1, s = n - 1":   packRS(new(big.Int).Sub(n, big.NewInt(1)), new(big.Int).Sub(n, big.NewInt(1)), size),
				"DER instead of R||S":    der,
				"one byte short":         good[:len(good)-1],
				"one byte long":          append(append([]byte{}, good...), 0),
				"leading zero":           append([]byte{0}, good...),
				"R and S swapped":        packRS(s, r, size),
				"doubled":                append(append([]byte{}, good...), good...),
				"one byte":               {1},
				"R only":                 good[:size],
				"sign over another hash": packRS(rw, sw, size),
			}
			if c.alg == jose.ES256 {
				delete(bad, "sign over another hash") // SHA-256 is the right hash
				bad["63 bytes"] = good[:63]
				bad["65 bytes"] = append(append([]byte{}, good...), 1)
			}
			for name, sig := range bad {
				t.Run(name, func(t *testing.T) {
					j := parse(t, withSignature(tok, sig))
					var k *jose.Key
					require.NotPanics(t, func() { k, err = j.Verify([]string{c.alg}, set) })
					assert.Nil(t, k)
					assertKind(t, err, jose.ErrSignatureInvalid)
					require.NotPanics(t, func() { err = j.VerifyWithKey([]string{c.alg}, c.key.Public()) })
					assertKind(t, err, jose.ErrSignatureInvalid)
				})
			}
			t.Run("valid", func(t *testing.T) {
				_, err := parse(t, tok).Verify([]string{c.alg}, set)
				require.NoError(t, err)
			})
			t.Run("high S is the other valid signature", func(t *testing.T) {
				// ECDSA signatures are malleable: (r, n-s) verifies too, and
				// RFC 7518 does not forbid it. Replay protection must use
				// claims (jti), never the signature bytes.
				hs := new(big.Int).Sub(n, s)
				_, err := parse(t, withSignature(tok, packRS(r, hs, size))).Verify([]string{c.alg}, set)
				require.NoError(t, err)
			})
		})
	}
}

// packRSWide packs r and s, each possibly wider than size, into size bytes
// each when they fit, and otherwise into the smallest wider form, so that
// the verifier sees a value ≥ n in either case.
func packRSWide(r, s *big.Int, size int) []byte {
	w := size
	if l := (r.BitLen() + 7) / 8; l > w {
		w = l
	}
	if l := (s.BitLen() + 7) / 8; l > w {
		w = l
	}
	return packRS(r, s, w)
}

func hashed(alg, tok string) []byte {
	input := []byte(tok[:lastDot(tok)])
	switch hashOf(alg) {
	case crypto.SHA384:
		h := sha512.Sum384(input)
		return h[:]
	case crypto.SHA512:
		h := sha512.Sum512(input)
		return h[:]
	}
	h := sha256.Sum256(input)
	return h[:]
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func TestVerifyRSASignatureForms(t *testing.T) {
	for _, alg := range []string{jose.RS256, jose.PS256, jose.RS512, jose.PS512} {
		t.Run(alg, func(t *testing.T) {
			key := rsaA
			key.Alg = ""
			set := setOf(t, key)
			pub := key.Public().(*rsa.PublicKey)
			tok := fixtures.Sign(key, alg, sample, nil)
			good := signatureOf(t, tok)
			require.Len(t, good, pub.Size())
			ones := make([]byte, pub.Size())
			for i := range ones {
				ones[i] = 0xff
			}
			other := fixtures.Sign(rsaB, alg, sample, nil)
			bad := map[string][]byte{
				"one byte short":            good[:len(good)-1],
				"leading zero added":        append([]byte{0}, good...),
				"trailing zero added":       append(append([]byte{}, good...), 0),
				"half":                      good[:len(good)/2],
				"one byte":                  {1},
				"zeros":                     make([]byte, pub.Size()),
				"one":                       append(make([]byte, pub.Size()-1), 1),
				"all ones (above modulus)":  ones,
				"the modulus":               pub.N.Bytes(),
				"modulus minus one":         new(big.Int).Sub(pub.N, big.NewInt(1)).Bytes(),
				"signature plus modulus":    new(big.Int).Add(new(big.Int).SetBytes(good), pub.N).Bytes(),
				"signature by another key":  signatureOf(t, other),
				"tampered":                  signatureOf(t, fixtures.Tamper(tok)),
				"doubled":                   append(append([]byte{}, good...), good...),
				"signature of other family": rawSign(t, key.Private, otherFamily(alg), []byte(tok[:lastDot(tok)])),
			}
			for name, sig := range bad {
				t.Run(name, func(t *testing.T) {
					j := parse(t, withSignature(tok, sig))
					var err error
					require.NotPanics(t, func() { _, err = j.Verify([]string{alg}, set) })
					assertKind(t, err, jose.ErrSignatureInvalid)
					require.NotPanics(t, func() { err = j.VerifyWithKey([]string{alg}, pub) })
					assertKind(t, err, jose.ErrSignatureInvalid)
				})
			}
			_, err := parse(t, tok).Verify([]string{alg}, set)
			require.NoError(t, err)
		})
	}
}

// otherFamily maps RS* to PS* and back, same hash.
func otherFamily(alg string) string {
	if alg[0] == 'R' {
		return "P" + alg[1:]
	}
	return "R" + alg[1:]
}

// TestVerifyPSSSaltLength: RFC 7518 §3.5 fixes the PSS salt length to the
// size of the hash; a signature with any other salt length is refused,
// though a lenient (auto-detecting) verifier would accept it.
func TestVerifyPSSSaltLength(t *testing.T) {
	priv := rsaA.Private.(*rsa.PrivateKey)
	set := setOf(t, rsaA)
	key := rsaA
	key.Alg = ""
	anyPSS := setOf(t, key)
	for _, tc := range []struct {
		alg   string
		salts []int
		ok    int
	}{
		{jose.PS256, []int{0, 20, 31, 33, 48, 64, rsa.PSSSaltLengthAuto}, 32},
		{jose.PS384, []int{0, 20, 32, 64, rsa.PSSSaltLengthAuto}, 48},
		{jose.PS512, []int{0, 20, 32, 48, rsa.PSSSaltLengthAuto}, 64},
	} {
		h := hashOf(tc.alg)
		input := b64s(`{"alg":"`+tc.alg+`","kid":"rsa-a"}`) + "." + b64s(mustJSON(t, sample))
		d := h.New()
		d.Write([]byte(input))
		digest := d.Sum(nil)
		sign := func(salt int) string {
			sig, err := rsa.SignPSS(rand.Reader, priv, h, digest, &rsa.PSSOptions{SaltLength: salt, Hash: h})
			require.NoError(t, err)
			// The signature is a correct PSS signature with that salt.
			require.NoError(t, rsa.VerifyPSS(&priv.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}))
			return input + "." + b64(sig)
		}
		verifySet := set
		if tc.alg != jose.PS256 {
			verifySet = anyPSS
		}
		for _, salt := range tc.salts {
			t.Run(tc.alg+"/salt "+itoa(salt), func(t *testing.T) {
				j := parse(t, sign(salt))
				_, err := j.Verify([]string{tc.alg}, verifySet)
				assertKind(t, err, jose.ErrSignatureInvalid)
				assertKind(t, j.VerifyWithKey([]string{tc.alg}, &priv.PublicKey), jose.ErrSignatureInvalid)
			})
		}
		t.Run(tc.alg+"/salt equals hash", func(t *testing.T) {
			j := parse(t, sign(tc.ok))
			_, err := j.Verify([]string{tc.alg}, verifySet)
			require.NoError(t, err)
			require.NoError(t, j.VerifyWithKey([]string{tc.alg}, &priv.PublicKey))
		})
	}
}

func itoa(i int) string {
	if i == rsa.PSSSaltLengthAuto {
		return "auto (maximum)"
	}
	return big.NewInt(int64(i)).String()
}

func TestVerifyAlgorithmMustBeAllowedExactly(t *testing.T) {
	key := rsaA
	key.Alg = "" // the key itself would suit both RSA algorithms
	set := setOf(t, key)
	rs256 := parse(t, fixtures.Sign(key, jose.RS256, sample, nil))
	_, err := rs256.Verify([]string{jose.PS256}, set)
	assertKind(t, err, jose.ErrAlgNotAllowed)
	_, err = rs256.Verify([]string{jose.PS256, jose.ES256, jose.EdDSA}, set)
	assertKind(t, err, jose.ErrAlgNotAllowed)
	_, err = rs256.Verify([]string{jose.RS256}, set)
	require.NoError(t, err)

	ps256 := parse(t, fixtures.Sign(key, jose.PS256, sample, nil))
	_, err = ps256.Verify([]string{jose.RS256}, set)
	assertKind(t, err, jose.ErrAlgNotAllowed)

	// An RS256 signature relabeled PS256 (and the reverse) does not verify.
	_, p, s := segments(t, rs256Token(t, key))
	relabeled := parse(t, b64s(`{"alg":"PS256"}`)+"."+p+"."+s)
	_, err = relabeled.Verify([]string{jose.PS256}, set)
	assertKind(t, err, jose.ErrSignatureInvalid)
}

func rs256Token(t *testing.T, k fixtures.Key) string {
	t.Helper()
	return signCompact(t, k.Private, jose.RS256, `{"alg":"RS256"}`, mustJSON(t, sample))
}

// TestVerifyIgnoresKeysInHeader: keys named or carried by the header
// ("jwk", "x5c", "jku", "x5u", "x5t", "kid") never become verification
// keys.
func TestVerifyIgnoresKeysInHeader(t *testing.T) {
	attacker := fixtures.EC(elliptic.P256(), "ec-a", jose.ES256).WithCert(pkix.Name{CommonName: "attacker"})
	attackerRSA := fixtures.RSA(2048, "rsa-a", jose.PS256).WithCert(pkix.Name{CommonName: "attacker"})
	registered := setOf(t, ecA, rsaA)
	payload := mustJSON(t, sample)
	attackerJWK := mustJSON(t, jwkMaps(t, attacker)[0])
	attackerRSAJWK := mustJSON(t, jwkMaps(t, attackerRSA)[0])
	x5c := `["` + base64.StdEncoding.EncodeToString(attacker.Cert.Raw) + `"]`
	x5cRSA := `["` + base64.StdEncoding.EncodeToString(attackerRSA.Cert.Raw) + `"]`
	x5t := base64.RawURLEncoding.EncodeToString(sha256Sum(attacker.Cert.Raw))
	registeredJWK := mustJSON(t, jwkMaps(t, ecA)[0])

	tests := []struct {
		name   string
		key    fixtures.Key
		alg    string
		header string
	}{
		{"jwk with registered kid", attacker, jose.ES256, `{"alg":"ES256","kid":"ec-a","jwk":` + attackerJWK + `}`},
		{"jwk without kid", attacker, jose.ES256, `{"alg":"ES256","jwk":` + attackerJWK + `}`},
		{"jwk with unknown kid", attacker, jose.ES256, `{"alg":"ES256","kid":"attacker","jwk":` + attackerJWK + `}`},
		{"registered jwk, attacker signature", attacker, jose.ES256, `{"alg":"ES256","jwk":` + registeredJWK + `}`},
		{"x5c", attacker, jose.ES256, `{"alg":"ES256","x5c":` + x5c + `}`},
		{"x5c with registered kid", attacker, jose.ES256, `{"alg":"ES256","kid":"ec-a","x5c":` + x5c + `}`},
		{"x5t#S256", attacker, jose.ES256, `{"alg":"ES256","x5t#S256":"` + x5t + `"}`},
		{"jku", attacker, jose.ES256, `{"alg":"ES256","jku":"https://attacker.example/jwks.json"}`},
		{"x5u", attacker, jose.ES256, `{"alg":"ES256","x5u":"https://attacker.example/cert.pem"}`},
		{"everything", attacker, jose.ES256, `{"alg":"ES256","kid":"ec-a","jwk":` + attackerJWK + `,"x5c":` + x5c + `,"jku":"https://attacker.example/jwks.json"}`},
		{"RSA jwk", attackerRSA, jose.PS256, `{"alg":"PS256","jwk":` + attackerRSAJWK + `}`},
		{"RSA x5c with registered kid", attackerRSA, jose.PS256, `{"alg":"PS256","kid":"rsa-a","x5c":` + x5cRSA + `}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := parse(t, signCompact(t, tc.key.Private, tc.alg, tc.header, payload))
			// The token is genuinely signed by the key it offers.
			require.NoError(t, j.VerifyWithKey([]string{tc.alg}, tc.key.Public()))

			k, err := j.Verify([]string{tc.alg}, registered)
			assert.Nil(t, k)
			if j.Header.Kid != "" && j.Header.Kid != "ec-a" && j.Header.Kid != "rsa-a" {
				assertKind(t, err, jose.ErrNoKey)
			} else {
				assertKind(t, err, jose.ErrSignatureInvalid)
			}
			_, err = j.Verify([]string{tc.alg}, emptySet(t))
			assertKind(t, err, jose.ErrNoKey)
			_, err = j.Verify([]string{tc.alg}, nil)
			assertKind(t, err, jose.ErrNoKey)
		})
	}
	t.Run("signature by the header jwk", func(t *testing.T) {
		tok := fixtures.Sign(attacker, jose.ES256, sample, map[string]any{"jwk": attacker.Public()})
		_, err := parse(t, tok).Verify([]string{jose.ES256}, registered)
		assertKind(t, err, jose.ErrSignatureInvalid)
	})
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// TestVerifyWithKey is the DPoP use: the key comes from the proof's own
// "jwk" header, parsed by the caller, and the signature is checked with it.
func TestVerifyWithKey(t *testing.T) {
	dpopAlgs := []string{jose.ES256, jose.PS256, jose.EdDSA}
	proof := func(k fixtures.Key, alg string) *jose.JWS {
		k.ID = ""
		return parse(t, fixtures.Sign(k, alg, map[string]any{"htm": "POST", "htu": "https://as.example.com/token", "jti": "x", "iat": 1700000000},
			map[string]any{"typ": "dpop+jwt", "jwk": k.Public()}))
	}
	keyFromHeader := func(j *jose.JWS) crypto.PublicKey {
		require.NotNil(t, j.Header.JWK)
		set, err := jose.ParseKeySet([]byte(`{"keys":[` + string(j.Header.JWK) + `]}`))
		require.NoError(t, err)
		require.Equal(t, 1, set.Len())
		return set.Keys()[0].Public
	}
	for _, c := range []struct {
		key fixtures.Key
		alg string
	}{{ecA, jose.ES256}, {rsaA, jose.PS256}, {edA, jose.EdDSA}} {
		t.Run("valid "+c.alg, func(t *testing.T) {
			j := proof(c.key, c.alg)
			require.NoError(t, j.VerifyWithKey(dpopAlgs, keyFromHeader(j)))
			require.NoError(t, j.VerifyWithKey(dpopAlgs, c.key.Public()))
		})
	}

	es := proof(ecA, jose.ES256)
	ps := proof(rsaA, jose.PS256)
	ed := proof(edA, jose.EdDSA)
	hs := parse(t, fixtures.SignHMAC(hmacSecret, jose.HS256, sample))
	ecPub := ecA.Public().(*ecdsa.PublicKey)
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(ecPub.X), Y: new(big.Int).Add(ecPub.Y, big.NewInt(1))}
	rsaPub := rsaA.Public().(*rsa.PublicKey)

	tests := []struct {
		name    string
		j       *jose.JWS
		allowed []string
		pub     any
		want    error
	}{
		{"alg not allowed", es, []string{jose.PS256}, ecA.Public(), jose.ErrAlgNotAllowed},
		{"alg not allowed, no key", es, []string{jose.PS256}, nil, jose.ErrAlgNotAllowed},
		{"other key of the same type", es, dpopAlgs, ecB.Public(), jose.ErrSignatureInvalid},
		{"other RSA key", ps, dpopAlgs, rsaB.Public(), jose.ErrSignatureInvalid},
		{"other Ed25519 key", ed, dpopAlgs, fixtures.Ed25519("").Public(), jose.ErrSignatureInvalid},
		{"RSA key for ES256", es, dpopAlgs, rsaA.Public(), jose.ErrNoKey},
		{"EC key for PS256", ps, dpopAlgs, ecA.Public(), jose.ErrNoKey},
		{"P-384 key for ES256", es, dpopAlgs, ec384.Public(), jose.ErrNoKey},
		{"Ed25519 key for ES256", es, dpopAlgs, edA.Public(), jose.ErrNoKey},
		{"EC key for EdDSA", ed, dpopAlgs, ecA.Public(), jose.ErrNoKey},
		{"nil", es, dpopAlgs, nil, jose.ErrNoKey},
		{"typed nil EC", es, dpopAlgs, (*ecdsa.PublicKey)(nil), jose.ErrNoKey},
		{"typed nil RSA", ps, dpopAlgs, (*rsa.PublicKey)(nil), jose.ErrNoKey},
		{"nil Ed25519", ed, dpopAlgs, ed25519.PublicKey(nil), jose.ErrNoKey},
		{"EC key without coordinates", es, dpopAlgs, &ecdsa.PublicKey{Curve: elliptic.P256()}, jose.ErrNoKey},
		{"EC key without Y", es, dpopAlgs, &ecdsa.PublicKey{Curve: elliptic.P256(), X: ecPub.X}, jose.ErrNoKey},
		{"EC key without curve", es, dpopAlgs, &ecdsa.PublicKey{X: ecPub.X, Y: ecPub.Y}, jose.ErrNoKey},
		{"RSA key without modulus", ps, dpopAlgs, &rsa.PublicKey{E: 65537}, jose.ErrNoKey},
		{"EC private key", es, dpopAlgs, ecA.Private, jose.ErrNoKey},
		{"RSA private key", ps, dpopAlgs, rsaA.Private, jose.ErrNoKey},
		{"Ed25519 private key", ed, dpopAlgs, edA.Private, jose.ErrNoKey},
		{"EC key by value", es, dpopAlgs, *ecPub, jose.ErrNoKey},
		{"RSA key by value", ps, dpopAlgs, *rsaPub, jose.ErrNoKey},
		{"Ed25519 key too short", ed, dpopAlgs, ed25519.PublicKey(make([]byte, 31)), jose.ErrNoKey},
		{"JWK JSON bytes", es, dpopAlgs, es.Header.JWK, jose.ErrNoKey},
		{"string", es, dpopAlgs, "key", jose.ErrNoKey},
		{"HS256 with a public key", hs, []string{jose.HS256}, rsaA.Public(), jose.ErrNoKey},
		{"HS256 with the secret", hs, []string{jose.HS256}, hmacSecret, jose.ErrNoKey},
		{"EC point not on the curve", es, dpopAlgs, offCurve, jose.ErrSignatureInvalid},
		{"EC negative coordinate", es, dpopAlgs, &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Neg(ecPub.X), Y: ecPub.Y}, jose.ErrSignatureInvalid},
		{"EC point at origin", es, dpopAlgs, &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int), Y: new(big.Int)}, jose.ErrSignatureInvalid},
		{"RSA exponent 1", ps, dpopAlgs, &rsa.PublicKey{N: rsaPub.N, E: 1}, jose.ErrSignatureInvalid},
		{"RSA exponent 0", ps, dpopAlgs, &rsa.PublicKey{N: rsaPub.N, E: 0}, jose.ErrSignatureInvalid},
		{"RSA negative exponent", ps, dpopAlgs, &rsa.PublicKey{N: rsaPub.N, E: -65537}, jose.ErrSignatureInvalid},
		{"RSA zero modulus", ps, dpopAlgs, &rsa.PublicKey{N: new(big.Int), E: 65537}, jose.ErrNoKey},
		{"RSA negative modulus", ps, dpopAlgs, &rsa.PublicKey{N: new(big.Int).Neg(rsaPub.N), E: 65537}, jose.ErrNoKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tc.j.VerifyWithKey(tc.allowed, tc.pub) })
			assertKind(t, err, tc.want)
		})
	}
}

// TestVerifyDegenerateRSAKeysCannotForge: an RSA key with e = 1 makes the
// signature equal to the encoded message, which anyone can compute. Such a
// key parses (key judgement belongs to the callers) but never verifies.
func TestVerifyDegenerateRSAKeysCannotForge(t *testing.T) {
	n := rsaA.Public().(*rsa.PublicKey).N
	input := b64s(`{"alg":"RS256","kid":"weak"}`) + "." + b64s(mustJSON(t, sample))
	digest := sha256.Sum256([]byte(input))
	size := (n.BitLen() + 7) / 8
	prefix := []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}
	em := make([]byte, size)
	em[1] = 0x01
	t0 := size - len(prefix) - len(digest)
	for i := 2; i < t0-1; i++ {
		em[i] = 0xff
	}
	copy(em[t0:], prefix)
	copy(em[t0+len(prefix):], digest[:])
	forged := input + "." + b64(em)

	for _, e := range []string{"AQ", "Aw"} { // 1 (forgeable), 3 (not, but kept as control)
		set, err := jose.ParseKeySet(setJSON(t, map[string]any{"kty": "RSA", "kid": "weak", "n": b64(n.Bytes()), "e": e}))
		require.NoError(t, err)
		j := parse(t, forged)
		_, err = j.Verify([]string{jose.RS256}, set)
		assertKind(t, err, jose.ErrSignatureInvalid)
	}
	t.Run("tiny modulus", func(t *testing.T) {
		set, err := jose.ParseKeySet([]byte(`{"keys":[{"kty":"RSA","kid":"weak","n":"Aw","e":"AQ"}]}`))
		require.NoError(t, err)
		j := parse(t, input+"."+b64([]byte{1}))
		var verr error
		require.NotPanics(t, func() { _, verr = j.Verify([]string{jose.RS256}, set) })
		assertKind(t, verr, jose.ErrSignatureInvalid)
	})
}
