// A production's FOIA analytics: what was withheld and under which exemption (a bar chart of pages and
// boxes per code, with its data as a table), failed redactions, pages withheld in full, redaction density
// per document with a link to compare re-releases, and the Vaughn index draft as CSV or JSON.

import { download, getJson } from "./api.js";
import { errorBox, h, svg } from "./dom.js";
import { exemptionLabel, num, plural } from "./format.js";

const ROW = 22;
const LABEL_W = 92;
const KIND_LABELS = { withheld_in_full: "Withheld in full", duplicate: "Duplicate", referred: "Referred" };

/** The analytics card for a production page; call `.refresh()` on it after new files are processed. */
export function createProductionAnalytics(productionId) {
  const params = { production: productionId };
  const failedBox = h("div", { class: "failed-redactions" });
  const chartBox = h("div", { class: "exemption-chart" });
  const withheldBox = h("div", {});
  const densityBox = h("div", { class: "table-wrap" });
  const status = h("p", { class: "muted small", role: "status" });
  const vaughnButton = (format) =>
    h(
      "button",
      {
        type: "button",
        onClick: async () => {
          status.textContent = "Preparing the Vaughn index…";
          try {
            await download(`/productions/${encodeURIComponent(productionId)}/vaughn`, { format }, `vaughn-${productionId}.${format}`);
            status.textContent = "";
          } catch (error) {
            status.replaceChildren(errorBox(error, "The Vaughn index could not be made"));
          }
        },
      },
      `Vaughn index (${format.toUpperCase()})`,
    );
  const section = h(
    "section",
    { class: "card analytics-card", "aria-labelledby": "analytics-title" },
    h(
      "div",
      { class: "card-head" },
      h("h2", { id: "analytics-title", class: "section-title" }, "Exemptions and redactions"),
      h("div", { class: "analytics-actions" }, vaughnButton("csv"), " ", vaughnButton("json")),
    ),
    status,
    failedBox,
    h("h3", {}, "Exemption claims"),
    chartBox,
    withheldBox,
    h("h3", {}, "Redaction density"),
    densityBox,
  );

  async function load() {
    try {
      const [claims, failed, withheld, density] = await Promise.all([
        getJson("/analytics/exemptions", { ...params, group_by: "none" }),
        getJson("/analytics/failed-redactions", params),
        getJson("/analytics/withheld", params),
        getJson("/analytics/density", { ...params, limit: 50 }),
      ]);
      renderFailed(failed.items);
      renderChart(claims.items);
      renderWithheld(withheld.items);
      renderDensity(density.items);
    } catch (error) {
      chartBox.replaceChildren(errorBox(error, "The analytics could not be loaded"));
    }
  }

  function renderFailed(items) {
    if (!items.length) {
      failedBox.replaceChildren();
      return;
    }
    failedBox.replaceChildren(
      h(
        "div",
        { class: "alert failed-redaction-alert", role: "alert" },
        h("strong", {}, `Failed redaction on ${plural(items.length, "page")}: `),
        "text is still under a redaction box in the PDF's text layer. It is kept out of search, snippets and page text here.",
        h(
          "ul",
          {},
          items.map((i) =>
            h(
              "li",
              {},
              h("a", { href: `/documents/${encodeURIComponent(i.document_id)}?page=${i.page_number}` }, `${i.title || i.document_id}, page ${i.page_number}`),
              i.bates ? ` (${i.bates})` : "",
              ` · ${plural(i.boxes, "box", "boxes")}`,
              i.codes.length ? ` · ${i.codes.map(exemptionLabel).join(", ")}` : "",
            ),
          ),
        ),
      ),
    );
  }

  function renderChart(items) {
    if (!items.length) {
      chartBox.replaceChildren(h("p", { class: "muted" }, "No redactions or exemption claims found yet."));
      return;
    }
    // The API's order: codes in the canonical order (b6 before b7C), as on every other screen.
    const rows = items;
    const width = Math.max(280, chartBox.clientWidth || 520);
    const plotW = width - LABEL_W - 60;
    const maxValue = Math.max(1, ...rows.map((r) => Math.max(r.pages, r.boxes)));
    const height = rows.length * ROW * 2 + 8;
    const chart = svg("svg", {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      class: "chart-svg exemption-bars",
      "aria-label": `Exemption claims: ${rows.map((r) => `${exemptionLabel(r.code)} ${r.pages} pages, ${r.boxes} boxes`).join("; ")}`,
    });
    rows.forEach((r, i) => {
      const y = 4 + i * ROW * 2;
      chart.append(
        svg("text", { x: LABEL_W - 6, y: y + ROW - 4, "text-anchor": "end", class: "axis-label code-label" }, exemptionLabel(r.code)),
        svg("g", { class: "bar pages" }, svg("rect", { x: LABEL_W, y, width: Math.max(1, (r.pages / maxValue) * plotW), height: ROW - 6 })),
        svg("text", { x: LABEL_W + (r.pages / maxValue) * plotW + 4, y: y + ROW - 10, class: "axis-label" }, `${num(r.pages)} ${r.pages === 1 ? "page" : "pages"}`),
        svg("g", { class: "bar boxes" }, svg("rect", { x: LABEL_W, y: y + ROW - 4, width: Math.max(1, (r.boxes / maxValue) * plotW), height: ROW - 10 })),
        svg("text", { x: LABEL_W + (r.boxes / maxValue) * plotW + 4, y: y + 2 * ROW - 8, class: "axis-label" }, `${num(r.boxes)} ${r.boxes === 1 ? "box" : "boxes"}`),
      );
    });
    const table = h(
      "details",
      { class: "chart-data" },
      h("summary", {}, "Chart data"),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Exemption"), h("th", { scope: "col" }, "Pages"), h("th", { scope: "col" }, "Boxes"))),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("a", { href: `/search?exemption=${encodeURIComponent(r.code)}&production=${encodeURIComponent(productionId)}` }, exemptionLabel(r.code))),
              h("td", {}, num(r.pages)),
              h("td", {}, num(r.boxes)),
            ),
          ),
        ),
      ),
    );
    chartBox.replaceChildren(h("p", { class: "chart-legend" }, "Pages on which each code is claimed (top bar) and redaction boxes tied to it (lower bar)."), chart, table);
  }

  function renderWithheld(items) {
    if (!items.length) {
      withheldBox.replaceChildren();
      return;
    }
    withheldBox.replaceChildren(
      h("h3", {}, `Pages not released (${num(items.length)})`),
      h(
        "ul",
        { class: "withheld-pages" },
        items.map((i) =>
          h(
            "li",
            {},
            h("a", { href: `/documents/${encodeURIComponent(i.document_id)}?page=${i.page_number}` }, `${i.title || i.document_id}, page ${i.page_number}`),
            ` · ${KIND_LABELS[i.kind] || i.kind}`,
            i.codes.length ? ` · ${i.codes.map(exemptionLabel).join(", ")}` : "",
          ),
        ),
      ),
    );
  }

  function renderDensity(items) {
    if (!items.length) {
      densityBox.replaceChildren(h("p", { class: "muted" }, "No processed documents yet."));
      return;
    }
    densityBox.replaceChildren(
      h(
        "table",
        { class: "density-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Document", "Pages", "Redacted pages", "Boxes", "Withheld pages", "Share redacted", ""].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          {},
          items.map((d) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("a", { href: `/documents/${encodeURIComponent(d.document_id)}` }, d.title || d.document_id)),
              h("td", {}, num(d.pages)),
              h("td", {}, num(d.redacted_pages)),
              h("td", {}, num(d.boxes)),
              h("td", {}, num(d.withheld_pages)),
              h("td", {}, `${(d.mean_redacted_share * 100).toFixed(1)} %`),
              h("td", {}, h("a", { href: `/documents/${encodeURIComponent(d.document_id)}/releases` }, "Compare releases")),
            ),
          ),
        ),
      ),
    );
  }

  load();
  section.refresh = load;
  return section;
}
