package fapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/fapicheck/fapicheck/internal/metadata"
	"github.com/fapicheck/fapicheck/internal/strictjson"
)

// MaxMetadataDocumentSize bounds, in bytes, the discovery and registration
// documents that ServiceFromDiscovery and ClientFromRegistration read:
// larger input is refused before it is parsed (docs/DESIGN.md §4.9).
const MaxMetadataDocumentSize = 256 << 10

// metadataLimits bounds the nesting and the members of one object of a
// metadata document: the deepest standard member is a JWK inside jwks.
var metadataLimits = strictjson.Limits{MaxDepth: 16, MaxMembers: 1000}

// Errors of ServiceFromDiscovery and ClientFromRegistration, matched with
// errors.Is. Every error is a *MetadataError that names the member at
// fault and wraps one of these.
var (
	// ErrMetadataMalformed: the document is larger than
	// MaxMetadataDocumentSize, is not one strict JSON object (RFC 8259;
	// duplicate member names are refused, RFC 8414 §3.2 and RFC 7591 §3.2.1
	// require a JSON object), or a standard member has a value of the wrong
	// type (null included).
	ErrMetadataMalformed = errors.New("malformed metadata document")
	// ErrIssuerInvalid: issuer is absent, or is not an https URL with a
	// host and without query or fragment (RFC 8414 §2).
	ErrIssuerInvalid = errors.New("issuer is not an https URL without query or fragment")
	// ErrIssuerMismatch: issuer is not exactly FAPISettings.ExpectedIssuer
	// (RFC 8414 §3.3, OIDC Discovery 1.0 §4.3).
	ErrIssuerMismatch = errors.New("issuer is not the expected issuer")
	// ErrEndpointInvalid: an endpoint the library uses (authorization,
	// token, pushed authorization request, or an mTLS alias) is not an
	// absolute https URL without fragment (RFC 6749 §3.1, §3.2; RFC 9126
	// §5; RFC 8705 §5).
	ErrEndpointInvalid = errors.New("endpoint is not an absolute https URL without fragment")
	// ErrNoFAPISettings: no FAPI settings were given for a FAPI server. A
	// discovery document alone never describes one: without the settings
	// the service would silently run under profile none.
	ErrNoFAPISettings = errors.New("no FAPI settings given for a FAPI server")
	// ErrNoFAPIProfile: the FAPI settings select no FAPI profile (fapi is
	// not in SupportedServiceProfiles, or no scope has a FAPI attribute and
	// no FAPI mode is set; docs/DESIGN.md §3.2).
	ErrNoFAPIProfile = errors.New("the FAPI settings select no FAPI profile")
	// ErrSettingsInvalid: a setting has a value the library does not know
	// or accept (fapi_version, fapi_modes, scope definitions, client_type,
	// a clock skew outside 0-60 s, a negative size or lifetime).
	ErrSettingsInvalid = errors.New("invalid setting")
	// ErrSettingsContradictMetadata: the document says something the
	// settings contradict where it matters, e.g. a scope with a FAPI
	// attribute that the document's scopes_supported does not list (a typo
	// would leave the real scope without FAPI rules).
	ErrSettingsContradictMetadata = errors.New("the settings contradict the metadata document")
	// ErrClientIDMissing: the registration has no client_id (RFC 7591
	// §3.2.1: REQUIRED in the registration response).
	ErrClientIDMissing = errors.New("client_id is missing")
	// ErrJWKSAmbiguous: the registration has both jwks and jwks_uri, which
	// RFC 7591 §2 forbids.
	ErrJWKSAmbiguous = errors.New("jwks and jwks_uri must not both be present")
)

// MetadataError is an error of ServiceFromDiscovery or
// ClientFromRegistration. It unwraps to one of the Err... sentinels above.
type MetadataError struct {
	// Member is the member (or setting) at fault, or "" for the whole
	// document.
	Member string
	// Err is the sentinel.
	Err error
	// Detail says more, or is "".
	Detail string
}

