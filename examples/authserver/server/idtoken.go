package server

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// idToken holds the claims of an ID token (OIDC Core §2). Optional claims
// are omitted when empty.
type idToken struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"`
	Audience string `json:"aud"`
	Expiry   int64  `json:"exp"`
	IssuedAt int64  `json:"iat"`
	AuthTime int64  `json:"auth_time,omitempty"`
	Nonce    string `json:"nonce,omitempty"`
	ACR      string `json:"acr,omitempty"`
	// CHash, SHash and ATHash are the left-half hashes of the code, state
	// and access token (OIDC Core §3.3.2.11, FAPI-RW-5.2.2-3/-4, §3.1.3.6).
	CHash  string `json:"c_hash,omitempty"`
	SHash  string `json:"s_hash,omitempty"`
	ATHash string `json:"at_hash,omitempty"`
}

// newIDToken fills the claims every ID token of an authorization carries.
func (s *Server) newIDToken(clientID string, c *authCode, now time.Time) idToken {
	return idToken{
		Issuer:   s.issuer,
		Subject:  c.Subject,
		Audience: clientID,
		Expiry:   now.Add(IDTokenLifetime).Unix(),
		IssuedAt: now.Unix(),
		AuthTime: c.AuthTime.Unix(),
		Nonce:    c.Nonce,
		ACR:      c.ACR,
	}
}

// signIDToken signs the ID token with the algorithm the client registered
// (id_token_signed_response_alg, OIDC Registration §2: PS256 or ES256,
// checked at registration).
func (s *Server) signIDToken(alg string, t idToken) (string, error) {
	tok, err := s.signJWT(alg, "JWT", t)
	if err != nil {
		return "", fmt.Errorf("sign ID token: %w", err)
	}
	return tok, nil
}

// leftHalfHash is the base64url encoding of the left-most half of the
// SHA-256 hash of v: the hash PS256 (and RS256, ES256) ID tokens use for
// c_hash, s_hash and at_hash (OIDC Core §3.3.2.11).
func leftHalfHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return b64.EncodeToString(sum[:sha256.Size/2])
}
