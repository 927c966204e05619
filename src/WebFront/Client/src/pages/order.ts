// The order page's live delivery tracker and self-service. The server draws the first paint
// (Pages/Account/OrderPage.razor and its components); this module watches order:{id} on the live
// hub and, whenever orderChanged or deliveryChanged arrives (older versions are dropped by
// live.ts) or the connection comes back, re-reads GET /api/orders/{id} and redraws what changed
// with the same markup: each delivery's stepper, health indicator and self-service controls, the
// order's status and the timeline (new entries slide in at the top). The step and timeline
// wording mirrors DeliveryProgress.cs, StatusText.cs and TimelineText.cs.

import { api, Money, ProblemError } from "../api";
import { announce, h, icon, reducedMotion } from "../dom";
import { connectionState, isLive, on, onResync, watch } from "../live";
import { formatTime, initAccountShell } from "./account";

type Kind = "download" | "licenseKey" | "siteAccess" | string;
type Health = "healthy" | "delayed" | "needsAttention";

interface DownloadLink { expiresAt: string; expired: boolean; url: string | null }
interface Downloads { used: number; limit: number; remaining: number; link: DownloadLink | null }
interface Action { available: boolean; remainingThisHour: number; unavailable: string | null; availableAgainAt: string | null }

interface Delivery {
  id: string; orderId: string; line: number; productTitle: string; kind: Kind; status: string; attempt: number;
  health: Health; healthExplanation: string; nextStep: string; licenseKey: string | null; version: number;
  downloads?: Downloads | null; actions?: { newLink?: Action | null; resend?: Action | null } | null;
}

interface TimelineEntry { at: string; kind: string; data: Record<string, unknown>; deliveryId: string | null }

interface OrderLine { title: string; quantity: number; deliveryKind: Kind; lineTotal: Money }

interface OrderDetail {
  order: { id: string; status: string; lines: OrderLine[]; version: number; payment: { paidAt: string | null } };
  deliveries: Delivery[];
  timeline: TimelineEntry[];
}

interface Credentials { username: string; password: string; loginUrl: string; credentialsVersion: number; rotatedAt: string | null }

interface SelfServiceResponse { message: string; delivery: Delivery }

interface Pill { label: string; tone: string; icon: string; key: string }

interface Step { key: string; label: string; detail: string | null; state: string; at: string | null }

let root: HTMLElement;
let orderId = "";
let shownVersion = -1;
let refreshing: Promise<void> | undefined;
let again = false;
let everConnected = false;
let timelineExpanded = false;
/** As OrderTimeline.ShownFirst: a longer timeline shows its newest events until the customer asks for all. */
const timelineShownFirst = 8;

export function init(): void {
  const page = document.querySelector<HTMLElement>("[data-order-live]");
  if (!page?.dataset.orderId) return;
  root = page;
  orderId = page.dataset.orderId;
  shownVersion = Number(page.dataset.version ?? -1);
  initAccountShell();
  initSelfService();

  on("orderChanged", () => scheduleRefresh());
  on("deliveryChanged", () => scheduleRefresh());
  onResync(() => scheduleRefresh());
  watch(`order:${orderId}`);
  showConnection();
  window.setInterval(showConnection, 2000);
}

// ---------------------------------------------------------------- live re-reads

function scheduleRefresh(): void {
  if (refreshing) { again = true; return; }
  refreshing = (async () => {
    do {
      again = false;
      try {
        render(await api<OrderDetail>("GET", `/api/orders/${encodeURIComponent(orderId)}`));
      } catch (error) {
        // What is shown stays as it was, and is read again shortly: this may have been the last event.
        console.warn(`Courier order page: ${(error as Error).message}`);
        window.setTimeout(scheduleRefresh, 3000);
      }
    } while (again);
    refreshing = undefined;
  })();
}

function showConnection(): void {
  const badge = root.querySelector<HTMLElement>("[data-live-state]");
  const text = badge?.querySelector<HTMLElement>("[data-live-state-text]");
  if (!badge || !text) return;
  const state = connectionState();
  const live = isLive(`order:${orderId}`);
  everConnected ||= live;
  badge.hidden = false;
  const [key, words] = live ? ["live", "Live"]
    : !everConnected ? ["connecting", "Connecting…"]
    : state === "Disconnected" ? ["offline", "Offline — retrying"] : ["reconnecting", "Reconnecting…"];
  if (badge.dataset.state === key) return;
  badge.dataset.state = key;
  text.textContent = words;
  badge.title = key === "live" ? "This page updates by itself as your order changes." : "Updates resume when the connection is back.";
}

