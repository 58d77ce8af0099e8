package fapihttp

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedSize bounds the forwarding headers the reader parses.
const maxForwardedSize = 8 << 10

// URL returns the absolute URL the client addressed, as the checks compare
// it with a DPoP proof's htu (RFC 9449 §4.3 item 9) and read a resource
// request's query: scheme, host, the request's path as sent (escaped) and
// its query (a "#" in it is refused), without a fragment; the scheme and
// host in lower case and
// without the scheme's default port (RFC 3986 §6.2.2.1, §6.2.3).
//
// The origin is, in order: the WithBaseURL value; for a request from a
// trusted proxy (WithTrustedProxy), the proto and host of its Forwarded
// header (RFC 7239 §5.3, §5.4) or X-Forwarded-Proto and X-Forwarded-Host;
// otherwise https when the request came over TLS (r.TLS set) and http
// when not, with the Host header. The host must be a host name or an IP
// literal with an optional port, and one of WithHosts when given;
// anything else is ErrURL.
//
// Without WithBaseURL or WithHosts the host is the client's choice: see
// WithBaseURL.
func (rd *Reader) URL(r *http.Request) (string, error) {
	if r == nil || r.URL == nil {
		return "", &RequestError{Err: ErrURL, Detail: "no request"}
	}
	path := r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		return "", &RequestError{Err: ErrURL, Detail: fmt.Sprintf("the request path %s is not absolute", quoteShort(path))}
	}
	query := ""
	if r.URL.RawQuery != "" {
		if strings.IndexByte(r.URL.RawQuery, '#') >= 0 {
			// RFC 9112 §3.2 has no "#" in a request-target, but Go's
			// server keeps one in RawQuery. In the URL it would start a
			// fragment and hide the rest of the query from the checks
			// (an access_token after it, RFC 6750 §2.3).
			return "", &RequestError{Err: ErrURL, Detail: "the request's query contains a '#'"}
		}
		query = "?" + r.URL.RawQuery
	}
	if rd.base != "" {
		return rd.base + path + query, nil
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if host == "" {
		host = r.URL.Host
	}
	if rd.fromTrustedProxy(r) {
		fs, fh, err := forwardedOrigin(r.Header)
		if err != nil {
			return "", err
		}
		if fs != "" {
			scheme = fs
		}
		if fh != "" {
			host = fh
		}
	}
	if !validHost(host) {
		return "", &RequestError{Err: ErrURL, Name: "Host", Detail: fmt.Sprintf("the request's host %s is not a host name or IP literal with an optional port", quoteShort(host))}
	}
	host = normalizeHost(scheme, host)
	if rd.hosts != nil && !rd.hosts[host] {
		return "", &RequestError{Err: ErrURL, Name: "Host", Detail: fmt.Sprintf("the host %s is not one this server answers for", quoteShort(host))}
	}
	return scheme + "://" + host + path + query, nil
}

// forwardedOrigin reads the scheme and host a trusted proxy forwarded:
// proto and host of the last element of Forwarded (RFC 7239 §4: the
// element the nearest proxy added) and the last values of
// X-Forwarded-Proto and X-Forwarded-Host. The two kinds of header must
// agree where both are present; either may be absent (""). A malformed
// header is ErrURL.
func forwardedOrigin(h http.Header) (scheme, host string, err error) {
	fwd, err := lastForwarded(h.Values("Forwarded"))
	if err != nil {
		return "", "", err
	}
	xproto, err := lastListValue(h.Values("X-Forwarded-Proto"), "X-Forwarded-Proto")
	if err != nil {
		return "", "", err
	}
	xhost, err := lastListValue(h.Values("X-Forwarded-Host"), "X-Forwarded-Host")
	if err != nil {
		return "", "", err
	}
	scheme, err = agree("proto", fwd["proto"], xproto)
	if err != nil {
		return "", "", err
	}
	host, err = agree("host", fwd["host"], xhost)
	if err != nil {
		return "", "", err
	}
	if scheme != "" {
		scheme = strings.ToLower(scheme)
		if scheme != "https" && scheme != "http" {
			return "", "", &RequestError{Err: ErrURL, Name: "Forwarded", Detail: fmt.Sprintf("the forwarded proto %s is not http or https", quoteShort(scheme))}
		}
	}
	if host != "" && !validHost(host) {
		return "", "", &RequestError{Err: ErrURL, Name: "Forwarded", Detail: fmt.Sprintf("the forwarded host %s is not a host name or IP literal with an optional port", quoteShort(host))}
	}
	return scheme, host, nil
}

// agree returns the value of a Forwarded parameter and of its X-Forwarded
// header, which must be equal (ASCII case aside) when both are present.
func agree(param, fwd, x string) (string, error) {
	switch {
	case fwd == "":
		return x, nil
	case x == "" || strings.EqualFold(fwd, x):
		return fwd, nil
	}
	return "", &RequestError{Err: ErrURL, Name: "Forwarded",
		Detail: fmt.Sprintf("the Forwarded %s %s and the X-Forwarded-%s %s disagree", param, quoteShort(fwd), param, quoteShort(x))}
}

