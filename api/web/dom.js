// caselens chat panel: one small helper for the scripts that build parts of the page
// (timeline.js, whatsnew.js, answer_actions.js). Text goes in as textContent, never HTML.
"use strict";

window.caselens = window.caselens || {};

// el("p", { class: "help", text: "…", id: "x" }, child, …) -> the element.
window.caselens.el = function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};
