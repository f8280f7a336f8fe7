// Small DOM helpers: build elements node by node (never by parsing HTML), render server snippets safely.

/**
 * h("a", {href: "/x", class: "btn", onClick: fn}, "text", child) -> HTMLElement.
 * Attributes starting with "on" become event listeners; `dataset` and boolean attributes work too.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "text") {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * The API's snippets and highlighted texts are HTML-escaped text whose only tags are <mark> and </mark>.
 * This turns one into DOM nodes without ever parsing it as HTML.
 */
export function markedFragment(html) {
  const fragment = document.createDocumentFragment();
  let mark = null;
  for (const part of String(html || "").split(/(<mark>|<\/mark>)/i)) {
    if (/^<mark>$/i.test(part)) {
      mark = document.createElement("mark");
      fragment.append(mark);
    } else if (/^<\/mark>$/i.test(part)) {
      mark = null;
    } else if (part) {
      (mark || fragment).append(document.createTextNode(decodeEntities(part)));
    }
  }
  return fragment;
}

/** Announces a short message to screen readers (and shows it in the status line). */
export function announce(message) {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}

/** A visible error box for a failed request. */
export function errorBox(error, what = "The request failed") {
  const detail = error?.detail || error?.message || String(error);
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("strong", {}, `${what}: `),
    error?.title && error.title !== detail ? `${error.title}. ` : "",
    detail,
  );
}

export function setTitle(text) {
  document.title = text ? `${text} · FOIA Discovery` : "FOIA Discovery";
}

/**
 * Runs render() that replaces the contents of `container`, then gives the focus back to the element with
 * the same id (or to fallback()) if the focus was inside: keyboard users keep their place.
 */
export function preserveFocus(container, render, fallback) {
  const active = document.activeElement;
  const inside = active && active !== document.body && container.contains(active);
  const id = inside ? active.id : "";
  render();
  if (!inside) return;
  const again = id ? document.getElementById(id) : null;
  if (again && container.contains(again)) again.focus();
  else fallback?.()?.focus?.();
}
