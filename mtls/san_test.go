package mtls_test

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/mtls"
)

// uriCert returns a parsed certificate whose subjectAltName extension holds
// exactly the given GeneralNames, byte for byte.
func uriCert(t *testing.T, names ...asn1.RawValue) *x509.Certificate {
	t.Helper()
	return mustCert(t, certOptions{san: sanValue(t, names...)})
}

// TestMatchTLSClientAuthURIExact checks that tls_client_auth_san_uri is
// compared with the raw uniformResourceIdentifier bytes, not with the
// url.URL form crypto/x509 parses them into. The "lossy" cases are those
// where comparing the url.URL String form of the certificate's SAN would
// decide otherwise: it equals the registered value although the SAN does
// not, or differs from a registered value that is exactly the SAN.
func TestMatchTLSClientAuthURIExact(t *testing.T) {
	t.Parallel()
	several := uriCert(t,
		generalName(tagDNS, "a.example"),
		uriName("https://a.example/#"),
		uriName("HTTPS://a.example/"),
		uriName("https://a.example/x"),
		generalName(tagEmail, "a@a.example"),
		uriName("https://a.example/"),
	)

	tests := []struct {
		name  string
		cert  string // the certificate's only URI SAN
		id    string // the registered tls_client_auth_san_uri
		want  outcome
		lossy bool // the String form comparison would decide otherwise
	}{
		{"empty fragment registered as is", "https://a.example/#", "https://a.example/#", match, true},
		{"empty fragment in certificate only", "https://a.example/#", "https://a.example/", mismatch, true},
		{"empty fragment registered only", "https://a.example/", "https://a.example/#", mismatch, false},
		{"no fragment", "https://a.example/", "https://a.example/", match, false},
		{"empty query and fragment", "https://a.example/?#", "https://a.example/?", mismatch, true},

		{"percent-encoded unreserved in certificate", "https://a.example/%41", "https://a.example/A", mismatch, false},
		{"percent-encoded unreserved registered", "https://a.example/A", "https://a.example/%41", mismatch, false},
		{"percent-encoding registered as is", "https://a.example/%41", "https://a.example/%41", match, false},
		{"percent-encoding hex case", "https://a.example/%7e", "https://a.example/%7E", mismatch, false},
		{"space in certificate, escaped registration", "https://a.example/a b", "https://a.example/a%20b", mismatch, true},
		{"space registered as is", "https://a.example/a b", "https://a.example/a b", match, true},
		{"hash in fragment", "https://a.example/#a#b", "https://a.example/#a%23b", mismatch, true},

		{"trailing slash registered", "https://a.example", "https://a.example/", mismatch, false},
		{"trailing slash in certificate", "https://a.example/", "https://a.example", mismatch, false},
		{"trailing slash on a path", "https://a.example/app", "https://a.example/app/", mismatch, false},
		{"default port", "https://a.example:443/", "https://a.example/", mismatch, false},
		{"prefix", "https://a.example/app", "https://a.example/ap", mismatch, false},

		{"upper-case scheme in certificate", "HTTPS://a.example/", "https://a.example/", mismatch, true},
		{"mixed-case scheme in certificate", "HtTpS://a.example/x", "https://a.example/x", mismatch, true},
		{"upper-case scheme registered as is", "HTTPS://a.example/", "HTTPS://a.example/", match, true},
		{"upper-case scheme registered only", "https://a.example/", "HTTPS://a.example/", mismatch, false},
		{"upper-case host in certificate", "https://A.EXAMPLE/", "https://a.example/", mismatch, false},
		{"upper-case host registered only", "https://a.example/", "https://A.example/", mismatch, false},
		{"upper-case host registered as is", "https://A.EXAMPLE/", "https://A.EXAMPLE/", match, false},
		{"path case", "https://a.example/App", "https://a.example/app", mismatch, false},
		{"URN", "urn:example:client:1", "urn:example:client:1", match, false},
		{"URN case", "urn:example:client:1", "URN:example:client:1", mismatch, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert := uriCert(t, uriName(tt.cert))
			require.Len(t, cert.URIs, 1, "crypto/x509 must accept the test certificate")
			assert.Equal(t, tt.lossy, (cert.URIs[0].String() == tt.id) != (tt.want == match), "url.URL form %q", cert.URIs[0].String())
			err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: tt.id})
			checkOutcome(t, tt.want, err)
			if tt.want == mismatch {
				var me *mtls.MismatchError
				require.ErrorAs(t, err, &me)
				assert.Equal(t, []string{tt.cert}, me.Got, "Got holds the raw SAN")
				checkOutcome(t, match, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: me.Got[0]}))
			}

			// The same SAN among others, and the same value in other name types.
			mixed := uriCert(t,
				generalName(tagDNS, tt.id),
				generalName(tagEmail, tt.id),
				uriName("https://other.example/"),
				uriName(tt.cert),
			)
			checkOutcome(t, tt.want, mtls.MatchTLSClientAuth(mixed, mtls.Identity{SANURI: tt.id}))
		})
	}

	t.Run("several URI SANs", func(t *testing.T) {
		t.Parallel()
		for _, id := range []string{"https://a.example/", "https://a.example/#", "HTTPS://a.example/", "https://a.example/x"} {
			checkOutcome(t, match, mtls.MatchTLSClientAuth(several, mtls.Identity{SANURI: id}))
		}
		for _, id := range []string{"https://a.example", "https://a.example/X", "a.example", "a@a.example", "https://A.example/"} {
			checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(several, mtls.Identity{SANURI: id}))
		}
		err := mtls.MatchTLSClientAuth(several, mtls.Identity{SANURI: "https://b.example/"})
		var me *mtls.MismatchError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, "tls_client_auth_san_uri", me.Field)
		assert.Equal(t, "https://b.example/", me.Expected)
		assert.Equal(t, []string{"https://a.example/#", "HTTPS://a.example/", "https://a.example/x", "https://a.example/"}, me.Got)
		assert.Contains(t, err.Error(), `the certificate has "https://a.example/#", "HTTPS://a.example/"`)
	})

	t.Run("same URI twice", func(t *testing.T) {
		t.Parallel()
		cert := uriCert(t, uriName("https://a.example/"), uriName("https://a.example/"))
		checkOutcome(t, match, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://a.example/"}))
	})

	t.Run("only other name types", func(t *testing.T) {
		t.Parallel()
		cert := uriCert(t, generalName(tagDNS, "https://a.example/"), generalName(tagEmail, "https://a.example/"))
		err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: "https://a.example/"})
		checkOutcome(t, mismatch, err)
		assert.Contains(t, err.Error(), "the certificate has none")
	})
}

