package mtls_test

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/mtls"
)

// Expected outcomes of a match.
type outcome int

const (
	match outcome = iota
	mismatch
	badIdentity
	noCert
)

// checkOutcome asserts that err is the outcome want, and that the error
// kinds never overlap.
func checkOutcome(t *testing.T, want outcome, err error) {
	t.Helper()
	switch want {
	case match:
		assert.NoError(t, err)
		return
	case mismatch:
		require.Error(t, err)
		assert.ErrorIs(t, err, mtls.ErrMismatch)
		var me *mtls.MismatchError
		assert.ErrorAs(t, err, &me)
		assert.NotErrorIs(t, err, mtls.ErrIdentity)
		assert.NotErrorIs(t, err, mtls.ErrNoCertificate)
	case badIdentity:
		require.Error(t, err)
		assert.ErrorIs(t, err, mtls.ErrIdentity)
		assert.NotErrorIs(t, err, mtls.ErrMismatch)
		assert.NotErrorIs(t, err, mtls.ErrNoCertificate)
	case noCert:
		require.Error(t, err)
		assert.ErrorIs(t, err, mtls.ErrNoCertificate)
		assert.NotErrorIs(t, err, mtls.ErrMismatch)
		assert.NotErrorIs(t, err, mtls.ErrIdentity)
	}
	assert.True(t, strings.HasPrefix(err.Error(), "mtls: "), err.Error())
}

// Test subjects, in ASN.1 order.
func subjectCerts(t *testing.T) map[string]*x509.Certificate {
	t.Helper()
	certs := map[string]*x509.Certificate{}
	add := func(name string, rdns ...pkixRDN) {
		c, _ := newCert(t, certOptions{rawSubject: rawName(t, rdns...)})
		certs[name] = c
	}
	// CN=client-1,OU=Payments,O=Example Bank,C=GB
	add("basic",
		rdn(atv(oidC, "GB")),
		rdn(atv(oidO, "Example Bank")),
		rdn(atv(oidOU, "Payments")),
		rdn(atv(oidCN, "client-1")))
	// CN=alice+UID=42,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB
	add("multi",
		rdn(atv(oidC, "GB")),
		rdn(atv(oidO, "Acme, Inc.")),
		rdn(atv(oidOU, "Ops")),
		rdn(atv(oidOU, "Payments")),
		rdn(atv(oidCN, "alice"), atv(oidUID, "42")))
	// OU=a+OU=b,O=Dup
	add("multiOU",
		rdn(atv(oidO, "Dup")),
		rdn(atv(oidOU, "a"), atv(oidOU, "b")))
	// Every character RFC 4514 requires escaping, plus non-ASCII.
	add("escaped",
		rdn(atv(oidL, "Zürich")),
		rdn(atv(oidCN, `#1 "q" a+b, c\d <e>;=`)))
	add("dc",
		rdn(atv(oidDC, "com")),
		rdn(atv(oidDC, "example")),
		rdn(atv(oidCN, "svc")))
	add("names",
		rdn(atv(oidC, "DE")),
		rdn(atv(oidST, "Bayern")),
		rdn(atv(oidL, "München")),
		rdn(atv(oidStreet, "Hauptstr. 1")),
		rdn(atv(oidO, "Beispiel AG")),
		rdn(atv(oidSerial, "HRB 12345")),
		rdn(atv(oidEmail, "ops@example.de")),
		rdn(atv(oidCN, "svc-2")))
	add("spaces",
		rdn(atv(oidO, "Example   Bank ")),
		rdn(atv(oidCN, " client-1")))
	return certs
}

