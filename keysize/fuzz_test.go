package keysize_test

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"math/big"
	"testing"

	"github.com/fapicheck/fapicheck/keysize"
)

// sentinelCount returns how many of the package's sentinels err matches.
func sentinelCount(err error) int {
	n := 0
	for _, s := range []error{keysize.ErrTooSmall, keysize.ErrUnsupportedKey, keysize.ErrInvalidKey} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n
}

// FuzzCheckRSA checks that Check and Bits never panic on arbitrary RSA
// public values, agree with each other, and accept exactly the keys with
// a positive odd modulus and an odd exponent in [3, 2^31-1].
func FuzzCheckRSA(f *testing.F) {
	f.Add([]byte{0xc5}, false, 65537)
	f.Add([]byte{}, false, 3)
	f.Add([]byte{0x03}, true, 65537)
	f.Add([]byte{0xff, 0xfe}, false, 65536)
	f.Fuzz(func(t *testing.T, modulus []byte, negative bool, e int) {
		n := new(big.Int).SetBytes(modulus)
		if negative {
			n.Neg(n)
		}
		pub := &rsa.PublicKey{N: n, E: e}

		err := keysize.Check(pub, keysize.Minimums{})
		want := n.Sign() > 0 && n.Bit(0) == 1 && e >= 3 && e%2 == 1 && int64(e) <= 1<<31-1
		if want != (err == nil) {
			t.Fatalf("Check(N=%x, E=%d) = %v; want valid = %v", n, e, err, want)
		}
		if err != nil && (sentinelCount(err) != 1 || errors.Is(err, keysize.ErrTooSmall)) {
			t.Fatalf("Check(N=%x, E=%d) without minimum = %v", n, e, err)
		}
		if valueErr := keysize.Check(*pub, keysize.Minimums{}); (valueErr == nil) != (err == nil) {
			t.Fatalf("pointer and value disagree: %v vs %v", err, valueErr)
		}

		kind, bits, bitsErr := keysize.Bits(pub)
		if kind != keysize.KindRSA {
			t.Fatalf("Bits kind = %q", kind)
		}
		if (bitsErr == nil) != (n.Sign() > 0) || (bitsErr == nil && bits != n.BitLen()) {
			t.Fatalf("Bits(N=%x) = %d, %v", n, bits, bitsErr)
		}

		fapi2Err := keysize.Check(pub, keysize.FAPI2Minimums())
		switch {
		case err != nil:
			if fapi2Err == nil || !errors.Is(fapi2Err, keysize.ErrInvalidKey) {
				t.Fatalf("invalid key gives %v under FAPI2 minimums", fapi2Err)
			}
		case bits < keysize.MinRSAFAPI2:
			var tooSmall *keysize.TooSmallError
			if !errors.As(fapi2Err, &tooSmall) || tooSmall.Bits != bits || tooSmall.Min != keysize.MinRSAFAPI2 || tooSmall.Kind != keysize.KindRSA {
				t.Fatalf("%d-bit key under FAPI2 minimums: %v", bits, fapi2Err)
			}
		default:
			if fapi2Err != nil {
				t.Fatalf("%d-bit key under FAPI2 minimums: %v", bits, fapi2Err)
			}
		}
	})
}

var fuzzCurves = []struct {
	ec   elliptic.Curve
	ecdh ecdh.Curve // nil if unsupported by Check
}{
	{elliptic.P256(), ecdh.P256()},
	{elliptic.P384(), ecdh.P384()},
	{elliptic.P521(), ecdh.P521()},
	{elliptic.P224(), nil},
}

// FuzzCheckEC checks that Check and Bits never panic on arbitrary ECDSA
// public values, and that every key Check accepts is on a supported curve
// and is accepted by crypto/ecdh's independent point validation.
func FuzzCheckEC(f *testing.F) {
	g := elliptic.P256().Params()
	f.Add(uint8(0), g.Gx.Bytes(), g.Gy.Bytes(), false, false)
	f.Add(uint8(0), []byte{}, []byte{}, true, false)
	f.Add(uint8(3), []byte{1}, []byte{2}, false, true)
	f.Fuzz(func(t *testing.T, curve uint8, x, y []byte, nilX, negY bool) {
		c := fuzzCurves[int(curve)%len(fuzzCurves)]
		bx, by := new(big.Int).SetBytes(x), new(big.Int).SetBytes(y)
		if negY {
			by.Neg(by)
		}
		pub := &ecdsa.PublicKey{Curve: c.ec, X: bx, Y: by}
		if nilX {
			pub.X = nil
		}

		err := keysize.Check(pub, keysize.Minimums{})
		if err != nil && (sentinelCount(err) != 1 || errors.Is(err, keysize.ErrTooSmall)) {
			t.Fatalf("Check without minimum = %v", err)
		}
		if valueErr := keysize.Check(*pub, keysize.Minimums{}); (valueErr == nil) != (err == nil) {
			t.Fatalf("pointer and value disagree: %v vs %v", err, valueErr)
		}
		if c.ecdh == nil && !errors.Is(err, keysize.ErrUnsupportedKey) {
			t.Fatalf("Check on %s = %v; want ErrUnsupportedKey", c.ec.Params().Name, err)
		}

		kind, bits, bitsErr := keysize.Bits(pub)
		if kind != keysize.KindEC || bitsErr != nil || bits != c.ec.Params().BitSize {
			t.Fatalf("Bits = %q, %d, %v", kind, bits, bitsErr)
		}

		if err != nil {
			return
		}
		// Independent validation: the uncompressed encoding must be a
		// valid crypto/ecdh public key.
		size := (c.ec.Params().BitSize + 7) / 8
		if len(bx.Bytes()) > size || len(by.Bytes()) > size {
			t.Fatalf("Check accepted oversized coordinates on %s", c.ec.Params().Name)
		}
		enc := make([]byte, 1+2*size)
		enc[0] = 4
		bx.FillBytes(enc[1 : 1+size])
		by.FillBytes(enc[1+size:])
		if _, err := c.ecdh.NewPublicKey(enc); err != nil {
			t.Fatalf("Check accepted a point crypto/ecdh rejects on %s: %v", c.ec.Params().Name, err)
		}
		if err := keysize.Check(pub, keysize.FAPI2Minimums()); err != nil {
			t.Fatalf("valid %s key fails FAPI2 minimums: %v", c.ec.Params().Name, err)
		}
	})
}

// FuzzCheckEd25519 checks that Check never panics on Ed25519 public keys
// and accepts exactly those of 32 bytes.
func FuzzCheckEd25519(f *testing.F) {
	f.Add(make([]byte, 32))
	f.Add([]byte{})
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := keysize.Check(ed25519.PublicKey(b), keysize.FAPI2Minimums())
		if want := len(b) == ed25519.PublicKeySize; want != (err == nil) {
			t.Fatalf("Check(%d-byte Ed25519 key) = %v", len(b), err)
		}
		if err != nil && !errors.Is(err, keysize.ErrInvalidKey) {
			t.Fatalf("Check(%d-byte Ed25519 key) = %v; want ErrInvalidKey", len(b), err)
		}
		kind, bits, bitsErr := keysize.Bits(ed25519.PublicKey(b))
		if kind != keysize.KindOKP || (bitsErr == nil) != (err == nil) || (bitsErr == nil && bits != 256) {
			t.Fatalf("Bits = %q, %d, %v", kind, bits, bitsErr)
		}
	})
}
