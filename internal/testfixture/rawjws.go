package testfixture

// Raw JWS building blocks, for inputs that the JOSE library (rightly)
// refuses to produce: signatures over literal, possibly non-canonical,
// segments; RSA keys that crypto/rsa will not use (moduli under 1024 bits,
// the public exponent 1); keys on curves JOSE does not allow (P-224,
// secp256k1); and the encodings of a public key an algorithm-confusion
// attack uses as an HMAC secret. Everything here is computed with the
// standard library or by hand, never by the library under test.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"hash"
	"math/big"
)

// B64 encodes b as unpadded base64url, the JWS segment encoding (RFC 7515
// §2).
func B64(b []byte) string { return b64(b) }

// SignSegments signs the literal signing input headerSeg "." payloadSeg
// with k under alg and returns the compact JWS. The segments are used
// exactly as given, so they may be non-canonical base64url (padding,
// non-zero trailing bits, the standard alphabet) or not base64url at all.
func SignSegments(k Key, alg, headerSeg, payloadSeg string) string {
	input := headerSeg + "." + payloadSeg
	return input + "." + b64(SignBytes(k, alg, []byte(input)))
}

// SignBytes returns the JWS signature of input made with k under alg, with
// the standard library alone: RSASSA-PSS with the salt as long as the hash
// (PS256/384/512), RSASSA-PKCS1-v1_5 (RS256/384/512), ECDSA as the
// fixed-length R‖S of the key's own curve (ES256/384/512 — the hash is the
// algorithm's and the curve the key's, so a P-224 key can sign "ES256"), or
// Ed25519 (EdDSA, Ed25519).
func SignBytes(k Key, alg string, input []byte) []byte {
	h, err := algHash(alg)
	if err != nil {
		panic("testfixture: " + err.Error())
	}
	var sig []byte
	switch priv := k.Private.(type) {
	case *rsa.PrivateKey:
		d := digest(h, input)
		switch alg[:2] {
		case "PS":
			sig, err = rsa.SignPSS(rand.Reader, priv, h, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		case "RS":
			sig, err = rsa.SignPKCS1v15(rand.Reader, priv, h, d)
		default:
			err = fmt.Errorf("%s cannot be signed with an RSA key", alg)
		}
	case *ecdsa.PrivateKey:
		if alg[:2] != "ES" {
			panic("testfixture: " + alg + " cannot be signed with an EC key")
		}
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, priv, digest(h, input))
		if err == nil {
			sig = PackRS(r, s, (priv.Curve.Params().BitSize+7)/8)
		}
	case ed25519.PrivateKey:
		sig = ed25519.Sign(priv, input)
	default:
		err = fmt.Errorf("unsupported key %T", k.Private)
	}
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return sig
}

// SignASN1 returns an ECDSA signature of input in the ASN.1 DER form
// (X.509, TLS) instead of the R‖S form JWS requires (RFC 7518 §3.4).
func SignASN1(k Key, alg string, input []byte) []byte {
	h, err := algHash(alg)
	if err != nil {
		panic("testfixture: " + err.Error())
	}
	priv, ok := k.Private.(*ecdsa.PrivateKey)
	if !ok {
		panic("testfixture: SignASN1 needs an EC key")
	}
	sig, err := ecdsa.SignASN1(rand.Reader, priv, digest(h, input))
	if err != nil {
		panic(fmt.Sprintf("testfixture: sign: %v", err))
	}
	return sig
}

// HMACBytes returns the HS256/HS384/HS512 MAC of input under secret.
func HMACBytes(secret []byte, alg string, input []byte) []byte {
	h, err := algHash(alg)
	if err != nil || alg[:2] != "HS" {
		panic("testfixture: not an HMAC algorithm: " + alg)
	}
	m := hmac.New(hashFunc(h), secret)
	m.Write(input)
	return m.Sum(nil)
}

// PackRS encodes an ECDSA signature as R‖S, each left-padded to size
// octets (RFC 7518 §3.4).
func PackRS(r, s *big.Int, size int) []byte {
	out := make([]byte, 2*size)
	r.FillBytes(out[:size])
	s.FillBytes(out[size:])
	return out
}

// PublicKeyDER returns the DER SubjectPublicKeyInfo of k's public key.
func PublicKeyDER(k Key) []byte {
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		panic(fmt.Sprintf("testfixture: public key: %v", err))
	}
	return der
}

// PublicKeyPEM returns k's public key as a PEM "PUBLIC KEY" block.
func PublicKeyPEM(k Key) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: PublicKeyDER(k)})
}

