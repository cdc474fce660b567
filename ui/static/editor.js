// The description editor's toolbar and preview (issue 13 §4). The
// toolbar writes the Markdown the site accepts (internal/web/markdown.go:
// bold, italic, strikethrough, headings, lists, quotes, links); Preview
// asks the server to render the text exactly as the material page will
// (POST /materials/preview, the same goldmark and allowlist). Without
// this script the toolbar stays hidden and the textarea works as is.
(function () {
  "use strict";
  var bar = document.querySelector(".md-toolbar[data-editor]");
  if (!bar) {
    return;
  }
  var ta = document.getElementById(bar.getAttribute("data-editor"));
  var pane = document.getElementById("description-preview");
  if (!ta || !pane) {
    return;
  }

  // wrap puts before/after around the selection (or the placeholder).
  function wrap(before, after, placeholder) {
    var s = ta.selectionStart, e = ta.selectionEnd, v = ta.value;
    var sel = v.slice(s, e) || placeholder || "";
    ta.value = v.slice(0, s) + before + sel + after + v.slice(e);
    ta.focus();
    ta.setSelectionRange(s + before.length, s + before.length + sel.length);
  }

  // prefix starts every selected line (or the current one) with p; n
  // numbers them for an ordered list.
  function prefix(p, numbered) {
    var v = ta.value;
    var s = v.lastIndexOf("\n", ta.selectionStart - 1) + 1;
    var e = v.indexOf("\n", ta.selectionEnd);
    if (e < 0) {
      e = v.length;
    }
    var lines = v.slice(s, e).split("\n").map(function (l, i) {
      return (numbered ? (i + 1) + ". " : p) + l;
    });
    var out = lines.join("\n");
    ta.value = v.slice(0, s) + out + v.slice(e);
    ta.focus();
    ta.setSelectionRange(s, s + out.length);
  }

  var actions = {
    bold: function () { wrap("**", "**"); },
    italic: function () { wrap("*", "*"); },
    strike: function () { wrap("~~", "~~"); },
    heading: function () { prefix("## "); },
    ul: function () { prefix("- "); },
    ol: function () { prefix("", true); },
    quote: function () { prefix("> "); },
    link: function (b) { wrap("[", "](https://)", b.getAttribute("data-placeholder")); },
    preview: function (b) { togglePreview(b); }
  };

  function togglePreview(b) {
    var showing = b.getAttribute("aria-pressed") === "true";
    if (showing) {
      pane.hidden = true;
      ta.hidden = false;
      b.setAttribute("aria-pressed", "false");
      b.textContent = b.getAttribute("data-preview-label");
      setFormatting(true);
      ta.focus();
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/materials/preview");
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    xhr.addEventListener("load", function () {
      if (xhr.status !== 200) {
        return;
      }
      // The server's answer passed bluemonday's allowlist; the CSP
      // forbids inline script besides.
      pane.innerHTML = xhr.responseText;
      pane.hidden = false;
      ta.hidden = true;
      b.setAttribute("aria-pressed", "true");
      b.textContent = b.getAttribute("data-edit-label");
      setFormatting(false);
      pane.focus();
    });
    xhr.send("description=" + encodeURIComponent(ta.value));
  }

  // setFormatting turns the formatting buttons on or off (not in preview).
  function setFormatting(on) {
    bar.querySelectorAll("button[data-md]").forEach(function (b) {
      if (b.getAttribute("data-md") !== "preview") {
        b.disabled = !on;
      }
    });
  }

  bar.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-md]");
    if (!b) {
      return;
    }
    ev.preventDefault();
    var f = actions[b.getAttribute("data-md")];
    if (f) {
      f(b);
    }
  });
  bar.hidden = false;
})();
