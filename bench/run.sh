#!/usr/bin/env bash
# Benchmark: what a tool call costs, side by side with the upstream's own limit. One command, about 2 minutes:
#
#   bench/run.sh
#
# 1. builds the server (mvn package) and starts a fast local Qarnot stand-in (bench/StandIn.java, Vert.x) that
#    answers list_tasks' request (POST /tasks/summaries/paginate) with a fixed 20-task page;
# 2. start-up: process start to the first successful tools/call, started as the README and the image start it
#    (bin/qarnot-mcp, MCP_MEMORY=512m standing in for a 512 MiB container, with the AOT cache on Java 25+);
# 3. the stand-in called directly, then tools/call list_tasks through the server, at concurrency 1, 16 and 64,
#    with wrk and bench/mcp-call.lua (every reply must be HTTP 200, no JSON-RPC error, isError false);
# 4. resident memory (VmRSS) idle and under load;
# 5. waits held (bench/Waits.java): concurrent wait_for_task calls (1,000, 2,500, 5,000, then 10,000) against the
#    stand-in's task that never ends (each poll answered after 100 ms), as long as a list_tasks sent meanwhile still
#    answers with p99 under 50 ms; RSS and thread count at each level;
# 6. prints a Markdown table and writes bench/results/latest.json.
#
# All traffic stays on 127.0.0.1; every load run is bounded in time. Settings (environment):
#   BENCH_DURATION=10     seconds per measured load run        BENCH_WARMUP=10   seconds of warm-up load
#   BENCH_STARTS=3        start-up measurements (median kept)  BENCH_SKIP_BUILD=1  reuse target/qarnot-mcp.jar
#   BENCH_PORT=18000      server port; the stand-in uses BENCH_PORT+81
#   BENCH_JAVA=java       the java that runs the server (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BENCH_MEMORY=512m     MCP_MEMORY of the launcher      BENCH_AOT=1  on Java 25+, train an AOT cache and use it
#   BENCH_APP_HOME        a built app (qarnot-mcp.jar + lib/) to measure instead of this checkout's (no build)
#   BENCH_ROUTES_DIR=routes  the tool routes the server loads
#   BENCH_LAUNCH=launcher bin/qarnot-mcp; "jar": java $BENCH_JAVA_OPTS -jar (the README command before the launcher)
#   BENCH_JAVA_OPTS       more JVM flags (for "jar": all of them)
#   BENCH_WAITS="1000 2500 5000 10000"  levels of the waits line ("" to skip it)
#   BENCH_WAIT_POLL=5     pollSeconds of each wait (the tool's default)
#   BENCH_OUT=bench/results/latest.json
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-10}
STARTS=${BENCH_STARTS:-3}
PORT=${BENCH_PORT:-18000}
UPSTREAM_PORT=$((PORT + 81))
JAVA_BIN=${BENCH_JAVA:-java}
LAUNCH=${BENCH_LAUNCH:-launcher}
APP=${BENCH_APP_HOME:-target}
AOT=${BENCH_AOT:-1}
MEMORY=${BENCH_MEMORY:-512m}
ROUTES=${BENCH_ROUTES_DIR:-routes}
OUT=${BENCH_OUT:-bench/results/latest.json}
WORK=target/bench
WAIT_LEVELS=${BENCH_WAITS-1000 2500 5000 10000}
WAIT_POLL=${BENCH_WAIT_POLL:-5}
# Room for the highest level plus the probe's list_tasks: the admission limits (MCP_MAX_CALLS and the per-caller share)
# are what the waits line measures past, not what it stops at. Each wait has its own connection, as behind a proxy.
WAIT_MAX=$(printf '%s\n' 10000 ${WAIT_LEVELS} | sort -n | tail -1)
KEY=bench-key  # a dummy key: the stand-in ignores it; it is never printed
mkdir -p "$WORK" "$(dirname "$OUT")"

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
need java || missing+=(openjdk-17-jdk-headless)
need mvn || missing+=(maven)
need wrk || missing+=(wrk)
need curl || missing+=(curl)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]} ..."
  apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$UPSTREAM_PORT"; do
  port_free "$p" || { echo "Port $p is in use; set BENCH_PORT to another base port." >&2; exit 1; }
done

if [[ -z ${BENCH_APP_HOME:-} ]] && [[ -z ${BENCH_SKIP_BUILD:-} || ! -f target/qarnot-mcp.jar ]]; then
  echo "Building the server (mvn package) ..."
  mvn -B -q package -DskipTests
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
LOAD_BEFORE=$(loadavg)

