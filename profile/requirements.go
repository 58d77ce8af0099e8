package profile

import (
	"slices"
	"time"

	"github.com/fapicheck/fapicheck/keysize"
)

// Client authentication methods (RFC 7591 §2, RFC 8705 §2, OIDC Core §9)
// and response types.
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
	// PKCEWithPAR: every pushed authorization request must carry one.
	PKCEWithPAR
)

// NonceRule says when a nonce is required.
type NonceRule uint8

// Nonce rules.
const (
	// NonceNotRequired: the profile itself does not require nonce.
	NonceNotRequired NonceRule = iota
	// NonceWithIDToken: nonce is required when the response type includes
	// id_token (OIDC Core §3.3.2.11, hybrid flow).
	NonceWithIDToken
	// NonceWithOpenID: nonce is required when openid is requested
	// (FAPI1-BASE-5.2.2.2-1); a hybrid response type needs it anyway.
	NonceWithOpenID
)

// OutsideParams says how parameters sent beside a request object are
// treated (docs/DESIGN.md, "Policy decisions").
type OutsideParams uint8

// Outside parameter policies.
const (
	// OutsideMerged: the object's values supersede, the others still count
	// (OIDC Core §6.3.3); used where request objects are optional.
	OutsideMerged OutsideParams = iota
	// OutsideMustMatch: every outside parameter must be inside with the
	// same value (FAPI-RW-5.2.2-10).
	OutsideMustMatch
	// OutsideIgnored: only the object's values are used; client_id and
	// response_type outside must equal the object's; anything else outside
	// is ignored and listed in the report (FAPI1-ADV-5.2.2-10, JAR §6.3).
	OutsideIgnored
)

// AssertionAudience says which aud values a client assertion may carry.
type AssertionAudience uint8

// Assertion audience rules.
const (
	// AudienceIssuerOrEndpoint: the issuer or the URL of the endpoint that
	// receives it (token endpoint; PAR endpoint at PAR), as a string or in
	// an array (RFC 7523 §3, RFC 9126 §2).
	AudienceIssuerOrEndpoint AssertionAudience = iota
	// AudienceIssuerString: only the issuer, and only as a JSON string
	// (FAPI2-SP-5.3.2.1-8).
	AudienceIssuerString
)

// Binding says how access tokens must be sender-constrained.
type Binding uint8

// Bindings.
const (
	// BindingNone: the profile does not require sender-constrained tokens.
	BindingNone Binding = iota
	// BindingMTLS: certificate-bound tokens (RFC 8705 §3).
	BindingMTLS
	// BindingMTLSOrDPoP: certificate-bound or DPoP-bound (RFC 9449).
	BindingMTLSOrDPoP
)

