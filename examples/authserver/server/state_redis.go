package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisState is a State in Redis or Valkey, shared by every instance of the
// server that uses the same server and prefix: a code, request_uri or
// token one instance issued is found at the others, and a grant one
// revoked is revoked for all. Each Put is one SET key value PX ms, each Get
// one GET; both are bounded by the timeout. Any error but a missing key is
// an error (fail closed).
type RedisState struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
}

// NewRedisState returns a State that keeps its records under prefix in c.
// The client is the caller's: the State never closes it. A timeout of zero
// or less sets no bound beyond the context.
func NewRedisState(c redis.UniversalClient, prefix string, timeout time.Duration) *RedisState {
	return &RedisState{client: c, prefix: prefix, timeout: timeout}
}

func (r *RedisState) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.timeout > 0 {
		return context.WithTimeout(ctx, r.timeout)
	}
	return ctx, func() {}
}

// Put implements State. The hold is until minus now, rounded up to a whole
// millisecond, counted by the Redis server from when it runs the command.
func (r *RedisState) Put(ctx context.Context, key string, value []byte, until, now time.Time) error {
	d := until.Sub(now)
	if d <= 0 {
		return errors.New("state: a record must be held until after now")
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	v, err := r.client.Do(ctx, "SET", r.prefix+key, value, "PX", strconv.FormatInt(int64(ms), 10)).Result()
	if err != nil {
		return fmt.Errorf("state: redis SET: %w", err)
	}
	if v != "OK" {
		return fmt.Errorf("state: redis SET answered %v", v)
	}
	return nil
}

// Get implements State.
func (r *RedisState) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	v, err := r.client.Get(ctx, r.prefix+key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("state: redis GET: %w", err)
	}
	return v, nil
}
