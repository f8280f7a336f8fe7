// The viewer's pure parts: a page's citation, its facts pane, and the page of a file with no stored
// pages. Each builds from the document and page answers alone (no viewer state), so viewer.js keeps
// only the state and the wiring.

import { h } from "./dom.js";
import { entityTypeLabel, exemptionLabel } from "./format.js";
import { entityHref } from "./state.js";

/** "FBI-000121 (inferred)" when OCR lost the stamp and its place implies the number; null when none. */
export function batesText(page) {
  if (!page?.bates) return null;
  return page.bates_inferred ? `${page.bates} (inferred)` : page.bates;
}

function source(doc) {
  const file = doc.file_names?.[0] || doc.title || doc.id;
  const production = doc.productions?.[0]?.name;
  return `'${file}'${production ? `, production '${production}'` : ""}`;
}

/** "FBI-000123 (p. 4 of 'Rekognition memo.pdf', production 'FBI 2019-11')" */
export function citation(doc, page) {
  const where = `p. ${page.number} of ${source(doc)}`;
  const bates = batesText(page);
  return bates ? `${bates} (${where})` : where;
}

/** "FBI-000120 to FBI-000124 (pp. 1–5 of 'Rekognition memo.pdf', production 'FBI 2019-11')": the range's
 * first and last pages by the document's page summaries; one page is cited as `citation` does. */
export function rangeCitation(doc, from, to) {
  const [first, last] = from <= to ? [from, to] : [to, from];
  const pageOf = (n) => doc.pages?.find((p) => p.number === n) || { number: n, bates: null };
  if (first === last) return citation(doc, pageOf(first));
  const where = `pp. ${first}–${last} of ${source(doc)}`;
  const begin = batesText(pageOf(first));
  const end = batesText(pageOf(last));
  return begin || end ? `${begin || "no Bates"} to ${end || "no Bates"} (${where})` : where;
}

/** code -> how many times the page's text cites it. */
function exemptionCounts(exemptions) {
  const counts = new Map();
  for (const e of exemptions) counts.set(e.code, (counts.get(e.code) || 0) + 1);
  return counts;
}

/** "OCR timed out on this page (…); a retry from its production reads it again." */
export function pageWarningText(warning) {
  const what = warning.kind === "ocr_timeout" ? "OCR timed out on this page" : "OCR stopped on this page";
  return `${what} (${warning.detail}); ${warning.retryable ? "a retry from its production reads it again" : "a retry would not help"}.`;
}

/** The facts pane of one page: its warning, Bates number, text source, exemptions and entities. */
export function pageFacts(doc, page) {
  const pageInfo = doc.pages?.find((p) => p.number === page.number);
  const entities = new Map();
  for (const e of page.entities || []) {
    const seen = entities.get(e.id) || { ...e, count: 0 };
    seen.count += 1;
    entities.set(e.id, seen);
  }
  const warning = page.warning || pageInfo?.warning;
  return [
    h("h2", { class: "pane-title" }, `Page ${page.number}`),
    warning ? h("p", { class: "page-warning", role: "note" }, h("span", { class: "badge warn" }, "Warning"), ` ${pageWarningText(warning)}`) : null,
    h("dl", { class: "facts" }, h("dt", {}, "Bates"), h("dd", { class: "bates" }, batesText(page) || "—"), h("dt", {}, "Text from"), h("dd", {}, page.source === "ocr" ? `OCR${page.ocr_confidence != null ? ` (confidence ${Math.round(page.ocr_confidence)}%)` : ""}` : "the PDF's text layer")),
    h("h3", {}, "Exemptions on this page"),
    // The page's one set of codes (text and boxes, in the canonical order); ×N where the text cites one N times.
    page.exemption_codes?.length
      ? h(
          "ul",
          { class: "plain-list" },
          page.exemption_codes.map((code) => {
            const count = exemptionCounts(page.exemptions || []).get(code) || 0;
            return h("li", {}, h("code", {}, exemptionLabel(code)), count > 1 ? h("span", { class: "muted" }, ` ×${count}`) : "");
          }),
        )
      : pageInfo?.exemptions?.length
        ? h("ul", { class: "plain-list" }, pageInfo.exemptions.map((code) => h("li", {}, h("code", {}, exemptionLabel(code)))))
        : h("p", { class: "muted" }, "None."),
    h("h3", {}, "Entities on this page"),
    entities.size
      ? h("ul", { class: "plain-list" }, [...entities.values()].map((e) => h("li", {}, h("a", { href: entityHref(e.id) }, e.name), h("span", { class: "muted" }, ` ${entityTypeLabel(e.type)}${e.count > 1 ? ` ×${e.count}` : ""}`))))
      : h("p", { class: "muted" }, "None."),
  ].filter(Boolean); // replaceChildren would write a missing warning as the text "null"
}

/** What a file with no stored pages (failed, or not processed yet) shows instead of an empty viewer. */
export function unavailableSection(doc) {
  const production = doc.productions?.[0];
  const why =
    doc.status === "failed"
      ? `This file could not be processed: ${doc.error || "no reason was recorded"}.`
      : `This file is ${doc.status}: its pages are not stored yet.`;
  return h(
    "section",
    { class: "card unavailable-file", role: "status" },
    h("p", {}, why),
    production ? h("p", {}, "Its production lists every file and offers a retry where one can help: ", h("a", { href: `/productions/${encodeURIComponent(production.id)}` }, production.name), ".") : null,
  );
}
