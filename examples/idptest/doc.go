// Package idptest shows how an identity provider that does not run on
// this library's example server can still use package fapi in its own
// unit tests: build the service and client configuration inline, run the
// same request through the IdP and through fapi, and assert that the IdP
// refuses exactly what fapi reports, with the OAuth error fapi names.
//
// The package has no code of its own; see example_test.go and
// idp_test.go.
package idptest
