#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL set. When it is not set already, a throwaway PostgreSQL cluster is
# made for the command: Debian's server binaries, a temporary directory, a free port on 127.0.0.1, run by
# an unprivileged user (the server refuses root), stopped and removed afterwards. Durability is off: the
# cluster holds test data only.
set -euo pipefail
if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL's server is not installed (Debian: apt-get install postgresql), and TEST_DATABASE_URL is not set" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-pg.XXXXXX")
port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
