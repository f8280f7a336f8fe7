// Facets beside the results: checkboxes with counts (several values per facet), and active filters as
// removable chips. Labels of values seen in any answer are remembered so chips read well.

import { h, preserveFocus } from "./dom.js";
import { date, exemptionLabel, num } from "./format.js";
import { FACETS, FACET_LABELS } from "./state.js";

const SHOWN = 8;
const labels = new Map();

function displayLabel(facet, bucket) {
  const label = bucket.label || String(bucket.value);
  return facet === "exemption" && label === String(bucket.value) ? exemptionLabel(label) : label;
}

export function rememberLabels(facets) {
  for (const [facet, buckets] of Object.entries(facets || {})) {
    for (const b of buckets || []) labels.set(`${facet}\u0000${b.value}`, displayLabel(facet, b));
  }
}

/** The label seen in a facet answer, else a readable guess from the value ("vendor:clearview-ai" -> "Clearview ai"). */
export function labelOf(facet, value) {
  const known = labels.get(`${facet}\u0000${value}`);
  if (known) return known;
  const text = String(value);
  if (facet === "exemption") return exemptionLabel(text);
  if (!/^[a-z]+:/.test(text)) return text;
  const bare = text.slice(text.indexOf(":") + 1).replace(/[-_]+/g, " ");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

const expanded = new Set();

/**
 * renderFacets(container, facets, state, onToggle(facet, value)): one fieldset per facet with a
 * checkbox per value; values selected but absent from the answer are still listed (count 0).
 */
export function renderFacets(container, facets, state, onToggle, { facetNames = FACETS } = {}) {
  rememberLabels(facets);
  const groups = [];
  for (const facet of facetNames) {
    const buckets = [...(facets?.[facet] || [])];
    const active = state.filters[facet] || [];
    for (const value of active) {
      if (!buckets.some((b) => b.value === value)) buckets.push({ value, label: labelOf(facet, value), count: 0 });
    }
    if (!buckets.length) continue;
    if (facet === "year") buckets.sort((a, b) => String(b.value).localeCompare(String(a.value)));
    const showAll = expanded.has(facet) || buckets.length <= SHOWN + 2;
    const visible = showAll ? buckets : buckets.filter((b, i) => i < SHOWN || active.includes(b.value));
    const list = h(
      "ul",
      { class: "facet-values" },
      visible.map((bucket) => {
        const id = `facet-${facet}-${String(bucket.value).replace(/[^a-zA-Z0-9_-]/g, "_")}`;
        const checkbox = h("input", {
          type: "checkbox",
          id,
          name: facet,
          value: bucket.value,
          checked: active.includes(bucket.value),
          onChange: () => onToggle(facet, bucket.value),
        });
        return h(
          "li",
          {},
          checkbox,
          h(
            "label",
            { for: id },
            h("span", { class: "facet-label" }, labelOf(facet, bucket.value)),
            h("span", { class: "count", "aria-label": `${num(bucket.count)} documents` }, num(bucket.count)),
          ),
        );
      }),
    );
    const more =
      buckets.length > visible.length || (expanded.has(facet) && buckets.length > SHOWN + 2)
        ? h(
            "button",
            {
              type: "button",
              class: "link-button",
              "aria-expanded": String(expanded.has(facet)),
              onClick: () => {
                if (expanded.has(facet)) expanded.delete(facet);
                else expanded.add(facet);
                renderFacets(container, facets, state, onToggle, { facetNames });
                container.querySelector(`[data-facet="${facet}"] .link-button`)?.focus();
              },
            },
            expanded.has(facet) ? "Show fewer" : `Show all ${buckets.length}`,
          )
        : null;
    groups.push(
      h(
        "fieldset",
        { class: "facet", dataset: { facet } },
        h("legend", {}, FACET_LABELS[facet] || facet),
        list,
        more,
      ),
    );
  }
  preserveFocus(container, () =>
    container.replaceChildren(...(groups.length ? groups : [h("p", { class: "muted" }, "No facets for these results.")])),
  );
}

/** Active filters as chips, each with a remove button; plus "Clear all". */
export function renderChips(container, state, options) {
  // After a chip is removed, the focus moves to the next chip (or to `options.focusAfter()`).
  preserveFocus(container, () => drawChips(container, state, options), () => container.querySelector(".chip-remove") || options.focusAfter?.());
}

function drawChips(container, state, { onRemove, onRemoveDates, onClear, facetNames = FACETS }) {
  const chips = [];
  for (const facet of facetNames) {
    for (const value of state.filters[facet] || []) {
      const label = labelOf(facet, value);
      chips.push(
        h(
          "li",
          { class: "chip" },
          h("span", {}, h("span", { class: "chip-facet" }, `${FACET_LABELS[facet]}: `), label),
          h(
            "button",
            {
              type: "button",
              class: "chip-remove",
              id: `chip-${facet}-${String(value).replace(/[^a-zA-Z0-9_-]/g, "_")}`,
              "aria-label": `Remove filter ${FACET_LABELS[facet]}: ${label}`,
              onClick: () => onRemove(facet, value),
            },
            "×",
          ),
        ),
      );
    }
  }
  if (state.date_from || state.date_to) {
    const text = `${state.date_from ? date(state.date_from) : "…"} – ${state.date_to ? date(state.date_to) : "…"}`;
    chips.push(
      h(
        "li",
        { class: "chip" },
        h("span", {}, h("span", { class: "chip-facet" }, "Dated: "), text),
        h(
          "button",
          { type: "button", class: "chip-remove", "aria-label": `Remove date filter ${text}`, onClick: onRemoveDates },
          "×",
        ),
      ),
    );
  }
  if (!chips.length) {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  container.hidden = false;
  container.replaceChildren(
    ...[
      h("h2", { class: "visually-hidden" }, "Active filters"),
      h("ul", { class: "chips", "aria-label": "Active filters" }, chips),
      chips.length > 1 ? h("button", { type: "button", class: "link-button", onClick: onClear }, "Clear all filters") : null,
    ].filter(Boolean),
  );
}
