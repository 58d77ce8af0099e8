package fapifosite_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapifosite"
	"github.com/fapicheck/fapicheck/fapitest"
)

// failingRecords fails every call for keys of one kind.
type failingRecords struct {
	*fapifosite.MemoryRecords
	kind string
	put  bool // fail Put, else Get
}

var errStore = errors.New("records unavailable")

func (f failingRecords) Put(ctx context.Context, now time.Time, key string, value []byte, until time.Time) error {
	if f.put && strings.HasPrefix(key, f.kind+":") {
		return errStore
	}
	return f.MemoryRecords.Put(ctx, now, key, value, until)
}

func (f failingRecords) Get(ctx context.Context, now time.Time, key string) ([]byte, error) {
	if !f.put && strings.HasPrefix(key, f.kind+":") {
		return nil, errStore
	}
	return f.MemoryRecords.Get(ctx, now, key)
}

// TestRecordsFailClosed: a record that cannot be stored or read fails the
// request with server_error, and nothing is issued.
func TestRecordsFailClosed(t *testing.T) {
	records := func(kind string, put bool) func(*setup) {
		return func(st *setup) { st.records = failingRecords{fapifosite.NewMemoryRecords(100), kind, put} }
	}
	t.Run("pushed record not stored", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.pushed", true))
		a := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
		assert.Equal(t, http.StatusInternalServerError, a.status, "%v", a.body)
		assert.Equal(t, "server_error", a.str("error"))
		assert.Empty(t, a.str("request_uri"))
	})
	t.Run("pushed record not read", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.pushed", false))
		par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
		require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
		a := s.authorize(par.str("request_uri"))
		assert.Equal(t, http.StatusInternalServerError, a.status, "%v", a.body)
		assert.Empty(t, a.header.Get("Location"))
	})
	t.Run("code record not stored", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.code", true))
		par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
		require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
		q := s.redirected(s.authorize(par.str("request_uri")))
		assert.Empty(t, q.Get("code"))
		assert.Equal(t, "server_error", q.Get("error"))
	})
	t.Run("code record not read", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.code", false))
		a := s.post("/token", s.tokenForm(s.code()), s.proof(s.dpopKey, "/token"))
		assert.Equal(t, http.StatusInternalServerError, a.status, "%v", a.body)
		assert.Empty(t, a.str("access_token"))
	})
	t.Run("access token record not stored", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.access", true))
		a := s.post("/token", s.tokenForm(s.code()), s.proof(s.dpopKey, "/token"))
		assert.Equal(t, http.StatusInternalServerError, a.status, "%v", a.body)
		assert.Empty(t, a.str("access_token"))
	})
	t.Run("refresh record not read", func(t *testing.T) {
		s := newTestServer(t, records("fapifosite.refresh", false))
		a := s.post("/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {clientID}}, "")
		assert.Equal(t, http.StatusInternalServerError, a.status, "%v", a.body)
	})
}

// changingProvider is a fosite provider that reads the state of an
// authorization request differently from what it was sent.
type changingProvider struct{ fosite.OAuth2Provider }

func (c changingProvider) NewAuthorizeRequest(ctx context.Context, r *http.Request) (fosite.AuthorizeRequester, error) {
	ar, err := c.OAuth2Provider.NewAuthorizeRequest(ctx, r)
	if a, ok := ar.(*fosite.AuthorizeRequest); ok {
		a.State = "changed-by-fosite"
	}
	return ar, err
}

// TestDisagreementRefused: when fosite's reading of an authorization
// request differs from the library's, nothing is issued.
func TestDisagreementRefused(t *testing.T) {
	s := newTestServer(t, func(st *setup) {
		st.wrap = func(p fosite.OAuth2Provider) fosite.OAuth2Provider { return changingProvider{p} }
	})
	par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
	// The redirect URI is the library's trusted one, so the error goes
	// there (RFC 6749 §4.1.2.1), with the state the client sent.
	q := s.redirected(s.authorize(par.str("request_uri")))
	assert.Empty(t, q.Get("code"))
	assert.Equal(t, "server_error", q.Get("error"))
	assert.Contains(t, q.Get("error_description"), "state")
	assert.Equal(t, fapitest.State, q.Get("state"))
}

// TestRequestersFromElsewhere: the Provider's New…Response methods take
// only the requests its New…Request methods accepted.
func TestRequestersFromElsewhere(t *testing.T) {
	s := newTestServer(t)
	ctx := t.Context()
	_, err := s.provider.NewPushedAuthorizeResponse(ctx, fosite.NewAuthorizeRequest(), newSession())
	assert.ErrorIs(t, err, fosite.ErrServerError)
	_, err = s.provider.NewAuthorizeResponse(ctx, fosite.NewAuthorizeRequest(), newSession())
	assert.ErrorIs(t, err, fosite.ErrServerError)
	_, err = s.provider.NewAccessResponse(ctx, fosite.NewAccessRequest(newSession()))
	assert.ErrorIs(t, err, fosite.ErrServerError)

	// A refused request's requester is refused too.
	form := s.parForm()
	form.Del("code_challenge")
	req, err := http.NewRequest(http.MethodPost, issuer+"/par", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ar, err := s.provider.NewPushedAuthorizeRequest(ctx, req)
	require.Error(t, err)
	_, err = s.provider.NewPushedAuthorizeResponse(ctx, ar, newSession())
	assert.ErrorIs(t, err, fosite.ErrServerError)
}
