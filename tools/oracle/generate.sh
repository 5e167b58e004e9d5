#!/usr/bin/env bash
# Regenerates fixtures/<case>/plugin.json (and base.json) with the real
# Serverless Framework + serverless-step-functions pinned in package.json.
# See tools/oracle/README.md. Never run by CI.
#
# Usage: tools/oracle/generate.sh [case ...]
#   default: every fixtures/*/ that is not error_* and has a serverless.yml
# Environment:
#   ORACLE_JOBS           parallel cases (default: number of CPUs)
#   ORACLE_FIXED_TIME_MS  the frozen clock (default 2024-01-01T00:00:00Z)
set -euo pipefail

ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$ORACLE_DIR/../.." && pwd)
FIXTURES="$ROOT/fixtures"
WORK="$ORACLE_DIR/work"
SLS="$ORACLE_DIR/node_modules/serverless/bin/serverless.js"
TEMPLATE=.serverless/cloudformation-template-update-stack.json
JOBS=${ORACLE_JOBS:-$(nproc 2>/dev/null || echo 2)}

# What is copied from fixtures/<case>/ into the service directory: every
# subdirectory, serverless.yml, *.js files (handler code, JS variable
# resolvers), and any other top-level file whose name occurs in serverless.yml
# or in a file under a subdirectory (e.g. ./machines.json), except the
# reserved names below. Everything else at the top level (plugin.json,
# base.json, args, env, the Go tests' golden files) is not part of the
# service: it must not end up in the Lambda zip, whose hash names the
# AWS::Lambda::Version resources.
RESERVED_FILES=(plugin.json base.json args env no-plugin)
# Also never copied: oracle-layer-*.zip (the framework's layer zips, saved
# for the tests).

start=$(date +%s)

if [[ ! -d "$ORACLE_DIR/node_modules/serverless" || ! -d "$ORACLE_DIR/node_modules/serverless-step-functions" ]]; then
  echo "installing oracle dependencies in $ORACLE_DIR" >&2
  if [[ -f "$ORACLE_DIR/package-lock.json" ]]; then
    (cd "$ORACLE_DIR" && npm ci --no-audit --no-fund)
  else
    (cd "$ORACLE_DIR" && npm install --no-audit --no-fund)
  fi
fi

