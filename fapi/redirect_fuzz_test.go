package fapi

import (
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/redirecturi"
)

// FuzzRedirectURI checks the redirect URI rules on arbitrary strings:
// never a panic; a URI accepted as https is absolute, https, has a host and
// no fragment or user information; a URI accepted as loopback http has a
// loopback IP literal as its host.
func FuzzRedirectURI(f *testing.F) {
	for _, s := range []string{
		"https://client.example.org/cb", "http://client.example.org/cb", "https://client.example.org/cb#frag",
		"https://user@client.example.org/cb", "https:///cb", "https:opaque", "com.example.app:/cb",
		"http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://localhost/cb", "HTTPS://CLIENT.example.org/cb",
		"https://client.example.org/cb?x=1", "", " ", "https://%zz", "http://127.0.0.1.nip.io/cb", "http://0x7f.1/cb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if redirectURIProblem(s) == "" && httpsURIProblem(s) == "" && !redirecturi.IsHTTPS(s) {
			t.Fatalf("valid and https by the library's reading, but not by redirecturi: %q", s)
		}
		if httpsURIProblem(s) == "" {
			p, err := url.Parse(s)
			if err != nil || p.Scheme != "https" || p.Host == "" || p.Fragment != "" || strings.Contains(s, "#") || p.User != nil {
				t.Fatalf("accepted as https: %q", s)
			}
		}
		if redirecturi.IsLoopbackHTTP(s) {
			p, err := url.Parse(s)
			if err != nil || p.Scheme != "http" {
				t.Fatalf("accepted as loopback http: %q", s)
			}
			if ip := net.ParseIP(p.Hostname()); ip == nil || !ip.IsLoopback() {
				t.Fatalf("accepted a non-loopback host: %q", s)
			}
		}
	})
}
