// The field registry as GET /api/v1/fields serves it (search/fields.py declares it): which facets the
// search shows and under what headings, which entity types there are and what one is called. Nothing
// here is listed by hand: `loadFields()` runs once before the first screen is drawn (main.js) and fills
// these in place, so every module that imported them sees the registry.

import { getJson } from "./api.js";

/** Facet names in the registry's order (the URL parameters of the search filters). */
export const FACETS = [];
/** facet name -> its heading ("Vendors"). */
export const FACET_LABELS = {};
/** Entity types in the registry's order. */
export const ENTITY_TYPES = [];
/** entity type -> what one is called ("Vendor"). */
export const ENTITY_TYPE_LABELS = {};
/** entity type -> the plural heading ("People"). */
export const ENTITY_TYPE_HEADINGS = {};

export async function loadFields() {
  const { items } = await getJson("/fields");
  FACETS.splice(0, FACETS.length, ...items.filter((f) => f.facet).map((f) => f.name));
  ENTITY_TYPES.splice(0, ENTITY_TYPES.length, ...items.filter((f) => f.kind === "entity").map((f) => f.name));
  for (const f of items) {
    if (f.facet) FACET_LABELS[f.name] = f.label;
    if (f.kind === "entity") {
      ENTITY_TYPE_LABELS[f.name] = f.label_one;
      ENTITY_TYPE_HEADINGS[f.name] = f.label;
    }
  }
  return items;
}
