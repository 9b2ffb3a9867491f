#!/usr/bin/env bash
# Restores, builds and runs the whole test suite from a fresh clone. It starts a throwaway PostgreSQL
# (temp data dir, free port, stopped on exit even on failure) for the durable-store tests, and a real OpenID
# provider (tests/oidc, oidc-provider from npm, installed here) for the identity-provider tests, and the object-store
# emulators (tests/storage: Azurite for Azure Blob, s3rver for S3, from npm) for the storage-provider tests. The doc-example
# tests run the docs' shell examples, which need curl and jq (installed with apt when missing and run as root); the
# browser tests need Debian's Chromium (installed with apt, as root or with sudo, when missing; never skipped).
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Jobs".
set -euo pipefail
cd "$(dirname "$0")"

work=$(mktemp -d "${TMPDIR:-/tmp}/asyncfacade-test.XXXXXX")
chmod 755 "$work"
pg="$work/pg" # owned by the server's account: data, socket and log
pgdata="$pg/data"
pgbin=""
oidc_pid=""
azurite_pid=""
s3_pid=""
run_as_pg() { "$@"; }

cleanup() {
  if [ -n "$pgbin" ] && [ -f "$pgdata/postmaster.pid" ]; then
    run_as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  for pid in "$oidc_pid" "$azurite_pid" "$s3_pid"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${status:-0}" -ne 0 ] && [ -d "$work" ]; then for log in "$work"/*.log; do [ -f "$log" ] && { echo "== $(basename "$log") (last lines)"; tail -n 20 "$log"; }; done; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

find_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_postgres() {
  pgbin=$(find_pgbin)
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "== installing PostgreSQL (server binaries not found)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      pgbin=$(find_pgbin)
    fi
    [ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
  fi

  # initdb refuses to run as root: use an unprivileged account for the server.
  if [ "$(id -u)" = 0 ]; then
    local user=asyncfacade-pg
    id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    run_as_pg() { runuser -u asyncfacade-pg -- "$@"; }
    mkdir -p "$pg" && chown "$user" "$pg"
  else
    mkdir -p "$pg"
  fi

  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || shuf -i 20000-60000 -n 1)
  run_as_pg "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
  # Durability settings off: this database lives for one test run.
  run_as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pg/postgres.log" -w -t 60 start -o \
    "-p $port -k $pg -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
    || { cat "$pg/postgres.log" >&2; exit 1; }
  export ASYNCFACADE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export ASYNCFACADE_TEST_PGBIN="$pgbin"
  echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# The test OpenID provider: oidc-provider pinned by tests/oidc/package-lock.json, installed from the npm registry
# into tests/oidc/node_modules (again only when the lock file changed), one process per run on a free port.
start_oidc() {
  local dir=tests/oidc
  command -v node >/dev/null && command -v npm >/dev/null \
    || { echo "Node.js (20 or later) and npm are needed for the OpenID provider tests (tests/oidc)" >&2; exit 1; }
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "== installing the test OpenID provider (npm ci in $dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  node "$dir/provider.mjs" --port 0 --port-file "$work/oidc.port" >"$work/oidc.log" 2>&1 &
  oidc_pid=$!
  wait_for "$oidc_pid" "$work/oidc.log" "The test OpenID provider" test -s "$work/oidc.port"
  export ASYNCFACADE_TEST_OIDC="http://127.0.0.1:$(cat "$work/oidc.port")"
  echo "== OpenID provider (oidc-provider $(node -p "require('./$dir/node_modules/oidc-provider/package.json').version")) on $ASYNCFACADE_TEST_OIDC"
}

# Waits until the command after PID LOG WHAT succeeds while PID lives (30 s at most); on failure prints LOG and names WHAT.
wait_for() {
  local pid=$1 log=$2 what=$3 waited=0
  shift 3
  until "$@" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 300 ]; then
      cat "$log" >&2
      echo "$what did not start" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# The object-store emulators, pinned by tests/storage/package-lock.json, one process each per run on free ports,
# each with a throwaway directory: Azurite (Microsoft's Azure Storage emulator; blob service only) and s3rver.
start_storage_emulators() {
  local dir=tests/storage
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "== installing the storage emulators (npm ci in $dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  mkdir -p "$work/azurite" "$work/s3"
  # --skipApiVersionCheck: the SDK may speak a newer service version than this Azurite knows; --loose accepts headers
  # Azurite does not implement instead of failing the request.
  "$dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort 0 --location "$work/azurite" \
    --skipApiVersionCheck --loose --disableTelemetry >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  wait_for "$azurite_pid" "$work/azurite.log" "Azurite" grep -q 'successfully listens on' "$work/azurite.log"
  local blob_url
  blob_url=$(grep -o 'successfully listens on http://[0-9.:]*' "$work/azurite.log" | head -n 1 | awk '{print $4}')
  # Azurite's documented development account (devstoreaccount1 and its well-known key).
  export ASYNCFACADE_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=$blob_url/devstoreaccount1;"
  echo "== Azurite $(node -p "require('./$dir/node_modules/azurite/package.json').version") on $blob_url"

  # s3rver makes its ListObjects continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
  node --openssl-legacy-provider "$dir/s3rver.mjs" --dir "$work/s3" --port-file "$work/s3.port" >"$work/s3rver.log" 2>&1 &
  s3_pid=$!
  wait_for "$s3_pid" "$work/s3rver.log" "The S3 server (s3rver)" test -s "$work/s3.port"
  export ASYNCFACADE_TEST_S3="http://127.0.0.1:$(cat "$work/s3.port")"
  echo "== s3rver $(node -p "require('./$dir/node_modules/s3rver/package.json').version") on $ASYNCFACADE_TEST_S3"
}

# The browser tests (tests/AsyncFacade.Tests/Browser) drive Debian's Chromium with Playwright .NET (its bundled driver;
# Playwright's own browser download cannot work here, so it is never called). Installed with apt when missing.
ensure_chromium() {
  local chromium=/usr/bin/chromium
  if [ ! -x "$chromium" ]; then
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
        echo "Chromium ($chromium) is needed for the browser tests (tests/AsyncFacade.Tests/Browser) and cannot be installed" \
          "without root: run apt-get install chromium as root" >&2
        exit 1
      fi
    fi
    echo "== installing Chromium (for the browser tests)"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
      || { echo "installing Debian's chromium failed: the browser tests need $chromium" >&2; exit 1; }
    [ -x "$chromium" ] || { echo "apt-get installed chromium but $chromium is missing: the browser tests need it" >&2; exit 1; }
  fi
  export ASYNCFACADE_TEST_CHROMIUM="$chromium"
  echo "== $("$chromium" --version 2>/dev/null | head -n 1)"
}

# tests/AsyncFacade.Tests/Docs runs README.md's and docs/*.md's shell examples: they use curl and jq.
check_example_tools() {
  command -v curl >/dev/null && command -v jq >/dev/null && return
  if [ "$(id -u)" = 0 ]; then
    echo "== installing curl and jq (for the doc examples)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl jq >/dev/null
  fi
  command -v curl >/dev/null && command -v jq >/dev/null \
    || { echo "curl and jq are needed for the doc-example tests (tests/AsyncFacade.Tests/Docs): install them, e.g. apt-get install curl jq" >&2; exit 1; }
}

echo "== restore and build"
dotnet build AsyncFacade.sln -c Release -nologo -v quiet -clp:ErrorsOnly

start_postgres
start_oidc
start_storage_emulators
check_example_tools
ensure_chromium

echo "== tests"
# One test project after the other (each starts real servers; together they would fight over two cores).
status=0
for project in tests/AsyncFacade.Tests tests/AsyncFacade.Client.Tests; do
  set +e
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$(basename "$project").trx" --results-directory "$work/results" \
    --blame-hang-timeout 5m "$@"
  project_status=$?
  set -e
  [ "$project_status" -eq 0 ] || status=$project_status
done

passed=0
failed=0
found=0
for trx in "$work"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  [ -n "$p" ] || continue
  found=1
  passed=$((passed + p))
  failed=$((failed + ${f:-0}))
done
if [ "$found" -eq 0 ]; then
  failed=1 # no results at all: the run itself broke
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without a failing test (crash, hang): never report green
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
