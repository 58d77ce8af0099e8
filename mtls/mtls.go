package mtls

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/fapicheck/fapicheck/jwks"
)

// Registration metadata names of the tls_client_auth subject (RFC 8705
// §2.1.2), used as MismatchError.Field.
const (
	fieldSubjectDN = "tls_client_auth_subject_dn"
	fieldSANDNS    = "tls_client_auth_san_dns"
	fieldSANURI    = "tls_client_auth_san_uri"
	fieldSANIP     = "tls_client_auth_san_ip"
	fieldSANEmail  = "tls_client_auth_san_email"
	fieldJWKS      = "jwks"
)

// maxGotInMessage bounds how many certificate values MismatchError.Error
// lists, so that a certificate with many names cannot flood logs.
const maxGotInMessage = 8

// ErrNoCertificate means no client certificate was presented (a nil
// certificate, or for MatchSelfSigned one without its DER encoding).
var ErrNoCertificate = errors.New("mtls: no client certificate")

// ErrIdentity means the client's tls_client_auth registration is unusable:
// it sets none or several of the subject fields of RFC 8705 §2.1.2, or its
// value cannot be parsed (a malformed subject DN, IP address or e-mail
// address). It is a configuration error and never a match.
var ErrIdentity = errors.New("mtls: invalid tls_client_auth identity")

// ErrMismatch means the certificate does not belong to the client. Errors
// that match it are *MismatchError values.
var ErrMismatch = errors.New("mtls: certificate does not match the client registration")

// MismatchError reports a certificate that does not match the client's
// registration. errors.Is(err, ErrMismatch) holds for it.
type MismatchError struct {
	// Field is the registration metadata that was compared, for example
	// "tls_client_auth_subject_dn", or "jwks" for
	// self_signed_tls_client_auth.
	Field string
	// Expected is the registered value. It is empty for "jwks".
	Expected string
	// Got lists what the certificate held for Field: its subject DN in
	// RFC 4514 form, its subject alternative names of the compared type,
	// or, for "jwks", the certificate's x5t#S256 thumbprint. It is empty
	// when the certificate held nothing of that kind. The values come from
	// the certificate and are attacker-controlled.
	Got []string

	reason string
}

// Error describes the mismatch. Certificate values are quoted and at most
// a few are listed.
func (e *MismatchError) Error() string {
	if e == nil {
		return ErrMismatch.Error()
	}
	var b strings.Builder
	b.WriteString("mtls: ")
	if e.reason != "" {
		b.WriteString(e.reason)
	} else {
		fmt.Fprintf(&b, "certificate does not match the registered %s %q", e.Field, e.Expected)
	}
	switch {
	case e.Field == fieldJWKS && len(e.Got) == 1:
		fmt.Fprintf(&b, " (certificate x5t#S256 %q)", e.Got[0])
	case len(e.Got) == 0:
		if e.reason == "" {
			b.WriteString("; the certificate has none")
		}
	default:
		shown := e.Got
		if len(shown) > maxGotInMessage {
			shown = shown[:maxGotInMessage]
		}
		b.WriteString("; the certificate has ")
		for i, g := range shown {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", g)
		}
		if n := len(e.Got) - len(shown); n > 0 {
			fmt.Fprintf(&b, " and %d more", n)
		}
	}
	return b.String()
}

