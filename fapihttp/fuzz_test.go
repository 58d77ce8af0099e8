package fapihttp_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fapicheck/fapicheck/fapihttp"
)

// reasons are the Err… values a RequestError may wrap.
var reasons = []error{fapihttp.ErrMethod, fapihttp.ErrContentType, fapihttp.ErrBodyTooLarge, fapihttp.ErrMalformedForm,
	fapihttp.ErrDuplicateParameter, fapihttp.ErrBasicAuth, fapihttp.ErrClientCertificate, fapihttp.ErrURL}

// checkReaderError fails unless err is a *RequestError with one of the
// reasons and a detail.
func checkReaderError(t *testing.T, err error) {
	t.Helper()
	var re *fapihttp.RequestError
	if !errors.As(err, &re) || re.Detail == "" {
		t.Fatalf("not a RequestError with a detail: %#v", err)
	}
	for _, r := range reasons {
		if errors.Is(err, r) {
			return
		}
	}
	t.Fatalf("unknown reason: %v", err)
}

// FuzzReadForm: the form readers (a token request's body, an authorization
// request's query and body) never panic, fail only with a RequestError,
// and accept a form only when every parameter has exactly one value and
// the form decodes as url.ParseQuery decodes it. Seeds under
// testdata/fuzz/FuzzReadForm hold repeated parameters, bad escapes,
// separators and content types.
func FuzzReadForm(f *testing.F) {
	f.Add("grant_type=authorization_code&code=a%2Bb+c", "application/x-www-form-urlencoded")
	f.Add("a=1&a=2", "application/x-www-form-urlencoded; charset=utf-8")
	f.Add("a=%zz;b", "text/plain")
	rd := newReader(f, fapihttp.WithMaxFormSize(4<<10))
	f.Fuzz(func(t *testing.T, form, contentType string) {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(form))
		r.Header.Set("Content-Type", contentType)
		tr, err := rd.Token(r)
		if err != nil {
			checkReaderError(t, err)
		} else {
			if len(form) > 4<<10 {
				t.Fatalf("accepted %d bytes", len(form))
			}
			want, perr := url.ParseQuery(form)
			if perr != nil || len(want) != len(tr.Params) {
				t.Fatalf("accepted %q: %v, %d parameters, ParseQuery %d", form, perr, len(tr.Params), len(want))
			}
			for k, v := range tr.Params {
				if len(v) != 1 || len(want[k]) != 1 || want[k][0] != v[0] {
					t.Fatalf("parameter %q: %q, ParseQuery %q", k, v, want[k])
				}
			}
		}

		// The same text as an authorization request's query.
		r = &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/authorize", RawQuery: form}, Header: http.Header{}, Host: "as.example.com"}
		az, err := rd.Authorization(r)
		if err != nil {
			checkReaderError(t, err)
			return
		}
		for k, v := range az.Params {
			if len(v) != 1 {
				t.Fatalf("query parameter %q has %d values", k, len(v))
			}
		}
	})
}

// FuzzURL: the external URL never panics, fails only with ErrURL, is an
// absolute http(s) URL whose host passed the host grammar, and uses the
// forwarding headers only from a trusted proxy: without trust the result
// is the same with and without them. Seeds under testdata/fuzz/FuzzURL
// hold Forwarded lists, quoted strings and hosts with ports and IPv6
// literals.
func FuzzURL(f *testing.F) {
	f.Add("as.example.com", `for=192.0.2.1;proto=https;host="as.example.com:443"`, "https", "as.example.com", "/token?a=b", true)
	f.Add("[::1]:8443", `proto=http, host=x`, "", "", "/", false)
	f.Add("a b", `host="\"`, "ftp", "x/y", "*", true)
	proxied := newReader(f, fapihttp.WithTrustedProxy(func(*http.Request) bool { return true }))
	plain := newReader(f)
	f.Fuzz(func(t *testing.T, host, forwarded, xproto, xhost, target string, tls bool) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return // not a request-target a server hands a handler
		}
		base := func() *http.Request {
			r := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}, Host: host}
			if tls {
				withTLS(r)
			}
			return r
		}
		withHeaders := func() *http.Request {
			r := base()
			if forwarded != "" {
				r.Header.Set("Forwarded", forwarded)
			}
			if xproto != "" {
				r.Header.Set("X-Forwarded-Proto", xproto)
			}
			if xhost != "" {
				r.Header.Set("X-Forwarded-Host", xhost)
			}
			return r
		}
		checkURL := func(got string, err error) {
			if err != nil {
				checkReaderError(t, err)
				if !errors.Is(err, fapihttp.ErrURL) {
					t.Fatalf("not ErrURL: %v", err)
				}
				return
			}
			p, perr := url.Parse(got)
			if perr != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil || p.Fragment != "" {
				t.Fatalf("URL %q: %v", got, perr)
			}
			if strings.ToLower(p.Host) != p.Host || strings.HasSuffix(p.Host, ":443") && p.Scheme == "https" {
				t.Fatalf("URL %q: host not normalized", got)
			}
		}
		direct, derr := plain.URL(base())
		checkURL(direct, derr)
		ignored, ierr := plain.URL(withHeaders())
		if ignored != direct || (ierr == nil) != (derr == nil) {
			t.Fatalf("forwarding headers used without trust: %q / %v, without them %q / %v", ignored, ierr, direct, derr)
		}
		checkURL(proxied.URL(withHeaders()))
	})
}

