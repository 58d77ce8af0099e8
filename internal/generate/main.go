// Command generate regenerates every generated file of the module. It is
// the one entry point, run by the go:generate directive of package fapi:
//
//	go generate ./...
//
// or directly, from anywhere in the module, with the targets to rebuild
// (all of them by default):
//
//	go run ./internal/generate [codes] [cases] [attacks] [conformance] [coverage]
//
// The targets, in the order they run (each may read what the ones before
// it wrote):
//
//   - codes: from the code table fapi/codetable.txt, the Code constants
//     (fapi/zz_codes_gen.go), the runtime table (fapi/zz_codetable_gen.go)
//     and docs/CODES.md (package internal/generate/codetable);
//   - cases: the case corpus testdata/cases (internal/generate/casegen);
//   - attacks: the JOSE attack catalogue testdata/attacks
//     (internal/generate/attacks);
//   - conformance: the conformance-suite cases testdata/conformance and
//     docs/CONFORMANCE.md (internal/generate/conformance);
//   - coverage: docs/COVERAGE.md (internal/generate/coverage).
//
// The codes are generated in this process, which does not import package
// fapi; the other targets import it, so they run in a second process
// (internal/generate/corpora) built after the codes are written. The
// documents and the code files are deterministic. The case files hold
// keys and signatures made fresh on every run, so regenerating a corpus
// rewrites every file of it even when no declaration changed; the tests
// compare only what the files declare.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/fapicheck/fapicheck/internal/generate/codetable"
	"github.com/fapicheck/fapicheck/internal/generate/output"
)

// targets are every target, in the order they run.
var targets = []string{"codes", "cases", "attacks", "conformance", "coverage"}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./internal/generate [target ...]\ntargets (default all): %v\n", targets)
	}
	flag.Parse()
	want := flag.Args()
	if len(want) == 0 {
		want = targets
	}
	for _, t := range want {
		if !slices.Contains(targets, t) {
			fail(fmt.Errorf("unknown target %q (want one of %v)", t, targets))
		}
	}
	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	if slices.Contains(want, "codes") {
		files, err := codetable.Files(root)
		if err != nil {
			fail(err)
		}
		for _, path := range slices.Sorted(mapKeys(files)) {
			if err := output.WriteFile(filepath.Join(root, path), files[path]); err != nil {
				fail(err)
			}
		}
		fmt.Printf("generate: codes: %s, %s, %s\n", codetable.ConstantsFile, codetable.RuntimeFile, codetable.DocFile)
	}
	var rest []string
	for _, t := range targets[1:] {
		if slices.Contains(want, t) {
			rest = append(rest, t)
		}
	}
	if len(rest) == 0 {
		return
	}
	cmd := exec.Command("go", append([]string{"run", "./internal/generate/corpora", "-root", root}, rest...)...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fail(fmt.Errorf("%v: %w", cmd.Args, err))
	}
}

func mapKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// moduleRoot is the nearest directory at or above the working directory
// that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "generate:", err)
	os.Exit(1)
}
