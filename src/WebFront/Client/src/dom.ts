// A tiny element builder: text always goes in as text nodes, never as HTML.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

const svgNs = "http://www.w3.org/2000/svg";

/** An icon from /icons.svg, hidden from assistive technology (the control around it is labelled). */
export function icon(name: string, className = "icon"): SVGSVGElement {
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS(svgNs, "use");
  use.setAttribute("href", `${iconSprite()}#${name}`);
  svg.append(use);
  return svg;
}

function iconSprite(): string {
  return document.documentElement.dataset.icons ?? "/icons.svg";
}

/** Announces a message to screen readers through the page's polite live region. */
export function announce(message: string): void {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

export function reducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * Re-reads a server-rendered region: fetches `url` as HTML and replaces the element matching
 * `selector` with the same element from the response. Returns false when the page could not be read.
 */
export async function refreshRegion(selector: string, url: string = location.pathname + location.search): Promise<boolean> {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok && response.status !== 404) return false;
    const next = new DOMParser().parseFromString(await response.text(), "text/html").querySelector(selector);
    const current = document.querySelector(selector);
    if (!next || !current) return false;
    current.replaceWith(document.adoptNode(next));
    enableScriptedControls(document);
    return true;
  } catch {
    return false;
  }
}

/** Buttons rendered disabled because they need this script (data-enable-with-js). */
export function enableScriptedControls(root: ParentNode): void {
  for (const control of root.querySelectorAll<HTMLButtonElement>("[data-enable-with-js]")) control.disabled = false;
}

export function setBusy(button: HTMLButtonElement | null, busy: boolean): void {
  if (!button) return;
  if (busy) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
  button.disabled = busy;
}
