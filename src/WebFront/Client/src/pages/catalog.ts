// The catalog's filters work as a plain GET form; with this script they apply as you choose
// (search after a short pause) by re-reading the results region, and the URL follows.

import { refreshRegion } from "../dom";

export function init(): void {
  const form = document.querySelector<HTMLFormElement>("[data-catalog-form]");
  if (!form) return;
  let timer: number | undefined;
  let generation = 0;

  const apply = async () => {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === "string" && value.trim()) query.set(name, value.trim());
    const url = `/templates${query.size ? `?${query}` : ""}`;
    history.replaceState(null, "", url);
    const results = document.getElementById("catalog-results");
    results?.setAttribute("aria-busy", "true");
    const mine = ++generation;
    await refreshRegion("#catalog-results", url);
    if (mine === generation) document.getElementById("catalog-results")?.removeAttribute("aria-busy");
  };

  form.addEventListener("submit", (event) => { event.preventDefault(); void apply(); });
  form.addEventListener("change", (event) => {
    if ((event.target as HTMLElement).matches("input[type=radio], select")) void apply();
  });
  form.addEventListener("input", (event) => {
    if (!(event.target as HTMLElement).matches("input[type=search]")) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void apply(), 250);
  });
}
