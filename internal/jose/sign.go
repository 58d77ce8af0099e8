package jose

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Sign produces a compact JWS of payload with alg and key (a private key, or
// a []byte secret for HS*), with extra protected header members (for example
// "kid" or "typ"). The library itself never signs requests; Sign exists for
// the example server's ID tokens and for test helpers, and deliberately goes
// through jwx so that what this package verifies is produced by an
// independent implementation.
func Sign(alg string, key any, header map[string]any, payload []byte) (string, error) {
	sa, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		return "", fmt.Errorf("jose: unknown algorithm %q", alg)
	}
	h := jws.NewHeaders()
	for k, v := range header {
		if k == "jwk" {
			// A "jwk" header (DPoP proofs, or a test's attack) is given as
			// a public key or as its JWK JSON object.
			jk, err := headerJWK(v)
			if err != nil {
				return "", fmt.Errorf("jose: header jwk: %w", err)
			}
			v = jk
		}
		if err := h.Set(k, v); err != nil {
			return "", fmt.Errorf("jose: header %q: %w", k, err)
		}
	}
	out, err := jws.Sign(payload, jws.WithKey(sa, key, jws.WithProtectedHeaders(h)))
	if err != nil {
		return "", fmt.Errorf("jose: sign: %w", err)
	}
	return string(out), nil
}

// PublicJWK describes one key to publish in a JWK Set.
type PublicJWK struct {
	Public       any // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	ID           string
	Algorithm    string
	Use          string
	Certificates []*x509.Certificate // published as "x5c"
}

// MarshalPublicJWKS renders public keys as a JWK Set (RFC 7517 §5), for a
// server's jwks_uri or a client registration.
func MarshalPublicJWKS(keys ...PublicJWK) ([]byte, error) {
	set := jwk.NewSet()
	for i, k := range keys {
		jk, err := jwk.Import(k.Public)
		if err != nil {
			return nil, fmt.Errorf("jose: key %d: %w", i, err)
		}
		if priv, _ := jwk.IsPrivateKey(jk); priv {
			return nil, fmt.Errorf("jose: key %d is a private key", i)
		}
		set1 := func(name string, v any) error { return jk.Set(name, v) }
		if k.ID != "" {
			if err := set1(jwk.KeyIDKey, k.ID); err != nil {
				return nil, err
			}
		}
		if k.Algorithm != "" {
			sa, ok := jwa.LookupSignatureAlgorithm(k.Algorithm)
			if !ok {
				return nil, fmt.Errorf("jose: key %d: unknown algorithm %q", i, k.Algorithm)
			}
			if err := set1(jwk.AlgorithmKey, sa); err != nil {
				return nil, err
			}
		}
		if k.Use != "" {
			if err := set1(jwk.KeyUsageKey, k.Use); err != nil {
				return nil, err
			}
		}
		if len(k.Certificates) > 0 {
			var chain cert.Chain
			for _, c := range k.Certificates {
				if err := chain.Add(pemOf(c)); err != nil {
					return nil, fmt.Errorf("jose: key %d: x5c: %w", i, err)
				}
			}
			if err := set1(jwk.X509CertChainKey, &chain); err != nil {
				return nil, err
			}
		}
		if err := set.AddKey(jk); err != nil {
			return nil, err
		}
	}
	return json.Marshal(set)
}

func pemOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func headerJWK(v any) (jwk.Key, error) {
	switch x := v.(type) {
	case jwk.Key:
		return x, nil
	case map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		return jwk.ParseKey(b)
	case json.RawMessage:
		return jwk.ParseKey(x)
	}
	return jwk.Import(v)
}