function render(detail: OrderDetail): void {
  const titles = new Map(detail.order.lines.map((line, index) => [`${detail.order.id}:${index + 1}`, shortTitle(line.title)]));
  const changes: string[] = [];
  for (const delivery of detail.deliveries) {
    const card = root.querySelector<HTMLElement>(`[data-delivery-id="${CSS.escape(delivery.id)}"]`);
    if (!card) continue;
    const shown = Number(card.dataset.version ?? -1);
    if (delivery.version <= shown) continue;
    const before = card.dataset.status;
    renderDelivery(card, delivery, detail);
    if (before !== card.dataset.status) changes.push(`${titles.get(delivery.id) ?? delivery.productTitle}: ${stepLabel(delivery.status)}`);
  }
  if (detail.order.version >= shownVersion) {
    shownVersion = detail.order.version;
    root.dataset.version = String(detail.order.version);
    const pill = root.querySelector<HTMLElement>("[data-order-status-pill]");
    if (pill) pill.replaceChildren(statusPill(orderPill(detail), "order-status"));
    renderNotice(detail.order.status);
  }
  renderTimeline(detail, titles);
  if (changes.length > 0) announce(changes.join(". ") + ".");
}

/** The notice above the deliveries follows the payment: gone once paid, "nothing was charged" when it failed. */
function renderNotice(status: string): void {
  const notice = root.querySelector<HTMLElement>("[data-order-notice]");
  const unpaid = ["paymentFailed", "expired", "cancelled"].includes(status);
  if (status === "pendingPayment" || (unpaid && notice?.dataset.orderNotice === "not-paid")) return;
  if (!unpaid) { notice?.remove(); return; }
  const next = h("div", { class: "alert order-notice", "data-order-notice": "not-paid", "data-testid": "order-not-paid" },
    icon("circle-alert"),
    h("div", {}, h("strong", {}, "Nothing was charged."), " ",
      status === "expired" ? "The payment page expired before a payment arrived. " : status === "cancelled" ? "The order was cancelled. " : "The payment did not go through. ",
      h("a", { class: "link", href: "/templates" }, "Keep browsing")));
  if (notice) notice.replaceWith(next);
  else root.querySelector(".order-head")?.after(next);
}

// ---------------------------------------------------------------- one delivery

function renderDelivery(card: HTMLElement, delivery: Delivery, detail: OrderDetail): void {
  card.dataset.version = String(delivery.version);
  card.dataset.status = delivery.status;
  card.dataset.health = delivery.health;

  const stepper = card.querySelector<HTMLElement>("[data-stepper]");
  if (stepper) {
    const before = new Map([...stepper.querySelectorAll<HTMLElement>("[data-step]")].map((s) => [s.dataset.step!, s.dataset.state]));
    const next = drawStepper(steps(delivery, detail.timeline));
    for (const step of next.querySelectorAll<HTMLElement>("[data-step]"))
      if (before.get(step.dataset.step!) !== step.dataset.state && step.dataset.state !== "upcoming" && !reducedMotion()) step.classList.add("is-new");
    stepper.replaceWith(next);
  }

  const pill = card.querySelector<HTMLElement>("[data-health-pill]");
  pill?.replaceChildren(statusPill(healthPill(delivery), "delivery-health"));

  const note = card.querySelector<HTMLElement>("[data-health-note]");
  if (note) {
    const tone = noteTone(delivery);
    const changed = note.querySelector("[data-health-explanation]")?.textContent !== delivery.healthExplanation;
    note.className = `health-note health-note--${tone}`;
    note.replaceChildren(icon(noteIcon(delivery)),
      h("div", {},
        h("p", { class: "health-note__explanation", "data-health-explanation": true }, delivery.healthExplanation),
        h("p", { class: "health-note__next", "data-health-next": true }, delivery.nextStep)));
    if (changed && !reducedMotion()) { note.classList.remove("is-changed"); void note.offsetWidth; note.classList.add("is-changed"); }
  }

  renderSelfService(card, delivery);
}

function steps(delivery: Delivery, timeline: TimelineEntry[]): Step[] {
  const path = delivery.kind === "download"
    ? ["Pending", "Processing", "Ready", "Downloaded", "Completed"]
    : ["Pending", "Processing", "Ready", "Completed"];
  const status = pascal(delivery.status);
  const reachedAt = new Map<string, string>();
  let beforeRevoked = "None";
  for (const entry of timeline) {
    if (entry.kind !== "DeliveryStepped" || entry.deliveryId !== delivery.id) continue;
    const to = String(entry.data.to ?? "");
    reachedAt.set(to, entry.at);
    if (to === "Revoked") beforeRevoked = String(entry.data.from ?? "None");
  }
  const indexOn = (s: string): number =>
    s === "None" ? -1 : ["Retrying", "Failed", "Escalated"].includes(s) ? 1 : s === "Downloaded" && !path.includes("Downloaded") ? 2 : path.indexOf(s);
  const reached = indexOn(status === "Revoked" ? beforeRevoked : status);
  const result: Step[] = path.map((step, i) => {
    const key = step.toLowerCase();
    const at = reachedAt.get(step) ?? null;
    if (status === "Revoked") return { key, label: step, detail: null, state: i <= reached ? "revoked" : "upcoming", at: i <= reached ? at : null };
    if (i < reached) return { key, label: step, detail: null, state: "done", at };
    if (i > reached) return { key, label: step, detail: null, state: "upcoming", at: null };
    switch (status) {
      case "Pending": return { key, label: step, detail: "Queued", state: "active", at };
      case "Processing": return { key, label: step, detail: delivery.attempt > 1 ? `Attempt ${delivery.attempt}` : "Preparing", state: "active", at };
      case "Retrying": return { key, label: "Retrying", detail: `Attempt ${delivery.attempt} did not work; retrying automatically`, state: "retrying", at: reachedAt.get("Retrying") ?? at };
      case "Failed": return { key, label: "Failed", detail: "Every automatic attempt failed", state: "problem", at: reachedAt.get("Failed") ?? at };
      case "Escalated": return { key, label: "Escalated", detail: "A technician is finishing it by hand", state: "problem", at: reachedAt.get("Escalated") ?? at };
      default: return { key, label: step, detail: null, state: "current", at };
    }
  });
  if (status === "Revoked") result.push({ key: "revoked", label: "Revoked", detail: "Withdrawn after a refund", state: "problem", at: reachedAt.get("Revoked") ?? null });
  return result;
}

