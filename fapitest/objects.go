package fapitest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Lifetimes of the objects this package makes. Each is well inside what
// every FAPI profile allows, so a valid object stays valid for a test that
// takes a few seconds to send it.
const (
	// RequestObjectLifetime is exp - nbf of a request object: at most 60
	// minutes under FAPI 1.0 Advanced (FAPI1-ADV-5.2.2-13) and FAPI 2.0
	// Message Signing.
	RequestObjectLifetime = 5 * time.Minute
	// ClientAssertionLifetime is exp - iat of a client assertion (RFC
	// 7523 §3 asks for a short one).
	ClientAssertionLifetime = time.Minute
)

// Explicit JWT types (RFC 8725 §3.11).
const (
	// TypeRequestObject is the typ of a request object (RFC 9101 §10.8),
	// which FAPI 2.0 Message Signing requires (FAPI2-MS-5.3.1-5).
	TypeRequestObject = "oauth-authz-req+jwt"
	// TypeDPoP is the typ of a DPoP proof (RFC 9449 §4.2).
	TypeDPoP = "dpop+jwt"
)

// NewJTI returns a fresh random JWT ID (RFC 7519 §4.1.7): 128 bits,
// base64url-encoded.
func NewJTI() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("fapitest: random jti: %v", err))
	}
	return b64(b)
}

// RequestObjectClaims returns the claims of a valid request object that
// the client clientID sends to the authorization server issuer at now
// (OIDC Core §6.1, RFC 9101 §4): iss the client_id, aud the issuer
// (FAPI1-ADV-5.2.2-15), iat and nbf now, exp RequestObjectLifetime later
// (FAPI1-ADV-5.2.2-13, -17), a fresh jti, and the authorization
// parameters params inside. The claims parameter (OIDC Core §5.5) is
// carried as the JSON object its text is; every other parameter as a
// string.
func RequestObjectClaims(issuer, clientID string, params map[string]string, now time.Time) (Claims, error) {
	c := Claims{
		"iss": clientID,
		"aud": issuer,
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(RequestObjectLifetime).Unix(),
		"jti": NewJTI(),
	}
	for name, v := range params {
		if name == "claims" {
			var obj map[string]any
			if err := json.Unmarshal([]byte(v), &obj); err != nil {
				return nil, fmt.Errorf("fapitest: the claims parameter is not a JSON object: %w", err)
			}
			c[name] = obj
			continue
		}
		c[name] = v
	}
	if _, ok := c["client_id"]; !ok {
		c["client_id"] = clientID
	}
	return c, nil
}

// RequestObject signs claims as a request object with the client's key,
// explicitly typed TypeRequestObject (RFC 9101 §10.8).
func RequestObject(key *Key, claims Claims) (string, error) {
	return SignJWT(key, map[string]any{"typ": TypeRequestObject}, claims)
}

// ClientAssertionClaims returns the claims of a valid private_key_jwt or
// client_secret_jwt client assertion (RFC 7523 §3, OIDC Core §9): iss and
// sub the client_id, aud the audience (the token endpoint under FAPI 1.0,
// the issuer under FAPI 2.0, FAPI2-SP-5.3.2.1-8), iat now, exp
// ClientAssertionLifetime later and a fresh jti.
func ClientAssertionClaims(clientID, audience string, now time.Time) Claims {
	return Claims{
		"iss": clientID,
		"sub": clientID,
		"aud": audience,
		"iat": now.Unix(),
		"exp": now.Add(ClientAssertionLifetime).Unix(),
		"jti": NewJTI(),
	}
}

// ClientAssertion signs claims as a client assertion with the client's key
// (RSA, ECDSA or Ed25519 for private_key_jwt; an HMAC key made from the
// client_secret for client_secret_jwt).
func ClientAssertion(key *Key, claims Claims) (string, error) {
	return SignJWT(key, nil, claims)
}

// DPoPClaims returns the claims of a valid DPoP proof (RFC 9449 §4.2) for
// an HTTP request with the given method and URL at now: a fresh jti, htm,
// htu and iat. A proof sent with an access token adds "ath"
// (AccessTokenHash), one answering a server's nonce adds "nonce" (§8).
func DPoPClaims(method, url string, now time.Time) Claims {
	return Claims{"jti": NewJTI(), "htm": method, "htu": url, "iat": now.Unix()}
}

// AccessTokenHash returns the ath of a DPoP proof sent with accessToken:
// the base64url SHA-256 of its ASCII text (RFC 9449 §4.2).
func AccessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return b64(sum[:])
}

// DPoPProof signs claims as a DPoP proof with key: typ TypeDPoP and the
// public key in the jwk header, without kid (RFC 9449 §4.2). An HMAC key
// is refused; a DPoP proof is always asymmetric. The claims are signed as
// given: a proof for a server that provides nonces (§8) carries the
// nonce of its DPoP-Nonce header as the nonce claim,
// DPoPClaims(...).With("nonce", nonce).
func DPoPProof(key *Key, claims Claims) (string, error) {
	if key == nil || key.signer == nil {
		return "", errors.New("fapitest: a DPoP proof needs an asymmetric key")
	}
	jwk, err := key.PublicJWK()
	if err != nil {
		return "", err
	}
	return SignJWT(key, map[string]any{"typ": TypeDPoP, "jwk": jwk, "kid": nil}, claims)
}
