package fapi

import (
	"crypto/subtle"
	"crypto/x509"
	"net/http"
	"time"

	"github.com/fapicheck/fapicheck/clause"
	"github.com/fapicheck/fapicheck/dpop"
	"github.com/fapicheck/fapicheck/keysize"
	"github.com/fapicheck/fapicheck/mtls"
	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/profile"
)

// bindingInput is what the sender-constraining check needs from a request.
type bindingInput struct {
	cert     *x509.Certificate
	mtlsAuth bool // the client authenticates with mTLS (its own check reports a missing certificate)
	dpop     []string
	method   string
	url      string
	record   *AuthorizationRecord // nil at the PAR endpoint
	atPAR    bool
	// accessToken is the access token a request to a protected resource
	// presents, whose hash the proof's ath must be (RFC 9449 §4.3 item
	// 12, §7); "" at the token and PAR endpoints, where ath is refused.
	accessToken string
}

// checkBinding checks that the request carries what the tokens will be
// bound to: a TLS client certificate for certificate-bound tokens (RFC 8705
// §3; FAPI-RW-5.2.2-5, FAPI1-ADV-5.2.2-5, -6), or a DPoP proof for DPoP-bound
// ones (RFC 9449; FAPI2-SP-5.3.2.1-4, -5), and that it matches what the
// grant is already bound to (dpop_jkt, FAPI2-SP-5.3.2.1-12; the certificate
// thumbprint). It returns the DPoP key thumbprint, if a proof verified.
func checkBinding(b *builder, v serviceView, pc *PreparedClient, rules *profile.Requirements, in bindingInput, now time.Time) string {
	c := &pc.cfg
	rec := in.record
	if rec == nil {
		rec = &AuthorizationRecord{}
	}
	wantDPoP := c.DPoPBoundAccessTokens || rec.DPoPJKT != "" || len(in.dpop) > 0
	// A DPoP proof stands in for the certificate only at a service that
	// offers DPoP-bound tokens (dpop_signing_alg_values_supported, RFC
	// 9449 §5.1): a service offering certificate-bound tokens alone would
	// otherwise get a request whose tokens it can bind to nothing
	// (FAPI2-SP-5.3.2.1-4).
	dpopOffered := len(v.svc.DPoPSigningAlgValuesSupported) > 0
	wantCert := rules.Binding.Value == profile.BindingMTLS || c.TLSClientCertificateBoundAccessTokens ||
		rec.CertificateThumbprint != "" || (rules.Binding.Value == profile.BindingMTLSOrDPoP && (!wantDPoP || !dpopOffered))
	if in.atPAR {
		// At the PAR endpoint nothing is issued yet: a DPoP proof, when
		// sent, binds the future code (RFC 9449 §10.1); a certificate is
		// checked only as client authentication.
		wantCert = false
	}

	jkt := ""
	if wantDPoP {
		if in.method == "" {
			in.method = http.MethodPost // the token and PAR endpoints take POST
		}
		if proof := checkDPoP(b, v, rules, in, now); proof != nil {
			jkt = proof.JKT
		}
		if jkt != "" && rec.DPoPJKT != "" && subtle.ConstantTimeCompare([]byte(jkt), []byte(rec.DPoPJKT)) != 1 {
			b.add(CodeDPoPJKTMismatch, "dpop", "", "the DPoP key (thumbprint %s) is not the key the authorization was bound to (%s)", jkt, rec.DPoPJKT)
		}
	}
	if wantCert {
		switch {
		case in.cert == nil && !in.mtlsAuth:
			ref := rules.Binding.Clause
			if ref == "" {
				ref = "RFC8705-3"
			}
			// docs/DESIGN.md: invalid_client when the client authenticates with
			// mTLS (reported by the authentication check), invalid_grant
			// otherwise.
			b.addError(CodeMTLSCertificateMissing, "client_certificate", ref, OAuthInvalidGrant,
				"access tokens must be bound to the client's TLS certificate, but the request came without one")
		case in.cert != nil && rec.CertificateThumbprint != "":
			if tp := mtls.Thumbprint(in.cert); subtle.ConstantTimeCompare([]byte(tp), []byte(rec.CertificateThumbprint)) != 1 {
				b.addError(CodeMTLSCertificateMismatch, "client_certificate", "RFC8705-3", OAuthInvalidGrant,
					"the TLS client certificate (x5t#S256 %s) is not the one the grant is bound to (%s)", tp, rec.CertificateThumbprint)
			}
		}
	}
	return jkt
}

