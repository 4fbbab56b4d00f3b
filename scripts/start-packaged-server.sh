# Sourced by the CI checks (inspector-check.sh, conformance.sh): start_server LOG [VAR=value...] runs
# target/qarnot-mcp.jar on a free port (PORT) with Qarnot unreachable on purpose and waits until it is healthy;
# stop_server stops it; it is stopped on exit anyway.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SERVER=
trap '[ -n "$SERVER" ] && { kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; }' EXIT
# start_server LOG [VAR=value...]: the packaged server on a free port (PORT), waited for until healthy.
start_server() {
  local log=$1; shift
  PORT=$(free_port)
  env "$@" MCP_PORT=$PORT QARNOT_BASE_URL=http://127.0.0.1:9 MCP_ROUTES_RELOAD=false java -jar target/qarnot-mcp.jar >"$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$PORT/observe/health" >/dev/null 2>&1 && return 0
    kill -0 $SERVER 2>/dev/null || { cat "$log"; echo "server exited"; exit 1; }
    sleep 0.2
  done
  cat "$log"; echo "server not healthy"; exit 1
}
stop_server() { kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=; }
