package fapifosite

import (
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/clientassertion"
	"github.com/fapicheck/fapicheck/fapi"
)

// DefaultMaxFormSize bounds a form body the provider reads, in bytes: the
// 1 MiB fosite reads itself. A form is a few KiB, request objects included
// (the library bounds those to 64 KiB).
const DefaultMaxFormSize = 1 << 20

// input is what the library's check points take from an HTTP request.
type input struct {
	form  url.Values
	basic *fapi.BasicAuth
	cert  *x509.Certificate
	dpop  []string
}

// readPost reads a POST request's form body: application/x-www-form-
// urlencoded only (RFC 6749 §3.2, §4.1.3; RFC 9126 §2.1), at most limit
// bytes. A request of another method has an empty form: the check points
// refuse it (par.method_not_allowed) or fosite does. The form is what the
// library checks and fosite reads: r.Form and r.PostForm are set to it, so
// neither query parameters nor a multipart body reach fosite unchecked.
func readPost(r *http.Request, limit int64) (url.Values, error) {
	form := url.Values{}
	if r.Method == http.MethodPost {
		var err error
		if form, err = readFormBody(r, limit); err != nil {
			return nil, err
		}
	}
	setForm(r, form)
	return form, nil
}

// readAuthorization reads an authorization request: the query of a GET,
// the form body of a POST (OIDC Core §3.1.2.1), never both, so that fosite
// and the library read the same parameters.
func readAuthorization(r *http.Request, limit int64) (url.Values, error) {
	switch r.Method {
	case http.MethodGet:
		form, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, fosite.ErrInvalidRequest.WithHint("The query is not application/x-www-form-urlencoded.").WithWrap(err)
		}
		return form, nil
	case http.MethodPost:
		if r.URL.RawQuery != "" {
			return nil, fosite.ErrInvalidRequest.WithHint("An authorization request sent with POST carries its parameters in the body only.")
		}
		return readFormBody(r, limit)
	default:
		return nil, fosite.ErrInvalidRequest.WithHintf("HTTP method %q is not GET or POST.", r.Method)
	}
}

// readFormBody reads an application/x-www-form-urlencoded body of at most
// limit bytes.
func readFormBody(r *http.Request, limit int64) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, fosite.ErrInvalidRequest.WithHint("The body must be application/x-www-form-urlencoded.")
	}
	if r.Body == nil {
		return url.Values{}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fosite.ErrInvalidRequest.WithHint("The body could not be read.").WithWrap(err)
	}
	if int64(len(body)) > limit {
		return nil, fosite.ErrInvalidRequest.WithHintf("The body is larger than %d bytes.", limit)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fosite.ErrInvalidRequest.WithHint("The body is not application/x-www-form-urlencoded.").WithWrap(err)
	}
	return form, nil
}

// setForm makes form the parameters fosite reads of r (its Form, and its
// PostForm for a POST); the body has been read.
func setForm(r *http.Request, form url.Values) {
	r.Form = form
	r.PostForm = url.Values{}
	if r.Method == http.MethodPost {
		r.PostForm = cloneValues(form)
	}
	r.MultipartForm = nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// basicAuth returns the HTTP Basic credentials of r as the library takes
// them (still form-encoded, RFC 6749 §2.3.1), or nil.
func basicAuth(r *http.Request) *fapi.BasicAuth {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	return &fapi.BasicAuth{ClientID: id, ClientSecret: secret}
}

// tlsCertificate returns the verified TLS client certificate of r, nil when
// there is none (RFC 8705 §2: the TLS layer verified it).
func tlsCertificate(r *http.Request) (*x509.Certificate, error) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil, nil
	}
	return r.TLS.PeerCertificates[0], nil
}

// errNoClient: the request names no client.
var errNoClient = errors.New("fapifosite: the request identifies no client")

// clientID returns the client a token or PAR request is from, before it is
// authenticated: client_id, else the HTTP Basic user name (form-decoded,
// RFC 6749 §2.3.1), else the client assertion's iss (RFC 7523 §3 item 1,
// read unverified for the lookup only; the library then verifies it with
// that client's keys, iss = sub = client_id).
func clientID(form url.Values, basic *fapi.BasicAuth) (string, error) {
	if id := form.Get("client_id"); id != "" {
		return id, nil
	}
	if basic != nil {
		if id, err := url.QueryUnescape(basic.ClientID); err == nil && id != "" {
			return id, nil
		}
	}
	if a := form.Get("client_assertion"); a != "" {
		if iss, ok := clientassertion.UnverifiedIssuer(a, 0); ok && iss != "" {
			return iss, nil
		}
	}
	return "", errNoClient
}
