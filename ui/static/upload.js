// Upload progress for the publish and edit forms (issue 13 §4). Without
// this script the form posts as usual; with it, files over the limit are
// refused before anything is sent, and the upload shows a progress bar
// with a percentage while the submit button is disabled. Same-origin and
// free of inline code, so the site's Content-Security-Policy
// (script-src 'self') allows it.
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
    return;
  }

  function init(form) {
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var pct = document.getElementById("upload-pct");
    var errBox = document.getElementById("upload-error");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 0;

    function refuse(msg) {
      errBox.textContent = msg;
      errBox.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "upload-error");
      input.focus();
    }

    // check is the browser's side of the server's limits: the same
    // numbers, given by the server in data- attributes; the server
    // checks again.
    function check() {
      errBox.hidden = true;
      input.removeAttribute("aria-invalid");
      var files = input.files || [];
      if (maxFiles && files.length > maxFiles) {
        refuse(form.getAttribute("data-msg-many"));
        return false;
      }
      for (var i = 0; i < files.length; i++) {
        if (maxBytes && files[i].size > maxBytes) {
          refuse(form.getAttribute("data-msg-big").replace("%s", files[i].name));
          return false;
        }
      }
      return true;
    }

    // showRefused puts the server's answer (the form again, with its
    // messages and every field kept but the files) in place of this one.
    function showRefused(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("main");
      if (!fresh) {
        document.documentElement.innerHTML = doc.documentElement.innerHTML;
        return;
      }
      document.title = doc.title;
      document.querySelector("main").replaceWith(document.adoptNode(fresh));
      var again = document.querySelector("form[data-upload]");
      if (again) {
        init(again);
      }
      var first = document.querySelector("main [aria-invalid=true]") || document.querySelector("main .alert");
      if (first) {
        if (!first.hasAttribute("tabindex") && first.classList.contains("alert")) {
          first.setAttribute("tabindex", "-1");
        }
        first.focus();
      }
    }

    input.addEventListener("change", function () {
      if (!check()) {
        input.value = "";
      }
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!check()) {
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      // Asks the server to name the material's page rather than redirect
      // (the page would be loaded twice).
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var p = Math.floor((e.loaded / e.total) * 100);
          bar.value = p;
          pct.textContent = p + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var to = xhr.getResponseHeader("X-Redirect");
        if (xhr.status === 200 && to && to.charAt(0) === "/" && to.charAt(1) !== "/") {
          // Published: on to the material's page.
          window.location.assign(to);
          return;
        }
        showRefused(xhr.responseText);
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        box.hidden = true;
        refuse(form.getAttribute("data-msg-network"));
      });
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      bar.value = 0;
      pct.textContent = "0%";
      box.hidden = false;
      xhr.send(new FormData(form));
    });
  }

  var form = document.querySelector("form[data-upload]");
  if (form) {
    init(form);
  }
})();
