package onetime

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// shardCount is the number of independently locked parts of a Memory: a
// power of two, so the top shardBits bits of a key's hash pick its shard.
const (
	shardBits  = 6
	shardCount = 1 << shardBits
)

// reclaimBatch is how many expired keys one call reclaims from its shard
// before deciding, when the store is not full. Each call adds at most one
// key to a shard and removes up to this many expired ones, so a backlog
// drains while no call pays for more than a few.
const reclaimBatch = 4

// Memory is a Store for one process: the keys live in its memory, so
// several server instances cannot share it (use a shared store, such as the
// redisstore module's, for those). It keeps the one-time rules of
// FAPI2-SP-5.3.2.2-9, PAR-7.3, RFC7523-3 (item 7) and DPOP-11.1 for a
// single server.
//
// It is bounded: it holds at most the limit given to NewMemory of keys, and
// when that many are held and none has expired it answers ErrFull rather
// than forget a live key. Expired keys are reclaimed as calls come: each
// call removes a few expired keys of the shard it touches, and a call that
// finds the store full reclaims every expired key before it gives up. It
// starts no goroutine and reads no clock; every decision uses the now
// passed to FirstUse.
//
// The keys are spread over 64 independently locked shards by a hash seeded
// per Memory; the bound is on the whole store, not per shard. A Memory is
// safe for concurrent use and must not be copied after first use.
type Memory struct {
	seed   maphash.Seed
	limit  int64
	count  atomic.Int64 // keys stored in every shard, expired ones not yet reclaimed included
	shards [shardCount]shard
}

// shard is one locked part of a Memory: its keys and a min-heap of the same
// entries ordered by the end of their hold, so the expired ones are found
// at the top without a scan.
type shard struct {
	mu   sync.Mutex
	keys map[uint64]*entry // by the key's hash; keys of one hash are chained
	heap []*entry
	free []*entry // reclaimed entries kept for new keys, at most freeCap
	_    [64]byte // keeps neighbouring shards' locks off one cache line
}

// freeCap is how many reclaimed entries a shard keeps for reuse: enough to
// absorb the ups and downs of a steady flow of keys without allocating,
// few enough that a store that emptied gives its memory back.
const freeCap = 32

// newEntry returns a reclaimed entry, or a new one.
func (s *shard) newEntry() *entry {
	if n := len(s.free); n > 0 {
		e := s.free[n-1]
		s.free[n-1] = nil
		s.free = s.free[:n-1]
		return e
	}
	return &entry{}
}

type entry struct {
	key   string
	hash  uint64 // maphash of key under the Memory's seed
	until int64  // nanoseconds since the Unix epoch, clamped (see unixNano)
	index int    // position in the shard's heap
	next  *entry // the next entry of the same hash
}

// NewMemory returns an empty Memory that holds at most limit keys. It panics
// if limit is less than 1: a store that can hold nothing would refuse every
// request. Size limit for the peak number of values live at once: for
// example the client assertions and DPoP proofs accepted within their
// windows (RFC7523-3 item 7, DPOP-11.1) plus the codes and request_uris not
// yet expired.
func NewMemory(limit int) *Memory {
	if limit < 1 {
		panic(fmt.Sprintf("onetime: NewMemory limit %d, must be at least 1", limit))
	}
	m := &Memory{seed: maphash.MakeSeed(), limit: int64(limit)}
	for i := range m.shards {
		m.shards[i].keys = make(map[uint64]*entry)
	}
	return m
}

// FirstUse implements Store (FAPI2-SP-5.3.2.2-9, DPOP-11.1). Each use is
// checked with Use.Validate before any is recorded; ctx is consulted once,
// before anything is recorded, since the work after it is short and cannot
// block. A key given twice in one call is first for its first occurrence
// only. When the store is full (ErrFull) at the k-th use, the uses before it
// stay recorded: a failed call may consume keys, but never reports one as
// first. A nil *Memory, or a Memory not made by NewMemory, answers
// ErrUnavailable: it holds nothing (fail closed).
func (m *Memory) FirstUse(ctx context.Context, now time.Time, uses ...Use) ([]bool, error) {
	if m == nil || m.limit == 0 {
		// A nil *Memory, or one not made by NewMemory, holds nothing:
		// fail closed.
		return nil, ErrUnavailable
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("onetime: %w", err)
	}
	for i := range uses {
		if err := uses[i].Validate(now); err != nil {
			return nil, err
		}
	}
	n := unixNano(now)
	first := make([]bool, len(uses))
	for i := range uses {
		ok, err := m.use(uses[i].Key, unixNano(uses[i].Until), n)
		if err != nil {
			return nil, err
		}
		first[i] = ok
	}
	return first, nil
}

// Len returns the number of keys the store holds, expired keys not yet
// reclaimed included. It never exceeds the limit given to NewMemory, the
// bound that keeps the store's memory fixed (FAPI2-SP-5.3.2.2-9 asks for
// codes to be refused once used, not for unbounded memory).
func (m *Memory) Len() int {
	if m == nil {
		return 0
	}
	return int(m.count.Load())
}

