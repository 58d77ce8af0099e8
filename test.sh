#!/bin/sh
# Runs every check of the module: formatting, go vet, staticcheck,
# govulncheck, the tests with the race detector and a statement-coverage
# floor, and a short run of every fuzz target. CI runs exactly this.
#
# It needs Go (1.25 or later), the Go module proxy, Node.js with npm (for
# the tests against openid-client), redis-server and valkey-server (for the
# tests of the redisstore module, which start their own server on a loopback
# port); these are installed with apt-get when missing and run as root. The
# tools are installed at pinned versions into a cache directory on first use.
# The modules in bench/, redisstore/ and fapifosite/ are checked in steps of
# their own.
set -eu
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
	echo "test.sh: Go is not installed (Go 1.25 or later is needed)" >&2
	exit 1
fi

# The library builds with Go 1.25, but the checks run on a patched 1.26
# release: Go 1.26.10 fixes the standard-library vulnerabilities that
# govulncheck reports for earlier 1.26 releases. The go command fetches it
# from the module proxy. Override with FAPICHECK_TOOLCHAIN.
export GOTOOLCHAIN="${FAPICHECK_TOOLCHAIN:-go1.26.10}"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

STATICCHECK_VERSION=v0.8.2
GOVULNCHECK_VERSION=v1.9.0
# The vulnerability database is built offline from this snapshot of
# golang.org/x/vulndb (vuln.go.dev need not be reachable).
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
COVERAGE_FLOOR=85
# The Valkey the redisstore tests also run against, where Debian 12 has it
# (bookworm-backports); see the redisstore step.
VALKEY_DEB_VERSION=8.0.1+dfsg1-1~bpo12+1
# Each fuzz target runs for a number of executions, not a duration: Go 1.26's
# fuzzing coordinator can report "context deadline exceeded" as a failure
# when a -fuzztime duration ends while a worker is mid-call, with no crasher
# (golang/go#75804, fixed in Go 1.27). A count has no deadline to race.
# A few thousand inputs take seconds per target; the long campaigns are in
# the README's contributing section. Override with FUZZTIME (e.g. 100000x;
# a duration brings the race back).
FUZZTIME="${FUZZTIME:-5000x}"

CACHE="${FAPICHECK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/fapicheck-tools}"
mkdir -p "$CACHE/bin"
export GOBIN="$CACHE/bin"

step() { printf '\n== %s\n' "$*"; }

# Per-run files live in a directory of this run's own: the tool cache is
# shared, and two runs writing one coverage profile corrupt it.
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fapicheck-run.XXXXXX")
trap 'rm -rf "$RUN_DIR"' EXIT

