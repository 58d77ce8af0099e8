package fapi

import (
	"context"
	"time"

	"github.com/fapicheck/fapicheck/onetime"
)

// WithStore gives the Checker a one-time-use store: the checks then
// refuse a second use of a client-assertion jti (RFC 7523 §3 item 7), a
// DPoP proof (RFC 9449 §11.1), an authorization code (RFC 6749 §4.1.2;
// the result then asks to revoke what the code issued), a refresh token
// the service rotates without a retry interval (RFC 9700 §4.14.2) and, in
// CompleteAuthorization, a pushed request_uri (RFC 9126 §7.3). Server
// instances sharing one store share that protection. A store error
// refuses the request (store.unavailable): it is never an accept.
//
// Without a store the library keeps no state: the results list the uses
// (OneTimeUses) for the caller to record. A nil s (the nil interface, or a
// nil pointer in it) is no such choice: it is most likely a store that was
// never set up, and silently running without one would leave the uses to a
// caller that believes the store records them. NewChecker reports it
// (store.unavailable), and every request with a one-time use is then
// refused with store.unavailable; leave the option out to run without a
// store.
func WithStore(s onetime.Store) Option {
	return func(ck *Checker) {
		if isNil(s) {
			ck.store, ck.storeNil = nilStore{}, true
			return
		}
		ck.store, ck.storeNil = s, false
	}
}

// nilStore stands for the nil store given to WithStore: it never answers.
type nilStore struct{}

func (nilStore) FirstUse(context.Context, time.Time, ...onetime.Use) ([]bool, error) {
	return nil, errNilStore
}

// errNilStore: WithStore was given a nil store.
const errNilStore storeError = "WithStore was given a nil store"

// pendingUse is a one-time use a check found, recorded once the request
// met every other rule, in one call to the store.
type pendingUse struct {
	use    onetime.Use
	code   Code
	field  string
	what   string
	revoke bool
}

// codeHold is how long a redeemed authorization code is remembered: the
// longest lifetime RFC 6749 §4.1.2 recommends, or the service's code
// lifetime when longer.
func codeHold(svc *Service) time.Duration {
	hold := 10 * time.Minute
	if d := svc.AuthorizationCodeLifetime.Duration(); d > hold {
		hold = d
	}
	return hold
}

// recordUses records b's pending uses in the store when the request met
// every other rule, or, without a store, returns them for the caller to
// record. A use already recorded is a violation of its code; a store that
// cannot answer refuses the request.
func recordUses(ctx context.Context, ck *Checker, b *builder, now time.Time) []onetime.Use {
	if len(b.uses) == 0 || len(b.r.Violations) > 0 {
		return nil
	}
	uses := make([]onetime.Use, len(b.uses))
	for i, p := range b.uses {
		uses[i] = p.use
	}
	if ck.store == nil {
		return uses
	}
	if ctx == nil {
		ctx = context.Background()
	}
	first, err := ck.store.FirstUse(ctx, now, uses...)
	if err == nil && len(first) != len(uses) {
		err = errShortAnswer
	}
	if err != nil {
		// The store's error is not quoted: the message goes to the client
		// as error_description (RFC 6749 §5.2), and the error may name the
		// store's addresses. The store logs it (docs/DESIGN.md §4.14).
		b.add(CodeStoreUnavailable, b.uses[0].field, "", "the one-time-use store did not answer, so the request is refused")
		return nil
	}
	for i, p := range b.uses {
		if first[i] {
			continue
		}
		b.add(p.code, p.field, "", "%s was used before", p.what)
		if p.revoke {
			b.revokeGrant = true
		}
	}
	return nil
}

type storeError string

func (e storeError) Error() string { return string(e) }

// errShortAnswer: a store answered for fewer or more uses than asked.
const errShortAnswer storeError = "the store's answer does not match the uses asked for"

