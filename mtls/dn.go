package mtls

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Limits on the registered subject DN string, which bound the work of a
// comparison (attributes of an RDN are paired in quadratic time). Real
// subject DNs are far smaller.
const (
	maxDNLength     = 4096
	maxDNAttributes = 64
)

// attributeTypes maps the RFC 4514 §3 short names (and POSTALCODE, which
// Go's RFC 4514 formatting emits) to their OIDs. Names are matched
// case-insensitively (RFC 4512 §1.4).
var attributeTypes = map[string]asn1.ObjectIdentifier{
	"CN":           {2, 5, 4, 3},
	"SERIALNUMBER": {2, 5, 4, 5},
	"C":            {2, 5, 4, 6},
	"L":            {2, 5, 4, 7},
	"ST":           {2, 5, 4, 8},
	"STREET":       {2, 5, 4, 9},
	"O":            {2, 5, 4, 10},
	"OU":           {2, 5, 4, 11},
	"POSTALCODE":   {2, 5, 4, 17},
	"UID":          {0, 9, 2342, 19200300, 100, 1, 1},
	"DC":           {0, 9, 2342, 19200300, 100, 1, 25},
}

// dnSyntaxError describes why a registered subject DN was refused.
func dnSyntaxError(pos int, format string, args ...any) error {
	return fmt.Errorf("%w: %s: at offset %d: %s", ErrIdentity, fieldSubjectDN, pos, fmt.Sprintf(format, args...))
}

// parseDN parses an RFC 4514 distinguished name string and returns its
// RDNs in ASN.1 RDNSequence order, that is reversed from the string. Every
// attribute value is a valid UTF-8 string. Beyond RFC 4514 it allows spaces
// around "=", "," and "+". It refuses an empty DN, one longer than
// maxDNLength bytes or with more than maxDNAttributes attributes,
// hex-encoded ("#") values, unknown attribute type names, and any character
// RFC 4514 requires to be escaped; errors wrap ErrIdentity.
func parseDN(s string) (pkix.RDNSequence, error) {
	if len(s) > maxDNLength {
		return nil, fmt.Errorf("%w: %s is %d bytes, longer than %d", ErrIdentity, fieldSubjectDN, len(s), maxDNLength)
	}
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: %s is not valid UTF-8", ErrIdentity, fieldSubjectDN)
	}
	p := dnParser{s: s}
	var rdns pkix.RDNSequence
	n := 0 // attributes so far
	for {
		var rdn pkix.RelativeDistinguishedNameSET
		for {
			atv, err := p.attributeTypeAndValue()
			if err != nil {
				return nil, err
			}
			rdn = append(rdn, atv)
			if n++; n > maxDNAttributes {
				return nil, fmt.Errorf("%w: %s has more than %d attributes", ErrIdentity, fieldSubjectDN, maxDNAttributes)
			}
			if p.eof() || p.peek() != '+' {
				break
			}
			p.i++
		}
		rdns = append(rdns, rdn)
		if p.eof() {
			break
		}
		if p.peek() != ',' {
			return nil, dnSyntaxError(p.i, "expected ',' or '+', found %q", p.peek())
		}
		p.i++
	}
	for i, j := 0, len(rdns)-1; i < j; i, j = i+1, j-1 {
		rdns[i], rdns[j] = rdns[j], rdns[i]
	}
	return rdns, nil
}

type dnParser struct {
	s string
	i int
}

func (p *dnParser) eof() bool  { return p.i >= len(p.s) }
func (p *dnParser) peek() byte { return p.s[p.i] }

func (p *dnParser) skipSpaces() {
	for !p.eof() && p.peek() == ' ' {
		p.i++
	}
}

// attributeTypeAndValue parses [spaces] type [spaces] "=" [spaces] value
// [spaces], stopping before an unescaped "," or "+" or at the end.
func (p *dnParser) attributeTypeAndValue() (pkix.AttributeTypeAndValue, error) {
	p.skipSpaces()
	oid, err := p.attributeType()
	if err != nil {
		return pkix.AttributeTypeAndValue{}, err
	}
	p.skipSpaces()
	if p.eof() || p.peek() != '=' {
		return pkix.AttributeTypeAndValue{}, dnSyntaxError(p.i, "expected '=' after the attribute type")
	}
	p.i++
	p.skipSpaces()
	v, err := p.value()
	if err != nil {
		return pkix.AttributeTypeAndValue{}, err
	}
	return pkix.AttributeTypeAndValue{Type: oid, Value: v}, nil
}

