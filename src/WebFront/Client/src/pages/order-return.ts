// The order going live after payment: watches order:{id} on the hub and re-reads the page's live
// region on every orderChanged / deliveryChanged. While the hub is not connected (or before it
// is), it polls every few seconds so the page never sits stale.

import { connectionState, on, onResync, watch } from "../live";
import { refreshRegion } from "../dom";

const finalStatuses = new Set(["PaymentFailed", "Expired", "Cancelled", "Refunded"]);

export function init(): void {
  const page = document.querySelector<HTMLElement>("[data-order-id]");
  const orderId = page?.dataset.orderId;
  if (!orderId) return;

  let refreshing = false;
  let again = false;
  const refresh = async () => {
    if (refreshing) { again = true; return; }
    refreshing = true;
    await refreshRegion("[data-order-live]");
    refreshing = false;
    if (again) { again = false; void refresh(); }
  };

  on("orderChanged", () => void refresh());
  on("deliveryChanged", () => void refresh());
  onResync(() => void refresh());
  watch(`order:${orderId}`);

  const poll = () => {
    const live = document.querySelector<HTMLElement>("[data-order-live]");
    const done = live?.querySelectorAll("[data-state=current], [data-state=pending]").length === 0 || finalStatuses.has(live?.dataset.status ?? "");
    if (done) return;
    if (connectionState() !== "Connected") void refresh();
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
