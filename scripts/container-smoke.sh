#!/usr/bin/env bash
# Builds the real image with docker (or podman) and smoke-tests it: size, non-root user, health check, /mcp on
# 8000 and one tool call that must come back as a clear "no key" tool error. For machines with an engine and
# registry access (this project's CI has neither; it runs scripts/check-container-files.sh and
# ContainerStartCommandIT instead).   Usage: scripts/container-smoke.sh [image-tag]
# AOT_CACHE=true builds the image with the AOT cache (allowed 220 MB) and checks that the JVM maps it (-XX:AOTMode=on
# makes the JVM refuse to start otherwise). NETWORK=host builds and runs on the host's network instead of the default
# bridge (for engines without one, or where it must not be used): no port mapping, the server itself listens on
# 127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${1:-qarnot-mcp:smoke}
ENGINE=${ENGINE:-$(command -v docker || command -v podman || true)}
[ -n "$ENGINE" ] || { echo "no docker or podman on PATH"; exit 2; }
NAME=qarnot-mcp-smoke-$$
PORT=${PORT:-18000}
NETWORK=${NETWORK:-}
BUILD_NET=()
RUN_NET=(-p "127.0.0.1:$PORT:8000")
IN_PORT=8000 # the server's port inside the container
if [ "$NETWORK" = host ]; then
  BUILD_NET=(--network host)
  RUN_NET=(--network host -e MCP_PORT="$PORT" -e MCP_BIND_ADDRESS=127.0.0.1)
  IN_PORT=$PORT
fi

AOT_CACHE=${AOT_CACHE:-false}
MAX_MB=130
RUN_ENV=()
if [ "$AOT_CACHE" = true ]; then MAX_MB=220; RUN_ENV=(-e JAVA_OPTS=-XX:AOTMode=on); fi
"$ENGINE" build ${BUILD_NET[@]+"${BUILD_NET[@]}"} --build-arg "AOT_CACHE=$AOT_CACHE" -t "$TAG" .
SIZE=$("$ENGINE" image inspect "$TAG" --format '{{.Size}}')
echo "image size: $((SIZE / 1000000)) MB (uncompressed)"
[ "$SIZE" -le $((MAX_MB * 1000000)) ] || { echo "image is over $MAX_MB MB"; exit 1; }
USER_ID=$("$ENGINE" image inspect "$TAG" --format '{{.Config.User}}')
[ "${USER_ID%%:*}" != "0" ] && [ -n "$USER_ID" ] || { echo "image runs as root"; exit 1; }

trap '"$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
"$ENGINE" run -d --name "$NAME" ${RUN_ENV[@]+"${RUN_ENV[@]}"} "${RUN_NET[@]}" "$TAG" >/dev/null
for _ in $(seq 1 60); do
  status=$("$ENGINE" inspect "$NAME" --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' 2>/dev/null || true)
  curl -fs "http://127.0.0.1:$PORT/observe/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/observe/health" | grep -q UP
"$ENGINE" exec "$NAME" wget -q -O /dev/null "http://127.0.0.1:$IN_PORT/observe/health"   # the HEALTHCHECK command
[ "$("$ENGINE" exec "$NAME" id -u)" != "0" ]
curl -fs "http://127.0.0.1:$PORT/mcp" -H 'Content-Type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}' | grep -q "No Qarnot API key"
if [ "$AOT_CACHE" = true ]; then
  "$ENGINE" exec "$NAME" cat /proc/1/cmdline | tr '\0' ' ' | grep -q -- "-XX:AOTCache=/app/qarnot-mcp.aot" \
    || { echo "the start command does not pass the AOT cache to the JVM"; exit 1; }
fi
echo "container smoke test passed (health: ${status:-n/a})"
