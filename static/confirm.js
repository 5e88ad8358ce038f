/* A form with data-confirm="…" asks before it is sent (one-click masking of an attachment).
   A local file, not inline script: the CSP allows scripts from 'self' only. Without script the
   form is sent at once, as any other form. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
