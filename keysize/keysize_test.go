package keysize_test

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/keysize"
)

// rsaPub returns an RSA public key with an odd modulus of exactly bits
// bits. Check only inspects public values, so the modulus need not be a
// product of two primes; this allows sizes crypto/rsa refuses to generate.
func rsaPub(bits, e int) *rsa.PublicKey {
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	n.Add(n, big.NewInt(0x2b)) // odd
	return &rsa.PublicKey{N: n, E: e}
}

// fixtures are keys generated once and shared, read-only, by the tests.
type fixtures struct {
	rsa2048                *rsa.PrivateKey
	p224, p256, p384, p521 *ecdsa.PrivateKey
	ed                     ed25519.PrivateKey
	edPub                  ed25519.PublicKey
	x25519                 *ecdh.PrivateKey
}

var testKeys = sync.OnceValue(func() (k fixtures) {
	var err error
	if k.rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	gen := func(c elliptic.Curve) *ecdsa.PrivateKey {
		key, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			panic(err)
		}
		return key
	}
	k.p224, k.p256, k.p384, k.p521 = gen(elliptic.P224()), gen(elliptic.P256()), gen(elliptic.P384()), gen(elliptic.P521())
	if k.edPub, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		panic(err)
	}
	if k.x25519, err = ecdh.X25519().GenerateKey(rand.Reader); err != nil {
		panic(err)
	}
	return k
})

func TestMinimums(t *testing.T) {
	t.Parallel()

	assert.Equal(t, keysize.Minimums{RSA: 2048, EC: 160}, keysize.FAPI1Minimums())
	assert.Equal(t, keysize.Minimums{RSA: 2048, EC: 224}, keysize.FAPI2Minimums())

	// The returned values are copies; changing one does not affect others.
	m := keysize.FAPI2Minimums()
	m.RSA = 1
	assert.Equal(t, 2048, keysize.FAPI2Minimums().RSA)
}

