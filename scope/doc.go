// Package scope parses and validates the OAuth 2.0 scope request parameter
// and provides an immutable table of the scopes an authorization server
// defines.
//
// # Enforced clauses
//
// RFC 6749 §3.3 (Access Token Scope) defines the scope parameter as a list
// of space-delimited, case-sensitive scope tokens:
//
//	scope       = scope-token *( SP scope-token )
//	scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
//
// [Parse] implements this grammar strictly. An empty parameter means the
// scope is absent. Leading, trailing or repeated spaces, any whitespace
// other than a single SP (%x20), '"' (%x22), '\' (%x5C), control
// characters and non-ASCII bytes are rejected with an error that matches
// [ErrMalformed]. The order of tokens carries no meaning and repeated
// tokens are permitted by the grammar, so Parse collapses duplicates and
// keeps the order of first occurrence.
//
// Because every requestable scope value is a scope-token (RFC 6749 §3.3),
// [NewSet] rejects a scope definition whose name is not one, with an error
// that matches [ErrInvalidDefinition].
//
// Scope tokens are compared exactly, byte for byte; no case folding or
// Unicode normalisation is applied, because RFC 6749 §3.3 defines scope
// strings as case-sensitive.
//
// What the authorization server does with an absent or unknown scope (fail
// the request, or apply a default as RFC 6749 §3.3 permits) is a policy
// decision left to callers; this package only reports what the request
// contains and which definitions exist.
package scope
