// The sign-in form shown when the API answers 401: asks for an API token, keeps it in sessionStorage.

import { getToken, setAuthHandler, setToken } from "./api.js";

let pending = null;

function askForToken(problem) {
  const dialog = document.getElementById("signin");
  const input = document.getElementById("signin-token");
  const error = document.getElementById("signin-error");
  if (getToken()) {
    // The token that was sent has been refused: forget it, say so.
    setToken(null);
    renderSession();
    error.textContent = `That token was not accepted${problem?.detail ? ` (${problem.detail})` : ""}.`;
    error.hidden = false;
  } else {
    error.hidden = true;
  }
  input.value = "";
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue === "ok" && input.value.trim()) {
          setToken(input.value.trim());
          renderSession();
          resolve(true);
        } else {
          resolve(false);
        }
      },
      { once: true },
    );
    dialog.showModal();
    input.focus();
  });
}

/** Renders the "signed in / sign out" control in the header. */
export function renderSession() {
  const box = document.getElementById("session");
  box.replaceChildren();
  if (!getToken()) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.textContent = "Sign out";
  button.addEventListener("click", () => {
    setToken(null);
    renderSession();
    window.location.reload();
  });
  box.append(button);
}

export function installAuth() {
  // Several requests may fail with 401 at once: ask once, let them all wait for the same answer.
  setAuthHandler((problem) => {
    if (!pending) pending = askForToken(problem).finally(() => (pending = null));
    return pending;
  });
  renderSession();
}
