// Keyboard use of the result list: j/k move a visible "current result" down/up (focus goes to its title
// link, so Enter opens it as a click would), and the skip links land on the first result.

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

function isTyping(target) {
  return target instanceof HTMLElement && (TYPING.has(target.tagName) || target.isContentEditable);
}

/** resultKeys(list) -> {focusResults, reset, destroy}; list is the <ol> of .result items. */
export function resultKeys(list) {
  let current = -1;

  const items = () => Array.from(list.querySelectorAll(":scope > .result"));

  function select(index) {
    const all = items();
    if (!all.length) return false;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => {
      item.classList.toggle("current", i === current);
      if (i === current) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
    const link = all[current].querySelector(".result-title a");
    link?.focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
    return true;
  }

  /** Moves focus to the first result (or to the list itself when there is none). */
  function focusResults() {
    if (select(0)) return;
    list.tabIndex = -1;
    list.focus();
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key !== "j" && event.key !== "k") return;
    // Start from the result that holds the focus, if any, so j/k follow Tab and clicks too.
    const focused = items().findIndex((item) => item.contains(document.activeElement));
    const from = focused >= 0 ? focused : current;
    if (select(event.key === "j" ? (from < 0 ? 0 : from + 1) : Math.max(from - 1, 0))) event.preventDefault();
  }
  document.addEventListener("keydown", onKey);

  return {
    focusResults,
    /** Forgets the selection (new results were drawn). */
    reset() {
      current = -1;
    },
    destroy() {
      document.removeEventListener("keydown", onKey);
    },
  };
}
