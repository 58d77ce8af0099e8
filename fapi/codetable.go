package fapi

import (
	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/profile"
)

// CodeInfo documents one violation code: its default OAuth error, the
// clauses a violation with this code may cite, and what it means.
type CodeInfo struct {
	Code    Code
	Error   string
	Refs    []clause.Clause
	Summary string
}

// codeRow is one row of the code table (zz_codetable_gen.go, generated
// from codetable.txt): the code's documentation and whether its error may
// be redirected to the client.
type codeRow struct {
	CodeInfo
	redirect redirectRule
}

// redirectRule says whether an authorization error with a code may still
// be sent to the client's redirect URI (RFC 6749 §4.1.2.1): the redirect
// column of the code table.
type redirectRule uint8

const (
	// redirectAllowed: the code casts no doubt on client_id or
	// redirect_uri.
	redirectAllowed redirectRule = iota
	// redirectStops: the code means client_id, the redirect URI, the
	// request object carrying them or the library's own inputs cannot be
	// trusted.
	redirectStops
	// redirectStopsOnField: as redirectStops when the violation's Field is
	// client_id or redirect_uri.
	redirectStopsOnField
)

// stopsRedirect reports whether v means the error must not be sent to the
// redirect URI, by the code table's redirect column. A code the table does
// not list stops the redirect.
func stopsRedirect(v Violation) bool {
	i, ok := codeIndex[v.Code]
	if !ok {
		return true
	}
	switch codeTable[i].redirect {
	case redirectStops:
		return true
	case redirectStopsOnField:
		return v.Field == "client_id" || v.Field == "redirect_uri"
	}
	return false
}

// CodeInfos returns the documentation of every code, in table order.
func CodeInfos() []CodeInfo {
	out := make([]CodeInfo, len(codeTable))
	for i, row := range codeTable {
		c := row.CodeInfo
		c.Refs = append([]clause.Clause(nil), c.Refs...)
		out[i] = c
	}
	return out
}

// Info returns the documentation of c.
func (c Code) Info() (CodeInfo, bool) {
	i, ok := codeIndex[c]
	if !ok {
		return CodeInfo{}, false
	}
	info := codeTable[i].CodeInfo
	info.Refs = append([]clause.Clause(nil), info.Refs...)
	return info, true
}

func defaultError(c Code) string {
	if i, ok := codeIndex[c]; ok {
		return codeTable[i].Error
	}
	return OAuthInvalidRequest
}

// defaultRef is the clause a violation cites when its check names none:
// the first of the code's clauses that belongs to a profile the report is
// judged under, else the first that belongs to no profile.
func defaultRef(refs []clause.Clause, set profile.Set) clause.Clause {
	for _, r := range refs {
		if _, own := profile.ClauseProfiles(r); own && profile.ClauseFits(r, set) {
			return r
		}
	}
	for _, r := range refs {
		if profile.ClauseFits(r, set) {
			return r
		}
	}
	if len(refs) > 0 {
		return refs[0]
	}
	return clause.None
}
