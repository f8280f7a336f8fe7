// Alerts: what newly indexed productions brought my saved searches (GET /alerts), newest first, unread
// ones marked, with "mark read" per alert and for all; and the unread count in the header, kept fresh.

import { getJson, postJson } from "./api.js";
import { announce, errorBox, h, setTitle } from "./dom.js";
import { num, plural, timestamp } from "./format.js";

const REFRESH_MS = 30_000;
let badgeTimer = null;

/** The header's unread count: "Alerts" with a badge when some are unread ("3 unread" to screen readers). */
export function showUnread(count) {
  const badge = document.querySelector('[data-nav="alerts"] .unread-badge');
  if (!badge) return;
  badge.replaceChildren(...(count > 0 ? [num(count), h("span", { class: "visually-hidden" }, " unread")] : []));
  badge.hidden = count === 0;
}

export async function refreshUnread() {
  clearTimeout(badgeTimer);
  try {
    const data = await getJson("/alerts", { limit: 1 });
    showUnread(data.unread);
  } catch {
    // No badge rather than an error in the header: the alerts page says what failed.
  }
  badgeTimer = setTimeout(refreshUnread, REFRESH_MS);
}

function alertItem(alert, onRead) {
  const unread = !alert.read_at;
  const markButton = unread
    ? h(
        "button",
        { type: "button", class: "link-button", onClick: () => onRead([alert.id]) },
        h("span", {}, "Mark read"),
        h("span", { class: "visually-hidden" }, `: ${alert.saved_search.name}, ${alert.production.name}`),
      )
    : null;
  return h(
    "li",
    { class: `alert-item${unread ? " unread" : ""}`, dataset: { alertId: alert.id } },
    h(
      "p",
      { class: "alert-line" },
      unread ? h("strong", { class: "badge new-badge" }, "New") : null,
      h(
        "a",
        { href: alert.search_url, onClick: () => unread && onRead([alert.id], { quiet: true }) },
        `${alert.saved_search.name}: ${plural(alert.new_documents, "new document")}`,
      ),
      ` in ${alert.production.name} (${alert.collection.name})`,
    ),
    h("p", { class: "small muted" }, timestamp(alert.created_at), markButton ? " · " : "", markButton),
  );
}

export function mountAlerts(outlet) {
  setTitle("Alerts");
  let timer = null;
  const summary = h("p", { class: "summary", "aria-live": "polite" }, "Loading…");
  const markAll = h("button", { type: "button", onClick: () => markRead(null) }, "Mark all read");
  const list = h("ul", { class: "alert-list", "aria-labelledby": "alerts-title" });
  const box = h("div", {});
  outlet.append(
    h(
      "header",
      { class: "page-header" },
      h("h1", { id: "alerts-title" }, "Alerts"),
      h(
        "p",
        { class: "muted" },
        "A saved search with its alert on tells you here when a newly indexed production brings documents it matches. ",
        h("a", { href: "/saved" }, "Saved searches"),
      ),
    ),
    h("div", { class: "toolbar" }, summary, markAll),
    box,
    list,
  );

  async function markRead(ids, { quiet = false } = {}) {
    try {
      const done = await postJson("/alerts/read", ids ? { ids } : {});
      showUnread(done.unread);
      if (!quiet) announce(`${plural(done.marked, "alert")} marked read.`);
      if (!quiet) await load();
    } catch (error) {
      box.replaceChildren(errorBox(error, "The alerts could not be marked read"));
    }
  }

  async function load() {
    clearTimeout(timer);
    try {
      const data = await getJson("/alerts", { limit: 100 });
      box.replaceChildren();
      showUnread(data.unread);
      summary.textContent = data.items.length ? `${plural(data.unread, "unread alert")}` : "No alerts yet.";
      markAll.hidden = data.unread === 0;
      list.replaceChildren(...data.items.map((a) => alertItem(a, markRead)));
    } catch (error) {
      summary.textContent = "";
      box.replaceChildren(errorBox(error, "The alerts could not be loaded"));
    }
    timer = setTimeout(load, REFRESH_MS);
  }
  load();
  return { destroy: () => clearTimeout(timer) };
}
