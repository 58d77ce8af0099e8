package server

import (
	"net/http"

	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/fapihttp"
)

// requestURIPrefix is the URN prefix of the request_uris the PAR endpoint
// issues (RFC 9126 §2.2).
const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// handlePAR is the pushed authorization request endpoint (RFC 9126),
// offered from FAPI 1.0 Final on and required under FAPI 2.0
// (FAPI2-SP-5.3.2.2-2).
//
// The library checks the client's authentication, every authorization
// request rule of the profile, the request object when one is pushed and
// a DPoP proof when one is sent (its key binds the future code, RFC 9449
// §10), and records the client assertion's jti and the proof in the
// store. The server stores the validated parameters under a fresh
// request_uri for RequestURILifetime: the authorization endpoint acts on
// them, never on anything the browser carries.
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	ctx, now := r.Context(), s.now()
	b, err := s.readBackChannel(r, true)
	if err != nil {
		s.log.Info("pushed authorization refused", "client_id", truncate(b.clientID, 128), "reason", err)
		s.backChannelError(w, r, err, "")
		return
	}
	if d := s.checkClientCredentials(r, b, now); d != "" {
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "reason", d)
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthInvalidClient, Description: d}, "")
		return
	}
	if len(b.dpop) > 0 && !featuresOf(s.profile).dpop {
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthInvalidDPoPProof, Description: s.noDPoPHere()}, "")
		return
	}
	res := s.checker.PushedAuthorization(ctx, b.client.pc, &fapi.PushedAuthorizationRequest{
		Params:            fapi.Params(b.form),
		BasicAuth:         b.basic,
		ClientCertificate: b.cert,
		DPoP:              b.dpop,
		Method:            b.method,
		URL:               b.url,
	}, now)
	if !res.OK() {
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "profile", res.Profile,
			"chosen_by", res.ChosenBy, "violations", res.Codes())
		s.backChannelError(w, r, violationError(pickViolation(res.Violations)), res.DPoPNonceHeader)
		return
	}
	p := res.Parameters()
	signed := b.form.Has("request")
	if code, desc := s.authorizationPolicy(b.client, &res.Report, p, signed); code != "" {
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "profile", res.Profile, "policy", code, "reason", desc)
		s.backChannelError(w, r, &fapihttp.Error{Code: code, Description: desc}, res.DPoPNonceHeader)
		return
	}

	id, err := randomToken()
	if err != nil {
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the request_uri could not be generated"}, res.DPoPNonceHeader)
		return
	}
	uri := requestURIPrefix + id
	rec := pushedRequest{
		Record: fapi.PushedRecord{
			ClientID:  b.client.reg.Client.ClientID,
			ExpiresAt: now.Add(RequestURILifetime),
			Params:    p,
			DPoPJKT:   p["dpop_jkt"],
		},
		Signed: signed,
	}
	if err := putJSON(ctx, s.state, stateKey(kindPushed, uri), rec, rec.Record.ExpiresAt, now); err != nil {
		s.log.Error("store pushed request", "err", err)
		s.backChannelError(w, r, &fapihttp.Error{Code: fapi.OAuthServerError, Description: "the request could not be stored; try again later"}, res.DPoPNonceHeader)
		return
	}
	s.log.Info("pushed authorization accepted", "client_id", b.clientID, "profile", res.Profile, "chosen_by", res.ChosenBy,
		"dpop_bound", rec.Record.DPoPJKT != "", "signed", signed)
	fapihttp.WritePushedAuthorizationResponse(w, uri, RequestURILifetime, s.nonceFor(res.DPoPNonceHeader))
}
