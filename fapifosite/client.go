package fapifosite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"

	"github.com/fapicheck/fapicheck/fapi"
)

// FAPIClient is a fosite client that carries its complete registration
// (RFC 7591, OIDC Registration, RFC 8705 §2.1.2 and §3.4, RFC 9449 §5.2,
// RFC 9126 §6, JARM), which fosite's client interfaces have no place for:
// the tls_client_auth subject, dpop_bound_access_tokens,
// tls_client_certificate_bound_access_tokens,
// require_pushed_authorization_requests, a client_secret in clear for
// client_secret_jwt, and the rest. When a client implements it, its
// registration is used as it is, and ClientFromFosite is not.
type FAPIClient interface {
	fosite.Client
	// FAPIRegistration returns the client's registration.
	FAPIRegistration() fapi.Client
}

// ClientFromFosite returns the registration of a fosite client as the
// library reads it: client_id, redirect_uris, grant_types and
// response_types (with fosite's defaults, which are RFC 7591 §2's), scope
// (the client's scopes, space-separated; the library compares them exactly,
// not by fosite's ScopeStrategy) and client_type (public or confidential);
// for a fosite.OpenIDConnectClient also token_endpoint_auth_method,
// token_endpoint_auth_signing_alg (fosite's DefaultOpenIDConnectClient
// answers RS256 when none is set, which no FAPI profile accepts),
// request_object_signing_alg, jwks_uri and the public half of jwks (a
// private key registered by mistake gives its public key; a symmetric key
// is an error, as no registration may carry one); for a
// fosite.ResponseModeClient its response_modes. A public client without a
// method is token_endpoint_auth_method none (RFC 7591 §2).
//
// fosite holds client secrets hashed, so the result has no client_secret:
// a client that authenticates with a secret needs FAPIClient, or the
// library refuses it (client_auth.secret_mismatch). No FAPI profile lets a
// client send its secret; FAPI 1.0 Baseline's client_secret_jwt needs it
// in clear.
func ClientFromFosite(c fosite.Client) (fapi.Client, error) {
	if c == nil {
		return fapi.Client{}, errors.New("fapifosite: no client")
	}
	out := fapi.Client{
		ClientID:      c.GetID(),
		RedirectURIs:  append([]string(nil), c.GetRedirectURIs()...),
		GrantTypes:    append([]string(nil), c.GetGrantTypes()...),
		ResponseTypes: append([]string(nil), c.GetResponseTypes()...),
		Scope:         strings.Join(c.GetScopes(), " "),
		ClientType:    "confidential",
	}
	if c.IsPublic() {
		out.ClientType = "public"
	}
	if oc, ok := c.(fosite.OpenIDConnectClient); ok {
		out.TokenEndpointAuthMethod = oc.GetTokenEndpointAuthMethod()
		out.TokenEndpointAuthSigningAlg = oc.GetTokenEndpointAuthSigningAlgorithm()
		out.RequestObjectSigningAlg = oc.GetRequestObjectSigningAlgorithm()
		out.JWKSURI = oc.GetJSONWebKeysURI()
		if set := oc.GetJSONWebKeys(); set != nil {
			jwks, err := publicJWKS(set)
			if err != nil {
				return fapi.Client{}, fmt.Errorf("fapifosite: client %q: %w", c.GetID(), err)
			}
			out.JWKS = jwks
		}
	}
	if rc, ok := c.(fosite.ResponseModeClient); ok {
		for _, m := range rc.GetResponseModes() {
			out.ResponseModes = append(out.ResponseModes, string(m))
		}
	}
	if out.TokenEndpointAuthMethod == "" && c.IsPublic() {
		out.TokenEndpointAuthMethod = "none"
	}
	return out, nil
}

// publicJWKS returns the JWK Set of the public halves of set's keys, with
// their kid, alg, use and certificates (RFC 7517 §4, §5).
func publicJWKS(set *jose.JSONWebKeySet) (json.RawMessage, error) {
	pub := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(set.Keys))}
	for i := range set.Keys {
		k := set.Keys[i].Public()
		if k.Key == nil || !k.Valid() {
			return nil, fmt.Errorf("jwks: key %d (kid %q) has no public key (a symmetric key cannot be registered)", i, set.Keys[i].KeyID)
		}
		pub.Keys = append(pub.Keys, k)
	}
	return json.Marshal(pub)
}

// PrepareFositeClient is the default of Config.Client: the registration of
// a FAPIClient, or else ClientFromFosite's, with the keys of its jwks_uri
// resolved through the fosite configuration's JWKSFetcherStrategy when it
// has no jwks (the library never fetches; fosite would fetch the same keys
// to verify the client itself), prepared with fapi.PrepareClient.
func PrepareFositeClient(ctx context.Context, cfg *fosite.Config, c fosite.Client) (*fapi.PreparedClient, error) {
	var reg fapi.Client
	if fc, ok := c.(FAPIClient); ok {
		reg = fc.FAPIRegistration()
	} else {
		var err error
		if reg, err = ClientFromFosite(c); err != nil {
			return nil, err
		}
	}
	if len(reg.JWKS) == 0 && reg.JWKSURI != "" && cfg != nil {
		set, err := cfg.GetJWKSFetcherStrategy(ctx).Resolve(ctx, reg.JWKSURI, false)
		if err != nil {
			return nil, fmt.Errorf("fapifosite: client %q: jwks_uri: %w", reg.ClientID, err)
		}
		if reg.JWKS, err = publicJWKS(set); err != nil {
			return nil, fmt.Errorf("fapifosite: client %q: jwks_uri: %w", reg.ClientID, err)
		}
	}
	return fapi.PrepareClient(reg), nil
}
