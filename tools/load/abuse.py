# Abuse run against a `dangvu serve --demo` on loopback: N attackers, half with the grassroots
# secretary's account and half with the ward officer's, send maximal searches (6 words) and
# meetings reports of a whole term, while one cell secretary browses her pages; prints her
# latencies, every status seen with the bytes answered, and the server's resident memory.
# Bounded in time; stops by itself.
# Usage: python3 abuse.py BASE_URL SERVE_LOG SERVER_PID [SECONDS] [ATTACKERS]
import http.client, json, re, sys, threading, time, urllib.parse

base, log_path, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
secs = int(sys.argv[4]) if len(sys.argv) > 4 else 60
attackers = int(sys.argv[5]) if len(sys.argv) > 5 else 16
url = urllib.parse.urlparse(base)
accounts = dict(re.findall(r"^\s+(bantochuc|bithu\.coso|bithu\.chibo)\s+(\S+)", open(log_path).read(), re.M))

def conn():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=60)

def call(c, method, path, body=None, cookie=None):
    h = {"Content-Type": "application/json"}
    if cookie:
        h["Cookie"] = cookie
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    data = r.read()
    return r.status, r.getheader("Set-Cookie"), data

def sign_in(name):
    c = conn()
    st, cookie, body = call(c, "POST", "/api/v1/session", {"username": name, "password": accounts[name]})
    assert st == 200, (name, st, body)
    cookie = cookie.split(";")[0]
    st, _, tree = call(c, "GET", "/api/v1/orgs", cookie=cookie)
    return cookie, [n["id"] for n in json.loads(tree)["nodes"]]

statuses, sizes, lock, stop = {}, {}, threading.Lock(), time.time() + secs
def count(kind, st, size=0):
    with lock:
        statuses[(kind, st)] = statuses.get((kind, st), 0) + 1
        sizes[(kind, st)] = sizes.get((kind, st), 0) + size

def attacker(cookie, root, i):
    c = conn()
    q = urllib.parse.quote("nguyen van thi minh duc anh")  # 6 words: the most a search may hold
    n = 0
    while time.time() < stop:
        try:
            if n % 2 == 0:
                st, _, body = call(c, "GET", f"/to-chuc/{root}/dang-vien?q={q}&trang={n % 7 + 1}", cookie=cookie)
                count("search", st, len(body))
            else:
                y = 2021 + (i + n) % 3  # a term that ends after the 2025 reorganisation
                st, _, body = call(c, "GET", f"/to-chuc/{root}/bao-cao-sinh-hoat?tu=01/01/{y}&den=31/12/{y + 4}", cookie=cookie)
                count("report", st, len(body))
        except Exception as e:
            count("error " + type(e).__name__, 0)
            c = conn()
        n += 1

lat = []
def browser(cookie, orgs):
    c = conn()
    pages = ["/to-chuc", f"/to-chuc/{orgs[0]}", f"/to-chuc/{orgs[0]}/dang-vien", f"/to-chuc/{orgs[0]}/sinh-hoat", "/tai-khoan"]
    n = 0
    while time.time() < stop:
        t = time.time()
        try:
            st, _, body = call(c, "GET", pages[n % len(pages)], cookie=cookie)
        except Exception as e:
            st = 0
            c = conn()
        lat.append(time.time() - t)
        count("browse", st, len(body) if st else 0)
        n += 1
        time.sleep(0.2)

def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0

sides = [sign_in("bithu.coso"), sign_in("bantochuc")]
b_cookie, b_orgs = sign_in("bithu.chibo")
threads = [threading.Thread(target=attacker, args=(sides[i % 2][0], sides[i % 2][1][0], i)) for i in range(attackers)]
threads.append(threading.Thread(target=browser, args=(b_cookie, b_orgs)))
for t in threads:
    t.start()
mem = []
while time.time() < stop:
    mem.append(rss())
    time.sleep(5)
for t in threads:
    t.join()
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"attackers {attackers}, {secs} s")
for (kind, st), n in sorted(statuses.items()):
    print(f"  {kind:<8} {st}: {n} ({sizes[(kind, st)] // max(n, 1):,} bytes each on average)")
print(f"secretary's pages: {len(lat)} requests, p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, max {lat[-1] * 1000:.0f} ms")
print(f"server memory (MiB, every 5 s): {mem}")
bad = sum(n for (k, st), n in statuses.items() if st >= 500 and st != 503 or st == 0)
print("5xx other than 503 or failed connections:", bad)
