// Package conformance accounts for the modules of the OpenID FAPI
// conformance suite that test an authorization server: its list of
// negative cases, with the positive and resource-server modules listed
// beside them. Modules has one entry per module. Each entry carries the
// suite's profile and kind and the answers the suite accepts, and says how
// the library accounts for the module:
//
//   - covered: the library makes the decision. A case file in
//     testdata/conformance, named after the module id, declares the
//     violations it must produce. Its first violation must carry an OAuth
//     error the suite accepts at the targeted endpoint. At the
//     authorization endpoint, AuthorizationResult.ErrorRedirectURI must also choose the
//     targeted outcome: a redirect error or the error page.
//   - positive: a module that must succeed, with a case that expects no
//     violation.
//   - caller: the decision needs the user or the resource owner, in a step
//     the library does not see (login, consent, the acr achieved); the
//     reason names the hook or record the library offers. Reuse and
//     replay are covered: their cases configure a one-time-use store (the
//     case file's store member).
//   - out-of-scope: transport, HTTP handling, user interface, or an
//     ecosystem rule or endpoint the library does not implement.
//
// A mixed module whose flow holds more steps than one case file can (a
// happy refresh beside its negative steps) declares Steps: one case file
// each, named <module id>.<step>.json, judged like the module's own.
//
// The expected violations are declared here, from the specifications and
// the library's code table, never recorded from the library's output.
// docs/CONFORMANCE.md is generated from the table and the library's
// answers to the cases. The case files hold freshly generated keys and
// signatures, so "up to date" means the same set of files, each with the
// declared expectation. Both are regenerated, with the module's other
// generated files, by
//
//	go generate ./...
//
// (or only these: go run ./internal/generate conformance).
// The tests run every case file, check that the answer is the declared one
// and one the suite accepts, and check that every module of the suite's
// module list (testdata/suite-modules.json, extracted from the suite's
// sources at the commits it names) is in the table with the same profile,
// kind and accepted answers.
package conformance
