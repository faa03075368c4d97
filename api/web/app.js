// caselens chat panel: plain JavaScript, no build step. All record text is inserted with
// textContent (never as HTML). The token lives only in this tab's sessionStorage.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem("caselens-token") || "", me: null,
                subject: null, conversation: crypto.randomUUID(), citations: [] };

function headers(extra) {
  const h = { Authorization: "Bearer " + state.token };
  const reason = $("break-glass").value.trim();
  if (reason) h["X-Break-Glass-Reason"] = reason;
  return Object.assign(h, extra || {});
}

function say(el, text, isError) {
  el.textContent = text;
  el.classList.toggle("error", !!isError);
}

async function problem(resp) {
  try { const body = await resp.json(); return body.detail || resp.statusText; }
  catch (e) { return resp.statusText; }
}

// --- sign in ---------------------------------------------------------------------------
async function signIn(token) {
  state.token = token;
  const resp = await fetch("/me", { headers: { Authorization: "Bearer " + token } });
  if (!resp.ok) {
    sessionStorage.removeItem("caselens-token");
    state.token = "";
    $("sign-in").hidden = false;
    $("workspace").hidden = true;
    say($("token-help"), "Sign-in failed: " + (await problem(resp)), true);
    return;
  }
  state.me = await resp.json();
  sessionStorage.setItem("caselens-token", token);
  $("sign-in").hidden = true;
  $("workspace").hidden = false;
  $("who").hidden = false;
  $("who-text").textContent = "Signed in as " + state.me.user + " (" +
    (state.me.role_description || state.me.role) + ")";
  const launch = new URLSearchParams(location.search).get("subject");
  if (launch) chooseSubject(launch, launch);
  $("main").focus();
}

$("sign-in-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  signIn($("token").value.trim());
});
$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem("caselens-token");
  location.replace(location.pathname + location.search);
});

// --- subjects --------------------------------------------------------------------------
function chooseSubject(id, label) {
  state.subject = id;
  state.conversation = crypto.randomUUID();
  $("subject-chosen").textContent = "Asking about: " + (label === id ? id : label + " (" + id + ")");
  for (const b of document.querySelectorAll("#subject-results button")) {
    b.setAttribute("aria-pressed", String(b.dataset.id === id));
  }
  showOverview(id);
}

// --- overview of the chosen child or family (GET /subjects/{id}/overview) ---------------
function recordButton(r) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "record-ref";
  b.textContent = r.source_system + " " + r.record_type.replace(/_/g, " ") + ", " + r.occurred_at +
    (r.author_role ? ", " + r.author_role : "");
  b.setAttribute("aria-label", "Open source record: " + b.textContent);
  b.addEventListener("click", () => openRecord(r.source_system, r.record_id));
  return b;
}

function askButton(question) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "ask-about";
  b.textContent = "Ask about this";
  b.addEventListener("click", () => { $("question").value = question; $("question").focus(); });
  return b;
}

function overviewPart(title, items, render, empty) {
  const part = document.createElement("section");
  const h = document.createElement("h4");
  h.textContent = title;
  part.append(h);
  if (!items.length) {
    const p = document.createElement("p");
    p.className = "help";
    p.textContent = empty;
    part.append(p);
    return part;
  }
  const ul = document.createElement("ul");
  for (const item of items) {
    const li = document.createElement("li");
    render(li, item);
    ul.append(li);
  }
  part.append(ul);
  return part;
}

function quoted(li, f) {
  const q = document.createElement("q");
  q.textContent = f.text;
  li.append(q, " (" + f.reliability_label + (f.topics && f.topics.length ? "; " + f.topics.join(", ") : "") + ") ");
  li.append(recordButton(f.record));
  if (f.reliability === "third_party_allegation") {
    const o = document.createElement("p");
    o.className = "outcome";
    o.textContent = "Recorded outcome: " + (f.outcome || "none recorded in this record");
    li.append(o);
  }
}

