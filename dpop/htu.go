package dpop

import (
	"errors"
	"net/url"
	"strings"
)

// normalizeURI returns the form in which htu and the request URL are
// compared (RFC 9449 §4.3 item 9, which asks for syntax- and scheme-based
// normalization, RFC 3986 §6.2.2 and §6.2.3): query and fragment removed,
// scheme and host in ASCII lower case, a default port (80 for http, 443 for
// https) removed, and an empty path replaced by "/". The path is kept
// exactly as written — no percent-decoding, no dot-segment removal — so two
// URIs that differ there are different, even where RFC 3986 would call them
// equivalent: a false refusal is acceptable, a false match is not.
//
// The URI must be absolute, with an authority (RFC 3986 §3.2) and without
// user information, which http(s) URIs must not carry (RFC 9110 §4.2.4).
//
// The whole URI, query and fragment included, must be made of URI
// characters (RFC 3986 §2: ASCII, no space or control character) with
// well-formed percent-encodings: the query and fragment are ignored in the
// comparison, not exempt from being part of a URI. Refusing an htu that is
// not a URI at all costs nothing a conforming client sends.
func normalizeURI(s string) (string, error) {
	if s == "" {
		return "", errors.New("empty")
	}
	for i := 0; i < len(s); i++ {
		if !uriChar(s[i]) {
			return "", errors.New("a character that is not allowed in a URI (RFC 3986 section 2)")
		}
		if s[i] == '%' && (i+2 >= len(s) || !hexDigit(s[i+1]) || !hexDigit(s[i+2])) {
			return "", errors.New("a % that does not start a percent-encoding (RFC 3986 section 2.1)")
		}
	}
	// Parsed whole, so that the query and fragment are held to the URI
	// syntax too; the scheme, user information and opaque part come
	// before them either way.
	u, err := url.Parse(s)
	if err != nil {
		return "", errors.New("not a valid URI")
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if u.Scheme == "" {
		return "", errors.New("a relative reference; an absolute URI is required")
	}
	rest := s[len(u.Scheme)+1:] // url.Parse only lower-cases the scheme
	if u.Opaque != "" || !strings.HasPrefix(rest, "//") {
		return "", errors.New("no authority (//host)")
	}
	rest = rest[2:]
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if u.User != nil || strings.Contains(authority, "@") {
		return "", errors.New("user information is not allowed")
	}
	host, port, err := splitHostPort(authority)
	if err != nil {
		return "", err
	}
	scheme := asciiLower(u.Scheme)
	if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		port = ""
	}
	if path == "" {
		path = "/"
	}
	out := scheme + "://" + asciiLower(host)
	if port != "" {
		out += ":" + port
	}
	return out + path, nil
}

// splitHostPort splits an authority without user information into host
// (an IP literal keeps its brackets) and port, which must be digits.
func splitHostPort(authority string) (host, port string, err error) {
	host = authority
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", "", errors.New("unterminated IP literal")
		}
		host = authority[:end+1]
		switch after := authority[end+1:]; {
		case after == "":
		case after[0] == ':':
			port = after[1:]
		default:
			return "", "", errors.New("invalid authority")
		}
	} else if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		host, port = authority[:i], authority[i+1:]
	}
	if host == "" || host == "[]" {
		return "", "", errors.New("no host")
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", "", errors.New("invalid port")
		}
	}
	return host, port, nil
}

// asciiLower lower-cases ASCII letters only. strings.ToLower and
// strings.EqualFold also fold other characters (U+212A KELVIN SIGN folds to
// "k"), which would let a different host compare equal.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// uriChar reports whether c may appear in a URI: an unreserved or reserved
// character or the "%" of a percent-encoding (RFC 3986 §2.1-§2.3).
func uriChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

// hexDigit reports whether c is an RFC 3986 HEXDIG (either case).
func hexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
