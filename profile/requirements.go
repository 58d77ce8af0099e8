package profile

import (
	"slices"
	"time"

	"github.com/fapicheck/fapicheck/clause"
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

// Rule is one requirement with a value and the clause it comes from. It is
// in force when its Clause is set; the value says what it demands.
type Rule[T any] struct {
	// Value is what the rule demands: a list, a limit or a choice.
	Value T
	// Clause is the clause the rule comes from; None means no such rule.
	Clause clause.Clause
}

// Applies reports whether the rule is in force (its clause is set).
func (r Rule[T]) Applies() bool { return r.Clause.Applies() }

// KeyRule is the smallest client keys accepted, with the clause of each
// minimum.
type KeyRule struct {
	Minimums keysize.Minimums
	// RSA and EC are the clauses of the RSA modulus and elliptic curve
	// minimums.
	RSA, EC clause.Clause
}

// ResponseTypeRule says which response types are allowed.
type ResponseTypeRule struct {
	// Allowed are the response types allowed; nil means any.
	Allowed []string
	// WithJARM are those additionally allowed with a JARM response mode;
	// AnyWithJARM allows any response type with JARM.
	WithJARM    []string
	AnyWithJARM bool
	// Clause is the clause the rule comes from; None when Allowed is nil.
	Clause clause.Clause
}

// RedirectRules are the redirect URI rules, which apply under every
// profile; only their clauses and the https rule differ.
type RedirectRules struct {
	// Required is the clause a request without redirect_uri breaks.
	Required clause.Clause
	// Exact is the clause of the exact match with a registered URI.
	Exact clause.Clause
	// Registered is the clause a client without registered URIs breaks.
	Registered clause.Clause
	// HTTPS makes every redirect URI https (FAPI-R-5.2.2-20 and its
	// successors); None under plain OAuth 2.0.
	HTTPS clause.Clause
	// HTTPLoopback still allows http on loopback IP literals for native
	// clients where HTTPS applies (FAPI2-SP-5.3.2.2-8, RFC 8252 §7.3).
	HTTPLoopback bool
	// Optional lets a request omit redirect_uri when the client registered
	// exactly one and the request is not an OpenID Connect one (RFC 6749
	// §3.1.2.3; OIDC Core §3.1.2.1 requires it with openid).
	Optional bool
}

// ResponseModeRule says what a client may register in its response_modes
// metadata, the response modes it may use (FAPI2-MS-5.3.3; absent, it may
// use any the service supports).
type ResponseModeRule struct {
	// Defined are the values a registered response_modes may list: the
	// response modes of OAuth 2.0 Multiple Response Type Encoding Practices
	// §2.1, OAuth 2.0 Form Post Response Mode §2 and JARM §2.3, each once.
	// An empty list, an empty string, an unknown or a repeated value breaks
	// it.
	Defined Rule[[]string]
	// Allowed, when in force, are the only modes a registered
	// response_modes may list, and it must list one of them: the JARM modes
	// where every authorization response must be signed (FAPI2-MS-5.4.1-1),
	// since a client registered for another could ask for an unsigned
	// response.
	Allowed Rule[[]string]
}

// ServiceRules are the rules only a service's configuration (its
// discovery metadata) is held to.
type ServiceRules struct {
	// Family is the clause that makes the profile's rules apply to an
	// authorization server (FAPI-R-5.2.2, FAPI1-BASE-5.2.2, FAPI2-SP-5.3.2).
	Family clause.Clause
	// PKCES256 requires code_challenge_methods_supported to list S256; with
	// PKCE.Value PKCEWithPAR only when the service has a PAR endpoint.
	PKCES256 clause.Clause
	// RequestParameter requires request_parameter_supported (OIDC
	// Discovery); SignedRequestObject requires require_signed_request_object
	// (RFC 9101 §10.5).
	RequestParameter    clause.Clause
	SignedRequestObject clause.Clause
	// PARRequired requires require_pushed_authorization_requests (RFC 9126
	// §5) where every request must come through PAR.
	PARRequired clause.Clause
	// SigningAlgs holds every advertised *_signing_alg_values_supported list
	// to the profile's SigningAlgs.
	SigningAlgs clause.Clause
	// MTLSBinding requires tls_client_certificate_bound_access_tokens (RFC
	// 8705 §3.3) where Binding is BindingMTLS.
	MTLSBinding clause.Clause
	// IssParameter requires authorization_response_iss_parameter_supported
	// (RFC 9207 §3).
	IssParameter clause.Clause
	// MinClockSkew is the least clock skew the service must tolerate.
	MinClockSkew Rule[time.Duration]
}

// ResourceRules are the rules a protected resource (a resource server)
// holds the access tokens it receives to.
type ResourceRules struct {
	// HeaderOnly accepts access tokens only in the Authorization header
	// (RFC 6750 §2.1, RFC 9449 §7.1), never in the URL's query (RFC 6750
	// §2.3; FAPI-R-6.2.1-4, FAPI1-BASE-6.2.1-3, FAPI2-SP-5.3.4-2).
	HeaderOnly clause.Clause
	// Binding says how the access tokens a resource accepts must be
	// sender-constrained: certificate-bound under FAPI 1.0 ID2 read-write
	// and Advanced (FAPI-RW-6.2.1-2, FAPI1-ADV-6.2.1-2), certificate- or
	// DPoP-bound under FAPI 2.0 (FAPI2-SP-5.3.4-5).
	Binding Rule[Binding]
}

// Requirements is what one profile demands, each rule with the clause it
// comes from: a rule is in force exactly when its clause is set, so a rule
// cannot be added without its citation. The check points of package fapi
// read these values and state no profile rules of their own. Under every
// FAPI profile the library also applies the rules that do not vary between
// profiles (redirect URI exact match, PKCE S256 whenever PKCE is used,
// request object exp/nbf/aud/iss checks when the claims are present).
type Requirements struct {
	// Profile is the profile these are the requirements of; for the
	// requirements of several profiles together (Union), the strictest.
	Profile Profile
	// Profiles are the profiles these requirements combine: Profile alone,
	// or every profile of a Union (empty for None).
	Profiles Set
	// NbfWaivable says whether the service's nbf_optional setting may waive
	// RequireNbf: only under the FAPI 1.0 Final profiles, for clients that
	// migrate from Implementer's Draft 2 (docs/DESIGN.md).
	NbfWaivable bool

	// ClientAuthMethods are the methods a confidential client may use
	// wherever it authenticates.
	ClientAuthMethods Rule[[]string]
	// NoPublicClients forbids public clients (method "none").
	NoPublicClients clause.Clause
	// Keys are the smallest client keys accepted.
	Keys KeyRule

	// PKCE says who must use PKCE with S256.
	PKCE Rule[PKCERule]
	// PKCEMethods are the code_challenge_method values accepted whenever
	// PKCE is used (S256 under FAPI); nil means those of RFC 7636 §4.2 that
	// the service lists in code_challenge_methods_supported.
	PKCEMethods Rule[[]string]

	// RequestObject requires a signed request object at the authorization
	// endpoint (or, with PAR, at the PAR endpoint).
	RequestObject clause.Clause
	// RequestObjectAlgs are the algorithms a request object may use.
	RequestObjectAlgs Rule[[]string]
	// UnsignedRequestObject is the clause an unsigned (alg none) request
	// object breaks; such objects are refused under every profile.
	UnsignedRequestObject clause.Clause
	// RequireClientIDClaim makes the client_id claim mandatory in a request
	// object (RFC 9101 §5, §6.3; FAPI 1.0 Advanced and FAPI 2.0 Message
	// Signing).
	RequireClientIDClaim clause.Clause
	// OutsideRequired are the parameters that must also be sent outside a
	// request object, by value or by reference (OIDC Core §6.1, §6.2, as
	// FAPI 1.0 ID2 read-write applies it). Where only the object's values
	// count (RFC 9101 §6.3) nothing beyond client_id is required outside.
	OutsideRequired Rule[[]string]
	// RequireExp, RequireNbf and RequireAud make those claims mandatory.
	RequireExp clause.Clause
	RequireNbf clause.Clause
	RequireAud clause.Clause
	// MaxLifetime bounds exp − nbf and MaxNbfAge bounds now − nbf.
	MaxLifetime Rule[time.Duration]
	MaxNbfAge   Rule[time.Duration]
	// ForbidSubIsClient: sub must not be the client_id (JAR §10.8).
	ForbidSubIsClient clause.Clause
	// Outside says how parameters beside a request object are treated.
	Outside Rule[OutsideParams]

	// PARRequired says every authorization request must come through PAR.
	PARRequired clause.Clause

	// ResponseTypes are the response types allowed.
	ResponseTypes ResponseTypeRule
	// RequireJARM says every authorization response must use JARM
	// (FAPI 2.0 Message Signing, signed responses).
	RequireJARM clause.Clause
	// ResponseModes are the rules of the client's registered
	// response_modes.
	ResponseModes ResponseModeRule

	// EssentialACR requires the claims parameter to request acr as an
	// essential ID token claim.
	EssentialACR clause.Clause

	// Binding says how access tokens must be sender-constrained.
	Binding Rule[Binding]

	// SigningAlgs are the JWS algorithms allowed in client metadata, server
	// metadata and client assertions; nil means any asymmetric algorithm.
	SigningAlgs Rule[[]string]
	// NoRSA15 forbids RSA1_5 key encryption in metadata (FAPI1-ADV-8.6.1-1).
	NoRSA15 clause.Clause

	// AssertionAudience says which aud a client assertion may carry.
	AssertionAudience Rule[AssertionAudience]

	// StateWithoutOpenID: state is required when openid is not requested.
	StateWithoutOpenID clause.Clause
	// Nonce says when nonce is required.
	Nonce Rule[NonceRule]

	// RequireScope makes the scope parameter mandatory (no server default,
	// RFC 6749 §3.3).
	RequireScope clause.Clause
	// Redirect are the redirect URI rules.
	Redirect RedirectRules

	// CodeLifetime bounds the age of an authorization code.
	CodeLifetime Rule[time.Duration]
	// MaxRequestURILifetime bounds the PAR request_uri lifetime: it must be
	// less than this.
	MaxRequestURILifetime Rule[time.Duration]
	// NoPasswordGrant forbids the resource owner password grant.
	NoPasswordGrant clause.Clause
	// RefreshBinding requires refresh tokens to be holder-of-key: the
	// refresh token's record must name the certificate or DPoP key it is
	// bound to.
	RefreshBinding clause.Clause
	// NoRefreshRotation refuses refresh-token rotation unless a client
	// that did not receive the new refresh token can retry with the
	// previous one (FAPI 2.0: the service's RefreshTokenReuseInterval).
	NoRefreshRotation clause.Clause

	// Resource are the rules of a resource server for the access tokens it
	// receives.
	Resource ResourceRules

	// Service are the rules of the service's configuration alone.
	Service ServiceRules
}

var (
	// asymmetricAlgs are the algorithms accepted where a profile does not
	// restrict them; "none" and the HMAC algorithms are never among them.
	asymmetricAlgs = []string{"PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "EdDSA"}
	fapi1Algs      = []string{"PS256", "ES256"}
	// fapi2Algs: FAPI2-SP-5.4.1-1; "Ed25519" is the fully-specified name
	// for EdDSA over Ed25519 that the profile allows once registered.
	fapi2Algs = []string{"PS256", "ES256", "EdDSA", "Ed25519"}
	// jarmModes are the response modes of JARM §2.3; definedModes adds
	// those of OAuth 2.0 Multiple Response Type Encoding Practices §2.1
	// and OAuth 2.0 Form Post Response Mode §2.
	jarmModes    = []string{"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"}
	definedModes = append([]string{"query", "fragment", "form_post"}, jarmModes...)
)

// definedResponseModes is the rule that a registered response_modes lists
// defined response modes, each once, cited as clause c.
func definedResponseModes(c clause.Clause) ResponseModeRule {
	return ResponseModeRule{Defined: Rule[[]string]{slices.Clone(definedModes), c}}
}

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
		ClientAuthMethods: Rule[[]string]{[]string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT, AuthClientSecretJWT}, "FAPI-R-5.2.2-4"},
		Keys:              KeyRule{keysize.FAPI1Minimums(), "FAPI-R-5.2.2-5", "FAPI-R-5.2.2-6"},
		PKCE:              Rule[PKCERule]{PKCEAllClients, "FAPI-R-5.2.2-7"},
		PKCEMethods:       Rule[[]string]{[]string{"S256"}, "FAPI-R-5.2.2-7"},
		// Part 1 does not require request objects; when one is sent it must
		// still be signed with an asymmetric algorithm (never "none").
		RequestObjectAlgs:     Rule[[]string]{slices.Clone(asymmetricAlgs), "OIDCC-6.1"},
		UnsignedRequestObject: "OIDCC-6.1",
		Outside:               Rule[OutsideParams]{OutsideMerged, "OIDCC-6.3.3"},
		// Any asymmetric algorithm (nil), never none or HMAC.
		SigningAlgs: Rule[[]string]{nil, "OIDCR-2"},
		// ID2 puts state/nonce on the client (5.2.3-8, -9); the library
		// enforces them on the server side as docs/DESIGN.md's seed table says.
		StateWithoutOpenID: "FAPI-R-5.2.3-9",
		Nonce:              Rule[NonceRule]{NonceWithIDToken, "OIDCC-3.3.2.11"},
		RequireScope:       "RFC6749-3.3",
		// response_modes is FAPI 2.0 Message Signing's metadata; where a
		// registration carries it, its values are response modes.
		ResponseModes: definedResponseModes("OAuth2-RT-2.1"),
		Redirect: RedirectRules{
			Required:   "FAPI-R-5.2.2-9",
			Exact:      "FAPI-R-5.2.2-10",
			HTTPS:      "FAPI-R-5.2.2-20",
			Registered: "FAPI-R-5.2.2-8",
		},
		Resource: ResourceRules{HeaderOnly: "FAPI-R-6.2.1-4"},
		// docs/DESIGN.md's seed table leaves the ID2 server metadata lists
		// out: only the family clause applies to the service.
		Service: ServiceRules{Family: "FAPI-R-5.2.2"},
	}
}

