package redirecturi_test

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/redirecturi"
)

// FuzzValidate checks that Validate never panics, that it agrees with the
// reference (the RFC 3986 grammar as a regular expression plus the
// package's policy rules), that every refusal is an *Error matching
// ErrInvalid and one reason at an offset inside the input, and that
// everything it accepts is also accepted by net/url.Parse with a scheme,
// has no fragment, no userinfo, only printable ASCII, and is reassembled
// exactly from the components Parse returns.
func FuzzValidate(f *testing.F) {
	for _, s := range validURIs {
		f.Add(s)
	}
	for _, tc := range invalidURIs {
		f.Add(tc.uri)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := redirecturi.Parse(s)
		if want := referenceValid(s); want != (err == nil) {
			t.Fatalf("Parse(%q) = %v; the reference says valid = %v", s, err, want)
		}
		if err != nil {
			var e *redirecturi.Error
			if !errors.As(err, &e) || !errors.Is(err, redirecturi.ErrInvalid) {
				t.Fatalf("Parse(%q) error %v is not an *Error matching ErrInvalid", s, err)
			}
			n := 0
			for _, r := range reasons {
				if errors.Is(err, r) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("Parse(%q) error %v matches %d reasons", s, err, n)
			}
			if e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("Parse(%q) error offset %d outside the input", s, e.Offset)
			}
			if redirecturi.IsHTTPS(s) || redirecturi.IsLoopbackHTTP(s) {
				t.Fatalf("invalid %q is classified", s)
			}
			return
		}
		if redirecturi.Validate(s) != nil {
			t.Fatalf("Validate and Parse disagree on %q", s)
		}
		if len(s) > redirecturi.MaxLength {
			t.Fatalf("accepted %d bytes", len(s))
		}
		for i := 0; i < len(s); i++ {
			if s[i] <= 0x20 || s[i] >= 0x7f {
				t.Fatalf("accepted %q with byte 0x%02x at %d", s, s[i], i)
			}
		}
		if strings.Contains(s, "#") {
			t.Fatalf("accepted %q with a fragment", s)
		}

		p, perr := url.Parse(s)
		if perr != nil {
			t.Fatalf("accepted %q, which net/url refuses: %v", s, perr)
		}
		if !strings.EqualFold(p.Scheme, u.Scheme()) || p.Scheme == "" {
			t.Fatalf("%q: scheme %q, net/url says %q", s, u.Scheme(), p.Scheme)
		}
		if p.Fragment != "" || p.User != nil {
			t.Fatalf("%q: net/url finds a fragment or userinfo", s)
		}
		if u.HostKind() != redirecturi.HostNone {
			authority := u.Host()
			if u.Port() != "" {
				authority += ":" + u.Port()
			}
			if p.Host != authority || p.Port() != u.Port() {
				t.Fatalf("%q: authority %q port %q, net/url says %q port %q", s, authority, u.Port(), p.Host, p.Port())
			}
		}

		// Reassembly from the components gives the input back.
		r := u.Scheme() + ":"
		if u.HostKind() != redirecturi.HostNone {
			r += "//" + u.Host()
			if u.Port() != "" {
				r += ":" + u.Port()
			}
		}
		r += u.Path()
		if q, ok := u.Query(); ok {
			r += "?" + q
		}
		if r != s {
			t.Fatalf("components of %q reassemble to %q", s, r)
		}

		if u.IsHTTPS() && (u.Scheme() != "https" || p.Hostname() == "") {
			t.Fatalf("%q classified https", s)
		}
		if u.IsLoopbackHTTP() {
			h := p.Hostname()
			if u.Scheme() != "http" || !(h == "::1" && u.Host() == "[::1]" || strings.HasPrefix(h, "127.") && u.HostKind() == redirecturi.HostIPv4) {
				t.Fatalf("%q classified loopback", s)
			}
		}
		if !redirecturi.Match(s, s, false) || !redirecturi.Match(s, s, true) {
			t.Fatalf("%q does not match itself", s)
		}
	})
}

