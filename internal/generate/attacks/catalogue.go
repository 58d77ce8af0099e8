package attacks

import (
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fapicheck/fapicheck/internal/fixtures"
)

// carrierID indexes the three carriers.
type carrierID int

const (
	ro carrierID = iota // request object
	ca                  // client assertion
	dp                  // DPoP proof
	nCarriers
)

// Carrier is one place a JWS travels to the authorization server.
type Carrier struct {
	// Name is the file-name prefix of its cases.
	Name string
	// Family is the violation code family of the token's own check.
	Family string
	// Error is the OAuth error the server must answer with when the token
	// is refused: JAR §6.2 (invalid_request_object), RFC 6749 §5.2 and
	// RFC 7523 §3.2 (invalid_client), RFC 9449 §7.1 (invalid_dpop_proof).
	Error string
	// Profile is the FAPI profile its cases are checked under.
	Profile string
	// Endpoint is where it is sent: "authorization" or "token".
	Endpoint string
	// Title says what it is, for descriptions and the README.
	Title string
}

var carriers = [nCarriers]Carrier{
	ro: {"request-object", "request_object", "invalid_request_object", "fapi1-read-write", "authorization",
		"request object (request parameter) at the authorization endpoint"},
	ca: {"client-assertion", "client_assertion", "invalid_client", "fapi1-read-write", "token",
		"private_key_jwt client assertion at the token endpoint"},
	dp: {"dpop", "dpop", "invalid_dpop_proof", "fapi2-security", "token",
		"DPoP proof at the token endpoint"},
}

// Carriers returns the three carriers.
func Carriers() []Carrier { return append([]Carrier(nil), carriers[:]...) }

// CarrierOf returns the carrier of a case file name (<carrier>-<attack>).
func CarrierOf(name string) (Carrier, bool) {
	for _, c := range carriers {
		if strings.HasPrefix(name, c.Name+"-") {
			return c, true
		}
	}
	return Carrier{}, false
}

// expect are the violation codes declared for each carrier, in the order
// the checks report them: the client registration check first (when the
// attack needs a weak registered key), then the endpoint's check.
type expect [nCarriers][]string

// every declares family.reason for each carrier.
func every(reason string) expect {
	var e expect
	for c := range carriers {
		e[c] = []string{carriers[c].Family + "." + reason}
	}
	return e
}

// input is what an attack puts into the baseline case.
type input struct {
	token string
	// client is the registration of request object and client assertion
	// cases; nil is the standard client.
	client obj
	// maxSize is the service's max_request_object_size; 0 is the default.
	maxSize int
}

// attack is one entry of the catalogue.
type attack struct {
	name   string
	group  string
	desc   string
	expect expect
	build  func(f *fixture, c carrierID) input
}

// Entry is one attack of the catalogue, as documented: its name, group and
// description, and the violation codes declared for each carrier.
type Entry struct {
	Name, Group, Description string
	Codes                    map[string][]string // by carrier name
}

// Catalogue returns the attacks, in catalogue order.
func Catalogue() []Entry {
	var out []Entry
	for _, a := range attacks() {
		e := Entry{Name: a.name, Group: a.group, Description: a.desc, Codes: map[string][]string{}}
		for c := range carriers {
			e.Codes[carriers[c].Name] = append([]string(nil), a.expect[c]...)
		}
		out = append(out, e)
	}
	return out
}

// Group titles, in catalogue order.
const (
	gNone    = "alg none in any letter case"
	gHMAC    = "HMAC keyed with the public key (algorithm confusion)"
	gKeys    = "keys offered by the token itself"
	gHeader  = "header extensions"
	gSerial  = "other serializations"
	gECDSA   = "malformed ECDSA signatures"
	gRSA     = "weak RSA keys"
	gCurves  = "curves outside the allowed set"
	gDup     = "duplicate member names"
	gDates   = "NumericDate claims of the wrong type"
	gAud     = "aud of the wrong type"
	gBase64  = "non-canonical base64url"
	gUTF8    = "invalid UTF-8"
	gNesting = "deep nesting"
	gSize    = "size limit"
)

