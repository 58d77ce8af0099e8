package main

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// corpusCase reads a bundled case as generic JSON, lets edit change it and
// writes it to name in the current directory.
func corpusCase(t *testing.T, src, name string, edit func(map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(data, &c))
	if edit != nil {
		edit(c)
	}
	out, err := json.Marshal(c)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(name, out, 0o600))
}

// fixtures writes the summary fixtures into a fresh current directory, so
// that the golden output has short, fixed file names.
func fixtures(t *testing.T) {
	t.Helper()
	expired, valid, plain := cases+"request-object-expired.json", cases+"valid-rw-private-key-jwt.json", cases+"valid-none-profile.json"
	for _, p := range []*string{&expired, &valid, &plain} {
		abs, err := filepath.Abs(*p)
		require.NoError(t, err)
		*p = abs
	}
	t.Chdir(t.TempDir())
	noExpect := func(c map[string]any) { delete(c, "expect") }
	corpusCase(t, expired, "expired.json", nil)
	corpusCase(t, valid, "valid.json", nil)
	corpusCase(t, plain, "plain.json", nil)
	corpusCase(t, expired, "unexpected.json", func(c map[string]any) {
		c["expect"].(map[string]any)["violations"] = []string{}
	})
	corpusCase(t, valid, "wrong-profile.json", func(c map[string]any) {
		c["expect"].(map[string]any)["profile"] = "fapi1-advanced"
		c["expect"].(map[string]any)["violations"] = []string{"pkce.challenge_missing"}
	})
	corpusCase(t, expired, "mine.json", noExpect)
	corpusCase(t, valid, "mine-ok.json", noExpect)
	corpusCase(t, valid, "typo.json", func(c map[string]any) {
		// A refusal expected under a misspelt member: the tool cannot
		// tell what was meant, so the case is not as expected although
		// the request is accepted.
		e := c["expect"].(map[string]any)
		e["violatons"] = e["violations"]
		delete(e, "violations")
	})
	corpusCase(t, valid, "malformed.json", func(c map[string]any) {
		c["expect"] = map[string]any{"violations": "none"}
	})
	require.NoError(t, os.WriteFile("bad.json", []byte(`{"service":{"issuer":["x"]}}`), 0o600))
}

// TestSummary holds the default output to golden text.
func TestSummary(t *testing.T) {
	fixtures(t)
	tests := []struct {
		name   string
		args   []string
		status int
		stdout string
		stderr []string
	}{
		{"as expected", []string{"valid.json", "expired.json", "plain.json"}, 0, "" +
			"as expected  valid.json    fapi1-read-write  OK\n" +
			"as expected  expired.json  fapi1-read-write  request_object.expired\n" +
			"as expected  plain.json    none              OK (no FAPI profile)\n" +
			"3 cases: 3 as expected, 0 not\n", nil},
		{"not as expected", []string{"expired.json", "unexpected.json", "wrong-profile.json"}, 1, "" +
			"as expected  expired.json        fapi1-read-write  request_object.expired\n" +
			"UNEXPECTED   unexpected.json     fapi1-read-write  request_object.expired\n" +
			"             violations request_object.expired, expected none\n" +
			"UNEXPECTED   wrong-profile.json  fapi1-read-write  OK\n" +
			"             profile fapi1-read-write, expected fapi1-advanced\n" +
			"             violations none, expected pkce.challenge_missing\n" +
			"3 cases: 1 as expected, 2 not\n", nil},
		{"without expect", []string{"mine-ok.json", "mine.json"}, 1, "" +
			"accepted     mine-ok.json  fapi1-read-write  OK\n" +
			"REFUSED      mine.json     fapi1-read-write  request_object.expired\n" +
			"2 cases: 1 accepted, 1 refused\n", nil},
		{"accepted without expect", []string{"mine-ok.json"}, 0, "" +
			"accepted     mine-ok.json  fapi1-read-write  OK\n" +
			"1 case: 1 accepted, 0 refused\n", nil},
		{"mixed", []string{"expired.json", "mine-ok.json"}, 0, "" +
			"as expected  expired.json  fapi1-read-write  request_object.expired\n" +
			"accepted     mine-ok.json  fapi1-read-write  OK\n" +
			"2 cases: 1 as expected, 0 not; 1 without expect: 1 accepted, 0 refused\n", nil},
		{"expect not read in full", []string{"typo.json", "malformed.json"}, 1, "" +
			"UNEXPECTED   typo.json       fapi1-read-write  OK\n" +
			"             expect not read in full: expect.violatons (see the warnings)\n" +
			"UNEXPECTED   malformed.json  fapi1-read-write  OK\n" +
			"             expect not read in full: expect (see the warnings)\n" +
			"2 cases: 0 as expected, 2 not\n",
			[]string{"typo.json: warning: expect.violatons: unknown member", "malformed.json: warning: expect: not read"}},
		{"unreadable", []string{"bad.json", "unexpected.json"}, 2, "" +
			"UNEXPECTED   unexpected.json  fapi1-read-write  request_object.expired\n" +
			"             violations request_object.expired, expected none\n" +
			"1 case: 0 as expected, 1 not; 1 unreadable\n",
			[]string{"bad.json", "field service.issuer", "expected a string"}},
		{"only unreadable", []string{"bad.json"}, 2, "0 cases: 1 unreadable\n", []string{"bad.json"}},
		{"quiet", []string{"-q", "expired.json", "unexpected.json", "mine-ok.json", "mine.json"}, 1, "" +
			"UNEXPECTED   unexpected.json  fapi1-read-write  request_object.expired\n" +
			"             violations request_object.expired, expected none\n" +
			"REFUSED      mine.json        fapi1-read-write  request_object.expired\n" +
			"4 cases: 1 as expected, 1 not; 2 without expect: 1 accepted, 1 refused\n", nil},
		{"quiet, all as expected", []string{"-q", "expired.json", "valid.json"}, 0, "2 cases: 2 as expected, 0 not\n", nil},
		{"ignore expect", []string{"-ignore-expect", "expired.json", "valid.json", "unexpected.json", "typo.json"}, 1, "" +
			"REFUSED      expired.json     fapi1-read-write  request_object.expired\n" +
			"accepted     valid.json       fapi1-read-write  OK\n" +
			"REFUSED      unexpected.json  fapi1-read-write  request_object.expired\n" +
			"accepted     typo.json        fapi1-read-write  OK\n" +
			"4 cases: 2 accepted, 2 refused\n", []string{"typo.json: warning: expect.violatons"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			status := run(tt.args, &out, &errOut)
			assert.Equal(t, tt.status, status, "stderr: %s", errOut.String())
			assert.Equal(t, tt.stdout, out.String())
			if tt.stderr == nil {
				assert.Empty(t, errOut.String())
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut.String(), s)
			}
		})
	}
}

