package fapihttp_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// reportErr is the error of a report whose first violation is v.
func reportErr(vs ...fapi.Violation) error {
	return &fapi.ReportError{Violations: vs}
}

const nonce = "eyJ7S_zG.eyJH0-Z.HX4w-7v"

func TestWriteTokenError(t *testing.T) {
	t.Parallel()
	invalidClient := fapi.Violation{Code: fapi.CodeClientAssertionSignatureInvalid, Error: fapi.OAuthInvalidClient,
		Message: `the client assertion's signature does not verify with "key-1"`}
	tests := []struct {
		name          string
		err           error
		authorization string // the request's Authorization header
		nonce         string
		wantStatus    int
		wantError     string
		wantDesc      string // "" means none; "*" any
		wantChallenge string
		wantAllow     string
		wantNonce     string
	}{
		{name: "invalid_client of a private_key_jwt client: 401 without a Basic challenge",
			err: reportErr(invalidClient), wantStatus: 401, wantError: "invalid_client",
			wantDesc: `the client assertion's signature does not verify with %22key-1%22`},
		{name: "invalid_client of a client that used HTTP Basic: 401 with a Basic challenge",
			err:           reportErr(fapi.Violation{Code: fapi.CodeAuthnSecretMismatch, Error: fapi.OAuthInvalidClient, Message: "wrong secret"}),
			authorization: basic("c", "s"), wantStatus: 401, wantError: "invalid_client", wantDesc: "wrong secret", wantChallenge: fapihttp.BasicChallenge},
		{name: "the Basic scheme in lower case is HTTP Basic too",
			err: reportErr(invalidClient), authorization: "basic Yzpz", wantStatus: 401, wantError: "invalid_client", wantDesc: "*", wantChallenge: fapihttp.BasicChallenge},
		{name: "another scheme gets no challenge",
			err: reportErr(invalidClient), authorization: "Bearer x", wantStatus: 401, wantError: "invalid_client", wantDesc: "*"},
		{name: "invalid_grant of a Basic client: 400, no challenge",
			err:           reportErr(fapi.Violation{Code: fapi.CodeCodeExpired, Error: fapi.OAuthInvalidGrant, Message: "expired"}),
			authorization: basic("c", "s"), wantStatus: 400, wantError: "invalid_grant", wantDesc: "expired"},
		{name: "the first violation is answered",
			err:        reportErr(fapi.Violation{Code: fapi.CodePKCEVerifierMismatch, Error: fapi.OAuthInvalidGrant, Message: "first"}, invalidClient),
			wantStatus: 400, wantError: "invalid_grant", wantDesc: "first"},
		{name: "use_dpop_nonce with the nonce (RFC 9449 section 8)",
			err:   reportErr(fapi.Violation{Code: fapi.CodeDPoPNonceMissing, Error: fapi.OAuthUseDPoPNonce, Message: "no nonce"}),
			nonce: nonce, wantStatus: 400, wantError: "use_dpop_nonce", wantDesc: "no nonce", wantNonce: nonce},
		{name: "a nonce outside its grammar is not written",
			err:   reportErr(fapi.Violation{Code: fapi.CodeDPoPNonceMissing, Error: fapi.OAuthUseDPoPNonce, Message: "no nonce"}),
			nonce: "a\r\nSet-Cookie: x", wantStatus: 400, wantError: "use_dpop_nonce", wantDesc: "no nonce"},
		{name: "invalid_dpop_proof", err: reportErr(fapi.Violation{Code: fapi.CodeDPoPMalformed, Error: fapi.OAuthInvalidDPoPProof}),
			nonce: nonce, wantStatus: 400, wantError: "invalid_dpop_proof", wantDesc: "dpop.malformed", wantNonce: nonce},
		{name: "PAR with another method: 405 and Allow",
			err:        reportErr(fapi.Violation{Code: fapi.CodePARMethodNotAllowed, Error: fapi.OAuthInvalidRequest, Message: "GET"}),
			wantStatus: 405, wantError: "invalid_request", wantDesc: "GET", wantAllow: "POST"},
		{name: "server_error from the store", err: reportErr(fapi.Violation{Code: fapi.CodeStoreUnavailable, Error: fapi.OAuthServerError, Message: "down"}),
			wantStatus: 500, wantError: "server_error", wantDesc: "down"},
		{name: "a violation without an error", err: reportErr(fapi.Violation{Code: "x.y"}), wantStatus: 500, wantError: "server_error", wantDesc: "*"},
		{name: "a report error without violations", err: reportErr(), wantStatus: 500, wantError: "server_error"},
		{name: "a wrapped report error", err: errors.Join(errors.New("context"), reportErr(invalidClient)), wantStatus: 401, wantError: "invalid_client", wantDesc: "*"},

		{name: "a repeated parameter", err: mustReadErr(t, post("/token", "code=a&code=b")), wantStatus: 400, wantError: "invalid_request",
			wantDesc: `parameter %22code%22 is sent more than once (2 times); a parameter must not be repeated (RFC 6749 section 3.1)`},
		{name: "a JSON body", err: mustReadErr(t, func() *http.Request {
			r := post("/token", "{}")
			r.Header.Set("Content-Type", "application/json")
			return r
		}()), wantStatus: 400, wantError: "invalid_request", wantDesc: "*"},
		{name: "GET: 405 and Allow", err: mustReadErr(t, httptest.NewRequest(http.MethodGet, "/token", nil)),
			wantStatus: 405, wantError: "invalid_request", wantDesc: "*", wantAllow: "POST"},
		{name: "unreadable Basic credentials: invalid_client with a Basic challenge",
			err: mustReadErr(t, func() *http.Request {
				r := post("/token", "")
				r.Header.Set("Authorization", "Basic !!!")
				return r
			}()), authorization: "Basic !!!", wantStatus: 401, wantError: "invalid_client", wantDesc: "*", wantChallenge: fapihttp.BasicChallenge},

		{name: "the server's own error", err: &fapihttp.Error{Code: fapi.OAuthInvalidGrant, Description: "the code is \"unknown\"\n"},
			wantStatus: 400, wantError: "invalid_grant", wantDesc: `the code is %22unknown%22%0A`},
		{name: "the server's own invalid_client without Basic", err: &fapihttp.Error{Code: fapi.OAuthInvalidClient, Description: "unknown client"},
			wantStatus: 401, wantError: "invalid_client", wantDesc: "unknown client"},
		{name: "the server's own invalid_client with Basic", err: &fapihttp.Error{Code: fapi.OAuthInvalidClient},
			authorization: basic("c", "s"), wantStatus: 401, wantError: "invalid_client", wantChallenge: fapihttp.BasicChallenge},
		{name: "the server's own status", err: &fapihttp.Error{Code: fapi.OAuthServerError, Status: 503},
			wantStatus: 503, wantError: "server_error"},
		{name: "an out-of-range status takes the default", err: &fapihttp.Error{Code: fapi.OAuthInvalidScope, Status: 200},
			wantStatus: 400, wantError: "invalid_scope"},
		{name: "temporarily_unavailable", err: &fapihttp.Error{Code: fapi.OAuthTemporarilyUnavailable},
			wantStatus: 503, wantError: "temporarily_unavailable"},
		{name: "an error without a code", err: &fapihttp.Error{Description: "oops"}, wantStatus: 500, wantError: "server_error"},
		{name: "any other error: no internal text", err: errors.New("dial tcp 10.0.0.3:6379: connection refused"),
			wantStatus: 500, wantError: "server_error"},
		{name: "nil", err: nil, wantStatus: 500, wantError: "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post("/token", "")
			if tt.authorization != "" {
				r.Header.Set("Authorization", tt.authorization)
			}
			w := httptest.NewRecorder()
			fapihttp.WriteTokenError(w, r, tt.err, tt.nonce)
			resp := w.Result()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "RFC 6749 section 5.1")
			assert.Equal(t, "no-cache", resp.Header.Get("Pragma"))
			assert.Equal(t, tt.wantChallenge, resp.Header.Get("WWW-Authenticate"))
			assert.Equal(t, tt.wantAllow, resp.Header.Get("Allow"))
			assert.Equal(t, tt.wantNonce, resp.Header.Get("DPoP-Nonce"))
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(body(t, resp)), &got))
			assert.Equal(t, tt.wantError, got["error"])
			desc, hasDesc := got["error_description"]
			switch tt.wantDesc {
			case "":
				assert.False(t, hasDesc, "no error_description: %v", desc)
			case "*":
				require.True(t, hasDesc)
				assertDescription(t, desc.(string))
			default:
				assert.Equal(t, tt.wantDesc, desc)
				assertDescription(t, desc.(string))
			}
		})
	}
}