// readWrite is FAPI 1.0 ID2 Part 2, clause 5.2.2, on top of Part 1.
func readWrite() Requirements {
	r := readOnly()
	r.Profile = FAPI1ReadWrite
	// "shall only issue holder of key authorization code, access token,
	// and refresh token" (FAPI-RW-5.2.2-5).
	r.RefreshBinding = "FAPI-RW-5.2.2-5"
	r.ClientAuthMethods = Rule[[]string]{[]string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}, "FAPI-RW-5.2.2-14"}
	// RW 5.2.2-12 overrides Part 1's 5.2.2-7 (docs/DESIGN.md, "Policy decisions").
	r.PKCE = Rule[PKCERule]{PKCEPublicClients, "FAPI-RW-5.2.2-12"}
	r.RequestObject = "FAPI-RW-5.2.2-1"
	r.RequestObjectAlgs = Rule[[]string]{slices.Clone(fapi1Algs), "FAPI-RW-8.6-1"}
	r.UnsignedRequestObject = "FAPI-RW-8.6-3"
	// OIDC Core §6.1 and §6.2: response_type (and, for the ID2 read-write
	// profile's "all parameters" rule, scope) are sent outside too, by
	// value and by reference alike.
	r.OutsideRequired = Rule[[]string]{[]string{"response_type", "scope"}, "OIDCC-6.1"}
	// Under FAPI-RW the scope must be inside the request object
	// (FAPI-RW-5.2.2-10), which is the clause a request without one misses.
	r.RequireScope = "FAPI-RW-5.2.2-10"
	r.RequireExp = "FAPI-RW-5.2.2-13"
	// ID2 Part 2 does not itself require aud; OIDC Core §6.1 says a signed
	// request object SHOULD carry it, and the profile's successor (FAPI1-ADV
	// 5.2.2-15) made it mandatory. docs/DESIGN.md makes it mandatory here too.
	r.RequireAud = "OIDCC-6.1"
	r.Outside = Rule[OutsideParams]{OutsideMustMatch, "FAPI-RW-5.2.2-10"}
	// FAPI-RW-5.2.5: with JARM, clauses 5.2.2-2, -3 and -4 do not apply.
	r.ResponseTypes = ResponseTypeRule{
		Allowed:     []string{ResponseTypeCodeIDToken, ResponseTypeCodeIDTokenToken},
		AnyWithJARM: true,
		Clause:      "FAPI-RW-5.2.2-2",
	}
	r.EssentialACR = "FAPI-RW-5.2.3-3"
	r.Binding = Rule[Binding]{BindingMTLS, "FAPI-RW-5.2.2-5"}
	// 6.2.1-2: MTLS or OAUTB; the library knows no token binding, so
	// certificate-bound tokens.
	r.Resource.Binding = Rule[Binding]{BindingMTLS, "FAPI-RW-6.2.1-2"}
	r.SigningAlgs = Rule[[]string]{slices.Clone(fapi1Algs), "FAPI-RW-8.6-1"}
	r.Service.MTLSBinding = "FAPI-RW-5.2.2-6"
	return r
}

