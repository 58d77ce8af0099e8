package casefile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/casefile"
	"github.com/fapicheck/fapicheck/fapi"
	"github.com/fapicheck/fapicheck/profile"
	"github.com/fapicheck/fapicheck/scope"
)

// clauseProfiles maps the prefix of a profile's clause IDs to the profiles
// it belongs to: a FAPI 1.0 Part 1 clause is Part 2's too (Part 2 builds
// on Part 1), the Security Profile's is Message Signing's. Other clause
// IDs (RFCs, OpenID Connect, JAR, PAR, DPoP, JARM) are no profile's own
// and may be cited under any, none included.
var clauseProfiles = []struct {
	prefix   string
	profiles profile.Set
}{
	{"FAPI-RW-", profile.SetOf(profile.FAPI1ReadWrite)},
	{"FAPI-R-", profile.SetOf(profile.FAPI1ReadOnly, profile.FAPI1ReadWrite)},
	{"FAPI1-ADV-", profile.SetOf(profile.FAPI1Advanced)},
	{"FAPI1-BASE-", profile.SetOf(profile.FAPI1Baseline, profile.FAPI1Advanced)},
	{"FAPI2-MS-", profile.SetOf(profile.FAPI2MessageSigning)},
	{"FAPI2-SP-", profile.SetOf(profile.FAPI2Security, profile.FAPI2MessageSigning)},
}

// gateCodes are about the FAPI switch itself: found before any profile
// applies (the report's profile is none), they cite the clause of the
// profile the configuration asks for.
var gateCodes = map[fapi.Code]bool{fapi.CodeServiceFAPINotSupported: true, fapi.CodeServiceNoFAPIScope: true}

// knownPrefixes are the documents a clause ID may name.
var knownPrefixes = []string{"FAPI-R-", "FAPI-RW-", "FAPI1-BASE-", "FAPI1-ADV-", "FAPI2-SP-", "FAPI2-MS-",
	"RFC", "OIDCC-", "OIDCR-", "OIDCD-", "JAR-", "PAR-", "DPOP-", "JARM-", "OAuth2-RT-"}

func checkClause(t *testing.T, where string, rep fapi.Report, v fapi.Violation) {
	t.Helper()
	if msg := clauseProblem(rep, v); msg != "" {
		t.Error(where + ": " + msg)
	}
}

// clauseProblem says what is wrong with the clause v cites, or "".
func clauseProblem(rep fapi.Report, v fapi.Violation) string {
	known := false
	for _, p := range knownPrefixes {
		known = known || strings.HasPrefix(string(v.Ref), p)
	}
	if !known {
		return fmt.Sprintf("%s cites %q, which names no specification", v.Code, v.Ref)
	}
	if gateCodes[v.Code] {
		return ""
	}
	for _, c := range clauseProfiles {
		if strings.HasPrefix(string(v.Ref), c.prefix) {
			if rep.Profiles&c.profiles == 0 {
				return fmt.Sprintf("%s cites %s, a clause of %s, in a report judged under %s", v.Code, v.Ref, c.profiles, rep.Profiles)
			}
			return ""
		}
	}
	return ""
}

// retarget rewrites the service of c so that every FAPI scope and static
// mode selects p (None: FAPI switched off).
func retarget(c *casefile.Case, p profile.Profile) {
	svc := c.Service
	if svc == nil {
		return
	}
	if p == profile.None {
		svc.SupportedServiceProfiles = nil
		return
	}
	attr := map[profile.Profile]scope.Attribute{
		profile.FAPI1ReadOnly: {Key: "fapi", Value: "r"}, profile.FAPI1ReadWrite: {Key: "fapi", Value: "rw"},
		profile.FAPI1Baseline: {Key: "fapi", Value: "r"}, profile.FAPI1Advanced: {Key: "fapi", Value: "rw"},
		profile.FAPI2Security: {Key: "fapi2", Value: "sp"}, profile.FAPI2MessageSigning: {Key: "fapi2", Value: "ms-authreq"},
	}[p]
	svc.FAPIVersion = profile.VersionFinal
	if p == profile.FAPI1ReadOnly || p == profile.FAPI1ReadWrite {
		svc.FAPIVersion = profile.VersionID2
	}
	svc.FAPIModes = nil
	for i, d := range svc.Scopes {
		fapiScope := false
		for _, a := range d.Attributes {
			fapiScope = fapiScope || a.Key == "fapi" || a.Key == "fapi2"
		}
		if fapiScope {
			svc.Scopes[i].Attributes = []scope.Attribute{attr}
		}
	}
	if c.Client != nil {
		c.Client.FAPIModes = nil
	}
}

// TestClausesMatchTheProfile: every violation of every case — the case
// corpus, the conformance-suite cases and the attack catalogue, each run
// as written and again with its service turned to each profile and to
// FAPI off — cites a clause of a profile its report was judged under, or a
// clause of no profile in particular; none cites a document that does not
// ship with the specifications.
func TestClausesMatchTheProfile(t *testing.T) {
	var files []string
	for _, dir := range []string{"cases", "conformance", "attacks"} {
		fs, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.json"))
		require.NoError(t, err)
		files = append(files, fs...)
	}
	sort.Strings(files)
	require.Greater(t, len(files), 400)
	seen := map[fapi.Code]map[profile.Profile]bool{}
	problems := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, p := range append([]profile.Profile{""}, profile.All()...) {
			c, _, err := casefile.Parse(data)
			require.NoError(t, err, f)
			if p != "" {
				retarget(c, p)
			}
			where := filepath.Base(f)
			if p != "" {
				where += " as " + string(p)
			}
			for _, rep := range c.Reports() {
				for _, v := range append(rep.Violations, rep.Waived...) {
					if msg := clauseProblem(rep, v); msg != "" {
						key := fmt.Sprintf("%s %s under %s", v.Code, v.Ref, rep.Profiles)
						if _, dup := problems[key]; !dup {
							problems[key] = where + ": " + msg
						}
					}
					if seen[v.Code] == nil {
						seen[v.Code] = map[profile.Profile]bool{}
					}
					seen[v.Code][rep.Profile] = true
				}
			}
		}
	}
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Error(problems[k])
	}
	// Every code is met by the sweep, but the reserved one and those a
	// case file cannot reach (a replay cache, a resource request), which
	// the fapi and dpop tests cover.
	for _, info := range fapi.CodeInfos() {
		switch info.Code {
		case fapi.CodeProfileNotImplemented, fapi.CodeDPoPReplayed, fapi.CodeDPoPATHMismatch:
			continue
		}
		assert.NotEmpty(t, seen[info.Code], "no case triggers %s under any profile", info.Code)
	}
}

// TestCodeTableClauses: every clause the code table lists names a
// specification.
func TestCodeTableClauses(t *testing.T) {
	for _, info := range fapi.CodeInfos() {
		for _, ref := range info.Refs {
			checkClause(t, "code table", fapi.Report{Profiles: profile.SetOf(profile.All()...)}, fapi.Violation{Code: info.Code, Ref: ref})
		}
	}
}
