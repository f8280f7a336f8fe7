// The search page: query box, facets, date histogram, results grouped by document, paging on the
// API's cursor, CSV export. Every bit of state is in the URL (see state.js).

import { ApiError, download, getJson } from "./api.js";
import { keepResponsive } from "./chart.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { renderChips, renderFacets } from "./facets.js";
import { num, plural } from "./format.js";
import { INTERVALS, renderHistogram } from "./histogram.js";
import { createQueryBox } from "./querybox.js";
import { resultKeys } from "./resultkeys.js";
import { renderResults } from "./results.js";
import { createBulkTagger } from "./bulktags.js";
import { loadTags, resultTagKeys } from "./tags.js";
import { navigate } from "./router.js";
import { saveSearchButton } from "./saved.js";
import { renderSuggestions } from "./suggestions.js";
import {
  FACETS,
  LAST_SEARCH_KEY,
  PAGE_SIZES,
  SORTS,
  emptyFilters,
  filterParams,
  readSearchState,
  toggleFilter,
  withChange,
  writeSearchState,
} from "./state.js";


// Cursors seen per search (filters + sort), so "Previous" works after paging forward.
const cursorMemory = new Map();

function searchKey(state) {
  const params = filterParams(state);
  params.set("sort", state.sort);
  params.set("limit", String(state.limit));
  return params.toString();
}

function rememberCursor(state, page, cursor) {
  const key = searchKey(state);
  if (!cursorMemory.has(key)) cursorMemory.set(key, new Map([[1, ""]]));
  cursorMemory.get(key).set(page, cursor);
}

function knownCursor(state, page) {
  return cursorMemory.get(searchKey(state))?.get(page);
}

function readInterval(params) {
  const value = params.get("interval");
  return value in INTERVALS ? value : "year";
}

