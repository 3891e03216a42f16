// Cockpit: clicking a bar of a panel's chart opens the records behind it (drill-down).
// The charts are drawn by hongfan.js on DOMContentLoaded; "load" comes after it.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-drill-src]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-drill-src"));
      var chart = window.echarts.getInstanceByDom(el);
      if (!src || !chart) { return; }
      var urls = JSON.parse(src.textContent);
      chart.on("click", function (params) {
        var url = urls[params.dataIndex];
        if (url) { window.location.href = url; }
      });
    });
  });
})();
