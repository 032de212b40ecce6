#!/usr/bin/env bash
# A real single-node OpenSearch for the tests and for trying the sink locally.
#
#   scripts/opensearch.sh start    fetch (once) and start a node, wait until it answers, print its URL
#   scripts/opensearch.sh stop     stop the node this script started on that port
#   scripts/opensearch.sh status   print the URL and cluster health, exit 1 when not running
#
# The distribution is OpenSearch's minimal server zip from Maven Central
# (org.opensearch.distribution.integ-test-zip:opensearch, no bundled JDK, no
# security plugin), fetched with Maven into .cache/opensearch/ (ignored by
# git): a second start downloads nothing. 2.19.x is the newest line that runs
# on Java 17; 3.x needs Java 21.
#
# Environment: OPENSEARCH_PORT (9200), OPENSEARCH_VERSION (2.19.6),
# OPENSEARCH_HEAP (512m), OPENSEARCH_JAVA_HOME (the JDK that runs `java`),
# OPENSEARCH_HOME (where the node's data, logs and pid live; per port under
# ${TMPDIR:-/tmp}), OPENSEARCH_SETTINGS (more -E settings, space-separated).
#
# OpenSearch refuses to run as root: run as root, the script runs the node as
# the system user `jizo-opensearch`, created when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${OPENSEARCH_VERSION:-2.19.6}"
PORT="${OPENSEARCH_PORT:-9200}"
HEAP="${OPENSEARCH_HEAP:-512m}"
CACHE="$ROOT/.cache/opensearch"
DIST="$CACHE/opensearch-$VERSION"
RUN="${OPENSEARCH_HOME:-${TMPDIR:-/tmp}/jizo-opensearch-$PORT}"
PIDFILE="$RUN/opensearch.pid"
URL="http://127.0.0.1:$PORT"
RUN_AS="jizo-opensearch"

say() { printf 'opensearch.sh: %s\n' "$*" >&2; }

java_home() {
  if [[ -n "${OPENSEARCH_JAVA_HOME:-}" ]]; then echo "$OPENSEARCH_JAVA_HOME"; return; fi
  if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME"; return; fi
  local java
  java="$(command -v java)" || { say "no java on the PATH: install a JDK 17 (apt-get install -y openjdk-17-jre-headless)"; exit 1; }
  dirname "$(dirname "$(readlink -f "$java")")"
}

fetch() {
  [[ -x "$DIST/bin/opensearch" ]] && return
  mkdir -p "$CACHE"
  local zip="$CACHE/opensearch-$VERSION.zip"
  if [[ ! -s "$zip" ]]; then
    command -v mvn >/dev/null || { say "Maven (mvn) is needed once to fetch OpenSearch $VERSION"; exit 1; }
    say "fetching org.opensearch.distribution.integ-test-zip:opensearch:$VERSION:zip with Maven"
    mvn -q -B dependency:copy \
      "-Dartifact=org.opensearch.distribution.integ-test-zip:opensearch:$VERSION:zip" \
      "-DoutputDirectory=$CACHE" >&2
  fi
  rm -rf "$DIST.tmp"
  mkdir -p "$DIST.tmp"
  unzip -q "$zip" -d "$DIST.tmp"
  mv "$DIST.tmp/opensearch-$VERSION" "$DIST"
  rm -rf "$DIST.tmp"
}

# The node started for this port: the pid file's process when it is still an
# OpenSearch JVM (not a recycled pid), else (a node still bootstrapping has
# no pid file yet) the OpenSearch JVM whose data path is this node's.
running_pid() {
  local pid
  if [[ -s "$PIDFILE" ]]; then
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null && grep -q 'org.opensearch.bootstrap.OpenSearch' "/proc/$pid/cmdline" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  fi
  pid="$(pgrep -f -- "org.opensearch.bootstrap.OpenSearch.*-Epath.data=$RUN/data( |\$)" | head -n 1 || true)"
  [[ -n "$pid" ]] && { echo "$pid"; return 0; }
  return 1
}