// attacks is the catalogue. Each expectation is declared from the
// standards and the library's documentation (CODES.md, package docs of
// internal/jose, requestobject, clientassertion, dpop), never recorded from
// the library's output.
func attacks() []attack {
	var out []attack
	add := func(a attack) { out = append(out, a) }

	// --- alg none (RFC 8725 §3.2; RFC 7518 §3.6) ---------------------------
	// A request object with alg none is request_object.unsigned; a client
	// assertion's and a DPoP proof's alg none is alg_not_allowed (CODES.md;
	// dpop package doc, step 3).
	for _, v := range []struct{ name, alg string }{
		{"alg-none", "none"}, {"alg-none-title-case", "None"}, {"alg-none-upper-case", "NONE"}, {"alg-none-mixed-case", "nOnE"},
	} {
		add(attack{v.name, gNone,
			fmt.Sprintf("unsigned token with \"alg\":%q and an empty signature", v.alg),
			expect{ro: {"request_object.unsigned"}, ca: {"client_assertion.alg_not_allowed"}, dp: {"dpop.alg_not_allowed"}},
			func(f *fixture, c carrierID) input {
				h, claims, _ := f.base(c)
				return input{token: seg(h.set("alg", v.alg).String()) + "." + seg(claimsJSON(claims)) + ".", client: f.openClient()}
			}})
	}

	// --- HS256/384/512 keyed with the public key (RFC 8725 §2.1, §3.1) -----
	// The client registers no signing algorithm, so only the profile's
	// allow-list (asymmetric algorithms) stands between the attacker and a
	// verifier that would use the public key as an HMAC secret.
	for _, alg := range []string{"HS256", "HS384", "HS512"} {
		for _, enc := range []string{"pem", "der", "jwk"} {
			add(attack{strings.ToLower(alg) + "-public-key-" + enc, gHMAC,
				fmt.Sprintf("%s MAC keyed with the bytes of the client's public key (%s)", alg, map[string]string{
					"pem": "PEM SubjectPublicKeyInfo", "der": "DER SubjectPublicKeyInfo", "jwk": "its JWK JSON as published"}[enc]),
				every("alg_not_allowed"),
				func(f *fixture, c carrierID) input {
					h, claims, _ := f.base(c)
					secret := f.publicKeyBytes(c, enc)
					return input{token: compact(h.set("alg", alg), claimsJSON(claims), hmacSigner(secret, alg)), client: f.openClient()}
				}})
		}
	}

	// --- keys offered by the token (RFC 8725 §3.10; jose doc step 6) -------
	// Request objects and client assertions are verified only with the
	// client's registered keys. A DPoP proof is verified with its own jwk
	// (RFC 9449 §4.3 item 6), which must then be the key the grant is bound
	// to (dpop_jkt, RFC 9449 §10); any other key-carrying member is ignored.
	for _, v := range []struct{ member, what string }{
		{"jwk", "an embedded public key"},
		{"jku", "a JWK Set URL"},
		{"x5u", "an X.509 URL"},
		{"x5c", "a certificate chain"},
	} {
		e := expect{ro: {"request_object.signature_invalid"}, ca: {"client_assertion.signature_invalid"}, dp: {"dpop.signature_invalid"}}
		desc := fmt.Sprintf("signed with an attacker's key that the %s header offers (%s)", v.member, v.what)
		if v.member == "jwk" {
			e[dp] = []string{"dpop.jkt_mismatch"}
			desc += "; for DPoP, a proof by the attacker's key, which is not the key the grant is bound to"
		} else {
			desc += "; for DPoP, the jwk header names the bound key while the proof is signed by the offered key"
		}
		add(attack{"header-" + v.member, gKeys, desc, e, func(f *fixture, c carrierID) input {
			if c == dp {
				if v.member == "jwk" {
					h := hdr("typ", "dpop+jwt", "alg", "ES256", "jwk", fixtures.PublicJWK(f.atkEC))
					return input{token: compact(h, claimsJSON(dpopClaims()), keySigner(f.atkEC, "ES256"))}
				}
				h, claims, _ := f.base(dp)
				return input{token: compact(h.add(v.member, f.offered(v.member, f.atkEC)), claimsJSON(claims), keySigner(f.atkEC, "ES256"))}
			}
			_, claims, _ := f.base(c)
			h := hdr("alg", "PS256").add(v.member, f.offered(v.member, f.attacker))
			return input{token: compact(h, claimsJSON(claims), keySigner(f.attacker, "PS256"))}
		}})
	}
	add(attack{"kid-other-client", gKeys,
		"signed with another client's key and naming it by its kid; for DPoP, the kid of the client's registered key on a proof by another key",
		expect{ro: {"request_object.signature_invalid"}, ca: {"client_assertion.signature_invalid"}, dp: {"dpop.jkt_mismatch"}},
		func(f *fixture, c carrierID) input {
			if c == dp {
				h := hdr("typ", "dpop+jwt", "alg", "ES256", "kid", "rw-1", "jwk", fixtures.PublicJWK(f.atkEC))
				return input{token: compact(h, claimsJSON(dpopClaims()), keySigner(f.atkEC, "ES256"))}
			}
			_, claims, _ := f.base(c)
			return input{token: compact(hdr("alg", "PS256", "kid", f.other.ID), claimsJSON(claims), keySigner(f.other, "PS256"))}
		}})

	// --- header extensions (RFC 7515 §4.1.11; RFC 7797) --------------------
	add(attack{"crit-unknown-extension", gHeader,
		"validly signed, with \"crit\" naming an extension the server does not understand",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			h = h.add("crit", `["urn:example:critical"]`).add("urn:example:critical", "true")
			return input{token: compact(h, claimsJSON(claims), s)}
		}})
	add(attack{"b64-false", gHeader,
		"RFC 7797 unencoded payload: \"b64\":false listed in \"crit\", the JSON claims sent and signed as they are",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			h = h.add("b64", "false").add("crit", `["b64"]`)
			// RFC 7797 §5.2: an unencoded compact payload has no '.'.
			payload := strings.ReplaceAll(claimsJSON(claims), ".", `\u002e`)
			in := seg(h.String()) + "." + payload
			return input{token: in + "." + fixtures.B64(s.sign([]byte(in)))}
		}})
	add(attack{"b64-false-without-crit", gHeader,
		"\"b64\":false without \"crit\", over an ordinary encoded payload",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h.add("b64", "false"), claimsJSON(claims), s)}
		}})

	// --- other serializations (jose doc step 2) ----------------------------
	add(attack{"jwe-compact", gSerial,
		"a five-part compact JWE where a signed compact JWS is expected",
		every("malformed"), func(f *fixture, c carrierID) input {
			h := hdr("alg", "RSA-OAEP-256", "enc", "A256GCM", "cty", "JWT")
			return input{token: strings.Join([]string{seg(h.String()), random(256), random(12), random(400), random(16)}, ".")}
		}})
	add(attack{"jwe-header-in-jws", gSerial,
		"a validly signed three-part token whose header carries the JWE member \"enc\"",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h.add("enc", `"A256GCM"`), claimsJSON(claims), s)}
		}})
	add(attack{"json-general", gSerial,
		"the JWS JSON general serialization of a valid signature",
		every("malformed"), func(f *fixture, c carrierID) input {
			hs, ps, ss := parts(f.valid(c))
			return input{token: js(struct {
				Payload    string `json:"payload"`
				Signatures []any  `json:"signatures"`
			}{ps, []any{map[string]string{"protected": hs, "signature": ss}}})}
		}})
	add(attack{"json-flattened", gSerial,
		"the JWS JSON flattened serialization of a valid signature",
		every("malformed"), func(f *fixture, c carrierID) input {
			hs, ps, ss := parts(f.valid(c))
			return input{token: js(struct {
				Payload   string `json:"payload"`
				Protected string `json:"protected"`
				Signature string `json:"signature"`
			}{ps, hs, ss})}
		}})

	// --- ECDSA signatures (RFC 7518 §3.4; FIPS 186-5 §6.4.2) ----------------
	// The client's registered key is ES256 (request objects and client
	// assertions); the DPoP proof is by the bound P-256 key.
	for _, v := range []struct{ name, desc string }{
		{"ecdsa-r-s-zero", "ES256 signature with r = s = 0"},
		{"ecdsa-r-is-n", "ES256 signature with r replaced by the group order n"},
		{"ecdsa-s-is-n", "ES256 signature with s replaced by the group order n"},
		{"ecdsa-r-s-max", "ES256 signature with r = s = 2²⁵⁶ − 1 (≥ n)"},
		{"ecdsa-der", "ES256 signature in ASN.1 DER instead of R‖S"},
		{"ecdsa-truncated", "ES256 R‖S signature one octet short (63)"},
		{"ecdsa-extended", "ES256 R‖S signature with an extra octet (65)"},
		{"ecdsa-zero-padded", "ES256 signature with r and s each left-padded to 33 octets (66)"},
	} {
		add(attack{v.name, gECDSA, v.desc, every("signature_invalid"), func(f *fixture, c carrierID) input {
			h, claims, k, client := f.ecBase(c)
			hs, ps := seg(h.String()), seg(claimsJSON(claims))
			in := []byte(hs + "." + ps)
			sig := fixtures.SignBytes(k, "ES256", in)
			order := elliptic.P256().Params().N
			switch v.name {
			case "ecdsa-r-s-zero":
				sig = make([]byte, 64)
			case "ecdsa-r-is-n":
				order.FillBytes(sig[:32])
			case "ecdsa-s-is-n":
				order.FillBytes(sig[32:])
			case "ecdsa-r-s-max":
				for i := range sig {
					sig[i] = 0xff
				}
			case "ecdsa-der":
				sig = fixtures.SignASN1(k, "ES256", in)
			case "ecdsa-truncated":
				sig = sig[:63]
			case "ecdsa-extended":
				sig = append(sig, 0)
			case "ecdsa-zero-padded":
				sig = append(append([]byte{0}, sig[:32]...), append([]byte{0}, sig[32:]...)...)
			}
			return input{token: hs + "." + ps + "." + fixtures.B64(sig), client: client}
		}})
	}

	// --- weak RSA keys (FAPI-R-5.2.2-5, FAPI2-SP-5.4.1-2) ------------------
	// Request objects and client assertions: the client's registered key is
	// the weak key (client.key_too_small at registration). A key that still
	// verifies (2047, 1024 bits) is then refused for its size; a key
	// crypto/rsa will not use at all (under 1024 bits, or e = 1, whose
	// "signature" is the encoded message itself) verifies nothing, so the
	// token's signature does not verify with the registered key. DPoP: the
	// weak key is the proof's jwk (dpop package doc: the size is checked by
	// the caller after verification; a key that cannot be used with the
	// algorithm is signature_invalid).
	for _, v := range []struct {
		name, desc string
		key        func(f *fixture) fixtures.RawRSAKey
		verifies   bool
	}{
		{"rsa-2047-bits", "PS256 with a 2047-bit RSA key, one bit under the minimum", func(f *fixture) fixtures.RawRSAKey { return f.rsa2047 }, true},
		{"rsa-1024-bits", "PS256 with a 1024-bit RSA key", func(f *fixture) fixtures.RawRSAKey { return f.rsa1024 }, true},
		{"rsa-768-bits", "PS256 with a tiny (768-bit) RSA modulus", func(f *fixture) fixtures.RawRSAKey { return f.rsa768 }, false},
		{"rsa-exponent-1", "PS256 with a 2048-bit RSA key whose public exponent is 1: the signature is the encoded message itself", func(f *fixture) fixtures.RawRSAKey { return f.rsaE1 }, false},
	} {
		e := expect{
			ro: {"client.key_too_small", "request_object.key_too_small"},
			ca: {"client.key_too_small", "client_assertion.key_too_small"},
			dp: {"dpop.key_too_small"},
		}
		if !v.verifies {
			e = expect{
				ro: {"client.key_too_small", "request_object.signature_invalid"},
				ca: {"client.key_too_small", "client_assertion.signature_invalid"},
				dp: {"dpop.signature_invalid"},
			}
		}
		add(attack{v.name, gRSA, v.desc, e, func(f *fixture, c carrierID) input {
			k := v.key(f)
			s := signer{"PS256", func(in []byte) []byte { return k.SignPSS(crypto.SHA256, in) }}
			if c == dp {
				h, claims, _ := f.base(dp)
				return input{token: compact(h.set("alg", "PS256").set("jwk", k.JWK()), claimsJSON(claims), s)}
			}
			_, claims, _ := f.base(c)
			jwk := fixtures.With(k.JWK(), "kid", k.ID, "alg", "PS256", "use", "sig")
			return input{token: compact(hdr("alg", "PS256", "kid", k.ID), claimsJSON(claims), s), client: f.keyClient(jwks(jwk), "PS256")}
		}})
	}

	// --- curves outside the allowed set (RFC 7518 §3.4; FAPI2-SP-5.4.1-1) --
	// The registered key set holding it cannot be used (client.jwks_invalid,
	// reported at registration and again by the endpoint's check); the
	// token then finds no key (signature_invalid) or, under ES256K, is
	// refused for its algorithm first. A DPoP jwk on such a curve is
	// malformed (dpop package doc, step 6), after alg_not_allowed for ES256K
	// (step 5; every problem is collected).
	jwksBad := func(code string) []string { return []string{"client.jwks_invalid", "client.jwks_invalid", code} }
	for _, v := range []struct {
		name, alg, desc string
		e               expect
	}{
		{"curve-p224", "ES256", "ECDSA over SHA-256 with a P-224 key, announced as ES256",
			expect{ro: jwksBad("request_object.signature_invalid"), ca: jwksBad("client_assertion.signature_invalid"), dp: {"dpop.malformed"}}},
		{"curve-secp256k1", "ES256K", "ES256K (RFC 8812) with a secp256k1 key",
			expect{ro: jwksBad("request_object.alg_not_allowed"), ca: jwksBad("client_assertion.alg_not_allowed"), dp: {"dpop.alg_not_allowed", "dpop.malformed"}}},
		{"curve-secp256k1-as-es256", "ES256", "ECDSA over SHA-256 with a secp256k1 key, announced as ES256",
			expect{ro: jwksBad("request_object.signature_invalid"), ca: jwksBad("client_assertion.signature_invalid"), dp: {"dpop.malformed"}}},
	} {
		add(attack{v.name, gCurves, v.desc, v.e, func(f *fixture, c carrierID) input {
			var jwk obj
			var s signer
			if strings.HasPrefix(v.name, "curve-p224") {
				jwk, s = fixtures.ECJWK(f.p224), keySigner(f.p224, "ES256")
			} else {
				jwk, s = f.k1.JWK(), signer{v.alg, f.k1.Sign}
			}
			if c == dp {
				h, claims, _ := f.base(dp)
				return input{token: compact(h.set("alg", v.alg).set("jwk", jwk), claimsJSON(claims), s)}
			}
			_, claims, _ := f.base(c)
			return input{
				token:  compact(hdr("alg", v.alg, "kid", "weak-ec-1"), claimsJSON(claims), s),
				client: f.keyClient(jwks(fixtures.With(jwk, "kid", "weak-ec-1", "use", "sig")), "ES256"),
			}
		}})
	}

	// --- duplicate member names (RFC 7515 §4, RFC 7519 §4; jose doc 4, 7) --
	// Validly signed over the ambiguous text: refused as malformed.
	add(attack{"duplicate-header-alg", gDup, "header with \"alg\" twice, the second \"none\"",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h.add("alg", `"none"`), claimsJSON(claims), s)}
		}})
	add(attack{"duplicate-header-key", gDup, "header naming two keys: \"kid\" twice (for DPoP, \"jwk\" twice, the second an attacker's key)",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			if c == dp {
				h = h.add("jwk", js(fixtures.PublicJWK(f.atkEC)))
			} else {
				h = h.add("kid", js(f.other.ID))
			}
			return input{token: compact(h, claimsJSON(claims), s)}
		}})
	add(attack{"duplicate-claim", gDup, "a security claim twice, the second the attacker's value (redirect_uri; sub; htu)",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			name, val := dupClaim(c)
			return input{token: compact(h, appendMember(claimsJSON(claims), js(name), js(val)), s)}
		}})
	add(attack{"duplicate-claim-escaped", gDup, "a security claim twice, the second spelt with a \\u escape (\"\\u0072edirect_uri\", …)",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			name, val := dupClaim(c)
			escaped := `"\u00` + strconv.FormatInt(int64(name[0]), 16) + name[1:] + `"`
			return input{token: compact(h, appendMember(claimsJSON(claims), escaped, js(val)), s)}
		}})
	add(attack{"duplicate-claim-nested", gDup, "a duplicate member inside a nested object (the acr request of claims; an extension object)",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			if c == ro {
				claims = fixtures.With(claims, "claims", json.RawMessage(`{"id_token":{"acr":{"essential":true,"values":["`+fixtures.ACRValue+`"]},"acr":{"essential":false}}}`))
				return input{token: compact(h, claimsJSON(claims), s)}
			}
			return input{token: compact(h, appendMember(claimsJSON(claims), `"ext"`, `{"level":"a","level":"b"}`), s)}
		}})

	// --- NumericDate claims (RFC 7519 §2; jose DecodeClaims doc) -----------
	for _, claim := range []string{"exp", "nbf", "iat"} {
		for _, form := range []struct{ name, desc string }{
			{"string", "a string of digits"},
			// A fraction is a NumericDate (RFC 7519 §2) and accepted; a
			// text too long to hold exactly is not.
			{"long-fraction", "a number of more than 64 characters (a fraction of 60 digits)"},
			{"negative", "a negative number"},
			{"1e300", "1e300"},
			{"null", "null"},
		} {
			add(attack{claim + "-" + form.name, gDates, fmt.Sprintf("%s as %s", claim, form.desc),
				every("malformed"), func(f *fixture, c carrierID) input {
					h, claims, s := f.base(c)
					v := strconv.FormatInt(dateOf(c, claim), 10)
					raw := map[string]string{"string": `"` + v + `"`, "long-fraction": v + "." + strings.Repeat("5", 60), "negative": "-" + v, "1e300": "1e300", "null": "null"}[form.name]
					return input{token: compact(h, claimsJSON(fixtures.With(claims, claim, json.RawMessage(raw))), s)}
				}})
		}
	}

	// --- aud (RFC 7519 §4.1.3) ---------------------------------------------
	for _, v := range []struct{ name, raw, desc string }{
		{"aud-number", "42", "aud as a number"},
		{"aud-object", `{"0":"` + fixtures.Issuer + `"}`, "aud as an object holding the issuer"},
		{"aud-empty-array", "[]", "aud as an empty array"},
	} {
		add(attack{v.name, gAud, v.desc, every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h, claimsJSON(fixtures.With(claims, "aud", json.RawMessage(v.raw))), s)}
		}})
	}

	// --- non-canonical base64url (RFC 7515 §2, Appendix C) -----------------
	// Signed over the non-canonical segments where they are part of the
	// signing input, so a lenient decoder would accept the token.
	add(attack{"base64-padded-header", gBase64, "header segment with '=' padding, signed as sent",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			h = unaligned(h)
			return input{token: seal(padded(seg(h.String())), seg(claimsJSON(claims)), s)}
		}})
	add(attack{"base64-padded-payload", gBase64, "payload segment with '=' padding, signed as sent",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: seal(seg(h.String()), padded(seg(unalignedClaims(claims))), s)}
		}})
	add(attack{"base64-padded-signature", gBase64, "valid signature with '=' padding",
		every("malformed"), func(f *fixture, c carrierID) input {
			hs, ps, ss := parts(f.valid(c))
			return input{token: hs + "." + ps + "." + padded(ss)}
		}})
	add(attack{"base64-trailing-bits-payload", gBase64, "payload segment with non-zero trailing bits, signed as sent",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: seal(seg(h.String()), trailingBits(seg(unalignedClaims(claims))), s)}
		}})
	add(attack{"base64-trailing-bits-signature", gBase64, "valid signature with non-zero trailing bits",
		every("malformed"), func(f *fixture, c carrierID) input {
			hs, ps, ss := parts(f.valid(c))
			return input{token: hs + "." + ps + "." + trailingBits(ss)}
		}})
	add(attack{"base64-std-alphabet-payload", gBase64, "payload segment in the standard alphabet ('+', '/'), signed as sent",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			// ASCII JSON text encodes to '-' or '_' only where a byte such as
			// '~' (0x7e) ends a three-byte group; three in a row ensure one.
			ps := seg(claimsJSON(fixtures.With(claims, "jti", fmt.Sprintf("%v~~~", claims["jti"]))))
			if !strings.ContainsAny(ps, "-_") {
				panic("attacks: the payload segment has no '-' or '_'")
			}
			return input{token: seal(seg(h.String()), stdAlphabet(ps), s)}
		}})
	add(attack{"base64-std-alphabet-signature", gBase64, "valid signature in the standard alphabet ('+', '/')",
		every("malformed"), func(f *fixture, c carrierID) input {
			for {
				hs, ps, ss := parts(f.valid(c))
				if strings.ContainsAny(ss, "-_") {
					return input{token: hs + "." + ps + "." + stdAlphabet(ss)}
				}
			}
		}})
	add(attack{"base64-line-break", gBase64, "valid signature with a CRLF in the middle",
		every("malformed"), func(f *fixture, c carrierID) input {
			hs, ps, ss := parts(f.valid(c))
			return input{token: hs + "." + ps + "." + ss[:len(ss)/2] + "\r\n" + ss[len(ss)/2:]}
		}})

	// --- invalid UTF-8 (RFC 7519 §7.2; RFC 8725 §3.7) ----------------------
	add(attack{"utf8-invalid-header", gUTF8, "header with a string holding the bytes FF FE",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h.add("x", "\"a\xff\xfeb\""), claimsJSON(claims), s)}
		}})
	add(attack{"utf8-invalid-claim", gUTF8, "a claim (state; jti) holding the bytes FF FE",
		every("malformed"), func(f *fixture, c carrierID) input {
			return f.withBytes(c, "a\xff\xfeb")
		}})
	add(attack{"utf8-overlong", gUTF8, "a claim (state; jti) holding the overlong encoding C0 AF of '/'",
		every("malformed"), func(f *fixture, c carrierID) input {
			return f.withBytes(c, "a\xc0\xafb")
		}})

	// --- deep nesting (jose claim and header limits) -----------------------
	add(attack{"nesting-arrays", gNesting, "a claim nested in 5000 arrays",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h, appendMember(claimsJSON(claims), `"nest"`, strings.Repeat("[", 5000)+"1"+strings.Repeat("]", 5000)), s)}
		}})
	add(attack{"nesting-objects", gNesting, "a claim nested in 1000 objects",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h, appendMember(claimsJSON(claims), `"nest"`, strings.Repeat(`{"a":`, 1000)+"1"+strings.Repeat("}", 1000)), s)}
		}})
	add(attack{"nesting-header", gNesting, "a header member nested in 100 arrays",
		every("malformed"), func(f *fixture, c carrierID) input {
			h, claims, s := f.base(c)
			return input{token: compact(h.add("nest", strings.Repeat("[", 100)+"1"+strings.Repeat("]", 100)), claimsJSON(claims), s)}
		}})

	// --- size limit (jose doc step 1) --------------------------------------
	// A token of exactly the limit is judged on its content: it carries one
	// flaw found only after the signature verified and the claims decoded
	// (expired; for DPoP, iat ten minutes old). One byte more is refused for
	// its size alone, although its content is valid.
	atLimit := expect{ro: {"request_object.expired"}, ca: {"client_assertion.expired"}, dp: {"dpop.iat_too_old"}}
	for _, v := range []struct {
		name, desc string
		limit      int // the service's setting; 0 is the default
		over       bool
	}{
		{"size-at-default-limit", "exactly 65536 bytes (the default limit), expired", 0, false},
		{"size-over-default-limit", "65537 bytes, one over the default limit, otherwise valid", 0, true},
		{"size-at-configured-limit", "exactly the service's max_request_object_size of 4096 bytes, expired", 4096, false},
		{"size-over-configured-limit", "4097 bytes, one over the service's max_request_object_size of 4096, otherwise valid", 4096, true},
	} {
		e := atLimit
		if v.over {
			e = every("too_large")
		}
		add(attack{v.name, gSize, v.desc, e, func(f *fixture, c carrierID) input {
			limit := v.limit
			if limit == 0 {
				limit = 64 << 10
			}
			h, claims, s := f.base(c)
			size := limit
			if v.over {
				size++
			} else if c == dp {
				claims = fixtures.With(claims, "iat", fixtures.Unix(-10*time.Minute))
			} else {
				claims = fixtures.With(claims, "exp", fixtures.Unix(-time.Minute))
			}
			return input{token: sized(h, claims, s, size), maxSize: v.limit}
		}})
	}
	return out
}

