package scope_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/scope"
)

func TestDefinitionHasAndValues(t *testing.T) {
	t.Parallel()

	d := scope.Definition{
		Name: "accounts",
		Attributes: []scope.Attribute{
			{Key: "fapi", Value: "r"},
			{Key: "audience", Value: "https://rs1.example.com"},
			{Key: "fapi", Value: "rw"},
		},
	}

	tests := []struct {
		name       string
		def        scope.Definition
		key, value string
		wantHas    bool
		wantValues []string
	}{
		{name: "first value", def: d, key: "fapi", value: "r", wantHas: true, wantValues: []string{"r", "rw"}},
		{name: "second value", def: d, key: "fapi", value: "rw", wantHas: true, wantValues: []string{"r", "rw"}},
		{name: "value case-sensitive", def: d, key: "fapi", value: "RW", wantHas: false, wantValues: []string{"r", "rw"}},
		{name: "key case-sensitive", def: d, key: "FAPI", value: "rw", wantHas: false, wantValues: nil},
		{name: "value of other key", def: d, key: "audience", value: "rw", wantHas: false, wantValues: []string{"https://rs1.example.com"}},
		{name: "missing key", def: d, key: "x", value: "", wantHas: false, wantValues: nil},
		{name: "no attributes", def: scope.Definition{Name: "openid"}, key: "fapi", value: "rw", wantHas: false, wantValues: nil},
		{name: "empty key and value", def: scope.Definition{Name: "x", Attributes: []scope.Attribute{{}}}, key: "", value: "", wantHas: true, wantValues: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantHas, tt.def.Has(tt.key, tt.value))
			assert.Equal(t, tt.wantValues, tt.def.Values(tt.key))
		})
	}
}

func TestDefinitionJSON(t *testing.T) {
	t.Parallel()

	d := scope.Definition{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"payments","attributes":[{"key":"fapi","value":"rw"}]}`, string(b))

	b, err = json.Marshal(scope.Definition{Name: "openid"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"openid"}`, string(b))

	var got scope.Definition
	require.NoError(t, json.Unmarshal([]byte(`{"name":"payments","attributes":[{"key":"fapi","value":"rw"}]}`), &got))
	assert.Equal(t, d, got)
}

func TestNewSet(t *testing.T) {
	t.Parallel()

	defs := []scope.Definition{
		{Name: "openid"},
		{Name: "accounts", Attributes: []scope.Attribute{{Key: "fapi", Value: "r"}}},
		{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
	}
	s, err := scope.NewSet(defs)
	require.NoError(t, err)
	require.NotNil(t, s)

	tests := []struct {
		name   string
		lookup string
		want   scope.Definition
		found  bool
	}{
		{name: "no attributes", lookup: "openid", want: defs[0], found: true},
		{name: "with attributes", lookup: "payments", want: defs[2], found: true},
		{name: "unknown", lookup: "unknown", found: false},
		{name: "case-sensitive", lookup: "OpenID", found: false},
		{name: "empty", lookup: "", found: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := s.Lookup(tt.lookup)
			assert.Equal(t, tt.found, ok)
			assert.Equal(t, tt.want, got)
		})
	}

	assert.Equal(t, defs, s.Definitions())
}

func TestNewSetErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		defs       []scope.Definition
		wantIndex  int
		wantName   string
		wantReason string
	}{
		{name: "empty name", defs: []scope.Definition{{Name: "openid"}, {Name: ""}}, wantIndex: 1, wantName: "", wantReason: "empty name"},
		{name: "space in name", defs: []scope.Definition{{Name: "read write"}}, wantIndex: 0, wantName: "read write", wantReason: "not an RFC 6749 scope-token"},
		{name: "quote in name", defs: []scope.Definition{{Name: `a"b`}}, wantIndex: 0, wantName: `a"b`, wantReason: "not an RFC 6749 scope-token"},
		{name: "backslash in name", defs: []scope.Definition{{Name: `a\b`}}, wantIndex: 0, wantName: `a\b`, wantReason: "not an RFC 6749 scope-token"},
		{name: "non-ASCII name", defs: []scope.Definition{{Name: "paiement-é"}}, wantIndex: 0, wantName: "paiement-é", wantReason: "not an RFC 6749 scope-token"},
		{name: "control character", defs: []scope.Definition{{Name: "a\x00"}}, wantIndex: 0, wantName: "a\x00", wantReason: "not an RFC 6749 scope-token"},
		{
			name:       "duplicate",
			defs:       []scope.Definition{{Name: "openid"}, {Name: "accounts"}, {Name: "openid", Attributes: []scope.Attribute{{Key: "k", Value: "v"}}}},
			wantIndex:  2,
			wantName:   "openid",
			wantReason: "already defined at index 0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := scope.NewSet(tt.defs)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.ErrorIs(t, err, scope.ErrInvalidDefinition)
			assert.NotErrorIs(t, err, scope.ErrMalformed)

			var defErr *scope.DefinitionError
			require.ErrorAs(t, err, &defErr)
			assert.Equal(t, tt.wantIndex, defErr.Index)
			assert.Equal(t, tt.wantName, defErr.Name)
			assert.Contains(t, defErr.Reason, tt.wantReason)
			assert.Contains(t, err.Error(), strconv.Quote(tt.wantName))
		})
	}
}

func TestSetEmptyAndNil(t *testing.T) {
	t.Parallel()

	var nilSet *scope.Set
	var zeroSet scope.Set
	empty, err := scope.NewSet(nil)
	require.NoError(t, err)

	for name, s := range map[string]*scope.Set{"nil": nilSet, "zero": &zeroSet, "empty": empty} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, ok := s.Lookup("openid")
			assert.False(t, ok)
			assert.Equal(t, scope.Definition{}, d)
			assert.Nil(t, s.Definitions())
		})
	}
}

func TestSetIsImmutable(t *testing.T) {
	t.Parallel()

	defs := []scope.Definition{
		{Name: "payments", Attributes: []scope.Attribute{{Key: "fapi", Value: "rw"}}},
	}
	s, err := scope.NewSet(defs)
	require.NoError(t, err)

	// Changing the input after NewSet must not affect the Set.
	defs[0].Name = "changed"
	defs[0].Attributes[0].Value = "changed"

	// Changing what Lookup and Definitions return must not affect the Set.
	got, ok := s.Lookup("payments")
	require.True(t, ok)
	got.Attributes[0].Value = "changed"
	all := s.Definitions()
	require.Len(t, all, 1)
	all[0].Attributes[0].Value = "changed"
	all[0].Name = "changed"

	got, ok = s.Lookup("payments")
	require.True(t, ok)
	assert.True(t, got.Has("fapi", "rw"))
	_, ok = s.Lookup("changed")
	assert.False(t, ok)
	assert.Equal(t, "payments", s.Definitions()[0].Name)
}

func TestSetConcurrentUse(t *testing.T) {
	t.Parallel()

	defs := make([]scope.Definition, 50)
	for i := range defs {
		defs[i] = scope.Definition{Name: "s" + strconv.Itoa(i), Attributes: []scope.Attribute{{Key: "n", Value: strconv.Itoa(i)}}}
	}
	s, err := scope.NewSet(defs)
	require.NoError(t, err)

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range defs {
				d, ok := s.Lookup(defs[(i+g)%len(defs)].Name)
				if !ok || len(d.Values("n")) != 1 {
					t.Errorf("lookup %d failed", i)
				}
				d.Attributes[0].Value = "x"
				_ = s.Definitions()
			}
		})
	}
	wg.Wait()
}