cases=()
if (($#)); then
  for c in "$@"; do
    c=${c%/}
    c=${c##*/}
    if [[ ! -f "$FIXTURES/$c/serverless.yml" ]]; then
      echo "no such case: fixtures/$c/serverless.yml" >&2
      exit 2
    fi
    cases+=("$c")
  done
else
  for d in "$FIXTURES"/*/; do
    c=$(basename "$d")
    [[ $c == error_* ]] && continue
    [[ -f "$d/no-plugin" ]] && continue # the plugin crashes on it
    [[ -f "$d/serverless.yml" ]] || continue
    cases+=("$c")
  done
fi
if ((${#cases[@]} == 0)); then
  echo "no cases under $FIXTURES" >&2
  exit 2
fi

mkdir -p "$WORK"
STATUS="$WORK/.status"
rm -rf "$STATUS"
mkdir -p "$STATUS"

# read_lines FILE: prints the non-blank lines of FILE that do not start with '#'.
read_lines() {
  grep -v -e '^[[:space:]]*$' -e '^#' "$1" || true
}

# copy_service SRC DIR: copies the service part of a fixture (see above).
copy_service() {
  local src=$1 dir=$2 p name
  local -a subdirs=()
  for p in "$src"/* "$src"/.[!.]*; do
    if [[ -d $p ]]; then subdirs+=("$p"); fi
  done
  for p in "$src"/* "$src"/.[!.]*; do
    [[ -e $p ]] || continue
    name=${p##*/}
    if [[ -d $p ]]; then
      cp -a "$p" "$dir/"
    elif [[ " ${RESERVED_FILES[*]} " == *" $name "* || $name == oracle-layer-*.zip ]]; then
      continue
    elif [[ $name == serverless.yml || $name == *.js ]] ||
      grep -qF -- "$name" "$src/serverless.yml" ||
      { ((${#subdirs[@]})) && grep -rqF -- "$name" "${subdirs[@]}"; }; then
      cp -a "$p" "$dir/"
    fi
  done
}

# package_one CASE KIND(plugin|base) DIR: packages a fresh copy of the fixture in DIR.
package_one() {
  local c=$1 kind=$2 dir=$3 src="$FIXTURES/$1"
  local -a args envs
  rm -rf "$dir"
  mkdir -p "$dir"
  copy_service "$src" "$dir"
  if grep -q '^functions:' "$dir/serverless.yml" && [[ ! -e "$dir/handler.js" ]]; then
    printf '%s\n' "'use strict';" "module.exports.hello = async () => ({});" >"$dir/handler.js"
  fi
  if [[ $kind == base ]]; then
    node "$ORACLE_DIR/strip-plugin.js" "$dir/serverless.yml" || return 1
  fi
  if [[ -f "$src/args" ]]; then
    mapfile -t args < <(read_lines "$src/args")
  else
    args=(--stage dev)
  fi
  envs=()
  if [[ -f "$src/env" ]]; then
    mapfile -t envs < <(read_lines "$src/env")
  fi
  local home="$WORK/.home/$c-$kind"
  rm -rf "$home"
  mkdir -p "$home"
  (
    cd "$dir"
    env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 TZ=UTC \
      SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
      AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
      NODE_OPTIONS="--require $ORACLE_DIR/fixed-clock.js --require $ORACLE_DIR/no-stack.js" \
      ${envs[@]+"${envs[@]}"} \
      node "$SLS" package ${args[@]+"${args[@]}"}
  ) >"$dir.log" 2>&1 && [[ -f "$dir/$TEMPLATE" ]]
}

# run_case CASE: writes plugin.json (and base.json); records ok/FAIL in $STATUS.
run_case() {
  local c=$1 src="$FIXTURES/$1"
  if ! package_one "$c" plugin "$WORK/$c"; then
    {
      echo "FAIL $c (with the plugin):"
      sed 's/^/    /' "$WORK/$c.log"
    } >"$STATUS/$c"
    return 0
  fi
  cp "$WORK/$c/$TEMPLATE" "$src/plugin.json"
  # Layer zips: the framework hashes their bytes into the template
  # (<Layer>LambdaLayerHash), so the tests need the very zip it hashed.
  rm -f "$src"/oracle-layer-*.zip
  for z in "$WORK/$c"/.serverless/*.zip; do
    [[ -e $z ]] || continue
    name=${z##*/}
    if grep -qE "^  ${name%.zip}:" <(sed -n '/^layers:/,/^[^ #]/p' "$src/serverless.yml"); then
      cp "$z" "$src/oracle-layer-$name"
    fi
  done
  if grep -q '^functions:' "$src/serverless.yml"; then
    if ! package_one "$c" base "$WORK/$c--base"; then
      {
        echo "FAIL $c (framework alone, for base.json):"
        sed 's/^/    /' "$WORK/$c--base.log"
      } >"$STATUS/$c"
      return 0
    fi
    cp "$WORK/$c--base/$TEMPLATE" "$src/base.json"
  else
    rm -f "$src/base.json"
  fi
  echo "ok   $c" >"$STATUS/$c"
}

running=0
for c in "${cases[@]}"; do
  if ((running >= JOBS)); then
    wait -n || true
    running=$((running - 1))
  fi
  run_case "$c" &
  running=$((running + 1))
done
wait

failed=0
for c in "${cases[@]}"; do
  if [[ -f "$STATUS/$c" ]]; then
    cat "$STATUS/$c"
    grep -q '^FAIL' "$STATUS/$c" && failed=$((failed + 1))
  else
    echo "FAIL $c: no result (internal error)"
    failed=$((failed + 1))
  fi
done

echo "${#cases[@]} case(s), $failed failed, $(($(date +%s) - start))s"
((failed == 0))
