package fapifosite_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMultipartBodyNeverReachesFosite: a GET to the authorization endpoint
// with a multipart/form-data body is read by the library as its query
// alone; fosite, which parses multipart bodies itself
// (http.Request.ParseMultipartForm), must not read the body either, or it
// acts on parameters the library never validated (RFC 9126 §4: only the
// pushed parameters count; FAPI1-ADV-5.2.2-10) — here a response_mode
// that turns the query response into a form_post page.
func TestMultipartBodyNeverReachesFosite(t *testing.T) {
	s := newTestServer(t)
	par := s.post("/par", s.parForm(), s.proof(s.dpopKey, "/par"))
	require.Equal(t, http.StatusCreated, par.status, "%v", par.body)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	require.NoError(t, mw.WriteField("response_mode", "form_post"))
	require.NoError(t, mw.WriteField("prompt", "none"))
	require.NoError(t, mw.Close())
	q := url.Values{"client_id": {clientID}, "request_uri": {par.str("request_uri")}}
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/authorize?"+q.Encode(), &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	a := s.do(req)
	got := s.redirected(a) // the pushed request's mode: query, not form_post
	assert.NotEmpty(t, got.Get("code"), "%v", got)
}
