package fapihttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
)

// formMediaType is the media type of a form body (RFC 6749 Appendix B).
const formMediaType = "application/x-www-form-urlencoded"

// readForm reads r's body as an application/x-www-form-urlencoded form of
// at most rd.limit() bytes (RFC 6749 §3.2, Appendix B; RFC 9126 §2.1). The
// body is put back as it was read, so that a framework behind the reader
// can read it again.
func (rd *Reader) readForm(r *http.Request) (fapi.Params, error) {
	if err := checkFormContentType(r.Header.Values("Content-Type")); err != nil {
		return nil, err
	}
	limit := rd.limit()
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge(mbe.Limit)
			}
			return nil, &RequestError{Err: ErrMalformedForm, Detail: "the request body could not be read"}
		}
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		if int64(len(body)) > limit {
			return nil, tooLarge(limit)
		}
	}
	return parseForm(string(body))
}

func tooLarge(limit int64) *RequestError {
	return &RequestError{Err: ErrBodyTooLarge, Detail: fmt.Sprintf("the request body is larger than %d bytes", limit)}
}

// checkFormContentType accepts exactly one Content-Type field whose media
// type is application/x-www-form-urlencoded, with no charset or UTF-8
// (RFC 6749 Appendix B: the form is UTF-8). Other parameters are ignored.
func checkFormContentType(values []string) error {
	if len(values) != 1 {
		what := "no Content-Type"
		if len(values) > 1 {
			what = fmt.Sprintf("%d Content-Type header fields", len(values))
		}
		return &RequestError{Err: ErrContentType, Name: "Content-Type",
			Detail: "the request has " + what + "; the body must be " + formMediaType + " (RFC 6749 section 3.2)"}
	}
	mt, params, err := mime.ParseMediaType(values[0])
	if err != nil || mt != formMediaType {
		return &RequestError{Err: ErrContentType, Name: "Content-Type",
			Detail: fmt.Sprintf("the body is %s, not %s (RFC 6749 section 3.2)", quoteShort(values[0]), formMediaType)}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return &RequestError{Err: ErrContentType, Name: "Content-Type",
			Detail: fmt.Sprintf("the form is in charset %s; it must be UTF-8 (RFC 6749 Appendix B)", quoteShort(cs))}
	}
	return nil
}

// parseForm parses an application/x-www-form-urlencoded string (a body or
// a query) strictly: an invalid percent escape or a ";" separator is
// ErrMalformedForm (url.ParseQuery's rules), a name sent twice
// ErrDuplicateParameter (RFC 6749 §3.1, §3.2). The parameters are returned
// in fapi's shape, one value each.
func parseForm(s string) (fapi.Params, error) {
	v, err := url.ParseQuery(s)
	if err != nil {
		return nil, &RequestError{Err: ErrMalformedForm,
			Detail: "the parameters are not valid " + formMediaType + " (an invalid percent escape, or a ';' separator)"}
	}
	var dups []string
	for name, vals := range v {
		if len(vals) > 1 {
			dups = append(dups, name)
		}
	}
	if len(dups) > 0 {
		sort.Strings(dups) // the same error for the same request
		return nil, duplicateError(dups[0], fmt.Sprintf("%d times", len(v[dups[0]])))
	}
	return fapi.Params(v), nil
}
