package redirecturi

import (
	"errors"
	"strconv"
	"strings"
)

// MaxLength is the longest redirect URI, in bytes, that [Parse] and
// [Validate] accept. RFC 3986 sets no bound; this package does, so that a
// value copied into a Location header and compared on every request stays
// small (see the package documentation, "Policy beyond the RFC 3986
// grammar").
const MaxLength = 2048

// Sentinel errors. Every error that [Parse] and [Validate] return is an
// [*Error] that matches [ErrInvalid] and exactly one of the others with
// [errors.Is]. The sentinels themselves do not match each other: test the
// returned error, not a sentinel.
var (
	// ErrInvalid is matched by every error of this package: the value is
	// not a redirect URI that RFC 6749 §3.1.2 and this package's policy
	// allow.
	ErrInvalid = errors.New("redirecturi: invalid redirect URI")
	// ErrTooLong means the value is longer than [MaxLength] bytes.
	ErrTooLong = errors.New("redirecturi: redirect URI too long")
	// ErrScheme means the value does not begin with scheme ":", so it is no
	// absolute URI (RFC 3986 §3.1, §4.3; RFC 6749 §3.1.2).
	ErrScheme = errors.New("redirecturi: not an absolute URI with a valid scheme")
	// ErrCharacter means a byte that the RFC 3986 grammar does not allow
	// at its place (RFC 3986 §2, §3.2.2, §3.3, §3.4): a space, a control
	// byte, a non-ASCII byte, a character such as `"<>\{|}`, or a
	// delimiter outside the component that may hold it.
	ErrCharacter = errors.New("redirecturi: character not allowed")
	// ErrPercentEncoding means a "%" not followed by two hexadecimal
	// digits (RFC 3986 §2.1).
	ErrPercentEncoding = errors.New("redirecturi: malformed percent-encoding")
	// ErrFragment means the value has a fragment, empty or not
	// (RFC 6749 §3.1.2; RFC 3986 §3.5).
	ErrFragment = errors.New("redirecturi: fragment not allowed")
	// ErrUserinfo means the authority has a userinfo subcomponent
	// (RFC 3986 §3.2.1 deprecates "user:password"; RFC 9110 §4.2.4).
	ErrUserinfo = errors.New("redirecturi: userinfo not allowed")
	// ErrHost means the host is malformed or refused by policy
	// (RFC 3986 §3.2.2; RFC 9110 §4.2.1, §4.2.2): a malformed or IPvFuture
	// IP-literal, a percent-encoded host, a reg-name a browser reads as an
	// IPv4 address, or an http or https URI without a host.
	ErrHost = errors.New("redirecturi: invalid host")
	// ErrPort means the port is empty, not decimal digits, has a leading
	// zero, or exceeds 65535 (RFC 3986 §3.2.3).
	ErrPort = errors.New("redirecturi: invalid port")
)

// Error is the error type of [Parse] and [Validate], modelled on
// crypto/x509's typed errors: where the input broke a rule, and which
// rule. It never holds bytes of the input, so it is safe to log.
type Error struct {
	// Offset is the byte offset into the input of the violation: the
	// offending byte, or the first byte of the offending component.
	// For [ErrTooLong] it is [MaxLength].
	Offset int
	// Err is the reason: one of the sentinels [ErrTooLong], [ErrScheme],
	// [ErrCharacter], [ErrPercentEncoding], [ErrFragment], [ErrUserinfo],
	// [ErrHost], [ErrPort].
	Err error
	// Detail is a fixed description of the rule and its clause.
	Detail string
}

