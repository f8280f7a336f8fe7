// The search state <-> the URL's query string. Everything a search shows is in the URL, so a link can
// be shared and the back button works; the same parameters are the API's "search filters".

import { FACETS } from "./fields.js";

// Facet names and headings come from the field registry (fields.js, loaded before the first screen).
export { FACETS, FACET_LABELS } from "./fields.js";

export const PAGE_SIZES = [10, 20, 50, 100];
export const DEFAULT_PAGE_SIZE = 20;

export const SORTS = { relevance: "Relevance", date_desc: "Newest first", date_asc: "Oldest first" };

export function emptyFilters() {
  return Object.fromEntries(FACETS.map((f) => [f, []]));
}

/** URLSearchParams -> {q, filters, date_from, date_to, sort, cursor, page} */
export function readSearchState(params) {
  const filters = emptyFilters();
  for (const facet of FACETS) filters[facet] = [...new Set(params.getAll(facet).filter(Boolean))];
  const sort = params.get("sort");
  return {
    q: params.get("q") || "",
    filters,
    date_from: params.get("date_from") || "",
    date_to: params.get("date_to") || "",
    sort: sort in SORTS ? sort : "relevance",
    cursor: params.get("cursor") || "",
    page: Math.max(1, Number.parseInt(params.get("page") || "1", 10) || 1),
    limit: PAGE_SIZES.includes(Number(params.get("limit"))) ? Number(params.get("limit")) : DEFAULT_PAGE_SIZE,
  };
}

/** The filter part only (what the API calls "the search filters"): q, facets, dates. */
export function filterParams(state, { withQuery = true } = {}) {
  const params = new URLSearchParams();
  if (withQuery && state.q) params.set("q", state.q);
  for (const facet of FACETS) for (const value of state.filters[facet] || []) params.append(facet, value);
  if (state.date_from) params.set("date_from", state.date_from);
  if (state.date_to) params.set("date_to", state.date_to);
  return params;
}

/** The whole state, for the page URL. */
export function writeSearchState(state) {
  const params = filterParams(state);
  if (state.sort && state.sort !== "relevance") params.set("sort", state.sort);
  if (state.limit && state.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(state.limit));
  if (state.cursor) params.set("cursor", state.cursor);
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

export function hasFilters(state) {
  return Boolean(state.date_from || state.date_to || FACETS.some((f) => state.filters[f]?.length));
}

/** A copy of the state with a change applied; any change other than paging goes back to page 1. */
export function withChange(state, change) {
  const next = { ...state, filters: { ...state.filters }, cursor: "", page: 1, ...change };
  return next;
}

export function toggleFilter(state, facet, value) {
  const values = state.filters[facet] || [];
  const nextValues = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return withChange(state, { filters: { ...state.filters, [facet]: nextValues } });
}

export function searchHref(state) {
  const query = writeSearchState(state).toString();
  return `/search${query ? `?${query}` : ""}`;
}

export function documentHref(documentId, page, q) {
  const params = new URLSearchParams();
  if (page) params.set("page", String(page));
  if (q) params.set("q", q);
  const query = params.toString();
  return `/documents/${encodeURIComponent(documentId)}${query ? `?${query}` : ""}`;
}

export function entityHref(entityId) {
  return `/entities/${encodeURIComponent(entityId)}`;
}

/** The last search URL, so the viewer and entity pages can link back to the results. */
export const LAST_SEARCH_KEY = "foia.last_search";

export function lastSearchHref() {
  return sessionStorage.getItem(LAST_SEARCH_KEY) || "/search";
}
