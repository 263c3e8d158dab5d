// Supervisors' and analysts' dashboards: every chart is drawn by Chart.js (installed from
// the npm registry) from a report endpoint whose CSV the link beside it downloads.
"use strict";

const charts = {};

async function report(url) {
  const response = await fetch(url, { headers: { "Accept": "application/json" } });
  if (response.status === 401 || response.status === 403) {
    throw new Error("sign in at /console with a supervisor or analyst account");
  }
  if (!response.ok) throw new Error(url + " answered " + response.status);
  return response.json();
}

function draw(id, type, labels, datasets, options) {
  const canvas = document.getElementById(id);
  if (!window.Chart) return;
  // Redrawing (the trend's filters) must free the old chart first: Chart.js keeps one per canvas.
  if (charts[id]) charts[id].destroy();
  charts[id] = new window.Chart(canvas, {
    type, data: { labels, datasets },
    options: { animation: false, responsive: true, plugins: { legend: { display: datasets.length > 1 } }, ...(options || {}) },
  });
}

const SENTIMENT_COLOURS = { negative: "#e03131", neutral: "#adb5bd", positive: "#2f9e44", unscored: "#dee2e6" };

// The trend's filter offers the languages and intents the volume reports found busiest.
function fillTrendFilter(volume, intents) {
  const select = document.getElementById("trend-filter");
  for (const [by, name, items] of [["lang", "language", volume.items], ["intent", "intent", intents.items]]) {
    const group = document.createElement("optgroup");
    group.label = name;
    for (const item of items) {
      const option = document.createElement("option");
      option.value = by + ":" + item.key;
      option.textContent = name + ": " + item.key;
      group.append(option);
    }
    select.append(group);
  }
}

function trendQuery() {
  const chosen = document.getElementById("trend-filter").value;
  const params = new URLSearchParams({ days: document.getElementById("trend-days").value });
  if (chosen) {
    const at = chosen.indexOf(":");
    params.set("by", chosen.slice(0, at));
    params.set("key", chosen.slice(at + 1));
  }
  return params;
}

async function loadTrend() {
  const params = trendQuery();
  const trend = await report("/api/v1/reports/sentiment-trend?" + params);
  const labels = trend.items.map((r) => r.key);
  const datasets = ["negative", "neutral", "positive", "unscored"]
    .filter((name) => name !== "unscored" || trend.items.some((r) => r.unscored > 0))
    .map((name) => ({ label: name, data: trend.items.map((r) => r[name]), backgroundColor: SENTIMENT_COLOURS[name], stack: "posts" }));
  draw("trend", "bar", labels, datasets, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });
  params.set("format", "csv");
  document.getElementById("trend-csv").href = "/api/v1/reports/sentiment-trend?" + params;
}

async function reloadTrend() {
  const status = document.getElementById("status");
  try {
    await loadTrend();
  } catch (error) {
    status.textContent = error.message;
  }
}

async function load() {
  const status = document.getElementById("status");
  try {
    const [volume, intents, response, nps, staffing, influencers, spikes] = await Promise.all([
      report("/api/v1/reports/volume?by=lang"),
      report("/api/v1/reports/volume?by=intent"),
      report("/api/v1/reports/response-times"),
      report("/api/v1/reports/nps?by=week"),
      report("/api/v1/reports/staffing"),
      report("/api/v1/reports/influencers"),
      report("/api/v1/reports/spikes"),
    ]);
    draw("influencers", "bar", influencers.items.map((r) => "@" + r.handle), [{ label: "followers", data: influencers.items.map((r) => r.followers), backgroundColor: "#f08c00" }], { indexAxis: "y" });
    draw("spikes", "bar", spikes.items.map((r) => r.key), [{ label: "alerts", data: spikes.items.map((r) => r.alerts), backgroundColor: "#e8590c" }]);
    draw("volume", "bar", volume.items.map((r) => r.key), [{ label: "posts", data: volume.items.map((r) => r.posts), backgroundColor: "#4c6ef5" }]);
    draw("intents", "bar", intents.items.map((r) => r.key), [{ label: "posts", data: intents.items.map((r) => r.posts), backgroundColor: "#7950f2" }], { indexAxis: "y" });
    fillTrendFilter(volume, intents);
    await loadTrend();
    draw("response", "bar", response.items.map((r) => r.key), [{ label: "cases", data: response.items.map((r) => r.cases), backgroundColor: "#12b886" }]);
    document.getElementById("response-summary").textContent = response.answered
      ? "median " + response.median_minutes + " min, 90% within " + response.p90_minutes + " min; SLA met for " + Math.round((response.sla_met_share || 0) * 100) + "% of cases"
      : "no answered cases yet";
    draw("nps", "line", nps.items.map((r) => r.key), [
      { label: "NPS", data: nps.items.map((r) => r.nps), borderColor: "#1c7ed6" },
      { label: "low (95%)", data: nps.items.map((r) => r.low), borderColor: "#a5d8ff", borderDash: [4, 4] },
      { label: "high (95%)", data: nps.items.map((r) => r.high), borderColor: "#a5d8ff", borderDash: [4, 4] },
    ], { scales: { y: { min: -100, max: 100 } } });
    const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    draw("staffing", "line", staffing.items.map((r) => days[Math.floor(r.hour_of_week / 24)] + " " + (r.hour_of_week % 24) + ":00"), [
      // Steps change between hours, so each hour's level sits over its bar.
      { label: "needed", data: staffing.items.map((r) => r.needed), borderColor: "#e03131", stepped: "middle", pointRadius: 0 },
      { label: "rostered", data: staffing.items.map((r) => r.scheduled), borderColor: "#2f9e44", stepped: "middle", pointRadius: 0 },
      // The gap itself, as bars, so the hours the roster leaves short stand out.
      { type: "bar", label: "short", data: staffing.items.map((r) => Math.max(0, r.needed - r.scheduled)), backgroundColor: "rgba(224, 49, 49, 0.25)", barPercentage: 1, categoryPercentage: 1 },
    ]);
    document.getElementById("staffing-summary").textContent = staffing.summary.slice(0, 3).join(" · ");
    status.textContent = window.Chart ? "" : "Chart.js is not installed (npm ci); the CSV links still work.";
  } catch (error) {
    status.textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("trend-filter").addEventListener("change", reloadTrend);
  document.getElementById("trend-days").addEventListener("change", reloadTrend);
  load();
});
