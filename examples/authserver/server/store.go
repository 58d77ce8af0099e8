package server

import (
	"crypto/sha256"
	"errors"
	"sync"
	"time"
)

// Lifetimes and limits of what the server keeps in memory.
const (
	// CodeLifetime is how long an authorization code can be redeemed.
	CodeLifetime = 60 * time.Second
	// AccessTokenLifetime is the expires_in of access tokens.
	AccessTokenLifetime = 300 * time.Second
	// IDTokenLifetime is how long an ID token is valid (exp − iat).
	IDTokenLifetime = 5 * time.Minute

	// maxEntries bounds each in-memory store, so that a flood of requests
	// cannot exhaust memory; when a store is full the server answers
	// temporarily_unavailable / server_error instead of growing.
	maxEntries = 100_000
	// sweepInterval is how often expired entries are removed.
	sweepInterval = 10 * time.Second
)

// errStoreFull is returned when a store holds maxEntries live entries.
var errStoreFull = errors.New("in-memory store is full")

// secretKey is the map key under which a code or token is kept: its
// SHA-256, so that the stores never hold the bearer values themselves.
type secretKey [sha256.Size]byte

func keyOf(secret string) secretKey { return sha256.Sum256([]byte(secret)) }

// authCode is what the server remembers about an authorization code.
type authCode struct {
	ClientID            string
	RedirectURI         string
	Scope               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
	// ACR is the acr value to put in the ID token, or "" when the request
	// did not ask for acr.
	ACR      string
	Subject  string
	IssuedAt time.Time
	AuthTime time.Time
}

// spentCode remembers a redeemed code so that a second redemption can be
// detected and the tokens issued for the first one revoked (RFC 6749
// §4.1.2, §10.5).
type spentCode struct {
	token secretKey // zero until a token was issued
	until time.Time
}

// takeResult says what happened to a code presented at the token endpoint.
type takeResult int

const (
	codeValid   takeResult = iota // live; now removed
	codeUnknown                   // never issued (or forgotten)
	codeExpired                   // issued, but older than CodeLifetime
	codeReused                    // already redeemed
)

// codeStore holds authorization codes. Every operation takes the mutex, so
// that a code is handed out at most once.
type codeStore struct {
	mu        sync.Mutex
	live      map[secretKey]authCode
	spent     map[secretKey]spentCode
	lastSweep time.Time
}

func newCodeStore() *codeStore {
	return &codeStore{live: map[secretKey]authCode{}, spent: map[secretKey]spentCode{}}
}

func (s *codeStore) put(code string, c authCode, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	if len(s.live) >= maxEntries {
		return errStoreFull
	}
	s.live[keyOf(code)] = c
	return nil
}

// take removes the code and returns its record. A code is removed even
// when it has expired, and remembered as spent, so that it can never be
// redeemed twice; for a reused code it returns the key of the access token
// issued on its first redemption (zero when none was).
func (s *codeStore) take(code string, now time.Time) (authCode, takeResult, secretKey) {
	k := keyOf(code)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	if sp, ok := s.spent[k]; ok {
		return authCode{}, codeReused, sp.token
	}
	c, ok := s.live[k]
	if !ok {
		return authCode{}, codeUnknown, secretKey{}
	}
	delete(s.live, k)
	s.spent[k] = spentCode{until: c.IssuedAt.Add(CodeLifetime + AccessTokenLifetime)}
	if !now.Before(c.IssuedAt.Add(CodeLifetime)) {
		return authCode{}, codeExpired, secretKey{}
	}
	return c, codeValid, secretKey{}
}

// redeemed records the access token issued for a spent code.
func (s *codeStore) redeemed(code string, token secretKey) {
	k := keyOf(code)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp, ok := s.spent[k]; ok {
		sp.token = token
		s.spent[k] = sp
	}
}

func (s *codeStore) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < sweepInterval && len(s.live) < maxEntries {
		return
	}
	s.lastSweep = now
	for k, c := range s.live {
		if !now.Before(c.IssuedAt.Add(CodeLifetime)) {
			delete(s.live, k)
			s.spent[k] = spentCode{until: c.IssuedAt.Add(CodeLifetime + AccessTokenLifetime)}
		}
	}
	for k, sp := range s.spent {
		if !now.Before(sp.until) {
			delete(s.spent, k)
		}
	}
}

// AccessToken is what the server remembers about an access token.
type AccessToken struct {
	// ClientID is the client the token was issued to.
	ClientID string
	// Subject is the user the token was issued for.
	Subject string
	// Scope is the granted scope, space-separated.
	Scope string
	// Expires is when the token stops being accepted.
	Expires time.Time
	// CertificateThumbprint is the RFC 8705 x5t#S256 of the TLS client
	// certificate the token is bound to (its cnf claim), or "".
	CertificateThumbprint string
}

type tokenStore struct {
	mu        sync.Mutex
	tokens    map[secretKey]AccessToken
	lastSweep time.Time
}

func newTokenStore() *tokenStore { return &tokenStore{tokens: map[secretKey]AccessToken{}} }

func (s *tokenStore) put(token string, t AccessToken, now time.Time) (secretKey, error) {
	k := keyOf(token)
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) >= sweepInterval || len(s.tokens) >= maxEntries {
		s.lastSweep = now
		for key, v := range s.tokens {
			if !now.Before(v.Expires) {
				delete(s.tokens, key)
			}
		}
	}
	if len(s.tokens) >= maxEntries {
		return secretKey{}, errStoreFull
	}
	s.tokens[k] = t
	return k, nil
}

// lookup returns a live token.
func (s *tokenStore) lookup(token string, now time.Time) (AccessToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[keyOf(token)]
	if !ok || !now.Before(t.Expires) {
		return AccessToken{}, false
	}
	return t, true
}

func (s *tokenStore) revoke(k secretKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, k)
}

// jtiStore remembers the jti of every accepted client assertion until the
// assertion expires, so that an assertion cannot be replayed (RFC 7523 §3
// item 7; the library leaves replay state to the caller).
type jtiStore struct {
	mu        sync.Mutex
	seen      map[string]time.Time
	lastSweep time.Time
}

func newJTIStore() *jtiStore { return &jtiStore{seen: map[string]time.Time{}} }

// use records (clientID, jti) until exp and reports false when it was
// already recorded and has not expired.
func (s *jtiStore) use(clientID, jti string, exp, now time.Time) (bool, error) {
	k := clientID + "\x00" + jti
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) >= sweepInterval || len(s.seen) >= maxEntries {
		s.lastSweep = now
		for key, until := range s.seen {
			if !now.Before(until) {
				delete(s.seen, key)
			}
		}
	}
	if until, ok := s.seen[k]; ok && now.Before(until) {
		return false, nil
	}
	if len(s.seen) >= maxEntries {
		return false, errStoreFull
	}
	s.seen[k] = exp
	return true, nil
}