func TestMatchTLSClientAuthSubjectDN(t *testing.T) {
	t.Parallel()
	certs := subjectCerts(t)

	tests := []struct {
		name string
		cert string
		dn   string
		want outcome
	}{
		// Exact and equivalent forms.
		{"exact", "basic", "CN=client-1,OU=Payments,O=Example Bank,C=GB", match},
		{"lower-case types and values", "basic", "cn=CLIENT-1,ou=payments,o=example bank,c=gb", match},
		{"country case-insensitive", "basic", "CN=client-1,OU=Payments,O=Example Bank,C=gb", match},
		{"spaces around separators", "basic", " CN = client-1 , OU=Payments ,O = Example Bank,  C=GB ", match},
		{"inner spaces collapse", "basic", "CN=client-1,OU=Payments,O=Example    Bank,C=GB", match},
		{"escaped trailing space is insignificant", "basic", `CN=client-1\ ,OU=Payments,O=Example Bank,C=GB`, match},
		{"OID form", "basic", "2.5.4.3=client-1,2.5.4.11=Payments,2.5.4.10=Example Bank,2.5.4.6=GB", match},
		{"mixed OID and names", "basic", "2.5.4.3=client-1,OU=Payments,O=Example Bank,2.5.4.6=GB", match},
		{"hex-escaped characters", "basic", `CN=client\2d1,OU=Payments,O=Example\20Bank,C=GB`, match},
		{"certificate spaces normalized", "spaces", "CN=client-1,O=Example Bank", match},

		// Structure must be identical.
		{"reversed order (ASN.1 order as a string)", "basic", "C=GB,O=Example Bank,OU=Payments,CN=client-1", mismatch},
		{"two RDNs swapped", "basic", "CN=client-1,O=Example Bank,OU=Payments,C=GB", mismatch},
		{"missing attribute", "basic", "CN=client-1,O=Example Bank,C=GB", mismatch},
		{"suffix only", "basic", "O=Example Bank,C=GB", mismatch},
		{"prefix only", "basic", "CN=client-1,OU=Payments", mismatch},
		{"extra RDN", "basic", "CN=client-1,OU=Payments,O=Example Bank,L=London,C=GB", mismatch},
		{"extra attribute in an RDN", "basic", "CN=client-1+UID=1,OU=Payments,O=Example Bank,C=GB", mismatch},
		{"different value", "basic", "CN=client-2,OU=Payments,O=Example Bank,C=GB", mismatch},
		{"different type, same value", "basic", "CN=client-1,O=Payments,O=Example Bank,C=GB", mismatch},
		{"value with a space inside a word", "basic", "CN=client-1,OU=Pay ments,O=Example Bank,C=GB", mismatch},
		{"value without the space", "basic", "CN=client-1,OU=Payments,O=ExampleBank,C=GB", mismatch},
		{"prefix of a value", "basic", "CN=client,OU=Payments,O=Example Bank,C=GB", mismatch},
		{"different OID", "basic", "2.5.4.4=client-1,OU=Payments,O=Example Bank,C=GB", mismatch},
		{"single CN against a full subject", "basic", "CN=client-1", mismatch},

		// Multi-valued RDNs, repeated OU, escaped comma.
		{"multi-valued exact", "multi", `CN=alice+UID=42,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`, match},
		{"multi-valued reordered within the RDN", "multi", `UID=42+CN=alice,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`, match},
		{"multi-valued with spaces around +", "multi", `CN=alice + UID=42,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`, match},
		{"hex-escaped comma", "multi", `CN=alice+UID=42,OU=Payments,OU=Ops,O=Acme\2C Inc.,C=GB`, match},
		{"multi-valued split into two RDNs", "multi", `CN=alice,UID=42,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`, mismatch},
		{"multi-valued partial", "multi", `CN=alice,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`, mismatch},
		{"repeated OU swapped", "multi", `CN=alice+UID=42,OU=Ops,OU=Payments,O=Acme\, Inc.,C=GB`, mismatch},
		{"repeated OU merged into one RDN", "multi", `CN=alice+UID=42,OU=Payments+OU=Ops,O=Acme\, Inc.,C=GB`, mismatch},
		{"repeated OU given once", "multi", `CN=alice+UID=42,OU=Payments,O=Acme\, Inc.,C=GB`, mismatch},
		{"comma without escape", "multi", `CN=alice+UID=42,OU=Payments,OU=Ops,O=Acme, Inc.,C=GB`, badIdentity},
		{"multi-valued OU set", "multiOU", "OU=b+OU=a,O=Dup", match},
		{"multi-valued OU duplicate", "multiOU", "OU=a+OU=a,O=Dup", mismatch},
		{"multi-valued OU missing one", "multiOU", "OU=a,O=Dup", mismatch},
		{"multi-valued OU extra one", "multiOU", "OU=a+OU=b+OU=c,O=Dup", mismatch},

		// Escapes.
		{"escaped specials", "escaped", `CN=\#1 \"q\" a\+b\, c\\d \<e\>\;\=,L=Zürich`, match},
		{"hex-escaped specials and UTF-8", "escaped", `CN=\231 \22q\22 a\2bb\2c c\5cd \3ce\3e\3b=,L=Z\c3\bcrich`, match},
		{"Unicode case folding", "escaped", `CN=\#1 \"Q\" A\+B\, C\\D \<E\>\;\=,L=ZÜRICH`, match},
		{"escape dropped", "escaped", `CN=\#1 \"q\" a\+b\, c\d \<e\>\;\=,L=Zürich`, badIdentity},
		{"different accent", "escaped", `CN=\#1 \"q\" a\+b\, c\\d \<e\>\;\=,L=Zurich`, mismatch},

		// Other short names.
		{"DC", "dc", "CN=svc,DC=example,DC=com", match},
		{"DC case", "dc", "CN=svc,DC=Example,DC=COM", match},
		{"DC order", "dc", "CN=svc,DC=com,DC=example", mismatch},
		{"ST L STREET SERIALNUMBER and an OID", "names",
			"CN=svc-2,1.2.840.113549.1.9.1=ops@example.de,SERIALNUMBER=HRB 12345,O=Beispiel AG,STREET=Hauptstr. 1,L=München,ST=Bayern,C=DE", match},
		{"lower-case long names", "names",
			"cn=svc-2,1.2.840.113549.1.9.1=OPS@example.de,serialNumber=hrb 12345,o=beispiel ag,street=hauptstr. 1,l=münchen,st=bayern,c=de", match},
		{"unsupported short name E", "names",
			"CN=svc-2,E=ops@example.de,SERIALNUMBER=HRB 12345,O=Beispiel AG,STREET=Hauptstr. 1,L=München,ST=Bayern,C=DE", badIdentity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert := certs[tt.cert]
			require.NotNil(t, cert)
			err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: tt.dn})
			checkOutcome(t, tt.want, err)
			if tt.want == mismatch {
				var me *mtls.MismatchError
				require.ErrorAs(t, err, &me)
				assert.Equal(t, "tls_client_auth_subject_dn", me.Field)
				assert.Equal(t, tt.dn, me.Expected)
				require.Len(t, me.Got, 1)
			}
		})
	}
}

