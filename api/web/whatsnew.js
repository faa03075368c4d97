// caselens chat panel: What's new on the worker's caseload (GET /whats-new). For each child
// or family on the caseload, the records added or changed since the worker last looked (or
// a date they choose), each with its own first sentences and a button that opens it. The
// same as `caselens digest`. Loaded only when asked: looking is recorded in the audit log
// and moves "last looked". Built by this script before #history.
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const $ = (id) => document.getElementById(id);
  const plain = caselens.plain;

  const el = caselens.el;

  function build() {
    return el("section", { id: "whats-new", class: "whats-new card", "aria-labelledby": "whats-new-title" },
      el("h2", { id: "whats-new-title", tabindex: "-1", text: "What\u2019s new on your caseload" }),
      el("p", { class: "help", text: "Records added or changed since you last looked, for each child or family on your caseload." }),
      el("form", { id: "whats-new-form", novalidate: "" },
        el("label", { for: "whats-new-since", text: "Since (leave empty for since you last looked)" }),
        el("input", { id: "whats-new-since", type: "date" }),
        el("button", { type: "submit", id: "whats-new-show", text: "Show what\u2019s new" })),
      el("p", { id: "whats-new-status", class: "status", role: "status" }),
      el("div", { id: "whats-new-body" }));
  }

  function item(x) {
    const r = x.record;
    const open = el("button", { type: "button", class: "link",
      text: (r.title || plain.role(r.record_type)) + " (" + plain.system(r.source_system) + ", " + plain.date(r.occurred_at) + ")" });
    open.addEventListener("click", () => caselens.source.open(r.source_system, r.record_id, x.sentences, open));
    const change = x.change === "added" ? "New" : "Changed";
    const li = el("li", { class: "news-item" },
      el("p", { class: "news-what" }, el("strong", { text: change + " " + plain.dateTime(x.changed_at) + ": " }), open));
    for (const s of x.sentences) li.append(el("p", { class: "news-quote", text: s }));
    return li;
  }

  async function show() {
    const since = $("whats-new-since").value;
    caselens.say($("whats-new-status"), "Looking for what is new…");
    let resp;
    try {
      resp = await fetch("/whats-new" + (since ? "?since=" + encodeURIComponent(since) : ""), { headers: caselens.headers(false) });
    } catch (e) {
      caselens.say($("whats-new-status"), plain.OFFLINE, true);
      return;
    }
    if (!resp.ok) {
      caselens.say($("whats-new-status"), resp.status === 422 ? "Enter the date as a day, month and year." : plain.problem(resp.status, "whats-new"), true);
      return;
    }
    const d = await resp.json();
    const from = since ? plain.date(since) : d.last_looked ? "you last looked, " + plain.dateTime(d.last_looked) : plain.dateTime(d.since);
    caselens.say($("whats-new-status"), plain.plural(d.records, "record") + " added or changed since " + from + ".");
    const parts = [];
    for (const s of d.subjects) {
      const part = el("section", { class: "news-subject", "aria-label": s.label });
      part.append(el("h3", { text: s.label === s.subject ? s.subject : s.label + " (" + s.subject + ")" }));
      if (!s.items.length) part.append(el("p", { class: "help", text: "Nothing new in the records you may see." }));
      else part.append(el("ul", { class: "news-list" }, ...s.items.map(item)));
      parts.push(part);
    }
    if (!d.subjects.length) parts.push(el("p", { class: "help", text: "Nobody is on your caseload." }));
    $("whats-new-body").replaceChildren(...parts);
  }

  function start() {
    const history = $("history");
    if (!history) return;
    history.before(build());
    $("whats-new-form").addEventListener("submit", (e) => { e.preventDefault(); show(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.caselens);