// TestFlags: the flags, where they may stand, -h and the usage errors.
func TestFlags(t *testing.T) {
	fixtures(t)
	tests := []struct {
		name   string
		args   []string
		status int
		stdout []string // substrings; nil: empty
		stderr []string // substrings; nil: empty
	}{
		{"-h", []string{"-h"}, 0, []string{"usage: fapicheck", "-json", "-q", "-ignore-expect", "-h, -help", "Exit status:", "2  a usage error"}, nil},
		{"-help", []string{"-help"}, 0, []string{"usage: fapicheck", "Exit status:"}, nil},
		{"--help", []string{"--help"}, 0, []string{"usage: fapicheck", "Exit status:"}, nil},
		{"-h after a file", []string{"expired.json", "-h"}, 0, []string{"usage: fapicheck"}, nil},
		{"unknown flag", []string{"-x", "expired.json"}, 2, nil, []string{"flag provided but not defined: -x", "usage: fapicheck", "fapicheck -h"}},
		{"unknown flag after a file", []string{"expired.json", "--jsn"}, 2, nil, []string{"flag provided but not defined: -jsn"}},
		{"no arguments", nil, 2, nil, []string{"no case file", "usage: fapicheck"}},
		{"only --", []string{"--"}, 2, nil, []string{"no case file"}},
		{"only flags", []string{"-q"}, 2, nil, []string{"no case file"}},
		{"-q with -json", []string{"-q", "-json", "expired.json"}, 2, nil, []string{"-q and -json cannot be combined"}},
		{"flag after the files", []string{"valid.json", "expired.json", "-q"}, 0, []string{"2 cases: 2 as expected, 0 not\n"}, nil},
		{"flag between the files", []string{"valid.json", "-ignore-expect", "expired.json"}, 1, []string{"REFUSED", "2 cases: 1 accepted, 1 refused\n"}, nil},
		{"-json=false", []string{"-json=false", "valid.json"}, 0, []string{"1 case: 1 as expected, 0 not\n"}, nil},
		{"--double-dash flag", []string{"--q", "valid.json"}, 0, []string{"1 case: 1 as expected"}, nil},
		{"-- ends the options", []string{"--", "valid.json"}, 0, []string{"1 case: 1 as expected"}, nil},
		{"after --, -h is a file", []string{"--", "-h"}, 2, []string{"0 cases: 1 unreadable"}, []string{"-h: open -h"}},
		{"after --, -q is a file", []string{"valid.json", "--", "-q"}, 2, []string{"as expected  valid.json", "1 case: 1 as expected, 0 not; 1 unreadable"}, []string{"-q: open -q"}},
		{"missing file", []string{"does-not-exist.json"}, 2, []string{"0 cases: 1 unreadable"}, []string{"does-not-exist.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			status := run(tt.args, &out, &errOut)
			assert.Equal(t, tt.status, status, "stderr: %s", errOut.String())
			for _, pair := range []struct {
				got  string
				want []string
			}{{out.String(), tt.stdout}, {errOut.String(), tt.stderr}} {
				if pair.want == nil {
					assert.Empty(t, pair.got)
				}
				for _, s := range pair.want {
					assert.Contains(t, pair.got, s)
				}
				assert.NotContains(t, pair.got, "goroutine", "no stack traces")
				assert.NotContains(t, pair.got, "panic")
			}
		})
	}
}