// Error formats the error as "fapi: member: sentinel: detail".
func (e *MetadataError) Error() string {
	var b strings.Builder
	b.WriteString("fapi: ")
	if e.Member != "" {
		b.WriteString(shortName(e.Member))
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *MetadataError) Unwrap() error { return e.Err }

// MetadataWarning is a member of a discovery or registration document that
// was not read: an extension the library does not know (legal, RFC 8414 §2,
// RFC 7591 §2) or one of the library's own settings, which are taken from
// FAPISettings or ClientSettings only. It is never an error.
type MetadataWarning struct {
	Member  string // the member name as the document spells it
	Message string
}

// String formats the warning as "member: message", the name quoted and
// shortened to at most 64 bytes.
func (w MetadataWarning) String() string {
	return strconv.Quote(shortName(w.Member)) + ": " + w.Message
}

// shortName keeps names from documents short in messages.
func shortName(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

// fieldIndex maps each JSON member name of a struct type to its field.
func fieldIndex(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
}

var (
	serviceFields = fieldIndex(reflect.TypeOf(Service{}))
	clientFields  = fieldIndex(reflect.TypeOf(Client{}))
)

// metadataReader reads one metadata document into a struct.
type metadataReader struct {
	lookup   func(string) (metadata.Member, bool)
	fields   map[string]int
	settings string // the type that carries the library's own settings
	warnings []MetadataWarning
	present  map[string]strictjson.Member
}

// read parses doc strictly and sets the fields of dst (a pointer to a
// struct) from the standard members it knows. A known member the struct
// has no field for is type-checked and ignored; an unknown one is a
// warning; one of the library's settings is a warning too (never read from
// a document).
func (r *metadataReader) read(doc []byte, dst any) error {
	if len(doc) > MaxMetadataDocumentSize {
		return &MetadataError{Err: ErrMetadataMalformed, Detail: fmt.Sprintf("larger than %d bytes", MaxMetadataDocumentSize)}
	}
	members, err := strictjson.ParseObject(doc, metadataLimits)
	if err != nil {
		return &MetadataError{Err: ErrMetadataMalformed, Detail: err.Error()}
	}
	v := reflect.ValueOf(dst).Elem()
	r.present = make(map[string]strictjson.Member, len(members))
	for _, m := range members {
		spec, ok := r.lookup(m.Name)
		switch {
		case !ok:
			r.warnings = append(r.warnings, MetadataWarning{Member: m.Name, Message: "unknown member (ignored; extensions are legal)"})
			continue
		case spec.Setting:
			r.warnings = append(r.warnings, MetadataWarning{Member: m.Name,
				Message: "the library's own setting, not standard metadata: not read from the document (give it in " + r.settings + ")"})
			continue
		}
		if err := checkKind(m, spec.Kind); err != nil {
			return &MetadataError{Member: m.Name, Err: ErrMetadataMalformed, Detail: err.Error()}
		}
		r.present[m.Name] = m
		i, ok := r.fields[m.Name]
		if !ok {
			continue // standard, not used by the library
		}
		if err := setField(v.Field(i), m); err != nil {
			return &MetadataError{Member: m.Name, Err: ErrMetadataMalformed, Detail: err.Error()}
		}
	}
	return nil
}

// checkKind checks that m's value has the JSON type k.
func checkKind(m strictjson.Member, k metadata.Kind) error {
	var ok bool
	switch k {
	case metadata.String:
		ok = m.Kind == strictjson.String
	case metadata.Strings:
		_, err := strictjson.DecodeStrings(m.Raw)
		ok = err == nil
	case metadata.Bool:
		ok = m.Kind == strictjson.Bool
	case metadata.Object:
		ok = m.Kind == strictjson.Object
	case metadata.Number:
		ok = m.Kind == strictjson.Number
	}
	if !ok {
		return fmt.Errorf("must be %s, not %s", k, m.Kind)
	}
	return nil
}

var typeRawMessage = reflect.TypeOf(json.RawMessage(nil))

// setField decodes m, already type-checked, into f.
func setField(f reflect.Value, m strictjson.Member) error {
	switch {
	case f.Type() == typeRawMessage:
		f.SetBytes(append([]byte(nil), m.Raw...))
	case f.Kind() == reflect.String:
		s, err := m.StringValue()
		if err != nil {
			return err
		}
		f.SetString(s)
	case f.Kind() == reflect.Bool:
		b, err := strictjson.DecodeBool(m.Raw)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
		list, err := strictjson.DecodeStrings(m.Raw)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(list))
	case f.Kind() == reflect.Map && f.Type().Key().Kind() == reflect.String && f.Type().Elem().Kind() == reflect.String:
		out := map[string]string{}
		var bad error
		m.Members(func(e strictjson.Member) bool {
			s, err := e.StringValue()
			if err != nil {
				bad = fmt.Errorf("member %q must be a string", shortName(e.Name))
				return false
			}
			out[e.Name] = s
			return true
		})
		if bad != nil {
			return bad
		}
		f.Set(reflect.ValueOf(out))
	default:
		// Only the library's own settings have other types, and they are
		// never read from a document; TestMetadataFieldsKnown keeps it so.
		return fmt.Errorf("no decoder for %s", f.Type())
	}
	return nil
}