// Requirements is what one profile demands, with the clause each rule comes
// from (IDs as in the project's requirements catalog). The check points of
// package fapi read these values and state no profile rules of their own.
// Under every FAPI profile the library also applies the rules that do not
// vary between profiles (redirect URI exact match, PKCE S256 whenever PKCE is
// used, request object exp/nbf/aud/iss checks when the claims are present).
type Requirements struct {
	// Profile is the profile these are the requirements of; for the
	// requirements of several profiles together (Union), the strictest.
	Profile Profile
	// Profiles are the profiles these requirements combine: Profile alone,
	// or every profile of a Union (empty for None).
	Profiles Set
	// Final says whether the profile is a final FAPI 1.0 one, whose nbf
	// requirement the service's nbf_optional may waive.
	Final bool

	// ClientAuthMethods are the methods a confidential client may use
	// wherever it authenticates.
	ClientAuthMethods []string
	ClientAuthRef     string
	// PublicClients says whether public clients (method "none") may use
	// the profile; PublicClientsRef is the clause that forbids them.
	PublicClients    bool
	PublicClientsRef string

	// KeyMinimums are the smallest client keys accepted.
	KeyMinimums keysize.Minimums
	KeyRSARef   string
	KeyECRef    string

	// PKCE says who must use PKCE with S256.
	PKCE    PKCERule
	PKCERef string

	// RequestObject says whether a signed request object is required at
	// the authorization endpoint (or, with PAR, at the PAR endpoint).
	RequestObject    bool
	RequestObjectRef string
	// RequestObjectAlgs are the algorithms a request object may use.
	RequestObjectAlgs   []string
	RequestObjectAlgRef string
	// RequestObjectUnsignedRef is the clause an unsigned (alg none) request
	// object breaks.
	RequestObjectUnsignedRef string
	// RequireClientIDClaim makes the client_id claim mandatory in a request
	// object (RFC 9101 §5, §6.3; FAPI 1.0 Advanced and FAPI 2.0 Message
	// Signing).
	RequireClientIDClaim bool
	ClientIDClaimRef     string
	// OutsideRequired are the parameters that must also be sent outside a
	// request object, by value or by reference (OIDC Core §6.1, §6.2, as
	// FAPI 1.0 ID2 read-write applies it). Where only the object's values
	// count (RFC 9101 §6.3) nothing beyond client_id is required outside.
	OutsideRequired    []string
	OutsideRequiredRef string
	// RequireExp, RequireNbf and RequireAud make those claims mandatory.
	RequireExp bool
	ExpRef     string
	RequireNbf bool
	NbfRef     string
	RequireAud bool
	AudRef     string
	// MaxLifetime bounds exp − nbf and MaxNbfAge bounds now − nbf (0: none).
	MaxLifetime       time.Duration
	LifetimeRef       string
	MaxNbfAge         time.Duration
	NbfAgeRef         string
	ForbidSubIsClient bool // JAR §10.8: sub must not be the client_id
	// Outside says how parameters beside a request object are treated.
	Outside    OutsideParams
	OutsideRef string

	// PARRequired says every authorization request must come through PAR.
	PARRequired bool
	PARRef      string

	// ResponseTypes are the response types allowed; nil means any.
	// JARMResponseTypes are those additionally allowed with a JARM response
	// mode; JARMAnyResponseType allows any response type with JARM.
	ResponseTypes       []string
	JARMResponseTypes   []string
	JARMAnyResponseType bool
	ResponseTypeRef     string
	// RequireJARM says every authorization response must use JARM
	// (FAPI 2.0 Message Signing, signed responses).
	RequireJARM    bool
	RequireJARMRef string

	// EssentialACR says whether the claims parameter must request acr as an
	// essential ID token claim.
	EssentialACR    bool
	EssentialACRRef string

	// Binding says how access tokens must be sender-constrained.
	Binding    Binding
	BindingRef string

	// SigningAlgs are the JWS algorithms allowed in client metadata, server
	// metadata and client assertions; nil means any asymmetric algorithm.
	SigningAlgs   []string
	SigningAlgRef string
	// NoRSA15 forbids RSA1_5 key encryption in metadata (FAPI1-ADV-8.6.1-1).
	NoRSA15 bool

	// AssertionAudience says which aud a client assertion may carry.
	AssertionAudience    AssertionAudience
	AssertionAudienceRef string

	// StateWithoutOpenID: state is required when openid is not requested.
	StateWithoutOpenID bool
	StateRef           string
	// Nonce says when nonce is required.
	Nonce    NonceRule
	NonceRef string

	// RequireScope makes the scope parameter mandatory (no server default,
	// RFC 6749 §3.3); ScopeRef is the clause a request without one breaks.
	RequireScope bool
	ScopeRef     string
	// RequireHTTPSRedirect makes every redirect URI https (FAPI-R-5.2.2-20
	// and its successors); RedirectHTTPLoopback then still allows http on
	// loopback IP literals for native clients (FAPI2-SP-5.3.2.2-8, RFC 8252
	// §7.3).
	RequireHTTPSRedirect bool
	RedirectHTTPLoopback bool
	// RedirectURIOptional lets a request omit redirect_uri when the client
	// registered exactly one and the request is not an OpenID Connect one
	// (RFC 6749 §3.1.2.3; OIDC Core §3.1.2.1 requires it with openid).
	RedirectURIOptional bool
	// The clauses of the redirect URI rules: required in the request,
	// exactly a registered one, https, and registered at all.
	RedirectRequiredRef   string
	RedirectExactRef      string
	RedirectHTTPSRef      string
	RedirectRegisteredRef string
	// PKCEMethods are the code_challenge_method values accepted whenever
	// PKCE is used (S256 under FAPI); nil means those of RFC 7636 §4.2 that
	// the service lists in code_challenge_methods_supported.
	PKCEMethods []string
	// CodeLifetime bounds the age of an authorization code (0: none).
	CodeLifetime    time.Duration
	CodeLifetimeRef string
	// MinClockSkew is the least clock skew the service must tolerate.
	MinClockSkew time.Duration
	// MaxRequestURILifetime bounds the PAR request_uri lifetime (0: none).
	MaxRequestURILifetime time.Duration
	// NoPasswordGrant forbids the resource owner password grant.
	NoPasswordGrant bool
	// IssParameter requires authorization_response_iss_parameter_supported.
	IssParameter bool
}

