// Productions: list and create them; one production's page shows the upload, live progress (files and
// pages done, OCR'd, failed), the failed files with their reasons and a retry button.

import { getJson, postJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { num, plural, timestamp } from "./format.js";
import { navigate } from "./router.js";
import { createProductionAnalytics } from "./analytics.js";
import { createUploader } from "./upload.js";

const FAST_POLL_MS = 1000;
const OPENS = new Set(["done", "duplicate"]); // file statuses whose pages are stored and searchable
const SLOW_POLL_MS = 5000;

function progressSummary(progress) {
  const f = progress.files;
  const settled = f.done + f.failed + f.duplicate;
  return `${num(settled)} of ${plural(f.total, "file")} processed`;
}

/** A stacked bar of file states, with a text equivalent. */
function fileBar(files) {
  const total = files.total || 1;
  const parts = ["done", "duplicate", "failed", "processing", "pending"];
  const bar = h("div", { class: "stacked-bar", role: "img", "aria-label": parts.map((p) => `${files[p]} ${p}`).join(", ") });
  for (const part of parts) {
    if (!files[part]) continue;
    const segment = h("span", { class: `seg seg-${part}` });
    segment.style.width = `${(files[part] / total) * 100}%`;
    bar.append(segment);
  }
  return bar;
}

export function mountProductionList(outlet) {
  setTitle("Productions");
  let timer = null;
  const nameInput = h("input", { id: "prod-name", name: "name", required: true, autocomplete: "off", placeholder: "FBI 2019-11" });
  const collectionInput = h("input", { id: "prod-collection", name: "collection", autocomplete: "off", value: "default" });
  const formError = h("div", {});
  const form = h(
    "form",
    { class: "inline-form create-form" },
    h("div", { class: "field" }, h("label", { for: "prod-name" }, "Production name"), nameInput),
    h("div", { class: "field" }, h("label", { for: "prod-collection" }, "Collection (matter)"), collectionInput),
    h("button", { type: "submit", class: "primary" }, "Create production"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.replaceChildren();
    try {
      const production = await postJson("/productions", { name: nameInput.value.trim(), collection: collectionInput.value.trim() || "default" });
      announce(`Created production ${production.name}.`);
      navigate(`/productions/${encodeURIComponent(production.id)}`);
    } catch (error) {
      formError.replaceChildren(errorBox(error, "The production could not be created"));
    }
  });
  const table = h("div", { class: "table-wrap" });
  outlet.append(
    h("h1", {}, "Productions"),
    h("section", { class: "card", "aria-labelledby": "create-title" }, h("h2", { id: "create-title", class: "section-title" }, "New production"), form, formError),
    h("section", { "aria-labelledby": "list-title" }, h("h2", { id: "list-title", class: "section-title" }, "All productions"), table),
  );

  async function load() {
    try {
      const data = await getJson("/productions", { limit: 500 });
      if (!data.items.length) {
        table.replaceChildren(h("p", { class: "muted" }, "No productions yet. Create one above, then drop its PDFs on its page."));
        return;
      }
      table.replaceChildren(
        h(
          "table",
          { class: "data-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Production", "Collection", "Created", "Files", "Pages (OCR)", "Failed", "Progress"].map((c) => h("th", { scope: "col" }, c)),
            ),
          ),
          h(
            "tbody",
            {},
            data.items.map((p) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, h("a", { href: `/productions/${encodeURIComponent(p.id)}` }, p.name)),
                h("td", {}, p.collection?.name || ""),
                h("td", {}, timestamp(p.created_at)),
                h("td", { class: "num" }, num(p.progress.files.total)),
                h("td", { class: "num" }, `${num(p.progress.pages.total)} (${num(p.progress.pages.ocr)})`),
                h("td", { class: "num" }, p.progress.files.failed ? h("strong", { class: "bad" }, num(p.progress.files.failed)) : "0"),
                h("td", {}, fileBar(p.progress.files), h("span", { class: "small muted" }, p.progress.finished ? "finished" : progressSummary(p.progress))),
              ),
            ),
          ),
        ),
      );
      const busy = data.items.some((p) => !p.progress.finished);
      timer = setTimeout(load, busy ? 2000 : 15000);
    } catch (error) {
      table.replaceChildren(errorBox(error, "The productions could not be loaded"));
    }
  }
  load();
  return { destroy: () => clearTimeout(timer) };
}