async function showOverview(id) {
  const box = $("overview");
  const body = $("overview-body");
  box.hidden = false;
  body.replaceChildren();
  say($("overview-status"), "Loading the overview…");
  const resp = await fetch("/subjects/" + encodeURIComponent(id) + "/overview", { headers: headers() });
  if (state.subject !== id) return;  // another child or family was chosen meanwhile
  if (!resp.ok) { say($("overview-status"), await problem(resp), true); return; }
  const ov = await resp.json();
  say($("overview-status"), "");
  $("overview-note").textContent = ov.facts_only;
  body.append(overviewPart("Who is involved", ov.involvement, (li, i) => {
    li.append(i.source_system + ": " + i.records + " record" + (i.records === 1 ? "" : "s") + ", " +
      i.first_recorded + " to " + i.latest_recorded + (i.current ? " (recent)" : "") +
      (i.roles.length ? "; " + i.roles.join(", ") : "") + ". Latest: ");
    li.append(recordButton(i.latest_contact));
  }, "No records you may see."));
  body.append(overviewPart("What has happened", ov.events, (li, e) => {
    li.append(e.date + " " + e.label + ": ");
    const q = document.createElement("q");
    q.textContent = e.quote;
    li.append(q, " ", recordButton(e.record));
  }, "No key events in the records you may see."));
  body.append(overviewPart("Strengths and protective factors", ov.strengths, quoted,
    "Nothing recorded in the records you may see."));
  body.append(overviewPart("Concerns", ov.concerns, (li, f) => {
    quoted(li, f);
    if (f.topics.length) li.append(" ", askButton("What is recorded about " + f.topics[0] + "?"));
  }, "Nothing recorded in the records you may see."));
  body.append(overviewPart("In the child's own words", ov.child_voice, quoted,
    "No views of the child in the records you may see."));
  body.append(overviewPart("Household", ov.household, (li, m) => {
    if (!m.may_open) { li.append(m.label + " (not on your caseload)"); return; }
    const b = document.createElement("button");
    b.type = "button";
    b.className = "record-ref";
    b.textContent = m.label + (m.is_child ? " (child)" : "") + ": open overview";
    b.addEventListener("click", () => chooseSubject(m.linked_person_id, m.label));
    li.append(b);
  }, "No linked family recorded."));
  body.append(overviewPart("Where to look next", ov.withheld, (li, w) => {
    li.append(w.source_system + ": " + w.records + " record" + (w.records === 1 ? "" : "s") +
      " not shown to your role" + (w.visible_to_roles.length ? "; visible to " +
      w.visible_to_roles.join(", ").replace(/_/g, " ") : "") + ".");
  }, "Nothing about this child or family is withheld from your role."));
}

function subjectButton(id, label) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.id = id;
  b.textContent = label;
  b.setAttribute("aria-pressed", String(state.subject === id));
  b.addEventListener("click", () => chooseSubject(id, label));
  return b;
}

$("subject-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const list = $("subject-results");
  list.replaceChildren();
  const q = encodeURIComponent($("subject-q").value.trim());
  const resp = await fetch("/subjects?q=" + q, { headers: headers() });
  if (!resp.ok) { say($("status"), await problem(resp), true); return; }
  const body = await resp.json();
  if (!body.subjects.length) { say($("status"), "No child or family on your caseload matches."); return; }
  say($("status"), body.subjects.length + " matching families.");
  for (const s of body.subjects) {
    const li = document.createElement("li");
    li.append(subjectButton(s.id, s.label + " (whole family)"));
    for (const m of s.members) {
      li.append(subjectButton(m.id, m.label + (m.born ? " (born " + m.born + ")" : "")));
    }
    list.append(li);
  }
});

