package fapihttp_test

import (
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

func TestNewReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []fapihttp.Option
		wantErr string
	}{
		{"no options", nil, ""},
		{"nil option", []fapihttp.Option{nil}, ""},
		{"every option", []fapihttp.Option{fapihttp.WithMaxFormSize(1 << 10), fapihttp.WithHosts("as.example.com", "[::1]:8443"),
			fapihttp.WithTrustedProxy(fromProxy), fapihttp.WithClientCertificateHeader("X-SSL-Client-Cert")}, ""},
		{"base URL with a path", []fapihttp.Option{fapihttp.WithBaseURL("https://as.example.com/prefix/")}, ""},
		{"zero form size", []fapihttp.Option{fapihttp.WithMaxFormSize(0)}, "must be positive"},
		{"negative form size", []fapihttp.Option{fapihttp.WithMaxFormSize(-1)}, "must be positive"},
		{"relative base URL", []fapihttp.Option{fapihttp.WithBaseURL("/token")}, "not an http or https URL"},
		{"base URL of another scheme", []fapihttp.Option{fapihttp.WithBaseURL("ftp://as.example.com")}, "not an http or https URL"},
		{"base URL with a query", []fapihttp.Option{fapihttp.WithBaseURL("https://as.example.com/?a=b")}, "query or fragment"},
		{"base URL with an empty query", []fapihttp.Option{fapihttp.WithBaseURL("https://as.example.com/?")}, "query or fragment"},
		{"base URL with a fragment", []fapihttp.Option{fapihttp.WithBaseURL("https://as.example.com/#x")}, "query or fragment"},
		{"base URL with user information", []fapihttp.Option{fapihttp.WithBaseURL("https://u@as.example.com")}, "user information"},
		{"base URL without host", []fapihttp.Option{fapihttp.WithBaseURL("https:///token")}, "no host"},
		{"base URL with a bad host", []fapihttp.Option{fapihttp.WithBaseURL("https://a%20b.example")}, "WithBaseURL"},
		{"base URL with an unusual host", []fapihttp.Option{fapihttp.WithBaseURL("https://a!b.example")}, "not a valid host"},
		{"no hosts", []fapihttp.Option{fapihttp.WithHosts()}, "no host"},
		{"bad host", []fapihttp.Option{fapihttp.WithHosts("as.example.com/x")}, "not a host"},
		{"hosts with a base URL", []fapihttp.Option{fapihttp.WithHosts("a.example"), fapihttp.WithBaseURL("https://a.example")}, "exclude each other"},
		{"nil trust function", []fapihttp.Option{fapihttp.WithTrustedProxy(nil)}, "nil function"},
		{"certificate header without a trusted proxy", []fapihttp.Option{fapihttp.WithClientCertificateHeader("X-Cert")}, "needs WithTrustedProxy"},
		{"empty certificate header", []fapihttp.Option{fapihttp.WithClientCertificateHeader("")}, "not a header field name"},
		{"certificate header with a space", []fapihttp.Option{fapihttp.WithClientCertificateHeader("X Cert")}, "not a header field name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := fapihttp.NewReader(tt.opts...)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Nil(t, rd)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, rd)
		})
	}
}

