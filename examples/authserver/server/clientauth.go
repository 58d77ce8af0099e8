package server

import (
	"crypto/x509"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
)

// backChannel is what the PAR and token endpoints read from a request
// before the library judges it: the form body, the client it names and
// how it authenticates.
type backChannel struct {
	form url.Values
	// client is the client the request names, nil when it names none the
	// server knows; clientID is the name, for logs.
	client   *client
	clientID string
	// basic holds the HTTP Basic credentials (client_secret_basic, RFC 6749
	// §2.3.1), nil without an Authorization header of that scheme.
	basic *fapi.BasicAuth
	// triedHeader: the request carried an Authorization header, so an
	// invalid_client answer is a 401 with a challenge for the scheme the
	// server takes, Basic (RFC 6749 §5.2).
	triedHeader bool
	// cert is the TLS client certificate, nil without one.
	cert *x509.Certificate
}

// challengeBasic says whether an invalid_client answer carries a Basic
// challenge: only for a client that authenticates with HTTP Basic, or a
// request that tried to (RFC 6749 §5.2). A private_key_jwt or mTLS client
// gets the error in the body alone: no HTTP authentication scheme covers
// its method, and a Basic challenge would send a standard client after
// credentials it does not have.
func (b *backChannel) challengeBasic() bool {
	if b.triedHeader || b.basic != nil {
		return true
	}
	return b.client != nil && authMethodOf(&b.client.reg.Client) == profile.AuthClientSecretBasic
}

// authMethodOf is the client's token_endpoint_auth_method, with RFC 7591
// §2's default.
func authMethodOf(c *fapi.Client) string {
	if c.TokenEndpointAuthMethod == "" {
		return profile.AuthClientSecretBasic
	}
	return c.TokenEndpointAuthMethod
}

// readBackChannel reads a PAR or token request: an
// application/x-www-form-urlencoded POST body of at most 64 KiB (RFC 6749
// §3.2, RFC 9126 §2.1), of which only the body counts (parameters in the
// query are ignored), and the client it names: the user name of HTTP
// Basic credentials, client_id, or the iss of a client assertion read
// without trusting it (RFC 7523 §3; it only chooses whose keys the library
// verifies the assertion with). It returns an OAuth error and description
// when the request cannot be read.
func (s *Server) readBackChannel(w http.ResponseWriter, r *http.Request) (*backChannel, string, string) {
	b := &backChannel{}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return b, fapi.OAuthInvalidRequest, "the request must be an application/x-www-form-urlencoded POST body"
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		desc := "the request body could not be read"
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			desc = "the request body is larger than 64 KiB"
		}
		return b, fapi.OAuthInvalidRequest, desc
	}
	b.form = r.PostForm
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		b.cert = r.TLS.PeerCertificates[0]
	}

	if h := r.Header.Values("Authorization"); len(h) > 0 {
		b.triedHeader = true
		id, secret, ok := r.BasicAuth()
		if !ok || len(h) > 1 {
			return b, fapi.OAuthInvalidClient, "the Authorization header is not one set of HTTP Basic credentials (RFC 6749 section 2.3.1)"
		}
		b.basic = &fapi.BasicAuth{ClientID: id, ClientSecret: secret}
		// RFC 6749 §2.3.1: the client_id is form-encoded before it enters
		// the header.
		if dec, err := url.QueryUnescape(id); err == nil {
			id = dec
		}
		b.clientID = id
	}
	if b.clientID == "" {
		b.clientID = b.form.Get("client_id")
	}
	if b.clientID == "" && b.form.Get("client_assertion") != "" {
		b.clientID, _ = clientassertion.UnverifiedIssuer(b.form.Get("client_assertion"), s.svc.MaxRequestObjectSize)
	}
	b.client = s.clients[b.clientID]
	if b.client == nil {
		return b, fapi.OAuthInvalidClient, "the client is not registered, or could not be identified"
	}
	return b, "", ""
}

