package mtls

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
)

// oidSubjectAltName identifies the subjectAltName extension (RFC 5280
// §4.2.1.6).
var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// maxSANs bounds how many GeneralNames a subjectAltName extension may hold
// before it is refused as malformed. Client certificates carry a handful;
// the bound keeps the work and the size of MismatchError.Got small whatever
// the certificate holds.
const maxSANs = 1024

// GeneralName alternatives (RFC 5280 §4.2.1.6 and Appendix A.2, an
// IMPLICIT TAGS module): every alternative is a context-specific tag [0]
// to [8]. [0] otherName, [3] x400Address, [4] directoryName (explicitly
// tagged, Name being a CHOICE) and [5] ediPartyName are constructed; [1]
// rfc822Name, [2] dNSName, [6] uniformResourceIdentifier, [7] iPAddress
// and [8] registeredID are primitive.
const (
	tagOtherName     = 0
	tagX400Address   = 3
	tagDirectoryName = 4
	tagEDIPartyName  = 5
	tagURI           = 6
	tagLastName      = 8
)

// DER identifier octets.
const (
	classMask        = 0xc0
	classContext     = 0x80
	constructedBit   = 0x20
	tagNumberMask    = 0x1f
	tagSequence      = 0x30 // universal, constructed, 16
	highTagNumberTag = 0x1f // the high-tag-number form (X.690 §8.1.2.4)
)

// errSAN is the cause of every refusal of a subjectAltName extension.
var errSAN = errors.New("malformed subjectAltName extension")

// parseSANURIs returns the contents of the uniformResourceIdentifier
// GeneralNames of a DER-encoded subjectAltName extension value (RFC 5280
// §4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName), in
// certificate order, as the raw IA5String bytes: no URI parsing, escaping
// or case folding is applied. The returned slices alias der.
//
// The whole extension is checked before anything is returned, and any
// departure from DER or from the GeneralName syntax is an error wrapping
// errSAN: a tag or length that is not DER (high-tag-number form, indefinite
// or non-minimal length, a length past the end), data after the SEQUENCE,
// an empty SEQUENCE, an element that is not a context-specific [0] to [8],
// an alternative with the wrong primitive/constructed form, a
// uniformResourceIdentifier with a byte outside IA5 (0x00 to 0x7f), or
// more than maxSANs names. crypto/x509 tolerates some of these (data after
// the SEQUENCE, an empty SEQUENCE, unknown elements, which it skips); a
// certificate with them never matches a URI registration. The contents of
// the other alternatives are not examined.
func parseSANURIs(der []byte) ([][]byte, error) {
	tag, names, rest, err := readTLV(der)
	if err != nil {
		return nil, err
	}
	if tag != tagSequence {
		return nil, fmt.Errorf("%w: not a SEQUENCE (tag 0x%02x)", errSAN, tag)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the SEQUENCE", errSAN, len(rest))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no names (RFC 5280 requires at least one)", errSAN)
	}
	var uris [][]byte
	for n := 0; len(names) > 0; n++ {
		if n == maxSANs {
			return nil, fmt.Errorf("%w: more than %d names", errSAN, maxSANs)
		}
		tag, content, next, err := readTLV(names)
		if err != nil {
			return nil, err
		}
		names = next
		number := int(tag & tagNumberMask)
		if tag&classMask != classContext || number > tagLastName {
			return nil, fmt.Errorf("%w: name %d has tag 0x%02x, which is no GeneralName", errSAN, n, tag)
		}
		wantConstructed := number == tagOtherName || number == tagX400Address ||
			number == tagDirectoryName || number == tagEDIPartyName
		if (tag&constructedBit != 0) != wantConstructed {
			return nil, fmt.Errorf("%w: name %d has tag 0x%02x, the wrong form for GeneralName [%d]", errSAN, n, tag, number)
		}
		if number != tagURI {
			continue
		}
		for _, c := range content {
			if c >= 0x80 {
				return nil, fmt.Errorf("%w: uniformResourceIdentifier %d is not an IA5String", errSAN, n)
			}
		}
		uris = append(uris, content)
	}
	return uris, nil
}

// readTLV reads one DER element at the start of der and returns its
// identifier octet, its contents and what follows it. It accepts only the
// low-tag-number form and definite, minimally encoded lengths of at most
// four octets that fit in der.
func readTLV(der []byte) (tag byte, content, rest []byte, err error) {
	if len(der) < 2 {
		return 0, nil, nil, fmt.Errorf("%w: truncated element", errSAN)
	}
	tag = der[0]
	if tag&tagNumberMask == highTagNumberTag {
		return 0, nil, nil, fmt.Errorf("%w: high-tag-number form", errSAN)
	}
	first := der[1]
	der = der[2:]
	var length uint64
	switch {
	case first < 0x80:
		length = uint64(first)
	case first == 0x80:
		return 0, nil, nil, fmt.Errorf("%w: indefinite length", errSAN)
	default:
		n := int(first & 0x7f)
		if n > 4 || n > len(der) {
			return 0, nil, nil, fmt.Errorf("%w: length of %d octets", errSAN, n)
		}
		if der[0] == 0 {
			return 0, nil, nil, fmt.Errorf("%w: non-minimal length", errSAN)
		}
		for _, b := range der[:n] {
			length = length<<8 | uint64(b)
		}
		if length < 0x80 {
			return 0, nil, nil, fmt.Errorf("%w: non-minimal length", errSAN)
		}
		der = der[n:]
	}
	if length > uint64(len(der)) {
		return 0, nil, nil, fmt.Errorf("%w: element of %d bytes with %d left", errSAN, length, len(der))
	}
	return tag, der[:length], der[length:], nil
}

// matchSANURI compares the registered tls_client_auth_san_uri with the
// certificate's uniformResourceIdentifier SANs, read raw from the DER
// subjectAltName extension; see MatchTLSClientAuth.
func matchSANURI(cert *x509.Certificate, registered string) error {
	mismatch := &MismatchError{Field: fieldSANURI, Expected: registered}
	var ext []byte
	count := 0
	for i := range cert.Extensions {
		if cert.Extensions[i].Id.Equal(oidSubjectAltName) {
			ext = cert.Extensions[i].Value
			count++
		}
	}
	switch {
	case count > 1:
		// x509.ParseCertificate refuses duplicate extensions; only a
		// hand-built Certificate gets here.
		mismatch.reason = fmt.Sprintf("the certificate has %d subjectAltName extensions, so it cannot match the registered %s %q",
			count, fieldSANURI, registered)
		return mismatch
	case count == 0 && len(cert.URIs) > 0:
		mismatch.reason = fmt.Sprintf("the certificate has URI SANs but no encoded subjectAltName extension to compare with the registered %s %q",
			fieldSANURI, registered)
		return mismatch
	case count == 0:
		return mismatch
	}
	uris, err := parseSANURIs(ext)
	if err != nil {
		mismatch.reason = fmt.Sprintf("the certificate's subjectAltName extension cannot be decoded to compare with the registered %s %q (%v)",
			fieldSANURI, registered, err)
		return mismatch
	}
	for _, u := range uris {
		if string(u) == registered {
			return nil
		}
	}
	for _, u := range uris {
		mismatch.Got = append(mismatch.Got, string(u))
	}
	return mismatch
}