func TestReaderForm(t *testing.T) {
	t.Parallel()
	rd := newReader(t, fapihttp.WithMaxFormSize(64))
	tests := []struct {
		name     string
		req      func() *http.Request
		wantErr  error
		wantName string
		want     fapi.Params
	}{
		{
			name: "form body",
			req:  func() *http.Request { return post("/token", "grant_type=authorization_code&code=a+b%2Bc") },
			want: fapi.Params{"grant_type": {"authorization_code"}, "code": {"a b+c"}},
		},
		{
			name: "UTF-8 charset, any letter case",
			req: func() *http.Request {
				r := post("/token", "a=1")
				r.Header.Set("Content-Type", "Application/X-WWW-Form-URLEncoded; charset=UTF-8")
				return r
			},
			want: fapi.Params{"a": {"1"}},
		},
		{
			name: "the query is not read",
			req:  func() *http.Request { return post("/token?client_id=x&code=q", "code=b") },
			want: fapi.Params{"code": {"b"}},
		},
		{
			name: "empty body",
			req:  func() *http.Request { return post("/token", "") },
			want: fapi.Params{},
		},
		{
			name:    "no content type",
			req:     func() *http.Request { r := post("/token", "a=1"); r.Header.Del("Content-Type"); return r },
			wantErr: fapihttp.ErrContentType, wantName: "Content-Type",
		},
		{
			name: "JSON body",
			req: func() *http.Request {
				r := post("/token", `{"a":1}`)
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			wantErr: fapihttp.ErrContentType, wantName: "Content-Type",
		},
		{
			name: "multipart body",
			req: func() *http.Request {
				r := post("/token", "a=1")
				r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
				return r
			},
			wantErr: fapihttp.ErrContentType,
		},
		{
			name: "another charset",
			req: func() *http.Request {
				r := post("/token", "a=1")
				r.Header.Set("Content-Type", formType+"; charset=ISO-8859-1")
				return r
			},
			wantErr: fapihttp.ErrContentType,
		},
		{
			name:    "two content types",
			req:     func() *http.Request { r := post("/token", "a=1"); r.Header.Add("Content-Type", formType); return r },
			wantErr: fapihttp.ErrContentType,
		},
		{
			name: "malformed content type",
			req: func() *http.Request {
				r := post("/token", "a=1")
				r.Header.Set("Content-Type", formType+"; =")
				return r
			},
			wantErr: fapihttp.ErrContentType,
		},
		{
			name:    "a repeated parameter",
			req:     func() *http.Request { return post("/token", "code=a&client_id=c&code=b") },
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "code",
		},
		{
			name:    "a repeated parameter with the same value",
			req:     func() *http.Request { return post("/token", "code=a&code=a") },
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "code",
		},
		{
			name:    "a repeated empty parameter",
			req:     func() *http.Request { return post("/token", "scope=&scope=") },
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "scope",
		},
		{
			name:    "an invalid percent escape",
			req:     func() *http.Request { return post("/token", "code=%zz") },
			wantErr: fapihttp.ErrMalformedForm,
		},
		{
			name:    "a semicolon separator",
			req:     func() *http.Request { return post("/token", "code=a;client_id=b") },
			wantErr: fapihttp.ErrMalformedForm,
		},
		{
			name:    "a body over the limit",
			req:     func() *http.Request { return post("/token", "a="+strings.Repeat("x", 63)) },
			wantErr: fapihttp.ErrBodyTooLarge,
		},
		{
			name: "a body of unknown length over the limit",
			req: func() *http.Request {
				r := post("/token", "")
				r.Body = io.NopCloser(strings.NewReader("a=" + strings.Repeat("x", 100)))
				r.ContentLength = -1
				return r
			},
			wantErr: fapihttp.ErrBodyTooLarge,
		},
		{
			name: "a body of exactly the limit",
			req:  func() *http.Request { return post("/token", "a="+strings.Repeat("x", 62)) },
			want: fapi.Params{"a": {strings.Repeat("x", 62)}},
		},
		{
			name: "the server's own smaller body limit",
			req: func() *http.Request {
				r := post("/token", "a="+strings.Repeat("x", 40))
				r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
				r.ContentLength = -1
				return r
			},
			wantErr: fapihttp.ErrBodyTooLarge,
		},
		{
			name: "a body that fails to read",
			req: func() *http.Request {
				r := post("/token", "")
				r.Body = io.NopCloser(failingReader{})
				r.ContentLength = -1
				return r
			},
			wantErr: fapihttp.ErrMalformedForm,
		},
		{
			name:    "GET",
			req:     func() *http.Request { return httptest.NewRequest(http.MethodGet, "/token?code=a", nil) },
			wantErr: fapihttp.ErrMethod,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := rd.Token(tt.req())
			par, perr := rd.PushedAuthorization(tt.req())
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.wantErr)
				assert.ErrorIs(t, perr, tt.wantErr, "the PAR reader reads the same form")
				var re *fapihttp.RequestError
				require.ErrorAs(t, err, &re)
				assert.NotEmpty(t, re.Detail)
				if tt.wantName != "" {
					assert.Equal(t, tt.wantName, re.Name)
				}
				assert.Nil(t, tr)
				return
			}
			require.NoError(t, err)
			require.NoError(t, perr)
			assert.Equal(t, tt.want, tr.Params)
			assert.Equal(t, tt.want, par.Params)
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestRepeatedParameterIsTheLibrarysCode(t *testing.T) {
	t.Parallel()
	_, err := newReader(t).Token(post("/token", "code=a&code=b"))
	assert.ErrorIs(t, err, fapihttp.ErrDuplicateParameter)
	assert.ErrorIs(t, err, fapi.CodeParameterDuplicated, "the same fault as the check's parameter.duplicated")
	assert.ErrorIs(t, err, fapi.ErrParameter)
	_, err = newReader(t).Token(post("/token", "code=%zz"))
	assert.NotErrorIs(t, err, fapi.CodeParameterDuplicated)
}

func TestReaderTokenInput(t *testing.T) {
	t.Parallel()
	rd := newReader(t)
	r := withTLS(post("https://as.example.com/token", "grant_type=authorization_code&code=c"), testCert())
	r.Header.Set("Authorization", basic("client 1", "s+cr%t"))
	r.Header.Add("DPoP", "proof-1")
	r.Header.Add("DPoP", "proof-2")
	tr, err := rd.Token(r)
	require.NoError(t, err)
	assert.Equal(t, fapi.Params{"grant_type": {"authorization_code"}, "code": {"c"}}, tr.Params)
	require.NotNil(t, tr.BasicAuth)
	assert.Equal(t, "client 1", tr.BasicAuth.ClientID, "the user name is form-decoded")
	assert.Equal(t, "s%2Bcr%25t", tr.BasicAuth.ClientSecret, "the password as sent: the check compares it both ways")
	assert.Same(t, testCert(), tr.ClientCertificate)
	assert.Equal(t, []string{"proof-1", "proof-2"}, tr.DPoP, "every DPoP value: the check refuses two (RFC 9449 section 4.3)")
	assert.Equal(t, http.MethodPost, tr.Method)
	assert.Equal(t, "https://as.example.com/token", tr.URL)
	assert.Nil(t, tr.Authorization)

	// The body can be read again by what comes after the reader.
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, "grant_type=authorization_code&code=c", string(b))

	// No TLS, no Basic, no DPoP.
	tr, err = rd.Token(post("http://as.example.com/token", "grant_type=client_credentials"))
	require.NoError(t, err)
	assert.Nil(t, tr.BasicAuth)
	assert.Nil(t, tr.ClientCertificate)
	assert.Empty(t, tr.DPoP)
	assert.Equal(t, "http://as.example.com/token", tr.URL)

	// A reader error before the form is read: the Basic header.
	r = post("https://as.example.com/token", "a=1")
	r.Header.Set("Authorization", "Basic !!!")
	_, err = rd.Token(r)
	assert.ErrorIs(t, err, fapihttp.ErrBasicAuth)
}

func TestReaderPushedAuthorizationInput(t *testing.T) {
	t.Parallel()
	rd := newReader(t, fapihttp.WithBaseURL("https://as.example.com"))
	r := post("http://10.1.2.3:8080/par", "client_id=c&response_type=code")
	r.Header.Set("DPoP", "proof")
	par, err := rd.PushedAuthorization(r)
	require.NoError(t, err)
	assert.Equal(t, fapi.Params{"client_id": {"c"}, "response_type": {"code"}}, par.Params)
	assert.Equal(t, []string{"proof"}, par.DPoP)
	assert.Equal(t, "https://as.example.com/par", par.URL)
	assert.Equal(t, http.MethodPost, par.Method)

	_, err = rd.PushedAuthorization(httptest.NewRequest(http.MethodPut, "/par", nil))
	var re *fapihttp.RequestError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, fapihttp.ErrMethod)
	assert.Contains(t, re.Detail, `"PUT"`)
}