// checkClientCredentials applies what the server adds to the library's
// client authentication: a tls_client_auth certificate chains to a trusted
// authority (RFC 8705 §2.1; the TLS layer only requested it), and a client
// secret is not past its client_secret_expires_at (RFC 7591 §3.2.1). It
// returns a description of the failure, or "".
func (s *Server) checkClientCredentials(r *http.Request, b *backChannel, now time.Time) string {
	reg := &b.client.reg
	switch authMethodOf(&reg.Client) {
	case profile.AuthTLSClient:
		if b.cert == nil {
			return "" // the library reports the missing certificate
		}
		if err := s.verifyClientChain(r.TLS.PeerCertificates, now); err != nil {
			s.log.Info("client certificate not trusted", "client_id", b.clientID, "err", err)
			return "the TLS client certificate does not chain to a trusted certificate authority"
		}
	case profile.AuthClientSecretBasic, profile.AuthClientSecretPost:
		if !reg.ClientSecretExpiresAt.IsZero() && !now.Before(reg.ClientSecretExpiresAt) {
			return "the client secret expired at " + reg.ClientSecretExpiresAt.Format(time.RFC3339) + " (client_secret_expires_at)"
		}
	}
	return ""
}

// verifyClientChain verifies a tls_client_auth certificate chain against
// Config.ClientCAs.
func (s *Server) verifyClientChain(chain []*x509.Certificate, now time.Time) error {
	if s.clientCAs == nil {
		return errors.New("no trusted client certificate authorities are configured")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         s.clientCAs,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	return err
}

// backChannelError writes an error response of the PAR or token endpoint
// (RFC 6749 §5.2, RFC 9126 §2.3): JSON, never cached; invalid_client is a
// 401 (docs/DESIGN.md §8), with `WWW-Authenticate: Basic` only for a client
// that authenticates with HTTP Basic or tried to (RFC 6749 §5.2: the
// challenge matches the scheme the client used; no HTTP scheme covers
// private_key_jwt or mTLS, and a Basic challenge would send a standard
// client after credentials it does not have); server_error is a 500,
// temporarily_unavailable a 503, everything else a 400. desc goes through
// fapi.EscapeDescription, which leaves a violation's Description
// unchanged; an empty desc omits error_description.
func (s *Server) backChannelError(w http.ResponseWriter, b *backChannel, code, desc string) {
	noStore(w)
	if w.Header().Get("DPoP-Nonce") == "" {
		// A fresh nonce with every answer, also those the library never
		// saw (RFC 9449 §8.2), so that a client can start with it.
		s.dpopNonce(w, s.nonces.Nonce(s.now()))
	}
	status := http.StatusBadRequest
	switch code {
	case fapi.OAuthInvalidClient:
		status = http.StatusUnauthorized
		if b != nil && b.challengeBasic() {
			w.Header().Set("WWW-Authenticate", `Basic realm="`+s.issuer+`", charset="UTF-8"`)
		}
	case fapi.OAuthServerError:
		status = http.StatusInternalServerError
	case "temporarily_unavailable":
		status = http.StatusServiceUnavailable
	}
	s.writeJSON(w, status, oauthError{Error: code, ErrorDescription: fapi.EscapeDescription(desc)})
}

// pickViolation chooses the violation a refused PAR or token request is
// answered with: a failed client authentication first (RFC 6749 §5.2,
// invalid_client: an unauthenticated caller learns nothing more), then a
// code or refresh token of another client (invalid_grant, RFC 6749
// §4.1.3, §6: the grant is the fault, not what the client registered),
// then the first violation the library reports.
func pickViolation(vs []fapi.Violation) fapi.Violation {
	for _, v := range vs {
		if v.Error == fapi.OAuthInvalidClient {
			return v
		}
	}
	for _, v := range vs {
		if v.Code == fapi.CodeCodeClientMismatch || v.Code == fapi.CodeRefreshTokenClientMismatch {
			return v
		}
	}
	return vs[0]
}

// dpopNonce sends the server's current DPoP nonce (RFC 9449 §8.1, §8.2)
// where the profile offers DPoP: with a use_dpop_nonce error, where the
// client needs it, and with every other answer of an endpoint that takes
// DPoP proofs, as the client's next nonce.
func (s *Server) dpopNonce(w http.ResponseWriter, nonce string) {
	if nonce != "" && featuresOf(s.profile).dpop {
		w.Header().Set("DPoP-Nonce", nonce)
		w.Header().Add("Access-Control-Expose-Headers", "DPoP-Nonce")
	}
}

// hasDPoP reports whether the request carries a DPoP header.
func hasDPoP(r *http.Request) bool { return len(r.Header.Values("DPoP")) > 0 }

// noDPoPHere is the description of the refusal of a DPoP proof under a
// profile that offers none.
func (s *Server) noDPoPHere() string {
	return "DPoP is not offered under " + string(s.profile) + " (no dpop_signing_alg_values_supported): tokens are bound to the TLS client certificate"
}

// truncate shortens s to at most n bytes for messages and logs, without
// leaving a broken UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:n], "?") + "..."
}
