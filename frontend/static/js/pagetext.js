// A page's text with three layers: the query's hits (<mark>, from the API's highlighted_text), the
// exemption codes claimed on the page and the entities found on it (character offsets into `text`).

import { decodeEntities, h } from "./dom.js";

/** highlighted_text -> {plain, marks: [[start, end], ...]} with offsets into the decoded text. */
export function parseHighlighted(html) {
  let plain = "";
  let open = null;
  const marks = [];
  for (const part of String(html || "").split(/(<mark>|<\/mark>)/i)) {
    if (/^<mark>$/i.test(part)) open = plain.length;
    else if (/^<\/mark>$/i.test(part)) {
      if (open !== null && plain.length > open) marks.push([open, plain.length]);
      open = null;
    } else plain += decodeEntities(part);
  }
  return { plain, marks };
}

function spansOf(page) {
  const spans = [];
  for (const e of page.exemptions || []) {
    if (Number.isInteger(e.start) && e.end > e.start) spans.push({ start: e.start, end: e.end, kind: "exemption", label: `Exemption ${e.code}` });
  }
  for (const e of page.entities || []) {
    if (Number.isInteger(e.start) && e.end > e.start) spans.push({ start: e.start, end: e.end, kind: "entity", label: e.name, type: e.type });
  }
  return spans;
}

/** Renders text[from, to) with exemption and entity spans as nested elements. */
function annotated(text, from, to, spans) {
  const cuts = new Set([from, to]);
  for (const s of spans) {
    if (s.end <= from || s.start >= to) continue;
    cuts.add(Math.max(from, s.start));
    cuts.add(Math.min(to, s.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    if (a === b) continue;
    let node = document.createTextNode(text.slice(a, b));
    for (const s of spans) {
      if (s.start <= a && s.end >= b) {
        node = h("span", { class: s.kind === "exemption" ? "ann-exemption" : `ann-entity ann-${s.type}`, title: s.label }, node);
      }
    }
    out.push(node);
  }
  return out;
}

/**
 * The page text as DOM: <mark> for each hit (one element per hit, for stepping), exemption and entity
 * spans inside and between them. Falls back to the marks alone when the offsets do not fit the text.
 */
export function pageTextFragment(page) {
  const text = page.text || "";
  const { plain, marks } = page.highlighted_text ? parseHighlighted(page.highlighted_text) : { plain: text, marks: [] };
  const base = plain === text ? text : plain;
  const spans = plain === text ? spansOf(page) : [];
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of marks) {
    fragment.append(...annotated(base, at, start, spans));
    fragment.append(h("mark", {}, annotated(base, start, end, spans)));
    at = end;
  }
  fragment.append(...annotated(base, at, base.length, spans));
  return fragment;
}
