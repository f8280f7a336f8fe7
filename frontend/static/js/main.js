// Entry point: sign-in handling, the routes, and the router start.

import { installAuth } from "./auth.js";
import { mountBatch } from "./batch.js";
import { mountEntity, mountEntityList } from "./entity.js";
import { mountProduction, mountProductionList } from "./productions.js";
import { mountReleases } from "./releases.js";
import { route, startRouter } from "./router.js";
import { mountSearch } from "./search.js";
import { mountViewer } from "./viewer.js";

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
startRouter(document.getElementById("main"));
