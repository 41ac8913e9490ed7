// Đảng vụ: the little JavaScript that helps; every page works without it.
document.addEventListener("submit", function (e) {
  var b = e.submitter;
  var msg = b && b.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a[data-back]");
  if (a) { e.preventDefault(); history.back(); }
});
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a[data-print]");
  if (a) { e.preventDefault(); window.print(); }
});
// The import page: the chosen file is sent with a progress bar, and the report (or the
// problem with the file) is shown below the form; the column choices of a report go with
// the next sending.
(function () {
  var form = document.getElementById("import-form");
  if (!form) { return; }
  var box = document.getElementById("import-report");
  var prog = document.getElementById("import-progress");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    e.stopPropagation();
    var ask = e.submitter && e.submitter.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) { return; }
    var file = form.elements["tep"].files[0];
    if (!file) { return; }
    var cols = [];
    Array.prototype.forEach.call(document.querySelectorAll("select[name^='cot_']"), function (s) {
      cols.push(s.name.slice(4) + ":" + s.value);
    });
    var q = "?loai=" + encodeURIComponent(form.elements["loai"].value) +
      "&trung=" + encodeURIComponent(form.elements["trung"].value) +
      "&thu=" + ((e.submitter && e.submitter.value) || "1") +
      "&ten=" + encodeURIComponent(file.name) +
      (cols.length ? "&cot=" + encodeURIComponent(cols.join(",")) : "");
    var x = new XMLHttpRequest();
    x.open("POST", form.getAttribute("data-action") + q);
    x.setRequestHeader("X-CSRF-Token", form.elements["_csrf"].value);
    x.setRequestHeader("Content-Type", "application/octet-stream");
    prog.hidden = false;
    var bar = prog.querySelector("progress"), label = prog.querySelector("span");
    bar.removeAttribute("value");
    label.textContent = "Đang gửi tệp…";
    x.upload.onprogress = function (p) {
      if (p.lengthComputable) { bar.value = Math.round(100 * p.loaded / p.total); }
    };
    x.upload.onload = function () { bar.removeAttribute("value"); label.textContent = "Đang kiểm tra từng dòng…"; };
    x.onload = function () {
      prog.hidden = true;
      if (x.status === 413) { box.innerHTML = "<p class='error'>Tệp quá lớn.</p>"; return; }
      var doc = new DOMParser().parseFromString(x.responseText, "text/html");
      var part = doc.querySelector(".import-report") || doc.querySelector("main") || doc.body;
      box.replaceChildren(document.importNode(part, true));
      box.scrollIntoView();
    };
    x.onerror = function () { prog.hidden = true; box.innerHTML = "<p class='error'>Không gửi được tệp: kiểm tra kết nối mạng rồi thử lại.</p>"; };
    x.send(file);
  });
})();
// A file attached to a document: sent as the body with its name, then the page is shown again.
document.addEventListener("submit", function (e) {
  var form = e.target.closest && e.target.closest("form.attach-file");
  if (!form) { return; }
  e.preventDefault();
  var file = form.elements["tep"].files[0];
  var state = form.querySelector(".upload-state");
  if (!file) { state.textContent = "Chưa chọn tệp."; return; }
  var x = new XMLHttpRequest();
  x.open("POST", form.getAttribute("data-action") + "?ten=" + encodeURIComponent(file.name));
  x.setRequestHeader("X-CSRF-Token", form.elements["_csrf"].value);
  x.setRequestHeader("Content-Type", "application/octet-stream");
  state.textContent = "Đang gửi tệp…";
  x.onload = function () {
    if (x.status < 400) { window.location.href = x.responseURL || window.location.href; return; }
    var doc = new DOMParser().parseFromString(x.responseText, "text/html");
    var msg = doc.querySelector(".alert");
    state.textContent = msg ? msg.textContent : (x.status === 413 ? "Tệp quá lớn." : "Không gửi được tệp.");
  };
  x.onerror = function () { state.textContent = "Không gửi được tệp: kiểm tra kết nối mạng rồi thử lại."; };
  x.send(file);
});
// The header's menu stays open on a wide screen (where ::details-content is not styled).
(function () {
  var menu = document.getElementById("menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 60rem)");
  var fit = function () { menu.open = wide.matches; };
  fit();
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
})();
// Installable, and the pages opened once load again without a network (/sw.js).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(function () {});
}
// Forms that may be filled without a network (data-offline): the form is sent by the page;
// when the network fails it is kept on this device as "chưa gửi" and sent when the network
// returns, with its key (_key) so that sending it twice records it once. What the server
// refuses is shown with its reason, and the text stays until she opens it again to correct it.
(function () {
  var STORE = "dangvu.chua-gui";
  var load = function () {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  };
  var save = function (q) {
    try { localStorage.setItem(STORE, JSON.stringify(q)); return true; } catch (e) { return false; }
  };
  var newKey = function () {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  };
  var token = function () {
    var t = document.querySelector("input[name=_csrf]");
    return t ? t.value : "";
  };
  var forms = document.querySelectorAll("form[data-offline]");
  Array.prototype.forEach.call(forms, function (f) {
    var k = f.querySelector("input[name=_key]");
    if (k && !k.value) { k.value = newKey(); }
  });
  var reasonOf = function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var box = doc.querySelector(".alert.error") || doc.querySelector("h1");
    return box ? box.textContent.replace(/\s+/g, " ").trim() : "máy chủ không nhận";
  };
  var show = function () {
    var q = load();
    var box = document.getElementById("chua-gui");
    var main = document.querySelector("main");
    if (!q.length) { if (box) { box.remove(); } return; }
    if (!main) { return; }
    if (!box) {
      box = document.createElement("section");
      box.id = "chua-gui";
      box.className = "alert unsent";
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    box.replaceChildren();
    var h = document.createElement("h2");
    h.textContent = "Chưa gửi (" + q.length + ")";
    box.appendChild(h);
    var list = document.createElement("ul");
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-key", item.key);
      var state = item.reason ? "bị từ chối: " + item.reason : "chưa gửi";
      li.appendChild(document.createTextNode(item.label + " — " + state + " "));
      var open = document.createElement("a");
      open.href = item.page + "#chua-gui=" + encodeURIComponent(item.key);
      open.textContent = item.reason ? "Mở lại để sửa" : "Xem lại";
      li.appendChild(open);
      if (item.reason) {
        // A refused form she decides not to send again: dropped from this device, on her word.
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "danger";
        drop.textContent = "Bỏ";
        drop.setAttribute("aria-label", "Bỏ " + item.label);
        drop.addEventListener("click", function () {
          if (!window.confirm("Bỏ hẳn " + item.label + "? Nội dung đã nhập sẽ mất.")) { return; }
          save(load().filter(function (x) { return x.key !== item.key; }));
          show();
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(drop);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  };
  var keep = function (form, reason) {
    var body = new URLSearchParams(new FormData(form)).toString();
    var q = load().filter(function (i) { return i.key !== form.elements["_key"].value; });
    var when = form.elements["held_on"] ? " ngày " + form.elements["held_on"].value : "";
    q.push({
      key: form.elements["_key"].value,
      action: form.getAttribute("action"),
      page: location.pathname + location.search,
      label: form.getAttribute("data-offline") + when,
      body: body,
      saved: new Date().toISOString(),
      reason: reason || ""
    });
    if (!save(q)) { window.alert("Máy không còn chỗ để giữ biểu mẫu: hãy gửi khi có mạng."); return; }
    show();
  };
  var post = function (action, body) {
    var params = new URLSearchParams(body);
    if (token()) { params.set("_csrf", token()); }
    return fetch(action, {
      method: "POST",
      body: params.toString(),
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token() }
    });
  };
  var sending = false;
  var flush = function () {
    if (sending || !navigator.onLine) { return; }
    var q = load().filter(function (i) { return !i.reason; });
    if (!q.length) { return; }
    sending = true;
    var next = function (i) {
      if (i >= q.length) { sending = false; show(); return; }
      var item = q[i];
      post(item.action, item.body).then(function (res) {
        if (res.redirected && res.url.indexOf("/dang-nhap") >= 0) {
          return; // signed out: kept until she signs in again
        }
        if (res.ok) {
          save(load().filter(function (x) { return x.key !== item.key; }));
          return;
        }
        return res.text().then(function (html) {
          var all = load();
          all.forEach(function (x) { if (x.key === item.key) { x.reason = reasonOf(html); } });
          save(all);
        });
      }).catch(function () {}).then(function () { next(i + 1); });
    };
    next(0);
  };
  document.addEventListener("submit", function (e) {
    var form = e.target.closest && e.target.closest("form[data-offline]");
    if (!form || e.defaultPrevented) { return; }
    e.preventDefault();
    var key = form.elements["_key"].value;
    post(form.getAttribute("action"), new URLSearchParams(new FormData(form)).toString()).then(function (res) {
      if (res.redirected && res.url.indexOf("/dang-nhap") >= 0) {
        // Signed out meanwhile: kept, and sent once she has signed in again.
        keep(form);
        window.location.href = res.url;
        return;
      }
      save(load().filter(function (x) { return x.key !== key; }));
      if (res.ok && res.redirected) { window.location.href = res.url; return; }
      return res.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    }).catch(function () {
      keep(form);
      var note = document.createElement("p");
      note.className = "alert";
      note.setAttribute("role", "status");
      note.textContent = "Không có mạng: đã giữ trên máy (chưa gửi). Biểu mẫu sẽ tự gửi khi có mạng.";
      form.parentNode.insertBefore(note, form);
      form.reset();
      form.elements["_key"].value = newKey();
    });
  });
  // "Mở lại để sửa": the kept text back into its form (on this page, or after opening it).
  var reopen = function () {
    var m = location.hash.match(/^#chua-gui=(.+)$/);
    if (!m) { return; }
    var key = decodeURIComponent(m[1]);
    var item = load().filter(function (x) { return x.key === key; })[0];
    var form = document.querySelector("form[data-offline]");
    if (!item || !form) { return; }
    var values = new URLSearchParams(item.body);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "_csrf") { return; }
      var all = values.getAll(el.name);
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = all.indexOf(el.value) >= 0;
      } else if (all.length) {
        el.value = all[0];
      }
    });
    form.scrollIntoView();
  };
  reopen();
  window.addEventListener("hashchange", reopen);
  // Signing out: the pages kept on this device go; what is not sent yet stays, with a word.
  document.addEventListener("submit", function (e) {
    var form = e.target.closest && e.target.closest("form[action='/dang-xuat']");
    if (!form || e.defaultPrevented || form.getAttribute("data-cleared")) { return; }
    var n = load().length;
    if (n && !window.confirm("Còn " + n + " biểu mẫu chưa gửi trên máy này; chúng sẽ được gửi khi đăng nhập lại. Đăng xuất?")) {
      e.preventDefault();
      return;
    }
    if (!window.caches) { return; }
    e.preventDefault();
    caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) { return caches.delete(k); }));
    }).catch(function () {}).then(function () {
      form.setAttribute("data-cleared", "1");
      form.submit();
    });
  });
  window.addEventListener("online", flush);
  show();
  flush();
})();
