package redirecturi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/redirecturi"
)

// validURIs are accepted by Validate; each comment says what it shows.
var validURIs = []string{
	"https://client.example.org/cb",                              // the ordinary case
	"https://client.example.org",                                 // no path (path-abempty empty)
	"https://client.example.org/",                                // root path
	"https://client.example.org/cb?",                             // empty query (RFC 3986 §3.4)
	"https://client.example.org/cb?foo=bar&x=%20&y=%2F",          // query with pct-encoded bytes
	"https://client.example.org/cb?next=/a/b?c:d@e",              // "/", "?", ":", "@" in the query
	"https://client.example.org/!$&'()*+,;=:@-._~",               // every sub-delim and unreserved mark in the path
	"https://client.example.org:8443/cb",                         // port
	"https://client.example.org:0/cb",                            // port 0 fits 0..65535
	"https://client.example.org:65535/cb",                        // largest port
	"https://xn--bcher-kva.example/cb",                           // punycode A-label
	"https://client.example.org./cb",                             // trailing dot of a fully qualified name
	"https://Client.Example.ORG/cb",                              // uppercase host: valid syntax, compared exactly
	"HTTPS://client.example.org/cb",                              // uppercase scheme: valid syntax, not classified https
	"https://a_b.example/cb",                                     // "_" is unreserved
	"https://client.example.org/a/../b",                          // dot-segments are syntax, compared exactly
	"https://client.example.org/%2e%2e/cb",                       // percent-encoded dots, likewise
	"https://client.example.org/%C3%A9",                          // non-ASCII path sent percent-encoded
	"https://1.2.3.4/cb",                                         // IPv4address
	"https://255.255.255.255/cb",                                 // largest dec-octets
	"https://0.0.0.0/cb",                                         // single-digit dec-octets
	"https://example.123abc/cb",                                  // last label is not a number
	"https://example.0xg/cb",                                     // "0xg" is not a hexadecimal number
	"https://[2001:db8::7]/cb",                                   // IPv6address
	"https://[2001:DB8:0:0:8:800:200C:417A]:443/cb",              // eight groups, uppercase hex, port
	"https://[::ffff:192.0.2.1]/cb",                              // IPv4 in ls32
	"https://[1:2:3:4:5:6:192.0.2.1]/cb",                         // six groups and ls32 as IPv4
	"https://[1:2:3:4:5:6:7::]/cb",                               // seven groups then "::"
	"https://[::2:3:4:5:6:7:8]/cb",                               // "::" then seven groups
	"https://[::]/cb",                                            // the unspecified address
	"http://127.0.0.1/cb",                                        // loopback, no port
	"http://127.0.0.1:8080/cb",                                   // loopback with port
	"http://127.255.255.254:1/cb",                                // elsewhere in 127.0.0.0/8
	"http://[::1]/cb",                                            // IPv6 loopback
	"http://[::1]:65000/cb?x=1",                                  // IPv6 loopback, port, query
	"http://localhost:8080/cb",                                   // valid URI, but not a loopback IP literal
	"http://127.0.0.1.evil.example/cb",                           // a name under evil.example, not loopback
	"com.example.app:/oauth2redirect/example-provider",           // RFC 8252 §7.1 private-use scheme
	"com.example.app:oauth2redirect",                             // path-rootless
	"com.example.app://oauth2redirect/cb",                        // custom scheme with an authority
	"urn:ietf:wg:oauth:2.0:oob",                                  // ":" in a rootless path
	"x:",                                                         // path-empty
	"x:?q",                                                       // path-empty and a query
	"x:///cb",                                                    // empty reg-name outside http and https
	"x+y-z.w9:/cb",                                               // every scheme character
	"https://h/" + strings.Repeat("a", redirecturi.MaxLength-10), // exactly MaxLength bytes
}