const spoken: Record<string, string> = { done: "done", current: "done", active: "in progress", retrying: "retrying", problem: "needs attention", revoked: "withdrawn" };

function drawStepper(list: Step[]): HTMLOListElement {
  const latest = [...list].reverse().find((s) => s.state !== "upcoming");
  const ol = h("ol", { class: "tracker", role: "list", "aria-label": "Delivery progress", "data-stepper": true, "data-testid": "delivery-stepper" });
  for (const step of list) {
    const dot = h("span", { class: "tracker__dot", "aria-hidden": "true" });
    if (["done", "current", "revoked"].includes(step.state)) dot.append(icon("check"));
    else if (step.state === "active") dot.append(icon("loader-circle", "icon spin"));
    else if (step.state === "retrying") dot.append(icon("refresh-cw", "icon spin spin--slow"));
    else if (step.state === "problem") dot.append(icon(step.key === "revoked" ? "ban" : "triangle-alert"));
    const text = h("span", { class: "tracker__text" },
      h("span", { class: "tracker__label" }, step.label, h("span", { class: "visually-hidden" }, `: ${spoken[step.state] ?? "not yet"}`)),
      step.detail ? h("span", { class: "tracker__detail" }, step.detail) : null,
      step.at ? h("span", { class: "tracker__time" }, timeElement(step.at, "time")) : null);
    ol.append(h("li", {
      class: `tracker__step tracker__step--${step.state}`, "data-step": step.key, "data-state": step.state, "data-testid": "delivery-step",
      "aria-current": step === latest ? "step" : undefined,
    }, dot, text));
  }
  return ol;
}

function healthPill(delivery: Delivery): Pill {
  if (delivery.health === "needsAttention") return { label: "Needs attention", tone: "danger", icon: "triangle-alert", key: "needsAttention" };
  if (delivery.health === "delayed") return { label: "Delayed", tone: "warning", icon: "hourglass", key: "delayed" };
  if (delivery.status === "revoked") return { label: "Withdrawn", tone: "neutral", icon: "ban", key: "healthy" };
  if (isDelivered(delivery.status)) return { label: "Delivered", tone: "success", icon: "check-circle-2", key: "healthy" };
  return { label: "On track", tone: "success", icon: "activity", key: "healthy" };
}

function noteTone(delivery: Delivery): string {
  if (delivery.health === "needsAttention") return "danger";
  if (delivery.health === "delayed") return "warning";
  return isDelivered(delivery.status) ? "success" : "neutral";
}

function noteIcon(delivery: Delivery): string {
  if (delivery.health === "needsAttention") return "triangle-alert";
  if (delivery.health === "delayed") return "hourglass";
  return isDelivered(delivery.status) ? "check-circle-2" : "activity";
}

function orderPill(detail: OrderDetail): Pill {
  const status = detail.order.status;
  const fixed: Record<string, Pill> = {
    pendingPayment: { label: "Awaiting payment", tone: "accent", icon: "hourglass", key: "awaiting-payment" },
    paymentFailed: { label: "Payment failed", tone: "danger", icon: "circle-x", key: "payment-failed" },
    expired: { label: "Expired", tone: "neutral", icon: "clock", key: "expired" },
    cancelled: { label: "Cancelled", tone: "neutral", icon: "ban", key: "cancelled" },
    onHold: { label: "On hold", tone: "warning", icon: "hourglass", key: "on-hold" },
    refunded: { label: "Refunded", tone: "neutral", icon: "rotate-ccw", key: "refunded" },
    partiallyRefunded: { label: "Partly refunded", tone: "neutral", icon: "rotate-ccw", key: "partly-refunded" },
  };
  if (fixed[status]) return fixed[status];
  if (!["paid", "fulfilling", "fulfilled", "completed"].includes(status)) return { label: "Not placed", tone: "neutral", icon: "clock", key: "draft" };
  const deliveries = detail.deliveries;
  if (deliveries.some((d) => d.health === "needsAttention")) return { label: "Needs attention", tone: "danger", icon: "triangle-alert", key: "needs-attention" };
  if (deliveries.some((d) => d.health === "delayed")) return { label: "Delayed", tone: "warning", icon: "hourglass", key: "delayed" };
  const live = deliveries.filter((d) => d.status !== "revoked");
  if (deliveries.length >= detail.order.lines.length && live.length > 0 && live.every((d) => isDelivered(d.status)))
    return status === "completed"
      ? { label: "Completed", tone: "success", icon: "check-circle-2", key: "completed" }
      : { label: "Delivered", tone: "success", icon: "check-circle-2", key: "delivered" };
  return { label: "Delivering", tone: "accent", icon: "loader-circle", key: "delivering" };
}

