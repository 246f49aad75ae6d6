#!/usr/bin/env bash
# Stops the broker started by start.sh (SIGTERM, then SIGKILL after 30 s) and removes its run
# directory unless KAFKA_KEEP_DATA=1. Exits 0 if nothing was running.
# Env: KAFKA_PORT (9092), KAFKA_RUN_DIR (deploy/kafka/run/$KAFKA_PORT), KAFKA_KEEP_DATA.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$SCRIPT_DIR/run/$KAFKA_PORT}"
PID_FILE="$KAFKA_RUN_DIR/kafka.pid"

remove_run_dir() {
  if [[ "${KAFKA_KEEP_DATA:-}" != "1" && -d "$KAFKA_RUN_DIR" ]]; then
    case "$KAFKA_RUN_DIR" in
      "" | "/" | "$HOME" | "$SCRIPT_DIR") echo "Refusing to remove KAFKA_RUN_DIR=$KAFKA_RUN_DIR" >&2; exit 1 ;;
    esac
    rm -rf "$KAFKA_RUN_DIR"
  fi
}

pid=""
if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
fi

# Only signal the pid if it is still a Kafka broker (the pid may have been reused).
if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null \
  || ! ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'; then
  echo "Kafka not running on 127.0.0.1:$KAFKA_PORT"
  rm -f "$PID_FILE"
  remove_run_dir
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 150); do # 150 x 0.2 s = 30 s
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
  echo "Kafka pid $pid did not stop within 30 s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
fi

rm -f "$PID_FILE"
remove_run_dir
echo "Kafka stopped on 127.0.0.1:$KAFKA_PORT (pid $pid)"
