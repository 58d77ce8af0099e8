package dpop

import (
	"strings"
	"time"
)

// NonceHeaderName is the HTTP header field that carries a server-provided
// nonce to the client (RFC 9449 §8.1): in the use_dpop_nonce error
// response, and on any response to give the client a fresh one (§8.2).
const NonceHeaderName = "DPoP-Nonce"

// ErrorUseNonce is the error code of a response that asks the client to
// retry with the server's nonce (RFC 9449 §8, §9, §12.2): the "error"
// member of a token or PAR error response (HTTP 400), or the error
// attribute of a resource server's WWW-Authenticate challenge (HTTP 401).
const ErrorUseNonce = "use_dpop_nonce"

// Scheme is the authentication scheme of DPoP-bound access tokens (RFC
// 9449 §7.1): the Authorization header's "DPoP <token>" and the
// WWW-Authenticate challenge of a resource server.
const Scheme = "DPoP"

// NonceChecker decides whether a proof's nonce claim is one the server
// issued and still accepts (RFC 9449 §4.3 item 10, §8, §9). Valid must be
// safe for concurrent use and must not panic; it sees the claim only when
// it is within the NQCHAR grammar (ValidNonceSyntax). The stateless
// *dpopnonce.Source implements it; a server that keeps its nonces in a
// store can implement it over that store.
type NonceChecker interface {
	Valid(nonce string, now time.Time) bool
}

// ValidNonceSyntax reports whether s is a nonce of RFC 9449 §8.1's grammar,
// nonce = 1*NQCHAR with NQCHAR = %x21 / %x23-5B / %x5D-7E: one or more
// printable ASCII characters other than space, double quote and backslash.
// Only such a value may be written into the DPoP-Nonce header, and Verify
// refuses a nonce claim outside it (nonce_invalid) without consulting the
// checker.
func ValidNonceSyntax(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// UseNonceChallenge returns the WWW-Authenticate header value with which a
// resource server refuses a request whose DPoP proof lacks its nonce or
// carries a stale one (RFC 9449 §9; the challenge of §7.1): the DPoP
// scheme, error="use_dpop_nonce", a short error_description and, when
// algs is not empty, the algs attribute listing the proof algorithms the
// resource accepts. Algorithm names that are not tokens of RFC 9110 §5.6.2
// are left out, so the value is always a well-formed challenge. The
// response is HTTP 401 and carries the new nonce in the DPoP-Nonce header
// (NonceHeaderName).
func UseNonceChallenge(algs []string) string {
	var b strings.Builder
	b.WriteString(Scheme + ` error="` + ErrorUseNonce + `", error_description="a DPoP proof with the nonce in the DPoP-Nonce header is required"`)
	first := true
	for _, a := range algs {
		if !isToken(a) {
			continue
		}
		if first {
			b.WriteString(`, algs="`)
			first = false
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(a)
	}
	if !first {
		b.WriteByte('"')
	}
	return b.String()
}

// isToken: RFC 9110 §5.6.2, token = 1*tchar.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
