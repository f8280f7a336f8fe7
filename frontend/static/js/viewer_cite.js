// The viewer's citations: the current page's, and a page range's chosen with from / to page inputs.
// Both copy to the clipboard, or select the text for Ctrl+C where the browser refuses.

import { announce, h } from "./dom.js";
import { rangeCitation } from "./viewer_facts.js";

/** Copies `output`'s text, says so on `button` for two seconds, and announces it. */
async function copyOutput(button, output, label) {
  const text = output.textContent;
  try {
    await navigator.clipboard.writeText(text);
    announce(`Citation copied: ${text}`);
    button.textContent = "Copied ✓";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(output);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
    announce("Press Ctrl+C to copy the selected citation.");
  }
  setTimeout(() => (button.textContent = label), 2000);
}

/** The single-page citation's output and copy button. */
export function pageCitation() {
  const output = h("output", { class: "citation", id: "citation" });
  const button = h("button", { type: "button", onClick: () => copyOutput(button, output, "Copy citation") }, "Copy citation");
  return { output, button };
}

/** The range citation: "Cite pages [from] to [to] [Copy range citation]" and its output. `update(doc, n)`
 * fits the inputs to the document and starts the range at the page being read. */
export function rangeCitationForm() {
  let doc = null;
  const fromInput = h("input", { id: "cite-from", type: "number", min: 1, class: "page-input" });
  const toInput = h("input", { id: "cite-to", type: "number", min: 1, class: "page-input" });
  const output = h("output", { class: "citation", id: "range-citation", for: "cite-from cite-to" });
  const label = "Copy range citation";
  const button = h("button", { type: "submit" }, label);
  const clamp = (input) => Math.max(1, Math.min(doc?.page_count || 1, Number.parseInt(input.value, 10) || 1));
  const render = () => {
    if (doc) output.textContent = rangeCitation(doc, clamp(fromInput), clamp(toInput));
  };
  fromInput.addEventListener("input", render);
  toInput.addEventListener("input", render);
  const form = h(
    "form",
    { class: "range-cite", "aria-label": "Cite a page range" },
    h("label", { for: "cite-from" }, "Cite pages"),
    fromInput,
    h("label", { for: "cite-to" }, "to"),
    toInput,
    button,
    output,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    render();
    copyOutput(button, output, label);
  });
  function update(nextDoc, pageNumber) {
    const fresh = doc?.id !== nextDoc.id;
    doc = nextDoc;
    for (const input of [fromInput, toInput]) input.max = String(doc.page_count || 1);
    if (fresh || !fromInput.value) {
      fromInput.value = String(pageNumber);
      toInput.value = String(Math.min(doc.page_count || pageNumber, pageNumber + 1));
    }
    render();
  }
  return { form, update };
}
