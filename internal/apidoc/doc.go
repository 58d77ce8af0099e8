// Package apidoc holds a test that keeps the module's documentation
// complete: every exported identifier of every non-test file has a doc
// comment, and every package has a package comment.
package apidoc
