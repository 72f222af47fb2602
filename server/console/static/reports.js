// The satisfaction dashboard's charts (Chart.js, served by the server). The figures come
// from the page's JSON block; every chart has the same figures in a table next to it.
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("report-chart-data");
    if (!block || typeof Chart === "undefined") { return; }
    var data = JSON.parse(block.textContent);
    var locale = data.lang === "vi" ? "vi-VN" : "en-GB";
    Chart.defaults.font.family = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif";
    Chart.defaults.animation = false;
    var levels = document.getElementById("chart-levels");
    if (levels) {
      new Chart(levels, {
        type: "bar",
        data: { labels: data.levels.labels,
                datasets: [{ label: data.levels.label, data: data.levels.values,
                             backgroundColor: ["#1f7a3a", "#5fa84f", "#c9a227", "#d9822b", "#b3261e"] }] },
        options: { locale: locale, maintainAspectRatio: false, plugins: { legend: { display: false } },
                   scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var trend = document.getElementById("chart-trend");
    if (trend) {
      new Chart(trend, {
        type: "line",
        data: { labels: data.trend.labels,
                datasets: [{ label: data.trend.label, data: data.trend.values, borderColor: "#1d4f91",
                             backgroundColor: "#1d4f91", tension: 0.2, spanGaps: true }] },
        options: { locale: locale, maintainAspectRatio: false,
                   scales: { y: { suggestedMin: 0, suggestedMax: 100,
                                  ticks: { callback: function (v) { return v + " %"; } } } },
                   plugins: { tooltip: { callbacks: { afterLabel: function (ctx) {
                     return "n = " + data.trend.counts[ctx.dataIndex]; } } } } }
      });
    }
    document.body.setAttribute("data-charts", "ready");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
