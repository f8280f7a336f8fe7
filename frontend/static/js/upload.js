// Drag-and-drop upload of many PDFs and zip archives (folders too), sent in batches with byte progress.

import { upload } from "./api.js";
import { h } from "./dom.js";
import { bytes, plural } from "./format.js";

const BATCH_FILES = 25;
const BATCH_BYTES = 256 * 1024 * 1024;

async function filesFromEntry(entry, out) {
  if (entry.isFile) {
    out.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch) await filesFromEntry(child, out);
    }
  }
}

/** The files of a drop, walking into dropped folders. */
async function droppedFiles(dataTransfer) {
  const entries = [...(dataTransfer.items || [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files];
  const out = [];
  for (const entry of entries) await filesFromEntry(entry, out);
  return out;
}

function batches(files) {
  const out = [];
  let current = [];
  let size = 0;
  for (const file of files) {
    if (current.length && (current.length >= BATCH_FILES || size + file.size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(file);
    size += file.size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * createUploader({productionId, onBatchDone(result), onStart(), onFinish()}) -> element.
 * The drop zone is a labelled region; the file input is a real, keyboard-usable control.
 */
export function createUploader({ productionId, onBatchDone, onStart, onFinish }) {
  const input = h("input", { type: "file", id: "upload-input", multiple: true, accept: ".pdf,.zip,application/pdf,application/zip", class: "file-input" });
  const bar = h("progress", { id: "upload-progress", max: 100, value: 0, hidden: true });
  const status = h("p", { class: "upload-status", "aria-live": "polite" });
  const rejected = h("div", { class: "rejected" });
  const zone = h(
    "div",
    { class: "dropzone", "aria-labelledby": "upload-title", "aria-describedby": "upload-help" },
    h("p", { id: "upload-help" }, "Drop PDFs, zip archives or whole folders here, or "),
    h("label", { for: "upload-input", class: "button-link" }, "choose files"),
    input,
  );
  let busy = false;

  async function send(files) {
    const pdfs = files.filter((f) => f.size >= 0);
    if (!pdfs.length || busy) return;
    busy = true;
    onStart?.();
    rejected.replaceChildren();
    const total = pdfs.reduce((sum, f) => sum + f.size, 0) || 1;
    let sent = 0;
    bar.hidden = false;
    bar.value = 0;
    const refused = [];
    let accepted = 0;
    try {
      for (const batch of batches(pdfs)) {
        const form = new FormData();
        for (const file of batch) form.append("files", file, file.name);
        const batchBytes = batch.reduce((sum, f) => sum + f.size, 0);
        status.textContent = `Uploading ${plural(pdfs.length, "file")} (${bytes(total)})…`;
        const result = await upload(`/productions/${encodeURIComponent(productionId)}/files`, form, (loaded, totalBytes) => {
          const share = totalBytes ? (loaded / totalBytes) * batchBytes : 0;
          bar.value = Math.round(((sent + share) / total) * 100);
        });
        sent += batchBytes;
        bar.value = Math.round((sent / total) * 100);
        accepted += result.accepted?.length || 0;
        refused.push(...(result.rejected || []));
        onBatchDone?.(result);
      }
      status.textContent = `Uploaded: ${plural(accepted, "file")} queued${refused.length ? `, ${plural(refused.length, "file")} refused` : ""}. Processing continues below.`;
    } catch (error) {
      status.textContent = `The upload failed: ${error.detail || error.message}`;
    } finally {
      busy = false;
      bar.hidden = true;
      input.value = "";
      onFinish?.();
    }
    if (refused.length) {
      rejected.replaceChildren(
        h("h3", {}, "Refused at upload"),
        h("ul", { class: "plain-list" }, refused.map((f) => h("li", {}, h("strong", {}, f.name), `: ${f.error || "refused"}`))),
      );
    }
  }

  input.addEventListener("change", () => send([...input.files]));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", async (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    send(await droppedFiles(event.dataTransfer));
  });

  return h(
    "section",
    { class: "card upload", "aria-labelledby": "upload-title" },
    h("h2", { id: "upload-title", class: "section-title" }, "Add files"),
    zone,
    h("label", { for: "upload-progress", class: "visually-hidden" }, "Upload progress"),
    bar,
    status,
    rejected,
  );
}