// tlv encodes one DER element with a short-form length.
func tlv(tag byte, content ...[]byte) []byte {
	c := bytes.Join(content, nil)
	if len(c) > 0x7f {
		panic("tlv: content too long for the short form")
	}
	return append([]byte{tag, byte(len(c))}, c...)
}

// TestMatchTLSClientAuthURIMalformed checks that a subjectAltName extension
// that is not DER-encoded GeneralNames never matches, even when it holds the
// registered URI, and that reading it never panics.
func TestMatchTLSClientAuthURIMalformed(t *testing.T) {
	t.Parallel()
	const want = "https://a.example/"
	uri := tlv(0x86, []byte(want))
	dns := tlv(0x82, []byte("a.example"))

	// Extensions that crypto/x509 accepts, putting want in cert.URIs, but
	// that are not valid GeneralNames.
	t.Run("accepted by crypto/x509", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			name string
			san  []byte
		}{
			{"data after the SEQUENCE", append(tlv(0x30, uri), 0x00, 0x00)},
			{"a second SEQUENCE after it", append(tlv(0x30, uri), tlv(0x30, uri)...)},
			{"universal IA5String element", tlv(0x30, uri, tlv(0x16, []byte(want)))},
			{"context-specific [9] element", tlv(0x30, uri, tlv(0x89, []byte("x")))},
			{"constructed dNSName", tlv(0x30, uri, tlv(0xa2, dns))},
			{"primitive directoryName", tlv(0x30, uri, tlv(0x84, []byte{0x30, 0x00}))},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				cert := mustCert(t, certOptions{san: tt.san})
				require.Len(t, cert.URIs, 1)
				require.Equal(t, want, cert.URIs[0].String())
				err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want})
				checkOutcome(t, mismatch, err)
				assert.Contains(t, err.Error(), "subjectAltName extension cannot be decoded")
				var me *mtls.MismatchError
				require.ErrorAs(t, err, &me)
				assert.Empty(t, me.Got)
			})
		}
	})

	// A constructed [6] is not a DER uniformResourceIdentifier; crypto/x509
	// skips it as an unknown name.
	t.Run("constructed uniformResourceIdentifier", func(t *testing.T) {
		t.Parallel()
		cert := mustCert(t, certOptions{san: tlv(0x30, tlv(0xa6, tlv(0x16, []byte(want))))})
		assert.Empty(t, cert.URIs)
		checkOutcome(t, mismatch, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want}))
	})

	// Extensions that crypto/x509 refuses, so only a hand-built Certificate
	// can carry them.
	hugeLength := []byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xf0}
	for _, tt := range []struct {
		name string
		san  []byte
	}{
		{"empty value", []byte{}},
		{"only a tag", []byte{0x30}},
		{"truncated", tlv(0x30, uri)[:10]},
		{"not a SEQUENCE", tlv(0x31, uri)},
		{"empty SEQUENCE", tlv(0x30)},
		{"indefinite length", append(append([]byte{0x30, 0x80}, uri...), 0x00, 0x00)},
		{"non-minimal long length", append([]byte{0x30, 0x81, byte(len(uri))}, uri...)},
		{"long length with a leading zero", append([]byte{0x30, 0x82, 0x00, 0x80}, make([]byte, 0x80)...)},
		{"length of five octets", append([]byte{0x30, 0x85, 0, 0, 0, 0, byte(len(uri))}, uri...)},
		{"length past the end", append(hugeLength, uri...)},
		{"element length past the end", tlv(0x30, uri, []byte{0x82, 0x05, 'a', 'b'})},
		{"element without a length", tlv(0x30, uri, []byte{0x82})},
		{"high-tag-number form", tlv(0x30, uri, []byte{0x9f, 0x06, 0x01, 'x'})},
		{"high-tag-number SEQUENCE", []byte{0x3f, 0x10, 0x00}},
		{"non-IA5 byte in the URI", tlv(0x30, tlv(0x86, []byte("https://a.example/\xe9")), uri)},
		{"URI with an inner TLV", tlv(0x30, tlv(0xa6, uri))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := mtls.ParseSANURIs(tt.san)
			require.ErrorIs(t, err, mtls.ErrSAN)
			cert := &x509.Certificate{
				Extensions: []pkix.Extension{{Id: oidSubjectAltName, Value: tt.san}},
				URIs:       []*url.URL{{Scheme: "https", Host: "a.example", Path: "/"}},
			}
			err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want})
			checkOutcome(t, mismatch, err)
			assert.Contains(t, err.Error(), "subjectAltName extension cannot be decoded")
		})
	}

	t.Run("two extensions", func(t *testing.T) {
		t.Parallel()
		ext := pkix.Extension{Id: oidSubjectAltName, Value: tlv(0x30, uri)}
		cert := &x509.Certificate{Extensions: []pkix.Extension{ext, ext}}
		err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want})
		checkOutcome(t, mismatch, err)
		assert.Contains(t, err.Error(), "2 subjectAltName extensions")
		cert.Extensions = cert.Extensions[:1]
		checkOutcome(t, match, mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want}))
	})

	t.Run("URIs without an encoded extension", func(t *testing.T) {
		t.Parallel()
		u, err := url.Parse(want)
		require.NoError(t, err)
		cert := &x509.Certificate{
			URIs:       []*url.URL{u},
			Extensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 18}, Value: tlv(0x30, uri)}}, // issuerAltName
		}
		err = mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want})
		checkOutcome(t, mismatch, err)
		assert.Contains(t, err.Error(), "no encoded subjectAltName extension")
	})

	t.Run("name count bound", func(t *testing.T) {
		t.Parallel()
		names := make([]asn1.RawValue, mtls.MaxSANs-1, mtls.MaxSANs+1)
		for i := range names {
			names[i] = generalName(tagDNS, fmt.Sprintf("h%d.example", i))
		}
		names = append(names, uriName(want))
		atBound := uriCert(t, names...)
		checkOutcome(t, match, mtls.MatchTLSClientAuth(atBound, mtls.Identity{SANURI: want}))

		names = append(names, generalName(tagDNS, "last.example"))
		cert := uriCert(t, names...)
		require.Len(t, cert.URIs, 1, "crypto/x509 accepts any number of names")
		err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SANURI: want})
		checkOutcome(t, mismatch, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("more than %d names", mtls.MaxSANs))
	})
}

