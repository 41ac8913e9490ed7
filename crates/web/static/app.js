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
