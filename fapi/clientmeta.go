package fapi

import (
	"github.com/fapicheck/fapicheck/profile"
)

// client helpers

func authMethod(c *Client) string {
	if c.TokenEndpointAuthMethod == "" {
		return profile.AuthClientSecretBasic // RFC 7591 §2 default
	}
	return c.TokenEndpointAuthMethod
}

func isPublic(c *Client) bool {
	if c.ClientType != "" {
		return c.ClientType == "public"
	}
	return authMethod(c) == profile.AuthNone
}

func responseTypes(c *Client) []string {
	if len(c.ResponseTypes) == 0 {
		return []string{profile.ResponseTypeCode} // OIDC Registration §2 default
	}
	return c.ResponseTypes
}

// usesJARM: the client registered a JARM signing algorithm, or only JARM
// response modes.
func usesJARM(c *Client) bool {
	if c.AuthorizationSignedResponseAlg != "" {
		return true
	}
	if len(c.ResponseModes) == 0 {
		return false
	}
	for _, m := range c.ResponseModes {
		if !isJARMMode(m) {
			return false
		}
	}
	return true
}
