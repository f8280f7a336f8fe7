// Notes as the results show them: under a hit page, the notes on it the reader sees (the API sends only
// those: shared in the reader's matter, or the reader's own).

import { h } from "./dom.js";

/** "token:tok_x:alice" (the API's principal name) -> "alice". */
export function authorName(author) {
  const parts = String(author || "").split(":");
  return parts.length >= 3 && parts[0] === "token" ? parts.slice(2).join(":") : author;
}

export function resultNotes(notes) {
  if (!notes?.length) return null;
  return h(
    "ul",
    { class: "result-notes", "aria-label": notes.length === 1 ? "Note on this page" : "Notes on this page" },
    notes.map((n) =>
      h(
        "li",
        { class: "result-note" },
        h("span", { class: `badge${n.shared ? " shared" : ""}` }, n.shared ? "Shared note" : "Private note"),
        " ",
        h("span", { class: "note-text" }, n.text),
        h("span", { class: "muted small" }, ` · ${n.mine ? "you" : authorName(n.author)}`),
      ),
    ),
  );
}
