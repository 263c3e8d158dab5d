// The live stream page. Every value from a post is untrusted: it is only ever assigned
// with textContent, never parsed as HTML.
"use strict";

const MAX_SHOWN = 200;
let newestId = 0;
let searching = false;
const arrivals = [];

function el(id) { return document.getElementById(id); }

function chip(text, kind) {
  const span = document.createElement("span");
  span.className = "chip " + kind;
  span.textContent = text;
  return span;
}

function renderPost(post) {
  const node = el("post-template").content.firstElementChild.cloneNode(true);
  node.dataset.id = String(post.id);
  node.querySelector(".author").textContent = post.author_handle;
  node.querySelector(".handle").textContent = post.reply_to_id ? "↳ reply" : "";
  node.querySelector(".followers").textContent = "";
  node.querySelector(".lang").textContent = post.lang || "und";
  node.querySelector(".network").textContent = post.network;
  const time = node.querySelector("time");
  time.dateTime = post.created_at;
  time.textContent = new Date(post.created_at).toLocaleString();
  node.querySelector(".text").textContent = post.text;
  const entities = node.querySelector(".entities");
  for (const tag of post.hashtags) entities.append(chip("#" + tag, "hashtag"));
  for (const name of post.mentions) entities.append(chip("@" + name, "mention"));
  for (const domain of post.domains) entities.append(chip(domain, "domain"));
  const analysis = post.analysis;
  if (analysis) {
    const urgency = chip(analysis.urgency, "urgency " + analysis.urgency);
    urgency.title = analysis.urgency_reasons.join("\n");
    const priority = chip("P " + Math.round(analysis.priority ?? 0), "priority");
    priority.title = analysis.priority_factors
      .map((f) => f.name + " +" + (f.value * f.weight).toFixed(1) + ": " + f.reason)
      .join("\n");
    entities.prepend(
      priority,
      urgency,
      chip(analysis.sentiment, "sentiment " + analysis.sentiment),
      chip(analysis.intent + " → " + analysis.team, "intent"),
    );
    node.classList.add("urgency-" + analysis.urgency);
  }
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { "Accept": "application/json" } });
  if (response.status === 401) {
    location.href = "/console";  // the console signs in; the stream page reuses its session
    throw new Error("sign in first");
  }
  if (!response.ok) throw new Error(url + " answered " + response.status);
  return response.json();
}

async function poll() {
  if (searching) return;
  try {
    const url = newestId ? "/api/v1/posts?limit=200&after_id=" + newestId : "/api/v1/posts?limit=50";
    const page = await getJSON(url);
    const items = newestId ? page.items : page.items.slice().reverse();
    const list = el("posts");
    for (const post of items) {
      list.prepend(renderPost(post));
      newestId = Math.max(newestId, post.id);
      arrivals.push(Date.now());
    }
    while (list.children.length > MAX_SHOWN) list.lastElementChild.remove();
    el("status").textContent = "Live · newest post #" + newestId;
  } catch (error) {
    el("status").textContent = "Reconnecting… (" + error.message + ")";
  }
}

async function refreshStats() {
  try {
    const stats = await getJSON("/api/v1/stats");
    el("total").textContent = stats.posts.toLocaleString();
    el("quarantined").textContent = stats.quarantined_open.toLocaleString();
    const cutoff = Date.now() - 60000;
    while (arrivals.length && arrivals[0] < cutoff) arrivals.shift();
    el("rate").textContent = String(arrivals.length);
    const langs = el("langs");
    langs.replaceChildren();
    for (const [lang, count] of Object.entries(stats.by_lang).slice(0, 16)) {
      const item = document.createElement("li");
      item.textContent = lang + " " + count;
      langs.append(item);
    }
  } catch (error) {
    /* the stream poll reports connection problems */
  }
}

function dueText(item) {
  if (item.sla_state === "breached") return "SLA breached";
  if (!item.next_due) return "answered";
  const minutes = Math.round((new Date(item.next_due) - Date.now()) / 60000);
  const label = minutes < 0 ? "overdue " + -minutes + " min" : "due in " + minutes + " min";
  return item.sla_state === "warning" ? label + " ⚠" : label;
}

function renderCase(item) {
  const node = el("case-template").content.firstElementChild.cloneNode(true);
  node.querySelector(".priority").textContent = "P " + Math.round(item.priority);
  node.querySelector(".author").textContent = "@" + item.customer_handle;
  const due = node.querySelector(".due");
  due.textContent = dueText(item);
  due.className = "due " + item.sla_state;
  node.querySelector(".folded").textContent =
    item.duplicate_count ? "+" + item.duplicate_count + " similar" : "";
  node.querySelector(".text").textContent = item.latest_text;
  const reasons = node.querySelector(".reasons");
  const top = item.reasons.filter((r) => r.points > 0.5).sort((a, b) => b.points - a.points);
  for (const reason of top.slice(0, 3)) {
    const line = document.createElement("li");
    line.textContent = "+" + reason.points.toFixed(0) + " " + reason.name + ": " + reason.reason;
    reasons.append(line);
  }
  return node;
}

async function refreshQueues() {
  try {
    const summary = await getJSON("/api/v1/queues");
    const boxes = [];
    for (const team of summary.items) {
      const page = await getJSON("/api/v1/queues/" + encodeURIComponent(team.team) + "?limit=3");
      const box = document.createElement("section");
      box.className = "queue";
      const title = document.createElement("h3");
      title.textContent = team.team.replaceAll("_", " ") + " · " + team.open + " open" +
        (team.breached ? " · " + team.breached + " breached" : "");
      const list = document.createElement("ol");
      list.append(...page.items.map(renderCase));
      box.append(title, list);
      boxes.push(box);
    }
    el("queues").replaceChildren(...boxes);
    const alerts = await getJSON("/api/v1/alerts?limit=6");
    el("alerts").replaceChildren(...alerts.items.map((alert) => {
      const item = document.createElement("li");
      item.className = "alert " + alert.kind;
      const when = document.createElement("time");
      when.dateTime = alert.detected_at;
      when.textContent = new Date(alert.detected_at).toLocaleTimeString();
      const text = document.createElement("span");
      text.textContent = alert.message;
      item.append(when, text);
      return item;
    }));
  } catch (error) {
    /* the stream poll reports connection problems */
  }
}

async function search(event) {
  event.preventDefault();
  const q = el("q").value.trim();
  if (!q) return;
  searching = true;
  const page = await getJSON("/api/v1/posts?limit=100&q=" + encodeURIComponent(q));
  el("posts").replaceChildren(...page.items.map(renderPost));
  el("status").textContent = page.items.length + " posts match " + JSON.stringify(q) + " (paused live view)";
}

function backToLive() {
  searching = false;
  newestId = 0;
  el("q").value = "";
  el("posts").replaceChildren();
  poll();
}

document.addEventListener("DOMContentLoaded", () => {
  el("search").addEventListener("submit", search);
  el("live").addEventListener("click", backToLive);
  poll();
  refreshStats();
  refreshQueues();
  setInterval(poll, 1000);
  setInterval(refreshStats, 3000);
  setInterval(refreshQueues, 3000);
});
