// An admin's correction of an entity on its page: rename, retype, hide, merge into another, undo.
// Shown only to admins (GET /session says the role); each change is one API call, audited by the
// server, and the page reloads the entity as corrected. Facets follow once the index is re-projected.

import { ApiError, deleteRequest, getJson, patchJson, postJson } from "./api.js";
import { errorBox, h } from "./dom.js";
import { ENTITY_TYPES } from "./fields.js";
import { entityTypeLabel } from "./format.js";

export async function isAdmin(signal) {
  try {
    const session = await getJson("/session", null, { signal });
    return session?.role === "admin";
  } catch (error) {
    if (error.name === "AbortError") throw error;
    return false;
  }
}

/** The correction form for `entity`; `onChanged` runs after a successful change. */
export function correctionPanel(entity, onChanged) {
  const status = h("p", { class: "muted small", role: "status" });
  const problems = h("div", {});
  const nameInput = h("input", { id: "correct-name", type: "text", value: entity.name, autocomplete: "off" });
  const typeSelect = h(
    "select",
    { id: "correct-type" },
    ENTITY_TYPES.map((t) => h("option", { value: t, selected: t === entity.type }, entityTypeLabel(t))),
  );
  const intoInput = h("input", { id: "correct-into", type: "text", placeholder: "vendor:axon", autocomplete: "off" });
  const path = `/entities/${encodeURIComponent(entity.id)}`;

  async function run(action, done) {
    problems.replaceChildren();
    status.textContent = "Saving…";
    try {
      await action();
      status.textContent = done;
      onChanged();
    } catch (error) {
      status.textContent = "";
      problems.replaceChildren(errorBox(error, "The correction was not saved"));
      if (!(error instanceof ApiError)) throw error;
    }
  }

  const saveForm = h(
    "form",
    { class: "inline-form", "aria-label": "Rename or retype" },
    h("div", { class: "field" }, h("label", { for: "correct-name" }, "Name"), nameInput),
    h("div", { class: "field" }, h("label", { for: "correct-type" }, "Type"), typeSelect),
    h("button", { type: "submit", class: "primary" }, "Save correction"),
  );
  saveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { type: typeSelect.value };
    if (nameInput.value.trim() && nameInput.value.trim() !== entity.name) body.name = nameInput.value.trim();
    run(() => patchJson(path, body), "Correction saved.");
  });
  const mergeForm = h(
    "form",
    { class: "inline-form", "aria-label": "Merge into another entity" },
    h("div", { class: "field" }, h("label", { for: "correct-into" }, "Merge into (entity id)"), intoInput),
    h("button", { type: "submit" }, "Merge"),
  );
  mergeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    run(() => postJson(`${path}/merge`, { into: intoInput.value.trim() }), "Merged.");
  });
  const hide = h("button", { type: "button" }, "Hide this entity");
  hide.addEventListener("click", () => run(() => patchJson(path, { hidden: true }), "Hidden."));
  const undo = h("button", { type: "button" }, "Undo corrections");
  undo.addEventListener("click", () => run(() => deleteRequest(`${path}/correction`), "Correction undone."));

  return h(
    "section",
    { class: "card correction", "aria-labelledby": "correction-title" },
    h("h2", { id: "correction-title", class: "section-title" }, "Correct this entity (admin)"),
    saveForm,
    mergeForm,
    h("p", {}, hide, " ", undo),
    status,
    problems,
  );
}
