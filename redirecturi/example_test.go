package redirecturi_test

import (
	"errors"
	"fmt"

	"github.com/fapicheck/fapicheck/redirecturi"
)

func Example() {
	// At registration: each redirect URI must be valid, and a FAPI check
	// then wants https, or http on a loopback IP literal for native apps.
	for _, uri := range []string{
		"https://client.example.org/cb",
		"http://127.0.0.1/cb",
		"http://localhost/cb",
		"https://client.example.org/cb#section",
		"http://127.0.0.1:80@evil.example/cb",
	} {
		err := redirecturi.Validate(uri)
		switch {
		case errors.Is(err, redirecturi.ErrFragment):
			fmt.Println(uri, "has a fragment")
		case err != nil:
			fmt.Println(uri, "is refused:", err)
		case redirecturi.IsHTTPS(uri):
			fmt.Println(uri, "is https")
		case redirecturi.IsLoopbackHTTP(uri):
			fmt.Println(uri, "is http on a loopback IP literal")
		default:
			fmt.Println(uri, "is valid, but neither https nor loopback")
		}
	}

	// At the authorization request: exact match, except the port of a
	// native app's loopback redirect URI (RFC 8252 §7.3).
	const registered = "http://127.0.0.1/cb"
	fmt.Println(redirecturi.Match(registered, "http://127.0.0.1:51004/cb", true))
	fmt.Println(redirecturi.Match(registered, "http://127.0.0.1:51004/cb", false))
	fmt.Println(redirecturi.Match(registered, "http://127.0.0.1:51004/other", true))
	// Output:
	// https://client.example.org/cb is https
	// http://127.0.0.1/cb is http on a loopback IP literal
	// http://localhost/cb is valid, but neither https nor loopback
	// https://client.example.org/cb#section has a fragment
	// http://127.0.0.1:80@evil.example/cb is refused: redirecturi: userinfo not allowed at offset 7: userinfo is deprecated (RFC 3986 §3.2.1) and not generated in http and https URIs (RFC 9110 §4.2.4)
	// true
	// false
	// false
}

func ExampleParse() {
	u, err := redirecturi.Parse("http://[::1]:8080/cb?x=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := u.Query()
	fmt.Println(u.Scheme(), u.HostKind(), u.Host(), u.Port(), u.Path(), q)

	_, err = redirecturi.Parse("http://127.0.0.1:65536/cb")
	var e *redirecturi.Error
	if errors.As(err, &e) {
		fmt.Println(e.Offset, errors.Is(err, redirecturi.ErrPort), errors.Is(err, redirecturi.ErrInvalid))
	}
	// Output:
	// http IPv6 IP-literal [::1] 8080 /cb x=1
	// 17 true true
}
