package attacks

import (
	"encoding/json"
	"strings"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// A compact JWS is assembled here from literal JSON texts, so that an attack
// can say exactly which bytes are sent: duplicate members, unusual numbers,
// invalid UTF-8, non-canonical segments.

// member is one protected-header member: its name and raw JSON value.
type member struct{ name, raw string }

// header is a protected header in member order; duplicates are allowed.
type header []member

// js returns the JSON text of v (a json.RawMessage is used as it is).
func js(v any) string {
	if r, ok := v.(json.RawMessage); ok {
		return string(r)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// hdr builds a header from name, value pairs.
func hdr(kv ...any) header {
	var h header
	for i := 0; i+1 < len(kv); i += 2 {
		h = append(h, member{kv[i].(string), js(kv[i+1])})
	}
	return h
}

// set replaces the first member called name, or appends it.
func (h header) set(name string, v any) header {
	out := append(header(nil), h...)
	for i := range out {
		if out[i].name == name {
			out[i].raw = js(v)
			return out
		}
	}
	return append(out, member{name, js(v)})
}

// add appends a member with a raw JSON value, even if the name is taken.
func (h header) add(name, raw string) header {
	return append(append(header(nil), h...), member{name, raw})
}

func (h header) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range h {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(js(m.name))
		b.WriteByte(':')
		b.WriteString(m.raw)
	}
	b.WriteByte('}')
	return b.String()
}

// signer makes the signature of a signing input under alg.
type signer struct {
	alg  string
	sign func(input []byte) []byte
}

func keySigner(k fixtures.Key, alg string) signer {
	return signer{alg, func(in []byte) []byte { return fixtures.SignBytes(k, alg, in) }}
}

func hmacSigner(secret []byte, alg string) signer {
	return signer{alg, func(in []byte) []byte { return fixtures.HMACBytes(secret, alg, in) }}
}

func seg(s string) string { return fixtures.B64([]byte(s)) }

// claimsJSON is the JSON text of a claim set (members in name order).
func claimsJSON(c obj) string { return js(c) }

// appendMember adds a member with a raw value at the end of a JSON object
// text, even if the name is taken.
func appendMember(object, name, raw string) string {
	return object[:len(object)-1] + "," + name + ":" + raw + "}"
}

// compact signs header and payload texts with s.
func compact(h header, payload string, s signer) string {
	return seal(seg(h.String()), seg(payload), s)
}

// seal signs the literal segments hs "." ps with s.
func seal(hs, ps string, s signer) string {
	in := hs + "." + ps
	return in + "." + fixtures.B64(s.sign([]byte(in)))
}

// parts splits a compact JWS into its three segments.
func parts(tok string) (hs, ps, ss string) {
	i, j := strings.IndexByte(tok, '.'), strings.LastIndexByte(tok, '.')
	return tok[:i], tok[i+1 : j], tok[j+1:]
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// padded appends the '=' padding base64 would have (RFC 4648 §5), which
// JWS forbids (RFC 7515 §2).
func padded(s string) string {
	if len(s)%4 == 0 {
		panic("attacks: segment has no padding to add")
	}
	return s + strings.Repeat("=", 4-len(s)%4)
}

// trailingBits sets the unused low bits of the last character of a
// segment whose length is not a multiple of four: the segment decodes to
// the same bytes in a lenient decoder, but is not the canonical encoding
// (RFC 7515 Appendix C).
func trailingBits(s string) string {
	if len(s)%4 == 0 {
		panic("attacks: segment has no trailing bits")
	}
	last := strings.IndexByte(b64Alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(b64Alphabet[last|1])
}

// stdAlphabet rewrites a segment in the standard base64 alphabet ('+' and
// '/' for '-' and '_'), which decodes to the same bytes in a lenient
// decoder.
func stdAlphabet(s string) string {
	return strings.NewReplacer("-", "+", "_", "/").Replace(s)
}