// dpopAlgorithms are the JWS algorithms a DPoP proof may use: those of the
// service's dpop_signing_alg_values_supported (RFC 9449 §5.1) that the
// profile allows (FAPI2-SP-5.4.1-1), the profile's when the service lists
// none, and any asymmetric one where neither restricts them.
func dpopAlgorithms(v serviceView, rules *profile.Requirements) []string {
	algs := v.svc.DPoPSigningAlgValuesSupported
	if rules.SigningAlgs.Value != nil {
		algs = intersect(algs, rules.SigningAlgs.Value)
		if len(v.svc.DPoPSigningAlgValuesSupported) == 0 {
			algs = rules.SigningAlgs.Value
		}
	} else if len(algs) == 0 {
		algs = asymmetricAlgs
	}
	return algs
}

// checkDPoP verifies the DPoP proof of a request for in.method and in.url
// (an empty method refuses every proof) and returns it, or nil when it is
// not acceptable.
func checkDPoP(b *builder, v serviceView, rules *profile.Requirements, in bindingInput, now time.Time) *dpop.Proof {
	r := dpop.Rules{
		Method:      in.method,
		URL:         in.url,
		Algorithms:  dpopAlgorithms(v, rules),
		ClockSkew:   v.skew,
		MaxSize:     v.svc.MaxRequestObjectSize,
		Replay:      v.replay,
		AccessToken: in.accessToken,
	}
	// Server nonces (RFC 9449 §8 at the token and PAR endpoints, §9 at a
	// resource): with a source every nonce claim is checked, and a required
	// one must be present. A service that requires nonces without a source
	// fails closed: no proof is accepted, and the violation names the
	// configuration, not the client.
	nonceSourceMissing := v.svc.RequireDPoPNonce && v.nonces == nil
	if v.nonces != nil {
		r.Nonce, r.NonceRequired = v.nonces, v.svc.RequireDPoPNonce
	}
	if nonceSourceMissing {
		addNonceSourceMissing(b)
	}
	proof, errs := dpop.Verify(in.dpop, r, now)
	for _, e := range errs {
		var ref clause.Clause
		switch {
		case e.Reason == dpop.ReasonMissing && in.accessToken != "":
			// A DPoP-bound access token comes with a proof (RFC 9449 §7.1).
			ref = "DPOP-7.1"
		case e.Reason == dpop.ReasonMissing:
			ref = rules.Binding.Clause
		case e.Reason == dpop.ReasonAlgNotAllowed:
			ref = rules.SigningAlgs.Clause
		case (e.Reason == dpop.ReasonNonceMissing || e.Reason == dpop.ReasonNonceInvalid) && in.accessToken != "":
			// A resource server's nonce (RFC 9449 §9).
			ref = "DPOP-9"
		}
		addReason(b, &dpopReasons, e.Reason, e.Claim, ref, e.Message)
	}
	if proof == nil || len(errs) > 0 || nonceSourceMissing {
		return nil
	}
	if v.replay == nil {
		// Without a ReplayCache the proof's jti is a one-time use for the
		// Checker's store (RFC 9449 §11.1).
		b.uses = append(b.uses, pendingUse{
			use:  onetime.Use{Key: onetime.Key(onetime.KindDPoPProof, proof.ReplayKey()), Until: proof.ReplayUntil},
			code: CodeDPoPReplayed, field: "dpop", what: "the DPoP proof (its jti with this key)",
		})
	}
	if err := keysize.Check(proof.PublicKey, rules.Keys.Minimums); err != nil {
		// The DPoP key is the key tokens are bound to (FAPI2-SP-5.4.1-2, -3).
		ref := keyClause(rules, err)
		b.add(CodeDPoPKeyTooSmall, "jwk", ref, "the DPoP proof's key is not acceptable: %v", err)
		return nil
	}
	return proof
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if has(b, x) {
			out = append(out, x)
		}
	}
	return out
}
