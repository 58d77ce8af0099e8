package mtls_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/jwks"
	"github.com/fapicheck/fapicheck/mtls"
)

// exampleCertPEM is a self-signed P-256 client certificate with subject
// "CN=client-1,OU=Payments,O=Example Bank,C=GB" and dNSName
// client-1.example.com.
const exampleCertPEM = `-----BEGIN CERTIFICATE-----
MIIBzDCCAXKgAwIBAgICIgEwCgYIKoZIzj0EAwIwSjELMAkGA1UEBhMCR0IxFTAT
BgNVBAoTDEV4YW1wbGUgQmFuazERMA8GA1UECxMIUGF5bWVudHMxETAPBgNVBAMT
CGNsaWVudC0xMB4XDTI1MDEwMTAwMDAwMFoXDTM1MDEwMTAwMDAwMFowSjELMAkG
A1UEBhMCR0IxFTATBgNVBAoTDEV4YW1wbGUgQmFuazERMA8GA1UECxMIUGF5bWVu
dHMxETAPBgNVBAMTCGNsaWVudC0xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
GjzstRbFMDIh5+efLCdzYXIFIVLC0ayeXMVbZMP/NPvaGcDtXtcyzSh0KrAfm0mV
FYfn6/vncdnBblh/NFq1MaNIMEYwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoG
CCsGAQUFBwMCMB8GA1UdEQQYMBaCFGNsaWVudC0xLmV4YW1wbGUuY29tMAoGCCqG
SM49BAMCA0gAMEUCIBcVLCqrly9QvY3m6vSfUjpF8jkrygIlqI+unuZY2gOoAiEA
765j4Lg5LgOvmfQC62sZJm6WdZWAdUWAskCY1kcxyk4=
-----END CERTIFICATE-----
`

// exampleCert parses exampleCertPEM. A server takes the certificate from
// tls.ConnectionState.PeerCertificates[0] instead.
func exampleCert() *x509.Certificate {
	block, _ := pem.Decode([]byte(exampleCertPEM))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic(err)
	}
	return cert
}

func ExampleThumbprint() {
	cert := exampleCert()

	// The authorization server puts this value in the access token as
	// "cnf": {"x5t#S256": ...}; the resource server recomputes it from the
	// certificate of the TLS connection and compares.
	fmt.Println(mtls.Thumbprint(cert))
	// Output:
	// 3A9ZyNxHbP1LteSxgXM6wWbofUT4U2ZFLV4t_j6Bz94
}

func ExampleMatchTLSClientAuth() {
	cert := exampleCert()

	// The registered DN matches regardless of case and of spaces around
	// the separators.
	err := mtls.MatchTLSClientAuth(cert, mtls.Identity{
		SubjectDN: "cn=client-1, ou=Payments, o=Example Bank, c=GB",
	})
	fmt.Println(err)

	// RDN order matters: this is the certificate's subject written in
	// ASN.1 order rather than RFC 4514 order.
	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{
		SubjectDN: "C=GB,O=Example Bank,OU=Payments,CN=client-1",
	})
	var mismatch *mtls.MismatchError
	if errors.As(err, &mismatch) {
		fmt.Println(mismatch.Field, mismatch.Got)
	}

	fmt.Println(mtls.MatchTLSClientAuth(cert, mtls.Identity{SANDNS: "client-1.example.com"}))
	fmt.Println(mtls.MatchTLSClientAuth(cert, mtls.Identity{SANDNS: "client-2.example.com"}))

	// A registration must name exactly one subject.
	err = mtls.MatchTLSClientAuth(cert, mtls.Identity{})
	fmt.Println(errors.Is(err, mtls.ErrIdentity))
	// Output:
	// <nil>
	// tls_client_auth_subject_dn [CN=client-1,OU=Payments,O=Example Bank,C=GB]
	// <nil>
	// mtls: certificate does not match the registered tls_client_auth_san_dns "client-2.example.com"; the certificate has "client-1.example.com"
	// true
}

func ExampleMatchSelfSigned() {
	cert := exampleCert()

	// The client's registered key set; here built from the certificate's
	// public key, usually parsed from its "jwks" with jwks.Parse.
	keys, err := jwks.FromPublicKeys(cert.PublicKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(mtls.MatchSelfSigned(cert, keys))
	fmt.Println(mtls.MatchSelfSigned(cert, nil))
	// Output:
	// <nil>
	// mtls: no keys are registered for self_signed_tls_client_auth (certificate x5t#S256 "3A9ZyNxHbP1LteSxgXM6wWbofUT4U2ZFLV4t_j6Bz94")
}
