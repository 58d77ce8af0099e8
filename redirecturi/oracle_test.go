package redirecturi_test

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/fapicheck/fapicheck/redirecturi"
)

// The reference grammar: RFC 3986 absolute-URI (§4.3) transcribed into a
// regular expression, rule by rule from the ABNF of Appendix A, without
// IPvFuture. It shares no code with the package's hand-written parser.
var absoluteURI = func() *regexp.Regexp {
	const (
		unreserved = `[A-Za-z0-9\-._~]`
		pct        = `%[0-9A-Fa-f]{2}`
		subDelims  = `[!$&'()*+,;=]`
		pchar      = `(?:` + unreserved + `|` + pct + `|` + subDelims + `|[:@])`
		scheme     = `[A-Za-z][A-Za-z0-9+\-.]*`
		decOctet   = `(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])`
		ipv4       = decOctet + `\.` + decOctet + `\.` + decOctet + `\.` + decOctet
		h16        = `[0-9A-Fa-f]{1,4}`
		ls32       = `(?:` + h16 + `:` + h16 + `|` + ipv4 + `)`
		ipv6       = `(?:` +
			`(?:` + h16 + `:){6}` + ls32 +
			`|::(?:` + h16 + `:){5}` + ls32 +
			`|(?:` + h16 + `)?::(?:` + h16 + `:){4}` + ls32 +
			`|(?:(?:` + h16 + `:){0,1}` + h16 + `)?::(?:` + h16 + `:){3}` + ls32 +
			`|(?:(?:` + h16 + `:){0,2}` + h16 + `)?::(?:` + h16 + `:){2}` + ls32 +
			`|(?:(?:` + h16 + `:){0,3}` + h16 + `)?::` + h16 + `:` + ls32 +
			`|(?:(?:` + h16 + `:){0,4}` + h16 + `)?::` + ls32 +
			`|(?:(?:` + h16 + `:){0,5}` + h16 + `)?::` + h16 +
			`|(?:(?:` + h16 + `:){0,6}` + h16 + `)?::` +
			`)`
		regName  = `(?:` + unreserved + `|` + pct + `|` + subDelims + `)*`
		host     = `(?P<host>\[` + ipv6 + `\]|` + ipv4 + `|` + regName + `)`
		port     = `(?P<portsep>:(?P<port>[0-9]*))?`
		userinfo = `(?P<userinfo>(?:` + unreserved + `|` + pct + `|` + subDelims + `|:)*@)?`
		segment  = pchar + `*`
		segNZ    = pchar + `+`
		hier     = `(?:(?P<auth>//` + userinfo + host + port + `)(?:/` + segment + `)*` +
			`|/(?:` + segNZ + `(?:/` + segment + `)*)?` +
			`|` + segNZ + `(?:/` + segment + `)*` +
			`|)`
		query = `(?:\?(?:` + pchar + `|[/?])*)?`
	)
	return regexp.MustCompile(`^(?P<scheme>` + scheme + `):` + hier + query + `$`)
}()

var (
	ipv4Only   = regexp.MustCompile(`^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])$`)
	groupIndex = func(name string) int { return absoluteURI.SubexpIndex(name) }
)

// whatwgEndsInANumber transcribes the WHATWG URL Standard's "ends in a
// number checker" and "IPv4 number parser" (ASCII input).
func whatwgEndsInANumber(input string) bool {
	parts := strings.Split(input, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	// IPv4 number parser, failure or not.
	if last == "" {
		return false
	}
	radix := 10
	if len(last) >= 2 && (strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X")) {
		last, radix = last[2:], 16
	} else if len(last) >= 2 && last[0] == '0' {
		last, radix = last[1:], 8
	}
	if last == "" {
		return true
	}
	switch radix {
	case 16:
		return strings.Trim(last, "0123456789abcdefABCDEF") == ""
	case 8:
		return strings.Trim(last, "01234567") == ""
	}
	return strings.Trim(last, "0123456789") == ""
}

// referenceValid is the package's documented rule set, computed from the
// reference grammar and a transcription of each policy rule.
func referenceValid(s string) bool {
	if len(s) > redirecturi.MaxLength {
		return false
	}
	m := absoluteURI.FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	group := func(name string) (string, bool) {
		i := groupIndex(name)
		if m[2*i] < 0 {
			return "", false
		}
		return s[m[2*i]:m[2*i+1]], true
	}
	scheme, _ := group("scheme")
	_, hasAuth := group("auth")
	web := strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
	if web && !hasAuth {
		return false
	}
	if !hasAuth {
		return true
	}
	if _, ok := group("userinfo"); ok {
		return false
	}
	host, _ := group("host")
	if web && host == "" {
		return false
	}
	if strings.Contains(host, "%") {
		return false
	}
	if !strings.HasPrefix(host, "[") && !ipv4Only.MatchString(host) && whatwgEndsInANumber(host) {
		return false
	}
	if _, ok := group("portsep"); ok {
		port, _ := group("port")
		if port == "" || len(port) > 1 && port[0] == '0' || len(port) > 5 {
			return false
		}
		if n, err := strconv.Atoi(port); err != nil || n > 65535 {
			return false
		}
	}
	return true
}
