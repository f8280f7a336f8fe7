// Saved searches: the list with what is new since each was last opened (GET /saved-searches), opening
// one (GET /saved-searches/{id} marks it viewed, then its search runs), its alert on or off, deleting;
// and the dialog that saves the search on screen (POST /saved-searches).

import { ApiError, deleteRequest, getJson, patchJson, postJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { num, timestamp } from "./format.js";
import { navigate } from "./router.js";
import { FACETS } from "./state.js";

/** The collections the reader can see, from its productions (a saved search lives in one). */
async function collections() {
  const data = await getJson("/productions", { limit: 500 });
  const seen = new Map();
  for (const p of data.items) if (p.collection) seen.set(p.collection.id, p.collection.name);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

function describe(saved) {
  const parts = [saved.q ? `“${saved.q}”` : "every document"];
  const filters = Object.entries(saved.filters || {}).reduce((n, [, values]) => n + values.length, 0);
  if (filters) parts.push(`${filters} filter${filters === 1 ? "" : "s"}`);
  if (saved.date_from || saved.date_to) parts.push(`${saved.date_from || "…"} to ${saved.date_to || "…"}`);
  return parts.join(", ");
}

/**
 * A "Save search" button and its dialog for the search page; `current()` gives the search state
 * ({q, filters, date_from, date_to, sort}).
 */
export function saveSearchButton(current) {
  const error = h("p", { class: "error", id: "save-search-error", role: "alert", hidden: true });
  const name = h("input", { id: "save-search-name", name: "name", required: true, maxlength: 200, autocomplete: "off", "aria-describedby": "save-search-error" });
  const collection = h("select", { id: "save-search-collection", name: "collection" });
  const collectionField = h("div", { class: "field", hidden: true }, h("label", { for: "save-search-collection" }, "Collection"), collection);
  const alert = h("input", { id: "save-search-alert", name: "alert", type: "checkbox", checked: true });
  const form = h(
    "form",
    { method: "dialog", class: "signin-form" },
    h("h2", { id: "save-search-title" }, "Save this search"),
    h("div", { class: "field" }, h("label", { for: "save-search-name" }, "Name"), name),
    collectionField,
    h("div", { class: "field inline" }, alert, h("label", { for: "save-search-alert" }, "Alert me when a new production brings matching documents")),
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", value: "ok", class: "primary" }, "Save"), h("button", { type: "submit", value: "cancel", formnovalidate: true }, "Cancel")),
  );
  const dialog = h("dialog", { id: "save-search-dialog", "aria-labelledby": "save-search-title" }, form);
  document.body.append(dialog);

  async function save() {
    const state = current();
    const filters = {};
    for (const facet of FACETS) if (state.filters[facet]?.length) filters[facet] = state.filters[facet];
    const body = {
      name: name.value.trim(),
      q: state.q,
      filters,
      date_from: state.date_from || null,
      date_to: state.date_to || null,
      sort: state.sort,
      alert: alert.checked,
    };
    if (!collectionField.hidden) body.collection = collection.value;
    const saved = await postJson("/saved-searches", body);
    announce(`Saved “${saved.name}”. It is listed under Saved searches.`);
  }

  form.addEventListener("submit", async (event) => {
    if (event.submitter?.value !== "ok") return;
    event.preventDefault();
    error.hidden = true;
    try {
      await save();
      dialog.close();
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.detail || failure.title : String(failure);
      error.hidden = false;
    }
  });

  const button = h(
    "button",
    {
      type: "button",
      id: "save-search",
      onClick: async () => {
        const state = current();
        name.value = state.q || "All documents";
        try {
          const known = await collections();
          collection.replaceChildren(...known.map((c) => h("option", { value: c.id }, c.name)));
          collectionField.hidden = known.length < 2;
        } catch {
          collectionField.hidden = true; // the server says which collections to choose from, if it must
        }
        error.hidden = true;
        dialog.showModal();
        name.select();
      },
    },
    "Save search",
  );
  return { button, destroy: () => dialog.remove() };
}

export function mountSavedSearches(outlet) {
  setTitle("Saved searches");
  const box = h("div", {});
  const table = h("div", { class: "table-wrap" });
  outlet.append(
    h(
      "header",
      { class: "page-header" },
      h("h1", {}, "Saved searches"),
      h("p", { class: "muted" }, "Save a search from the results with “Save search”. “New” counts the documents newly indexed productions brought since you last opened it."),
    ),
    box,
    table,
  );

  async function open(saved) {
    try {
      const view = await getJson(`/saved-searches/${encodeURIComponent(saved.id)}`);
      navigate(view.search_url);
    } catch (error) {
      box.replaceChildren(errorBox(error, "The saved search could not be opened"));
    }
  }

  async function setAlert(saved, on) {
    try {
      await patchJson(`/saved-searches/${encodeURIComponent(saved.id)}`, { alert: on });
      announce(on ? `Alerts on for “${saved.name}”.` : `Alerts off for “${saved.name}”.`);
    } catch (error) {
      box.replaceChildren(errorBox(error, "The alert could not be changed"));
      await load();
    }
  }

  async function remove(saved) {
    if (!window.confirm(`Delete the saved search “${saved.name}” and its alerts?`)) return;
    try {
      await deleteRequest(`/saved-searches/${encodeURIComponent(saved.id)}`);
      announce(`Deleted “${saved.name}”.`);
      await load();
    } catch (error) {
      box.replaceChildren(errorBox(error, "The saved search could not be deleted"));
    }
  }

  function row(saved) {
    const id = `alert-${saved.id}`;
    return h(
      "tr",
      { dataset: { savedSearchId: saved.id } },
      h(
        "th",
        { scope: "row" },
        h("a", { href: saved.search_url, onClick: (event) => { event.preventDefault(); open(saved); } }, saved.name),
      ),
      h("td", {}, describe(saved)),
      h("td", {}, saved.collection.name),
      h("td", { class: "num" }, saved.new_documents ? h("strong", { class: "badge new-badge" }, `${num(saved.new_documents)} new`) : "0"),
      h("td", {}, timestamp(saved.viewed_at)),
      h(
        "td",
        {},
        h("input", { type: "checkbox", id, checked: saved.alert, onChange: (event) => setAlert(saved, event.target.checked) }),
        h("label", { for: id, class: "visually-hidden" }, `Alerts for ${saved.name}`),
      ),
      h(
        "td",
        {},
        h("button", { type: "button", class: "link-button", onClick: () => remove(saved) }, h("span", {}, "Delete"), h("span", { class: "visually-hidden" }, ` ${saved.name}`)),
      ),
    );
  }

  async function load() {
    try {
      const data = await getJson("/saved-searches");
      if (!data.items.length) {
        table.replaceChildren(h("p", { class: "empty" }, "No saved searches yet. ", h("a", { href: "/search" }, "Search"), ", then “Save search”."));
        return;
      }
      table.replaceChildren(
        h(
          "table",
          { class: "data-table saved-table" },
          h("caption", { class: "visually-hidden" }, "Saved searches"),
          h("thead", {}, h("tr", {}, ["Name", "Search", "Collection", "New since last viewed", "Last viewed", "Alert", "Delete"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, data.items.map(row)),
        ),
      );
    } catch (error) {
      table.replaceChildren(errorBox(error, "The saved searches could not be loaded"));
    }
  }
  load();
  return {};
}
