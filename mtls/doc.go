// Package mtls implements the authorization server's side of OAuth 2.0
// Mutual-TLS client authentication and certificate-bound access tokens
// (RFC 8705).
//
// # Division of work
//
// Three parties are involved in deciding that a TLS client certificate
// authenticates an OAuth client, and this package is only one of them:
//
//  1. The TLS layer completes the handshake, which proves that the peer
//     holds the private key of the certificate it presented. For
//     tls_client_auth it also validates the certificate chain against the
//     server's trust anchors (RFC 8705 §2.1); for
//     self_signed_tls_client_auth no chain is validated (RFC 8705 §2.2).
//     This package performs neither step: it assumes both have been done.
//     Because a tls_client_auth registration names only a subject, every CA
//     in that trust store can issue a certificate that authenticates the
//     client; it should hold only CAs trusted to vet client identities.
//  2. When TLS is terminated by a reverse proxy or load balancer, the proxy
//     forwards the client certificate to the server, usually in an HTTP
//     header. Reading that header is the server's job, and the server must
//     accept it only on connections that come from the proxy, after the
//     proxy has removed any copy of the header sent by the client. A
//     certificate taken from a header that a client can set is an
//     unauthenticated claim, and nothing in this package can detect that.
//  3. This package decides whether a verified certificate belongs to a
//     registered client, and computes the value that binds access tokens to
//     the certificate.
//
// # Enforced clauses
//
//   - RFC 8705 §2.1.2: [MatchTLSClientAuth] checks a certificate against
//     the single subject a tls_client_auth client registered with one of
//     tls_client_auth_subject_dn, tls_client_auth_san_dns,
//     tls_client_auth_san_uri, tls_client_auth_san_ip or
//     tls_client_auth_san_email ([Identity]). A registration that sets none
//     or several of them is refused with [ErrIdentity].
//   - RFC 8705 §2.2.2: [MatchSelfSigned] checks a certificate against the
//     keys a self_signed_tls_client_auth client registered (its "jwks" or
//     the set fetched from its "jwks_uri"): the certificate must be the
//     first "x5c" certificate of a registered key, or carry a registered
//     public key.
//   - RFC 8705 §3.1: [Thumbprint] computes the "x5t#S256" confirmation
//     method of a certificate-bound access token. A resource server accepts
//     such a token only on a connection whose client certificate has the
//     same thumbprint.
//
// Errors wrap the sentinels [ErrNoCertificate], [ErrIdentity] and
// [ErrMismatch]; a mismatch is a [*MismatchError] that records what was
// registered and what the certificate held. Only a nil error means the
// certificate belongs to the client.
package mtls
