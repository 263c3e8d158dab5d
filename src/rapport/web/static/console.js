// The care console. Every value that came from a post, an author or an agent is untrusted:
// it is only ever assigned with textContent, never parsed as HTML.
"use strict";

const state = { me: null, csrf: "", team: null, cases: [], cursor: 0, current: null, typingSent: 0 };

function el(id) { return document.getElementById(id); }

function node(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined && text !== null) made.textContent = String(text);
  return made;
}

function toast(message) {
  el("toast").textContent = message;
  setTimeout(() => { if (el("toast").textContent === message) el("toast").textContent = ""; }, 5000);
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.detail ? String(body.detail) : "request failed (" + status + ")");
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, url, body, headers) {
  const options = { method, headers: { "Accept": "application/json", ...(headers || {}) } };
  if (method !== "GET") options.headers["X-CSRF-Token"] = state.csrf;
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// --- signing in ------------------------------------------------------------------------

async function start() {
  try {
    const me = await api("GET", "/api/v1/me");
    signedIn(me);
  } catch (error) {
    el("login").hidden = false;
    el("desk").hidden = true;
  }
}

function signedIn(me) {
  state.me = me.user;
  state.csrf = me.csrf_token || state.csrf;
  el("who").textContent = me.user.name || me.user.email;
  el("logout").hidden = false;
  el("login").hidden = true;
  el("desk").hidden = false;
  loadTeams();
  loadPending();
  listen();
}

// Supervisors review the replies of agents who need approval before anything is sent.
async function loadPending() {
  if (!["admin", "supervisor"].includes(state.me.role)) return;
  const page = await api("GET", "/api/v1/replies/pending?limit=20").catch(() => ({ items: [] }));
  el("approvals").hidden = page.items.length === 0;
  el("pending").replaceChildren(...page.items.map((reply) => {
    const row = node("li", "case-row");
    const approve = node("button", "", "Approve");
    const reject = node("button", "", "Reject");
    approve.type = reject.type = "button";
    approve.addEventListener("click", () => decide(reply.id, "approve"));
    reject.addEventListener("click", () => decide(reply.id, "reject"));
    row.append(node("div", "meta", "case " + reply.case_id + (reply.private ? " · private" : " · public")),
      node("p", "text", reply.text), approve, reject);
    return row;
  }));
}

async function decide(replyId, verdict) {
  try {
    await api("POST", "/api/v1/replies/" + replyId + "/" + verdict, verdict === "reject" ? {} : undefined);
    toast(verdict === "approve" ? "Approved and sent" : "Rejected");
  } catch (error) { toast(error.message); }
  loadPending();
}

async function login(event) {
  event.preventDefault();
  el("login-error").textContent = "";
  try {
    const me = await api("POST", "/api/v1/login", {
      email: el("email").value, password: el("password").value,
    });
    state.csrf = me.csrf_token;
    signedIn(me);
  } catch (error) {
    el("login-error").textContent = error.message;
  }
}

async function logout() {
  await api("POST", "/api/v1/logout").catch(() => null);
  location.reload();
}

// --- queues ------------------------------------------------------------------------------

async function loadTeams() {
  const summary = await api("GET", "/api/v1/queues");
  const tabs = el("teams");
  tabs.replaceChildren();
  for (const team of summary.items) {
    const tab = node("button", "team" + (team.team === state.team ? " active" : ""));
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.append(node("span", "name", team.team.replaceAll("_", " ")), node("span", "count", team.open));
    if (team.breached) tab.append(node("span", "breached", team.breached + " late"));
    if (team.snoozed) tab.title = team.snoozed + " snoozed, back when their time comes";
    tab.addEventListener("click", () => { state.team = team.team; loadTeams(); });
    tabs.append(tab);
  }
  if (!state.team && summary.items.length) state.team = summary.items[0].team;
  if (state.team) await loadQueue();
}

function dueText(item) {
  if (item.sla_state === "breached") return "SLA breached";
  if (!item.next_due) return "answered";
  const minutes = Math.round((new Date(item.next_due) - Date.now()) / 60000);
  return (minutes < 0 ? "overdue " + -minutes : "due in " + minutes) + " min";
}

async function loadQueue() {
  const page = await api("GET", "/api/v1/queues/" + encodeURIComponent(state.team) + "?limit=50");
  state.cases = page.items;
  state.cursor = Math.min(state.cursor, Math.max(0, state.cases.length - 1));
  renderQueue();
}

function renderQueue() {
  const list = el("queue");
  list.replaceChildren(...state.cases.map((item, index) => {
    const row = node("li", "case-row" + (index === state.cursor ? " cursor" : ""));
    row.tabIndex = -1;
    const head = node("div", "meta");
    head.append(
      node("span", "priority chip", "P " + Math.round(item.priority)),
      node("span", "author", "@" + item.customer_handle),
      node("span", "due " + item.sla_state, dueText(item)),
    );
    if (item.duplicate_count) head.append(node("span", "folded", "+" + item.duplicate_count + " similar"));
    if (item.assignee_id) head.append(node("span", "claimed", item.assignee_id === state.me.id ? "yours" : "claimed"));
    row.append(head, node("p", "text", item.latest_text));
    const top = (item.reasons || []).filter((r) => r.points > 0.5).sort((a, b) => b.points - a.points);
    row.title = top.map((r) => "+" + r.points.toFixed(0) + " " + r.name + ": " + r.reason).join("\n");
    row.addEventListener("click", () => { state.cursor = index; renderQueue(); openCase(item.id); });
    return row;
  }));
}

async function nextCase() {
  try {
    const found = await api("POST", "/api/v1/queues/" + encodeURIComponent(state.team) + "/next");
    if (!found) { toast("Nothing left in " + state.team + " that you can take."); return; }
    await openCase(found.id);
    await loadQueue();
  } catch (error) { toast(error.message); }
}

// --- one case ----------------------------------------------------------------------------

async function openCase(id) {
  const item = await api("GET", "/api/v1/cases/" + id);
  state.current = item;
  el("case-empty").hidden = true;
  el("case").hidden = false;
  el("case-title").textContent = "@" + item.customer_handle + " · " + item.team.replaceAll("_", " ");
  const meta = el("case-meta");
  meta.replaceChildren(
    node("span", "status", item.status),
    node("span", "due " + item.sla_state, dueText(item)),
    node("span", "lang", (item.lang || "und").toUpperCase()),
    node("span", "intent", item.intent || ""),
    ...item.tags.map((tag) => node("span", "chip", "#" + tag)),
  );
  if (item.assignee) meta.append(node("span", "claimed", "claimed by " + item.assignee.name));
  const reasons = el("case-reasons");
  reasons.replaceChildren(...(item.reasons || [])
    .filter((r) => r.points > 0.5).sort((a, b) => b.points - a.points)
    .map((r) => node("span", "reason", "+" + r.points.toFixed(0) + " " + r.name + ": " + r.reason)));
  renderViewers(item.viewers || []);
  renderThread(item);
  el("tags").value = item.tags.join(", ");
  el("reply-error").textContent = "";
  el("send-private").hidden = true;
  const mine = !item.assignee_id || item.assignee_id === state.me.id;
  el("lock").textContent = mine ? "" : "Locked: " + (item.assignee ? item.assignee.name : "another agent") + " is working on this case";
  el("send").disabled = !mine;
  loadTemplates(item.lang || "en");
  loadCustomer(item.network, item.customer_id);
  loadSuggestions(item.id);
  heartbeat();
}

// Features and offers that fit this customer now, each with why; using one goes into the
// reply, and the agent records whether the customer took it up.
async function loadSuggestions(caseId) {
  const list = el("suggestions");
  const found = await api("GET", "/api/v1/cases/" + caseId + "/recommendations").catch(() => ({ items: [] }));
  list.replaceChildren(...found.items.map((item) => {
    const row = node("li", "suggestion");
    const use = node("button", "", "Use in reply");
    const taken = node("button", "", "Taken up");
    use.type = taken.type = "button";
    use.addEventListener("click", async () => {
      el("reply").value = (el("reply").value + " " + item.pitch).trim();
      await api("POST", "/api/v1/cases/" + caseId + "/recommendations/" + encodeURIComponent(item.id) + "/used").catch(() => null);
    });
    taken.addEventListener("click", async () => {
      await api("POST", "/api/v1/cases/" + caseId + "/recommendations/" + encodeURIComponent(item.id) + "/taken_up").catch(() => null);
      toast("Recorded: " + item.title + " taken up");
    });
    row.append(node("strong", "", item.title), node("p", "text", item.pitch),
      node("p", "muted", "why: " + item.why.join("; ")), use, taken);
    return row;
  }));
}

function renderViewers(viewers) {
  const others = viewers.filter((v) => v.user_id !== state.me.id);
  el("case-viewers").textContent = others.map((v) => v.name + (v.typing ? " is typing…" : " is viewing")).join(" · ");
}

function renderThread(item) {
  const entries = [];
  for (const post of item.posts) entries.push({ at: post.created_at, kind: post.role, who: "@" + post.author, text: post.text, postId: post.id });
  for (const reply of item.replies || []) entries.push({ at: reply.created_at, kind: reply.private ? "reply private" : "reply", who: "you (" + reply.status + ")", text: reply.text });
  for (const note of item.notes || []) entries.push({ at: note.created_at, kind: "note", who: "note", text: note.text });
  entries.sort((a, b) => new Date(a.at) - new Date(b.at));
  el("thread").replaceChildren(...entries.map((entry) => {
    const item = node("li", "entry " + entry.kind);
    const head = node("div", "meta");
    head.append(node("span", "author", entry.who), node("time", "", new Date(entry.at).toLocaleString()));
    if (entry.kind === "duplicate" || entry.kind === "repost") head.append(node("span", "folded", entry.kind));
    if (entry.postId) head.append(correction(entry.postId));
    item.append(head, node("p", "text", entry.text));
    return item;
  }));
}

// One click corrects what the models said of a post; corrections become training labels.
function correction(postId) {
  const select = node("select", "correct");
  select.setAttribute("aria-label", "Correct the sentiment");
  select.append(node("option", "", "sentiment is…"));
  select.firstElementChild.value = "";
  for (const label of ["negative", "neutral", "positive"]) {
    const option = node("option", "", label);
    option.value = label;
    select.append(option);
  }
  select.addEventListener("change", async () => {
    if (!select.value) return;
    try {
      await api("POST", "/api/v1/posts/" + postId + "/corrections", { field: "sentiment", label: select.value });
      toast("Thanks: sentiment corrected to " + select.value);
    } catch (error) { toast(error.message); }
    select.value = "";
  });
  return select;
}

async function act(path, body, method) {
  if (!state.current) return;
  try {
    await api(method || "POST", "/api/v1/cases/" + state.current.id + path, body);
    await openCase(state.current.id);
    await loadQueue();
  } catch (error) { toast(error.message); }
}

async function sendReply(event, forcePrivate) {
  if (event) event.preventDefault();
  const text = el("reply").value.trim();
  if (!text || !state.current) return;
  el("reply-error").textContent = "";
  const isPrivate = forcePrivate || el("private").checked;
  try {
    const sent = await api("POST", "/api/v1/cases/" + state.current.id + "/replies", { text, private: isPrivate },
      { "Idempotency-Key": state.current.id + "-" + Date.now() });
    el("reply").value = "";
    el("send-private").hidden = true;
    toast(sent.status === "sent" ? "Reply sent" : "Reply " + sent.status.replaceAll("_", " "));
    await openCase(state.current.id);
    await loadQueue();
  } catch (error) {
    el("reply-error").textContent = error.message;
    el("send-private").hidden = !(error.body && error.body.suggestion === "private");
  }
}

async function addNote() {
  const text = el("reply").value.trim();
  if (!text) return;
  await act("/notes", { text });
  el("reply").value = "";
}

async function loadTemplates(lang) {
  const select = el("template");
  try {
    const page = await api("GET", "/api/v1/templates?lang=" + encodeURIComponent(lang) + "&limit=100");
    select.replaceChildren(node("option", "", "Template…"), ...page.items.map((t) => {
      const option = node("option", "", t.name.replaceAll("_", " "));
      option.value = t.name;
      return option;
    }));
    select.firstElementChild.value = "";
  } catch (error) { /* templates are optional */ }
}

async function useTemplate() {
  const name = el("template").value;
  if (!name || !state.current) return;
  try {
    const rendered = await api("POST", "/api/v1/cases/" + state.current.id + "/template", { name });
    el("reply").value = rendered.text;
    el("reply").focus();
  } catch (error) { toast(error.message); }
  el("template").value = "";
}

function typing() {
  state.lastKey = Date.now();
  if (!state.current || Date.now() - state.typingSent < 3000) return;
  heartbeat();
}

// Tells the others who is on this case (and typing), and learns the same of them.
function heartbeat() {
  if (!state.current || el("desk").hidden) return;
  state.typingSent = Date.now();
  const isTyping = Date.now() - (state.lastKey || 0) < 5000;
  api("POST", "/api/v1/cases/" + state.current.id + "/presence", { typing: isTyping })
    .then((found) => renderViewers(found.viewers)).catch(() => null);
}

// --- the customer's relationship ----------------------------------------------------------

async function loadCustomer(network, authorId) {
  const box = el("customer");
  box.replaceChildren(node("p", "muted", "Loading…"));
  try {
    const customer = await api("GET", "/api/v1/customers/" + encodeURIComponent(network) + "/" + encodeURIComponent(authorId));
    const handles = node("p", "handles", customer.handles.map((h) => h.network + " @" + (h.handle || h.author_source_id)).join(" · "));
    const chart = node("div", "sentiment-chart");
    chart.title = "Sentiment of their posts per day";
    for (const day of customer.sentiment.slice(-30)) {
      const total = day.negative + day.neutral + day.positive || 1;
      const bar = node("span", "day");
      bar.title = day.day + ": " + day.negative + " negative, " + day.neutral + " neutral, " + day.positive + " positive";
      for (const kind of ["negative", "neutral", "positive"]) {
        const part = node("span", kind);
        part.style.height = Math.round((day[kind] / total) * 100) + "%";
        bar.append(part);
      }
      chart.append(bar);
    }
    const cases = node("ol", "past-cases");
    for (const item of customer.cases) {
      const row = node("li", "past " + item.status);
      row.append(node("span", "chip", item.status), node("span", "", item.team.replaceAll("_", " ") + " · " + new Date(item.opened_at).toLocaleDateString()), node("p", "text", item.latest_text || ""));
      row.addEventListener("click", () => openCase(item.id));
      cases.append(row);
    }
    const tags = node("p", "tags", customer.tags.map((t) => "#" + t).join(" "));
    const notes = node("ol", "notes");
    for (const note of customer.notes) notes.append(node("li", "", note.text));
    const health = customer.health || { score: "-", level: "", reasons: [] };
    const healthLine = node("p", "health " + health.level.replaceAll(" ", "-"), "Health " + health.score + "/100 · " + health.level);
    healthLine.title = health.reasons.join("\n");
    const nps = node("p", "muted", (customer.nps_history || []).length
      ? "NPS answers: " + customer.nps_history.map((a) => a.score).join(", ")
      : "No survey answers yet");
    const engaged = node("p", "muted", "Time engaged: " + Math.round(customer.time_engaged_minutes || 0) + " min");
    box.replaceChildren(handles, healthLine, nps, engaged, node("h3", "", "Sentiment"), chart, node("h3", "", customer.cases.length + " cases"), cases, node("h3", "", "Tags"), tags, node("h3", "", "Notes"), notes);
  } catch (error) {
    box.replaceChildren(node("p", "muted", error.message));
  }
}

// --- search, live updates, keys -------------------------------------------------------------

async function search(event) {
  event.preventDefault();
  const q = el("q").value.trim();
  const results = el("results");
  if (!q) { results.hidden = true; el("queue").hidden = false; return; }
  const page = await api("GET", "/api/v1/posts?limit=50&q=" + encodeURIComponent(q));
  results.replaceChildren(...page.items.map((post) => {
    const row = node("li", "case-row");
    row.append(node("div", "meta", "@" + post.author_handle + " · " + new Date(post.created_at).toLocaleString()), node("p", "text", post.text));
    return row;
  }));
  results.hidden = false;
  el("queue").hidden = true;
}

function listen() {
  if (!window.EventSource) return;
  const source = new EventSource("/api/v1/events");
  let pending = null;
  source.onopen = () => { el("live-state").textContent = "live"; };
  source.onerror = () => { el("live-state").textContent = "reconnecting…"; };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      loadTeams();
      loadPending();
      if (state.current && event.id === state.current.id) openCase(state.current.id);
    }, 500);
  };
}

