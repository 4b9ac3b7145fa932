# The README's two commands: `make demo` and `make test`.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2

.PHONY: build install test demo demo-stop vet lint fuzz bench ci

build:
	$(GO) build -o safesql .

install:
	$(GO) install .

# The test command CI runs (with SAFESQL_REQUIRE_PG=1).
test:
	$(GO) test -race ./...

demo: build
	./safesql demo

demo-stop: build
	./safesql demo --stop

vet:
	$(GO) vet ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzSplit -fuzztime=60s ./analyze/split/
	$(GO) test -run='^$$' -fuzz=FuzzClassify -fuzztime=60s ./analyze/

bench: build
	bash bench/compare.sh

ci:
	CI=true bash .ci/run
