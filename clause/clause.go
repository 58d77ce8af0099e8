// Package clause names the specification clauses the library's rules
// enforce. A Clause is an identifier in the library's citation format,
// PREFIX-section or PREFIX-section-item ("FAPI1-ADV-5.2.2-13" is item 13 of
// §5.2.2 of FAPI 1.0 Part 2: Advanced; "RFC6749-3.1.2.3" is §3.1.2.3 of
// RFC 6749). Its zero value means "no such rule": a rule of a profile's
// requirements is in force exactly when its clause is set, so a rule cannot
// be switched on without saying where it comes from.
//
// Every prefix the library cites is in Specs, with the URL of its
// document; URL links a clause to its section there.
package clause

import (
	"strings"
)

// Clause identifies one clause of a specification, e.g. "FAPI2-SP-5.3.2.1-8".
// The zero Clause means no rule.
type Clause string

// None is the zero Clause: no rule.
const None Clause = ""

// Applies reports whether c names a rule. A requirement whose clause is
// None is not in force.
func (c Clause) Applies() bool { return c != None }

// String returns the clause identifier.
func (c Clause) String() string { return string(c) }

// Spec is one document the library cites, with the prefix its clauses
// carry.
type Spec struct {
	// Prefix is what the clause identifiers of the document start with,
	// e.g. "FAPI1-ADV"; "RFC" stands for every RFC ("RFC6749-3.3").
	Prefix string
	// Title names the document.
	Title string
	// URL is the document's address.
	URL string
	// anchor formats the fragment of a section: "section-" for documents
	// with xml2rfc version 3 anchors, "rfc.section." for version 2 ones.
	anchor string
}

// specs is the legend of clause prefixes. Longer prefixes come before the
// shorter ones they extend (FAPI-RW before FAPI-R).
var specs = []Spec{
	{"FAPI-RW", "Financial-grade API, Part 2: Read and Write API Security Profile (Implementer's Draft 2)", "https://openid.net/specs/openid-financial-api-part-2-ID2.html", "rfc.section."},
	{"FAPI-R", "Financial-grade API, Part 1: Read-Only API Security Profile (Implementer's Draft 2)", "https://openid.net/specs/openid-financial-api-part-1-ID2.html", "rfc.section."},
	{"FAPI1-BASE", "Financial-grade API Security Profile 1.0, Part 1: Baseline", "https://openid.net/specs/openid-financial-api-part-1-1_0.html", "section-"},
	{"FAPI1-ADV", "Financial-grade API Security Profile 1.0, Part 2: Advanced", "https://openid.net/specs/openid-financial-api-part-2-1_0.html", "section-"},
	{"FAPI2-SP", "FAPI 2.0 Security Profile (Final)", "https://openid.net/specs/fapi-security-profile-2_0-final.html", "section-"},
	{"FAPI2-MS", "FAPI 2.0 Message Signing (Final)", "https://openid.net/specs/fapi-message-signing-2_0-final.html", "section-"},
	{"OIDCC", "OpenID Connect Core 1.0", "https://openid.net/specs/openid-connect-core-1_0.html", "rfc.section."},
	{"OIDCR", "OpenID Connect Dynamic Client Registration 1.0", "https://openid.net/specs/openid-connect-registration-1_0.html", "rfc.section."},
	{"OIDCD", "OpenID Connect Discovery 1.0", "https://openid.net/specs/openid-connect-discovery-1_0.html", "rfc.section."},
	{"JARM", "JWT Secured Authorization Response Mode for OAuth 2.0 (JARM)", "https://openid.net/specs/oauth-v2-jarm.html", "section-"},
	{"OAuth2-RT", "OAuth 2.0 Multiple Response Type Encoding Practices", "https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html", "rfc.section."},
	{"JAR", "RFC 9101, The OAuth 2.0 Authorization Framework: JWT-Secured Authorization Request (JAR)", "https://www.rfc-editor.org/rfc/rfc9101", "section-"},
	{"PAR", "RFC 9126, OAuth 2.0 Pushed Authorization Requests", "https://www.rfc-editor.org/rfc/rfc9126", "section-"},
	{"DPOP", "RFC 9449, OAuth 2.0 Demonstrating Proof of Possession (DPoP)", "https://www.rfc-editor.org/rfc/rfc9449", "section-"},
	{"RFC", "RFC nnnn (RFC6749-3.3 is section 3.3 of RFC 6749)", "https://www.rfc-editor.org/rfc/", "section-"},
}

// Specs returns the legend of clause prefixes, each with its document.
func Specs() []Spec {
	out := make([]Spec, len(specs))
	copy(out, specs)
	return out
}

// Parse splits c into the Spec of its prefix, the section ("5.2.2",
// "A.5") and the item within it ("13", or "" when c names a whole
// section). ok is false for the zero Clause and for identifiers not in the
// library's format or with a prefix not in Specs.
func (c Clause) Parse() (spec Spec, section, item string, ok bool) {
	s := string(c)
	for _, sp := range specs {
		if !strings.HasPrefix(s, sp.Prefix) {
			continue
		}
		rest := s[len(sp.Prefix):]
		if sp.Prefix == "RFC" {
			// RFCnnnn-...: the number belongs to the document.
			n := 0
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 0 {
				return Spec{}, "", "", false
			}
			sp.Prefix, sp.Title, sp.URL = "RFC"+rest[:n], "RFC "+rest[:n], sp.URL+"rfc"+rest[:n]
			rest = rest[n:]
		}
		if len(rest) < 2 || rest[0] != '-' {
			continue
		}
		section, item, _ = strings.Cut(rest[1:], "-")
		if !validSection(section) || strings.Contains(item, "-") || (item != "" && !digits(item)) {
			return Spec{}, "", "", false
		}
		return sp, section, item, true
	}
	return Spec{}, "", "", false
}

// Prefix returns the prefix of c ("FAPI1-ADV", "RFC6749"), or "" when c
// does not parse.
func (c Clause) Prefix() string {
	sp, _, _, ok := c.Parse()
	if !ok {
		return ""
	}
	return sp.Prefix
}

// URL returns the address of the section c names, e.g.
// "https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3", or "" when c
// does not parse. Items have no anchors of their own: the URL is the
// section's.
func (c Clause) URL() string {
	sp, section, _, ok := c.Parse()
	if !ok {
		return ""
	}
	anchor := sp.anchor + section
	if section[0] >= 'A' && section[0] <= 'Z' && sp.anchor == "section-" {
		anchor = "appendix-" + section
	}
	return sp.URL + "#" + anchor
}

// validSection: dot-separated numbers, optionally starting with an
// appendix letter ("A.5").
func validSection(s string) bool {
	if s == "" {
		return false
	}
	for i, part := range strings.Split(s, ".") {
		if i == 0 && len(part) == 1 && part[0] >= 'A' && part[0] <= 'Z' {
			continue
		}
		if !digits(part) {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
