// Light / dark: follows the system until the visitor picks one with the header toggle; the
// choice is kept in localStorage and applied before first paint by the inline script in <head>.

const key = "courier-theme";

export function initTheme(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    update(button);
    button.addEventListener("click", () => {
      const next = current() === "dark" ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      try { localStorage.setItem(key, next); } catch { /* private mode: the choice lasts for this page */ }
      for (const other of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) update(other);
    });
  }
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) update(button);
  });
}

function current(): "light" | "dark" {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function update(button: HTMLButtonElement): void {
  const dark = current() === "dark";
  button.setAttribute("aria-pressed", String(dark));
  button.setAttribute("aria-label", dark ? "Switch to light theme" : "Switch to dark theme");
}
