// The cart as every page shows it: the navbar badge, the floating cart and the slide-over cart
// panel all render from one state. The server renders the first state into the page; changes
// come from this tab's own API calls and, for other tabs and devices, from `cartChanged` on the
// live hub (older versions are ignored).

import { api, Cart, formatMoney, Money, plural, ProblemError } from "./api";
import { announce, h, icon, reducedMotion } from "./dom";
import { on, onResync, watch } from "./live";

interface CartSummary { itemCount: number; total: Money; version: number }

type Listener = (summary: CartSummary, cart: Cart | undefined) => void;

let summary: CartSummary = { itemCount: 0, total: { amount: 0, currency: "usd" }, version: -1 };
let full: Cart | undefined;
const listeners = new Set<Listener>();

export function cartSummary(): CartSummary { return summary; }

export function onCart(listener: Listener): void {
  listeners.add(listener);
}

function publish(): void {
  for (const listener of listeners) listener(summary, full);
}

/** Takes a cart read from the API; a response older than what is shown is ignored. */
export function acceptCart(cart: Cart): void {
  const sameCart = full === undefined || full.cartId === cart.cartId;
  if (sameCart && cart.version < summary.version) return;
  full = cart;
  summary = { itemCount: cart.itemCount, total: cart.total, version: cart.version };
  publish();
}

export async function refreshCart(): Promise<Cart> {
  const cart = await api<Cart>("GET", "/api/cart");
  acceptCart(cart);
  return cart;
}

export async function addToCart(productId: string, quantity = 1): Promise<Cart> {
  const cart = await api<Cart>("POST", "/api/cart/items", { productId, quantity });
  acceptCart(cart);
  return cart;
}

export async function setQuantity(productId: string, quantity: number): Promise<Cart> {
  const cart = quantity <= 0
    ? await api<Cart>("DELETE", `/api/cart/items/${encodeURIComponent(productId)}`)
    : await api<Cart>("PUT", `/api/cart/items/${encodeURIComponent(productId)}`, { quantity });
  acceptCart(cart);
  return cart;
}

export async function applyCoupon(code: string): Promise<Cart> {
  const cart = await api<Cart>("POST", "/api/cart/coupon", { code });
  acceptCart(cart);
  return cart;
}

export async function removeCoupon(): Promise<Cart> {
  const cart = await api<Cart>("DELETE", "/api/cart/coupon");
  acceptCart(cart);
  return cart;
}

export function initCart(): void {
  const root = document.querySelector<HTMLElement>("[data-cart-state]");
  if (root) {
    summary = {
      itemCount: Number(root.dataset.itemCount ?? 0),
      total: { amount: Number(root.dataset.totalAmount ?? 0), currency: root.dataset.currency ?? "usd" },
      version: Number(root.dataset.version ?? -1),
    };
  }
  onCart(renderBadges);
  onCart(renderFloatingCart);
  onCart(renderPanel);
  initPanel();
  initAddButtons();
  initGivingWay();

  on<{ itemCount: number; total: Money }>("cartChanged", (event) => {
    if (event.version <= summary.version) return;
    summary = { itemCount: event.data.itemCount, total: event.data.total, version: event.version };
    publish();
    void refreshCart().catch(() => undefined);
  });
  onResync(() => void refreshCart().catch(() => undefined));
  const startLive = () => watch("cart");
  if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(startLive, { timeout: 2000 });
  else setTimeout(startLive, 200);
}

function renderBadges(s: CartSummary): void {
  for (const badge of document.querySelectorAll<HTMLElement>("[data-cart-count]")) {
    badge.textContent = String(s.itemCount);
    badge.hidden = s.itemCount === 0;
  }
  for (const link of document.querySelectorAll<HTMLElement>("[data-cart-link]")) {
    link.setAttribute("aria-label", s.itemCount === 0 ? "Cart, empty" : `Cart, ${plural(s.itemCount, "item", "items")}`);
  }
}

let lastShown = { count: -1, amount: -1 };

function renderFloatingCart(s: CartSummary): void {
  const floating = document.getElementById("floating-cart");
  if (!floating) return;
  const visible = s.itemCount > 0;
  const wasHidden = floating.hidden;
  floating.hidden = !visible;
  document.body.classList.toggle("has-floating-cart", visible);
  const count = floating.querySelector<HTMLElement>("[data-floating-count]");
  const total = floating.querySelector<HTMLElement>("[data-floating-total]");
  if (count) count.textContent = plural(s.itemCount, "item", "items");
  if (total) total.textContent = formatMoney(s.total);
  const changed = lastShown.count !== -1 && (lastShown.count !== s.itemCount || lastShown.amount !== s.total.amount);
  lastShown = { count: s.itemCount, amount: s.total.amount };
  if (visible && (changed || wasHidden) && !reducedMotion()) {
    floating.classList.remove(wasHidden ? "is-entering" : "is-bumped");
    void floating.offsetWidth;
    floating.classList.add(wasHidden ? "is-entering" : "is-bumped");
  }
}

