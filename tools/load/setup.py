# Signs in the demo accounts, finds ids in each one's scope, writes the wrk script.
import json, re, sys, urllib.request, http.cookiejar, random
base = sys.argv[1]
log = open(sys.argv[2]).read()
accounts = dict(re.findall(r"^\s+(quantri|bantochuc|bithu\.coso|bithu\.chibo)\s+(\S+)", log, re.M))
def call(method, path, body=None, cookie=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if cookie: req.add_header("Cookie", cookie)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    with urllib.request.urlopen(req) as r:
        return r.status, r.headers, json.loads(r.read() or b"null")
users = []
for name, pw in accounts.items():
    st, h, b = call("POST", "/api/v1/session", {"username": name, "password": pw})
    cookie = h["Set-Cookie"].split(";")[0]
    st, h, me = call("GET", "/api/v1/me", cookie=cookie)
    st, h, tree = call("GET", "/api/v1/orgs", cookie=cookie)
    orgs = [n["id"] for n in tree["nodes"]]
    root = orgs[0]
    st, h, lst = call("GET", f"/api/v1/orgs/{root}/members?per_page=200", cookie=cookie)
    members = [i["id"] for i in lst["items"]]
    users.append({"name": name, "cookie": cookie, "csrf": b["csrf"], "orgs": orgs[:50], "members": members})
    print(name, len(orgs), "orgs", len(members), "members", file=sys.stderr)
lua = ["users = " + json.dumps(users).replace("[", "{").replace("]", "}").replace('":', '"] =').replace('{"', '{["').replace(', "', ', ["')]
lua.append(r'''
counter = 0
function pick(t) return t[math.random(#t)] end
setup = function(thread) counter = counter + 1; thread:set("uid", counter) end
init = function(args) math.randomseed(os.time() + wrk.thread:get("uid") * 7919) end
request = function()
  local u = users[math.random(#users)]
  local h = { ["Cookie"] = u.cookie }
  local r = math.random(100)
  if r <= 20 then
    h["Content-Type"] = "application/json"
    h["X-CSRF-Token"] = u.csrf
    local body = '{"field":"occupation","value":"Công nhân ' .. math.random(100000) .. '","reason":"Cập nhật nghề nghiệp"}'
    return wrk.format("POST", "/api/v1/members/" .. pick(u.members) .. "/corrections", h, body)
  elseif r <= 35 then return wrk.format("GET", "/to-chuc", h)
  elseif r <= 50 then return wrk.format("GET", "/to-chuc/" .. pick(u.orgs), h)
  elseif r <= 65 then return wrk.format("GET", "/to-chuc/" .. u.orgs[1] .. "/dang-vien?trang=" .. math.random(5), h)
  elseif r <= 75 then return wrk.format("GET", "/tim-kiem?q=nguyen+van", h)
  elseif r <= 90 then return wrk.format("GET", "/dang-vien/" .. pick(u.members), h)
  elseif r <= 95 then return wrk.format("GET", "/api/v1/orgs/" .. u.orgs[1] .. "/members?page=2", h)
  else return wrk.format("GET", "/nhat-ky", h) end
end
shown = 0
response = function(status, headers, body)
  if status >= 400 and shown < 5 then
    shown = shown + 1
    io.stderr:write(string.format("answer %d: %s\n", status, string.sub(body or "", 1, 200)))
  end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  for _, p in pairs({50, 90, 99}) do io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000)) end
end
''')
open("mix.lua", "w").write("\n".join(lua))
