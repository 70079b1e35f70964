-- wrk script for scripts/thunderstorm-bench.sh: posts the files listed in $BENCH_LIST round-robin
-- as multipart uploads (one part "file", absolute path as file name, like thunderstorm-cli).
local bodies = {}
local boundary = "698f1d30cb9d01c8eb801a08da8e2cf4"
local index = 0

function init(args)
  local list = io.open(os.getenv("BENCH_LIST"), "r")
  for path in list:lines() do
    local f = io.open(path, "rb")
    local content = f:read("*a")
    f:close()
    bodies[#bodies + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. path ..
      "\"\r\nContent-Type: application/octet-stream\r\n\r\n" .. content .. "\r\n--" .. boundary .. "--\r\n"
  end
  list:close()
  index = math.random(#bodies)
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", os.getenv("BENCH_PATH"), {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}, bodies[index])
end

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
