// caselens chat panel: "Your conversations", kept per worker (GET /conversations), newest
// first, each with its child or family, dates and opening question; reopen (the thread
// is rebuilt, re-identified for the worker now) or delete (DELETE /conversations/{id}).
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const $ = (id) => document.getElementById(id);
  const plain = caselens.plain;

  function button(text, name, onClick, secondary) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = secondary ? "secondary" : "";
    b.textContent = text;
    // The accessible name starts with the visible words (WCAG 2.5.3), then says which.
    b.setAttribute("aria-label", text + ": " + name);
    b.addEventListener("click", onClick);
    return b;
  }

  // Names of the caseload's families and members, fetched once per sign-in (one audited
  // subject search), so a conversation is listed by whom it is about.
  let labels = null;
  let loading = null;
  function subjectLabels() {
    if (!loading) loading = loadLabels();
    return loading;
  }
  async function loadLabels() {
    const found = new Map();
    try {
      const resp = await fetch("/subjects?q=", { headers: caselens.headers(false) });
      if (resp.ok) {
        for (const s of (await resp.json()).subjects) {
          found.set(s.id, s.label);
          for (const m of s.members) found.set(m.id, m.label);
        }
      }
    } catch (e) { /* listed by id instead */ }
    labels = found;
    return labels;
  }
  function nameOf(id) { return (labels && labels.get(id)) || id; }
  function labelOf(id) { return nameOf(id) === id ? id : nameOf(id) + " (" + id + ")"; }

  async function refresh() {
    const list = $("history-list");
    await subjectLabels();
    let resp;
    try { resp = await fetch("/conversations", { headers: caselens.headers(false) }); }
    catch (e) { caselens.say($("history-status"), plain.OFFLINE, true); return; }
    if (!resp.ok) { caselens.say($("history-status"), plain.problem(resp.status), true); return; }
    const body = await resp.json();
    $("history-help").textContent = "Kept for " + plain.plural(body.retention_days, "day") +
      " after you last continue them, with names replaced by placeholders.";
    list.replaceChildren();
    if (!body.conversations.length) {
      caselens.say($("history-status"), "You have no kept conversations yet.");
      return;
    }
    caselens.say($("history-status"), "");
    for (const c of body.conversations) {
      const li = document.createElement("li");
      li.className = "history-item";
      const title = document.createElement("p");
      title.className = "history-title";
      const q = document.createElement("q");
      q.textContent = c.first_question;
      title.append(q);
      const meta = document.createElement("p");
      meta.className = "help";
      meta.textContent = labelOf(c.subject) + " · " + plain.plural(c.questions, "question") + " · started " +
        plain.date(c.started_at) + ", last " + plain.dateTime(c.updated_at);
      const name = "conversation about " + labelOf(c.subject) + " started " + plain.date(c.started_at);
      const actions = document.createElement("p");
      actions.className = "history-actions";
      actions.append(
        button("Reopen", name, () => caselens.reopen(c.conversation_id)),
        " ",
        button("Delete", name, () => remove(c, name), true),
      );
      li.append(title, meta, actions);
      list.append(li);
    }
  }

  async function remove(c, name) {
    if (!window.confirm("Delete this " + name + "? This cannot be undone.")) return;
    let resp;
    try {
      resp = await fetch("/conversations/" + encodeURIComponent(c.conversation_id),
        { method: "DELETE", headers: caselens.headers(false) });
    } catch (e) { caselens.say($("history-status"), plain.OFFLINE, true); return; }
    if (!resp.ok && resp.status !== 404) {
      caselens.say($("history-status"), plain.problem(resp.status, "conversation"), true);
      return;
    }
    if (caselens.state.conversation === c.conversation_id) caselens.newConversation(false);
    await refresh();
    caselens.say($("history-status"), "Conversation deleted.");
    $("history-title").focus();
  }

  // `ready()`: resolves once the caseload's names are known (nameOf answers ids until then).
  caselens.history = { refresh, nameOf, ready: subjectLabels };
})(window.caselens);
