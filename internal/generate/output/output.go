// Package output writes what the generators of internal/generate produce,
// and names the one command that runs them all.
package output

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// Command regenerates every generated file of the module: the go:generate
// directive of package fapi runs internal/generate.
const Command = "go generate ./..."

// WriteFile writes data to path, creating its directory, unless the file
// already holds exactly data (so an unchanged document keeps its time).
func WriteFile(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// WriteCases makes dir hold exactly the case files of files (file name to
// content): each is written, and every other .json file in dir is removed.
func WriteCases(dir string, files map[string][]byte) error {
	for name, data := range files {
		if err := WriteFile(filepath.Join(dir, name), data); err != nil {
			return err
		}
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep && strings.HasSuffix(p, ".json") {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}
