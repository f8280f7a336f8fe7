// Entry point: sign-in handling, the routes, and the router start.

import { mountAlerts, refreshUnread } from "./alerts.js";
import { installAuth } from "./auth.js";
import { mountBatch } from "./batch.js";
import { errorBox } from "./dom.js";
import { mountEntity, mountEntityList } from "./entity.js";
import { loadFields } from "./fields.js";
import { mountProduction, mountProductionList } from "./productions.js";
import { mountReleases } from "./releases.js";
import { route, startRouter } from "./router.js";
import { mountSavedSearches } from "./saved.js";
import { mountSearch } from "./search.js";
import { mountViewer } from "./viewer.js";
import { mountWatchlist, mountWatchlistList } from "./watchlists.js";

installAuth();
route(/^\/$/, mountSearch, "search");
route(/^\/search$/, mountSearch, "search");
route(/^\/batch$/, mountBatch, "batch");
route(/^\/documents\/([^/]+)$/, mountViewer, "documents");
route(/^\/documents\/([^/]+)\/releases$/, mountReleases, "documents");
route(/^\/entities$/, mountEntityList, "entities");
route(/^\/entities\/([^/]+)$/, mountEntity, "entities");
route(/^\/productions$/, mountProductionList, "productions");
route(/^\/productions\/([^/]+)$/, mountProduction, "productions");
route(/^\/saved$/, mountSavedSearches, "saved");
route(/^\/alerts$/, mountAlerts, "alerts");
route(/^\/watchlists$/, mountWatchlistList, "watchlists");
route(/^\/watchlists\/([^/]+)$/, mountWatchlist, "watchlists");
// Facets, filters and entity types come from the server's field registry: read it before any screen.
const main = document.getElementById("main");
loadFields().then(
  () => {
    startRouter(main);
    refreshUnread();
  },
  (error) => main.replaceChildren(errorBox(error, "The search fields could not be loaded")),
);