// Error returns the reason, the offset and the detail.
func (e *Error) Error() string {
	msg := ErrInvalid.Error()
	if e.Err != nil {
		msg = e.Err.Error()
	}
	msg += " at offset " + strconv.Itoa(e.Offset)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the reason sentinel, so that errors.Is matches it.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is [ErrInvalid], which every *Error matches.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func fail(offset int, reason error, detail string) error {
	return &Error{Offset: offset, Err: reason, Detail: detail}
}

// HostKind is the form of a URI's host (RFC 3986 §3.2.2).
type HostKind uint8

// The forms of a host, RFC 3986 §3.2.2.
const (
	// HostNone: the URI has no authority (hier-part is path-absolute,
	// path-rootless or path-empty), such as "com.example.app:/cb".
	HostNone HostKind = iota
	// HostRegName: a registered name, possibly empty ("x:///cb").
	HostRegName
	// HostIPv4: an IPv4address, four dec-octets.
	HostIPv4
	// HostIPv6: an IP-literal holding an IPv6address, "[...]".
	HostIPv6
)

// String returns the name of the host form.
func (k HostKind) String() string {
	switch k {
	case HostNone:
		return "none"
	case HostRegName:
		return "reg-name"
	case HostIPv4:
		return "IPv4address"
	case HostIPv6:
		return "IPv6 IP-literal"
	}
	return "HostKind(" + strconv.Itoa(int(k)) + ")"
}

// URI is a redirect URI that [Parse] accepted. Its accessors return
// substrings of the parsed value, exactly as written (no case folding, no
// decoding). The zero URI is no valid URI: its accessors return "" and its
// classifications false. A URI is a small immutable value, safe for
// concurrent use.
type URI struct {
	raw      string
	kind     HostKind
	hasQuery bool
	// Offsets into raw: scheme is raw[:schemeEnd]; host is
	// raw[hostStart:hostEnd]; the port, when present, is
	// raw[hostEnd+1:authEnd]; the path is raw[authEnd:pathEnd]; the query,
	// when present, is raw[pathEnd+1:].
	schemeEnd, hostStart, hostEnd, authEnd, pathEnd int
}

// String returns the URI exactly as it was parsed.
func (u URI) String() string { return u.raw }

// Scheme returns the scheme as written, without the ":" (RFC 3986 §3.1).
func (u URI) Scheme() string { return u.raw[:u.schemeEnd] }

// HostKind returns the form of the host; [HostNone] when the URI has no
// authority (RFC 3986 §3.2.2).
func (u URI) HostKind() HostKind { return u.kind }

// Host returns the host as written, with the brackets of an IP-literal;
// "" when the URI has no authority or an empty reg-name (RFC 3986 §3.2.2).
func (u URI) Host() string { return u.raw[u.hostStart:u.hostEnd] }

// Port returns the port's digits; "" when the URI has none (RFC 3986
// §3.2.3). A port that [Parse] accepted is never empty when present.
func (u URI) Port() string {
	if u.hostEnd < u.authEnd {
		return u.raw[u.hostEnd+1 : u.authEnd]
	}
	return ""
}

// Path returns the path as written, percent-encoding kept (RFC 3986
// §3.3).
func (u URI) Path() string { return u.raw[u.authEnd:u.pathEnd] }

// Query returns the query as written, without the "?", and whether the
// "?" is present (RFC 3986 §3.4).
func (u URI) Query() (string, bool) {
	if !u.hasQuery {
		return "", false
	}
	return u.raw[u.pathEnd+1:], true
}

// IsHTTPS reports whether u uses the https scheme, spelled in lowercase,
// with a non-empty host: the form FAPI profiles require of redirect URIs
// (RFC 9110 §4.2.2). An uppercase "HTTPS:" is not canonical (RFC 3986
// §3.1) and is reported as false, so that a check built on IsHTTPS
// refuses it.
func (u URI) IsHTTPS() bool {
	return u.Scheme() == "https" && u.kind != HostNone && u.hostEnd > u.hostStart
}

// IsLoopbackHTTP reports whether u uses the http scheme, spelled in
// lowercase, on a loopback IP literal: an IPv4address in 127.0.0.0/8 or
// the IP-literal "[::1]" (RFC 8252 §7.3). The name "localhost" is not a
// loopback IP literal (RFC 8252 §8.3), nor are other spellings of ::1 or
// IPv4-mapped addresses such as "[::ffff:127.0.0.1]".
func (u URI) IsLoopbackHTTP() bool {
	if u.Scheme() != "http" {
		return false
	}
	switch u.kind {
	case HostIPv4:
		// Parse accepted four dec-octets, so the prefix is the first one.
		return strings.HasPrefix(u.Host(), "127.")
	case HostIPv6:
		return u.Host() == "[::1]"
	}
	return false
}

// IsHTTPS reports whether s is a valid redirect URI ([Validate]) that
// uses https with a host; see [URI.IsHTTPS].
func IsHTTPS(s string) bool {
	u, err := Parse(s)
	return err == nil && u.IsHTTPS()
}

// IsLoopbackHTTP reports whether s is a valid redirect URI ([Validate])
// that uses http on a loopback IP literal (RFC 8252 §7.3, §8.3); see
// [URI.IsLoopbackHTTP].
func IsLoopbackHTTP(s string) bool {
	u, err := Parse(s)
	return err == nil && u.IsLoopbackHTTP()
}

// Validate reports whether s is a redirect URI that RFC 6749 §3.1.2
// allows: an absolute URI by the grammar of RFC 3986 §4.3, without
// fragment, under this package's policy (no userinfo, an ASCII host, a
// canonical port, at most [MaxLength] bytes; see the package
// documentation). It returns nil or an [*Error].
func Validate(s string) error {
	_, err := Parse(s)
	return err
}

// Character classes of RFC 3986 §2, as bits of charClass.
const (
	cUnreserved = 1 << iota // ALPHA / DIGIT / "-" / "." / "_" / "~" (§2.3)
	cSubDelim               // "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=" (§2.2)
	cColonAt                // ":" / "@", the rest of pchar (§3.3)
	cSlash                  // "/"
	cQuestion               // "?"
	cScheme                 // ALPHA / DIGIT / "+" / "-" / "." (§3.1)
	cHex                    // HEXDIG

	maskPath  = cUnreserved | cSubDelim | cColonAt | cSlash // pchar / "/"
	maskQuery = maskPath | cQuestion                        // pchar / "/" / "?"
	maskHost  = cUnreserved | cSubDelim                     // reg-name, less pct-encoded
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		alpha := 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z'
		digit := '0' <= b && b <= '9'
		if alpha || digit || b == '-' || b == '.' || b == '_' || b == '~' {
			t[c] |= cUnreserved
		}
		if strings.IndexByte("!$&'()*+,;=", b) >= 0 {
			t[c] |= cSubDelim
		}
		if b == ':' || b == '@' {
			t[c] |= cColonAt
		}
		if b == '/' {
			t[c] |= cSlash
		}
		if b == '?' {
			t[c] |= cQuestion
		}
		if alpha || digit || b == '+' || b == '-' || b == '.' {
			t[c] |= cScheme
		}
		if digit || 'A' <= b && b <= 'F' || 'a' <= b && b <= 'f' {
			t[c] |= cHex
		}
	}
	return t
}()

