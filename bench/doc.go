// Package bench holds the comparison benchmarks of fapicheck: the
// read-and-write (FAPI 1.0 ID2) request-object check of
// fapi.CheckAuthorizationRequest, next to the same check written by hand
// with three JOSE libraries (lestrrat-go/jwx v3, go-jose v4 and
// golang-jwt v5) and next to the floor (split, decode, hash, verify,
// unmarshal) that no validator can skip.
//
// It is a separate module so that the library gains no dependency; the
// hand-rolled checks are here only to be measured. See README.md.
package bench

import (
	"crypto"
	"errors"
	"time"
)

// registration is what a server knows about the client before it reads a
// request object: the one algorithm the client registered, its public key,
// the registered redirect URI and the server's own issuer identifier.
type registration struct {
	Issuer      string
	ClientID    string
	RedirectURI string
	Alg         string // PS256 or ES256
	Key         crypto.PublicKey
	// Skew is how far in the future nbf and iat may be. It is never added
	// to exp: a request object is expired from the second of its exp on.
	Skew time.Duration
	// Now is the verifier's clock.
	Now func() time.Time
}

// requestParams are the authorization parameters of a request object
// (everything but the registered JWT claims) that the check reads.
type requestParams struct {
	ClientID     string        `json:"client_id"`
	ResponseType string        `json:"response_type"`
	RedirectURI  string        `json:"redirect_uri"`
	Scope        string        `json:"scope"`
	Nonce        string        `json:"nonce"`
	State        string        `json:"state"`
	Claims       claimsRequest `json:"claims"`
}

// claimsRequest is the part of the OIDC claims request parameter the
// read-and-write profile cares about: the acr claim of the ID token.
type claimsRequest struct {
	IDToken struct {
		ACR struct {
			Essential bool     `json:"essential"`
			Values    []string `json:"values"`
		} `json:"acr"`
	} `json:"id_token"`
}

var (
	errExpMissing      = errors.New("exp is missing")
	errExpired         = errors.New("the request object has expired")
	errClientID        = errors.New("client_id does not match the client")
	errRedirectURI     = errors.New("redirect_uri is not the registered one")
	errMissingParam    = errors.New("response_type, redirect_uri, scope, nonce and state are required")
	errACRNotEssential = errors.New("claims.id_token.acr must be requested as essential")
)

// checkExpiry rejects a missing exp and, with no skew, an exp at or before
// now (RFC 7519 §4.1.4). The three libraries extend exp by their leeway,
// which is only meant for nbf and iat here, so each check calls this too.
func checkExpiry(exp time.Time, present bool, now time.Time) error {
	if !present {
		return errExpMissing
	}
	if !now.Before(exp) {
		return errExpired
	}
	return nil
}

// check applies the read-and-write rules on the authorization parameters
// of a verified request object.
func (p *requestParams) check(r *registration) error {
	switch {
	case p.ClientID != r.ClientID:
		return errClientID
	case p.ResponseType == "" || p.RedirectURI == "" || p.Scope == "" || p.Nonce == "" || p.State == "":
		return errMissingParam
	case p.RedirectURI != r.RedirectURI:
		return errRedirectURI
	case !p.Claims.IDToken.ACR.Essential:
		return errACRNotEssential
	}
	return nil
}
