// The entity page: canonical name, type, aliases, vendor/product links, a timeline of documents and
// mentions (interval selectable, filtered by the same facets as search), co-mentioned entities and
// top documents. Filters and interval are in the URL.

import { ApiError, getJson } from "./api.js";
import { keepResponsive, renderTimeChart } from "./chart.js";
import { correctionPanel, isAdmin } from "./correction.js";
import { errorBox, h, setTitle } from "./dom.js";
import { renderChips, renderFacets } from "./facets.js";
import { ENTITY_TYPES, ENTITY_TYPE_HEADINGS } from "./fields.js";
import { date, entityTypeLabel, listOf, num, plural } from "./format.js";
import { INTERVALS } from "./histogram.js";
import { createQueryBox } from "./querybox.js";
import { navigate } from "./router.js";
import {
  FACETS,
  documentHref,
  emptyFilters,
  entityHref,
  filterParams,
  readSearchState,
  searchHref,
  toggleFilter,
  withChange,
} from "./state.js";

function readInterval(params) {
  const value = params.get("interval");
  return value in INTERVALS ? value : "month";
}

export function mountEntity(outlet, ctx) {
  const entityId = decodeURIComponent(ctx.match[1]);
  let state = readSearchState(ctx.params);
  let interval = readInterval(ctx.params);
  let entity = null;
  let timeline = null;
  let controller = null;

  const hrefFor = (next, nextInterval = interval) => {
    const params = filterParams(next);
    if (nextInterval !== "month") params.set("interval", nextInterval);
    const query = params.toString();
    return `${entityHref(entityId)}${query ? `?${query}` : ""}`;
  };
  const go = (next, options) => navigate(hrefFor(next), options);

  const header = h("header", { class: "entity-header" }, h("h1", {}, "Loading the entity…"));
  const messages = h("div", {});
  const queryBox = createQueryBox({
    value: state.q,
    label: "Only documents matching",
    submitLabel: "Filter",
    onSubmit: (q) => go(withChange(state, { q })),
  });
  const intervalSelect = h(
    "select",
    {
      id: "timeline-interval",
      onChange: (e) => {
        interval = e.target.value;
        navigate(hrefFor(state, interval), { replace: true });
      },
    },
    Object.entries(INTERVALS).map(([value, label]) => h("option", { value }, label)),
  );
  const chart = h("div", { class: "chart-box timeline-chart" });
  const timelineNote = h("p", { class: "muted small" });
  const chipsBox = h("div", { class: "chips-box", hidden: true });
  const facetsBox = h("div", { class: "facets-body" });
  const correctionBox = h("div", {});
  const coBox = h("section", { class: "card", "aria-labelledby": "co-title" });
  const topBox = h("section", { class: "card", "aria-labelledby": "top-title" });

  outlet.append(
    h("a", { href: "/entities", class: "back-link" }, "← All entities"),
    header,
    messages,
    correctionBox,
    h(
      "div",
      { class: "entity-layout" },
      h(
        "aside",
        { class: "facets-panel", "aria-labelledby": "entity-filters-title" },
        h("h2", { id: "entity-filters-title", class: "section-title" }, "Filter the timeline"),
        queryBox.element,
        facetsBox,
      ),
      h(
        "div",
        { class: "entity-main" },
        h(
          "section",
          { class: "card timeline", "aria-labelledby": "timeline-title" },
          h(
            "div",
            { class: "card-head" },
            h("h2", { id: "timeline-title", class: "section-title" }, "Documents and mentions over time"),
            h("div", { class: "field inline" }, h("label", { for: "timeline-interval" }, "Interval"), intervalSelect),
          ),
          chipsBox,
          chart,
          timelineNote,
        ),
        h("div", { class: "entity-lists" }, coBox, topBox),
      ),
    ),
  );

  function renderHeader() {
    setTitle(entity.name);
    const facetParam = FACETS.includes(entity.type) ? { [entity.type]: [entity.id] } : null;
    const searchLink = facetParam
      ? searchHref({ ...readSearchState(new URLSearchParams()), filters: { ...emptyFilters(), ...facetParam } })
      : searchHref({ ...readSearchState(new URLSearchParams()), q: `"${entity.name}"` });
    header.replaceChildren(
      h("p", { class: "entity-type" }, entityTypeLabel(entity.type)),
      h("h1", {}, entity.name),
      h(
        "dl",
        { class: "facts inline-facts" },
        entity.aliases?.length ? [h("dt", {}, "Also written"), h("dd", {}, entity.aliases.join(", "))] : null,
        entity.vendor ? [h("dt", {}, "Vendor"), h("dd", {}, h("a", { href: entityHref(entity.vendor.id) }, entity.vendor.name))] : null,
        entity.products?.length
          ? [h("dt", {}, "Products"), h("dd", {}, entity.products.flatMap((p, i) => [i ? ", " : "", h("a", { href: entityHref(p.id) }, p.name)]))]
          : null,
        h("dt", {}, "Found in"),
        h("dd", {}, `${plural(entity.documents, "document")}, ${plural(entity.mentions, "mention")}`),
      ),
      h("p", {}, h("a", { href: searchLink, class: "button-link" }, "Search its documents")),
    );
    coBox.replaceChildren(
      h("h2", { id: "co-title", class: "section-title" }, "Most often mentioned with it"),
      entity.co_mentioned?.length
        ? h(
            "ol",
            { class: "ranked" },
            entity.co_mentioned.map((c) =>
              h("li", {}, h("a", { href: entityHref(c.id) }, c.name), h("span", { class: "muted" }, ` ${entityTypeLabel(c.type)} · ${plural(c.documents, "document")}`)),
            ),
          )
        : h("p", { class: "muted" }, "No other entity shares its documents."),
    );
    const highlight = `"${entity.name}"`;
    topBox.replaceChildren(
      h("h2", { id: "top-title", class: "section-title" }, "Top documents"),
      entity.top_documents?.length
        ? h(
            "ol",
            { class: "ranked" },
            entity.top_documents.map((d) =>
              h(
                "li",
                {},
                h("a", { href: documentHref(d.document_id, null, highlight) }, d.title || d.document_id),
                h("span", { class: "muted" }, ` ${d.document_date ? date(d.document_date) : "undated"} · ${plural(d.mentions, "mention")}`),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No documents."),
    );
  }

  function renderChart() {
    if (!timeline) return;
    renderTimeChart(chart, {
      buckets: timeline.buckets,
      interval: timeline.interval || interval,
      bars: { key: "documents", label: "Documents" },
      line: { key: "mentions", label: "Mentions" },
      title: `${entity?.name || entityId} over time`,
      selection: { from: state.date_from, to: state.date_to },
      onBrush: (from, to) => go(withChange(state, { date_from: from, date_to: to })),
    });
    const undated = timeline.undated?.documents ? ` ${plural(timeline.undated.documents, "undated document")} (${plural(timeline.undated.mentions, "mention")}) not shown.` : "";
    timelineNote.textContent = `In total ${plural(timeline.total?.documents ?? 0, "document")} and ${plural(timeline.total?.mentions ?? 0, "mention")}.${undated}`;
  }
  const stopResize = keepResponsive(chart, renderChart);

  async function loadFilters(signal) {
    const params = filterParams(state);
    if (entity && FACETS.includes(entity.type)) params.append(entity.type, entity.id);
    params.set("limit", "1");
    try {
      const data = await getJson("/search", params, { signal });
      const facets = { ...data.facets };
      renderFacets(facetsBox, facets, state, (facet, value) => go(toggleFilter(state, facet, value)));
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error instanceof ApiError && error.position !== null) queryBox.showError(error, state.q);
      facetsBox.replaceChildren();
    }
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    queryBox.clearError();
    queryBox.setValue(state.q);
    intervalSelect.value = interval;
    renderChips(chipsBox, state, {
      onRemove: (facet, value) => go(toggleFilter(state, facet, value)),
      onRemoveDates: () => go(withChange(state, { date_from: "", date_to: "" })),
      onClear: () => go(withChange(state, { q: "", filters: emptyFilters(), date_from: "", date_to: "" })),
    });
    if (!entity) {
      try {
        entity = await getJson(`/entities/${encodeURIComponent(entityId)}`, null, { signal });
        renderHeader();
        if (await isAdmin(signal)) {
          correctionBox.replaceChildren(
            correctionPanel(entity, () => {
              entity = null;
              load();
            }),
          );
        }
      } catch (error) {
        if (error.name === "AbortError") return;
        header.replaceChildren(h("h1", {}, "Entity not available"));
        messages.replaceChildren(errorBox(error, "The entity could not be loaded"));
        return;
      }
    }
    const params = filterParams(state);
    params.set("interval", interval);
    chart.replaceChildren(h("p", { class: "muted" }, "Loading the timeline…"));
    const filters = loadFilters(signal);
    try {
      timeline = await getJson(`/entities/${encodeURIComponent(entityId)}/timeline`, params, { signal });
      renderChart();
    } catch (error) {
      if (error.name === "AbortError") return;
      chart.replaceChildren(errorBox(error, "The timeline could not be loaded"));
      timelineNote.textContent = "";
    }
    await filters;
  }

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
    },
  };
}

