#!/usr/bin/env bash
# Starts the packaged server on a free port and runs the MCP Inspector CLI against it: tools/list with --strict
# (tool schemas portable across clients) and one tools/call that must come back as a clear isError result
# (no key sent). Then starts it again with MCP_READ_ONLY=true: the Inspector must list only tools annotated
# readOnlyHint: true, and a call to submit_job must get the unknown-tool error naming the mode.
# Needs target/qarnot-mcp.jar (mvn -B package) and npx (Node 22 is fetched from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/start-packaged-server.sh

start_server target/inspector-server.log
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
stop_server

echo "== Inspector with MCP_READ_ONLY=true: only read-only tools are listed"
start_server target/inspector-server-readonly.log MCP_READ_ONLY=true
URL=http://127.0.0.1:$PORT/mcp
insp --cli "$URL" --method tools/list --strict --format json -q > target/inspector-tools-readonly.json
python3 - <<'PY'
import json, glob, re
tools = json.load(open("target/inspector-tools-readonly.json"))
tools = tools.get("result", tools)["tools"]
listed = sorted(t["name"] for t in tools)
not_read_only = [t["name"] for t in tools if (t.get("annotations") or {}).get("readOnlyHint") is not True]
assert not not_read_only, f"read-only mode lists tools that are not read-only: {not_read_only}"
on_disk = sorted(re.search(r"uri: mcp-tool:([A-Za-z0-9_.-]+)", y).group(1)
                 for y in (open(f).read() for f in glob.glob("routes/*.camel.yaml"))
                 if "mcp-tool:" in y and re.search(r"\n\s*readOnlyHint: true\b", y))
assert listed == on_disk, f"listed {listed}, but the read-only route files are {on_disk}"
assert "submit_job" not in listed
print(f"read-only mode lists the {len(listed)} read-only tools: " + ", ".join(listed))
PY
# The Inspector itself refuses to call a tool it was not shown; the server's own answer, sent with curl:
curl -s "$URL" -H 'Content-Type: application/json' -H 'Authorization: Bearer qk-inspector-check' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"submit_job","arguments":{"name":"x"}}}' \
  > target/inspector-call-readonly.json
grep -q "Unknown tool 'submit_job': this server runs in read-only mode (MCP_READ_ONLY=true)" target/inspector-call-readonly.json \
  || { cat target/inspector-call-readonly.json; echo "submit_job did not get the read-only answer"; exit 1; }
stop_server
echo "inspector checks passed"
