package mtls_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Attribute type OIDs used to build test subjects.
var (
	oidCN     = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidSerial = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidC      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidL      = asn1.ObjectIdentifier{2, 5, 4, 7}
	oidST     = asn1.ObjectIdentifier{2, 5, 4, 8}
	oidStreet = asn1.ObjectIdentifier{2, 5, 4, 9}
	oidO      = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOU     = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidUID    = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}
	oidDC     = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}
	oidEmail  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
)

// Primitive GeneralName tags (RFC 5280 §4.2.1.6).
const (
	tagEmail = 1 // rfc822Name
	tagDNS   = 2 // dNSName
	tagURI   = 6 // uniformResourceIdentifier
)

// generalName returns a primitive GeneralName: the context-specific tag
// around the raw bytes of s, so that tests can encode values that url.URL
// would rewrite.
func generalName(tag int, s string) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, Bytes: []byte(s)}
}

// uriName returns a uniformResourceIdentifier GeneralName holding s.
func uriName(s string) asn1.RawValue { return generalName(tagURI, s) }

// sanValue DER-encodes GeneralNames as the value of a subjectAltName
// extension.
func sanValue(t testing.TB, names ...asn1.RawValue) []byte {
	t.Helper()
	der, err := asn1.Marshal(names)
	require.NoError(t, err)
	return der
}

// atv returns one attribute of an RDN.
func atv(oid asn1.ObjectIdentifier, value string) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oid, Value: value}
}

// rdn groups attributes into one (possibly multi-valued) RDN.
func rdn(attrs ...pkix.AttributeTypeAndValue) pkix.RelativeDistinguishedNameSET {
	return pkix.RelativeDistinguishedNameSET(attrs)
}

// rawName DER-encodes RDNs given in ASN.1 order (most significant first),
// so that tests control the exact RDN structure of a subject.
func rawName(t testing.TB, rdns ...pkix.RelativeDistinguishedNameSET) []byte {
	t.Helper()
	der, err := asn1.Marshal(pkix.RDNSequence(rdns))
	require.NoError(t, err)
	return der
}

// certOptions describes a test certificate.
type certOptions struct {
	rawSubject []byte // DER subject; a fixed CN when nil
	dns        []string
	uris       []string
	ips        []string
	emails     []string
	// san is the DER value of a subjectAltName extension, added with
	// ExtraExtensions; it replaces the one dns, uris, ips and emails
	// would make, so that tests control its exact bytes.
	san []byte
	key *ecdsa.PrivateKey // generated when nil
}

// newKey generates a P-256 key.
func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return key
}

// newCert creates a self-signed P-256 certificate and parses it back, as a
// TLS stack would present it.
func newCert(t testing.TB, o certOptions) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := o.key
	if key == nil {
		key = newKey(t)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:   serial,
		RawSubject:     o.rawSubject,
		Subject:        pkix.Name{CommonName: "test client"},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(time.Hour),
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		DNSNames:       o.dns,
		EmailAddresses: o.emails,
	}
	for _, s := range o.uris {
		u, err := url.Parse(s)
		require.NoError(t, err)
		tmpl.URIs = append(tmpl.URIs, u)
	}
	for _, s := range o.ips {
		ip := net.ParseIP(s)
		require.NotNil(t, ip, s)
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	if o.san != nil {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oidSubjectAltName, Value: o.san}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

// Short names for pkix types in tables.
type (
	pkixRDN = pkix.RelativeDistinguishedNameSET
	pkixATV = pkix.AttributeTypeAndValue
)

func pkixName(cn string) pkix.Name { return pkix.Name{CommonName: cn} }

func pkixRDNSeq(rdns ...pkix.RelativeDistinguishedNameSET) pkix.RDNSequence {
	return pkix.RDNSequence(rdns)
}
