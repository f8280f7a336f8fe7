// A small SVG time chart (no library): bars for one series, an optional line for a second, an optional
// brush to select a date range by dragging across the bars, and the data as a table for keyboard and
// screen-reader users.

import { h, svg } from "./dom.js";
import { bucketEnd, bucketLabel, num } from "./format.js";

const HEIGHT = 170;
const MARGIN = { top: 10, right: 40, bottom: 24, left: 40 };

function addInterval(iso, interval) {
  const [y, m, d] = bucketEnd(iso, interval).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Fills the empty intervals between the first and last bucket, so the time axis is even. */
export function continuous(buckets, interval, keys) {
  if (buckets.length < 2) return buckets;
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const out = [];
  let start = buckets[0].start;
  const last = buckets[buckets.length - 1].start;
  for (let guard = 0; start <= last && guard < 2000; guard += 1) {
    out.push(byStart.get(start) || Object.fromEntries([["start", start], ...keys.map((k) => [k, 0])]));
    start = addInterval(start, interval);
  }
  return out.length >= buckets.length ? out : buckets;
}

function niceMax(value) {
  if (value <= 5) return Math.max(1, value);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return value;
}

/**
 * renderTimeChart(container, {buckets, interval, bars: {key, label}, line?: {key, label},
 *   selection?: {from, to}, onBrush?(from, to), title})
 */
export function renderTimeChart(container, options) {
  const { interval, bars, line, selection, onBrush, title } = options;
  const keys = [bars.key, ...(line ? [line.key] : [])];
  const buckets = continuous(options.buckets || [], interval, keys);
  container.replaceChildren();
  container.classList.add("time-chart");
  if (!buckets.length) {
    container.append(h("p", { class: "muted chart-empty" }, "No dated documents."));
    return;
  }
  const width = Math.max(280, container.clientWidth || 640);
  const plotW = width - MARGIN.left - (line ? MARGIN.right : 12);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotW / buckets.length;
  const maxBar = niceMax(Math.max(...buckets.map((b) => b[bars.key] || 0)));
  const maxLine = line ? niceMax(Math.max(...buckets.map((b) => b[line.key] || 0))) : 1;
  const x = (i) => MARGIN.left + i * band;
  const yBar = (v) => MARGIN.top + plotH - (v / maxBar) * plotH;
  const yLine = (v) => MARGIN.top + plotH - (v / maxLine) * plotH;

  const inSelection = (b) => {
    if (!selection || (!selection.from && !selection.to)) return null;
    const end = bucketEnd(b.start, interval);
    return (!selection.from || end >= selection.from) && (!selection.to || b.start <= selection.to);
  };

  const total = buckets.reduce((sum, b) => sum + (b[bars.key] || 0), 0);
  const chart = svg("svg", {
    width,
    height: HEIGHT,
    viewBox: `0 0 ${width} ${HEIGHT}`,
    role: "img",
    "aria-label": `${title}: ${num(total)} ${bars.label.toLowerCase()} from ${bucketLabel(buckets[0].start, interval)} to ${bucketLabel(buckets[buckets.length - 1].start, interval)}`,
    class: "chart-svg",
  });

  // axes and grid
  // Grid at 0, half and the top; a label only where the value is a whole number (counts are integers).
  for (const fraction of [0, 0.5, 1]) {
    const y = MARGIN.top + plotH - fraction * plotH;
    chart.append(svg("line", { x1: MARGIN.left, x2: MARGIN.left + plotW, y1: y, y2: y, class: "grid" }));
    const value = maxBar * fraction;
    if (Number.isInteger(value)) {
      chart.append(svg("text", { x: MARGIN.left - 6, y: y + 4, class: "axis-label", "text-anchor": "end" }, num(value)));
    }
    const lineValue = maxLine * fraction;
    if (line && Number.isInteger(lineValue)) {
      chart.append(
        svg("text", { x: MARGIN.left + plotW + 6, y: y + 4, class: "axis-label line-axis", "text-anchor": "start" }, num(lineValue)),
      );
    }
  }
  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(2, Math.floor(plotW / 70))));
  buckets.forEach((b, i) => {
    const value = b[bars.key] || 0;
    const selected = inSelection(b);
    const barW = Math.max(1, band * 0.8);
    const group = svg("g", { class: `bar${selected === true ? " selected" : ""}${selected === false ? " dimmed" : ""}` });
    group.append(
      svg("title", {}, `${bucketLabel(b.start, interval)}: ${num(value)} ${bars.label.toLowerCase()}${line ? `, ${num(b[line.key] || 0)} ${line.label.toLowerCase()}` : ""}`),
      svg("rect", { x: x(i) + (band - barW) / 2, y: yBar(value), width: barW, height: Math.max(0, yBar(0) - yBar(value)) }),
    );
    chart.append(group);
    if (i % labelEvery === 0) {
      chart.append(
        svg("text", { x: x(i) + band / 2, y: HEIGHT - 6, class: "axis-label", "text-anchor": "middle" }, bucketLabel(b.start, interval)),
      );
    }
  });
  if (line) {
    const points = buckets.map((b, i) => `${x(i) + band / 2},${yLine(b[line.key] || 0)}`).join(" ");
    chart.append(svg("polyline", { points, class: "series-line" }));
    buckets.forEach((b, i) => chart.append(svg("circle", { cx: x(i) + band / 2, cy: yLine(b[line.key] || 0), r: 3, class: "series-dot" })));
  }

  if (onBrush) {
    const brush = svg("rect", { class: "brush", x: 0, y: MARGIN.top, width: 0, height: plotH, visibility: "hidden" });
    const overlay = svg("rect", { class: "brush-overlay", x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH });
    chart.append(brush, overlay);
    let start = null;
    const indexAt = (event) => {
      const rect = chart.getBoundingClientRect();
      const px = ((event.clientX - rect.left) / rect.width) * width;
      return Math.max(0, Math.min(buckets.length - 1, Math.floor((px - MARGIN.left) / band)));
    };
    const draw = (a, b) => {
      const [i0, i1] = a <= b ? [a, b] : [b, a];
      brush.setAttribute("x", String(x(i0)));
      brush.setAttribute("width", String((i1 - i0 + 1) * band));
      brush.setAttribute("visibility", "visible");
    };
    overlay.addEventListener("pointerdown", (event) => {
      start = indexAt(event);
      overlay.setPointerCapture(event.pointerId);
      draw(start, start);
    });
    overlay.addEventListener("pointermove", (event) => {
      if (start !== null) draw(start, indexAt(event));
    });
    overlay.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const end = indexAt(event);
      const [i0, i1] = start <= end ? [start, end] : [end, start];
      start = null;
      onBrush(buckets[i0].start, bucketEnd(buckets[i1].start, interval));
    });
    overlay.addEventListener("pointercancel", () => {
      start = null;
      brush.setAttribute("visibility", "hidden");
    });
  }

  const legend = h(
    "p",
    { class: "chart-legend" },
    h("span", { class: "legend-bar" }, ""),
    ` ${bars.label}`,
    line ? [h("span", { class: "legend-line" }, ""), ` ${line.label} (right axis)`] : null,
    onBrush ? h("span", { class: "muted" }, " · drag across the bars to filter by date") : null,
  );
  const table = h(
    "details",
    { class: "chart-data" },
    h("summary", {}, "Show the data as a table"),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Period"), h("th", { scope: "col" }, bars.label), line ? h("th", { scope: "col" }, line.label) : null),
      ),
      h(
        "tbody",
        {},
        buckets
          .filter((b) => b[bars.key] || (line && b[line.key]))
          .map((b) =>
            h("tr", {}, h("td", {}, bucketLabel(b.start, interval)), h("td", {}, num(b[bars.key] || 0)), line ? h("td", {}, num(b[line.key] || 0)) : null),
          ),
      ),
    ),
  );
  container.append(chart, legend, table);
}

/** Re-renders a chart when its container changes width (laptop <-> tablet, sidebar toggles). */
export function keepResponsive(container, rerender) {
  let lastWidth = container.clientWidth;
  const observer = new ResizeObserver(() => {
    const width = container.clientWidth;
    if (Math.abs(width - lastWidth) > 16) {
      lastWidth = width;
      rerender();
    }
  });
  observer.observe(container);
  return () => observer.disconnect();
}