func TestMatchTLSClientAuthInvalidDN(t *testing.T) {
	t.Parallel()
	cert, _ := newCert(t, certOptions{rawSubject: rawName(t, rdn(atv(oidCN, "a")))})
	// Sanity check: the certificate does match a well-formed DN.
	require.NoError(t, mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: "CN=a"}))

	tests := []struct{ name, dn string }{
		{"spaces only", "   "},
		{"no equals", "CN"},
		{"no type", "=a"},
		{"trailing comma", "CN=a,"},
		{"leading comma", ",CN=a"},
		{"empty RDN", "CN=a,,O=b"},
		{"trailing plus", "CN=a+"},
		{"empty attribute in RDN", "CN=a++O=b"},
		{"semicolon separator", "CN=a;O=b"},
		{"semicolon in value", "CN=a;b"},
		{"hex BER value", "CN=#0c0161"},
		{"hex BER value after spaces", "CN = #0c0161"},
		{"unknown short name", "XX=a"},
		{"OID. prefix", "OID.2.5.4.3=a"},
		{"type with space", "C N=a"},
		{"type starting with hyphen", "-CN=a"},
		{"one-arc OID", "2=a"},
		{"first arc too large", "3.1=a"},
		{"second arc too large", "1.40=a"},
		{"OID leading zero", "2.05.4.3=a"},
		{"OID empty arc", "2..5=a"},
		{"OID trailing dot", "2.5.4.3.=a"},
		{"OID arc overflow", "2.5.4.99999999999999999999=a"},
		{"OID arc just over 2^31-1", "2.5.4.2147483648=a"},
		{"dangling backslash", `CN=a\`},
		{"invalid escape", `CN=a\x`},
		{"one hex digit", `CN=a\4`},
		{"one hex digit then end", `CN=\4`},
		{"escaped invalid UTF-8", `CN=\ff`},
		{"escaped truncated UTF-8", `CN=\c3`},
		{"raw invalid UTF-8", "CN=\xff"},
		{"unescaped quote", `CN=a"b`},
		{"unescaped less-than", "CN=a<b"},
		{"unescaped greater-than", "CN=a>b"},
		{"NUL", "CN=a\x00b"},
		{"too long", "CN=" + strings.Repeat("a", mtls.MaxDNLength)},
		{"too many RDNs", strings.Repeat("CN=a,", mtls.MaxDNAttributes) + "CN=a"},
		{"too many attributes in one RDN", strings.Repeat("CN=a+", mtls.MaxDNAttributes) + "CN=a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: tt.dn})
			checkOutcome(t, badIdentity, err)
			_, perr := mtls.ParseDN(tt.dn)
			assert.ErrorIs(t, perr, mtls.ErrIdentity)
		})
	}
}

