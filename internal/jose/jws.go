package jose

import (
	"strings"

	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// DefaultMaxSize is the size limit applied when a caller passes 0: 64 KiB.
const DefaultMaxSize = 64 << 10

// headerLimits bound the protected header: it is small by nature.
var headerLimits = strictjson.Limits{MaxDepth: 8, MaxMembers: 64}

// Header is the decoded protected header of a JWS.
type Header struct {
	// Alg is the "alg" member, exactly as sent.
	Alg string
	// Kid is the "kid" member, or "".
	Kid string
	// Typ is the "typ" member, or "".
	Typ string
	// JWK is the raw JSON of the "jwk" member, or nil. Only DPoP proofs use
	// it (RFC 9449 §4.2); for every other JWS it is never consulted.
	JWK []byte
	// Members are all header members in order.
	Members []strictjson.Member
}

// JWS is a parsed, not yet verified, compact JWS.
type JWS struct {
	Header Header
	// Payload is the decoded payload. It must not be trusted before Verify
	// succeeds.
	Payload []byte

	signingInput string // BASE64URL(header) "." BASE64URL(payload)
	signature    []byte
}

// Parse checks the structure of a compact JWS (steps 1–5 of the package
// documentation) and decodes it without verifying it. maxSize ≤ 0 means
// DefaultMaxSize.
func Parse(token string, maxSize int) (*JWS, error) {
	t := new(JWS)
	if err := t.parse(token, maxSize); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseInto is Parse writing the result to dst, for a caller that embeds
// the JWS in a larger value (one allocation instead of two). On error dst
// is left zero.
func ParseInto(dst *JWS, token string, maxSize int) error {
	if err := dst.parse(token, maxSize); err != nil {
		*dst = JWS{}
		return err
	}
	return nil
}

func (t *JWS) parse(token string, maxSize int) error {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(token) > maxSize {
		return errorf(ErrTooLarge, "", "%d bytes exceeds the limit of %d", len(token), maxSize)
	}
	if token == "" {
		return errorf(ErrMalformed, "", "empty")
	}
	if token[0] == '{' || token[0] == '[' || token[0] == ' ' || token[0] == '\t' || token[0] == '\n' || token[0] == '\r' {
		return errorf(ErrMalformed, "", "JSON serialization is not accepted; a compact JWS is required")
	}
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	if first < 0 || first == last {
		return errorf(ErrMalformed, "", "not a compact JWS: expected three dot-separated parts")
	}
	if dots := strings.Count(token, "."); dots != 2 {
		if dots == 4 {
			return errorf(ErrMalformed, "", "a JWE (encrypted JWT) is not accepted; a signed compact JWS is required")
		}
		return errorf(ErrMalformed, "", "not a compact JWS: %d parts instead of three", dots+1)
	}
	hdrPart, payloadPart, sigPart := token[:first], token[first+1:last], token[last+1:]

	// The three segments are decoded into one buffer, each capped so that
	// no append to one can reach the next.
	buf := make([]byte, 0, decodedLen(len(hdrPart))+decodedLen(len(payloadPart))+decodedLen(len(sigPart)))
	buf, err := appendSegment(buf, hdrPart)
	if err != nil {
		return errorf(ErrMalformed, "header", "%v", err)
	}
	hdrJSON := buf[:len(buf):len(buf)]
	hdr, err := parseHeader(hdrJSON)
	if err != nil {
		return err
	}
	n := len(buf)
	if buf, err = appendSegment(buf, payloadPart); err != nil {
		return errorf(ErrMalformed, "payload", "%v", err)
	}
	payload := buf[n:len(buf):len(buf)]
	if IsNone(hdr.Alg) {
		return errorf(ErrUnsigned, "alg", "%q", hdr.Alg)
	}
	n = len(buf)
	if buf, err = appendSegment(buf, sigPart); err != nil {
		return errorf(ErrMalformed, "signature", "%v", err)
	}
	sig := buf[n:len(buf):len(buf)]
	if len(sig) == 0 {
		return errorf(ErrMalformed, "signature", "empty signature")
	}
	*t = JWS{Header: hdr, Payload: payload, signingInput: token[:last], signature: sig}
	return nil
}

func parseHeader(data []byte) (Header, error) {
	members, err := strictjson.ParseObject(data, headerLimits)
	if err != nil {
		return Header{}, &Error{Kind: ErrMalformed, Field: "header", Detail: err.Error(), Err: err}
	}
	h := Header{Members: members}
	var haveAlg bool
	for _, m := range members {
		switch m.Name {
		case "alg":
			if h.Alg, err = m.StringValue(); err != nil {
				return Header{}, errorf(ErrMalformed, "alg", "must be a string")
			}
			haveAlg = true
		case "kid":
			if h.Kid, err = m.StringValue(); err != nil {
				return Header{}, errorf(ErrMalformed, "kid", "must be a string")
			}
		case "typ":
			if h.Typ, err = m.StringValue(); err != nil {
				return Header{}, errorf(ErrMalformed, "typ", "must be a string")
			}
		case "jwk":
			if m.Kind != strictjson.Object {
				return Header{}, errorf(ErrMalformed, "jwk", "must be an object")
			}
			h.JWK = m.Raw
		case "crit":
			// RFC 7515 §4.1.11: a recipient must reject a JWS whose "crit"
			// lists an extension it does not understand; this package
			// understands none.
			return Header{}, errorf(ErrMalformed, "crit", "critical header extensions are not supported")
		case "b64":
			// RFC 7797 unencoded payloads change what is signed; refused
			// whatever its value.
			return Header{}, errorf(ErrMalformed, "b64", "unencoded payload option is not supported")
		case "enc", "zip":
			return Header{}, errorf(ErrMalformed, m.Name, "JWE header member in a JWS")
		}
	}
	if !haveAlg {
		return Header{}, errorf(ErrMalformed, "alg", "missing")
	}
	return h, nil
}