// ---------------------------------------------------------------- giving way

/**
 * A page's own primary action (the product page's "Add to cart") is never hidden behind the
 * floating cart — on a phone the bar would sit right on it. While an element marked
 * data-floating-cart-yield overlaps the place where the floating cart rests, the cart slides out
 * of the way (and out of the tab order); it comes back once that element scrolls off.
 */
function initGivingWay(): void {
  const floating = document.getElementById("floating-cart");
  const yielders = [...document.querySelectorAll<HTMLElement>("[data-floating-cart-yield]")];
  if (!floating || yielders.length === 0) return;
  let scheduled = false;
  const update = () => {
    scheduled = false;
    // offsetTop/Left of a fixed element are its resting place, ignoring the slide-away transform.
    const top = floating.offsetTop, left = floating.offsetLeft;
    const bottom = top + floating.offsetHeight, right = left + floating.offsetWidth;
    const covered = !floating.hidden && yielders.some((el) => {
      const box = el.getBoundingClientRect();
      return box.height > 0 && box.bottom > top && box.top < bottom && box.right > left && box.left < right;
    });
    if (covered) floating.classList.remove("is-entering"); // no entrance for a cart that is giving way
    floating.classList.toggle("is-yielding", covered);
    floating.inert = covered;
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(update);
  };
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  onCart(schedule);
  schedule();
}

function initAddButtons(): void {
  document.addEventListener("submit", async (event) => {
    const form = event.target as HTMLFormElement;
    if (!form.matches("[data-add-to-cart]")) return;
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    const productId = (form.elements.namedItem("productId") as HTMLInputElement | null)?.value;
    if (!button || !productId || button.getAttribute("aria-busy") === "true") return;
    const label = button.querySelector<HTMLElement>("[data-label]");
    const original = label?.textContent ?? "";
    button.setAttribute("aria-busy", "true");
    const error = form.querySelector<HTMLElement>("[data-add-error]");
    if (error) error.hidden = true;
    try {
      const cart = await addToCart(productId, 1);
      const line = cart.lines.find((l) => l.productId === productId);
      button.classList.add("is-done");
      if (label) label.textContent = "Added to cart";
      announce(`${line?.title ?? "Item"} added. Cart: ${plural(cart.itemCount, "item", "items")}, ${formatMoney(cart.total)}.`);
      window.setTimeout(() => { button.classList.remove("is-done"); if (label) label.textContent = original; }, 1800);
    } catch (problem) {
      if (error) {
        error.textContent = (problem as ProblemError).detail ?? "Could not add this item. Please try again.";
        error.hidden = false;
      }
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
}

// ---------------------------------------------------------------- slide-over panel

let opener: HTMLElement | null = null;

function panel(): HTMLDialogElement | null {
  return document.getElementById("cart-panel") as HTMLDialogElement | null;
}

export function openCartPanel(from?: HTMLElement): void {
  const dialog = panel();
  if (!dialog || dialog.open) return;
  opener = from ?? (document.activeElement as HTMLElement | null);
  renderPanel(summary, full);
  dialog.showModal();
  document.documentElement.classList.add("is-locked");
  void refreshCart().catch((problem: ProblemError) => showPanelError(problem.detail));
}

function closePanel(): void {
  const dialog = panel();
  if (!dialog?.open) return;
  if (reducedMotion()) { dialog.close(); return; }
  dialog.classList.add("is-closing");
  window.setTimeout(() => { dialog.classList.remove("is-closing"); dialog.close(); }, 180);
}

function initPanel(): void {
  const dialog = panel();
  if (!dialog) return;
  document.addEventListener("click", (event) => {
    const trigger = (event.target as HTMLElement).closest<HTMLElement>("[data-open-cart]");
    if (!trigger) return;
    event.preventDefault();
    openCartPanel(trigger);
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) closePanel(); // the backdrop
    if ((event.target as HTMLElement).closest("[data-close-cart]")) closePanel();
  });
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); closePanel(); });
  dialog.addEventListener("close", () => {
    document.documentElement.classList.remove("is-locked");
    opener?.focus();
  });
}

function showPanelError(message: string): void {
  const error = panel()?.querySelector<HTMLElement>("[data-panel-error]");
  if (!error) return;
  error.textContent = message;
  error.hidden = false;
}