// CompletionWindow is how long after its pushed request expires an
// authorization checked before that expiry may still complete: the
// request_uri's use (AuthorizationResult.OneTimeUses) is held until the
// pushed record's expires_at plus CompletionWindow, so that a login and
// consent longer than the request_uri's lifetime (under FAPI 2.0 less than
// 600 s, often 60 s, FAPI2-SP-5.3.2.2-12) can still complete once, and no
// completion of that request_uri is accepted after the hold ends
// (CompleteAuthorization then answers par.expired): a key the store no
// longer holds could be used again (RFC 9126 §7.3).
const CompletionWindow = 10 * time.Minute

// CompleteAuthorization records that the authorization res checked is
// complete — the server is about to issue the code — so that its pushed
// request_uri cannot be used for another one (RFC 9126 §7.3; FAPI 2.0
// lets a client visit the same request_uri again before that, so the
// authorization check itself does not consume it). It returns a report
// with par.request_uri_reused when the request_uri was used before,
// store.unavailable when the store cannot answer (answer
// temporarily_unavailable), par.expired when the use's hold has ended
// (CompletionWindow after the pushed request expired: push again), and no
// violation for a request without a pushed request_uri or once recorded.
// Without a store (WithStore) the caller records res.OneTimeUses itself,
// and the report says so with store.unavailable: nothing is recorded
// silently.
//
// The uses consumed are those of res.OneTimeUses together with the one the
// check itself noted, so that a result rebuilt from its exported members
// (kept across the login's requests) is consumed too. A result no check
// produced (the zero AuthorizationResult: it has no profile) is refused
// with code.record_missing: nothing says which authorization the code
// would be issued for (RFC 6749 §4.1.2).
func (ck *Checker) CompleteAuthorization(ctx context.Context, res AuthorizationResult, now time.Time) Report {
	if !res.OK() {
		return res.Report
	}
	b := newBuilder("authorization")
	b.r = res.Report
	b.r.Violations = nil
	if res.Profile == "" {
		b.addError(CodeCodeRecordMissing, "authorization", "RFC6749-4.1.2", OAuthServerError,
			"the authorization result was not produced by an authorization check (it has no profile), so no code may be issued for it")
		return b.r
	}
	uses := completionUses(res)
	if len(uses) == 0 {
		return b.r
	}
	if ck.store == nil {
		b.addError(CodeStoreUnavailable, "request_uri", "", OAuthTemporarilyUnavailable, "no one-time-use store was given (WithStore), so the request_uri cannot be consumed here; record OneTimeUses instead")
		return b.r
	}
	for _, u := range uses {
		if !u.Until.After(now) {
			// The store would hold nothing (onetime.Use.Validate): a
			// completion this late is refused here, never recorded as a
			// first use that the next one could repeat.
			b.add(CodePARExpired, "request_uri", "", "the pushed request's hold ended at %s (now %s): the authorization did not complete within %s of the request_uri's expiry; push the request again",
				u.Until.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), CompletionWindow)
			return b.r
		}
		b.uses = append(b.uses, pendingUse{use: u, code: CodePARRequestURIReused, field: "request_uri", what: "the pushed request_uri"})
	}
	recordUses(ctx, ck, &b, now)
	for i := range b.r.Violations {
		if b.r.Violations[i].Code == CodeStoreUnavailable {
			b.r.Violations[i].Error = OAuthTemporarilyUnavailable
		}
	}
	return b.r
}

// completionUses are the uses CompleteAuthorization consumes: the
// result's OneTimeUses and the use its check noted, each key once (the
// same key twice in one store call would report the second as a reuse).
func completionUses(res AuthorizationResult) []onetime.Use {
	uses := make([]onetime.Use, 0, len(res.OneTimeUses)+1)
	add := func(u onetime.Use) {
		for _, have := range uses {
			if have.Key == u.Key {
				return
			}
		}
		uses = append(uses, u)
	}
	if res.requestURI != nil {
		add(*res.requestURI)
	}
	for _, u := range res.OneTimeUses {
		add(u)
	}
	return uses
}
