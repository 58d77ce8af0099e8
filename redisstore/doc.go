// Package redisstore is a onetime.Store kept in Redis or Valkey, so that
// every instance of an authorization server shares one record of the
// one-time values it has seen: authorization codes (FAPI2-SP-5.3.2.2-9),
// request_uris (PAR-7.3), client assertion and DPoP proof jtis (RFC7523-3
// item 7, DPOP-11.1) and rotated refresh tokens (RFC9700-4.14.2).
//
// Each use is one command, SET key 1 NX PX milliseconds: the server sets the
// key only if it does not exist, atomically, and expires it when the hold
// ends. Of concurrent calls with the same key, from any number of
// processes, exactly one SET succeeds, and only that call reports the use as
// first. The uses of one FirstUse call go in one pipeline: one round trip to
// the server whatever their number (with a cluster client, one per node the
// keys live on, sent concurrently).
//
// The store fails closed: any error (a connection refused, a timeout, an
// error reply to any command of the pipeline) makes FirstUse return an
// error wrapping onetime.ErrUnavailable and no answer, so the caller refuses
// the request. A key is never reported first unless its SET is known to have
// succeeded.
//
// Only SET with NX and PX is used, which Redis (2.6.12 and later) and Valkey
// both have, so any client that implements redis.UniversalClient (a single
// server, Sentinel failover, or a cluster) can be given to New.
//
// # Holds and clocks
//
// The hold of each use is Until minus the caller's now, rounded up to a
// whole millisecond: rounding never shortens a hold, and a hold of less
// than 1 ms becomes 1 ms. The server counts the hold from when it executes
// the SET, by its own clock, so the caller's and the server's clocks need
// not agree; the time the request takes to arrive only lengthens the hold.
//
// # What the server must keep
//
// A key is only as durable as the server's data. A server restarted without
// persistence (or a failover to a replica that had not yet received the
// write) forgets the keys it held, and each of them can then be used once
// more. Run it with persistence or replication suited to that risk; the
// holds are short (a code's lifetime, an assertion's), so the window is
// the longest hold.
package redisstore
