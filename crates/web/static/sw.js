// Đảng vụ's service worker: the pages a secretary has opened load again without a network
// (the network first, the copy kept on the device when there is none). Nothing from another
// site; the API, spreadsheets and PDF files are never kept.
var CACHE = "dangvu-v1";
var SHELL = ["/static/app.css", "/static/app.js", "/manifest.webmanifest", "/static/icon-192.png"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function offline() {
  return new Response(
    "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<link rel=\"stylesheet\" href=\"/static/app.css\"><title>Không có mạng · Đảng vụ</title></head><body><main>" +
    "<h1>Không có mạng</h1><p>Trang này chưa được mở trên máy này khi còn mạng nên chưa xem được. " +
    "Những trang đã mở trước đó vẫn xem được; biên bản nhập khi mất mạng được giữ trên máy và tự gửi khi có mạng.</p>" +
    "<p><a href=\"/\">Về trang đầu</a></p></main></body></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0 ||
      /\.(xlsx|pdf)$/.test(url.pathname) || url.pathname === "/sw.js") { return; }
  e.respondWith(fetch(req).then(function (res) {
    var type = res.headers.get("Content-Type") || "";
    if (res.ok && !res.redirected && /text\/html|text\/css|javascript|image\/|manifest/.test(type)) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) {
      return hit || (req.mode === "navigate" ? offline() : Response.error());
    });
  }));
});
