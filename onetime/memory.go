package onetime

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

const shards = 32

// Memory is a Store in the process's memory: bounded, expiring, safe for
// concurrent use. It suits one server instance and tests; instances that
// share traffic need a shared store.
type Memory struct {
	seed   maphash.Seed
	limit  int // live keys per shard
	shards [shards]shard
}

type shard struct {
	mu   sync.Mutex
	keys map[string]time.Time // key → end of its hold
	// earliest is the earliest end of a hold in keys (zero when empty): a
	// full shard is swept only once a hold may have ended, so a full
	// store refuses in constant time.
	earliest time.Time
}

// NewMemory returns a memory store holding at most limit live keys (at
// least one per shard: a smaller limit is rounded up). When full of live
// keys it refuses new ones with ErrFull.
func NewMemory(limit int) *Memory {
	per := (limit + shards - 1) / shards
	if per < 1 {
		per = 1
	}
	m := &Memory{seed: maphash.MakeSeed(), limit: per}
	for i := range m.shards {
		m.shards[i].keys = make(map[string]time.Time)
	}
	return m
}

// FirstUse implements Store. Uses are decided in order, so the same key
// twice in one call is first true, then false. Invalid uses make the whole
// call fail with ErrInvalidUse, a full shard with ErrFull; keys decided
// before the failure stay recorded (the request is refused either way).
func (m *Memory) FirstUse(ctx context.Context, now time.Time, uses ...Use) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, u := range uses {
		if err := u.Validate(now); err != nil {
			return nil, err
		}
	}
	first := make([]bool, len(uses))
	for i, u := range uses {
		s := &m.shards[maphash.String(m.seed, u.Key)%shards]
		ok, err := s.use(u, now, m.limit)
		if err != nil {
			return nil, err
		}
		first[i] = ok
	}
	return first, nil
}

func (s *shard) use(u Use, now time.Time, limit int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until, held := s.keys[u.Key]; held && until.After(now) {
		return false, nil
	}
	if len(s.keys) >= limit {
		if now.Before(s.earliest) {
			return false, ErrFull
		}
		// Drop the ended holds; refuse if every key is still live.
		s.earliest = time.Time{}
		for k, until := range s.keys {
			if !until.After(now) {
				delete(s.keys, k)
			} else if s.earliest.IsZero() || until.Before(s.earliest) {
				s.earliest = until
			}
		}
		if len(s.keys) >= limit {
			return false, ErrFull
		}
	}
	s.keys[u.Key] = u.Until
	if s.earliest.IsZero() || u.Until.Before(s.earliest) {
		s.earliest = u.Until
	}
	return true, nil
}

// Len returns the number of keys held, ended holds not yet dropped
// included.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.keys)
		s.mu.Unlock()
	}
	return n
}