// --- asking and streaming --------------------------------------------------------------
function provenanceText(c) {
  const refresh = state.me && state.me.source_refresh
    ? (state.me.source_refresh[c.source_system] || state.me.source_refresh["*"] || "") : "";
  return [
    "Source system: " + c.source_system,
    "Record date: " + String(c.occurred_at).slice(0, 10),
    "Author: " + (c.author || "not recorded"),
    "Last refreshed from the source: " + (c.last_refreshed || "not recorded"),
    refresh ? "Refreshes: " + refresh : "",
  ].filter(Boolean).join("\n");
}

function showTooltip(btn, n) {
  const c = state.citations.find((x) => x.n === n);
  const tip = $("tooltip");
  tip.textContent = c ? provenanceText(c) : "Source " + n + " (details arrive with the full answer)";
  tip.style.whiteSpace = "pre-line";
  const r = btn.getBoundingClientRect();
  tip.style.left = (window.scrollX + r.left) + "px";
  tip.style.top = (window.scrollY + r.bottom + 6) + "px";
  tip.hidden = false;
  btn.setAttribute("aria-describedby", "tooltip");
}
function hideTooltip() { $("tooltip").hidden = true; }
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") hideTooltip(); });

function citeButton(n) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "cite";
  b.dataset.n = String(n);
  b.textContent = String(n);
  b.setAttribute("aria-label", "Open source " + n);
  b.addEventListener("click", () => openCitation(n));
  b.addEventListener("mouseenter", () => showTooltip(b, n));
  b.addEventListener("focus", () => showTooltip(b, n));
  b.addEventListener("mouseleave", hideTooltip);
  b.addEventListener("blur", hideTooltip);
  return b;
}

// Absence sentences say themselves whether nothing is recorded or no direct answer was
// found; closest sentences are related records, never the answer.
const LABELS = { refusal: "Not something caselens can do: ", closest: "Related record: " };

function renderSentence(s) {
  const p = document.createElement("p");
  p.className = "sentence " + (s.kind || "fact") + (s.supported === false ? " unsupported" : "");
  if (LABELS[s.kind]) {
    const k = document.createElement("span");
    k.className = "kind-label";
    k.textContent = LABELS[s.kind];
    p.append(k);
  }
  if (s.supported === false) {
    const k = document.createElement("span");
    k.className = "kind-label";
    k.textContent = "Not supported by the records (not a fact): ";
    p.append(k);
  }
  if (s.outcome) {
    // Part of the item above: how the allegation, concern or incident was resolved.
    p.classList.add("outcome");
    const k = document.createElement("span");
    k.className = "kind-label";
    k.textContent = "Recorded outcome: ";
    p.append(k);
  }
  if (s.account) {
    // Another account of the event above (another person's, another record's).
    p.classList.add("account");
    const k = document.createElement("span");
    k.className = "kind-label";
    k.textContent = "Other account" + (s.occurred_at ? " (" + s.occurred_at + ")" : "") + ": ";
    p.append(k);
  }
  p.append(document.createTextNode(s.text));
  for (const n of s.citations || []) p.append(citeButton(n));
  // How the record knows it, and whose account it is ("neighbour's allegation").
  if (s.supported !== false && (s.kind === "fact" || s.kind === "closest") && s.provenance) {
    const how = document.createElement("span");
    how.className = "provenance";
    how.textContent = " (" + s.provenance + (s.disputed ? ", disputed in the record" : "") + ")";
    p.append(how);
  }
  return p;
}

function renderCitations(answer) {
  state.citations = answer.citations || [];
  const list = $("citation-list");
  list.replaceChildren();
  for (const c of state.citations) {
    const li = document.createElement("li");
    li.value = c.n;
    const b = citeButton(c.n);
    b.classList.add("link");
    b.classList.remove("cite");
    b.textContent = (c.title || c.record_type) + ", " + c.source_system + ", " +
      String(c.occurred_at).slice(0, 10);
    li.append(b);
    list.append(li);
  }
  $("citations").hidden = !state.citations.length;
}

