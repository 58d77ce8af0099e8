// Command corpora is the second stage of internal/generate: it rewrites
// the targets that import package fapi, so it runs in a process of its own
// built after the code table has been generated. Run it through
// internal/generate (go generate ./...), which passes the module root:
//
//	go run ./internal/generate/corpora -root DIR [cases] [attacks] [conformance] [coverage]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fapicheck/fapicheck/internal/generate/attacks"
	"github.com/fapicheck/fapicheck/internal/generate/casegen"
	"github.com/fapicheck/fapicheck/internal/generate/conformance"
	"github.com/fapicheck/fapicheck/internal/generate/coverage"
)

// steps are the targets, in the order they must run: coverage reads the
// case corpus.
var steps = []struct {
	name string
	run  func(root string) (string, error)
}{
	{"cases", func(root string) (string, error) {
		n, err := casegen.Write(root)
		return fmt.Sprintf("%d case files in %s", n, casegen.Dir), err
	}},
	{"attacks", func(root string) (string, error) {
		n, err := attacks.Write(root)
		return fmt.Sprintf("%d case files and README.md in %s", n, attacks.Dir), err
	}},
	{"conformance", func(root string) (string, error) {
		n, err := conformance.Write(root)
		return fmt.Sprintf("%d case files in %s, %s", n, conformance.CaseDir, conformance.DocFile), err
	}},
	{"coverage", func(root string) (string, error) {
		return coverage.DocFile, coverage.Write(root)
	}},
}

func main() {
	root := flag.String("root", "", "the module root")
	flag.Parse()
	if *root == "" {
		fail(fmt.Errorf("-root is required"))
	}
	want := map[string]bool{}
	for _, t := range flag.Args() {
		want[t] = true
	}
	for _, s := range steps {
		if !want[s.name] {
			continue
		}
		delete(want, s.name)
		what, err := s.run(*root)
		if err != nil {
			fail(fmt.Errorf("%s: %w", s.name, err))
		}
		fmt.Printf("generate: %s: %s\n", s.name, what)
	}
	for t := range want {
		fail(fmt.Errorf("unknown target %q", t))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "generate:", err)
	os.Exit(1)
}