function statusPill(pill: Pill, testId: string): HTMLElement {
  return h("span", { class: `status-pill status-pill--${pill.tone}`, "data-status": pill.key, "data-testid": testId },
    icon(pill.icon, pill.icon === "loader-circle" ? "icon icon--sm spin" : "icon icon--sm"), pill.label);
}

// ---------------------------------------------------------------- self-service controls

function renderSelfService(card: HTMLElement, delivery: Delivery): void {
  const area = card.querySelector<HTMLElement>("[data-self-service]");
  if (!area) return;
  const error = area.querySelector<HTMLElement>("[data-action-error]");
  const status = area.querySelector<HTMLElement>("[data-action-status]");
  const kept = [error, status].filter((e): e is HTMLElement => e !== null);
  const existing = area.querySelector<HTMLElement>("[data-downloads], [data-secret], [data-credentials]");

  if (!isDelivered(delivery.status)) {
    if (existing) return; // a delivery that was ready keeps its controls; the API refuses what no longer works
    const what = delivery.kind === "licenseKey" ? "Your licence key" : delivery.kind === "siteAccess" ? "Your site’s sign-in" : "Your download";
    area.replaceChildren(
      ...(delivery.status === "revoked" ? [] : [h("p", { class: "delivery__waiting" }, `${what} appears here the moment it is ready — no need to reload.`)]),
      ...kept);
    return;
  }
  if (delivery.kind === "download") {
    const block = drawDownloads(delivery);
    if (existing) existing.replaceWith(block); else area.replaceChildren(block, ...kept);
    return;
  }
  if (existing) {
    // A key and a sign-in stay as they are (a revealed key stays revealed); only the buttons follow the delivery.
    const row = existing.querySelector<HTMLElement>("[data-delivery-actions]");
    const next = drawActionsRow(delivery);
    if (row && next) row.replaceWith(next);
    return;
  }
  if (delivery.kind === "licenseKey" && delivery.licenseKey) area.replaceChildren(drawSecret(delivery), ...kept);
  else if (delivery.kind === "siteAccess") area.replaceChildren(drawCredentialsBlock(), ...kept);
}

function drawDownloads(delivery: Delivery): HTMLElement {
  const downloads = delivery.downloads;
  const link = downloads?.link;
  const usable = link && !link.expired && link.url && (downloads?.remaining ?? 1) > 0;
  const button = usable
    ? h("a", { class: "button button--primary button--lg", href: link!.url!, "data-download-link": true, "data-testid": "download-button", download: "" }, icon("download"), "Download")
    : h("span", { class: "button button--primary button--lg", "aria-disabled": "true", "data-testid": "download-button" }, icon("download"), "Download");
  const meta = h("p", { class: "downloads__meta" });
  if (downloads) {
    meta.append(h("span", { "data-testid": "downloads-used" }, h("strong", {}, `${downloads.used} of ${downloads.limit}`), " downloads used"));
    if (link && !link.expired) meta.append(h("span", {}, "Link valid until ", timeElement(link.expiresAt, "datetime")));
    else if (downloads.remaining > 0) meta.append(h("span", {}, "This link has expired — get a new one."));
    else meta.append(h("span", {}, "Every download is used."));
  }
  return h("div", { class: "downloads", "data-downloads": true, "data-testid": "downloads" }, button, meta, drawActionsRow(delivery));
}

/** The self-service buttons the delivery offers now, and why one is not available (as DeliveryActionsRow.razor). */
function drawActionsRow(delivery: Delivery): HTMLElement | null {
  const newLink = delivery.actions?.newLink;
  const resend = delivery.actions?.resend;
  if (!newLink && !resend) return null;
  const buttons = h("div", { class: "delivery__action-buttons" });
  if (newLink) buttons.append(actionButton("links", "link", "New link", newLink, "download-new-link"));
  if (resend) buttons.append(actionButton("resend", "send", "Re-send e-mail", resend, "delivery-resend"));
  const reasons = [...new Set([newLink?.unavailable, resend?.unavailable].filter((r): r is string => Boolean(r)))];
  return h("div", { class: "delivery__actions", "data-delivery-actions": true }, buttons,
    ...reasons.map((reason) => h("p", { class: "delivery__note", "data-testid": "delivery-action-note" }, reason)));
}