function onKey(event) {
  const typingInField = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "Escape") { document.activeElement.blur(); return; }
  if (typingInField || el("desk").hidden) return;
  const keys = {
    j: () => { state.cursor = Math.min(state.cursor + 1, state.cases.length - 1); renderQueue(); },
    k: () => { state.cursor = Math.max(state.cursor - 1, 0); renderQueue(); },
    Enter: () => { if (state.cases[state.cursor]) openCase(state.cases[state.cursor].id); },
    n: nextCase,
    c: () => act("/claim"),
    e: () => act("/events", { kind: "resolved" }),
    r: () => el("reply").focus(),
    "/": () => el("q").focus(),
  };
  const run = keys[event.key];
  if (run) { event.preventDefault(); run(); }
}

document.addEventListener("DOMContentLoaded", () => {
  el("login-form").addEventListener("submit", login);
  el("logout").addEventListener("click", logout);
  el("search").addEventListener("submit", search);
  el("next").addEventListener("click", nextCase);
  el("claim").addEventListener("click", () => act("/claim"));
  el("release").addEventListener("click", () => act("/release"));
  el("resolve").addEventListener("click", () => act("/events", { kind: "resolved" }));
  el("reopen").addEventListener("click", () => act("/events", { kind: "reopened" }));
  el("waiting").addEventListener("click", () => act("/events", { kind: "waiting_on_customer" }));
  el("snooze").addEventListener("click", () => act("/snooze", { until: new Date(Date.now() + 3600000).toISOString() }));
  el("composer").addEventListener("submit", sendReply);
  el("send-private").addEventListener("click", () => sendReply(null, true));
  el("add-note").addEventListener("click", addNote);
  el("save-tags").addEventListener("click", () => act("/tags", { tags: el("tags").value.split(",").map((t) => t.trim()).filter(Boolean) }, "PUT"));
  el("template").addEventListener("change", useTemplate);
  el("reply").addEventListener("input", typing);
  document.addEventListener("keydown", onKey);
  setInterval(heartbeat, 3000);
  start();
});
