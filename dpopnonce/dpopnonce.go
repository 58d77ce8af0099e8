// Package dpopnonce issues and checks DPoP server nonces (RFC 9449 §8 at
// the authorization server, §9 at a resource server) without storing
// anything.
//
// A nonce is the base64url HMAC-SHA-256, under a server secret, of a
// context label, the window length and the index of the current time
// window. Nothing is
// stored: every server instance that shares the secret (and the label and
// window) issues the same nonce in the same window and accepts the nonces
// of the others. The nonce carries no timestamp or counter in the clear;
// it reveals nothing but itself, and without the secret the nonce of a
// later window cannot be computed.
//
// # Lifetime
//
// Valid accepts the nonce of the current window and of the previous one,
// so a nonce handed out just before a window boundary still works for one
// full window: a nonce lives between one window and two. RFC 9449 §8 leaves
// the lifetime to the server; its purpose is to bound how long a proof a
// client (or an attacker who had the client's key for a moment) signed in
// advance stays usable, whatever iat it claims. DefaultWindow is five
// minutes, so a nonce lives at most ten: of the order of the five minutes
// for which package dpop accepts a proof's iat (dpop.DefaultMaxAge), short
// enough that a proof signed ahead of time expires within minutes, and
// long enough that a client seldom has to retry with a fresh nonce (each
// use_dpop_nonce answer costs a round trip). Windows shorter than
// MinWindow are refused: they would make clients retry constantly and
// turn the clock differences between instances into refusals.
//
// Instances' clocks differ a little. An instance whose clock is behind
// also accepts the nonce of the next window while now plus the clock skew
// (WithClockSkew, DefaultClockSkew) falls into it: such a nonce can only
// come from an instance already in that window, so this extends no
// nonce's lifetime. An instance ahead accepts the behind one's nonces as
// its previous window's.
//
// # Contexts and rotation
//
// WithLabel separates contexts that share a secret: an authorization
// server and a resource server (RFC 9449 §9 lets their nonces differ), or
// two resource servers, issue and accept different nonces. During a
// secret rotation WithPreviousSecrets names the secrets still accepted;
// nonces are always issued under the current one.
//
// A Source is immutable and safe for concurrent use; the package has no
// global state.
package dpopnonce

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Bounds and defaults of a Source.
const (
	// MinSecretSize is the shortest secret accepted, in bytes: the size of
	// the HMAC-SHA-256 output (RFC 2104 §3 recommends keys no shorter than
	// the hash output).
	MinSecretSize = 32
	// DefaultWindow is the window length when WithWindow is not given:
	// nonces live between five and ten minutes (see the package
	// documentation).
	DefaultWindow = 5 * time.Minute
	// MinWindow and MaxWindow bound WithWindow. Below ten seconds clients
	// would retry constantly; above an hour a nonce (living up to two
	// windows) no longer bounds a proof's lifetime in any useful way
	// (RFC 9449 §8, §11.1).
	MinWindow = 10 * time.Second
	MaxWindow = time.Hour
	// DefaultClockSkew is the clock difference between instances sharing
	// a secret that Valid tolerates when WithClockSkew is not given
	// (capped at half the window).
	DefaultClockSkew = 10 * time.Second
	// MaxPreviousSecrets bounds WithPreviousSecrets: Valid computes two or
	// three HMACs per secret, so the work per nonce stays bounded.
	MaxPreviousSecrets = 4
	// MaxLabelSize is the longest label accepted, in bytes.
	MaxLabelSize = 256
	// Length is the length of every nonce: the unpadded base64url encoding
	// of a 32-byte HMAC-SHA-256.
	Length = 43
)

// The errors New returns, wrapped with the value at fault; test them with
// errors.Is.
var (
	// ErrSecretTooShort: a secret (current or previous) is shorter than
	// MinSecretSize bytes.
	ErrSecretTooShort = errors.New("dpopnonce: secret too short")
	// ErrWindowInvalid: the window is outside MinWindow to MaxWindow or
	// not a whole number of seconds.
	ErrWindowInvalid = errors.New("dpopnonce: window invalid")
	// ErrClockSkewInvalid: the clock skew is negative or more than half
	// the window.
	ErrClockSkewInvalid = errors.New("dpopnonce: clock skew invalid")
	// ErrLabelTooLong: the label is longer than MaxLabelSize bytes.
	ErrLabelTooLong = errors.New("dpopnonce: label too long")
	// ErrTooManySecrets: more than MaxPreviousSecrets previous secrets.
	ErrTooManySecrets = errors.New("dpopnonce: too many previous secrets")
)

// domain starts every HMAC input, so that a secret reused elsewhere never
// produces the same MAC as a nonce (and a later format can change it).
const domain = "fapicheck dpop-nonce v1"

// config collects the options.
type config struct {
	window   time.Duration
	skew     time.Duration
	skewSet  bool
	label    string
	previous [][]byte
}

// Option configures a Source.
type Option func(*config)

// WithWindow sets the window length: a nonce is valid in the window it was
// issued in and the next one (RFC 9449 §8). It must be a whole number of
// seconds between MinWindow and MaxWindow; the default is DefaultWindow.
func WithWindow(d time.Duration) Option { return func(c *config) { c.window = d } }

// WithClockSkew sets the clock difference between the instances sharing
// the secret that Valid tolerates at a window boundary: the next window's
// nonce is accepted while now plus d is in that window. It must be between
// 0 and half the window; the default is DefaultClockSkew, or half the
// window when that is shorter.
func WithClockSkew(d time.Duration) Option {
	return func(c *config) { c.skew, c.skewSet = d, true }
}

// WithLabel sets the context label, so that sources sharing a secret but
// not a label issue and accept different nonces: an authorization
// server's and a resource server's (RFC 9449 §9), or two resource
// servers'. The default is "". At most MaxLabelSize bytes.
func WithLabel(label string) Option { return func(c *config) { c.label = label } }

