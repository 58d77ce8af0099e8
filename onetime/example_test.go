package onetime_test

import (
	"context"
	"fmt"
	"time"

	"github.com/fapicheck/fapicheck/onetime"
)

// A token endpoint records the jti of each client assertion it accepts, and
// refuses the assertion when its jti was seen before or when the store
// cannot answer.
func ExampleMemory() {
	store := onetime.NewMemory(100_000)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	exp := now.Add(time.Minute) // the verified assertion's exp

	accept := func(clientID, jti string, now time.Time) bool {
		key := onetime.Key(onetime.KindClientAssertion, clientID, jti)
		first, err := store.FirstUse(context.Background(), now, onetime.Use{Key: key, Until: exp})
		return err == nil && first[0]
	}
	fmt.Println(accept("client-1", "jti-1", now))
	fmt.Println(accept("client-1", "jti-1", now.Add(time.Second)))  // replayed
	fmt.Println(accept("client-2", "jti-1", now.Add(time.Second)))  // another client's jti
	fmt.Println(accept("client-1", "jti-1", now.Add(-time.Minute))) // Until not after now: refused
	// Output:
	// true
	// false
	// true
	// false
}

// Several values of one request are recorded in one call: here the DPoP
// proof and the client assertion of a token request. The answers come in
// the order of the uses.
func ExampleStore() {
	var store onetime.Store = onetime.NewMemory(1000)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	uses := []onetime.Use{
		{Key: onetime.Key(onetime.KindDPoPProof, "key-thumbprint", "proof-jti"), Until: now.Add(5 * time.Minute)},
		{Key: onetime.Key(onetime.KindClientAssertion, "client-1", "assertion-jti"), Until: now.Add(time.Minute)},
	}
	first, err := store.FirstUse(context.Background(), now, uses...)
	fmt.Println(first, err)
	first, err = store.FirstUse(context.Background(), now.Add(time.Second), uses...)
	fmt.Println(first, err)
	// Output:
	// [true true] <nil>
	// [false false] <nil>
}

func ExampleKey() {
	fmt.Println(onetime.Key(onetime.KindCode, "abc"))
	// Output:
	// code:w0lMoaLPjuuKEd7TFvtVuDw7u-22MTzVBBUlHl0J4S8
}
