// The bureau dashboard's charts: each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// (Django's json_script), which holds the same numbers as the table beside it.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var palette = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997", "#ffc107", "#6c757d"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = palette[index % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 1,
        tension: 0.2
      };
    });
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    });
    canvas.dataset.rendered = "true";
    canvas.chart = chart;
  });
})();