func isAlpha(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return charClass[c]&cHex != 0 }

// Parse checks s as [Validate] does and returns its components. On
// success it does not allocate: the [URI] refers to s.
func Parse(s string) (URI, error) {
	if len(s) > MaxLength {
		return URI{}, fail(MaxLength, ErrTooLong, "longer than 2048 bytes")
	}

	// scheme ":" (RFC 3986 §3.1, §4.3)
	if len(s) == 0 || !isAlpha(s[0]) {
		return URI{}, fail(0, ErrScheme, "an absolute URI begins with a scheme, and a scheme with a letter (RFC 3986 §3.1, §4.3)")
	}
	i := 1
	for i < len(s) && charClass[s[i]]&cScheme != 0 {
		i++
	}
	if i == len(s) || s[i] != ':' {
		return URI{}, fail(i, ErrScheme, `the scheme must be letters, digits, "+", "-" or "." followed by ":" (RFC 3986 §3.1, §4.3)`)
	}
	u := URI{raw: s, schemeEnd: i}
	i++
	u.hostStart, u.hostEnd, u.authEnd = i, i, i

	web := strings.EqualFold(u.Scheme(), "http") || strings.EqualFold(u.Scheme(), "https")
	if strings.HasPrefix(s[i:], "//") {
		// "//" authority path-abempty (RFC 3986 §3.2): the authority ends
		// at the first "/", "?" or "#".
		start := i + 2
		end := start
		for end < len(s) && s[end] != '/' && s[end] != '?' && s[end] != '#' {
			end++
		}
		if err := u.parseAuthority(start, end, web); err != nil {
			return URI{}, err
		}
		i = end
	} else if web {
		return URI{}, fail(i, ErrHost, `an http or https URI has "//" and an authority with a host (RFC 9110 §4.2.1, §4.2.2)`)
	}

	// path (RFC 3986 §3.3): after an authority, path-abempty begins with
	// "/" or is empty, which the authority's end ensures; otherwise
	// path-absolute (not "//", handled above), path-rootless or
	// path-empty. All of them are *( pchar / "/" ).
	i, err := scan(s, i, maskPath, `the path holds only pchar and "/" (RFC 3986 §3.3)`)
	if err != nil {
		return URI{}, err
	}
	u.pathEnd = i

	// [ "?" query ] (RFC 3986 §3.4)
	if i < len(s) && s[i] == '?' {
		u.hasQuery = true
		if i, err = scan(s, i+1, maskQuery, `the query holds only pchar, "/" and "?" (RFC 3986 §3.4)`); err != nil {
			return URI{}, err
		}
	}

	if i < len(s) { // scan stopped at a "#": "?" is in maskQuery
		return URI{}, fail(i, ErrFragment, "the redirection endpoint URI MUST NOT include a fragment component (RFC 6749 §3.1.2)")
	}
	return u, nil
}