// mustReadErr is the error the token reader returns for r.
func mustReadErr(t *testing.T, r *http.Request) error {
	t.Helper()
	_, err := newReader(t).Token(r)
	require.Error(t, err)
	return err
}

// assertDescription checks that desc may be sent as error_description
// (RFC 6749 Appendix A.8: %x20-21 / %x23-5B / %x5D-7E).
func assertDescription(t *testing.T, desc string) {
	t.Helper()
	assert.NotEmpty(t, desc)
	assert.LessOrEqual(t, len(desc), fapi.MaxDescriptionLen)
	for i := 0; i < len(desc); i++ {
		if c := desc[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			t.Errorf("error_description %q has 0x%02x at %d", desc, c, i)
			return
		}
	}
}

func TestWriteTokenResponse(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	fapihttp.WriteTokenResponse(w, map[string]any{"access_token": "at", "token_type": "DPoP", "expires_in": 300}, nonce)
	resp := w.Result()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "no-cache", resp.Header.Get("Pragma"))
	assert.Equal(t, nonce, resp.Header.Get("DPoP-Nonce"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"access_token":"at","token_type":"DPoP","expires_in":300}`, body(t, resp))

	w = httptest.NewRecorder()
	fapihttp.WriteTokenResponse(w, map[string]any{"bad": func() {}}, "")
	resp = w.Result()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.JSONEq(t, `{"error":"server_error"}`, body(t, resp))
	assert.Empty(t, resp.Header.Get("DPoP-Nonce"))
}

func TestWritePushedAuthorizationResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		uri        string
		lifetime   time.Duration
		wantStatus int
		wantBody   string
	}{
		{"created", "urn:ietf:params:oauth:request_uri:abc", 59*time.Second + 900*time.Millisecond, 201,
			`{"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":59}`},
		{"no request_uri", "", time.Minute, 500, `{"error":"server_error"}`},
		{"under a second", "urn:x", 999 * time.Millisecond, 500, `{"error":"server_error"}`},
		{"negative", "urn:x", -time.Minute, 500, `{"error":"server_error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			fapihttp.WritePushedAuthorizationResponse(w, tt.uri, tt.lifetime, nonce)
			resp := w.Result()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "RFC 9126 section 2.2")
			assert.Equal(t, nonce, resp.Header.Get("DPoP-Nonce"))
			assert.JSONEq(t, tt.wantBody, body(t, resp))
		})
	}
}

