// The progress of a data ZIP built in the background on /account/data:
// while it is built, its state is fetched every two seconds and the
// percentage put in place; when it ends, the page is reloaded to show the
// link. Without JavaScript the page refreshes itself (<noscript>).
(function () {
  var box = document.getElementById("zip-status");
  if (!box || !box.hasAttribute("data-running")) return;
  var url = box.getAttribute("data-src");
  var bar = box.querySelector("progress");
  var num = box.querySelector("[data-progress]");
  var timer = setInterval(function () {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (s.state !== "pending" && s.state !== "running") {
          clearInterval(timer);
          location.reload();
          return;
        }
        if (bar) bar.value = s.progress;
        if (num) num.textContent = String(s.progress);
      })
      .catch(function () {});
  }, 2000);
})();
