package jose_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/fapicheck/fapicheck/internal/jose"
)

func TestDetail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"field and detail", &jose.Error{Kind: jose.ErrMalformed, Field: "header", Detail: "not JSON"}, "header: not JSON"},
		{"detail only", &jose.Error{Kind: jose.ErrMalformed, Detail: "3 segments expected"}, "3 segments expected"},
		{"wrapped", fmt.Errorf("context: %w", &jose.Error{Kind: jose.ErrTooLarge, Field: "payload", Detail: "too long"}), "payload: too long"},
		{"other error", errors.New("plain"), "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, jose.Detail(tt.err))
		})
	}
}
