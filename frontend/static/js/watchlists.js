// Watchlists: the list of a matter's watchlists with a form to make one, and one watchlist's editor
// (name, terms one per line, each term that cannot be kept shown at its line) with its search term report
// (screen now, progress while it runs, per term documents, pages, unique pages and a link to the results).

import { ApiError, deleteRequest, download, getJson, postJson, putJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { num, timestamp } from "./format.js";
import { navigate } from "./router.js";

const POLL_MS = 1000;

/** The terms of a textarea (blank lines dropped) and, for each, its line number (from 1). */
function termsOf(text) {
  const terms = [];
  const lines = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim()) {
      terms.push(line.trim());
      lines.push(i + 1);
    }
  });
  return { terms, lines };
}

/** Selects line `line` of a textarea from character `position` of its term, and focuses it. */
function goToLine(textarea, line, position) {
  const rows = textarea.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1; i += 1) start += rows[i].length + 1;
  const text = rows[line - 1] ?? "";
  const offset = text.length - text.trimStart().length + Math.max(0, position);
  textarea.focus();
  textarea.setSelectionRange(start + Math.min(offset, text.length), start + text.length);
}

/** The editor's fields: name and terms, with the list of errors under the terms. */
function editorFields(prefix, name, terms) {
  const nameInput = h("input", { id: `${prefix}-name`, name: "name", required: true, maxlength: 200, value: name });
  const textarea = h("textarea", {
    id: `${prefix}-terms`,
    name: "terms",
    rows: 10,
    spellcheck: "false",
    "aria-describedby": `${prefix}-help ${prefix}-errors`,
    placeholder: 'Clearview AI\n"face recognition"\ncellebrite w/5 license',
  });
  textarea.value = terms.join("\n");
  const errors = h("div", { id: `${prefix}-errors`, class: "term-errors" });
  const fields = [
    h("label", { for: `${prefix}-name` }, "Name"),
    nameInput,
    h("label", { for: `${prefix}-terms` }, "Terms, one per line"),
    h("p", { id: `${prefix}-help`, class: "muted small" }, "Each line is a query: a name, a \"phrase\", vendor:x, a w/5 b… Up to 10,000 lines."),
    textarea,
    errors,
  ];
  return { nameInput, textarea, errors, fields };
}

/** Shows a 422 of terms at their lines (and returns true), or nothing for any other error. */
function showTermErrors(error, editor, lines) {
  const problem = error instanceof ApiError ? error.problem : null;
  if (!problem || !Array.isArray(problem.errors) || !problem.term_number) return false;
  editor.textarea.setAttribute("aria-invalid", "true");
  const items = problem.errors.map((e) => {
    const line = lines[e.term_number - 1] ?? e.term_number;
    return h(
      "li",
      { dataset: { line } },
      h("button", { type: "button", class: "link-button", onClick: () => goToLine(editor.textarea, line, e.position) }, `Line ${line}`),
      ": ",
      h("code", {}, e.term || "(empty)"),
      ` — ${e.detail} (character ${e.position + 1})`,
      e.hint ? h("span", { class: "muted" }, `. ${e.hint}`) : "",
    );
  });
  editor.errors.replaceChildren(
    h(
      "div",
      { class: "error-box", role: "alert" },
      h("strong", {}, `${problem.errors.length === 1 ? "A term" : `${problem.errors.length} terms`} cannot be kept; nothing was saved.`),
      h("ul", { class: "term-error-list" }, items),
    ),
  );
  const first = problem.errors[0];
  goToLine(editor.textarea, lines[first.term_number - 1] ?? first.term_number, first.position);
  return true;
}

function clearErrors(editor) {
  editor.textarea.removeAttribute("aria-invalid");
  editor.errors.replaceChildren();
}