// invalidURIs are refused by Validate with the given reason at the given
// offset.
var invalidURIs = []struct {
	name   string
	uri    string
	reason error
	offset int
}{
	{"empty", "", redirecturi.ErrScheme, 0},
	{"relative path", "/cb", redirecturi.ErrScheme, 0},
	{"no scheme", "client.example.org/cb", redirecturi.ErrScheme, 18},
	{"scheme starts with a digit", "1http://x/", redirecturi.ErrScheme, 0},
	{"underscore in scheme", "ht_tp://x/", redirecturi.ErrScheme, 2},
	{"leading space", " https://x/", redirecturi.ErrScheme, 0},
	{"non-ASCII scheme", "httpś://x/", redirecturi.ErrScheme, 4},
	{"too long", "https://h/" + strings.Repeat("a", redirecturi.MaxLength-9), redirecturi.ErrTooLong, redirecturi.MaxLength},

	{"trailing space", "https://x/cb ", redirecturi.ErrCharacter, 12},
	{"space in path", "https://x/c b", redirecturi.ErrCharacter, 11},
	{"double quote", `https://x/c"b`, redirecturi.ErrCharacter, 11},
	{"less-than", "https://x/<script>", redirecturi.ErrCharacter, 10},
	{"greater-than", "https://x/a>", redirecturi.ErrCharacter, 11},
	{"backslash", `https://x/cb\..\evil`, redirecturi.ErrCharacter, 12},
	{"backslash in authority", `https://x\evil/cb`, redirecturi.ErrCharacter, 9},
	{"left brace", "https://x/{cb}", redirecturi.ErrCharacter, 10},
	{"vertical bar", "https://x/a|b", redirecturi.ErrCharacter, 11},
	{"caret", "https://x/a^b", redirecturi.ErrCharacter, 11},
	{"backquote", "https://x/a`b", redirecturi.ErrCharacter, 11},
	{"NUL", "https://x/a\x00", redirecturi.ErrCharacter, 11},
	{"DEL", "https://x/a\x7f", redirecturi.ErrCharacter, 11},
	{"tab", "https://x/a\tb", redirecturi.ErrCharacter, 11},
	{"line feed", "https://x/cb\n", redirecturi.ErrCharacter, 12},
	{"non-ASCII in path", "https://x/café", redirecturi.ErrCharacter, 13},
	{"non-ASCII in query", "https://x/cb?q=\x80", redirecturi.ErrCharacter, 15},
	{"space in query", "https://x/cb?q=a b", redirecturi.ErrCharacter, 16},
	{"non-ASCII host (IDN not as punycode)", "https://bücher.example/cb", redirecturi.ErrCharacter, 9},
	{"square bracket inside a reg-name", "http://a[b]/", redirecturi.ErrCharacter, 8},
	{"closing bracket in a reg-name", "http://a]b/", redirecturi.ErrCharacter, 8},

	{"percent at end", "https://x/cb%", redirecturi.ErrPercentEncoding, 12},
	{"percent with one digit", "https://x/cb%4", redirecturi.ErrPercentEncoding, 12},
	{"percent with non-hex", "https://x/%zz", redirecturi.ErrPercentEncoding, 10},
	{"percent in query", "https://x/?a=%G0", redirecturi.ErrPercentEncoding, 13},

	{"empty fragment", "https://x/cb#", redirecturi.ErrFragment, 12},
	{"fragment", "https://x/cb#frag", redirecturi.ErrFragment, 12},
	{"fragment after authority", "https://x#", redirecturi.ErrFragment, 9},
	{"fragment after query", "https://x/cb?a#b", redirecturi.ErrFragment, 14},
	{"fragment of a custom scheme", "com.example.app:/cb#x", redirecturi.ErrFragment, 19},

	{"userinfo that looks like a loopback host", "http://127.0.0.1:80@evil.example/cb", redirecturi.ErrUserinfo, 7},
	{"user", "https://user@x/", redirecturi.ErrUserinfo, 8},
	{"user and password", "https://user:pass@x/", redirecturi.ErrUserinfo, 8},
	{"empty userinfo", "https://@x/", redirecturi.ErrUserinfo, 8},
	{"userinfo before an IP-literal", "http://u@[::1]/", redirecturi.ErrUserinfo, 7},

	{"leading zero in an octet", "http://127.0.0.01/cb", redirecturi.ErrHost, 7},
	{"octal octet", "http://0177.0.0.1/cb", redirecturi.ErrHost, 7},
	{"hexadecimal octet", "http://0x7f.0.0.1/cb", redirecturi.ErrHost, 7},
	{"hexadecimal address", "http://0x7f000001/cb", redirecturi.ErrHost, 7},
	{"decimal address", "http://2130706433/cb", redirecturi.ErrHost, 7},
	{"two-part address", "http://127.1/cb", redirecturi.ErrHost, 7},
	{"loopback with trailing dot", "http://127.0.0.1./cb", redirecturi.ErrHost, 7},
	{"octet above 255", "https://256.0.0.1/cb", redirecturi.ErrHost, 8},
	{"five parts", "https://1.2.3.4.5/cb", redirecturi.ErrHost, 8},
	{"hexadecimal last label", "https://example.0x/cb", redirecturi.ErrHost, 8},
	{"percent-encoded host", "https://%65vil.example/cb", redirecturi.ErrHost, 8},
	{"percent-encoded dots in the host", "http://127%2E0%2E0%2E1/cb", redirecturi.ErrHost, 10},
	{"unterminated IP-literal", "http://[::1/cb", redirecturi.ErrHost, 7},
	{"junk after IP-literal", "http://[::1]x/cb", redirecturi.ErrHost, 12},
	{"IPvFuture", "http://[v1.abc]/cb", redirecturi.ErrHost, 7},
	{"zone identifier", "http://[fe80::1%25eth0]/cb", redirecturi.ErrHost, 7},
	{"IPv4 in brackets", "http://[127.0.0.1]/cb", redirecturi.ErrHost, 7},
	{"two ellipses", "http://[1::2::3]/cb", redirecturi.ErrHost, 7},
	{"nine groups", "http://[1:2:3:4:5:6:7:8:9]/cb", redirecturi.ErrHost, 7},
	{"eight groups and an ellipsis", "http://[1:2:3:4:5:6:7:8::]/cb", redirecturi.ErrHost, 7},
	{"seven groups", "http://[1:2:3:4:5:6:7]/cb", redirecturi.ErrHost, 7},
	{"five hex digits", "http://[12345::]/cb", redirecturi.ErrHost, 7},
	{"empty IP-literal", "http://[]/cb", redirecturi.ErrHost, 7},
	{"triple colon", "http://[:::]/cb", redirecturi.ErrHost, 7},
	{"leading single colon", "http://[:1::]/cb", redirecturi.ErrHost, 7},
	{"trailing single colon", "http://[1::2:]/cb", redirecturi.ErrHost, 7},
	{"leading zero in embedded IPv4", "http://[::ffff:01.2.3.4]/cb", redirecturi.ErrHost, 7},
	{"IPv4 not last", "http://[::1.2.3.4:5]/cb", redirecturi.ErrHost, 7},
	{"empty http host", "http:///cb", redirecturi.ErrHost, 7},
	{"empty https host with port", "https://:443/cb", redirecturi.ErrHost, 8},
	{"https without authority", "https:example.org", redirecturi.ErrHost, 6},
	{"https with path-absolute", "https:/example.org", redirecturi.ErrHost, 6},
	{"uppercase scheme without authority", "HTTP:example.org", redirecturi.ErrHost, 5},

	{"non-numeric port", "http://[::1]:x/cb", redirecturi.ErrPort, 13},
	{"empty port", "http://127.0.0.1:/cb", redirecturi.ErrPort, 17},
	{"empty port, no path", "http://127.0.0.1:", redirecturi.ErrPort, 17},
	{"leading zero in port", "http://127.0.0.1:080/cb", redirecturi.ErrPort, 17},
	{"port 00", "http://127.0.0.1:00/cb", redirecturi.ErrPort, 17},
	{"port 65536", "http://127.0.0.1:65536/cb", redirecturi.ErrPort, 17},
	{"huge port", "http://127.0.0.1:99999999999999999999999/cb", redirecturi.ErrPort, 17},
	{"two ports", "http://127.0.0.1:8080:80/cb", redirecturi.ErrPort, 21},
	{"signed port", "https://x:+443/", redirecturi.ErrPort, 10},
}