func TestBits(t *testing.T) {
	t.Parallel()
	k := testKeys()

	tests := []struct {
		name     string
		pub      crypto.PublicKey
		wantKind keysize.Kind
		wantBits int
		wantErr  error
	}{
		{name: "RSA 2048 pointer", pub: &k.rsa2048.PublicKey, wantKind: "RSA", wantBits: 2048},
		{name: "RSA 2048 value", pub: k.rsa2048.PublicKey, wantKind: "RSA", wantBits: 2048},
		{name: "RSA 2047", pub: rsaPub(2047, 65537), wantKind: "RSA", wantBits: 2047},
		{name: "RSA 512", pub: rsaPub(512, 65537), wantKind: "RSA", wantBits: 512},
		{name: "RSA 4096 value", pub: *rsaPub(4096, 65537), wantKind: "RSA", wantBits: 4096},
		{name: "RSA bad exponent still has a size", pub: rsaPub(2048, 1), wantKind: "RSA", wantBits: 2048},
		{name: "P-224", pub: &k.p224.PublicKey, wantKind: "EC", wantBits: 224},
		{name: "P-256 pointer", pub: &k.p256.PublicKey, wantKind: "EC", wantBits: 256},
		{name: "P-256 value", pub: k.p256.PublicKey, wantKind: "EC", wantBits: 256},
		{name: "P-384", pub: &k.p384.PublicKey, wantKind: "EC", wantBits: 384},
		{name: "P-521", pub: &k.p521.PublicKey, wantKind: "EC", wantBits: 521},
		{name: "Ed25519", pub: k.edPub, wantKind: "OKP", wantBits: 256},

		{name: "nil *rsa.PublicKey", pub: (*rsa.PublicKey)(nil), wantKind: "RSA", wantErr: keysize.ErrInvalidKey},
		{name: "RSA nil modulus", pub: &rsa.PublicKey{E: 65537}, wantKind: "RSA", wantErr: keysize.ErrInvalidKey},
		{name: "RSA zero modulus", pub: &rsa.PublicKey{N: new(big.Int), E: 65537}, wantKind: "RSA", wantErr: keysize.ErrInvalidKey},
		{name: "RSA negative modulus", pub: &rsa.PublicKey{N: big.NewInt(-7), E: 65537}, wantKind: "RSA", wantErr: keysize.ErrInvalidKey},
		{name: "zero rsa.PublicKey value", pub: rsa.PublicKey{}, wantKind: "RSA", wantErr: keysize.ErrInvalidKey},
		{name: "nil *ecdsa.PublicKey", pub: (*ecdsa.PublicKey)(nil), wantKind: "EC", wantErr: keysize.ErrInvalidKey},
		{name: "EC nil curve", pub: &ecdsa.PublicKey{}, wantKind: "EC", wantErr: keysize.ErrInvalidKey},
		{name: "EC nil *CurveParams", pub: &ecdsa.PublicKey{Curve: (*elliptic.CurveParams)(nil)}, wantKind: "EC", wantErr: keysize.ErrInvalidKey},
		{name: "zero ecdsa.PublicKey value", pub: ecdsa.PublicKey{}, wantKind: "EC", wantErr: keysize.ErrInvalidKey},
		{name: "Ed25519 31 bytes", pub: ed25519.PublicKey(make([]byte, 31)), wantKind: "OKP", wantErr: keysize.ErrInvalidKey},
		{name: "Ed25519 33 bytes", pub: ed25519.PublicKey(make([]byte, 33)), wantKind: "OKP", wantErr: keysize.ErrInvalidKey},
		{name: "nil ed25519.PublicKey", pub: ed25519.PublicKey(nil), wantKind: "OKP", wantErr: keysize.ErrInvalidKey},

		{name: "nil", pub: nil, wantErr: keysize.ErrUnsupportedKey},
		{name: "*rsa.PrivateKey", pub: k.rsa2048, wantErr: keysize.ErrUnsupportedKey},
		{name: "rsa.PrivateKey value", pub: *k.rsa2048, wantErr: keysize.ErrUnsupportedKey},
		{name: "*ecdsa.PrivateKey", pub: k.p256, wantErr: keysize.ErrUnsupportedKey},
		{name: "ecdsa.PrivateKey value", pub: *k.p256, wantErr: keysize.ErrUnsupportedKey},
		{name: "ed25519.PrivateKey", pub: k.ed, wantErr: keysize.ErrUnsupportedKey},
		{name: "*ed25519.PublicKey", pub: &k.edPub, wantErr: keysize.ErrUnsupportedKey},
		{name: "*ecdh.PublicKey", pub: k.x25519.PublicKey(), wantErr: keysize.ErrUnsupportedKey},
		{name: "raw bytes", pub: []byte(k.edPub), wantErr: keysize.ErrUnsupportedKey},
		{name: "string", pub: "RSA", wantErr: keysize.ErrUnsupportedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kind, bits, err := keysize.Bits(tt.pub)
			assert.Equal(t, tt.wantKind, kind)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.wantBits, bits)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.Zero(t, bits)
			assert.Equal(t, tt.wantKind, keysize.KindOf(err), "the error carries the kind Bits reports")
		})
	}
}

