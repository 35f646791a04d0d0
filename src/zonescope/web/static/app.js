// ZoneScope web: draw the chart specs embedded as JSON data blocks, poll background jobs,
// mirror range sliders into their number boxes. No inline scripts (the CSP forbids them).
"use strict";

function drawCharts() {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("script.chart-spec").forEach(function (block) {
    var target = document.getElementById(block.dataset.target);
    if (!target) return;
    var spec = JSON.parse(block.textContent);
    Plotly.newPlot(target, spec.data, spec.layout,
      {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"],
       topojsonURL: "/static/topojson/"});  // geo subplots fetch a base map: ours is empty
  });
}

function pollJob() {
  var box = document.getElementById("job");
  if (!box || !box.dataset.poll) return;
  var url = box.dataset.poll;
  function tick() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var status = document.getElementById("job-status");
        var elapsed = document.getElementById("job-elapsed");
        if (status) status.textContent = box.dataset["status_" + job.status] || job.status;
        if (elapsed) elapsed.textContent = job.elapsed_s.toFixed(1);
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(tick, 400);
        }
      })
      .catch(function () { window.setTimeout(tick, 1500); });
  }
  tick();
}

function linkSliders() {
  document.querySelectorAll("input[type=range][data-mirror]").forEach(function (slider) {
    var out = document.getElementById(slider.dataset.mirror);
    if (!out) return;
    var show = function () { out.textContent = slider.value; };
    slider.addEventListener("input", show);
    show();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  drawCharts();
  pollJob();
  linkSliders();
});
