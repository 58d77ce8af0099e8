package keysize_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/fapicheck/fapicheck/keysize"
)

func ExampleCheck() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(keysize.Check(&key.PublicKey, keysize.FAPI2Minimums()))

	// An RSA public key with a 1024-bit modulus, for example from a
	// client's JWK set. Only the public values are inspected.
	n := new(big.Int).Lsh(big.NewInt(1), 1023)
	n.Add(n, big.NewInt(1))
	err = keysize.Check(&rsa.PublicKey{N: n, E: 65537}, keysize.FAPI2Minimums())
	fmt.Println(err)

	var tooSmall *keysize.TooSmallError
	if errors.As(err, &tooSmall) {
		fmt.Println(tooSmall.Kind, tooSmall.Bits, tooSmall.Min)
	}

	// Private keys are not accepted: pass the public key.
	fmt.Println(errors.Is(keysize.Check(key, keysize.FAPI2Minimums()), keysize.ErrUnsupportedKey))
	// Output:
	// <nil>
	// keysize: RSA key has 1024 bits, minimum is 2048
	// RSA 1024 2048
	// true
}

func ExampleBits() {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		fmt.Println(err)
		return
	}
	kind, bits, err := keysize.Bits(&key.PublicKey)
	fmt.Println(kind, bits, err)

	_, _, err = keysize.Bits(nil)
	fmt.Println(err)
	// Output:
	// EC 384 <nil>
	// keysize: unsupported key type: <nil>
}