function actionButton(action: string, iconName: string, label: string, state: Action, testId: string): HTMLButtonElement {
  return h("button", {
    type: "button", class: "button button--secondary", "data-action": action, "data-testid": testId,
    disabled: !state.available, title: state.unavailable ?? `${state.remainingThisHour} left this hour`,
  }, icon("loader-circle", "icon button__busy-icon"), icon(iconName, "icon button__idle-icon"), h("span", { "data-label": true }, label));
}

function drawSecret(delivery: Delivery): HTMLElement {
  const key = delivery.licenseKey!;
  const labelId = `key-label-${delivery.line}`;
  return h("div", { class: "secret", "data-secret": true, "data-testid": "licence-key" },
    h("span", { class: "secret__label", id: labelId }, "Licence key"),
    h("div", { class: "secret__row" },
      h("code", { class: "secret__value", "data-secret-value": true, "data-testid": "licence-key-value", "aria-labelledby": labelId }, key),
      h("span", { class: "secret__mask", "aria-hidden": "true" }, key.replace(/[^-]/g, "•")),
      h("span", { class: "secret__buttons" },
        h("button", { type: "button", class: "button button--secondary button--sm", "data-secret-toggle": true, "aria-pressed": "false", "data-testid": "licence-key-reveal" },
          icon("eye"), h("span", { "data-label": true }, "Show"), h("span", { class: "visually-hidden" }, " licence key")),
        h("button", { type: "button", class: "button button--secondary button--sm", "data-copy": key, "data-copy-what": "Licence key", "data-testid": "licence-key-copy" },
          icon("copy"), h("span", { "data-label": true }, "Copy"), h("span", { class: "visually-hidden" }, " licence key")))),
    drawActionsRow(delivery));
}

function drawCredentialsBlock(): HTMLElement {
  return h("div", { class: "credentials", "data-credentials": true, "data-testid": "site-credentials" },
    h("p", { class: "credentials__intro" }, "Your site’s sign-in is stored encrypted. Show it when you need it — each look is recorded to keep your site safe."),
    h("dl", { class: "credentials__list", "data-credentials-panel": true, hidden: true }),
    h("div", { class: "credentials__buttons" },
      h("button", { type: "button", class: "button button--primary", "data-credentials-reveal": true, "aria-expanded": "false", "data-testid": "credentials-reveal" },
        icon("loader-circle", "icon button__busy-icon"), icon("eye", "icon button__idle-icon"), h("span", { "data-label": true }, "Show sign-in details")),
      h("button", { type: "button", class: "button button--secondary", "data-credentials-rotate": true, "data-testid": "credentials-rotate" },
        icon("rotate-ccw"), "Change password")));
}

function initSelfService(): void {
  root.addEventListener("click", (event) => {
    const target = event.target as HTMLElement;
    const toggle = target.closest<HTMLButtonElement>("[data-secret-toggle]");
    if (toggle) return toggleSecret(toggle);
    const copy = target.closest<HTMLButtonElement>("[data-copy]");
    if (copy) return void copyValue(copy);
    const action = target.closest<HTMLButtonElement>("[data-action]");
    if (action) return void runAction(action);
    const reveal = target.closest<HTMLButtonElement>("[data-credentials-reveal]");
    if (reveal) return void revealCredentials(reveal);
    const rotate = target.closest<HTMLButtonElement>("[data-credentials-rotate]");
    if (rotate) return confirmRotation(rotate);
    const more = target.closest<HTMLButtonElement>("[data-timeline-more]");
    if (more) {
      timelineExpanded = !timelineExpanded;
      const list = root.querySelector<HTMLElement>("[data-timeline]");
      if (list) syncTimelineMore(list);
    }
  });
}

function cardOf(element: HTMLElement): HTMLElement {
  return element.closest<HTMLElement>("[data-delivery]")!;
}

function toggleSecret(button: HTMLButtonElement): void {
  const secret = button.closest<HTMLElement>("[data-secret]");
  if (!secret) return;
  const shown = secret.classList.toggle("is-revealed");
  button.setAttribute("aria-pressed", String(shown));
  button.querySelector("svg")?.replaceWith(icon(shown ? "eye-off" : "eye"));
  const label = button.querySelector<HTMLElement>("[data-label]");
  if (label) label.textContent = shown ? "Hide" : "Show";
}

