// caselens chat panel: the source record beside the chat. The quoted words of every
// citation of the record are highlighted and the first is scrolled into view; "Previous
// quote" and "Next quote" move between them; closing returns focus to what opened it.
// Record text is inserted as text nodes only (never as HTML).
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const $ = (id) => document.getElementById(id);
  const plain = caselens.plain;
  const view = { opener: null, marks: [], at: -1 };

  // Where each quote sits in the text: exact first, then ignoring runs of spaces.
  function spans(text, quotes) {
    const found = [];
    for (const quote of quotes) {
      const q = (quote || "").trim();
      if (!q) continue;
      let at = text.indexOf(q), len = q.length;
      if (at < 0) {
        const pattern = q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
        const m = new RegExp(pattern).exec(text);
        if (m) { at = m.index; len = m[0].length; }
      }
      if (at >= 0 && !found.some((s) => at < s.end && at + len > s.start)) found.push({ start: at, end: at + len });
    }
    return found.sort((a, b) => a.start - b.start);
  }

  function showText(text, quotes) {
    const box = $("record-text");
    box.replaceChildren();
    view.marks = [];
    let pos = 0;
    for (const s of spans(text, quotes)) {
      box.append(document.createTextNode(text.slice(pos, s.start)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(s.start, s.end);
      mark.tabIndex = -1;
      box.append(mark);
      view.marks.push(mark);
      pos = s.end;
    }
    box.append(document.createTextNode(text.slice(pos)));
  }

  function showQuote(i) {
    if (!view.marks.length) return;
    view.at = (i + view.marks.length) % view.marks.length;
    view.marks.forEach((m, j) => m.classList.toggle("current", j === view.at));
    const mark = view.marks[view.at];
    mark.scrollIntoView({ block: "center" });
    $("quote-position").textContent = "Quote " + (view.at + 1) + " of " + view.marks.length;
  }

  function row(dl, term, value) {
    const div = document.createElement("div");
    div.className = "summary-row";
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value || "not recorded";
    div.append(dt, dd);
    dl.append(div);
  }

  // Open a record: (system, id, quotes to highlight, the element to return focus to).
  async function open(system, recordId, quotes, opener) {
    const aside = $("record");
    view.opener = opener || document.activeElement;
    aside.hidden = false;
    $("record-provenance").replaceChildren();
    $("record-text").textContent = "";
    $("record-heading").textContent = "";
    $("record-heading").hidden = true;
    $("record-link").hidden = true;
    $("quote-nav").hidden = true;
    caselens.say($("record-status"), "Opening the " + plain.system(system) + " record…");
    $("record-title").focus();
    const url = "/records/" + encodeURIComponent(system) + "/" + encodeURIComponent(recordId) +
      (caselens.state.subject ? "?subject=" + encodeURIComponent(caselens.state.subject) : "");
    let resp;
    try { resp = await fetch(url, { headers: caselens.headers() }); }
    catch (e) { caselens.say($("record-status"), plain.OFFLINE, true); return; }
    if (!resp.ok) { caselens.say($("record-status"), plain.problem(resp.status, "record"), true); return; }
    const rec = await resp.json();
    const p = rec.provenance;
    const from = plain.system(p.source_system);
    const author = [p.author.name, p.author.role, p.author.organisation].filter(Boolean).join(", ");
    const dl = $("record-provenance");
    row(dl, "What happened on", plain.date(p.record_date));
    row(dl, "Recorded in " + p.source_system, plain.date(p.recorded_at) + (author ? " by " + author : ""));
    row(dl, "Last refreshed from " + p.source_system, p.last_refreshed ? plain.dateTime(p.last_refreshed) : "not yet refreshed");
    row(dl, "Indexed by caselens on", p.indexed_at ? plain.dateTime(p.indexed_at) : "not yet indexed");
    row(dl, "How often caselens refreshes it", p.refreshes);
    $("record-heading").textContent = (rec.title || plain.role(rec.record_type)) + " (" + from + ")";
    $("record-heading").hidden = false;
    showText(rec.text, quotes || []);
    const link = $("record-link");
    link.href = p.source_url;
    link.textContent = "Open this record in " + p.source_system;
    link.hidden = false;
    if (view.marks.length) {
      $("quote-nav").hidden = false;
      for (const b of [$("quote-prev"), $("quote-next")]) b.hidden = view.marks.length < 2;
      showQuote(0);
      caselens.say($("record-status"), plain.plural(view.marks.length, "quoted passage") + " highlighted.");
    } else {
      caselens.say($("record-status"), quotes && quotes.length
        ? "The quoted words could not be found exactly in this record; the whole record is shown." : "");
    }
  }

  function close() {
    $("record").hidden = true;
    const back = view.opener;
    view.opener = null;
    if (back && document.contains(back)) back.focus();
    else $("question").focus();
  }

  $("record-close").addEventListener("click", close);
  $("quote-prev").addEventListener("click", () => showQuote(view.at - 1));
  $("quote-next").addEventListener("click", () => showQuote(view.at + 1));
  $("record").addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); close(); } });

  caselens.source = { open, close };
})(window.caselens);
