// Page helpers, no inline script (the CSP forbids it): the main menu folds behind its
// button on a phone; there a long hash is cut short with a button that copies it whole (the
// buttons' words come translated from the page: data-copy / data-copied on <body>); and a
// form refused by the server (it answers with the page the form came from and an error
// flash) gets back what was typed. The draft lives in this tab's sessionStorage only from
// the submit to the next page, and never holds passwords, keys, files or hidden fields.
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
  function copyButtons(root) {
    if (!narrow.matches) { return; }
    var words = document.body.dataset;
    Array.prototype.forEach.call(root.querySelectorAll(".hash"), function (el) {
      var value = el.textContent.trim();
      if (value.length < 32 || el.children.length || el.closest("h1, h2, h3")) { return; }
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
  var DRAFT = "accord-form-draft";
  function kept(el) {
    var type = (el.type || "").toLowerCase();
    return el.name && !el.disabled && type !== "password" && type !== "hidden" &&
      type !== "file" && type !== "submit" && type !== "button" && el.name !== "api_key";
  }
  function saveDraft(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[method=post]")) { return; }
    var back = form.querySelector("input[name=back_to]");  // where a refusal comes back to
    if (!back) {
      back = document.createElement("input"); back.type = "hidden"; back.name = "back_to";
      form.appendChild(back);
    }
    back.value = location.pathname + location.search;
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      var box = el.type === "checkbox" || el.type === "radio";
      fields.push({name: el.name, value: el.value, checked: box ? el.checked : null});
    });
    try {
      sessionStorage.setItem(DRAFT, JSON.stringify({action: form.getAttribute("action"),
                                                    fields: fields}));
    } catch (e) { /* storage refused: nothing is kept */ }
  }
  function restoreDraft() {
    var text = null;
    try { text = sessionStorage.getItem(DRAFT); sessionStorage.removeItem(DRAFT); } catch (e) { return; }
    if (!text || !document.querySelector("#flash .flash.error")) { return; }
    var draft = JSON.parse(text);
    var form = Array.prototype.find.call(document.querySelectorAll("form[method=post]"),
      function (f) { return f.getAttribute("action") === draft.action; });
    if (!form) { return; }
    var seen = {};
    draft.fields.forEach(function (saved) {
      var all = Array.prototype.filter.call(form.elements, function (el) {
        return el.name === saved.name && kept(el);
      });
      if (saved.checked !== null) {
        all.forEach(function (el) { if (el.value === saved.value) { el.checked = saved.checked; } });
        return;
      }
      var at = seen[saved.name] || 0; seen[saved.name] = at + 1;  // the n-th field of a name
      if (all[at]) { all[at].value = saved.value; }
    });
  }
  document.addEventListener("submit", saveDraft, true);  // before htmx reads the form
  function start() { menu(); copyButtons(document); restoreDraft(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
  document.addEventListener("htmx:afterSwap", function (event) { copyButtons(event.target); });
})();
