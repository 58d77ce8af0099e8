package fapitest

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Claims is a JWT claims set (RFC 7519 §4): member names and values that
// encoding/json can marshal. NumericDates are numbers of seconds
// (int64(t.Unix())).
type Claims map[string]any

// With returns a copy of c with the given name, value pairs set; a nil
// value removes the member. It is how a test derives a broken object from
// a valid one.
func (c Claims) With(kv ...any) Claims {
	out := make(Claims, len(c)+len(kv)/2)
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		name, ok := kv[i].(string)
		if !ok {
			panic(fmt.Sprintf("fapitest: Claims.With: name %v is not a string", kv[i]))
		}
		if kv[i+1] == nil {
			delete(out, name)
		} else {
			out[name] = kv[i+1]
		}
	}
	return out
}

// Without returns a copy of c without the named members.
func (c Claims) Without(names ...string) Claims {
	out := c.With()
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// SignJWT returns the compact JWS (RFC 7515 §7.1) of claims signed with
// key. The protected header has "alg" (the key's Alg), "kid" (the key's ID,
// when set) and the given members. A member replaces kid (a wrong kid) or,
// with a nil value, removes it; "alg" cannot be given, since it is the
// key's (Key.WithAlg signs under another algorithm).
func SignJWT(key *Key, header map[string]any, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("fapitest: claims: %w", err)
	}
	return SignPayload(key, header, payload)
}

// SignPayload is SignJWT for a literal payload text: one with duplicate
// members or unusual numbers, which encoding/json does not produce.
func SignPayload(key *Key, header map[string]any, payload []byte) (string, error) {
	if key == nil {
		return "", errors.New("fapitest: nil key")
	}
	h := map[string]any{"alg": key.Alg}
	if key.ID != "" {
		h["kid"] = key.ID
	}
	for name, v := range header {
		if name == "alg" {
			return "", errors.New(`fapitest: the header's "alg" is the key's Alg`)
		}
		if v == nil {
			delete(h, name)
			continue
		}
		h[name] = v
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("fapitest: header: %w", err)
	}
	input := b64(hb) + "." + b64(payload)
	sig, err := key.Sign([]byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + b64(sig), nil
}

// Unsigned returns an unsecured JWT (RFC 7519 §6) of claims: the header
// {"alg":"none"} and an empty signature. No FAPI profile accepts one (RFC
// 8725 §3.2, FAPI1-ADV-8.6-3); it is the attack a server must refuse.
func Unsigned(claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("fapitest: claims: %w", err)
	}
	return b64([]byte(`{"alg":"none"}`)) + "." + b64(payload) + ".", nil
}