var (
	// asymmetricAlgs are the algorithms accepted where a profile does not
	// restrict them; "none" and the HMAC algorithms are never among them.
	asymmetricAlgs = []string{"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "EdDSA"}
	fapi1Algs      = []string{"PS256", "ES256"}
	// fapi2Algs: FAPI2-SP-5.4.1-1; "Ed25519" is the fully-specified name
	// for EdDSA over Ed25519 that the profile allows once registered.
	fapi2Algs = []string{"PS256", "ES256", "EdDSA", "Ed25519"}
)

// Requirements returns what p demands, or false for names the library does
// not know. For None they are the rules of plain OAuth 2.0 and OpenID
// Connect that every conforming server applies (see Plain). The returned
// value is a fresh copy.
func (p Profile) Requirements() (Requirements, bool) {
	r, ok := p.requirements()
	r.Profiles = SetOf(r.Profile)
	return r, ok
}

func (p Profile) requirements() (Requirements, bool) {
	switch p {
	case None:
		return Plain(), true
	case FAPI1ReadOnly:
		return readOnly(), true
	case FAPI1ReadWrite:
		return readWrite(), true
	case FAPI1Baseline:
		return baseline(), true
	case FAPI1Advanced:
		return advanced(), true
	case FAPI2Security:
		return security(), true
	case FAPI2MessageSigning:
		return messageSigning(), true
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
		Outside:             OutsideMerged,
		SigningAlgRef:       "OIDCR-2",
		// ID2 puts state/nonce on the client (5.2.3-8, -9); the library
		// enforces them on the server side as docs/DESIGN.md's seed table says.
		StateWithoutOpenID: true,
		StateRef:           "FAPI-R-5.2.3-9",
		Nonce:              NonceWithIDToken,
		NonceRef:           "OIDCC-3.3.2.11",

		RequestObjectUnsignedRef: "OIDCC-6.1",
		RequireScope:             true,
		ScopeRef:                 "RFC6749-3.3",
		RequireHTTPSRedirect:     true,
		RedirectRequiredRef:      "FAPI-R-5.2.2-9",
		RedirectExactRef:         "FAPI-R-5.2.2-10",
		RedirectHTTPSRef:         "FAPI-R-5.2.2-20",
		RedirectRegisteredRef:    "FAPI-R-5.2.2-8",
		PKCEMethods:              []string{"S256"},
	}
}

// readWrite is FAPI 1.0 ID2 Part 2, clause 5.2.2, on top of Part 1.
func readWrite() Requirements {
	r := readOnly()
	r.Profile = FAPI1ReadWrite
	r.ClientAuthMethods = []string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}
	r.ClientAuthRef = "FAPI-RW-5.2.2-14"
	// RW 5.2.2-12 overrides Part 1's 5.2.2-7 (docs/DESIGN.md, "Policy decisions").
	r.PKCE = PKCEPublicClients
	r.PKCERef = "FAPI-RW-5.2.2-12"
	r.RequestObject = true
	r.RequestObjectRef = "FAPI-RW-5.2.2-1"
	r.RequestObjectAlgs = slices.Clone(fapi1Algs)
	r.RequestObjectAlgRef = "FAPI-RW-8.6-1"
	r.RequestObjectUnsignedRef = "FAPI-RW-8.6-3"
	// OIDC Core §6.1 and §6.2: response_type (and, for the ID2 read-write
	// profile's "all parameters" rule, scope) are sent outside too, by
	// value and by reference alike.
	r.OutsideRequired = []string{"response_type", "scope"}
	r.OutsideRequiredRef = "OIDCC-6.1"
	// Under FAPI-RW the scope must be inside the request object
	// (FAPI-RW-5.2.2-10), which is the clause a request without one misses.
	r.ScopeRef = "FAPI-RW-5.2.2-10"
	r.RequireExp = true
	r.ExpRef = "FAPI-RW-5.2.2-13"
	// ID2 Part 2 does not itself require aud; OIDC Core §6.1 says a signed
	// request object SHOULD carry it, and the profile's successor (FAPI1-ADV
	// 5.2.2-15) made it mandatory. docs/DESIGN.md makes it mandatory here too.
	r.RequireAud = true
	r.AudRef = "OIDCC-6.1"
	r.Outside = OutsideMustMatch
	r.OutsideRef = "FAPI-RW-5.2.2-10"
	r.ResponseTypes = []string{ResponseTypeCodeIDToken, ResponseTypeCodeIDTokenToken}
	// FAPI-RW-5.2.5: with JARM, clauses 5.2.2-2, -3 and -4 do not apply.
	r.JARMAnyResponseType = true
	r.ResponseTypeRef = "FAPI-RW-5.2.2-2"
	r.EssentialACR = true
	r.EssentialACRRef = "FAPI-RW-5.2.3-3"
	r.Binding = BindingMTLS
	r.BindingRef = "FAPI-RW-5.2.2-5"
	r.SigningAlgs = slices.Clone(fapi1Algs)
	r.SigningAlgRef = "FAPI-RW-8.6-1"
	return r
}

