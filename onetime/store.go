package onetime

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Use asks for the first use of Key, held until Until.
//
// The hold is what makes a one-time value one-time: an authorization code is
// held for its lifetime (FAPI2-SP-5.3.2.2-9), a client assertion's jti until
// the assertion expires (RFC7523-3 item 7), a DPoP proof's jti for the
// window its iat is accepted in (DPOP-11.1). A hold shorter than the value's
// validity would let it be replayed once the hold ends.
type Use struct {
	Key   string    `json:"key"`
	Until time.Time `json:"until"`
}

// Store records first uses of keys.
//
// It is the state behind the one-time rules of FAPI1-BASE-5.2.2-13,
// FAPI2-SP-5.3.2.2-9, PAR-7.3, RFC7523-3 (item 7), DPOP-11.1 and
// RFC9700-4.14.2. A replayed key is reported false, and an answer that
// cannot be given is an error, never a guess.
type Store interface {
	// FirstUse records each use whose key is not held (never seen, or its
	// hold ended at or before now) and reports for each whether this call
	// was its first use: first[i] answers uses[i]. Each key is decided
	// atomically: of concurrent calls with the same key, across every
	// process sharing the store, at most one reports true. An error means
	// no answer at all (the caller refuses the request: fail closed), and
	// first is then nil.
	FirstUse(ctx context.Context, now time.Time, uses ...Use) (first []bool, err error)
}

// MaxKeyLength is the longest key a Store accepts, in bytes. A key built by Key
// is far shorter; the bound keeps a store's memory per key small when a
// caller passes its own keys (RFC7523-3 item 7 and DPOP-11.1 let the client
// choose the jti, so an unbounded key would be the client's to size).
const MaxKeyLength = 512

// ErrFull is returned by Memory when it holds its limit of keys and none of
// them has expired. Refusing is the only safe answer: evicting a live key
// would let that key be used a second time (FAPI2-SP-5.3.2.2-9, DPOP-11.1).
var ErrFull = errors.New("onetime: store full of live keys")

// ErrUnavailable is returned, wrapping the cause, by a store that cannot be
// reached or did not answer in time. The request is refused: a use that was
// not recorded must not be accepted (FAPI2-SP-5.3.2.2-9, RFC7523-3 item 7).
var ErrUnavailable = errors.New("onetime: store unavailable")

// ErrInvalidUse is returned, before anything is recorded, for a use whose
// key is empty or longer than MaxKeyLength, or whose Until is not after now: a
// hold that has already ended would record nothing, so the one-time rule it
// serves (PAR-7.3, DPOP-11.1) could not be kept.
var ErrInvalidUse = errors.New("onetime: invalid use")

// Validate reports whether u can be recorded at now: an error wrapping
// ErrInvalidUse when its key is empty or longer than MaxKeyLength, or its Until
// is not after now. Every Store of this library checks each use with it
// before recording any, so one invalid use leaves the store unchanged
// (the fail-closed answer of the Store contract, FAPI2-SP-5.3.2.2-9).
func (u Use) Validate(now time.Time) error {
	switch {
	case u.Key == "":
		return fmt.Errorf("%w: empty key", ErrInvalidUse)
	case len(u.Key) > MaxKeyLength:
		return fmt.Errorf("%w: key of %d bytes, over the maximum of %d", ErrInvalidUse, len(u.Key), MaxKeyLength)
	case !u.Until.After(now):
		return fmt.Errorf("%w: key %q held until %s, not after now (%s)", ErrInvalidUse, u.Key,
			u.Until.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
	}
	return nil
}

// The kinds of one-time values the library records, the first argument of
// Key. Each names the rule it serves.
const (
	// KindClientAssertion is the jti of a private_key_jwt or
	// client_secret_jwt client assertion, with the client_id: RFC7523-3
	// (item 7), OIDCC-9.
	KindClientAssertion = "client_assertion"
	// KindDPoPProof is the jti of a DPoP proof, with the thumbprint of its
	// key: DPOP-11.1.
	KindDPoPProof = "dpop"
	// KindCode is an authorization code redeemed at the token endpoint:
	// FAPI1-BASE-5.2.2-13, FAPI2-SP-5.3.2.2-9, RFC6749-4.1.2.
	KindCode = "code"
	// KindRequestURI is a request_uri issued by the pushed authorization
	// request endpoint: PAR-4, PAR-7.3.
	KindRequestURI = "request_uri"
	// KindRefreshToken is a refresh token that was rotated and must not be
	// used again: RFC9700-4.14.2, RFC6749-10.4.
	KindRefreshToken = "refresh_token"
)

// Key returns the store key of a one-time value: kind, a colon, and the
// unpadded base64url encoding (RFC 4648 §5) of the SHA-256 digest of parts.
//
// Each part is length-prefixed before hashing (its length as 8 bytes, big
// endian, then its bytes), so the parts are separated unambiguously:
// ("a", "bc"), ("ab", "c") and ("abc") give three different keys, and no
// choice of a jti can make one client's key equal another's. The result is
// len(kind)+44 bytes whatever the parts' lengths: a store never sees the
// client's bytes, only a fixed-size digest of them (RFC7523-3 item 7 and
// DPOP-11.1 leave the jti to the client).
//
// parts are the values that identify the use within its kind, for example
// the client_id and the jti of a client assertion, or the DPoP key's
// thumbprint and the proof's jti.
func Key(kind string, parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var sum [sha256.Size]byte
	var out [44 + 64]byte
	b := append(out[:0], kind...)
	b = append(b, ':')
	b = base64.RawURLEncoding.AppendEncode(b, h.Sum(sum[:0]))
	return string(b)
}
