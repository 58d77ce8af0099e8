package server

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
)

// routes registers the endpoints under the issuer's path.
func (s *Server) routes(prefix string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+PathDiscovery, s.handleDiscovery)
	// RFC 8414 §3.1: the well-known path goes before the issuer's path.
	mux.HandleFunc("GET "+PathAuthorizationServerMetadata+prefix, s.handleDiscovery)
	mux.HandleFunc("GET "+prefix+PathJWKS, s.handleJWKS)
	if s.endpoints.par != "" {
		mux.HandleFunc("POST "+prefix+PathPAR, s.handlePAR)
	}
	mux.HandleFunc("GET "+prefix+PathAuthorize, s.handleAuthorize)
	mux.HandleFunc("POST "+prefix+PathAuthorize, s.handleAuthorize)
	mux.HandleFunc("POST "+prefix+PathToken, s.handleToken)
	mux.HandleFunc("GET "+prefix+PathUserinfo, s.handleUserinfo)
	mux.HandleFunc("POST "+prefix+PathUserinfo, s.handleUserinfo)
	mux.HandleFunc("GET "+prefix+PathAccounts, s.handleAccounts)
	return s.recoverer(securityHeaders(mux))
}

// securityHeaders sets headers every response of this server should carry.
// Pages that need more (form_post) widen the policy themselves.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a 500 and a log record instead
// of a dropped connection. http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// noStore marks a response as never cacheable (RFC 6749 §5.1).
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// writeJSON writes v as a JSON response.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode response", "err", err)
		status, body = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// oauthError is an OAuth 2.0 error response body (RFC 6749 §5.2).
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorization request refused</title></head>
<body>
<h1>Authorization request refused</h1>
<p>{{.Summary}}</p>
<p>The request was not sent back to the client, because its redirect URI could not be trusted.</p>
{{if .Violations}}<table>
<thead><tr><th>Code</th><th>Clause</th><th>Error</th><th>Message</th></tr></thead>
<tbody>
{{range .Violations}}<tr><td>{{.Code}}</td><td>{{.Ref}}</td><td>{{.Error}}</td><td>{{.Message}}</td></tr>
{{end}}</tbody>
</table>{{end}}
</body>
</html>
`))

// writeErrorPage answers an authorization request that must not be
// redirected (RFC 6749 §4.1.2.1) with an HTML page. Everything shown is
// HTML-escaped by html/template: violation messages quote request values.
func (s *Server) writeErrorPage(w http.ResponseWriter, status int, summary string, violations []fapi.Violation) {
	var buf bytes.Buffer
	err := errorPage.Execute(&buf, struct {
		Summary    string
		Violations []fapi.Violation
	}{summary, violations})
	if err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, "bad request", status)
		return
	}
	noStore(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
