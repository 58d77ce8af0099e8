package server

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/internal/metadata"
)

// TestEveryClientMemberUnderstood: every client metadata member the
// library knows (RFC 7591 §2, OIDC Registration §2 and the extensions of
// internal/metadata) has the server's disposition, and the table names no
// member the library does not know; the members fapi.Client holds are the
// library's (or its settings), and the server's own are not in it.
func TestEveryClientMemberUnderstood(t *testing.T) {
	for _, m := range metadata.Client() {
		d, ok := memberDisposition(m.Name)
		if !assert.True(t, ok, "client member %q has no disposition in clientMembers", m.Name) {
			continue
		}
		if m.Setting {
			assert.Equal(t, useSetting, d.use, "%s is one of the library's settings", m.Name)
		}
		if d.use == useUnsupported || d.use == useInformational {
			assert.NotEmpty(t, d.reason, "%s needs its reason", m.Name)
		}
	}
	for name := range clientMembers {
		_, ok := metadata.LookupClient(name)
		assert.True(t, ok, "clientMembers names %q, which the library does not know", name)
	}
	fields := map[string]bool{}
	typ := reflect.TypeOf(fapi.Client{})
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		fields[name] = true
		d := clientMembers[name]
		assert.Contains(t, []memberUse{useLibrary, useSetting, useUnsupported}, d.use,
			"fapi.Client holds %s: the library reads it (or the server refuses it)", name)
	}
	for name, d := range clientMembers {
		if d.use == useLibrary || d.use == useSetting {
			assert.True(t, fields[name], "%s is marked the library's, but fapi.Client has no such member", name)
		}
	}
	_, ok := memberDisposition("client_name#ja-Jpan-JP")
	assert.True(t, ok, "a human-readable member with a language tag (RFC 7591 section 2.2)")
	_, ok = memberDisposition("scope#en")
	assert.False(t, ok, "scope is not human-readable")
}