// Is reports whether target is ErrMismatch.
func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// Thumbprint returns the x5t#S256 confirmation value of cert: the
// base64url encoding, without padding, of the SHA-256 hash of the DER
// certificate (RFC 8705 §3.1). It returns "" for a nil certificate or one
// without its DER encoding (cert.Raw), which must never be taken as a
// binding.
func Thumbprint(cert *x509.Certificate) string {
	if cert == nil || len(cert.Raw) == 0 {
		return ""
	}
	sum := sha256.Sum256(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Identity is the registered subject of a tls_client_auth client
// (RFC 8705 §2.1.2). Exactly one field must be non-empty.
type Identity struct {
	// SubjectDN is tls_client_auth_subject_dn: the expected subject
	// distinguished name in RFC 4514 string form, for example
	// "CN=client-1,O=Example Bank,C=GB".
	SubjectDN string
	// SANDNS is tls_client_auth_san_dns: an expected dNSName SAN.
	SANDNS string
	// SANURI is tls_client_auth_san_uri: an expected uniformResourceIdentifier SAN.
	SANURI string
	// SANIP is tls_client_auth_san_ip: an expected iPAddress SAN, in IPv4
	// dotted-decimal or IPv6 text form.
	SANIP string
	// SANEmail is tls_client_auth_san_email: an expected rfc822Name SAN.
	SANEmail string
}

// MatchTLSClientAuth reports whether cert matches the single subject the
// tls_client_auth client registered (RFC 8705 §2.1.2). It returns nil on a
// match, ErrNoCertificate for a nil cert, an error wrapping ErrIdentity for
// an unusable registration, and a *MismatchError otherwise.
//
// The comparison depends on the registered field:
//
//   - SubjectDN is parsed as an RFC 4514 string and compared with the
//     certificate's subject RDN by RDN, in order (the string lists RDNs in
//     the reverse of the certificate's ASN.1 order). Both must have the same
//     number of RDNs; a multi-valued RDN ("+") matches the same set of
//     attributes in any order. Attribute types are compared by OID, and
//     string values after trimming leading and trailing spaces and
//     collapsing inner runs of spaces, ignoring case by Unicode case
//     folding (strings.EqualFold): a simplified RFC 4518 caseIgnoreMatch,
//     applied to every attribute, without Unicode normalization, so that
//     differently normalized forms do not match. Attribute types may be
//     written as CN, C, L, ST, O, OU, STREET, POSTALCODE, DC, UID,
//     SERIALNUMBER (case-insensitively) or as a dotted OID; escapes ("\,",
//     "\+", "\\", "\22" ...) are decoded, and spaces around "=", "," and
//     "+" are ignored. Hex-encoded BER values ("CN=#04..."), ";" as a
//     separator, strings longer than 4096 bytes or with more than 64
//     attributes, and other malformed strings are refused with ErrIdentity.
//     The certificate's subject is read from its DER encoding (cert.RawSubject),
//     which cert.Subject flattens. Note that OpenSSL prints subjects in
//     ASN.1 order by default ("C = GB, O = ..., CN = ..."); an RFC 4514
//     string lists the same RDNs the other way round, as
//     "openssl x509 -noout -subject -nameopt RFC2253" prints them. On a
//     mismatch, MismatchError.Got holds the certificate's subject in a form
//     that can be registered.
//   - SANDNS must equal one of the certificate's dNSName SANs, ignoring
//     ASCII case. Wildcards are not expanded: "*.example.com" matches only a
//     SAN that is literally "*.example.com".
//   - SANURI must equal, byte for byte, the IA5String of one of the
//     uniformResourceIdentifier SANs, read from the DER subjectAltName
//     extension in cert.Extensions (as x509.ParseCertificate sets it), not
//     from cert.URIs: the url.URL form drops an empty fragment, lowercases
//     the scheme and re-escapes some characters, so it can equal a value
//     the certificate does not hold. RFC 8705 §2.1.2 registers "the value
//     of an expected uniformResourceIdentifier SAN entry" and, unlike for
//     tls_client_auth_san_ip, names no other comparison, so none is made:
//     no case folding of scheme or host, no percent-encoding or path
//     normalization, no default port or trailing "/". RFC 5280 §4.2.1.6
//     stores the name as an IA5String and notes that scheme and host are
//     case-insensitive, and its §7.4 normalizes URIs (scheme and host
//     lowercased, percent-encoding and path segments normalized) before
//     an exact comparison; that normalization is deliberately not applied,
//     which can only refuse a certificate it would accept, never the other
//     way round. The
//     value must therefore be registered as the certificate spells it
//     (MismatchError.Got lists the certificate's values verbatim). A
//     subjectAltName extension that is not valid DER, has more than 1024
//     names, or holds an element that is no GeneralName never matches,
//     nor does a certificate with several such extensions or with URIs but
//     no encoded extension (a hand-built x509.Certificate).
//   - SANIP is parsed as an IP address (an IPv6 zone is refused) and must
//     equal one of the certificate's iPAddress SANs; an IPv4-mapped IPv6
//     address equals the IPv4 address.
//   - SANEmail must equal one of the certificate's rfc822Name SANs; the
//     local part is compared exactly and the domain ignoring ASCII case.
//
// The certificate's chain must already have been verified by the TLS
// layer; see the package documentation.
func MatchTLSClientAuth(cert *x509.Certificate, id Identity) error {
	if cert == nil {
		return ErrNoCertificate
	}
	field, value, err := id.selected()
	if err != nil {
		return err
	}
	switch field {
	case fieldSubjectDN:
		return matchSubjectDN(cert, value)
	case fieldSANDNS:
		for _, n := range cert.DNSNames {
			if asciiEqualFold(n, value) {
				return nil
			}
		}
		return &MismatchError{Field: field, Expected: value, Got: cloneStrings(cert.DNSNames)}
	case fieldSANURI:
		return matchSANURI(cert, value)
	case fieldSANIP:
		want, err := netip.ParseAddr(value)
		if err != nil {
			return fmt.Errorf("%w: %s %q is not an IP address", ErrIdentity, field, value)
		}
		if want.Zone() != "" {
			return fmt.Errorf("%w: %s %q has an IPv6 zone", ErrIdentity, field, value)
		}
		want = want.Unmap()
		var got []string
		for _, ip := range cert.IPAddresses {
			a, ok := netip.AddrFromSlice(ip)
			if !ok {
				continue
			}
			a = a.Unmap()
			if a == want {
				return nil
			}
			got = append(got, a.String())
		}
		return &MismatchError{Field: field, Expected: value, Got: got}
	default: // fieldSANEmail
		wantLocal, wantDomain, ok := splitEmail(value)
		if !ok {
			return fmt.Errorf("%w: %s %q is not an e-mail address", ErrIdentity, field, value)
		}
		for _, e := range cert.EmailAddresses {
			local, domain, ok := splitEmail(e)
			if ok && local == wantLocal && asciiEqualFold(domain, wantDomain) {
				return nil
			}
		}
		return &MismatchError{Field: field, Expected: value, Got: cloneStrings(cert.EmailAddresses)}
	}
}

// selected returns the one registered field and its value.
func (id Identity) selected() (field, value string, err error) {
	var set []string
	for _, f := range [...]struct{ name, value string }{
		{fieldSubjectDN, id.SubjectDN},
		{fieldSANDNS, id.SANDNS},
		{fieldSANURI, id.SANURI},
		{fieldSANIP, id.SANIP},
		{fieldSANEmail, id.SANEmail},
	} {
		if f.value != "" {
			set = append(set, f.name)
			field, value = f.name, f.value
		}
	}
	switch len(set) {
	case 1:
		return field, value, nil
	case 0:
		return "", "", fmt.Errorf("%w: no subject is registered (RFC 8705 §2.1.2 requires exactly one)", ErrIdentity)
	default:
		return "", "", fmt.Errorf("%w: several subjects are registered (%s); RFC 8705 §2.1.2 allows exactly one",
			ErrIdentity, strings.Join(set, ", "))
	}
}

// splitEmail splits an rfc822Name at its last "@" (a quoted local part may
// contain "@", a domain may not). Both parts must be non-empty.
func splitEmail(s string) (local, domain string, ok bool) {
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// asciiEqualFold reports whether a and b are equal ignoring the case of
// ASCII letters only. Unlike strings.EqualFold it never equates a non-ASCII
// character (such as the Kelvin sign) with an ASCII letter.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append([]string(nil), s...)
}

// MatchSelfSigned reports whether cert is a certificate the client
// registered for self_signed_tls_client_auth (RFC 8705 §2.2.2). keys is the
// client's registered key set ("jwks", or the set fetched from
// "jwks_uri"). The certificate matches when, for some key of the set,
//
//   - the first certificate of the key's "x5c" is byte-for-byte identical to
//     cert, or
//   - the key's public key equals the certificate's public key (RFC 8705
//     §2.2.2 allows matching the registered public key instead of the
//     certificate).
//
// Keys restricted to encryption ("use" other than "sig", or "key_ops"
// without "verify") are skipped: TLS client authentication is a signature.
//
// It returns nil on a match, ErrNoCertificate for a nil cert or one without
// its DER encoding, and a *MismatchError otherwise, including when keys is
// nil or empty. The TLS handshake must already have proven possession of
// the certificate's private key; no chain is validated for this method.
func MatchSelfSigned(cert *x509.Certificate, keys *jwks.Set) error {
	if cert == nil || len(cert.Raw) == 0 {
		return ErrNoCertificate
	}
	got := []string{Thumbprint(cert)}
	all := keys.Keys() // nil-safe
	if len(all) == 0 {
		return &MismatchError{Field: fieldJWKS, Got: got,
			reason: "no keys are registered for self_signed_tls_client_auth"}
	}
	for i := range all {
		k := &all[i]
		if !usableForTLS(k) {
			continue
		}
		if len(k.Certificates) > 0 && k.Certificates[0] != nil &&
			len(k.Certificates[0].Raw) > 0 && bytes.Equal(k.Certificates[0].Raw, cert.Raw) {
			return nil
		}
		if samePublicKey(k.Public, cert.PublicKey) {
			return nil
		}
	}
	return &MismatchError{Field: fieldJWKS, Got: got,
		reason: "certificate matches no signing key registered for self_signed_tls_client_auth"}
}

// usableForTLS reports whether k may authenticate a TLS client, which signs
// the handshake (RFC 7517 §4.2, §4.3).
func usableForTLS(k *jwks.Key) bool {
	if k.Use != "" && k.Use != "sig" {
		return false
	}
	if len(k.Ops) == 0 {
		return true
	}
	for _, op := range k.Ops {
		if op == "verify" {
			return true
		}
	}
	return false
}

// samePublicKey reports whether the registered key reg equals the
// certificate key pub, using the standard library Equal methods after
// checking for the nil values on which they would panic.
func samePublicKey(reg, pub crypto.PublicKey) bool {
	switch r := reg.(type) {
	case *rsa.PublicKey:
		p, ok := pub.(*rsa.PublicKey)
		return ok && r != nil && p != nil && r.N != nil && p.N != nil && r.Equal(p)
	case *ecdsa.PublicKey:
		p, ok := pub.(*ecdsa.PublicKey)
		return ok && r != nil && p != nil && r.Curve != nil &&
			r.X != nil && r.Y != nil && p.X != nil && p.Y != nil && r.Equal(p)
	case ed25519.PublicKey:
		p, ok := pub.(ed25519.PublicKey)
		return ok && len(r) == ed25519.PublicKeySize && r.Equal(p)
	default:
		return false
	}
}
