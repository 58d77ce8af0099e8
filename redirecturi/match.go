package redirecturi

// Match reports whether the redirect_uri of a request, requested, matches
// the registered redirect URI registered, for a client that is a native
// app when native is true.
//
// The comparison is by exact string, byte for byte and without
// normalization (RFC 6749 §3.1.2.3 with RFC 3986 §6.2.1; OpenID Connect
// Core 1.0 §3.1.2.1; RFC 9700 §2.1): "HTTPS://Example.com/cb",
// "https://example.com:443/cb" and "https://example.com/%63b" do not match
// "https://example.com/cb". The one exception is RFC 8252 §7.3: when
// native is true and registered is http on a loopback IP literal
// ([URI.IsLoopbackHTTP]: 127.0.0.0/8 or [::1], not "localhost"), requested
// may have any port or none, as long as it is http on the same IP literal,
// written the same, with the same path and query, byte for byte.
//
// Match is false whenever requested is not valid ([Validate]), whatever
// registered is, and whenever registered is not valid.
func Match(registered, requested string, native bool) bool {
	req, err := Parse(requested)
	if err != nil {
		return false
	}
	if registered == requested {
		return true
	}
	if !native {
		return false
	}
	reg, err := Parse(registered)
	if err != nil || !reg.IsLoopbackHTTP() || !req.IsLoopbackHTTP() {
		return false
	}
	// Everything up to the end of the IP literal ("http://" and the host)
	// and everything after the authority (path and query) are equal; only
	// the ":" port between them may differ.
	return reg.raw[:reg.hostEnd] == req.raw[:req.hostEnd] &&
		reg.raw[reg.authEnd:] == req.raw[req.authEnd:]
}
