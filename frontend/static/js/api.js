// The one door to the server: every request of the UI goes through here, so that authentication
// (a bearer token today, a session cookie and CSRF token later) is added in one place.

export const API_BASE = "/api/v1";
const TOKEN_KEY = "foia.api_token";

let authHandler = null;

/** Registers the function called on a 401; it resolves true once the user has signed in. */
export function setAuthHandler(fn) {
  authHandler = fn;
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A problem+json error answer (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.title = problem.title || "";
    this.detail = problem.detail || "";
    this.problem = problem;
    this.position = Number.isInteger(problem.position) ? problem.position : null;
    this.hint = problem.hint || "";
  }
}

function authHeaders(extra = {}) {
  const headers = { ...extra };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/** Builds an API URL from a path under /api/v1 (or a full /api/v1/... path); `params` is an object (array values repeat the key) or URLSearchParams. */
export function apiUrl(path, params) {
  const full = path.startsWith(`${API_BASE}/`) ? path : API_BASE + path;
  const url = new URL(full, window.location.origin);
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) url.searchParams.append(key, value);
  } else if (params) {
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === "") continue;
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
      else url.searchParams.append(key, String(value));
    }
  }
  return url.pathname + url.search;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    if (body && typeof body === "object") return body;
  } catch {
    // not JSON: fall through
  }
  return { title: response.statusText || `HTTP ${response.status}`, status: response.status };
}

const SIGN_IN_ATTEMPTS = 5;

async function send(method, path, { params, json, body, signal, accept = "application/json" } = {}) {
  const url = apiUrl(path, params);
  for (let attempt = 0; attempt < SIGN_IN_ATTEMPTS; attempt += 1) {
    const headers = authHeaders({ Accept: accept });
    let payload = body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(url, { method, headers, body: payload, credentials: "same-origin", signal });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(0, { title: "Network error", detail: "The server could not be reached." });
    }
    if (response.status === 401 && authHandler && attempt < SIGN_IN_ATTEMPTS - 1) {
      // Ask for a token (again, if the one sent was refused) and retry; Cancel gives up.
      const problem = await problemOf(response);
      if (await authHandler(problem)) continue;
      throw new ApiError(401, problem);
    }
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response;
  }
  throw new ApiError(401, { title: "Not signed in" });
}

export async function getJson(path, params, options = {}) {
  const response = await send("GET", path, { ...options, params });
  return response.json();
}

export async function postJson(path, json, options = {}) {
  const response = await send("POST", path, { ...options, json });
  return response.status === 204 ? null : response.json();
}

export async function putJson(path, json, options = {}) {
  const response = await send("PUT", path, { ...options, json });
  return response.status === 204 ? null : response.json();
}

export async function patchJson(path, json, options = {}) {
  const response = await send("PATCH", path, { ...options, json });
  return response.json();
}

export async function deleteRequest(path, params, options = {}) {
  await send("DELETE", path, { ...options, params });
}

/** Fetches a binary answer (page image, PDF, export) as a Blob, with the file name the server suggests. */
export async function getBlob(path, params, options = {}) {
  const response = await send("GET", path, { ...options, params, accept: "*/*" });
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const filename = match ? decodeURIComponent(match[1] || match[2]) : null;
  return { blob: await response.blob(), filename };
}

/** Downloads an API resource as a file (works with a bearer token, unlike a plain link). */
export async function download(path, params, fallbackName) {
  const { blob, filename } = await getBlob(path, params);
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename || fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * Uploads a multipart form with upload progress (fetch cannot report it, so this uses XHR);
 * onProgress(loadedBytes, totalBytes). Resolves with the JSON answer.
 */
export function upload(path, formData, onProgress) {
  const attemptUpload = () =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", apiUrl(path));
      xhr.withCredentials = true;
      for (const [key, value] of Object.entries(authHeaders({ Accept: "application/json" }))) {
        xhr.setRequestHeader(key, value);
      }
      xhr.upload.addEventListener("progress", (event) => {
        if (onProgress && event.lengthComputable) onProgress(event.loaded, event.total);
      });
      xhr.addEventListener("load", () => {
        let body = {};
        try {
          body = JSON.parse(xhr.responseText || "{}");
        } catch {
          body = { title: xhr.statusText };
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(new ApiError(xhr.status, body));
      });
      xhr.addEventListener("error", () =>
        reject(new ApiError(0, { title: "Network error", detail: "The upload was interrupted." })),
      );
      xhr.send(formData);
    });
  const withSignIn = (attempt) =>
    attemptUpload().catch(async (error) => {
      const retry =
        error instanceof ApiError && error.status === 401 && authHandler && attempt < SIGN_IN_ATTEMPTS - 1;
      if (retry && (await authHandler(error.problem))) return withSignIn(attempt + 1);
      throw error;
    });
  return withSignIn(0);
}