// base returns the carrier's legitimate header, claims and signer: the
// client's registered PS256 key (kid rw-1) for request objects and client
// assertions, the bound P-256 key in the jwk header for DPoP proofs.
func (f *fixture) base(c carrierID) (header, obj, signer) {
	switch c {
	case ro:
		return hdr("alg", "PS256", "kid", f.Key.ID), f.RWClaims(), keySigner(f.Key, "PS256")
	case ca:
		return hdr("alg", "PS256", "kid", f.Key.ID), f.AssertionClaims(fixtures.TokenEndpoint), keySigner(f.Key, "PS256")
	}
	return hdr("typ", "dpop+jwt", "alg", "ES256", "jwk", fixtures.PublicJWK(f.dpop)), dpopClaims(), keySigner(f.dpop, "ES256")
}

// ecBase is base with an ES256 key: the client registered ES256 and its
// P-256 key for request objects and client assertions; the bound key for
// DPoP proofs.
func (f *fixture) ecBase(c carrierID) (header, obj, fixtures.Key, obj) {
	if c == dp {
		h, claims, _ := f.base(dp)
		return h, claims, f.dpop, nil
	}
	_, claims, _ := f.base(c)
	return hdr("alg", "ES256", "kid", f.rwES.ID), claims, f.rwES, f.keyClient(fixtures.JWKS(f.rwES), "ES256")
}

