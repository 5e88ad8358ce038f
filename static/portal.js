/* 适老化: a larger-text mode for the public portal, remembered in this browser. */
(function () {
  "use strict";
  var KEY = "approval.largeText";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("large-text", on);
    var button = document.getElementById("text-size-toggle");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var stored = false;
  try { stored = window.localStorage.getItem(KEY) === "1"; } catch (e) { /* storage off */ }
  apply(stored);
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("text-size-toggle");
    if (!button) { return; }
    button.hidden = false;  /* the button only works with script, so only then is it shown */
    apply(root.classList.contains("large-text"));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("large-text");
      apply(on);
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* storage off */ }
    });
  });
})();
