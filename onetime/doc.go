// Package onetime records the first use of one-time values: the state that
// the pure checks of this library cannot hold.
//
// FAPI and the specifications under it require a server to refuse a value
// seen before:
//
//   - an authorization code is redeemed once (FAPI1-BASE-5.2.2-13,
//     FAPI2-SP-5.3.2.2-9, RFC6749-4.1.2);
//   - a pushed authorization request's request_uri is used once (PAR-4,
//     PAR-7.3);
//   - a client assertion's jti is not accepted twice while the assertion is
//     valid (RFC7523-3 item 7, OIDCC-9);
//   - a DPoP proof's jti is not accepted twice within its window (DPOP-11.1);
//   - a rotated refresh token is not used again (RFC9700-4.14.2,
//     RFC6749-10.4, FAPI2-SP-5.3.2.1-9).
//
// One small interface, Store, serves all of them, and the library's checks
// take it through fapi.WithStore: FirstUse answers, for each key, whether
// this is its first use, and holds the key until the time the caller gives. A Store is shared by every instance of a server, so its
// answer must be atomic across processes: of concurrent calls with the same
// key, at most one is told "first". An error is no answer at all: the caller
// refuses the request (fail closed).
//
// Memory is the implementation for one process, bounded and expiring; the
// module github.com/fapicheck/fapicheck/redisstore is the one shared through
// Redis or Valkey.
//
// # Keys
//
// Most of what is recorded is chosen by the client (a jti, a code it
// presents). Key builds the store's key from a kind and the values that
// identify the use, hashed, so a store never sees attacker-chosen bytes of
// unbounded length, and uses of different kinds, clients or values never
// share a key:
//
//	key := onetime.Key(onetime.KindClientAssertion, clientID, jti)
//	first, err := store.FirstUse(ctx, now, onetime.Use{Key: key, Until: exp.Add(skew)})
//	if err != nil || !first[0] {
//		// refuse: a replay, or a store that could not answer
//	}
//
// # Time
//
// Every decision uses the caller's now; no implementation in this package
// reads the clock. A key is held while now is before its Until: at exactly
// Until it is free again.
package onetime