// valid is the carrier's valid token.
func (f *fixture) valid(c carrierID) string {
	h, claims, s := f.base(c)
	return compact(h, claimsJSON(claims), s)
}

// publicKeyBytes are the bytes of the carrier's verification key an
// algorithm-confusion attacker uses as an HMAC secret.
func (f *fixture) publicKeyBytes(c carrierID, enc string) []byte {
	k := f.Key
	if c == dp {
		k = f.dpop
	}
	switch enc {
	case "pem":
		return fixtures.PublicKeyPEM(k)
	case "der":
		return fixtures.PublicKeyDER(k)
	}
	if c == dp {
		return fixtures.PublicJWK(k) // exactly as the proof's jwk header carries it
	}
	// Exactly as the client's registration publishes it.
	var set struct{ Keys []json.RawMessage }
	if err := json.Unmarshal(fixtures.JWKS(k), &set); err != nil || len(set.Keys) != 1 {
		panic("attacks: jwks")
	}
	return set.Keys[0]
}

// offered is the raw value of a key-carrying header member offering k.
func (f *fixture) offered(name string, k fixtures.Key) string {
	switch name {
	case "jwk":
		return js(fixtures.PublicJWK(k))
	case "jku":
		return js("https://attacker.example/jwks.json")
	case "x5u":
		return js("https://attacker.example/cert.pem")
	}
	return js([]string{base64.StdEncoding.EncodeToString(k.Cert.Raw)})
}

