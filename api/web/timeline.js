// caselens chat panel: the timeline of the chosen child or family (GET
// /subjects/{id}/timeline). Every record the worker may see on one dated line (system,
// type, author's role, title), oldest first, filterable by system, record type and dates;
// each line opens the source record. "Use these filters for my questions" narrows the
// next questions the same way (POST /chat `filters`, through caselens.chatFilters).
// Record text is inserted with textContent only. Built by this script after #overview.
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const $ = (id) => document.getElementById(id);
  const plain = caselens.plain;
  let subject = null;       // the subject the timeline was loaded for
  let narrowing = null;     // { subject, filters, label } while questions are narrowed

  const el = caselens.el;

  function build() {
    const section = el("section", { id: "timeline", class: "timeline", "aria-labelledby": "timeline-title", hidden: "" });
    const head = el("div", { class: "timeline-head" },
      el("h2", { id: "timeline-title", text: "Timeline" }),
      el("button", { type: "button", id: "timeline-toggle", class: "secondary", "aria-expanded": "false",
                     "aria-controls": "timeline-body", text: "Show the timeline" }));
    const form = el("form", { id: "timeline-filters", class: "timeline-filters", novalidate: "" },
      el("fieldset", { id: "timeline-systems" }, el("legend", { text: "Source system" })),
      el("fieldset", { id: "timeline-types" }, el("legend", { text: "Record type" })),
      el("div", { class: "timeline-dates" },
        el("div", {}, el("label", { for: "timeline-from", text: "From" }),
          el("input", { id: "timeline-from", type: "date" })),
        el("div", {}, el("label", { for: "timeline-to", text: "To" }),
          el("input", { id: "timeline-to", type: "date" }))),
      el("p", { id: "timeline-error", class: "error-message", hidden: "" }),
      el("div", { class: "timeline-buttons" },
        el("button", { type: "submit", text: "Apply filters" }),
        el("button", { type: "button", id: "timeline-clear", class: "secondary", text: "Clear filters" }),
        el("button", { type: "button", id: "timeline-narrow", class: "secondary",
                       text: "Use these filters for my questions" })));
    const body = el("div", { id: "timeline-body", hidden: "" },
      el("p", { class: "help", text: "Every record you may see about them, oldest first. Choose a line to open the record." }),
      form,
      el("p", { id: "timeline-status", class: "status", role: "status" }),
      el("ol", { id: "timeline-list", class: "timeline-list" }));
    section.append(head, body);
    const narrowed = el("div", { id: "question-narrowed", class: "narrowed", hidden: "" },
      el("p", { id: "question-narrowed-text" }),
      el("button", { type: "button", id: "question-narrowed-stop", class: "secondary",
                     text: "Stop narrowing my questions" }));
    return { section, narrowed };
  }

  function chosen(fieldset) {
    return [...fieldset.querySelectorAll("input:checked")].map((i) => i.value);
  }

  function filters() {
    return {
      systems: chosen($("timeline-systems")),
      record_types: chosen($("timeline-types")),
      date_from: $("timeline-from").value || null,
      date_to: $("timeline-to").value || null,
    };
  }

  function describe(f) {
    const parts = [];
    if (f.systems.length) parts.push(f.systems.map(plain.system).join(", "));
    if (f.record_types.length) parts.push(f.record_types.map(plain.role).join(", "));
    if (f.date_from) parts.push("from " + plain.date(f.date_from));
    if (f.date_to) parts.push("to " + plain.date(f.date_to));
    return parts.join("; ");
  }

  function checkboxes(fieldset, name, values, picked, label) {
    fieldset.querySelectorAll(".check").forEach((c) => c.remove());
    values.forEach((value, i) => {
      const id = name + "-" + i;
      const box = el("input", { type: "checkbox", id, value });
      box.checked = picked.includes(value);
      fieldset.append(el("div", { class: "check" }, box, el("label", { for: id, text: label(value) })));
    });
  }

  function line(x) {
    const when = el("time", { datetime: x.occurred_at, text: plain.date(x.occurred_at) });
    const what = [plain.system(x.source_system), plain.role(x.record_type), x.author_role, x.title]
      .filter(Boolean).join(" \u00b7 ");
    const b = el("button", { type: "button", class: "link", text: what });
    b.addEventListener("click", () => caselens.source.open(x.source_system, x.record_id, [], b));
    return el("li", {}, when, " ", b);
  }

  async function load(f) {
    const id = caselens.state.subject;
    if (!id) return;
    const params = new URLSearchParams();
    for (const s of f.systems) params.append("system", s);
    for (const t of f.record_types) params.append("record_type", t);
    if (f.date_from) params.set("from", f.date_from);
    if (f.date_to) params.set("to", f.date_to);
    caselens.say($("timeline-status"), "Loading the timeline…");
    let resp;
    try {
      resp = await fetch("/subjects/" + encodeURIComponent(id) + "/timeline?" + params, { headers: caselens.headers() });
    } catch (e) {
      caselens.say($("timeline-status"), plain.OFFLINE, true);
      return;
    }
    if (!resp.ok) {
      caselens.say($("timeline-status"), resp.status === 422
        ? "Check the dates: the \u2018To\u2019 date must not be before the \u2018From\u2019 date."
        : plain.problem(resp.status, "timeline"), true);
      return;
    }
    const t = await resp.json();
    subject = id;
    checkboxes($("timeline-systems"), "timeline-system", t.systems, f.systems, plain.system);
    checkboxes($("timeline-types"), "timeline-type", t.record_types, f.record_types, plain.role);
    $("timeline-list").replaceChildren(...t.lines.map(line));
    const narrowedBy = describe(f);
    let text = t.lines.length === t.records_permitted
      ? plain.plural(t.records_permitted, "record") + ", oldest first."
      : plain.plural(t.lines.length, "record") + " of " + t.records_permitted + " match " + narrowedBy + ".";
    if (t.withheld_records) {
      text += " " + plain.plural(t.withheld_records, "record is", "records are") +
        " not shown to your role (see the overview for where to ask).";
    }
    caselens.say($("timeline-status"), text);
  }

  function narrow() {
    const f = filters();
    const text = describe(f);
    if (!text) {
      caselens.say($("timeline-status"), "Choose a system, a record type or dates first, then use them for your questions.", true);
      return;
    }
    narrowing = { subject: caselens.state.subject, filters: f };
    $("question-narrowed-text").textContent = "Your questions about this child or family only search: " + text + ".";
    $("question-narrowed").hidden = false;
    $("question").focus();
  }

  function stopNarrowing(announce) {
    narrowing = null;
    $("question-narrowed").hidden = true;
    if (announce) $("question").focus();
  }

  // POST /chat reads this: the filters for the chosen subject, or null.
  caselens.chatFilters = () =>
    narrowing && narrowing.subject === caselens.state.subject ? narrowing.filters : null;

  function reset() {
    if (!caselens.state || caselens.state.subject === subject) return;
    subject = null;
    $("timeline").hidden = !caselens.state.subject;
    $("timeline-body").hidden = true;
    $("timeline-toggle").setAttribute("aria-expanded", "false");
    $("timeline-toggle").textContent = "Show the timeline";
    $("timeline-list").replaceChildren();
    $("timeline-from").value = "";
    $("timeline-to").value = "";
    checkboxes($("timeline-systems"), "timeline-system", [], [], String);
    checkboxes($("timeline-types"), "timeline-type", [], [], String);
    caselens.say($("timeline-status"), "");
    if (narrowing && narrowing.subject !== caselens.state.subject) stopNarrowing(false);
  }

  function start() {
    const overview = $("overview");
    const ask = $("ask-form");
    if (!overview || !ask) return;
    const { section, narrowed } = build();
    overview.after(section);
    $("ask-button").before(narrowed);
    $("timeline-toggle").addEventListener("click", () => {
      const open = $("timeline-body").hidden;
      $("timeline-body").hidden = !open;
      $("timeline-toggle").setAttribute("aria-expanded", String(open));
      $("timeline-toggle").textContent = open ? "Hide the timeline" : "Show the timeline";
      if (open && subject !== caselens.state.subject) load(filters());
    });
    $("timeline-filters").addEventListener("submit", (e) => { e.preventDefault(); load(filters()); });
    $("timeline-clear").addEventListener("click", () => {
      $("timeline-from").value = "";
      $("timeline-to").value = "";
      load({ systems: [], record_types: [], date_from: null, date_to: null });
    });
    $("timeline-narrow").addEventListener("click", narrow);
    $("question-narrowed-stop").addEventListener("click", () => stopNarrowing(true));
    // The chosen subject is announced in #subject-chosen: follow it.
    new MutationObserver(reset).observe($("subject-chosen"), { childList: true, characterData: true, subtree: true });
    reset();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.caselens);
