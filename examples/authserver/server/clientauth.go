package server

import (
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
	"github.com/fapicheck/fapicheck/profile"
)

// backChannel is what the PAR and token endpoints read from a request
// before the library judges it (fapihttp's Reader builds it): the form
// body, the credentials, the DPoP header values, the method and external
// URL, and the client the request names.
type backChannel struct {
	form url.Values
	// basic holds the HTTP Basic credentials (client_secret_basic, RFC 6749
	// §2.3.1), nil without them; cert the TLS client certificate, nil
	// without one.
	basic *fapi.BasicAuth
	cert  *x509.Certificate
	// dpop holds every DPoP header value; method and url are those a DPoP
	// proof is bound to (RFC 9449 §4.3).
	dpop        []string
	method, url string
	// client is the client the request names, nil when it names none the
	// server knows; clientID is the name, for logs.
	client   *client
	clientID string
}

// authMethodOf is the client's token_endpoint_auth_method, with RFC 7591
// §2's default.
func authMethodOf(c *fapi.Client) string {
	if c.TokenEndpointAuthMethod == "" {
		return profile.AuthClientSecretBasic
	}
	return c.TokenEndpointAuthMethod
}

// readBackChannel reads a PAR (par) or token request with fapihttp's
// Reader — an application/x-www-form-urlencoded POST body within the
// server's limit, of which only the body counts, no parameter twice (RFC
// 6749 §3.2, RFC 9126 §2.1); the Basic credentials, the certificate, the
// DPoP headers and the external URL — and finds the client it names: the
// user name of the Basic credentials, client_id, or the iss of a client
// assertion read without trusting it (RFC 7523 §3; it only chooses whose
// keys the library verifies the assertion with). It returns the error to
// answer with when the request cannot be read or names no known client.
func (s *Server) readBackChannel(r *http.Request, par bool) (*backChannel, error) {
	b := &backChannel{}
	if par {
		req, err := s.reader.PushedAuthorization(r)
		if err != nil {
			return b, err
		}
		b.form, b.basic, b.cert, b.dpop, b.method, b.url = url.Values(req.Params), req.BasicAuth, req.ClientCertificate, req.DPoP, req.Method, req.URL
	} else {
		req, err := s.reader.Token(r)
		if err != nil {
			return b, err
		}
		b.form, b.basic, b.cert, b.dpop, b.method, b.url = url.Values(req.Params), req.BasicAuth, req.ClientCertificate, req.DPoP, req.Method, req.URL
	}
	if b.basic != nil {
		b.clientID = b.basic.ClientID // form-decoded by the reader (RFC 6749 §2.3.1)
	}
	if b.clientID == "" {
		b.clientID = b.form.Get("client_id")
	}
	if b.clientID == "" && b.form.Get("client_assertion") != "" {
		b.clientID, _ = clientassertion.UnverifiedIssuer(b.form.Get("client_assertion"), s.svc.MaxRequestObjectSize)
	}
	b.client = s.clients[b.clientID]
	if b.client == nil {
		return b, &fapihttp.Error{Code: fapi.OAuthInvalidClient, Description: "the client is not registered, or could not be identified"}
	}
	return b, nil
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
		chain := []*x509.Certificate{b.cert}
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			chain = r.TLS.PeerCertificates
		}
		if err := s.verifyClientChain(chain, now); err != nil {
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

// backChannelError answers a refused PAR or token request with
// fapihttp.WriteTokenError (RFC 6749 §5.2, RFC 9126 §2.3): JSON, never
// cached; invalid_client a 401 with `WWW-Authenticate: Basic` only for a
// request that tried HTTP Basic (no HTTP scheme covers private_key_jwt or
// mTLS, and a Basic challenge would send a standard client after
// credentials it does not have); server_error a 500,
// temporarily_unavailable a 503, everything else a 400. err is a reader's
// error, a *fapihttp.Error, or the server's choice among the library's
// violations (pickViolation). Where the profile offers DPoP every answer
// carries a fresh nonce (RFC 9449 §8.2): the library's, or the source's
// for an answer the library never gave.
func (s *Server) backChannelError(w http.ResponseWriter, r *http.Request, err error, nonce string) {
	if nonce == "" && featuresOf(s.profile).dpop {
		nonce = s.nonces.Nonce(s.now())
	}
	fapihttp.WriteTokenError(w, r, err, s.nonceFor(nonce))
}

// violationError is the answer to a violation the server chose.
func violationError(v fapi.Violation) error {
	return &fapihttp.Error{Code: v.Error, Description: v.Description()}
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

// nonceFor is the DPoP nonce to send (RFC 9449 §8.1, §8.2) where the
// profile offers DPoP, and "" elsewhere: no DPoP-Nonce header where there
// is no DPoP.
func (s *Server) nonceFor(nonce string) string {
	if !featuresOf(s.profile).dpop {
		return ""
	}
	return nonce
}

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
