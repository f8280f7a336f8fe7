// Client-side routing: the URL is the state. Links with data-route (and any same-origin link outside
// /api and /static) navigate without reloading; the back button re-renders from the URL.

const routes = [];
let current = null; // {route, match, view}
let outlet = null;
let firstRender = true;

/**
 * route(/^\/documents\/([^/]+)$/, mount) where mount(outlet, {match, params, url}) returns a view
 * {update?(ctx) -> bool, destroy?()}; update lets a page take a new URL in place (keeping focus).
 */
export function route(pattern, mount, name) {
  routes.push({ pattern, mount, name });
}

export function navigate(href, { replace = false } = {}) {
  const url = new URL(href, window.location.href);
  if (url.href === window.location.href && !replace) return render();
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  return render();
}

/** Changes the query string of the current URL (pushing a history entry unless replace). */
export function setParams(params, { replace = false } = {}) {
  const query = params.toString();
  return navigate(window.location.pathname + (query ? `?${query}` : ""), { replace });
}

function context(match) {
  const url = new URL(window.location.href);
  return { match, params: url.searchParams, url };
}

async function render() {
  const path = window.location.pathname.replace(/\/+$/, "") || "/";
  for (const r of routes) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    const ctx = context(match);
    if (current && current.route === r && current.match[0] === match[0] && current.view?.update) {
      if (current.view.update(ctx) !== false) return;
    }
    current?.view?.destroy?.();
    outlet.replaceChildren();
    document.querySelectorAll("[data-nav]").forEach((a) => {
      if (a.dataset.nav === r.name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    const view = (await r.mount(outlet, ctx)) || {};
    current = { route: r, match, view };
    // After a navigation (not the first load), move focus to the new screen's heading for screen readers.
    const heading = outlet.querySelector("h1");
    if (heading && !firstRender && !outlet.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    firstRender = false;
    return;
  }
  outlet.replaceChildren();
  const h1 = document.createElement("h1");
  h1.textContent = "Page not found";
  outlet.append(h1);
}

function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/static/")) return;
  event.preventDefault();
  navigate(url.href);
}

export function startRouter(element) {
  outlet = element;
  document.addEventListener("click", interceptLinks);
  window.addEventListener("popstate", () => render());
  return render();
}
