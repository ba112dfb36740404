-- wrk script for bench/serving: POSTs the bodies of a file (one per line), cycling from a random start per
-- thread, and prints one JSON line with the counts and latency percentiles (µs) when done.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
local idx = 0
function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do bodies[#bodies + 1] = line end
  f:close()
  idx = math.random(#bodies)
end
function request()
  idx = idx % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[idx])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