// baseline is FAPI 1.0 Final Part 1, clause 5.2.2.
func baseline() Requirements {
	r := readOnly()
	r.Profile = FAPI1Baseline
	r.NbfWaivable = true
	r.ClientAuthMethods.Clause = "FAPI1-BASE-5.2.2-4"
	r.Keys.RSA, r.Keys.EC = "FAPI1-BASE-5.2.2-5", "FAPI1-BASE-5.2.2-6"
	r.PKCE.Clause = "FAPI1-BASE-5.2.2-7"
	r.PKCEMethods.Clause = "FAPI1-BASE-5.2.2-7"
	r.StateWithoutOpenID = "FAPI1-BASE-5.2.2.3-1"
	r.Nonce = Rule[NonceRule]{NonceWithOpenID, "FAPI1-BASE-5.2.2.2-1"}
	r.Redirect.Required = "FAPI1-BASE-5.2.2-9"
	r.Redirect.Exact = "FAPI1-BASE-5.2.2-10"
	r.Redirect.HTTPS = "FAPI1-BASE-5.2.2-20"
	r.Redirect.Registered = "FAPI1-BASE-5.2.2-8"
	r.Resource.HeaderOnly = "FAPI1-BASE-6.2.1-3"
	r.Service.Family = "FAPI1-BASE-5.2.2"
	r.Service.PKCES256 = "FAPI1-BASE-5.2.2-7"
	return r
}

