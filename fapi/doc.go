// Package fapi validates the requests an OAuth 2.0 / OpenID Connect
// authorization server receives under the Financial-grade API (FAPI)
// security profiles. It is the facade of the module: one pure function per
// check point —
//
//   - CheckService: the authorization server's configuration;
//   - CheckClient: a client registration, against the service;
//   - CheckAuthorizationRequest: a request to the authorization endpoint,
//     with its request object (by value, or resolved by the caller for a
//     request_uri);
//   - CheckTokenRequest: an authorization_code grant request, with client
//     authentication, the TLS client certificate and the stored record of
//     the authorization.
//
// Each returns a Report: the profile that applied (chosen from the service
// settings and the attributes of the requested scopes; see package profile),
// what chose it, and every Violation found, in a deterministic order. A
// Violation carries a stable Code, the field at fault, a message, the clause
// it enforces (Ref) and the OAuth error to answer with; CODES.md lists them
// all. A report without violations is the only accept.
//
// The functions own no HTTP, no storage and no goroutines, never fetch a
// URL and take the current time from the caller, so they are deterministic
// and safe for concurrent use. PrepareClient parses a client's keys once;
// the PreparedClient is immutable and can serve every request of that
// client.
//
// This version implements FAPI 1.0 Implementer's Draft 2 read-only
// (fapi1-read-only) and read-and-write (fapi1-read-write). A request that
// falls under a profile it does not implement is refused with
// profile.not_implemented.
package fapi
