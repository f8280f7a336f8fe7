// Notes in the viewer: the page's notes listed beside it and drawn on the page image as boxes; a new note
// on the page or on a region dragged out on the image; edit and delete one's own; private or shared with
// the matter. Regions are in PDF points from the page's top-left corner (what the API stores), turned
// into percentages of the image so that the boxes follow the image at any width.

import { ApiError, deleteRequest, getJson, patchJson, postJson } from "./api.js";
import { announce, errorBox, h } from "./dom.js";
import { timestamp } from "./format.js";
import { authorName } from "./note_list.js";

const MIN_DRAG_PX = 6; // a click is not a region

function pt(value) {
  return String(Math.round(value));
}

export function regionText(region) {
  return `a box ${pt(region.x1 - region.x0)} × ${pt(region.y1 - region.y0)} pt at (${pt(region.x0)}, ${pt(region.y0)})`;
}

/**
 * The notes of one document's current page. `image` is the viewer's page image, rendered at `dpi`;
 * `canvas` wraps it with the layer the boxes are drawn on, `panel` is the list and the form.
 */
export function createNotes({ documentId, image, dpi }) {
  let pageNumber = 0;
  let notes = [];
  let draft = null; // the region (points) the next note is for
  let editing = null; // id of the note being edited
  let collectionChoices = null; // [{id, name}] once the server asked which collection
  let loadToken = 0;
  let typedInputs = [];

  const layer = h("div", { class: "note-layer", "aria-hidden": "true", dataset: { testid: "note-layer" } });
  const canvas = h("div", { class: "page-canvas" }, image, layer);
  const title = h("h2", { id: "notes-title", class: "pane-title" }, "Notes");
  const list = h("ol", { class: "note-list" });
  const empty = h("p", { class: "muted small" }, "No notes on this page yet.");
  const status = h("p", { class: "muted small", role: "status" });
  const problems = h("div", {});
  const textArea = h("textarea", { id: "note-text", rows: 3, maxlength: 10000, required: true });
  const sharedBox = h("input", { id: "note-shared", type: "checkbox" });
  const regionStatus = h("span", { id: "note-region" });
  const clearRegion = h("button", { type: "button", onClick: () => setDraft(null) }, "Clear region");
  const collectionSelect = h("select", { id: "note-collection" });
  const collectionField = h("div", { class: "field", hidden: true }, h("label", { for: "note-collection" }, "Collection"), collectionSelect);
  const textLabel = h("label", { for: "note-text" }, "New note");
  const form = h(
    "form",
    { class: "note-form", "aria-label": "New note" },
    h("div", { class: "field" }, textLabel, textArea),
    h("div", { class: "field inline" }, sharedBox, h("label", { for: "note-shared" }, "Shared with the matter (otherwise only you see it)")),
    h("p", { class: "muted small note-region-line" }, regionStatus, " ", clearRegion),
    typedRegion(),
    collectionField,
    h("button", { type: "submit", class: "primary" }, "Add note"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    create();
  });
  const panel = h(
    "section",
    { class: "notes-panel", "aria-labelledby": "notes-title" },
    title,
    list,
    empty,
    form,
    status,
    problems,
  );

  function pageSize() {
    if (!image.naturalWidth) return null;
    return { width: (image.naturalWidth * 72) / dpi, height: (image.naturalHeight * 72) / dpi };
  }

  function place(el, region, size) {
    el.style.left = `${(region.x0 / size.width) * 100}%`;
    el.style.top = `${(region.y0 / size.height) * 100}%`;
    el.style.width = `${((region.x1 - region.x0) / size.width) * 100}%`;
    el.style.height = `${((region.y1 - region.y0) / size.height) * 100}%`;
  }

  function drawBoxes() {
    const size = pageSize();
    layer.replaceChildren();
    if (!size) return;
    notes.forEach((note, index) => {
      if (!note.region) return;
      const box = h(
        "div",
        { class: `note-box${note.shared ? " shared" : ""}`, title: note.text, dataset: { noteId: note.id } },
        h("span", { class: "note-box-label" }, String(index + 1)),
      );
      place(box, note.region, size);
      box.addEventListener("pointerdown", (event) => event.stopPropagation());
      box.addEventListener("click", () => document.getElementById(`note-${note.id}`)?.focus());
      layer.append(box);
    });
    if (draft) {
      const box = h("div", { class: "note-box draft" });
      place(box, draft, size);
      layer.append(box);
    }
  }

  /** The keyboard's way to a region: its corners typed in points (what a drag on the image fills in). */
  function typedRegion() {
    const inputs = ["x0", "y0", "x1", "y1"].map((name) =>
      h("input", { id: `note-${name}`, type: "number", min: 0, max: 14400, step: "any", class: "coordinate" }),
    );
    const labels = ["Left", "Top", "Right", "Bottom"];
    const use = h("button", { type: "button" }, "Use this region");
    use.addEventListener("click", () => {
      const [x0, y0, x1, y1] = inputs.map((i) => Number.parseFloat(i.value));
      if (![x0, y0, x1, y1].every(Number.isFinite) || !(x0 < x1 && y0 < y1)) {
        announce("A region needs left < right and top < bottom, in points.");
        regionStatus.textContent = "A region needs left < right and top < bottom, in points.";
        return;
      }
      setDraft({ x0, y0, x1, y1 });
      announce(`Region marked: ${regionText(draft)}.`);
    });
    typedInputs = inputs;
    return h(
      "details",
      { class: "note-typed-region" },
      h("summary", {}, "Type the region instead (PDF points from the top-left corner)"),
      h(
        "div",
        { class: "inline-form" },
        inputs.map((input, i) => h("div", { class: "field" }, h("label", { for: input.id }, labels[i]), input)),
        use,
      ),
    );
  }

  function setDraft(region) {
    draft = region;
    typedInputs.forEach((input, i) => {
      input.value = region ? String(Math.round([region.x0, region.y0, region.x1, region.y1][i])) : "";
    });
    regionStatus.textContent = region
      ? `For ${regionText(region)}.`
      : "On the whole page. Drag on the page image to mark a region.";
    clearRegion.hidden = !region;
    drawBoxes();
  }

  // Dragging on the image marks the new note's region.
  let start = null;
  let moving = null;
  function pointAt(event) {
    const rect = layer.getBoundingClientRect();
    const size = pageSize();
    const fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    const fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
    return { px: event.clientX, py: event.clientY, x: fx * size.width, y: fy * size.height };
  }
  function regionOf(a, b) {
    return { x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) };
  }
  layer.addEventListener("pointerdown", (event) => {
    if (!pageSize() || event.button !== 0) return;
    event.preventDefault();
    start = pointAt(event);
    moving = h("div", { class: "note-box draft" });
    layer.append(moving);
    layer.setPointerCapture?.(event.pointerId);
  });
  layer.addEventListener("pointermove", (event) => {
    if (!start) return;
    place(moving, regionOf(start, pointAt(event)), pageSize());
  });
  function finish(event) {
    if (!start) return;
    const end = pointAt(event);
    const dragged = Math.abs(end.px - start.px) >= MIN_DRAG_PX && Math.abs(end.py - start.py) >= MIN_DRAG_PX;
    const region = regionOf(start, end);
    start = null;
    moving?.remove();
    moving = null;
    if (!dragged) return;
    setDraft(region);
    textArea.focus();
    announce(`Region marked: ${regionText(region)}. Write the note and add it.`);
  }
  layer.addEventListener("pointerup", finish);
  layer.addEventListener("pointercancel", () => {
    start = null;
    moving?.remove();
    moving = null;
  });
  image.addEventListener("load", drawBoxes);

  function noteItem(note, index) {
    const meta = [
      h("span", { class: `badge${note.shared ? " shared" : ""}` }, note.shared ? "Shared" : "Private"),
      note.region ? h("span", {}, `Box ${index + 1} on the image`) : h("span", {}, "Whole page"),
      h("span", {}, note.mine ? "You" : authorName(note.author)),
      h("time", { datetime: note.updated_at }, timestamp(note.updated_at)),
    ];
    const item = h(
      "li",
      { class: "note", id: `note-${note.id}`, tabindex: -1, dataset: { noteId: note.id } },
      h("p", { class: "note-text" }, note.text),
      h("p", { class: "note-meta muted small" }, meta.flatMap((m, i) => (i ? [" · ", m] : [m]))),
    );
    if (note.mine && editing === note.id) item.append(editForm(note));
    else if (note.mine) {
      item.append(
        h(
          "p",
          { class: "note-actions" },
          h("button", { type: "button", onClick: () => startEdit(note.id), "aria-label": `Edit note ${index + 1}` }, "Edit"),
          " ",
          h("button", { type: "button", onClick: () => remove(note), "aria-label": `Delete note ${index + 1}` }, "Delete"),
        ),
      );
    }
    return item;
  }

  function editForm(note) {
    const id = `edit-${note.id}`;
    const text = h("textarea", { id: `${id}-text`, rows: 3, maxlength: 10000, required: true });
    text.value = note.text;
    const shared = h("input", { id: `${id}-shared`, type: "checkbox", checked: note.shared });
    const keepRegion = note.region ? h("input", { id: `${id}-region`, type: "checkbox", checked: true }) : null;
    const edit = h(
      "form",
      { class: "note-edit", "aria-label": "Edit the note" },
      h("div", { class: "field" }, h("label", { for: `${id}-text` }, "Note"), text),
      h("div", { class: "field inline" }, shared, h("label", { for: `${id}-shared` }, "Shared with the matter")),
      keepRegion ? h("div", { class: "field inline" }, keepRegion, h("label", { for: `${id}-region` }, `On ${regionText(note.region)}`)) : null,
      h("button", { type: "submit", class: "primary" }, "Save"),
      " ",
      h("button", { type: "button", onClick: () => startEdit(null) }, "Cancel"),
    );
    edit.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { text: text.value, shared: shared.checked };
      if (keepRegion && !keepRegion.checked) body.region = null;
      await run(async () => {
        await patchJson(`/notes/${encodeURIComponent(note.id)}`, body);
        editing = null;
        await load(pageNumber);
      }, "Note saved.");
    });
    queueMicrotask(() => text.focus());
    return edit;
  }

  function startEdit(id) {
    editing = id;
    render();
  }

  function render() {
    title.textContent = `Notes on page ${pageNumber}`;
    textLabel.textContent = `New note on page ${pageNumber}`;
    list.replaceChildren(...notes.map(noteItem));
    list.hidden = !notes.length;
    empty.hidden = notes.length > 0;
    drawBoxes();
  }

  async function run(action, done) {
    problems.replaceChildren();
    status.textContent = "Saving…";
    try {
      await action();
      status.textContent = done;
      announce(done);
    } catch (error) {
      status.textContent = "";
      if (error instanceof ApiError && Array.isArray(error.problem?.choices)) {
        offerCollections(error.problem.choices);
      }
      problems.replaceChildren(errorBox(error, "The note was not saved"));
      if (!(error instanceof ApiError)) throw error;
    }
  }

  function offerCollections(choices) {
    collectionChoices = choices;
    collectionSelect.replaceChildren(...choices.map((c) => h("option", { value: c.id }, c.name)));
    collectionField.hidden = false;
  }

  async function create() {
    const body = { text: textArea.value, shared: sharedBox.checked };
    if (draft) body.region = draft;
    if (collectionChoices) body.collection = collectionSelect.value;
    await run(async () => {
      await postJson(`/documents/${encodeURIComponent(documentId)}/pages/${pageNumber}/notes`, body);
      textArea.value = "";
      sharedBox.checked = false; // each new note starts private: sharing is chosen note by note
      setDraft(null);
      await load(pageNumber);
    }, "Note added.");
  }

  async function remove(note) {
    await run(async () => {
      await deleteRequest(`/notes/${encodeURIComponent(note.id)}`);
      await load(pageNumber);
    }, "Note deleted.");
  }

  async function load(number) {
    loadToken += 1;
    const token = loadToken;
    if (number !== pageNumber) {
      editing = null;
      setDraft(null);
      problems.replaceChildren();
      status.textContent = "";
    }
    pageNumber = number;
    try {
      const data = await getJson(`/documents/${encodeURIComponent(documentId)}/notes`, { page: number });
      if (token !== loadToken) return;
      notes = data.items || [];
    } catch (error) {
      if (token !== loadToken) return;
      notes = [];
      problems.replaceChildren(errorBox(error, "The notes could not be loaded"));
    }
    render();
  }

  setDraft(null);
  return { canvas, panel, load };
}