func TestParseDN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dn   string
		want []pkixRDN // ASN.1 order
	}{
		{"reversed into ASN.1 order", "CN=a,O=b,C=GB",
			[]pkixRDN{rdn(atv(oidC, "GB")), rdn(atv(oidO, "b")), rdn(atv(oidCN, "a"))}},
		{"multi-valued", "CN=a+UID=1,O=b",
			[]pkixRDN{rdn(atv(oidO, "b")), rdn(atv(oidCN, "a"), atv(oidUID, "1"))}},
		{"empty value", "CN=", []pkixRDN{rdn(atv(oidCN, ""))}},
		{"empty value before comma", "CN=,O=b", []pkixRDN{rdn(atv(oidO, "b")), rdn(atv(oidCN, ""))}},
		{"unescaped equals in value", "CN=a=b", []pkixRDN{rdn(atv(oidCN, "a=b"))}},
		{"spaces trimmed, escaped space kept", `CN =  a b \  , O= c`,
			[]pkixRDN{rdn(atv(oidO, "c")), rdn(atv(oidCN, "a b  "))}},
		{"escaped leading space and sharp", `CN=\ \#a`, []pkixRDN{rdn(atv(oidCN, " #a"))}},
		{"sharp inside value", "CN=a#b", []pkixRDN{rdn(atv(oidCN, "a#b"))}},
		{"hex escapes", `CN=\E2\82\AC\41`, []pkixRDN{rdn(atv(oidCN, "€A"))}},
		{"escaped NUL", `CN=a\00b`, []pkixRDN{rdn(atv(oidCN, "a\x00b"))}},
		{"numeric OID", "0.9.2342.19200300.100.1.25=com", []pkixRDN{rdn(atv(oidDC, "com"))}},
		{"largest second arc under 2", "1.39=x", []pkixRDN{rdn(atv([]int{1, 39}, "x"))}},
		{"large arc", "2.5.2147483647=x", []pkixRDN{rdn(atv([]int{2, 5, 2147483647}, "x"))}},
		{"descr case-insensitive", "sErIaLnUmBeR=1", []pkixRDN{rdn(atv(oidSerial, "1"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mtls.ParseDN(tt.dn)
			require.NoError(t, err)
			require.Len(t, got, len(tt.want))
			for i := range tt.want {
				assert.Equal(t, []pkixATV(tt.want[i]), []pkixATV(got[i]), "RDN %d", i)
			}
		})
	}
}

// TestSubjectDNMalformedCertificate covers certificates that were not
// produced by x509.ParseCertificate: they must never match, nor panic.
func TestSubjectDNMalformedCertificate(t *testing.T) {
	t.Parallel()
	intSubject := rawName(t, rdn(pkixATV{Type: oidCN, Value: 5}))
	tests := []struct {
		name string
		cert *x509.Certificate
		dn   string
	}{
		{"no raw subject", &x509.Certificate{}, "CN=a"},
		{"parsed fields but no raw subject", &x509.Certificate{Subject: pkixName("a")}, "CN=a"},
		{"garbage raw subject", &x509.Certificate{RawSubject: []byte{0x30, 0x03, 0x31}}, "CN=a"},
		{"trailing data", &x509.Certificate{RawSubject: append(rawName(t, rdn(atv(oidCN, "a"))), 0)}, "CN=a"},
		{"non-string value", &x509.Certificate{RawSubject: intSubject}, "CN=5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := mtls.MatchTLSClientAuth(tt.cert, mtls.Identity{SubjectDN: tt.dn})
			checkOutcome(t, mismatch, err)
		})
	}
}

