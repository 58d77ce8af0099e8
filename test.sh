#!/bin/sh
# Runs every test of the module, with the race detector.
set -eu
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
	echo "test.sh: Go is not installed (Go 1.25 or later is needed)" >&2
	exit 1
fi
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "test.sh: not gofmt-formatted:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -count=1 ./...
