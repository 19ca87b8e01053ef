#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks (docs/postgres.md).
#
#   scripts/test-postgres.sh install      Debian's server package, when it is missing (as root)
#   scripts/test-postgres.sh start [DIR]  new cluster in DIR (default: a new temporary folder);
#                                         prints shell lines to eval:
#                                           export ANNOTATOR_TEST_PG=postgresql://...
#                                           export ANNOTATOR_TEST_PG_DIR=DIR
#   scripts/test-postgres.sh stop DIR     stop the cluster and delete DIR
#   scripts/test-postgres.sh crash DIR    stop it as a power cut would (pg_ctl stop -m immediate)
#   scripts/test-postgres.sh resume DIR   start a stopped cluster again, on the same port
#
# The superuser `postgres` reaches the cluster over a Unix socket in DIR without a password
# (trust: DIR is private); every other role logs in over TCP on 127.0.0.1 with a SCRAM password,
# as a team's desktops do. initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` system user and every server program runs through runuser.
set -euo pipefail

die() { echo "test-postgres: $*" >&2; exit 1; }

bindir() {
  local dir
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  die "no PostgreSQL server found (initdb); Debian: apt-get install postgresql"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_install() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then return; fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL is missing: sudo apt-get install postgresql"
  echo "test-postgres: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  # The package may start its default cluster; the tests use their own, so it stays stopped.
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | awk '$4 == "online" {print $1, $2}' |
      while read -r version cluster; do pg_ctlcluster "$version" "$cluster" stop || true; done
  fi
}

cmd_start() {
  local bin dir port
  bin=$(bindir)
  # /tmp, not a root-only parent: the postgres user must be able to reach the folder.
  dir=${1:-$(mktemp -d /tmp/annotator-pg.XXXXXX)}
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" --username=postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  port=$(free_port)
  echo "$port" >"$dir/port"
  run_server "$bin" "$dir" "$port"
  echo "export ANNOTATOR_TEST_PG='postgresql://postgres@/postgres?host=$dir&port=$port'"
  echo "export ANNOTATOR_TEST_PG_DIR='$dir'"
}

run_server() {
  local bin=$1 dir=$2 port=$3
  # fsync stays on: the benchmarks' commit times must be a real server's.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "the server did not start"; }
}

cmd_crash() {
  local dir=${1:?crash needs the cluster folder}
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
}

cmd_resume() {
  local dir=${1:?resume needs the cluster folder}
  run_server "$(bindir)" "$dir" "$(cat "$dir/port")"
}

cmd_stop() {
  local dir=${1:?stop needs the cluster folder}
  [ -d "$dir/data" ] || die "$dir holds no cluster"
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  crash) shift; cmd_crash "$@" ;;
  resume) shift; cmd_resume "$@" ;;
  *) die "usage: $0 install | start [DIR] | stop DIR | crash DIR | resume DIR" ;;
esac
