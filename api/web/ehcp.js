// EHCP review page. Text is always inserted as textContent, never as HTML.
"use strict";
const ehcp = { token: sessionStorage.getItem("caselens-token") || "", draft: null };
const $ = (id) => document.getElementById(id);

function headers(json) {
  const h = { Authorization: "Bearer " + ehcp.token };
  if (json) h["Content-Type"] = "application/json";
  return h;
}

function say(text, error) {
  $("status").textContent = text;
  $("status").classList.toggle("error", !!error);
}

async function call(method, url, body) {
  const resp = await fetch(url, { method, headers: headers(!!body),
    body: body ? JSON.stringify(body) : undefined });
  if (!resp.ok) {
    let detail = resp.statusText;
    try { detail = (await resp.json()).detail || detail; } catch (e) { /* not JSON */ }
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return resp;
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function showAdvice(n) {
  const source = ehcp.draft.sources.find((s) => s.n === n);
  const box = $("advice");
  box.replaceChildren(el("p", "Loading [" + n + "]…"));
  try {
    const resp = await call("GET", "/records/" + encodeURIComponent(source.source_system) + "/" +
      encodeURIComponent(source.record_id) + "?purpose=EHC%20needs%20assessment&subject=" +
      encodeURIComponent(ehcp.draft.child));
    const record = await resp.json();
    box.replaceChildren(el("h3", "[" + n + "] " + record.title),
      el("p", (source.author_role || "") + ", " + source.occurred_at.slice(0, 10), "help"),
      el("p", record.text));
  } catch (err) {
    box.replaceChildren(el("p", "Cannot open this advice: " + err.message, "status error"));
  }
}

function sentenceNode(sentence) {
  const p = el("p", sentence.text + " ", "sentence");
  for (const n of sentence.citations) {
    const b = el("button", "[" + n + "]", "cite");
    b.type = "button";
    b.setAttribute("aria-label", "Read cited advice " + n);
    b.addEventListener("click", () => showAdvice(n));
    p.append(b);
  }
  if (sentence.need_ids && sentence.need_ids.length) {
    p.append(el("span", " (addresses needs " + sentence.need_ids.join(", ") + ")", "help"));
  }
  return p;
}

async function review(section, action, text) {
  try {
    await call("POST", "/ehcp/drafts/" + ehcp.draft.draft_id + "/sections/" + section,
      { action, text });
    await openDraft(ehcp.draft.draft_id);
    say("Section " + section + ": " + action + " recorded.");
  } catch (err) { say(err.message, true); }
}

function sectionNode(section) {
  const box = el("section", undefined, "card");
  box.append(el("h3", "Section " + section.section + ": " + section.title));
  box.append(el("p", "Status: " + section.status.replace(/_/g, " ") + ". Review: " +
    section.review_state.replace(/_/g, " ") + (section.editor ? " by " + section.editor : ""),
    "help"));
  if (section.note) box.append(el("p", section.note, "sentence absence"));
  for (const s of section.sentences) box.append(sentenceNode(s));
  if (section.edited_text) box.append(el("p", "Officer's text: " + section.edited_text));
  const gates = ehcp.draft.gates.filter((g) => g.section === section.section);
  if (gates.length) {
    const list = el("ul");
    for (const g of gates) list.append(el("li", g.kind.replace(/_/g, " ") + ": " + g.message));
    box.append(el("h4", "Quality checks"), list);
  }
  if (ehcp.draft.status !== "signed_off") {
    const row = el("p");
    for (const action of ["accept", "reject"]) {
      const b = el("button", action[0].toUpperCase() + action.slice(1));
      b.type = "button";
      b.addEventListener("click", () => review(section.section, action));
      row.append(b, " ");
    }
    const edit = el("button", "Edit");
    edit.type = "button";
    edit.addEventListener("click", () => {
      const area = el("textarea");
      area.value = section.edited_text || section.sentences.map((s) => s.text).join(" ");
      area.setAttribute("aria-label", "Text for section " + section.section);
      area.rows = 6;
      const save = el("button", "Save edit");
      save.type = "button";
      save.addEventListener("click", () => review(section.section, "edit", area.value));
      row.replaceChildren(area, save);
    });
    row.append(edit);
    box.append(row);
  }
  return box;
}

function render(out) {
  ehcp.draft = out.draft;
  $("review").hidden = false;
  $("draft-title").textContent = "Draft " + out.draft.draft_id + " for " + out.draft.child;
  $("draft-mark").textContent = out.draft.status === "signed_off"
    ? "Signed off by " + out.draft.signed_off_by + "."
    : "DRAFT \u2014 AI-assisted, not agreed" + (out.reidentified ? "" : " (names shown as placeholders)");
  $("sections").replaceChildren(...out.draft.sections.map(sectionNode));
}

async function openDraft(id) {
  const resp = await call("GET", "/ehcp/drafts/" + encodeURIComponent(id));
  render(await resp.json());
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
  });
  $("draft-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    say("Drafting from the advice…");
    try {
      const resp = await call("POST", "/ehcp/" + encodeURIComponent($("child").value) + "/drafts");
      render(await resp.json());
      say("Draft ready: review every section, then sign off.");
    } catch (err) { say(err.message, true); }
  });
  $("open-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try { await openDraft($("draft-id").value); } catch (err) { say(err.message, true); }
  });
  $("sign-off").addEventListener("click", async () => {
    try {
      const resp = await call("POST", "/ehcp/drafts/" + ehcp.draft.draft_id + "/sign-off");
      render(await resp.json());
      say("Signed off.");
    } catch (err) { say(err.message, true); }
  });
  $("download").addEventListener("click", async () => {
    try {
      const resp = await call("GET", "/ehcp/drafts/" + ehcp.draft.draft_id + "/docx");
      const url = URL.createObjectURL(await resp.blob());
      const a = el("a");
      a.href = url;
      a.download = ehcp.draft.draft_id + ".docx";
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) { say(err.message, true); }
  });
  if (ehcp.token && params.get("child")) $("child").value = params.get("child");
  if (ehcp.token && params.get("draft")) openDraft(params.get("draft")).catch((e) => say(e.message, true));
}
boot();
