// Package fapi validates the requests an OAuth 2.0 / OpenID Connect
// authorization server receives under the Financial-grade API (FAPI)
// security profiles. It is the facade of the module: one pure function per
// check point —
//
//   - CheckService: the authorization server's configuration;
//   - CheckClient: a client registration, against the service;
//   - CheckPushedAuthorizationRequest: a request to the PAR endpoint (RFC
//     9126), with client authentication and an optional DPoP proof;
//   - CheckAuthorizationRequest: a request to the authorization endpoint,
//     with its request object (by value, or resolved by the caller for a
//     request_uri), or the record the caller stored for a pushed
//     request_uri;
//   - CheckTokenRequest: an authorization_code grant request, with client
//     authentication, the TLS client certificate or DPoP proof and the
//     stored record of the authorization.
//
// Each returns a Report: the profile that applied (chosen from the service
// settings and the attributes of the requested scopes; see package profile),
// what chose it, and every Violation found, in a deterministic order. A
// Violation carries a stable Code, the field at fault, a message, the clause
// it enforces (Ref) and the OAuth error to answer with; docs/CODES.md lists
// them all. A report without violations is the only accept.
//
// The functions own no HTTP, no storage and no goroutines, never fetch a
// URL and take the current time from the caller, so they are deterministic
// and safe for concurrent use. PrepareClient parses a client's keys once;
// the PreparedClient is immutable and can serve every request of that
// client.
//
// The profiles: FAPI 1.0 Implementer's Draft 2 read-only (fapi1-read-only)
// and read-and-write (fapi1-read-write), FAPI 1.0 Final Baseline
// (fapi1-baseline) and Advanced (fapi1-advanced), the FAPI 2.0 Security
// Profile (fapi2-security) and FAPI 2.0 Message Signing
// (fapi2-message-signing). Stateful rules (one-time codes and request_uris,
// jti replay) are the caller's: the library takes the records it needs
// (AuthorizationRecord, PushedRecord) and, for DPoP, an optional
// dpop.ReplayCache.
//
// DPoP server nonces (RFC 9449 §8) are checked by a Checker given a nonce
// source with WithDPoPNonces (package dpopnonce makes one without
// storage); the service's RequireDPoPNonce makes them mandatory. The
// package Check… functions take no options: they do not check nonces, and
// refuse every DPoP proof of a service that requires them.
package fapi

// One entry point regenerates every generated file of the module (the Code
// constants and the runtime code table from codetable.txt, the documents
// under docs/ and the case corpora); see internal/generate.
//
//go:generate go run ../internal/generate
