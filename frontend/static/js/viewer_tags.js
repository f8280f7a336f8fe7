// Tags in the viewer: the page's own tags and its document's, as toggle buttons beside the page. Keys:
// a digit toggles that tag on the page, Shift and the digit on the document (viewer.js forwards them).

import { getJson } from "./api.js";
import { h } from "./dom.js";
import { digitOf, loadTags, pressTag, tagBar } from "./tags.js";

export function createViewerTags({ documentId }) {
  const pageBox = h("div", { class: "tag-row" });
  const documentBox = h("div", { class: "tag-row" });
  const element = h(
    "section",
    { class: "viewer-tags", "aria-labelledby": "tags-title" },
    h("h2", { id: "tags-title", class: "pane-title" }, "Tags"),
    h("p", { class: "muted small" }, "Keys: 1–9 tag the page, Shift+1–9 the document."),
    h("div", { class: "tag-line" }, h("span", { class: "tag-line-label" }, "This page"), pageBox),
    h("div", { class: "tag-line" }, h("span", { class: "tag-line-label" }, "The document"), documentBox),
  );
  let token = 0;

  async function show(pageNumber) {
    token += 1;
    const mine = token;
    let tags;
    let applied;
    try {
      [tags, applied] = await Promise.all([loadTags(), getJson(`/documents/${encodeURIComponent(documentId)}/tags`)]);
    } catch {
      element.hidden = true; // tags are a help, never the reason a page does not show
      return;
    }
    if (mine !== token) return;
    element.hidden = !tags.length;
    const names = (list) => (list || []).map((t) => t.tag);
    pageBox.replaceChildren(
      tagBar({ documentId, page: pageNumber, tags, active: names(applied.pages[String(pageNumber)]), what: `page ${pageNumber}` }),
    );
    documentBox.replaceChildren(
      tagBar({ documentId, tags, active: names(applied.tags), what: "the document", shortcut: "Shift+" }),
    );
  }

  /** A key press the viewer did not use: true when it toggled a tag. */
  function onKey(event) {
    const n = digitOf(event);
    if (!n) return false;
    return pressTag((event.shiftKey ? documentBox : pageBox).querySelector(".tag-bar"), n);
  }

  return { element, show, onKey };
}
