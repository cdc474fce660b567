// The progress of an import on /admin/import/{id}: while it runs, the
// status block is fetched again every second and put in place; when it
// ends, the page is reloaded to show the report. Without JavaScript the
// page reloads itself (a meta refresh in <noscript>).
(function () {
  var box = document.getElementById("import-status");
  if (!box || !box.hasAttribute("data-running")) return;
  var url = box.getAttribute("data-src");
  var timer = setInterval(function () {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var tmp = document.createElement("div");
        tmp.innerHTML = html;
        var next = tmp.querySelector("#import-status");
        if (!next) return;
        if (!next.hasAttribute("data-running")) {
          clearInterval(timer);
          location.reload();
          return;
        }
        box.innerHTML = next.innerHTML;
      })
      .catch(function () {});
  }, 1000);
})();
