// Bulk tagging from the results: a dialog that names what it will do ("Add Hot to 12 documents") before
// anything changes. The request carries that count; when the search now matches another number the
// server changes nothing and says so (409), and the dialog shows the new count to confirm again.

import { ApiError, getJson } from "./api.js";
import { announce, h } from "./dom.js";
import { num, plural } from "./format.js";
import { bulkTag, loadTags } from "./tags.js";

/** createBulkTagger({paramsOf, onDone}) -> {element, setCounts(documents, pages)}. */
export function createBulkTagger({ paramsOf, onDone }) {
  const counts = { document: 0, page: 0 };
  let tags = [];
  const tagSelect = h("select", { id: "bulk-tag", name: "tag" });
  const levelSelect = h(
    "select",
    { id: "bulk-level", name: "level", onChange: () => describe() },
    h("option", { value: "document" }, "Every document"),
    h("option", { value: "page" }, "Every hit page"),
  );
  const actionSelect = h(
    "select",
    { id: "bulk-action", name: "action", onChange: () => describe() },
    h("option", { value: "add" }, "Add the tag"),
    h("option", { value: "remove" }, "Remove the tag"),
  );
  tagSelect.addEventListener("change", () => describe());
  // A tag is one collection's: with several readable collections the user picks the one to change.
  const collectionSelect = h("select", { id: "bulk-collection", name: "collection", onChange: () => recount() });
  const collectionField = h(
    "div",
    { class: "field" },
    h("label", { for: "bulk-collection" }, "Collection"),
    collectionSelect,
  );
  const confirmText = h("p", { id: "bulk-confirm-text", class: "bulk-confirm", "aria-live": "polite" });
  const problem = h("p", { class: "bulk-problem", role: "alert" });
  const confirmButton = h("button", { type: "submit", class: "primary" }, "Confirm");
  const cancelButton = h("button", { type: "button", onClick: () => dialog.close() }, "Cancel");
  const form = h(
    "form",
    { method: "dialog", onSubmit: (event) => submit(event) },
    h("h2", { id: "bulk-title" }, "Tag the search results"),
    collectionField,
    h("div", { class: "field" }, h("label", { for: "bulk-tag" }, "Tag"), tagSelect),
    h("div", { class: "field" }, h("label", { for: "bulk-level" }, "What"), levelSelect),
    h("div", { class: "field" }, h("label", { for: "bulk-action" }, "Change"), actionSelect),
    confirmText,
    problem,
    h("div", { class: "dialog-actions" }, confirmButton, cancelButton),
  );
  const dialog = h(
    "dialog",
    { class: "bulk-dialog", "aria-labelledby": "bulk-title", "aria-describedby": "bulk-confirm-text" },
    form,
  );
  const openButton = h("button", { type: "button", class: "bulk-open", onClick: () => open() }, "Tag results…");

  function label(name) {
    return tags.find((t) => t.name === name)?.label || name;
  }

  function describe() {
    const level = levelSelect.value;
    const n = counts[level];
    const what = level === "document" ? plural(n, "document") : plural(n, "page");
    const verb = actionSelect.value === "add" ? `Add “${label(tagSelect.value)}” to` : `Remove “${label(tagSelect.value)}” from`;
    confirmText.textContent = `${verb} ${what} of this search?`;
    confirmButton.textContent = `${actionSelect.value === "add" ? "Tag" : "Untag"} ${num(n)} ${level === "document" ? (n === 1 ? "document" : "documents") : n === 1 ? "page" : "pages"}`;
    confirmButton.disabled = n === 0;
  }

  async function open() {
    problem.textContent = "";
    try {
      tags = await loadTags();
    } catch (error) {
      announce(`The tags could not be loaded: ${error.detail || error.message}`);
      return;
    }
    try {
      await loadCollections();
    } catch (error) {
      announce(`The collections could not be loaded: ${error.detail || error.message}`);
      return;
    }
    const chosen = tagSelect.value;
    tagSelect.replaceChildren(...tags.map((t) => h("option", { value: t.name }, t.label)));
    if (chosen) tagSelect.value = chosen;
    describe();
    dialog.showModal();
    (collectionField.hidden ? tagSelect : collectionSelect).focus();
    await recount();
  }

  async function loadCollections() {
    const chosen = collectionSelect.value;
    const listed = await getJson("/productions", { limit: 500 });
    const names = new Map(listed.items.map((p) => [p.collection.id, p.collection.name]));
    collectionSelect.replaceChildren(...[...names].map(([id, name]) => h("option", { value: id }, name)));
    if (chosen && names.has(chosen)) collectionSelect.value = chosen;
    collectionField.hidden = names.size < 2;
  }

  function scoped(body) {
    return collectionSelect.value ? { ...body, collection: collectionSelect.value } : body;
  }

  async function recount() {
    problem.textContent = "";
    // The exact numbers to confirm: a search's document total is an estimate past a few thousand.
    try {
      const [documents, pages] = await Promise.all(
        ["document", "page"].map((level) => bulkTag(tagSelect.value, paramsOf(), scoped({ level, dry_run: true }))),
      );
      counts.document = documents.count;
      counts.page = pages.count;
      describe();
    } catch (error) {
      problem.textContent = `The count could not be checked: ${error.detail || error.message}`;
    }
  }

  async function submit(event) {
    event.preventDefault();
    const level = levelSelect.value;
    const body = scoped({ level, action: actionSelect.value, expected_count: counts[level] });
    confirmButton.disabled = true;
    problem.textContent = "";
    try {
      const done = await bulkTag(tagSelect.value, paramsOf(), body);
      dialog.close();
      const what = level === "document" ? plural(done.count, "document") : plural(done.count, "page");
      announce(`${label(done.tag)} ${done.action === "add" ? "set on" : "removed from"} ${what}.`);
      onDone(done);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && Number.isInteger(error.problem.count)) {
        counts[level] = error.problem.count;
        describe();
        problem.textContent = "The search matches another number now: nothing was changed. Check the count and confirm again.";
      } else {
        problem.textContent = `Nothing was changed: ${error.detail || error.message}`;
        confirmButton.disabled = false;
      }
    }
  }

  return {
    element: h("span", { class: "bulk-tagger" }, openButton, dialog),
    setCounts(documents, pages) {
      counts.document = documents;
      counts.page = pages;
      openButton.disabled = !documents;
    },
  };
}
