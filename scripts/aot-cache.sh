#!/bin/sh
# Makes the AOT cache ($APP_HOME/qarnot-mcp.aot) that bin/qarnot-mcp hands to Java 25+ (JEP 483/514/515): one training
# run of the server through the launcher itself (so with the very JVM flags it starts with), which starts Camel
# fully, answers one tools/list, one tools/call without a key (the "No Qarnot API key" tool error) and one with a
# made-up key that reaches the HTTP client and finds nothing at 127.0.0.1:9 (so the call path is trained too, and
# nothing reaches Qarnot), then gets SIGTERM and drains; at exit the JVM writes the classes it
# loaded and linked and the methods' profiles into the cache. Later starts map them instead of redoing that work.
# Run at image build, after the JRE, the jar and lib/ are in their final place: the cache is only valid for that JVM
# and those exact jar files. Network: loopback only (MCP_BIND_ADDRESS=127.0.0.1, Qarnot pointed at 127.0.0.1:9).
#   APP_HOME, JAVA, MCP_MEMORY, JAVA_OPTS: as for bin/qarnot-mcp   MCP_PORT: the training run's port (default 8000)
#   MCP_AOT_CACHE: the cache to write   AOT_TRAINING_TIMEOUT: seconds the server may take to start (default 300)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd) # the checkout (scripts/..) or /app in the image (bin/..)
LAUNCHER=$ROOT/bin/qarnot-mcp
if [ -z "${APP_HOME:-}" ]; then
  if [ -f "$ROOT/target/qarnot-mcp.jar" ]; then APP_HOME=$ROOT/target; else APP_HOME=$ROOT; fi
fi
CACHE=${MCP_AOT_CACHE:-$APP_HOME/qarnot-mcp.aot}
PORT=${MCP_PORT:-8000}
TIMEOUT=${AOT_TRAINING_TIMEOUT:-300}
LOG=${TMPDIR:-/tmp}/aot-cache-training.$$.log
URL=http://127.0.0.1:$PORT

say() { echo "aot-cache: $*" >&2; }
give_up() {
  say "$1; the training run's last lines:"
  tail -n 30 "$LOG" >&2
  kill "$SERVER" 2>/dev/null || true
  exit 1
}
# busybox wget in the image, curl or wget elsewhere; prints the body, fails on no answer or an HTTP error.
http() { # url [json-body]
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -m 30 -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
      ${AUTH:+-H "Authorization: $AUTH"} ${2:+-d "$2"} "$1"
  else
    wget -q -T 30 -O - --header 'Content-Type: application/json' --header 'Accept: application/json, text/event-stream' \
      ${AUTH:+--header "Authorization: $AUTH"} ${2:+--post-data="$2"} "$1"
  fi
}

rm -f "$CACHE"
# The launcher must not map an older cache while this one is recorded. CAMEL_MAIN_DURATIONMAXSECONDS: a stop of
# last resort, should this script die before it sends SIGTERM.
APP_HOME=$APP_HOME MCP_AOT_CACHE=$CACHE.none MCP_PORT=$PORT MCP_BIND_ADDRESS=127.0.0.1 \
  QARNOT_BASE_URL=http://127.0.0.1:9 QARNOT_MAX_RETRIES=0 CAMEL_MAIN_DURATIONMAXSECONDS=$((TIMEOUT + 120)) \
  JAVA_OPTS="${JAVA_OPTS:-} -XX:AOTCacheOutput=$CACHE -Xlog:aot=warning -Xlog:cds=warning" \
  "$LAUNCHER" >"$LOG" 2>&1 &
SERVER=$!

waited=0
until http "$URL/observe/health/ready" >/dev/null 2>&1; do
  kill -0 "$SERVER" 2>/dev/null || give_up "the server exited during its start"
  [ "$waited" -lt $((TIMEOUT * 5)) ] || give_up "the server was not ready after $TIMEOUT s"
  sleep 0.2
  waited=$((waited + 1))
done
http "$URL/mcp" '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' | grep -q '"list_tasks"' \
  || give_up "tools/list did not list list_tasks"
http "$URL/mcp" '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}' \
  | grep -q 'No Qarnot API key' || give_up "the tools/call without a key did not get the no-key tool error"
# With a made-up key the call goes the whole way to the HTTP client (camel-http, HttpClient 5, the error mapping),
# which then finds nothing listening at 127.0.0.1:9: those classes are in the cache too.
AUTH="Bearer aot-training-not-a-key" http "$URL/mcp" \
  '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}' \
  | grep -q 'Could not connect to Qarnot' || give_up "the tools/call with a key did not get the cannot-connect tool error"

# SIGTERM: the server drains and exits 0; the JVM then writes the cache (an assembly run it starts and waits for).
kill -TERM "$SERVER"
rc=0
wait "$SERVER" || rc=$?
[ "$rc" -eq 0 ] || give_up "the training run exited with $rc after SIGTERM"
[ -s "$CACHE" ] || give_up "no AOT cache was written (this needs Java 25 or later)"
rm -f "$LOG"
chmod a+r "$CACHE"
say "$CACHE ($(wc -c <"$CACHE") bytes)"
