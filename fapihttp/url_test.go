package fapihttp_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapihttp"
)

func TestURL(t *testing.T) {
	t.Parallel()
	plain := newReader(t)
	proxied := newReader(t, fapihttp.WithTrustedProxy(fromProxy))
	based := newReader(t, fapihttp.WithBaseURL("HTTPS://AS.example.com:443/auth/"), fapihttp.WithTrustedProxy(fromProxy))
	hosts := newReader(t, fapihttp.WithHosts("as.example.com", "AS2.example.com:8443", "mtls.example.com:443"), fapihttp.WithTrustedProxy(fromProxy))

	type hdr = map[string][]string
	tests := []struct {
		name    string
		rd      *fapihttp.Reader
		target  string
		host    string // the Host header, when not the target's
		remote  string
		tls     bool
		header  hdr
		want    string
		wantErr bool
	}{
		{name: "http", rd: plain, target: "http://as.example.com/token", want: "http://as.example.com/token"},
		{name: "https from TLS", rd: plain, target: "/token", host: "as.example.com", tls: true, want: "https://as.example.com/token"},
		{name: "the query is kept", rd: plain, target: "/r?a=1&b=%20", host: "api.example.com", tls: true, want: "https://api.example.com/r?a=1&b=%20"},
		{name: "the path as sent", rd: plain, target: "/a%2Fb/c%20d", host: "api.example.com", tls: true, want: "https://api.example.com/a%2Fb/c%20d"},
		{name: "the default https port dropped", rd: plain, target: "/token", host: "as.example.com:443", tls: true, want: "https://as.example.com/token"},
		{name: "the default http port dropped", rd: plain, target: "/token", host: "as.example.com:80", want: "http://as.example.com/token"},
		{name: "another port kept", rd: plain, target: "/token", host: "as.example.com:443", want: "http://as.example.com:443/token"},
		{name: "host in lower case", rd: plain, target: "/token", host: "AS.Example.COM", tls: true, want: "https://as.example.com/token"},
		{name: "an IPv6 literal", rd: plain, target: "/token", host: "[2001:db8::1]:8443", tls: true, want: "https://[2001:db8::1]:8443/token"},
		{name: "an IPv4 address", rd: plain, target: "/token", host: "192.0.2.1", want: "http://192.0.2.1/token"},
		{name: "no host", rd: plain, target: "/token", host: "-", wantErr: true},
		{name: "a host with user information", rd: plain, target: "/token", host: "u@as.example.com", wantErr: true},
		{name: "a host with a path", rd: plain, target: "/token", host: "as.example.com/x", wantErr: true},
		{name: "a host with a percent escape", rd: plain, target: "/token", host: "a%2eexample", wantErr: true},
		{name: "an empty port", rd: plain, target: "/token", host: "as.example.com:", wantErr: true},
		{name: "a port that is not a number", rd: plain, target: "/token", host: "as.example.com:https", wantErr: true},
		{name: "a zone in an IPv6 literal", rd: plain, target: "/token", host: "[fe80::1%25eth0]", wantErr: true},
		{name: "an IPv4 literal in brackets", rd: plain, target: "/token", host: "[192.0.2.1]", wantErr: true},
		{name: "an unclosed bracket", rd: plain, target: "/token", host: "[::1", wantErr: true},
		{name: "a path that is not absolute", rd: plain, target: "*", host: "as.example.com", wantErr: true},
		{name: "a '#' in the query would hide the rest of it", rd: plain, target: "/r?#&access_token=x", host: "api.example.com", wantErr: true},
		{name: "a '#' in the query, with a base URL", rd: based, target: "/r?a=1#b", wantErr: true},
		{name: "a '#' in the path is escaped", rd: plain, target: "/a%23b", host: "api.example.com", want: "http://api.example.com/a%23b"},

		{name: "forwarding headers without a trusted proxy are ignored", rd: plain, target: "/token", host: "10.0.0.5:8080", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=https;host=evil.example`}, "X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"evil.example"}},
			want:   "http://10.0.0.5:8080/token"},
		{name: "forwarding headers from an untrusted client are ignored", rd: proxied, target: "/token", host: "as.example.com", remote: "192.0.2.7:1", tls: true,
			header: hdr{"Forwarded": {`proto=http;host=evil.example`}, "X-Forwarded-Host": {"evil.example"}},
			want:   "https://as.example.com/token"},
		{name: "malformed forwarding headers from an untrusted client are ignored", rd: proxied, target: "/token", host: "as.example.com", remote: "192.0.2.7:1",
			header: hdr{"Forwarded": {`proto`}}, want: "http://as.example.com/token"},
		{name: "Forwarded from the trusted proxy", rd: proxied, target: "/token", host: "backend:8080", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`for=192.0.2.60;Proto=HTTPS;Host="AS.example.com:443"`}}, want: "https://as.example.com/token"},
		{name: "the last Forwarded element", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=http;host=evil.example, for=192.0.2.1`, `for=192.0.2.60;proto=https;host=as.example.com`}}, want: "https://as.example.com/token"},
		{name: "a Forwarded IPv6 host", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=https;host="[2001:db8::2]:8443"`}}, want: "https://[2001:db8::2]:8443/token"},
		{name: "Forwarded without proto or host", rd: proxied, target: "/token", host: "as.example.com", remote: "10.0.0.1:1", tls: true,
			header: hdr{"Forwarded": {`for=192.0.2.60`}}, want: "https://as.example.com/token"},
		{name: "X-Forwarded-Proto and -Host from the trusted proxy", rd: proxied, target: "/token?x=1", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"as.example.com"}}, want: "https://as.example.com/token?x=1"},
		{name: "the last X-Forwarded-Host value", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"X-Forwarded-Proto": {"http, https"}, "X-Forwarded-Host": {"evil.example", "as.example.com"}}, want: "https://as.example.com/token"},
		{name: "Forwarded and X-Forwarded agree", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=https;host=as.example.com`}, "X-Forwarded-Proto": {"HTTPS"}, "X-Forwarded-Host": {"AS.example.com"}}, want: "https://as.example.com/token"},
		{name: "Forwarded and X-Forwarded-Host disagree", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`host=as.example.com`}, "X-Forwarded-Host": {"evil.example"}}, wantErr: true},
		{name: "Forwarded and X-Forwarded-Proto disagree", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=https`}, "X-Forwarded-Proto": {"http"}}, wantErr: true},
		{name: "a forwarded proto that is not http(s)", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"X-Forwarded-Proto": {"ftp"}}, wantErr: true},
		{name: "a forwarded host with a path", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"X-Forwarded-Host": {"evil.example/x"}}, wantErr: true},
		{name: "a Forwarded parameter twice in an element", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`host=a.example;host=b.example`}}, wantErr: true},
		{name: "a Forwarded pair without a value", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`host=`}}, wantErr: true},
		{name: "an unterminated quoted string", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`host="as.example.com`}}, wantErr: true},
		{name: "pairs without a separator", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`proto=https host=as.example.com`}}, wantErr: true},
		{name: "a quoted pair in Forwarded", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`for="\"x\"";host="as.example.co\m"`}}, want: "http://as.example.com/token"},
		{name: "an oversized Forwarded header", rd: proxied, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {"for=" + string(make([]byte, 9<<10))}}, wantErr: true},

		{name: "the base URL, whatever the Host header", rd: based, target: "/token?a=b", host: "evil.example", tls: false,
			want: "https://as.example.com/auth/token?a=b"},
		{name: "the base URL, whatever a trusted proxy forwards", rd: based, target: "/token", host: "backend", remote: "10.0.0.1:1",
			header: hdr{"Forwarded": {`host=evil.example`}}, want: "https://as.example.com/auth/token"},
		{name: "a listed host", rd: hosts, target: "/token", host: "AS.example.com:443", tls: true, want: "https://as.example.com/token"},
		{name: "a listed host and port", rd: hosts, target: "/token", host: "as2.example.com:8443", tls: true, want: "https://as2.example.com:8443/token"},
		{name: "a listed host given with its default port", rd: hosts, target: "/token", host: "mtls.example.com", tls: true, want: "https://mtls.example.com/token"},
		{name: "a listed host on another port", rd: hosts, target: "/token", host: "as2.example.com", tls: true, wantErr: true},
		{name: "a host not listed", rd: hosts, target: "/token", host: "evil.example", tls: true, wantErr: true},
		{name: "a forwarded host not listed", rd: hosts, target: "/token", host: "as.example.com", remote: "10.0.0.1:1",
			header: hdr{"X-Forwarded-Host": {"evil.example"}}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tt.target, nil)
			if tt.target == "*" {
				r = httptest.NewRequest(http.MethodOptions, "/", nil)
				r.URL.Path = "*"
			}
			switch tt.host {
			case "":
			case "-":
				r.Host, r.URL.Host = "", ""
			default:
				r.Host = tt.host
			}
			if tt.remote != "" {
				r.RemoteAddr = tt.remote
			}
			if tt.tls {
				withTLS(r)
			} else {
				r.TLS = nil
			}
			for k, vs := range tt.header {
				for _, v := range vs {
					r.Header.Add(k, v)
				}
			}
			got, err := tt.rd.URL(r)
			if tt.wantErr {
				require.Error(t, err, "got %q", got)
				assert.ErrorIs(t, err, fapihttp.ErrURL)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRemoteAddrIn(t *testing.T) {
	t.Parallel()
	trusted := fapihttp.RemoteAddrIn(netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("2001:db8::/32"), netip.Prefix{})
	tests := []struct {
		remote string
		want   bool
	}{
		{"10.0.0.7:4711", true},
		{"[::ffff:10.0.0.7]:4711", true},
		{"[2001:db8::5]:443", true},
		{"10.0.1.7:4711", false},
		{"192.0.2.1:80", false},
		{"10.0.0.7", false}, // no port: not a connection's address
		{"", false},
		{"garbage", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.remote
		assert.Equal(t, tt.want, trusted(r), tt.remote)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.7:1"
	assert.False(t, fapihttp.RemoteAddrIn()(r), "no prefixes: no proxy")
}
