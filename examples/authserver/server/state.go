package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
)

// Lifetimes of what the server issues.
const (
	// CodeLifetime is how long an authorization code can be redeemed
	// (FAPI2-SP-5.3.2.1-11: at most 60 s; RFC 6749 §4.1.2: at most 10
	// minutes).
	CodeLifetime = codeLifetimeSeconds * time.Second
	// RequestURILifetime is how long a pushed request_uri can be used
	// (RFC 9126 §2.2; FAPI2-SP-5.3.2.2-12: under 600 s).
	RequestURILifetime = requestURILifetimeSeconds * time.Second
	// AccessTokenLifetime is the expires_in of access tokens.
	AccessTokenLifetime = 300 * time.Second
	// RefreshTokenLifetime is how long a refresh token works.
	RefreshTokenLifetime = 24 * time.Hour
	// IDTokenLifetime is how long an ID token is valid (exp − iat).
	IDTokenLifetime = 5 * time.Minute
	// JARMLifetime is how long a JARM response is valid (JARM §4.1: exp,
	// "10 minutes at most is RECOMMENDED").
	JARMLifetime = 5 * time.Minute

	// codeRecordHold is how long the record of a code is kept: as long as
	// the library holds the code's one-time use (ten minutes, RFC 6749
	// §4.1.2), so that a code presented again after its lifetime is still
	// known as reused and the tokens of its grant are revoked.
	codeRecordHold = 10 * time.Minute
	// grantHold is how long a revoked grant is remembered: longer than any
	// token of it lives.
	grantHold = RefreshTokenLifetime
)

// ErrNotFound is what a State answers for a key it does not hold, or
// holds no longer.
var ErrNotFound = errors.New("state: not found")

// ErrStateFull is what the in-memory State answers when it holds its
// limit of live records: refusing is the only safe answer, since dropping
// a live record would forget a grant's revocation.
var ErrStateFull = errors.New("state: full")

// State keeps what the server issued and must find again: pushed
// authorization requests, authorization codes, access and refresh tokens,
// and revoked grants. Every instance of the server that shares traffic
// must share one State (and one onetime.Store), or a code issued by one
// instance is unknown at the other. Keys never contain a bearer value: the
// server names records by the SHA-256 of the code or token.
//
// MemoryState keeps it in the process; the main package's -redis flag
// gives one in Redis. Implementations are safe for concurrent use, and an
// error other than ErrNotFound makes the request fail (fail closed).
type State interface {
	// Put stores value under key until until, replacing what was there.
	Put(ctx context.Context, key string, value []byte, until, now time.Time) error
	// Get returns the value stored under key, or ErrNotFound when there is
	// none at now.
	Get(ctx context.Context, key string, now time.Time) ([]byte, error)
}

// Record kinds: the prefixes of State keys.
const (
	kindPushed  = "par:"
	kindCode    = "code:"
	kindAccess  = "at:"
	kindRefresh = "rt:"
	kindGrant   = "grant:"
)

// stateKey is the key of a record of a kind for a secret (a code, a token,
// a request_uri): the kind and the base64url SHA-256 of the secret, so
// that the State never holds the bearer value.
func stateKey(kind, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return kind + b64.EncodeToString(sum[:])
}

// putJSON stores v as JSON.
func putJSON(ctx context.Context, st State, key string, v any, until, now time.Time) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return st.Put(ctx, key, data, until, now)
}

