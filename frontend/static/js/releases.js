// Re-releases of a document side by side: for each page released again elsewhere, both page images and
// what one release shows that the other redacts, with the exemption codes added or dropped.

import { getBlob, getJson } from "./api.js";
import { errorBox, h, setTitle } from "./dom.js";
import { exemptionLabel } from "./format.js";

export function mountReleases(outlet, ctx) {
  const documentId = decodeURIComponent(ctx.match[1]);
  const urls = [];
  const names = new Map();
  let stopped = false;
  const header = h("header", {}, h("h1", {}, "Loading the releases…"));
  const list = h("div", { class: "release-list" });
  outlet.append(h("a", { href: `/documents/${encodeURIComponent(documentId)}`, class: "back-link" }, "← Back to the document"), header, list);

  async function image(doc, page, img) {
    try {
      const { blob } = await getBlob(`/documents/${encodeURIComponent(doc)}/pages/${page}/image`, { dpi: 80 });
      if (stopped) return;
      const url = URL.createObjectURL(blob);
      urls.push(url);
      img.src = url;
    } catch (error) {
      img.replaceWith(errorBox(error, "The page image could not be rendered"));
    }
  }

  function side(title, doc, page, productions, shown, codes, boxes) {
    const img = h("img", { class: "page-image release-image", alt: `${title}, page ${page}` });
    image(doc, page, img);
    const inProductions = productions.map((id) => names.get(id) || id).join(", ");
    return h(
      "figure",
      { class: "release-side" },
      h(
        "figcaption",
        {},
        h("a", { href: `/documents/${encodeURIComponent(doc)}?page=${page}` }, `${title}, page ${page}`),
        h("span", { class: "muted small" }, ` · ${boxes} ${boxes === 1 ? "box" : "boxes"} · ${inProductions}`),
      ),
      shown.length
        ? h("div", { class: "release-only" }, h("strong", {}, "Shown here, not in the other release:"), h("ul", {}, shown.map((t) => h("li", {}, h("mark", {}, t)))))
        : h("p", { class: "muted small" }, "Nothing shown here that the other release hides."),
      codes.length ? h("p", {}, h("strong", {}, "Claimed only here: "), codes.map(exemptionLabel).join(", ")) : "",
      img,
    );
  }

  async function load() {
    try {
      const [doc, releases, productions] = await Promise.all([
        getJson(`/documents/${encodeURIComponent(documentId)}`),
        getJson(`/documents/${encodeURIComponent(documentId)}/rereleases`),
        getJson("/productions", { limit: 500 }),
      ]);
      if (stopped) return;
      for (const p of productions.items) names.set(p.id, p.name);
      const title = doc.title || documentId;
      setTitle(`Releases of ${title}`);
      header.replaceChildren(h("h1", {}, `Releases of ${title}`), h("p", { class: "doc-meta" }, "Pages released more than once, matched by their text (MinHash of word 3-grams, similarity 0.5 or more)."));
      if (!releases.items.length) {
        list.replaceChildren(h("p", { class: "muted" }, "No page of this document was released again in the productions you can see."));
        return;
      }
      list.replaceChildren(
        ...releases.items.map((pair) =>
          h(
            "section",
            { class: "card release-pair", "aria-label": `Page ${pair.page_number} and ${pair.other.title || pair.other.document_id} page ${pair.other.page_number}` },
            h("h2", { class: "section-title" }, `Page ${pair.page_number} · similarity ${Math.round(pair.similarity * 100)} %`),
            h(
              "div",
              { class: "release-grid" },
              side(title, documentId, pair.page_number, releases.productions, pair.only_here, pair.codes_only_here, pair.boxes_here),
              side(pair.other.title || pair.other.document_id, pair.other.document_id, pair.other.page_number, pair.other.productions, pair.only_there, pair.codes_only_there, pair.boxes_there),
            ),
          ),
        ),
      );
    } catch (error) {
      list.replaceChildren(errorBox(error, "The releases could not be loaded"));
    }
  }
  load();
  return {
    destroy() {
      stopped = true;
      urls.forEach((u) => URL.revokeObjectURL(u));
    },
  };
}