var reasons = []error{
	redirecturi.ErrTooLong, redirecturi.ErrScheme, redirecturi.ErrCharacter,
	redirecturi.ErrPercentEncoding, redirecturi.ErrFragment, redirecturi.ErrUserinfo,
	redirecturi.ErrHost, redirecturi.ErrPort,
}

func TestValidateAccepts(t *testing.T) {
	t.Parallel()
	for _, uri := range validURIs {
		require.NoError(t, redirecturi.Validate(uri), "%q", uri)
		assert.True(t, referenceValid(uri), "the reference refuses %q", uri)
	}
}

func TestValidateRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range invalidURIs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := redirecturi.Validate(tc.uri)
			require.Error(t, err)
			assert.ErrorIs(t, err, redirecturi.ErrInvalid)
			assert.ErrorIs(t, err, tc.reason)
			for _, other := range reasons {
				if other != tc.reason {
					assert.NotErrorIs(t, err, other)
				}
			}
			var e *redirecturi.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.offset, e.Offset, "offset in %q: %v", tc.uri, err)
			assert.NotEmpty(t, e.Detail)
			assert.False(t, referenceValid(tc.uri), "the reference accepts %q", tc.uri)
			_, perr := redirecturi.Parse(tc.uri)
			assert.Equal(t, err, perr)
		})
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	err := redirecturi.Validate("https://client.example.org/cb#")
	assert.EqualError(t, err, "redirecturi: fragment not allowed at offset 29: the redirection endpoint URI MUST NOT include a fragment component (RFC 6749 §3.1.2)")

	// The message never echoes the input.
	err = redirecturi.Validate("https://x/<script>alert(1)</script>")
	assert.NotContains(t, err.Error(), "script")

	assert.EqualError(t, &redirecturi.Error{Offset: 3}, "redirecturi: invalid redirect URI at offset 3")
	assert.ErrorIs(t, &redirecturi.Error{}, redirecturi.ErrInvalid)
	assert.NotErrorIs(t, redirecturi.ErrFragment, redirecturi.ErrInvalid)
}