// withoutPort splits a valid http URI with an authority into the text
// before the ":" port and the text after the authority, using net/url.
func withoutPort(t *testing.T, s string) (before, after string) {
	p, err := url.Parse(s)
	if err != nil || !strings.HasPrefix(s, p.Scheme+"://"+p.Host) {
		t.Fatalf("withoutPort(%q): %v, host %q", s, err, p.Host)
	}
	after = s[len(p.Scheme+"://"+p.Host):]
	before = s[:len(s)-len(after)]
	if port := p.Port(); port != "" {
		before = before[:len(before)-len(port)-1]
	}
	return before, after
}

// FuzzMatch checks that Match never panics, that a valid URI matches
// itself and an invalid requested URI matches nothing, that any match of
// two different strings is a native client's loopback URI differing at
// most in its port, and that such a URI matches itself with any port for
// a native client and only itself for other clients.
func FuzzMatch(f *testing.F) {
	f.Add("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true, uint16(51004))
	f.Add("http://[::1]:8080/cb?a=1", "http://[::1]/cb?a=1", true, uint16(0))
	f.Add("https://client.example.org/cb", "https://client.example.org/cb", false, uint16(443))
	f.Add("http://127.0.0.1/cb", "http://127.0.0.1:80@evil.example/cb", true, uint16(80))
	f.Add("http://127.0.0.1/cb", "http://127.0.0.1.evil.example/cb", true, uint16(80))
	f.Add("http://[::1]/cb", "http://[::1]:x/cb", true, uint16(1))
	f.Add("http://127.0.0.1/cb", "http://127.0.0.1:/cb", true, uint16(65535))
	f.Add("http://127.0.0.1:80/cb", "http://127.0.0.1:080/cb", true, uint16(8))
	f.Add("http://127.0.0.1/cb", "HTTP://127.0.0.1:4000/cb", true, uint16(4000))
	f.Add("http://localhost/cb", "http://localhost:4000/cb", true, uint16(4000))
	f.Add("https://c.example/cb#", "https://c.example/cb#", true, uint16(0))
	f.Fuzz(func(t *testing.T, registered, requested string, native bool, port uint16) {
		got := redirecturi.Match(registered, requested, native)
		regErr := redirecturi.Validate(registered)
		reqErr := redirecturi.Validate(requested)
		if got && (reqErr != nil || regErr != nil) {
			t.Fatalf("Match(%q, %q, %v) with errors %v, %v", registered, requested, native, regErr, reqErr)
		}
		if reqErr == nil && !redirecturi.Match(requested, requested, native) {
			t.Fatalf("valid %q does not match itself", requested)
		}
		if regErr == nil && !redirecturi.Match(registered, registered, native) {
			t.Fatalf("valid %q does not match itself", registered)
		}
		if got && registered != requested {
			// Only RFC 8252 §7.3's port flexibility may make them differ.
			if !native || !redirecturi.IsLoopbackHTTP(registered) || !redirecturi.IsLoopbackHTTP(requested) {
				t.Fatalf("Match(%q, %q, %v) = %v", registered, requested, native, got)
			}
			b1, a1 := withoutPort(t, registered)
			b2, a2 := withoutPort(t, requested)
			if b1 != b2 || a1 != a2 {
				t.Fatalf("Match(%q, %q, %v): they differ beyond the port", registered, requested, native)
			}
		}

		if regErr == nil && redirecturi.IsLoopbackHTTP(registered) {
			before, after := withoutPort(t, registered)
			for _, other := range []string{before + after, before + ":" + strconv.Itoa(int(port)) + after} {
				if !redirecturi.Match(registered, other, true) || !redirecturi.Match(other, registered, true) {
					t.Fatalf("loopback %q and %q do not match for a native client", registered, other)
				}
				if redirecturi.Match(registered, other, false) != (registered == other) {
					t.Fatalf("loopback %q and %q match for a client that is not native", registered, other)
				}
			}
		}
	})
}