// TestKindOf: every error of Check about a supported key type carries its
// kind, through wrapping too, and the message is the one the error always
// had, so that callers choosing an RSA or EC clause never read the text.
func TestKindOf(t *testing.T) {
	t.Parallel()
	k := testKeys()
	smallRSA := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 1023), E: 65537}
	smallRSA.N.Add(smallRSA.N, big.NewInt(1))
	huge := keysize.Minimums{RSA: 1 << 20, EC: 1 << 20}

	tests := []struct {
		name     string
		pub      any
		min      keysize.Minimums
		wantKind keysize.Kind
		wantErr  error
		wantMsg  string
	}{
		{name: "RSA too small", pub: smallRSA, min: keysize.FAPI2Minimums(), wantKind: keysize.KindRSA, wantErr: keysize.ErrTooSmall,
			wantMsg: "keysize: RSA key has 1024 bits, minimum is 2048"},
		{name: "EC too small", pub: &k.p256.PublicKey, min: huge, wantKind: keysize.KindEC, wantErr: keysize.ErrTooSmall,
			wantMsg: "keysize: EC key has 256 bits, minimum is 1048576"},
		{name: "OKP too small", pub: k.edPub, min: huge, wantKind: keysize.KindOKP, wantErr: keysize.ErrTooSmall,
			wantMsg: "keysize: OKP key has 256 bits, minimum is 1048576"},
		{name: "RSA invalid", pub: &rsa.PublicKey{N: big.NewInt(4096), E: 65537}, wantKind: keysize.KindRSA, wantErr: keysize.ErrInvalidKey,
			wantMsg: "keysize: invalid public key: RSA key: modulus is even"},
		{name: "EC invalid", pub: &ecdsa.PublicKey{}, wantKind: keysize.KindEC, wantErr: keysize.ErrInvalidKey,
			wantMsg: "keysize: invalid public key: EC key: curve is nil"},
		{name: "OKP invalid", pub: ed25519.PublicKey(make([]byte, 31)), wantKind: keysize.KindOKP, wantErr: keysize.ErrInvalidKey,
			wantMsg: "keysize: invalid public key: OKP key: Ed25519 public key is 31 bytes, want 32"},
		{name: "EC curve unsupported", pub: &k.p224.PublicKey, wantKind: keysize.KindEC, wantErr: keysize.ErrUnsupportedKey,
			wantMsg: `keysize: unsupported key type: EC key on curve "P-224", want P-256, P-384 or P-521`},
		{name: "private key", pub: k.p256, wantErr: keysize.ErrUnsupportedKey,
			wantMsg: "keysize: unsupported key type: *ecdsa.PrivateKey is a private key, pass its public key"},
		{name: "other type", pub: k.x25519.PublicKey(), wantErr: keysize.ErrUnsupportedKey,
			wantMsg: "keysize: unsupported key type: *ecdh.PublicKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := keysize.Check(tt.pub, tt.min)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.EqualError(t, err, tt.wantMsg)
			assert.Equal(t, tt.wantKind, keysize.KindOf(err))
			assert.Equal(t, tt.wantKind, keysize.KindOf(fmt.Errorf("wrapped: %w", err)))
		})
	}
	assert.Empty(t, keysize.KindOf(nil))
	assert.Empty(t, keysize.KindOf(errors.New("EC key")), "the text of an error is never read")
}

func TestCheckRSA(t *testing.T) {
	t.Parallel()
	k := testKeys()

	tests := []checkCase{
		{name: "generated 2048 FAPI1", pub: &k.rsa2048.PublicKey, min: keysize.FAPI1Minimums()},
		{name: "generated 2048 FAPI2", pub: &k.rsa2048.PublicKey, min: keysize.FAPI2Minimums()},
		{name: "generated 2048 value", pub: k.rsa2048.PublicKey, min: keysize.FAPI2Minimums()},
		{name: "2048 exactly", pub: rsaPub(2048, 65537), min: keysize.FAPI2Minimums()},
		{name: "3072", pub: rsaPub(3072, 65537), min: keysize.FAPI1Minimums()},
		{name: "2047 FAPI1", pub: rsaPub(2047, 65537), min: keysize.FAPI1Minimums(), wantErr: keysize.ErrTooSmall, wantMsg: "keysize: RSA key has 2047 bits, minimum is 2048"},
		{name: "2047 FAPI2", pub: rsaPub(2047, 65537), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrTooSmall},
		{name: "2047 value", pub: *rsaPub(2047, 65537), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrTooSmall},
		{name: "512", pub: rsaPub(512, 65537), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrTooSmall, wantMsg: "512 bits"},
		{name: "1024", pub: rsaPub(1024, 65537), min: keysize.FAPI1Minimums(), wantErr: keysize.ErrTooSmall},
		{name: "512 without minimum", pub: rsaPub(512, 65537), min: keysize.Minimums{}},
		{name: "EC minimum does not apply to RSA", pub: rsaPub(1024, 65537), min: keysize.Minimums{EC: 4096}},
		{name: "exponent 3", pub: rsaPub(2048, 3), min: keysize.FAPI2Minimums()},
		{name: "exponent 2^31-1", pub: rsaPub(2048, 1<<31-1), min: keysize.FAPI2Minimums()},
		{name: "exponent 1", pub: rsaPub(2048, 1), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "less than 3"},
		{name: "exponent 0", pub: rsaPub(2048, 0), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "exponent negative", pub: rsaPub(2048, -65537), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "exponent 2", pub: rsaPub(2048, 2), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "exponent 65536", pub: rsaPub(2048, 65536), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "even"},
		{name: "even modulus", pub: &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 2048), E: 65537}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "modulus is even"},
		{name: "invalid takes precedence over small", pub: rsaPub(512, 1), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "nil modulus", pub: &rsa.PublicKey{E: 65537}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "zero modulus", pub: &rsa.PublicKey{N: big.NewInt(0), E: 65537}, min: keysize.Minimums{}, wantErr: keysize.ErrInvalidKey},
		{name: "negative modulus", pub: &rsa.PublicKey{N: new(big.Int).Neg(rsaPub(2048, 3).N), E: 65537}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "nil pointer", pub: (*rsa.PublicKey)(nil), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "private key", pub: k.rsa2048, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey, wantMsg: "private key"},
	}
	if strconv.IntSize == 64 {
		// 2^31+1 is odd, so only the upper bound rejects it. It is built at
		// run time so that the file still compiles where int has 32 bits.
		e := int64(1)<<31 + 1
		tests = append(tests, checkCase{name: "exponent 2^31+1", pub: rsaPub(2048, int(e)), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "exceeds 2^31-1"})
	}
	runCheckTests(t, tests)
}