// baseline is FAPI 1.0 Final Part 1, clause 5.2.2.
func baseline() Requirements {
	r := readOnly()
	r.Profile = FAPI1Baseline
	r.Final = true
	r.ClientAuthRef = "FAPI1-BASE-5.2.2-4"
	r.KeyRSARef = "FAPI1-BASE-5.2.2-5"
	r.KeyECRef = "FAPI1-BASE-5.2.2-6"
	r.PKCERef = "FAPI1-BASE-5.2.2-7"
	r.StateRef = "FAPI1-BASE-5.2.2.3-1"
	r.Nonce = NonceWithOpenID
	r.NonceRef = "FAPI1-BASE-5.2.2.2-1"
	r.RedirectRequiredRef = "FAPI1-BASE-5.2.2-9"
	r.RedirectExactRef = "FAPI1-BASE-5.2.2-10"
	r.RedirectHTTPSRef = "FAPI1-BASE-5.2.2-20"
	r.RedirectRegisteredRef = "FAPI1-BASE-5.2.2-8"
	return r
}

// advanced is FAPI 1.0 Final Part 2, clause 5.2.2: Baseline without
// 5.2.2-4 (replaced by -14) and 5.2.2-7 (replaced by -18).
func advanced() Requirements {
	r := baseline()
	r.Profile = FAPI1Advanced
	r.ClientAuthMethods = []string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}
	r.ClientAuthRef = "FAPI1-ADV-5.2.2-14"
	r.PublicClients = false
	r.PublicClientsRef = "FAPI1-ADV-5.2.2-16"
	r.PKCE = PKCEWithPAR
	r.PKCERef = "FAPI1-ADV-5.2.2-18"
	r.RequestObject = true
	r.RequestObjectRef = "FAPI1-ADV-5.2.2-1"
	r.RequestObjectAlgs = slices.Clone(fapi1Algs)
	r.RequestObjectAlgRef = "FAPI1-ADV-8.6-1"
	r.RequestObjectUnsignedRef = "FAPI1-ADV-8.6-3"
	// RFC 9101 §5 and §6.3: only the object's values count, so the client
	// it names must be in it (the client_id outside is not used).
	r.RequireClientIDClaim = true
	r.ClientIDClaimRef = "JAR-5"
	r.RequireExp = true
	r.ExpRef = "FAPI1-ADV-5.2.2-13"
	r.RequireNbf = true
	r.NbfRef = "FAPI1-ADV-5.2.2-17"
	r.RequireAud = true
	r.AudRef = "FAPI1-ADV-5.2.2-15"
	r.MaxLifetime = time.Hour
	r.LifetimeRef = "FAPI1-ADV-5.2.2-13"
	r.MaxNbfAge = time.Hour
	r.NbfAgeRef = "FAPI1-ADV-5.2.2-17"
	r.ForbidSubIsClient = true
	r.Outside = OutsideIgnored
	r.OutsideRef = "FAPI1-ADV-5.2.2-10"
	// 5.2.2-2: code id_token, or code with response_mode jwt (JARM; docs/DESIGN.md
	// counts query.jwt, fragment.jwt and form_post.jwt as JARM too).
	r.ResponseTypes = []string{ResponseTypeCodeIDToken}
	r.JARMResponseTypes = []string{ResponseTypeCode}
	r.JARMAnyResponseType = false
	r.ResponseTypeRef = "FAPI1-ADV-5.2.2-2"
	r.Binding = BindingMTLS
	r.BindingRef = "FAPI1-ADV-5.2.2-5"
	r.SigningAlgs = slices.Clone(fapi1Algs)
	r.SigningAlgRef = "FAPI1-ADV-8.6-1"
	r.NoRSA15 = true
	return r
}

