// Checkout: the coupon, the guest e-mail and the payment redirect. The order summary is
// server-rendered and re-read whenever the cart changes (here, in the panel, or in another tab).

import { api, ProblemError } from "../api";
import { applyCoupon, onCart, removeCoupon } from "../cart";
import { announce, refreshRegion, setBusy } from "../dom";

interface CheckoutStarted { orderId: string; redirectUrl: string }

const idempotencyKey = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;

export function init(): void {
  const root = document.querySelector<HTMLElement>("[data-checkout-root]");
  if (!root) return;

  let shownVersion = Number(document.querySelector<HTMLElement>("[data-checkout-summary]")?.dataset.version ?? -1);
  onCart((summary) => {
    if (summary.version === shownVersion) return;
    shownVersion = summary.version;
    // An emptied cart (or a first item) changes the whole page; otherwise only the summary.
    void refreshRegion(summary.itemCount === 0 || !document.querySelector("[data-checkout-summary]") ? "[data-checkout-root]" : "[data-checkout-summary]");
  });

  root.addEventListener("submit", async (event) => {
    const form = event.target as HTMLFormElement;
    if (form.matches("[data-coupon-form]")) {
      event.preventDefault();
      await submitCoupon(form);
    } else if (form.matches("[data-checkout-form]")) {
      event.preventDefault();
      await pay();
    }
  });
  root.addEventListener("click", async (event) => {
    const target = event.target as HTMLElement;
    if (target.closest("[data-remove-coupon]")) {
      event.preventDefault();
      try { await removeCoupon(); announce("Coupon removed."); } catch (problem) { showError((problem as ProblemError).detail); }
    } else if (target.closest("[data-checkout-pay]") && !document.querySelector("[data-checkout-form]")) {
      event.preventDefault();
      await pay();
    }
  });
}

async function submitCoupon(form: HTMLFormElement): Promise<void> {
  const input = form.querySelector<HTMLInputElement>("input[name=code]");
  const error = form.querySelector<HTMLElement>("[data-coupon-error]");
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  const code = input?.value.trim() ?? "";
  if (!code) {
    if (error) { error.textContent = "Enter a coupon code."; error.hidden = false; }
    input?.focus();
    return;
  }
  setBusy(button, true);
  try {
    const cart = await applyCoupon(code);
    if (cart.couponProblem) {
      if (error) { error.textContent = cart.couponProblem; error.hidden = false; }
    } else {
      announce(`Coupon ${code.toUpperCase()} applied.`);
    }
  } catch (problem) {
    if (error) { error.textContent = (problem as ProblemError).detail; error.hidden = false; }
    input?.setAttribute("aria-invalid", "true");
    input?.focus();
  } finally {
    setBusy(button, false);
  }
}

function showError(message: string): void {
  const error = document.querySelector<HTMLElement>("[data-checkout-error]");
  if (!error) return;
  error.textContent = message;
  error.hidden = false;
  error.scrollIntoView({ block: "nearest" });
}

async function pay(): Promise<void> {
  const button = document.querySelector<HTMLButtonElement>("[data-checkout-pay]");
  const form = document.querySelector<HTMLFormElement>("[data-checkout-form]");
  const email = form?.querySelector<HTMLInputElement>("input[name=email]");
  const emailError = form?.querySelector<HTMLElement>("[data-field-error=email]");
  document.querySelector<HTMLElement>("[data-checkout-error]")?.setAttribute("hidden", "");
  if (email) {
    const value = email.value.trim();
    const valid = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
    email.setAttribute("aria-invalid", String(!valid));
    if (emailError) { emailError.textContent = valid ? "" : "Enter the e-mail address your receipt should go to, like you@example.com."; emailError.hidden = valid; }
    if (!valid) { email.focus(); return; }
  }
  setBusy(button, true);
  try {
    const body: Record<string, unknown> = {};
    if (email) body.email = email.value.trim();
    const remind = form?.querySelector<HTMLInputElement>("input[name=remind]");
    if (remind) body.remindIfAbandoned = remind.checked;
    const started = await api<CheckoutStarted>("POST", "/api/checkout", body, { "Idempotency-Key": idempotencyKey });
    const label = button?.querySelector<HTMLElement>("[data-label]");
    if (label) label.textContent = "Opening the payment page…";
    window.location.assign(started.redirectUrl);
  } catch (problem) {
    const p = problem as ProblemError;
    if (p.errors?.email && emailError) { emailError.textContent = p.errors.email[0]; emailError.hidden = false; }
    showError(p.detail);
    setBusy(button, false);
  }
}
