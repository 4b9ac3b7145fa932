# The README's two commands: `make demo` and `make test`.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
DEADCODE_VERSION ?= v0.53.0

.PHONY: build install test demo demo-stop vet lint fuzz bench ci

# On a tagged commit (v0.3.0) the binary says "safesql 0.3.0", as a
# goreleaser build of that tag does (the same -X flag, without the "v");
# elsewhere it names the commit it was built from. VERSION=... overrides.
VERSION ?= $(shell git describe --tags --exact-match 2>/dev/null | sed 's/^v//')
LDFLAGS := $(if $(VERSION),-X github.com/safesql/safesql/repl/app.Version=$(VERSION))

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o safesql .

install:
	$(GO) install -ldflags "$(LDFLAGS)" .

# The test command CI runs (with SAFESQL_REQUIRE_PG=1).
# psql's own regression script is fetched first (from Debian's source
# package, into the cache) for the parity test; without a network that
# test skips, or fails under SAFESQL_REQUIRE_PG=1.
test:
	-@bash repl/e2e/testdata/fetch-psql-suite.sh >/dev/null
	$(GO) test -race -count=1 -parallel 4 -timeout 60m ./...

demo: build
	./safesql demo

demo-stop: build
	./safesql demo --stop

vet:
	$(GO) vet ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	@out=$$($(GO) run golang.org/x/tools/cmd/deadcode@$(DEADCODE_VERSION) -test ./...); \
	if [ -n "$$out" ]; then echo "deadcode: unreachable code (delete it, or move what only tests use into the tests):"; echo "$$out"; exit 1; fi

# FUZZTIME shortens the run (CI: 20s a target).
FUZZTIME ?= 60s

fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzSplit$$' -fuzztime=$(FUZZTIME) ./analyze/split/
	$(GO) test -run='^$$' -fuzz='^FuzzClassify$$' -fuzztime=$(FUZZTIME) ./analyze/
	$(GO) test -run='^$$' -fuzz='^FuzzDeep$$' -fuzztime=$(FUZZTIME) ./analyze/
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeFast$$' -fuzztime=$(FUZZTIME) ./envs/

bench: build
	bash bench/compare.sh

ci:
	CI=true bash .ci/run

# goreleaser pinned: later versions want a newer Go than ours.
GORELEASER_VERSION ?= v2.16.0
GORELEASER ?= $(shell $(GO) env GOPATH)/bin/goreleaser

.PHONY: goreleaser release-check release-snapshot

# Installs goreleaser at the pinned version unless it is already there. It
# comes through the Go module proxy: a few minutes the first time.
goreleaser:
	@if ! $(GORELEASER) --version 2>/dev/null | grep -Eq '^GitVersion: +$(GORELEASER_VERSION)$$'; then \
		echo "installing goreleaser $(GORELEASER_VERSION) into $(dir $(GORELEASER)) (a few minutes the first time)"; \
		GOBIN=$(dir $(GORELEASER)) $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION); \
	fi

release-check: goreleaser
	$(GORELEASER) check

# Builds the release archives locally (no publishing). linux/arm64 needs
# Debian's gcc-aarch64-linux-gnu and is left out without it; darwin needs a
# macOS runner. Then proves the linux/amd64 binary is static and runs.
release-snapshot: goreleaser
	@command -v aarch64-linux-gnu-gcc >/dev/null || \
		echo "aarch64-linux-gnu-gcc not found (apt-get install gcc-aarch64-linux-gnu): skipping linux/arm64"
	SAFESQL_SKIP_LINUX_ARM64=$$(command -v aarch64-linux-gnu-gcc >/dev/null || echo 1) \
		$(GORELEASER) release --snapshot --clean
	@set -e; bin=$$(ls dist/linux-amd64_linux_amd64_*/safesql); \
	file $$bin; file $$bin | grep -q 'statically linked'; \
	out=$$(ldd $$bin 2>&1 || true); echo "ldd: $$out"; \
	echo "$$out" | grep -Eq 'not a dynamic executable|statically linked' || { echo "$$bin is dynamically linked" >&2; exit 1; }; \
	version=$$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json); \
	got=$$($$bin --version); echo "$$bin --version: $$got"; \
	echo "$$got" | grep -qF "$$version" || { echo "$$bin --version does not report $$version: check the -X ldflag in .goreleaser.yaml" >&2; exit 1; }
