package jose

import (
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// claimsLimits bound a claim set. Request objects legitimately nest (the OIDC
// "claims" parameter, authorization_details), but not deeply.
var claimsLimits = strictjson.Limits{MaxDepth: 16, MaxMembers: 256}

// maxNumericDate is 9999-12-31T23:59:59Z: anything later is not a date any
// issuer means, and keeps time arithmetic far from overflow.
const maxNumericDate = 253402300799

// StringClaim is a string-valued claim and whether it was present.
type StringClaim struct {
	Value   string
	Present bool
}

// Audience is the "aud" claim (RFC 7519 §4.1.3): one string or an array of
// strings. IsArray records which form was sent, because FAPI 2.0 requires the
// string form for client assertions (FAPI2-SP-5.3.2.1-8).
type Audience struct {
	Values  []string
	IsArray bool
	Present bool
}

// Contains reports whether s is one of the audience values.
func (a Audience) Contains(s string) bool { return contains(a.Values, s) }

// Claims is a decoded JWT claim set: the registered claims typed, and every
// member available raw for the rules of the caller.
type Claims struct {
	Members   []strictjson.Member
	Issuer    StringClaim
	Subject   StringClaim
	JWTID     StringClaim
	Audience  Audience
	Expiry    NumericDate
	NotBefore NumericDate
	IssuedAt  NumericDate
}

// Lookup returns the member named name.
func (c *Claims) Lookup(name string) (strictjson.Member, bool) {
	return strictjson.Lookup(c.Members, name)
}

// DecodeClaims decodes a JWT claim set strictly: one JSON object, no
// duplicate member names at any depth, valid UTF-8, bounded nesting, and no
// member whose value is null (a null claim is ambiguous between absent and
// present; OIDC Core §13.3 forbids it for numeric claims). The registered
// claims must have their RFC 7519 types. NumericDates are JSON numbers
// between 0 and 253402300799 (9999-12-31T23:59:59Z), integer or not, with
// or without an exponent, as RFC 7519 §2 defines them ("non-integer values
// can be represented"), held exactly (see NumericDate); strings, booleans,
// negative values, texts over 64 characters and values with a non-zero
// digit below 1e-64 s (RFC 8259 §9 lets a parser bound precision) are
// refused.
//
// Errors wrap ErrMalformed and name the claim at fault in Field.
func DecodeClaims(payload []byte) (*Claims, error) {
	c := new(Claims)
	if err := DecodeClaimsInto(c, payload); err != nil {
		return nil, err
	}
	return c, nil
}

// DecodeClaimsInto is DecodeClaims writing the result to dst, for a caller
// that embeds the claims in a larger value. On error dst is left zero.
func DecodeClaimsInto(dst *Claims, payload []byte) error {
	if err := dst.decode(payload); err != nil {
		*dst = Claims{}
		return err
	}
	return nil
}

func (c *Claims) decode(payload []byte) error {
	members, err := strictjson.ParseObject(payload, claimsLimits)
	if err != nil {
		return &Error{Kind: ErrMalformed, Field: "payload", Detail: err.Error(), Err: err}
	}
	*c = Claims{Members: members}
	for _, m := range members {
		if m.Kind == strictjson.Null {
			return errorf(ErrMalformed, m.Name, "must not be null")
		}
		switch m.Name {
		case "iss":
			err = decodeStringClaim(m, &c.Issuer)
		case "sub":
			err = decodeStringClaim(m, &c.Subject)
		case "jti":
			err = decodeStringClaim(m, &c.JWTID)
		case "aud":
			err = decodeAudience(m, &c.Audience)
		case "exp":
			err = decodeNumericDate(m, &c.Expiry)
		case "nbf":
			err = decodeNumericDate(m, &c.NotBefore)
		case "iat":
			err = decodeNumericDate(m, &c.IssuedAt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func decodeStringClaim(m strictjson.Member, dst *StringClaim) error {
	if m.Kind != strictjson.String {
		return errorf(ErrMalformed, m.Name, "must be a string, not %s", m.Kind)
	}
	v, err := m.StringValue()
	if err != nil {
		return errorf(ErrMalformed, m.Name, "must be a string")
	}
	*dst = StringClaim{Value: v, Present: true}
	return nil
}

func decodeAudience(m strictjson.Member, dst *Audience) error {
	switch m.Kind {
	case strictjson.String:
		v, err := m.StringValue()
		if err != nil {
			return errorf(ErrMalformed, "aud", "must be a string or an array of strings")
		}
		*dst = Audience{Values: []string{v}, Present: true}
	case strictjson.Array:
		vs, err := strictjson.DecodeStrings(m.Raw)
		if err != nil {
			return errorf(ErrMalformed, "aud", "must be a string or an array of strings")
		}
		if len(vs) == 0 {
			return errorf(ErrMalformed, "aud", "must not be an empty array")
		}
		*dst = Audience{Values: vs, IsArray: true, Present: true}
	default:
		return errorf(ErrMalformed, "aud", "must be a string or an array of strings, not %s", m.Kind)
	}
	return nil
}

func decodeNumericDate(m strictjson.Member, dst *NumericDate) error {
	if m.Kind != strictjson.Number {
		return errorf(ErrMalformed, m.Name, "must be a number (seconds since the epoch), not %s", m.Kind)
	}
	d, problem := parseNumericDate(m.Raw)
	if problem != "" {
		raw := string(m.Raw)
		if len(raw) > 32 {
			raw = raw[:32] + "..." // ASCII, like every violation message
		}
		return errorf(ErrMalformed, m.Name, "%s %s", raw, problem)
	}
	*dst = d
	return nil
}
