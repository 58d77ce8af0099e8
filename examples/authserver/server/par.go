package server

import (
	"net/http"
	"time"

	"github.com/fapicheck/fapicheck/fapi"
)

// requestURIPrefix is the URN prefix of the request_uris the PAR endpoint
// issues (RFC 9126 §2.2).
const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// parResponse is the PAR endpoint's answer (RFC 9126 §2.2).
type parResponse struct {
	RequestURI string `json:"request_uri"`
	ExpiresIn  int64  `json:"expires_in"`
}

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
	b, code, desc := s.readBackChannel(w, r)
	if code != "" {
		s.log.Info("pushed authorization refused", "client_id", truncate(b.clientID, 128), "reason", desc)
		s.backChannelError(w, b, code, desc)
		return
	}
	if d := s.checkClientCredentials(r, b, now); d != "" {
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "reason", d)
		s.backChannelError(w, b, fapi.OAuthInvalidClient, d)
		return
	}
	if hasDPoP(r) && !featuresOf(s.profile).dpop {
		s.backChannelError(w, b, fapi.OAuthInvalidDPoPProof, s.noDPoPHere())
		return
	}
	res := s.checker.PushedAuthorization(ctx, b.client.pc, &fapi.PushedAuthorizationRequest{
		Params:            fapi.Params(b.form),
		BasicAuth:         b.basic,
		ClientCertificate: b.cert,
		DPoP:              r.Header.Values("DPoP"),
		Method:            r.Method,
		URL:               s.endpoints.par,
	}, now)
	s.dpopNonce(w, res.DPoPNonceHeader)
	if !res.OK() {
		v := pickViolation(res.Violations)
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "profile", res.Profile,
			"chosen_by", res.ChosenBy, "violations", res.Codes())
		s.backChannelError(w, b, v.Error, v.Description())
		return
	}
	p := res.Parameters()
	signed := b.form.Has("request")
	if code, desc := s.authorizationPolicy(b.client, &res.Report, p, signed); code != "" {
		s.log.Info("pushed authorization refused", "client_id", b.clientID, "profile", res.Profile, "policy", code, "reason", desc)
		s.backChannelError(w, b, code, desc)
		return
	}

	id, err := randomToken()
	if err != nil {
		s.backChannelError(w, b, fapi.OAuthServerError, "the request_uri could not be generated")
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
		s.backChannelError(w, b, fapi.OAuthServerError, "the request could not be stored; try again later")
		return
	}
	s.log.Info("pushed authorization accepted", "client_id", b.clientID, "profile", res.Profile, "chosen_by", res.ChosenBy,
		"dpop_bound", rec.Record.DPoPJKT != "", "signed", signed)
	noStore(w)
	s.writeJSON(w, http.StatusCreated, parResponse{RequestURI: uri, ExpiresIn: int64(RequestURILifetime / time.Second)})
}
