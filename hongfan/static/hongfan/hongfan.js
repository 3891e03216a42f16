// Small progressive enhancements. No inline scripts anywhere: the CSP allows 'self' only.
(function () {
  "use strict";
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
  // Auto-submit filter selects: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
  });
  // ECharts: <div class="hf-chart" data-chart='{"option": ...}'> (JSON via json_script ids too).
  function renderCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart-src]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart-src"));
      if (!src) { return; }
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(src.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderCharts(e.target); });
})();
