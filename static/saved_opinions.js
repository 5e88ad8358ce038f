/* A decision panel's 常用意见: choosing one copies its text into the opinion field at once
   (select[data-fills] names the field). A local file, not inline script (CSP). Without script
   the panel's 使用此意见 button, removed here, sends the choice and the page comes back with the
   text filled in. */
(function () {
  "use strict";
  function ready() {
    var pickers = document.querySelectorAll("select[data-fills]");
    for (var i = 0; i < pickers.length; i++) {
      var button = pickers[i].parentNode.querySelector("[data-no-script]");
      if (button) { button.parentNode.removeChild(button); }
    }
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    var target = select && select.getAttribute ? select.getAttribute("data-fills") : null;
    if (!target || !select.value) { return; }
    var field = document.getElementById(target);
    if (field) {
      field.value = select.value;
      field.focus();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
