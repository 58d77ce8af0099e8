package fapi_test

import (
	"fmt"

	"github.com/fapicheck/fapicheck/fapi"
)

// A violation's Message quotes what the client sent; Description makes it
// a value error_description may carry. The quotes become %22.
func ExampleViolation_Description() {
	v := fapi.Violation{
		Code:    fapi.CodeResponseTypeNotAllowed,
		Field:   "response_type",
		Message: `response type "code token" is not allowed by fapi1-read-write (allowed: code id_token)`,
		Ref:     "FAPI-RW-5.2.2-2",
		Error:   fapi.OAuthUnsupportedResponseType,
	}
	fmt.Println("error:", v.Error)
	fmt.Println("error_description:", v.Description())
	// Output:
	// error: unsupported_response_type
	// error_description: response type %22code token%22 is not allowed by fapi1-read-write (allowed: code id_token)
}

// A server's own error text, here quoting a scope the client asked for,
// goes through EscapeDescription.
func ExampleEscapeDescription() {
	fmt.Println(fapi.EscapeDescription(fmt.Sprintf("scope %q is not defined by this server", "pay\r\nments")))
	// Output:
	// scope %22pay%5Cr%5Cnments%22 is not defined by this server
}