export function mountProduction(outlet, ctx) {
  const productionId = decodeURIComponent(ctx.match[1]);
  let timer = null;
  let uploading = false;
  let lastFailed = "";
  let wasFinished = null;
  let stopped = false;

  const header = h("header", {}, h("h1", {}, "Loading the production…"));
  const messages = h("div", {});
  const progressBox = h("section", { class: "card progress-card", "aria-labelledby": "progress-title" });
  const failedBox = h("section", { class: "card failed-card", "aria-labelledby": "failed-title" });
  const allFiles = h("details", { class: "card all-files" }, h("summary", {}, "All files"), h("div", { class: "table-wrap" }));
  allFiles.addEventListener("toggle", () => allFiles.open && loadAllFiles());

  const uploader = createUploader({
    productionId,
    onStart: () => {
      uploading = true;
      poll();
    },
    onBatchDone: (result) => renderProgress(result.progress),
    onFinish: () => {
      uploading = false;
      poll();
    },
  });

  const analytics = createProductionAnalytics(productionId);
  outlet.append(
    h("a", { href: "/productions", class: "back-link" }, "← All productions"),
    header,
    messages,
    // The grid leaves room for the production's analytics (exemption chart, re-release comparison).
    h("div", { class: "production-grid" }, uploader, progressBox, failedBox, allFiles, analytics),
  );

  function countRow(label, value, cls = "", key = "") {
    return h("div", { class: "stat" }, h("dt", { class: key ? `key key-${key}` : "" }, label), h("dd", { class: cls }, num(value)));
  }

  function renderProgress(progress) {
    const f = progress.files;
    const p = progress.pages;
    const state = progress.finished ? (f.total ? "Finished" : "No files yet") : `Processing: ${progressSummary(progress)}`;
    const files = h(
      "dl",
      { class: "counts" },
      countRow("Files", f.total),
      countRow("Done", f.done, "good", "done"),
      countRow("Duplicate", f.duplicate, "", "duplicate"),
      countRow("Failed", f.failed, f.failed ? "bad" : "", "failed"),
      countRow("Processing", f.processing, "", "processing"),
      countRow("Pending", f.pending, "", "pending"),
    );
    const pages = h(
      "dl",
      { class: "counts" },
      countRow("Pages", p.total),
      countRow("From text layer", p.text_layer),
      countRow("OCR'd", p.ocr),
      ...(p.with_warnings ? [countRow("With warnings", p.with_warnings, "bad", "warned")] : []),
    );
    progressBox.replaceChildren(
      h("h2", { id: "progress-title", class: "section-title" }, "Progress"),
      h("p", { class: `progress-state ${progress.finished ? "finished" : "running"}`, dataset: { finished: String(progress.finished) } }, state),
      fileBar(f),
      h("h3", {}, "Files"),
      files,
      h("h3", {}, "Pages"),
      pages,
    );
    if (wasFinished === false && progress.finished) analytics.refresh();
    if (wasFinished === false && progress.finished) announce(`Production finished: ${progressSummary(progress)}, ${plural(f.failed, "failure")}.`);
    wasFinished = progress.finished;
    const troubles = `${f.failed}/${p.with_warnings}/${progress.retryable}`;
    if (troubles !== lastFailed) {
      lastFailed = troubles;
      loadFailed(f.failed, p.with_warnings, progress.retryable);
    }
  }

  // Failed files with their reasons, files with warned pages, and a retry offered only for what it can fix:
  // the button's count is the production's `retryable`, exactly what POST .../retry queues.
  async function loadFailed(failedCount, warnedPages, retryable) {
    const heading = h("h2", { id: "failed-title", class: "section-title" }, "Failed files and warnings");
    if (!failedCount && !warnedPages) {
      failedBox.replaceChildren(heading, h("p", { class: "muted" }, "None."));
      return;
    }
    try {
      const base = `/productions/${encodeURIComponent(productionId)}/files`;
      const failed = failedCount ? await getJson(base, { status: "failed", limit: 500 }) : { items: [] };
      const warned = warnedPages ? (await getJson(base, { limit: 1000 })).items.filter((f) => f.warnings?.length) : [];
      const retryNote = (file) => (file.retryable ? "a retry may help" : "the file itself: a retry would fail the same way");
      const rows = [
        ...failed.items.map((file) => h("tr", { class: "failed-row" }, h("th", { scope: "row" }, file.name), h("td", { class: "reason" }, file.error || "unknown"), h("td", { class: "retryable" }, retryNote(file)), h("td", {}, timestamp(file.added_at)))),
        ...warned.map((file) =>
          h(
            "tr",
            { class: "warned-row" },
            h("th", { scope: "row" }, h("a", { href: `/documents/${encodeURIComponent(file.document_id)}?page=${file.warnings[0].page_number}` }, file.name)),
            h("td", { class: "reason" }, `Done, with warnings: ${file.warnings.map((w) => `p. ${w.page_number}: ${w.detail}`).join("; ")}`),
            h("td", { class: "retryable" }, retryNote(file)),
            h("td", {}, timestamp(file.added_at)),
          ),
        ),
      ];
      const retry = retryable ? h("button", { type: "button", class: "primary retry-button", onClick: () => retryFailed(retry) }, `Retry ${plural(retryable, "file")}`) : h("p", { class: "muted no-retry" }, "No failure here can be fixed by a retry.");
      failedBox.replaceChildren(
        h("h2", { id: "failed-title", class: "section-title" }, `Failed files (${num(failedCount)})${warnedPages ? ` and ${plural(warnedPages, "page")} with warnings` : ""}`),
        h(
          "table",
          { class: "data-table failed-table" },
          h("thead", {}, h("tr", {}, ["File", "Reason", "Retry", "Added"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, rows),
        ),
        ...(failed.next_cursor ? [h("p", { class: "muted" }, "Showing the first 500.")] : []),
        retry,
      );
    } catch (error) {
      failedBox.replaceChildren(heading, errorBox(error, "The failed files could not be loaded"));
    }
  }

  async function retryFailed(button) {
    button.disabled = true;
    try {
      const result = await postJson(`/productions/${encodeURIComponent(productionId)}/retry`, {});
      announce(`Queued ${plural(result.queued, "file")} again.`);
      lastFailed = "";
      poll();
    } catch (error) {
      failedBox.append(errorBox(error, "Retry failed"));
      button.disabled = false;
    }
  }

  async function loadAllFiles() {
    const box = allFiles.querySelector(".table-wrap");
    box.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const data = await getJson(`/productions/${encodeURIComponent(productionId)}/files`, { limit: 1000 });
      box.replaceChildren(
        h(
          "table",
          { class: "data-table" },
          h("thead", {}, h("tr", {}, ["File", "Status", "Document", "Added"].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            data.items.map((file) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, file.name),
                h(
                  "td",
                  {},
                  h("span", { class: `badge status-${file.status}` }, file.status),
                  file.error ? h("span", { class: "small muted" }, ` ${file.error}`) : null,
                  file.warnings?.length ? h("span", { class: "badge warn" }, ` ${plural(file.warnings.length, "page")} with warnings`) : null,
                ),
                // Only a file whose pages are stored opens in the viewer; a failed one has none to show.
                h("td", {}, file.document_id && OPENS.has(file.status) ? h("a", { href: `/documents/${encodeURIComponent(file.document_id)}` }, "Open") : ""),
                h("td", {}, timestamp(file.added_at)),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      box.replaceChildren(errorBox(error, "The files could not be loaded"));
    }
  }

  async function poll() {
    clearTimeout(timer);
    if (stopped) return;
    try {
      const production = await getJson(`/productions/${encodeURIComponent(productionId)}`);
      if (stopped) return;
      if (header.dataset.loaded !== "1") {
        setTitle(production.name);
        header.dataset.loaded = "1";
        header.replaceChildren(
          h("h1", {}, production.name),
          h(
            "p",
            { class: "doc-meta" },
            `Collection ${production.collection?.name || ""} · created ${timestamp(production.created_at)} · `,
            h("a", { href: `/search?production=${encodeURIComponent(production.id)}` }, "Search this production"),
          ),
        );
      }
      renderProgress(production.progress);
      timer = setTimeout(poll, uploading || !production.progress.finished ? FAST_POLL_MS : SLOW_POLL_MS);
    } catch (error) {
      messages.replaceChildren(errorBox(error, "The production could not be loaded"));
      timer = setTimeout(poll, SLOW_POLL_MS);
    }
  }
  poll();
  return {
    destroy() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