// TestParseSANURIs checks the reader on well-formed extensions, including
// the long-form lengths and the alternatives that it skips.
func TestParseSANURIs(t *testing.T) {
	t.Parallel()
	long := "https://a.example/" + string(bytes.Repeat([]byte("p"), 300))
	otherName := tlv(0xa0, tlv(0x06, []byte{0x2b, 0x06, 0x01}), tlv(0xa0, tlv(0x0c, []byte("x"))))
	dirName := tlv(0xa4, tlv(0x30))
	ip := tlv(0x87, []byte{192, 0, 2, 1})
	regID := tlv(0x88, []byte{0x2b, 0x06, 0x01})
	tests := []struct {
		name string
		der  []byte
		want []string
	}{
		{"one URI", sanValue(t, uriName("https://a.example/")), []string{"https://a.example/"}},
		{"empty URI", sanValue(t, uriName("")), []string{""}},
		{"control characters kept", sanValue(t, uriName("a\x00\x7f\n")), []string{"a\x00\x7f\n"}},
		{"long form lengths", sanValue(t, generalName(tagDNS, "a.example"), uriName(long)), []string{long}},
		{"no URI", sanValue(t, generalName(tagDNS, "a.example"), generalName(tagEmail, "a@a.example")), nil},
		{"all alternatives", tlv(0x30, otherName, tlv(0x81, []byte("a@b")), tlv(0x82, []byte("b")),
			tlv(0xa3, tlv(0x30)), dirName, tlv(0xa5, tlv(0x30)), tlv(0x86, []byte("u:1")), ip, regID, tlv(0x86, []byte("u:2"))),
			[]string{"u:1", "u:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mtls.ParseSANURIs(tt.der)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
