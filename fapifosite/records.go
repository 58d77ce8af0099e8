package fapifosite

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/onetime"
)

// Records keeps what the provider stores between the requests of a flow:
// the record of a pushed request_uri (RFC 9126 §2.2), of an authorization
// code (RFC 6749 §4.1.3), of a refresh token (RFC 6749 §6) and of an access
// token (its binding, RFC 8705 §3, RFC 9449 §6) — what the library's check
// points take back (fapi.PushedRecord, fapi.AuthorizationRecord,
// fapi.RefreshRecord, fapi.AccessTokenRecord) and fosite has no place for.
// Several server instances share one Records, as they share fosite's storage.
//
// Keys are derived with onetime.Key from the request_uri, code or token, so
// a store never sees a code or token; values are JSON.
type Records interface {
	// Put stores value under key until until, replacing what the key held.
	// An error means nothing was stored: the provider then answers
	// server_error and issues nothing.
	Put(ctx context.Context, now time.Time, key string, value []byte, until time.Time) error
	// Get returns the value stored under key, or ErrNoRecord when there is
	// none or its until is at or before now. Any other error makes the
	// request fail (server_error): never an accept.
	Get(ctx context.Context, now time.Time, key string) ([]byte, error)
}

var (
	// ErrNoRecord is returned by Records.Get for a key with no live record.
	ErrNoRecord = errors.New("fapifosite: no record")
	// ErrRecordsFull is returned by MemoryRecords.Put when it holds its limit
	// of live records: dropping a live one would lose a binding, so the new
	// one is refused.
	ErrRecordsFull = errors.New("fapifosite: records full")
)

// The kinds of record, the first part of their onetime.Key.
const (
	kindPushed  = "fapifosite.pushed"
	kindCode    = "fapifosite.code"
	kindRefresh = "fapifosite.refresh"
	kindAccess  = "fapifosite.access"
)

// codeRecord is what the provider keeps with an authorization code: the
// library's record and fosite's request ID, through which the tokens issued
// for the code are revoked when it is reused (RFC 6749 §4.1.2).
type codeRecord struct {
	Authorization fapi.AuthorizationRecord `json:"authorization"`
	RequestID     string                   `json:"request_id"`
}

// refreshRecord is what the provider keeps with a refresh token: the
// library's record and fosite's request ID, through which the grant's
// tokens are revoked when a rotated token is reused (RFC 9700 §4.14.2).
type refreshRecord struct {
	Refresh   fapi.RefreshRecord `json:"refresh"`
	RequestID string             `json:"request_id"`
	// Until is how long the record is kept, so that rotation can rewrite it.
	Until time.Time `json:"until"`
}

// accessRecord is what the provider keeps with an access token: the
// library's record of its binding, for the resource check point.
type accessRecord struct {
	Access    fapi.AccessTokenRecord `json:"access"`
	ClientID  string                 `json:"client_id"`
	RequestID string                 `json:"request_id"`
}

// putRecord stores v as JSON under onetime.Key(kind, secret).
func putRecord(ctx context.Context, rs Records, now time.Time, kind, secret string, v any, until time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return rs.Put(ctx, now, onetime.Key(kind, secret), b, until)
}

// getRecord reads the record under onetime.Key(kind, secret) into v; found
// is false when there is none, and err is set when the store failed or the
// record cannot be read.
func getRecord(ctx context.Context, rs Records, now time.Time, kind, secret string, v any) (found bool, err error) {
	b, err := rs.Get(ctx, now, onetime.Key(kind, secret))
	if errors.Is(err, ErrNoRecord) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, err
	}
	return true, nil
}

// MemoryRecords is a Records in memory, for one server instance: bounded,
// expiring, safe for concurrent use, with no goroutine.
type MemoryRecords struct {
	mu    sync.Mutex
	limit int
	m     map[string]memoryRecord
	// earliest is no later than the earliest until held: while now is
	// before it, a full store has nothing to drop and refuses at once.
	earliest time.Time
}

type memoryRecord struct {
	value []byte
	until time.Time
}

// NewMemoryRecords returns a MemoryRecords holding at most limit live
// records (at least 1).
func NewMemoryRecords(limit int) *MemoryRecords {
	return &MemoryRecords{limit: max(limit, 1), m: make(map[string]memoryRecord)}
}

// Put stores a copy of value under key until until. When the store holds
// its limit, expired records are dropped first; if every record is still
// live, Put returns ErrRecordsFull, in constant time until the earliest
// record can have expired. An until at or before now stores nothing (and
// drops what key held); it is not an error.
func (m *MemoryRecords) Put(ctx context.Context, now time.Time, key string, value []byte, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !until.After(now) {
		delete(m.m, key)
		return nil
	}
	if _, ok := m.m[key]; !ok && len(m.m) >= m.limit {
		if now.Before(m.earliest) {
			return ErrRecordsFull
		}
		m.earliest = time.Time{}
		for k, r := range m.m {
			switch {
			case !r.until.After(now):
				delete(m.m, k)
			case m.earliest.IsZero() || r.until.Before(m.earliest):
				m.earliest = r.until
			}
		}
		if len(m.m) >= m.limit {
			return ErrRecordsFull
		}
	}
	if len(m.m) == 0 || until.Before(m.earliest) {
		m.earliest = until
	}
	m.m[key] = memoryRecord{value: append([]byte(nil), value...), until: until}
	return nil
}

// Get returns a copy of the value under key, or ErrNoRecord.
func (m *MemoryRecords) Get(ctx context.Context, now time.Time, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.m[key]
	if !ok || !r.until.After(now) {
		return nil, ErrNoRecord
	}
	return append([]byte(nil), r.value...), nil
}

// Len returns the number of records held, expired ones not yet dropped
// included.
func (m *MemoryRecords) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}