// Reclaim removes every key whose hold ended at or before now and returns
// how many it removed. FirstUse reclaims as it goes, so calling Reclaim is
// never needed for correctness; it only gives the memory back sooner, for
// example from a server's own periodic task. It never removes a held key,
// so no one-time value (DPOP-11.1, PAR-7.3) becomes usable again early.
func (m *Memory) Reclaim(now time.Time) int {
	if m == nil || m.limit == 0 {
		return 0
	}
	n := unixNano(now)
	removed := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		removed += m.reclaim(s, n, math.MaxInt)
		s.mu.Unlock()
	}
	return removed
}

// use decides one key: true when it is not held at now and has been
// recorded, held until until.
func (m *Memory) use(key string, until, now int64) (bool, error) {
	h := maphash.String(m.seed, key)
	s := &m.shards[h>>(64-shardBits)]
	for attempt := 0; ; attempt++ {
		s.mu.Lock()
		if e := s.find(h, key); e != nil {
			if e.until > now {
				s.mu.Unlock()
				return false, nil
			}
			// Expired but not reclaimed yet: held again, in place.
			e.until = until
			s.fix(e.index)
			m.reclaim(s, now, reclaimBatch)
			s.mu.Unlock()
			return true, nil
		}
		if len(s.heap) > 0 && s.heap[0].until <= now {
			// The shard's earliest hold has ended: its entry takes the new
			// key, so the count and the allocations stay as they are.
			e := s.heap[0]
			s.unlink(e)
			e.key, e.hash, e.until = key, h, until
			s.link(e)
			s.down(0)
			m.reclaim(s, now, reclaimBatch)
			s.mu.Unlock()
			return true, nil
		}
		if m.reserve() {
			e := s.newEntry()
			e.key, e.hash, e.until = key, h, until
			s.link(e)
			s.push(e)
			s.mu.Unlock()
			return true, nil
		}
		s.mu.Unlock()
		if attempt > 0 {
			return false, fmt.Errorf("%w: %d keys held, none expired", ErrFull, m.limit)
		}
		// Full: reclaim every expired key of every shard, one shard locked
		// at a time, then decide again from the start (the key may have
		// been recorded meanwhile).
		m.Reclaim(time.Unix(0, now))
	}
}

// find returns the entry of key, whose hash is h, or nil.
func (s *shard) find(h uint64, key string) *entry {
	for e := s.keys[h]; e != nil; e = e.next {
		if e.key == key {
			return e
		}
	}
	return nil
}

// link adds e to the chain of its hash.
func (s *shard) link(e *entry) {
	e.next = s.keys[e.hash]
	s.keys[e.hash] = e
}

// unlink removes e from the chain of its hash.
func (s *shard) unlink(e *entry) {
	head := s.keys[e.hash]
	if head == e {
		if e.next == nil {
			delete(s.keys, e.hash)
		} else {
			s.keys[e.hash] = e.next
		}
		e.next = nil
		return
	}
	for p := head; p != nil; p = p.next {
		if p.next == e {
			p.next = e.next
			break
		}
	}
	e.next = nil
}

// reserve takes one place under the limit, or reports that there is none.
func (m *Memory) reserve() bool {
	for {
		c := m.count.Load()
		if c >= m.limit {
			return false
		}
		if m.count.CompareAndSwap(c, c+1) {
			return true
		}
	}
}

// reclaim removes up to max expired entries of s (whose lock is held) and
// returns how many it removed.
func (m *Memory) reclaim(s *shard, now int64, max int) int {
	removed := 0
	for removed < max && len(s.heap) > 0 && s.heap[0].until <= now {
		e := s.pop()
		s.unlink(e)
		if len(s.free) < freeCap {
			*e = entry{}
			s.free = append(s.free, e)
		}
		removed++
	}
	if removed > 0 {
		m.count.Add(-int64(removed))
	}
	return removed
}

func (s *shard) push(e *entry) {
	e.index = len(s.heap)
	s.heap = append(s.heap, e)
	s.up(e.index)
}

func (s *shard) pop() *entry {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[0].index = 0
	h[last] = nil
	s.heap = h[:last]
	if last > 0 {
		s.down(0)
	}
	return top
}

// fix restores the heap order after the entry at i changed its until.
func (s *shard) fix(i int) {
	if !s.down(i) {
		s.up(i)
	}
}

func (s *shard) up(i int) {
	h := s.heap
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent].until <= h[i].until {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		h[parent].index, h[i].index = parent, i
		i = parent
	}
}

// down moves the entry at i towards the leaves and reports whether it moved.
func (s *shard) down(i int) bool {
	h := s.heap
	start := i
	for {
		least := i
		if l := 2*i + 1; l < len(h) && h[l].until < h[least].until {
			least = l
		}
		if r := 2*i + 2; r < len(h) && h[r].until < h[least].until {
			least = r
		}
		if least == i {
			return i > start
		}
		h[least], h[i] = h[i], h[least]
		h[least].index, h[i].index = least, i
		i = least
	}
}

// unixNano is t in nanoseconds since the Unix epoch, clamped to the int64
// range (years 1678 to 2262), where time.Time.UnixNano is undefined. The
// order of times inside the range is kept exactly.
func unixNano(t time.Time) int64 {
	const maxSec = math.MaxInt64 / int64(time.Second)
	switch s := t.Unix(); {
	case s >= maxSec:
		return math.MaxInt64
	case s <= -maxSec:
		return math.MinInt64
	}
	return t.UnixNano()
}