// security is the FAPI 2.0 Security Profile (Final).
func security() Requirements {
	return Requirements{
		Profile:             FAPI2Security,
		ClientAuthMethods:   []string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT},
		ClientAuthRef:       "FAPI2-SP-5.3.2.1-6",
		PublicClientsRef:    "FAPI2-SP-5.3.2.1-3",
		KeyMinimums:         keysize.FAPI2Minimums(),
		KeyRSARef:           "FAPI2-SP-5.4.1-2",
		KeyECRef:            "FAPI2-SP-5.4.1-3",
		PKCE:                PKCEAllClients,
		PKCERef:             "FAPI2-SP-5.3.2.2-5",
		PKCEMethods:         []string{"S256"},
		RequestObjectAlgs:   slices.Clone(fapi2Algs),
		RequestObjectAlgRef: "FAPI2-SP-5.4.1-1",
		// alg none is no algorithm of the profile's list (FAPI2-SP-5.4.1-1).
		RequestObjectUnsignedRef: "FAPI2-SP-5.4.1-1",
		RequireScope:             true,
		ScopeRef:                 "RFC6749-3.3",
		RequireHTTPSRedirect:     true,
		RedirectRequiredRef:      "FAPI2-SP-5.3.2.2-6",
		// FAPI 2.0 leaves redirect URI registration to RFC 9126 §2.4; where
		// URIs are registered they match exactly (RFC 9700 §2.1).
		RedirectExactRef:      "RFC9700-2.1",
		RedirectHTTPSRef:      "FAPI2-SP-5.3.2.2-8",
		RedirectRegisteredRef: "RFC6749-3.1.2.2",
		Outside:               OutsideIgnored,
		OutsideRef:            "FAPI2-SP-5.3.3.2-6",
		PARRequired:           true,
		PARRef:                "FAPI2-SP-5.3.2.2-2",
		ResponseTypes:         []string{ResponseTypeCode},
		ResponseTypeRef:       "FAPI2-SP-5.3.2.2-1",
		Binding:               BindingMTLSOrDPoP,
		BindingRef:            "FAPI2-SP-5.3.2.1-4",
		SigningAlgs:           slices.Clone(fapi2Algs),
		SigningAlgRef:         "FAPI2-SP-5.4.1-1",
		AssertionAudience:     AudienceIssuerString,
		AssertionAudienceRef:  "FAPI2-SP-5.3.2.1-8",
		// JAR §10.8 applies to every request object FAPI 2.0 accepts.
		ForbidSubIsClient: true,
		// FAPI 2.0 makes neither state nor nonce mandatory.
		RedirectHTTPLoopback:  true,
		CodeLifetime:          time.Minute,
		CodeLifetimeRef:       "FAPI2-SP-5.3.2.1-11",
		MinClockSkew:          10 * time.Second,
		MaxRequestURILifetime: 600 * time.Second,
		NoPasswordGrant:       true,
		IssParameter:          true,
	}
}