func TestReaderAuthorization(t *testing.T) {
	t.Parallel()
	rd := newReader(t, fapihttp.WithMaxFormSize(64))
	tests := []struct {
		name     string
		req      func() *http.Request
		want     fapi.Params
		wantErr  error
		wantName string
	}{
		{
			name: "GET query",
			req: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/authorize?client_id=c&scope=openid+accounts&state=%22x%22", nil)
			},
			want: fapi.Params{"client_id": {"c"}, "scope": {"openid accounts"}, "state": {`"x"`}},
		},
		{
			name: "POST body and the endpoint's own query",
			req:  func() *http.Request { return post("/authorize?tenant=t", "client_id=c&response_type=code") },
			want: fapi.Params{"tenant": {"t"}, "client_id": {"c"}, "response_type": {"code"}},
		},
		{
			name: "GET without parameters",
			req:  func() *http.Request { return httptest.NewRequest(http.MethodGet, "/authorize", nil) },
			want: fapi.Params{},
		},
		{
			name: "a parameter twice in the query",
			req: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/authorize?redirect_uri=a&redirect_uri=b", nil)
			},
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "redirect_uri",
		},
		{
			name:    "a parameter in the query and in the body",
			req:     func() *http.Request { return post("/authorize?client_id=a", "client_id=b") },
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "client_id",
		},
		{
			name:    "a parameter twice in the body",
			req:     func() *http.Request { return post("/authorize", "state=a&state=b") },
			wantErr: fapihttp.ErrDuplicateParameter, wantName: "state",
		},
		{
			name: "POST with another content type",
			req: func() *http.Request {
				r := post("/authorize", "a=1")
				r.Header.Set("Content-Type", "text/plain")
				return r
			},
			wantErr: fapihttp.ErrContentType,
		},
		{
			name:    "a malformed query",
			req:     func() *http.Request { return httptest.NewRequest(http.MethodGet, "/authorize?state=%", nil) },
			wantErr: fapihttp.ErrMalformedForm,
		},
		{
			name: "a query over the limit",
			req: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/authorize?state="+strings.Repeat("x", 64), nil)
			},
			wantErr: fapihttp.ErrBodyTooLarge,
		},
		{
			name:    "a body over the limit",
			req:     func() *http.Request { return post("/authorize", "state="+strings.Repeat("x", 64)) },
			wantErr: fapihttp.ErrBodyTooLarge,
		},
		{
			name:    "HEAD",
			req:     func() *http.Request { return httptest.NewRequest(http.MethodHead, "/authorize?client_id=c", nil) },
			wantErr: fapihttp.ErrMethod,
		},
		{
			name:    "PUT",
			req:     func() *http.Request { return httptest.NewRequest(http.MethodPut, "/authorize", nil) },
			wantErr: fapihttp.ErrMethod,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			az, err := rd.Authorization(tt.req())
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.wantErr)
				var re *fapihttp.RequestError
				require.ErrorAs(t, err, &re)
				if tt.wantName != "" {
					assert.Equal(t, tt.wantName, re.Name)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, az.Params)
			assert.Empty(t, az.RequestObject)
			assert.Nil(t, az.Pushed)
		})
	}
}