// advanced is FAPI 1.0 Final Part 2, clause 5.2.2: Baseline without
// 5.2.2-4 (replaced by -14) and 5.2.2-7 (replaced by -18).
func advanced() Requirements {
	r := baseline()
	r.Profile = FAPI1Advanced
	r.ClientAuthMethods = Rule[[]string]{[]string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}, "FAPI1-ADV-5.2.2-14"}
	r.NoPublicClients = "FAPI1-ADV-5.2.2-16"
	r.PKCE = Rule[PKCERule]{PKCEWithPAR, "FAPI1-ADV-5.2.2-18"}
	r.PKCEMethods.Clause = "FAPI1-ADV-5.2.2-18"
	r.RequestObject = "FAPI1-ADV-5.2.2-1"
	r.RequestObjectAlgs = Rule[[]string]{slices.Clone(fapi1Algs), "FAPI1-ADV-8.6-1"}
	r.UnsignedRequestObject = "FAPI1-ADV-8.6-3"
	// RFC 9101 §5 and §6.3: only the object's values count, so the client
	// it names must be in it (the client_id outside is not used).
	r.RequireClientIDClaim = "JAR-5"
	r.RequireExp = "FAPI1-ADV-5.2.2-13"
	r.RequireNbf = "FAPI1-ADV-5.2.2-17"
	r.RequireAud = "FAPI1-ADV-5.2.2-15"
	r.MaxLifetime = Rule[time.Duration]{time.Hour, "FAPI1-ADV-5.2.2-13"}
	r.MaxNbfAge = Rule[time.Duration]{time.Hour, "FAPI1-ADV-5.2.2-17"}
	r.ForbidSubIsClient = "JAR-10.8"
	r.Outside = Rule[OutsideParams]{OutsideIgnored, "FAPI1-ADV-5.2.2-10"}
	// 5.2.2-2: code id_token, or code with response_mode jwt (JARM; docs/DESIGN.md
	// counts query.jwt, fragment.jwt and form_post.jwt as JARM too).
	r.ResponseTypes = ResponseTypeRule{
		Allowed:  []string{ResponseTypeCodeIDToken},
		WithJARM: []string{ResponseTypeCode},
		Clause:   "FAPI1-ADV-5.2.2-2",
	}
	r.Binding = Rule[Binding]{BindingMTLS, "FAPI1-ADV-5.2.2-5"}
	r.Resource.Binding = Rule[Binding]{BindingMTLS, "FAPI1-ADV-6.2.1-2"}
	r.SigningAlgs = Rule[[]string]{slices.Clone(fapi1Algs), "FAPI1-ADV-8.6-1"}
	r.NoRSA15 = "FAPI1-ADV-8.6.1-1"
	r.Service.PKCES256 = "FAPI1-ADV-5.2.2-18"
	r.Service.RequestParameter = "FAPI1-ADV-5.2.2-1"
	r.Service.SigningAlgs = "FAPI1-ADV-8.6-1"
	r.Service.MTLSBinding = "FAPI1-ADV-5.2.2-6"
	return r
}

