// Package coverage holds the project's copy of the requirement catalog's
// rows (REQUIREMENTS.md, sections 1 to 15) and, for each row, the violation
// codes that enforce it or why it is left to the caller. The catalog itself
// is kept outside this repository; only what the coverage table needs is
// copied here — each row's clause IDs, section, profiles and check class —
// with a short paraphrase of the rule, never the catalog's own wording.
//
// COVERAGE.md at the repository root is generated from Rows, the code table
// of package fapi and the expectations of the case corpus
// (testdata/cases). A test fails when it is out of date; regenerate it with
//
//	go test ./internal/coverage -run TestGenerateCoverage -update-coverage
//
// The tests also check that the table is consistent (every code exists,
// every row is either enforced or explained) and that every code a row
// names is exercised by at least one case of the corpus.
package coverage
