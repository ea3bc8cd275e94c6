// Review-queue keyboard shortcuts: j/k move between matches, c claim, y confirm,
// n reject. Keys typed into a form field are left alone, so rationales can be typed.
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
  function press(key) {
    var item = current() || matches()[0]; if (!item) { return; }
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (!button) { return; }
    if (key === "n") {
      var why = item.querySelector("[data-rationale]");
      if (why && !why.value.trim()) { why.focus(); return; }
    }
    button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    if (!document.querySelector("ol.queue")) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "c": press("c"); break;
      case "y": press("y"); break;
      case "n": press("n"); break;
      case "?": var help = document.getElementById("shortcuts"); if (help) { help.scrollIntoView(); } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
})();
