package redirecturi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/redirecturi"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                  string
		registered, requested string
		native, want          bool
	}{
		{"identical https", "https://client.example.org/cb", "https://client.example.org/cb", false, true},
		{"identical https, native", "https://client.example.org/cb", "https://client.example.org/cb", true, true},
		{"identical custom scheme", "com.example.app:/oauth2redirect", "com.example.app:/oauth2redirect", true, true},
		{"identical with query", "https://c.example/cb?a=1", "https://c.example/cb?a=1", false, true},
		{"different path", "https://client.example.org/cb", "https://client.example.org/cb2", false, false},
		{"path prefix", "https://client.example.org/cb", "https://client.example.org/cb/evil", false, false},
		{"added query", "https://client.example.org/cb", "https://client.example.org/cb?x=1", false, false},
		{"added empty query", "https://client.example.org/cb", "https://client.example.org/cb?", false, false},
		{"trailing slash", "https://client.example.org", "https://client.example.org/", false, false},
		{"uppercase scheme", "https://client.example.org/cb", "HTTPS://client.example.org/cb", false, false},
		{"uppercase host", "https://client.example.org/cb", "https://CLIENT.example.org/cb", false, false},
		{"trailing dot", "https://client.example.org/cb", "https://client.example.org./cb", false, false},
		{"default port added", "https://client.example.org/cb", "https://client.example.org:443/cb", false, false},
		{"default port added, native", "https://client.example.org/cb", "https://client.example.org:443/cb", true, false},
		{"percent-encoded path byte", "https://client.example.org/cb", "https://client.example.org/%63b", false, false},
		{"percent-encoded dots", "https://client.example.org/a/cb", "https://client.example.org/a/%2e%2e/a/cb", false, false},
		{"dot-segments", "https://client.example.org/cb", "https://client.example.org/x/../cb", false, false},
		{"userinfo prefix", "https://client.example.org/cb", "https://client.example.org@evil.example/cb", false, false},
		{"requested with fragment", "https://client.example.org/cb", "https://client.example.org/cb#", false, false},
		{"invalid requested equal to invalid registration", "https://c.example/cb#x", "https://c.example/cb#x", true, false},
		{"invalid registration", "http://127.0.0.1:/cb", "http://127.0.0.1:8080/cb", true, false},

		// RFC 8252 §7.3: any port for native clients' loopback IP literals.
		{"loopback, port changed", "http://127.0.0.1:8080/cb", "http://127.0.0.1:51004/cb", true, true},
		{"loopback, port added", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true, true},
		{"loopback, port dropped", "http://127.0.0.1:8080/cb", "http://127.0.0.1/cb", true, true},
		{"loopback, port 0", "http://127.0.0.1/cb", "http://127.0.0.1:0/cb", true, true},
		{"loopback, port 65535", "http://127.0.0.1/cb", "http://127.0.0.1:65535/cb", true, true},
		{"loopback, no path", "http://127.0.0.1", "http://127.0.0.1:4000", true, true},
		{"loopback, query kept", "http://127.0.0.1/cb?a=1", "http://127.0.0.1:4000/cb?a=1", true, true},
		{"loopback elsewhere in 127/8", "http://127.9.9.9/cb", "http://127.9.9.9:1234/cb", true, true},
		{"IPv6 loopback, port added", "http://[::1]/cb", "http://[::1]:4000/cb", true, true},
		{"IPv6 loopback, port changed", "http://[::1]:80/cb", "http://[::1]:4000/cb", true, true},
		{"loopback, port changed, not native", "http://127.0.0.1:8080/cb", "http://127.0.0.1:51004/cb", false, false},
		{"loopback, port added, not native", "http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", false, false},

		{"loopback, other path", "http://127.0.0.1/cb", "http://127.0.0.1:4000/cb2", true, false},
		{"loopback, path dropped", "http://127.0.0.1/cb", "http://127.0.0.1:4000", true, false},
		{"loopback, query added", "http://127.0.0.1/cb", "http://127.0.0.1:4000/cb?x", true, false},
		{"loopback, query changed", "http://127.0.0.1/cb?a=1", "http://127.0.0.1:4000/cb?a=2", true, false},
		{"loopback, other address in 127/8", "http://127.0.0.1/cb", "http://127.0.0.2:4000/cb", true, false},
		{"loopback, IPv4 registered, IPv6 requested", "http://127.0.0.1/cb", "http://[::1]:4000/cb", true, false},
		{"loopback, https requested", "http://127.0.0.1/cb", "https://127.0.0.1:4000/cb", true, false},
		{"loopback, uppercase scheme requested", "http://127.0.0.1/cb", "HTTP://127.0.0.1:4000/cb", true, false},
		{"loopback, uppercase scheme registered", "HTTP://127.0.0.1/cb", "HTTP://127.0.0.1:4000/cb", true, false},
		{"loopback, userinfo", "http://127.0.0.1/cb", "http://127.0.0.1:80@evil.example/cb", true, false},
		{"loopback, name under evil.example", "http://127.0.0.1/cb", "http://127.0.0.1.evil.example/cb", true, false},
		{"loopback, name under evil.example with port", "http://127.0.0.1/cb", "http://127.0.0.1.evil.example:80/cb", true, false},
		{"loopback, non-numeric port", "http://[::1]/cb", "http://[::1]:x/cb", true, false},
		{"loopback, empty port", "http://127.0.0.1/cb", "http://127.0.0.1:/cb", true, false},
		{"loopback, leading-zero port", "http://127.0.0.1:80/cb", "http://127.0.0.1:080/cb", true, false},
		{"loopback, port above 65535", "http://127.0.0.1/cb", "http://127.0.0.1:65536/cb", true, false},
		{"loopback, two ports", "http://127.0.0.1:80/cb", "http://127.0.0.1:80:81/cb", true, false},
		{"loopback, trailing dot", "http://127.0.0.1/cb", "http://127.0.0.1.:4000/cb", true, false},
		{"loopback, leading-zero octet", "http://127.0.0.1/cb", "http://127.0.0.01:4000/cb", true, false},
		{"loopback, hexadecimal", "http://127.0.0.1/cb", "http://0x7f000001:4000/cb", true, false},
		{"loopback, percent-encoded dots in host", "http://127.0.0.1/cb", "http://127%2e0%2e0%2e1:4000/cb", true, false},
		{"loopback, percent-encoded dots in path", "http://127.0.0.1/a/cb", "http://127.0.0.1:4000/a/%2e%2e/a/cb", true, false},
		{"loopback, fragment", "http://127.0.0.1/cb", "http://127.0.0.1:4000/cb#", true, false},
		{"loopback, other spelling of ::1", "http://[::1]/cb", "http://[0:0:0:0:0:0:0:1]:4000/cb", true, false},
		{"loopback, IPv4-mapped", "http://127.0.0.1/cb", "http://[::ffff:127.0.0.1]:4000/cb", true, false},
		{"localhost is not a loopback IP literal", "http://localhost/cb", "http://localhost:4000/cb", true, false},
		{"localhost requested for loopback", "http://127.0.0.1/cb", "http://localhost:4000/cb", true, false},
		{"port flexibility is not for https", "https://127.0.0.1/cb", "https://127.0.0.1:4000/cb", true, false},
		{"port flexibility is not for other hosts", "http://client.example.org/cb", "http://client.example.org:4000/cb", true, false},
		{"port flexibility is not for custom schemes", "com.example.app://127.0.0.1/cb", "com.example.app://127.0.0.1:4000/cb", true, false},
		{"registered loopback, requested custom scheme", "http://127.0.0.1/cb", "com.example.app:/cb", true, false},
		{"empty requested", "http://127.0.0.1/cb", "", true, false},
		{"both empty", "", "", true, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, redirecturi.Match(tc.registered, tc.requested, tc.native),
			"%s: Match(%q, %q, %v)", tc.name, tc.registered, tc.requested, tc.native)
	}
}
