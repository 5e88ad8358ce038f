/* The portal's request form: once the applicant says who they are (自然人 or 法人或其他组织),
   only the part of the form that applies stays shown. Without script both parts are shown,
   each saying whom it is for, and the server ignores the part that does not apply. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var radios = document.querySelectorAll('input[name="applicant_kind"]');
    var parts = document.querySelectorAll(".applicant-part[data-kind]");
    if (!radios.length || !parts.length) { return; }
    function update() {
      var chosen = null;
      for (var i = 0; i < radios.length; i += 1) {
        if (radios[i].checked) { chosen = radios[i].value; }
      }
      for (var j = 0; j < parts.length; j += 1) {
        parts[j].hidden = chosen !== null && parts[j].getAttribute("data-kind") !== chosen;
      }
    }
    for (var k = 0; k < radios.length; k += 1) { radios[k].addEventListener("change", update); }
    update();
  });
})();
