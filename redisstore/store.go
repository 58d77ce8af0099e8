package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fapicheck/fapicheck/onetime"
)

// DefaultPrefix is put before every key unless WithPrefix says otherwise, so
// the store's keys (FAPI2-SP-5.3.2.2-9, DPOP-11.1) do not collide with
// other data in the same database.
const DefaultPrefix = "fapicheck:"

// DefaultTimeout bounds each FirstUse call unless WithTimeout says
// otherwise: a request whose one-time values cannot be recorded in that
// time is refused (fail closed, FAPI2-SP-5.3.2.2-9) rather than left
// waiting.
const DefaultTimeout = time.Second

// Store is a onetime.Store in Redis or Valkey, shared by every process that
// uses the same server and prefix: the one-time rules of
// FAPI2-SP-5.3.2.2-9, PAR-7.3, RFC7523-3 (item 7) and DPOP-11.1 then hold
// across all the instances of an authorization server. It is safe for
// concurrent use.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
}

// Option configures a Store built by New.
type Option func(*Store)

// WithPrefix sets the string put before every key (default DefaultPrefix).
// Stores that must not see each other's keys (two authorization servers
// with different issuers on one Redis) take different prefixes; the
// instances of one server must share one, or a code used at one instance
// could be used again at another (FAPI2-SP-5.3.2.2-9).
func WithPrefix(prefix string) Option {
	return func(s *Store) { s.prefix = prefix }
}

// WithTimeout bounds each FirstUse call, on top of the caller's context
// (default DefaultTimeout). A call that takes longer fails with
// onetime.ErrUnavailable and the request is refused (FAPI2-SP-5.3.2.2-9).
// Zero or a negative value sets no bound beyond the context and the
// client's own read and write timeouts.
func WithTimeout(d time.Duration) Option {
	return func(s *Store) { s.timeout = d }
}

// New returns a Store that records uses through c (a *redis.Client,
// *redis.ClusterClient, or any other redis.UniversalClient). The client is
// the caller's: New does not connect, and the Store never closes it.
// It is the shared store behind the one-time rules of FAPI2-SP-5.3.2.2-9
// and DPOP-11.1.
func New(c redis.UniversalClient, opts ...Option) *Store {
	s := &Store{client: c, prefix: DefaultPrefix, timeout: DefaultTimeout}
	for _, o := range opts {
		o(s)
	}
	return s
}

// FirstUse implements onetime.Store (FAPI2-SP-5.3.2.2-9, PAR-7.3,
// RFC7523-3 item 7, DPOP-11.1). Each use is checked with onetime.Use.Validate
// first: one invalid use fails the call with onetime.ErrInvalidUse before
// anything is sent. The uses are then sent in one pipeline, one
// SET prefix+key 1 NX PX ms each; a use is first when its SET was
// executed, and not first when the key was already held. Any other outcome
// of any command fails the whole call with an error wrapping
// onetime.ErrUnavailable and returns no answer; the SETs that did succeed
// stay (their keys are consumed, never reported first). A context already
// done fails the call with its error before anything is sent.
//
// A key given twice in one call is first for its first occurrence only: the
// server executes the pipeline's commands in order.
func (s *Store) FirstUse(ctx context.Context, now time.Time, uses ...onetime.Use) ([]bool, error) {
	for i := range uses {
		if err := uses[i].Validate(now); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	if len(uses) == 0 {
		return []bool{}, nil
	}
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	cmds := make([]*redis.Cmd, len(uses))
	// The pipeline's own error is the first failed command's, redis.Nil
	// (a key already held) included; each command is read below instead.
	_, _ = s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, u := range uses {
			cmds[i] = p.Do(ctx, "SET", s.prefix+u.Key, "1", "NX", "PX", strconv.FormatInt(holdMillis(u.Until.Sub(now)), 10))
		}
		return nil
	})
	first := make([]bool, len(uses))
	for i, cmd := range cmds {
		v, err := cmd.Result()
		switch {
		case errors.Is(err, redis.Nil):
			first[i] = false
		case err != nil:
			return nil, fmt.Errorf("%w: redisstore: SET of use %d: %w", onetime.ErrUnavailable, i, err)
		case v == "OK":
			first[i] = true
		default:
			return nil, fmt.Errorf("%w: redisstore: SET of use %d answered %v, not OK or nil", onetime.ErrUnavailable, i, v)
		}
	}
	return first, nil
}

// holdMillis is d in whole milliseconds, rounded up: never shorter than d,
// and at least 1 for any d > 0 (onetime.Use.Validate has made sure d > 0).
// time.Time.Sub saturates at about 292 years, so the result fits what
// Redis accepts.
func holdMillis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return max(ms, 1)
}
