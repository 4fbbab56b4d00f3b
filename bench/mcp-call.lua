-- wrk script: POST tools/call to the MCP endpoint and check every reply is a successful MCP result.
-- A reply counts as a failure when its HTTP status is not 200, it is a JSON-RPC error, or the tool result has
-- isError true (MCP answers tool failures with HTTP 200). Environment: MCP_TOOL (default list_tasks), MCP_ARGS
-- (JSON object, default {}), MCP_TOKEN (sent as "Authorization: Bearer ..."; never printed).
local tool, args, token = os.getenv("MCP_TOOL") or "list_tasks", os.getenv("MCP_ARGS") or "{}", os.getenv("MCP_TOKEN")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
wrk.headers["User-Agent"] = "qarnot-mcp-bench"
if token then wrk.headers["Authorization"] = "Bearer " .. token end
local threads = {}
function setup(t) table.insert(threads, t) end
function init() id, bad, good = 0, 0, 0 end
function request()
  id = id + 1
  return wrk.format(nil, nil, nil, '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"'
    .. tool .. '","arguments":' .. args .. '}}')
end
function response(status, headers, body)
  if status ~= 200 or body:find('"error":', 1, true) or body:find('"isError":true', 1, true)
      or not body:find('"isError":false', 1, true) then
    bad = bad + 1
  else
    good = good + 1
  end
end
function done(s, latency, requests)
  local b, g = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); g = g + t:get("good") end
  local e = s.errors
  io.write(string.format("MCP failures (non-200, JSON-RPC error, isError): %d of %d\n", b, s.requests))
  io.write(string.format("RESULT requests=%d ok=%d failed=%d socket_errors=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    s.requests, g, b, e.connect + e.read + e.write + e.timeout, s.duration, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