// FuzzBasicAuth: BasicAuth never panics, fails only with ErrBasicAuth, and
// accepts exactly the Basic values whose credentials are strict base64 of
// user ":" password with a form-encoded user: the client_id is the decoded
// user, the secret the password as sent. Seeds under
// testdata/fuzz/FuzzBasicAuth hold encoded and unencoded credentials,
// other schemes and malformed base64.
func FuzzBasicAuth(f *testing.F) {
	f.Add(basic("client 1", "s+cr%t"), "")
	f.Add("Basic Og==", "Bearer x")
	f.Add("basic !!", "")
	f.Fuzz(func(t *testing.T, h1, h2 string) {
		r := httptest.NewRequest(http.MethodPost, "/token", nil)
		r.Header["Authorization"] = []string{h1}
		if h2 != "" {
			r.Header["Authorization"] = append(r.Header["Authorization"], h2)
		}
		b, err := fapihttp.BasicAuth(r)
		if err != nil {
			if !errors.Is(err, fapihttp.ErrBasicAuth) {
				t.Fatalf("not ErrBasicAuth: %v", err)
			}
			checkReaderError(t, err)
			return
		}
		if b == nil {
			return
		}
		if h2 != "" {
			t.Fatalf("accepted two Authorization fields")
		}
		scheme, cred, _ := strings.Cut(strings.Trim(h1, " \t"), " ")
		if !strings.EqualFold(scheme, "basic") {
			t.Fatalf("accepted scheme %q", scheme)
		}
		raw, derr := base64.StdEncoding.Strict().DecodeString(strings.TrimLeft(cred, " "))
		if derr != nil {
			t.Fatalf("accepted credentials that are not base64: %q", cred)
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		id, uerr := url.QueryUnescape(user)
		if !ok || uerr != nil || id != b.ClientID || pass != b.ClientSecret {
			t.Fatalf("credentials %q read as %+v", raw, b)
		}
	})
}

// FuzzClientCertificateHeader: a trusted proxy's certificate header never
// panics the reader, fails only with ErrClientCertificate, and yields a
// parsed certificate or none (an empty header). Seeds under
// testdata/fuzz/FuzzClientCertificateHeader hold a valid escaped PEM and
// broken escapes, blocks and lengths.
func FuzzClientCertificateHeader(f *testing.F) {
	f.Add(escapedPEM(testCert()))
	f.Add("-----BEGIN%20CERTIFICATE-----%0AMIIB%0A-----END%20CERTIFICATE-----%0A")
	f.Add("%")
	rd := newReader(f, fapihttp.WithTrustedProxy(func(*http.Request) bool { return true }), fapihttp.WithClientCertificateHeader("X-Client-Cert"))
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["X-Client-Cert"] = []string{value}
		c, err := rd.ClientCertificate(r)
		switch {
		case err != nil:
			if !errors.Is(err, fapihttp.ErrClientCertificate) || c != nil {
				t.Fatalf("%v, %v", c, err)
			}
			checkReaderError(t, err)
		case value == "":
			if c != nil {
				t.Fatal("a certificate from an empty header")
			}
		case c == nil || len(c.Raw) == 0:
			t.Fatalf("no error and no certificate for %q", value)
		}
	})
}
