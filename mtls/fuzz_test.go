package mtls_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fapicheck/fapicheck/mtls"
)

// formatDN writes RDNs (ASN.1 order) as an RFC 4514 string with OIDs in
// dotted form and every byte outside [A-Za-z0-9] hex-escaped, so that the
// result does not depend on the parser's handling of specials or spaces.
func formatDN(rdns pkix.RDNSequence) string {
	var b strings.Builder
	for i := len(rdns) - 1; i >= 0; i-- {
		if i != len(rdns)-1 {
			b.WriteByte(',')
		}
		for j, a := range rdns[i] {
			if j > 0 {
				b.WriteByte('+')
			}
			b.WriteString(a.Type.String())
			b.WriteByte('=')
			v, _ := a.Value.(string)
			for k := 0; k < len(v); k++ {
				c := v[k]
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
					b.WriteByte(c)
				} else {
					fmt.Fprintf(&b, `\%02X`, c)
				}
			}
		}
	}
	return b.String()
}

func equalRDNs(a, b pkix.RDNSequence) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !a[i][j].Type.Equal(b[i][j].Type) || a[i][j].Value != b[i][j].Value {
				return false
			}
		}
	}
	return true
}

// FuzzParseDN checks that parsing a registered subject DN never panics,
// that every error is ErrIdentity, that a parsed DN is well-formed and
// survives a format/parse round trip (through an independent formatter and
// through the one that reports certificate subjects), and that MatchTLSClientAuth accepts
// a certificate whose subject is exactly the parsed DN and refuses one
// with a different subject.
func FuzzParseDN(f *testing.F) {
	for _, s := range []string{
		"CN=client-1,OU=Payments,O=Example Bank,C=GB",
		`CN=alice+UID=42,OU=Ops,O=Acme\, Inc.,C=GB`,
		`CN=\#1 \"q\" a\+b\, c\\d \<e\>\;,L=Z\C3\BCrich`,
		"2.5.4.3=name,0.9.2342.19200300.100.1.25=example",
		" cn = a , o = b + ou = c ",
		"CN=#0c0161",
		"CN=a;O=b",
		`CN=\ff`,
		"CN=",
	} {
		f.Add(s)
	}
	other := &x509.Certificate{RawSubject: mustMarshal(pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "\x00other"}}})}

	f.Fuzz(func(t *testing.T, s string) {
		rdns, err := mtls.ParseDN(s)
		matchErr := mtls.MatchTLSClientAuth(other, mtls.Identity{SubjectDN: s})
		if err != nil {
			if !errors.Is(err, mtls.ErrIdentity) {
				t.Fatalf("ParseDN(%q) error %v does not wrap ErrIdentity", s, err)
			}
			if s != "" && !errors.Is(matchErr, mtls.ErrIdentity) {
				t.Fatalf("MatchTLSClientAuth with invalid DN %q returned %v", s, matchErr)
			}
			return
		}
		if len(rdns) == 0 {
			t.Fatalf("ParseDN(%q) returned no RDNs", s)
		}
		for _, rdn := range rdns {
			if len(rdn) == 0 {
				t.Fatalf("ParseDN(%q) returned an empty RDN", s)
			}
			for _, a := range rdn {
				v, ok := a.Value.(string)
				if !ok || !utf8.ValidString(v) || len(a.Type) < 2 {
					t.Fatalf("ParseDN(%q) returned a malformed attribute %#v", s, a)
				}
			}
		}

		for _, formatted := range []string{formatDN(rdns), mtls.FormatDN(rdns)} {
			if len(formatted) > mtls.MaxDNLength {
				continue
			}
			again, err := mtls.ParseDN(formatted)
			if err != nil || !equalRDNs(rdns, again) {
				t.Fatalf("round trip of %q via %q: %v, %v != %v", s, formatted, err, again, rdns)
			}
		}

		der, err := asn1.Marshal(rdns)
		if err != nil {
			t.Fatalf("cannot encode the parsed DN %q: %v", s, err)
		}
		if err := mtls.MatchTLSClientAuth(&x509.Certificate{RawSubject: der}, mtls.Identity{SubjectDN: s}); err != nil {
			t.Fatalf("DN %q does not match its own encoding: %v", s, err)
		}
		if !errors.Is(matchErr, mtls.ErrMismatch) {
			t.Fatalf("DN %q against a different subject returned %v", s, matchErr)
		}
	})
}

func mustMarshal(v any) []byte {
	der, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return der
}

// FuzzMatchSubjectDN feeds arbitrary subject encodings and DN strings to
// MatchTLSClientAuth: it must never panic, must return exactly one kind of
// error, and a subject it reports in MismatchError.Got must match when
// registered.
func FuzzMatchSubjectDN(f *testing.F) {
	f.Add(mustMarshal(pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "a"}}}), "CN=a")
	f.Add(mustMarshal(pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "GB"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "a"}, {Type: asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}, Value: "1"}},
	}), "UID=1+CN=a,C=gb")
	f.Add(mustMarshal(pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: 7}}}), "CN=7")
	f.Add([]byte{0x30, 0x03, 0x31, 0x01, 0x30}, "CN=")
	f.Add([]byte{}, "CN=a")
	// T61String "\xe9", decoded as Latin-1 "é".
	f.Add([]byte{0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x14, 0x01, 0xe9}, "CN=é")

	f.Fuzz(func(t *testing.T, raw []byte, dn string) {
		cert := &x509.Certificate{RawSubject: raw}
		err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: dn})
		kinds := 0
		for _, sentinel := range []error{mtls.ErrIdentity, mtls.ErrMismatch, mtls.ErrNoCertificate} {
			if errors.Is(err, sentinel) {
				kinds++
			}
		}
		if err != nil && kinds != 1 {
			t.Fatalf("error %v matches %d sentinels", err, kinds)
		}
		if _, perr := mtls.ParseDN(dn); (perr != nil) != errors.Is(err, mtls.ErrIdentity) && dn != "" {
			t.Fatalf("ParseDN(%q) = %v but MatchTLSClientAuth = %v", dn, perr, err)
		}
		var me *mtls.MismatchError
		if !errors.As(err, &me) || len(me.Got) != 1 {
			return
		}
		if len(me.Got[0]) > mtls.MaxDNLength || strings.Contains(me.Got[0], "#") {
			return // too long to register, or holds a non-string value
		}
		again := mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: me.Got[0]})
		if errors.Is(again, mtls.ErrIdentity) {
			var rdns pkix.RDNSequence
			_, _ = asn1.Unmarshal(raw, &rdns)
			// Non-string and non-UTF-8 values cannot be registered.
			if n := countAttributes(rdns); n <= mtls.MaxDNAttributes && n > 0 {
				t.Fatalf("reported subject %q cannot be registered: %v", me.Got[0], again)
			}
			return
		}
		if again != nil {
			t.Fatalf("reported subject %q does not match its certificate: %v", me.Got[0], again)
		}
	})
}

func countAttributes(rdns pkix.RDNSequence) int {
	n := 0
	for _, rdn := range rdns {
		if len(rdn) == 0 {
			return -1 // an empty RDN cannot be written as a string
		}
		for _, a := range rdn {
			if v, ok := a.Value.(string); !ok || !utf8.ValidString(v) {
				return -1
			}
		}
		n += len(rdn)
	}
	return n
}
