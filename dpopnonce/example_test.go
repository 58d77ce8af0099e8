package dpopnonce_test

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/dpopnonce"
)

// An authorization server's instances share one secret (from the
// server's secret store; here a fresh random one) and label. A nonce one
// instance hands out in the DPoP-Nonce header is accepted by every other
// until the end of the next window.
func ExampleNew() {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	as1, err := dpopnonce.New(secret, dpopnonce.WithLabel("as"))
	if err != nil {
		panic(err)
	}
	as2, _ := dpopnonce.New(secret, dpopnonce.WithLabel("as"))
	rs, _ := dpopnonce.New(secret, dpopnonce.WithLabel("rs:https://rs.example.com"))

	issued := time.Date(2024, 5, 1, 12, 4, 59, 0, time.UTC) // just before a boundary
	nonce := as1.Nonce(issued)
	fmt.Println(len(nonce))
	fmt.Println(as2.Valid(nonce, issued.Add(2*time.Second)))  // the next window
	fmt.Println(as2.Valid(nonce, issued.Add(5*time.Minute)))  // still the next window
	fmt.Println(as2.Valid(nonce, issued.Add(10*time.Minute))) // two windows on
	fmt.Println(rs.Valid(nonce, issued))                      // another context

	_, err = dpopnonce.New([]byte("too short"))
	fmt.Println(err)
	// Output:
	// 43
	// true
	// true
	// false
	// false
	// dpopnonce: secret too short: 9 bytes, at least 32 needed
}