healthy() {
  curl -fsS "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

start() {
  if running_pid >/dev/null; then
    healthy && { echo "$URL"; return; }
  elif healthy; then
    say "port $PORT answers but not with a node this script started ($PIDFILE): use OPENSEARCH_PORT"
    exit 1
  fi
  fetch
  local jh user=""
  jh="$(java_home)"
  mkdir -p "$RUN/data" "$RUN/logs" "$RUN/config"
  # each node gets its own copy of the configuration: the node writes its keystore there
  cp -r "$DIST/config/." "$RUN/config/"
  # the launcher runs from the distribution's folder: point the JVM's relative log and dump paths at this node's
  sed -i -e "s#file=logs/#file=$RUN/logs/#" -e "s#ErrorFile=logs/#ErrorFile=$RUN/logs/#" \
    -e "s#HeapDumpPath=data#HeapDumpPath=$RUN/data#" "$RUN/config/jvm.options"
  if [[ "$(id -u)" == 0 ]]; then
    id "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
    chown -R "$RUN_AS" "$RUN"
    user="$RUN_AS"
    # the node must be able to read the distribution
    chmod -R a+rX "$CACHE"
  fi
  local settings=(
    -Ediscovery.type=single-node
    -Enetwork.host=127.0.0.1
    "-Ehttp.port=$PORT"
    -Etransport.port=0
    "-Epath.data=$RUN/data"
    "-Epath.logs=$RUN/logs"
    # tests run on machines with little free disk: never turn indices read-only for it
    -Ecluster.routing.allocation.disk.threshold_enabled=false
    -Eaction.auto_create_index=true
  )
  # shellcheck disable=SC2206
  [[ -n "${OPENSEARCH_SETTINGS:-}" ]] && settings+=(${OPENSEARCH_SETTINGS})
  local env=(
    "OPENSEARCH_JAVA_HOME=$jh"
    "OPENSEARCH_PATH_CONF=$RUN/config"
    "OPENSEARCH_JAVA_OPTS=-Xms$HEAP -Xmx$HEAP -XX:-HeapDumpOnOutOfMemoryError"
  )
  say "starting OpenSearch $VERSION on $URL (heap $HEAP, data in $RUN)"
  local t0=$SECONDS
  local launch=(env "${env[@]}" "$DIST/bin/opensearch" -d -p "$PIDFILE" "${settings[@]}")
  [[ -n "$user" ]] && launch=(runuser -u "$user" -- "${launch[@]}")
  # the daemon keeps no descriptor of ours: not the lock (9), not a caller's pipe
  "${launch[@]}" </dev/null >"$RUN/stdout.log" 2>&1 9>&- ||
    { say "the node did not start:"; tail -n 30 "$RUN/stdout.log" >&2; exit 1; }
  for _ in $(seq 1 240); do
    if healthy; then
      say "ready in $((SECONDS - t0)) s"
      echo "$URL"
      return
    fi
    # the node writes its pid file once bootstrapped: a pid file whose process is gone means it died
    if [[ -s "$PIDFILE" ]] && ! running_pid >/dev/null; then break; fi
    sleep 0.5
  done
  say "the node did not become ready; last lines of its log:"
  tail -n 30 "$RUN/logs/opensearch.log" "$RUN/stdout.log" >&2 2>/dev/null || true
  stop || true
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "no node started by this script on port $PORT"
    rm -f "$PIDFILE"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped ($pid)"; return 0; }
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  say "killed ($pid) after 30 s"
}

status() {
  if running_pid >/dev/null && healthy; then
    echo "$URL"
    curl -fsS "$URL/_cluster/health" >&2
    echo >&2
    return 0
  fi
  say "not running on port $PORT"
  return 1
}

# one start or stop at a time per port (test files call start concurrently)
mkdir -p "$(dirname "$RUN")"
exec 9>"$RUN.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
