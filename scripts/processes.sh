#!/usr/bin/env bash
# The reform-inbox processes (poller, parser, mailer, scheduler, ops) in the background, for the demo on local services.
#   scripts/processes.sh start | stop | status
# Settings come from the environment and $REFORM_DATA_DIR/services.env; logs and PID files go to
# $REFORM_DATA_DIR/run. Each process is stopped by its own PID file (SIGTERM, then SIGKILL after 15 s).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=${REFORM_DATA_DIR:-/var/tmp/reform-inbox-$(id -un)}
RUN=$D/run-workers
PROCESSES=(poller parser mailer scheduler ops)

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
pid_of() { [ -s "$RUN/$1.pid" ] && tr -dc '0-9' <"$RUN/$1.pid"; }

start() {
  # Built first unless dist/ is newer than every source file: a stale build is never started.
  node "$ROOT/bin/check-build.js" 2>/dev/null || (cd "$ROOT" && npm run build >/dev/null)
  mkdir -p "$RUN"
  if [ -f "$D/services.env" ]; then set -a; . "$D/services.env"; set +a; fi
  # Each worker serves its own /metrics and /healthz: poller on METRICS_PORT_BASE (9464), parser on the next
  # port, and so on; the ops process keeps HTTP_PORT.
  local port=${METRICS_PORT_BASE:-9464}
  for p in "${PROCESSES[@]}"; do
    local pid metrics_port=0
    if [ "$p" != ops ]; then metrics_port=$port; port=$((port + 1)); fi
    if pid=$(pid_of "$p") && alive "$pid"; then continue; fi
    # Each with the node flags of its start script in package.json (the pipeline's workers: a smaller young
    # generation and a tighter old one, docs/performance.md#memory), as docker-compose.yml starts them.
    local flags=()
    read -r -a flags <<<"$(node --input-type=module -e 'const { workerNodeFlags } = await import(process.argv[1]);
      console.log(workerNodeFlags(process.argv[2]).join(" "))' "$ROOT/dist/src/ops/worker-flags.js" "$p")"
    METRICS_PORT=$metrics_port LOG_PRETTY=false nohup node ${flags[@]+"${flags[@]}"} "$ROOT/dist/workers/$p.js" >>"$RUN/$p.log" 2>&1 </dev/null &
    echo $! >"$RUN/$p.pid"
  done
  echo "processes: ${PROCESSES[*]} running; logs in $RUN" >&2
}

stop() {
  for p in "${PROCESSES[@]}"; do
    local pid
    pid=$(pid_of "$p") || continue
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      local deadline=$((SECONDS + 15))
      while alive "$pid"; do
        [ $SECONDS -lt $deadline ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
        sleep 0.1
      done
    fi
    rm -f "$RUN/$p.pid"
  done
}

status() {
  local rc=0
  for p in "${PROCESSES[@]}"; do
    local pid
    if pid=$(pid_of "$p") && alive "$pid"; then printf '%-8s running (pid %s)\n' "$p" "$pid"; else printf '%-8s stopped\n' "$p"; rc=3; fi
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
