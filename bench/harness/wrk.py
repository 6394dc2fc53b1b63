"""Load on the real server with wrk: one Lua script for every scenario, its summary as a dict."""

from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any

from .processes import output

WRK_SCRIPT = r"""
-- Set by the harness: the key, the scenario and a prefix unique to this run.
local key, scenario, prefix, id, terms = %s
local n = 0
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tno", thread_no)
end

request = function()
  n = n + 1
  if scenario == "create" then
    local u = prefix .. "_" .. tno .. "_" .. n
    return wrk.format("POST", "/api/customers", nil,
      '{"externalId":"' .. u .. '","email":"' .. u .. '@bench.example","name":"Bench ' .. u .. '","country":"DE"}')
  elseif scenario == "get" then
    return wrk.format("GET", "/api/customers/" .. id)
  elseif scenario == "admin" then
    -- The admin page's list, signed in: the key rides in the session cookie.
    local t = terms[(n %% #terms) + 1]
    return wrk.format("GET", "/admin/customers?" .. t, { ["Cookie"] = "nb_admin=" .. key })
  else
    local t = terms[(n %% #terms) + 1]
    return wrk.format("GET", "/api/customers?limit=20" .. t)
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"errors":%%d,"non2xx":%%d,"p50_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_str(v: str) -> str:
    # JSON's escapes for ASCII text are Lua's too, and keys, prefixes and terms here are ASCII.
    return json.dumps(v)


def wrk(url: str, key: str, scenario: str, seconds: int, connections: int, id: str = "", terms: list[str] = ()) -> dict[str, Any]:
    """Runs one scenario (get, create, search or admin) and returns wrk's summary with `per_s` added."""
    prefix = f"b{time.time_ns()}"
    lua_terms = "{" + ",".join(lua_str(t) for t in (terms or [""])) + "}"
    script = WRK_SCRIPT % f"{lua_str(key)}, {lua_str(scenario)}, {lua_str(prefix)}, {lua_str(id)}, {lua_terms}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        threads = min(2, connections)
        stdout = output(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url])
    finally:
        os.unlink(f.name)
    r = json.loads(next(line for line in stdout.splitlines() if line.startswith('{"requests"')))
    # wrk counts an error answer as a request served: a run with any would measure the wrong thing.
    if r["non2xx"] or r["errors"]:
        raise RuntimeError(f"wrk {scenario}: {r['non2xx']} non-2xx answers, {r['errors']} socket errors")
    r["per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    return r