func TestParseComponents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri                         string
		scheme, host, port, path, q string
		hasQuery                    bool
		kind                        redirecturi.HostKind
	}{
		{"http://[::1]:8080/cb?x=1", "http", "[::1]", "8080", "/cb", "x=1", true, redirecturi.HostIPv6},
		{"https://client.example.org/cb?", "https", "client.example.org", "", "/cb", "", true, redirecturi.HostRegName},
		{"HTTP://127.0.0.1", "HTTP", "127.0.0.1", "", "", "", false, redirecturi.HostIPv4},
		{"com.example.app:/oauth2redirect", "com.example.app", "", "", "/oauth2redirect", "", false, redirecturi.HostNone},
		{"urn:ietf:wg:oauth:2.0:oob", "urn", "", "", "ietf:wg:oauth:2.0:oob", "", false, redirecturi.HostNone},
		{"x:///cb", "x", "", "", "/cb", "", false, redirecturi.HostRegName},
		{"x:?a?b", "x", "", "", "", "a?b", true, redirecturi.HostNone},
	}
	for _, tc := range tests {
		u, err := redirecturi.Parse(tc.uri)
		require.NoError(t, err, tc.uri)
		assert.Equal(t, tc.uri, u.String())
		assert.Equal(t, tc.scheme, u.Scheme(), tc.uri)
		assert.Equal(t, tc.host, u.Host(), tc.uri)
		assert.Equal(t, tc.port, u.Port(), tc.uri)
		assert.Equal(t, tc.path, u.Path(), tc.uri)
		q, ok := u.Query()
		assert.Equal(t, tc.q, q, tc.uri)
		assert.Equal(t, tc.hasQuery, ok, tc.uri)
		assert.Equal(t, tc.kind, u.HostKind(), tc.uri)
	}

	var zero redirecturi.URI
	assert.Equal(t, "", zero.String())
	assert.Equal(t, "", zero.Scheme())
	assert.Equal(t, "", zero.Host())
	assert.Equal(t, "", zero.Port())
	assert.Equal(t, "", zero.Path())
	assert.False(t, zero.IsHTTPS())
	assert.False(t, zero.IsLoopbackHTTP())
	assert.Equal(t, redirecturi.HostNone, zero.HostKind())

	u, err := redirecturi.Parse("https://[::1")
	require.Error(t, err)
	assert.Equal(t, redirecturi.URI{}, u, "a failed Parse returns the zero URI")
}

func TestHostKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "none", redirecturi.HostNone.String())
	assert.Equal(t, "reg-name", redirecturi.HostRegName.String())
	assert.Equal(t, "IPv4address", redirecturi.HostIPv4.String())
	assert.Equal(t, "IPv6 IP-literal", redirecturi.HostIPv6.String())
	assert.Equal(t, "HostKind(9)", redirecturi.HostKind(9).String())
}

func TestClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri             string
		https, loopback bool
	}{
		{"https://client.example.org/cb", true, false},
		{"https://client.example.org:8443/cb?x", true, false},
		{"https://[2001:db8::1]/cb", true, false},
		{"https://127.0.0.1/cb", true, false}, // https, so not "http on loopback"
		{"HTTPS://client.example.org/cb", false, false},
		{"Https://client.example.org/cb", false, false},
		{"http://client.example.org/cb", false, false},
		{"com.example.app:/cb", false, false},
		{"com.example.https://x/cb", false, false},
		{"x:///cb", false, false},
		{"https://client.example.org/cb#", false, false}, // invalid
		{"https://u@client.example.org/cb", false, false},
		{"http://127.0.0.1/cb", false, true},
		{"http://127.0.0.1", false, true},
		{"http://127.0.0.1:8080/cb", false, true},
		{"http://127.0.0.1:0/cb", false, true},
		{"http://127.1.2.3/cb", false, true},
		{"http://127.255.255.255/cb", false, true},
		{"http://[::1]/cb", false, true},
		{"http://[::1]:8080/cb", false, true},
		{"HTTP://127.0.0.1/cb", false, false},
		{"http://localhost/cb", false, false},
		{"http://localhost:8080/cb", false, false},
		{"http://LOCALHOST/cb", false, false},
		{"http://127.0.0.1.evil.example/cb", false, false},
		{"http://127.0.0.1:80@evil.example/cb", false, false},
		{"http://evil.example#@127.0.0.1/cb", false, false},
		{"http://127.0.0.01/cb", false, false},
		{"http://0x7f.0.0.1/cb", false, false},
		{"http://2130706433/cb", false, false},
		{"http://127.0.0.1./cb", false, false},
		{"http://128.0.0.1/cb", false, false},
		{"http://12.0.0.1/cb", false, false},
		{"http://[0:0:0:0:0:0:0:1]/cb", false, false},
		{"http://[::0001]/cb", false, false},
		{"http://[::ffff:127.0.0.1]/cb", false, false},
		{"http://[::1]:x/cb", false, false},
		{"http://127.0.0.1:/cb", false, false},
		{"http://[::2]/cb", false, false},
		{"http://[fe80::1%25lo]/cb", false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.https, redirecturi.IsHTTPS(tc.uri), "IsHTTPS(%q)", tc.uri)
		assert.Equal(t, tc.loopback, redirecturi.IsLoopbackHTTP(tc.uri), "IsLoopbackHTTP(%q)", tc.uri)
		if u, err := redirecturi.Parse(tc.uri); err == nil {
			assert.Equal(t, tc.https, u.IsHTTPS(), tc.uri)
			assert.Equal(t, tc.loopback, u.IsLoopbackHTTP(), tc.uri)
		}
	}
}

