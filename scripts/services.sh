#!/usr/bin/env bash
# Local services for the demo and the tests: PostgreSQL, Redis, Dovecot (IMAP) and an SMTP capture server,
# each a private instance on 127.0.0.1 with its data under $REFORM_DATA_DIR. Works as root and as a normal user.
#   scripts/services.sh up | down | status | env | install   [SERVICE...]
# SERVICE is pg, redis, dovecot or smtp; without one, every service (`env` always writes them all). `up pg` is
# what the operations tests need. Every process is stopped by its own PID file, never by name. `up` is idempotent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Under /var/tmp by default: the postgres and dovecot users must traverse it even when the checkout sits in a
# private (0700) home and this runs as root.
D=${REFORM_DATA_DIR:-/var/tmp/reform-inbox-$(id -un)}
PG_PORT=${REFORM_PG_PORT:-54329}
REDIS_PORT=${REFORM_REDIS_PORT:-6390}
IMAP_PORT=${REFORM_IMAP_PORT:-1143}
SMTP_PORT=${REFORM_SMTP_PORT:-2525}
PG_USER=${REFORM_PG_USER:-reform}
PG_DB=${REFORM_PG_DB:-reform}
INBOX_USER=${IMAP_USER:-phongcchc_sonv}
INBOX_PASSWORD=${IMAP_PASSWORD:-reform-dev}
STAFF_USER=${REFORM_STAFF_IMAP_USER:-staff}
STAFF_PASSWORD=${REFORM_STAFF_IMAP_PASSWORD:-staff-dev}

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A zombie (not yet reaped in a container without init) counts as stopped.
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
pid_of() { [ -s "$1" ] && head -1 "$1" | tr -dc '0-9'; }

