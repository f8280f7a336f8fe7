// Review tags in the UI: toggle buttons (a document's in the results, a page's and its document's in the
// viewer) that PUT or DELETE the tag, with keyboard shortcuts: the digit of a tag's position toggles it
// on the current result (results) or on the page (viewer; with Shift: on the document). The tags are
// those of the reader's collections (GET /tags), each name once, in the server's order.

import { deleteRequest, getJson, postJson, putJson } from "./api.js";
import { announce, h } from "./dom.js";

let loaded = null;

/** [{name, label}] of the reader's collections, fetched once per page load. */
export function loadTags() {
  if (!loaded) {
    loaded = getJson("/tags")
      .then(({ tags }) => {
        const seen = new Map();
        for (const t of tags) if (!seen.has(t.name)) seen.set(t.name, { name: t.name, label: t.label });
        return [...seen.values()];
      })
      .catch((error) => {
        loaded = null;
        throw error;
      });
  }
  return loaded;
}

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function isTyping(target) {
  return target instanceof HTMLElement && (TYPING.has(target.tagName) || target.isContentEditable);
}

function tagPath(documentId, page, name) {
  const doc = `/documents/${encodeURIComponent(documentId)}`;
  return `${doc}${page ? `/pages/${page}` : ""}/tags/${encodeURIComponent(name)}`;
}

/**
 * A group of toggle buttons for one document (page null) or one page. `active`: the names it has.
 * `what` names the target for screen readers ("this document", "page 3").
 */
export function tagBar({ documentId, page = null, tags, active, what, shortcut = "" }) {
  const on = new Set(active || []);
  const buttons = tags.map((tag, i) => {
    const key = i < 9 ? `${shortcut}${i + 1}` : "";
    const button = h(
      "button",
      {
        type: "button",
        class: "tag-toggle",
        "aria-pressed": String(on.has(tag.name)),
        "aria-keyshortcuts": key || null,
        title: key ? `${tag.label} (key ${key})` : tag.label,
        dataset: { tag: tag.name, index: String(i + 1) },
        onClick: () => toggle(tag, button),
      },
      tag.label,
    );
    return button;
  });
  async function toggle(tag, button) {
    const adding = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    try {
      const path = tagPath(documentId, page, tag.name);
      if (adding) await putJson(path);
      else await deleteRequest(path);
      button.setAttribute("aria-pressed", String(adding));
      announce(`${tag.label} ${adding ? "set on" : "removed from"} ${what}.`);
    } catch (error) {
      announce(`The tag could not be changed: ${error.detail || error.message}`);
    } finally {
      button.disabled = false;
    }
  }
  return h("div", { class: "tag-bar", role: "group", "aria-label": `Tags of ${what}` }, buttons);
}

/** The digit (1-9) of a key press, or 0: event.code, so that Shift+1 is still 1 on every layout. */
export function digitOf(event) {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code || "");
  return match ? Number(match[1]) : 0;
}

/** Clicks the tag button number `n` of `bar`; true when there is one. */
export function pressTag(bar, n) {
  const button = bar?.querySelector(`.tag-toggle[data-index="${n}"]`);
  if (!button || button.disabled) return false;
  button.click();
  return true;
}

/** Digit keys on the result list: toggle that tag of the result holding the focus (or the current one). */
export function resultTagKeys(list) {
  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    const n = digitOf(event);
    if (!n) return;
    const result = document.activeElement?.closest?.(".result") || list.querySelector(".result.current");
    if (result && list.contains(result) && pressTag(result.querySelector(".tag-bar"), n)) event.preventDefault();
  }
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}

/** Bulk tagging request: every document or page of the search `params`; resolves with the answer. */
export function bulkTag(name, params, body) {
  return postJson(`/tags/${encodeURIComponent(name)}/bulk`, body, { params });
}
