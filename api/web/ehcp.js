// EHCP review page. Text is always inserted as textContent, never as HTML.
"use strict";
const ehcp = { token: sessionStorage.getItem("caselens-token") || "", draft: null, child: null };
const $ = (id) => document.getElementById(id);

const STATUS = {
  drafted: "Drafted from the advice",
  empty: "Nothing drafted",
  left_for_la: "For the local authority to decide",
};
const REVIEW = {
  ai_draft: "Not yet reviewed",
  accepted: "Accepted",
  edited: "Edited by the officer",
  rejected: "Rejected",
};
const GATE = {
  need_without_provision: "Need without provision",
  vague_wording: "Vague provision",
  conflict: "Advice conflicts",
  judgemental: "Judgemental wording",
  empty: "Empty section",
};
const LA = ["I", "J"];

function headers(json) {
  const h = { Authorization: "Bearer " + ehcp.token };
  if (json) h["Content-Type"] = "application/json";
  return h;
}

function say(node, text, error) {
  node.textContent = text;
  node.classList.toggle("error", !!error);
}

async function call(method, url, body) {
  const resp = await fetch(url, { method, headers: headers(!!body),
    body: body ? JSON.stringify(body) : undefined });
  if (!resp.ok) {
    let detail = resp.statusText;
    try { detail = (await resp.json()).detail || detail; } catch (e) { /* not JSON */ }
    const err = new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    err.status = resp.status;
    throw err;
  }
  return resp;
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function button(text, onClick, cls) {
  const b = el("button", text, cls);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function childLabel(child) {
  return child.name + (child.born ? " (born " + child.born + ")" : "");
}

// --- choosing a child -------------------------------------------------------------------

async function findChildren(query) {
  say($("status"), "Searching…");
  try {
    const resp = await call("GET", "/ehcp/children?q=" + encodeURIComponent(query || ""));
    const found = await resp.json();
    ehcp.children = found;
    const list = $("children");
    list.replaceChildren(...found.map(childNode));
    say($("status"), found.length
      ? found.length + " child" + (found.length === 1 ? "" : "ren") + " with advice."
      : "No child with SEND advice on your caseload matches.");
  } catch (err) { say($("status"), err.message, true); }
}

function childNode(child) {
  const li = el("li", undefined, "card child");
  li.append(el("h3", childLabel(child)));
  li.append(el("p", child.advice_reports + " advice report" +
    (child.advice_reports === 1 ? "" : "s") + ".", "help"));
  if (child.drafts.length) {
    const drafts = el("ul", undefined, "drafts");
    drafts.setAttribute("aria-label", "Drafts for " + child.name);
    for (const d of child.drafts) {
      const item = el("li");
      const when = new Date(d.created_at).toLocaleString("en-GB",
        { dateStyle: "medium", timeStyle: "short" });
      item.append(el("span", (d.status === "signed_off" ? "Signed off" : "Draft") +
        ", started " + when + " "));
      item.append(button(d.status === "signed_off" ? "Open" : "Continue",
        () => openDraft(d.draft_id, child)));
      drafts.append(item);
    }
    li.append(drafts);
    li.append(button("Start a new draft version", () => startDraft(child), "secondary"));
  } else {
    li.append(button("Draft from advice", () => startDraft(child)));
  }
  return li;
}

async function startDraft(child) {
  say($("status"), "Drafting from " + child.name + "'s advice…");
  try {
    const resp = await call("POST", "/ehcp/" + encodeURIComponent(child.child) + "/drafts");
    ehcp.child = child;
    render(await resp.json());
    say($("status"), "Draft ready: review every section, then sign off.");
    findChildren($("child-name").value);
  } catch (err) { say($("status"), err.message, true); }
}

// --- cited advice -----------------------------------------------------------------------

function plain(text) {
  return text.replace(/^[\u201c"]|[\u201d"]$/g, "").replace(/\.$/, "").trim();
}

// The cited words in the advice, whatever the spacing or the case of the first letter.
function passage(text, words) {
  const parts = words.split(/\s+/).filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!parts.length) return null;
  return new RegExp(parts.join("\\s+"), "i").exec(text);
}

async function showAdvice(n, quote, from) {
  const source = ehcp.draft.sources.find((s) => s.n === n);
  const box = $("advice");
  box.replaceChildren(el("p", "Loading advice [" + n + "]…"));
  try {
    const resp = await call("GET", "/records/" + encodeURIComponent(source.source_system) + "/" +
      encodeURIComponent(source.record_id) + "?purpose=EHC%20needs%20assessment&subject=" +
      encodeURIComponent(ehcp.draft.child));
    const record = await resp.json();
    const text = el("p", undefined, "record-text");
    const found = quote ? passage(record.text, plain(quote)) : null;
    let mark = null;
    if (found) {
      mark = el("mark", found[0]);
      mark.tabIndex = -1;
      text.append(record.text.slice(0, found.index), mark,
        record.text.slice(found.index + found[0].length));
    } else {
      text.textContent = record.text;
    }
    const back = from ? button("Back to the sentence", () => from.focus(), "link") : null;
    box.replaceChildren(el("h3", "[" + n + "] " + record.title),
      el("p", (source.author_role || "") + ", " + source.occurred_at.slice(0, 10), "help"),
      ...(back ? [back] : []), text);
    $("advice-title").focus({ preventScroll: true });
    $("advice-title").scrollIntoView({ block: "start" });
    if (mark) {
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    }
  } catch (err) {
    box.replaceChildren(el("p", "Cannot open this advice: " + err.message, "status error"));
  }
}

function citeButtons(node, citations, quote) {
  for (const n of citations) {
    const b = el("button", "[" + n + "]", "cite");
    b.type = "button";
    b.setAttribute("aria-label", "Read cited advice " + n);
    b.addEventListener("click", () => showAdvice(n, quote, b));
    node.append(" ", b);
  }
}

function sentenceNode(sentence) {
  const p = el("p", sentence.text, "sentence");
  citeButtons(p, sentence.citations, sentence.text);
  if (sentence.need_ids && sentence.need_ids.length) {
    p.append(el("span", " (addresses needs " + sentence.need_ids.join(", ") + ")", "help"));
  }
  return p;
}

// --- reviewing --------------------------------------------------------------------------

async function review(section, body, where) {
  say(where, "Saving…");
  try {
    await call("POST", "/ehcp/drafts/" + ehcp.draft.draft_id + "/sections/" + section, body);
    await openDraft(ehcp.draft.draft_id);
    const done = { accept: "accepted", edit: "edited", reject: "rejected" }[body.action];
    const status = $("section-status-" + section);
    say(status, "Section " + section + " " + done + ".");
    status.focus();
  } catch (err) { say(where, err.message, true); }
}

function gateNode(g) {
  const li = el("li");
  li.append(el("strong", (GATE[g.kind] || g.kind) + ": "), g.message);
  if (g.quotes && g.quotes.length) {
    const quotes = el("ul");
    for (const [n, q] of g.quotes) {
      const item = el("li", "\u201c" + q + "\u201d");
      citeButtons(item, [n], q);
      quotes.append(item);
    }
    li.append(quotes);
  }
  return li;
}

function sectionNode(section) {
  const box = el("section", undefined, "card");
  box.id = "section-" + section.section;
  box.setAttribute("aria-labelledby", "section-title-" + section.section);
  const title = el("h3", "Section " + section.section + ": " + section.title);
  title.id = "section-title-" + section.section;
  box.append(title);
  const la = LA.includes(section.section);
  const state = la && section.review_state === "ai_draft" ? "" :
    " \u00b7 " + (REVIEW[section.review_state] || section.review_state) +
    (section.editor ? " (" + section.editor + ")" : "");
  box.append(el("p", (STATUS[section.status] || section.status) + state, "help"));
  if (section.review_state === "rejected" && section.review_reason) {
    box.append(el("p", "Reason for rejecting: " + section.review_reason, "sentence refusal"));
  }
  if (section.note && !la) box.append(el("p", section.note, "sentence absence"));
  if (section.review_state === "edited" && section.edited_text !== null) {
    box.append(el("h4", "Officer's text"));
    for (const line of section.edited_text.split(/\n+/)) box.append(el("p", line, "sentence"));
    const ai = el("details");
    ai.append(el("summary", "AI draft before the edit (kept in the review history)"));
    for (const s of section.sentences) ai.append(sentenceNode(s));
    box.append(ai);
  } else {
    for (const s of section.sentences) box.append(sentenceNode(s));
  }
  const gates = ehcp.draft.gates.filter((g) => g.section === section.section);
  if (gates.length) {
    const list = el("ul", undefined, "gates");
    for (const g of gates) list.append(gateNode(g));
    box.append(el("h4", "Quality checks"), list);
  }
  const status = el("p", undefined, "status");
  status.id = "section-status-" + section.section;
  status.setAttribute("role", "status");
  status.tabIndex = -1;
  if (ehcp.draft.status !== "signed_off") box.append(actions(section, status, la));
  box.append(status);
  return box;
}

function actions(section, status, la) {
  const row = el("div", undefined, "actions");
  const edit = button(la ? "Write this section" : "Edit", () => {
    const area = el("textarea");
    area.value = section.edited_text ||
      (la ? "" : section.sentences.map((s) => s.text).join("\n"));
    area.id = "text-" + section.section;
    area.rows = 6;
    const label = el("label", "Text for section " + section.section);
    label.htmlFor = area.id;
    const save = button("Save the text", () =>
      review(section.section, { action: "edit", text: area.value }, status));
    const cancel = button("Cancel", () => openDraft(ehcp.draft.draft_id), "secondary");
    row.replaceChildren(label, area, save, cancel);
    area.focus();
  });
  if (la) {
    row.append(edit);
    return row;
  }
  const accept = button("Accept", () => review(section.section, { action: "accept" }, status));
  const reject = button("Reject", () => {
    const area = el("textarea");
    area.id = "reason-" + section.section;
    area.rows = 2;
    const label = el("label", "Why are you rejecting section " + section.section + "?");
    label.htmlFor = area.id;
    const confirm = button("Confirm rejection", () => {
      if (!area.value.trim()) { say(status, "Give a reason for rejecting.", true); area.focus(); return; }
      review(section.section, { action: "reject", reason: area.value }, status);
    });
    const cancel = button("Cancel", () => openDraft(ehcp.draft.draft_id), "secondary");
    row.replaceChildren(label, area, confirm, cancel);
    area.focus();
  }, "secondary");
  row.append(accept, " ", edit, " ", reject);
  return row;
}

// --- the draft --------------------------------------------------------------------------

function render(out) {
  ehcp.draft = out.draft;
  $("review").hidden = false;
  const who = ehcp.child ? childLabel(ehcp.child) : "this child";
  const title = "EHCP draft for " + who;
  $("draft-title").textContent = title;
  document.title = "caselens: " + title;
  $("draft-mark").textContent = out.draft.status === "signed_off"
    ? "Signed off by " + out.draft.signed_off_by + "."
    : "DRAFT \u2014 AI-assisted, not agreed" + (out.reidentified ? "" : " (names shown as placeholders)");
  $("sections").replaceChildren(...out.draft.sections.map(sectionNode));
  $("sign-off").hidden = out.draft.status === "signed_off";
  $("reasons").replaceChildren();
}

async function openDraft(id, child) {
  const resp = await call("GET", "/ehcp/drafts/" + encodeURIComponent(id));
  const out = await resp.json();
  if (child) ehcp.child = child;
  else if (!ehcp.child || ehcp.child.child !== out.draft.child) {
    try {
      const kids = await (await call("GET", "/ehcp/children")).json();
      ehcp.child = kids.find((k) => k.child === out.draft.child) || null;
    } catch (e) { ehcp.child = null; }
  }
  render(out);
}

function reasonInputs(message) {
  const box = $("reasons");
  box.replaceChildren();
  const sections = [...message.matchAll(/section (\w+) /g)].map((m) => m[1]);
  for (const sid of [...new Set(sections)]) {
    const id = "sign-off-reason-" + sid;
    const label = el("label", "Reason for signing off section " + sid + " as it is");
    label.htmlFor = id;
    const input = el("input");
    input.id = id;
    input.dataset.section = sid;
    box.append(label, input);
  }
  return sections.length;
}

async function signOff() {
  const reasons = {};
  for (const input of $("reasons").querySelectorAll("input")) {
    if (input.value.trim()) reasons[input.dataset.section] = input.value.trim();
  }
  const status = $("finish-status");
  try {
    const resp = await call("POST", "/ehcp/drafts/" + ehcp.draft.draft_id + "/sign-off",
      { reasons });
    render(await resp.json());
    say(status, "Signed off. The Word document now carries no draft marking.");
  } catch (err) {
    say(status, "Not signed off: " + err.message, true);
    if (err.status === 409 && /not complete/.test(err.message)) reasonInputs(err.message);
  }
  status.focus();
}

function signedIn() {
  $("sign-in").hidden = !!ehcp.token;
  $("start").hidden = !ehcp.token;
}

function boot() {
  const params = new URLSearchParams(location.search);
  signedIn();
  $("sign-in-form").addEventListener("submit", (e) => {
    e.preventDefault();
    ehcp.token = $("token").value.trim();
    sessionStorage.setItem("caselens-token", ehcp.token);
    signedIn();
    findChildren("");
  });
  $("find-form").addEventListener("submit", (e) => {
    e.preventDefault();
    findChildren($("child-name").value);
  });
  $("sign-off").addEventListener("click", signOff);
  $("download").addEventListener("click", async () => {
    const status = $("finish-status");
    try {
      const resp = await call("GET", "/ehcp/drafts/" + ehcp.draft.draft_id + "/docx");
      const url = URL.createObjectURL(await resp.blob());
      const a = el("a");
      a.href = url;
      a.download = ehcp.draft.draft_id + ".docx";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      say(status, "Word document downloaded.");
    } catch (err) { say(status, err.message, true); }
  });
  if (ehcp.token) {
    if (params.get("draft")) {
      openDraft(params.get("draft")).catch((e) => say($("status"), e.message, true));
    }
    findChildren(params.get("child") || "");
  }
}
window.caselensEhcp = { openDraft, findChildren };
boot();