// attributeType parses a descr (a short name) or a numericoid (RFC 4512
// §1.4).
func (p *dnParser) attributeType() (asn1.ObjectIdentifier, error) {
	start := p.i
	if p.eof() {
		return nil, dnSyntaxError(p.i, "expected an attribute type")
	}
	c := p.peek()
	switch {
	case isDigit(c):
		for !p.eof() && (isDigit(p.peek()) || p.peek() == '.') {
			p.i++
		}
		return parseNumericOID(p.s[start:p.i], start)
	case isAlpha(c):
		for !p.eof() && (isAlpha(p.peek()) || isDigit(p.peek()) || p.peek() == '-') {
			p.i++
		}
		name := p.s[start:p.i]
		oid, ok := attributeTypes[strings.ToUpper(name)]
		if !ok {
			return nil, dnSyntaxError(start, "unsupported attribute type %q (use a dotted OID)", name)
		}
		return oid, nil
	default:
		return nil, dnSyntaxError(p.i, "expected an attribute type, found %q", c)
	}
}

// parseNumericOID parses number 1*( "." number ), where a number has no
// leading zero, into an OID that DER can encode.
func parseNumericOID(s string, pos int) (asn1.ObjectIdentifier, error) {
	arcs := strings.Split(s, ".")
	if len(arcs) < 2 {
		return nil, dnSyntaxError(pos, "OID %q has fewer than two arcs", s)
	}
	oid := make(asn1.ObjectIdentifier, 0, len(arcs))
	for _, a := range arcs {
		if a == "" || (len(a) > 1 && a[0] == '0') {
			return nil, dnSyntaxError(pos, "malformed OID %q", s)
		}
		n := 0
		for i := 0; i < len(a); i++ {
			n = n*10 + int(a[i]-'0')
			if n > math.MaxInt32 {
				return nil, dnSyntaxError(pos, "OID %q has an arc that is too large", s)
			}
		}
		oid = append(oid, n)
	}
	// DER packs the first two arcs into one number, 40*first+second,
	// which must fit the same limit for a certificate to carry it.
	if oid[0] > 2 || (oid[0] < 2 && oid[1] > 39) || oid[1] > math.MaxInt32-80 {
		return nil, dnSyntaxError(pos, "OID %q is not valid", s)
	}
	return oid, nil
}

// value parses an RFC 4514 string value, decoding escapes. Unescaped
// trailing spaces are dropped; escaped ones are kept.
func (p *dnParser) value() (string, error) {
	if !p.eof() && p.peek() == '#' {
		return "", dnSyntaxError(p.i, "hex-encoded (#) attribute values are not supported")
	}
	var b []byte
	keep := 0 // length of b up to its last character that is not an unescaped space
	for !p.eof() {
		c := p.peek()
		switch c {
		case ',', '+':
			return finishValue(b[:keep], p.i)
		case ' ':
			b = append(b, c)
			p.i++
			continue
		case '"', ';', '<', '>', 0:
			return "", dnSyntaxError(p.i, "character %q must be escaped", c)
		case '\\':
			p.i++
			if p.eof() {
				return "", dnSyntaxError(p.i, "incomplete escape at the end")
			}
			e := p.peek()
			switch {
			case isHex(e):
				if p.i+1 >= len(p.s) || !isHex(p.s[p.i+1]) {
					return "", dnSyntaxError(p.i, "a hex escape needs two hex digits")
				}
				b = append(b, unhex(e)<<4|unhex(p.s[p.i+1]))
				p.i += 2
			case strings.IndexByte("\\\"+,;<> #=", e) >= 0:
				b = append(b, e)
				p.i++
			default:
				return "", dnSyntaxError(p.i, "invalid escape \\%c", e)
			}
		default:
			b = append(b, c)
			p.i++
		}
		keep = len(b)
	}
	return finishValue(b[:keep], p.i)
}

