// "Did you mean …?": the search answer's suggestions for entity field values that name nothing the
// reader can find (vendor:clearveiw), each a link to the same search with the value replaced.

import { h } from "./dom.js";

// The entity's value as the query language reads it: its name in quotes, or its id when the name
// itself holds a quote.
export function fieldValueFor(field, entity) {
  return entity.name.includes('"') ? `${field}:"${entity.id}"` : `${field}:"${entity.name}"`;
}

// The query with the first `field:value` (bare or quoted, any case of the field) replaced.
export function replaceFieldValue(q, field, value, replacement) {
  const escaped = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|[\\s(])${escaped(field)}:(?:"${escaped(value)}"|${escaped(value)}\\*?)(?=$|[\\s)])`, "i");
  const match = pattern.exec(q);
  if (!match) return q;
  const start = match.index + match[1].length;
  return q.slice(0, start) + replacement + q.slice(match.index + match[0].length);
}

export function renderSuggestions(box, suggestions, q, hrefForQuery) {
  const items = (suggestions || []).filter((s) => s.entities.length);
  box.hidden = !items.length;
  box.replaceChildren(
    ...items.map((s) =>
      h(
        "p",
        { class: "did-you-mean" },
        `No ${s.field} is called “${s.value}”. Did you mean `,
        ...s.entities.flatMap((entity, i) => [
          i ? (i === s.entities.length - 1 ? " or " : ", ") : "",
          h("a", { href: hrefForQuery(replaceFieldValue(q, s.field, s.value, fieldValueFor(s.field, entity))) }, entity.name),
        ]),
        "?",
      ),
    ),
  );
}