// security is the FAPI 2.0 Security Profile (Final).
func security() Requirements {
	return Requirements{
		Profile:           FAPI2Security,
		ClientAuthMethods: Rule[[]string]{[]string{AuthTLSClient, AuthSelfSignedTLSClient, AuthPrivateKeyJWT}, "FAPI2-SP-5.3.2.1-6"},
		NoPublicClients:   "FAPI2-SP-5.3.2.1-3",
		Keys:              KeyRule{keysize.FAPI2Minimums(), "FAPI2-SP-5.4.1-2", "FAPI2-SP-5.4.1-3"},
		PKCE:              Rule[PKCERule]{PKCEAllClients, "FAPI2-SP-5.3.2.2-5"},
		PKCEMethods:       Rule[[]string]{[]string{"S256"}, "FAPI2-SP-5.3.2.2-5"},
		RequestObjectAlgs: Rule[[]string]{slices.Clone(fapi2Algs), "FAPI2-SP-5.4.1-1"},
		// alg none is no algorithm of the profile's list (FAPI2-SP-5.4.1-1).
		UnsignedRequestObject: "FAPI2-SP-5.4.1-1",
		RequireScope:          "RFC6749-3.3",
		ResponseModes:         definedResponseModes("OAuth2-RT-2.1"),
		Redirect: RedirectRules{
			Required: "FAPI2-SP-5.3.2.2-6",
			// FAPI 2.0 leaves redirect URI registration to RFC 9126 §2.4;
			// where URIs are registered they match exactly (RFC 9700 §2.1).
			Exact:        "RFC9700-2.1",
			HTTPS:        "FAPI2-SP-5.3.2.2-8",
			HTTPLoopback: true,
			Registered:   "RFC6749-3.1.2.2",
		},
		Outside:           Rule[OutsideParams]{OutsideIgnored, "FAPI2-SP-5.3.3.2-6"},
		PARRequired:       "FAPI2-SP-5.3.2.2-2",
		ResponseTypes:     ResponseTypeRule{Allowed: []string{ResponseTypeCode}, Clause: "FAPI2-SP-5.3.2.2-1"},
		Binding:           Rule[Binding]{BindingMTLSOrDPoP, "FAPI2-SP-5.3.2.1-4"},
		SigningAlgs:       Rule[[]string]{slices.Clone(fapi2Algs), "FAPI2-SP-5.4.1-1"},
		AssertionAudience: Rule[AssertionAudience]{AudienceIssuerString, "FAPI2-SP-5.3.2.1-8"},
		// JAR §10.8 applies to every request object FAPI 2.0 accepts.
		ForbidSubIsClient: "JAR-10.8",
		// FAPI 2.0 makes neither state nor nonce mandatory.
		CodeLifetime:          Rule[time.Duration]{time.Minute, "FAPI2-SP-5.3.2.1-11"},
		MaxRequestURILifetime: Rule[time.Duration]{600 * time.Second, "FAPI2-SP-5.3.2.2-12"},
		NoPasswordGrant:       "FAPI2-SP-5.3.2.1-2",
		// FAPI2-SP-5.3.2.1-9 and its note: rotation brings confidential
		// clients nothing and is allowed only where a retry with the
		// previous refresh token succeeds.
		NoRefreshRotation: "FAPI2-SP-5.3.2.1-9",
		Resource: ResourceRules{
			HeaderOnly: "FAPI2-SP-5.3.4-2",
			Binding:    Rule[Binding]{BindingMTLSOrDPoP, "FAPI2-SP-5.3.4-5"},
		},
		Service: ServiceRules{
			Family:       "FAPI2-SP-5.3.2",
			PKCES256:     "FAPI2-SP-5.3.2.2-5",
			PARRequired:  "FAPI2-SP-5.3.2.2-3",
			SigningAlgs:  "FAPI2-SP-5.4.1-1",
			IssParameter: "FAPI2-SP-5.3.2.2-7",
			MinClockSkew: Rule[time.Duration]{10 * time.Second, "FAPI2-SP-5.3.2.1-13"},
		},
	}
}