func TestReaderResource(t *testing.T) {
	t.Parallel()
	rd := newReader(t)
	r := withTLS(httptest.NewRequest(http.MethodGet, "https://api.example.com/accounts?access_token=x", strings.NewReader("not read")), testCert())
	r.Header.Add("Authorization", "DPoP tok")
	r.Header.Add("Authorization", "Bearer tok2")
	r.Header.Add("DPoP", "p1")
	r.Header.Add("DPoP", "p2")
	res, err := rd.Resource(r)
	require.NoError(t, err)
	assert.Equal(t, http.MethodGet, res.Method)
	assert.Equal(t, "https://api.example.com/accounts?access_token=x", res.URL, "the query is kept: the check refuses an access_token there")
	assert.Equal(t, []string{"DPoP tok", "Bearer tok2"}, res.Authorization)
	assert.Equal(t, []string{"p1", "p2"}, res.DPoP)
	assert.Same(t, testCert(), res.ClientCertificate)
	assert.Nil(t, res.Token)
	b, _ := io.ReadAll(r.Body)
	assert.Equal(t, "not read", string(b), "the body belongs to the API")

	res, err = rd.Resource(httptest.NewRequest(http.MethodDelete, "http://api.example.com/x", nil))
	require.NoError(t, err)
	assert.Nil(t, res.ClientCertificate, "no TLS: no certificate, no panic")
	assert.Empty(t, res.Authorization)
	assert.Equal(t, http.MethodDelete, res.Method)

	r = httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Host = "bad host"
	_, err = rd.Resource(r)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
}

