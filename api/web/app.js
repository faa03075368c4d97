// caselens chat panel: plain JavaScript, no build step. All record text is inserted with
// textContent (never as HTML). The token lives only in this tab's sessionStorage, with
// the open conversation (its id and subject: no question or answer text).
//
// Hook for other scripts (copy, export, feedback): every answer in the thread is an
// `li.turn[data-answer-id]` holding an empty `.answer-actions` container; when an answer
// is complete (or reopened) `caselens:answer` is dispatched on `document` with
// `detail = { element, answer }`, and `caselens.answerOf(id)` returns the Answer. The turn's
// number in the thread is `data-turn` ("1", "2", …): a form or region added per answer needs
// a name that differs between answers (axe landmark-unique), e.g. "Was answer 2 useful?".
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const $ = (id) => document.getElementById(id);
  const plain = caselens.plain;
  const state = {
    token: sessionStorage.getItem("caselens-token") || "",
    me: null,
    subject: null,
    label: "",
    conversation: null,
    glass: null,        // { subject, reason }: break glass for this subject and conversation only
    withheld: {},       // subject -> what the overview says is withheld from this role
    answers: new Map(), // answer id -> Answer
    busy: false,
  };
  caselens.state = state;

  // The break-glass reason goes only with requests about the subject it was given for.
  function headers(extra) {
    const h = { Authorization: "Bearer " + state.token };
    if (extra !== false && state.glass && state.glass.subject === state.subject) {
      h["X-Break-Glass-Reason"] = state.glass.reason;
    }
    return Object.assign(h, extra || {});
  }
  function say(el, text, isError) {
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }
  function remember() {
    sessionStorage.setItem("caselens-open", JSON.stringify(
      { subject: state.subject, label: state.label, conversation: state.conversation }));
  }
  caselens.headers = headers;
  caselens.say = say;
  caselens.answerOf = (id) => state.answers.get(id);

  // --- sign in -------------------------------------------------------------------------
  async function signIn(token) {
    state.token = token;
    let resp;
    try { resp = await fetch("/me", { headers: { Authorization: "Bearer " + token } }); }
    catch (e) { say($("token-error"), plain.OFFLINE, true); $("token-error").hidden = false; return; }
    if (!resp.ok) {
      sessionStorage.removeItem("caselens-token");
      state.token = "";
      $("sign-in").hidden = false;
      $("workspace").hidden = true;
      $("token-error").hidden = false;
      say($("token-error"), resp.status === 401
        ? "That token was not accepted. Check you pasted all of it, or ask your administrator for a new one."
        : plain.problem(resp.status), true);
      $("token").focus();
      return;
    }
    state.me = await resp.json();
    sessionStorage.setItem("caselens-token", token);
    $("sign-in").hidden = true;
    $("workspace").hidden = false;
    $("who").hidden = false;
    $("who-text").textContent = state.me.user + " (" + (state.me.role_description || plain.role(state.me.role)) + ")";
    const launch = new URLSearchParams(location.search).get("subject");
    const open = JSON.parse(sessionStorage.getItem("caselens-open") || "null");
    caselens.history.refresh();
    // A reload keeps the open conversation (unless the link names another subject).
    if (open && open.conversation && (!launch || launch === open.subject)) reopen(open.conversation);
    else if (launch) chooseSubject(launch, launch);
    else if (open && open.subject) chooseSubject(open.subject, open.label || open.subject);
    $("chat-title").focus();
  }

  $("sign-in-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const token = $("token").value.trim();
    if (!token) {
      $("token-error").hidden = false;
      say($("token-error"), "Enter your caselens access token.", true);
      $("token").focus();
      return;
    }
    signIn(token);
  });
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem("caselens-token");
    sessionStorage.removeItem("caselens-open");
    location.replace(location.pathname);
  });

  // --- subjects and break glass --------------------------------------------------------
  function onCaseload(id) {
    return !!(state.me && (state.me.caseload || []).includes(id));
  }

  // A child's or family's name as the caseload search gives it to this worker ("Hall
  // family", "Ant Hall"): never a pseudonym ("[Child 1]") or a bare id where a name is known.
  const PLACEHOLDER = /^\[[^\]]*\]/;
  function readable(id, label) {
    if (label && label !== id && !PLACEHOLDER.test(label)) return label;
    const known = caselens.history.nameOf(id);
    return known !== id ? known : "";
  }

  function showChosen() {
    const id = state.subject;
    const name = readable(id, state.label);
    const strong = document.createElement("strong");
    strong.textContent = name || id;
    const ref = document.createElement("span");
    ref.className = "subject-id";
    ref.textContent = name ? " (" + id + ")" : "";
    $("subject-chosen").replaceChildren("Asking about: ", strong, ref);
    // One Tab from the chosen child to the question box, not through every overview link.
    $("to-question-line").hidden = false;
  }
  $("to-question").addEventListener("click", (ev) => {
    ev.preventDefault();
    $("question").focus();
  });

  function chooseSubject(id, label, keepConversation) {
    const changed = state.subject !== id;
    state.subject = id;
    state.label = readable(id, label) || id;
    if (changed && !keepConversation) newConversation(false, false);
    if (state.glass && state.glass.subject !== id) endGlass();
    showChosen();
    // A launch link, a reload or a reopened conversation may come before the names do.
    caselens.history.ready().then(() => {
      if (state.subject !== id || readable(id, state.label) === state.label) return;
      state.label = readable(id, state.label) || id;
      showChosen();
      remember();
    });
    for (const b of document.querySelectorAll("#subject-results button")) {
      b.setAttribute("aria-pressed", String(b.dataset.id === id));
    }
    remember();
    showOverview(id);
  }

  function askForGlass(id) {
    $("glass-form").hidden = false;
    $("glass-subject").textContent = id;
    $("glass-form").dataset.subject = id;
    $("break-glass").focus();
  }

  function startGlass(subject, reason) {
    state.glass = { subject, reason };
    $("glass-banner").hidden = false;
    $("glass-banner-text").textContent = "You are looking at " + subject +
      ", who is not on your caseload. Your reason is recorded with every question and record you open: \u201c" +
      reason + "\u201d. It ends when you start a new conversation or choose someone else.";
    $("glass-form").hidden = true;
  }
  function endGlass() {
    state.glass = null;
    $("glass-banner").hidden = true;
    $("break-glass").value = "";
  }

  $("glass-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const reason = $("break-glass").value.trim();
    const subject = $("glass-form").dataset.subject;
    if (!reason) {
      $("glass-error").hidden = false;
      say($("glass-error"), "Give your reason for looking outside your caseload.", true);
      $("break-glass").focus();
      return;
    }
    $("glass-error").hidden = true;
    startGlass(subject, reason);
    chooseSubject(subject, subject);  // a new conversation, glass kept for this subject
    $("question").focus();
  });
  $("glass-stop").addEventListener("click", () => {
    endGlass();
    newConversation(true);
    state.subject = null;
    $("subject-chosen").textContent = "No child or family chosen yet.";
    $("to-question-line").hidden = true;
    $("overview").hidden = true;
    remember();
    $("subject-q").focus();
  });

  function subjectButton(id, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.dataset.id = id;
    b.textContent = label;
    b.setAttribute("aria-pressed", String(state.subject === id));
    b.addEventListener("click", () => chooseSubject(id, label));
    return b;
  }

  const ID = /^(FAM|LP)-[A-Za-z0-9]+$/;

  $("subject-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const list = $("subject-results");
    list.replaceChildren();
    $("glass-form").hidden = true;
    const typed = $("subject-q").value.trim();
    let resp;
    try { resp = await fetch("/subjects?q=" + encodeURIComponent(typed), { headers: headers(false) }); }
    catch (e) { say($("subject-status"), plain.OFFLINE, true); return; }
    if (!resp.ok) { say($("subject-status"), plain.problem(resp.status), true); return; }
    const body = await resp.json();
    if (!body.subjects.length) {
      if (ID.test(typed)) {
        say($("subject-status"), typed + " is not on your caseload. If you need to look anyway, give your reason (break glass).");
        askForGlass(typed);
      } else {
        say($("subject-status"), "No child or family on your caseload matches \u201c" + typed +
          "\u201d. Check the spelling, or search by their caselens id (FAM-… or LP-…).");
      }
      return;
    }
    say($("subject-status"), plain.plural(body.subjects.length, "matching family", "matching families") + ".");
    for (const s of body.subjects) {
      const li = document.createElement("li");
      li.append(subjectButton(s.id, s.label + " (whole family)"));
      for (const m of s.members) {
        li.append(subjectButton(m.id, m.label + (m.born ? " (born " + m.born + ")" : "")));
      }
      list.append(li);
    }
  });

  // --- overview of the chosen child or family (GET /subjects/{id}/overview) -------------
  function recordButton(r, quote) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "record-ref link";
    b.textContent = plain.system(r.source_system) + " " + plain.role(r.record_type) + ", " +
      plain.date(r.occurred_at) + (r.author_role ? ", " + r.author_role : "");
    b.addEventListener("click", () => caselens.source.open(r.source_system, r.record_id, quote ? [quote] : [], b));
    return b;
  }

  function askButton(question) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "ask-about secondary";
    b.textContent = "Ask about this";
    b.addEventListener("click", () => { $("question").value = question; $("question").focus(); });
    return b;
  }

  function overviewPart(title, items, render, empty) {
    const part = document.createElement("section");
    const h = document.createElement("h3");
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
    li.append(recordButton(f.record, f.text));
    if (f.reliability === "third_party_allegation") {
      const o = document.createElement("p");
      o.className = "outcome";
      o.textContent = "Recorded outcome: " + (f.outcome || "none recorded in this record");
      li.append(o);
    }
  }

  // The overview opens beside a new conversation on a wide screen; on a phone, and once a
  // question is asked, it is one line and a button, so the answers come first.
  const WIDE = window.matchMedia("(min-width: 641px)");
  function overviewOpen(open) {
    $("overview-parts").hidden = !open;
    $("overview-toggle").setAttribute("aria-expanded", String(open));
    $("overview-toggle").textContent = open ? "Hide the overview" : "Show the overview";
  }
  $("overview-toggle").addEventListener("click", () => {
    overviewOpen($("overview-parts").hidden);
  });

  async function showOverview(id) {
    const box = $("overview");
    const body = $("overview-body");
    box.hidden = false;
    body.replaceChildren();
    $("overview-summary").textContent = "";
    overviewOpen(WIDE.matches && !$("thread").children.length);
    say($("overview-status"), "Loading the overview…");
    let resp;
    try { resp = await fetch("/subjects/" + encodeURIComponent(id) + "/overview", { headers: headers() }); }
    catch (e) { say($("overview-status"), plain.OFFLINE, true); return; }
    if (state.subject !== id) return;  // another child or family was chosen meanwhile
    if (!resp.ok) {
      if (resp.status === 403 && !state.glass) askForGlass(id);
      say($("overview-status"), plain.problem(resp.status, "chat"), true);
      return;
    }
    const ov = await resp.json();
    // The household by name, as the caseload search gives it: never "[Child 1]" because
    // the overview came back before the names did.
    await caselens.history.ready();
    if (state.subject !== id) return;
    state.withheld[id] = ov.withheld;
    say($("overview-status"), "");
    $("overview-summary").textContent = "From " + plain.plural(ov.records_shown, "record") + " you may see: " +
      plain.plural(ov.involvement.length, "service") + " involved, " + plain.plural(ov.events.length, "key event") +
      ", " + plain.plural(ov.concerns.length, "concern") + ", " +
      plain.plural(ov.strengths.length, "strength or protective factor", "strengths or protective factors") + ".";
    $("overview-note").textContent = ov.facts_only;
    body.append(overviewPart("Who is involved", ov.involvement, (li, i) => {
      li.append(plain.system(i.source_system) + ": " + plain.plural(i.records, "record") + ", " +
        plain.date(i.first_recorded) + " to " + plain.date(i.latest_recorded) + (i.current ? " (recent)" : "") +
        (i.roles.length ? "; " + i.roles.join(", ") : "") + ". Latest: ");
      li.append(recordButton(i.latest_contact));
    }, "No records you may see."));
    body.append(overviewPart("What has happened", ov.events, (li, e) => {
      li.append(plain.date(e.date) + " " + e.label + ": ");
      const q = document.createElement("q");
      q.textContent = e.quote;
      li.append(q, " ", recordButton(e.record, e.quote));
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
      const name = readable(m.linked_person_id, m.label) || m.label;
      if (!m.may_open) { li.append(name + " (not on your caseload)"); return; }
      const b = document.createElement("button");
      b.type = "button";
      b.className = "record-ref link";
      b.textContent = name + (m.is_child ? " (child)" : "") + ": open overview";
      b.addEventListener("click", () => chooseSubject(m.linked_person_id, name));
      li.append(b);
    }, "No linked family recorded."));
    const look = overviewPart("Where to look next", [], () => {}, "");
    const p = look.querySelector("p");
    p.textContent = ov.withheld.length
      ? plain.withheld(ov.withheld, state.me.role) + " Ask them if you need to know more."
      : "Nothing about this child or family is withheld from your role.";
    body.append(look);
  }

  // --- the thread ----------------------------------------------------------------------
  // A new conversation ends break glass too (it lasts one conversation), unless the
  // reason was just given for the subject being chosen.
  function newConversation(announce, endsGlass) {
    state.conversation = null;
    $("thread").replaceChildren();
    $("thread-empty").hidden = false;
    $("record").hidden = true;
    if (state.glass && endsGlass !== false) endGlass();
    remember();
    if (announce) say($("status"), "New conversation started.");
  }
  caselens.newConversation = newConversation;
  $("new-conversation").addEventListener("click", () => { newConversation(true); $("question").focus(); });

  function citeButton(turn, n) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "cite";
    b.dataset.n = String(n);
    b.textContent = String(n);
    // The name starts with the visible number (WCAG 2.5.3 label in name).
    b.setAttribute("aria-label", n + ": open source " + n);
    b.addEventListener("click", () => openCitation(turn, n, b));
    return b;
  }

  function openCitation(turn, n, opener) {
    const c = turn.citations.find((x) => x.n === n);
    if (!c) return;
    // Every quote this answer took from the same record is highlighted.
    const quotes = turn.citations
      .filter((x) => x.source_system === c.source_system && x.record_id === c.record_id)
      .map((x) => x.quote);
    caselens.source.open(c.source_system, c.record_id, quotes, opener);
  }

  const LABELS = { refusal: "Not something caselens can do: ", closest: "Related record: " };

  function label(p, text) {
    const k = document.createElement("span");
    k.className = "kind-label";
    k.textContent = text;
    p.append(k);
  }

  function renderSentence(turn, s) {
    const p = document.createElement("p");
    p.className = "sentence " + (s.kind || "fact") + (s.supported === false ? " unsupported" : "");
    if (LABELS[s.kind]) label(p, LABELS[s.kind]);
    if (s.supported === false) label(p, "Not supported by the records (not a fact): ");
    const answersItem = s.outcome && s.disputed;
    if (answersItem) {
      // A party's answer to the item above (a denial, a dispute): their account of it, never
      // how the matter was settled (as the terminal's "disputed by a party").
      p.classList.add("outcome", "disputed");
      label(p, "Disputed by a party: ");
    } else if (s.outcome) {
      // Part of the item above: how the allegation, concern or incident was resolved.
      p.classList.add("outcome");
      label(p, "Recorded outcome: ");
    }
    if (s.account) {
      // Another account of the event above (another person's, another record's).
      p.classList.add("account");
      label(p, "Other account" + (s.occurred_at ? " (" + plain.date(s.occurred_at) + ")" : "") + ": ");
    } else if (s.occurred_at && (s.kind === "fact" || s.kind === "closest") && s.supported !== false) {
      const t = document.createElement("time");
      t.className = "when";
      t.dateTime = String(s.occurred_at).slice(0, 10);
      t.textContent = plain.date(s.occurred_at) + ": ";
      p.append(t);
    }
    p.append(document.createTextNode(s.text));
    for (const n of s.citations || []) p.append(citeButton(turn, n));
    // How the record knows it, and whose account it is ("neighbour's allegation").
    if (s.supported !== false && (s.kind === "fact" || s.kind === "closest") && s.provenance) {
      const how = document.createElement("span");
      how.className = "provenance";
      // A person's own denial is their account, a denial; anything else records a dispute.
      const flag = !s.disputed || answersItem ? "" : s.reliability === "self_reported" ? ", a denial" : ", disputed in the record";
      how.textContent = " (" + s.provenance + flag + ")";
      p.append(how);
    }
    return p;
  }

  function renderSources(turn) {
    const list = turn.el.querySelector(".sources ol");
    list.replaceChildren();
    for (const c of turn.citations) {
      const li = document.createElement("li");
      li.value = c.n;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = (c.title || plain.role(c.record_type)) + ", " + plain.system(c.source_system) + ", " +
        plain.date(c.occurred_at);
      b.addEventListener("click", () => openCitation(turn, c.n, b));
      const how = document.createElement("span");
      how.className = "help";
      how.textContent = " Recorded in " + c.source_system + (c.last_refreshed ? " on " + plain.date(c.last_refreshed) : "") +
        (c.author ? " by " + plain.article(c.author) : "") + ".";
      li.append(b, how);
      list.append(li);
    }
    turn.el.querySelector(".sources").hidden = !turn.citations.length;
  }

  // What the worker should know beside the answer: where it looked and what was withheld.
  function noteFor(answer) {
    const searched = answer.searched_systems && answer.searched_systems.length
      ? "Searched " + plain.list(answer.searched_systems.map(plain.system)) + "." : "";
    if (!answer.withheld_count) return searched;
    const groups = state.withheld[answer.subject] || [];
    const why = plain.plural(answer.withheld_count, "record") + (answer.withheld_count === 1 ? " was" : " were") +
      " not searched because your role cannot see " + (answer.withheld_count === 1 ? "it" : "them") + ".";
    const who = groups.length ? " For this child or family: " + plain.withheld(groups, state.me.role) : "";
    return [searched, why + who].filter(Boolean).join(" ");
  }

  function addTurn(question, asked) {
    $("thread-empty").hidden = true;
    const li = document.createElement("li");
    li.className = "turn";
    li.dataset.answerId = "";
    li.dataset.turn = String($("thread").children.length + 1);
    const h = document.createElement("h3");
    h.className = "turn-question";
    h.tabIndex = -1;
    const lead = document.createElement("span");
    lead.className = "turn-lead";
    lead.textContent = asked ? "You asked on " + plain.dateTime(asked) + ": " : "You asked: ";
    h.append(lead, question);
    const as = document.createElement("p");
    as.className = "answered-as";
    as.hidden = true;
    const ans = document.createElement("div");
    ans.className = "answer";
    ans.setAttribute("aria-busy", "true");
    const note = document.createElement("p");
    note.className = "turn-note help";
    const sources = document.createElement("div");
    sources.className = "sources";
    sources.hidden = true;
    const sh = document.createElement("h4");
    sh.textContent = "Sources";
    sources.append(sh, document.createElement("ol"));
    const actions = document.createElement("div");
    actions.className = "answer-actions";
    li.append(h, as, ans, note, sources, actions);
    $("thread").append(li);
    return { el: li, answer: ans, citations: [] };
  }

  function finishTurn(turn, data) {
    turn.citations = data.citations || [];
    turn.el.dataset.answerId = data.answer_id;
    state.answers.set(data.answer_id, data);
    turn.answer.replaceChildren(...data.sentences.map((s) => renderSentence(turn, s)));
    turn.answer.setAttribute("aria-busy", "false");
    const as = turn.el.querySelector(".answered-as");
    // A follow-up ("and since the move?") is answered as the question it means: say which.
    as.textContent = data.resolved_question ? "Answered as: " + data.resolved_question : "";
    as.hidden = !data.resolved_question;
    renderSources(turn);
    turn.el.querySelector(".turn-note").textContent = noteFor(data);
    document.dispatchEvent(new CustomEvent("caselens:answer", { detail: { element: turn.el, answer: data } }));
  }

  function failTurn(turn, text) {
    turn.answer.setAttribute("aria-busy", "false");
    turn.answer.replaceChildren();
    const p = document.createElement("p");
    p.className = "error-message";
    p.textContent = text;
    turn.answer.append(p);
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

  async function ask() {
    const question = $("question").value.trim();
    $("question-error").hidden = true;
    if (state.busy) return;
    if (!state.subject) {
      $("question-error").hidden = false;
      say($("question-error"), "Choose a child or family first.", true);
      $("subject-q").focus();
      return;
    }
    if (!question) {
      $("question-error").hidden = false;
      say($("question-error"), "Type your question.", true);
      $("question").focus();
      return;
    }
    state.busy = true;
    $("ask-button").setAttribute("aria-disabled", "true");
    if (!$("thread").children.length) overviewOpen(false);
    const turn = addTurn(question);
    // The answer is read from its start: the question at the top of the window (focus stays
    // in the question box, so a follow-up can be typed at once).
    turn.el.scrollIntoView({ block: "start" });
    $("question").value = "";
    say($("status"), "Searching the records…");
    try {
      const resp = await fetch("/chat", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({ subject: state.subject, question, conversation_id: state.conversation,
          filters: caselens.chatFilters ? caselens.chatFilters() : null,
          break_glass_reason: state.glass && state.glass.subject === state.subject ? state.glass.reason : null }),
      });
      if (!resp.ok) {
        const text = plain.problem(resp.status, "chat");
        failTurn(turn, text);
        say($("status"), text, true);
        if (resp.status === 403) askForGlass(state.subject);
        return;
      }
      state.conversation = resp.headers.get("X-Conversation-Id") || state.conversation;
      remember();
      const reader = resp.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), (name, data) => {
          if (name === "sentence") turn.answer.append(renderSentence(turn, data));
          else if (name === "answer") {
            finishTurn(turn, data);
            say($("status"), data.refused ? "Answered the factual part; the rest was refused."
              : "Answer complete: " + plain.plural(data.sentences.length, "sentence") + ", " +
                plain.plural(turn.citations.length, "source") + ".");
          } else if (name === "error") {
            const text = plain.streamProblem(data.code);
            failTurn(turn, text);
            say($("status"), text, true);
          }
        });
      }
      caselens.history.refresh();
    } catch (e) {
      failTurn(turn, plain.OFFLINE);
      say($("status"), plain.OFFLINE, true);
    } finally {
      state.busy = false;
      $("ask-button").removeAttribute("aria-disabled");
    }
  }

  $("ask-form").addEventListener("submit", (ev) => { ev.preventDefault(); ask(); });
  // Enter asks; Shift+Enter starts a new line.
  $("question").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ask(); }
  });

  // --- reopening a kept conversation ---------------------------------------------------
  async function reopen(id) {
    let resp;
    try { resp = await fetch("/conversations/" + encodeURIComponent(id), { headers: headers(false) }); }
    catch (e) { say($("status"), plain.OFFLINE, true); return; }
    if (!resp.ok) {
      say($("history-status"), plain.problem(resp.status, "conversation"), true);
      if (state.conversation === id) newConversation(false);
      return;
    }
    const body = await resp.json();
    newConversation(false);
    chooseSubject(body.subject, caselens.history.nameOf(body.subject), true);
    overviewOpen(false);
    state.conversation = body.conversation_id;
    remember();
    for (const t of body.turns) {
      const turn = addTurn(t.answer.question, t.asked_at);
      finishTurn(turn, t.answer);
    }
    say($("status"), "Conversation reopened: " + plain.plural(body.turns.length, "question") + ". Ask a follow-up below.");
    $("thread-title").focus();
  }
  caselens.reopen = reopen;

  if (state.token) signIn(state.token);
})(window.caselens);