// dupClaim is the claim an attacker repeats, and the value it hopes a
// last-member-wins parser will read.
func dupClaim(c carrierID) (string, string) {
	switch c {
	case ro:
		return "redirect_uri", "https://attacker.example/cb"
	case ca:
		return "sub", "someone-else"
	}
	return "htu", "https://attacker.example/token"
}

// dateOf is the carrier's valid value for a NumericDate claim.
func dateOf(c carrierID, claim string) int64 {
	switch claim {
	case "exp":
		if c == ca {
			return fixtures.Unix(time.Minute)
		}
		return fixtures.Unix(5 * time.Minute)
	}
	return fixtures.Now.Unix()
}

// withBytes signs the carrier's claims with one string claim (state for
// request objects, jti otherwise) holding the literal bytes b.
func (f *fixture) withBytes(c carrierID, b string) input {
	h, claims, s := f.base(c)
	name := "jti"
	if c == ro {
		name = "state"
	}
	const mark = "@@BYTES@@"
	payload := strings.Replace(claimsJSON(fixtures.With(claims, name, mark)), mark, b, 1)
	return input{token: compact(h, payload, s)}
}

// unaligned returns h, with a filler member if needed, so that its JSON
// text is not a multiple of three bytes long: its segment then has padding
// and trailing bits to abuse.
func unaligned(h header) header {
	for k := 0; ; k++ {
		hh := h
		if k > 0 {
			hh = h.add("x", js(strings.Repeat("a", k-1)))
		}
		if len(hh.String())%3 != 0 {
			return hh
		}
	}
}