/** The entity directory: browse by type, find by name prefix. */
export function mountEntityList(outlet, ctx) {
  const types = [...ENTITY_TYPES, "all"];
  const readType = (params) => (types.includes(params.get("type")) ? params.get("type") : "vendor");
  let type = readType(ctx.params);
  let prefix = ctx.params.get("prefix") || "";
  const list = h("div", { class: "entity-directory" });
  const prefixInput = h("input", { id: "entity-prefix", type: "search", value: prefix, autocomplete: "off" });
  const typeSelect = h(
    "select",
    { id: "entity-type" },
    types.map((t) => h("option", { value: t, selected: t === type }, t === "all" ? "All types" : entityTypeLabel(t))),
  );
  const form = h(
    "form",
    { class: "inline-form" },
    h("div", { class: "field" }, h("label", { for: "entity-type" }, "Type"), typeSelect),
    h("div", { class: "field" }, h("label", { for: "entity-prefix" }, "Name starts with"), prefixInput),
    h("button", { type: "submit", class: "primary" }, "Show"),
  );
  const submit = () => {
    const params = new URLSearchParams({ type: typeSelect.value });
    if (prefixInput.value.trim()) params.set("prefix", prefixInput.value.trim());
    navigate(`/entities?${params}`);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  typeSelect.addEventListener("change", submit);
  outlet.append(h("h1", {}, "Entities"), h("p", {}, `${listOf(ENTITY_TYPES.map((t) => ENTITY_TYPE_HEADINGS[t]))} found in the records.`), form, list);

  const item = (e) =>
    h(
      "li",
      {},
      h("a", { href: entityHref(e.id) }, e.name),
      h("span", { class: "count", "aria-label": `${num(e.documents)} documents` }, type === "all" ? `${entityTypeLabel(e.type)} · ${num(e.documents)}` : num(e.documents)),
    );

  async function loadMore(grid, cursor, button) {
    button.disabled = true;
    try {
      const data = await getJson("/entities", { type: type === "all" ? "" : type, prefix, limit: 200, cursor });
      grid.append(...data.items.map(item));
      if (data.next_cursor) {
        button.disabled = false;
        button.onclick = () => loadMore(grid, data.next_cursor, button);
      } else {
        button.remove();
      }
    } catch (error) {
      button.replaceWith(errorBox(error, "More entities could not be loaded"));
    }
  }

  async function load() {
    setTitle("Entities");
    typeSelect.value = type;
    prefixInput.value = prefix;
    list.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const data = await getJson("/entities", { type: type === "all" ? "" : type, prefix, limit: 200 });
      if (!data.items.length) {
        list.replaceChildren(h("p", { class: "muted" }, "No entities."));
        return;
      }
      const grid = h("ul", { class: "entity-grid" }, data.items.map(item));
      list.replaceChildren(grid);
      if (data.next_cursor) {
        const more = h("button", { type: "button" }, "Show more");
        more.onclick = () => loadMore(grid, data.next_cursor, more);
        list.append(more);
      }
    } catch (error) {
      list.replaceChildren(errorBox(error, "The entities could not be loaded"));
    }
  }
  load();
  return {
    update(next) {
      type = readType(next.params);
      prefix = next.params.get("prefix") || "";
      load();
      return true;
    },
  };
}