func TestReaderNilRequest(t *testing.T) {
	t.Parallel()
	rd := newReader(t)
	_, err := rd.Token(nil)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
	_, err = rd.PushedAuthorization(nil)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
	_, err = rd.Authorization(nil)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
	_, err = rd.Resource(nil)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
	_, err = rd.URL(nil)
	assert.ErrorIs(t, err, fapihttp.ErrURL)
	c, err := rd.ClientCertificate(nil)
	assert.NoError(t, err)
	assert.Nil(t, c)
	b, err := fapihttp.BasicAuth(nil)
	assert.NoError(t, err)
	assert.Nil(t, b)
	_, err = rd.Resource(&http.Request{Method: http.MethodGet})
	assert.ErrorIs(t, err, fapihttp.ErrURL, "a request without a URL")
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		header     []string
		wantID     string
		wantSecret string
		wantNone   bool
		wantErr    bool
	}{
		{name: "no Authorization header", wantNone: true},
		{name: "Basic", header: []string{basic("c1", "secret")}, wantID: "c1", wantSecret: "secret"},
		{name: "scheme in lower case", header: []string{"basic " + strings.TrimPrefix(basic("c1", "s"), "Basic ")}, wantID: "c1", wantSecret: "s"},
		{name: "form-encoded user name", header: []string{basic("my client:1", "p")}, wantID: "my client:1", wantSecret: "p"},
		{name: "password kept as sent", header: []string{basic("c", "a b+c")}, wantID: "c", wantSecret: "a+b%2Bc"},
		{name: "an unencoded password", header: []string{rawBasic("c", "ab+cd/==")}, wantID: "c", wantSecret: "ab+cd/=="},
		{name: "a password with a colon", header: []string{rawBasic("c", "a:b")}, wantID: "c", wantSecret: "a:b"},
		{name: "empty password", header: []string{rawBasic("c", "")}, wantID: "c", wantSecret: ""},
		{name: "spaces around", header: []string{"  Basic   " + strings.TrimPrefix(basic("c", "s"), "Basic ") + " "}, wantID: "c", wantSecret: "s"},
		{name: "Bearer is not client authentication", header: []string{"Bearer abc"}, wantNone: true},
		{name: "two Bearer headers", header: []string{"Bearer a", "Bearer b"}, wantNone: true},
		{name: "BasicX is another scheme", header: []string{"BasicX abc"}, wantNone: true},
		{name: "two Authorization headers", header: []string{basic("a", "b"), basic("c", "d")}, wantErr: true},
		{name: "Basic and Bearer", header: []string{"Bearer x", basic("c", "d")}, wantErr: true},
		{name: "Basic without credentials", header: []string{"Basic"}, wantErr: true},
		{name: "Basic and a space", header: []string{"Basic "}, wantErr: true},
		{name: "not base64", header: []string{"Basic !!!!"}, wantErr: true},
		{name: "base64 without padding", header: []string{"Basic YTpi"[:9]}, wantErr: true},
		{name: "base64url", header: []string{"Basic " + "Pz8_Oj8_"}, wantErr: true},
		{name: "two tokens", header: []string{"Basic YTpi YTpi"}, wantErr: true},
		{name: "no colon", header: []string{"Basic " + "YWJj"}, wantErr: true},
		{name: "a user name that is not form-encoded", header: []string{rawBasic("a%zz", "b")}, wantErr: true},
		{name: "too long", header: []string{"Basic " + strings.Repeat("A", 40<<10)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/token", nil)
			for _, h := range tt.header {
				r.Header.Add("Authorization", h)
			}
			b, err := fapihttp.BasicAuth(r)
			switch {
			case tt.wantErr:
				assert.ErrorIs(t, err, fapihttp.ErrBasicAuth)
				assert.Nil(t, b)
			case tt.wantNone:
				assert.NoError(t, err)
				assert.Nil(t, b)
			default:
				require.NoError(t, err)
				require.NotNil(t, b)
				assert.Equal(t, tt.wantID, b.ClientID)
				assert.Equal(t, tt.wantSecret, b.ClientSecret)
			}
		})
	}
}

