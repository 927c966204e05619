// The order going live after payment: watches order:{id} on the hub and re-reads the page's live
// region on every orderChanged / deliveryChanged. While the order is not live on the hub (before
// it is, while reconnecting, or when the hub could not take the watch) and after a re-read that
// failed, it polls every few seconds so the page never sits stale.

import { isLive, on, onResync, watch } from "../live";
import { refreshRegion } from "../dom";

const finalStatuses = new Set(["PaymentFailed", "Expired", "Cancelled", "Refunded"]);

export function init(): void {
  const page = document.querySelector<HTMLElement>("[data-order-id]");
  const orderId = page?.dataset.orderId;
  if (!orderId) return;

  const topic = `order:${orderId}`;
  let refreshing = false;
  let again = false;
  let failed = false;
  const refresh = async () => {
    if (refreshing) { again = true; return; }
    refreshing = true;
    failed = !(await refreshRegion("[data-order-live]"));
    refreshing = false;
    if (again) { again = false; void refresh(); }
  };

  on("orderChanged", () => void refresh());
  on("deliveryChanged", () => void refresh());
  onResync(() => void refresh());
  watch(topic);

  const poll = () => {
    const live = document.querySelector<HTMLElement>("[data-order-live]");
    const done = live?.querySelectorAll("[data-state=current], [data-state=pending]").length === 0 || finalStatuses.has(live?.dataset.status ?? "");
    if (done) return;
    if (!isLive(topic) || failed) void refresh();
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
