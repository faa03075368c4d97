// caselens chat panel: plain English for what the API says in codes. Human dates
// ("14 Feb 2023"), source systems and roles in words, what was withheld and whom to ask,
// and errors a worker can act on. No personal data passes through here except dates.
"use strict";

window.caselens = window.caselens || {};

(function (caselens) {
  const SYSTEMS = {
    LCS: "children's social care (LCS)", EHM: "early help (EHM)", SCHOOL: "school",
    POLICE: "police", HEALTH: "health", HOUSING: "housing", YOUTH_JUSTICE: "youth justice",
    SEND: "SEND", CAMHS: "CAMHS",
  };
  const ACRONYMS = { send: "SEND", camhs: "CAMHS", gp: "GP", lcs: "LCS", ehm: "EHM", ehcp: "EHCP" };
  const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const LOCAL_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });
  const LOCAL_TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });

  // "2023-02-14" -> "14 Feb 2023"; a timestamp -> its day in the UK.
  function date(value) {
    if (!value) return "not recorded";
    const text = String(value);
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? text + "T00:00:00Z" : text);
    if (isNaN(d)) return text;
    return (text.length <= 10 ? DATE : LOCAL_DATE).format(d);
  }
  // A timestamp -> "4 Dec 2026 at 02:27" (UK time).
  function dateTime(value) {
    if (!value) return "not recorded";
    const d = new Date(String(value));
    if (isNaN(d) || String(value).length <= 10) return date(value);
    return LOCAL_DATE.format(d) + " at " + LOCAL_TIME.format(d);
  }
  function words(name) {
    return String(name).split("_").map((w) => ACRONYMS[w.toLowerCase()] || w).join(" ");
  }
  function system(code) { return SYSTEMS[code] || words(code); }
  function role(name) { return words(name); }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }
  function roles(name) { return role(name).replace(/(\w)$/, "$1s"); }
  function list(items, joiner) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + " " + (joiner || "and") + " " + items[items.length - 1];
  }
  function article(text) { return (/^[aeiou]/i.test(text) && !/^(SEND|EHCP)/.test(text) ? "an " : "a ") + text; }

  // What was withheld from the worker's role, by kind of record, and which case-work
  // roles can see it: "3 police records and 1 health record are not shown to family
  // workers; a social worker can see them."
  function withheld(groups, myRole) {
    if (!groups || !groups.length) return "";
    const them = (n) => (n === 1 ? "it" : "them");
    const mine = myRole ? roles(myRole) : "your role";
    const sameRoles = groups.every((g) => g.visible_to_roles.join() === groups[0].visible_to_roles.join());
    if (sameRoles) {
      const total = groups.reduce((n, g) => n + g.records, 0);
      const kinds = list(groups.map((g) => plural(g.records, system(g.source_system) + " record")));
      const who = groups[0].visible_to_roles.map((r) => article(role(r)));
      return kinds + (total === 1 ? " is" : " are") + " not shown to " + mine +
        (who.length ? "; " + list(who, "or") + " can see " + them(total) + "." : "; no other case-work role can see " + them(total) + ".");
    }
    const parts = groups.map((g) => {
      const who = g.visible_to_roles.map((r) => article(role(r)));
      return plural(g.records, system(g.source_system) + " record") +
        (who.length ? " (" + list(who, "or") + " can see " + them(g.records) + ")" : "");
    });
    return list(parts) + " are not shown to " + mine + ".";
  }

  // An HTTP failure in words a worker can act on (the API's own detail is for developers).
  function problem(status, where) {
    if (status === 401) return "Your sign-in was not accepted or has expired. Sign in again with the access token your administrator gave you.";
    if (status === 403 && where === "record") return "You cannot open this record: your role or caseload does not allow it. Ask a colleague whose role can see it.";
    if (status === 403 && where === "chat") return "This child or family is not on your caseload. To look anyway, give your reason below; it is recorded in the audit log.";
    if (status === 403 && where === "conversation") return "This conversation is about a child or family no longer on your caseload, so it cannot be reopened.";
    if (status === 403) return "Your role cannot do this. Ask your manager or system administrator if you need to.";
    if (status === 404 && where === "conversation") return "That conversation has been deleted or has passed its keeping time.";
    if (status === 409) return "This conversation is about another child or family. Start a new conversation to ask about this one.";
    if (status === 413 || status === 422) return "That could not be sent as written. Shorten it or check it and try again.";
    if (status === 503) return "caselens cannot answer just now (it is busy, or the audit log cannot be written), so nothing was shown. Try again in a minute; if it keeps happening, tell your system administrator.";
    return "Something went wrong in caselens. Try again; if it keeps happening, tell your system administrator.";
  }
  const STREAM_ERRORS = {
    audit_failed: "This answer cannot be shown because the audit log could not be written. Try again in a minute; if it keeps happening, tell your system administrator.",
    bad_request: "This question cannot be answered as asked. Try asking it another way, about the chosen child or family.",
    answer_failed: "Something went wrong while answering. Try again; if it keeps happening, tell your system administrator.",
  };
  function streamProblem(code) { return STREAM_ERRORS[code] || STREAM_ERRORS.answer_failed; }
  const OFFLINE = "caselens could not be reached. Check your connection and try again.";

  caselens.plain = { date, dateTime, system, role, roles, plural, list, article, withheld, problem, streamProblem, OFFLINE };
})(window.caselens);
