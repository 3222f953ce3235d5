#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432, database "test") and the redis-server binary are there for
# the service tests: start what is installed but stopped; with --install, install what is missing
# (Debian packages, as root). Prints the MODSCREEN_TEST_POSTGRES URL to use on its last line.
set -euo pipefail
install=false
[ "${1:-}" = "--install" ] && install=true
url="${MODSCREEN_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}"

have_apt_updated=false
apt_install() {
  $have_apt_updated || { apt-get update -qq; have_apt_updated=true; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v redis-server >/dev/null; then
  if $install; then apt_install redis-server; else echo "redis-server is not installed (apt-get install redis-server)" >&2; fi
fi
# the default local Redis is used by `modscreen worker` and the benchmarks, not by the tests
if command -v redis-server >/dev/null && ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp >/dev/null 2>&1 || true
fi

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    if $install; then apt_install postgresql; else echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; fi
  fi
  if ls /etc/postgresql/*/main >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if pg_up && ! psql "$url" -c "select 1" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # a fresh Debian cluster: give the postgres role a password and create the test database
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  su postgres -c "createdb test" 2>/dev/null || true
  url="postgresql://postgres:postgres@127.0.0.1:5432/test"
fi
echo "$url"