// A follow-up ("and since the move?") is answered as the question it means: say which.
function showAnsweredAs(answer) {
  const line = $("answered-as");
  line.textContent = answer && answer.resolved_question
    ? "Answered as: " + answer.resolved_question : "";
  line.hidden = !line.textContent;
}

function parseEvents(buffer, onEvent) {
  let idx;
  while ((idx = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, idx);
    buffer = buffer.slice(idx + 2);
    let name = "message", data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data += line.slice(5).trim();
    }
    if (data) onEvent(name, JSON.parse(data));
  }
  return buffer;
}

$("ask-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!state.subject) { say($("status"), "Choose a child or family first.", true); return; }
  const answer = $("answer");
  answer.replaceChildren();
  showAnsweredAs(null);
  renderCitations({ citations: [] });
  answer.setAttribute("aria-busy", "true");
  $("ask-button").disabled = true;
  say($("status"), "Searching the records…");
  try {
    const resp = await fetch("/chat", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ subject: state.subject, question: $("question").value,
        conversation_id: state.conversation,
        break_glass_reason: $("break-glass").value.trim() || null }),
    });
    if (!resp.ok) { say($("status"), await problem(resp), true); return; }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), (name, data) => {
        if (name === "sentence") answer.append(renderSentence(data));
        else if (name === "answer") {
          answer.replaceChildren(...data.sentences.map(renderSentence));
          showAnsweredAs(data);
          renderCitations(data);
          say($("status"), data.refused ? "Answered the factual part; the rest was refused."
            : "Answer complete. Searched: " + data.searched_systems.join(", ") + ".");
        } else if (name === "error") {
          answer.replaceChildren();
          showAnsweredAs(null);
          say($("status"), data.detail, true);
        }
      });
    }
  } catch (e) {
    say($("status"), "The answer could not be fetched. Try again.", true);
  } finally {
    answer.setAttribute("aria-busy", "false");
    $("ask-button").disabled = false;
  }
});

// --- source record beside the chat -----------------------------------------------------
function addRow(dl, term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value || "not recorded";
  dl.append(dt, dd);
}

async function openRecord(system, recordId) {
  const aside = $("record");
  aside.hidden = false;
  $("record-provenance").replaceChildren();
  $("record-text").textContent = "";
  $("record-heading").textContent = "";
  $("record-link").hidden = true;
  say($("record-status"), "Opening " + system + " " + recordId + "…");
  const url = "/records/" + encodeURIComponent(system) + "/" + encodeURIComponent(recordId) +
    (state.subject ? "?subject=" + encodeURIComponent(state.subject) : "");
  const resp = await fetch(url, { headers: headers() });
  $("record-title").focus();
  if (!resp.ok) {
    say($("record-status"), resp.status === 403
      ? "You are not permitted to open this record (" + (await problem(resp)) + ")."
      : await problem(resp), true);
    return;
  }
  const rec = await resp.json();
  const p = rec.provenance;
  say($("record-status"), "");
  const dl = $("record-provenance");
  addRow(dl, "Source system", p.source_system);
  addRow(dl, "Record date", p.record_date);
  addRow(dl, "Author", [p.author.name, p.author.role, p.author.organisation].filter(Boolean).join(", "));
  addRow(dl, "Last refreshed", p.last_refreshed);
  addRow(dl, "Refreshes", p.refreshes);
  $("record-heading").textContent = rec.title || rec.record_type;
  $("record-text").textContent = rec.text;
  const link = $("record-link");
  link.href = p.source_url;
  link.textContent = "Open in " + p.source_system;
  link.hidden = false;
}

function openCitation(n) {
  const c = state.citations.find((x) => x.n === n);
  if (c) openRecord(c.source_system, c.record_id);
}
$("record-close").addEventListener("click", () => { $("record").hidden = true; $("question").focus(); });

window.caselens = { openRecord };
if (state.token) signIn(state.token);
