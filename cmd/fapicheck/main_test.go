package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cases = "../../testdata/cases/"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestRun(t *testing.T) {
	bad := writeFile(t, "bad.json", `{"service":{"issuer":["x"]}}`)
	typo := writeFile(t, "typo.json", `{"service":{"issuer":"https://as.example.com","response_types_supported":["code"],"isuer":"x"}}`)
	tests := []struct {
		name     string
		args     []string
		status   int
		reports  int
		stderr   []string
		profiles []string
	}{
		{"valid case", []string{cases + "valid-rw-private-key-jwt.json"}, 0, 1, nil, []string{"fapi1-read-write"}},
		{"violation", []string{cases + "request-object-expired.json"}, 1, 1, nil, []string{"fapi1-read-write"}},
		{"several cases", []string{cases + "valid-ro-public-client.json", cases + "pkce-method-plain.json"}, 1, 2, nil, []string{"fapi1-read-only", "fapi1-read-only"}},
		{"unreadable input", []string{bad}, 2, 0, []string{bad, "field service.issuer", "expected a string"}, nil},
		{"missing file", []string{"does-not-exist.json"}, 2, 0, []string{"does-not-exist.json"}, nil},
		{"unreadable wins over violations", []string{cases + "request-object-expired.json", bad}, 2, 1, []string{bad}, []string{"fapi1-read-write"}},
		{"unknown member warns", []string{typo}, 0, 1, []string{"warning", "service.isuer"}, []string{"none"}},
		{"no arguments", nil, 2, 0, []string{"usage"}, nil},
		{"help", []string{"-h"}, 0, 0, []string{"usage"}, nil},
		{"end of options", []string{"--", cases + "valid-rw-private-key-jwt.json"}, 0, 1, nil, []string{"fapi1-read-write"}},
		{"after --, -h is a file", []string{"--", "-h"}, 2, 0, []string{"-h"}, nil},
		{"only --", []string{"--"}, 2, 0, []string{"usage"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			status := run(tt.args, &out, &errOut)
			assert.Equal(t, tt.status, status, "stderr: %s", errOut.String())
			dec := json.NewDecoder(&out)
			var profiles []string
			for dec.More() {
				var rep struct {
					File       string `json:"file"`
					Profile    string `json:"profile"`
					Violations []struct {
						Code, Field, Message, Ref, Error string
					} `json:"violations"`
				}
				require.NoError(t, dec.Decode(&rep))
				profiles = append(profiles, rep.Profile)
				for _, v := range rep.Violations {
					assert.NotEmpty(t, v.Code)
					assert.NotEmpty(t, v.Ref)
					assert.NotEmpty(t, v.Error)
				}
			}
			assert.Len(t, profiles, tt.reports)
			if tt.profiles != nil {
				assert.Equal(t, tt.profiles, profiles)
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut.String(), s)
			}
			assert.NotContains(t, errOut.String(), "goroutine", "no stack traces")
			assert.NotContains(t, errOut.String(), "panic")
		})
	}
}

func TestOutputShape(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 1, run([]string{cases + "request-object-expired.json"}, &out, &errOut))
	var rep map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	for _, k := range []string{"file", "description", "profile", "chosen_by", "violations", "waived", "ignored"} {
		assert.Contains(t, rep, k)
	}
	assert.True(t, strings.Contains(string(rep["violations"]), `"request_object.expired"`))
}
