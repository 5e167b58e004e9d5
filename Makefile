# stepform's everyday commands. `make test` is what CI runs.
GO ?= go
FUZZTIME ?= 20s

.PHONY: build test velocity graphcheck fuzz bench lint fixtures

# The tag leaves out urfave/cli's man-page generator, unused, whose
# Markdown parser's initialisation every run would pay for (see README).
build:
	$(GO) build -tags urfave_cli_no_docs -o stepform ./cmd/stepform

# Unit, golden and CLI tests, then a short fuzz run of loading and compiling.
test: velocity graphcheck
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test ./compiler -run '^$$' -fuzz FuzzCompile -fuzztime $(FUZZTIME)

# The mapping-template tests need Apache Velocity 1.7 and a JDK: installs
# Debian's velocity package when it is missing and it can, else says why not.
velocity:
	@sh tools/vtl/require-velocity.sh

# The graph tests render DOT with Graphviz and parse Mermaid with
# Mermaid's parser: installs Debian's graphviz package and the pinned npm
# package when missing and it can, else says why not.
graphcheck:
	@sh tools/graphcheck/require.sh

fuzz:
	$(GO) test ./compiler -run '^$$' -fuzz FuzzCompile -fuzztime 5m

bench:
	$(GO) test ./... -run '^$$' -bench . -benchmem

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Regenerate fixtures/*/plugin.json (and base.json) from the real plugin,
# and fixtures/package_*/zips.txt from the framework's zips.
# Needs Node and the npm registry; CI never runs it.
fixtures:
	tools/oracle/generate.sh
	tools/oracle/package-zips.sh