// WithPreviousSecrets names secrets that Valid still accepts during a
// secret rotation (at most MaxPreviousSecrets, each at least
// MinSecretSize bytes). Nonces are issued under the current secret only;
// drop a previous secret two windows after the rotation, when no nonce
// issued under it is valid any more.
//
// Instances are rotated in two steps, so that none refuses a nonce
// another one issued: first every instance accepts the new secret as a
// previous one, New(old, WithPreviousSecrets(new)); then every instance
// issues under it, New(new, WithPreviousSecrets(old)).
func WithPreviousSecrets(secrets ...[]byte) Option {
	return func(c *config) { c.previous = append(c.previous, secrets...) }
}

// Source issues and checks the nonces of one secret, label and window.
// It is immutable and safe for concurrent use.
type Source struct {
	// keys are the secrets, current first; copies of the caller's.
	keys [][]byte
	// prefix is the HMAC input before the window index: the domain and the
	// label, each with its length, and the window length in seconds.
	prefix []byte
	window int64 // seconds
	skew   time.Duration
}

// New returns a Source for secret, which must be at least MinSecretSize
// bytes of a cryptographically random value shared by every instance that
// issues or accepts the same nonces (and by no other context, unless the
// labels differ). The secret and previous secrets are copied.
func New(secret []byte, opts ...Option) (*Source, error) {
	c := config{window: DefaultWindow}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if len(secret) < MinSecretSize {
		return nil, fmt.Errorf("%w: %d bytes, at least %d needed", ErrSecretTooShort, len(secret), MinSecretSize)
	}
	if len(c.previous) > MaxPreviousSecrets {
		return nil, fmt.Errorf("%w: %d, at most %d", ErrTooManySecrets, len(c.previous), MaxPreviousSecrets)
	}
	for i, p := range c.previous {
		if len(p) < MinSecretSize {
			return nil, fmt.Errorf("%w: previous secret %d has %d bytes, at least %d needed", ErrSecretTooShort, i, len(p), MinSecretSize)
		}
	}
	if c.window < MinWindow || c.window > MaxWindow || c.window%time.Second != 0 {
		return nil, fmt.Errorf("%w: %s, a whole number of seconds from %s to %s needed", ErrWindowInvalid, c.window, MinWindow, MaxWindow)
	}
	if !c.skewSet {
		c.skew = min(DefaultClockSkew, c.window/2)
	}
	if c.skew < 0 || c.skew > c.window/2 {
		return nil, fmt.Errorf("%w: %s, from 0 to half the window (%s) needed", ErrClockSkewInvalid, c.skew, c.window/2)
	}
	if len(c.label) > MaxLabelSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrLabelTooLong, len(c.label), MaxLabelSize)
	}
	s := &Source{window: int64(c.window / time.Second), skew: c.skew}
	s.keys = append(s.keys, clone(secret))
	for _, p := range c.previous {
		s.keys = append(s.keys, clone(p))
	}
	s.prefix = appendField(nil, domain)
	s.prefix = appendField(s.prefix, c.label)
	// The window length is part of the input: a window index means a time
	// only under one length, so sources sharing a secret and a label but
	// not the length (a rollout changing WithWindow) must not accept each
	// other's nonces at the far-off time the other's index comes round.
	s.prefix = binary.BigEndian.AppendUint64(s.prefix, uint64(s.window))
	return s, nil
}

// Nonce returns the nonce of now's window, to send in the DPoP-Nonce
// header (RFC 9449 §8.1, §8.2, §9). It is Length characters of the
// base64url alphabet, within the NQCHAR grammar of §8.1, so that it can be
// written into a header as is. A Source not made by New (nil or the zero
// value) returns "" and Valid accepts nothing from it.
func (s *Source) Nonce(now time.Time) string {
	if s == nil || s.window == 0 {
		return "" // not made by New: no secret to issue under
	}
	var buf [Length]byte
	s.encode(&buf, s.keys[0], s.index(now))
	return string(buf[:])
}

// Valid reports whether nonce is a nonce of this Source for now's window
// or the previous one (or the next one, within the clock skew), under the
// current or a previous secret: the check of RFC 9449 §4.3 item 10. Any
// other input is refused, its length checked before any work; the
// comparison takes constant time.
func (s *Source) Valid(nonce string, now time.Time) bool {
	if s == nil || s.window == 0 || len(nonce) != Length {
		return false
	}
	idx := s.index(now)
	windows := [3]int64{idx, idx - 1, idx}
	n := 2
	if next := s.index(now.Add(s.skew)); next != idx {
		windows[2] = next
		n = 3
	}
	var want [Length]byte
	ok := 0
	for _, key := range s.keys {
		for _, w := range windows[:n] {
			s.encode(&want, key, w)
			ok |= subtle.ConstantTimeCompare(want[:], []byte(nonce))
		}
	}
	return ok == 1
}

// index is the number of the window that holds t: floor(unix seconds /
// window), also before 1970.
func (s *Source) index(t time.Time) int64 {
	sec := t.Unix()
	q := sec / s.window
	if sec%s.window < 0 {
		q--
	}
	return q
}

// encode writes the base64url HMAC of window index idx under key.
func (s *Source) encode(dst *[Length]byte, key []byte, idx int64) {
	m := hmac.New(sha256.New, key)
	m.Write(s.prefix)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(idx))
	m.Write(b[:])
	var sum [sha256.Size]byte
	base64.RawURLEncoding.Encode(dst[:], m.Sum(sum[:0]))
}

// appendField appends s with its length (4 bytes, big-endian), so that no
// two different (domain, label) pairs give the same input.
func appendField(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
