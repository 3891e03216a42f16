// Clinical analytics: the print button of the feedback forms (no inline scripts: CSP 'self').
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