# --- the stand-in -------------------------------------------------------------------------------------------------
rm -f "$WORK/standin.log"
java -XX:+UseSerialGC -cp "$APP/lib/*" bench/StandIn.java "$UPSTREAM_PORT" bench/summaries-page.json bench/task-running.json \
  >"$WORK/standin.log" 2>&1 &
STANDIN=$!
PIDS+=("$STANDIN")
for _ in $(seq 300); do grep -q '^ready' "$WORK/standin.log" && break; sleep 0.1; done
grep -q '^ready' "$WORK/standin.log" || { echo "The stand-in did not start:" >&2; cat "$WORK/standin.log" >&2; exit 1; }

CALL='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}'
call_ok() {
  curl -s -m 5 "http://127.0.0.1:$PORT/mcp" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H "Authorization: Bearer $KEY" -d "$CALL" 2>/dev/null \
    | grep -q '"isError":false'
}

# --- start-up: process start to the first successful tools/call -----------------------------------------------------
start_server() {
  local env=(MCP_MAX_CALLS=$((WAIT_MAX + 100)) MCP_MAX_CONNECTIONS=$((WAIT_MAX + 1000)) MCP_PORT=$PORT
    QARNOT_BASE_URL=http://127.0.0.1:$UPSTREAM_PORT MCP_ROUTES_DIR="$ROUTES")
  if [[ $LAUNCH == jar ]]; then
    # shellcheck disable=SC2086
    env "${env[@]}" "$JAVA_BIN" ${BENCH_JAVA_OPTS:-} -jar "$APP/qarnot-mcp.jar" >"$WORK/server.log" 2>&1 &
  else
    env "${env[@]}" APP_HOME="$APP" JAVA="$JAVA_BIN" MCP_MEMORY="$MEMORY" MCP_AOT_CACHE="$WORK/app.aot" \
      JAVA_OPTS="${BENCH_JAVA_OPTS:-}" bin/qarnot-mcp >"$WORK/server.log" 2>&1 &
  fi
  SERVER=$!
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
await_call() { # seconds -> 0 when a tools/call succeeded
  local t0 ok=1
  t0=$(now_us)
  while (( $(now_us) - t0 < $1 * 1000000 )); do
    if call_ok; then ok=0; break; fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.01
  done
  return $ok
}

rm -f "$WORK/app.aot"
FEATURE=$("$JAVA_BIN" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
USED_AOT=false
if [[ $LAUNCH == launcher && $AOT == 1 && ${FEATURE%%.*} -ge 25 ]]; then
  # The image build's training run (scripts/aot-cache.sh), through the launcher, on this app and this java.
  APP_HOME="$APP" JAVA="$JAVA_BIN" MCP_MEMORY="$MEMORY" MCP_AOT_CACHE="$WORK/app.aot" MCP_PORT=$PORT \
    MCP_ROUTES_DIR="$ROUTES" sh scripts/aot-cache.sh >"$WORK/aot-cache.log" 2>&1 \
    || { echo "scripts/aot-cache.sh failed:" >&2; tail -20 "$WORK/aot-cache.log" >&2; exit 1; }
  USED_AOT=true
fi
AOT_NOTE=""
[[ $USED_AOT != true ]] || AOT_NOTE=", AOT cache"
HOW="bin/qarnot-mcp (MCP_MEMORY=$MEMORY${BENCH_JAVA_OPTS:+, JAVA_OPTS=$BENCH_JAVA_OPTS}$AOT_NOTE)"
[[ $LAUNCH != jar ]] || HOW="java ${BENCH_JAVA_OPTS:-(JVM defaults)} -jar"

STARTUPS=()
for i in $(seq "$STARTS"); do
  t0=$(now_us)
  start_server
  await_call 90 || { echo "The server did not answer a tools/call within 90 s:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
  t1=$(now_us)
  STARTUPS+=($(( (t1 - t0) / 1000 )))
  echo "start-up $i: ${STARTUPS[-1]} ms"
  if (( i < STARTS )); then stop_server; fi
done
PIDS+=("$SERVER")
STARTUP_MS=$(printf '%s\n' "${STARTUPS[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
sleep 2
RSS_IDLE_KB=$(rss_kb "$SERVER")

# --- load -----------------------------------------------------------------------------------------------------------
run_wrk() { # name concurrency script url -> RESULT line fields as name_key=value
  local name=$1 c=$2 script=$3 url=$4 threads=2
  ((c == 1)) && threads=1
  MCP_TOKEN=$KEY MCP_TOOL=list_tasks MCP_ARGS='{}' \
    wrk -t"$threads" -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$script" "$url" >"$WORK/$name.txt"
  grep '^RESULT' "$WORK/$name.txt" | sed 's/^RESULT //'
}
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

echo "Warm-up (${WARMUP} s, not measured) ..."
MCP_TOKEN=$KEY wrk -t2 -c16 -d"${WARMUP}s" -s bench/mcp-call.lua "http://127.0.0.1:$PORT/mcp" >"$WORK/warmup.txt"
wrk -t2 -c16 -d3s -s bench/direct.lua "http://127.0.0.1:$UPSTREAM_PORT/tasks/summaries/paginate" >/dev/null

declare -A DIRECT SERVERRUN
for c in 1 16 64; do
  echo "direct c=$c ..."
  DIRECT[$c]=$(run_wrk "direct-c$c" "$c" bench/direct.lua "http://127.0.0.1:$UPSTREAM_PORT/tasks/summaries/paginate")
done
RSS_LOAD_KB=0
CPU_US_PER_CALL=
for c in 1 16 64; do
  echo "server c=$c ..."
  ticks0=$(cpu_ticks "$SERVER")
  run_wrk "server-c$c" "$c" bench/mcp-call.lua "http://127.0.0.1:$PORT/mcp" >"$WORK/server-c$c.result" &
  wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    r=$(rss_kb "$SERVER"); ((r > RSS_LOAD_KB)) && RSS_LOAD_KB=$r
    sleep 0.5
  done
  wait "$wrk_pid"
  ticks1=$(cpu_ticks "$SERVER")
  SERVERRUN[$c]=$(cat "$WORK/server-c$c.result")
  if ((c == 64)); then
    hz=$(getconf CLK_TCK)
    CPU_US_PER_CALL=$(awk -v t=$((ticks1 - ticks0)) -v hz="$hz" -v n="$(field "${SERVERRUN[$c]}" requests)" \
      'BEGIN {printf "%.0f", t * 1e6 / hz / n}')
  fi
done

# --- waits held -------------------------------------------------------------------------------------------------------
WAITS_LINE=""
if [[ -n $WAIT_LEVELS ]]; then
  echo "waits held (levels $WAIT_LEVELS) ..."
  java -cp "$APP/lib/*" bench/Waits.java "http://127.0.0.1:$PORT/mcp" "http://127.0.0.1:$UPSTREAM_PORT" "$SERVER" \
    "$WAIT_LEVELS" 5 "$WAIT_POLL" 2>"$WORK/waits.err" | tee "$WORK/waits.txt" | sed 's/^/  /'
  WAITS_LINE=$(grep '^WAITS ' "$WORK/waits.txt" || true)
  [[ -n $WAITS_LINE ]] || { echo "bench/Waits.java gave no result:" >&2; tail -20 "$WORK/waits.err" >&2; exit 1; }
fi
LOAD_AFTER=$(loadavg)

# --- report ---------------------------------------------------------------------------------------------------------
rps() { awk -v n="$(field "$1" requests)" -v d="$(field "$1" duration_us)" 'BEGIN {printf "%.0f", n / (d / 1e6)}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM_GB=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
JAVA_VERSION=$("$JAVA_BIN" -version 2>&1 | head -1 | tr -d '"')
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain 2>/dev/null | grep -q . && echo "+changes" || true)
SHARED=false
awk -v a="$LOAD_BEFORE" 'BEGIN {exit !(a > 0.5)}' && SHARED=true
FAILED=0

TABLE="| concurrency | direct req/s | server calls/s | server/direct | direct p50 | server p50 | added p50 | direct p99 | server p99 | failed replies |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
JSON_RUNS=""
for c in 1 16 64; do
  d=${DIRECT[$c]} s=${SERVERRUN[$c]}
  drps=$(rps "$d") srps=$(rps "$s")
  ratio=$(awk -v a="$srps" -v b="$drps" 'BEGIN {printf "%.3f", a / b}')
  added=$(( $(field "$s" p50_us) - $(field "$d" p50_us) ))
  bad=$(( $(field "$s" failed) + $(field "$s" socket_errors) ))
  FAILED=$((FAILED + bad + $(field "$d" failed) + $(field "$d" socket_errors)))
  TABLE+="
| $c | $drps | $srps | 1/$(awk -v r="$ratio" 'BEGIN {printf "%.1f", 1 / r}') | $(ms "$(field "$d" p50_us)") ms | $(ms "$(field "$s" p50_us)") ms | $(ms "$added") ms | $(ms "$(field "$d" p99_us)") ms | $(ms "$(field "$s" p99_us)") ms | $bad of $(field "$s" requests) |"
  JSON_RUNS+="${JSON_RUNS:+,}
    {\"concurrency\": $c,
     \"direct\": {\"requests\": $(field "$d" requests), \"failed\": $(( $(field "$d" failed) + $(field "$d" socket_errors) )), \"rps\": $drps, \"p50_ms\": $(ms "$(field "$d" p50_us)"), \"p90_ms\": $(ms "$(field "$d" p90_us)"), \"p99_ms\": $(ms "$(field "$d" p99_us)")},
     \"server\": {\"requests\": $(field "$s" requests), \"failed\": $bad, \"rps\": $srps, \"p50_ms\": $(ms "$(field "$s" p50_us)"), \"p90_ms\": $(ms "$(field "$s" p90_us)"), \"p99_ms\": $(ms "$(field "$s" p99_us)")},
     \"server_over_direct\": $ratio, \"added_p50_ms\": $(ms "$added")}"
done
RSS_IDLE_MB=$(awk -v k="$RSS_IDLE_KB" 'BEGIN {printf "%.0f", k / 1024}')
RSS_LOAD_MB=$(awk -v k="$RSS_LOAD_KB" 'BEGIN {printf "%.0f", k / 1024}')
NOTE="load average $LOAD_BEFORE before, $LOAD_AFTER after"
[[ $SHARED == true ]] && NOTE+=" (the machine was shared with other work: figures are noisy)"

waits_json() { # the LEVEL lines of bench/Waits.java as JSON, and the level held
  [[ -n $WAITS_LINE ]] || { echo null; return; }
  local levels
  levels=$(grep '^LEVEL ' "$WORK/waits.txt" | sed 's/^LEVEL //' | awk '{
    printf "%s{", (NR > 1 ? ", " : "")
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v = kv[2]; if (v !~ /^[0-9.]+$/) v = "\"" v "\""
      printf "%s\"%s\": %s", (i > 1 ? ", " : ""), kv[1], v }
    printf "}" }')
  echo "{\"held_with_list_tasks_p99_under_50ms\": $(sed 's/^WAITS held=\([0-9]*\).*/\1/' <<<"$WAITS_LINE"), \"poll_seconds\": $WAIT_POLL, \"stand_in_delay_ms\": 100, \"levels\": [$levels]}"
}

cat >"$OUT" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "$COMMIT$DIRTY",
  "machine": {"cpu": "$CPU_MODEL", "cores": $(nproc), "memory_gb": $MEM_GB, "kernel": "$(uname -r)", "java": "$JAVA_VERSION",
              "load_average_before": $LOAD_BEFORE, "load_average_after": $LOAD_AFTER, "shared": $SHARED},
  "setup": {"tool": "list_tasks", "upstream_body_bytes": $(wc -c <bench/summaries-page.json), "duration_s": $DURATION,
            "load_tool": "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') + bench/mcp-call.lua",
            "server_command": "$HOW", "app": "$APP"},
  "runs": [$JSON_RUNS
  ],
  "startup_ms": $STARTUP_MS, "startup_runs_ms": [$(IFS=,; echo "${STARTUPS[*]}")],
  "rss_idle_mb": $RSS_IDLE_MB, "rss_load_mb": $RSS_LOAD_MB,
  "server_cpu_us_per_call_c64": ${CPU_US_PER_CALL:-null},
  "waits": $(waits_json)
}
EOF

cat <<EOF

## Benchmark: tools/call list_tasks vs the Qarnot stand-in called directly

$TABLE

| start-up to first tool call | RSS idle | RSS under load | server CPU per call (c=64) |
|---:|---:|---:|---:|
| $STARTUP_MS ms (median of ${STARTUPS[*]}) | $RSS_IDLE_MB MB | $RSS_LOAD_MB MB | ${CPU_US_PER_CALL:-?} µs |

${WAITS_LINE:+Waits held with list_tasks p99 under 50 ms: ${WAITS_LINE#WAITS held=} (wait_for_task, pollSeconds $WAIT_POLL, each poll answered after 100 ms).
}
Machine: $CPU_MODEL, $(nproc) cores, $MEM_GB GB; $JAVA_VERSION; commit $COMMIT$DIRTY; $NOTE.
Server started with: $HOW. Upstream body $(wc -c <bench/summaries-page.json) bytes (20 tasks); ${DURATION} s per run.
Written to $OUT.
EOF
if ((FAILED > 0)); then
  echo "FAILED: $FAILED replies were not successful MCP results (see $WORK/*.txt)." >&2
  exit 1
fi
