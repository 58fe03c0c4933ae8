-- POSTs one JSON-RPC request over and over. The harness writes the request
-- to files named by environment variables (wrk's Lua has no JSON):
--   MCP_BODY      the body
--   MCP_HEADERS   "Name: value" lines
--   MCP_SESSIONS  optional: session ids, one a line; requests take them in turn
--   MCP_EXPECT    optional: the answer every response must be, byte for byte
--                 (status 200 and this body); done() counts those that are not
-- done() prints one JSON line the harness reads.

local function lines(path)
  local out = {}
  if path == nil or path == "" then return out end
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local function slurp(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

wrk.method = "POST"
wrk.body = slurp(os.getenv("MCP_BODY"))
for _, line in ipairs(lines(os.getenv("MCP_HEADERS"))) do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

local expectPath = os.getenv("MCP_EXPECT")
local expected = nil
if expectPath ~= nil and expectPath ~= "" then expected = slurp(expectPath) end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Defined only when answers are checked: wrk reads bodies only for a script that has it.
if expected ~= nil then
  wrong = 0
  function response(status, headers, body)
    if status ~= 200 or body ~= expected then wrong = wrong + 1 end
  end
end

local sessions = lines(os.getenv("MCP_SESSIONS"))
local prebuilt = nil
local turn = 0

function init(args)
  if #sessions == 0 then prebuilt = wrk.format() end
end

function request()
  if prebuilt ~= nil then return prebuilt end
  turn = turn % #sessions + 1
  wrk.headers["Mcp-Session-Id"] = sessions[turn]
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  local wrongs = 0
  for _, thread in ipairs(threads) do wrongs = wrongs + (thread:get("wrong") or 0) end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,' ..
    '"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"non2xx":%d,"wrong":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status, wrongs))
end
