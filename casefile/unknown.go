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
	"github.com/fapicheck/fapicheck/internal/metadata"
)

var (
	typeParams  = reflect.TypeOf(paramsShape{})
	typeHeader  = reflect.TypeOf(headerShape{})
	typeAuthz   = reflect.TypeOf(authorizationShape{})
	typeRaw     = reflect.TypeOf(json.RawMessage{})
	typeTime    = reflect.TypeOf(time.Time{})
	typeService = reflect.TypeOf(serviceShape{})
	typeClient  = reflect.TypeOf(fapi.Client{})
)

// unknownMembers lists the members of a case file that no field reads, as
// warnings (docs/DESIGN.md: never a failure). It also returns the file without
// the members that differ from a known one only in letter case, or nil when
// there are none: encoding/json matches member names without regard to
// case, so it would quietly apply "Issuer" to issuer, while a member the
// tool does not know must be ignored.
func unknownMembers(data []byte) ([]Warning, []byte) {
	var out []Warning
	cleaned := walk(reflect.TypeOf(caseShape{}), data, "", &out)
	return out, cleaned
}

// walk appends a warning for each member of raw that no field of t reads,
// and returns raw without its case variants of known members (see
// unknownMembers), or nil when raw has none at any depth.
func walk(t reflect.Type, raw []byte, path string, out *[]Warning) json.RawMessage {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	if t == typeParams || t == typeHeader || t == typeAuthz || t == typeRaw || t == typeTime {
		return nil
	}
	// A service's and a client's members are metadata: every standard
	// member is known, even one that the fapi types have no field for
	// (internal/metadata, the list fapi.ServiceFromDiscovery reads).
	var standard func(string) (metadata.Member, bool)
	switch t {
	case typeService:
		standard = metadata.LookupService
	case typeClient:
		standard = metadata.LookupClient
	}
	switch t.Kind() {
	case reflect.Struct:
		return walkObject(t, raw, path, standard, out)
	case reflect.Slice:
		return walkArray(t, raw, path, out)
	}
	return nil
}

// walkObject is walk for a JSON object read into the struct type t;
// standard, when not nil, tells the standard metadata members that no
// field reads but that are known all the same.
func walkObject(t reflect.Type, raw []byte, path string, standard func(string) (metadata.Member, bool), out *[]Warning) json.RawMessage {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return nil // a type error; decoding reports it
	}
	fields := jsonFields(t)
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names)
	changed := false
	for _, name := range names {
		ft, ok := fields[name]
		if !ok && standard != nil {
			if _, known := standard(name); known {
				continue // standard metadata the library does not use
			}
		}
		if !ok {
			msg := "unknown member (ignored)"
			if known, variant := caseVariant(fields, name); variant {
				msg = fmt.Sprintf("unknown member (ignored; member names are case-sensitive: did you mean %q?)", known)
				delete(members, name)
				changed = true
			}
			*out = append(*out, Warning{Path: join(path, name), Message: msg})
			continue
		}
		if cleaned := walk(ft, members[name], join(path, name), out); cleaned != nil {
			members[name] = cleaned
			changed = true
		}
	}
	if !changed {
		return nil
	}
	b, err := json.Marshal(members)
	if err != nil {
		return nil // unreachable: every member was valid JSON
	}
	return b
}

// walkArray is walk for a JSON array read into the slice type t.
func walkArray(t reflect.Type, raw []byte, path string, out *[]Warning) json.RawMessage {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	changed := false
	for i, it := range items {
		if cleaned := walk(t.Elem(), it, path+"["+strconv.Itoa(i)+"]", out); cleaned != nil {
			items[i] = cleaned
			changed = true
		}
	}
	if !changed {
		return nil
	}
	b, err := json.Marshal(items)
	if err != nil {
		return nil
	}
	return b
}

// caseVariant reports the known member name that name differs from only in
// letter case, if there is one.
func caseVariant(fields map[string]reflect.Type, name string) (string, bool) {
	known := make([]string, 0, 1)
	for k := range fields {
		if strings.EqualFold(k, name) {
			known = append(known, k)
		}
	}
	if len(known) == 0 {
		return "", false
	}
	sort.Strings(known)
	return known[0], true
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			// An embedded struct's members are the outer object's
			// (encoding/json promotes them).
			for name, ft := range jsonFields(f.Type) {
				if _, ok := m[name]; !ok {
					m[name] = ft
				}
			}
			continue
		}
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