async function copyValue(button: HTMLButtonElement): Promise<void> {
  const value = button.dataset.copy ?? "";
  const what = button.dataset.copyWhat ?? "Text";
  const copied = await writeClipboard(value);
  const label = button.querySelector<HTMLElement>("[data-label]");
  if (!copied) {
    showError(cardOf(button), `${what} could not be copied here. Select it and copy it with your keyboard.`);
    return;
  }
  button.classList.add("copy-button", "is-copied");
  if (label) label.textContent = "Copied";
  announce(`${what} copied to the clipboard.`);
  window.setTimeout(() => { button.classList.remove("is-copied"); if (label) label.textContent = "Copy"; }, 1800);
}

async function writeClipboard(value: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(value); return true; }
  } catch { /* falls back below */ }
  const area = h("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true" });
  area.value = value;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

// ---------------------------------------------------------------- actions that call the API

async function runAction(button: HTMLButtonElement): Promise<void> {
  const card = cardOf(button);
  const id = card.dataset.deliveryId!;
  const action = button.dataset.action!;
  setBusy(button, true);
  clearMessages(card);
  try {
    const response = await api<SelfServiceResponse>("POST", `/api/deliveries/${encodeURIComponent(id)}/${action}`);
    renderSelfService(card, response.delivery);
    showStatus(card, response.message);
    scheduleRefresh();
  } catch (problem) {
    handleProblem(card, problem as ProblemError, button);
  } finally {
    if (button.isConnected) setBusy(button, false);
  }
}

async function revealCredentials(button: HTMLButtonElement): Promise<void> {
  const card = cardOf(button);
  const panel = card.querySelector<HTMLElement>("[data-credentials-panel]");
  if (!panel) return;
  if (button.getAttribute("aria-expanded") === "true") {
    panel.hidden = true;
    panel.replaceChildren();
    button.setAttribute("aria-expanded", "false");
    setLabel(button, "Show sign-in details");
    return;
  }
  setBusy(button, true);
  clearMessages(card);
  try {
    const credentials = await api<Credentials>("GET", `/api/deliveries/${encodeURIComponent(card.dataset.deliveryId!)}/credentials`);
    showCredentials(card, credentials);
  } catch (problem) {
    handleProblem(card, problem as ProblemError);
  } finally {
    setBusy(button, false);
  }
}

