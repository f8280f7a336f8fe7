// The document viewer: opens at the hit's page, shows the page image rendered from the original beside
// its text with the query's hits highlighted, steps through hits across pages, lists the page's
// entities, exemptions and Bates number, copies a citation, downloads the original PDF.

import { ApiError, download, getBlob, getJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { batesRange, date, dateSource, entityTypeLabel, exemptionLabel, num, plural } from "./format.js";
import { pageTextFragment } from "./pagetext.js";
import { navigate } from "./router.js";
import { documentHref, entityHref, lastSearchHref } from "./state.js";
import { pageCitation, rangeCitationForm } from "./viewer_cite.js";
import { citation, pageFacts, pageWarningText, unavailableSection } from "./viewer_facts.js";
import { createNotes } from "./viewer_notes.js";
import { createViewerTags } from "./viewer_tags.js";

const LAYOUTS = { split: "Image and text", text: "Text only", image: "Image only" };
const LAYOUT_KEY = "foia.viewer_layout";
const PAGE_DPI = 110; // the page image's resolution: note regions (PDF points) are placed on it

function readPage(params, doc) {
  const n = Number.parseInt(params.get("page") || "1", 10) || 1;
  return Math.max(1, Math.min(n, doc?.page_count || n));
}

export function mountViewer(outlet, ctx) {
  const documentId = decodeURIComponent(ctx.match[1]);
  let q = ctx.params.get("q") || "";
  let pageNumber = Number.parseInt(ctx.params.get("page") || "1", 10) || 1;
  let doc = null;
  let hitPages = []; // [{page_number, hits}]
  let marks = [];
  let current = -1;
  let pendingHit = "first";
  let imageUrl = null;
  let loadToken = 0;

  const title = h("h1", { class: "doc-title" }, "Loading the document…");
  const meta = h("p", { class: "doc-meta" });
  const backLink = h("a", { href: lastSearchHref(), class: "back-link" }, "← Back to the results");
  const pageInput = h("input", { id: "page-input", type: "number", min: 1, value: pageNumber, class: "page-input" });
  const pageOf = h("span", {});
  const prevPage = h("button", { type: "button", onClick: () => goPage(pageNumber - 1), "aria-label": "Previous page" }, "‹ Page");
  const nextPage = h("button", { type: "button", onClick: () => goPage(pageNumber + 1), "aria-label": "Next page" }, "Page ›");
  const hitStatus = h("span", { class: "hit-status", "aria-live": "polite" });
  const prevHit = h("button", { type: "button", onClick: () => stepHit(-1) }, "‹ Previous hit");
  const nextHit = h("button", { type: "button", onClick: () => stepHit(1) }, "Next hit ›");
  const highlightInput = h("input", { id: "highlight-q", type: "search", value: q, autocomplete: "off" });
  const layoutSelect = h(
    "select",
    { id: "layout", onChange: (e) => setLayout(e.target.value) },
    Object.entries(LAYOUTS).map(([value, label]) => h("option", { value }, label)),
  );
  const image = h("img", { class: "page-image", alt: "" });
  const notes = createNotes({ documentId, image, dpi: PAGE_DPI });
  const imageBox = h("figure", { class: "image-pane" }, notes.canvas, h("figcaption", { class: "muted small" }, "Rendered from the original PDF; drag on it to mark a region for a note"));
  const textBody = h("div", { class: "page-text", tabindex: 0, "aria-label": "Page text" });
  const textSource = h("p", { class: "muted small" });
  const legend = h(
    "p",
    { class: "text-legend", "aria-hidden": "true" },
    h("mark", {}, "hit"),
    h("span", { class: "ann-exemption" }, "exemption"),
    h("span", { class: "ann-entity" }, "entity"),
  );
  const textBox = h(
    "section",
    { class: "text-pane", "aria-labelledby": "text-title" },
    h("h2", { id: "text-title", class: "pane-title" }, "Text"),
    textSource,
    legend,
    textBody,
  );
  const facts = h("aside", { class: "page-facts", "aria-label": "This page" });
  const tagsPane = createViewerTags({ documentId });
  const { output: citationOut, button: copyButton } = pageCitation();
  const rangeCite = rangeCitationForm();
  const downloadButton = h("button", { type: "button", onClick: downloadPdf }, "Download PDF");
  const docPanel = h("section", { class: "doc-panel", "aria-label": "The whole document" });
  const body = h("div", { class: "viewer-body" }, imageBox, textBox);
  const messages = h("div", {});

  const pageForm = h(
    "form",
    { class: "page-form" },
    prevPage,
    h("label", { for: "page-input" }, "Page"),
    pageInput,
    pageOf,
    h("button", { type: "submit", class: "visually-hidden" }, "Go to page"),
    nextPage,
  );
  pageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    goPage(Number.parseInt(pageInput.value, 10) || 1);
  });
  const highlightForm = h(
    "form",
    { class: "highlight-form" },
    h("label", { for: "highlight-q" }, "Highlight"),
    highlightInput,
    h("button", { type: "submit" }, "Apply"),
  );
  highlightForm.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(documentHref(documentId, pageNumber, highlightInput.value.trim()));
  });

  outlet.append(
    backLink,
    h("header", { class: "doc-header" }, title, meta, h("div", { class: "doc-actions" }, downloadButton, copyButton, citationOut), rangeCite.form),
    messages,
    h(
      "div",
      { class: "viewer-toolbar", role: "toolbar", "aria-label": "Pages and hits" },
      pageForm,
      h("div", { class: "hit-nav" }, prevHit, hitStatus, nextHit),
      highlightForm,
      h("div", { class: "field inline" }, h("label", { for: "layout" }, "Show"), layoutSelect),
    ),
    h("p", { class: "muted small keys-hint" }, "Keys: n / p next or previous hit, . / , next or previous page."),
    h("div", { class: "viewer-layout" }, body, facts),
    tagsPane.element,
    notes.panel,
    docPanel,
  );

  function setLayout(value) {
    const layout = value in LAYOUTS ? value : "split";
    sessionStorage.setItem(LAYOUT_KEY, layout);
    layoutSelect.value = layout;
    body.dataset.layout = layout;
  }
  setLayout(sessionStorage.getItem(LAYOUT_KEY) || "split");

  function goPage(n, hit = "first") {
    if (!doc) return;
    const target = Math.max(1, Math.min(doc.page_count, n));
    if (target === pageNumber) return;
    pendingHit = hit;
    navigate(documentHref(documentId, target, q));
  }

  function hitsBefore(page) {
    return hitPages.filter((p) => p.page_number < page).reduce((sum, p) => sum + p.hits, 0);
  }

  function totalHits() {
    return hitPages.reduce((sum, p) => sum + p.hits, 0);
  }

  function showHitStatus() {
    const total = totalHits();
    if (!q) {
      hitStatus.textContent = "No query to highlight";
    } else if (!total && !marks.length) {
      hitStatus.textContent = "No hits in this document";
    } else if (current >= 0) {
      hitStatus.textContent = `Hit ${num(hitsBefore(pageNumber) + current + 1)} of ${num(Math.max(total, marks.length))}`;
    } else {
      hitStatus.textContent = `${plural(Math.max(total, marks.length), "hit")} on ${plural(hitPages.length, "page")}`;
    }
    const before = hitPages.some((p) => p.page_number < pageNumber);
    const after = hitPages.some((p) => p.page_number > pageNumber);
    prevHit.disabled = !(current > 0 || before);
    nextHit.disabled = !(current < marks.length - 1 || after);
  }

  function focusMark(index) {
    marks.forEach((m) => m.classList.remove("current"));
    current = index;
    const mark = marks[index];
    if (mark) {
      mark.classList.add("current");
      mark.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    showHitStatus();
  }

  function stepHit(direction) {
    const next = current + direction;
    if (next >= 0 && next < marks.length) {
      focusMark(next);
      announce(hitStatus.textContent);
      return;
    }
    const candidates = hitPages.filter((p) => (direction > 0 ? p.page_number > pageNumber : p.page_number < pageNumber));
    if (!candidates.length) return;
    const target = direction > 0 ? candidates[0] : candidates[candidates.length - 1];
    goPage(target.page_number, direction > 0 ? "first" : "last");
  }

  async function downloadPdf() {
    downloadButton.disabled = true;
    try {
      await download(`/documents/${encodeURIComponent(documentId)}/file`, null, doc?.file_names?.[0] || "document.pdf");
    } catch (error) {
      messages.replaceChildren(errorBox(error, "The download failed"));
    } finally {
      downloadButton.disabled = false;
    }
  }

  function renderDocument() {
    setTitle(doc.title || doc.file_names?.[0]);
    title.textContent = doc.title || doc.file_names?.[0] || doc.id;
    const parts = [
      doc.title && doc.file_names?.length ? doc.file_names.join(", ") : null,
      doc.productions?.length ? `Production: ${doc.productions.map((p) => p.name).join(", ")}` : null,
      doc.document_date ? `Dated ${date(doc.document_date)}${doc.date_source ? ` (from ${dateSource(doc.date_source)})` : ""}` : "Undated",
      doc.bates_begin ? `Bates ${batesRange(doc.bates_begin, doc.bates_end)}` : null,
      plural(doc.page_count, "page"),
    ].filter(Boolean);
    meta.replaceChildren(parts.join(" · "));
    const warned = (doc.pages || []).filter((p) => p.warning).length;
    if (warned) meta.append(h("span", { class: "badge warn doc-warnings" }, ` ${plural(warned, "page")} with warnings`));
    if (doc.status && doc.status !== "done") meta.append(h("span", { class: "badge warn" }, ` ${doc.status}${doc.error ? `: ${doc.error}` : ""}`));
    pageInput.max = String(doc.page_count);
    pageOf.textContent = `of ${doc.page_count}`;

    const entities = [...(doc.entities || [])].sort((a, b) => b.mentions - a.mentions);
    docPanel.replaceChildren(
      h("h2", { class: "section-title" }, "In this document"),
      h(
        "div",
        { class: "doc-panel-grid" },
        h(
          "section",
          { "aria-labelledby": "doc-entities" },
          h("h3", { id: "doc-entities" }, "Entities"),
          entities.length
            ? h(
                "ul",
                { class: "plain-list" },
                entities.map((e) =>
                  h(
                    "li",
                    {},
                    h("a", { href: entityHref(e.id) }, e.name),
                    h("span", { class: "muted" }, ` ${entityTypeLabel(e.type)} · ${plural(e.mentions, "mention")} · pages `),
                    (e.pages || []).slice(0, 12).flatMap((p, i) => [i ? ", " : "", h("a", { href: documentHref(documentId, p, q) }, String(p))]),
                    (e.pages || []).length > 12 ? "…" : "",
                  ),
                ),
              )
            : h("p", { class: "muted" }, "None found."),
        ),
        h(
          "section",
          { "aria-labelledby": "doc-exemptions" },
          h("h3", { id: "doc-exemptions" }, "Exemptions claimed"),
          doc.exemptions?.length
            ? h("ul", { class: "plain-list" }, doc.exemptions.map((e) => h("li", {}, h("code", {}, exemptionLabel(e.code)), ` on ${plural(e.pages, "page")}`)))
            : h("p", { class: "muted" }, "None found."),
        ),
        h(
          "section",
          { "aria-labelledby": "doc-pages" },
          h("h3", { id: "doc-pages" }, q ? "Pages with hits" : "Pages"),
          q
            ? hitPages.length
              ? h("ul", { class: "page-chips" }, hitPages.map((p) => h("li", {}, h("a", { href: documentHref(documentId, p.page_number, q), "aria-current": p.page_number === pageNumber ? "page" : null }, p.hits ? `p. ${p.page_number} (${p.hits})` : `p. ${p.page_number}`))))
              : h("p", { class: "muted" }, "No page matches the query.")
            : h("p", { class: "muted" }, `${plural(doc.page_count, "page")}; use the page field above.`),
        ),
      ),
    );
  }

  function renderFacts(page) {
    facts.replaceChildren(...pageFacts(doc, page));
  }

  async function loadImage(page, token) {
    image.alt = `Page ${page.number} as released`;
    image.removeAttribute("src");
    imageBox.classList.add("loading");
    try {
      const { blob } = await getBlob(page.image_url || `/documents/${encodeURIComponent(documentId)}/pages/${page.number}/image`, { dpi: PAGE_DPI });
      if (token !== loadToken) return;
      if (imageUrl) URL.revokeObjectURL(imageUrl);
      imageUrl = URL.createObjectURL(blob);
      image.src = imageUrl;
    } catch (error) {
      if (token === loadToken) imageBox.append(errorBox(error, "The page image could not be rendered"));
    } finally {
      imageBox.classList.remove("loading");
    }
  }

  async function loadPage() {
    loadToken += 1;
    const token = loadToken;
    messages.replaceChildren();
    tagsPane.show(pageNumber);
    pageInput.value = String(pageNumber);
    highlightInput.value = q;
    const pagePath = `/documents/${encodeURIComponent(documentId)}/pages/${pageNumber}`;
    try {
      let page;
      try {
        page = await getJson(pagePath, { q });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 400 && error.position !== null && q)) throw error;
        // A query that cannot be read still shows the page, without highlights, and says why.
        messages.replaceChildren(
          errorBox({ title: "", detail: `${error.detail} (character ${error.position + 1})${error.hint ? `; ${error.hint}` : ""}` }, "The highlight query has an error"),
        );
        page = await getJson(pagePath, {});
      }
      if (token !== loadToken) return;
      textSource.textContent = page.source === "ocr" ? "Read by OCR from the page image." : "From the PDF's text layer.";
      textBody.replaceChildren(pageTextFragment(page));
      if (!page.text) textBody.append(h("p", { class: "muted" }, page.warning ? `No text: ${pageWarningText(page.warning)}` : "No text on this page."));
      marks = [...textBody.querySelectorAll("mark")];
      marks.forEach((m, i) => m.setAttribute("data-hit", String(i + 1)));
      current = -1;
      renderFacts(page);
      notes.load(pageNumber);
      citationOut.textContent = citation(doc, page);
      rangeCite.update(doc, pageNumber);
      prevPage.disabled = pageNumber <= 1;
      nextPage.disabled = pageNumber >= doc.page_count;
      renderDocument();
      if (marks.length) focusMark(pendingHit === "last" ? marks.length - 1 : 0);
      else showHitStatus();
      pendingHit = "first";
      await loadImage(page, token);
    } catch (error) {
      if (token === loadToken) messages.replaceChildren(errorBox(error, `Page ${pageNumber} could not be loaded`));
    }
  }

  async function loadHits() {
    if (!q) {
      hitPages = [];
      return;
    }
    try {
      const data = await getJson(`/documents/${encodeURIComponent(documentId)}/hits`, { q });
      hitPages = (data.pages || []).sort((a, b) => a.page_number - b.page_number);
    } catch {
      hitPages = [];
    }
  }

  async function start() {
    try {
      [doc] = await Promise.all([getJson(`/documents/${encodeURIComponent(documentId)}`), loadHits()]);
    } catch (error) {
      title.textContent = "Document not available";
      messages.replaceChildren(errorBox(error, "The document could not be loaded"));
      return;
    }
    if (!doc.pages?.length) {
      showUnavailable();
      return;
    }
    pageNumber = readPage(ctx.params, doc);
    if (!ctx.params.has("page") && hitPages.length) {
      // Opened from a link without a page: start at the first hit.
      pageNumber = hitPages[0].page_number;
      navigate(documentHref(documentId, pageNumber, q), { replace: true });
      return;
    }
    await loadPage();
  }

  /** A file with no stored pages (failed, or not processed yet) gets a page saying so, not an empty viewer. */
  function showUnavailable() {
    title.textContent = doc.title || doc.file_names?.[0] || doc.id;
    setTitle(title.textContent);
    outlet.replaceChildren(backLink, h("header", { class: "doc-header" }, title), unavailableSection(doc));
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "n") stepHit(1);
    else if (event.key === "p" || event.key === "N") stepHit(-1);
    else if (event.key === ".") goPage(pageNumber + 1);
    else if (event.key === ",") goPage(pageNumber - 1);
    else if (!tagsPane.onKey(event)) return;
    event.preventDefault();
  }
  document.addEventListener("keydown", onKey);

  start();
  return {
    async update(next) {
      const nextQ = next.params.get("q") || "";
      const queryChanged = nextQ !== q;
      const nextPage = readPage(next.params, doc);
      if (!queryChanged && nextPage === pageNumber && doc) {
        // Same page again (a link to where we are): go to its first hit instead of reloading.
        if (marks.length) focusMark(0);
        return true;
      }
      q = nextQ;
      pageNumber = nextPage;
      if (queryChanged) await loadHits();
      if (doc) await loadPage();
      return true;
    },
    destroy() {
      document.removeEventListener("keydown", onKey);
      if (imageUrl) URL.revokeObjectURL(imageUrl);
    },
  };
}
