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
