package requestobject

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// MaxClaimsSize bounds the claims parameter (OIDC Core §5.5), in bytes:
// ParseClaims and the EssentialIDTokenClaim functions refuse a longer one
// before parsing it. It also bounds every value that Object.CompareOutside
// compares as JSON (FAPI-RW-5.2.2-10): a longer value, inside or outside,
// is never decoded there and equals only the same bytes.
const MaxClaimsSize = 16 << 10

var claimsParamLimits = strictjson.Limits{MaxDepth: 8, MaxMembers: 256}

// ErrClaimsMalformed is wrapped by every error of ParseClaims.
var ErrClaimsMalformed = errors.New("claims parameter: malformed")

// ClaimsRequest is a parsed OIDC "claims" request parameter (OIDC Core
// §5.5): which claims are asked for in the ID token and at the userinfo
// endpoint.
type ClaimsRequest struct {
	IDToken  map[string]ClaimRequest
	UserInfo map[string]ClaimRequest
}

// ClaimRequest is the request for one claim (OIDC Core §5.5.1). A claim
// requested with null has Essential false and no values.
type ClaimRequest struct {
	Essential bool
	// Values holds "value" (as its only element) or the elements of
	// "values", each as JSON text.
	Values []string
}

// EssentialIDTokenClaim reports whether the ID token claim name is requested
// with "essential": true.
func (c *ClaimsRequest) EssentialIDTokenClaim(name string) bool {
	if c == nil {
		return false
	}
	r, ok := c.IDToken[name]
	return ok && r.Essential
}

// ParseClaims parses the claims parameter strictly: one JSON object, no
// duplicate members, at most MaxClaimsSize bytes; "id_token" and "userinfo",
// when present, are objects whose members are null or objects; in those,
// "essential" is a boolean and "values" an array. Other top-level members are
// allowed (ecosystems add their own) and ignored.
func ParseClaims(data []byte) (*ClaimsRequest, error) {
	c := &ClaimsRequest{}
	err := walkClaims(data, allValues, func(section, name string, r ClaimRequest, isClaim bool) {
		dst := &c.IDToken
		if section == "userinfo" {
			dst = &c.UserInfo
		}
		if *dst == nil {
			*dst = map[string]ClaimRequest{}
		}
		if isClaim {
			(*dst)[name] = r
		}
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// EssentialIDTokenClaim validates the claims parameter exactly as
// ParseClaims does and reports whether it requests the ID token claim name
// with "essential": true (OIDC Core §5.5.1), without building the request.
func EssentialIDTokenClaim(data []byte, name string) (bool, error) {
	essential := false
	err := walkClaims(data, nil, func(section, claim string, r ClaimRequest, isClaim bool) {
		if isClaim && section == "id_token" && claim == name && r.Essential {
			essential = true
		}
	})
	return essential, err
}

// EssentialIDTokenClaimValues is EssentialIDTokenClaim that also returns,
// when the claim is essential, the values the request asks for it: its
// "value", or the elements of its "values", each as JSON text (OIDC Core
// §5.5.1). values is nil when the request names none.
func EssentialIDTokenClaimValues(data []byte, name string) (essential bool, values []string, err error) {
	only := func(section, claim string) bool { return section == "id_token" && claim == name }
	err = walkClaims(data, only, func(section, claim string, r ClaimRequest, isClaim bool) {
		if isClaim && section == "id_token" && claim == name && r.Essential {
			essential, values = true, r.Values
		}
	})
	if err != nil {
		return false, nil, err
	}
	return essential, values, nil
}

// claimVisitor receives, from walkClaims, each claim request of a section
// (isClaim true), and once per section, before its claims, a call with
// isClaim false: the section is present even when it requests nothing. Any
// string, "" included, is a claim name.
type claimVisitor func(section, name string, r ClaimRequest, isClaim bool)

// valuesFilter says for which claim requests walkClaims collects Values;
// nil collects none.
type valuesFilter func(section, name string) bool

func allValues(string, string) bool { return true }

// walkClaims validates a claims parameter and calls visit for the id_token
// and userinfo sections and each of their claim requests, with Values
// collected only where values says so (validation is the same either way).
//
// The whole parameter is validated once, at every depth (syntax, UTF-8,
// duplicate names, limits), by ParseObject; the sections and claim requests
// inside are then read with Member.Members, which relies on that validation
// instead of repeating it.
func walkClaims(data []byte, values valuesFilter, visit claimVisitor) error {
	if len(data) > MaxClaimsSize {
		return fmt.Errorf("%w: %d bytes exceeds the limit of %d", ErrClaimsMalformed, len(data), MaxClaimsSize)
	}
	members, err := strictjson.ParseObject(data, claimsParamLimits)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrClaimsMalformed, err)
	}
	for _, m := range members {
		if m.Name != "id_token" && m.Name != "userinfo" {
			continue
		}
		if m.Kind != strictjson.Object {
			return fmt.Errorf("%w: %s must be an object, not %s", ErrClaimsMalformed, m.Name, m.Kind)
		}
		visit(m.Name, "", ClaimRequest{}, false)
		if err := walkClaimRequests(m, values, visit); err != nil {
			return fmt.Errorf("%w: %s.%v", ErrClaimsMalformed, m.Name, err)
		}
	}
	return nil
}

// walkClaimRequests reads the claim requests of one validated section.
func walkClaimRequests(section strictjson.Member, valuesFor valuesFilter, visit claimVisitor) error {
	var err error
	section.Members(func(m strictjson.Member) bool {
		var r ClaimRequest
		if r, err = claimRequest(m, valuesFor != nil && valuesFor(section.Name, m.Name)); err != nil {
			return false
		}
		visit(section.Name, m.Name, r, true)
		return true
	})
	return err
}

// claimRequest reads the request for one claim (OIDC Core §5.5.1): null, or
// an object whose "essential" is a boolean, "value" is not null, "values"
// is an array, and not both "value" and "values" are present. Values are
// collected when values is true.
func claimRequest(m strictjson.Member, values bool) (ClaimRequest, error) {
	var r ClaimRequest
	switch m.Kind {
	case strictjson.Null:
		return r, nil
	case strictjson.Object:
	default:
		return r, fmt.Errorf("%s must be null or an object, not %s", m.Name, m.Kind)
	}
	var err error
	hasValue, hasValues := false, false
	m.Members(func(f strictjson.Member) bool {
		switch f.Name {
		case "essential":
			b, berr := strictjson.DecodeBool(f.Raw)
			if berr != nil {
				err = fmt.Errorf("%s.essential must be a boolean, not %s", m.Name, f.Kind)
				return false
			}
			r.Essential = b
		case "value":
			if f.Kind == strictjson.Null {
				err = fmt.Errorf("%s.value must not be null", m.Name)
				return false
			}
			hasValue = true
			if values {
				r.Values = append(r.Values, f.Text)
			}
		case "values":
			if f.Kind != strictjson.Array {
				err = fmt.Errorf("%s.values must be an array, not %s", m.Name, f.Kind)
				return false
			}
			hasValues = true
			if values {
				// One element of Values per element of the array.
				f.Elements(func(e strictjson.Member) bool {
					r.Values = append(r.Values, e.Text)
					return true
				})
			}
		}
		return true
	})
	switch {
	case err != nil:
		return ClaimRequest{}, err
	case hasValue && hasValues:
		// OIDC Core §5.5.1: one or the other; both is ambiguous.
		return ClaimRequest{}, fmt.Errorf("%s has both value and values", m.Name)
	}
	return r, nil
}
