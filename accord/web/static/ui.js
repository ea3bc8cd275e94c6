// Phone helpers, no inline script (the CSP forbids it): the main menu folds behind its
// button, and a long hash is cut short with a button that copies it whole (the buttons'
// words come translated from the page: data-copy / data-copied on <body>). Forms that
// keep what was typed after a refusal are static/drafts.js's.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function menu() {
    var nav = document.querySelector("header.top nav");
    var button = nav && nav.querySelector(".menu-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Only on a phone's width (the stylesheet's breakpoint), where a 64-character hash
  // cannot show whole; wider pages keep the value as plain text.
  var narrow = window.matchMedia("(max-width: 600px)");
  // A hash marked "copy-always" (the hashes of an uploaded file) has its button at
  // every width.
  function copyButtons(root) {
    var words = document.body.dataset;
    var wanted = narrow.matches ? ".hash" : ".hash.copy-always";
    Array.prototype.forEach.call(root.querySelectorAll(wanted), function (el) {
      var value = el.textContent.trim();
      var always = el.classList.contains("copy-always");
      if ((value.length < 32 && !always) || el.children.length || el.closest("h1, h2, h3")) {
        return;
      }
      var text = document.createElement("span");
      text.className = "hash-text"; text.textContent = value; text.title = value;
      var button = document.createElement("button");
      button.type = "button"; button.className = "copy"; button.textContent = words.copy;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(value).then(function () {
          button.textContent = words.copied;
          setTimeout(function () { button.textContent = words.copy; }, 1500);
        });
      });
      el.textContent = ""; el.appendChild(text); el.appendChild(button);
    });
  }
  function start() { menu(); copyButtons(document); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
  document.addEventListener("htmx:afterSwap", function (event) { copyButtons(event.target); });
})();
