#!/usr/bin/env bash
# Checks that the framework's `deploy --package DIR` accepts a folder that
# `stepform package` wrote: it runs the deploy offline, with fake AWS keys,
# and passes when the deploy gets past its package checks (the state file,
# every function's zip) and stops at its first AWS call. Never run by CI.
#
# Usage: tools/oracle/deploy-check.sh SERVICE_DIR [PACKAGE_DIR] [-- sls args]
#   PACKAGE_DIR defaults to .serverless (relative to SERVICE_DIR).
# Environment:
#   SLS_BIN  the CLI to run (default: this oracle's serverless 3.40.0;
#            e.g. node_modules/osls/bin/serverless.js of an osls 4.3.1 install)
set -euo pipefail

ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SLS_BIN=${SLS_BIN:-$ORACLE_DIR/node_modules/serverless/bin/serverless.js}
service=$1
shift
pkg=.serverless
if (($#)) && [[ $1 != -- ]]; then
  pkg=$1
  shift
fi
[[ ${1:-} == -- ]] && shift

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
log="$home/deploy.log"
(
  cd "$service"
  env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 \
    SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
    AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=fake \
    timeout 300 node "$SLS_BIN" deploy --package "$pkg" "$@"
) >"$log" 2>&1 || true

# What the deploy says when the package folder is wrong.
if grep -qE 'No .* file found in the package path you provided|Cannot read file artifact|MISSING_' "$log"; then
  echo "REJECTED: the deploy did not accept $pkg:" >&2
  sed 's/^/    /' "$log" >&2
  exit 1
fi
# The first AWS call (CloudFormation DescribeStacks) fails offline or with fake keys.
if grep -qE 'Inaccessible host|ENOTFOUND|EAI_AGAIN|security token included in the request is invalid|InvalidClientTokenId' "$log"; then
  echo "ok: the deploy accepted $pkg and stopped at its first AWS call"
  exit 0
fi
echo "UNKNOWN: the deploy ended otherwise:" >&2
sed 's/^/    /' "$log" >&2
exit 1