function showCredentials(card: HTMLElement, credentials: Credentials): void {
  const panel = card.querySelector<HTMLElement>("[data-credentials-panel]");
  const button = card.querySelector<HTMLButtonElement>("[data-credentials-reveal]");
  if (!panel || !button) return;
  const row = (term: string, value: Node | string, copy?: string, testId?: string) =>
    h("div", { class: "credentials__item" },
      h("dt", {}, term),
      h("dd", { "data-testid": testId }, value),
      copy !== undefined
        ? h("button", { type: "button", class: "button button--secondary button--sm", "data-copy": copy, "data-copy-what": term },
            icon("copy"), h("span", { "data-label": true }, "Copy"), h("span", { class: "visually-hidden" }, ` ${term.toLowerCase()}`))
        : h("span", {}));
  panel.replaceChildren(
    row("Username", credentials.username, credentials.username, "credentials-username"),
    row("Password", credentials.password, credentials.password, "credentials-password"),
    row("Sign-in page", h("a", { href: credentials.loginUrl, target: "_blank", rel: "noopener" }, credentials.loginUrl.replace(/^https?:\/\//, ""), icon("external-link", "icon icon--sm")), undefined, "credentials-login-url"));
  if (credentials.rotatedAt)
    panel.append(h("p", { class: "credentials__note" }, "Password last changed ", timeElement(credentials.rotatedAt, "datetime"), "."));
  panel.hidden = false;
  button.setAttribute("aria-expanded", "true");
  setLabel(button, "Hide sign-in details");
}

function confirmRotation(button: HTMLButtonElement): void {
  const dialog = document.getElementById("rotate-dialog") as HTMLDialogElement | null;
  if (!dialog) return;
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener("close", async () => {
    button.focus();
    if (dialog.returnValue !== "confirm") return;
    const card = cardOf(button);
    setBusy(button, true);
    clearMessages(card);
    try {
      const credentials = await api<Credentials>("POST", `/api/deliveries/${encodeURIComponent(card.dataset.deliveryId!)}/credentials/rotate`);
      showCredentials(card, credentials);
      showStatus(card, "Password changed. The old one no longer works — use the new one shown above.");
      scheduleRefresh();
    } catch (problem) {
      handleProblem(card, problem as ProblemError, button);
    } finally {
      setBusy(button, false);
      if (!button.disabled) button.focus();
    }
  }, { once: true });
}

function handleProblem(card: HTMLElement, problem: ProblemError, button?: HTMLButtonElement): void {
  const message = problem.detail || problem.title;
  if (problem.status === 429 && problem.retryAfterSeconds) {
    waitBeforeRetry(card, message, problem.retryAfterSeconds, button);
    return;
  }
  showError(card, message);
}

/** A rate-limited action: the server's explanation, and the button comes back by itself when allowed again. */
function waitBeforeRetry(card: HTMLElement, message: string, seconds: number, button?: HTMLButtonElement): void {
  const until = Date.now() + seconds * 1000;
  const error = card.querySelector<HTMLElement>("[data-action-error]");
  if (!error) return;
  const again = h("span", { class: "delivery__retry", "data-testid": "delivery-retry-after" });
  error.replaceChildren(icon("hourglass"), h("span", {}, message, " ", again));
  error.classList.replace("alert--error", "alert--warning");
  error.hidden = false;
  if (button) { button.disabled = true; button.dataset.waiting = "true"; }
  const tick = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    again.textContent = left > 0 ? `You can try again in ${clock(left)} (at ${formatTime(new Date(until), "time")}).` : "You can try again now.";
    if (left > 0) { window.setTimeout(tick, 1000); return; }
    if (button?.isConnected) { button.disabled = false; delete button.dataset.waiting; }
    scheduleRefresh(); // the server says which actions are available again
  };
  tick();
}

function clock(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}:${String(seconds % 60).padStart(2, "0")}` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function showError(card: HTMLElement, message: string): void {
  const error = card.querySelector<HTMLElement>("[data-action-error]");
  if (!error) return;
  error.replaceChildren(icon("circle-alert"), h("span", {}, message));
  error.classList.replace("alert--warning", "alert--error");
  error.hidden = false;
}

function showStatus(card: HTMLElement, message: string): void {
  const status = card.querySelector<HTMLElement>("[data-action-status]");
  if (status) status.textContent = message;
}

function clearMessages(card: HTMLElement): void {
  const error = card.querySelector<HTMLElement>("[data-action-error]");
  if (error) { error.hidden = true; error.replaceChildren(); }
  showStatus(card, "");
}

function setBusy(button: HTMLButtonElement, busy: boolean): void {
  if (busy) { button.setAttribute("aria-busy", "true"); button.disabled = true; }
  else { button.removeAttribute("aria-busy"); if (!button.dataset.waiting) button.disabled = false; }
}

function setLabel(button: HTMLElement, text: string): void {
  const label = button.querySelector<HTMLElement>("[data-label]");
  if (label) label.textContent = text;
}

// ---------------------------------------------------------------- timeline

function renderTimeline(detail: OrderDetail, titles: Map<string, string>): void {
  const list = root.querySelector<HTMLElement>("[data-timeline]");
  if (!list) return;
  const shown = list.children.length;
  const entries = detail.timeline;
  if (entries.length === shown) return;
  const items = entries.map((entry) => describe(entry, titles)).reverse();
  const fresh = entries.length - shown;
  list.replaceChildren(...items.map((item, index) => {
    const li = drawTimelineItem(item);
    if (index < fresh && shown > 0 && !reducedMotion()) li.classList.add("is-new");
    return li;
  }));
  syncTimelineMore(list);
}

function syncTimelineMore(list: HTMLElement): void {
  const count = list.children.length;
  let more = list.parentElement?.querySelector<HTMLButtonElement>("[data-timeline-more]") ?? null;
  if (count <= timelineShownFirst) {
    more?.remove();
    list.classList.remove("timeline--collapsed");
    return;
  }
  if (!more) {
    more = h("button", { type: "button", class: "link-button timeline__more", "data-timeline-more": true, "data-testid": "timeline-more" },
      icon("chevron-down", "icon icon--sm"), h("span", { "data-label": true }));
    list.after(more);
  }
  list.classList.toggle("timeline--collapsed", !timelineExpanded);
  more.setAttribute("aria-expanded", String(timelineExpanded));
  more.classList.toggle("is-expanded", timelineExpanded);
  setLabel(more, timelineExpanded ? "Show the newest events only" : `Show all ${count} events`);
}

interface TimelineItem { at: string; title: string; detail: string | null; icon: string; tone: string; subject: string | null }

function drawTimelineItem(item: TimelineItem): HTMLLIElement {
  return h("li", { class: `timeline__item timeline__item--${item.tone}`, "data-testid": "timeline-entry" },
    h("span", { class: "timeline__dot", "aria-hidden": "true" }, icon(item.icon, "icon icon--sm")),
    h("div", { class: "timeline__body" },
      h("p", { class: "timeline__title" }, item.subject ? h("span", { class: "timeline__subject" }, item.subject) : null, item.subject ? " " : null, item.title),
      item.detail ? h("p", { class: "timeline__detail" }, item.detail) : null,
      h("p", { class: "timeline__time" }, timeElement(item.at, "datetime"))));
}

function describe(entry: TimelineEntry, titles: Map<string, string>): TimelineItem {
  const data = entry.data ?? {};
  const text = (name: string) => (typeof data[name] === "string" ? (data[name] as string) : null);
  const num = (name: string) => (typeof data[name] === "number" ? (data[name] as number) : null);
  const cause = sentence(text("cause"));
  const subject = entry.deliveryId ? titles.get(entry.deliveryId) ?? null : null;
  const item = (title: string, detail: string | null, iconName: string, tone: string): TimelineItem =>
    ({ at: entry.at, title, detail, icon: iconName, tone, subject });
  switch (entry.kind) {
    case "OrderStepped": {
      const to = text("to");
      const table: Record<string, [string, boolean, string, string]> = {
        PendingPayment: ["Order placed", false, "receipt", "neutral"],
        Paid: ["Payment received", false, "credit-card", "success"],
        Fulfilling: ["Delivery started", false, "package", "accent"],
        Fulfilled: ["Everything delivered", false, "check-circle-2", "success"],
        Completed: ["Order completed", false, "check-circle-2", "success"],
        PaymentFailed: ["Payment failed", true, "circle-x", "danger"],
        Expired: ["Checkout expired", true, "clock", "neutral"],
        Cancelled: ["Order cancelled", true, "ban", "neutral"],
        OnHold: ["Order on hold", true, "hourglass", "warning"],
        PartiallyRefunded: ["Partly refunded", true, "rotate-ccw", "neutral"],
        Refunded: ["Refunded", true, "rotate-ccw", "neutral"],
      };
      const [title, withCause, iconName, tone] = table[to ?? ""] ?? ["Order updated", true, "circle-dot", "neutral"];
      return item(title, withCause ? cause : null, iconName, tone);
    }
    case "OrderNoted": return item(sentence(text("note")) ?? "Note", null, "receipt", "neutral");
    case "DeliveryStepped": {
      const table: Record<string, [string, boolean, string, string]> = {
        Pending: ["Queued for delivery", false, "clock", "neutral"],
        Processing: ["Preparing", true, "loader-circle", "accent"],
        Retrying: ["Retrying automatically", true, "refresh-cw", "warning"],
        Ready: ["Ready", true, "check-circle-2", "success"],
        Downloaded: ["Downloaded", true, "download", "success"],
        Completed: ["Completed", true, "check-circle-2", "success"],
        Failed: ["Delivery failed", true, "circle-x", "danger"],
        Escalated: ["Handed to a technician", true, "wrench", "danger"],
        Revoked: ["Revoked", true, "ban", "neutral"],
      };
      const [title, withCause, iconName, tone] = table[text("to") ?? ""] ?? ["Delivery updated", true, "circle-dot", "neutral"];
      return item(title, withCause ? cause : null, iconName, tone);
    }
    case "DeliveryDelayed": return item("Taking longer than usual", sentence(text("reason")), "hourglass", "warning");
    case "DeliveryAssignedToTechnician": return item("A technician is on it", sentence(text("reason")), "wrench", "warning");
    case "DeliveryDownloaded": {
      const used = num("used"), limit = num("limit");
      return item("Downloaded", used !== null && limit !== null ? `${used} of ${limit} downloads used` : null, "download", "success");
    }
    case "DownloadLinkRenewed": return item("New download link", cause, "link", "accent");
    case "DeliveryEmailResent": return item("Delivery e-mail sent again", null, "send", "accent");
    case "DownloadsGranted": {
      const extra = num("extra");
      return item(extra !== null ? `${extra} more download${extra === 1 ? "" : "s"} allowed` : "More downloads allowed", sentence(text("reason")), "plus", "accent");
    }
    case "DeliveryNudged": {
      const nudges: Record<string, string> = {
        downloadReady: "“Your download is ready” e-mail sent",
        licenseKeyReady: "Licence key e-mailed",
        siteReady: "“Your site is ready” e-mail sent",
        notDownloadedYet: "Reminder e-mail: not downloaded yet",
      };
      return item(nudges[text("nudge") ?? ""] ?? "E-mail sent", null, "mail", "neutral");
    }
    case "SiteAccountCreated": return item("Site account created", "Your sign-in details are ready on this page", "globe", "success");
    case "SiteCredentialsRotated": return item("Site password changed", cause ?? "The previous password stopped working", "rotate-ccw", "accent");
    case "SiteAccessRevoked": return item("Site access withdrawn", sentence(text("reason")), "ban", "neutral");
    default: return item(humanize(entry.kind), cause, "circle-dot", "neutral");
  }
}

// ---------------------------------------------------------------- small things

function timeElement(at: string, format: string): HTMLTimeElement {
  return h("time", { datetime: at, "data-local-time": format, "data-volatile": true }, formatTime(new Date(at), format));
}

function isDelivered(status: string): boolean {
  return status === "ready" || status === "downloaded" || status === "completed";
}

function stepLabel(status: string): string {
  return pascal(status).replace(/([a-z])([A-Z])/g, "$1 $2");
}

function pascal(value: string): string {
  return value ? value[0].toUpperCase() + value.slice(1) : value;
}

function sentence(text: string | null): string | null {
  return text && text.trim() ? text[0].toUpperCase() + text.slice(1) : null;
}

function humanize(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

function shortTitle(title: string): string {
  const dash = title.indexOf(" — ");
  return dash > 0 ? title.slice(0, dash) : title;
}
