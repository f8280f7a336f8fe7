// The query box: input, the syntax help one click away, and the parser's error shown where it points.

import { h } from "./dom.js";

const EXAMPLES = [
  ["face recognition", "both words on the page (AND is the default)"],
  ['"face recognition"', "the exact phrase"],
  ["rekognition OR clearview", "either word"],
  ["surveillance NOT drone", "the first word without the second"],
  ['"gait recognition"~3', "the words within 3 words of each other, in order"],
  ["amazon w/5 pilot", "within 5 words of each other, either order"],
  ["cellebrite pre/3 license", "the first word at most 3 words before the second"],
  ["surveil*   surveil!", "words starting with surveil (prefix or root expander)"],
  ["policy~1   surveillance~2", "fuzzy: words within 1 or 2 letter edits (typos, OCR errors)"],
  ["(palantir OR clearview) w/10 contract", "parentheses group alternatives"],
  ["vendor:cellebrite", "a vendor (also product:, technology:, agency:, organization:)"],
  ["vendor:AWS", "an entity by its name or an alias (vendor:\"Amazon Web Services\", product:rekognition)"],
  ['exemption:"(b)(7)(C)"', "pages with an exemption code (b7C works too)"],
  ["production:\"FBI 2019-11\"   bates:FBI-0001*", "a production; a Bates number or prefix"],
  ["bates:[FBI-000117 TO FBI-000120]", "pages in a Bates range (one prefix)"],
  ["title:memorandum   file:rekognition", "words in the title; a file name"],
  ["date:2019   date:2019-06", "documents dated in a year or a month"],
  ["date:[2018-01-01 TO 2019-06-30]", "documents dated in a range (inclusive)"],
];

let counter = 0;

/**
 * createQueryBox({value, onSubmit, afterSubmit}) -> {element, input, setValue, showError, clearError}
 * onSubmit(q) is called when the form is submitted; afterSubmit (optional) is placed right after the submit
 * button, e.g. a skip link that keeps the Tab path from the box to the results short.
 */
export function createQueryBox({ value = "", onSubmit, label = "Search released records", submitLabel = "Search", afterSubmit = null }) {
  counter += 1;
  const inputId = `q-${counter}`;
  const errorId = `q-error-${counter}`;
  const helpId = `q-help-${counter}`;

  const input = h("input", {
    id: inputId,
    name: "q",
    type: "search",
    class: "query-input",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: 'e.g. "face recognition" w/10 amazon',
    "aria-describedby": helpId,
  });
  input.value = value;

  const errorBox = h("div", { id: errorId, class: "query-error", role: "alert", hidden: true });

  const examples = h(
    "table",
    { class: "syntax-table" },
    h("caption", { class: "visually-hidden" }, "Query syntax examples"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Write"), h("th", { scope: "col" }, "To find"), h("td", {}))),
    h(
      "tbody",
      {},
      EXAMPLES.map(([example, meaning]) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", {}, example)),
          h("td", {}, meaning),
          h(
            "td",
            {},
            h(
              "button",
              {
                type: "button",
                class: "small",
                "aria-label": `Use the example ${example}`,
                onClick: () => {
                  input.value = example.split(/\s{3}/)[0];
                  input.focus();
                },
              },
              "Use",
            ),
          ),
        ),
      ),
    ),
  );
  const help = h(
    "details",
    { class: "syntax-help", id: helpId },
    h("summary", {}, "Query syntax"),
    h(
      "div",
      { class: "syntax-body" },
      h(
        "p",
        {},
        "Operators AND, OR, NOT are written in capitals (lower-case words are searched). ",
        "Proximity: w/N (either order), pre/N (in order), \"a b\"~N. Words are matched with their endings ",
        "(recognize finds recognized).",
      ),
      examples,
    ),
  );

  const form = h(
    "form",
    { class: "query-form", role: "search" },
    h("label", { for: inputId, class: "query-label" }, label),
    h("div", { class: "query-row" }, input, h("button", { type: "submit", class: "primary" }, submitLabel), afterSubmit),
    errorBox,
    help,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(input.value.trim());
  });

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", helpId);
  }

  /** Shows a query error (an ApiError with position and hint) under the box, pointing at the character. */
  function showError(error, query = input.value) {
    const position = Math.max(0, Math.min(error.position ?? query.length, query.length));
    const before = query.slice(0, position);
    const offender = query.slice(position, position + 1) || " ";
    const after = query.slice(position + 1);
    const atEnd = position >= query.length;
    errorBox.replaceChildren(
      h(
        "pre",
        { class: "query-echo", "aria-hidden": "true" },
        h("span", {}, before),
        h("span", { class: atEnd ? "offender at-end" : "offender" }, offender),
        h("span", {}, after),
        "\n",
        h("span", { class: "caret-line" }, `${" ".repeat(position)}^`),
      ),
      h(
        "p",
        { class: "query-message" },
        h("strong", {}, error.detail || error.title || "The query could not be read"),
        ` (at character ${position + 1}${atEnd ? ", the end of the query" : `, “${offender}”`}).`,
        error.hint ? ` ${error.hint}` : "",
      ),
    );
    errorBox.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `${errorId} ${helpId}`);
    input.focus();
    input.setSelectionRange(position, Math.min(position + 1, query.length));
  }

  return {
    element: form,
    input,
    setValue(q) {
      if (input.value !== q) input.value = q;
    },
    showError,
    clearError,
  };
}