# apt_install PACKAGE... installs Debian packages, as root with apt-get only;
# elsewhere it fails, naming what is missing.
APT_UPDATED=
apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "test.sh: missing $*: install it (apt-get install $*) or run as root where apt-get is available" >&2
		exit 1
	fi
	[ -n "$APT_UPDATED" ] || { apt-get update -qq && APT_UPDATED=1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

step "gofmt"
unformatted=$(gofmt -l $(find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "not gofmt-formatted:" >&2
	echo "$unformatted" >&2
	exit 1
fi

step "go vet"
go vet ./...

step "staticcheck $STATICCHECK_VERSION"
[ -x "$GOBIN/staticcheck-$STATICCHECK_VERSION" ] || {
	go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
	mv "$GOBIN/staticcheck" "$GOBIN/staticcheck-$STATICCHECK_VERSION"
}
"$GOBIN/staticcheck-$STATICCHECK_VERSION" ./...

step "govulncheck $GOVULNCHECK_VERSION (database $VULNDB_VERSION)"
[ -x "$GOBIN/govulncheck-$GOVULNCHECK_VERSION" ] || {
	go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
	mv "$GOBIN/govulncheck" "$GOBIN/govulncheck-$GOVULNCHECK_VERSION"
}
DB="$CACHE/vulndb-$VULNDB_VERSION"
if [ ! -f "$DB/index/db.json" ]; then
	src=$(cd "$CACHE" && go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
	rm -rf "$DB.tmp"
	(cd "$CACHE" && go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$DB.tmp")
	mv "$DB.tmp" "$DB"
fi
"$GOBIN/govulncheck-$GOVULNCHECK_VERSION" -db "file://$DB" ./...

step "openid-client (interop/openidclient), for the tests against a third-party relying party"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	apt_install nodejs npm
fi
(cd interop/openidclient && npm ci --no-audit --no-fund --loglevel=error)
# The interoperability tests fail, rather than skip, without the package.
# They run in the go test step below: TestServerFlows builds the example
# server (go build in examples/authserver) and starts it under each profile
# on a loopback port for openid-client to drive.
export FAPICHECK_INTEROP=1

step "go test -race, coverage of the library packages (floor $COVERAGE_FLOOR%)"
LIBRARY=$(go list ./... | grep -v -E '/examples/|/cmd/|/interop/|/internal/(generate|fixtures|apidoc)' | paste -sd, -)
PROFILE="$RUN_DIR/coverage.out"
# The corpus-wide property tests of casefile take minutes under -race on a
# busy 2-core machine; a longer timeout than go test's 10 minutes keeps a
# slow machine from failing a correct run (CI itself stops at 90 minutes).
go test -race -count=1 -timeout=30m -coverpkg="$LIBRARY" -coverprofile="$PROFILE" ./...
total=$(go tool cover -func="$PROFILE" | awk '/^total:/ {sub("%", "", $3); print $3}')
echo "statement coverage of the library packages: $total%"
awk -v t="$total" -v f="$COVERAGE_FLOOR" 'BEGIN { exit !(t >= f) }' || {
	echo "coverage $total% is below the floor of $COVERAGE_FLOOR%" >&2
	exit 1
}

step "bench module (separate go.mod): vet, staticcheck, its correctness tests (no benchmarks)"
(cd bench && go vet ./... && "$GOBIN/staticcheck-$STATICCHECK_VERSION" ./... && go test -count=1 ./...)

step "redisstore module (separate go.mod): vet, staticcheck, govulncheck, go test -race against a redis-server"
if ! command -v redis-server >/dev/null 2>&1; then
	apt_install redis-server
fi
# The redisstore tests fail, rather than skip, without redis-server.
export FAPICHECK_REDIS=1
(cd redisstore && go vet ./... && "$GOBIN/staticcheck-$STATICCHECK_VERSION" ./... &&
	"$GOBIN/govulncheck-$GOVULNCHECK_VERSION" -db "file://$DB" ./... &&
	FAPICHECK_REDIS_KIND=redis go test -race -count=1 ./...)

# The same tests against Valkey, which the store must work with too. Debian
# 12 has it only in bookworm-backports: its valkey-tools package (the server
# binary; valkey-server is a symlink to it) is unpacked into the tool cache
# with a sources list of this run's own, so the machine's apt configuration
# is left alone. Later Debian releases have valkey-server in main.
step "redisstore module against valkey-server"
valkey_server() {
	if command -v valkey-server >/dev/null 2>&1; then
		command -v valkey-server
		return
	fi
	dir="$CACHE/valkey-$VALKEY_DEB_VERSION"
	if [ ! -x "$dir/usr/bin/valkey-server" ]; then
		case "$(cat /etc/debian_version 2>/dev/null)" in
		12.*)
			[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || {
				echo "test.sh: missing valkey-server: install it or run as root where apt-get is available" >&2
				exit 1
			}
			apt="$RUN_DIR/apt"
			mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/deb"
			echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$apt/sources.list"
			set -- -o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- \
				-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root
			apt-get "$@" update -qq >/dev/null
			(cd "$apt/deb" && apt-get "$@" download -qq "valkey-tools=$VALKEY_DEB_VERSION" >/dev/null)
			# What valkey-tools needs that redis-server's packages may not have brought.
			for p in libatomic1 libjemalloc2 liblzf1; do
				dpkg -s "$p" >/dev/null 2>&1 || apt_install "$p"
			done
			dpkg-deb -x "$apt/deb"/valkey-tools_*.deb "$dir.tmp"
			ln -sf valkey-check-rdb "$dir.tmp/usr/bin/valkey-server"
			rm -rf "$dir" && mv "$dir.tmp" "$dir"
			;;
		*) apt_install valkey-server && command -v valkey-server && return ;;
		esac
	fi
	echo "$dir/usr/bin/valkey-server"
}
VALKEY=$(valkey_server)
"$VALKEY" --version
(cd redisstore && FAPICHECK_REDIS_SERVER="$VALKEY" FAPICHECK_REDIS_KIND=valkey go test -count=1 ./...)

# The example server's shared-state tests start a redis-server of their own
# too; FAPICHECK_REDIS=1 (set above) makes its absence a failure there as well.
step "examples/authserver module (separate go.mod): vet, staticcheck, govulncheck, go test -race"
(cd examples/authserver && go vet ./... && "$GOBIN/staticcheck-$STATICCHECK_VERSION" ./... &&
	"$GOBIN/govulncheck-$GOVULNCHECK_VERSION" -db "file://$DB" ./... &&
	go test -race -count=1 ./...)
# Its Redis tests (two instances in process, two processes, the record
# store) once more against Valkey.
(cd examples/authserver && FAPICHECK_REDIS_SERVER="$VALKEY" go test -count=1 \
	-run 'TestTwoProcessesOneRedis|TestSharedInstancesRedis|TestRedisState' ./...)

# The fosite adapter's module needs Go 1.26 (its go.mod says why); the
# checks run on it already.
step "fapifosite module (separate go.mod): vet, staticcheck, govulncheck, go test -race, its fuzz target"
(cd fapifosite && go vet ./... && "$GOBIN/staticcheck-$STATICCHECK_VERSION" ./... &&
	"$GOBIN/govulncheck-$GOVULNCHECK_VERSION" -db "file://$DB" ./... &&
	go test -race -count=1 ./... &&
	go test -run='^$' -fuzz='^FuzzEndpoints$' -fuzztime="$FUZZTIME" . >"$RUN_DIR/fuzz.log" 2>&1) || {
	cat "$RUN_DIR/fuzz.log" >&2
	exit 1
}

step "fuzz targets, -fuzztime=$FUZZTIME each"
# fapifosite's target ran in its module's step.
for file in $(grep -rl --include='*_test.go' --exclude-dir=fapifosite '^func Fuzz' .); do
	pkg="./$(dirname "${file#./}")"
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "$pkg $target"
		go test -run='^$' -fuzz="^$target\$" -fuzztime="$FUZZTIME" "$pkg" >"$RUN_DIR/fuzz.log" 2>&1 || {
			cat "$RUN_DIR/fuzz.log" >&2
			exit 1
		}
	done
done

step "all checks passed"
