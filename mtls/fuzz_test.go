package mtls_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
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

// FuzzParseSANURIs feeds arbitrary subjectAltName extension values to the
// reader of uniformResourceIdentifier SANs and to MatchTLSClientAuth. The
// reader must never panic, every error must wrap ErrSAN, and an extension
// it refuses must match no registration. An extension it accepts must also
// be accepted by encoding/asn1 as a SEQUENCE OF context-specific [0] to [8]
// elements, with the same primitive [6] contents in the same order; each
// URI it returns must match when registered, and near variants of it (with
// "#" or "/" appended, or its last byte changed) only when the extension
// holds them too. When crypto/x509 accepts a
// certificate carrying the extension, its cert.URIs must be the same
// names, in the same order.
func FuzzParseSANURIs(f *testing.F) {
	uri := func(s string) asn1.RawValue {
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(s)}
	}
	f.Add(mustMarshal([]asn1.RawValue{uri("https://a.example/")}))
	f.Add(mustMarshal([]asn1.RawValue{uri("https://a.example/#"), uri("HTTPS://a.example/"), uri("https://a.example/%41")}))
	f.Add(mustMarshal([]asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte("a.example")}, uri("spiffe://a.example/x")}))
	f.Add(append(mustMarshal([]asn1.RawValue{uri("https://a.example/")}), 0x00, 0x00))
	f.Add([]byte{0x30, 0x05, 0xa6, 0x03, 0x16, 0x01, 'a'})
	f.Add([]byte{0x30, 0x81, 0x03, 0x86, 0x01, 'a'})
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte{})

	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(1<<31, 0),
	}

	f.Fuzz(func(t *testing.T, der []byte) {
		uris, err := mtls.ParseSANURIs(der)
		hand := &x509.Certificate{Extensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: der}}}
		if err != nil {
			if !errors.Is(err, mtls.ErrSAN) {
				t.Fatalf("ParseSANURIs(%x) error %v does not wrap ErrSAN", der, err)
			}
			// What encoding/asn1 reads as [6] contents must not match.
			var rvs []asn1.RawValue
			_, _ = asn1.Unmarshal(der, &rvs)
			for _, rv := range rvs {
				if len(rv.Bytes) > 0 {
					if merr := mtls.MatchTLSClientAuth(hand, mtls.Identity{SANURI: string(rv.Bytes)}); !errors.Is(merr, mtls.ErrMismatch) {
						t.Fatalf("refused extension %x matched %q: %v", der, rv.Bytes, merr)
					}
				}
			}
			return
		}
		if len(uris) > mtls.MaxSANs {
			t.Fatalf("ParseSANURIs(%x) returned %d URIs", der, len(uris))
		}

		var rvs []asn1.RawValue
		rest, aerr := asn1.Unmarshal(der, &rvs)
		if aerr != nil || len(rest) > 0 || len(rvs) == 0 || len(rvs) > mtls.MaxSANs {
			t.Fatalf("ParseSANURIs accepted %x, encoding/asn1: %d names, %v, %d bytes left", der, len(rvs), aerr, len(rest))
		}
		var want []string
		for _, rv := range rvs {
			if rv.Class != asn1.ClassContextSpecific || rv.Tag > 8 {
				t.Fatalf("ParseSANURIs accepted %x with element class %d tag %d", der, rv.Class, rv.Tag)
			}
			if rv.Tag == 6 {
				if rv.IsCompound {
					t.Fatalf("ParseSANURIs accepted %x with a constructed [6]", der)
				}
				want = append(want, string(rv.Bytes))
			}
		}
		if !slices.Equal(uris, want) {
			t.Fatalf("ParseSANURIs(%x) = %q, encoding/asn1 reads %q", der, uris, want)
		}

		for _, u := range uris {
			if strings.IndexFunc(u, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
				t.Fatalf("ParseSANURIs(%x) returned %q, not IA5", der, u)
			}
			if u == "" {
				continue // an empty registration is an ErrIdentity
			}
			if merr := mtls.MatchTLSClientAuth(hand, mtls.Identity{SANURI: u}); merr != nil {
				t.Fatalf("URI %q of %x does not match: %v", u, der, merr)
			}
			for _, other := range []string{u + "#", u + "/", u[:len(u)-1] + "x"} {
				merr := mtls.MatchTLSClientAuth(hand, mtls.Identity{SANURI: other})
				if slices.Contains(uris, other) != (merr == nil) {
					t.Fatalf("%q against %q (extension %x): %v", other, uris, der, merr)
				}
			}
		}

		withSAN := *tmpl
		withSAN.ExtraExtensions = hand.Extensions
		certDER, err := x509.CreateCertificate(rand.Reader, &withSAN, &withSAN, key.Public(), key)
		if err != nil {
			return
		}
		cert, err := x509.ParseCertificate(certDER)
		if err != nil {
			return // crypto/x509 checks URI syntax and hosts; this reader does not
		}
		if len(cert.URIs) != len(uris) {
			t.Fatalf("extension %x: crypto/x509 reads %d URIs, ParseSANURIs %q", der, len(cert.URIs), uris)
		}
		for i, u := range uris {
			parsed, err := url.Parse(u)
			if err != nil || parsed.String() != cert.URIs[i].String() {
				t.Fatalf("extension %x: URI %d is %q to crypto/x509 and %q here (%v)", der, i, cert.URIs[i], u, err)
			}
			if u != "" {
				if merr := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: u}); merr != nil {
					t.Fatalf("URI %q does not match the parsed certificate: %v", u, merr)
				}
			}
		}
		if !slices.ContainsFunc(cert.Extensions, func(e pkix.Extension) bool { return bytes.Equal(e.Value, der) }) {
			t.Fatalf("the parsed certificate lost the extension %x", der)
		}
	})
}
