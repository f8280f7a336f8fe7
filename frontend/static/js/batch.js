// Batch search: paste a list of terms (one per line), see how many documents and pages match each,
// under the filters carried in the URL. The terms are in the URL too, so the table can be shared.

import { ApiError, postJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { num } from "./format.js";
import { renderChips } from "./facets.js";
import { navigate } from "./router.js";
import { FACETS, emptyFilters, filterParams, readSearchState, searchHref, toggleFilter, withChange } from "./state.js";

function csvCell(value) {
  const text = String(value ?? "");
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function mountBatch(outlet, ctx) {
  let state = readSearchState(ctx.params);
  let terms = ctx.params.get("terms") || "";
  let rows = [];

  const textarea = h("textarea", {
    id: "batch-terms",
    name: "terms",
    rows: 8,
    spellcheck: "false",
    "aria-describedby": "batch-help",
    placeholder: 'clearview\n"face recognition"\ncellebrite w/5 license',
  });
  const chipsBox = h("div", { class: "chips-box", hidden: true });
  const result = h("div", { class: "batch-result", "aria-live": "polite" });
  const downloadButton = h("button", { type: "button", hidden: true, onClick: downloadCsv }, "Download counts as CSV");
  const form = h(
    "form",
    { class: "batch-form" },
    h("label", { for: "batch-terms" }, "Terms or queries, one per line"),
    h("p", { id: "batch-help", class: "muted small" }, "Each line is a full query (phrases, w/N, fields all work). At most 200 lines."),
    textarea,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Count matches"), downloadButton),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = filterParams(state, { withQuery: false });
    const value = textarea.value
      .split("\n")
      .map((t) => t.trim())
      .filter(Boolean)
      .join("\n");
    if (value) params.set("terms", value);
    navigate(`/batch?${params}`);
  });

  outlet.append(
    h("h1", {}, "Batch search"),
    h("p", {}, "Count the documents and pages that match each term in a list, for example every vendor named in a request."),
    chipsBox,
    form,
    result,
  );

  function downloadCsv() {
    const lines = [["query", "documents", "pages", "error"].join(",")];
    for (const row of rows) lines.push([row.query, row.documents ?? "", row.pages ?? "", row.error?.detail ?? ""].map(csvCell).join(","));
    const href = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
    const link = h("a", { href, download: "foia-batch-search.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }

  async function load() {
    setTitle("Batch search");
    textarea.value = terms;
    const go = (next) => {
      const params = filterParams(next, { withQuery: false });
      if (terms) params.set("terms", terms);
      navigate(`/batch?${params}`);
    };
    renderChips(chipsBox, state, {
      onRemove: (facet, value) => go(toggleFilter(state, facet, value)),
      onRemoveDates: () => go(withChange(state, { date_from: "", date_to: "" })),
      onClear: () => go(withChange(state, { filters: emptyFilters(), date_from: "", date_to: "" })),
    });
    const queries = terms.split("\n").map((t) => t.trim()).filter(Boolean);
    downloadButton.hidden = true;
    if (!queries.length) {
      result.replaceChildren();
      return;
    }
    const body = { queries };
    for (const facet of FACETS) if (state.filters[facet].length) body[facet] = state.filters[facet];
    if (state.date_from) body.date_from = state.date_from;
    if (state.date_to) body.date_to = state.date_to;
    result.replaceChildren(h("p", {}, "Counting…"));
    try {
      const data = await postJson("/search/batch", body);
      rows = data.items;
      downloadButton.hidden = false;
      const table = h(
        "table",
        { class: "data-table batch-table" },
        h("caption", {}, `Matches for ${queries.length} ${queries.length === 1 ? "query" : "queries"}`),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Query"), h("th", { scope: "col", class: "num" }, "Documents"), h("th", { scope: "col", class: "num" }, "Pages"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Results"))),
        ),
        h(
          "tbody",
          {},
          rows.map((row) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("code", {}, row.query)),
              row.error
                ? h("td", { colspan: 2, class: "error" }, `Query error at character ${(row.error.position ?? 0) + 1}: ${row.error.detail}`)
                : [h("td", { class: "num" }, num(row.documents)), h("td", { class: "num" }, num(row.pages))],
              h("td", {}, row.error ? "" : h("a", { href: searchHref({ ...state, q: row.query, sort: "relevance", page: 1, cursor: "" }) }, "Show results")),
            ),
          ),
        ),
      );
      result.replaceChildren(table);
      announce(`Counted ${rows.length} queries.`);
    } catch (error) {
      result.replaceChildren(errorBox(error, error instanceof ApiError && error.status === 400 ? "A query could not be read" : "The batch search failed"));
    }
  }

  load();
  return {
    update(next) {
      state = readSearchState(next.params);
      terms = next.params.get("terms") || "";
      load();
      return true;
    },
  };
}
