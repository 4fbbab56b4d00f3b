#!/usr/bin/env bash
# Starts the packaged server on a free port and runs the MCP Inspector CLI against it: tools/list with --strict
# (tool schemas portable across clients) and one tools/call that must come back as a clear isError result
# (no key sent). Needs target/qarnot-mcp.jar (mvn -B package) and npx (Node 22 is fetched from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
LOG=target/inspector-server.log
MCP_PORT=$PORT QARNOT_BASE_URL=http://127.0.0.1:9 MCP_ROUTES_RELOAD=false java -jar target/qarnot-mcp.jar >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/observe/health" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; echo "server exited"; exit 1; }
  sleep 0.2
done

insp() { npx -y -p node@22 -p @modelcontextprotocol/inspector@2.12.0 -- mcp-inspector "$@"; }
URL=http://127.0.0.1:$PORT/mcp
echo "== Inspector: tools/list --strict"
insp --cli "$URL" --method tools/list --strict --format json -q > target/inspector-tools.json
python3 - <<'PY'
import json
tools = json.load(open("target/inspector-tools.json"))
tools = tools.get("result", tools)["tools"]
missing = [t["name"] for t in tools if not t.get("description") or t.get("inputSchema", {}).get("type") != "object"]
assert not missing, f"tools without description or object input schema: {missing}"
print(f"{len(tools)} tools pass the strict check: " + ", ".join(sorted(t["name"] for t in tools)))
PY
echo "== Inspector: tools/call without a key must be a clear tool error (exit 5)"
set +e
insp --cli "$URL" --method tools/call --tool-name list_tasks --format json -q > target/inspector-call.json 2>&1
rc=$?
set -e
[ "$rc" = 5 ] || { cat target/inspector-call.json; echo "expected exit 5 (tool_is_error), got $rc"; exit 1; }
grep -q "No Qarnot API key" target/inspector-call.json || { cat target/inspector-call.json; exit 1; }
echo "inspector checks passed"
