// Review-queue keyboard shortcuts, on the focused match only: j/k move between matches,
// c claim, r release, y confirm, n reject, v show or blur its preview; u undoes the last
// verdict (the page offers it for a while). Keys typed into a form field are left alone, so
// rationales can be typed; Enter in a rationale rejects only after n asked for it, and
// never confirms. After each action the page comes back focused on the card it names.
(function () {
  "use strict";
  function matches() { return Array.prototype.slice.call(document.querySelectorAll("li.match")); }
  function current() { var el = document.activeElement; return el && el.closest ? el.closest("li.match") : null; }
  function move(step) {
    var all = matches(); if (!all.length) { return; }
    var at = all.indexOf(current());
    var next = all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + step))];
    next.focus(); next.scrollIntoView({block: "nearest"});
  }
  // A file chosen for matching is previewed by the browser alone (blob:), blurred.
  document.addEventListener("change", function (event) {
    var input = event.target;
    var id = input && input.getAttribute && input.getAttribute("data-local-preview");
    var figure = id && document.getElementById(id);
    if (!figure) { return; }
    var img = figure.querySelector("img"), file = input.files && input.files[0];
    if (img.src) { URL.revokeObjectURL(img.src); img.removeAttribute("src"); }
    figure.classList.remove("revealed");
    figure.hidden = !(file && file.type.indexOf("image/") === 0);
    if (!figure.hidden) { img.src = URL.createObjectURL(file); }
  });
  function reveal(item) {
    var figure = item && (item.matches("[data-preview]") ? item : item.querySelector("[data-preview]"));
    if (!figure) { return; }
    var shown = figure.classList.toggle("revealed");
    var toggle = figure.querySelector("[data-reveal]");
    if (toggle) { toggle.setAttribute("aria-pressed", shown ? "true" : "false"); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    var hit = target && target.closest ? target.closest("[data-reveal], [data-reveal-target]") : null;
    if (hit) { event.preventDefault(); reveal(hit.closest("li.match") || hit.closest("[data-preview]")); }
  });
  function press(key) {
    var item = current(); if (!item) { return; }  // never act on a card not focused
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (!button) { return; }
    if (key === "n") {
      var why = item.querySelector("[data-rationale]");
      if (why && !why.value.trim()) {
        why.form.setAttribute("data-intent", "reject");
        why.focus(); return;
      }
    }
    button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (event.key === "Enter" && target.matches && target.matches("[data-rationale]")) {
      event.preventDefault();
      var form = target.form;
      if (form && form.getAttribute("data-intent") === "reject" && target.value.trim()) {
        form.querySelector('button[data-key="n"]').click();
      }
      return;
    }
    var tag = (target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    if (!document.querySelector("ol.queue")) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "c": press("c"); break;
      case "r": press("r"); break;
      case "v": reveal(current()); break;
      case "u": var undo = document.getElementById("undo"); if (undo) { undo.click(); } break;
      case "y": press("y"); break;
      case "n": press("n"); break;
      case "?": var help = document.getElementById("shortcuts"); if (help) { help.scrollIntoView(); } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
  // A form with data-confirm (accepting a channel invitation) asks before it is sent.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Back from an action: focus the card the address names (#match-N).
  function focusNamed() {
    var named = location.hash && document.getElementById(location.hash.slice(1));
    if (named && named.matches("li.match")) { named.focus(); named.scrollIntoView({block: "nearest"}); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", focusNamed); }
  else { focusNamed(); }
})();