func TestMismatchErrorDN(t *testing.T) {
	t.Parallel()
	certs := subjectCerts(t)
	err := mtls.MatchTLSClientAuth(certs["basic"], mtls.Identity{SubjectDN: "CN=other"})
	var me *mtls.MismatchError
	require.True(t, errors.As(err, &me))
	assert.Equal(t, "tls_client_auth_subject_dn", me.Field)
	assert.Equal(t, "CN=other", me.Expected)
	assert.Equal(t, []string{"CN=client-1,OU=Payments,O=Example Bank,C=GB"}, me.Got)
	assert.Equal(t,
		`mtls: certificate does not match the registered tls_client_auth_subject_dn "CN=other"; the certificate has "CN=client-1,OU=Payments,O=Example Bank,C=GB"`,
		err.Error())
}

// TestMismatchGotRoundTrip checks that the subject reported in
// MismatchError.Got, registered as is, matches the certificate.
func TestMismatchGotRoundTrip(t *testing.T) {
	t.Parallel()
	certs := subjectCerts(t)
	certs["controls"] = mustCert(t, certOptions{rawSubject: rawName(t,
		rdn(atv(oidO, "# lead")),
		rdn(atv(oidCN, "tab\there\x00nul\x7f del "), atv(oidUID, "trail ")))})
	want := map[string]string{
		"basic":    "CN=client-1,OU=Payments,O=Example Bank,C=GB",
		"multi":    `CN=alice+UID=42,OU=Payments,OU=Ops,O=Acme\, Inc.,C=GB`,
		"multiOU":  "OU=a+OU=b,O=Dup",
		"escaped":  `CN=\#1 \"q\" a\+b\, c\\d \<e\>\;=,L=Zürich`,
		"dc":       "CN=svc,DC=example,DC=com",
		"names":    "CN=svc-2,1.2.840.113549.1.9.1=ops@example.de,SERIALNUMBER=HRB 12345,O=Beispiel AG,STREET=Hauptstr. 1,L=München,ST=Bayern,C=DE",
		"spaces":   `CN=\ client-1,O=Example   Bank\ `,
		"controls": `CN=tab\09here\00nul\7F del\ +UID=trail\ ,O=\# lead`,
	}
	for name, cert := range certs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: "CN=nobody"})
			var me *mtls.MismatchError
			require.ErrorAs(t, err, &me)
			require.Len(t, me.Got, 1)
			if w, ok := want[name]; ok {
				// SET OF is sorted in DER, so multi-valued RDNs may come out
				// in another order; compare those by matching instead.
				if !strings.Contains(w, "+") {
					assert.Equal(t, w, me.Got[0])
				}
				assert.NoError(t, mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: w}))
			}
			assert.NoError(t, mtls.MatchTLSClientAuth(cert, mtls.Identity{SubjectDN: me.Got[0]}), me.Got[0])
		})
	}
}

func TestFormatDNNonString(t *testing.T) {
	t.Parallel()
	got := mtls.FormatDN(pkixRDNSeq(rdn(pkixATV{Type: oidCN, Value: int64(5)}), rdn(atv(oidO, "x"))))
	assert.Equal(t, "O=x,CN=#020105", got)
	got = mtls.FormatDN(pkixRDNSeq(rdn(pkixATV{Type: oidCN, Value: struct{ C chan int }{}})))
	assert.Equal(t, "CN=#", got)
	got = mtls.FormatDN(pkixRDNSeq(rdn(atv(oidCN, "a\xffb"))))
	assert.Equal(t, `CN=a\FFb`, got)
	assert.Equal(t, "", mtls.FormatDN(nil))
}
