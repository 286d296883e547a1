# Sourced by ci/demo, ci/test and fixtures/make-archives.sh: a throwaway
# PostgreSQL 15 server in a temp dir (socket in that dir, no TCP), run as the
# `postgres` user when we are root. The caller must install a trap that calls
# pg_server_stop (the functions never leave a server running on failure).
#
#   pg_server_start DIR      initdb DIR/data, start; sets PGHOST/PGPORT/PGUSER
#   pg_server_stop DIR       stop it (immediate) if it runs; safe to call twice

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_server_start() {
  local dir=$1 port=${2:-54329}
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  chmod 755 "$dir"
  pg_as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  pg_as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null ||
    { cat "$dir/server.log" >&2; return 1; }
  export PGHOST=$dir PGPORT=$port PGUSER=postgres
}

pg_server_stop() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}
