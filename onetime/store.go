// Package onetime records the first use of keys that FAPI allows to be
// used only once: authorization codes (RFC 6749 §4.1.2), pushed request
// URIs (RFC 9126 §2.2, §4), client-assertion jti values (RFC 7523 §3 item
// 7), DPoP proof jti values (RFC 9449 §11.1) and rotated refresh tokens
// (RFC 9700 §4.14.2).
//
// The library's checks plug a Store in through fapi.WithStore; several
// server instances share one store (a Redis one lives in its own module)
// so that a key used at one instance is refused at the others. A store
// that cannot answer makes the request fail: an error is never an accept.
package onetime

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// Use asks for the first use of Key, held until Until.
type Use struct {
	Key   string    `json:"key"`
	Until time.Time `json:"until"`
}

// Store records first uses of keys.
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

// Errors a Store returns; test them with errors.Is.
var (
	// ErrFull: the store holds as many live keys as it may. Evicting a
	// live key would let it be used again, so the only safe answer is to
	// refuse.
	ErrFull = errors.New("onetime: store full")
	// ErrUnavailable: the store could not be reached or did not answer.
	ErrUnavailable = errors.New("onetime: store unavailable")
	// ErrInvalidUse: an empty key, a key longer than MaxKeyLength, or an
	// Until that is not after now.
	ErrInvalidUse = errors.New("onetime: invalid use")
)

// MaxKeyLength bounds a key. Keys built with Key are far shorter.
const MaxKeyLength = 512

// The kinds of keys the library records.
const (
	KindClientAssertion = "client_assertion"
	KindDPoPProof       = "dpop"
	KindCode            = "code"
	KindRequestURI      = "request_uri"
	KindRefreshToken    = "refresh_token"
)

// Key builds the store key of a kind and its parts: kind, ":", and the
// base64url SHA-256 of the parts, each prefixed with its length, so that
// ("a", "bc") and ("ab", "c") never share a key, and the store never holds
// a secret (a code, a refresh token) or an unbounded client-chosen value
// (a jti).
func Key(kind string, parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return kind + ":" + base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// Validate reports whether u is a use a Store accepts at now: a non-empty
// key of at most MaxKeyLength bytes, held until after now.
func (u Use) Validate(now time.Time) error {
	switch {
	case u.Key == "" || len(u.Key) > MaxKeyLength:
		return ErrInvalidUse
	case !u.Until.After(now):
		return ErrInvalidUse
	}
	return nil
}