func finishValue(b []byte, pos int) (string, error) {
	if !utf8.Valid(b) {
		return "", dnSyntaxError(pos, "escaped value is not valid UTF-8")
	}
	return string(b), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// matchSubjectDN compares the registered DN string with the certificate's
// subject as encoded in the certificate (cert.RawSubject), keeping its RDN
// structure, which cert.Subject flattens.
func matchSubjectDN(cert *x509.Certificate, registered string) error {
	want, err := parseDN(registered)
	if err != nil {
		return err
	}
	mismatch := &MismatchError{Field: fieldSubjectDN, Expected: registered}
	var have pkix.RDNSequence
	if len(cert.RawSubject) == 0 {
		mismatch.reason = fmt.Sprintf("the certificate has no encoded subject to compare with the registered %s %q", fieldSubjectDN, registered)
		return mismatch
	}
	rest, err := asn1.Unmarshal(cert.RawSubject, &have)
	if err != nil || len(rest) > 0 {
		mismatch.reason = fmt.Sprintf("the certificate's subject cannot be decoded to compare with the registered %s %q", fieldSubjectDN, registered)
		return mismatch
	}
	mismatch.Got = []string{formatDN(have)}
	if !rdnSequencesMatch(want, have) {
		return mismatch
	}
	return nil
}

// rdnSequencesMatch compares RDN by RDN, in order.
func rdnSequencesMatch(want, have pkix.RDNSequence) bool {
	if len(want) != len(have) {
		return false
	}
	for i := range want {
		if !rdnsMatch(want[i], have[i]) {
			return false
		}
	}
	return true
}

// rdnsMatch compares two RDNs as multisets of attributes. Attribute
// equality is an equivalence relation, so pairing each wanted attribute
// with the first unused equal one is exact.
func rdnsMatch(want, have pkix.RelativeDistinguishedNameSET) bool {
	if len(want) != len(have) {
		return false
	}
	used := make([]bool, len(have))
	for _, w := range want {
		found := false
		for j, h := range have {
			if !used[j] && attributesMatch(w, h) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func attributesMatch(want, have pkix.AttributeTypeAndValue) bool {
	if !want.Type.Equal(have.Type) {
		return false
	}
	w, ok1 := want.Value.(string)
	h, ok2 := have.Value.(string)
	return ok1 && ok2 && strings.EqualFold(normalizeSpaces(w), normalizeSpaces(h))
}

// normalizeSpaces trims leading and trailing U+0020 spaces and collapses
// each inner run of them to one (the insignificant-space handling of
// RFC 4518 §2.6.1, simplified).
func normalizeSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && prevSpace {
			continue
		}
		prevSpace = c == ' '
		b.WriteByte(c)
	}
	return b.String()
}

// attributeNames maps OIDs back to the short names of attributeTypes.
var attributeNames = func() map[string]string {
	m := make(map[string]string, len(attributeTypes))
	for name, oid := range attributeTypes {
		m[oid.String()] = name
	}
	return m
}()

// formatDN writes RDNs (in ASN.1 order) as an RFC 4514 string that parseDN
// reads back: short names for the types parseDN knows and dotted OIDs for
// the others, with specials, control characters and invalid UTF-8 escaped.
// A value that is not a string is written as "#" and its hex DER encoding.
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
			oid := a.Type.String()
			if name, ok := attributeNames[oid]; ok {
				oid = name
			}
			b.WriteString(oid)
			b.WriteByte('=')
			v, ok := a.Value.(string)
			if !ok {
				b.WriteByte('#')
				if der, err := asn1.Marshal(a.Value); err == nil {
					b.WriteString(hex.EncodeToString(der))
				}
				continue
			}
			writeDNValue(&b, v)
		}
	}
	return b.String()
}

func writeDNValue(b *strings.Builder, v string) {
	for k := 0; k < len(v); {
		r, size := utf8.DecodeRuneInString(v[k:])
		c := v[k]
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(b, "\\%02X", c)
		case strings.ContainsRune(`\"+,;<>`, r),
			k == 0 && (c == ' ' || c == '#'),
			k == len(v)-1 && c == ' ':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteString(v[k : k+size])
		}
		k += size
	}
}