// scan consumes the characters of mask and valid pct-encoded triplets
// from s[i:], stopping before a "?" or "#" that mask does not hold. Any
// other byte is an ErrCharacter with the given detail.
func scan(s string, i int, mask uint8, detail string) (int, error) {
	for i < len(s) {
		c := s[i]
		switch {
		case charClass[c]&mask != 0:
			i++
		case c == '%':
			if err := checkPct(s, i); err != nil {
				return i, err
			}
			i += 3
		case c == '?' || c == '#':
			return i, nil
		default:
			return i, fail(i, ErrCharacter, detail)
		}
	}
	return i, nil
}

// checkPct checks the pct-encoded triplet at s[i] == '%' (RFC 3986 §2.1).
func checkPct(s string, i int) error {
	if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
		return nil
	}
	return fail(i, ErrPercentEncoding, `"%" must be followed by two hexadecimal digits (RFC 3986 §2.1)`)
}

// parseAuthority checks authority = [ userinfo "@" ] host [ ":" port ]
// (RFC 3986 §3.2) in u.raw[start:end] and records the host and port.
func (u *URI) parseAuthority(start, end int, web bool) error {
	s := u.raw
	if at := strings.IndexByte(s[start:end], '@'); at >= 0 {
		return fail(start, ErrUserinfo, "userinfo is deprecated (RFC 3986 §3.2.1) and not generated in http and https URIs (RFC 9110 §4.2.4)")
	}
	u.hostStart = start
	i := start
	if i < end && s[i] == '[' {
		// IP-literal = "[" ( IPv6address / IPvFuture ) "]"
		closing := strings.IndexByte(s[i:end], ']')
		if closing < 0 {
			return fail(i, ErrHost, `an IP-literal ends with "]" (RFC 3986 §3.2.2)`)
		}
		literal := s[i+1 : i+closing]
		if literal != "" && (literal[0] == 'v' || literal[0] == 'V') {
			return fail(i, ErrHost, "IPvFuture IP-literals are not accepted (RFC 3986 §3.2.2)")
		}
		if !isIPv6(literal) {
			return fail(i, ErrHost, "the IP-literal is not an IPv6address (RFC 3986 §3.2.2; zone identifiers are not accepted)")
		}
		i += closing + 1
		if i < end && s[i] != ':' {
			return fail(i, ErrHost, `only ":" port may follow an IP-literal (RFC 3986 §3.2)`)
		}
		u.kind = HostIPv6
	} else {
		// IPv4address / reg-name
		for i < end && s[i] != ':' {
			c := s[i]
			switch {
			case charClass[c]&maskHost != 0:
				i++
			case c == '%':
				return fail(i, ErrHost, "a percent-encoded host is not accepted: send internationalized names as A-labels (RFC 3986 §3.2.2; RFC 5890 §2.3.2.1)")
			default:
				return fail(i, ErrCharacter, "the host holds only unreserved characters and sub-delims (RFC 3986 §3.2.2)")
			}
		}
		host := s[start:i]
		switch {
		case isIPv4(host):
			u.kind = HostIPv4
		case endsInNumber(host):
			return fail(start, ErrHost, "a host whose last label is a number must be four decimal octets without leading zeros: URL parsers read it as an IPv4 address (RFC 3986 §3.2.2; WHATWG URL, host parsing)")
		default:
			u.kind = HostRegName
		}
	}
	u.hostEnd = i
	u.authEnd = end
	if web && u.hostEnd == u.hostStart {
		return fail(start, ErrHost, "an http or https URI has a non-empty host (RFC 9110 §4.2.1, §4.2.2)")
	}
	if i < end { // s[i] == ':'
		return checkPort(s[i+1:end], i+1)
	}
	return nil
}