export async function mountWatchlistList(outlet) {
  setTitle("Watchlists");
  const list = h("div", { class: "watchlist-list", "aria-live": "polite" });
  const editor = editorFields("new-watchlist", "", []);
  const collectionSelect = h("select", { id: "new-watchlist-collection", name: "collection" });
  const collectionField = h("div", { hidden: true }, h("label", { for: "new-watchlist-collection" }, "Collection"), collectionSelect);
  const form = h(
    "form",
    { class: "watchlist-form" },
    h("h2", {}, "New watchlist"),
    collectionField,
    editor.fields,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Create watchlist")),
  );
  outlet.append(
    h("h1", {}, "Watchlists"),
    h("p", {}, "Lists of names, vendors or queries, screened against every new production of the matter: a search term report per production."),
    list,
    form,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(editor);
    const { terms, lines } = termsOf(editor.textarea.value);
    const body = { name: editor.nameInput.value.trim(), terms };
    if (!collectionField.hidden) body.collection = collectionSelect.value;
    try {
      const created = await postJson("/watchlists", body);
      announce(`Watchlist ${created.name} created.`);
      navigate(`/watchlists/${encodeURIComponent(created.id)}`);
    } catch (error) {
      if (!showTermErrors(error, editor, lines)) editor.errors.replaceChildren(errorBox(error, "The watchlist could not be created"));
    }
  });

  try {
    const [data, productions] = await Promise.all([getJson("/watchlists", { limit: 500 }), getJson("/productions", { limit: 500 })]);
    const collections = new Map(productions.items.map((p) => [p.collection.id, p.collection.name]));
    for (const w of data.items) collections.set(w.collection.id, w.collection.name);
    collectionSelect.replaceChildren(...[...collections].map(([id, name]) => h("option", { value: id }, name)));
    collectionField.hidden = collections.size < 2;
    if (!data.items.length) {
      list.replaceChildren(h("p", { class: "muted" }, "No watchlist yet."));
      return;
    }
    list.replaceChildren(
      h(
        "table",
        { class: "data-table" },
        h("caption", {}, `${data.items.length} ${data.items.length === 1 ? "watchlist" : "watchlists"}`),
        h("thead", {}, h("tr", {}, ["Name", "Collection", "Terms", "Changed"].map((c, i) => h("th", { scope: "col", class: i === 2 ? "num" : "" }, c)))),
        h(
          "tbody",
          {},
          data.items.map((w) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("a", { href: `/watchlists/${encodeURIComponent(w.id)}` }, w.name)),
              h("td", {}, w.collection.name),
              h("td", { class: "num" }, num(w.term_count)),
              h("td", {}, timestamp(w.updated_at)),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    list.replaceChildren(errorBox(error, "The watchlists could not be loaded"));
  }
}

export async function mountWatchlist(outlet, ctx) {
  const id = decodeURIComponent(ctx.match[1]);
  let timer = null;
  let destroyed = false;
  const heading = h("h1", {}, "Watchlist");
  outlet.append(heading);
  let watchlist;
  try {
    watchlist = await getJson(`/watchlists/${encodeURIComponent(id)}`);
  } catch (error) {
    outlet.append(errorBox(error, "The watchlist could not be loaded"));
    return {};
  }
  setTitle(watchlist.name);
  heading.textContent = watchlist.name;

  const editor = editorFields("watchlist", watchlist.name, watchlist.terms);
  const saved = h("p", { class: "muted small", role: "status" });
  const form = h(
    "form",
    { class: "watchlist-form" },
    h("h2", {}, "Terms"),
    editor.fields,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h("button", { type: "button", onClick: remove }, "Delete watchlist"),
    ),
    saved,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(editor);
    const { terms, lines } = termsOf(editor.textarea.value);
    try {
      watchlist = await putJson(`/watchlists/${encodeURIComponent(id)}`, { name: editor.nameInput.value.trim(), terms });
      heading.textContent = watchlist.name;
      setTitle(watchlist.name);
      saved.textContent = `Saved: ${watchlist.term_count} ${watchlist.term_count === 1 ? "term" : "terms"}.`;
    } catch (error) {
      if (!showTermErrors(error, editor, lines)) editor.errors.replaceChildren(errorBox(error, "The watchlist could not be saved"));
    }
  });

  const productionSelect = h("select", { id: "screen-production", name: "production" }, h("option", { value: "" }, "Every production of the matter"));
  const screenButton = h("button", { type: "button", class: "primary", onClick: screen }, "Screen now");
  const csvButton = h("button", { type: "button", hidden: true, onClick: downloadCsv }, "Download report as CSV");
  const progress = h("div", { class: "screen-progress", "aria-live": "polite" });
  const report = h("div", { class: "watchlist-report" });
  outlet.append(
    h("p", { class: "muted" }, `${watchlist.collection.name} · by ${watchlist.created_by}`),
    form,
    h(
      "section",
      { "aria-labelledby": "report-title" },
      h("h2", { id: "report-title" }, "Search term report"),
      h("div", { class: "actions" }, h("label", { for: "screen-production" }, "Screen"), productionSelect, screenButton, csvButton),
      progress,
      report,
    ),
  );

  try {
    const productions = await getJson("/productions", { limit: 500 });
    for (const p of productions.items.filter((p) => p.collection.id === watchlist.collection.id)) {
      productionSelect.append(h("option", { value: p.id }, p.name));
    }
  } catch {
    // the select keeps "every production": screening still works
  }

  async function remove() {
    if (!window.confirm(`Delete the watchlist ${watchlist.name} and its reports?`)) return;
    try {
      await deleteRequest(`/watchlists/${encodeURIComponent(id)}`);
      announce(`Watchlist ${watchlist.name} deleted.`);
      navigate("/watchlists");
    } catch (error) {
      saved.replaceChildren(errorBox(error, "The watchlist could not be deleted"));
    }
  }

  async function screen() {
    const body = productionSelect.value ? { production: productionSelect.value } : {};
    try {
      await postJson(`/watchlists/${encodeURIComponent(id)}/screen`, body);
      announce("Screening started.");
      loadReport();
    } catch (error) {
      progress.replaceChildren(errorBox(error, "The screening could not start"));
    }
  }

  function downloadCsv() {
    const params = { format: "csv" };
    if (productionSelect.value) params.production = productionSelect.value;
    download(`/watchlists/${encodeURIComponent(id)}/report`, params, "watchlist-report.csv").catch((error) =>
      progress.replaceChildren(errorBox(error, "The CSV could not be downloaded")),
    );
  }

  async function loadReport() {
    clearTimeout(timer);
    const params = productionSelect.value ? { production: productionSelect.value } : {};
    let data;
    try {
      data = await getJson(`/watchlists/${encodeURIComponent(id)}/report`, params);
    } catch (error) {
      csvButton.hidden = true;
      report.replaceChildren();
      if (error instanceof ApiError && error.status === 404) progress.replaceChildren(h("p", { class: "muted" }, "Not screened yet."));
      else progress.replaceChildren(errorBox(error, "The report could not be loaded"));
      return;
    }
    if (destroyed) return;
    const run = data.run;
    const p = run.progress;
    if (run.status === "queued" || run.status === "running") {
      const value = h("progress", { id: "screen-progress-bar", max: Math.max(1, p.pages_total), value: p.pages_screened }, `${p.pages_screened} of ${p.pages_total}`);
      progress.replaceChildren(
        h("label", { for: "screen-progress-bar" }, `Screening ${num(p.terms_total)} terms: ${num(p.pages_screened)} of ${num(p.pages_total)} pages`),
        value,
      );
      csvButton.hidden = true;
      timer = setTimeout(loadReport, POLL_MS);
      return;
    }
    if (run.status === "failed") {
      progress.replaceChildren(h("div", { class: "error-box", role: "alert" }, `The screening failed: ${run.error || "unknown reason"}`));
      report.replaceChildren();
      csvButton.hidden = true;
      return;
    }
    progress.replaceChildren(
      h(
        "p",
        { class: "screen-summary" },
        `Screened ${num(p.pages_screened)} pages (${run.production_id ? "one production" : "the whole matter"}) at ${timestamp(run.finished_at)}: `,
        `${num(run.hit_documents)} documents and ${num(run.hit_pages)} pages hit by at least one term.`,
      ),
    );
    csvButton.hidden = false;
    report.replaceChildren(
      h(
        "table",
        { class: "data-table report-table" },
        h("caption", {}, `${data.items.length} ${data.items.length === 1 ? "term" : "terms"}, in the list's order`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Term"),
            h("th", { scope: "col", class: "num" }, "Documents"),
            h("th", { scope: "col", class: "num" }, "Pages"),
            h("th", { scope: "col", class: "num" }, "Unique pages"),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Results")),
          ),
        ),
        h(
          "tbody",
          {},
          data.items.map((item) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, h("code", {}, item.term)),
              h("td", { class: "num" }, num(item.documents)),
              h("td", { class: "num" }, num(item.pages)),
              h("td", { class: "num" }, num(item.unique_pages)),
              h("td", {}, item.pages ? h("a", { href: item.link, "aria-label": `Show results for ${item.term}` }, "Show results") : ""),
            ),
          ),
        ),
      ),
    );
  }

  productionSelect.addEventListener("change", loadReport);
  await loadReport();
  return {
    destroy() {
      destroyed = true;
      clearTimeout(timer);
    },
  };
}