func TestWriteResourceError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		res           fapi.ResourceResult
		wantStatus    int
		wantChallenge string
		wantBody      string // "" for none
		wantNonce     string
	}{
		{
			name: "no credentials: a challenge without error information, no body",
			res: fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeResourceCredentialsMissing, Error: fapi.OAuthInvalidRequest, Message: "no token"}}},
				Status: 401, Challenge: `DPoP algs="ES256", Bearer`},
			wantStatus: 401, wantChallenge: `DPoP algs="ES256", Bearer`,
		},
		{
			name: "invalid_token: the description in the challenge and the body",
			res: fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeResourceDPoPSchemeRequired, Error: fapi.OAuthInvalidToken, Message: `the token is "DPoP"-bound`}}},
				Status: 401, Challenge: `DPoP error="invalid_token", algs="ES256 PS256"`},
			wantStatus:    401,
			wantChallenge: `DPoP error="invalid_token", algs="ES256 PS256", error_description="the token is %22DPoP%22-bound"`,
			wantBody:      `{"error":"invalid_token","error_description":"the token is %22DPoP%22-bound"}`,
		},
		{
			name: "insufficient_scope: 403",
			res: fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeResourceInsufficientScope, Error: fapi.OAuthInsufficientScope, Message: "needs payments"}}},
				Status: 403, Challenge: `Bearer error="insufficient_scope", scope="payments"`},
			wantStatus:    403,
			wantChallenge: `Bearer error="insufficient_scope", scope="payments", error_description="needs payments"`,
			wantBody:      `{"error":"insufficient_scope","error_description":"needs payments"}`,
		},
		{
			name: "use_dpop_nonce with the nonce",
			res: fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeDPoPNonceMissing, Error: fapi.OAuthUseDPoPNonce, Message: "nonce"}}},
				Status: 401, Challenge: `DPoP error="use_dpop_nonce", algs="ES256"`, DPoPNonceHeader: nonce},
			wantStatus: 401, wantNonce: nonce,
			wantChallenge: `DPoP error="use_dpop_nonce", algs="ES256", error_description="nonce"`,
			wantBody:      `{"error":"use_dpop_nonce","error_description":"nonce"}`,
		},
		{
			name: "server_error: 500 without a challenge",
			res: fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: fapi.CodeStoreUnavailable, Error: fapi.OAuthServerError, Message: "store"}}},
				Status: 500},
			wantStatus: 500, wantBody: `{"error":"server_error","error_description":"store"}`,
		},
		{
			name:       "an accepted result is a caller's mistake",
			res:        fapi.ResourceResult{DPoPNonceHeader: nonce},
			wantStatus: 500, wantBody: `{"error":"server_error"}`, wantNonce: nonce,
		},
		{
			name:       "a result without a status",
			res:        fapi.ResourceResult{Report: fapi.Report{Violations: []fapi.Violation{{Code: "x.y", Error: "invalid_token"}}}},
			wantStatus: 500, wantBody: `{"error":"server_error"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			fapihttp.WriteResourceError(w, tt.res)
			resp := w.Result()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantChallenge, resp.Header.Get("WWW-Authenticate"))
			assert.Equal(t, tt.wantNonce, resp.Header.Get("DPoP-Nonce"))
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			b := body(t, resp)
			if tt.wantBody == "" {
				assert.Empty(t, b)
				return
			}
			assert.JSONEq(t, tt.wantBody, b)
		})
	}
}

func TestWriteResourceRequestError(t *testing.T) {
	t.Parallel()
	rd := newReader(t, fapihttp.WithHosts("api.example.com"))
	r := httptest.NewRequest(http.MethodGet, "https://evil.example/accounts", nil)
	_, err := rd.Resource(r)
	require.ErrorIs(t, err, fapihttp.ErrURL)

	w := httptest.NewRecorder()
	fapihttp.WriteResourceRequestError(w, err)
	resp := w.Result()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	ch := resp.Header.Get("WWW-Authenticate")
	assert.True(t, strings.HasPrefix(ch, `Bearer error="invalid_request", error_description="the host %22evil.example%22`), ch)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(body(t, resp)), &got))
	assert.Equal(t, "invalid_request", got["error"])
	assertDescription(t, got["error_description"])

	w = httptest.NewRecorder()
	fapihttp.WriteResourceRequestError(w, errors.New("internal"))
	resp = w.Result()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("WWW-Authenticate"))
	assert.JSONEq(t, `{"error":"server_error"}`, body(t, resp))
}

func TestErrorError(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "oauth error invalid_grant", (&fapihttp.Error{Code: "invalid_grant"}).Error())
	assert.Equal(t, "oauth error invalid_grant: no code", (&fapihttp.Error{Code: "invalid_grant", Description: "no code"}).Error())
	err := mustReadErr(t, post("/token", "a=%"))
	assert.True(t, strings.HasPrefix(err.Error(), "fapihttp: "), err.Error())
}