export function mountSearch(outlet, ctx) {
  let state = readSearchState(ctx.params);
  let interval = readInterval(ctx.params);
  let controller = null;
  let histogramData = null;

  const hrefFor = (next, nextInterval = interval) => {
    const params = writeSearchState(next);
    if (nextInterval !== "year") params.set("interval", nextInterval);
    const query = params.toString();
    return `/search${query ? `?${query}` : ""}`;
  };
  const go = (next, options) => navigate(hrefFor(next), options);

  const list = h("ol", { class: "results-list", id: "results-list", "aria-label": "Results" });
  const keys = resultKeys(list);
  const stopTagKeys = resultTagKeys(list);
  const bulk = createBulkTagger({ paramsOf: () => filterParams(state), onDone: () => load() });
  // Two ways past the toolbar and the facets: the first focusable element of the page, and one right
  // after the query box's button (without it the first result is dozens of Tab presses away).
  const skipLink = (className) =>
    h(
      "a",
      {
        href: "#results-list",
        class: className,
        onClick: (event) => {
          event.preventDefault();
          keys.focusResults();
        },
      },
      "Skip to results",
    );
  const topSkip = skipLink("skip-link skip-results");
  document.body.prepend(topSkip);
  const queryBox = createQueryBox({
    value: state.q,
    onSubmit: (q) => go(withChange(state, { q })),
    afterSubmit: skipLink("skip-inline"),
  });

  const sortSelect = h(
    "select",
    { id: "sort", name: "sort", onChange: (e) => go(withChange(state, { sort: e.target.value })) },
    Object.entries(SORTS).map(([value, label]) => h("option", { value }, label)),
  );
  const limitSelect = h(
    "select",
    { id: "per-page", name: "limit", onChange: (e) => go(withChange(state, { limit: Number(e.target.value) })) },
    PAGE_SIZES.map((n) => h("option", { value: n }, String(n))),
  );
  const exportButton = h(
    "button",
    {
      type: "button",
      onClick: async () => {
        const params = filterParams(state);
        params.set("format", "csv");
        exportButton.disabled = true;
        announce("Preparing the CSV export…");
        try {
          await download("/search/export", params, "foia-search.csv");
          announce("CSV export downloaded.");
        } catch (error) {
          announce(`The export failed: ${error.detail || error.message}`);
        } finally {
          exportButton.disabled = false;
        }
      },
    },
    "Export CSV",
  );
  const batchLink = h("a", { class: "button-link" }, "Batch search");
  const saver = saveSearchButton(() => state);
  const summary = h("p", { class: "summary", "aria-live": "polite" });
  const chipsBox = h("div", { class: "chips-box", hidden: true });
  const message = h("div", { class: "results-message" });
  const suggestionsBox = h("div", { class: "suggestions", role: "status", hidden: true });
  const pager = h("nav", { class: "pager", "aria-label": "Result pages" });
  const facetsBox = h("div", { class: "facets-body" });
  const histogramBox = h("section", { class: "histogram", "aria-label": "Documents over time" });
  const filtersToggle = h(
    "button",
    {
      type: "button",
      class: "filters-toggle",
      "aria-expanded": "false",
      "aria-controls": "facets-panel",
      onClick: () => {
        const open = filtersToggle.getAttribute("aria-expanded") !== "true";
        filtersToggle.setAttribute("aria-expanded", String(open));
        facetsPanel.classList.toggle("open", open);
      },
    },
    "Filters",
  );
  const facetsPanel = h(
    "aside",
    { class: "facets-panel", id: "facets-panel", "aria-labelledby": "facets-title" },
    h("h2", { id: "facets-title", class: "section-title" }, "Filter the results"),
    facetsBox,
  );

  outlet.append(
    h("h1", { class: "visually-hidden" }, "Search"),
    h(
      "section",
      { class: "search-top" },
      queryBox.element,
      h(
        "div",
        { class: "toolbar" },
        h("div", { class: "field inline" }, h("label", { for: "sort" }, "Sort by"), sortSelect),
        h("div", { class: "field inline" }, h("label", { for: "per-page" }, "Per page"), limitSelect),
        exportButton,
        saver.button,
        bulk.element,
        batchLink,
        filtersToggle,
      ),
    ),
    h(
      "div",
      { class: "search-layout" },
      facetsPanel,
      h("section", { class: "results-column", "aria-labelledby": "results-title" }, h("h2", { id: "results-title", class: "visually-hidden" }, "Results"), chipsBox, histogramBox, summary, suggestionsBox, message, list, h("p", { class: "muted small keys-hint" }, "Keys: j / k next or previous result, 1–9 toggle that tag on it."), pager),
    ),
  );

  function renderHist() {
    renderHistogram(histogramBox, histogramData, state, {
      interval,
      onRange: (from, to) => go(withChange(state, { date_from: from || "", date_to: to || "" })),
      onInterval: (next) => {
        interval = next;
        navigate(hrefFor(state, next), { replace: true });
      },
    });
  }
  const stopResize = keepResponsive(histogramBox, renderHist);

  function renderPager(data) {
    const items = [];
    const prev = state.page - 1;
    if (prev >= 1) {
      const cursor = prev === 1 ? "" : knownCursor(state, prev);
      if (cursor !== undefined) {
        items.push(h("a", { href: hrefFor({ ...state, page: prev, cursor }), rel: "prev" }, "← Previous"));
      } else {
        items.push(h("a", { href: hrefFor({ ...state, page: 1, cursor: "" }) }, "← First page"));
      }
    }
    items.push(h("span", { class: "page-number", "aria-current": "page" }, `Page ${state.page}`));
    if (data.next_cursor) {
      rememberCursor(state, state.page + 1, data.next_cursor);
      items.push(h("a", { href: hrefFor({ ...state, page: state.page + 1, cursor: data.next_cursor }), rel: "next" }, "Next →"));
    }
    pager.replaceChildren(...items);
  }

  function renderFilters(facets) {
    renderFacets(facetsBox, facets, state, (facet, value) => go(toggleFilter(state, facet, value)));
    renderChips(chipsBox, state, {
      onRemove: (facet, value) => go(toggleFilter(state, facet, value)),
      onRemoveDates: () => go(withChange(state, { date_from: "", date_to: "" })),
      onClear: () => go(withChange(state, { filters: emptyFilters(), date_from: "", date_to: "" })),
      focusAfter: () => queryBox.input,
    });
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    queryBox.clearError();
    queryBox.setValue(state.q);
    sortSelect.value = state.sort;
    limitSelect.value = String(state.limit);
    const batchParams = filterParams(state, { withQuery: false });
    batchLink.setAttribute("href", `/batch${batchParams.toString() ? `?${batchParams}` : ""}`);
    setTitle(state.q ? `“${state.q}”` : "Search");
    rememberCursor(state, state.page, state.cursor);
    sessionStorage.setItem(LAST_SEARCH_KEY, hrefFor(state));
    summary.textContent = "Searching…";
    list.setAttribute("aria-busy", "true");
    facetsPanel.setAttribute("aria-busy", "true");
    message.replaceChildren();
    renderSuggestions(suggestionsBox, [], "", () => "");

    const params = filterParams(state);
    if (state.sort !== "relevance") params.set("sort", state.sort);
    params.set("limit", String(state.limit));
    if (state.cursor) params.set("cursor", state.cursor);
    const histParams = filterParams(state);
    histParams.set("interval", interval);

    const histogram = getJson("/search/histogram", histParams, { signal }).catch((error) => error);
    const tagList = loadTags().catch(() => []); // no tag buttons rather than no results
    try {
      const data = await getJson("/search", params, { signal });
      const tags = await tagList;
      list.removeAttribute("aria-busy");
      facetsPanel.removeAttribute("aria-busy");
      renderFilters(data.facets);
      renderResults(list, data.items, state.q, tags);
      bulk.setCounts(data.total_documents, data.total_pages);
      keys.reset();
      renderSuggestions(suggestionsBox, data.suggestions, state.q, (q) => hrefFor(withChange(state, { q })));
      const where = state.page > 1 ? ` · page ${state.page}` : "";
      summary.textContent = `${plural(data.total_documents, "document")} (${plural(data.total_pages, "page")} with hits)${where}`;
      announce(`${num(data.total_documents)} documents found.`);
      if (!data.items.length) {
        message.replaceChildren(
          h("p", { class: "empty" }, state.q || FACETS.some((f) => state.filters[f].length) ? "Nothing matches. Try fewer words, OR, or remove a filter." : ["No documents yet. ", h("a", { href: "/productions" }, "Add a production"), " to start."]),
        );
      }
      renderPager(data);
    } catch (error) {
      if (error.name === "AbortError") return;
      list.removeAttribute("aria-busy");
      facetsPanel.removeAttribute("aria-busy");
      list.replaceChildren();
      pager.replaceChildren();
      renderFilters(null);
      if (error instanceof ApiError && error.status === 400 && error.position !== null) {
        summary.textContent = "The query has an error: fix it and search again.";
        queryBox.showError(error, state.q);
      } else {
        summary.textContent = "";
        message.replaceChildren(errorBox(error, "The search failed"));
      }
    }
    const hist = await histogram;
    if (signal.aborted) return;
    histogramData = hist instanceof Error ? null : hist;
    histogramBox.hidden = hist instanceof ApiError && hist.status === 400;
    renderHist();
    if (hist instanceof Error && hist.name !== "AbortError" && !(hist instanceof ApiError && hist.status === 400)) {
      histogramBox.append(errorBox(hist, "The histogram could not be loaded"));
    }
  }

  // The search screen opens ready to type; later loads (filters, paging) leave the focus where it is.
  queryBox.input.focus();
  load();
  return {
    update(next) {
      state = readSearchState(next.params);
      interval = readInterval(next.params);
      load();
      return true;
    },
    destroy() {
      controller?.abort();
      stopResize();
      keys.destroy();
      stopTagKeys();
      topSkip.remove();
      saver.destroy();
    },
  };
}

