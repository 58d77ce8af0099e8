package mtls

import "crypto/x509/pkix"

// ParseDN exposes the subject DN parser to the external tests and the fuzz
// target. It returns the RDNs in ASN.1 order (reversed from the string).
func ParseDN(s string) (pkix.RDNSequence, error) { return parseDN(s) }

// FormatDN exposes the RFC 4514 formatting of certificate subjects used in
// MismatchError.Got. It takes RDNs in ASN.1 order.
func FormatDN(rdns pkix.RDNSequence) string { return formatDN(rdns) }

// Limits on a registered subject DN.
const (
	MaxDNLength     = maxDNLength
	MaxDNAttributes = maxDNAttributes
)