// TestHelpListsEveryFlag: -h names every flag the command defines.
func TestHelpListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	require.Equal(t, 0, run([]string{"-h"}, &out, &bytes.Buffer{}))
	for _, f := range []string{"-json", "-q", "-ignore-expect"} {
		assert.Contains(t, out.String(), "  "+f)
	}
}

// TestJSON: -json prints the full reports, one JSON object per case and
// nothing else, with the exit status of the summary.
func TestJSON(t *testing.T) {
	bad := writeFile(t, "bad.json", `{"service":{"issuer":["x"]}}`)
	typo := writeFile(t, "typo.json", `{"service":{"issuer":"https://as.example.com","response_types_supported":["code"],"isuer":"x"}}`)
	tests := []struct {
		name     string
		args     []string
		status   int
		stderr   []string
		profiles []string
	}{
		{"valid case", []string{"-json", cases + "valid-rw-private-key-jwt.json"}, 0, nil, []string{"fapi1-read-write"}},
		{"violation as expected", []string{"-json", cases + "request-object-expired.json"}, 0, nil, []string{"fapi1-read-write"}},
		{"violation, expect ignored", []string{"-json", "-ignore-expect", cases + "request-object-expired.json"}, 1, nil, []string{"fapi1-read-write"}},
		{"several cases", []string{"-json", cases + "valid-ro-public-client.json", cases + "pkce-method-plain.json"}, 0, nil, []string{"fapi1-read-only", "fapi1-read-only"}},
		{"unreadable input", []string{"-json", bad}, 2, []string{bad, "field service.issuer", "expected a string"}, nil},
		{"unreadable wins", []string{"-json", "-ignore-expect", cases + "request-object-expired.json", bad}, 2, []string{bad}, []string{"fapi1-read-write"}},
		{"unknown member warns", []string{"-json", typo}, 0, []string{"warning", "service.isuer"}, []string{"none"}},
		{"flag after the files", []string{cases + "valid-rw-private-key-jwt.json", "-json"}, 0, nil, []string{"fapi1-read-write"}},
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
			assert.Equal(t, tt.profiles, profiles)
			if tt.stderr == nil {
				assert.Empty(t, errOut.String())
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut.String(), s)
			}
		})
	}
}

// TestJSONShape: -json prints what fapicheck printed before the summary
// existed: indented objects whose members come in a fixed order, each
// followed by a newline.
func TestJSONShape(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"-json", cases + "request-object-expired.json", cases + "valid-rw-private-key-jwt.json"}, &out, &errOut))
	text := out.String()
	assert.True(t, strings.HasPrefix(text, "{\n  \"file\": \""+cases+"request-object-expired.json\",\n  \"description\": "), text)
	assert.Equal(t, 2, strings.Count(text, "\n}\n"), "two objects, each ending its line")
	assert.True(t, strings.HasSuffix(text, "\n}\n"))
	// With two-space indentation, the top-level members are the lines
	// that start with two spaces and a quote.
	for _, obj := range strings.SplitAfter(strings.TrimSuffix(text, "\n}\n"), "\n}\n") {
		var names []string
		for _, line := range strings.Split(obj, "\n") {
			if name, ok := strings.CutPrefix(line, `  "`); ok {
				names = append(names, name[:strings.IndexByte(name, '"')])
			}
		}
		assert.Equal(t, []string{"file", "description", "profile", "profiles", "chosen_by", "violations", "waived", "ignored"}, names)
	}
	var rep map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(strings.NewReader(text)).Decode(&rep))
	assert.Contains(t, string(rep["violations"]), `"request_object.expired"`)
}

// TestCorpus: the README's first command exits 0 on the bundled cases, with
// one line per case and a total that says every case came out as declared.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(cases + "*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(files, &out, &errOut), "%s", out.String())
	assert.Empty(t, errOut.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	assert.Len(t, lines, len(files)+1)
	assert.Equal(t, fmt.Sprintf("%d cases: %d as expected, 0 not", len(files), len(files)), lines[len(lines)-1])
	for _, l := range lines[:len(lines)-1] {
		assert.True(t, strings.HasPrefix(l, "as expected  "+cases), l)
	}
}