func TestClientCertificate(t *testing.T) {
	t.Parallel()
	plain := newReader(t)
	proxied := newReader(t, fapihttp.WithTrustedProxy(fromProxy), fapihttp.WithClientCertificateHeader("x-ssl-client-cert"))
	req := func(remote string, header ...string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/token", nil)
		r.RemoteAddr = remote
		for _, h := range header {
			r.Header.Add("X-SSL-Client-Cert", h)
		}
		return r
	}
	tests := []struct {
		name    string
		rd      *fapihttp.Reader
		req     *http.Request
		cert    *x509.Certificate
		wantErr bool
	}{
		{name: "no TLS", rd: plain, req: req("192.0.2.1:1234"), cert: nil},
		{name: "TLS without a certificate", rd: plain, req: withTLS(req("192.0.2.1:1234")), cert: nil},
		{name: "TLS with a certificate", rd: plain, req: withTLS(req("192.0.2.1:1234"), testCert(), otherCert()), cert: testCert()},
		{name: "a header without a trusted proxy is ignored", rd: plain, req: req("10.0.0.1:1", escapedPEM(otherCert())), cert: nil},
		{name: "the header from the trusted proxy", rd: proxied, req: withTLS(req("10.0.0.1:1", escapedPEM(testCert())), otherCert()), cert: testCert()},
		{name: "the header with + unescaped", rd: proxied, req: req("10.0.0.1:1", strings.ReplaceAll(escapedPEM(testCert()), "%2B", "+")), cert: testCert()},
		{name: "the trusted proxy sent no header: not its own TLS certificate", rd: proxied, req: withTLS(req("10.0.0.1:1"), otherCert()), cert: nil},
		{name: "the trusted proxy sent an empty header", rd: proxied, req: withTLS(req("10.0.0.1:1", ""), otherCert()), cert: nil},
		{name: "the header from anyone else is ignored", rd: proxied, req: withTLS(req("192.0.2.9:1", escapedPEM(otherCert())), testCert()), cert: testCert()},
		{name: "the header from anyone else, without TLS", rd: proxied, req: req("192.0.2.9:1", escapedPEM(otherCert())), cert: nil},
		{name: "two headers", rd: proxied, req: req("10.0.0.1:1", escapedPEM(testCert()), escapedPEM(testCert())), wantErr: true},
		{name: "an invalid escape", rd: proxied, req: req("10.0.0.1:1", "%zz"), wantErr: true},
		{name: "not PEM", rd: proxied, req: req("10.0.0.1:1", "hello"), wantErr: true},
		{name: "a PEM private key", rd: proxied, req: req("10.0.0.1:1", "-----BEGIN%20PRIVATE%20KEY-----%0AAAAA%0A-----END%20PRIVATE%20KEY-----%0A"), wantErr: true},
		{name: "two certificates", rd: proxied, req: req("10.0.0.1:1", escapedPEM(testCert())+escapedPEM(testCert())), wantErr: true},
		{name: "too long", rd: proxied, req: req("10.0.0.1:1", strings.Repeat("A", 200<<10)), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.rd.ClientCertificate(tt.req)
			if tt.wantErr {
				assert.ErrorIs(t, err, fapihttp.ErrClientCertificate)
				var re *fapihttp.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "X-Ssl-Client-Cert", re.Name)
				assert.Nil(t, c)
				return
			}
			require.NoError(t, err)
			if tt.cert == nil {
				assert.Nil(t, c)
				return
			}
			require.NotNil(t, c)
			assert.True(t, tt.cert.Equal(c), "got the certificate of %s", c.Subject)
		})
	}
}

func TestZeroReader(t *testing.T) {
	t.Parallel()
	var rd fapihttp.Reader
	tr, err := rd.Token(post("http://as.example.com/token", "a=1"))
	require.NoError(t, err)
	assert.Equal(t, fapi.Params{"a": {"1"}}, tr.Params)
	_, err = rd.Token(post("http://as.example.com/token", "a="+strings.Repeat("x", fapihttp.DefaultMaxFormSize)))
	assert.ErrorIs(t, err, fapihttp.ErrBodyTooLarge, "the default limit")
	r := post("http://as.example.com/token", "a=1")
	r.RemoteAddr = "10.0.0.1:1"
	r.Header.Set("X-Forwarded-Host", "evil.example")
	u, err := rd.URL(r)
	require.NoError(t, err)
	assert.Equal(t, "http://as.example.com/token", u, "no proxy is trusted")
}
