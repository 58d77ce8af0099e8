package casefile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
)

// tokenRequestShape is fapi.TokenRequest's JSON form (it has its own
// UnmarshalJSON, so its Go fields do not show its members).
type tokenRequestShape struct {
	Params            fapi.Params               `json:"params"`
	ClientCertificate string                    `json:"client_certificate"`
	Authorization     *fapi.AuthorizationRecord `json:"authorization"`
	DPoP              any                       `json:"dpop"`
	Method            string                    `json:"method"`
	URL               string                    `json:"url"`
}

// parRequestShape is fapi.PushedAuthorizationRequest's JSON form.
type parRequestShape struct {
	Params            fapi.Params `json:"params"`
	ClientCertificate string      `json:"client_certificate"`
	DPoP              any         `json:"dpop"`
	Method            string      `json:"method"`
	URL               string      `json:"url"`
}

var (
	typeParams       = reflect.TypeOf(fapi.Params{})
	typeRaw          = reflect.TypeOf(json.RawMessage{})
	typeTime         = reflect.TypeOf(time.Time{})
	typeTokenRequest = reflect.TypeOf(fapi.TokenRequest{})
	typePARRequest   = reflect.TypeOf(fapi.PushedAuthorizationRequest{})
)

// unknownMembers lists the members of a case file that no field reads. A
// member that differs from a known one only in letter case is an error:
// encoding/json would quietly apply it, while the file's author may have
// meant something else.
func unknownMembers(data []byte) ([]Warning, error) {
	var out []Warning
	var caseErr error
	walk(reflect.TypeOf(Case{}), data, "", &out, &caseErr)
	return out, caseErr
}

func walk(t reflect.Type, raw []byte, path string, out *[]Warning, caseErr *error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case t == typeParams || t == typeRaw || t == typeTime:
		return
	case t == typeTokenRequest:
		t = reflect.TypeOf(tokenRequestShape{})
	case t == typePARRequest:
		t = reflect.TypeOf(parRequestShape{})
	}
	switch t.Kind() {
	case reflect.Struct:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return // a type error; decoding reports it
		}
		fields := jsonFields(t)
		names := make([]string, 0, len(members))
		for name := range members {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			ft, ok := fields[name]
			if !ok {
				for known := range fields {
					if strings.EqualFold(known, name) && *caseErr == nil {
						*caseErr = &Error{Field: join(path, name), Err: fmt.Errorf("member names are case-sensitive; did you mean %q?", known)}
					}
				}
				*out = append(*out, Warning{Path: join(path, name), Message: "unknown member (ignored)"})
				continue
			}
			walk(ft, members[name], join(path, name), out, caseErr)
		}
	case reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		for i, it := range items {
			walk(t.Elem(), it, path+"["+strconv.Itoa(i)+"]", out, caseErr)
		}
	}
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