// unalignedClaims returns the claims' JSON text, lengthening jti if needed
// so that it is not a multiple of three bytes long.
func unalignedClaims(claims obj) string {
	for k := 0; ; k++ {
		p := claimsJSON(fixtures.With(claims, "jti", fmt.Sprintf("%v%s", claims["jti"], strings.Repeat("x", k))))
		if len(p)%3 != 0 {
			return p
		}
	}
}

// sized signs claims under h with s, padded (a "pad" claim, and a filler
// header member when the lengths require one) to exactly size bytes.
func sized(h header, claims obj, s signer, size int) string {
	sigLen := len(fixtures.B64(s.sign([]byte("x"))))
	base := len(claimsJSON(fixtures.With(claims, "pad", "")))
	for k := 0; k < 8; k++ {
		hh := h
		if k > 0 {
			hh = h.add("x", js(strings.Repeat("a", k-1)))
		}
		pl := size - len(seg(hh.String())) - 2 - sigLen
		if pl%4 == 1 || pl < 0 {
			continue
		}
		bytes := pl/4*3 + map[int]int{0: 0, 2: 1, 3: 2}[pl%4]
		if bytes < base {
			panic("attacks: size too small for the token")
		}
		tok := compact(hh, claimsJSON(fixtures.With(claims, "pad", strings.Repeat("x", bytes-base))), s)
		if len(tok) != size {
			panic(fmt.Sprintf("attacks: sized token is %d bytes, want %d", len(tok), size))
		}
		return tok
	}
	panic("attacks: no padding reaches the size")
}

// jwks is a JWK Set of one key, written without the JOSE library (whose
// encoder refuses weak keys and unregistered curves).
func jwks(key obj) json.RawMessage {
	return json.RawMessage(js(obj{"keys": []obj{key}}))
}

// random is n random octets, base64url-encoded.
func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return fixtures.B64(b)
}
