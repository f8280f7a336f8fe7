// The date histogram of the hits on the search page: a brushable chart, an interval choice, and
// "from / to" date fields that do the same as the brush from the keyboard.

import { renderTimeChart } from "./chart.js";
import { h, preserveFocus } from "./dom.js";
import { plural } from "./format.js";

export const INTERVALS = { year: "Year", quarter: "Quarter", month: "Month", week: "Week", day: "Day" };

/**
 * renderHistogram(container, data, state, {onRange(from, to), onInterval(interval)})
 * data is the /search/histogram answer (or null while loading).
 */
export function renderHistogram(container, data, state, { onRange, onInterval, interval }) {
  const chartBox = h("div", { class: "chart-box" });
  const select = h(
    "select",
    { id: "hist-interval", onChange: (e) => onInterval(e.target.value) },
    Object.entries(INTERVALS).map(([value, label]) => h("option", { value, selected: value === interval }, label)),
  );
  const from = h("input", { type: "date", id: "date-from", name: "date_from", value: state.date_from || "" });
  const to = h("input", { type: "date", id: "date-to", name: "date_to", value: state.date_to || "" });
  const form = h(
    "form",
    { class: "date-form" },
    h("div", { class: "field" }, h("label", { for: "date-from" }, "Dated from"), from),
    h("div", { class: "field" }, h("label", { for: "date-to" }, "to"), to),
    h("button", { type: "submit" }, "Apply dates"),
    h("div", { class: "field" }, h("label", { for: "hist-interval" }, "Bars per"), select),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onRange(from.value, to.value);
  });
  const undated = data?.undated_documents ? h("p", { class: "muted small" }, `${plural(data.undated_documents, "document")} without a date (not shown).`) : null;
  preserveFocus(container, () =>
    container.replaceChildren(...[h("h2", { class: "section-title" }, "Documents over time"), chartBox, undated, form].filter(Boolean)),
  );
  if (data) {
    renderTimeChart(chartBox, {
      buckets: data.buckets,
      interval: data.interval || interval,
      bars: { key: "documents", label: "Documents" },
      selection: { from: state.date_from, to: state.date_to },
      onBrush: (a, b) => onRange(a, b),
      title: "Documents by date",
    });
  } else {
    chartBox.append(h("p", { class: "muted" }, "Loading the histogram…"));
  }
}
