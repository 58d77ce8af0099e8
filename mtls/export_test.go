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

// ParseSANURIs exposes the subjectAltName reader to the external tests and
// the fuzz target, with the URIs as strings.
func ParseSANURIs(der []byte) ([]string, error) {
	uris, err := parseSANURIs(der)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range uris {
		out = append(out, string(u))
	}
	return out, nil
}

// ErrSAN is the cause of every error of ParseSANURIs.
var ErrSAN = errSAN

// MaxSANs is the number of GeneralNames above which a subjectAltName
// extension is refused.
const MaxSANs = maxSANs