// checkPort checks a port after its ":" (RFC 3986 §3.2.3) at offset off.
func checkPort(p string, off int) error {
	if p == "" {
		return fail(off, ErrPort, `an empty port is not accepted: omit the ":" (RFC 3986 §3.2.3)`)
	}
	n := 0
	for j := 0; j < len(p); j++ {
		if !isDigit(p[j]) {
			return fail(off+j, ErrPort, "the port is decimal digits (RFC 3986 §3.2.3)")
		}
		if n <= 65535 {
			n = n*10 + int(p[j]-'0')
		}
	}
	if len(p) > 1 && p[0] == '0' {
		return fail(off, ErrPort, "a port with a leading zero is not accepted (RFC 3986 §3.2.3)")
	}
	if n > 65535 {
		return fail(off, ErrPort, "a port is at most 65535, the largest TCP port number (RFC 9293 §3.1)")
	}
	return nil
}

// isIPv4 reports whether s is an IPv4address (RFC 3986 §3.2.2):
// dec-octet "." dec-octet "." dec-octet "." dec-octet, where a dec-octet
// is 0 to 255 without leading zeros.
func isIPv4(s string) bool {
	for octet := 0; octet < 4; octet++ {
		if octet > 0 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
		n, v := 0, 0
		for n < len(s) && n < 3 && isDigit(s[n]) {
			v = v*10 + int(s[n]-'0')
			n++
		}
		if n == 0 || (n > 1 && s[0] == '0') || v > 255 {
			return false
		}
		s = s[n:]
	}
	return s == ""
}

// isIPv6 reports whether s is an IPv6address (RFC 3986 §3.2.2): eight
// h16 groups of one to four hexadecimal digits separated by ":", the last
// two of which may be an IPv4address, with at most one "::" standing for
// one or more zero groups (so at most seven explicit groups beside it).
func isIPv6(s string) bool {
	groups := 0
	ellipsis := false
	i := 0
	if strings.HasPrefix(s, "::") {
		ellipsis = true
		i = 2
	} else if s == "" || s[0] == ':' {
		return false
	}
	for i < len(s) {
		j := i
		for j < len(s) && j-i < 5 && isHex(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '.' {
			// ls32 as an IPv4address: the rest of the literal.
			if !isIPv4(s[i:]) {
				return false
			}
			groups += 2
			break
		}
		if n := j - i; n == 0 || n > 4 {
			return false
		}
		groups++
		i = j
		if i == len(s) {
			break
		}
		if s[i] != ':' {
			return false
		}
		i++
		if i == len(s) {
			return false // a single trailing ":"
		}
		if s[i] == ':' {
			if ellipsis {
				return false
			}
			ellipsis = true
			i++
		}
	}
	if ellipsis {
		return groups <= 7
	}
	return groups == 8
}

// endsInNumber is the WHATWG URL Standard's "ends in a number checker" for
// an ASCII host: after removing one trailing empty label, the last label
// is all decimal digits, or "0x" or "0X" followed by hexadecimal digits
// (possibly none).
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	hex := len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')
	digits := last
	if hex {
		digits = last[2:]
	}
	for j := 0; j < len(digits); j++ {
		if hex && !isHex(digits[j]) || !hex && !isDigit(digits[j]) {
			return false
		}
	}
	return true
}
