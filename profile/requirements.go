package profile

import (
	"slices"

	"github.com/fapicheck/fapicheck/keysize"
)

// Client authentication methods (RFC 7591 §2, RFC 8705 §2, OIDC Core §9).
const (
	AuthNone                     = "none"
	AuthClientSecretBasic        = "client_secret_basic"
	AuthClientSecretPost         = "client_secret_post"
	AuthClientSecretJWT          = "client_secret_jwt"
	AuthPrivateKeyJWT            = "private_key_jwt"
	AuthTLSClient                = "tls_client_auth"
	AuthSelfSignedTLSClient      = "self_signed_tls_client_auth"
	ResponseTypeCode             = "code"
	ResponseTypeCodeIDToken      = "code id_token"
	ResponseTypeCodeIDTokenToken = "code id_token token"
)

// PKCERule says which clients must use PKCE.
type PKCERule uint8

// PKCE rules.
const (
	// PKCENotRequired: no client is required to use PKCE.
	PKCENotRequired PKCERule = iota
	// PKCEAllClients: every client must send an S256 code challenge.
	PKCEAllClients
	// PKCEPublicClients: only public clients must send one.
	PKCEPublicClients
)

// Requirements is what one profile demands, with the clause each rule comes
// from (IDs as in the project's requirements catalog). The check points of
// package fapi read these values and state no profile rules of their own.
// Under every FAPI profile the library also applies the rules that do not
// vary between profiles (redirect URI exact match and https, PKCE S256 when
// PKCE is used, request object exp/nbf/aud/iss checks when present).
type Requirements struct {
	Profile Profile

	// ClientAuthMethods are the token endpoint authentication methods a
	// confidential client may use.
	ClientAuthMethods []string
	ClientAuthRef     string
	// PublicClients says whether public clients (method "none") may use
	// the profile.
	PublicClients bool

	// KeyMinimums are the smallest client keys accepted.
	KeyMinimums keysize.Minimums
	KeyRSARef   string
	KeyECRef    string

	// PKCE says who must use PKCE with S256.
	PKCE    PKCERule
	PKCERef string

	// RequestObject says whether a signed request object is required.
	RequestObject    bool
	RequestObjectRef string
	// RequestObjectAlgs are the algorithms a request object may use.
	RequestObjectAlgs   []string
	RequestObjectAlgRef string
	// RequireExp and RequireAud say whether the request object must carry
	// exp and aud.
	RequireExp bool
	ExpRef     string
	RequireAud bool
	AudRef     string
	// AllParamsInside says whether every parameter sent outside the request
	// object must also be inside it with the same value.
	AllParamsInside    bool
	AllParamsInsideRef string

	// ResponseTypes are the response types allowed unless a JARM response
	// mode is used; nil means any.
	ResponseTypes   []string
	ResponseTypeRef string

	// EssentialACR says whether the claims parameter must request acr as an
	// essential ID token claim.
	EssentialACR    bool
	EssentialACRRef string

	// CertificateBoundTokens says whether access tokens must be bound to the
	// client's TLS certificate.
	CertificateBoundTokens bool
	CertificateBoundRef    string

	// SigningAlgs are the JWS algorithms allowed in client metadata and for
	// client assertions; nil means any asymmetric algorithm.
	SigningAlgs   []string
	SigningAlgRef string

	// StateWithoutOpenID: state is required when openid is not requested.
	StateWithoutOpenID bool
	StateRef           string
	// NonceWithIDToken: nonce is required when the response type includes
	// id_token.
	NonceWithIDToken bool
	NonceRef         string
}

var (
	// asymmetricAlgs are the algorithms accepted where a profile does not
	// restrict them; "none" and the HMAC algorithms are never among them.
	asymmetricAlgs = []string{"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "EdDSA"}
	fapiAlgs       = []string{"PS256", "ES256"}
)

// Requirements returns what p demands, or false for None and for profiles
// this library does not implement. The returned value is a fresh copy.
func (p Profile) Requirements() (Requirements, bool) {
	switch p {
	case FAPI1ReadOnly:
		return readOnly(), true
	case FAPI1ReadWrite:
		return readWrite(), true
	}
	return Requirements{}, false
}

// readOnly is FAPI 1.0 ID2 Part 1, clause 5.2.2.
func readOnly() Requirements {
	return Requirements{
		Profile:           FAPI1ReadOnly,
		ClientAuthMethods: []string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT, AuthClientSecretJWT},
		ClientAuthRef:     "FAPI-R-5.2.2-4",
		PublicClients:     true,
		KeyMinimums:       keysize.FAPI1Minimums(),
		KeyRSARef:         "FAPI-R-5.2.2-5",
		KeyECRef:          "FAPI-R-5.2.2-6",
		PKCE:              PKCEAllClients,
		PKCERef:           "FAPI-R-5.2.2-7",
		// Part 1 does not require request objects; when one is sent it must
		// still be signed with an asymmetric algorithm (never "none").
		RequestObjectAlgs:   slices.Clone(asymmetricAlgs),
		RequestObjectAlgRef: "OIDCC-6.1",
		SigningAlgs:         nil,
		SigningAlgRef:       "OIDCR-2",
		// ID2 puts state/nonce on the client (5.2.3-8, -9); the library
		// enforces them on the server side as DESIGN.md's seed table says.
		StateWithoutOpenID: true,
		StateRef:           "FAPI-R-5.2.3-9",
		NonceWithIDToken:   true,
		NonceRef:           "OIDCC-3.3.2.11",
	}
}

// readWrite is FAPI 1.0 ID2 Part 2, clause 5.2.2, on top of Part 1.
func readWrite() Requirements {
	r := readOnly()
	r.Profile = FAPI1ReadWrite
	r.ClientAuthMethods = []string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}
	r.ClientAuthRef = "FAPI-RW-5.2.2-14"
	// RW 5.2.2-12 overrides Part 1's 5.2.2-7 (DESIGN "Policy decisions").
	r.PKCE = PKCEPublicClients
	r.PKCERef = "FAPI-RW-5.2.2-12"
	r.RequestObject = true
	r.RequestObjectRef = "FAPI-RW-5.2.2-1"
	r.RequestObjectAlgs = slices.Clone(fapiAlgs)
	r.RequestObjectAlgRef = "FAPI-RW-8.6-1"
	r.RequireExp = true
	r.ExpRef = "FAPI-RW-5.2.2-13"
	// ID2 Part 2 does not itself require aud; OIDC Core §6.1 says a signed
	// request object SHOULD carry it, and the profile's successor (FAPI1-ADV
	// 5.2.2-15) made it mandatory. DESIGN.md makes it mandatory here too.
	r.RequireAud = true
	r.AudRef = "OIDCC-6.1"
	r.AllParamsInside = true
	r.AllParamsInsideRef = "FAPI-RW-5.2.2-10"
	r.ResponseTypes = []string{ResponseTypeCodeIDToken, ResponseTypeCodeIDTokenToken}
	r.ResponseTypeRef = "FAPI-RW-5.2.2-2"
	r.EssentialACR = true
	r.EssentialACRRef = "FAPI-RW-5.2.3-3"
	r.CertificateBoundTokens = true
	r.CertificateBoundRef = "FAPI-RW-5.2.2-5"
	r.SigningAlgs = slices.Clone(fapiAlgs)
	r.SigningAlgRef = "FAPI-RW-8.6-1"
	return r
}
