package server

import (
	"fmt"
	"strings"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// DefaultProfile is the profile the server runs unless told otherwise: the
// FAPI 2.0 Security Profile, the one new deployments are certified
// against.
const DefaultProfile = profile.FAPI2Security

// FAPIScope is the scope that selects the server's profile: its
// definition carries the attribute of the profile (fapi=r, fapi=rw,
// fapi2=sp, or fapi2=ms-authreq and fapi2=ms-authres; docs/DESIGN.md §3.2
// of the library). The server defines it and openid, which alone selects
// no FAPI profile.
const FAPIScope = "accounts"

// Profiles are the profiles the server can run, in the library's order.
func Profiles() []profile.Profile {
	return []profile.Profile{
		profile.FAPI1ReadOnly, profile.FAPI1ReadWrite, profile.FAPI1Baseline,
		profile.FAPI1Advanced, profile.FAPI2Security, profile.FAPI2MessageSigning,
	}
}

// ParseProfile reads a profile name as the library spells it
// (fapi1-read-only, fapi1-read-write, fapi1-baseline, fapi1-advanced,
// fapi2-security, fapi2-message-signing).
func ParseProfile(s string) (profile.Profile, error) {
	for _, p := range Profiles() {
		if string(p) == s {
			return p, nil
		}
	}
	names := make([]string, 0, 6)
	for _, p := range Profiles() {
		names = append(names, string(p))
	}
	return "", fmt.Errorf("profile %q is not one this server runs (%s)", s, strings.Join(names, ", "))
}

// features are what the server offers under a profile beyond what every
// profile has.
type features struct {
	// par: a pushed authorization request endpoint (RFC 9126), offered
	// from FAPI 1.0 Final on; requirePAR: every request through it
	// (FAPI2-SP-5.3.2.2-2).
	par, requirePAR bool
	// dpop: DPoP-bound tokens (RFC 9449) as well as certificate-bound
	// ones, under FAPI 2.0 only: FAPI 1.0 binds tokens with mTLS
	// (FAPI-RW-5.2.2-5, FAPI1-ADV-5.2.2-5, -6) and knows no DPoP.
	dpop bool
	// hybrid: the response type "code id_token" (FAPI 1.0); FAPI 2.0 has
	// "code" only (FAPI2-SP-5.3.2.2-1).
	hybrid bool
}

func featuresOf(p profile.Profile) features {
	switch p {
	case profile.FAPI1ReadOnly, profile.FAPI1ReadWrite:
		return features{hybrid: true}
	case profile.FAPI1Baseline, profile.FAPI1Advanced:
		return features{par: true, hybrid: true}
	}
	return features{par: true, requirePAR: true, dpop: true}
}

// scopeAttributes are the attributes of FAPIScope under p.
func scopeAttributes(p profile.Profile) []scope.Attribute {
	switch p {
	case profile.FAPI1ReadOnly, profile.FAPI1Baseline:
		return []scope.Attribute{{Key: profile.AttrFAPI, Value: profile.AttrReadOnly}}
	case profile.FAPI1ReadWrite, profile.FAPI1Advanced:
		return []scope.Attribute{{Key: profile.AttrFAPI, Value: profile.AttrReadWrite}}
	case profile.FAPI2MessageSigning:
		// Signed requests and signed responses both (FAPI 2.0 Message
		// Signing §5.3 and §5.4).
		return []scope.Attribute{
			{Key: profile.AttrFAPI2, Value: profile.AttrSigningReq},
			{Key: profile.AttrFAPI2, Value: profile.AttrSigningResult},
		}
	}
	return []scope.Attribute{{Key: profile.AttrFAPI2, Value: profile.AttrSecurity}}
}

// Signing algorithms the server verifies and signs with. It holds one
// RSA and one P-256 key, so it signs PS256 and ES256 (FAPI1-ADV-8.6-1,
// FAPI2-SP-5.4.1-1); it verifies what the profile allows of these, and
// EdDSA too under FAPI 2.0 (FAPI2-SP-5.4.1-1 allows it).
var (
	signingAlgs    = []string{"PS256", "ES256"}
	fapi2Verifying = []string{"PS256", "ES256", "EdDSA"}
)

// Lifetimes the service declares (FAPI2-SP-5.3.2.1-11: codes at most 60 s;
// FAPI2-SP-5.3.2.2-12: request_uris under 600 s).
const (
	codeLifetimeSeconds       = 60
	requestURILifetimeSeconds = 90
)

// newService is the configuration the library checks requests against
// under profile p: the endpoints under issuer, FAPIScope selecting p, and
// what the server offers under p (see features). requireNonce sets the
// library setting RequireDPoPNonce (RFC 9449 §8) where DPoP is offered.
func newService(p profile.Profile, issuer string, ep endpoints, requireNonce bool) fapi.Service {
	f := featuresOf(p)
	svc := fapi.Service{
		Issuer:                   issuer,
		AuthorizationEndpoint:    ep.authorize,
		TokenEndpoint:            ep.token,
		SupportedServiceProfiles: []string{profile.ServiceProfileFAPI},
		FAPIVersion:              profile.VersionFinal,
		Scopes: []scope.Definition{
			{Name: "openid"},
			{Name: FAPIScope, Attributes: scopeAttributes(p)},
		},
		// client_secret_basic and client_secret_post serve clients outside
		// FAPI only (scope openid alone, profile none): every FAPI profile
		// refuses them (FAPI1-BASE-5.2.2-4, FAPI2-SP-5.3.2.1-3), which the
		// library checks for each client and request.
		TokenEndpointAuthMethodsSupported: []string{
			profile.AuthPrivateKeyJWT, profile.AuthTLSClient, profile.AuthSelfSignedTLSClient,
			profile.AuthClientSecretBasic, profile.AuthClientSecretPost,
		},
		ResponseTypesSupported: []string{profile.ResponseTypeCode},
		// JARM (the four modes of JARM §2.3) under every profile: FAPI 1.0
		// ID2 read-write and Advanced accept code with JARM instead of the
		// hybrid flow (FAPI-RW-5.2.5, FAPI1-ADV-5.2.2-2), Message Signing
		// requires it (FAPI2-MS-5.4.1-1).
		ResponseModesSupported:                     []string{"query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"},
		AcrValuesSupported:                         []string{ACR},
		CodeChallengeMethodsSupported:              []string{"S256"},
		TLSClientCertificateBoundAccessTokens:      true,
		AuthorizationResponseIssParameterSupported: true,
		RequestParameterSupported:                  true,
		IDTokenSigningAlgValuesSupported:           signingAlgs,
		AuthorizationSigningAlgValuesSupported:     signingAlgs,
		RequestObjectSigningAlgValuesSupported:     signingAlgs,
		TokenEndpointAuthSigningAlgValuesSupported: signingAlgs,
		GrantTypesSupported: []string{
			fapi.GrantTypeAuthorizationCode, fapi.GrantTypeRefreshToken, fapi.GrantTypeClientCredentials,
		},
		AuthorizationCodeLifetime: codeLifetimeSeconds,
	}
	switch p {
	case profile.FAPI1ReadOnly, profile.FAPI1ReadWrite:
		svc.FAPIVersion = profile.VersionID2
	case profile.FAPI2MessageSigning:
		svc.RequireSignedRequestObject = true
	}
	if f.hybrid {
		svc.ResponseTypesSupported = []string{profile.ResponseTypeCodeIDToken, profile.ResponseTypeCode}
	}
	if f.par {
		svc.PushedAuthorizationRequestEndpoint = ep.par
		svc.RequestURILifetime = requestURILifetimeSeconds
		svc.RequirePushedAuthorizationRequests = f.requirePAR
	}
	if f.dpop {
		svc.DPoPSigningAlgValuesSupported = []string{"ES256", "PS256", "EdDSA"}
		svc.RequestObjectSigningAlgValuesSupported = fapi2Verifying
		svc.TokenEndpointAuthSigningAlgValuesSupported = fapi2Verifying
		svc.RequireDPoPNonce = requireNonce
	}
	return svc
}
