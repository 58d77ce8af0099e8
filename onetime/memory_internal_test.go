package onetime

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestShardChains gives several keys one hash, as a collision of the 64-bit
// hash would, and checks that each is found, and unlinked alone, wherever
// it sits in its chain.
func TestShardChains(t *testing.T) {
	tests := []struct {
		name   string
		remove string
	}{
		{"head", "c"}, // linked last, so first in the chain
		{"middle", "b"},
		{"tail", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &shard{keys: map[uint64]*entry{}}
			entries := map[string]*entry{}
			for _, k := range []string{"a", "b", "c"} {
				e := &entry{key: k, hash: 7}
				entries[k] = e
				s.link(e)
			}
			for k, e := range entries {
				assert.Same(t, e, s.find(7, k))
			}
			assert.Nil(t, s.find(7, "d"))
			assert.Nil(t, s.find(8, "a"))

			s.unlink(entries[tt.remove])
			assert.Nil(t, s.find(7, tt.remove))
			for k, e := range entries {
				if k != tt.remove {
					assert.Same(t, e, s.find(7, k), "key %s", k)
				}
			}
			for k, e := range entries {
				if k != tt.remove {
					s.unlink(e)
				}
			}
			assert.Empty(t, s.keys, "the last unlink deletes the hash")
		})
	}
}