// lastListValue returns the last member of a comma-separated header list
// (RFC 9110 §5.6.1) spread over the field values, trimmed of spaces and
// tabs; "" when there is none.
func lastListValue(values []string, name string) (string, error) {
	joined := strings.Join(values, ",")
	if len(joined) > maxForwardedSize {
		return "", &RequestError{Err: ErrURL, Name: name, Detail: fmt.Sprintf("the %s header is longer than %d bytes", name, maxForwardedSize)}
	}
	last := ""
	for _, m := range strings.Split(joined, ",") {
		if m = strings.Trim(m, " \t"); m != "" {
			last = m
		}
	}
	return last, nil
}

// lastForwarded parses the Forwarded header (RFC 7239 §4), every field
// value and element of it, and returns the parameters of its last element
// with lower-case names. A malformed header — a pair that is not token "="
// (token / quoted-string), a parameter twice in one element (RFC 7239 §4:
// "MUST NOT occur more than once") — is ErrURL.
func lastForwarded(values []string) (map[string]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	joined := strings.Join(values, ",")
	bad := func(why string) error {
		return &RequestError{Err: ErrURL, Name: "Forwarded", Detail: "the Forwarded header is malformed (RFC 7239 section 4): " + why}
	}
	if len(joined) > maxForwardedSize {
		return nil, bad(fmt.Sprintf("longer than %d bytes", maxForwardedSize))
	}
	var last map[string]string
	elem := map[string]string{}
	s := joined
	for {
		s = trimOWS(s)
		if s == "" {
			break
		}
		switch s[0] {
		case ',':
			if len(elem) > 0 {
				last = elem
			}
			elem = map[string]string{}
			s = s[1:]
			continue
		case ';':
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && isTchar(s[i]) {
			i++
		}
		if i == 0 || i == len(s) || s[i] != '=' {
			return nil, bad("a parameter is not token=value")
		}
		name := strings.ToLower(s[:i])
		s = s[i+1:]
		var value string
		var ok bool
		if value, s, ok = forwardedValue(s); !ok {
			return nil, bad("the value of " + quoteShort(name) + " is neither a token nor a quoted string")
		}
		if _, dup := elem[name]; dup {
			return nil, bad("parameter " + quoteShort(name) + " occurs twice in one element")
		}
		elem[name] = value
		if s = trimOWS(s); s != "" && s[0] != ';' && s[0] != ',' {
			return nil, bad("parameters must be separated by ';' and elements by ','")
		}
	}
	if len(elem) > 0 {
		last = elem
	}
	return last, nil
}

// forwardedValue reads a token or a quoted-string (RFC 9110 §5.6.4) at the
// start of s and returns it unquoted with the rest of s.
func forwardedValue(s string) (value, rest string, ok bool) {
	if s == "" {
		return "", s, false
	}
	if s[0] != '"' {
		i := 0
		for i < len(s) && isTchar(s[i]) {
			i++
		}
		return s[:i], s[i:], i > 0
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), s[i+1:], true
		case c == '\\':
			// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
			if i+1 == len(s) || !qdtextOrPair(s[i+1], true) {
				return "", s, false
			}
			i++
			b.WriteByte(s[i])
		case qdtextOrPair(c, false):
			b.WriteByte(c)
		default:
			return "", s, false
		}
	}
	return "", s, false // unterminated
}

// qdtextOrPair reports whether c may appear in a quoted-string as qdtext,
// or (pair) after a backslash (RFC 9110 §5.6.4).
func qdtextOrPair(c byte, pair bool) bool {
	switch {
	case c == '\t' || c == ' ' || c >= 0x80:
		return true
	case c == '"' || c == '\\':
		return pair
	}
	return c >= 0x21 && c <= 0x7e
}

func trimOWS(s string) string { return strings.TrimLeft(s, " \t") }

// validHost reports whether s is uri-host [ ":" port ] as a Host header
// carries it (RFC 9110 §7.2, RFC 3986 §3.2.2): a registered name of
// letters, digits, "-", ".", "_" and "~", an IPv4 address, or an IPv6
// literal in brackets (without a zone), and an optional port of at most
// five digits. Percent-encoded and other sub-delims characters, user
// information and anything else are refused: the value becomes part of a
// URL the checks compare.
func validHost(s string) bool {
	if s == "" || len(s) > 255+6 {
		return false
	}
	host, port := s, ""
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		a, err := netip.ParseAddr(s[1:end])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return false
		}
		host, port = "", s[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
			if port == "" {
				return false
			}
		}
	} else if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
		if port == "" {
			return false
		}
	}
	if len(port) > 5 {
		return false
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	if s[0] == '[' {
		return true
	}
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// normalizeHost lower-cases a valid host and drops the scheme's default
// port (443 for https, 80 for http; RFC 3986 §6.2.3).
func normalizeHost(scheme, host string) string {
	host = strings.ToLower(host)
	switch {
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		return strings.TrimSuffix(host, ":443")
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		return strings.TrimSuffix(host, ":80")
	}
	return host
}