func TestCheckEC(t *testing.T) {
	t.Parallel()
	k := testKeys()

	p256 := &k.p256.PublicKey
	params := elliptic.P256().Params()
	with := func(x, y *big.Int) *ecdsa.PublicKey {
		return &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
	}
	// customParams describes P-256 but is not the standard implementation.
	customParams := *params

	tests := []checkCase{
		{name: "P-256 FAPI1", pub: p256, min: keysize.FAPI1Minimums()},
		{name: "P-256 FAPI2", pub: p256, min: keysize.FAPI2Minimums()},
		{name: "P-256 value", pub: *p256, min: keysize.FAPI2Minimums()},
		{name: "P-384 FAPI2", pub: &k.p384.PublicKey, min: keysize.FAPI2Minimums()},
		{name: "P-521 FAPI2", pub: &k.p521.PublicKey, min: keysize.FAPI2Minimums()},
		{name: "P-256 min 256", pub: p256, min: keysize.Minimums{EC: 256}},
		{name: "P-256 min 257", pub: p256, min: keysize.Minimums{EC: 257}, wantErr: keysize.ErrTooSmall, wantMsg: "keysize: EC key has 256 bits, minimum is 257"},
		{name: "P-256 min 384", pub: p256, min: keysize.Minimums{EC: 384}, wantErr: keysize.ErrTooSmall},
		{name: "P-384 min 384", pub: &k.p384.PublicKey, min: keysize.Minimums{EC: 384}},
		{name: "P-384 min 385", pub: &k.p384.PublicKey, min: keysize.Minimums{EC: 385}, wantErr: keysize.ErrTooSmall},
		{name: "P-521 min 521", pub: &k.p521.PublicKey, min: keysize.Minimums{EC: 521}},
		{name: "P-521 min 522", pub: &k.p521.PublicKey, min: keysize.Minimums{EC: 522}, wantErr: keysize.ErrTooSmall},
		{name: "RSA minimum does not apply to EC", pub: p256, min: keysize.Minimums{RSA: 1 << 20}},
		{name: "generator point", pub: with(params.Gx, params.Gy), min: keysize.FAPI2Minimums()},

		{name: "P-224 is unsupported", pub: &k.p224.PublicKey, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey, wantMsg: "P-224"},
		{name: "P-224 unsupported even without minimum", pub: &k.p224.PublicKey, min: keysize.Minimums{}, wantErr: keysize.ErrUnsupportedKey},
		{name: "custom CurveParams with P-256 parameters", pub: &ecdsa.PublicKey{Curve: &customParams, X: p256.X, Y: p256.Y}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},
		{name: "non-comparable curve type", pub: &ecdsa.PublicKey{Curve: uncomparableCurve{Curve: elliptic.P256()}, X: p256.X, Y: p256.Y}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},
		{name: "private key", pub: k.p256, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},

		{name: "nil curve", pub: &ecdsa.PublicKey{X: p256.X, Y: p256.Y}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "nil *CurveParams", pub: &ecdsa.PublicKey{Curve: (*elliptic.CurveParams)(nil)}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "nil X", pub: with(nil, p256.Y), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "missing coordinates"},
		{name: "nil Y", pub: with(p256.X, nil), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "nil pointer", pub: (*ecdsa.PublicKey)(nil), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "point not on curve", pub: with(new(big.Int).Add(p256.X, big.NewInt(1)), p256.Y), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "not on the curve"},
		{name: "point at infinity", pub: with(new(big.Int), new(big.Int)), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "X equal to p", pub: with(new(big.Int).Set(params.P), p256.Y), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "X plus p", pub: with(new(big.Int).Add(p256.X, params.P), p256.Y), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "Y plus p", pub: with(p256.X, new(big.Int).Add(p256.Y, params.P)), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "negative Y", pub: with(p256.X, new(big.Int).Neg(p256.Y)), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "p minus Y", pub: with(p256.X, new(big.Int).Sub(params.P, p256.Y)), min: keysize.FAPI2Minimums()},
		{name: "huge X", pub: with(new(big.Int).Lsh(big.NewInt(1), 4096), p256.Y), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
		{name: "point of other curve", pub: &ecdsa.PublicKey{Curve: elliptic.P384(), X: p256.X, Y: p256.Y}, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey},
	}
	runCheckTests(t, tests)
}

// uncomparableCurve is an elliptic.Curve whose dynamic type cannot be
// compared with ==.
type uncomparableCurve struct {
	elliptic.Curve
	_ []int
}

func TestCheckOKP(t *testing.T) {
	t.Parallel()
	k := testKeys()

	tests := []checkCase{
		{name: "Ed25519 FAPI1", pub: k.edPub, min: keysize.FAPI1Minimums()},
		{name: "Ed25519 FAPI2", pub: k.edPub, min: keysize.FAPI2Minimums()},
		{name: "Ed25519 compared with EC minimum", pub: k.edPub, min: keysize.Minimums{EC: 257}, wantErr: keysize.ErrTooSmall, wantMsg: "keysize: OKP key has 256 bits, minimum is 257"},
		{name: "Ed25519 wrong length", pub: ed25519.PublicKey(k.edPub[:31]), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrInvalidKey, wantMsg: "31 bytes"},
		{name: "Ed25519 empty", pub: ed25519.PublicKey{}, min: keysize.Minimums{}, wantErr: keysize.ErrInvalidKey},
		{name: "Ed25519 private key", pub: k.ed, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},
		{name: "X25519", pub: k.x25519.PublicKey(), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey, wantMsg: "*ecdh.PublicKey"},
		{name: "nil", pub: nil, min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},
		{name: "bytes", pub: []byte(k.edPub), min: keysize.FAPI2Minimums(), wantErr: keysize.ErrUnsupportedKey},
	}
	runCheckTests(t, tests)
}

// checkCase is a table entry for Check.
type checkCase struct {
	name    string
	pub     crypto.PublicKey
	min     keysize.Minimums
	wantErr error
	wantMsg string
}

func runCheckTests(t *testing.T, tests []checkCase) {
	t.Helper()
	sentinels := []error{keysize.ErrTooSmall, keysize.ErrUnsupportedKey, keysize.ErrInvalidKey}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := keysize.Check(tt.pub, tt.min)
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.wantErr, errors.Is(err, s), "matches %v", s)
			}
			if tt.wantMsg != "" {
				assert.Contains(t, err.Error(), tt.wantMsg)
			}
			if tt.wantErr == keysize.ErrTooSmall {
				var tooSmall *keysize.TooSmallError
				require.ErrorAs(t, err, &tooSmall)
				kind, bits, bitsErr := keysize.Bits(tt.pub)
				require.NoError(t, bitsErr)
				assert.Equal(t, kind, tooSmall.Kind)
				assert.Equal(t, bits, tooSmall.Bits)
				assert.Less(t, tooSmall.Bits, tooSmall.Min)
			}
		})
	}
}