// ECJWK returns the public JWK members (kty, crv, x, y) of an EC key on any
// curve the standard library knows, including P-224, which JOSE does not
// register; crv is the curve's name.
func ECJWK(k Key) map[string]any {
	pub, ok := k.Public().(*ecdsa.PublicKey)
	if !ok {
		panic("testfixture: ECJWK needs an EC key")
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	x, y := make([]byte, size), make([]byte, size)
	pub.X.FillBytes(x)
	pub.Y.FillBytes(y)
	return map[string]any{"kty": "EC", "crv": pub.Curve.Params().Name, "x": b64(x), "y": b64(y)}
}

func algHash(alg string) (crypto.Hash, error) {
	if alg == "EdDSA" || alg == "Ed25519" {
		return 0, nil
	}
	if len(alg) != 5 {
		return 0, fmt.Errorf("unknown algorithm %q", alg)
	}
	switch alg[2:] {
	case "256":
		return crypto.SHA256, nil
	case "384":
		return crypto.SHA384, nil
	case "512":
		return crypto.SHA512, nil
	}
	return 0, fmt.Errorf("unknown algorithm %q", alg)
}

func hashFunc(h crypto.Hash) func() hash.Hash {
	switch h {
	case crypto.SHA384:
		return sha512.New384
	case crypto.SHA512:
		return sha512.New
	}
	return sha256.New
}

func digest(h crypto.Hash, input []byte) []byte {
	if h == 0 {
		return input
	}
	d := hashFunc(h)()
	d.Write(input)
	return d.Sum(nil)
}

// RawRSAKey is an RSA key held as bare numbers, for keys crypto/rsa refuses
// to use — moduli under 1024 bits, or the public exponent 1 — and for sizes
// it will not generate (an odd number of bits). Its signatures are computed
// by hand (EMSA-PSS, RFC 8017 §8.1.1, §9.1.1), so that a verifier that
// accepted the key would accept them: with e = 1 the "signature" is the
// encoded message itself, which anyone can forge.
type RawRSAKey struct {
	N  *big.Int
	E  int
	D  *big.Int
	ID string
}

// RawRSA generates an RSA key whose modulus has exactly bits bits, with the
// public exponent e (1 gives the private exponent 1).
func RawRSA(bits, e int, kid string) RawRSAKey {
	if bits < 64 || e < 1 {
		panic("testfixture: RawRSA: bad parameters")
	}
	one := big.NewInt(1)
	for {
		p, err := rand.Prime(rand.Reader, (bits+1)/2)
		if err != nil {
			panic(fmt.Sprintf("testfixture: prime: %v", err))
		}
		q, err := rand.Prime(rand.Reader, bits/2)
		if err != nil {
			panic(fmt.Sprintf("testfixture: prime: %v", err))
		}
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		d := big.NewInt(1)
		if e != 1 {
			p1, q1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
			gcd := new(big.Int).GCD(nil, nil, p1, q1)
			lambda := new(big.Int).Div(new(big.Int).Mul(p1, q1), gcd)
			d = new(big.Int).ModInverse(big.NewInt(int64(e)), lambda)
			if d == nil {
				continue
			}
		}
		return RawRSAKey{N: n, E: e, D: d, ID: kid}
	}
}

// Public returns the public key.
func (k RawRSAKey) Public() *rsa.PublicKey { return &rsa.PublicKey{N: k.N, E: k.E} }

// JWK returns the public JWK members kty, n and e.
func (k RawRSAKey) JWK() map[string]any {
	return map[string]any{"kty": "RSA", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
}

// SignPSS returns the RSASSA-PSS signature of input with the hash h and a
// salt as long as the hash (RFC 7518 §3.5), computed by hand.
func (k RawRSAKey) SignPSS(h crypto.Hash, input []byte) []byte {
	modBits := k.N.BitLen()
	em := EncodePSS(h, digest(h, input), modBits-1)
	s := new(big.Int).Exp(new(big.Int).SetBytes(em), k.D, k.N)
	out := make([]byte, (modBits+7)/8)
	return s.FillBytes(out)
}

// EncodePSS is EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of a message digest mHash
// for emBits bits, with MGF1 over h and a salt of h's size.
func EncodePSS(h crypto.Hash, mHash []byte, emBits int) []byte {
	hLen := h.Size()
	sLen := hLen
	emLen := (emBits + 7) / 8
	if emLen < hLen+sLen+2 {
		panic("testfixture: EncodePSS: modulus too small for the hash and salt")
	}
	salt := make([]byte, sLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	m := hashFunc(h)()
	m.Write(make([]byte, 8))
	m.Write(mHash)
	m.Write(salt)
	hh := m.Sum(nil)
	db := make([]byte, emLen-hLen-1)
	db[emLen-sLen-hLen-2] = 0x01
	copy(db[emLen-sLen-hLen-1:], salt)
	mask := mgf1(h, hh, len(db))
	for i := range db {
		db[i] ^= mask[i]
	}
	db[0] &= 0xff >> (8*emLen - emBits)
	em := append(db, hh...)
	return append(em, 0xbc)
}

func mgf1(h crypto.Hash, seed []byte, n int) []byte {
	var out []byte
	for c := uint32(0); len(out) < n; c++ {
		m := hashFunc(h)()
		m.Write(seed)
		m.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
		out = m.Sum(out)
	}
	return out[:n]
}

// secp256k1 (SEC 2 §2.4.1): y² = x³ + 7 over GF(p). The standard library
// does not implement it, and JOSE allows it only as ES256K (RFC 8812),
// which no FAPI profile admits.
var (
	k1P  = hexInt("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")
	k1N  = hexInt("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	k1Gx = hexInt("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
	k1Gy = hexInt("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
)

func hexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("testfixture: bad constant")
	}
	return n
}

// Secp256k1Key is a key on secp256k1, with hand-written (not constant-time)
// arithmetic: it only ever signs test inputs.
type Secp256k1Key struct {
	D, X, Y *big.Int
	ID      string
}

// Secp256k1Order returns the order n of the secp256k1 group.
func Secp256k1Order() *big.Int { return new(big.Int).Set(k1N) }

// Secp256k1 generates a secp256k1 key.
func Secp256k1(kid string) Secp256k1Key {
	for {
		d, err := rand.Int(rand.Reader, k1N)
		if err != nil {
			panic(err)
		}
		if d.Sign() == 0 {
			continue
		}
		x, y := k1Mul(k1Gx, k1Gy, d)
		return Secp256k1Key{D: d, X: x, Y: y, ID: kid}
	}
}

// JWK returns the public JWK members kty, crv ("secp256k1", RFC 8812 §3.1),
// x and y.
func (k Secp256k1Key) JWK() map[string]any {
	x, y := make([]byte, 32), make([]byte, 32)
	k.X.FillBytes(x)
	k.Y.FillBytes(y)
	return map[string]any{"kty": "EC", "crv": "secp256k1", "x": b64(x), "y": b64(y)}
}

// Sign returns the ES256K signature (ECDSA over SHA-256, R‖S) of input.
func (k Secp256k1Key) Sign(input []byte) []byte {
	z := k1Digest(input)
	for {
		kk, err := rand.Int(rand.Reader, k1N)
		if err != nil {
			panic(err)
		}
		if kk.Sign() == 0 {
			continue
		}
		rx, _ := k1Mul(k1Gx, k1Gy, kk)
		r := new(big.Int).Mod(rx, k1N)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, k.D)
		s.Add(s, z)
		s.Mul(s, new(big.Int).ModInverse(kk, k1N))
		s.Mod(s, k1N)
		if s.Sign() == 0 {
			continue
		}
		return PackRS(r, s, 32)
	}
}

// VerifySecp256k1 checks an ES256K signature (R‖S) of input with the
// public key (x, y), so that tests can show a secp256k1 signature is
// genuine before it is offered to the library.
func VerifySecp256k1(x, y *big.Int, input, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(k1N) >= 0 || s.Cmp(k1N) >= 0 {
		return false
	}
	w := new(big.Int).ModInverse(s, k1N)
	u1 := new(big.Int).Mul(k1Digest(input), w)
	u1.Mod(u1, k1N)
	u2 := new(big.Int).Mul(r, w)
	u2.Mod(u2, k1N)
	x1, y1 := k1Mul(k1Gx, k1Gy, u1)
	x2, y2 := k1Mul(x, y, u2)
	px, _ := k1Add(x1, y1, x2, y2)
	if px == nil {
		return false
	}
	return new(big.Int).Mod(px, k1N).Cmp(r) == 0
}

func k1Digest(input []byte) *big.Int {
	d := sha256.Sum256(input)
	return new(big.Int).SetBytes(d[:])
}

// k1Add adds two affine points; nil coordinates are the point at infinity.
func k1Add(x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	if x1 == nil {
		return x2, y2
	}
	if x2 == nil {
		return x1, y1
	}
	var l *big.Int
	if x1.Cmp(x2) == 0 {
		if new(big.Int).Mod(new(big.Int).Add(y1, y2), k1P).Sign() == 0 {
			return nil, nil
		}
		// λ = 3x² / 2y
		num := new(big.Int).Mul(x1, x1)
		num.Mul(num, big.NewInt(3))
		den := new(big.Int).Lsh(y1, 1)
		l = num.Mul(num, den.ModInverse(den.Mod(den, k1P), k1P))
	} else {
		num := new(big.Int).Sub(y2, y1)
		den := new(big.Int).Sub(x2, x1)
		den.Mod(den, k1P)
		l = num.Mul(num, den.ModInverse(den, k1P))
	}
	l.Mod(l, k1P)
	x3 := new(big.Int).Mul(l, l)
	x3.Sub(x3, x1)
	x3.Sub(x3, x2)
	x3.Mod(x3, k1P)
	y3 := new(big.Int).Sub(x1, x3)
	y3.Mul(y3, l)
	y3.Sub(y3, y1)
	y3.Mod(y3, k1P)
	return x3, y3
}

func k1Mul(x, y, k *big.Int) (*big.Int, *big.Int) {
	var rx, ry *big.Int
	for i := k.BitLen() - 1; i >= 0; i-- {
		rx, ry = k1Add(rx, ry, rx, ry)
		if k.Bit(i) == 1 {
			rx, ry = k1Add(rx, ry, x, y)
		}
	}
	return rx, ry
}
