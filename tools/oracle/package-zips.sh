#!/usr/bin/env bash
# Regenerates fixtures/<case>/zips.txt for the packaging fixtures: the
# entries (mode, content SHA-256, name, in archive order) of every zip the
# real Serverless Framework writes to .serverless/ for the service in
# fixtures/<case>/service/. See tools/oracle/README.md. Never run by CI.
#
# Usage: tools/oracle/package-zips.sh [case ...]
#   default: every fixtures/package_*/ and fixtures/error_package_*/
# For error_package_* cases the framework must fail; its message is saved
# as fixtures/<case>/framework-error.txt for review.
set -euo pipefail

ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$ORACLE_DIR/../.." && pwd)
FIXTURES="$ROOT/fixtures"
WORK="$ORACLE_DIR/work"
SLS="$ORACLE_DIR/node_modules/serverless/bin/serverless.js"

if [[ ! -d "$ORACLE_DIR/node_modules/serverless" ]]; then
  echo "installing oracle dependencies in $ORACLE_DIR" >&2
  (cd "$ORACLE_DIR" && npm ci --no-audit --no-fund)
fi

cases=()
if (($#)); then
  for c in "$@"; do
    c=${c%/}
    cases+=("${c##*/}")
  done
else
  for d in "$FIXTURES"/package_*/ "$FIXTURES"/error_package_*/; do
    [[ -f "$d/service/serverless.yml" ]] && cases+=("$(basename "$d")")
  done
fi

failed=0
for c in "${cases[@]}"; do
  src="$FIXTURES/$c"
  if [[ ! -f "$src/service/serverless.yml" ]]; then
    echo "no such case: fixtures/$c/service/serverless.yml" >&2
    exit 2
  fi
  dir="$WORK/$c"
  rm -rf "$dir"
  mkdir -p "$dir"
  # -a keeps symlinks, exec bits and dot files as committed.
  cp -a "$src/service/." "$dir/"
  args=(--stage dev)
  if [[ -f "$src/args" ]]; then
    mapfile -t args < <(grep -v -e '^[[:space:]]*$' -e '^#' "$src/args" || true)
  fi
  home="$WORK/.home/$c"
  rm -rf "$home"
  mkdir -p "$home"
  status=0
  (
    cd "$dir"
    env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 TZ=UTC \
      SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
      AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
      NODE_OPTIONS="--require $ORACLE_DIR/fixed-clock.js --require $ORACLE_DIR/no-stack.js" \
      node "$SLS" package "${args[@]}"
  ) >"$dir.log" 2>&1 || status=$?
  if [[ $c == error_package_* ]]; then
    if ((status == 0)); then
      echo "FAIL $c: the framework accepted it"
      failed=$((failed + 1))
      continue
    fi
    # The message, without the framework's environment footer; the
    # service's path on this machine is written <service>.
    sed -n '/Error:/,/^$/p' "$dir.log" | sed -e '/^$/d' -e "s|$dir|<service>|g" >"$src/framework-error.txt"
    echo "ok   $c (fails: $(sed -n 2p "$src/framework-error.txt"))"
    continue
  fi
  if ((status != 0)); then
    echo "FAIL $c:"
    sed 's/^/    /' "$dir.log"
    failed=$((failed + 1))
    continue
  fi
  zips=()
  while IFS= read -r z; do zips+=("$z"); done < <(find "$dir/.serverless" -maxdepth 1 -name '*.zip' | LC_ALL=C sort)
  {
    echo "# Written by tools/oracle/package-zips.sh from the framework's zips; do not edit."
    python3 "$ORACLE_DIR/list-zips.py" ${zips[@]+"${zips[@]}"}
  } >"$src/zips.txt"
  echo "ok   $c (${#zips[@]} zip(s))"
done
echo "${#cases[@]} case(s), $failed failed"
((failed == 0))
