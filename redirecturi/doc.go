// Package redirecturi holds the rules for redirect URIs that every OAuth
// 2.0 authorization server applies, whatever its profile: the syntax of a
// redirect URI, two classifications that profile checks build on, and the
// comparison of a requested redirect_uri with a registered one.
//
// # Syntax ([Parse], [Validate])
//
//   - RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute
//     URI as defined by [RFC3986] Section 4.3". The input is checked
//     against the ABNF of RFC 3986 itself, not with the lenient
//     net/url parser: absolute-URI = scheme ":" hier-part [ "?" query ]
//     (§4.3), scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (§3.1),
//     the authority of §3.2, the paths of §3.3 and the query of §3.4. Only
//     unreserved characters, valid pct-encoded triplets (§2.1), sub-delims,
//     ":", "@", "/" and "?" are accepted, each only where the grammar
//     allows it; a space, a control byte, any byte of 0x80 or above, and
//     each of the characters " < > \ ^ ` { | } are refused wherever they
//     appear.
//   - RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment
//     component" (RFC 3986 §3.5). A "#" is refused even when the fragment
//     after it is empty.
//   - RFC 3986 §3.2.2: the host is an IP-literal "[" IPv6address "]", an
//     IPv4address (four dec-octets without leading zeros), or a reg-name.
//     URIs without an authority, such as the private-use URI scheme
//     redirects of native apps ("com.example.app:/oauth2redirect", RFC 8252
//     §7.1), are absolute URIs and are accepted.
//   - RFC 3986 §3.2.3: port = *DIGIT; the value must be at most 65535.
//
// # Policy beyond the RFC 3986 grammar
//
// Each of these refuses URIs that the generic grammar allows. They are
// there because the value is compared with, or followed by, software that
// reads URIs differently (browsers follow the WHATWG URL Standard), and a
// redirect URI whose meaning depends on the parser is a redirect to a
// place the server did not check.
//
//   - Length: at most [MaxLength] (2048) bytes. RFC 3986 sets no bound.
//     2048 bytes is the customary interoperable bound for URLs; the value
//     is stored per client, compared on every authorization request, and
//     copied into the authorization response's Location header with the
//     response parameters added, so it stays well below the header limits
//     of HTTP servers and proxies.
//   - Userinfo ("user:password@" in the authority) is refused. RFC 3986
//     §3.2.1 deprecates "user:password"; RFC 9110 §4.2.4 forbids senders to
//     generate userinfo in the http and https URIs of a message; and an "@" in the
//     authority is the classic way to make "http://127.0.0.1:80@evil.example/"
//     look like a loopback URI while it names evil.example.
//   - IPvFuture literals ("[v1.x]") are refused: no redirect target uses
//     them, and no browser resolves them. IPv6 zone identifiers (RFC 6874,
//     "[fe80::1%25eth0]") are not in RFC 3986's grammar and are refused
//     too.
//   - The host is ASCII and is not percent-encoded. RFC 3986 §3.2.2
//     allows pct-encoded UTF-8 in a reg-name; browsers decode it and map
//     it through IDNA, so "%65vil.example" and "evil.example" would be one
//     host spelled two ways. Internationalized domain names must be sent
//     as their A-labels ("xn--" punycode, RFC 5890 §2.3.2.1).
//   - A reg-name whose last label is a number (all digits, or "0x"
//     followed by hexadecimal digits, after removing one trailing dot) is
//     refused unless the whole host is a strict IPv4address. The WHATWG URL
//     Standard's host parser ("ends in a number") reads such names as IPv4
//     addresses, in decimal, octal or hexadecimal: "127.0.0.01",
//     "0x7f.1", "2130706433" and "127.0.0.1." all mean 127.0.0.1 to a
//     browser, while RFC 3986 reads them as names. The rule applies to
//     every scheme.
//   - The port, when its ":" is present, has at least one digit, no
//     leading zero (except the port "0" itself), and a value of at most
//     65535. RFC 3986 §3.2.3 tells producers to omit an empty port with
//     its ":"; a port has one spelling so that exact comparison compares
//     ports.
//   - An http or https URI (scheme compared case-insensitively, RFC 3986
//     §3.1) must have an authority with a non-empty host: RFC 9110 §4.2.1
//     and §4.2.2 define http-URI = "http" "://" authority path-abempty
//     [ "?" query ] and require recipients to reject an empty host. A
//     browser reads "https:evil.example" and "https:///evil.example" as
//     https://evil.example/.
//
// Dot-segments ("/../", also as "%2e%2e") are not refused: they are valid
// syntax, and since comparison is by exact string (below), a requested URI
// with dot-segments only matches a registration that has the same ones.
//
// # Errors
//
// Every error from [Parse] and [Validate] is an [*Error] with the byte
// offset of the violation and a reason. It matches [ErrInvalid] and
// exactly one reason sentinel ([ErrTooLong], [ErrScheme], [ErrCharacter],
// [ErrPercentEncoding], [ErrFragment], [ErrUserinfo], [ErrHost],
// [ErrPort]) with [errors.Is]. Error messages never contain bytes of the
// input, so they are safe to log.
//
// # Classification ([URI.IsHTTPS], [URI.IsLoopbackHTTP])
//
// FAPI profiles require https redirect URIs and, for native clients,
// allow http on a loopback IP literal (RFC 8252 §7.3); package profile
// holds the clause references. [URI.IsHTTPS] says whether a URI uses https
// with a host; [URI.IsLoopbackHTTP] whether it is http on 127.0.0.0/8 or
// [::1]. "localhost" is not a loopback IP literal (RFC 8252 §8.3: its use
// "is NOT RECOMMENDED"; the name may resolve elsewhere). Both compare the
// scheme in lowercase only: RFC 3986 §3.1 makes lowercase the canonical
// form, and a non-canonical spelling is classified as neither, so a
// profile check refuses it rather than reasons about it. Only the
// canonical spelling "[::1]" of the IPv6 loopback address counts, and an
// IPv4-mapped address such as "[::ffff:127.0.0.1]" does not.
//
// # Comparison ([Match])
//
// RFC 6749 §3.1.2.3: when the client registered the full redirection URI,
// the server "MUST compare the two URIs using simple string comparison as
// defined in [RFC3986] Section 6.2.1"; OpenID Connect Core 1.0 §3.1.2.1
// says the redirect_uri "MUST exactly match" a registered one; RFC 9700
// §2.1 requires exact string matching. [Match] compares bytes,
// without any normalization: case, percent-encoding, default ports and
// dot-segments all count. The one exception is RFC 8252 §7.3: "The
// authorization server MUST allow any port to be specified at the time of
// the request for loopback IP redirect URIs". For a native client whose
// registered URI is http on a loopback IP literal, the requested URI may
// add, drop or change the port; its scheme, IP literal, path and query
// must still be equal byte for byte. A requested URI that is not valid
// never matches.
package redirecturi
