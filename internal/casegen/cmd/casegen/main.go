// Command casegen writes the library's case corpus.
//
//	go run ./internal/casegen/cmd/casegen -out testdata/cases
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fapicheck/fapicheck/internal/casegen"
)

func main() {
	out := flag.String("out", "testdata/cases", "directory to write the case files to")
	flag.Parse()
	cases, err := casegen.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "casegen:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "casegen:", err)
		os.Exit(1)
	}
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(*out, c.Name+".json"), c.JSON, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "casegen:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("casegen: wrote %d cases to %s\n", len(cases), *out)
}