function renderPanel(_: CartSummary, cart: Cart | undefined): void {
  const dialog = panel();
  if (!dialog?.open) return;
  const body = dialog.querySelector<HTMLElement>("[data-panel-body]");
  const footer = dialog.querySelector<HTMLElement>("[data-panel-footer]");
  const count = dialog.querySelector<HTMLElement>("[data-panel-count]");
  if (!body || !footer) return;
  if (count) count.textContent = summary.itemCount ? `(${summary.itemCount})` : "";
  if (!cart) {
    body.replaceChildren(h("div", { class: "cart-panel__loading", role: "status" }, icon("loader-circle", "icon spin"), "Loading your cart…"));
    footer.hidden = true;
    return;
  }
  if (cart.lines.length === 0) {
    body.replaceChildren(h("div", { class: "empty-state empty-state--compact", "data-testid": "cart-panel-empty" },
      h("span", { class: "empty-state__icon" }, icon("shopping-bag")),
      h("h3", { class: "empty-state__title" }, "Your cart is empty"),
      h("p", { class: "empty-state__text" }, "Templates you add appear here."),
      h("a", { class: "button button--secondary", href: "/templates" }, "Browse templates")));
    footer.hidden = true;
    return;
  }
  const list = h("ul", { class: "cart-lines", role: "list" });
  for (const line of cart.lines) {
    const minus = h("button", { type: "button", class: "stepper__button", "aria-label": `Decrease quantity of ${line.title}` }, icon("minus"));
    const plus = h("button", { type: "button", class: "stepper__button", "aria-label": `Increase quantity of ${line.title}`,
      disabled: line.available !== null && line.quantity >= line.available }, icon("plus"));
    const remove = h("button", { type: "button", class: "link-button link-button--muted", "data-testid": "cart-line-remove" }, icon("trash-2", "icon icon--sm"), "Remove");
    remove.setAttribute("aria-label", `Remove ${line.title}`);
    const change = (quantity: number) => async () => {
      for (const b of [minus, plus, remove]) b.disabled = true;
      try {
        await setQuantity(line.productId, quantity);
        announce(quantity === 0 ? `${line.title} removed.` : `${line.title}: quantity ${quantity}.`);
      } catch (problem) {
        showPanelError((problem as ProblemError).detail);
        for (const b of [minus, plus, remove]) b.disabled = false;
      }
    };
    minus.addEventListener("click", change(line.quantity - 1));
    plus.addEventListener("click", change(line.quantity + 1));
    remove.addEventListener("click", change(0));
    list.append(h("li", { class: "cart-line", "data-testid": "cart-line", "data-product-id": line.productId },
      h("a", { class: "cart-line__thumb", href: `/templates/${encodeURIComponent(line.slug)}`, tabindex: "-1", "aria-hidden": "true" },
        h("img", { src: line.image, alt: "", width: "96", height: "64", loading: "lazy" })),
      h("div", { class: "cart-line__main" },
        h("a", { class: "cart-line__title", href: `/templates/${encodeURIComponent(line.slug)}` }, line.title),
        h("span", { class: "cart-line__unit" }, `${formatMoney(line.unitPrice)} each`),
        h("div", { class: "cart-line__actions" },
          h("div", { class: "stepper", role: "group", "aria-label": `Quantity of ${line.title}` },
            minus, h("output", { class: "stepper__value", "data-testid": "cart-line-quantity" }, String(line.quantity)), plus),
          remove)),
      h("span", { class: "cart-line__total" }, formatMoney(line.lineTotal))));
  }
  const error = h("p", { class: "alert alert--error", role: "alert", "data-panel-error": true, hidden: true });
  body.replaceChildren(error, list);
  const rows = [h("div", { class: "summary-row" }, h("span", {}, "Subtotal"), h("span", {}, formatMoney(cart.subtotal)))];
  if (cart.discount.amount > 0)
    rows.push(h("div", { class: "summary-row summary-row--discount" }, h("span", {}, `Discount (${cart.couponCode})`), h("span", {}, formatMoney({ ...cart.discount, amount: -cart.discount.amount }))));
  rows.push(h("div", { class: "summary-row summary-row--total" }, h("span", {}, "Total"), h("strong", { "data-testid": "cart-panel-total" }, formatMoney(cart.total))));
  footer.replaceChildren(h("div", { class: "summary" }, ...rows),
    h("a", { class: "button button--primary button--block button--lg", href: "/checkout", "data-testid": "cart-panel-checkout" }, "Checkout", icon("arrow-right")),
    h("p", { class: "cart-panel__note" }, icon("zap", "icon icon--sm"), "Delivered instantly after payment"));
  footer.hidden = false;
}
