-- wrk script: the Qarnot stand-in called directly with the request list_tasks sends upstream (the limit: the
-- server cannot be faster than its upstream). A reply counts as a failure unless it is HTTP 200.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "bench-key"
wrk.headers["X-Api-Key"] = "bench-key"
wrk.body = '{"token":null,"maximumResults":20,"orderBy":"creationDate","orderType":"DESC","filter":null}'
local threads = {}
function setup(t) table.insert(threads, t) end
function init() bad, good = 0, 0 end
function response(status, headers, body)
  if status == 200 then good = good + 1 else bad = bad + 1 end
end
function done(s, latency, requests)
  local b, g = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); g = g + t:get("good") end
  local e = s.errors
  io.write(string.format("RESULT requests=%d ok=%d failed=%d socket_errors=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    s.requests, g, b, e.connect + e.read + e.write + e.timeout, s.duration, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
