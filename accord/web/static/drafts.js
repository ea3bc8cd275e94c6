// What was typed survives a refused form. On submit, a POST form's text fields and
// choices are kept in this tab's sessionStorage (never passwords, hidden fields or
// files), with the page the form is on. When the page that comes back shows an error
// (.flash.error), they are put back into the form with the same action, so a member
// refused for, say, personal data in a description edits the text instead of typing it
// again. The node sends no Referer, so a refused form may come back on another page:
// the browser then returns to the form's page and shows the error there. Any page
// without an error forgets what was kept.
(function () {
  "use strict";
  var KEY = "accord-draft";
  var SKIP = ["password", "hidden", "file", "submit", "button", "reset", "checkbox", "radio",
              "image"];
  function target(form) {
    return form.getAttribute("action") || form.getAttribute("hx-post") || location.pathname;
  }
  function here() { return location.pathname + location.search; }
  function save(draft) {
    try { sessionStorage.setItem(KEY, JSON.stringify(draft)); } catch (ignored) { /* off */ }
  }
  function take() {
    var raw = null;
    try { raw = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (ignored) { return null; }
    try { return raw ? JSON.parse(raw) : null; } catch (ignored) { return null; }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post" &&
        !form.getAttribute("hx-post")) { return; }
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || SKIP.indexOf((el.type || "").toLowerCase()) >= 0) { return; }
      fields[el.name] = el.value;
    });
    save({action: target(form), page: here(), fields: fields});
  }, true);
  function formFor(draft) {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      if (target(forms[i]) === draft.action) { return forms[i]; }
    }
    return null;
  }
  function restore() {
    var draft = take();
    if (!draft) { return; }
    var error = document.querySelector(".flash.error");
    var shown = draft.error;
    if (!error && !shown) { return; }
    var form = formFor(draft);
    if (!form) {
      if (error && !shown && draft.page && draft.page !== here()) {
        draft.error = error.outerHTML;  // our own page's escaped markup
        save(draft);
        location.replace(draft.page);
      }
      return;
    }
    if (!error && shown) {
      var box = document.getElementById("flash");
      if (box) { box.innerHTML = shown; }
    }
    Object.keys(draft.fields || {}).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && el.tagName && SKIP.indexOf((el.type || "").toLowerCase()) < 0) {
        el.value = draft.fields[name];
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", restore); }
  else { restore(); }
})();