func TestNoAllocations(t *testing.T) {
	const uri = "http://[::1]:8080/cb?state=x%20y"
	allocs := testing.AllocsPerRun(100, func() {
		if err := redirecturi.Validate(uri); err != nil {
			t.Fatal(err)
		}
		if !redirecturi.Match("http://[::1]/cb?state=x%20y", uri, true) {
			t.Fatal("no match")
		}
		if !redirecturi.IsLoopbackHTTP(uri) {
			t.Fatal("not loopback")
		}
	})
	assert.Zero(t, allocs)
}

func TestEveryByte(t *testing.T) {
	t.Parallel()
	// One byte in an IP-literal, the query, the path, the host, a
	// rootless path and the scheme: the package and
	// the reference agree on every value, and no refusal is anything but
	// an *Error.
	for c := 0; c < 256; c++ {
		for _, uri := range []string{
			"http://[::1" + string([]byte{byte(c)}) + "]/",
			"https://x/a?" + string([]byte{byte(c)}),
			"https://x/a" + string([]byte{byte(c)}),
			"https://x" + string([]byte{byte(c)}) + "y/",
			"x:" + string([]byte{byte(c)}),
			"a" + string([]byte{byte(c)}) + ":",
		} {
			err := redirecturi.Validate(uri)
			assert.Equal(t, referenceValid(uri), err == nil, "%q: %v", uri, err)
			if err != nil {
				var e *redirecturi.Error
				assert.True(t, errors.As(err, &e))
			}
		}
	}
}

// TestIPv6Grammar compares the IP-literal parser with the reference
// grammar on every sequence of up to six pieces drawn from h16 groups of
// several sizes, separators and IPv4 tails: the shapes that random inputs
// rarely reach.
func TestIPv6Grammar(t *testing.T) {
	t.Parallel()
	pieces := []string{"1", "fFfF", "12345", ":", "::", "1.2.3.4", "01.2.3.4"}
	var walk func(prefix string, depth int)
	checked := 0
	walk = func(prefix string, depth int) {
		uri := "http://[" + prefix + "]/cb"
		if got, want := redirecturi.Validate(uri) == nil, referenceValid(uri); got != want {
			t.Fatalf("Validate(%q) valid = %v; the reference says %v", uri, got, want)
		}
		checked++
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			walk(prefix+p, depth-1)
		}
	}
	walk("", 6)
	// Eight and nine groups, with and without an ellipsis, in every
	// position.
	for n := 1; n <= 9; n++ {
		for at := -1; at <= n; at++ {
			var b strings.Builder
			for i := 0; i < n; i++ {
				if i == at {
					b.WriteString("::")
				} else if i > 0 {
					b.WriteString(":")
				}
				b.WriteString("a")
			}
			if at == n {
				b.WriteString("::")
			}
			for _, tail := range []string{"", ":1.2.3.4"} {
				uri := "http://[" + b.String() + tail + "]/"
				if got, want := redirecturi.Validate(uri) == nil, referenceValid(uri); got != want {
					t.Fatalf("Validate(%q) valid = %v; the reference says %v", uri, got, want)
				}
				checked++
			}
		}
	}
	assert.Greater(t, checked, 137000)
}
