// The result list, grouped by document: title, production, date, Bates range, hits, best pages.

import { h, markedFragment } from "./dom.js";
import { batesRange, date, plural } from "./format.js";
import { resultNotes } from "./note_list.js";
import { documentHref } from "./state.js";
import { tagBar } from "./tags.js";

function bestPage(q, documentId, page) {
  return h(
    "li",
    { class: "best-page" },
    h(
      "a",
      { href: documentHref(documentId, page.page_number, q), class: "page-ref" },
      `p. ${page.page_number}`,
      page.bates ? h("span", { class: "bates" }, page.bates) : null,
    ),
    h("p", { class: "snippet" }, markedFragment(page.snippet)),
    resultNotes(page.notes),
  );
}

export function renderResult(item, q, tags = []) {
  const first = item.best_pages?.[0]?.page_number || 1;
  const title = item.title || item.file_name || item.document_id;
  const meta = [
    item.title && item.file_name ? h("span", { class: "file-name" }, item.file_name) : null,
    (item.productions || []).length
      ? h("span", {}, "Production: ", item.productions.map((p) => p.name).join(", "))
      : null,
    h("span", {}, item.document_date ? `Dated ${date(item.document_date)}` : "Undated"),
    item.bates_begin ? h("span", { class: "bates" }, batesRange(item.bates_begin, item.bates_end)) : null,
    h("span", {}, `${plural(item.hit_pages, "page")} with hits of ${item.page_count}`),
  ].filter(Boolean);
  return h(
    "li",
    { class: "result" },
    h(
      "article",
      { "aria-labelledby": `r-${item.document_id}` },
      h("h3", { class: "result-title", id: `r-${item.document_id}` }, h("a", { href: documentHref(item.document_id, first, q) }, title)),
      h("p", { class: "result-meta" }, meta.flatMap((m, i) => (i ? [h("span", { class: "sep", "aria-hidden": "true" }, " · "), m] : [m]))),
      item.best_pages?.length
        ? h("ol", { class: "best-pages", "aria-label": "Best pages" }, item.best_pages.map((p) => bestPage(q, item.document_id, p)))
        : null,
      tags.length ? tagBar({ documentId: item.document_id, tags, active: item.tags, what: title }) : null,
    ),
  );
}

export function renderResults(list, items, q, tags = []) {
  list.replaceChildren(...items.map((item) => renderResult(item, q, tags)));
}
