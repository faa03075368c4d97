// caselens chat panel: what a worker can do with an answer, in its `.answer-actions`
// container (filled when app.js dispatches `caselens:answer`): copy it for case notes
// (plain text with numbered references), download it as a Word document, print it, and
// say whether it was useful (thumbs up or down, reason chips, an optional comment; names
// in the comment are replaced before it is stored). Every copy, download and rating is
// recorded in the audit log by the API (POST /answers/{id}/export, /feedback).
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  let reasons = null; // GET /feedback/reasons, once

  const el = caselens.el;

  async function exported(answer, format) {
    return fetch("/answers/" + encodeURIComponent(answer.answer_id) + "/export", {
      method: "POST",
      headers: caselens.headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ answer, format, subject_label: caselens.state.label || "" }),
    });
  }

  function problem(status) {
    if (status === 404 || status === 422) {
      return "This answer can no longer be copied (it is not one of your recent answers). Ask the question again.";
    }
    return caselens.plain.problem(status, "export");
  }

  async function copy(answer, status, turn) {
    caselens.say(status, "Copying…");
    let resp;
    try { resp = await exported(answer, "text"); } catch (e) { caselens.say(status, caselens.plain.OFFLINE, true); return; }
    if (!resp.ok) { caselens.say(status, problem(resp.status), true); return; }
    const text = await resp.text();
    const refs = caselens.plain.plural((answer.citations || []).length, "numbered reference");
    try {
      await navigator.clipboard.writeText(text);
      caselens.say(status, "Copied with " + refs + ". Paste it into the case notes.");
    } catch (e) {
      // No clipboard (an older browser, or permission refused): show the text to copy by hand.
      let box = turn.querySelector(".copy-text");
      if (!box) {
        const id = "copy-" + answer.answer_id;
        box = el("textarea", { class: "copy-text", id, rows: "8", readonly: "" });
        turn.querySelector(".answer-actions").append(
          el("label", { for: id, text: "The answer for case notes: select it all and copy it" }), box);
      }
      box.value = text;
      box.focus();
      box.select();
      caselens.say(status, "Your browser did not let caselens copy. The text is selected below: copy it with Ctrl+C.");
    }
  }

  async function download(answer, status) {
    caselens.say(status, "Preparing the Word document…");
    let resp;
    try { resp = await exported(answer, "docx"); } catch (e) { caselens.say(status, caselens.plain.OFFLINE, true); return; }
    if (!resp.ok) { caselens.say(status, problem(resp.status), true); return; }
    const blob = await resp.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: "caselens-answer.docx" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    caselens.say(status, "Downloaded caselens-answer.docx.");
  }

  function print(turn) {
    document.body.classList.add("print-one");
    turn.classList.add("printing");
    const done = () => {
      document.body.classList.remove("print-one");
      turn.classList.remove("printing");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  async function loadReasons() {
    if (reasons) return reasons;
    const resp = await fetch("/feedback/reasons", { headers: caselens.headers(false) });
    reasons = resp.ok ? await resp.json() : { up: [], down: [] };
    return reasons;
  }

  function feedbackForm(answer, turn) {
    const id = answer.answer_id;
    // Each answer's form is a landmark: its name says which answer (axe landmark-unique).
    const form = el("form", { class: "feedback", novalidate: "", "aria-label": "Feedback on answer " + (turn.dataset.turn || id) });
    const yes = el("button", { type: "button", class: "secondary thumb", "aria-pressed": "false", "data-rating": "up", text: "Yes" });
    const no = el("button", { type: "button", class: "secondary thumb", "aria-pressed": "false", "data-rating": "down", text: "No" });
    const chips = el("fieldset", { class: "chips", hidden: "" }, el("legend", { text: "What made it so? (optional)" }));
    const commentId = "fb-comment-" + id;
    const more = el("div", { class: "feedback-more", hidden: "" },
      chips,
      el("label", { for: commentId, text: "Anything else? (optional)" }),
      el("p", { id: commentId + "-help", class: "help", text: "Do not write names or other details about the family: any you write are replaced before your comment is kept." }),
      el("textarea", { id: commentId, rows: "2", maxlength: "1000", "aria-describedby": commentId + "-help" }),
      el("button", { type: "submit", text: "Send feedback" }));
    const status = el("p", { class: "status", role: "status" });
    form.append(
      el("h4", { id: "fb-title-" + id, text: "Was this answer useful?" }),
      el("div", { class: "thumbs" }, yes, no), more, status);
    let rating = null;
    async function choose(button) {
      rating = button.dataset.rating;
      yes.setAttribute("aria-pressed", String(button === yes));
      no.setAttribute("aria-pressed", String(button === no));
      const all = await loadReasons();
      chips.querySelectorAll(".check").forEach((c) => c.remove());
      (all[rating] || []).forEach((r) => {
        const cid = "fb-" + id + "-" + r.code;
        chips.append(el("div", { class: "check" }, el("input", { type: "checkbox", id: cid, value: r.code }),
          el("label", { for: cid, text: r.label })));
      });
      chips.hidden = false;
      more.hidden = false;
      caselens.say(status, "Choose any reasons, then send your feedback.");
    }
    yes.addEventListener("click", () => choose(yes));
    no.addEventListener("click", () => choose(no));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!rating) return;
      const body = {
        rating,
        reasons: [...chips.querySelectorAll("input:checked")].map((i) => i.value),
        comment: form.querySelector("textarea").value.trim() || null,
      };
      let resp;
      try {
        resp = await fetch("/answers/" + encodeURIComponent(id) + "/feedback", {
          method: "POST", headers: caselens.headers({ "Content-Type": "application/json" }), body: JSON.stringify(body) });
      } catch (err) { caselens.say(status, caselens.plain.OFFLINE, true); return; }
      if (!resp.ok) { caselens.say(status, problem(resp.status).replace("copied", "rated"), true); return; }
      const saved = await resp.json();
      form.querySelector("textarea").value = saved.comment || "";
      caselens.say(status, "Thank you: your feedback was saved." + (saved.replaced
        ? " " + caselens.plain.plural(saved.replaced, "name or detail was", "names or details were") + " replaced in your comment, as shown."
        : ""));
    });
    return form;
  }

  function fill(turn, answer) {
    const box = turn.querySelector(".answer-actions");
    if (!box || !answer || !answer.answer_id) return;
    const status = el("p", { class: "status", role: "status" });
    const copyB = el("button", { type: "button", class: "secondary", text: "Copy for case notes" });
    const docB = el("button", { type: "button", class: "secondary", text: "Download (.docx)" });
    const printB = el("button", { type: "button", class: "secondary", text: "Print" });
    copyB.addEventListener("click", () => copy(answer, status, turn));
    docB.addEventListener("click", () => download(answer, status));
    printB.addEventListener("click", () => print(turn));
    box.replaceChildren(el("div", { class: "action-buttons" }, copyB, docB, printB), status, feedbackForm(answer, turn));
  }

  document.addEventListener("caselens:answer", (e) => fill(e.detail.element, e.detail.answer));
})(window.caselens);
