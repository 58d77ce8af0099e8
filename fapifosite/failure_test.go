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

// TestRefusedRequestersNotCompleted: a requester whose request was refused
// after the library accepted it — fosite's reading disagreed, or fosite
// refused it — is refused by the New…Response methods too, so a handler
// that goes on after the error issues nothing (the library's acceptance
// alone is not the request's).
func TestRefusedRequestersNotCompleted(t *testing.T) {
	ctx := t.Context()
	t.Run("authorization: fosite's reading disagrees", func(t *testing.T) {
		s := newTestServer(t, func(st *setup) {
			st.wrap = func(p fosite.OAuth2Provider) fosite.OAuth2Provider { return changingProvider{p} }
		})
		par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
		require.Equal(t, http.StatusCreated, par.status, "%v", par.body)
		q := url.Values{"client_id": {clientID}, "request_uri": {par.str("request_uri")}}
		req, err := http.NewRequest(http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
		require.NoError(t, err)
		ar, err := s.provider.NewAuthorizeRequest(ctx, req)
		require.Error(t, err)
		for _, sc := range ar.GetRequestedScopes() {
			ar.GrantScope(sc)
		}
		resp, err := s.provider.NewAuthorizeResponse(ctx, ar, newSession())
		assert.ErrorIs(t, err, fosite.ErrServerError)
		if resp != nil {
			assert.Empty(t, resp.GetCode(), "a code for a refused request")
		}
	})
	t.Run("token: fosite refuses", func(t *testing.T) {
		s := newTestServer(t)
		form := s.tokenForm(s.code())
		// fosite alone requires the client to register the grant type;
		// the library accepts, fosite refuses.
		s.store.Clients[clientID].(*fosite.DefaultOpenIDConnectClient).GrantTypes = []string{"refresh_token"}
		req, err := http.NewRequest(http.MethodPost, issuer+"/token", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("DPoP", s.proof(s.dpopKey, "/token"))
		ar, err := s.provider.NewAccessRequest(ctx, req, newSession())
		require.Error(t, err)
		resp, err := s.provider.NewAccessResponse(ctx, ar)
		assert.ErrorIs(t, err, fosite.ErrServerError)
		if resp != nil {
			assert.Empty(t, resp.GetAccessToken(), "a token for a refused request")
		}
	})
}
