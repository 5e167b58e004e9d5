#!/bin/sh
# Makes sure the graph syntax tests (compiler/graph) can run: they render
# DOT with Graphviz (Debian's graphviz package) and parse Mermaid with
# Mermaid's own parser (the npm package pinned in package-lock.json,
# installed into tools/graphcheck/node_modules). `make test` runs this
# first. It installs what is missing when it can (graphviz as root with
# apt-get; mermaid with npm ci); otherwise it says what to do and fails.
set -eu

dir=$(dirname "$0")

if ! command -v dot >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		echo "dot is missing: installing Debian's graphviz package for the graph tests" >&2
		export DEBIAN_FRONTEND=noninteractive
		# A fresh machine has no package lists yet.
		apt-get install -y -qq --no-install-recommends graphviz >/dev/null 2>&1 ||
			{ apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz >/dev/null; }
	fi
	if ! command -v dot >/dev/null 2>&1; then
		echo "dot is missing: the graph tests render DOT with Graphviz." >&2
		echo "Install Debian's graphviz package (apt-get install graphviz, as root), or Graphviz from your system's packages." >&2
		exit 1
	fi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "node or npm is missing: the graph tests check Mermaid output with Mermaid's parser (Node 18 or later)." >&2
	exit 1
fi
# npm ci again whenever the lock file changed since the last install.
if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.stepform-lock" 2>/dev/null; then
	echo "installing Mermaid's parser for the graph tests (npm ci in $dir)" >&2
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	cp "$dir/package-lock.json" "$dir/node_modules/.stepform-lock"
fi