// messageSigning is FAPI 2.0 Message Signing on top of the Security
// Profile: signed request objects at the PAR endpoint (5.3.1) and, for
// signed responses, JARM (5.4.1). Which parts apply is the caller's
// (profile.Decision.SignedRequest / SignedResponse); Requirements describes
// both, and Decision.Requirements leaves out the parts a decision does not
// ask for.
func messageSigning() Requirements {
	r := security()
	r.Profile = FAPI2MessageSigning
	r.RequestObject = "FAPI2-MS-5.3.1-1"
	r.RequireClientIDClaim = "PAR-3"
	r.RequireExp = "FAPI2-MS-5.3.1-4"
	r.RequireNbf = "FAPI2-MS-5.3.1-3"
	r.RequireAud = "FAPI2-MS-5.3.1-2"
	r.MaxLifetime = Rule[time.Duration]{time.Hour, "FAPI2-MS-5.3.1-4"}
	r.MaxNbfAge = Rule[time.Duration]{time.Hour, "FAPI2-MS-5.3.1-3"}
	r.ForbidSubIsClient = "JAR-10.8"
	r.RequireJARM = "FAPI2-MS-5.4.1-1"
	// 5.3.3 defines response_modes; with signed responses required
	// (5.4.1-1), a registration lists only JARM modes, and one at least.
	r.ResponseModes.Defined.Clause = "FAPI2-MS-5.3.3"
	r.ResponseModes.Allowed = Rule[[]string]{slices.Clone(jarmModes), "FAPI2-MS-5.4.1-1"}
	r.Service.SignedRequestObject = "FAPI2-MS-5.3.1-1"
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
		Profile:               None,
		ClientAuthMethods:     Rule[[]string]{[]string{AuthClientSecretBasic, AuthClientSecretPost, AuthClientSecretJWT, AuthPrivateKeyJWT, AuthTLSClient, AuthSelfSignedTLSClient}, "RFC6749-2.3"},
		Keys:                  KeyRule{keysize.FAPI1Minimums(), "RFC7518-3.3", "RFC7518-3.4"},
		RequestObjectAlgs:     Rule[[]string]{slices.Clone(asymmetricAlgs), "OIDCC-6.1"},
		UnsignedRequestObject: "OIDCC-6.1",
		Outside:               Rule[OutsideParams]{OutsideMerged, "OIDCC-6.3.3"},
		SigningAlgs:           Rule[[]string]{nil, "OIDCR-2"},
		Nonce:                 Rule[NonceRule]{NonceWithIDToken, "OIDCC-3.2.2.1"},
		ResponseModes:         definedResponseModes("OAuth2-RT-2.1"),
		Redirect: RedirectRules{
			Required:   "OIDCC-3.1.2.1",
			Exact:      "RFC6749-3.1.2.3",
			Registered: "OIDCR-2",
			Optional:   true,
		},
		// RFC 6750 §2.3: a resource server MAY accept tokens in the query;
		// the library's resource check reads only the Authorization header,
		// so a token in the query is never the one checked and is refused.
		Resource: ResourceRules{HeaderOnly: "RFC6750-2.3"},
	}
}