// getJSON reads a record stored by putJSON into v. ErrNotFound is
// returned as is.
func getJSON(ctx context.Context, st State, key string, v any, now time.Time) error {
	data, err := st.Get(ctx, key, now)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// pushedRequest is the record of a request_uri the PAR endpoint issued
// (RFC 9126 §2.2): what the library validated, and whether the request was
// a signed request object, for a client that registered
// require_signed_request_object (RFC 9101 §10.5).
type pushedRequest struct {
	Record fapi.PushedRecord `json:"record"`
	Signed bool              `json:"signed,omitempty"`
}

// authCode is the record of an authorization code: what the library
// checks at the token endpoint (fapi.AuthorizationRecord) and what the
// server needs to issue the tokens.
type authCode struct {
	Record fapi.AuthorizationRecord `json:"record"`
	Nonce  string                   `json:"nonce,omitempty"`
	// ACR is the acr value to put in the ID token, or "" when the request
	// did not ask for acr.
	ACR      string    `json:"acr,omitempty"`
	Subject  string    `json:"sub"`
	AuthTime time.Time `json:"auth_time"`
	// Grant names the grant the code starts: the tokens issued for it, all
	// revoked together when the code is presented again (RFC 6749 §4.1.2).
	Grant string `json:"grant"`
}

// AccessToken is what the server remembers about an access token: what a
// resource server learns by introspection (RFC 7662 §2.2).
type AccessToken struct {
	// ClientID is the client the token was issued to.
	ClientID string `json:"client_id"`
	// Subject is the user the token was issued for ("" for
	// client_credentials).
	Subject string `json:"sub,omitempty"`
	// Scope is the granted scope, space-separated.
	Scope string `json:"scope"`
	// TokenType is "Bearer" or "DPoP" (RFC 9449 §5).
	TokenType string `json:"token_type"`
	// Expires is when the token stops being accepted.
	Expires time.Time `json:"exp"`
	// CertificateThumbprint is the RFC 8705 x5t#S256 of the TLS client
	// certificate the token is bound to (its cnf claim), or "".
	CertificateThumbprint string `json:"x5t#S256,omitempty"`
	// DPoPJKT is the RFC 9449 §6.1 jkt of the DPoP key the token is bound
	// to, or "".
	DPoPJKT string `json:"jkt,omitempty"`
	// Grant names the grant the token belongs to.
	Grant string `json:"grant"`
}

// refreshToken is the record of a refresh token.
type refreshToken struct {
	Record  fapi.RefreshRecord `json:"record"`
	Subject string             `json:"sub,omitempty"`
	Grant   string             `json:"grant"`
}

// grantRevoked is the record of a revoked grant.
type grantRevoked struct {
	At time.Time `json:"at"`
}

// revoked reports whether the grant was revoked, and fails closed: an
// error of the State is an error, not "not revoked".
func revoked(ctx context.Context, st State, grant string, now time.Time) (bool, error) {
	_, err := st.Get(ctx, kindGrant+grant, now)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// revoke records that every token of the grant is revoked.
func revoke(ctx context.Context, st State, grant string, now time.Time) error {
	if grant == "" {
		return errors.New("state: revoking a grant without a name")
	}
	return putJSON(ctx, st, kindGrant+grant, grantRevoked{At: now}, now.Add(grantHold), now)
}

// MemoryState is a State in the process's memory, bounded: when it holds
// its limit of live records it refuses new ones with ErrStateFull. Expired
// records are dropped as new ones come in.
type MemoryState struct {
	mu        sync.Mutex
	limit     int
	records   map[string]memoryRecord
	lastSweep time.Time
}

type memoryRecord struct {
	value []byte
	until time.Time
}

// DefaultMemoryStateLimit is the number of live records NewMemoryState
// keeps when given no positive limit.
const DefaultMemoryStateLimit = 100_000

// sweepInterval is how often a MemoryState drops expired records when it
// is not full.
const sweepInterval = 10 * time.Second

// NewMemoryState returns an empty MemoryState holding at most limit live
// records (DefaultMemoryStateLimit when limit is not positive).
func NewMemoryState(limit int) *MemoryState {
	if limit <= 0 {
		limit = DefaultMemoryStateLimit
	}
	return &MemoryState{limit: limit, records: map[string]memoryRecord{}}
}

// Put implements State.
func (m *MemoryState) Put(ctx context.Context, key string, value []byte, until, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !until.After(now) {
		return errors.New("state: a record must be held until after now")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, replacing := m.records[key]
	if !replacing && (len(m.records) >= m.limit || now.Sub(m.lastSweep) >= sweepInterval) {
		m.lastSweep = now
		for k, r := range m.records {
			if !now.Before(r.until) {
				delete(m.records, k)
			}
		}
	}
	if !replacing && len(m.records) >= m.limit {
		return ErrStateFull
	}
	m.records[key] = memoryRecord{value: append([]byte(nil), value...), until: until}
	return nil
}

// Get implements State.
func (m *MemoryState) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[key]
	if !ok || !now.Before(r.until) {
		return nil, ErrNotFound
	}
	return append([]byte(nil), r.value...), nil
}

// Len returns the number of records held, expired ones not yet dropped
// included.
func (m *MemoryState) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.records)
}
