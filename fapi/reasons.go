package fapi

import (
	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/requestobject"
)

// reasonTable translates the failure reasons of one sub-package into
// violation codes: one explicit row per reason, so that a reason added to
// the sub-package fails TestReasonTablesComplete until it is given a code
// here (CODES.md lists the codes and the clauses each enforces).
type reasonTable[R ~string] struct {
	// field is the field of a violation whose error names no claim.
	field string
	// unknown is the code of a reason without a row. The tables' test
	// proves that every reason has one; unknown only makes sure that a
	// refusal is never lost in a build that skipped the tests.
	unknown Code
	// rows maps each reason to its code.
	rows map[R]Code
}

// code returns the code of reason r.
func (t *reasonTable[R]) code(r R) Code {
	if c, ok := t.rows[r]; ok {
		return c
	}
	return t.unknown
}

// requestObjectReasons are the codes of requestobject's reasons (OIDC Core
// §6, RFC 9101, and the profiles' request object clauses).
var requestObjectReasons = reasonTable[requestobject.Reason]{
	field:   "request",
	unknown: CodeRequestObjectMalformed,
	rows: map[requestobject.Reason]Code{
		requestobject.ReasonTooLarge:         CodeRequestObjectTooLarge,
		requestobject.ReasonMalformed:        CodeRequestObjectMalformed,
		requestobject.ReasonUnsigned:         CodeRequestObjectUnsigned,
		requestobject.ReasonAlgNotAllowed:    CodeRequestObjectAlgNotAllowed,
		requestobject.ReasonSignatureInvalid: CodeRequestObjectSignatureInvalid,
		requestobject.ReasonKeyTooSmall:      CodeRequestObjectKeyTooSmall,
		requestobject.ReasonExpMissing:       CodeRequestObjectExpMissing,
		requestobject.ReasonExpired:          CodeRequestObjectExpired,
		requestobject.ReasonNbfMissing:       CodeRequestObjectNbfMissing,
		requestobject.ReasonNotYetValid:      CodeRequestObjectNotYetValid,
		requestobject.ReasonNbfTooOld:        CodeRequestObjectNbfTooOld,
		requestobject.ReasonLifetimeTooLong:  CodeRequestObjectLifetimeTooLong,
		requestobject.ReasonAudMissing:       CodeRequestObjectAudMissing,
		requestobject.ReasonAudMismatch:      CodeRequestObjectAudMismatch,
		requestobject.ReasonIssMismatch:      CodeRequestObjectIssMismatch,
		requestobject.ReasonClientIDMismatch: CodeRequestObjectClientIDMismatch,
		requestobject.ReasonSubIsClient:      CodeRequestObjectSubIsClient,
		requestobject.ReasonParamMissing:     CodeRequestObjectParamMissing,
		requestobject.ReasonParamMismatch:    CodeRequestObjectParamMismatch,
	},
}

// clientAssertionReasons are the codes of clientassertion's reasons (RFC
// 7523 §3, OIDC Core §9).
var clientAssertionReasons = reasonTable[clientassertion.Reason]{
	field:   "client_assertion",
	unknown: CodeClientAssertionMalformed,
	rows: map[clientassertion.Reason]Code{
		clientassertion.ReasonMissing:          CodeClientAssertionMissing,
		clientassertion.ReasonTypeInvalid:      CodeClientAssertionTypeInvalid,
		clientassertion.ReasonTooLarge:         CodeClientAssertionTooLarge,
		clientassertion.ReasonMalformed:        CodeClientAssertionMalformed,
		clientassertion.ReasonAlgNotAllowed:    CodeClientAssertionAlgNotAllowed,
		clientassertion.ReasonSignatureInvalid: CodeClientAssertionSignatureInvalid,
		clientassertion.ReasonKeyTooSmall:      CodeClientAssertionKeyTooSmall,
		clientassertion.ReasonExpMissing:       CodeClientAssertionExpMissing,
		clientassertion.ReasonExpired:          CodeClientAssertionExpired,
		clientassertion.ReasonExpTooFar:        CodeClientAssertionExpTooFar,
		clientassertion.ReasonNotYetValid:      CodeClientAssertionNotYetValid,
		clientassertion.ReasonAudMismatch:      CodeClientAssertionAudMismatch,
		clientassertion.ReasonIssMismatch:      CodeClientAssertionIssMismatch,
		clientassertion.ReasonSubMismatch:      CodeClientAssertionSubMismatch,
		clientassertion.ReasonJTIMissing:       CodeClientAssertionJTIMissing,
	},
}

// dpopReasons are the codes of dpop's reasons (RFC 9449 §4.3, §8, §10,
// §11.1).
var dpopReasons = reasonTable[dpop.Reason]{
	field:   "dpop",
	unknown: CodeDPoPMalformed,
	rows: map[dpop.Reason]Code{
		dpop.ReasonMissing:          CodeDPoPMissing,
		dpop.ReasonMalformed:        CodeDPoPMalformed,
		dpop.ReasonTypInvalid:       CodeDPoPTypInvalid,
		dpop.ReasonAlgNotAllowed:    CodeDPoPAlgNotAllowed,
		dpop.ReasonJWKPrivate:       CodeDPoPJWKPrivate,
		dpop.ReasonSignatureInvalid: CodeDPoPSignatureInvalid,
		dpop.ReasonHTMMismatch:      CodeDPoPHTMMismatch,
		dpop.ReasonHTUMismatch:      CodeDPoPHTUMismatch,
		dpop.ReasonIATTooOld:        CodeDPoPIATTooOld,
		dpop.ReasonIATInFuture:      CodeDPoPIATInFuture,
		dpop.ReasonJTIMissing:       CodeDPoPJTIMissing,
		dpop.ReasonReplayed:         CodeDPoPReplayed,
		dpop.ReasonJKTMismatch:      CodeDPoPJKTMismatch,
		dpop.ReasonATHPresent:       CodeDPoPATHPresent,
		dpop.ReasonATHMismatch:      CodeDPoPATHMismatch,
		dpop.ReasonTooLarge:         CodeDPoPTooLarge,
		dpop.ReasonNonceMissing:     CodeDPoPNonceMissing,
		dpop.ReasonNonceInvalid:     CodeDPoPNonceInvalid,
	},
}

// addReason records a violation translated from a sub-package's error: the
// code of reason in table t, the field claim (or the table's field when the
// error names no claim), the clause ref ("" for the code's default) and
// the error's message.
func addReason[R ~string](b *builder, t *reasonTable[R], reason R, claim string, ref clause.Clause, msg string) {
	field := t.field
	if claim != "" {
		field = claim
	}
	b.add(t.code(reason), field, ref, "%s", msg)
}

// keyClause returns the profile's clause for a key that Check refused:
// the elliptic curve minimum for an EC key, the RSA one otherwise
// (FAPI-R-5.2.2-5/-6, FAPI1-BASE-5.2.2-5/-6, FAPI2-SP-5.4.1-2/-3). The kind
// comes from the keysize error that err is or wraps, never from its text.
func keyClause(rules *profile.Requirements, err error) clause.Clause {
	if keysize.KindOf(err) == keysize.KindEC {
		return rules.Keys.EC
	}
	return rules.Keys.RSA
}
