-- wrk script for scripts/thunderstorm-bench.sh: posts the files listed in $BENCH_LIST round-robin
-- as multipart uploads (one part "file", absolute path as file name, like thunderstorm-cli).
-- Every request is built once, in init: the load generator shares the service's cores, so what it
-- spends per request is taken from the service being measured.
local requests = {}
local boundary = "698f1d30cb9d01c8eb801a08da8e2cf4"
local index = 0

function init(args)
  local path = os.getenv("BENCH_PATH")
  local headers = {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}
  local list = io.open(os.getenv("BENCH_LIST"), "r")
  for file in list:lines() do
    local f = io.open(file, "rb")
    local content = f:read("*a")
    f:close()
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. file ..
      "\"\r\nContent-Type: application/octet-stream\r\n\r\n" .. content .. "\r\n--" .. boundary .. "--\r\n"
    requests[#requests + 1] = wrk.format("POST", path, headers, body)
  end
  list:close()
  index = math.random(#requests)
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function done(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