// messageSigning is FAPI 2.0 Message Signing on top of the Security
// Profile: signed request objects at the PAR endpoint (5.3.1) and, for
// signed responses, JARM (5.4.1). Which parts apply is the caller's
// (profile.Decision.SignedRequest / SignedResponse); Requirements describes
// both, and package fapi applies each part when the decision asks for it.
func messageSigning() Requirements {
	r := security()
	r.Profile = FAPI2MessageSigning
	r.RequestObject = true
	r.RequestObjectRef = "FAPI2-MS-5.3.1-1"
	r.RequireClientIDClaim = true
	r.ClientIDClaimRef = "PAR-3"
	r.RequireExp = true
	r.ExpRef = "FAPI2-MS-5.3.1-4"
	r.RequireNbf = true
	r.NbfRef = "FAPI2-MS-5.3.1-3"
	r.RequireAud = true
	r.AudRef = "FAPI2-MS-5.3.1-2"
	r.MaxLifetime = time.Hour
	r.LifetimeRef = "FAPI2-MS-5.3.1-4"
	r.MaxNbfAge = time.Hour
	r.NbfAgeRef = "FAPI2-MS-5.3.1-3"
	r.ForbidSubIsClient = true
	r.RequireJARM = true
	r.RequireJARMRef = "FAPI2-MS-5.4.1-1"
	return r
}

// Plain is what profile None demands: no FAPI rule, but the rules of plain
// OAuth 2.0 (RFC 6749, RFC 7636, RFC 9101) and OpenID Connect Core that
// every conforming server applies. The client authenticates with its
// registered method, whatever it is (RFC 6749 §2.3); a redirect_uri is
// exactly a registered one (RFC 6749 §3.1.2.3, OIDC Core §3.1.2.1) but
// need not be https; a nonce comes with every response type that returns
// an ID token from the authorization endpoint (OIDC Core §3.2.2.1,
// §3.3.2.11); PKCE is optional, with a method the service supports
// (RFC 7636 §4.2, §4.4.1); a request object, when sent, is signed with an
// asymmetric algorithm and verified with the client's registered keys, its
// values superseding the others (OIDC Core §6.3.3); keys are RSA ≥ 2048
// bits (RFC 7518 §3.3) or on the curves of RFC 7518 §3.4.
func Plain() Requirements {
	return Requirements{
		Profile:                  None,
		ClientAuthMethods:        []string{AuthClientSecretBasic, AuthClientSecretPost, AuthClientSecretJWT, AuthPrivateKeyJWT, AuthTLSClient, AuthSelfSignedTLSClient},
		ClientAuthRef:            "RFC6749-2.3",
		PublicClients:            true,
		KeyMinimums:              keysize.FAPI1Minimums(),
		KeyRSARef:                "RFC7518-3.3",
		KeyECRef:                 "RFC7518-3.4",
		RequestObjectAlgs:        slices.Clone(asymmetricAlgs),
		RequestObjectAlgRef:      "OIDCC-6.1",
		RequestObjectUnsignedRef: "OIDCC-6.1",
		Outside:                  OutsideMerged,
		OutsideRef:               "OIDCC-6.3.3",
		SigningAlgRef:            "OIDCR-2",
		Nonce:                    NonceWithIDToken,
		NonceRef:                 "OIDCC-3.2.2.1",
		ScopeRef:                 "RFC6749-3.3",
		RedirectURIOptional:      true,
		RedirectRequiredRef:      "OIDCC-3.1.2.1",
		RedirectExactRef:         "RFC6749-3.1.2.3",
		RedirectHTTPSRef:         "RFC6749-3.1.2.1",
		RedirectRegisteredRef:    "OIDCR-2",
	}
}
