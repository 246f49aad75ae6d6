#!/usr/bin/env bash
# Starts a single-node Kafka 3.9.x (KRaft, broker+controller) on 127.0.0.1 in the background and
# waits until it answers the admin API. Works from any cwd.
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_KEEP_DATA (restart on the data kept),
#      KAFKA_RUN_DIR (deploy/kafka/run/$KAFKA_PORT), KAFKA_READY_TIMEOUT_MS (60000).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="$SCRIPT_DIR/lib"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$SCRIPT_DIR/run/$KAFKA_PORT}"
PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
LOG_DIR="$KAFKA_RUN_DIR/logs"
DATA_DIR="$KAFKA_RUN_DIR/data"
PROPS="$KAFKA_RUN_DIR/server.properties"
BROKER="127.0.0.1:$KAFKA_PORT"

now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    local t="${EPOCHREALTIME/[.,]/}"
    echo $((10#$t / 1000))
  else
    echo $(($(date +%s) * 1000))
  fi
}
T0="$(now_ms)"

# Pid from the pid file if that process is alive and is a Kafka broker (guards against pid reuse).
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

bash "$SCRIPT_DIR/fetch.sh"

if pid="$(running_pid)"; then
  if KAFKA_READY_TIMEOUT_MS="${KAFKA_READY_TIMEOUT_MS:-60000}" \
    node "$SCRIPT_DIR/wait-ready.js" "$BROKER" "$pid"; then
    echo "Kafka already running on $BROKER (pid $pid)"
    exit 0
  fi
  echo "Kafka pid $pid is alive but not answering on $BROKER; restarting it" >&2
  KAFKA_PORT="$KAFKA_PORT" KAFKA_RUN_DIR="$KAFKA_RUN_DIR" bash "$SCRIPT_DIR/stop.sh" >&2
fi

for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if port_in_use "$port"; then
    echo "Port 127.0.0.1:$port is already in use by another process (not a broker started from $KAFKA_RUN_DIR)" >&2
    exit 1
  fi
done

# Fresh run directory: old data is wiped on every start, unless KAFKA_KEEP_DATA=1 finds a broker's
# formatted data there (a restart of the same broker, as after `KAFKA_KEEP_DATA=1 stop.sh`).
case "$KAFKA_RUN_DIR" in
  "" | "/" | "$HOME" | "$SCRIPT_DIR") echo "Refusing to use KAFKA_RUN_DIR=$KAFKA_RUN_DIR" >&2; exit 1 ;;
esac
LOG4J_OPTS=(-Dlog4j.configuration="file:$SCRIPT_DIR/log4j.properties" -Dkafka.logs.dir="$LOG_DIR")
if [[ "${KAFKA_KEEP_DATA:-}" == "1" && -f "$DATA_DIR/meta.properties" && -f "$PROPS" ]]; then
  echo "Kafka on $BROKER restarts with its data in $DATA_DIR"
else
  rm -rf "$KAFKA_RUN_DIR"
  mkdir -p "$LOG_DIR" "$DATA_DIR"

  sed -e "s|\${PORT}|$KAFKA_PORT|g" \
      -e "s|\${CONTROLLER_PORT}|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|\${LOG_DIR}|$DATA_DIR|g" \
      "$SCRIPT_DIR/server.properties" >"$PROPS"

  CLUSTER_ID="$(java "${LOG4J_OPTS[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/format.log")"
  if ! java "${LOG4J_OPTS[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
    -t "$CLUSTER_ID" -c "$PROPS" --ignore-formatted >>"$LOG_DIR/format.log" 2>&1; then
    echo "Formatting Kafka storage failed:" >&2
    cat "$LOG_DIR/format.log" >&2
    exit 1
  fi
fi

# setsid: own session, so Ctrl-C in the calling terminal does not reach the broker; nohup: survives
# hangups; all streams redirected so callers capturing our output are not kept waiting.
SETSID=()
if command -v setsid >/dev/null 2>&1; then SETSID=(setsid); fi
cd "$KAFKA_RUN_DIR"
nohup "${SETSID[@]}" java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
  "${LOG4J_OPTS[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" \
  >"$LOG_DIR/console.log" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PID_FILE"

kill_broker() {
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}
trap 'kill_broker; exit 130' INT TERM

if ! KAFKA_READY_TIMEOUT_MS="${KAFKA_READY_TIMEOUT_MS:-60000}" \
  node "$SCRIPT_DIR/wait-ready.js" "$BROKER" "$PID"; then
  echo "Kafka did not become ready on $BROKER; last 50 lines of $LOG_DIR/server.log:" >&2
  tail -n 50 "$LOG_DIR/server.log" >&2 2>/dev/null || echo "(no server.log)" >&2
  if [[ -s "$LOG_DIR/console.log" ]]; then
    echo "--- last 50 lines of $LOG_DIR/console.log:" >&2
    tail -n 50 "$LOG_DIR/console.log" >&2
  fi
  kill_broker
  rm -f "$PID_FILE"
  exit 1
fi
trap - INT TERM

T1="$(now_ms)"
echo "Kafka ready on $BROKER (pid $PID, $(( (T1 - T0) / 1000 )).$(( (T1 - T0) % 1000 / 100 ))s)"
