// Package coverage holds the requirements the project tracks (sections 1
// to 15 of its requirement catalog) and, for each, the violation codes that
// enforce it or why it is left to the caller: each row's clause IDs,
// section, profiles and check class, with a short paraphrase of the rule;
// the cited spec clause holds the requirement itself.
//
// docs/COVERAGE.md is generated from Rows, the code table
// of package fapi and the expectations of the case corpus
// (testdata/cases). A test fails when it is out of date; regenerate it with
//
//	go generate ./...
//
// (or only it: go run ./internal/generate coverage).
//
// The tests also check that the table is consistent (every code exists,
// every row is either enforced or explained) and that every code a row
// names is exercised by at least one case of the corpus.
package coverage