wait_for() { # wait_for DESCRIPTION SECONDS COMMAND...
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

ALL_SERVICES=(pg redis dovecot smtp)
SERVICES=("${ALL_SERVICES[@]}")
wanted() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

missing_packages() {
  local m=()
  if wanted pg; then
    [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || m+=(postgresql)
  fi
  if wanted redis; then command -v redis-server >/dev/null || m+=(redis-server); fi
  if wanted dovecot; then [ -x /usr/sbin/dovecot ] || m+=(dovecot-imapd); fi
  if wanted pg; then command -v psql >/dev/null || m+=(postgresql-client); fi
  printf '%s\n' "${m[@]}"
}

install() {
  local missing
  missing=$(missing_packages | xargs)
  [ -z "$missing" ] && return 0
  if is_root; then
    log "installing Debian packages: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    die "missing packages; run: sudo apt-get install -y --no-install-recommends $missing"
  fi
}

as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_up() {
  local bin; bin=$(pg_bin)
  mkdir -p "$D/postgres"
  is_root && chown postgres:postgres "$D/postgres"
  if [ ! -f "$D/postgres/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$D/postgres/data" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if ! pg_running; then
    as_pg "$bin/pg_ctl" -D "$D/postgres/data" -l "$D/postgres/postgres.log" -w -t 30 -o \
      "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $D/postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start </dev/null >/dev/null 2>>"$D/postgres/pg_ctl.log" || { tail -20 "$D/postgres/postgres.log" >&2; die "postgres did not start"; }
  fi
  psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database \"$PG_DB\"" >/dev/null
}
pg_running() { local p; p=$(pid_of "$D/postgres/data/postmaster.pid") && alive "$p"; }

redis_up() {
  mkdir -p "$D/redis"
  redis_running && return 0
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$D/redis" --save '' --appendonly no --daemonize yes \
    --pidfile "$D/redis/redis.pid" --logfile "$D/redis/redis.log" </dev/null >>"$D/redis/redis.log" 2>&1
  # With --daemonize a failed bind still exits 0: wait for a real PONG.
  wait_for redis 10 redis_ping || { tail -5 "$D/redis/redis.log" >&2; die "redis did not answer PING"; }
}
redis_running() { local p; p=$(pid_of "$D/redis/redis.pid") && alive "$p"; }
redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

dovecot_up() {
  mkdir -p "$D/dovecot/run" "$D/dovecot/state" "$D/dovecot/mail"
  local login internal group run_user run_group chroot
  if is_root; then
    login=dovenull internal=dovecot group=dovecot run_user=nobody run_group=nogroup chroot=login
    chown nobody:nogroup "$D/dovecot/mail"
  else
    login=$(id -un) internal=$(id -un) group=$(id -gn) run_user=$(id -un) run_group=$(id -gn) chroot=
  fi
  # Users: the reform inbox and a staff mailbox. Tests append their own users; passwd-file is re-read on change.
  if [ ! -f "$D/dovecot/users" ]; then
    printf '%s:{PLAIN}%s\n%s:{PLAIN}%s\n' "$INBOX_USER" "$INBOX_PASSWORD" "$STAFF_USER" "$STAFF_PASSWORD" >"$D/dovecot/users"
  fi
  chmod 0644 "$D/dovecot/users"
  sed -e "s|@DIR@|$D/dovecot|g" -e "s|@PORT@|$IMAP_PORT|g" -e "s|@LOGINUSER@|$login|g" \
    -e "s|@INTERNALUSER@|$internal|g" -e "s|@INTERNALGROUP@|$group|g" -e "s|@RUNUSER@|$run_user|g" \
    -e "s|@RUNGROUP@|$run_group|g" -e "s|@CHROOT@|$chroot|g" "$ROOT/scripts/dovecot.conf.in" >"$D/dovecot/dovecot.conf"
  dovecot_running && return 0
  # Daemons must not keep the caller's stdout/stderr open, or a caller that reads them never sees the end.
  /usr/sbin/dovecot -c "$D/dovecot/dovecot.conf" </dev/null >>"$D/dovecot/startup.log" 2>&1 ||
    { tail -20 "$D/dovecot/startup.log" >&2; die "dovecot did not start"; }
  wait_for imap 10 port_open "$IMAP_PORT" || { tail -20 "$D/dovecot/dovecot.log" >&2; die "dovecot did not listen"; }
}
dovecot_running() { local p; p=$(pid_of "$D/dovecot/run/master.pid") && alive "$p"; }

smtp_up() {
  mkdir -p "$D/smtp/outbox"
  smtp_running && return 0
  nohup node "$ROOT/scripts/smtp-sink.mjs" --port "$SMTP_PORT" --dir "$D/smtp/outbox" \
    >>"$D/smtp/sink.log" 2>&1 </dev/null &
  echo $! >"$D/smtp/sink.pid"
  wait_for smtp 10 port_open "$SMTP_PORT" || { tail -20 "$D/smtp/sink.log" >&2; die "smtp sink did not listen"; }
}
smtp_running() { local p; p=$(pid_of "$D/smtp/sink.pid") && alive "$p"; }

write_env() {
  cat >"$D/services.env" <<ENV
DATABASE_URL=postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
IMAP_HOST=127.0.0.1
IMAP_PORT=$IMAP_PORT
IMAP_USER=$INBOX_USER
IMAP_PASSWORD=$INBOX_PASSWORD
SMTP_HOST=127.0.0.1
SMTP_PORT=$SMTP_PORT
REFORM_DATA_DIR=$D
ENV
}

check_ports_free() {
  local name port running
  for spec in "pg:$PG_PORT:pg_running:pg" "redis:$REDIS_PORT:redis_running:redis" "imap:$IMAP_PORT:dovecot_running:dovecot" "smtp:$SMTP_PORT:smtp_running:smtp"; do
    IFS=: read -r name port running service <<<"$spec"
    wanted "$service" || continue
    if ! $running && port_open "$port"; then
      die "port $port for $name is taken by a process that is not ours (set REFORM_${name^^}_PORT to another port)"
    fi
  done
}

up() {
  install
  mkdir -p "$D"
  chmod 0755 "$D"
  check_ports_free
  local started=()
  if wanted pg; then pg_up; started+=("postgres :$PG_PORT"); fi
  if wanted redis; then redis_up; started+=("redis :$REDIS_PORT"); fi
  if wanted dovecot; then dovecot_up; started+=("imap :$IMAP_PORT"); fi
  if wanted smtp; then smtp_up; started+=("smtp :$SMTP_PORT"); fi
  write_env
  local list
  list=$(printf '%s, ' "${started[@]}")
  log "up: ${list}data in $D"
}

stop_pid() { # stop_pid NAME PID SIGNAL
  local name=$1 pid=$2 sig=$3
  alive "$pid" || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while alive "$pid"; do
    if [ $SECONDS -ge $deadline ]; then
      log "$name (pid $pid) did not stop; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
  done
}

down() {
  local p
  # The reform-inbox processes first, so none of them outlives its services.
  REFORM_DATA_DIR=$D bash "$ROOT/scripts/processes.sh" stop || true
  if wanted smtp; then
    if p=$(pid_of "$D/smtp/sink.pid"); then stop_pid smtp "$p" TERM; fi
    rm -f "$D/smtp/sink.pid"
  fi
  if wanted dovecot && p=$(pid_of "$D/dovecot/run/master.pid"); then stop_pid dovecot "$p" TERM; fi
  if wanted redis; then
    if p=$(pid_of "$D/redis/redis.pid"); then stop_pid redis "$p" TERM; fi
    rm -f "$D/redis/redis.pid"
  fi
  if wanted pg && p=$(pid_of "$D/postgres/data/postmaster.pid"); then stop_pid postgres "$p" INT; fi
  log "down${1:+ $1} (data kept in $D; remove it with: rm -rf $D)"
}

status() {
  local rc=0 name
  for name in "${SERVICES[@]}"; do
    if "${name}_running"; then printf '%-8s running\n' "$name"; else printf '%-8s stopped\n' "$name"; rc=3; fi
  done
  printf 'data     %s\n' "$D"
  return $rc
}

usage() { echo "usage: $0 up|down|status|env|install [pg|redis|dovecot|smtp]..." >&2; exit 64; }
command=${1:-}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then
  for s in "$@"; do [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || usage; done
  SERVICES=("$@")
fi

case "$command" in
  up) up ;;
  down) down "$*" ;;
  status) status ;;
  env) write_env; cat "$D/services.env" ;;
  install) install ;;
  *) usage ;;
esac
